"""``GET /metrics``: the app's metrics in the Prometheus text format (admin when keys are on)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from web.deps import ServicesDep
from web.metrics import CONTENT_TYPE

router = APIRouter(tags=["drift"])


@router.get("/metrics", summary="Mätvärden (Prometheus)", response_class=Response)
def metrics(services: ServicesDep) -> Response:
    """Requests and latency by route and status, answers by mode, fallbacks, ingest, snapshots."""
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE)
