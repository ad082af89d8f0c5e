"""Each formula on tiny hand-made tables, with exact expected values."""

from __future__ import annotations

import pandas as pd
import pytest

from index_engine import (
    NoDataForYearError,
    UnknownFigureError,
    compute_year,
    figure_series,
)
from index_engine.results import achievement
from tests.index_engine._helpers import answers, initiative, make_dataset

ALL6 = ("Effektivitet", "Innovation", "Balansering", "Teknik", "Användare", "Organisation")


def test_dimios_hierarchy_area_dimension_total() -> None:
    # Area means: Effektivitet (6,4)->(100+60)/2=80; Innovation 1->0; Balansering 4->60
    # Digital förmåga = (80+0+60)/3 = 46.666..; Digitalt arv: Teknik 2->20, Användare 3->40,
    # Organisation 5->80 => 46.666..; total 46.666..
    rows = answers(
        2025,
        "a",
        {
            "Effektivitet": 6,
            "Innovation": 1,
            "Balansering": 4,
            "Teknik": 2,
            "Användare": 3,
            "Organisation": 5,
        },
    )
    rows += answers(
        2025,
        "b",
        {
            "Effektivitet": 4,
            "Innovation": 1,
            "Balansering": 4,
            "Teknik": 2,
            "Användare": 3,
            "Organisation": 5,
        },
    )
    ds = make_dataset(dimios=rows, recipients=[{"year": 2025, "recipients": 8}])
    rep = compute_year(ds, 2025)
    assert rep.dimios.by_area["Effektivitet"].value == pytest.approx(80.0)
    assert rep.dimios.by_area["Innovation"].value == pytest.approx(0.0)
    assert rep.figures["digital_formaga"].value == pytest.approx(140 / 3)
    assert rep.figures["digitalt_arv"].value == pytest.approx(140 / 3)
    assert rep.figures["digital_mognad"].value == pytest.approx(140 / 3)
    assert rep.figures["digital_mognad"].display == "46,7 %"
    assert rep.figures["dimios_svarande"].value == 2
    assert rep.figures["dimios_svarsfrekvens"].value == pytest.approx(25.0)
    assert rep.dimios.by_dimension["Digital förmåga"].key == "digital_formaga"


def test_dimios_unequal_dimensions_and_verksamhet() -> None:
    rows = answers(2024, "a", {"Effektivitet": 6, "Teknik": 1}, verksamhet="X")
    rows += answers(2024, "b", {"Effektivitet": 6, "Teknik": 6}, verksamhet="Y")
    ds = make_dataset(dimios=rows)
    rep = compute_year(ds, 2024)
    # förmåga = 100, arv = mean(0, 100) = 50 -> 75
    assert rep.figures["digital_mognad"].value == pytest.approx(75.0)
    assert rep.dimios.by_verksamhet["X"].value == pytest.approx(50.0)
    assert rep.dimios.by_verksamhet["Y"].value == pytest.approx(100.0)
    assert rep.dimios.by_verksamhet["X"].n == 1
    # no recipients -> no response rate, never invented
    assert "dimios_svarsfrekvens" not in rep.figures
    assert "dimios_mottagare" not in rep.figures


def test_dimios_needs_both_dimensions() -> None:
    ds = make_dataset(dimios=answers(2024, "a", {"Effektivitet": 5}))
    rep = compute_year(ds, 2024)
    assert "digital_formaga" in rep.figures
    assert "digitalt_arv" not in rep.figures
    assert "digital_mognad" not in rep.figures


def test_employee_mean_pct_and_shares() -> None:
    scores = [5, 4, 4, 3, 2, 1, 5, 4]  # mean 28/8 = 3.5
    ds = make_dataset(employee=[{"year": 2025, "verksamhet": "A", "score": s} for s in scores])
    f = compute_year(ds, 2025).figures
    assert f["medarbetare_medel"].value == pytest.approx(3.5)
    assert f["medarbetare_medel"].display == "3,50"
    assert f["medarbetare"].value == pytest.approx(70.0)
    assert f["medarbetare_positiva"].value == pytest.approx(62.5)
    assert f["medarbetare_neutrala"].value == pytest.approx(12.5)
    assert f["medarbetare_negativa"].value == pytest.approx(25.0)
    assert f["medarbetare"].n == 8


def test_genomforandegrad_overall_and_by_objekt() -> None:
    inits = [
        initiative(1, 2025, "genomförd", "Social omsorg"),
        initiative(2, 2025, "pågående", "Social omsorg"),
        initiative(3, 2025, "genomförd", "Fastighet"),
        initiative(4, 2025, "avbruten", "Fastighet"),
        initiative(5, 2025, "pausad", "Fastighet"),
        initiative(6, 2025, "beslutad", "Fastighet"),
        initiative(7, 2024, "genomförd", "Fastighet"),
    ]
    rep = compute_year(make_dataset(initiatives=inits), 2025)
    g = rep.figures["genomforandegrad"]
    assert g.value == pytest.approx(2 / 6 * 100)
    assert g.inputs["genomforda"] == 2 and g.inputs["beslutade"] == 6
    assert rep.figures["resultat"].value == pytest.approx(2 / 6 * 10)
    assert rep.genomforande_by_objekt["Social omsorg"].value == pytest.approx(50.0)
    assert rep.genomforande_by_objekt["Fastighet"].value == pytest.approx(25.0)
    assert "Välfärd skola" not in rep.genomforande_by_objekt
    assert g.previous == pytest.approx(100.0) and g.previous_year == 2024
    assert g.change_display == "-66,7 procentenheter"


def test_achievement_rule() -> None:
    b = pd.Series([None, 10.0, 0.0, 100.0, 0.0, 0.0], dtype="float64")
    e = pd.Series([200.0, 20.0, 50.0, 50.0, 10.0, 10.0])
    m = pd.Series([100.0, 25.0, -5.0, 75.0, None, 30.0], dtype="float64")
    a = achievement(b, e, m, cap=1.0)
    assert list(a[:4]) == pytest.approx(
        [0.5, 1.0, 0.0, 0.5]
    )  # 100->50 goes down: (75-100)/(50-100)
    assert pd.isna(a[4])
    assert a[5] == pytest.approx(1.0)
    uncapped = achievement(b, e, m, cap=None)
    assert uncapped[1] == pytest.approx(1.5) and uncapped[5] == pytest.approx(3.0)
    assert achievement(b, e, m, cap=1.2)[1] == pytest.approx(1.2)


def test_nyttorealisering_overall_kind_and_cap() -> None:
    inits = [initiative(1, 2025), initiative(2, 2025)]
    benefits = [
        {
            "initiative_id": "I1",
            "year": 2025,
            "kind": "kvalitativ",
            "indicator": "väntetid",
            "unit": "dagar",
            "baseline": "10",
            "expected": "5",
            "measured": "6",
        },  # 0.8
        {
            "initiative_id": "I1",
            "year": 2025,
            "kind": "omställning",
            "indicator": "tid",
            "unit": "h",
            "baseline": "",
            "expected": "100",
            "measured": "150",
        },  # 1.5 -> 1.0
        {
            "initiative_id": "I2",
            "year": 2025,
            "kind": "ekonomisk",
            "indicator": "kr",
            "unit": "kr",
            "baseline": "0",
            "expected": "1000",
            "measured": "300",
        },  # 0.3
        {
            "initiative_id": "I2",
            "year": 2025,
            "kind": "ekonomisk",
            "indicator": "ej mätt",
            "unit": "kr",
            "baseline": "0",
            "expected": "1000",
            "measured": "",
        },  # excluded
    ]
    ds = make_dataset(initiatives=inits, benefits=benefits)
    rep = compute_year(ds, 2025)
    n = rep.figures["nyttorealisering"]
    assert n.value == pytest.approx((0.8 + 1.0 + 0.3) / 3 * 100)
    assert n.n == 3 and n.inputs["ej_uppmatta"] == 1 and n.inputs["tak"] == 1.0
    assert rep.figures["nytta"].value == pytest.approx(7.0)
    assert rep.nytta_by_kind["omställning"].value == pytest.approx(100.0)
    assert rep.nytta_by_kind["ekonomisk"].value == pytest.approx(30.0)
    assert rep.nytta_by_kind["ekonomisk"].inputs["ej_uppmatta"] == 1
    uncapped = compute_year(ds, 2025, benefit_cap=None)
    assert uncapped.figures["nyttorealisering"].value == pytest.approx((0.8 + 1.5 + 0.3) / 3 * 100)


def test_index_needs_all_three_components() -> None:
    inits = [initiative(i, 2025, "genomförd" if i < 9 else "pågående") for i in range(1, 11)]
    dim = answers(2025, "a", dict.fromkeys(ALL6, 5))  # 80 %
    emp = [{"year": 2025, "verksamhet": "", "score": s} for s in (4, 4, 5, 3)]  # 4.0 -> 80 %
    ds = make_dataset(initiatives=inits, dimios=dim, employee=emp)
    rep = compute_year(ds, 2025)
    assert rep.figures["forutsattningar"].value == pytest.approx(8.0)
    assert rep.figures["resultat"].value == pytest.approx(8.0)
    assert "nytta" not in rep.figures
    assert "index" not in rep.figures
    benefits = [
        {
            "initiative_id": "I1",
            "year": 2025,
            "kind": "ekonomisk",
            "indicator": "x",
            "unit": "",
            "baseline": "",
            "expected": "10",
            "measured": "5",
        }
    ]
    rep2 = compute_year(
        make_dataset(initiatives=inits, dimios=dim, employee=emp, benefits=benefits), 2025
    )
    assert rep2.figures["index"].value == pytest.approx((8.0 + 8.0 + 5.0) / 3)
    assert rep2.figures["index"].display == "7,0"
    assert rep2.figures["index"].inputs == pytest.approx(
        {"forutsattningar": 8.0, "resultat": 8.0, "nytta": 5.0}
    )


def test_previous_is_nearest_earlier_year_with_the_figure() -> None:
    emp = [{"year": y, "verksamhet": "", "score": s} for y, s in ((2021, 3), (2025, 4))]
    inits = [initiative(1, 2023)]
    ds = make_dataset(employee=emp, initiatives=inits)
    f = compute_year(ds, 2025).figures["medarbetare_medel"]
    assert f.previous_year == 2021 and f.previous == 3.0 and f.change == 1.0
    assert f.change_display == "+1,00"
    assert compute_year(ds, 2021).figures["medarbetare_medel"].previous is None


def test_portfolio_exact() -> None:
    inits = [
        initiative(1, 2025, objekt="Fastighet", ie=1, os_=1, ei=1),
        initiative(2, 2025, objekt="Fastighet", ie=1, os_=1, ei=2),
        initiative(3, 2025, objekt="Social omsorg", ie=5, os_=4, ei=5),
        initiative(4, 2025, objekt="Kultur och fritid", ie=3, os_=2, ei=3),
        initiative(5, 2024, objekt="Fastighet"),
        initiative(6, 2024, objekt="Fastighet"),
        initiative(7, 2024, objekt="Fastighet"),
        initiative(8, 2024, objekt="Fastighet"),
        initiative(9, 2024, objekt="Fastighet"),
    ]
    p = compute_year(make_dataset(initiatives=inits), 2025).portfolio
    assert p.count == 4 and p.previous_count == 5 and p.change_in_count == -1
    assert p.change_in_count_pct == pytest.approx(-20.0)
    assert p.axis_distribution["innovation_effektivitet"] == {1: 2, 2: 0, 3: 1, 4: 0, 5: 1}
    assert p.average == pytest.approx(
        {"innovation_effektivitet": 2.5, "operativt_strategiskt": 2.0, "extern_intern": 2.75}
    )
    assert p.grid == [
        {"innovation_effektivitet": 1, "operativt_strategiskt": 1, "count": 2},
        {"innovation_effektivitet": 3, "operativt_strategiskt": 2, "count": 1},
        {"innovation_effektivitet": 5, "operativt_strategiskt": 4, "count": 1},
    ]
    assert p.extern_intern == pytest.approx({"extern": 25.0, "intern": 50.0, "neutral": 25.0})
    assert p.extern_intern_counts == {"extern": 1, "intern": 2, "neutral": 1}
    assert list(p.per_objekt.items())[:3] == [
        ("Fastighet", 2),
        ("Social omsorg", 1),
        ("Kultur och fritid", 1),
    ]
    assert len(p.per_objekt) == 10 and p.per_objekt["Välfärd skola"] == 0
    assert (
        compute_year(make_dataset(initiatives=inits), 2025).figures["antal_initiativ"].change == -1
    )


def test_no_data_for_year_and_unknown_figure() -> None:
    ds = make_dataset(initiatives=[initiative(1, 2025)])
    with pytest.raises(NoDataForYearError) as err:
        compute_year(ds, 2019)
    assert err.value.available == [2025]
    assert "2019" in err.value.message and "2025" in err.value.message
    with pytest.raises(UnknownFigureError):
        figure_series(ds, "finns_inte")
    assert figure_series(ds, "digital_mognad") == []
    assert [f.display for f in figure_series(ds, "genomforandegrad.Social omsorg")] == ["100,0 %"]


def test_to_dict_is_json_ready() -> None:
    import json

    inits = [initiative(1, 2025)]
    dim = answers(2025, "a", dict.fromkeys(ALL6, 4))
    d = compute_year(make_dataset(initiatives=inits, dimios=dim), 2025).to_dict()
    text = json.dumps(d)
    back = json.loads(text)
    assert back["figures"]["digital_mognad"]["display"] == "60,0 %"
    assert back["portfolio"]["axis_distribution"]["extern_intern"]["3"] == 1
    assert set(back) == {
        "year",
        "figures",
        "dimios",
        "employee",
        "genomforande_by_objekt",
        "nytta_by_kind",
        "portfolio",
    }
