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
