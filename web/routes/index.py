"""``/api/index`` and ``/api/figures``: the digitaliseringsindex and every figure behind it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from index_engine import available_years, compute_year, figure_series
from web.deps import ServicesDep

router = APIRouter(tags=["digitaliseringsindex"])


@router.get("/api/index", summary="År med data")
def index_years(services: ServicesDep) -> dict[str, Any]:
    """The years that have data, and the latest of them."""
    years = available_years(services.dataset)
    return {"years": years, "latest": years[-1] if years else None}


@router.get("/api/index/{year}", summary="Digitaliseringsindex för ett år")
def index_year(year: int, services: ServicesDep) -> dict[str, Any]:
    """Index, components, sub-measures, breakdowns and portfolio of one year, with provenance.

    A year without data gives 404 with a Swedish message.
    """
    return compute_year(services.dataset, year).to_dict()


@router.get("/api/figures/{key}", summary="Ett nyckeltal över tid")
def figure(key: str, services: ServicesDep) -> dict[str, Any]:
    """One figure for every year it exists (``index``, ``digital_mognad``, ...).

    Breakdown keys work too, e.g. ``genomforandegrad.Social omsorg`` or ``dimios_omrade.Teknik``.
    An unknown key gives 404.
    """
    return {"key": key, "series": [f.to_dict() for f in figure_series(services.dataset, key)]}
