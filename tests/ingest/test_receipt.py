"""The receipt of an embedded store: it answers an unchanged re-ingest and never claims too much."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.models import DEFAULT_LEVEL, FileResult, SecurityLevel
from ingest.receipt import Receipt, all_unchanged, receipt_for
from ingest.store import Store
from tests.ingest.helpers import REPORT, open_copy


def _unchanged(
    store: Store, paths: list[Path], level: SecurityLevel = DEFAULT_LEVEL
) -> list[FileResult] | None:
    assert store.receipt is not None
    docs = store.receipt.documents()
    if docs is None:
        return None
    return all_unchanged(
        docs, paths, embedder=store.embedder.name, budget=store.chunking.budget, level=level
    )


def _note(path: Path, text: str) -> Path:
    path.write_text(f"# Anteckning\n\n## 1. Läget\n\n{text}\n", encoding="utf-8")
    return path


def test_receipt_answers_as_the_store_does(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    through_store = store.ingest_paths([REPORT]).files
    assert [f.status for f in through_store] == ["unchanged"]
    assert _unchanged(store, [REPORT]) == through_store
    assert _unchanged(store, [REPORT.parent]) == through_store  # a folder is read as the store does

    changed = tmp_path / "other" / REPORT.name
    changed.parent.mkdir()
    changed.write_bytes(REPORT.read_bytes() + b"\nEn ny mening.\n")
    assert _unchanged(store, [changed]) is None  # same name, other content
    assert _unchanged(store, [REPORT], SecurityLevel.KANSLIG) is None  # another level
    assert _unchanged(store, [REPORT, _note(tmp_path / "ny.md", "Ny text.")]) is None
    assert _unchanged(store, []) is None


def test_every_change_of_the_store_keeps_the_receipt_true(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    note = _note(tmp_path / "lage.md", "Kommunen införde e-tjänster under 2026.")
    assert store.ingest_paths([note]).added == 1
    both = _unchanged(store, [note, REPORT]) or []
    assert [f.status for f in both] == ["unchanged"] * 2

    _note(note, "Kommunen införde fler e-tjänster under 2026 än planerat.")
    assert _unchanged(store, [note]) is None
    assert store.ingest_paths([note]).replaced == 1
    assert _unchanged(store, [note]) is not None  # the new content is the stored one

    store.delete_document(note.name)
    assert _unchanged(store, [note]) is None
    assert _unchanged(store, [REPORT]) is not None


def test_a_change_that_fails_leaves_no_receipt_until_the_next_ingest(tmp_path: Path) -> None:
    store = open_copy(tmp_path / "data")
    receipt = store.receipt
    assert receipt is not None and receipt.path.exists()
    with pytest.raises(RuntimeError), receipt.changing(lambda: {}):
        raise RuntimeError("the store failed midway")
    assert not receipt.path.exists() and receipt.documents() is None
    assert _unchanged(store, [REPORT]) is None  # no receipt: through the store

    store.ingest_paths([REPORT])  # nothing to do, but the receipt is written again
    assert _unchanged(store, [REPORT]) is not None


def test_an_unreadable_receipt_is_ignored(tmp_path: Path) -> None:
    receipt = Receipt(tmp_path / "kvitto.json")
    receipt.path.write_text("{inte json", encoding="utf-8")
    assert receipt.documents() is None
    receipt.path.write_text('{"layout": 0, "documents": {}}', encoding="utf-8")
    assert receipt.documents() is None  # another layout


def test_a_server_store_keeps_no_receipt(tmp_path: Path) -> None:
    assert receipt_for(tmp_path, "http://localhost:8001") is None
    assert receipt_for(tmp_path, None) is not None
