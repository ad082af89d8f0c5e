"""``digirapport keys ...`` and ``digirapport audit ...``: API keys and the audit log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from web.cli._app import app, console, err_console, friendly_errors, services_for, settings_for

if TYPE_CHECKING:
    from assistant.storage import Storage

keys_app = typer.Typer(help="API-nycklar: skapa, lista, återkalla.", no_args_is_help=True)
audit_app = typer.Typer(help="Granskningsloggen: exportera och gallra.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")


def _storage() -> Storage:
    """The database named by the settings (``DIGI_DATABASE_URL`` or SQLite under the data dir)."""
    return services_for().storage


@keys_app.command("create")
@friendly_errors
def keys_create(
    name: Annotated[str, typer.Option("--name", help="Vem eller vad nyckeln är för.")],
    role: Annotated[str, typer.Option("--role", help="reader | editor | admin")] = "reader",
) -> None:
    """Skapa en API-nyckel. Nyckeln visas bara nu; databasen sparar bara dess hash."""
    settings = settings_for()
    storage = _storage()
    try:
        from web.auth import key_secret

        record, plain = storage.create_api_key(name, role, secret=key_secret(settings))
        storage.audit("key_created", {"id": record["id"], "name": name, "role": role, "via": "cli"})
    finally:
        storage.close()
    console.print(f"Skapade nyckel {record['id']} ({record['role']}, {record['name']}).")
    err_console.print("Spara nyckeln nu, den visas inte igen:")
    typer.echo(plain)


@keys_app.command("list")
@friendly_errors
def keys_list() -> None:
    """Lista nycklarna (id, roll, namn, skapad, återkallad)."""
    storage = _storage()
    try:
        keys = storage.list_api_keys()
    finally:
        storage.close()
    if not keys:
        console.print("Inga nycklar.")
        return
    for k in keys:
        state = f"återkallad {k['revoked_at']}" if k["revoked"] else "aktiv"
        console.print(
            f"{k['id']}\t{k['role']}\t{k['name']}\t{k['created_at']}\t{state}", markup=False
        )


@keys_app.command("revoke")
@friendly_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="Nyckelns id (k_...).")]) -> None:
    """Återkalla en nyckel; den slutar gälla direkt i alla processer som delar databasen."""
    storage = _storage()
    try:
        done = storage.revoke_api_key(key_id)
        if done:
            storage.audit("key_revoked", {"id": key_id, "via": "cli"})
    finally:
        storage.close()
    if not done:
        err_console.print(f"Fel: ingen aktiv nyckel med id {key_id!r}.", markup=False)
        raise typer.Exit(code=1)
    console.print(f"Nyckeln {key_id} är återkallad.")


@audit_app.command("export")
@friendly_errors
def audit_export(
    out: Annotated[Path, typer.Option("--out", help="CSV-fil att skriva.")],
    since: Annotated[
        datetime | None, typer.Option("--since", help="Bara poster från och med (ISO 8601).")
    ] = None,
) -> None:
    """Exportera granskningsloggen som CSV (UTF-8)."""
    storage = _storage()
    tmp = out.with_name(out.name + ".tmp")
    count = -1  # the header line
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            from web.auth import audit_csv_lines

            for chunk in audit_csv_lines(storage.audit_records(since=since)):
                fh.write(chunk)
                count += 1
        tmp.replace(out)  # never a half-written file under the real name
        storage.audit("audit_export", {"records": max(count, 0), "via": "cli", "out": str(out)})
    finally:
        tmp.unlink(missing_ok=True)
        storage.close()
    console.print(f"Skrev {max(count, 0)} poster till {out}.")


@audit_app.command("purge")
@friendly_errors
def audit_purge(
    days: Annotated[
        int | None,
        typer.Option("--days", help="Lagringstid i dagar (standard DIGI_AUDIT_RETENTION_DAYS)."),
    ] = None,
) -> None:
    """Gallra poster äldre än lagringstiden (den enda borttagning granskningsloggen tillåter)."""
    settings = settings_for()
    keep = settings.audit_retention_days if days is None else days
    storage = _storage()
    try:
        deleted = storage.purge_audit_older_than(keep)
    finally:
        storage.close()
    console.print(f"Gallrade {deleted} poster äldre än {keep} dagar.")
