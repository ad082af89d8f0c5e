"""What moved a figure: its change split into the exact contributions of its components.

The index and its components are linear in their parts, so a change splits without residual:

    index            = (förutsättningar + resultat + nytta) / 3
    förutsättningar  = (digital mognad % + medarbetare %) / 20
    digital mognad % = (digital förmåga % + digitalt arv %) / 2
    resultat         = genomförandegrad % / 10
    nytta            = nyttorealisering % / 10

Each contribution is ``weight × (component this year − component in the base year)``; the
contributions add up to the figure's change. Pure and deterministic, like the rest of the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from index_engine.engine import DEFAULT_BENEFIT_CAP, compute_year
from index_engine.errors import NoDataForYearError, UnknownFigureError
from index_engine.formatting import fmt_change
from index_engine.loaders import Dataset
from index_engine.model import FIGURE_SPECS, Figure

#: Each explainable figure's components and their weights in it.
COMPONENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "index": (("forutsattningar", 1 / 3), ("resultat", 1 / 3), ("nytta", 1 / 3)),
    "forutsattningar": (("digital_mognad", 1 / 20), ("medarbetare", 1 / 20)),
    "digital_mognad": (("digital_formaga", 1 / 2), ("digitalt_arv", 1 / 2)),
    "resultat": (("genomforandegrad", 1 / 10),),
    "nytta": (("nyttorealisering", 1 / 10),),
}


@dataclass(frozen=True)
class Contribution:
    """One component's part of a figure's change."""

    key: str
    label: str
    weight: float
    value: float
    base_value: float
    display: str
    base_display: str
    change: float
    contribution: float
    contribution_display: str


@dataclass(frozen=True)
class ChangeExplanation:
    """A figure's change between two years and what it is made of."""

    key: str
    label: str
    unit: str
    year: int
    base_year: int
    value: float
    base_value: float
    display: str
    base_display: str
    change: float
    change_display: str
    contributions: tuple[Contribution, ...]
    formula: str

    @property
    def largest_up(self) -> Contribution | None:
        """The component that pulled the figure up most (None: none rose)."""
        ups = [c for c in self.contributions if c.contribution > 0]
        return max(ups, key=lambda c: c.contribution) if ups else None

    @property
    def largest_down(self) -> Contribution | None:
        """The component that pulled the figure down most (None: none fell)."""
        downs = [c for c in self.contributions if c.contribution < 0]
        return min(downs, key=lambda c: c.contribution) if downs else None


def explain_change(
    ds: Dataset,
    key: str,
    year: int,
    base_year: int | None = None,
    *,
    benefit_cap: float | None = DEFAULT_BENEFIT_CAP,
) -> ChangeExplanation:
    """Split the change of ``key`` from ``base_year`` (default: the year before) to ``year``.

    Raises:
        UnknownFigureError: ``key`` has no components (see :data:`COMPONENTS`).
        NoDataForYearError: either year lacks the figure or one of its components.
    """
    if key not in COMPONENTS:
        raise UnknownFigureError(key, sorted(COMPONENTS))
    base = year - 1 if base_year is None else base_year
    now = compute_year(ds, year, benefit_cap=benefit_cap).figures
    then = compute_year(ds, base, benefit_cap=benefit_cap).figures

    def pick(figures: dict[str, Figure], k: str, y: int) -> Figure:
        fig = figures.get(k)
        if fig is None or fig.value is None:
            raise NoDataForYearError(y, ds.years(), FIGURE_SPECS[k].label)
        return fig

    main, main_base = pick(now, key, year), pick(then, key, base)
    assert main.value is not None and main_base.value is not None
    parts: list[Contribution] = []
    for comp, weight in COMPONENTS[key]:
        a, b = pick(now, comp, year), pick(then, comp, base)
        assert a.value is not None and b.value is not None
        change = a.value - b.value
        contribution = weight * change
        parts.append(
            Contribution(
                key=comp,
                label=a.label,
                weight=weight,
                value=a.value,
                base_value=b.value,
                display=a.display,
                base_display=b.display,
                change=change,
                contribution=contribution,
                contribution_display=fmt_change(contribution, main.unit, 2),
            )
        )
    change = main.value - main_base.value
    return ChangeExplanation(
        key=key,
        label=main.label,
        unit=main.unit,
        year=year,
        base_year=base,
        value=main.value,
        base_value=main_base.value,
        display=main.display,
        base_display=main_base.display,
        change=change,
        change_display=fmt_change(change, main.unit, 2),
        contributions=tuple(parts),
        formula=" + ".join(f"{_weight(w)} × Δ {FIGURE_SPECS[k].label}" for k, w in COMPONENTS[key]),
    )


def _weight(w: float) -> str:
    return {1 / 3: "1/3", 1 / 20: "1/20", 1 / 2: "1/2", 1 / 10: "1/10"}.get(w, f"{w:g}")
