"""The digitaliseringsindex: pure functions from a :class:`Dataset` to figures with provenance.

::

    index            = mean(förutsättningar, resultat, nytta)        (needs all three)
    förutsättningar  = mean(digital_mognad %, medarbetare %) / 10    (needs both)
    resultat         = genomförandegrad % / 10
    nytta            = nyttorealisering % / 10

The sub-measures and their rules live in :mod:`index_engine.dimios` (DiMiOS, employee survey),
:mod:`index_engine.results` (genomförandegrad, nyttorealisering) and
:mod:`index_engine.portfolio`. A figure whose inputs are missing for a year is absent, never
invented. Each figure's *previous* value is the nearest earlier year that has that figure.
No IO, no settings, no clock; values are unrounded, rounding happens only in ``display``.
"""

from __future__ import annotations

from index_engine._series import Series, Val
from index_engine.dimios import DIMENSION_KEYS, dimios_series, employee_series
from index_engine.errors import NoDataForYearError, UnknownFigureError
from index_engine.formatting import fmt_change, fmt_number, fmt_percent
from index_engine.loaders import Dataset
from index_engine.model import (
    AREAS,
    BENEFIT_KINDS,
    DIMENSIONS,
    FIGURE_SPECS,
    DimiosResult,
    EmployeeResult,
    Figure,
    FigureSpec,
    YearReport,
)
from index_engine.portfolio import portfolio_for_year
from index_engine.results import DEFAULT_BENEFIT_CAP, genomforande_series, nytta_series

__all__ = [
    "DEFAULT_BENEFIT_CAP",
    "available_years",
    "compute_all",
    "compute_year",
    "display_value",
    "figure_keys",
    "figure_series",
    "spec_for",
]

#: Breakdown figures: ``<base>.<name>`` -> (label template, unit, formula, decimals).
_SUB_SPECS: dict[str, tuple[str, str, str, int]] = {
    "dimios_omrade": (
        "DiMiOS område {name}",
        "percent",
        "medel av områdets svar, varje svar (poäng - 1) / 5 × 100",
        1,
    ),
    "dimios_verksamhet": (
        "Digital mognad {name}",
        "percent",
        "som digital mognad, på verksamhetens svar",
        1,
    ),
    "medarbetare_verksamhet": (
        "Medarbetare {name} (medel 1–5)",
        "score5",
        "medel av verksamhetens svar (1–5)",
        2,
    ),
    "genomforandegrad": (
        "Genomförandegrad {name}",
        "percent",
        "genomförda / beslutade × 100 inom objektet",
        1,
    ),
    "antal_initiativ": ("Antal initiativ {name}", "count", "antal initiativ inom objektet", 0),
    "nyttorealisering": (
        "Nyttorealisering {name}",
        "percent",
        "medel av nyttoslagets indikatorers måluppfyllelse × 100, begränsad till [0, tak]",
        1,
    ),
}


def spec_for(key: str) -> FigureSpec:
    """The spec (label, unit, formula) of a figure key, including breakdown keys.

    Args:
        key: E.g. ``"index"`` or ``"genomforandegrad.Social omsorg"``.

    Returns:
        The spec.

    Raises:
        UnknownFigureError: The key is not a figure.
    """
    if key in FIGURE_SPECS:
        return FIGURE_SPECS[key]
    base, dot, name = key.partition(".")
    if dot and name and base in _SUB_SPECS:
        label, unit, formula, decimals = _SUB_SPECS[base]
        direction = None if unit == "count" else "higher"
        return FigureSpec(key, label.format(name=name), unit, formula, decimals, direction)
    raise UnknownFigureError(key, figure_keys())


def figure_keys() -> list[str]:
    """The main figure keys (breakdowns are ``<base>.<name>`` of ``_SUB_SPECS``)."""
    return list(FIGURE_SPECS)


def _derive(series: Series) -> None:
    """Add förutsättningar, resultat, nytta and index where their inputs exist."""
    dm = series.get("digital_mognad", {})
    med = series.get("medarbetare", {})
    for year in sorted(set(dm) & set(med)):
        series.setdefault("forutsattningar", {})[year] = Val(
            (dm[year].value + med[year].value) / 2.0 / 10.0,
            2,
            {"digital_mognad": dm[year].value, "medarbetare": med[year].value},
        )
    for key, source, name in (
        ("resultat", "genomforandegrad", "genomforandegrad"),
        ("nytta", "nyttorealisering", "nyttorealisering"),
    ):
        for year, v in series.get(source, {}).items():
            series.setdefault(key, {})[year] = Val(v.value / 10.0, v.n, {name: v.value})
    parts = [series.get(k, {}) for k in ("forutsattningar", "resultat", "nytta")]
    common = set(parts[0]) & set(parts[1]) & set(parts[2])
    for year in sorted(common):
        f, r, n = (p[year].value for p in parts)
        series.setdefault("index", {})[year] = Val(
            (f + r + n) / 3.0, 3, {"forutsattningar": f, "resultat": r, "nytta": n}
        )


def compute_all(ds: Dataset, *, benefit_cap: float | None = DEFAULT_BENEFIT_CAP) -> Series:
    """Every figure (main and breakdown keys) for every year that has its inputs.

    Args:
        ds: The dataset.
        benefit_cap: Upper clip of one indicator's achievement (``None`` = no upper clip).

    Returns:
        ``key -> year -> Val`` (unrounded value, n, inputs).
    """
    series: Series = {}
    series.update(dimios_series(ds.dimios, ds.dimios_recipients))
    series.update(employee_series(ds.employee))
    series.update(genomforande_series(ds.initiatives))
    series.update(nytta_series(ds.benefits, benefit_cap))
    _derive(series)
    return series


def display_value(value: float, spec: FigureSpec) -> str:
    """A value as the figure shows it: ``65,1 %`` for a percentage, ``8,2`` otherwise."""
    if spec.unit == "percent":
        return fmt_percent(value, spec.decimals)
    return fmt_number(value, spec.decimals)


def _make_figure(
    key: str, year: int, by_year: dict[int, Val], spec: FigureSpec | None = None
) -> Figure:
    spec = spec or spec_for(key)
    v = by_year[year]
    earlier = [y for y in by_year if y < year]
    prev_year = max(earlier) if earlier else None
    previous = by_year[prev_year].value if prev_year is not None else None
    change = v.value - previous if previous is not None else None
    return Figure(
        key=key,
        label=spec.label,
        value=v.value,
        display=display_value(v.value, spec),
        unit=spec.unit,
        year=year,
        n=v.n,
        formula=spec.formula,
        inputs=dict(v.inputs),
        previous=previous,
        previous_year=prev_year,
        change=change,
        change_display=fmt_change(change, spec.unit, spec.decimals) if change is not None else None,
        direction=spec.direction,
    )


def _figures_with_prefix(
    series: Series, base: str, year: int, names: list[str]
) -> dict[str, Figure]:
    out: dict[str, Figure] = {}
    for name in names:
        key = f"{base}.{name}"
        if year in series.get(key, {}):
            out[name] = _make_figure(key, year, series[key])
    return out


def _names_with_prefix(series: Series, base: str, year: int) -> list[str]:
    prefix = base + "."
    return sorted(k[len(prefix) :] for k, v in series.items() if k.startswith(prefix) and year in v)


def available_years(ds: Dataset) -> list[int]:
    """Years with any data, ascending."""
    return ds.years()


def compute_year(
    ds: Dataset, year: int, *, benefit_cap: float | None = DEFAULT_BENEFIT_CAP
) -> YearReport:
    """Every figure of one year, with breakdowns, previous-year changes and the portfolio.

    Args:
        ds: The dataset.
        year: The year.
        benefit_cap: Upper clip of one indicator's achievement (see :mod:`index_engine.results`).

    Returns:
        The year's report; figures without inputs that year are absent from ``figures``.

    Raises:
        NoDataForYearError: The dataset has nothing for ``year``.
    """
    year = int(year)
    years = ds.years()
    if year not in years:
        raise NoDataForYearError(year, years)
    series = compute_all(ds, benefit_cap=benefit_cap)
    figures = {
        key: _make_figure(key, year, series[key])
        for key in FIGURE_SPECS
        if year in series.get(key, {})
    }
    by_dimension = {
        dim: figures[DIMENSION_KEYS[dim]] for dim in DIMENSIONS if DIMENSION_KEYS[dim] in figures
    }
    dimios = DimiosResult(
        by_dimension=by_dimension,
        by_area=_figures_with_prefix(series, "dimios_omrade", year, list(AREAS)),
        by_verksamhet=_figures_with_prefix(
            series, "dimios_verksamhet", year, _names_with_prefix(series, "dimios_verksamhet", year)
        ),
    )
    employee = EmployeeResult(
        mean=figures.get("medarbetare_medel"),
        percent=figures.get("medarbetare"),
        positive=figures.get("medarbetare_positiva"),
        neutral=figures.get("medarbetare_neutrala"),
        negative=figures.get("medarbetare_negativa"),
        by_verksamhet=_figures_with_prefix(
            series,
            "medarbetare_verksamhet",
            year,
            _names_with_prefix(series, "medarbetare_verksamhet", year),
        ),
    )
    objekt_names = list(ds.objekt) + [
        n for n in _names_with_prefix(series, "genomforandegrad", year) if n not in ds.objekt
    ]
    return YearReport(
        year=year,
        figures=figures,
        dimios=dimios,
        employee=employee,
        genomforande_by_objekt=_figures_with_prefix(series, "genomforandegrad", year, objekt_names),
        nytta_by_kind=_figures_with_prefix(series, "nyttorealisering", year, list(BENEFIT_KINDS)),
        portfolio=portfolio_for_year(ds.initiatives, year, ds.objekt),
    )


def figure_series(
    ds: Dataset, key: str, *, benefit_cap: float | None = DEFAULT_BENEFIT_CAP
) -> list[Figure]:
    """One figure for every year it exists, ascending.

    Args:
        ds: The dataset.
        key: A main key (``"index"``, ``"digital_mognad"``, ...) or a breakdown key
            (``"genomforandegrad.Social omsorg"``, ``"dimios_omrade.Teknik"``,
            ``"nyttorealisering.ekonomisk"``, ``"dimios_verksamhet.<namn>"``, ...).
        benefit_cap: Upper clip of one indicator's achievement.

    Returns:
        The figures (empty when the key is valid but has no data).

    Raises:
        UnknownFigureError: The key is not a figure.
    """
    spec = spec_for(key)
    by_year = compute_all(ds, benefit_cap=benefit_cap).get(key, {})
    return [_make_figure(key, y, by_year, spec) for y in sorted(by_year)]
