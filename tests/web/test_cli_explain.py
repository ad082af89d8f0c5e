"""``digirapport explain`` and ``digirapport simulate`` through typer's CliRunner on the sample."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from web.cli import app

runner = CliRunner()


def test_explain_the_index(sample_dir: Path) -> None:
    r = runner.invoke(
        app, ["explain", "--figure", "index", "--year", "2025", "--data", str(sample_dir)]
    )
    assert r.exit_code == 0, r.output
    out = r.output
    assert "Digitaliseringsindex 2025: 8,2 (2024: 8,1)" in out
    assert "Resultat" in out and "Mest uppåt drog" in out and "Mest nedåt drog" in out


def test_explain_json_adds_up(sample_dir: Path) -> None:
    r = runner.invoke(app, ["explain", "-f", "digital_mognad", "--json", "--data", str(sample_dir)])
    assert r.exit_code == 0, r.output
    body = json.loads(r.output)
    assert body["year"] == 2025 and body["largest_up"] == "digital_formaga"
    assert abs(sum(c["contribution"] for c in body["contributions"]) - body["change"]) < 1e-9


def test_simulate_set_and_target(sample_dir: Path) -> None:
    r = runner.invoke(
        app,
        ["simulate", "--year", "2025", "--set", "genomforandegrad=95", "--data", str(sample_dir)],
    )
    assert r.exit_code == 0, r.output
    assert "Genomförandegrad *" in r.output and "95,0 %" in r.output
    r = runner.invoke(
        app,
        [
            "simulate",
            "--target",
            "index=8,5",
            "--vary",
            "genomforandegrad",
            "--data",
            str(sample_dir),
        ],
    )
    assert r.exit_code == 0, r.output
    assert "Genomförandegrad: 97,9 % behövs" in r.output
    assert "fler genomförda av 57 initiativ" in r.output


def test_simulate_errors_are_plain_swedish(sample_dir: Path) -> None:
    r = runner.invoke(app, ["simulate", "--set", "genomforandegrad", "--data", str(sample_dir)])
    assert r.exit_code == 1
    assert "nyckeltal=värde" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["simulate", "--set", "nytta=12", "--data", str(sample_dir)])
    assert r.exit_code == 1 and "mellan 0 och 10" in r.output
