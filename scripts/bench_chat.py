"""Benchmark the chat: offline answer latency, and what the chat adds beyond the model.

1. Offline: every question of data/eval/chat_questions.jsonl answered ``--rounds`` times by the
   offline responder (real retriever over the ingested report, real index engine); prints p50/p95.
2. Model overhead: a scripted fake model server (a real HTTP server speaking the chat-completions
   protocol; one tool-call round, then a streamed answer). The same two model calls are timed
   alone (the model's share) and inside ``Assistant.chat`` (tools, grounding, SQLite conversation
   store and audit included); the difference is what the chat adds.

Usage: python scripts/bench_chat.py [--rounds 3] [--runs 30]
(uses DIGI_DATA_DIR's store; the bundled report is ingested there first when it is empty)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.llm import OpenAIChatModel, build_openai_client  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.storage import Storage  # noqa: E402
from tests.assistant.fake_openai import FakeOpenAIServer  # noqa: E402
from web.services import Services  # noqa: E402
from web.settings import Settings  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    services = Services(Settings())
    if not services.store.list_documents():
        print("ingesting the bundled corpus …", flush=True)
        services.store.ingest_paths([services.settings.corpus_dir])
    questions = [
        json.loads(line)
        for line in (REPO / "data/eval/chat_questions.jsonl").read_text("utf-8").splitlines()
        if line.strip()
    ]
    offline = Assistant(
        dataset=services.dataset,
        retriever=services.retriever,
        storage=None,
        chat_model=None,
        classifier_factory=None,
        max_rounds=5,
        max_question_chars=2000,
    )
    offline.chat("Vad blev indexet 2025?", persist=False)  # warm up (engine caches, embedder)
    times: list[float] = []
    cpu: list[float] = []
    by_kind: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for item in questions:
            history = [{"role": "user", "content": q} for q in item.get("history", [])]
            t0, c0 = time.perf_counter(), time.process_time()
            offline.chat(item["question"], history=history, persist=False)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            cpu.append((time.process_time() - c0) * 1000)
            by_kind.setdefault(item.get("kind", "other"), []).append(ms)
    print(
        f"offline answers: n={len(times)} p50={pct(times, 50):.1f} ms "
        f"p95={pct(times, 95):.1f} ms max={max(times):.1f} ms (wall clock)"
    )
    print(
        f"offline answers, CPU time of this process (all threads): p50={pct(cpu, 50):.1f} ms "
        f"p95={pct(cpu, 95):.1f} ms; load average now {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  {kind:10s} n={len(values):3d} p50={pct(values, 50):7.1f} ms "
            f"p95={pct(values, 95):7.1f} ms"
        )

    server = FakeOpenAIServer().start()
    try:
        client = build_openai_client(server.base_url, None, 10.0, max_retries=0)
        model = OpenAIChatModel(client, "fake-model", 300)
        answer = "Digitaliseringsindex 2025 blev 8,2 enligt indexmotorn."
        steps = (
            {"tool_calls": [{"name": "get_index", "arguments": {"year": 2025}}]},
            {"content": answer},
        )
        db = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        storage = Storage(f"sqlite:///{db}")
        chat = Assistant(
            dataset=services.dataset,
            retriever=services.retriever,
            storage=storage,
            chat_model=model,
            classifier_factory=None,
            max_rounds=5,
            max_question_chars=2000,
        )
        messages = [{"role": "user", "content": "Vad blev indexet 2025?"}]
        tools = chat.tools.schemas()
        model_only: list[float] = []
        full: list[float] = []
        for i in range(args.runs + 3):
            server.script(*steps)
            t0 = time.perf_counter()
            for _ in model.stream(messages, tools, "auto"):
                pass
            for _ in model.stream(messages, tools, "auto"):
                pass
            t_model = time.perf_counter() - t0
            server.script(*steps)
            t0 = time.perf_counter()
            result = chat.chat("Vad blev indexet 2025?")
            t_full = time.perf_counter() - t0
            assert result.mode == "llm" and not result.warnings, result
            if i >= 3:  # warm-up
                model_only.append(t_model * 1000)
                full.append(t_full * 1000)
        overhead = [f - m for f, m in zip(full, model_only, strict=True)]
        print(
            "model loop (fake server, 2 model calls): "
            f"model alone p50={statistics.median(model_only):.1f} ms, "
            f"chat p50={statistics.median(full):.1f} ms, "
            f"added by the chat p50={statistics.median(overhead):.1f} ms "
            f"p95={pct(overhead, 95):.1f} ms"
        )
        storage.close()
    finally:
        server.stop()
        services.close()


if __name__ == "__main__":
    main()
