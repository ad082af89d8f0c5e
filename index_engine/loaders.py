"""Reading and validating the input tables: the only module of the index engine that does IO.

A data folder holds up to five tables, each as ``.csv`` or ``.xlsx``: ``initiativ``,
``nyttoregister``, ``dimios_svar``, ``dimios_mottagare`` and ``medarbetarenkat`` (columns in
``docs/data-format.md``). CSV files are read the way Swedish offices export them: comma or
semicolon delimiter, UTF-8 with or without BOM or Windows-1252, decimal comma. Column names are
matched case- and whitespace-insensitively.

Validation collects *every* problem (file, spreadsheet row, column) into one
:class:`~index_engine.errors.DataValidationError`; nothing is loaded when there is any problem.
Rows are numbered as the spreadsheet shows them: the header is row 1, the first data row is 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from index_engine.errors import DataValidationError, Problem
from index_engine.model import (
    AREA_DIMENSION,
    AREAS,
    AXES,
    BENEFIT_KINDS,
    DEFAULT_OBJEKT,
    DIMENSIONS,
    STATUSES,
)

__all__ = [
    "DEFAULT_OBJEKT",
    "MAX_PROBLEMS",
    "TABLE_COLUMNS",
    "TABLE_NAMES",
    "Dataset",
    "load_dataset",
    "load_initiatives_file",
    "read_table",
    "validate_tables",
]

#: The most problems listed in one error (the total is always counted).
MAX_PROBLEMS = 50

#: File stems of the five tables, in loading order.
TABLE_NAMES: tuple[str, ...] = (
    "initiativ",
    "nyttoregister",
    "dimios_svar",
    "dimios_mottagare",
    "medarbetarenkat",
)

#: Columns of each table, in order. ``description`` and ``unit`` may be left out of a file.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "initiativ": (
        "id",
        "year",
        "title",
        "description",
        "objekt",
        "status",
        "innovation_effektivitet",
        "operativt_strategiskt",
        "extern_intern",
    ),
    "nyttoregister": (
        "initiative_id",
        "year",
        "kind",
        "indicator",
        "unit",
        "baseline",
        "expected",
        "measured",
    ),
    "dimios_svar": ("year", "respondent", "verksamhet", "dimension", "area", "statement", "score"),
    "dimios_mottagare": ("year", "recipients"),
    "medarbetarenkat": ("year", "verksamhet", "score"),
}
_OPTIONAL_COLUMNS = {"description", "unit"}
_YEAR_RANGE = (1990, 2100)
_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True, eq=False)
class Dataset:
    """The validated tables. Frames have a plain RangeIndex and the columns listed below.

    Attributes:
        initiatives: id, year, title, description, objekt, status, innovation_effektivitet,
            operativt_strategiskt, extern_intern (axes int 1–5).
        benefits: initiative_id, year, kind, indicator, unit, baseline (NaN = 0), expected,
            measured (NaN = not yet measured).
        dimios: year, respondent, verksamhet, dimension, area, statement, score (int 1–6).
        dimios_recipients: year, recipients.
        employee: year, verksamhet, score (int 1–5).
        source: The folder (or file) the tables came from.
        objekt: The configured objekt list.
    """

    initiatives: pd.DataFrame
    benefits: pd.DataFrame
    dimios: pd.DataFrame
    dimios_recipients: pd.DataFrame
    employee: pd.DataFrame
    source: str = ""
    objekt: tuple[str, ...] = DEFAULT_OBJEKT
    files: dict[str, str] = field(default_factory=dict)

    def years(self) -> list[int]:
        """Years with any data, ascending."""
        years: set[int] = set()
        for frame in (
            self.initiatives,
            self.benefits,
            self.dimios,
            self.dimios_recipients,
            self.employee,
        ):
            if len(frame):
                years.update(int(y) for y in pd.unique(frame["year"]))
        return sorted(years)

    @classmethod
    def empty(cls, objekt: Sequence[str] | None = None, source: str = "") -> Dataset:
        """A dataset without any rows (all columns present)."""
        return cls(
            initiatives=_empty_frame("initiativ"),
            benefits=_empty_frame("nyttoregister"),
            dimios=_empty_frame("dimios_svar"),
            dimios_recipients=_empty_frame("dimios_mottagare"),
            employee=_empty_frame("medarbetarenkat"),
            source=source,
            objekt=tuple(objekt or DEFAULT_OBJEKT),
        )


# --------------------------------------------------------------------------------------------
# Reading one file
# --------------------------------------------------------------------------------------------


def _normalize_header(name: object) -> str:
    text = str(name if name is not None else "").replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s\-]+", "_", text)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in io.StringIO(text) if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _read_rows(path: Path) -> list[list[str]]:
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0]
                rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            finally:
                wb.close()
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise DataValidationError(
                [Problem(name, None, None, f"filen kunde inte läsas som Excel-fil ({exc})")]
            ) from None
        return rows
    if suffix != ".csv":
        raise DataValidationError(
            [Problem(name, None, None, "okänd filtyp (använd .csv eller .xlsx)")]
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataValidationError(
            [Problem(name, None, None, f"filen kunde inte läsas ({exc.strerror})")]
        ) from None
    text = _decode(raw)
    try:
        return [list(r) for r in csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))]
    except csv.Error as exc:
        raise DataValidationError(
            [Problem(name, None, None, f"filen kunde inte tolkas som CSV ({exc})")]
        ) from None


def _fast_csv(path: Path) -> pd.DataFrame | None:
    """Read a regular CSV with pandas' C parser; None when the file needs the careful path.

    The careful path (:func:`_read_rows`) handles and reports everything irregular: leading
    blank lines, empty or duplicate headers, rows with more values than headers.
    """
    try:
        text = _decode(path.read_bytes())
    except OSError:
        return None
    first = text.split("\n", 1)[0]
    if not first.strip():
        return None
    delimiter = _sniff_delimiter(text)
    header = [_normalize_header(c) for c in next(csv.reader([first], delimiter=delimiter))]
    if "" in header or len(set(header)) != len(header):
        return None
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            header=None,  # a data row longer than the header line is then a ParserError
            engine="c",
        )
    except (pd.errors.ParserError, ValueError, csv.Error):
        return None
    if len(frame.columns) != len(header):
        return None
    frame = frame.iloc[1:]
    frame.columns = pd.Index(header)
    frame.index = pd.Index(np.arange(len(frame)) + 2, name="rad")
    out = pd.DataFrame(
        {c: _per_unique(frame[c], _clean_text).astype(object) for c in header}, index=frame.index
    )
    if len(out.columns):
        maybe = np.flatnonzero((out.iloc[:, 0] == "").to_numpy())  # a blank row starts blank
        if len(maybe):
            blank = (out.iloc[maybe] == "").all(axis=1)
            if blank.any():
                out = out.drop(index=blank.index[blank.to_numpy()])
    out.attrs["clean_text"] = True  # every cell already a stripped str: skip re-cleaning
    return out


def read_table(path: Path) -> pd.DataFrame:
    """Read one CSV or XLSX table as text.

    Column names are normalised (trimmed, lower case, spaces to ``_``); every cell is a stripped
    string (empty string for an empty cell); fully empty rows are skipped. The index is the row
    number as the spreadsheet shows it (header = 1, first data row = 2).

    Args:
        path: A ``.csv`` (comma, semicolon or tab; UTF-8, UTF-8 with BOM or Windows-1252) or
            ``.xlsx`` (first sheet) file.

    Returns:
        The table as strings.

    Raises:
        DataValidationError: The file is missing, empty, unreadable or has a broken header.
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise DataValidationError([Problem(name, None, None, "filen finns inte")])
    if path.suffix.lower() == ".csv":
        fast = _fast_csv(path)
        if fast is not None:
            return fast
    rows = _read_rows(path)
    start = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if start is None:
        raise DataValidationError([Problem(name, None, None, "filen är tom")])
    header = [_normalize_header(c) for c in rows[start]]
    while header and header[-1] == "":
        header.pop()
    problems: list[Problem] = []
    seen: set[str] = set()
    for col in header:
        if col == "":
            problems.append(Problem(name, start + 1, None, "en kolumn saknar rubrik"))
        elif col in seen:
            problems.append(Problem(name, start + 1, col, "kolumnrubriken förekommer två gånger"))
        seen.add(col)
    width = len(header)
    data: list[list[str]] = []
    index: list[int] = []
    for i in range(start + 1, len(rows)):
        row = rows[i]
        if not any(c.strip() for c in row):
            continue
        cells = [c.strip() for c in row]
        if len(cells) > width:
            if any(cells[width:]):
                problems.append(
                    Problem(name, i + 1, None, f"raden har fler värden än rubriker ({width})")
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        data.append(cells)
        index.append(i + 1)
    if problems:
        raise DataValidationError(problems[:MAX_PROBLEMS], total=len(problems))
    frame = pd.DataFrame(data, columns=header, index=pd.Index(index, name="rad"), dtype=object)
    if not data:
        frame = pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
        frame.index.name = "rad"
    frame.attrs["clean_text"] = True
    return frame


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


class _Problems:
    """Collects problems, keeping at most ``cap`` but counting all."""

    def __init__(self, cap: int = MAX_PROBLEMS) -> None:
        self.cap = cap
        self.items: list[Problem] = []
        self.total = 0

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.items) < self.cap:
            self.items.append(Problem(file, row, column, message))

    def add_mask(
        self,
        file: str,
        frame: pd.DataFrame,
        mask: pd.Series | np.ndarray,
        column: str | None,
        message: Callable[[int], str],
    ) -> None:
        """Add a problem for every row where ``mask`` is true; ``message(position)``."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(positions):
            return
        room = max(self.cap - len(self.items), 0)
        for pos in positions[:room]:
            self.items.append(Problem(file, int(frame.index[pos]), column, message(int(pos))))
        self.total += len(positions)

    def raise_if_any(self) -> None:
        if self.total:
            raise DataValidationError(self.items, total=self.total)


def _per_unique(values: pd.Series, fn: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised ``fn`` to the distinct values only and spread the result back.

    Columns such as year, score, objekt or area have few distinct values, so this turns a
    per-row string operation into a per-value one.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    result = fn(pd.Series(uniques, dtype=object)).to_numpy()
    return pd.Series(result[codes], index=values.index)


def _clean_text(uniques: pd.Series) -> pd.Series:
    return pd.Series(["" if u is None or u != u else str(u).strip() for u in uniques], dtype=object)


def _text(frame: pd.DataFrame, col: str) -> pd.Series:
    if col not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    if frame.attrs.get("clean_text"):
        return frame[col]
    return _per_unique(frame[col], _clean_text).astype(object)


def _parse_numbers(raw: pd.Series) -> pd.Series:
    """Numbers from text: decimal comma or point, spaces as thousands separators, U+2212 minus."""
    empty = raw == ""
    # Decimal comma is the Swedish default; a plain replace is enough for almost every cell.
    comma = raw.astype(str).str.replace(",", ".", regex=False)
    values = pd.to_numeric(comma.where(~empty, None), errors="coerce").astype("float64")
    retry = values.isna() & ~empty
    if retry.any():
        spaced = (
            raw[retry]
            .astype(str)
            .str.replace(r"[\s\u00a0\u202f]", "", regex=True)
            .str.replace("\u2212", "-", regex=False)
        )
        has_comma = spaced.str.contains(",", regex=False)
        # "1.234,5": with a decimal comma, dots group thousands
        spaced = spaced.where(~has_comma, spaced.str.replace(".", "", regex=False))
        cleaned = spaced.str.replace(",", ".", regex=False)
        values[retry] = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    return values


def _numbers(raw: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Parse a text column as numbers; returns (values, bad, empty)."""
    empty = raw == ""
    values = _per_unique(raw, _parse_numbers).astype("float64")
    bad = values.isna() & ~empty
    return values, bad, empty


class _TableCheck:
    """Validates one raw (string) table into a typed frame, reporting into ``problems``."""

    def __init__(self, file: str, frame: pd.DataFrame, problems: _Problems) -> None:
        self.file = file
        self.frame = frame
        self.problems = problems
        self.out: dict[str, pd.Series] = {}

    def has(self, col: str) -> bool:
        return col in self.frame.columns

    def missing_columns(self, table: str) -> bool:
        missing = [
            c
            for c in TABLE_COLUMNS[table]
            if c not in self.frame.columns and c not in _OPTIONAL_COLUMNS
        ]
        for col in missing:
            self.problems.add(
                self.file,
                1,
                col,
                "kolumnen saknas (kolumner i filen: " + ", ".join(self.frame.columns) + ")",
            )
        return bool(missing)

    def text(self, col: str, *, required: bool = True) -> pd.Series:
        values = _text(self.frame, col)
        if required:
            self.problems.add_mask(
                self.file, self.frame, values == "", col, lambda _p: "värde saknas"
            )
        self.out[col] = values
        return values

    def integer(
        self, col: str, low: int, high: int, what: str = "heltal", *, scale: bool = False
    ) -> pd.Series:
        raw = _text(self.frame, col)
        values, bad, empty = _numbers(raw)
        fractional = ~bad & ~empty & (values % 1 != 0)
        out_of_range = ~bad & ~empty & ~fractional & ((values < low) | (values > high))
        p = self.problems
        p.add_mask(self.file, self.frame, empty, col, lambda _p: "värde saknas")
        p.add_mask(
            self.file,
            self.frame,
            bad | fractional,
            col,
            lambda i: f"'{raw.iloc[i]}' är inte ett {what}",
        )
        where = f"skalan {low}–{high}" if scale else f"{low}–{high}"

        def msg(i: int) -> str:
            return f"'{raw.iloc[i]}' ligger utanför {where}"

        p.add_mask(self.file, self.frame, out_of_range, col, msg)
        result = values.fillna(0).astype("int64")
        self.out[col] = result
        return result

    def number(self, col: str, *, required: bool) -> pd.Series:
        raw = _text(self.frame, col)
        values, bad, empty = _numbers(raw)
        if required:
            self.problems.add_mask(self.file, self.frame, empty, col, lambda _p: "värde saknas")
        self.problems.add_mask(
            self.file, self.frame, bad, col, lambda i: f"'{raw.iloc[i]}' är inte ett tal"
        )
        self.out[col] = values
        return values

    def choice(self, col: str, allowed: Iterable[str], what: str) -> pd.Series:
        allowed = tuple(allowed)
        lookup = {re.sub(r"\s+", " ", a).casefold(): a for a in allowed}
        raw = _text(self.frame, col)
        mapped = _per_unique(
            raw,
            lambda u: pd.Series(
                [lookup.get(re.sub(r"\s+", " ", str(x)).casefold()) for x in u], dtype=object
            ),
        )
        empty = raw == ""
        bad = mapped.isna() & ~empty
        listing = ", ".join(allowed)
        self.problems.add_mask(self.file, self.frame, empty, col, lambda _p: "värde saknas")
        self.problems.add_mask(
            self.file,
            self.frame,
            bad,
            col,
            lambda i: f"okänt {what} '{raw.iloc[i]}' (tillåtna: {listing})",
        )
        result = mapped.fillna("").astype(object)
        self.out[col] = result
        return result

    def result(self, table: str) -> pd.DataFrame:
        cols = [c for c in TABLE_COLUMNS[table] if c in self.out]
        frame = pd.DataFrame({c: self.out[c] for c in cols})
        return frame.reset_index(drop=True)


def _empty_frame(table: str) -> pd.DataFrame:
    ints = {"year", "score", "recipients", *AXES}
    floats = {"baseline", "expected", "measured"}
    return pd.DataFrame(
        {
            c: pd.Series([], dtype="int64" if c in ints else "float64" if c in floats else object)
            for c in TABLE_COLUMNS[table]
        }
    )


def _check_initiatives(
    file: str, raw: pd.DataFrame, objekt: Sequence[str], problems: _Problems
) -> pd.DataFrame:
    t = _TableCheck(file, raw, problems)
    if t.missing_columns("initiativ"):
        return _empty_frame("initiativ")
    ids = t.text("id")
    dup = ids.duplicated(keep=False) & (ids != "")
    if dup.any():
        first_row = pd.Series(raw.index, index=raw.index).groupby(ids).transform("min")
        problems.add_mask(
            file,
            raw,
            dup & (pd.Series(raw.index, index=raw.index) != first_row),
            "id",
            lambda i: (
                f"id '{ids.iloc[i]}' förekommer flera gånger (först på rad "
                f"{int(first_row.iloc[i])})"
            ),
        )
    t.integer("year", *_YEAR_RANGE, what="årtal")
    t.text("title")
    t.text("description", required=False)
    t.choice("objekt", objekt, "objekt")
    t.choice("status", STATUSES, "status")
    for axis in AXES:
        t.integer(axis, 1, 5, scale=True)
    return t.result("initiativ")


def _check_benefits(
    file: str, raw: pd.DataFrame, known_ids: set[str], problems: _Problems
) -> pd.DataFrame:
    t = _TableCheck(file, raw, problems)
    if t.missing_columns("nyttoregister"):
        return _empty_frame("nyttoregister")
    ids = t.text("initiative_id")
    unknown = (ids != "") & ~ids.isin(known_ids)
    problems.add_mask(
        file,
        raw,
        unknown,
        "initiative_id",
        lambda i: f"okänt initiativ '{ids.iloc[i]}' (finns inte i initiativtabellen)",
    )
    t.integer("year", *_YEAR_RANGE, what="årtal")
    t.choice("kind", BENEFIT_KINDS, "nyttoslag")
    t.text("indicator")
    t.text("unit", required=False)
    baseline = t.number("baseline", required=False)
    expected = t.number("expected", required=True)
    t.number("measured", required=False)
    same = expected.notna() & (expected == baseline.fillna(0.0))
    problems.add_mask(
        file,
        raw,
        same,
        "expected",
        lambda i: (
            "förväntat värde är lika med utgångsvärdet (tomt = 0); "
            "måluppfyllelsen går inte att räkna"
        ),
    )
    return t.result("nyttoregister")


def _check_dimios(file: str, raw: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    t = _TableCheck(file, raw, problems)
    if t.missing_columns("dimios_svar"):
        return _empty_frame("dimios_svar")
    year = t.integer("year", *_YEAR_RANGE, what="årtal")
    respondent = t.text("respondent")
    t.text("verksamhet")
    dimension = t.choice("dimension", DIMENSIONS, "dimension")
    area = t.choice("area", AREAS, "område")
    wrong = (area != "") & (dimension != "") & (area.map(AREA_DIMENSION) != dimension)
    problems.add_mask(
        file,
        raw,
        wrong,
        "area",
        lambda i: (
            f"området '{area.iloc[i]}' hör till dimensionen "
            f"'{AREA_DIMENSION[area.iloc[i]]}', inte '{dimension.iloc[i]}'"
        ),
    )
    statement = t.text("statement")
    t.integer("score", 1, 6, scale=True)
    keys = pd.DataFrame({"y": year, "r": respondent, "s": statement})
    dup = keys.duplicated(keep="first") & (respondent != "") & (statement != "")
    problems.add_mask(
        file,
        raw,
        dup,
        "statement",
        lambda i: (
            f"svarande '{respondent.iloc[i]}' har redan svarat på påståendet år {int(year.iloc[i])}"
        ),
    )
    return t.result("dimios_svar")


def _check_recipients(file: str, raw: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    t = _TableCheck(file, raw, problems)
    if t.missing_columns("dimios_mottagare"):
        return _empty_frame("dimios_mottagare")
    year = t.integer("year", *_YEAR_RANGE, what="årtal")
    t.integer("recipients", 1, 10_000_000, what="antal")
    dup = year.duplicated(keep="first")
    problems.add_mask(
        file, raw, dup, "year", lambda i: f"året {int(year.iloc[i])} förekommer flera gånger"
    )
    return t.result("dimios_mottagare")


def _check_employee(file: str, raw: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    t = _TableCheck(file, raw, problems)
    if t.missing_columns("medarbetarenkat"):
        return _empty_frame("medarbetarenkat")
    t.integer("year", *_YEAR_RANGE, what="årtal")
    t.text("verksamhet", required=False)
    t.integer("score", 1, 5, scale=True)
    return t.result("medarbetarenkat")


def validate_tables(
    raw: dict[str, tuple[str, pd.DataFrame]],
    objekt: Sequence[str] | None = None,
    source: str = "",
) -> Dataset:
    """Validate raw (string) tables into a :class:`Dataset`.

    Args:
        raw: Table name (see ``TABLE_NAMES``) -> (file name for messages, frame from
            :func:`read_table`). Missing tables count as empty.
        objekt: The allowed objekt (default ``DEFAULT_OBJEKT``).
        source: Where the tables came from.

    Returns:
        The validated dataset.

    Raises:
        DataValidationError: Every problem found (capped list, total count).
    """
    objekt = tuple(objekt or DEFAULT_OBJEKT)
    problems = _Problems()
    frames: dict[str, pd.DataFrame] = {}
    known_ids: set[str] = set()
    if "initiativ" in raw:
        file, frame = raw["initiativ"]
        frames["initiativ"] = _check_initiatives(file, frame, objekt, problems)
        if "id" in frame.columns:
            known_ids = set(_text(frame, "id"))
    if "nyttoregister" in raw:
        file, frame = raw["nyttoregister"]
        frames["nyttoregister"] = _check_benefits(file, frame, known_ids, problems)
    if "dimios_svar" in raw:
        file, frame = raw["dimios_svar"]
        frames["dimios_svar"] = _check_dimios(file, frame, problems)
    if "dimios_mottagare" in raw:
        file, frame = raw["dimios_mottagare"]
        frames["dimios_mottagare"] = _check_recipients(file, frame, problems)
    if "medarbetarenkat" in raw:
        file, frame = raw["medarbetarenkat"]
        frames["medarbetarenkat"] = _check_employee(file, frame, problems)
    problems.raise_if_any()
    for name in TABLE_NAMES:
        frames.setdefault(name, _empty_frame(name))
    if len(frames["dimios_svar"]) and len(frames["dimios_mottagare"]):
        respondents = frames["dimios_svar"].groupby("year")["respondent"].nunique()
        rec = frames["dimios_mottagare"].set_index("year")["recipients"]
        file, raw_rec = raw["dimios_mottagare"]
        for pos, (year, recipients) in enumerate(rec.items()):
            answered = int(respondents.get(year, 0))
            if answered > recipients:
                problems.add(
                    file,
                    int(raw_rec.index[pos]),
                    "recipients",
                    f"{recipients} mottagare men {answered} svarande år {year}",
                )
        problems.raise_if_any()
    return Dataset(
        initiatives=frames["initiativ"],
        benefits=frames["nyttoregister"],
        dimios=frames["dimios_svar"],
        dimios_recipients=frames["dimios_mottagare"],
        employee=frames["medarbetarenkat"],
        source=source,
        objekt=objekt,
        files={name: file for name, (file, _f) in raw.items()},
    )


def _find_files(folder: Path) -> tuple[dict[str, Path], list[Problem]]:
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    by_stem: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and path.suffix.lower() in _SUFFIXES:
            by_stem.setdefault(path.stem.strip().casefold(), []).append(path)
    for name in TABLE_NAMES:
        paths = by_stem.get(name, [])
        if len(paths) > 1:
            names = " och ".join(p.name for p in paths)
            problems.append(Problem(name, None, None, f"flera filer för tabellen: {names}"))
        elif paths:
            found[name] = paths[0]
    return found, problems


def load_dataset(folder: Path, objekt: Sequence[str] | None = None) -> Dataset:
    """Read and validate every table in a data folder.

    Tables that are not present count as empty (their figures are then absent); at least one
    must be present.

    Args:
        folder: The folder with ``initiativ``, ``nyttoregister``, ``dimios_svar``,
            ``dimios_mottagare`` and/or ``medarbetarenkat`` (``.csv`` or ``.xlsx``).
        objekt: The configured objekt list (default ``DEFAULT_OBJEKT``).

    Returns:
        The validated dataset.

    Raises:
        DataValidationError: The folder is missing or any table has a problem (all listed).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataValidationError([Problem(str(folder), None, None, "mappen finns inte")])
    found, problems = _find_files(folder)
    if problems:
        raise DataValidationError(problems)
    if not found:
        expected = ", ".join(f"{n}.csv/.xlsx" for n in TABLE_NAMES)
        raise DataValidationError(
            [Problem(str(folder), None, None, f"inga tabeller i mappen (väntade {expected})")]
        )
    raw: dict[str, tuple[str, pd.DataFrame]] = {}
    read_problems: list[Problem] = []
    for name, path in found.items():
        try:
            raw[name] = (path.name, read_table(path))
        except DataValidationError as exc:
            read_problems.extend(exc.problems)
    if read_problems:
        raise DataValidationError(read_problems[:MAX_PROBLEMS], total=len(read_problems))
    return validate_tables(raw, objekt, source=str(folder))


def load_initiatives_file(path: Path, objekt: Sequence[str] | None = None) -> pd.DataFrame:
    """Read and validate one initiatives table (CSV or XLSX), e.g. an uploaded list.

    Args:
        path: The file.
        objekt: The allowed objekt (default ``DEFAULT_OBJEKT``).

    Returns:
        The validated initiatives frame (columns as ``Dataset.initiatives``).

    Raises:
        DataValidationError: Every problem found.
    """
    path = Path(path)
    ds = validate_tables({"initiativ": (path.name, read_table(path))}, objekt, source=str(path))
    return ds.initiatives
