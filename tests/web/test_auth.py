"""Roles and API keys: the one middleware in front of every route, the key store, the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from typer.testing import CliRunner

from assistant.storage import Storage, api_keys, audit_log, hash_api_key
from web.app import create_app
from web.auth import auth_enabled_for, prepare_access, required_role
from web.services import Services
from web.settings import Settings


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    base: dict[str, Any] = {"data_dir": tmp_path / "data", "auth": "on", "rate_limit_per_minute": 0}
    base.update(overrides)
    return Settings(**base)


def make_client(settings: Settings) -> tuple[TestClient, Services]:
    services = Services(settings)
    app = create_app(settings, services)

    @app.get("/api/_whoami")
    def whoami(request: Request) -> dict[str, Any]:  # a probe route added only in this test
        return {"key_id": request.state.key_id, "role": request.state.role}

    @app.get("/api/_audit_probe")
    def audit_probe() -> dict[str, str]:  # audits like the chat loop does: no explicit key id
        services.storage.audit("probe", {"question": "hej"})
        return {"status": "ok"}

    return TestClient(app, raise_server_exceptions=False), services


@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("GET", "/healthz", None),
        ("GET", "/", None),
        ("GET", "/static/app.js", None),
        ("GET", "/docs", None),
        ("GET", "/openapi.json", None),
        ("POST", "/api/chat", "reader"),
        ("POST", "/api/chat/stream", "reader"),
        ("GET", "/api/search", "reader"),
        ("GET", "/api/index/2025", "reader"),
        ("GET", "/api/charts/index_trend", "reader"),
        ("POST", "/api/initiatives/classify", "reader"),
        ("POST", "/api/drafts", "reader"),
        ("GET", "/api/drafts/index/2025.docx", "reader"),
        ("GET", "/api/conversations", "reader"),
        ("POST", "/v1/chat/completions", "reader"),
        ("GET", "/v1/models", "reader"),
        ("GET", "/api/documents", "reader"),
        ("POST", "/api/documents", "editor"),
        ("DELETE", "/api/documents/rapport.txt", "editor"),
        ("POST", "/api/initiatives/accept", "editor"),
        ("POST", "/api/data/reload", "editor"),  # anything new that writes needs editor
        ("GET", "/api/admin/audit.csv", "admin"),
        ("POST", "/api/admin/keys", "admin"),
        ("DELETE", "/api/admin/keys/k_1", "admin"),
        ("POST", "/api/chatty", "editor"),  # a prefix match is on whole segments only
        ("GET", "/api/verified", "reader"),
        ("POST", "/api/verified", "editor"),
        ("DELETE", "/api/verified/v_1", "editor"),
        ("POST", "/api/feedback", "reader"),
        ("GET", "/api/feedback", "editor"),
        ("GET", "/api/feedback/3", "editor"),
        ("GET", "/api/feedbacks", "reader"),  # whole segments only
    ],
)
def test_required_role(method: str, path: str, role: str | None) -> None:
    assert required_role(method, path) == role


def test_auto_mode_is_off_only_on_loopback(tmp_path: Path) -> None:
    local = make_settings(tmp_path, auth="auto", host="127.0.0.1")
    public = make_settings(tmp_path, auth="auto", host="0.0.0.0")
    assert not local.auth_enabled and public.auth_enabled
    assert not auth_enabled_for(local, {"server": ("127.0.0.1", 8000)})
    # Bound to loopback in the settings but the request came in on a real interface: key needed.
    assert auth_enabled_for(local, {"server": ("10.1.2.3", 8000)})
    assert auth_enabled_for(make_settings(tmp_path, auth="on"), {"server": ("127.0.0.1", 1)})
    assert not auth_enabled_for(make_settings(tmp_path, auth="off"), {"server": ("10.1.2.3", 1)})


def test_keys_roles_and_revocation(tmp_path: Path) -> None:
    client, services = make_client(make_settings(tmp_path))
    storage = services.storage
    admin, admin_key = storage.create_api_key("Ada admin", "admin")
    reader, reader_key = storage.create_api_key("Rut läsare", "reader")

    r = client.get("/api/_whoami")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert (
        r.json()["error"]["code"] == "unauthorized" and "API-nyckel" in r.json()["error"]["message"]
    )

    assert client.get("/api/_whoami", headers={"Authorization": "Bearer fel"}).status_code == 401

    r = client.get("/api/_whoami", headers={"Authorization": f"Bearer {reader_key}"})
    assert r.status_code == 200 and r.json() == {"key_id": reader["id"], "role": "reader"}
    r = client.get("/api/_whoami", headers={"X-API-Key": admin_key})
    assert r.json() == {"key_id": admin["id"], "role": "admin"}

    # A reader may not administrate, and may not write documents.
    r = client.get("/api/admin/keys", headers={"X-API-Key": reader_key})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    r = client.post(
        "/api/documents", headers={"X-API-Key": reader_key}, files={"file": ("a.txt", b"x")}
    )
    assert r.status_code == 403

    # An admin creates an editor key over HTTP; the editor passes the editor check.
    r = client.post(
        "/api/admin/keys", headers={"X-API-Key": admin_key}, json={"name": "Eva", "role": "editor"}
    )
    assert r.status_code == 201, r.text
    editor = r.json()
    assert (
        editor["role"] == "editor" and editor["key"].startswith("dgr_") and "key_hash" not in editor
    )
    r = client.delete("/api/documents/finns-inte.txt", headers={"X-API-Key": editor["key"]})
    assert r.status_code not in (401, 403)
    r = client.get("/api/admin/keys", headers={"X-API-Key": editor["key"]})
    assert r.status_code == 403

    listed = client.get("/api/admin/keys", headers={"X-API-Key": admin_key}).json()["keys"]
    assert {k["id"] for k in listed} == {admin["id"], reader["id"], editor["id"]}
    assert all("key" not in k and "key_hash" not in k for k in listed)

    # Bad role: 422 with a message, never 500.
    r = client.post(
        "/api/admin/keys", headers={"X-API-Key": admin_key}, json={"name": "x", "role": "gud"}
    )
    assert r.status_code == 422 and r.json()["error"]["message"]

    # Revocation takes effect at once.
    r = client.delete(f"/api/admin/keys/{reader['id']}", headers={"X-API-Key": admin_key})
    assert r.status_code == 200 and r.json() == {"id": reader["id"], "revoked": True}
    assert client.get("/api/_whoami", headers={"X-API-Key": reader_key}).status_code == 401
    r = client.delete(f"/api/admin/keys/{reader['id']}", headers={"X-API-Key": admin_key})
    assert r.status_code == 404 and "nyckel" in r.json()["error"]["message"]

    # Admin actions are in the audit log with the key id, never the key.
    records = list(storage.audit_records())
    by_event = {r["event"] for r in records}
    assert {"key_created", "key_revoked", "request"} <= by_event
    assert all(r["key_id"] == admin["id"] for r in records if r["event"] == "key_revoked")
    dump = repr(records)
    assert admin_key not in dump and editor["key"] not in dump and reader_key not in dump


def test_keys_are_stored_hashed(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    record, plain = storage.create_api_key("n", "reader")
    peppered, plain2 = storage.create_api_key("p", "reader", secret=b"pepper")
    with storage.engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(select(api_keys))}
    assert rows[record["id"]].key_hash == hashlib.sha256(plain.encode()).hexdigest()
    assert rows[peppered["id"]].key_hash == hash_api_key(plain2, b"pepper") != hash_api_key(plain2)
    assert all(plain not in str(tuple(r)) and plain2 not in str(tuple(r)) for r in rows.values())
    assert storage.find_api_key(plain2) is None  # without the pepper the hash does not match
    assert storage.find_api_key(plain2, secret=b"pepper")["id"] == peppered["id"]
    storage.close()


def test_admin_key_bootstrap(tmp_path: Path) -> None:
    key = "dgr_bootstrap-key-for-the-first-admin-0123456789"
    settings = make_settings(tmp_path, admin_key=key)
    client, services = make_client(settings)
    prepare_access(services)
    prepare_access(services)  # a restart (or a second process) stores it once
    keys = services.storage.list_api_keys()
    assert len(keys) == 1 and keys[0]["role"] == "admin"
    r = client.get("/api/admin/keys", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200 and r.json()["keys"][0]["id"] == keys[0]["id"]
    # Revoked stays revoked across restarts.
    services.storage.revoke_api_key(keys[0]["id"])
    prepare_access(services)
    assert client.get("/api/admin/keys", headers={"X-API-Key": key}).status_code == 401


def test_auth_off_lets_everything_through_without_key_id(tmp_path: Path) -> None:
    client, _ = make_client(make_settings(tmp_path, auth="off"))
    r = client.get("/api/_whoami")
    assert r.status_code == 200 and r.json() == {"key_id": None, "role": None}
    assert client.get("/api/admin/keys").status_code == 200


def test_audit_csv_export_and_retention(tmp_path: Path) -> None:
    client, services = make_client(make_settings(tmp_path))
    storage = services.storage
    _, admin_key = storage.create_api_key("a", "admin")
    storage.audit(
        "chat",
        {
            "question": '=HYPERLINK("http://x")',
            "answer": "Indexet är 8,2.\nRad två",
            "mode": "offline",
            "sources": [{"source": "rapport.txt", "section": "2.1"}],
            "tool_calls": [{"name": "get_figure", "arguments": {"key": "index"}}],
        },
        key_id="k_test",
    )
    old = datetime.now(UTC) - timedelta(days=400)
    with storage.engine.begin() as conn:
        conn.execute(
            insert(audit_log).values(
                at=old, event="chat", key_id="k_old", data={"question": "gammal"}
            )
        )

    r = client.get("/api/admin/audit.csv", headers={"X-API-Key": admin_key})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    chat = [row for row in rows if row["key_id"] == "k_test"][0]
    assert chat["question"].startswith("'=")  # a formula is neutralised for spreadsheets
    assert chat["answer"] == "Indexet är 8,2.\nRad två" and chat["mode"] == "offline"
    assert "get_figure" in chat["tool_calls"] and "rapport.txt" in chat["sources"]
    assert any(row["key_id"] == "k_old" for row in rows)

    r = client.post("/api/admin/audit/purge", headers={"X-API-Key": admin_key})
    assert r.status_code == 200 and r.json() == {"deleted": 1, "retention_days": 365}
    left = {rec["key_id"] for rec in storage.audit_records()}
    assert "k_old" not in left and "k_test" in left
    # No update or delete route exists for single audit records.
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    audit_ops = {
        (p, m) for p, ops in paths.items() if p.startswith("/api/admin/audit") for m in ops
    }
    assert audit_ops == {("/api/admin/audit.csv", "get"), ("/api/admin/audit/purge", "post")}


def test_cli_keys_and_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from web.cli import app

    monkeypatch.setenv("DIGI_DATA_DIR", str(tmp_path / "cli-data"))
    runner = CliRunner()
    r = runner.invoke(app, ["keys", "create", "--role", "editor", "--name", "Import-jobb"])
    assert r.exit_code == 0, r.output
    plain = r.output.strip().splitlines()[-1]
    assert plain.startswith("dgr_")
    r = runner.invoke(app, ["keys", "create", "--role", "superuser", "--name", "x"])
    assert r.exit_code == 1 and "Okänd roll" in r.output
    r = runner.invoke(app, ["keys", "list"])
    assert (
        r.exit_code == 0
        and "editor" in r.output
        and "Import-jobb" in r.output
        and plain not in r.output
    )
    key_id = r.output.split()[0]
    assert runner.invoke(app, ["keys", "revoke", key_id]).exit_code == 0
    r = runner.invoke(app, ["keys", "revoke", key_id])
    assert r.exit_code == 1 and "ingen aktiv nyckel" in r.output
    out = tmp_path / "logg.csv"
    r = runner.invoke(app, ["audit", "export", "--out", str(out)])
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["event"] for row in rows] == ["key_created", "key_revoked"]
    r = runner.invoke(app, ["audit", "purge", "--days", "30"])
    assert r.exit_code == 0 and "Gallrade 0 poster" in r.output


def test_audit_records_get_the_request_key_id(tmp_path: Path) -> None:
    client, services = make_client(make_settings(tmp_path))
    reader, reader_key = services.storage.create_api_key("r", "reader")
    assert client.get("/api/_audit_probe", headers={"X-API-Key": reader_key}).status_code == 200
    services.storage.audit("outside", {})  # outside a request: no key id
    events = {r["event"]: r["key_id"] for r in services.storage.audit_records()}
    assert events == {"probe": reader["id"], "outside": None}
