"""Retrieval ablations: the default ranking with and without each query-side aid.

Prints R@1 / R@5 per question set (and for its English questions) for the full default, without
the figure rule and without the Swedish keywords of English questions. Needs an ingested store
(``DIGI_DATA_DIR``; ``digirapport ingest`` first).

    python scripts/ablate_retrieval.py
"""

from __future__ import annotations

from pathlib import Path

import assistant.retrieval as retrieval
from web.services import Services
from web.settings import Settings

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "eval" / "retrieval_questions.jsonl"


def run(name: str, services: Services, questions: list[retrieval.EvalQuestion]) -> None:
    """Print one line of R@1 / R@5 per split for the current retrieval settings."""
    retriever = retrieval.HybridRetriever(services.store)
    parts = []
    for split in sorted({q.split for q in questions}):
        subset = [q for q in questions if q.split == split]
        res = retrieval.evaluate(retriever, subset, modes=("hybrid",))["hybrid"]
        english = [q for q in subset if q.lang == "en"]
        line = f"{split} R@1 {res['R@1']:.3f} R@5 {res['R@5']:.3f}"
        if english:
            en = retrieval.evaluate(retriever, english, modes=("hybrid",))["hybrid"]
            line += f" (en {len(english)}: {en['R@1']:.3f} / {en['R@5']:.3f})"
        parts.append(line)
    print(f"{name:<22} " + " | ".join(parts), flush=True)


def main() -> None:
    services = Services(Settings())
    questions = retrieval.load_questions(QUESTIONS)
    asks, keywords = retrieval.asks_for_figure, retrieval.swedish_keywords
    run("default", services, questions)
    retrieval.asks_for_figure = lambda query: False
    run("without figure rule", services, questions)
    retrieval.asks_for_figure = asks
    retrieval.swedish_keywords = lambda query: ""
    run("without sv keywords", services, questions)
    retrieval.swedish_keywords = keywords


if __name__ == "__main__":
    main()
