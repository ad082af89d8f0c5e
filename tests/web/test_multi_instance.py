"""Two real API processes against one ``chroma run`` server and one PostgreSQL.

What a load-balanced deployment needs: a conversation started on one process continues on the
other, a document uploaded through one is searchable through the other, keys created or revoked
in one take effect in the other at once, and both write one audit log.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from tests.postgres_util import api_servers, chroma_server, postgres_cluster, report_part

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ADMIN_KEY = "dgr_multi-instance-admin-key-0123456789abcdef"


def test_two_processes_share_conversations_documents_keys_and_audit(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = report_part(docs, 0, 260, "rapport-2025-inledning.txt")
    with postgres_cluster() as db_url, chroma_server(tmp_path / "chroma") as chroma_url:
        common = {
            "DIGI_CHROMA_URL": chroma_url,
            "DIGI_DATABASE_URL": db_url,
            "DIGI_AUTH": "on",
            "DIGI_ADMIN_KEY": ADMIN_KEY,
            "DIGI_RATE_LIMIT_PER_MINUTE": "0",
        }
        envs = [{**common, "DIGI_DATA_DIR": str(tmp_path / name)} for name in ("a", "b")]
        with api_servers(envs, tmp_path) as (url_a, url_b):
            admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
            a = httpx.Client(base_url=url_a, timeout=120)
            b = httpx.Client(base_url=url_b, timeout=120)
            for client in (a, b):
                health = client.get("/healthz").json()
                assert health["status"] == "ok" and health["store"] == "server"
                assert client.get("/api/documents").status_code == 401

            # Both processes bootstrapped DIGI_ADMIN_KEY at the same time: stored exactly once.
            keys = b.get("/api/admin/keys", headers=admin).json()["keys"]
            assert [k["role"] for k in keys] == ["admin"]

            # A key created on A works on B.
            r = a.post("/api/admin/keys", headers=admin, json={"name": "Läsare", "role": "reader"})
            assert r.status_code == 201, r.text
            reader_id, reader = r.json()["id"], {"X-API-Key": r.json()["key"]}
            assert b.get("/api/documents", headers=reader).status_code == 200

            # A document uploaded through A (editor rights: the admin key) is found through B.
            with doc.open("rb") as fh:
                r = a.post(
                    "/api/documents", headers=admin, files={"file": (doc.name, fh, "text/plain")}
                )
            assert r.status_code == 200, r.text
            assert r.json()["status"] == "added" and r.json()["chunks"] > 0
            listed = b.get("/api/documents", headers=reader).json()["documents"]
            assert [d["source"] for d in listed] == [doc.name]
            hits = b.get(
                "/api/search", headers=reader, params={"q": "digitaliseringsindex", "k": 3}
            )
            assert hits.status_code == 200 and hits.json()["hits"]
            assert {h["source"] for h in hits.json()["hits"]} == {doc.name}

            # A conversation started on A continues on B.
            r = a.post(
                "/api/chat", headers=reader, json={"message": "Vad är digitaliseringsindex 2025?"}
            )
            assert r.status_code == 200, r.text
            cid = r.json()["conversation_id"]
            r = b.post(
                "/api/chat",
                headers=reader,
                json={"message": "Och vad säger rapporten om AI?", "conversation_id": cid},
            )
            assert r.status_code == 200, r.text
            assert r.json()["conversation_id"] == cid
            conv = a.get(f"/api/conversations/{cid}", headers=reader).json()
            assert [m["role"] for m in conv["messages"]] == [
                "user",
                "assistant",
                "user",
                "assistant",
            ]
            assert conv["messages"][0]["content"] == "Vad är digitaliseringsindex 2025?"
            assert conv["messages"][2]["content"] == "Och vad säger rapporten om AI?"
            assert cid in {
                c["id"] for c in b.get("/api/conversations", headers=reader).json()["conversations"]
            }

            # Revoked on B: refused by A at once.
            assert b.delete(f"/api/admin/keys/{reader_id}", headers=admin).status_code == 200
            assert a.get("/api/documents", headers=reader).status_code == 401

            # One audit log: both questions, with the reader's key id, whichever process answered.
            r = a.get("/api/admin/audit.csv", headers=admin)
            assert r.status_code == 200
            rows = list(csv.DictReader(io.StringIO(r.text)))
            chats = [row for row in rows if row["event"] == "chat"]
            assert [row["question"] for row in chats] == [
                "Vad är digitaliseringsindex 2025?",
                "Och vad säger rapporten om AI?",
            ]
            assert {row["key_id"] for row in chats} == {reader_id}
            assert all(row["answer"] and row["mode"] == "offline" for row in chats)
            uploads = [
                row for row in rows if row["event"] == "request" and "/api/documents" in row["data"]
            ]
            assert uploads and all(row["key_id"] == keys[0]["id"] for row in uploads)
            a.close()
            b.close()


def test_processes_starting_together_create_the_tables_once() -> None:
    # Without the advisory lock, concurrent CREATE TABLE on a fresh database fails in one of them.
    from concurrent.futures import ThreadPoolExecutor

    from assistant.storage import Storage

    with postgres_cluster() as db_url, ThreadPoolExecutor(6) as pool:
        stores = list(pool.map(lambda _: Storage(db_url), range(6)))
        record, key = stores[0].create_api_key("a", "admin")
        assert all(s.find_api_key(key)["id"] == record["id"] for s in stores)  # type: ignore[index]
        for s in stores:
            s.close()
