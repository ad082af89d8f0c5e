"""Fixtures of the index-engine tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from index_engine import Dataset, load_dataset


@pytest.fixture(scope="session")
def sample_ds(sample_dir: Path) -> Dataset:
    """The committed sample tables, loaded once."""
    return load_dataset(sample_dir)
