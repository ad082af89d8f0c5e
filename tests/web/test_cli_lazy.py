"""The CLI starts light: heavy libraries load only in the commands that use them (issue 19)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: Each of these takes from a tenth of a second (pandas) to seconds (torch) to import.
HEAVY = (
    "torch",
    "chromadb",
    "matplotlib",
    "openai",
    "pandas",
    "numpy",
    "scipy",
    "sklearn",
    "sqlalchemy",
    "fastapi",
    "mcp",
    "sentence_transformers",
)


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_loading_the_cli_imports_no_heavy_library() -> None:
    out = _python(
        "import json, sys, web.cli; "
        f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    )
    assert json.loads(out) == []


def test_help_lists_the_commands_without_loading_them() -> None:
    out = _python(
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from web.cli import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(r.output)\n"
        f"print('HEAVY', [m for m in {list(HEAVY)!r} if m in sys.modules])\n"
    )
    for command in ("ingest", "serve", "ask", "explain", "simulate", "draft", "classify", "db"):
        assert command in out
    assert "HEAVY []" in out


def test_an_unchanged_reingest_never_opens_the_store(tmp_path: Path) -> None:
    from tests.ingest.helpers import REPORT, copy_report_store

    data = copy_report_store(tmp_path / "data")
    code = (
        "import json, sys\n"
        "from typer.testing import CliRunner\n"
        "from web.cli import app\n"
        f"r = CliRunner().invoke(app, ['ingest', {str(REPORT)!r}, '--level', 'intern', '--json'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(json.dumps({'files': json.loads(r.stdout)['files'],"
        " 'chromadb': 'chromadb' in sys.modules}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "DIGI_DATA_DIR": str(data)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert [(f["source"], f["status"]) for f in out["files"]] == [(REPORT.name, "unchanged")]
    assert out["files"][0]["chunks"] > 0
    assert out["chromadb"] is False  # answered from the receipt
