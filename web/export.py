"""Tables written for spreadsheets (CSV and Excel) without live formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as
a formula when the file is opened in a spreadsheet (``=HYPERLINK(...)``, ``=cmd|...``). Every
export writes such text as text: quote-prefixed (``'=...``) in CSV, with the explicit string type
in Excel (the cell shows exactly the text).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` as a formula."""
    return text.startswith(FORMULA_START)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: text that looks like a formula gets a leading ``'``."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """The table as UTF-8 CSV (with BOM, for Excel) with formula-like text neutralised."""
    frame.map(csv_cell).to_csv(path, index=False, encoding="utf-8-sig")


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """The table as an Excel sheet; text cells are strings, never formulas."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([None if _missing(v) else _plain(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "=..." stays text
    book.save(path)


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Any:
    """Numpy scalars as Python values (openpyxl writes those)."""
    return value.item() if hasattr(value, "item") else value
