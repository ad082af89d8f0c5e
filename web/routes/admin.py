"""``/api/admin``: API keys and the audit log (admin role only, enforced by ``web.auth``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from web.auth import audit_csv_lines, key_secret
from web.deps import ServicesDep

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
