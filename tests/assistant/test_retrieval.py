"""Hybrid retrieval on the real report, Swedish text helpers, filters and thread safety."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from assistant.lang.text import analyse, split_compound, stem, words
from assistant.retrieval import (
    HybridRetriever,
    asks_for_figure,
    has_figure,
    section_matches,
    swedish_keywords,
)
from ingest.models import Chunk
from ingest.store import SENTENCES, Store
from tests.ingest.helpers import REPORT_SOURCE, open_copy


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return open_copy(tmp_path_factory.mktemp("retrieval") / "data")


@pytest.fixture(scope="module")
def retriever(store: Store) -> HybridRetriever:
    return HybridRetriever(store)


def test_numbers_are_tokens() -> None:
    assert words("Index 8,2 och 64,5% samt 64.5 % och 1 234,5 kr") == [
        "index", "8,2", "och", "64,5", "64,5%", "samt", "64,5", "64,5%", "och", "1234,5", "kr",
    ]  # fmt: skip
    assert "8,2" in analyse("indexet blev 8,2")
    assert analyse("Mätningen och medarbetarna") == ["mätning", "medarbet"]


def test_compound_split_uses_known_words() -> None:
    vocab = {stem(w) for w in ("digitalisering", "index", "mognad", "mätning")}
    assert split_compound("digitaliseringsindex", vocab) == ["digitalisering", "index"]
    assert split_compound("mognadsmätningen", vocab) == [stem("mognad"), "mätning"]
    assert split_compound("kommunstyrelsen", vocab) == []


def test_section_matching() -> None:
    assert section_matches("5.4.1", "5.4") and section_matches("5.4", "5.4.")
    assert not section_matches("5.41", "5.4") and not section_matches("15", "5")


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("Vad blev årets sammanlagda digitaliseringsindex?", "4.1"),
        ("Hur många mottagare fick mognadsenkäten och hur många svarade?", "5.4.1"),
        ("Hur skattar medarbetarna sina digitala stöd? 3,72", "5.2.2"),
        ("Vilken nytta har robotar gett i äldreomsorgen?", "6.2"),
        ("How is the AI transformation going to be funded?", "8.2.2"),
        ("Ska AI användas i skolan?", "8.4.1"),
    ],
)
def test_right_section_in_top_three(
    retriever: HybridRetriever, question: str, section: str
) -> None:
    hits = retriever.search(question, k=3)
    assert section in [h.section for h in hits], [(h.section, h.text[:60]) for h in hits]


def test_hits_carry_metadata(retriever: HybridRetriever) -> None:
    hit = retriever.search("8,2", k=1, mode="bm25")[0]
    assert hit.source == REPORT_SOURCE and hit.year == 2025 and "8,2" in hit.text
    assert hit.title and hit.section_title and hit.chunk_id and hit.score > 0


def test_modes_and_filters(retriever: HybridRetriever) -> None:
    for mode in ("bm25", "dense", "hybrid"):
        hits = retriever.search("digital mognad", k=4, section="5", mode=mode)
        assert hits and all(section_matches(h.section, "5") for h in hits), mode
        assert retriever.search("digital mognad", k=3, year=2019, mode=mode) == []
        assert retriever.search("digital mognad", k=3, source="annan.pdf", mode=mode) == []
    assert len(retriever.search("digital mognad", k=3, year=2025)) == 3
    assert retriever.search("", k=3) == []


def test_bm25_follows_the_store_without_reading_records(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    retriever = HybridRetriever(store)
    assert retriever.search("zebralagret", k=3, mode="bm25") == []
    read: list[str] = []
    version_chunks = store.version_chunks

    def counting(collection: str, version: str) -> list[Chunk]:
        read.append(version)
        return version_chunks(collection, version)

    store.version_chunks = counting  # type: ignore[method-assign]
    before = set(store.current_versions())
    extra = tmp_path / "zebra-2026.md"
    extra.write_text("## 1. Zebralagret\n\nZebralagret byggs om under 2026.\n", encoding="utf-8")
    store.ingest_file(extra)
    hits = retriever.search("zebralagret", k=3, mode="bm25")
    # nothing is read from the store: ingest wrote the new version's segment (its snapshot), the
    # report's is kept in memory
    assert read == [] and len(set(store.current_versions()) - before) == 1
    assert retriever.search("Zebralagret byggs om", k=1)[0].source == "zebra-2026.md"
    assert [h.source for h in hits] == ["zebra-2026.md"] and hits[0].year == 2026
    assert retriever.search("zebralagret", k=1, year=2026)[0].source == "zebra-2026.md"
    store.delete_document("zebra-2026.md")
    assert retriever.search("zebralagret", k=3, mode="bm25") == []


def test_a_version_read_while_it_changes_is_read_again(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    version_chunks = store.version_chunks
    cut = [1]

    def partial(collection: str, version: str) -> list[Chunk]:
        chunks = version_chunks(collection, version)
        if cut[0]:  # the first read misses a chunk, as when the version is deleted meanwhile
            cut[0] -= 1
            return chunks[:-1]
        return chunks

    store.version_chunks = partial  # type: ignore[method-assign]
    retriever = HybridRetriever(store)
    assert retriever._index("reports").bm25.combined.n == store.count() - 1
    store._bump_generation()
    assert retriever._index("reports").bm25.combined.n == store.count()


def test_dense_candidates_are_current_chunks_only(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    retriever = HybridRetriever(store)
    calls: list[str] = []
    dense_query = store.dense_query

    def counting(*args: Any, **kwargs: Any) -> list[tuple[Chunk, float]]:
        calls.append("dense_query")
        return dense_query(*args, **kwargs)

    store.dense_query = counting  # type: ignore[method-assign]
    question = "Hur många mottagare fick mognadsenkäten?"
    before = retriever.search(question, k=5, mode="dense")
    assert len(before) == 5 and calls == []  # ids from Chroma, chunks from memory
    # records of a version that never became current (as a crashed write leaves them): a copy
    # of every chunk, so they crowd the nearest list
    coll = store.collection("reports")
    got = coll.get(include=["embeddings", "documents", "metadatas"])
    coll.add(
        ids=[f"stale-{i}" for i in got["ids"]],
        embeddings=got["embeddings"],
        documents=got["documents"],
        metadatas=[{**m, "version": "stale"} for m in got["metadatas"]],
    )
    after = retriever.search(question, k=5, mode="dense")
    assert calls == ["dense_query"]  # asked again with the version filter
    assert [h.chunk_id for h in after] == [h.chunk_id for h in before]


def test_concurrent_searches(retriever: HybridRetriever) -> None:
    questions = ["digitaliseringsindex", "svarsfrekvens", "AI i skolan", "nyttoregister"] * 5
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda q: retriever.search(q, k=2), questions))
    assert all(len(r) == 2 for r in results)
    assert results[0] == results[4]


def test_search_reads_sentence_vectors_from_the_store(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    calls: list[int] = []
    embed = store.embedder.embed_documents

    def counting(texts: Sequence[str]) -> list[list[float]]:
        calls.append(len(texts))
        return embed(texts)

    store.embedder.embed_documents = counting  # type: ignore[method-assign]
    try:
        retriever = HybridRetriever(store)
        hits = retriever.search("Hur många mottagare fick mognadsenkäten?", k=3)
        assert hits[0].section == "5.4.1", [(h.section, h.text[:60]) for h in hits]
        assert calls == []  # ingest stored every sentence vector: mapped from the snapshot
        assert not retriever._sentences  # nothing embedded, so nothing cached
        assert retriever.search("Hur många mottagare fick mognadsenkäten?", k=3) == hits
        # a store written by an older build has no sentence vectors (and no snapshot): the
        # candidates' sentences are embedded once, then cached
        store.collection("reports" + SENTENCES).delete(where={"source": REPORT_SOURCE})
        for version in store.current_versions("reports"):
            store.snapshots.drop("reports", version)
        fresh = HybridRetriever(store)
        again = fresh.search("Hur många mottagare fick mognadsenkäten?", k=3)
        assert [h.chunk_id for h in again] == [h.chunk_id for h in hits]
        # the same vectors up to float rounding (batching differs from ingest)
        assert [h.score for h in again] == pytest.approx([h.score for h in hits], abs=1e-3)
        cached = len(fresh._sentences)
        assert calls and cached >= 20 and sum(calls) >= cached
        embedded = sum(calls)
        assert fresh.search("Hur många mottagare fick mognadsenkäten?", k=3) == again
        assert sum(calls) == embedded
    finally:
        del store.embedder.embed_documents


def test_query_side_aids() -> None:
    keywords = swedish_keywords("What was the response rate of the digital maturity survey?")
    assert {"svar", "mognad", "mätning"} <= set(keywords.split())
    assert "the" not in keywords.split()
    assert swedish_keywords("Hur hög var svarsfrekvensen i mognadsmätningen?") == ""
    assert asks_for_figure("Hur stor andel svarade på enkäten?")
    assert asks_for_figure("How many people answered the survey?")
    assert not asks_for_figure("Vad betyder förmågeväxling?")
    assert has_figure("Svarsfrekvensen var 64,5%.") and has_figure("Indexet blev 8,2.")
    assert has_figure("Mätningen gick till 220 mottagare.")
    assert not has_figure("Under 2025 införde vi ett nytt system.")


def test_english_question_finds_the_swedish_passage(retriever: HybridRetriever) -> None:
    hits = retriever.search("How many people received the maturity survey?", k=3)
    assert "5.4.1" in [h.section for h in hits], [(h.section, h.text[:60]) for h in hits]


def test_a_caller_gets_no_passage_above_their_clearance(tmp_path: Path) -> None:
    from assistant.access import LOCAL, Caller, current_caller
    from ingest.models import SecurityLevel

    store = open_copy(tmp_path / "data")
    retriever = HybridRetriever(store)
    secret = tmp_path / "lonelistor-2026.md"
    secret.write_text(
        "## 1. Lönelistor\n\nLönelistorna för förvaltningen digitaliseras under 2026.\n",
        encoding="utf-8",
    )
    store.ingest_file(secret, level=SecurityLevel.KANSLIG)
    reader = Caller("key:k_r", "reader", SecurityLevel.INTERN, "key")
    token = current_caller.set(reader)
    try:
        for mode in ("hybrid", "bm25", "dense"):
            for k in (1, 5, 50):
                hits = retriever.search("lönelistorna digitaliseras", k=k, mode=mode)  # type: ignore[arg-type]
                assert all(h.source != secret.name for h in hits), (mode, k)
        assert retriever.search("lönelistorna", k=5, source=secret.name) == []
    finally:
        current_caller.reset(token)
    assert current_caller.get() is LOCAL  # outside a request: the local user sees everything
    assert retriever.search("lönelistorna digitaliseras", k=1)[0].source == secret.name
    assert {d["source"]: d["level"] for d in store.list_documents(SecurityLevel.INTERN)}.get(
        secret.name
    ) is None
    assert [d["level"] for d in store.list_documents() if d["source"] == secret.name] == ["känslig"]
    # a changed level is a new version (the chunks carry the level), not "unchanged"
    assert store.ingest_file(secret, level=SecurityLevel.INTERN).status == "replaced"
    token = current_caller.set(reader)
    try:
        assert retriever.search("lönelistorna digitaliseras", k=1)[0].source == secret.name
    finally:
        current_caller.reset(token)


def test_a_sections_text_and_the_restorer_come_from_the_current_documents(
    retriever: HybridRetriever,
) -> None:
    text = retriever.section_text(REPORT_SOURCE, "6.3")
    assert "Framtidsfonder" in text and text.index("Smart stad") < text.index("Datadriven kommun")
    assert retriever.section_text(REPORT_SOURCE, "99") == ""
    assert retriever.section_text("saknas.txt", "6.3") == ""
    restore = retriever.restorer().restore
    assert restore("skydda kanslig data") == "skydda känslig data"
    assert restore("vad ar indexet") == "vad ar indexet"  # short words: the parser's restorer
    # a caller cleared below the report's level (intern here) borrows none of its words
    from assistant.access import Caller, current_caller
    from ingest.models import SecurityLevel

    token = current_caller.set(Caller("key:x", "reader", SecurityLevel.OPPEN, "key"))
    try:
        assert retriever.restorer().restore("kanslig") == "kanslig"
    finally:
        current_caller.reset(token)


def test_a_question_is_embedded_in_one_written_form(retriever: HybridRetriever) -> None:
    from assistant.retrieval import canonical_question

    assert canonical_question("  vad ska vi  prioritera ") == "Vad ska vi prioritera?"
    assert canonical_question("Vad ska vi prioritera.") == "Vad ska vi prioritera."
    typed = retriever.search("vad ska vi prioritera framöver", k=3, mode="dense")
    written = retriever.search("Vad ska vi prioritera framöver?", k=3, mode="dense")
    assert [h.chunk_id for h in typed] == [h.chunk_id for h in written]
