"""``/api/admin``: API keys, the audit log and others' conversations (admin role only).

The role is enforced by ``web.auth``. Reading someone else's conversation is possible only here,
and every read is audited with whose conversation it was.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from web.auth import audit_csv_lines, key_secret
from web.deps import CallerDep, ServicesDep
from web.routes.conversations import conversation_body

router = APIRouter(prefix="/api/admin", tags=["administration"])


class NewKey(BaseModel):
    """A key to create."""

    name: str = Field(min_length=1, max_length=200, description="Vem eller vad nyckeln är för.")
    role: Literal["reader", "editor", "admin"] = Field(description="reader | editor | admin")


@router.get("/audit.csv", summary="Granskningsloggen som CSV")
def audit_csv(
    services: ServicesDep,
    request: Request,
    since: Annotated[
        datetime | None, Query(description="Bara poster från och med (ISO 8601).")
    ] = None,
) -> StreamingResponse:
    """Every audit record (questions, answers, tools, sources, mode, key id, time), oldest first."""
    storage = services.storage
    records = list(storage.audit_records(since=since))
    storage.audit(
        "audit_export", {"records": len(records)}, key_id=getattr(request.state, "key_id", None)
    )
    return StreamingResponse(
        audit_csv_lines(records),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="granskningslogg.csv"'},
    )


@router.post("/audit/purge", summary="Gallra granskningsloggen enligt lagringstiden")
def audit_purge(services: ServicesDep) -> dict[str, Any]:
    """Delete records older than ``DIGI_AUDIT_RETENTION_DAYS`` (the only deletion there is)."""
    days = services.settings.audit_retention_days
    return {"deleted": services.storage.purge_audit_older_than(days), "retention_days": days}


@router.get("/keys", summary="API-nycklar")
def list_keys(services: ServicesDep) -> dict[str, Any]:
    """All keys with id, name, role and revocation (never the keys or their hashes)."""
    return {"keys": services.storage.list_api_keys()}


@router.post("/keys", status_code=201, summary="Skapa en API-nyckel")
def create_key(body: NewKey, services: ServicesDep, request: Request) -> dict[str, Any]:
    """Create a key; the plain key is in ``key`` and is shown only this once."""
    record, plain = services.storage.create_api_key(
        body.name, body.role, secret=key_secret(services.settings)
    )
    services.storage.audit(
        "key_created",
        {"id": record["id"], "name": record["name"], "role": record["role"]},
        key_id=getattr(request.state, "key_id", None),
    )
    return {**record, "key": plain}


@router.delete("/keys/{key_id}", summary="Återkalla en API-nyckel")
def revoke_key(key_id: str, services: ServicesDep, request: Request) -> dict[str, Any]:
    """Revoke a key by id; it stops working at once in every process sharing the database."""
    if not services.storage.revoke_api_key(key_id):
        raise HTTPException(404, detail=f"Ingen aktiv nyckel med id {key_id!r}.")
    services.storage.audit(
        "key_revoked", {"id": key_id}, key_id=getattr(request.state, "key_id", None)
    )
    return {"id": key_id, "revoked": True}


@router.get("/conversations", summary="Alla konversationer (med ägare)")
def list_all_conversations(
    services: ServicesDep,
    owner: Annotated[str | None, Query(description="Bara denna ägares (t.ex. key:k_…).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Every owner's conversations, newest first, with their owner (titles, not messages)."""
    return {
        "conversations": services.storage.list_conversations(
            limit=limit, owner=owner, with_owner=True
        )
    }


@router.get("/conversations/{conversation_id}", summary="Läs någons konversation (granskas)")
def read_any_conversation(
    conversation_id: str, services: ServicesDep, caller: CallerDep, request: Request
) -> dict[str, Any]:
    """One conversation of any owner; the audit log records who read whose."""
    storage = services.storage
    owner = storage.conversation_owner(conversation_id)  # 404 when there is none
    body = conversation_body(conversation_id, services, None)
    storage.audit(
        "conversation_read_by_admin",
        {"conversation_id": conversation_id, "owner": owner, "reader": caller.owner},
        key_id=getattr(request.state, "key_id", None),
    )
    return {**body, "owner": owner}


@router.post("/conversations/purge", summary="Gallra konversationer enligt lagringstiden")
def conversations_purge(services: ServicesDep) -> dict[str, Any]:
    """Delete conversations not continued for ``DIGI_CONVERSATION_RETENTION_DAYS`` days."""
    days = services.settings.conversation_retention_days
    deleted = services.storage.purge_conversations_older_than(days)
    return {"deleted": deleted, "retention_days": days}
