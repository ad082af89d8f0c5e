"""Benchmark the in-process part of retrieval at 100k / 300k / 1M chunks, without Chroma.

What a process does with the snapshots (``assistant/retrieval_index.py``), measured at sizes the
Chroma bench (``bench_search.py``) cannot build on this machine in reasonable time: map every
segment from the local cache and combine them (start), one combine more after a new 5 000-chunk
document (the first query after an ingest), BM25 over the combined postings, the best-sentence
stage over 60 candidates from the mapped float16 vectors, and the process's memory (``+anon``:
what the mapped, combined segments added to its own memory; mapped files are shared page cache).

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100000, 300000, 1000000])
    args = parser.parse_args()
    import random

    from assistant.retrieval import _Bm25Index
    from assistant.retrieval_index import (
        LAYOUT,
        CombinedIndex,
        Segment,
        build_segment,
        chunk_columns,
    )
    from ingest.chunking import sentence_views
    from ingest.models import Chunk
    from ingest.snapshots import SnapshotStore

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
            f"{'chunks':>8} {'start s':>7} {'combine s':>9} {'after ingest s':>14} "
            f"{'bm25 p50':>8} {'bm25 p95':>8} {'sent p95':>8} {'RSS MB':>7} {'+anon MB':>8} "
            f"{'disk MB/1k':>10}"
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
            segments = []
            for v in versions:
                got = cache.get("reports", v, LAYOUT)
                assert got is not None
                segments.append(Segment(got))
            t_map = time.perf_counter() - t0
            vocab: dict[str, int] = {}
            t1 = time.perf_counter()
            index = _Bm25Index(CombinedIndex(segments, vocab))
            t_combine = time.perf_counter() - t1
            t2 = time.perf_counter()
            extra = Segment(templates[0][1])
            _Bm25Index(CombinedIndex([*segments, extra], vocab))
            t_after = time.perf_counter() - t2
            bm, sent = [], []
            qrng = np.random.default_rng(0)
            qvec = qrng.standard_normal(384).astype(np.float32)
            for q in questions * 2:
                t = time.perf_counter()
                top = index.search(q, 30, None)
                bm.append((time.perf_counter() - t) * 1000)
                picks = [i for i, _ in top] + list(qrng.integers(0, index.combined.n, 30))
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
                f"{n:>8} {t_map + t_combine:>7.2f} {t_combine:>9.2f} {t_after:>14.2f} "
                f"{statistics.median(bm):>8.1f} {pct(bm, 95):>8.1f} {pct(sent, 95):>8.1f} "
                f"{mem['VmRSS']:>7.0f} {mem['RssAnon'] - base:>8.0f} {disk:>10.2f}",
                flush=True,
            )
            del segments, index, extra
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
