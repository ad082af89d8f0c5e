"""``GET /healthz``: liveness plus what the instance runs with."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from web.deps import ServicesDep

router = APIRouter(tags=["hälsa"])


@router.get("/healthz", summary="Hälsokontroll")
def healthz(services: ServicesDep) -> dict[str, Any]:
    """Report that the app runs, in which mode, and the years and objekt of its data."""
    s = services.settings
    return {
        "status": "ok",
        "mode": "offline" if s.offline else "llm",
        "model": None if s.offline else s.llm_model,
        "embedder": s.embedder,
        "store": "server" if s.chroma_url else "embedded",
        "years": services.dataset.years(),
        "objekt": list(services.dataset.objekt),
    }
