"""The committed sample data reproduces every figure the 2025 report publishes."""

from __future__ import annotations

import pytest

from index_engine import Dataset, compute_year, figure_series

PUBLISHED = [
    (2025, "index", "8,2"),
    (2025, "forutsattningar", "7,0"),
    (2025, "resultat", "8,8"),
    (2025, "nytta", "8,7"),
    (2025, "digital_mognad", "65,1 %"),
    (2025, "medarbetare_medel", "3,72"),
    (2025, "medarbetare", "74,4 %"),
    (2025, "dimios_mottagare", "220"),
    (2025, "dimios_svarande", "142"),
    (2025, "dimios_svarsfrekvens", "64,5 %"),
    (2024, "index", "8,1"),
    (2024, "forutsattningar", "7,0"),
    (2024, "resultat", "8,5"),
    (2024, "nytta", "8,8"),
    (2024, "digital_mognad", "64,2 %"),
    (2024, "medarbetare_medel", "3,76"),
    (2023, "resultat", "9,2"),
    (2022, "digital_mognad", "56,0 %"),
    (2022, "dimios_mottagare", "204"),
    (2022, "dimios_svarande", "149"),
    (2022, "dimios_svarsfrekvens", "73,0 %"),
]


@pytest.mark.parametrize(("year", "key", "display"), PUBLISHED)
def test_published_figure(sample_ds: Dataset, year: int, key: str, display: str) -> None:
    assert compute_year(sample_ds, year).figures[key].display == display


def test_exact_inputs_2025(sample_ds: Dataset) -> None:
    figs = compute_year(sample_ds, 2025).figures
    assert figs["medarbetare_medel"].value == pytest.approx(3.72, abs=1e-12)
    assert figs["medarbetare"].value == pytest.approx(74.4, abs=1e-12)
    assert figs["genomforandegrad"].inputs["genomforda"] == 50
    assert figs["genomforandegrad"].inputs["beslutade"] == 57
    assert figs["dimios_svarsfrekvens"].value == pytest.approx(142 / 220 * 100)
    f = figs["forutsattningar"]
    assert f.value == pytest.approx(
        (figs["digital_mognad"].value + figs["medarbetare"].value) / 20  # type: ignore[operator]
    )
    i = figs["index"]
    parts = [figs[k].value for k in ("forutsattningar", "resultat", "nytta")]
    assert i.value == pytest.approx(sum(parts) / 3)  # type: ignore[arg-type]


def test_genomforande_counts_per_year(sample_ds: Dataset) -> None:
    expected = {2023: (44, 48), 2024: (51, 60), 2025: (50, 57)}
    for year, (done, decided) in expected.items():
        inputs = compute_year(sample_ds, year).figures["genomforandegrad"].inputs
        assert (inputs["genomforda"], inputs["beslutade"]) == (done, decided)


def test_previous_year_and_change(sample_ds: Dataset) -> None:
    idx = compute_year(sample_ds, 2025).figures["index"]
    assert idx.previous_year == 2024
    assert idx.change == pytest.approx(idx.value - idx.previous)  # type: ignore[operator]
    assert idx.change_display == "+0,1"
    # 2023 has DiMiOS, so the 2024 digital mognad compares with 2023, and 2023 with 2022.
    dm23 = compute_year(sample_ds, 2023).figures["digital_mognad"]
    assert dm23.previous_year == 2022


def test_2022_has_no_index(sample_ds: Dataset) -> None:
    rep = compute_year(sample_ds, 2022)
    for key in ("index", "forutsattningar", "resultat", "nytta", "medarbetare"):
        assert key not in rep.figures
    assert rep.portfolio.count == 0


def test_index_series(sample_ds: Dataset) -> None:
    series = figure_series(sample_ds, "index")
    assert [f.year for f in series] == [2023, 2024, 2025]
    assert [f.display for f in series][1:] == ["8,1", "8,2"]


def test_portfolio_reading(sample_ds: Dataset) -> None:
    p23, p24, p25 = (compute_year(sample_ds, y).portfolio for y in (2023, 2024, 2025))
    assert (p24.count, p25.count) == (60, 57)
    assert p25.change_in_count == -3
    assert p25.change_in_count_pct == pytest.approx(-5.0)
    assert list(p25.per_objekt)[:3] == [
        "Ledning och styrning",
        "Social omsorg",
        "Välfärd samhällsservice",
    ]
    counts = list(p25.per_objekt.values())
    assert counts[0] > counts[1] > counts[2] > counts[3]
    # 2024 more strategic and innovative than 2023 and 2025; 2025 internal like 2023.
    for axis in ("innovation_effektivitet", "operativt_strategiskt"):
        assert p24.average[axis] > p23.average[axis] + 1
        assert p24.average[axis] > p25.average[axis] + 1
        assert p25.average[axis] < 3 and p23.average[axis] < 3
    assert abs(p24.extern_intern["extern"] - p24.extern_intern["intern"]) < 10
    assert p25.extern_intern["intern"] > 2 * p25.extern_intern["extern"]
    assert p23.extern_intern["intern"] > p23.extern_intern["extern"]


def test_sample_size(sample_ds: Dataset) -> None:
    assert len(sample_ds.initiatives) >= 150
    assert sample_ds.years() == [2022, 2023, 2024, 2025]
    # every respondent answers every statement (6 areas x 3 statements)
    per = sample_ds.dimios.groupby(["year", "respondent"]).size()
    assert set(per) == {18}
