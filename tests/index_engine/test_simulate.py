"""simulate, solve_target, target_paths: the index recomputed under changed inputs, and back."""

from __future__ import annotations

import pytest

from index_engine import (
    INPUT_RANGES,
    Dataset,
    InvalidScenarioError,
    NoDataForYearError,
    compute_year,
    feeds,
    simulate,
    solve_target,
    target_paths,
)


def test_an_empty_scenario_changes_nothing(sample_ds: Dataset) -> None:
    sim = simulate(sample_ds, 2025)
    figures = compute_year(sample_ds, 2025).figures
    for f in sim.figures:
        assert f.simulated == f.value and f.difference == 0.0 and not f.overridden
        if f.key in figures:
            assert f.value == figures[f.key].value


def test_overriding_with_todays_values_round_trips(sample_ds: Dataset) -> None:
    today = {f.key: f.value for f in simulate(sample_ds, 2025).figures}
    sim = simulate(sample_ds, 2025, today)
    for f in sim.figures:
        assert f.simulated == pytest.approx(f.value, abs=1e-12)


def test_genomforandegrad_95_moves_resultat_and_the_index(sample_ds: Dataset) -> None:
    sim = simulate(sample_ds, 2025, {"genomforandegrad": 95})
    f = {x.key: x for x in sim.figures}
    assert f["resultat"].simulated == pytest.approx(9.5)
    expected = (f["forutsattningar"].value + 9.5 + f["nytta"].value) / 3
    assert f["index"].simulated == pytest.approx(expected, abs=1e-12)
    assert f["genomforandegrad"].overridden and not f["resultat"].overridden
    assert f["nytta"].difference == 0.0 and f["digital_mognad"].difference == 0.0


def test_a_dimios_area_feeds_its_dimension_and_the_index(sample_ds: Dataset) -> None:
    today = simulate(sample_ds, 2025).figure("dimios_omrade.Teknik").value
    sim = simulate(sample_ds, 2025, {"dimios_omrade.Teknik": today - 30})
    assert sim.figure("digitalt_arv").difference == pytest.approx(-10.0)
    assert sim.figure("digital_mognad").difference == pytest.approx(-5.0)
    assert sim.figure("forutsattningar").difference == pytest.approx(-0.25)
    assert sim.figure("index").difference == pytest.approx(-0.25 / 3)
    assert sim.figure("digital_formaga").difference == 0.0


def test_a_higher_override_wins_over_its_inputs(sample_ds: Dataset) -> None:
    sim = simulate(sample_ds, 2025, {"genomforandegrad": 10, "resultat": 9})
    assert sim.figure("resultat").simulated == 9.0
    assert sim.figure("genomforandegrad").simulated == 10.0


def test_medarbetare_mean_becomes_the_percentage(sample_ds: Dataset) -> None:
    sim = simulate(sample_ds, 2025, {"medarbetare_medel": 4.0})
    assert sim.figure("medarbetare").simulated == pytest.approx(80.0)


def test_completed_initiatives_raise_genomforandegrad(sample_ds: Dataset) -> None:
    ini = sample_ds.initiatives
    year = ini[ini["year"] == 2025]
    open_ids = year.loc[year["status"] != "genomförd", "id"].tolist()
    done = int((year["status"] == "genomförd").sum())
    sim = simulate(sample_ds, 2025, completed=open_ids[:2])
    assert sim.figure("genomforandegrad").simulated == pytest.approx((done + 2) / len(year) * 100)
    assert sim.figure("genomforandegrad").overridden
    assert sim.completed == tuple(open_ids[:2])


def test_target_8_5_is_reached_by_genomforandegrad(sample_ds: Dataset) -> None:
    r = solve_target(sample_ds, 2025, "index", 8.5, "genomforandegrad")
    assert r.reachable and not r.already and r.needed is not None
    assert r.simulation is not None
    assert r.simulation.figure("index").simulated == pytest.approx(8.5, abs=1e-9)
    assert r.simulation.figure("genomforandegrad").simulated == pytest.approx(r.needed)
    # the initiatives needed reach the rate, one fewer does not
    assert r.initiatives_needed is not None and r.initiatives_decided == 57
    rate_now = compute_year(sample_ds, 2025).figures["genomforandegrad"].value
    assert rate_now is not None
    done_now = round(rate_now / 100 * 57)
    assert (done_now + r.initiatives_needed) / 57 * 100 >= r.needed
    assert (done_now + r.initiatives_needed - 1) / 57 * 100 < r.needed


def test_an_unreachable_target_says_how_far_the_best_value_gets(sample_ds: Dataset) -> None:
    r = solve_target(sample_ds, 2025, "index", 9.5, "medarbetare_medel")
    assert not r.reachable and r.needed is None and r.simulation is None
    assert r.best == 5.0
    best = simulate(sample_ds, 2025, {"medarbetare_medel": 5.0}).figure("index").simulated
    assert r.best_reaches == pytest.approx(best)
    assert r.best_reaches < 9.5


def test_target_paths_try_each_usual_input(sample_ds: Dataset) -> None:
    paths = target_paths(sample_ds, 2025, "index", 8.5)
    assert [p.vary for p in paths] == [
        "genomforandegrad",
        "nyttorealisering",
        "digital_mognad",
        "medarbetare_medel",
    ]
    assert any(p.reachable for p in paths)
    for p in paths:
        assert p.to_dict()["target_display"] == "8,5"


def test_a_target_already_reached(sample_ds: Dataset) -> None:
    r = solve_target(sample_ds, 2025, "index", 8.0, "nyttorealisering")
    assert r.already and r.reachable


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"overrides": {"okänd": 1}}, "overrides.okänd"),
        ({"overrides": {"genomforandegrad": 130}}, "overrides.genomforandegrad"),
        ({"overrides": {"medarbetare_medel": 0.5}}, "overrides.medarbetare_medel"),
        ({"overrides": {"index": float("nan")}}, "overrides.index"),
        ({"completed": ["X-1"]}, "completed"),
        ({"overrides": {"genomforandegrad": 90}, "completed": ["D2025-001"]}, "completed"),
    ],
)
def test_bad_scenarios_name_the_field(sample_ds: Dataset, kwargs: dict, field: str) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        simulate(sample_ds, 2025, **kwargs)
    assert info.value.field == field
    assert info.value.to_dict()["code"] == "invalid_scenario"


def test_bad_targets_and_years(sample_ds: Dataset) -> None:
    with pytest.raises(InvalidScenarioError) as info:
        solve_target(sample_ds, 2025, "index", 8.5, "index")
    assert info.value.field == "vary"
    with pytest.raises(InvalidScenarioError):
        solve_target(sample_ds, 2025, "nytta", 9, "genomforandegrad")  # does not feed nytta
    with pytest.raises(InvalidScenarioError) as info:
        solve_target(sample_ds, 2025, "index", 11, "nytta")
    assert info.value.field == "target.value"
    with pytest.raises(NoDataForYearError):
        simulate(sample_ds, 2019)
    with pytest.raises(NoDataForYearError):
        simulate(sample_ds, 2022)  # no Resultat or Nytta in 2022
    assert set(INPUT_RANGES) >= {"index", "genomforandegrad", "dimios_omrade.Teknik"}


def test_target_paths_try_only_the_inputs_below_the_target(sample_ds: Dataset) -> None:
    assert feeds("medarbetare_medel", "index") and feeds("dimios_omrade.Teknik", "index")
    assert not feeds("genomforandegrad", "nytta") and not feeds("index", "index")
    (path,) = target_paths(sample_ds, 2025, "resultat", 9.5)
    assert path.vary == "genomforandegrad" and path.reachable
    assert [p.vary for p in target_paths(sample_ds, 2025, "forutsattningar", 7.5)] == [
        "digital_mognad",
        "medarbetare_medel",
    ]
    with pytest.raises(InvalidScenarioError) as info:
        target_paths(sample_ds, 2025, "nytta", 9, "genomforandegrad")
    assert info.value.field == "vary"
