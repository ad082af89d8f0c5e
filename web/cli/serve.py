"""``digirapport serve``: run the app with uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from web.cli._app import app, friendly_errors, settings_for


@app.command()
@friendly_errors
def serve(
    host: Annotated[
        str | None, typer.Option(help="Adress att lyssna på (standard 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (standard 8000).")] = None,
) -> None:
    """Starta webbappen (chatt, instrumentpanel, klassning, utkast) och API:t."""
    import uvicorn

    from web.app import create_app

    settings = settings_for()
    host = host or settings.host
    port = port or settings.port
    # The app must know the address it is bound to (auth is off only on localhost).
    settings = settings.model_copy(update={"host": host, "port": port})
    mode = "offline" if settings.offline else "språkmodell"
    typer.echo(f"Digirapport körs på http://{host}:{port} ({mode})")
    # Logging is configured by create_app (DIGI_LOG_FORMAT, DIGI_LOG_LEVEL); uvicorn's loggers go
    # through it, and its access log is off: the app writes one line per request with its id.
    # proxy_headers off: the app alone decides whom to believe (DIGI_TRUSTED_PROXIES,
    # web.proxies); uvicorn would otherwise trust X-Forwarded-For from 127.0.0.1 by default.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )
