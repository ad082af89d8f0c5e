"""What if: the index and its components recomputed with some inputs changed, and the inverse.

:func:`simulate` takes a year's figures and overrides some inputs — a component (Förutsättningar,
Resultat, Nytta), a sub-measure (digital mognad, a dimension, a DiMiOS area, medarbetare as a
percentage or as the 1–5 mean, genomförandegrad, nyttorealisering), or "these initiatives
completed" — and recomputes every figure above them with the index formulas. A figure above an
override is recomputed only when one of its inputs changed, so an empty scenario (or one that
overrides with today's values) returns today's figures exactly.

:func:`solve_target` answers the inverse question: which value of one input reaches a target
(e.g. index 8,5) when everything else stays as it is. Every figure is affine in every single
input, so two simulations give the line and a third checks the answer. When the value needed
lies outside the input's range, the target is not reachable with that input alone, and the
result says how far the input's best value gets.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from index_engine.dimios import DIMENSION_KEYS
from index_engine.engine import DEFAULT_BENEFIT_CAP, compute_all, display_value, spec_for
from index_engine.errors import InvalidScenarioError, NoDataForYearError
from index_engine.formatting import fmt_change, fmt_number
from index_engine.loaders import Dataset
from index_engine.model import AREAS, DELIVERED_STATUS, DIMENSIONS
from index_engine.results import genomforande_series

__all__ = [
    "INPUT_RANGES",
    "TARGET_INPUTS",
    "Simulation",
    "SimulatedFigure",
    "TargetResult",
    "feeds",
    "simulate",
    "solve_target",
    "target_paths",
]


#: The inputs a scenario may set, and their valid ranges (in the figure's own unit).
INPUT_RANGES: dict[str, tuple[float, float]] = {
    "index": (0.0, 10.0),
    "forutsattningar": (0.0, 10.0),
    "resultat": (0.0, 10.0),
    "nytta": (0.0, 10.0),
    "digital_mognad": (0.0, 100.0),
    "digital_formaga": (0.0, 100.0),
    "digitalt_arv": (0.0, 100.0),
    **{f"dimios_omrade.{a}": (0.0, 100.0) for a in AREAS},
    "medarbetare": (0.0, 100.0),
    "medarbetare_medel": (1.0, 5.0),
    "genomforandegrad": (0.0, 100.0),
    "nyttorealisering": (0.0, 100.0),
}

#: How each figure is made from the ones before it (in order: inputs before what they feed).
_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((DIMENSION_KEYS[d], tuple(f"dimios_omrade.{a}" for a in DIMENSIONS[d])) for d in DIMENSIONS),
    ("digital_mognad", ("digital_formaga", "digitalt_arv")),
    ("medarbetare", ("medarbetare_medel",)),
    ("forutsattningar", ("digital_mognad", "medarbetare")),
    ("resultat", ("genomforandegrad",)),
    ("nytta", ("nyttorealisering",)),
    ("index", ("forutsattningar", "resultat", "nytta")),
)

#: The single inputs :func:`target_paths` tries, in the order a manager would read them.
TARGET_INPUTS: tuple[str, ...] = (
    "genomforandegrad",
    "nyttorealisering",
    "digital_mognad",
    "medarbetare_medel",
)


def _formula(key: str, parts: list[float]) -> float:
    if key == "medarbetare":
        return parts[0] / 5.0 * 100.0
    if key == "forutsattningar":
        return (parts[0] + parts[1]) / 2.0 / 10.0
    if key in ("resultat", "nytta"):
        return parts[0] / 10.0
    return sum(parts) / len(parts)  # dimensions, digital mognad, index


@dataclass(frozen=True)
class SimulatedFigure:
    """One figure today and in the scenario."""

    key: str
    label: str
    unit: str
    value: float
    display: str
    simulated: float
    simulated_display: str
    difference: float
    difference_display: str
    overridden: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (every field; nested parts as dicts)."""
        return asdict(self)


@dataclass(frozen=True)
class Simulation:
    """A year's figures under a scenario, beside today's."""

    year: int
    overrides: dict[str, float]
    completed: tuple[str, ...]
    figures: tuple[SimulatedFigure, ...]

    def figure(self, key: str) -> SimulatedFigure:
        """The figure ``key`` (KeyError when the scenario has no such figure)."""
        for f in self.figures:
            if f.key == key:
                return f
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (every field; nested parts as dicts)."""
        return asdict(self)


@dataclass(frozen=True)
class TargetResult:
    """The value of one input that makes a figure reach a target, everything else unchanged."""

    year: int
    target: str
    target_label: str
    target_value: float
    target_display: str
    vary: str
    vary_label: str
    vary_current: float
    vary_current_display: str
    current: float
    current_display: str
    reachable: bool
    needed: float | None
    needed_display: str | None
    best: float
    best_display: str
    best_reaches: float
    best_reaches_display: str
    already: bool
    initiatives_needed: int | None = None
    initiatives_decided: int | None = None
    simulation: Simulation | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (every field; nested parts as dicts)."""
        return asdict(self)


def _check_key(key: str, field_name: str) -> None:
    if key not in INPUT_RANGES:
        raise InvalidScenarioError(
            f"Okänt nyckeltal '{key}' i {field_name}. Möjliga: {', '.join(sorted(INPUT_RANGES))}.",
            field=field_name,
            value=key,
        )


def _check_value(key: str, value: Any, field_name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    lo, hi = INPUT_RANGES[key]
    if not math.isfinite(number) or not lo <= number <= hi:
        raise InvalidScenarioError(
            f"{spec_for(key).label} måste vara ett tal mellan {fmt_number(lo, 0)} och "
            f"{fmt_number(hi, 0)} (fick {value!r}).",
            field=field_name,
            value=value,
            min=lo,
            max=hi,
        )
    return number


def _base_values(ds: Dataset, year: int, cap: float | None) -> dict[str, float]:
    years = ds.years()
    if year not in years:
        raise NoDataForYearError(year, years)
    series = compute_all(ds, benefit_cap=cap)
    return {k: series[k][year].value for k in INPUT_RANGES if year in series.get(k, {})}


def _completed_rate(ds: Dataset, year: int, completed: Sequence[str]) -> float:
    """Genomförandegrad with the listed initiatives of ``year`` set to genomförd."""
    ini = ds.initiatives
    of_year = ini[ini["year"] == year]
    known = set(of_year["id"].astype(str))
    unknown = [i for i in completed if i not in known]
    if unknown:
        raise InvalidScenarioError(
            f"Initiativ som inte finns för {year}: {', '.join(unknown)}.",
            field="completed",
            value=unknown,
        )
    changed = of_year.assign(
        status=of_year["status"].where(~of_year["id"].astype(str).isin(completed), DELIVERED_STATUS)
    )
    return genomforande_series(changed)["genomforandegrad"][year].value


def simulate(
    ds: Dataset,
    year: int,
    overrides: Mapping[str, Any] | None = None,
    completed: Sequence[str] = (),
    *,
    benefit_cap: float | None = DEFAULT_BENEFIT_CAP,
) -> Simulation:
    """The year's figures with some inputs changed (see the module docstring).

    Args:
        ds: The dataset.
        year: The year whose figures are the starting point.
        overrides: Figure key -> value in the figure's unit (keys of :data:`INPUT_RANGES`).
        completed: Initiative ids of ``year`` that are counted as genomförda.
        benefit_cap: Upper clip of one indicator's achievement.

    Returns:
        Every figure of the index tree today and in the scenario.

    Raises:
        NoDataForYearError: The year has no data, or lacks an input of the index.
        InvalidScenarioError: An unknown key, a value out of range, an unknown initiative, or
            both genomförandegrad and completed initiatives given.
    """
    year = int(year)
    wanted: dict[str, float] = {}
    for key, value in (overrides or {}).items():
        _check_key(key, f"overrides.{key}")
        wanted[key] = _check_value(key, value, f"overrides.{key}")
    done = tuple(str(i) for i in completed)
    if done and "genomforandegrad" in wanted:
        raise InvalidScenarioError(
            "Ange antingen genomförandegrad eller vilka initiativ som blir genomförda, inte båda.",
            field="completed",
            value=list(done),
        )
    return _run(ds, year, _base_values(ds, year, benefit_cap), wanted, done)


def _run(
    ds: Dataset,
    year: int,
    base: Mapping[str, float],
    wanted: Mapping[str, float],
    done: tuple[str, ...] = (),
) -> Simulation:
    """The scenario on the year's values ``base`` (computed once by the caller)."""
    for key in ("forutsattningar", "resultat", "nytta", "index"):
        if key not in base and key not in wanted:
            raise NoDataForYearError(year, ds.years(), spec_for(key).label)
    now = dict(base)
    changed: set[str] = set()
    if done:
        now["genomforandegrad"] = _completed_rate(ds, year, done)
        changed.add("genomforandegrad")
    for key, value in wanted.items():
        now[key] = value
        changed.add(key)
    for key, parts in _RULES:
        if key in wanted or not changed.intersection(parts):
            continue
        present = [p for p in parts if p in now]
        if key not in ("digital_formaga", "digitalt_arv") and len(present) < len(parts):
            missing = next(p for p in parts if p not in now)
            raise NoDataForYearError(year, ds.years(), spec_for(missing).label)
        now[key] = _formula(key, [now[p] for p in present])
        changed.add(key)
    figures = []
    for key in INPUT_RANGES:
        if key not in now:
            continue
        spec = spec_for(key)
        today = base.get(key, now[key])
        diff = now[key] - today
        figures.append(
            SimulatedFigure(
                key=key,
                label=spec.label,
                unit=spec.unit,
                value=today,
                display=display_value(today, spec),
                simulated=now[key],
                simulated_display=display_value(now[key], spec),
                difference=diff,
                difference_display=fmt_change(diff, spec.unit, spec.decimals),
                overridden=key in wanted or (key == "genomforandegrad" and bool(done)),
            )
        )
    return Simulation(year=year, overrides=dict(wanted), completed=done, figures=tuple(figures))


def solve_target(
    ds: Dataset,
    year: int,
    target: str,
    value: Any,
    vary: str,
    *,
    benefit_cap: float | None = DEFAULT_BENEFIT_CAP,
) -> TargetResult:
    """The value of ``vary`` that brings ``target`` to ``value``, everything else as in ``year``.

    Raises:
        InvalidScenarioError: Unknown keys, a target out of range, or ``vary`` that does not feed
            ``target``.
        NoDataForYearError: The year lacks the figures.
    """
    _check_key(vary, "vary")
    goal = _check_goal(target, value)
    return _solve(ds, int(year), _base_values(ds, int(year), benefit_cap), target, goal, vary)


def _check_goal(target: str, value: Any) -> float:
    _check_key(target, "target")
    return _check_value(target, value, "target.value")


def _solve(
    ds: Dataset, year: int, base: Mapping[str, float], target: str, goal: float, vary: str
) -> TargetResult:
    lo, hi = INPUT_RANGES[vary]
    at_lo = _run(ds, year, base, {vary: lo}).figure(target)
    at_hi = _run(ds, year, base, {vary: hi}).figure(target)
    slope = at_hi.simulated - at_lo.simulated
    if vary == target or abs(slope) < 1e-12:
        raise InvalidScenarioError(
            f"{spec_for(vary).label} påverkar inte {spec_for(target).label}.",
            field="vary",
            value=vary,
        )
    spec_t, spec_v = spec_for(target), spec_for(vary)
    current = at_lo.value
    vary_today = base.get(vary)
    if vary_today is None:
        raise NoDataForYearError(year, ds.years(), spec_v.label)
    needed = lo + (goal - at_lo.simulated) / slope * (hi - lo)
    reachable = lo - 1e-9 <= needed <= hi + 1e-9
    best = hi if slope > 0 else lo
    if goal < current:
        best = lo if slope > 0 else hi
    best_reaches = (at_hi if best == hi else at_lo).simulated
    needed = min(max(needed, lo), hi)
    sim = _run(ds, year, base, {vary: needed}) if reachable else None
    extra: dict[str, int] = {}
    if vary == "genomforandegrad" and reachable:
        extra = _initiatives_needed(ds, year, needed)
    return TargetResult(
        year=year,
        target=target,
        target_label=spec_t.label,
        target_value=goal,
        target_display=display_value(goal, spec_t),
        vary=vary,
        vary_label=spec_v.label,
        vary_current=vary_today,
        vary_current_display=display_value(vary_today, spec_v),
        current=current,
        current_display=display_value(current, spec_t),
        reachable=reachable,
        needed=needed if reachable else None,
        needed_display=_ceil_display(needed, spec_v) if reachable else None,
        best=best,
        best_display=display_value(best, spec_v),
        best_reaches=best_reaches,
        best_reaches_display=display_value(best_reaches, spec_t),
        already=goal <= current,
        initiatives_needed=extra.get("needed"),
        initiatives_decided=extra.get("decided"),
        simulation=sim,
    )


def _ceil_display(value: float, spec: Any) -> str:
    """The needed value rounded *up* at the shown precision, so the shown value does reach."""
    step = 10.0**-spec.decimals
    return display_value(math.ceil(value / step - 1e-9) * step, spec)


def _initiatives_needed(ds: Dataset, year: int, rate: float) -> dict[str, int]:
    """How many more of the year's initiatives must be genomförda to reach ``rate`` %."""
    ini = ds.initiatives
    of_year = ini[ini["year"] == year]
    decided = len(of_year)
    done = int((of_year["status"] == DELIVERED_STATUS).sum())
    return {"needed": max(0, math.ceil(rate / 100.0 * decided - 1e-9) - done), "decided": decided}


def feeds(vary: str, target: str) -> bool:
    """Whether ``vary`` is an input below ``target`` in the index formulas."""
    above = {vary}
    for key, parts in _RULES:  # inputs come before what they feed
        if above.intersection(parts):
            above.add(key)
    return vary != target and target in above


def target_paths(
    ds: Dataset,
    year: int,
    target: str,
    value: Any,
    vary: str | None = None,
    *,
    benefit_cap: float | None = DEFAULT_BENEFIT_CAP,
) -> list[TargetResult]:
    """:func:`solve_target` for ``vary``, or for each of :data:`TARGET_INPUTS` below ``target``.

    The year's values are computed once for all the inputs tried.

    Raises:
        InvalidScenarioError: As :func:`solve_target` (for ``vary``, also when it does not feed
            ``target``).
    """
    if vary is not None:
        _check_key(vary, "vary")
    goal = _check_goal(target, value)
    year = int(year)
    base = _base_values(ds, year, benefit_cap)
    inputs = [vary] if vary is not None else [v for v in TARGET_INPUTS if feeds(v, target)]
    return [_solve(ds, year, base, target, goal, v) for v in inputs]
