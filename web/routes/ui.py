"""The browser UI: ``GET /`` serves the single page, ``GET /static/...`` its CSS and JavaScript.

The UI is plain HTML, CSS and ES modules in ``web/static`` (no build step). It talks only to the
HTTP API documented in ``docs/architecture.md``. Files are served from that one folder; any path
that would leave it answers 404.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

router = APIRouter(tags=["gränssnitt"])

#: Headers for the HTML page: always revalidate so a new version is picked up at once.
_PAGE_HEADERS = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}

_MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}


@router.get("/", include_in_schema=False)
def index_page() -> FileResponse:
    """The single page of the browser UI."""
    return FileResponse(STATIC_DIR / "index.html", headers=_PAGE_HEADERS)


@router.get("/static/{path:path}", include_in_schema=False)
def static_file(path: str) -> FileResponse:
    """A file under ``web/static`` (404 for anything else, including paths leaving the folder)."""
    root = STATIC_DIR.resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise HTTPException(status_code=404, detail="Filen finns inte.")
    media_type = _MEDIA_TYPES.get(target.suffix.lower(), "application/octet-stream")
    return FileResponse(target, media_type=media_type, headers=_PAGE_HEADERS)
