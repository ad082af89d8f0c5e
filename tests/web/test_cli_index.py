"""``digirapport index`` through typer's CliRunner against the real sample data and bad data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from web.cli import app

runner = CliRunner()


def test_index_table(sample_dir: Path) -> None:
    r = runner.invoke(app, ["index", "--year", "2025", "--data", str(sample_dir)])
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Digitaliseringsindex 2025" in out
    assert "8,2" in out and "7,0" in out and "8,8" in out and "8,7" in out
    assert "65,1 %" in out and "3,72" in out
    assert "(2024)" in out
    assert "Ledning och styrning 11" in out


def test_index_defaults_to_latest_year(sample_dir: Path) -> None:
    r = runner.invoke(app, ["index", "--data", str(sample_dir)])
    assert r.exit_code == 0
    assert "Digitaliseringsindex 2025" in r.output


def test_index_json(sample_dir: Path) -> None:
    r = runner.invoke(app, ["index", "--year", "2024", "--json", "--data", str(sample_dir)])
    assert r.exit_code == 0
    body = json.loads(r.output)
    assert body["year"] == 2024
    assert body["figures"]["index"]["display"] == "8,1"
    assert body["figures"]["index"]["inputs"].keys() == {"forutsattningar", "resultat", "nytta"}
    assert body["source"] == str(sample_dir)


def test_year_without_data(sample_dir: Path) -> None:
    r = runner.invoke(app, ["index", "--year", "2019", "--data", str(sample_dir)])
    assert r.exit_code == 1
    assert "Det finns ingen data för 2019" in r.output
    assert "Traceback" not in r.output


def test_bad_data_folder_lists_problems(sample_dir: Path, tmp_path: Path) -> None:
    for f in sample_dir.glob("*.csv"):
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "initiativ.csv").open("a", encoding="utf-8") as fh:
        fh.write("D2025-001;2025;Dubblett;;Okänt objekt;klar;1;1;9\n")
    r = runner.invoke(app, ["index", "--year", "2025", "--data", str(tmp_path)])
    assert r.exit_code == 1
    assert "initiativ.csv, rad 167, kolumn id" in r.output
    assert "rad 167, kolumn objekt" in r.output
    assert "rad 167, kolumn status" in r.output
    assert "rad 167, kolumn extern_intern" in r.output
    assert "Traceback" not in r.output


def test_missing_folder(tmp_path: Path) -> None:
    r = runner.invoke(app, ["index", "--data", str(tmp_path / "nej")])
    assert r.exit_code == 1
    assert "mappen finns inte" in r.output
