"""Tiered BM25 postings and exact top-k, on a synthetic corpus with a skewed term distribution.

A tiered index (a base, deltas beside it, deleted versions masked) scores like a full rebuild;
MaxScore's top k is sorting every score's; a merged base cached locally is mapped by a second
process, and one of another version set or layout is not used.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assistant.retrieval_index import (
    BASE_LAYOUT,
    LAYOUT,
    CombinedIndex,
    Segment,
    base_name,
    build_segment,
    load_base,
    save_base,
)
from ingest.models import Chunk
from ingest.snapshots import SnapshotStore
from tests.postgres_util import REPO

#: Made-up words (no stopwords, distinct stems): a few common, most rare (Zipf).
_SYLLABLES = ["ka", "lo", "mi", "ru", "se", "to", "vy", "bä", "nö", "gri"]
WORDS = sorted({a + b + c for a in _SYLLABLES for b in _SYLLABLES for c in ("rd", "nk", "st")})
_ZIPF = np.array([1.0 / (i + 1) for i in range(len(WORDS))])


def _text(rng: np.random.Generator, n: int) -> str:
    picks = rng.choice(len(WORDS), size=n, p=_ZIPF / _ZIPF.sum())
    return " ".join(WORDS[i] for i in picks)


def _chunks(name: str, count: int, seed: int) -> list[Chunk]:
    """A document of ``count`` chunks; every tenth repeats the one before (equal scores)."""
    rng = np.random.default_rng(seed)
    out: list[Chunk] = []
    for i in range(count):
        repeat = i % 10 == 9
        text = out[-1].text if repeat else _text(rng, int(rng.integers(8, 60)))
        sec = out[-1].section if repeat else f"{i % 4 + 1}.{i % 3 + 1}"
        title = out[-1].section_title if repeat else f"Avsnitt {WORDS[(seed + i) % 40]}"
        out.append(
            Chunk(f"{name}-{i:03d}", text, f"{name}.txt", name, 2020 + seed % 3, sec, title, None,
                  i * 100, i * 100 + len(text))
        )  # fmt: skip
    return out


def _segment(chunks: list[Chunk], version: str) -> Segment:
    return Segment(build_segment(chunks, [None] * len(chunks), 8), version)


@pytest.fixture(scope="module")
def segments() -> dict[str, Segment]:
    """Four versions of 120 chunks; ``a2`` is ``a`` again with other texts (the same chunk ids)."""
    docs = {name: _chunks(name, 120, seed) for seed, name in enumerate("abcd")}
    rng = np.random.default_rng(9)
    docs["a2"] = [replace(c, text=_text(rng, 30)) for c in docs["a"]]
    return {name: _segment(chunks, f"v-{name}") for name, chunks in docs.items()}


def _queries(index: CombinedIndex, count: int, seed: int = 0) -> list[dict[str, float]]:
    """Random weighted queries of 1–6 terms, common and rare (and one never indexed)."""
    rng = random.Random(seed)
    terms = sorted(index.vocab, key=index.vocab.__getitem__)
    out = []
    for _ in range(count):
        picked = rng.sample(terms, rng.randint(1, 6))
        query = {t: rng.choice([1.0, 1.0, 0.5, 1.5]) for t in picked}
        if rng.random() < 0.1:
            query["okäntord"] = 1.0
        out.append(query)
    return out


def _by_id(index: CombinedIndex, weights: dict[str, float]) -> dict[str, float]:
    """Every live chunk's non-zero score by chunk id (the full-scoring path)."""
    scores = index.scores(weights)
    if scores is None:
        return {}
    live = np.ones(index.size, bool) if index.alive is None else index.alive
    return {index.chunk_id(int(i)): float(scores[i]) for i in np.flatnonzero(live & (scores > 0))}


def _assert_same_scores(got: CombinedIndex, want: CombinedIndex) -> None:
    assert got.n == want.n and abs(got.avgdl - want.avgdl) <= 1e-12
    for weights in _queries(want, 60):
        a, b = _by_id(got, weights), _by_id(want, weights)
        assert a.keys() == b.keys(), weights
        assert all(abs(a[c] - b[c]) <= 1e-9 for c in b), weights
        top = [(got.chunk_id(i), s) for i, s in got.top(weights, 10)]
        ref = [(want.chunk_id(i), s) for i, s in want.top(weights, 10)]
        assert [c for c, _ in top] == [c for c, _ in ref], weights
        assert np.allclose([s for _, s in top], [s for _, s in ref], rtol=0, atol=1e-9)


def test_tiered_scores_equal_a_full_rebuild_after_ingest_delete_and_merge(
    segments: dict[str, Segment],
) -> None:
    a, b, c, d, a2 = (segments[k] for k in ("a", "b", "c", "d", "a2"))
    base = CombinedIndex.build([a, b, c])

    ingested = base.updated([a, b, c, d])  # a new version: a delta beside the base
    assert len(ingested.tiers) == 2 and ingested.alive is None
    _assert_same_scores(ingested, CombinedIndex.build([a, b, c, d]))

    deleted = ingested.updated([b, c, d])  # a deleted version: its rows masked
    assert len(deleted.tiers) == 2 and deleted.dead == {0}
    assert deleted.size == 480 and deleted.n == 360
    _assert_same_scores(deleted, CombinedIndex.build([b, c, d]))
    assert "a-001" not in deleted.by_id and deleted.by_id["b-001"] == 121
    assert deleted.needs_merge()  # 120 delta rows and 120 deleted ones over a base of 360

    replaced = deleted.updated([a2, b, c, d])  # a version again, under the same chunk ids
    assert replaced.by_id["a-001"] == 481  # the new row, not the masked one
    _assert_same_scores(replaced, CombinedIndex.build([a2, b, c, d]))

    merged = CombinedIndex.build(replaced.live_segments())
    assert len(merged.tiers) == 1 and merged.alive is None and not merged.needs_merge()
    _assert_same_scores(merged, CombinedIndex.build([a2, b, c, d]))
    assert merged.updated(merged.live_segments()) is merged  # nothing changed


def _sorted_top(
    index: CombinedIndex, weights: dict[str, float], k: int, mask: np.ndarray | None
) -> list[tuple[int, float]]:
    """The reference: every score, sorted by (-score, chunk id)."""
    scores = index.scores(weights)
    if scores is None:
        return []
    ok = scores > 0
    if mask is not None:
        ok &= mask
    rows = sorted(np.flatnonzero(ok).tolist(), key=lambda i: (-scores[i], index.chunk_id(i)))
    return [(i, float(scores[i])) for i in rows[:k]]


@pytest.mark.parametrize("k", [1, 10, 60])
def test_top_k_equals_sorting_every_score(segments: dict[str, Segment], k: int) -> None:
    a, b, c, d = (segments[x] for x in "abcd")
    plain = CombinedIndex.build([a, b, c, d])
    tiered = CombinedIndex.build([c, b]).updated([c, b, a]).updated([b, a, d])  # rows: c b a d
    rng = np.random.default_rng(k)
    pruned = 0
    for index in (plain, tiered):
        for n, weights in enumerate(_queries(index, 150, seed=k)):
            mask = rng.random(index.size) < 0.5 if n % 3 == 0 else None
            want = _sorted_top(index, weights, k, mask)
            for exhaustive in (False, True):
                got = index.top(weights, k, mask, exhaustive=exhaustive)
                assert [i for i, _ in got] == [i for i, _ in want], (weights, exhaustive)
                assert all(abs(s - w) <= 1e-9 for (_, s), (_, w) in zip(got, want, strict=True))
            terms = index._terms(weights)
            found, _ = index._maxscore(terms, k, index.allowed(mask))
            scores = index.scores(weights)
            pruned += scores is not None and found.size < np.count_nonzero(scores > 0)
    assert pruned > 20  # MaxScore left rows unscored in many queries


def test_a_merged_base_of_other_versions_or_layout_is_not_used(
    tmp_path: Path, segments: dict[str, Segment]
) -> None:
    cache = SnapshotStore(None, tmp_path / "cache")
    current = [segments[x] for x in "abc"]
    save_base(cache, "reports", CombinedIndex.build(current))
    mapped = load_base(cache, "reports", current)
    assert mapped is not None and mapped.tiers[0].rows.base is not None  # a view of the file
    _assert_same_scores(mapped, CombinedIndex.build(current))

    # Another set of versions: its base is missing (the caller builds one).
    assert load_base(cache, "reports", current[:2]) is None
    assert load_base(cache, "reports", [*current, segments["d"]]) is None
    # A tiered index is not cached (only a merged base is).
    save_base(cache, "reports", CombinedIndex.build(current[:2]).updated(current))
    assert len(list((tmp_path / "cache/reports/.derived").iterdir())) == 1

    # A base written by an older build (another layout): removed, not trusted.
    folder = tmp_path / "cache" / "reports" / ".derived" / base_name([s.version for s in current])
    (folder / "layout.txt").write_text(BASE_LAYOUT.replace("base-1", "base-0"), encoding="utf-8")
    assert load_base(cache, "reports", current) is None
    assert not folder.exists()

    # A base under these versions' name that holds others (a stray copy): not used either.
    save_base(cache, "reports", CombinedIndex.build(current[:2]))
    other = tmp_path / "cache/reports/.derived" / base_name([s.version for s in current[:2]])
    other.rename(folder)
    assert load_base(cache, "reports", current) is None


#: A second process: maps the cached segments and their merged base, answers the queries.
SECOND_PROCESS = """
import json, sys
from pathlib import Path
from assistant.retrieval_index import LAYOUT, Segment, load_base
from ingest.snapshots import SnapshotStore
cache = SnapshotStore(None, Path(sys.argv[1]))
segments = [Segment(cache.get("reports", v, LAYOUT), v) for v in json.loads(sys.argv[2])]
index = load_base(cache, "reports", segments)
hits = [
    [[index.chunk_id(i), s] for i, s in index.top(w, 10)] for w in json.loads(sys.argv[3])
]
print(json.dumps({"mapped": index is not None, "hits": hits}))
"""


def test_a_second_process_maps_the_merged_base(
    tmp_path: Path, segments: dict[str, Segment]
) -> None:
    cache = SnapshotStore(None, tmp_path / "cache")
    docs = {name: _chunks(name, 120, seed) for seed, name in enumerate("abc")}
    current = []
    for name, chunks in docs.items():
        arrays = build_segment(chunks, [None] * len(chunks), 8)
        cache._write_local("reports", f"v-{name}", LAYOUT, arrays)
        current.append(Segment(arrays, f"v-{name}"))
    merged = CombinedIndex.build(current)
    save_base(cache, "reports", merged)
    queries = _queries(merged, 40, seed=5)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", SECOND_PROCESS, str(tmp_path / "cache"),
         json.dumps([s.version for s in reversed(current)]), json.dumps(queries)],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["mapped"]
    for weights, hits in zip(queries, got["hits"], strict=True):
        want = [[merged.chunk_id(i), s] for i, s in merged.top(weights, 10)]
        assert [h[0] for h in hits] == [h[0] for h in want], weights
        assert all(abs(h[1] - w[1]) <= 1e-9 for h, w in zip(hits, want, strict=True))
