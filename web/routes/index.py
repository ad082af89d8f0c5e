"""``/api/index`` and ``/api/figures``: the digitaliseringsindex and every figure behind it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from index_engine import (
    available_years,
    compute_year,
    explain_change,
    figure_series,
    simulate,
    target_paths,
)
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


@router.get("/api/index/{year}/explain", summary="Vad drev förändringen")
def explain(
    year: int,
    services: ServicesDep,
    figure: Annotated[str, Query(description="Nyckeltalet som förklaras, t.ex. index")] = "index",
    base: Annotated[int | None, Query(description="Jämförelseår (standard: året före)")] = None,
) -> dict[str, Any]:
    """A figure's change from ``base`` to ``year`` split exactly into its parts, all the way down.

    Each part's ``contribution`` is in the figure's own unit and the children of a part add up to
    it; groups (verksamheter, objekt) carry a level and a mix effect. ``drivers_up`` and
    ``drivers_down`` name the parts furthest down that moved the figure most. Explainable:
    ``index``, ``forutsattningar``, ``digital_mognad``, ``digital_formaga``, ``digitalt_arv``,
    ``dimios_omrade.<område>``, ``medarbetare``, ``medarbetare_medel``, ``resultat``,
    ``genomforandegrad``, ``nytta``, ``nyttorealisering``. Another figure gives 404, a year
    without the figure 404.
    """
    return explain_change(services.dataset, figure, year, base).to_dict()


class TargetRequest(BaseModel):
    """A target for one figure (e.g. index 8,5)."""

    model_config = ConfigDict(extra="forbid")

    figure: str = Field("index", description="Nyckeltalet som ska nå målet")
    value: float = Field(..., description="Målvärdet i nyckeltalets enhet, t.ex. 8.5")


class SimulateRequest(BaseModel):
    """A what-if scenario, a target, or both (an unknown field is a 422, not ignored)."""

    model_config = ConfigDict(extra="forbid")

    overrides: dict[str, float] = Field(
        default_factory=dict,
        description="Nyckeltal -> nytt värde, t.ex. {'genomforandegrad': 95} "
        "(procent 0–100, index 0–10, medarbetare_medel 1–5)",
    )
    completed: list[str] = Field(
        default_factory=list,
        max_length=10_000,
        description="Id för årets initiativ som räknas som genomförda",
    )
    target: TargetRequest | None = Field(
        None, description="Ett mål: vilket värde på en indata når det, allt annat oförändrat"
    )
    vary: str | None = Field(
        None, description="Indatan som varieras mot målet (utelämnad: de vanliga vägarna)"
    )


@router.post("/api/index/{year}/simulate", summary="Tänk om: räkna om indexet")
def simulate_year(year: int, body: SimulateRequest, services: ServicesDep) -> dict[str, Any]:
    """The year's figures recomputed with some inputs changed, beside today's; and/or a target.

    ``simulation`` holds every figure of the index tree today and in the scenario. With
    ``target``, ``targets`` holds the value of ``vary`` (or of each usual input in turn:
    genomförandegrad, nyttorealisering, digital mognad, medarbetare) that reaches it when
    everything else stays as in ``year``, or ``reachable: false`` with how far the input's best
    value gets. Unknown keys, values out of range or unknown initiatives give 422 with a Swedish
    message naming the field.
    """
    ds = services.dataset
    out: dict[str, Any] = {
        "simulation": simulate(ds, year, body.overrides, body.completed).to_dict(),
    }
    if body.target is not None:
        t = body.target
        out["targets"] = [r.to_dict() for r in target_paths(ds, year, t.figure, t.value, body.vary)]
    return out
