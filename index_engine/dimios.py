"""Digital mognad (DiMiOS) and the employee statement, per year, vectorised.

DiMiOS (our rule; the model's owners publish no formula): each answer (1–6) maps to
``(score - 1) / 5 * 100``. An *area* is the mean of its answers, a *dimension* the mean of its
areas, and digital mognad the mean of the two dimensions (absent unless both dimensions have
answers). The same hierarchy per verksamhet gives the internal comparison. Respondents are the
distinct respondent ids of the year; the response rate needs the year's number of recipients.

Employee statement (1–5): percent = mean / 5 * 100; shares positive (4–5), neutral (3),
negative (1–2) in percent of the year's answers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from index_engine._series import Series, Val, codes, rows
from index_engine.model import AREA_DIMENSION, AREAS, DIMENSIONS

__all__ = ["DIMENSION_KEYS", "dimios_series", "employee_series"]

#: Figure key of each dimension.
DIMENSION_KEYS: dict[str, str] = {
    "Digital förmåga": "digital_formaga",
    "Digitalt arv": "digitalt_arv",
}


def _group_means(key: np.ndarray, weights: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Sum/count per integer key with bincount: (means with NaN for empty keys, counts)."""
    counts = np.bincount(key, minlength=size)
    sums = np.bincount(key, weights=weights, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts, counts


_DIM_OF_AREA = np.array([list(DIMENSIONS).index(AREA_DIMENSION[a]) for a in AREAS])


def _rollup(area_means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Area means (groups x 6 areas, NaN = no answers) -> dimension means (groups x 2), totals.

    A dimension is the mean of its areas that have answers; the total needs both dimensions.
    """
    dims = np.full((area_means.shape[0], len(DIMENSIONS)), np.nan)
    for d in range(len(DIMENSIONS)):
        block = area_means[:, _DIM_OF_AREA == d]
        present = ~np.isnan(block)
        n = present.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            dims[:, d] = np.where(n > 0, np.nansum(block, axis=1) / np.maximum(n, 1), np.nan)
    total = dims.mean(axis=1)  # NaN unless both dimensions are present
    return dims, total


def dimios_series(dimios: pd.DataFrame, recipients: pd.DataFrame) -> Series:
    """Every DiMiOS figure for every year that has the inputs (vectorised with bincount).

    Args:
        dimios: ``Dataset.dimios``.
        recipients: ``Dataset.dimios_recipients``.

    Returns:
        Series for ``digital_mognad``, ``digital_formaga``, ``digitalt_arv``,
        ``dimios_omrade.<område>``, ``dimios_verksamhet.<verksamhet>``, ``dimios_mottagare``,
        ``dimios_svarande`` and ``dimios_svarsfrekvens``.
    """
    out: Series = {}
    rec_by_year = {
        int(y): int(r) for y, r in zip(recipients["year"], recipients["recipients"], strict=True)
    }
    for year, r in rec_by_year.items():
        out.setdefault("dimios_mottagare", {})[year] = Val(float(r), r, {"mottagare": r})
    if not len(dimios):
        return out

    n_areas = len(AREAS)
    area_index = {a: i for i, a in enumerate(AREAS)}
    yc, years = codes(dimios["year"])
    ny = len(years)
    area_codes, area_names = codes(dimios["area"])
    ac = np.array([area_index[str(a)] for a in area_names], dtype=np.int64)[area_codes]
    rc, resp_names = codes(dimios["respondent"])
    vc, verk_names = codes(dimios["verksamhet"])
    nr, nv = len(resp_names), len(verk_names)
    pct = (dimios["score"].to_numpy(dtype="float64") - 1.0) * 20.0

    # Per year and area.
    means, counts = _group_means(yc * n_areas + ac, pct, ny * n_areas)
    area_means = means.reshape(ny, n_areas)
    area_counts = counts.reshape(ny, n_areas)
    dims, total = _rollup(area_means)
    answers = area_counts.sum(axis=1)
    # Distinct respondents per year, and per (year, verksamhet), without sorting: mark each
    # (year, respondent) pair once. A respondent counts under the verksamhet of their answers
    # (the last one, should a respondent's answers name several).
    pair = yc * nr + rc
    seen = np.zeros(ny * nr, dtype=bool)
    seen[pair] = True
    verk_of = np.zeros(ny * nr, dtype=np.int64)
    verk_of[pair] = vc
    present = np.flatnonzero(seen)
    respondents = np.bincount(present // nr, minlength=ny)
    resp_by_yv = np.bincount((present // nr) * nv + verk_of[present], minlength=ny * nv).reshape(
        ny, nv
    )

    for yi, year_value in enumerate(years):
        y = int(year_value)
        n_resp = int(respondents[yi])
        for ai, area in enumerate(AREAS):
            if area_counts[yi, ai] == 0:
                continue
            value = float(area_means[yi, ai])
            out.setdefault(f"dimios_omrade.{area}", {})[y] = Val(
                value,
                int(area_counts[yi, ai]),
                {
                    "dimension": AREA_DIMENSION[area],
                    "svar": int(area_counts[yi, ai]),
                    "medelpoang": value / 20.0 + 1.0,
                },
            )
        for di, dim in enumerate(DIMENSIONS):
            if np.isnan(dims[yi, di]):
                continue
            areas = {
                a: float(area_means[yi, area_index[a]])
                for a in DIMENSIONS[dim]
                if area_counts[yi, area_index[a]] > 0
            }
            out.setdefault(DIMENSION_KEYS[dim], {})[y] = Val(
                float(dims[yi, di]), n_resp, {"omraden": areas}
            )
        if not np.isnan(total[yi]):
            out.setdefault("digital_mognad", {})[y] = Val(
                float(total[yi]),
                n_resp,
                {
                    "digital_formaga": float(dims[yi, 0]),
                    "digitalt_arv": float(dims[yi, 1]),
                    "svar": int(answers[yi]),
                    "svarande": n_resp,
                },
            )
        out.setdefault("dimios_svarande", {})[y] = Val(float(n_resp), n_resp, {"svarande": n_resp})
        if y in rec_by_year:
            r = rec_by_year[y]
            out.setdefault("dimios_svarsfrekvens", {})[y] = Val(
                n_resp / r * 100.0, n_resp, {"svarande": n_resp, "mottagare": r}
            )

    # Per year, verksamhet and area -> the same roll-up per verksamhet.
    vmeans, _vcounts = _group_means((yc * nv + vc) * n_areas + ac, pct, ny * nv * n_areas)
    v_dims, v_total = _rollup(vmeans.reshape(ny * nv, n_areas))
    for flat in np.flatnonzero(~np.isnan(v_total)):
        yi, vi = divmod(int(flat), nv)
        name = str(verk_names[vi])
        n_resp = int(resp_by_yv[yi, vi])
        out.setdefault(f"dimios_verksamhet.{name}", {})[int(years[yi])] = Val(
            float(v_total[flat]),
            n_resp,
            {
                "verksamhet": name,
                "digital_formaga": float(v_dims[flat, 0]),
                "digitalt_arv": float(v_dims[flat, 1]),
                "svarande": n_resp,
            },
        )
    return out


def employee_series(employee: pd.DataFrame) -> Series:
    """The employee-statement figures for every year with answers.

    Args:
        employee: ``Dataset.employee``.

    Returns:
        Series for ``medarbetare_medel``, ``medarbetare``, ``medarbetare_positiva``,
        ``medarbetare_neutrala``, ``medarbetare_negativa`` and
        ``medarbetare_verksamhet.<verksamhet>``.
    """
    out: Series = {}
    if not len(employee):
        return out
    score = employee["score"].to_numpy(dtype="float64")
    frame = pd.DataFrame(
        {
            "year": employee["year"].to_numpy(),
            "score": score,
            "pos": score >= 4,
            "neu": score == 3,
            "neg": score <= 2,
        }
    )
    g = frame.groupby("year").agg(
        mean=("score", "mean"),
        n=("score", "size"),
        pos=("pos", "sum"),
        neu=("neu", "sum"),
        neg=("neg", "sum"),
    )
    for year, row in rows(g):
        y = int(year)
        n = int(row["n"])
        mean = float(row["mean"])
        counts = {
            "positiva": int(row["pos"]),
            "neutrala": int(row["neu"]),
            "negativa": int(row["neg"]),
        }
        out.setdefault("medarbetare_medel", {})[y] = Val(mean, n, {"svar": n, **counts})
        out.setdefault("medarbetare", {})[y] = Val(
            mean / 5.0 * 100.0, n, {"medel": mean, "svar": n}
        )
        for key, name in (
            ("medarbetare_positiva", "positiva"),
            ("medarbetare_neutrala", "neutrala"),
            ("medarbetare_negativa", "negativa"),
        ):
            out.setdefault(key, {})[y] = Val(
                counts[name] / n * 100.0, n, {name: counts[name], "svar": n}
            )
    vc, verk_names = codes(employee["verksamhet"])
    yc, years = codes(employee["year"])
    nv = len(verk_names)
    yv = yc * nv + vc
    v_counts = np.bincount(yv, minlength=len(years) * nv)
    v_sums = np.bincount(yv, weights=score, minlength=len(years) * nv)
    for flat in np.flatnonzero(v_counts):
        yi, vi = divmod(int(flat), nv)
        name = str(verk_names[vi])
        if not name:
            continue
        n = int(v_counts[flat])
        out.setdefault(f"medarbetare_verksamhet.{name}", {})[int(years[yi])] = Val(
            float(v_sums[flat]) / n, n, {"verksamhet": name, "svar": n}
        )
    return out
