"""The ``digirapport`` command. Each module registers its commands on the shared typer app."""

from web.cli import (  # noqa: F401  (imported for their commands)
    admin,
    ask,
    classify,
    db,
    draft,
    explain,
    index,
    ingest,
    mcp,
    serve,
    verified,
)
from web.cli._app import app, main

__all__ = ["app", "main"]
