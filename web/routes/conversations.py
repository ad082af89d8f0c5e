"""``/api/conversations``: the caller's own stored chat conversations, and ``/api/me``.

Each caller lists, reads, continues and deletes only their own conversations; another owner's
conversation answers 404 exactly like one that does not exist. Admins read others' conversations
only through ``/api/admin/conversations`` (audited). In local mode (auth off) there is one user.
``/api/me`` tells who is logged in; ``/api/me/export`` gives all of one's data as JSON and
``DELETE /api/me/data`` deletes it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from assistant.errors import ConversationNotFoundError
from web.deps import CallerDep, ServicesDep

router = APIRouter(tags=["chatt"])

#: Messages returned for one conversation (the model only ever sees the capped history).
MAX_MESSAGES_SHOWN = 1000


def conversation_body(conversation_id: str, services: Any, owner: str | None) -> dict[str, Any]:
    """One conversation with all its messages, as ``owner`` may see it (None: any owner)."""
    messages = services.storage.history(conversation_id, limit=MAX_MESSAGES_SHOWN, owner=owner)
    title = next((m.content[:200] for m in messages if m.role == "user"), "")
    return {
        "id": conversation_id,
        "title": title,
        "messages": [{"role": m.role, "content": m.content, "data": m.data} for m in messages],
    }


@router.get("/api/conversations", summary="Mina senaste konversationer")
def list_conversations(
    services: ServicesDep, caller: CallerDep, limit: int = Query(default=50, ge=1, le=500)
) -> dict[str, Any]:
    """The caller's conversations, newest first: id, title, updated_at and message count."""
    return {"conversations": services.storage.list_conversations(limit=limit, owner=caller.owner)}


@router.get("/api/conversations/{conversation_id}", summary="En av mina konversationer")
def get_conversation(
    conversation_id: str, services: ServicesDep, caller: CallerDep
) -> dict[str, Any]:
    """All messages of one of the caller's conversations (404 for anyone else's).

    An assistant message's ``data`` holds its sources, tool calls, warnings and mode.
    """
    return conversation_body(conversation_id, services, caller.owner)


@router.delete("/api/conversations/{conversation_id}", summary="Radera en av mina konversationer")
def delete_conversation(
    conversation_id: str, services: ServicesDep, caller: CallerDep
) -> dict[str, Any]:
    """Delete one of the caller's conversations with its messages (404 for anyone else's)."""
    if not services.storage.delete_conversation(conversation_id, owner=caller.owner):
        raise ConversationNotFoundError(conversation_id)
    return {"id": conversation_id, "deleted": True}


@router.get("/api/me", summary="Vem är inloggad")
def me(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """The caller: name, role, the highest document level they may read, and how they logged in."""
    return {
        "name": caller.name,
        "owner": caller.owner,
        "role": caller.role,
        "clearance": caller.clearance.label,
        "via": caller.via,
        "sso": services.settings.sso_enabled,
        "conversation_retention_days": services.settings.conversation_retention_days,
    }


@router.get("/api/me/export", summary="Exportera mina data (JSON)")
def export_my_data(caller: CallerDep, services: ServicesDep) -> JSONResponse:
    """Everything stored about the caller: their conversations with every message."""
    body = {
        "exported_at": datetime.now(UTC).isoformat(),
        "user": {"name": caller.name, "owner": caller.owner, "role": caller.role},
        "conversations": services.storage.export_conversations(caller.owner),
    }
    return JSONResponse(
        body,
        headers={"Content-Disposition": 'attachment; filename="mina-data-digirapport.json"'},
    )


@router.delete("/api/me/data", summary="Radera mina data")
def delete_my_data(caller: CallerDep, services: ServicesDep) -> dict[str, Any]:
    """Delete every conversation of the caller (in local mode, where there is one user: all)."""
    deleted = services.storage.delete_conversations_of(caller.owner)
    services.storage.audit("own_data_deleted", {"conversations": deleted}, key_id=None)
    return {"deleted_conversations": deleted}
