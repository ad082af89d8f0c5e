"""What moved a figure: its change split into exact contributions, all the way down its tree.

The index and its components are linear in their parts, so a change splits without residual::

    index            = (förutsättningar + resultat + nytta) / 3
    förutsättningar  = (digital mognad % + medarbetare %) / 20
    digital mognad % = (digital förmåga % + digitalt arv %) / 2
    dimension %      = medel(dimensionens områden)
    resultat         = genomförandegrad % / 10
    nytta            = nyttorealisering % / 10

Each such part contributes ``weight × (its value this year − in the base year)``.

Below the formulas the figures are means over groups, and the groups change between years:

- a DiMiOS area is the mean of its answers, i.e. ``Σ share_v × mean_v`` over verksamheter
  (``share_v`` = the verksamhet's part of the area's answers); medarbetare likewise;
- genomförandegrad is ``Σ share_o × rate_o`` over objekt (``share_o`` = the objekt's part of the
  year's initiatives).

Their change is split per group into a **level effect** (the same group scored differently:
``mean share × change of its mean``) and a **mix effect** (the group's share changed:
``change of share × (its mean − the average of the two years' totals)``; a group that answered in
one year only is all mix). The two add up to the change exactly (a shift-share split, symmetric
in the years).

Nyttorealisering is the mean achievement of the year's indicators, and indicators are new each
year (they belong to the year's initiatives), so it is split against the base year's mean: each
indicator of the year contributes ``(its achievement − the base year's mean) / number of
indicators``, and a benefit kind is the sum of its indicators.

Every contribution is expressed in the unit of the figure being explained (an area's part of the
index is in index points), and every node's children add up to the node. Pure and
deterministic, like the rest of the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from index_engine._series import Series
from index_engine.dimios import DIMENSION_KEYS
from index_engine.engine import DEFAULT_BENEFIT_CAP, compute_all, display_value, spec_for
from index_engine.errors import NoDataForYearError, UnknownFigureError
from index_engine.formatting import fmt_change, fmt_number, fmt_percent
from index_engine.loaders import Dataset
from index_engine.model import AREAS, DELIVERED_STATUS, DIMENSIONS, FIGURE_SPECS
from index_engine.results import achievement

__all__ = [
    "COMPONENTS",
    "EXPLAINABLE",
    "ChangeExplanation",
    "Contribution",
    "Driver",
    "explain_change",
]

#: The figures that are a weighted sum of other figures, and their weights.
COMPONENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "index": (("forutsattningar", 1 / 3), ("resultat", 1 / 3), ("nytta", 1 / 3)),
    "forutsattningar": (("digital_mognad", 1 / 20), ("medarbetare", 1 / 20)),
    "digital_mognad": (("digital_formaga", 1 / 2), ("digitalt_arv", 1 / 2)),
    "resultat": (("genomforandegrad", 1 / 10),),
    "nytta": (("nyttorealisering", 1 / 10),),
}

#: Figure key of each DiMiOS dimension (a dimension is the mean of its areas).
_DIMENSION_OF_KEY = {key: dimension for dimension, key in DIMENSION_KEYS.items()}

#: How each kind of node's children are found (for the formula line and the docs).
_FORMULAS = {
    "dimension": "medel av områdena: varje område bidrar med 1/antal områden × Δ område",
    "groups": (
        "per grupp: nivåeffekt (samma grupp fick ett annat medelvärde) + sammansättningseffekt "
        "(gruppens andel av svaren eller initiativen ändrades)"
    ),
    "nytta": (
        "per indikator: (indikatorns måluppfyllelse − förra årets medel) / antal indikatorer; "
        "ett nyttoslag är summan av sina indikatorer"
    ),
}

#: Every figure whose change can be explained (breakdown keys ``dimios_omrade.<område>`` too).
EXPLAINABLE: tuple[str, ...] = (
    *COMPONENTS,
    *_DIMENSION_OF_KEY,
    "medarbetare",
    "medarbetare_medel",
    "genomforandegrad",
    "nyttorealisering",
)


@dataclass(frozen=True)
class Contribution:
    """One part of a figure's change: a component, a group or an indicator.

    ``contribution`` is in the unit of the figure being explained, and a node's ``children`` add
    up to its ``contribution``. For groups, ``level`` + ``mix`` = ``contribution``. ``value`` or
    ``base_value`` is None for a group or indicator present in one year only.
    """

    key: str
    label: str
    kind: str  # "komponent", "område", "verksamhet", "objekt", "nyttoslag", "indikator"
    weight: float | None
    value: float | None
    base_value: float | None
    display: str
    base_display: str
    change: float | None
    contribution: float
    contribution_display: str
    n: int | None = None
    base_n: int | None = None
    level: float | None = None
    mix: float | None = None
    children: tuple[Contribution, ...] = ()

    def walk(self) -> list[Contribution]:
        """This node and every node below it, depth first."""
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data (every field; children nested)."""
        return asdict(self)


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

    def drivers(
        self, direction: int, limit: int = 3, within: Contribution | None = None
    ) -> list[Driver]:
        """The parts furthest down that moved the figure most, up (1) or down (-1).

        A group that occurs under several parts of the same component (a verksamhet in each
        DiMiOS area) is summed over them, so each driver is named once per component.
        """
        tops = [within] if within is not None else list(self.contributions)
        summed: dict[tuple[str, str, str], float] = {}
        for top in tops:
            for node in top.walk():
                if not node.children:
                    k = (top.label, node.kind, node.label)
                    summed[k] = summed.get(k, 0.0) + node.contribution
        moved = [(k, v) for k, v in summed.items() if v * direction > 0]
        moved.sort(key=lambda kv: -abs(kv[1]))
        digits = 2
        return [
            Driver(
                label=label,
                kind=kind,
                component=component,
                contribution=amount,
                contribution_display=_shown(amount, self.unit, digits),
            )
            for (component, kind, label), amount in moved[:limit]
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data: the figure, its change, the contribution tree and the main drivers."""
        up, down = self.largest_up, self.largest_down
        return {
            "figure": self.key,
            "label": self.label,
            "unit": self.unit,
            "year": self.year,
            "base_year": self.base_year,
            "value": self.value,
            "base_value": self.base_value,
            "display": self.display,
            "base_display": self.base_display,
            "change": self.change,
            "change_display": self.change_display,
            "formula": self.formula,
            "contributions": [c.to_dict() for c in self.contributions],
            "largest_up": up.key if up else None,
            "largest_down": down.key if down else None,
            "drivers_up": [d.to_dict() for d in self.drivers(1)],
            "drivers_down": [d.to_dict() for d in self.drivers(-1)],
        }


@dataclass(frozen=True)
class Driver:
    """A part that moved a figure, summed over where it occurs within one component."""

    label: str
    kind: str
    component: str
    contribution: float
    contribution_display: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-able data."""
        return asdict(self)


def _shown(amount: float, unit: str, decimals: int) -> str:
    """A contribution as text; small ones get one more decimal so they do not read ±0."""
    small = 0 < abs(amount) < 0.5 * 10**-decimals
    return fmt_change(amount, unit, decimals + 1 if small else decimals)


class _Tree:
    """Builds the contribution tree of one explanation (one dataset, two years, one unit)."""

    def __init__(
        self, ds: Dataset, series: Series, year: int, base: int, unit: str, cap: float | None
    ) -> None:
        self.ds, self.series, self.year, self.base, self.unit = ds, series, year, base, unit
        self.cap = cap
        self.decimals = 2

    # -- values -------------------------------------------------------------------------------

    def value(self, key: str, year: int) -> float:
        """A figure's unrounded value; missing -> NoDataForYearError naming the figure."""
        v = self.series.get(key, {}).get(year)
        if v is None:
            raise NoDataForYearError(year, self.ds.years(), spec_for(key).label)
        return v.value

    def shown(self, amount: float) -> str:
        return _shown(amount, self.unit, self.decimals)

    # -- nodes --------------------------------------------------------------------------------

    def children(self, key: str, scale: float) -> tuple[Contribution, ...]:
        """The parts of ``key``'s change, each scaled into the explained figure's unit."""
        if key in COMPONENTS:
            return tuple(self._component(k, w, scale) for k, w in COMPONENTS[key])
        if key in _DIMENSION_OF_KEY:
            return self._dimension(_DIMENSION_OF_KEY[key], scale)
        base, _, name = key.partition(".")
        if base == "dimios_omrade" and name in AREAS:
            return self._groups(self._dimios_groups(name), "verksamhet", scale, key)
        if key in ("medarbetare", "medarbetare_medel"):
            per_answer = 20.0 if key == "medarbetare" else 1.0
            return self._groups(self._employee_groups(per_answer), "verksamhet", scale, key)
        if key == "genomforandegrad":
            return self._groups(self._objekt_groups(), "objekt", scale, key)
        if key == "nyttorealisering":
            return self._nytta(scale)
        return ()

    def _component(self, key: str, weight: float, scale: float) -> Contribution:
        now, then = self.value(key, self.year), self.value(key, self.base)
        spec = spec_for(key)
        amount = scale * weight * (now - then)
        return Contribution(
            key=key,
            label=spec.label,
            kind="komponent",
            weight=weight,
            value=now,
            base_value=then,
            display=display_value(now, spec),
            base_display=display_value(then, spec),
            change=now - then,
            contribution=amount,
            contribution_display=self.shown(amount),
            n=self.series[key][self.year].n,
            base_n=self.series[key][self.base].n,
            children=self.children(key, scale * weight),
        )

    def _dimension(self, dimension: str, scale: float) -> tuple[Contribution, ...]:
        """A dimension is the mean of its areas that have answers (the set may differ by year)."""

        def present(year: int) -> list[str]:
            return [a for a in DIMENSIONS[dimension] if year in self.series.get(_area(a), {})]

        now_areas, base_areas = present(self.year), present(self.base)
        out = []
        for area in DIMENSIONS[dimension]:
            key = _area(area)
            w_now = 1 / len(now_areas) if area in now_areas else 0.0
            w_base = 1 / len(base_areas) if area in base_areas else 0.0
            if not w_now and not w_base:
                continue
            now = self.value(key, self.year) if w_now else None
            then = self.value(key, self.base) if w_base else None
            amount = scale * ((w_now * now if now is not None else 0.0) - (w_base * (then or 0.0)))
            same = w_now == w_base
            out.append(
                Contribution(
                    key=key,
                    label=area,
                    kind="område",
                    weight=w_now if same else None,
                    value=now,
                    base_value=then,
                    display=_pct(now),
                    base_display=_pct(then),
                    change=now - then if now is not None and then is not None else None,
                    contribution=amount,
                    contribution_display=self.shown(amount),
                    children=self.children(key, scale * w_now) if same else (),
                )
            )
        return tuple(out)

    def _groups(
        self,
        groups: Callable[[int], dict[str, tuple[float, int]]],
        kind: str,
        scale: float,
        parent: str,
    ) -> tuple[Contribution, ...]:
        """Shift-share split of a weighted mean over groups: level + mix per group, exact."""
        now, then = groups(self.year), groups(self.base)
        n_now, n_then = sum(n for _m, n in now.values()), sum(n for _m, n in then.values())
        if not n_now or not n_then:
            return ()
        total_now = sum(m * n for m, n in now.values()) / n_now
        total_then = sum(m * n for m, n in then.values()) / n_then
        centre = (total_now + total_then) / 2
        unit = spec_for(parent).unit
        out = []
        for name in sorted(set(now) | set(then)):
            m1, c1 = now.get(name, (None, 0))
            m0, c0 = then.get(name, (None, 0))
            s1, s0 = c1 / n_now, c0 / n_then
            if m1 is not None and m0 is not None:
                mean, level = (m1 + m0) / 2, (s1 + s0) / 2 * (m1 - m0)
            else:
                mean, level = (m1 if m1 is not None else m0 or 0.0), 0.0
            mix = (s1 - s0) * (mean - centre)
            amount = scale * (level + mix)
            out.append(
                Contribution(
                    key=f"{kind}:{name}",
                    label=name,
                    kind=kind,
                    weight=None,
                    value=m1,
                    base_value=m0,
                    display=_unit_display(m1, unit),
                    base_display=_unit_display(m0, unit),
                    change=m1 - m0 if m1 is not None and m0 is not None else None,
                    contribution=amount,
                    contribution_display=self.shown(amount),
                    n=c1,
                    base_n=c0,
                    level=scale * level,
                    mix=scale * mix,
                )
            )
        return tuple(out)

    # -- the groups of each figure: name -> (mean in the figure's unit, weight count) ----------

    def _dimios_groups(self, area: str) -> Callable[[int], dict[str, tuple[float, int]]]:
        d = self.ds.dimios
        rows = d[d["area"] == area]

        def groups(year: int) -> dict[str, tuple[float, int]]:
            r = rows[rows["year"] == year]
            pct = (r["score"].astype("float64") - 1.0) * 20.0
            return _mean_count(pct.groupby(r["verksamhet"].astype(str)))

        return groups

    def _employee_groups(self, per_answer: float) -> Callable[[int], dict[str, tuple[float, int]]]:
        e = self.ds.employee

        def groups(year: int) -> dict[str, tuple[float, int]]:
            r = e[e["year"] == year]
            names = r["verksamhet"].fillna("").astype(str).replace("", "(utan verksamhet)")
            return _mean_count((r["score"].astype("float64") * per_answer).groupby(names))

        return groups

    def _objekt_groups(self) -> Callable[[int], dict[str, tuple[float, int]]]:
        ini = self.ds.initiatives

        def groups(year: int) -> dict[str, tuple[float, int]]:
            r = ini[ini["year"] == year]
            done = (r["status"] == DELIVERED_STATUS).astype("float64") * 100.0
            return _mean_count(done.groupby(r["objekt"].astype(str)))

        return groups

    def _nytta(self, scale: float) -> tuple[Contribution, ...]:
        """Kinds and indicators of the year, each against the base year's mean achievement."""
        b = self.ds.benefits
        a = achievement(b["baseline"], b["expected"], b["measured"], self.cap) * 100.0
        measured = b.assign(achievement=a)[a.notna()]
        now = measured[measured["year"] == self.year]
        if not len(now):
            return ()
        base_mean = self.value("nyttorealisering", self.base)
        n = len(now)
        kinds = []
        for kind, rows in now.groupby(now["kind"].astype(str), sort=True):
            indicators = []
            for _i, r in rows.sort_values("achievement").iterrows():
                amount = scale * (float(r["achievement"]) - base_mean) / n
                indicators.append(
                    Contribution(
                        key=f"indikator:{r['initiative_id']}:{r['indicator']}",
                        label=f"{r['indicator']} ({r['initiative_id']})",
                        kind="indikator",
                        weight=1 / n,
                        value=float(r["achievement"]),
                        base_value=None,
                        display=fmt_percent(float(r["achievement"]), 1),
                        base_display="–",
                        change=None,
                        contribution=amount,
                        contribution_display=self.shown(amount),
                    )
                )
            mean = float(rows["achievement"].mean())
            amount = sum(i.contribution for i in indicators)
            before = self.series.get(f"nyttorealisering.{kind}", {}).get(self.base)
            kinds.append(
                Contribution(
                    key=f"nyttoslag:{kind}",
                    label=str(kind),
                    kind="nyttoslag",
                    weight=len(rows) / n,
                    value=mean,
                    base_value=before.value if before else None,
                    display=fmt_percent(mean, 1),
                    base_display=_pct(before.value if before else None),
                    change=mean - before.value if before else None,
                    contribution=amount,
                    contribution_display=self.shown(amount),
                    n=len(rows),
                    base_n=before.n if before else 0,
                    children=tuple(indicators),
                )
            )
        return tuple(kinds)


def _area(area: str) -> str:
    return f"dimios_omrade.{area}"


def _mean_count(grouped: Any) -> dict[str, tuple[float, int]]:
    agg = grouped.agg(["mean", "size"])
    return {str(k): (float(r["mean"]), int(r["size"])) for k, r in agg.iterrows()}


def _pct(value: float | None) -> str:
    return "–" if value is None else fmt_percent(value, 1)


def _unit_display(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    return fmt_percent(value, 1) if unit == "percent" else fmt_number(value, 2)


def _formula(key: str) -> str:
    if key in COMPONENTS:
        return " + ".join(f"{_weight(w)} × Δ {FIGURE_SPECS[k].label}" for k, w in COMPONENTS[key])
    if key in _DIMENSION_OF_KEY or key.startswith("dimios_omrade."):
        rule = "dimension" if key in _DIMENSION_OF_KEY else "groups"
        return _FORMULAS[rule]
    return _FORMULAS["nytta" if key == "nyttorealisering" else "groups"]


def explain_change(
    ds: Dataset,
    key: str,
    year: int,
    base_year: int | None = None,
    *,
    benefit_cap: float | None = DEFAULT_BENEFIT_CAP,
) -> ChangeExplanation:
    """Split the change of ``key`` from ``base_year`` (default: the year before) to ``year``.

    Args:
        ds: The dataset.
        key: A key of :data:`EXPLAINABLE` or ``dimios_omrade.<område>``.
        year: The year explained.
        base_year: The year compared with (default ``year - 1``).
        benefit_cap: Upper clip of one indicator's achievement.

    Returns:
        The change and its contribution tree (children add up to their parent exactly).

    Raises:
        UnknownFigureError: ``key`` cannot be explained.
        NoDataForYearError: either year lacks the figure or one of its components.
    """
    if key not in EXPLAINABLE and not (
        key.startswith("dimios_omrade.") and key.partition(".")[2] in AREAS
    ):
        raise UnknownFigureError(key, [*EXPLAINABLE, *(_area(a) for a in AREAS)])
    base = year - 1 if base_year is None else int(base_year)
    series = compute_all(ds, benefit_cap=benefit_cap)
    spec = spec_for(key)
    tree = _Tree(ds, series, int(year), base, spec.unit, benefit_cap)
    now, then = tree.value(key, int(year)), tree.value(key, base)
    change = now - then
    return ChangeExplanation(
        key=key,
        label=spec.label,
        unit=spec.unit,
        year=int(year),
        base_year=base,
        value=now,
        base_value=then,
        display=display_value(now, spec),
        base_display=display_value(then, spec),
        change=change,
        change_display=fmt_change(change, spec.unit, tree.decimals),
        contributions=tree.children(key, 1.0),
        formula=_formula(key),
    )


def _weight(w: float) -> str:
    return {1 / 3: "1/3", 1 / 20: "1/20", 1 / 2: "1/2", 1 / 10: "1/10"}.get(w, f"{w:g}")
