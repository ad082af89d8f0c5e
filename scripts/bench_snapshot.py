"""Benchmark the in-process part of retrieval at 100k / 300k / 1M chunks, without Chroma.

What a process does with the snapshots (``assistant/retrieval_index.py``), measured at sizes the
Chroma bench (``bench_search.py``) cannot build on this machine in reasonable time:

* ``start``: map every segment from the local cache and combine them (no merged base cached yet),
  of it ``combine``; ``save``: writing the merged base to the cache (in the background);
* ``start base``: a new process's start when the merged base is cached: map the segments and it;
* ``+doc``: the update after a new 5 000-chunk document (a delta beside the base: the first query
  after an ingest); ``-doc``: then the update after one document is deleted (masked);
* BM25 top 60 (what hybrid search asks for with k = 15): ``p50 / p95`` by MaxScore on the base,
  ``full p95`` scoring every posting (the reference path), ``tiered p95`` by MaxScore on the index
  with the delta and the deleted document;
* the best-sentence stage over 60 candidates from the mapped float16 vectors, and the process's
  memory (``+anon``: what the mapped, combined segments added to its own memory; mapped files are
  shared page cache).

Documents of 5 000 synthetic chunks (sentences of the report, as in ``bench_search.py``), their
BM25 arrays built once per distinct text set (six) and their sentence-vector files hard-linked to
one random file per text set (the vectors do not change what is measured: only 60 chunks' rows are
read per query).

    python scripts/bench_snapshot.py [--sizes 100000 300000 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
from bench_search import PER_SOURCE, QUESTIONS, pct, report_sentences, rss

from assistant.retrieval_index import LAYOUT, Segment
from ingest.snapshots import SnapshotStore


def mapped(cache: SnapshotStore, versions: list[str]) -> list[Segment]:
    """The versions' segments, mapped from the local cache."""
    out = []
    for v in versions:
        got = cache.get("reports", v, LAYOUT)
        assert got is not None
        out.append(Segment(got, v))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 300000, 1000000])
    args = parser.parse_args()
    import random

    from assistant.retrieval import _Bm25Index
    from assistant.retrieval_index import (
        CombinedIndex,
        build_segment,
        chunk_columns,
        load_base,
        save_base,
    )
    from ingest.chunking import sentence_views
    from ingest.models import Chunk

    sentences = report_sentences()
    questions = [json.loads(x)["question"] for x in QUESTIONS.read_text().splitlines() if x.strip()]
    root = Path(tempfile.mkdtemp(prefix="bench-snapshot-"))
    try:
        cache = SnapshotStore(None, root / "cache")
        templates: list[tuple[list[Chunk], dict[str, np.ndarray]]] = []
        for t in range(6):
            rng = random.Random(t)
            chunks = []
            for i in range(PER_SOURCE):
                text = " ".join(rng.sample(sentences, 4))
                sec = f"{rng.randint(1, 8)}.{rng.randint(1, 4)}"
                chunks.append(
                    Chunk(f"t{t}-{i}", text, "x", "Syntetisk", 2000 + rng.randint(20, 25), sec,
                          f"Avsnitt {sec}", None, i * 10, i * 10 + len(text))
                )  # fmt: skip
            vecs = [
                np.random.default_rng(i).standard_normal((len(sentence_views(c)), 384))
                for i, c in enumerate(chunks)
            ]
            vecs = [v / np.linalg.norm(v, axis=1, keepdims=True) for v in vecs]
            templates.append((chunks, build_segment(chunks, vecs, 384)))
        print(
            f"{'chunks':>8} {'start s':>7} {'combine':>7} {'save s':>6} {'start base':>10} "
            f"{'+doc s':>6} {'-doc s':>6} {'top60 p50':>9} {'p95':>5} {'full p95':>8} "
            f"{'tiered p95':>10} {'sent p95':>8} {'RSS MB':>7} {'+anon MB':>8} {'disk MB/1k':>10}"
        )
        written = 0
        for n in args.sizes:
            docs = n // PER_SOURCE
            while written < docs:  # write the documents' snapshots into the local cache
                chunks, arrays = templates[written % 6]
                version = f"v{written:05d}"
                source = f"synt-{written:04d}.txt"
                own = [replace(c, id=f"{version}-{i}", source=source) for i, c in enumerate(chunks)]
                records = [json.dumps(asdict(c), ensure_ascii=False).encode() for c in own]
                mine = dict(arrays)
                mine.update(chunk_columns(own, records))
                vectors = mine.pop("sent_vectors")
                cache._write_local("reports", version, LAYOUT, mine)
                first = root / "cache" / "reports" / f"v{written % 6:05d}" / "sent_vectors.npy"
                if written < 6:
                    np.save(first, vectors)
                else:
                    os.link(first, root / "cache" / "reports" / version / "sent_vectors.npy")
                written += 1
            versions = [f"v{k:05d}" for k in range(docs)]
            base = rss()["RssAnon"]

            t0 = time.perf_counter()
            segments = mapped(cache, versions)
            t_map = time.perf_counter() - t0
            t1 = time.perf_counter()
            combined = CombinedIndex.build(segments)
            t_combine = time.perf_counter() - t1
            t1 = time.perf_counter()
            save_base(cache, "reports", combined)
            t_save = time.perf_counter() - t1
            del segments, combined
            t1 = time.perf_counter()
            segments = mapped(cache, versions)
            loaded = load_base(cache, "reports", segments)
            t_base = time.perf_counter() - t1
            assert loaded is not None
            index = _Bm25Index(loaded)
            t2 = time.perf_counter()
            extra = Segment(templates[0][1], "new")
            added = loaded.updated([*segments, extra])
            t_after = time.perf_counter() - t2
            t2 = time.perf_counter()
            tiered = _Bm25Index(added.updated([*segments[1:], extra]))
            t_delete = time.perf_counter() - t2
            bm, full, tier, sent = [], [], [], []
            qrng = np.random.default_rng(0)
            qvec = qrng.standard_normal(384).astype(np.float32)
            for q in questions * 2:
                t = time.perf_counter()
                top = index.search(q, 60, None)
                bm.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                loaded.top(index.query_terms(q), 60, exhaustive=True)
                full.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                tiered.search(q, 60, None)
                tier.append((time.perf_counter() - t) * 1000)
                picks = [i for i, _ in top[:30]] + list(qrng.integers(0, index.combined.n, 30))
                t = time.perf_counter()
                for i in picks:
                    got = index.combined.sentences(int(i))
                    if got is not None:
                        float(np.max(got[0] @ qvec))
                sent.append((time.perf_counter() - t) * 1000)
            mem = rss()
            disk = (
                sum(
                    f.stat().st_size
                    for v in versions[:6]
                    for f in (root / "cache" / "reports" / v).glob("*.npy")
                )
                / (min(6, docs) * PER_SOURCE / 1000)
                / 2**20
            )
            print(
                f"{n:>8} {t_map + t_combine:>7.2f} {t_combine:>7.2f} {t_save:>6.2f} "
                f"{t_base:>10.2f} {t_after:>6.2f} {t_delete:>6.2f} {statistics.median(bm):>9.1f} "
                f"{pct(bm, 95):>5.1f} {pct(full, 95):>8.1f} {pct(tier, 95):>10.1f} "
                f"{pct(sent, 95):>8.1f} {mem['VmRSS']:>7.0f} {mem['RssAnon'] - base:>8.0f} "
                f"{disk:>10.2f}",
                flush=True,
            )
            del segments, index, extra, loaded, added, tiered
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
