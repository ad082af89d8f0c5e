"""Resultat (genomförandegrad) and Nytta (nyttorealisering), per year, vectorised.

Genomförandegrad (our rule): every initiative listed for a year counts as *decided* that year,
whatever its status (``beslutad``, ``pågående``, ``genomförd``, ``pausad``, ``avbruten``); the
*delivered* ones have status ``genomförd``. Genomförandegrad = delivered / decided × 100.

Nyttorealisering (our rule): per indicator of the benefit register,
``achievement = (measured - baseline) / (expected - baseline)`` with ``baseline = 0`` when empty,
so indicators that should go down work too. Achievement is clipped to ``[0, cap]``
(``DEFAULT_BENEFIT_CAP = 1.0``: over-achievement does not make up for another indicator's
shortfall; ``cap=None`` only clips at 0). Indicators without a measured value are not yet followed
up and are left out (counted in the inputs). Nyttorealisering = mean achievement × 100 over the
year's measured indicators (the year is the benefit row's follow-up year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from index_engine._series import Series, Val, codes
from index_engine.model import DELIVERED_STATUS

__all__ = ["DEFAULT_BENEFIT_CAP", "achievement", "genomforande_series", "nytta_series"]

#: Upper clip of a single indicator's achievement (1.0 = 100 %).
DEFAULT_BENEFIT_CAP: float | None = 1.0


def achievement(
    baseline: pd.Series, expected: pd.Series, measured: pd.Series, cap: float | None = 1.0
) -> pd.Series:
    """Per-indicator achievement, clipped to ``[0, cap]`` (NaN where not measured).

    Args:
        baseline: Baseline values (NaN = 0).
        expected: Expected values.
        measured: Measured values (NaN = not yet measured).
        cap: Upper clip (None = no upper clip).

    Returns:
        The achievement of each indicator as a fraction (1.0 = as expected).
    """
    b = baseline.fillna(0.0).to_numpy(dtype="float64")
    e = expected.to_numpy(dtype="float64")
    m = measured.to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (m - b) / (e - b)
    a = np.clip(a, 0.0, np.inf if cap is None else cap)
    return pd.Series(a, index=measured.index)


def genomforande_series(initiatives: pd.DataFrame) -> Series:
    """Counts and genomförandegrad per year, overall and per objekt.

    Args:
        initiatives: ``Dataset.initiatives``.

    Returns:
        Series for ``antal_initiativ``, ``antal_genomforda``, ``genomforandegrad`` and
        ``genomforandegrad.<objekt>``, ``antal_initiativ.<objekt>``.
    """
    out: Series = {}
    if not len(initiatives):
        return out
    yc, years = codes(initiatives["year"])
    oc, objekt = codes(initiatives["objekt"])
    sc, statuses = codes(initiatives["status"])
    ny, no, ns = len(years), len(objekt), len(statuses)
    done = np.isin(sc, [i for i, st in enumerate(statuses) if st == DELIVERED_STATUS])
    decided_y = np.bincount(yc, minlength=ny)
    done_y = np.bincount(yc, weights=done, minlength=ny)
    status_y = np.bincount(yc * ns + sc, minlength=ny * ns).reshape(ny, ns)
    decided_yo = np.bincount(yc * no + oc, minlength=ny * no).reshape(ny, no)
    done_yo = np.bincount(yc * no + oc, weights=done, minlength=ny * no).reshape(ny, no)
    for yi, year_value in enumerate(years):
        y = int(year_value)
        decided, n_done = int(decided_y[yi]), int(done_y[yi])
        per_status = {str(s): int(c) for s, c in zip(statuses, status_y[yi], strict=True) if c}
        out.setdefault("antal_initiativ", {})[y] = Val(
            float(decided), decided, {"status": per_status}
        )
        out.setdefault("antal_genomforda", {})[y] = Val(
            float(n_done), n_done, {"genomforda": n_done}
        )
        out.setdefault("genomforandegrad", {})[y] = Val(
            n_done / decided * 100.0,
            decided,
            {"genomforda": n_done, "beslutade": decided, "status": per_status},
        )
        for oi, name in enumerate(objekt):
            d = int(decided_yo[yi, oi])
            if d == 0:
                continue
            k = int(done_yo[yi, oi])
            out.setdefault(f"genomforandegrad.{name}", {})[y] = Val(
                k / d * 100.0, d, {"genomforda": k, "beslutade": d}
            )
            out.setdefault(f"antal_initiativ.{name}", {})[y] = Val(float(d), d, {"genomforda": k})
    return out


def nytta_series(benefits: pd.DataFrame, cap: float | None = DEFAULT_BENEFIT_CAP) -> Series:
    """Nyttorealisering per year, overall and per benefit kind (vectorised with bincount).

    Args:
        benefits: ``Dataset.benefits``.
        cap: Upper clip of one indicator's achievement (see the module docstring).

    Returns:
        Series for ``nyttorealisering`` and ``nyttorealisering.<kind>``.
    """
    out: Series = {}
    if not len(benefits):
        return out
    a = achievement(benefits["baseline"], benefits["expected"], benefits["measured"], cap)
    a_np = a.to_numpy()
    measured = ~np.isnan(a_np)
    yc, years = codes(benefits["year"])
    kc, kinds = codes(benefits["kind"])
    ny, nk = len(years), len(kinds)
    weights = np.where(measured, a_np, 0.0)
    rows_per_year = np.bincount(yc, minlength=ny)
    n_per_year = np.bincount(yc, weights=measured, minlength=ny)
    sum_per_year = np.bincount(yc, weights=weights, minlength=ny)
    yk = yc * nk + kc
    rows_yk = np.bincount(yk, minlength=ny * nk).reshape(ny, nk)
    n_yk = np.bincount(yk, weights=measured, minlength=ny * nk).reshape(ny, nk)
    sum_yk = np.bincount(yk, weights=weights, minlength=ny * nk).reshape(ny, nk)
    for yi, year_value in enumerate(years):
        y = int(year_value)
        per_kind: dict[str, float] = {}
        for ki, kind in enumerate(kinds):
            n = int(n_yk[yi, ki])
            if n == 0:
                continue
            value = float(sum_yk[yi, ki]) / n * 100.0
            per_kind[str(kind)] = value
            out.setdefault(f"nyttorealisering.{kind}", {})[y] = Val(
                value,
                n,
                {"indikatorer": n, "ej_uppmatta": int(rows_yk[yi, ki]) - n, "tak": cap},
            )
        n = int(n_per_year[yi])
        if n == 0:
            continue
        out.setdefault("nyttorealisering", {})[y] = Val(
            float(sum_per_year[yi]) / n * 100.0,
            n,
            {
                "indikatorer": n,
                "ej_uppmatta": int(rows_per_year[yi]) - n,
                "tak": cap,
                "per_nyttoslag": dict(sorted(per_kind.items())),
            },
        )
    return out
