"""Chapter drafts: the list of chapters, a draft as JSON (Markdown + figures + sources), as Word."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from assistant.docx_export import draft_to_docx
from assistant.drafts import Draft, chapter_list, draft_chapter
from web.deps import ServicesDep
from web.services import Services

log = logging.getLogger("digirapport.web")

router = APIRouter(prefix="/api/drafts", tags=["utkast"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DraftRequest(BaseModel):
    """Which chapter, for which year."""

    chapter: str = Field(min_length=1, max_length=40, examples=["index"])
    year: int = Field(ge=1990, le=2100, examples=[2025])


def optional_retriever(services: Services) -> Any | None:
    """The retriever when a report is ingested, else None (drafts are written without passages).

    The store is optional for drafts: if it cannot be opened the draft is still written, without
    citing the report, and the reason is logged.
    """
    settings = services.settings
    if not settings.chroma_url and not settings.chroma_dir.exists():
        return None  # nothing ingested yet: do not create an empty store just to search it
    try:
        if not services.store.list_documents():
            return None
        return services.retriever
    except Exception:  # noqa: BLE001  (retrieval is optional for a draft)
        log.warning("Rapportsök är inte tillgänglig för utkast", exc_info=True)
        return None


def build_draft(services: Services, chapter: str, year: int) -> Draft:
    """Draft ``chapter`` for ``year`` with the services' dataset, retriever and model."""
    return draft_chapter(
        services.dataset,
        chapter,
        year,
        retriever=optional_retriever(services),
        chat_model=services.chat_model,
    )


@router.get("/chapters")
def list_chapters() -> dict[str, Any]:
    """The chapters that can be drafted: ``{"chapters": [{"key", "title"}]}``."""
    return {"chapters": chapter_list()}


@router.post("")
def create_draft(body: DraftRequest, services: ServicesDep) -> dict[str, Any]:
    """Draft a chapter: Markdown, the figures used, the passages cited, charts and warnings."""
    return build_draft(services, body.chapter, body.year).to_dict()


@router.get("/{chapter}/{year}.docx")
def download_docx(chapter: str, year: int, services: ServicesDep) -> Response:
    """The drafted chapter as a Word document (attachment)."""
    draft = build_draft(services, chapter, year)
    filename = f"{draft.chapter}-{draft.year}.docx"
    return Response(
        content=draft_to_docx(draft),
        media_type=DOCX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
