"""The digitalisation portfolio of one year: axes, the average initiative, bubbles, objekt.

Extern/intern split (our rule): on the ``extern_intern`` axis 1–2 count as *intern* (benefit for
the organisation), 4–5 as *extern* (residents, companies) and 3 as *neutral*; shares are percent
of the year's initiatives. The change in count compares with the nearest earlier year that has
initiatives.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from index_engine._series import items
from index_engine.model import AXES, PortfolioResult

__all__ = ["portfolio_for_year"]


def portfolio_for_year(
    initiatives: pd.DataFrame, year: int, objekt: tuple[str, ...]
) -> PortfolioResult:
    """The portfolio of ``year``.

    Args:
        initiatives: ``Dataset.initiatives`` (all years; the previous year is needed).
        year: The year.
        objekt: The configured objekt list (order breaks ties in ``per_objekt``).

    Returns:
        The portfolio (``count == 0`` and empty distributions when the year has no initiatives).
    """
    years = initiatives["year"].to_numpy()
    mask = years == year
    sub = initiatives.loc[mask]
    count = int(mask.sum())
    earlier = np.unique(years[years < year])
    previous_year = int(earlier[-1]) if len(earlier) else None
    previous_count = int((years == previous_year).sum()) if previous_year is not None else None
    change = count - previous_count if previous_count is not None and count else None
    change_pct = change / previous_count * 100.0 if change is not None and previous_count else None
    if count == 0:
        return PortfolioResult(
            year=year,
            count=0,
            previous_count=previous_count,
            previous_year=previous_year,
            per_objekt={o: 0 for o in objekt},
        )
    distribution: dict[str, dict[int, int]] = {}
    average: dict[str, float] = {}
    for axis in AXES:
        values = sub[axis].to_numpy(dtype="int64")
        counts = np.bincount(values, minlength=6)
        distribution[axis] = {v: int(counts[v]) for v in range(1, 6)}
        average[axis] = float(values.mean())
    cells = (
        pd.DataFrame(
            {
                "innovation_effektivitet": sub["innovation_effektivitet"].to_numpy(),
                "operativt_strategiskt": sub["operativt_strategiskt"].to_numpy(),
            }
        )
        .groupby(["innovation_effektivitet", "operativt_strategiskt"])
        .size()
    )
    grid = [
        {"innovation_effektivitet": int(ie), "operativt_strategiskt": int(os_), "count": int(c)}
        for (ie, os_), c in items(cells)
    ]
    ei = sub["extern_intern"].to_numpy(dtype="int64")
    ei_counts = {
        "extern": int((ei >= 4).sum()),
        "intern": int((ei <= 2).sum()),
        "neutral": int((ei == 3).sum()),
    }
    shares = {k: v / count * 100.0 for k, v in ei_counts.items()}
    per = sub["objekt"].value_counts()
    order = {o: i for i, o in enumerate(objekt)}
    names = list(objekt) + [str(o) for o in per.index if o not in order]
    per_objekt = {
        name: int(per.get(name, 0))
        for name in sorted(names, key=lambda o: (-int(per.get(o, 0)), order.get(o, len(order))))
    }
    return PortfolioResult(
        year=year,
        count=count,
        previous_count=previous_count,
        previous_year=previous_year,
        change_in_count=change,
        change_in_count_pct=change_pct,
        axis_distribution=distribution,
        average=average,
        grid=grid,
        extern_intern=shares,
        extern_intern_counts=ei_counts,
        per_objekt=per_objekt,
    )
