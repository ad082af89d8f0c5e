"""Limits: body and upload size (413), rate limits per cost class (429), timeout (504).

Real HTTP (uvicorn) checks of the same limits: ``test_limits_http.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from web.app import create_app
from web.limits import CostClass, TokenBuckets, cost_class
from web.services import Services
from web.settings import Settings


def client_for(tmp_path: Path, **overrides: Any) -> tuple[TestClient, Services]:
    base: dict[str, Any] = {"data_dir": tmp_path / "data", "auth": "off"}
    base["rate_limit_per_minute"] = 0
    base.update(overrides)
    settings = Settings(**base)
    services = Services(settings)
    app = create_app(settings, services)

    @app.post("/api/_echo")
    async def echo(request: Request) -> dict[str, int]:  # probe routes added only in this test
        return {"bytes": len(await request.body())}

    @app.get("/api/_slow")
    def slow() -> dict[str, str]:
        time.sleep(1.5)
        return {"status": "done"}

    @app.get("/api/_stream")
    def stream() -> StreamingResponse:
        def parts() -> Iterator[bytes]:
            for i in range(3):
                time.sleep(0.4)
                yield f"del {i}\n".encode()

        return StreamingResponse(parts(), media_type="text/plain")

    return TestClient(app, raise_server_exceptions=False), services


def test_body_size_limit(tmp_path: Path) -> None:
    client, _ = client_for(tmp_path, max_body_kb=1)
    assert client.post("/api/_echo", content=b"x" * 1000).json() == {"bytes": 1000}
    r = client.post("/api/_echo", content=b"x" * 2000)
    assert r.status_code == 413
    error = r.json()["error"]
    assert error["code"] == "payload_too_large" and "för stor" in error["message"]

    # No Content-Length (chunked): counted while read, refused as it passes the limit.
    def chunks() -> Iterator[bytes]:
        for _ in range(8):
            yield b"y" * 512

    r = client.post("/api/_echo", content=chunks())
    assert r.status_code == 413 and r.json()["error"]["message"]
    r = client.post("/api/_echo", content=b"1", headers={"content-length": "abc"})
    assert r.status_code == 400


def test_upload_size_limit(tmp_path: Path) -> None:
    client, _ = client_for(tmp_path, max_upload_mb=0.1, max_body_kb=1)
    small = client.post("/api/_echo", files={"file": ("a.txt", b"z" * 50_000, "text/plain")})
    assert small.status_code == 200  # multipart gets the upload limit, not the 1 KB body limit
    big = client.post("/api/documents", files={"file": ("stor.pdf", b"%PDF" + b"0" * 300_000)})
    assert big.status_code == 413
    message = big.json()["error"]["message"]
    assert "Filen är för stor" in message and "0,1 MB" in message


def test_rate_limit_per_key_per_class_and_per_ip(tmp_path: Path) -> None:
    client, services = client_for(
        tmp_path,
        auth="on",
        rate_limit_per_minute=None,
        rate_limit_read_per_minute=6,
        rate_limit_read_burst=3,
        rate_limit_assistant_per_minute=6,
        rate_limit_assistant_burst=2,
    )
    _, key_a = services.storage.create_api_key("a", "reader")
    _, key_b = services.storage.create_api_key("b", "reader")
    a, b = {"X-API-Key": key_a}, {"X-API-Key": key_b}
    codes = [client.get("/api/_x", headers=a).status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    r = client.get("/api/_x", headers=a)
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 10
    error = r.json()["error"]
    assert error == {
        "code": "rate_limited",
        "message": f"För många förfrågningar: försök igen om {r.headers['retry-after']} s.",
        "request_id": r.headers["x-request-id"],
    }
    # The reads used up key a's read bucket, not its assistant bucket, and the other way round.
    empty = {"message": ""}  # 422 from the assistant: the limiter counts requests, not answers
    codes = [client.post("/api/chat", headers=a, json=empty).status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    r = client.post("/api/chat/stream", headers=a, json=empty)
    assert r.status_code == 429 and r.headers["retry-after"]
    assert r.json()["error"]["message"].startswith("För många frågor till assistenten: ")
    # Another key has its own buckets; open paths are never limited.
    assert client.get("/api/_x", headers=b).status_code == 404
    assert all(client.get("/healthz").status_code == 200 for _ in range(6))

    ip_client, _ = client_for(
        tmp_path / "ip",
        rate_limit_per_minute=None,
        rate_limit_read_per_minute=60,
        rate_limit_read_burst=2,
        rate_limit_assistant_per_minute=0,  # 0: this class is not limited
    )
    assert [ip_client.get("/api/_x").status_code for _ in range(3)] == [404, 404, 429]
    assert {ip_client.post("/api/chat", json=empty).status_code for _ in range(5)} == {422}


def test_cost_classes() -> None:
    assistant = [
        "/api/chat",
        "/api/chat/stream",
        "/v1/chat/completions",
        "/api/search",
        "/api/initiatives/classify",
        "/api/initiatives/classify-batch",
        "/api/drafts",
        "/api/drafts/digitaliseringsindex/2025.docx",
    ]
    read = [
        "/api/index",
        "/api/index/2025",
        "/api/figures/index",
        "/api/charts/dimios",
        "/api/drafts/chapters",
        "/api/conversations",
        "/api/initiatives/accept",
        "/api/chatter",
        "/v1/models",
    ]
    assert {p: cost_class(p) for p in assistant} == dict.fromkeys(assistant, CostClass.ASSISTANT)
    assert {p: cost_class(p) for p in read} == dict.fromkeys(read, CostClass.READ)
    assert cost_class("/api/documents", upload=True) is CostClass.UPLOAD


def test_rate_limit_settings() -> None:
    defaults = Settings(rate_limit_per_minute=None)
    assert defaults.rate_limits == {
        "read": (1200.0, 600),
        "assistant": (60.0, 30),
        "upload": (10.0, 10),
    }
    assert Settings(rate_limit_per_minute=0).rate_limits == {}  # the older switch: all off
    assert Settings(
        rate_limit_per_minute=None, rate_limit_upload_per_minute=0
    ).rate_limits.keys() == {
        "read",
        "assistant",
    }


def test_upload_class_has_its_own_bucket(tmp_path: Path) -> None:
    client, services = client_for(
        tmp_path,
        auth="on",
        rate_limit_per_minute=None,
        rate_limit_upload_per_minute=1,
        rate_limit_upload_burst=1,
    )
    _, key = services.storage.create_api_key("redaktör", "editor")
    headers = {"X-API-Key": key}
    upload = {"file": ("a.txt", b"Digitalisering i kommunen.", "text/plain")}
    assert client.post("/api/_echo", headers=headers, files=upload).status_code == 200
    r = client.post("/api/_echo", headers=headers, files=upload)
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 59
    assert r.json()["error"]["message"].startswith("För många uppladdningar: försök igen om ")
    assert client.get("/api/index", headers=headers).status_code == 200  # reads go on


def test_token_bucket_refills() -> None:
    buckets = TokenBuckets(per_minute=60, burst=2)
    assert buckets.take("k", now=0.0) == 0 and buckets.take("k", now=0.0) == 0
    assert buckets.take("k", now=0.0) == 1.0  # one token a second
    assert buckets.take("k", now=0.5) == 0.5
    assert buckets.take("k", now=1.5) == 0  # refilled meanwhile
    bounded = TokenBuckets(per_minute=60, burst=1, max_identities=3)
    for i in range(10):
        bounded.take(f"ip{i}", now=0.0)
    assert len(bounded._buckets) == 3


def test_timeout_gives_504_but_does_not_cut_streams(tmp_path: Path) -> None:
    client, _ = client_for(tmp_path, request_timeout=0.5)
    t0 = time.monotonic()
    r = client.get("/api/_slow")
    assert r.status_code == 504 and r.json()["error"]["code"] == "timeout"
    assert time.monotonic() - t0 < 1.4
    r = client.get("/api/_stream")  # the answer starts at once; its body takes 1.2 s in all
    assert r.status_code == 200 and r.text == "del 0\ndel 1\ndel 2\n"
    time.sleep(1.2)  # let the abandoned slow request finish before the loop closes
