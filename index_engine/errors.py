"""Errors of the index engine. Every error carries the data that explains it.

IndexEngineError              base
├── DataValidationError       one or more problems in the input tables (file, row, column)
├── NoDataForYearError        a year without data for the figure asked for
├── UnknownFigureError        a figure key the engine does not know
└── InvalidScenarioError      a what-if scenario or target the engine cannot compute
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


class IndexEngineError(Exception):
    """Base class; ``to_dict`` gives the data for the API."""

    code = "index_engine_error"

    def __init__(self, message: str, **data: Any) -> None:
        """Store the user-facing (Swedish) message and the data that explains it."""
        super().__init__(message)
        self.message = message
        self.data = data

    def to_dict(self) -> dict[str, Any]:
        """The error as JSON-able data."""
        return {"code": self.code, "message": self.message, **self.data}


@dataclass(frozen=True)
class Problem:
    """One problem in an input table. ``row`` is the 1-based data row as a spreadsheet shows it."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        """E.g. ``initiativ.csv, rad 12, kolumn status: okänd status 'klar'``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column:
            where.append(f"kolumn {self.column}")
        return f"{', '.join(where)}: {self.message}"


class DataValidationError(IndexEngineError):
    """The input tables have problems; nothing was loaded."""

    code = "invalid_data"

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        """Keep the (capped) list of problems and the total count."""
        total = total if total is not None else len(problems)
        lines = "\n".join(f"  - {p}" for p in problems)
        more = f"\n  ... och {total - len(problems)} till" if total > len(problems) else ""
        super().__init__(
            f"Datan kunde inte läsas in ({total} problem):\n{lines}{more}",
            problems=[asdict(p) for p in problems],
            total=total,
        )
        self.problems = problems
        self.total = total


class NoDataForYearError(IndexEngineError):
    """There is no data for the year (or the figure) asked for."""

    code = "no_data_for_year"

    def __init__(self, year: int, available: list[int], what: str = "data") -> None:
        """Name the year, what is missing, and the years that do have data."""
        years = ", ".join(str(y) for y in available) or "inga"
        super().__init__(
            f"Det finns ingen {what} för {year}. År med data: {years}.",
            year=year,
            available=available,
            what=what,
        )
        self.year = year
        self.available = available


class UnknownFigureError(IndexEngineError):
    """A figure key that the engine does not know."""

    code = "unknown_figure"

    def __init__(self, key: str, known: list[str]) -> None:
        """Name the key and the keys that exist."""
        super().__init__(
            f"Det finns inget nyckeltal som heter '{key}'. Kända nyckeltal: {', '.join(known)}.",
            key=key,
            known=known,
        )
        self.key = key


class InvalidScenarioError(IndexEngineError):
    """A what-if scenario or target with an unknown key, a value out of range or a conflict."""

    code = "invalid_scenario"

    def __init__(self, message: str, *, field: str, **data: Any) -> None:
        """Name the field at fault and what was given."""
        super().__init__(message, field=field, **data)
        self.field = field
