"""Charts of the report as images: ``GET /api/charts/{name}?year=&format=svg|png``."""

from __future__ import annotations

from typing import Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from assistant.charts import draw_chart
from assistant.errors import InvalidInputError
from web.deps import ServicesDep

router = APIRouter(prefix="/api/charts", tags=["diagram"])


@router.get("/{name}")
def get_chart(
    name: str,
    services: ServicesDep,
    year: int | None = Query(default=None, ge=1990, le=2100, description="Standard: senaste år."),
    format: Literal["svg", "png"] = Query(default="svg"),  # noqa: A002  (the contract's name)
) -> Response:
    """One chart as SVG or PNG; the caption is in the ``X-Caption`` header (URL-encoded)."""
    dataset = services.dataset
    if year is None:
        years = dataset.years()
        if not years:
            raise InvalidInputError("Det finns ingen data att rita diagram från.", field="year")
        year = years[-1]
    chart = draw_chart(dataset, name, year, format)
    return Response(
        content=chart.data,
        media_type=chart.media_type,
        headers={"Cache-Control": "no-cache", "X-Caption": quote(chart.caption)},
    )
