"""Choose the similarity threshold of verified answers on the chat eval sets (never the blind ones).

    python scripts/measure_verified.py [--json]

Prints pair precision and recall of "means the same" (same slots and cosine similarity at least
the threshold) for a range of thresholds; ``docs/measurements.md`` has the numbers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from assistant.offline.router import bundled_query_embedder
from assistant.verified import SIMILARITY_THRESHOLD, load_eval_questions, measure_threshold
from index_engine.loaders import load_dataset
from web.bundled import BUNDLED_DATASET, PROJECT_ROOT

EVAL = PROJECT_ROOT / "data" / "eval"


def eval_files() -> list[Path]:
    """The development and held-out chat sets; the blind sets are never read here."""
    files = [
        *sorted(EVAL.glob("chat_dev_*.jsonl")),
        EVAL / "chat_questions.jsonl",
        *sorted(EVAL.glob("chat_heldout_*.jsonl")),
    ]
    assert not any("blind" in f.name for f in files)
    return files


def main() -> int:
    """Measure and print."""
    questions = load_eval_questions(eval_files())
    objekt = load_dataset(BUNDLED_DATASET).objekt
    thresholds = [round(float(t), 2) for t in np.arange(0.80, 0.99, 0.01)]
    result = measure_threshold(questions, bundled_query_embedder(), objekt, thresholds)
    if "--json" in sys.argv:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{result['questions']} questions, {result['pairs']} pairs, {result['positives']} "
        f"positives ({result['positives_with_same_slots']} with the same slots)"
    )
    print("threshold  predicted  true  false  precision  recall  recall(same slots)")
    for row in result["rows"]:
        mark = "  <- chosen" if row["threshold"] == SIMILARITY_THRESHOLD else ""
        print(
            f"{row['threshold']:9.2f}  {row['predicted']:9d}  {row['true']:4d}  {row['false']:5d}"
            f"  {row['precision']:9.3f}  {row['recall']:6.3f}  {row['recall_same_slots']:6.3f}"
            f"{mark}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
