"""Router for documents: upload (multipart), list and delete ingested documents.

An upload is written to a temporary file, parsed and ingested; only when that succeeded is it
kept under ``data_dir/uploads``. A rejected upload (type 415, size 413, corrupt/empty/binary 400)
leaves the store and the uploads folder unchanged.

Every document has a security level (öppen, intern, känslig; an upload names it, default
intern) and records who uploaded it. A caller sees, and may delete, only documents up to their
clearance; one above it is "not found", like one that does not exist.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool

from ingest.errors import DocumentNotFoundError, DocumentParseError, FileTooLargeError
from ingest.models import DEFAULT_LEVEL, SecurityLevel
from ingest.parsers import supported_suffix
from web.deps import CallerDep, ServicesDep

router = APIRouter(prefix="/api/documents", tags=["dokument"])

_READ_BLOCK = 1024 * 1024


#: Temporary folders of uploads in progress (``remove_stale_uploads`` clears what a crash left).
UPLOAD_TMP_PREFIX = "upload-"
#: An upload folder older than this at start-up was left by a process that died.
STALE_UPLOAD_SECONDS = 3600


def remove_stale_uploads(data_dir: Path, older_than: float = STALE_UPLOAD_SECONDS) -> int:
    """Remove upload folders left by a killed process; returns how many were removed."""
    import time

    removed = 0
    if not data_dir.is_dir():
        return 0
    for folder in data_dir.glob(f"{UPLOAD_TMP_PREFIX}*"):
        try:
            if folder.is_dir() and time.time() - folder.stat().st_mtime > older_than:
                shutil.rmtree(folder)
                removed += 1
        except OSError:
            continue
    return removed


#: Bytes of a stored file name (file systems allow 255; the temp folder's path adds more).
MAX_NAME_BYTES = 180


def safe_name(name: str | None) -> str:
    """A plain file name: no folders or control characters, ≤ 150 characters and 180 bytes."""
    base = Path((name or "").replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f/]", "", base).strip().lstrip(".")
    if not base:
        raise DocumentParseError("Filen saknar namn.", file=name or "")
    # a lone surrogate cannot be a file name on disk; file systems count bytes (255)
    base = base.encode("utf-8", "replace").decode("utf-8")
    stem, suffix = Path(base).stem, Path(base).suffix[:16]
    stem = stem[: 150 - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    if not stem:
        raise DocumentParseError("Filen saknar namn.", file=name or "")
    return stem + suffix


@router.post("")
async def upload_document(
    services: ServicesDep,
    caller: CallerDep,
    file: Annotated[UploadFile, File(description="Rapport eller register.")],
    level: Annotated[
        str, Form(description="Säkerhetsnivå: öppen, intern (standard) eller känslig.")
    ] = DEFAULT_LEVEL.label,
) -> dict[str, Any]:
    """Ingest one uploaded file: ``{"source", "status", "chunks", "title", "level"}``."""
    settings = services.settings
    name = safe_name(file.filename)
    supported_suffix(name)  # refuse an unsupported type before reading the body
    wanted = SecurityLevel.parse(level, field="level")
    if wanted > caller.clearance:
        raise HTTPException(
            403,
            detail=f"Du får inte ladda upp dokument på nivån {wanted.label}: din behörighet "
            f"räcker till {caller.clearance.label}.",
        )
    await run_in_threadpool(_visible_or_missing, services, caller, name, missing_ok=True)
    limit = int(settings.max_upload_mb * 1024 * 1024)
    uploads = settings.data_dir / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix=UPLOAD_TMP_PREFIX) as tmp:
        tmp_path = Path(tmp) / name
        size = 0
        with tmp_path.open("wb") as out:
            while block := await file.read(_READ_BLOCK):
                size += len(block)
                if size > limit:
                    raise FileTooLargeError(
                        f"Filen {name} är större än gränsen {settings.max_upload_mb:g} MB.",
                        file=name,
                        limit_mb=settings.max_upload_mb,
                    )
                out.write(block)
        if size == 0:
            raise DocumentParseError(f"Filen {name} är tom.", file=name)

        def run() -> Any:
            started = time.perf_counter()
            try:
                result = services.store.ingest_file(
                    tmp_path, display_name=name, level=wanted, owner=caller.stored_owner
                )
            except Exception:
                services.metrics.observe_ingest(time.perf_counter() - started, "failed")
                raise
            services.metrics.observe_ingest(time.perf_counter() - started, result.status)
            shutil.copyfile(tmp_path, uploads / name)
            return result

        result = await run_in_threadpool(run)
    return {
        "source": result.source,
        "status": result.status,
        "chunks": result.chunks,
        "title": result.title,
        "level": wanted.label,
    }


def _visible_or_missing(
    services: Any, caller: Any, source: str, *, missing_ok: bool = False
) -> None:
    """Raise DocumentNotFoundError for a document above the caller's clearance.

    An upload may not replace such a document either (its name would disclose that it exists,
    and it would lower or raise someone else's document's level).
    """
    for doc in services.store.list_documents():
        if doc["source"] == source:
            if SecurityLevel.parse(doc["level"]) > caller.clearance:
                raise DocumentNotFoundError(
                    f"Dokumentet {source} finns inte i lagret.", source=source
                )
            return
    if not missing_ok:
        raise DocumentNotFoundError(f"Dokumentet {source} finns inte i lagret.", source=source)


@router.get("")
async def list_documents(services: ServicesDep, caller: CallerDep) -> dict[str, Any]:
    """Stored documents up to the caller's clearance: source, title, year, chunks, kind, level."""
    docs = await run_in_threadpool(services.store.list_documents, caller.clearance)
    keys = ("source", "title", "year", "chunks", "kind", "level", "uploaded_by")
    return {"documents": [{k: d.get(k) for k in keys} for d in docs]}


@router.delete("/{source:path}")
async def delete_document(source: str, services: ServicesDep, caller: CallerDep) -> dict[str, Any]:
    """Delete a document and its chunks (and its saved upload): ``{"deleted": n}``."""
    await run_in_threadpool(_visible_or_missing, services, caller, source)
    n = await run_in_threadpool(services.store.delete_document, source)
    upload = services.settings.data_dir / "uploads" / Path(source).name
    if upload.is_file():
        upload.unlink()
    return {"deleted": n}
