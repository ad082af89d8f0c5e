"""``digirapport draft``: list, Markdown to stdout, Word and Markdown files, clear errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from tests.conftest import SAMPLE_DIR
from web.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def _sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGI_DATASET_DIR", str(SAMPLE_DIR))


def test_list() -> None:
    result = runner.invoke(app, ["draft", "--list"])
    assert result.exit_code == 0
    assert "mognad" in result.stdout and "Digital mognad" in result.stdout


def test_markdown_to_stdout() -> None:
    result = runner.invoke(app, ["draft", "--chapter", "index", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "# Årets resultat 2025" in result.stdout
    assert "8,2" in result.stdout


def test_write_docx(tmp_path: Path) -> None:
    out = tmp_path / "kapitel.docx"
    result = runner.invoke(app, ["draft", "-c", "mognad", "-y", "2025", "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document(io.BytesIO(out.read_bytes()))
    assert doc.paragraphs[0].text == "Digital mognad 2025"
    assert len(doc.inline_shapes) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["kapitel.docx"]  # no temp files left


def test_write_markdown_with_chart_files(tmp_path: Path) -> None:
    out = tmp_path / "kapitel.md"
    result = runner.invoke(app, ["draft", "--chapter", "portfolj", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        [
            "kapitel.md",
            "kapitel-portfolj_bubblor.png",
            "kapitel-portfolj_medel.png",
            "kapitel-extern_intern.png",
            "kapitel-objekt.png",
        ]
    )
    assert "](kapitel-objekt.png)" in out.read_text(encoding="utf-8")


def test_unwritable_out_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "finns-inte" / "kapitel.docx"
    result = runner.invoke(app, ["draft", "-c", "index", "-y", "2025", "--out", str(missing)])
    assert result.exit_code == 1
    assert "Kan inte skriva" in result.stderr and "finns inte" in result.stderr
    assert "Traceback" not in result.output
    assert not missing.parent.exists()

    blocker = tmp_path / "fil"
    blocker.write_text("x")
    result = runner.invoke(
        app, ["draft", "-c", "index", "-y", "2025", "--out", str(blocker / "k.md")]
    )
    assert result.exit_code == 1
    assert blocker.read_text() == "x"

    folder = tmp_path / "mapp.docx"
    folder.mkdir()
    result = runner.invoke(app, ["draft", "-c", "index", "-y", "2025", "--out", str(folder)])
    assert result.exit_code == 1
    assert "mapp" in result.stderr
    assert list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fil", "mapp.docx"]


def test_errors_without_stack_trace(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draft", "--chapter", "framtid", "--year", "2025"])
    assert result.exit_code == 1
    assert "Okänt kapitel 'framtid'" in result.stderr
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["draft", "--chapter", "index", "--year", "1999"])
    assert result.exit_code == 1
    assert "1999" in result.stderr

    result = runner.invoke(app, ["draft", "--chapter", "index", "--out", str(tmp_path / "k.pdf")])
    assert result.exit_code == 2
    assert ".docx eller .md" in result.stderr
    assert list(tmp_path.iterdir()) == []
