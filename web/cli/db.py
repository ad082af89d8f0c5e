"""``digirapport db upgrade`` and ``digirapport db current``: the database schema (Alembic)."""

from __future__ import annotations

import typer

from web.cli._app import app, friendly_errors, settings_for

db_app = typer.Typer(help="Databasens schema: visa version, uppgradera.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _describe(revision: str | None) -> str:
    return revision or "ingen"


@db_app.command("upgrade")
@friendly_errors
def db_upgrade() -> None:
    """Uppgradera databasens schema till senaste versionen (under migreringslåset).

    En databas från före migreringarna stämplas med den version den motsvarar, den byggs inte om.
    """
    settings = settings_for()
    from assistant import migrations
    from assistant.storage import make_engine

    engine = make_engine(settings.resolved_database_url)
    try:
        result = migrations.upgrade(engine)
    finally:
        engine.dispose()
    if result.stamped:
        typer.echo(f"Databasen saknade versionsstämpel och stämplades som {result.stamped}.")
    if not result.changed:
        typer.echo(f"Databasen har redan senaste versionen ({result.after}).")
    else:
        before = result.before or result.stamped or "tom"
        typer.echo(f"Databasen uppgraderad: {before} -> {result.after}.")


@db_app.command("current")
@friendly_errors
def db_current() -> None:
    """Visa databasens schemaversion (ändrar ingenting); slutkod 1 när den behöver uppgraderas."""
    settings = settings_for()
    from assistant import migrations
    from assistant.storage import make_engine

    engine = make_engine(settings.resolved_database_url)
    try:
        state = migrations.state_of(engine)
    finally:
        engine.dispose()
    typer.echo(f"Databas: {engine.url.render_as_string(hide_password=True)}")
    if state.current is None and state.tables == 0:
        typer.echo(f"Version: ingen (tom databas). Senaste: {state.head}.")
    elif state.current is None:
        typer.echo(
            f"Version: ingen stämpel (skapad före migreringarna; motsvarar "
            f"{_describe(state.legacy)}). Senaste: {state.head}."
        )
    else:
        typer.echo(f"Version: {state.current}. Senaste: {state.head}.")
    if state.up_to_date:
        typer.echo("Schemat är aktuellt.")
    else:
        typer.echo("Kör 'digirapport db upgrade' för att uppgradera.")
        raise typer.Exit(code=1)
