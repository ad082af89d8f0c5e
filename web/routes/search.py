"""Router for search: ``GET /api/search`` over the ingested reports (hybrid by default)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from web.deps import ServicesDep

router = APIRouter(prefix="/api", tags=["sök"])


@router.get("/search")
async def search(
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="Fråga eller sökord.")],
    k: Annotated[int, Query(ge=1, le=50, description="Antal träffar.")] = 5,
    year: Annotated[int | None, Query(ge=1900, le=2200, description="Rapportår.")] = None,
    source: Annotated[str | None, Query(max_length=300, description="Dokument.")] = None,
    section: Annotated[
        str | None,
        Query(max_length=40, pattern=r"^\d+(\.\d+)*\.?$", description="Avsnitt, t.ex. 5.4"),
    ] = None,
    mode: Annotated[
        Literal["hybrid", "bm25", "dense"],
        Query(description="Sökmetod: hybrid (BM25 + bästa mening), bm25 eller dense."),
    ] = "hybrid",
) -> dict[str, Any]:
    """The best passages: text, source, section, title, page and score."""

    def run() -> list[Any]:
        return services.retriever.search(
            q, k=k, year=year, source=source or None, section=section or None, mode=mode
        )

    hits = await run_in_threadpool(run)
    return {
        "hits": [
            {
                "text": h.text,
                "source": h.source,
                "section": h.section,
                "section_title": h.section_title,
                "title": h.title,
                "page": h.page,
                "year": h.year,
                "score": round(h.score, 6),
            }
            for h in hits
        ]
    }
