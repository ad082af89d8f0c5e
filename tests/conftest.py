"""Shared fixtures: every test writes under a temporary folder, never in the working tree."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_DIR = REPO / "data" / "sample"
CORPUS_FILE = REPO / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Send DIGI_DATA_DIR to a per-test temp folder and keep LLM settings out of tests."""
    data_dir = tmp_path / "digi-data"
    monkeypatch.setenv("DIGI_DATA_DIR", str(data_dir))
    for name in ("DIGI_LLM_BASE_URL", "DIGI_LLM_API_KEY", "DIGI_CHROMA_URL", "DIGI_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    # Keys and rate limits are tested in tests/web/test_auth.py and test_limits.py; elsewhere a
    # fast test client must not hit the per-process token bucket, nor a developer's .env keys.
    monkeypatch.setenv("DIGI_RATE_LIMIT_PER_MINUTE", "0")
    for name in ("DIGI_AUTH", "DIGI_ADMIN_KEY", "DIGI_KEY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    # The bundled verified answers would answer some questions other tests ask; the tests of
    # verified answers (tests/assistant/test_verified.py, tests/web/test_verified_*.py) turn
    # them on.
    monkeypatch.setenv("DIGI_VERIFIED_SEED", "false")
    yield data_dir


@pytest.fixture(scope="session", autouse=True)
def _offline_caches(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No hub downloads, no telemetry, caches inside a temp folder."""
    cache = tmp_path_factory.mktemp("cache")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ["HF_HOME"] = str(cache / "hf")
    os.environ["ANONYMIZED_TELEMETRY"] = "False"
    # Starlette's test client sends "Host: testserver" (module fixtures too); the host check
    # itself is tested in tests/web/test_guard.py with the default (no extra hosts)
    os.environ["DIGI_ALLOWED_HOSTS"] = "testserver"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The bundled sample tables."""
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def corpus_file() -> Path:
    """The bundled 2025 report (text extraction)."""
    return CORPUS_FILE
