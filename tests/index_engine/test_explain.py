"""explain_change: a figure's change split exactly into its parts, all the way down."""

from __future__ import annotations

import pytest

from index_engine import (
    AREAS,
    COMPONENTS,
    EXPLAINABLE,
    Contribution,
    NoDataForYearError,
    UnknownFigureError,
    compute_all,
    compute_year,
    explain_change,
)
from index_engine.loaders import Dataset
from tests.index_engine._helpers import answers, initiative, make_dataset


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
        explain_change(sample_ds, "dimios_svarsfrekvens", 2025)
    with pytest.raises(NoDataForYearError) as info:
        explain_change(sample_ds, "index", 2023, 2022)
    assert "2022" in str(info.value)


# -- the whole tree -------------------------------------------------------------------------


def _check_tree(node: Contribution) -> None:
    if node.children:
        total = sum(c.contribution for c in node.children)
        assert total == pytest.approx(node.contribution, abs=1e-9), node.label
    if node.level is not None and node.mix is not None:
        assert node.level + node.mix == pytest.approx(node.contribution, abs=1e-12)
    for child in node.children:
        _check_tree(child)


@pytest.mark.parametrize("key", [*EXPLAINABLE, "dimios_omrade.Teknik", "dimios_omrade.Innovation"])
def test_every_node_of_every_tree_adds_up(sample_ds: Dataset, key: str) -> None:
    series = compute_all(sample_ds)
    years = sorted(series[key])
    for base, year in [(a, b) for a in years for b in years if a < b]:
        try:
            e = explain_change(sample_ds, key, year, base)
        except NoDataForYearError:
            continue  # a component is missing in one of the years (e.g. no index 2023)
        assert sum(c.contribution for c in e.contributions) == pytest.approx(e.change, abs=1e-9)
        assert e.contributions, key
        for c in e.contributions:
            _check_tree(c)


def test_the_index_tree_reaches_verksamheter_objekt_and_indicators(sample_ds: Dataset) -> None:
    e = explain_change(sample_ds, "index", 2025)
    kinds = {n.kind for c in e.contributions for n in c.walk()}
    assert kinds == {"komponent", "område", "verksamhet", "objekt", "nyttoslag", "indikator"}
    resultat = next(c for c in e.contributions if c.key == "resultat")
    objekt = [n for n in resultat.walk() if n.kind == "objekt"]
    assert {n.label for n in objekt} >= {"Ledning och styrning", "Social omsorg"}
    # an area's part of the index is in index points: 1/3 × 1/20 × 1/2 × 1/3 of its change
    teknik = next(n for c in e.contributions for n in c.walk() if n.key == "dimios_omrade.Teknik")
    assert teknik.change is not None
    assert teknik.contribution == pytest.approx(teknik.change / 3 / 20 / 2 / 3, abs=1e-12)


def test_dimios_2025_rose_on_digital_formaga(sample_ds: Dataset) -> None:
    # the report: the rise of digital mognad came from digital förmåga
    e = explain_change(sample_ds, "digital_mognad", 2025)
    assert e.largest_up is not None and e.largest_up.key == "digital_formaga"
    assert (e.base_display, e.display) == ("64,2 %", "65,1 %")
    assert e.to_dict()["largest_up"] == "digital_formaga"


def test_drivers_sum_a_group_over_the_areas_it_answered_in(sample_ds: Dataset) -> None:
    e = explain_change(sample_ds, "digital_mognad", 2025)
    formaga = next(c for c in e.contributions if c.key == "digital_formaga")
    by_hand: dict[str, float] = {}
    for node in formaga.walk():
        if node.kind == "verksamhet":
            by_hand[node.label] = by_hand.get(node.label, 0.0) + node.contribution
    top = e.drivers(1, limit=1, within=formaga)[0]
    assert top.contribution == pytest.approx(max(by_hand.values()), abs=1e-12)
    assert by_hand[top.label] == pytest.approx(top.contribution, abs=1e-12)
    assert top.component == "Digital förmåga"


def test_mix_effect_when_only_the_composition_changed() -> None:
    # A delivers everything, B nothing, both years; B's share of the initiatives grows
    ds = make_dataset(
        initiatives=[
            initiative(1, 2024, objekt="Fastighet"),
            initiative(2, 2024, objekt="Fastighet"),
            initiative(3, 2024, "pågående", objekt="Social omsorg"),
            initiative(4, 2024, "pågående", objekt="Social omsorg"),
            initiative(5, 2025, objekt="Fastighet"),
            initiative(6, 2025, "pågående", objekt="Social omsorg"),
            initiative(7, 2025, "pausad", objekt="Social omsorg"),
            initiative(8, 2025, "avbruten", objekt="Social omsorg"),
        ]
    )
    e = explain_change(ds, "genomforandegrad", 2025)
    assert (e.base_value, e.value) == (50.0, 25.0)
    parts = {c.label: c for c in e.contributions}
    # centre = (50 + 25) / 2 = 37,5; mix = Δ share × (mean − centre); no level change
    assert parts["Fastighet"].level == 0.0 and parts["Social omsorg"].level == 0.0
    assert parts["Fastighet"].mix == pytest.approx(-0.25 * (100 - 37.5))
    assert parts["Social omsorg"].mix == pytest.approx(0.25 * (0 - 37.5))
    assert sum(c.contribution for c in e.contributions) == pytest.approx(-25.0)


def test_level_effect_when_only_the_rates_changed() -> None:
    ds = make_dataset(
        initiatives=[
            initiative(1, 2024, objekt="Fastighet"),
            initiative(2, 2024, "pågående", objekt="Fastighet"),
            initiative(3, 2024, "pågående", objekt="Social omsorg"),
            initiative(4, 2024, "pågående", objekt="Social omsorg"),
            initiative(5, 2025, objekt="Fastighet"),
            initiative(6, 2025, objekt="Fastighet"),
            initiative(7, 2025, "pågående", objekt="Social omsorg"),
            initiative(8, 2025, "pågående", objekt="Social omsorg"),
        ]
    )
    e = explain_change(ds, "resultat", 2025)
    (rate,) = e.contributions
    parts = {c.label: c for c in rate.children}
    # 25 % -> 50 %; Fastighet's share 0,5 × its rise of 50 points, in Resultat units (/ 10)
    assert parts["Fastighet"].level == pytest.approx(0.5 * 50 / 10)
    assert parts["Fastighet"].mix == pytest.approx(0.0)
    assert parts["Social omsorg"].contribution == pytest.approx(0.0)
    assert rate.contribution == pytest.approx(2.5)


def test_a_verksamhet_that_answered_one_year_only_is_all_mix() -> None:
    all_areas = dict.fromkeys(AREAS, 6)
    low = dict.fromkeys(AREAS, 1)
    ds = make_dataset(
        dimios=[
            *answers(2024, "r1", all_areas, "A"),
            *answers(2024, "r2", low, "B"),
            *answers(2025, "r3", all_areas, "A"),
            *answers(2025, "r4", low, "B"),
            *answers(2025, "r5", dict.fromkeys(AREAS, 6), "C"),
        ]
    )
    e = explain_change(ds, "dimios_omrade.Teknik", 2025)
    assert (e.base_value, e.value) == pytest.approx((50.0, 200 / 3))
    parts = {c.label: c for c in e.contributions}
    assert parts["C"].base_value is None and parts["C"].level == 0.0
    assert parts["C"].mix == pytest.approx(parts["C"].contribution)
    assert sum(c.contribution for c in e.contributions) == pytest.approx(e.change)


def test_nytta_indicators_against_last_years_mean() -> None:
    def row(i: str, year: int, measured: float, kind: str = "omställning") -> dict[str, object]:
        return {
            "initiative_id": i,
            "year": year,
            "kind": kind,
            "indicator": f"Tid {i}",
            "unit": "timmar",
            "baseline": "",
            "expected": 100,
            "measured": measured,
        }

    ds = make_dataset(
        initiatives=[initiative(i, 2024 + (i > 2)) for i in range(1, 6)],
        benefits=[
            row("I1", 2024, 100),
            row("I2", 2024, 50),
            row("I3", 2025, 100),
            row("I4", 2025, 0, "kvalitativ"),
            row("I5", 2025, 50),
        ],
    )
    e = explain_change(ds, "nyttorealisering", 2025)
    assert (e.base_value, e.value) == pytest.approx((75.0, 50.0))
    by_label = {n.label: n.contribution for c in e.contributions for n in c.children}
    # each indicator: (its achievement − last year's mean 75) / 3 indicators
    assert by_label == pytest.approx(
        {"Tid I3 (I3)": 25 / 3, "Tid I4 (I4)": -75 / 3, "Tid I5 (I5)": -25 / 3}
    )
    (down,) = e.drivers(-1, limit=1)
    assert down.label == "Tid I4 (I4)" and down.kind == "indikator"


def test_explain_errors_name_what_is_wrong(sample_ds: Dataset) -> None:
    with pytest.raises(UnknownFigureError) as info:
        explain_change(sample_ds, "dimios_omrade.Okänt", 2025)
    assert "dimios_omrade.Teknik" in info.value.to_dict()["known"]
    with pytest.raises(NoDataForYearError):
        explain_change(sample_ds, "genomforandegrad", 2023, 2019)
