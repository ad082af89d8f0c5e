"""Each caller's conversations are their own; admins read others' only through an audited route.

Two readers (anna, bo) and an admin against a real server (uvicorn on a free port, httpx clients).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text, update

from assistant.storage import Storage, conversations
from tests.postgres_util import find_pg_bin, postgres_cluster
from tests.web.ui_helpers import serve
from web.app import create_app
from web.services import Services
from web.settings import Settings


@dataclass
class Team:
    url: str
    services: Services
    keys: dict[str, str]
    ids: dict[str, str]
    clients: list[httpx.Client]

    def client(self, who: str) -> httpx.Client:
        client = httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.keys[who]}"}, timeout=120
        )
        self.clients.append(client)
        return client


@pytest.fixture()
def team(tmp_path: Path) -> Iterator[Team]:
    settings = Settings(data_dir=tmp_path / "data", auth="on", rate_limit_per_minute=0)
    services = Services(settings)
    keys: dict[str, str] = {}
    ids: dict[str, str] = {}
    for who, role in (("anna", "reader"), ("bo", "reader"), ("admin", "admin")):
        record, plain = services.storage.create_api_key(who, role)
        keys[who], ids[who] = plain, record["id"]
    with serve(create_app(settings, services)) as url:
        made = Team(url, services, keys, ids, [])
        yield made
        for client in made.clients:
            client.close()


def ask(client: httpx.Client, question: str, conversation_id: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"message": question}
    if conversation_id:
        body["conversation_id"] = conversation_id
    return client.post("/api/chat", json=body)


def test_readers_see_only_their_own_conversations(team: Team) -> None:
    anna, bo, admin = team.client("anna"), team.client("bo"), team.client("admin")
    r = ask(anna, "Vad blev digitaliseringsindex 2025 för Anna Svensson på enheten?")
    assert r.status_code == 200, r.text
    cid = r.json()["conversation_id"]

    listed = anna.get("/api/conversations").json()["conversations"]
    assert [c["id"] for c in listed] == [cid]
    assert "Anna Svensson" in listed[0]["title"]
    assert anna.get(f"/api/conversations/{cid}").json()["messages"][0]["role"] == "user"

    # Bo sees nothing of it, and cannot tell it from a conversation that does not exist.
    assert bo.get("/api/conversations").json()["conversations"] == []
    theirs = bo.get(f"/api/conversations/{cid}")
    missing = bo.get("/api/conversations/" + "0" * 32)
    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["error"]["code"] == missing.json()["error"]["code"]
    assert "Anna" not in theirs.text
    assert ask(bo, "Och året innan?", cid).status_code == 404
    stream = bo.post("/api/chat/stream", json={"message": "Och 2024?", "conversation_id": cid})
    assert stream.status_code == 404
    assert bo.delete(f"/api/conversations/{cid}").status_code == 404
    assert "Anna Svensson" not in bo.get("/api/me/export").text

    # Anna continues her own; the conversation still has only her turns.
    assert ask(anna, "Och året innan?", cid).status_code == 200
    assert len(anna.get(f"/api/conversations/{cid}").json()["messages"]) == 4

    # The admin's own list is the admin's own; others' only through the audited admin route.
    assert admin.get("/api/conversations").json()["conversations"] == []
    assert admin.get(f"/api/conversations/{cid}").status_code == 404
    everyone = admin.get("/api/admin/conversations").json()["conversations"]
    assert [(c["id"], c["owner"]) for c in everyone] == [(cid, f"key:{team.ids['anna']}")]
    read = admin.get(f"/api/admin/conversations/{cid}")
    assert read.status_code == 200 and read.json()["owner"] == f"key:{team.ids['anna']}"
    audit = [
        r
        for r in team.services.storage.audit_records()
        if r["event"] == "conversation_read_by_admin"
    ]
    assert len(audit) == 1
    assert audit[0]["key_id"] == team.ids["admin"]
    assert audit[0]["data"]["owner"] == f"key:{team.ids['anna']}"
    assert audit[0]["data"]["conversation_id"] == cid
    # A reader cannot use the admin route.
    assert bo.get(f"/api/admin/conversations/{cid}").status_code == 403


def test_a_reader_exports_and_deletes_own_data(team: Team) -> None:
    anna, bo = team.client("anna"), team.client("bo")
    first = ask(anna, "Vad blev digitaliseringsindex 2025?").json()["conversation_id"]
    second = ask(anna, "Hur hög var svarsfrekvensen?").json()["conversation_id"]
    bos = ask(bo, "Vad är DiMiOS?").json()["conversation_id"]

    me = anna.get("/api/me").json()
    assert me["role"] == "reader" and me["via"] == "key" and me["clearance"] == "intern"
    export = anna.get("/api/me/export")
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    exported = export.json()
    assert {c["id"] for c in exported["conversations"]} == {first, second}
    assert all(len(c["messages"]) == 2 for c in exported["conversations"])

    deleted = anna.delete(f"/api/conversations/{first}")
    assert deleted.status_code == 200 and deleted.json() == {"id": first, "deleted": True}
    assert [c["id"] for c in anna.get("/api/conversations").json()["conversations"]] == [second]

    assert anna.delete("/api/me/data").json() == {"deleted_conversations": 1}
    assert anna.get("/api/conversations").json()["conversations"] == []
    # Bo's conversation is untouched.
    assert [c["id"] for c in bo.get("/api/conversations").json()["conversations"]] == [bos]


def test_conversation_retention_purges_idle_conversations(tmp_path: Path) -> None:
    storage = Storage(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    old = storage.new_conversation("gammal", owner="key:k_1")
    fresh = storage.new_conversation("ny", owner="key:k_1")
    storage.add_message(old, "user", "gammal fråga")
    with storage.engine.begin() as conn:
        conn.execute(
            update(conversations)
            .where(conversations.c.id == old)
            .values(updated_at=datetime.now(UTC) - timedelta(days=400))
        )
    assert storage.purge_conversations_older_than(0) == 0  # 0 = keep everything
    assert storage.purge_conversations_older_than(365) == 1
    assert [c["id"] for c in storage.list_conversations(owner="key:k_1")] == [fresh]
    assert storage.export_conversations("key:k_1")[0]["messages"] == []


OLD_SCHEMA = """
CREATE TABLE conversations (
    id VARCHAR(64) PRIMARY KEY,
    title TEXT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
)
"""


def _old_database(url: str) -> None:
    """A database as the previous release made it: conversations without an owner."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(OLD_SCHEMA))
        conn.execute(
            text(
                "INSERT INTO conversations (id, title, created_at, updated_at) "
                "VALUES ('c_old', 'Gammal fråga', :now, :now)"
            ),
            {"now": datetime.now(UTC)},
        )
    engine.dispose()


def _check_upgraded(url: str) -> None:
    storage = Storage(url)
    try:
        # the old conversation is kept, owned by "okänd": visible to no user, only to admins
        assert storage.conversation_owner("c_old") == "okänd"
        assert storage.list_conversations(owner="key:k_1") == []
        assert storage.list_conversations(owner="lokal") == []
        assert [c["id"] for c in storage.list_conversations(owner=None)] == ["c_old"]
        new = storage.new_conversation("ny", owner="key:k_1")
        storage.add_message(new, "user", "hej", owner="key:k_1")
        assert [c["id"] for c in storage.list_conversations(owner="key:k_1")] == [new]
    finally:
        storage.close()
    Storage(url).close()  # a second start finds the column and changes nothing


def test_old_sqlite_database_gets_owners(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    _old_database(url)
    _check_upgraded(url)


@pytest.mark.skipif(find_pg_bin() is None, reason="PostgreSQL (initdb, pg_ctl) saknas")
def test_old_postgresql_database_gets_owners() -> None:
    with postgres_cluster() as url:
        _old_database(url)
        _check_upgraded(url)
