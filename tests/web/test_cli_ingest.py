"""The ingest, search, documents and delete commands, through the real CLI and a real store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.ingest.helpers import REPORT_SOURCE, copy_report_store
from web.cli import app

runner = CliRunner()

NOTE = """# Digitala möten 2026

## 1. Bakgrund

Kommunen införde videomöten i alla förvaltningar under våren 2026.

## 2. Resultat

Restiderna minskade med 1 200 timmar, vilket motsvarar ungefär 0,7 årsarbeten.
"""


def test_ingest_reports_added_failed_then_unchanged(
    tmp_path: Path, _isolated_data_dir: Path
) -> None:
    note = tmp_path / "moten.md"
    note.write_text(NOTE, encoding="utf-8")
    broken = tmp_path / "trasig.txt"
    broken.write_bytes(b"\x00\x01\x02\xff" * 200)

    first = runner.invoke(app, ["ingest", str(note), str(broken), "--json"])
    assert first.exit_code == 1  # one file failed: the run says so
    summary = json.loads(first.stdout)
    by_source = {f["source"]: f for f in summary["files"]}
    assert by_source["moten.md"]["status"] == "added"
    assert by_source["trasig.txt"]["status"] == "failed"
    assert "trasig.txt" in by_source["trasig.txt"]["error"]

    again = runner.invoke(app, ["ingest", str(note)])
    assert again.exit_code == 0, again.output
    assert "1 oförändrade" in again.stdout

    docs = runner.invoke(app, ["documents", "--json"])
    assert docs.exit_code == 0
    assert [d["source"] for d in json.loads(docs.stdout)["documents"]] == ["moten.md"]

    hits = runner.invoke(app, ["search", "Hur mycket restid sparades?", "-k", "1", "--json"])
    assert hits.exit_code == 0, hits.output
    top = json.loads(hits.stdout)["hits"][0]
    assert top["source"] == "moten.md" and "1 200 timmar" in top["text"]

    gone = runner.invoke(app, ["delete", "moten.md"])
    assert gone.exit_code == 0, gone.output
    assert json.loads(runner.invoke(app, ["documents", "--json"]).stdout)["documents"] == []
    missing = runner.invoke(app, ["delete", "moten.md"])
    assert missing.exit_code == 1 and "moten.md" in missing.stderr


def test_search_prints_section_page_and_text(_isolated_data_dir: Path) -> None:
    copy_report_store(_isolated_data_dir)
    result = runner.invoke(app, ["search", "Hur många mottagare fick mognadsmätningen?", "-k", "3"])
    assert result.exit_code == 0, result.output
    assert "5.4.1" in result.stdout
    assert "Hur har mätningen genomförts?" in result.stdout  # the section title
    assert REPORT_SOURCE in result.stdout
