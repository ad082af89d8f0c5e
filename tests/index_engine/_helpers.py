"""Tiny hand-made datasets for the index-engine tests (built through the real validation)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from index_engine import AREA_DIMENSION, Dataset, validate_tables
from index_engine.loaders import TABLE_COLUMNS


def _frame(table: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    cols = TABLE_COLUMNS[table]
    data = [{c: str(r.get(c, "")) for c in cols} for r in rows]
    frame = pd.DataFrame(data, columns=list(cols), dtype=object)
    frame.index = pd.Index(range(2, len(frame) + 2), name="rad")
    return frame


def initiative(
    i: int,
    year: int,
    status: str = "genomförd",
    objekt: str = "Social omsorg",
    ie: int = 3,
    os_: int = 3,
    ei: int = 3,
) -> dict[str, Any]:
    return {
        "id": f"I{i}",
        "year": year,
        "title": f"Initiativ {i}",
        "description": "",
        "objekt": objekt,
        "status": status,
        "innovation_effektivitet": ie,
        "operativt_strategiskt": os_,
        "extern_intern": ei,
    }


def answers(
    year: int, respondent: str, scores: dict[str, int], verksamhet: str = "A"
) -> list[dict[str, Any]]:
    """One statement per area, with the given score per area."""
    return [
        {
            "year": year,
            "respondent": respondent,
            "verksamhet": verksamhet,
            "dimension": AREA_DIMENSION[area],
            "area": area,
            "statement": f"P {area}",
            "score": s,
        }
        for area, s in scores.items()
    ]


def make_dataset(
    initiatives: list[dict[str, Any]] | None = None,
    benefits: list[dict[str, Any]] | None = None,
    dimios: list[dict[str, Any]] | None = None,
    recipients: list[dict[str, Any]] | None = None,
    employee: list[dict[str, Any]] | None = None,
) -> Dataset:
    raw: dict[str, tuple[str, pd.DataFrame]] = {}
    for table, rows in (
        ("initiativ", initiatives),
        ("nyttoregister", benefits),
        ("dimios_svar", dimios),
        ("dimios_mottagare", recipients),
        ("medarbetarenkat", employee),
    ):
        if rows is not None:
            raw[table] = (f"{table}.csv", _frame(table, rows))
    return validate_tables(raw)
