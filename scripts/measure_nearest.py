"""Choose the embedder similarity at which the offline chat quotes the nearest passage.

    python scripts/measure_nearest.py [--json]

When no sentence window covers a question lexically, the offline answer either says it found
nothing or quotes the top hit's nearest sentences with a hedge (``NEAREST_SIMILARITY`` in
``assistant/offline/quotes.py``). This prints, for the answerable text and method questions of
the development sets (positives; the blind sets are never read) and the off-topic questions of
``data/eval/offtopic_questions.txt`` (negatives), how many no window covers and how many of those
reach each threshold. Needs the bundled report ingested (``DIGI_DATA_DIR``).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from assistant.offline.quotes import NEAREST_HITS, NEAREST_SIMILARITY, choose_quotes
from web.bundled import PROJECT_ROOT
from web.cli._app import services_for

EVAL = PROJECT_ROOT / "data" / "eval"
DEV_SETS = ("chat_dev_*.jsonl", "chat_questions.jsonl", "chat_heldout_*.jsonl")
#: Former blind sets whose failures were read after their runs (development sets now).
FORMER_BLIND = ("2026c", "2026d", "2026e", "2026f", "2026g")


def positives() -> list[str]:
    """Text and method questions of the development sets, without history."""
    files = [f for pattern in DEV_SETS for f in sorted(EVAL.glob(pattern))]
    files += [EVAL / f"chat_blind_{name}.jsonl" for name in FORMER_BLIND]
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else None
            if item and item.get("kind") in {"text", "method"} and not item.get("history"):
                out.append(str(item["question"]))
    return out


def negatives() -> list[str]:
    """The off-topic questions."""
    lines = (EVAL / "offtopic_questions.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")]


def uncovered_similarity(tools: Any, question: str) -> float | None:
    """The similarity the nearest passage is chosen by when no window covers the question (None
    when one does): the top hit's, or the nearest of the next ones when it is below."""
    hits = tools.call("search_documents", {"query": question, "k": 6}).get("hits") or []
    if not hits:
        return 0.0
    without = [{k: v for k, v in h.items() if k != "similarity"} for h in hits]
    choice = choose_quotes(question, without, hedge=True)
    if choice.quotes and not choice.weak:
        return None
    sims = [float(h.get("similarity") or 0.0) for h in hits[:NEAREST_HITS]]
    return sims[0] if sims[0] >= NEAREST_SIMILARITY else max(sims)


def main() -> int:
    """Measure and print."""
    services = services_for(None)
    try:
        tools = services.assistant.tools
        result: dict[str, Any] = {}
        for name, questions in (("answerable", positives()), ("off_topic", negatives())):
            sims = [uncovered_similarity(tools, q) for q in questions]
            left = sorted(s for s in sims if s is not None)
            result[name] = {"questions": len(questions), "uncovered": left}
    finally:
        services.close()
    thresholds = [round(0.80 + 0.01 * i, 2) for i in range(13)]
    rows = [
        {
            "threshold": t,
            "answerable_quoted": sum(s >= t for s in result["answerable"]["uncovered"]),
            "off_topic_quoted": sum(s >= t for s in result["off_topic"]["uncovered"]),
        }
        for t in thresholds
    ]
    if "--json" in sys.argv:
        print(json.dumps({**result, "rows": rows}, indent=2))
        return 0
    for name in ("answerable", "off_topic"):
        r = result[name]
        print(f"{name}: {r['questions']} questions, {len(r['uncovered'])} covered by no window")
    print("threshold  answerable quoted  off-topic quoted")
    for row in rows:
        mark = "  <- chosen" if row["threshold"] == NEAREST_SIMILARITY else ""
        print(
            f"{row['threshold']:9.2f}  {row['answerable_quoted']:17d}  "
            f"{row['off_topic_quoted']:16d}{mark}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
