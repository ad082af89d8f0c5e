"""Typed results of the index engine and the vocabulary of the domain (objekt, statuses, areas).

Everything here is plain data: a :class:`Figure` carries its unrounded value, how it is shown, how
it was computed (formula, inputs, n) and how it moved since the previous year that has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "AREAS",
    "AREA_DIMENSION",
    "AXES",
    "BENEFIT_KINDS",
    "DEFAULT_OBJEKT",
    "DELIVERED_STATUS",
    "DIMENSIONS",
    "FIGURE_SPECS",
    "STATUSES",
    "DimiosResult",
    "EmployeeResult",
    "Figure",
    "FigureSpec",
    "PortfolioResult",
    "YearReport",
]

#: The municipality's management objects (a configurable list; these are the defaults).
DEFAULT_OBJEKT: tuple[str, ...] = (
    "Ledning och styrning",
    "Social omsorg",
    "Välfärd samhällsservice",
    "Välfärd skola",
    "Utbildning och arbetsmarknad",
    "Natur och trafik",
    "Kultur och fritid",
    "Samhällsbyggnad",
    "Fastighet",
    "Medborgar- och internservice",
)

#: Initiative statuses (our rule). Every initiative of a year counts as decided.
STATUSES: tuple[str, ...] = ("beslutad", "pågående", "genomförd", "pausad", "avbruten")
#: The status that counts as delivered in the genomförandegrad.
DELIVERED_STATUS = "genomförd"

#: Benefit kinds of the nyttoregister.
BENEFIT_KINDS: tuple[str, ...] = ("kvalitativ", "omställning", "ekonomisk")

#: DiMiOS dimensions and their areas.
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "Digital förmåga": ("Effektivitet", "Innovation", "Balansering"),
    "Digitalt arv": ("Teknik", "Användare", "Organisation"),
}
AREAS: tuple[str, ...] = tuple(a for areas in DIMENSIONS.values() for a in areas)
AREA_DIMENSION: dict[str, str] = {a: d for d, areas in DIMENSIONS.items() for a in areas}

#: The three portfolio axes, each an integer 1–5.
AXES: tuple[str, ...] = ("innovation_effektivitet", "operativt_strategiskt", "extern_intern")
#: What the ends of each axis mean (1, 5); 3 is in between.
AXIS_MEANINGS: dict[str, tuple[str, str]] = {
    "innovation_effektivitet": (
        "enbart effektivisering (göra det vi redan gör bättre, snabbare eller billigare)",
        "enbart innovation (något nytt)",
    ),
    "operativt_strategiskt": (
        "operativt: en direkt förändring nu",
        "strategiskt: långsiktiga förutsättningar",
    ),
    "extern_intern": (
        "intern nytta (för organisationen)",
        "extern nytta (för invånare och företag)",
    ),
}


@dataclass(frozen=True)
class FigureSpec:
    """What a figure key means: label, unit, formula text, display decimals and direction.

    ``direction`` says which way is better: ``higher`` (most figures), ``lower`` (the share of
    negative answers) or None: a count or a share that is neither good nor bad in itself (more
    initiatives is not "better"; the neutral answers).
    """

    key: str
    label: str
    unit: str  # "index10" | "percent" | "score5" | "count" | "ratio"
    formula: str
    decimals: int = 1
    direction: str | None = "higher"


FIGURE_SPECS: dict[str, FigureSpec] = {
    s.key: s
    for s in (
        FigureSpec(
            "index",
            "Digitaliseringsindex",
            "index10",
            "medel(förutsättningar, resultat, nytta)",
        ),
        FigureSpec(
            "forutsattningar",
            "Förutsättningar",
            "index10",
            "medel(digital mognad %, medarbetare %) / 10",
        ),
        FigureSpec("resultat", "Resultat", "index10", "genomförandegrad % / 10"),
        FigureSpec("nytta", "Nytta", "index10", "nyttorealisering % / 10"),
        FigureSpec(
            "digital_mognad",
            "Digital mognad (DiMiOS)",
            "percent",
            "medel(digital förmåga, digitalt arv); varje svar (poäng - 1) / 5 × 100, "
            "medel av svaren per område, medel av områdena per dimension",
        ),
        FigureSpec(
            "digital_formaga",
            "Digital förmåga",
            "percent",
            "medel(Effektivitet, Innovation, Balansering); område = medel av (poäng - 1) / 5 × 100",
        ),
        FigureSpec(
            "digitalt_arv",
            "Digitalt arv",
            "percent",
            "medel(Teknik, Användare, Organisation); område = medel av (poäng - 1) / 5 × 100",
        ),
        FigureSpec("dimios_mottagare", "DiMiOS mottagare", "count", "antal mottagare", 0, None),
        FigureSpec(
            "dimios_svarande", "DiMiOS svarande", "count", "antal olika svarande det året", 0, None
        ),
        FigureSpec(
            "dimios_svarsfrekvens",
            "DiMiOS svarsfrekvens",
            "percent",
            "svarande / mottagare × 100",
        ),
        FigureSpec(
            "medarbetare_medel",
            "Medarbetare (medel 1–5)",
            "score5",
            "medel av svaren på 'Jag har effektiva digitala stöd för mina arbetsuppgifter' (1–5)",
            2,
        ),
        FigureSpec("medarbetare", "Medarbetare", "percent", "medel / 5 × 100"),
        FigureSpec(
            "medarbetare_positiva",
            "Medarbetare positiva (4–5)",
            "percent",
            "andel svar 4–5 × 100",
        ),
        FigureSpec(
            "medarbetare_neutrala",
            "Medarbetare neutrala (3)",
            "percent",
            "andel svar 3 × 100",
            direction=None,
        ),
        FigureSpec(
            "medarbetare_negativa",
            "Medarbetare negativa (1–2)",
            "percent",
            "andel svar 1–2 × 100",
            direction="lower",
        ),
        FigureSpec(
            "genomforandegrad",
            "Genomförandegrad",
            "percent",
            "genomförda / beslutade × 100 (beslutade = årets alla initiativ, "
            "genomförda = status genomförd)",
        ),
        FigureSpec(
            "nyttorealisering",
            "Nyttorealisering",
            "percent",
            "medel av indikatorernas måluppfyllelse × 100; måluppfyllelse = "
            "(uppmätt - utgångsvärde) / (förväntat - utgångsvärde), begränsad till [0, tak]",
        ),
        FigureSpec(
            "antal_initiativ", "Antal initiativ", "count", "antal initiativ det året", 0, None
        ),
        FigureSpec(
            "antal_genomforda",
            "Antal genomförda initiativ",
            "count",
            "antal initiativ med status genomförd",
            0,
            None,
        ),
    )
}


@dataclass(frozen=True)
class Figure:
    """One computed figure with its provenance.

    Attributes:
        key: Stable key, e.g. ``"index"`` or ``"genomforandegrad.Social omsorg"``.
        label: Swedish label.
        value: Unrounded value (None only when not computable).
        display: Swedish display string (``"8,2"``, ``"65,1 %"``, ``"3,72"``).
        unit: ``index10`` | ``percent`` | ``score5`` | ``count`` | ``ratio``.
        year: The year.
        n: The number of observations behind the value.
        formula: How it was computed, in words.
        inputs: The values it was computed from.
        previous: The value of the nearest earlier year that has this figure.
        previous_year: That year.
        change: ``value - previous`` (unrounded).
        change_display: The change, Swedish style.
        direction: Which way is better: ``higher``, ``lower`` or None (neither; a count).
    """

    key: str
    label: str
    value: float | None
    display: str
    unit: str
    year: int
    n: int
    formula: str
    inputs: dict[str, Any] = field(default_factory=dict)
    previous: float | None = None
    previous_year: int | None = None
    change: float | None = None
    change_display: str | None = None
    direction: str | None = "higher"

    def to_dict(self) -> dict[str, Any]:
        """The figure as JSON-able data."""
        return {
            "key": self.key,
            "label": self.label,
            "value": self.value,
            "display": self.display,
            "unit": self.unit,
            "year": self.year,
            "n": self.n,
            "formula": self.formula,
            "inputs": self.inputs,
            "previous": self.previous,
            "previous_year": self.previous_year,
            "change": self.change,
            "change_display": self.change_display,
            "direction": self.direction,
        }


def _figs(d: dict[str, Figure]) -> dict[str, dict[str, Any]]:
    return {k: f.to_dict() for k, f in d.items()}


@dataclass(frozen=True)
class DimiosResult:
    """DiMiOS broken down: per dimension, per area and per verksamhet (internal comparison).

    Attributes:
        by_dimension: Dimension name -> Figure (keys ``digital_formaga``, ``digitalt_arv``).
        by_area: Area name -> Figure (key ``dimios_omrade.<område>``).
        by_verksamhet: Verksamhet -> digital mognad Figure (key ``dimios_verksamhet.<namn>``).
        areas: Dimension name -> its areas, in the model's order.
    """

    by_dimension: dict[str, Figure] = field(default_factory=dict)
    by_area: dict[str, Figure] = field(default_factory=dict)
    by_verksamhet: dict[str, Figure] = field(default_factory=dict)
    areas: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DIMENSIONS))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data."""
        return {
            "by_dimension": _figs(self.by_dimension),
            "by_area": _figs(self.by_area),
            "by_verksamhet": _figs(self.by_verksamhet),
            "areas": {d: list(a) for d, a in self.areas.items()},
        }


@dataclass(frozen=True)
class EmployeeResult:
    """The employee statement: mean, percent and the positive/neutral/negative shares.

    Every field is None when the year has no employee answers.
    """

    mean: Figure | None = None
    percent: Figure | None = None
    positive: Figure | None = None
    neutral: Figure | None = None
    negative: Figure | None = None
    by_verksamhet: dict[str, Figure] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data."""
        one = {
            name: (f.to_dict() if f is not None else None)
            for name, f in (
                ("mean", self.mean),
                ("percent", self.percent),
                ("positive", self.positive),
                ("neutral", self.neutral),
                ("negative", self.negative),
            )
        }
        return {**one, "by_verksamhet": _figs(self.by_verksamhet)}


@dataclass(frozen=True)
class PortfolioResult:
    """The year's portfolio on the three axes.

    Attributes:
        year: The year.
        count: Number of initiatives.
        previous_count: Number in the nearest earlier year with initiatives (or None).
        previous_year: That year.
        change_in_count: ``count - previous_count`` (None without a previous year).
        change_in_count_pct: The same in percent of ``previous_count``.
        axis_distribution: Axis -> {1..5: count} (all five values present).
        average: Axis -> mean rating (the "average initiative"); empty without initiatives.
        grid: Bubble chart cells with at least one initiative:
            ``{"innovation_effektivitet", "operativt_strategiskt", "count"}``.
        extern_intern: Shares in percent (0–100) of ``extern`` (rated 4–5), ``intern``
            (rated 1–2) and ``neutral`` (rated 3) on the ``extern_intern`` axis.
        extern_intern_counts: The same as counts.
        per_objekt: Objekt -> count, most first (ties in the configured order), all configured
            objekt included.
    """

    year: int
    count: int
    previous_count: int | None = None
    previous_year: int | None = None
    change_in_count: int | None = None
    change_in_count_pct: float | None = None
    axis_distribution: dict[str, dict[int, int]] = field(default_factory=dict)
    average: dict[str, float] = field(default_factory=dict)
    grid: list[dict[str, int]] = field(default_factory=list)
    extern_intern: dict[str, float] = field(default_factory=dict)
    extern_intern_counts: dict[str, int] = field(default_factory=dict)
    per_objekt: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (axis values become string keys in JSON)."""
        return {
            "year": self.year,
            "count": self.count,
            "previous_count": self.previous_count,
            "previous_year": self.previous_year,
            "change_in_count": self.change_in_count,
            "change_in_count_pct": self.change_in_count_pct,
            "axis_distribution": {
                a: {str(k): v for k, v in d.items()} for a, d in self.axis_distribution.items()
            },
            "average": dict(self.average),
            "grid": [dict(c) for c in self.grid],
            "extern_intern": dict(self.extern_intern),
            "extern_intern_counts": dict(self.extern_intern_counts),
            "per_objekt": dict(self.per_objekt),
        }


@dataclass(frozen=True)
class YearReport:
    """Every figure of one year, with breakdowns and the portfolio."""

    year: int
    figures: dict[str, Figure]
    dimios: DimiosResult
    employee: EmployeeResult
    genomforande_by_objekt: dict[str, Figure]
    nytta_by_kind: dict[str, Figure]
    portfolio: PortfolioResult

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (the ``GET /api/index/{year}`` response)."""
        return {
            "year": self.year,
            "figures": _figs(self.figures),
            "dimios": self.dimios.to_dict(),
            "employee": self.employee.to_dict(),
            "genomforande_by_objekt": _figs(self.genomforande_by_objekt),
            "nytta_by_kind": _figs(self.nytta_by_kind),
            "portfolio": self.portfolio.to_dict(),
        }
