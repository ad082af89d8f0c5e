"""``GET /api/conversations`` and ``GET /api/conversations/{id}``: stored chat conversations."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from web.deps import ServicesDep

router = APIRouter(tags=["chatt"])

#: Messages returned for one conversation (the model only ever sees the capped history).
MAX_MESSAGES_SHOWN = 1000


@router.get("/api/conversations", summary="Senaste konversationerna")
def list_conversations(
    services: ServicesDep, limit: int = Query(default=50, ge=1, le=500)
) -> dict[str, Any]:
    """Newest first: id, title, updated_at and the number of messages."""
    return {"conversations": services.storage.list_conversations(limit=limit)}


@router.get("/api/conversations/{conversation_id}", summary="En konversation")
def get_conversation(conversation_id: str, services: ServicesDep) -> dict[str, Any]:
    """All messages of a conversation.

    An assistant message's ``data`` holds its sources, tool calls, warnings and mode.
    """
    messages = services.storage.history(conversation_id, limit=MAX_MESSAGES_SHOWN)
    title = next((m.content[:200] for m in messages if m.role == "user"), "")
    return {
        "id": conversation_id,
        "title": title,
        "messages": [{"role": m.role, "content": m.content, "data": m.data} for m in messages],
    }
