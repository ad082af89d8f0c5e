"""Request ids, the log an operator reads, error bodies and audit records, over real HTTP.

A real server (uvicorn in a thread, httpx clients) with keys on; logs are read from stderr as the
configured handler writes them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.web.ui_helpers import serve
from web.app import create_app
from web.observe import accepted_request_id, configure_logging
from web.services import Services
from web.settings import Settings

HEX32 = re.compile(r"[0-9a-f]{32}")


@dataclass
class Server:
    url: str
    services: Services
    reader: str
    admin: str

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[Server]:
    settings = Settings(
        data_dir=tmp_path / "data", auth="on", rate_limit_per_minute=0, log_format="json"
    )
    services = Services(settings)
    _, reader = services.storage.create_api_key("anna", "reader")
    _, admin = services.storage.create_api_key("drift", "admin")
    app = create_app(settings, services)

    @app.get("/api/test-fel")
    def broken() -> None:
        raise RuntimeError("något gick sönder internt")

    with serve(app) as url:
        yield Server(url, services, reader, admin)
    configure_logging("text", "INFO")


def test_request_ids_are_accepted_when_safe_and_made_otherwise(server: Server) -> None:
    with server.client() as c:
        made = c.get("/healthz").headers["X-Request-ID"]
        assert HEX32.fullmatch(made)
        assert c.get("/healthz").headers["X-Request-ID"] != made  # one per request
        sent = "lb-7f3a:2026-12-03.1"
        assert c.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent
        for bad in ("x" * 65, "two words", "a/b", "<script>"):
            got = c.get("/healthz", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
            assert HEX32.fullmatch(got), bad
    assert accepted_request_id(" abc ") == "abc"
    assert accepted_request_id("") is None and accepted_request_id(None) is None


def test_every_error_body_names_the_request(server: Server) -> None:
    with server.client() as anon, server.client(server.reader) as reader:
        cases = [
            (anon.get("/api/index"), 401, "unauthorized"),  # the auth middleware
            (reader.get("/api/admin/keys"), 403, "forbidden"),
            (reader.get("/api/figures/finns_inte"), 404, "unknown_figure"),  # a package error
            (reader.post("/api/chat", json={}), 422, "invalid_request"),  # validation
            (reader.get("/api/test-fel"), 500, "internal_error"),  # unexpected
        ]
        for response, status, code in cases:
            assert response.status_code == status, response.text
            error = response.json()["error"]
            assert error["code"] == code
            assert error["request_id"] == response.headers["X-Request-ID"], code
        internal = cases[-1][0]
        assert "något gick sönder" not in internal.text and "Traceback" not in internal.text
        assert internal.json()["error"]["error_id"]


def test_audit_records_carry_the_request_id(server: Server) -> None:
    with server.client(server.admin) as admin:
        r = admin.post(
            "/api/admin/keys",
            json={"name": "ny", "role": "reader"},
            headers={"X-Request-ID": "granskning-42"},
        )
    assert r.status_code == 201, r.text
    # the middleware writes its "request" record just after the answer is sent
    deadline = time.monotonic() + 10
    while True:
        records = list(server.services.storage.audit_records())
        mine = [a for a in records if a["request_id"] == "granskning-42"]
        if {a["event"] for a in mine} >= {"key_created", "request"} or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert {a["event"] for a in mine} >= {"key_created", "request"}, records
    assert all(a["key_id"] for a in mine)
    with server.client(server.admin) as admin:
        exported = list(csv.DictReader(io.StringIO(admin.get("/api/admin/audit.csv").text)))
    assert {row["event"] for row in exported if row["request_id"] == "granskning-42"} >= {
        "key_created",
        "request",
    }


def test_json_log_one_line_per_request_without_keys_or_questions(
    server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    question = "Vad blev digitaliseringsindex 2025? Hemligfråga4711"
    with server.client(server.reader) as reader:
        r = reader.post("/api/chat", json={"message": question}, headers={"X-Request-ID": "q-1"})
        assert r.status_code == 200, r.text
        reader.get("/api/search", params={"q": "Hemligsök4711", "k": 2})
    err = ""
    deadline = time.monotonic() + 10  # the line is written just after the answer is sent
    while '"route": "/api/search"' not in err and time.monotonic() < deadline:
        time.sleep(0.05)
        err += capsys.readouterr().err
    assert server.reader not in err and "Hemligfråga4711" not in err and "Hemligsök4711" not in err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [e for e in lines if e["logger"] == "digirapport.access"]
    [chat] = [e for e in access if e["path"] == "/api/chat"]
    assert chat["request_id"] == "q-1" and chat["status"] == 200 and chat["route"] == "/api/chat"
    assert chat["level"] == "INFO" and chat["time"].endswith("Z") and chat["duration_ms"] > 0
    assert chat["key_id"] and chat["key_id"] in chat["key_id"]
    assert chat["message"].startswith("POST /api/chat 200 ")
    [search] = [e for e in access if e["route"] == "/api/search"]
    assert search["path"] == "/api/search"  # the query string is never logged


def test_text_log_lines_have_time_level_logger_and_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("text", "INFO")
    logging.getLogger("digirapport.test").info("hej %s", "då")
    logging.getLogger("digirapport.test").debug("syns inte")
    line = capsys.readouterr().err.strip()
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO digirapport\.test \[-\] hej då", line
    ), line
