"""``digirapport db current`` and ``db upgrade`` through typer's CliRunner on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant import migrations
from tests.assistant.test_migrations import make_previous_database
from web.cli import app

runner = CliRunner()
HEAD = migrations.head_revision()


@pytest.fixture()
def old_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    make_previous_database(url, with_owners=False)
    monkeypatch.setenv("DIGI_DATABASE_URL", url)
    return url


def test_current_then_upgrade_then_current(old_database: str) -> None:
    before = runner.invoke(app, ["db", "current"])
    assert before.exit_code == 1, before.output
    assert "ingen stämpel (skapad före migreringarna; motsvarar 0001)" in before.output
    assert f"Senaste: {HEAD}" in before.output
    assert "digirapport db upgrade" in before.output

    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "stämplades som 0001" in upgraded.output
    assert f"Databasen uppgraderad: 0001 -> {HEAD}." in upgraded.output

    after = runner.invoke(app, ["db", "current"])
    assert after.exit_code == 0, after.output
    assert f"Version: {HEAD}. Senaste: {HEAD}." in after.output
    assert "Schemat är aktuellt." in after.output

    again = runner.invoke(app, ["db", "upgrade"])
    assert f"redan senaste versionen ({HEAD})" in again.output


def test_a_new_database_is_created_by_upgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGI_DATABASE_URL", f"sqlite:///{tmp_path / 'new.sqlite3'}")
    assert "Version: ingen (tom databas)" in runner.invoke(app, ["db", "current"]).output
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0 and f"tom -> {HEAD}" in result.output


def test_other_commands_refuse_an_old_schema_when_auto_upgrade_is_off(
    old_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DIGI_DB_AUTO_UPGRADE", "false")
    result = runner.invoke(app, ["keys", "list"])
    assert result.exit_code == 1
    assert "Databasens schema är inte uppdaterat" in result.output
    assert "Traceback" not in result.output
