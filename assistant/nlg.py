r"""Swedish data-to-text helpers for chapter drafts: changes, trends, rankings and lists.

Everything here is deterministic and works on the index engine's :class:`~index_engine.model.Figure`
objects. Values and their display strings come from the engine (``Figure.display``) and its
formatter (``index_engine.formatting.fmt_number``); this module only chooses the words.

Change words
------------
A change against the previous year is put into words by the size of the difference between the
two values *as displayed* (rounded to the figure's displayed decimals), so the words never
contradict the printed numbers (8,1 → 8,2 is always a change, 8,14 → 8,16 shown as 8,1 → 8,2
too). The thresholds scale with the figure's unit; one table, ``CHANGE_THRESHOLDS``:

=========== ============= ==================== ================ ====================
unit        oförändrad    liten ökning/minskn. ökning/minskning tydlig ökning/minskn.
=========== ============= ==================== ================ ====================
index10     \|Δ\| < 0,05  \|Δ\| < 0,3          \|Δ\| < 1,0      \|Δ\| ≥ 1,0
percent     \|Δ\| < 0,5   \|Δ\| < 3            \|Δ\| < 10       \|Δ\| ≥ 10  (procentenheter)
score5      \|Δ\| < 0,005 \|Δ\| < 0,15         \|Δ\| < 0,5      \|Δ\| ≥ 0,5
count       \|Δ%\| < 0,5  \|Δ%\| < 10          \|Δ%\| < 25      \|Δ%\| ≥ 25 (relativ, %)
ratio       \|Δ\| < 0,005 \|Δ\| < 0,03         \|Δ\| < 0,1      \|Δ\| ≥ 0,1
=========== ============= ==================== ================ ====================

The percent thresholds are the index thresholds times ten (a percentage is the index value times
ten), the 1–5 score's are half of them (its scale is half as long). Counts are compared relative
to the previous year (the report calls a 5 % fall in the number of initiatives "en liten
minskning").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from index_engine.formatting import fmt_number, parse_number
from index_engine.model import Figure

Direction = Literal["up", "down", "same"]
Size = Literal["none", "small", "normal", "large"]


@dataclass(frozen=True)
class Thresholds:
    """Upper bounds (exclusive) for "oförändrad", "liten" and plain change; above = "tydlig"."""

    unchanged: float
    small: float
    normal: float
    relative: bool = False


#: The one table of change thresholds (see the module docstring).
CHANGE_THRESHOLDS: dict[str, Thresholds] = {
    "index10": Thresholds(0.05, 0.3, 1.0),
    "percent": Thresholds(0.5, 3.0, 10.0),
    "score5": Thresholds(0.005, 0.15, 0.5),
    "count": Thresholds(0.5, 10.0, 25.0, relative=True),
    "ratio": Thresholds(0.005, 0.03, 0.1),
}

_NOUN = {
    ("up", "small"): "en liten ökning",
    ("up", "normal"): "en ökning",
    ("up", "large"): "en tydlig ökning",
    ("down", "small"): "en liten minskning",
    ("down", "normal"): "en minskning",
    ("down", "large"): "en tydlig minskning",
}
_VERB = {
    ("up", "small"): "ökat något",
    ("up", "normal"): "ökat",
    ("up", "large"): "ökat tydligt",
    ("down", "small"): "minskat något",
    ("down", "normal"): "minskat",
    ("down", "large"): "minskat tydligt",
}


@dataclass(frozen=True)
class Change:
    """A classified change between two displayed values."""

    direction: Direction
    size: Size
    delta: float  # difference of the displayed values (current - previous)
    relative_pct: float | None  # for counts: the change in percent of the previous value
    unit: str

    @property
    def unchanged(self) -> bool:
        """True when the displayed values do not differ enough to call it a change."""
        return self.size == "none"

    @property
    def noun(self) -> str:
        """``en liten ökning`` / ``en tydlig minskning`` / ``oförändrat``."""
        return "oförändrat" if self.unchanged else _NOUN[(self.direction, self.size)]

    @property
    def verb(self) -> str:
        """``ökat något`` / ``minskat tydligt`` / ``legat still``."""
        return "legat still" if self.unchanged else _VERB[(self.direction, self.size)]

    @property
    def amount(self) -> str:
        """The size of the change as text: ``0,1``, ``0,9 procentenheter``, ``5,0 %``."""
        if self.unit == "count" and self.relative_pct is not None:
            return f"{fmt_number(abs(self.relative_pct))} %"
        if self.unit == "percent":
            return f"{fmt_number(abs(self.delta))} procentenheter"
        decimals = 2 if self.unit in ("score5", "ratio") else 1
        return fmt_number(abs(self.delta), decimals)


def displayed_value(figure: Figure) -> float:
    """The figure's value as the reader sees it (parsed back from ``Figure.display``)."""
    try:
        return parse_number(figure.display)
    except (ValueError, TypeError):
        return float(figure.value) if figure.value is not None else 0.0


def classify_change(current: float, previous: float, unit: str) -> Change:
    """Classify ``current`` against ``previous`` with the thresholds for ``unit``.

    Args:
        current: This year's displayed value.
        previous: The previous year's displayed value.
        unit: The figure's unit (``index10``, ``percent``, ``score5``, ``count``, ``ratio``).

    Returns:
        The direction, size and amount of the change.
    """
    limits = CHANGE_THRESHOLDS.get(unit, CHANGE_THRESHOLDS["index10"])
    delta = round(current - previous, 6)
    relative = None
    measure = abs(delta)
    if limits.relative:
        relative = (delta / previous * 100.0) if previous else (100.0 if delta else 0.0)
        measure = abs(relative)
    size: Size
    if measure < limits.unchanged:
        size = "none"
    elif measure < limits.small:
        size = "small"
    elif measure < limits.normal:
        size = "normal"
    else:
        size = "large"
    direction: Direction = "same" if size == "none" else ("up" if delta > 0 else "down")
    return Change(direction, size, delta, relative, unit)


def figure_change(current: Figure, previous: Figure) -> Change:
    """Classify the change between two figures of the same key (previous = an earlier year)."""
    return classify_change(displayed_value(current), displayed_value(previous), current.unit)


def change_clause(current: Figure, previous: Figure, *, with_amount: bool = True) -> str:
    """A clause for the change since the previous figure.

    Examples: ``en liten ökning från 8,1 år 2024``, ``en ökning med 0,9 procentenheter från
    64,2 % år 2024``, ``samma nivå som år 2024 (8,5)``.
    """
    change = figure_change(current, previous)
    if change.unchanged:
        return f"samma nivå som år {previous.year} ({previous.display})"
    amount = ""
    if with_amount and current.unit != "index10":
        amount = f" med {change.amount}"
    return f"{change.noun}{amount} från {previous.display} år {previous.year}"


def short_change(current: Figure, previous: Figure) -> str:
    """A parenthesis-friendly change: ``8,5 år 2024, en ökning`` / ``7,0 år 2024, oförändrat``."""
    change = figure_change(current, previous)
    return f"{previous.display} år {previous.year}, {change.noun}"


_SMALL_NUMBERS = {
    2: "två",
    3: "tre",
    4: "fyra",
    5: "fem",
    6: "sex",
    7: "sju",
    8: "åtta",
    9: "nio",
    10: "tio",
    11: "elva",
    12: "tolv",
}


_SMALL_NUMBERS_EN = dict(
    zip(
        range(2, 13),
        "two three four five six seven eight nine ten eleven twelve".split(),
        strict=True,
    )
)


def count_words(n: int, english: bool = False) -> str:
    """Small counts in words, as the report writes them (``sex områden``); larger as digits."""
    return (_SMALL_NUMBERS_EN if english else _SMALL_NUMBERS).get(n, str(n))


def join_sv(items: Sequence[str], conjunction: str = "och") -> str:
    """Join a list the Swedish way: ``A``, ``A och B``, ``A, B och C``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def lower_first(text: str) -> str:
    """Lower-case the first letter (for a label used inside a sentence), keep the rest."""
    return text[:1].lower() + text[1:] if text else text


def upper_first(text: str) -> str:
    """Upper-case the first letter of a sentence."""
    return text[:1].upper() + text[1:] if text else text


def ranking_phrase(
    counts: Sequence[tuple[str, int]], *, top: int = 3, unit: str = "initiativ"
) -> str:
    """Name the largest items, ties together.

    Example: ``flest initiativ inom A (12), följt av B (9) och C (7)``.

    Args:
        counts: (name, count) pairs; zero counts are skipped. Sorted here, most first, ties by name.
        top: How many distinct positions to name.
        unit: The counted thing, plural (``initiativ``, ``svar``).

    Returns:
        The phrase, or an empty string when nothing was counted.
    """
    ranked = sorted(((n, c) for n, c in counts if c > 0), key=lambda nc: (-nc[1], nc[0]))
    if not ranked:
        return ""
    groups: list[tuple[int, list[str]]] = []
    for name, count in ranked:
        if groups and groups[-1][0] == count:
            groups[-1][1].append(name)
        elif len(groups) < top:
            groups.append((count, [name]))
        else:
            break
    parts = []
    for count, names in groups:
        each = " vardera" if len(names) > 1 else ""
        parts.append(f"{join_sv(names)} ({count}{each})")
    head = f"flest {unit} inom {parts[0]}"
    if len(parts) == 1:
        return head
    return f"{head}, följt av {join_sv(parts[1:])}"


def extremes_phrase(figures: Sequence[tuple[str, Figure]]) -> str:
    """Highest and lowest of named figures; empty for fewer than two.

    Example: ``högst inom Teknik (70,2 %) och lägst inom Innovation (58,9 %)``.
    """
    valid = [(n, f) for n, f in figures if f.value is not None]
    if len(valid) < 2:
        return ""
    ranked = sorted(valid, key=lambda nf: (-displayed_value(nf[1]), nf[0]))
    hi, lo = ranked[0], ranked[-1]
    if displayed_value(hi[1]) == displayed_value(lo[1]):
        return f"lika högt inom alla ({hi[1].display})"
    return f"högst inom {hi[0]} ({hi[1].display}) och lägst inom {lo[0]} ({lo[1].display})"


def trend_sentence(series: Sequence[Figure], label: str, *, opening: str | None = None) -> str:
    """The development over all available years, in one sentence.

    Examples: ``Sedan 2022 har digital mognad ökat från 56,0 % till 65,1 % (2022: 56,0 %, 2024:
    64,2 %, 2025: 65,1 %).`` With a turn: ``... efter en minskning 2024 har det vänt uppåt igen.``
    Returns an empty string for fewer than three years (the year-over-year sentence covers two).
    ``opening`` replaces ``Sedan 2023 har <label>`` (e.g. ``Resultat har under samma period``)
    when several series over the same years follow each other.
    """
    series = sorted((f for f in series if f.value is not None), key=lambda f: f.year)
    if len(series) < 3:
        return ""
    first, last = series[0], series[-1]
    overall = figure_change(last, first)
    values = ", ".join(f"{f.year}: {f.display}" for f in series)
    lead = opening or f"Sedan {first.year} har {label}"
    if overall.unchanged:
        head = f"{lead} i stort sett legat still på {last.display}"
    else:
        head = f"{lead} {overall.verb} från {first.display} till {last.display}"
    steps = [figure_change(b, a) for a, b in zip(series, series[1:], strict=False)]
    dirs = [s.direction for s in steps]
    tail = ""
    moving = [d for d in dirs if d != "same"]
    if moving and all(d == "up" for d in moving) and len(moving) == len(dirs):
        tail = ", med en ökning varje år"
    elif moving and all(d == "down" for d in moving) and len(moving) == len(dirs):
        tail = ", med en minskning varje år"
    elif len(dirs) >= 2 and dirs[-1] != "same" and dirs[-2] != "same" and dirs[-1] != dirs[-2]:
        before = "en minskning" if dirs[-2] == "down" else "en ökning"
        turned = "uppåt" if dirs[-1] == "up" else "nedåt"
        tail = f"; efter {before} {series[-2].year} har utvecklingen vänt {turned}"
    return f"{head} ({values}){tail}."
