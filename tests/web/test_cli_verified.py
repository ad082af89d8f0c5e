"""``digirapport eval verified``: the bundled verified answers as a regression suite (CliRunner).

The suite runs it on the bundled answers (they must all match the offline answers today), on a
database brought forward by ``digirapport db upgrade``; a verified answer that no longer matches
ends the command with exit code 1 and is named.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.service import Assistant
from assistant.storage import Storage
from assistant.verified import BUNDLED_FILE
from tests.assistant.chat_support import sample_dataset
from tests.assistant.test_migrations import make_previous_database
from web.cli import app

runner = CliRunner()


@pytest.fixture()
def old_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database as the release before Alembic left it, with the bundled answers turned on."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    make_previous_database(url, with_owners=True)
    monkeypatch.setenv("DIGI_DATABASE_URL", url)
    monkeypatch.setenv("DIGI_VERIFIED_SEED", "true")
    return url


def test_the_bundled_verified_answers_all_match_after_an_upgrade(old_database: str) -> None:
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output

    result = runner.invoke(app, ["eval", "verified", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    bundled = len(BUNDLED_FILE.read_text("utf-8").splitlines())
    assert body["checked"] == bundled and body["failed"] == 0
    assert all(a["ok"] and a["expected"] for a in body["answers"])

    text = runner.invoke(app, ["eval", "verified"])
    assert text.exit_code == 0
    assert f"{bundled} av {bundled} verifierade svar stämmer." in text.output

    # `ask` says when its answer is a verified one
    asked = runner.invoke(app, ["ask", "Vad landade digitaliseringsindex på för 2025?"])
    assert asked.exit_code == 0, asked.output
    assert "Verifierat svar (verifierat av Digitaliseringsenheten, " in asked.output
    assert "8,2" in asked.output


def test_a_verified_answer_that_no_longer_matches_fails_the_command(old_database: str) -> None:
    storage = Storage(old_database)
    try:
        assistant = Assistant(dataset=sample_dataset(), retriever=None, storage=storage)
        assert assistant.verified is not None
        # A verified "index" answer that shows a figure the offline index answer does not give.
        record = assistant.verified.prepare(
            "Vad blev digitaliseringsindex 2025?",
            "Indexet blev 8,2 och svarsfrekvensen i DiMiOS 64,5 %.",
            [
                {"name": "get_index", "arguments": {"year": 2025, "keys": ["index"]}},
                {
                    "name": "get_index",
                    "arguments": {"year": 2025, "keys": ["dimios_svarsfrekvens"]},
                },
            ],
            [],
        )
        storage.add_verified({**record, "id": "v_fel", "created_by": "Eva"})
    finally:
        storage.close()
    result = runner.invoke(app, ["eval", "verified"])
    assert result.exit_code == 1, result.output
    assert "AVVIKER v_fel: Vad blev digitaliseringsindex 2025?" in result.output
    assert "svaret saknar 64,5 % (dimios_svarsfrekvens 2025)" in result.output
    assert "Traceback" not in result.output
