"""``digirapport classify`` and ``digirapport eval classify`` through the real typer app."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from assistant.classify import DEFAULT_VARIANT
from web.cli import app

runner = CliRunner()


def _xlsx(path: Path, rows: list[tuple[str, str]]) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Titel", "Beskrivning", "Ansvarig"])
    for title, description in rows:
        ws.append([title, description, "Anna"])
    wb.save(path)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_classify_single_json() -> None:
    result = runner.invoke(
        app,
        [
            "classify",
            "--title",
            "Automatiserad fakturahantering",
            "--description",
            "Fakturor konteras automatiskt så att ekonomerna slipper manuell hantering.",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["innovation_effektivitet"]["value"] in range(1, 6)
    assert 3 <= len(body["similar"]) <= 5


def test_classify_single_text_output() -> None:
    result = runner.invoke(
        app,
        [
            "classify",
            "--title",
            "Boka idrottshall",
            "--description",
            "Föreningar ska kunna boka och betala tider i kommunens idrottshallar på webben.",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Objekt:" in result.stdout
    assert "Liknande bedömda initiativ" in result.stdout


def test_classify_invalid_input_is_a_friendly_error() -> None:
    result = runner.invoke(app, ["classify", "--title", "Ny", "--description", "app"])
    assert result.exit_code == 1
    assert "för få ord" in result.stderr
    assert "Traceback" not in result.output


def test_batch_xlsx_writes_suggestions_beside_the_input(tmp_path: Path) -> None:
    source = tmp_path / "nya initiativ.xlsx"
    _xlsx(
        source,
        [
            (
                "Bygglov på webben",
                "Invånare ska kunna söka bygglov och följa ärendet i en e-tjänst.",
            ),
            (
                "Robot för fakturor",
                "Leverantörsfakturor konteras automatiskt utan manuell hantering.",
            ),
            (
                "Strategi för data",
                "En långsiktig strategi för informationsförsörjning och dataplattform.",
            ),
        ],
    )
    before = _digest(source)
    result = runner.invoke(app, ["classify", "--file", str(source)])
    assert result.exit_code == 0, result.output
    target = tmp_path / "nya initiativ.forslag.xlsx"
    assert target.is_file()
    assert _digest(source) == before  # the input is never touched
    ws = load_workbook(target).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:3] == ["titel", "beskrivning", "ansvarig"]
    assert "forslag_objekt" in header and "behover_granskas" in header
    assert len(rows) == 4
    col = header.index("forslag_innovation_effektivitet")
    assert all(r[col] in {1, 2, 3, 4, 5} for r in rows[1:])
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_batch_csv_bad_row_names_row_and_column(tmp_path: Path) -> None:
    source = tmp_path / "nya.csv"
    source.write_text(
        "titel;beskrivning\n"
        "Bygglov på webben;Invånare söker bygglov i en e-tjänst.\n"
        "Tomt initiativ;\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["classify", "--file", str(source)])
    assert result.exit_code == 1
    assert "rad 3, kolumn beskrivning" in result.stderr
    assert not (tmp_path / "nya.forslag.csv").exists()


def test_batch_csv_ok(tmp_path: Path) -> None:
    source = tmp_path / "nya.csv"
    source.write_text(
        "title,description\nBygglov på webben,Invånare söker bygglov i en e-tjänst dygnet runt.\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["classify", "--file", str(source), "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["rows"] == 1
    assert Path(info["output"]).name == "nya.forslag.csv"
    assert "forslag_objekt" in Path(info["output"]).read_text(encoding="utf-8-sig")


def test_eval_classify_json() -> None:
    result = runner.invoke(app, ["eval", "classify", "--k", "3", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    cv = report["register"][DEFAULT_VARIANT]
    assert cv["k"] == 3
    for axis in ("innovation_effektivitet", "operativt_strategiskt", "extern_intern"):
        assert 0 <= cv["axes"][axis]["within_one"] <= 1
    assert set(report["heldout"]) == {f"heldout_initiatives{n}.csv" for n in ("", "_2", "_3")}
    for by_variant in report["heldout"].values():
        held = by_variant[DEFAULT_VARIANT]
        assert held["n"] >= 40
