"""explain_change: a figure's change split exactly into its components' contributions."""

from __future__ import annotations

import pytest

from index_engine import (
    COMPONENTS,
    NoDataForYearError,
    UnknownFigureError,
    compute_year,
    explain_change,
)
from index_engine.loaders import Dataset


@pytest.mark.parametrize("key", sorted(COMPONENTS))
def test_contributions_add_up_to_the_change(sample_ds: Dataset, key: str) -> None:
    years = [y for y in sample_ds.years() if key in compute_year(sample_ds, y).figures]
    pairs = [(a, b) for a in years for b in years if a < b]
    assert pairs
    for base, year in pairs:
        e = explain_change(sample_ds, key, year, base)
        now = compute_year(sample_ds, year).figures[key].value
        then = compute_year(sample_ds, base).figures[key].value
        assert e.change == pytest.approx(now - then, abs=1e-12)
        assert sum(c.contribution for c in e.contributions) == pytest.approx(e.change, abs=1e-9)
        assert [c.key for c in e.contributions] == [k for k, _w in COMPONENTS[key]]


def test_the_2025_index_rose_on_resultat_and_fell_on_nytta(sample_ds: Dataset) -> None:
    # published: Resultat 8,5 -> 8,8 and Nytta 8,8 -> 8,7 (DOMAIN.md)
    e = explain_change(sample_ds, "index", 2025)
    assert (e.base_year, e.base_display, e.display) == (2024, "8,1", "8,2")
    assert e.largest_up is not None and e.largest_up.key == "resultat"
    assert (e.largest_up.base_display, e.largest_up.display) == ("8,5", "8,8")
    assert e.largest_down is not None and e.largest_down.key == "nytta"
    assert e.largest_down.contribution_display.startswith("-0,0")


def test_unknown_figures_and_missing_years_are_clear_errors(sample_ds: Dataset) -> None:
    with pytest.raises(UnknownFigureError):
        explain_change(sample_ds, "medarbetare_medel", 2025)
    with pytest.raises(NoDataForYearError) as info:
        explain_change(sample_ds, "index", 2023, 2022)
    assert "2022" in str(info.value)
