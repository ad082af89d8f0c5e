from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from assistant.grounding import check_grounding, find_numbers


def test_swedish_and_english_notation_are_the_same_number() -> None:
    report = check_grounding(
        "Indexet blev 8,2 och svarsfrekvensen 64,5 % år 2025.",
        [{"value": 8.158, "display": "8,2"}, {"rate": 64.5}, {"year": 2025}],
    )
    assert report.ok, report.ungrounded
    assert check_grounding("Index 8.2, svar 64.5%", [{"v": "8,2"}, "svarsfrekvensen var 64,5%"]).ok


def test_ratio_grounds_percent_and_rounding_to_answer_precision() -> None:
    assert check_grounding("Genomförandegraden var 88,2 %.", [{"ratio": 0.8821}]).ok
    assert check_grounding("Medel 3,72 av 5.", [{"mean": 3.7213, "formula": "medel / 5 × 100"}]).ok


def test_ungrounded_numbers_are_listed_and_warned() -> None:
    report = check_grounding(
        "Indexet var 8,2 men 2019 låg det på 7,4.", [{"value": 8.2, "year": 2025}]
    )
    assert report.ungrounded == ["2019", "7,4"]
    warning = report.warning()
    assert warning is not None and "2019" in warning and "7,4" in warning


def test_words_with_digits_and_list_markers_are_not_figures() -> None:
    assert [m.text for m in find_numbers("NIS2 och e5-modellen")] == []
    text = "1. Första punkten\n2. Andra punkten med 8,2"
    assert [m.text for m in find_numbers(text)] == ["8,2"]


def test_thousands_and_negative_changes() -> None:
    assert [m.value for m in find_numbers("1 234,5 kronor och -0,3")] == [1234.5, -0.3]
    # a change written as an amount is grounded by the signed change in the tool result
    assert check_grounding("en minskning med 0,5 procentenheter", [{"change": -0.545}]).ok


def _figure(key: str, label: str, value: float, year: int, unit: str, **kw: object) -> dict:
    return {"key": key, "label": label, "value": value, "year": year, "unit": unit, **kw}


INDEX = _figure(
    "index", "Digitaliseringsindex", 8.1613, 2025, "index10",
    previous=8.0916, previous_year=2024, change=0.0696, n=3,
)  # fmt: skip
MOGNAD = _figure(
    "digital_mognad", "Digital mognad (DiMiOS)", 65.1174, 2025, "percent",
    previous=64.219, previous_year=2024, change=0.8984, n=142,
)  # fmt: skip


def test_claims_read_unit_figure_year_and_direction() -> None:
    from assistant.grounding import read_claims

    claims = read_claims(
        "Digital mognad ökade med 0,9 procentenheter till 65,1 % år 2025 (n = 142). "
        "Indexet minskade med 0,1."
    )
    by_text = {c.mention.text: c for c in claims}
    pp, value, n = by_text["0,9"], by_text["65,1"], by_text["142"]
    assert (pp.unit, pp.family, pp.change, pp.direction) == ("pp", "digital_mognad", True, 1)
    assert (value.unit, value.family, value.year, value.change) == (
        "percent", "digital_mognad", 2025, False,
    )  # fmt: skip
    assert (n.unit, n.family) == ("count", None)
    assert by_text["0,1"].direction == -1 and by_text["0,1"].family == "index"


def test_units_must_agree() -> None:
    evidence = [{"figures": {"index": INDEX, "digital_mognad": MOGNAD}}]
    assert check_grounding("Digital mognad ökade med 0,9 procentenheter.", evidence).ok
    # 0,9 procentenheter is not 0,9 procent (the relative change is 1,4 %)
    assert check_grounding("Digital mognad ökade med 0,9 procent.", evidence).ungrounded == ["0,9"]
    assert check_grounding("Digital mognad ökade med 1,4 procent.", evidence).ok
    assert check_grounding("Indexet blev 8,2 procent.", evidence).ungrounded == ["8,2"]
    assert check_grounding("Indexet blev 8,2 av 10.", evidence).ok


def test_the_year_before_named_before_its_number_is_that_year() -> None:
    evidence = [{"figures": {"index": INDEX, "digital_mognad": MOGNAD}}]
    said = "Digitaliseringsindex 2025 var 8,2 (förändring +0,1 mot året innan, då det var 8,1)."
    assert check_grounding(said, evidence).ok
    said = "Den digitala mognaden var 65,1 % 2025; året innan var den 64,2 %."
    assert check_grounding(said, evidence).ok
    # a value no year has is still caught
    said = "Den digitala mognaden var 65,1 % 2025; året innan var den 61,0 %."
    assert check_grounding(said, evidence).ungrounded == ["61,0"]


def test_a_measured_indicator_keeps_its_quantity_and_period() -> None:
    row = {
        "indicator": "Frigjord handläggartid",
        "unit": "timmar/år",
        "baseline": None,
        "expected": 1100.0,
        "measured": 940.0,
    }
    days = {"indicator": "Tid från ansökan till beslut", "unit": "dagar", "baseline": 3.2,
            "measured": 1.6}  # fmt: skip
    evidence = [{"year": 2025, "indicators": [row, days]}]
    assert check_grounding("Roboten frigjorde 940 timmar per år (målet 1 100).", evidence).ok
    assert check_grounding("Roboten frigjorde 940 timmar under 2025.", evidence).ok
    said = "Roboten frigjorde 940 timmar handläggartid per månad."
    assert check_grounding(said, evidence).ungrounded == ["940"]
    said = "Tiden till beslut kortades från 3,2 till 1,6 timmar."
    assert check_grounding(said, evidence).ungrounded == ["3,2", "1,6"]
    assert check_grounding("Tiden till beslut kortades från 3,2 till 1,6 dagar.", evidence).ok


def test_an_inputs_scale_is_its_own() -> None:
    medarbetare = _figure(
        "medarbetare", "Medarbetare", 74.4, 2025, "percent", inputs={"medel": 3.72, "svar": 1250}
    )
    evidence = [{"figures": {"medarbetare": medarbetare}}]
    assert check_grounding("Snittet var 3,72 av 5 och blev 74,4 % i indexet.", evidence).ok
    assert check_grounding("Snittet var 3,72 %.", evidence).ungrounded == ["3,72"]
    assert check_grounding("Snittet var 3,72 av 10.", evidence).ungrounded == ["3,72"]


def test_a_scenarios_difference_keeps_its_direction_and_unit() -> None:
    scenario = _figure(
        "medarbetare", "Medarbetare", 74.4, 2025, "percent", simulated=80.0, difference=5.6
    )
    index = _figure("index", "Digitaliseringsindex", 8.16, 2025, "index10", simulated=8.36,
                    difference=0.2)  # fmt: skip
    evidence = [{"figures": {"medarbetare": scenario, "index": index}}]
    said = "Medarbetare skulle öka med 5,6 procentenheter till 80,0 %, och indexet öka med 0,2."
    assert check_grounding(said, evidence).ok
    assert check_grounding("Medarbetare skulle öka med 5,6 procent.", evidence).ungrounded == [
        "5,6"
    ]
    assert check_grounding("Indexet hade minskat med 0,2.", evidence).ungrounded == ["0,2"]


def test_a_count_belongs_to_the_status_named_beside_it() -> None:
    rate = _figure(
        "genomforandegrad", "Genomförandegrad", 87.7, 2025, "percent",
        inputs={"beslutade": 57, "genomförd": 50, "pågående": 6, "pausad": 1, "avbruten": 0},
    )  # fmt: skip
    evidence = [{"figures": {"genomforandegrad": rate}}]
    said = "Av 57 initiativ är 50 genomförda, 6 pågående och 1 pausades; genomförandegraden 87,7 %."
    assert check_grounding(said, evidence).ok
    said = "Av 57 initiativ är 50 genomförda, 1 pågående och 6 pausade."
    assert check_grounding(said, evidence).ungrounded == ["1", "6"]


def test_a_number_without_a_figure_only_has_to_exist_in_a_compatible_kind() -> None:
    evidence = [{"count": 57, "per_objekt": {"Fastighet": 3}, "share": 0.467}]
    assert check_grounding("Fastighet hade 3 initiativ av 57, alltså 46,7 %.", evidence).ok
    assert check_grounding("Fastighet hade 4 initiativ.", evidence).ungrounded == ["4"]
    # references and scales are not figures
    assert check_grounding(
        "Se avsnitt 5.4.1 (s. 12); skalan 1–5.", [{"section": "5.4.1", "page": 12}]
    ).ok


def test_the_grounding_sets_run_and_are_scored() -> None:
    from assistant.grounding import evaluate_cases, load_cases
    from assistant.tools import ToolRegistry
    from tests.assistant.chat_support import sample_dataset

    tools = ToolRegistry(sample_dataset())
    cases = load_cases(
        [
            json.dumps(
                {
                    "id": "t1",
                    "kind": "mixed",
                    "tools": [{"name": "get_index", "arguments": {"year": 2025}}],
                    "answer": "Indexet 2025 blev 8,2 och Resultat 8,7.",
                    "must_flag": ["8,7"],
                }
            ),
            json.dumps(
                {
                    "id": "t2",
                    "kind": "correct",
                    "tools": [{"name": "get_index", "arguments": {"year": 2025}}],
                    "answer": "Nytta blev 8,7 år 2025.",
                    "must_flag": [],
                }
            ),
        ]
    )
    score = evaluate_cases(cases, tools.call)
    assert (score.wrong, score.caught, score.catch_rate) == (1, 1, 1.0)
    # right numbers: 2025 and 8,2 in t1, 8,7 and 2025 in t2; none flagged
    assert (score.right, score.false_flags) == (4, 0)
    # the bundled sets parse, and each names tools that exist
    sets = sorted((Path(__file__).resolve().parents[2] / "data" / "eval").glob("grounding_*.jsonl"))
    assert len(sets) >= 12
    for path in sets:
        loaded = load_cases(path.read_text(encoding="utf-8").splitlines())
        assert len(loaded) >= 100
        names = {s["function"]["name"] for s in tools.schemas()}
        assert {t["name"] for c in loaded for t in c.tools} <= names


def test_cases_name_wrong_numbers_with_or_without_their_unit() -> None:
    import pytest

    from assistant.errors import InvalidInputError
    from assistant.grounding import load_cases

    line = json.dumps(
        {"id": "x", "tools": [], "answer": "A", "must_flag": ["75,2 %", "376 timmar"]}
    )
    assert load_cases([line])[0].must_flag == ["75,2", "376"]
    bad = json.dumps({"id": "y", "tools": [], "answer": "A", "must_flag": ["procent"]})
    with pytest.raises(InvalidInputError, match="y"):
        load_cases([line, bad])


def _series(key: str, label: str, unit: str, values: dict[int, float]) -> dict:
    """A compare_years-like series: one figure per year."""
    return {"series": [_figure(key, label, v, y, unit) for y, v in values.items()]}


def test_the_year_a_figure_was_highest_is_checked() -> None:
    resultat = _series("resultat", "Resultat", "index10", {2023: 9.2, 2024: 8.5, 2025: 8.8})
    # 9,2 is the highest value, but it came in 2023: the year is wrong, not the value
    report = check_grounding("Resultat var som högst 2024, då det låg på 9,2.", [resultat])
    assert report.ungrounded == ["2024"]
    assert "2023" in report.flags[0].reason
    assert check_grounding("Resultat var som högst 2023, då det låg på 9,2.", [resultat]).ok
    assert check_grounding("Resultat var lägst 2024 med 8,5.", [resultat]).ok
    # a value that is not the top is judged as any other
    assert check_grounding("Resultat var som högst 2025 med 8,8.", [resultat]).ungrounded


def test_procentenheter_are_a_difference_not_a_level() -> None:
    evidence = [{"figures": {"digital_mognad": MOGNAD}}]
    assert check_grounding("Digital mognad 2025 var 65,1 %.", evidence).ok
    report = check_grounding("Digital mognad 2025 låg på 65,1 procentenheter.", evidence)
    assert report.ungrounded == ["65,1"]
    assert check_grounding("Digital mognad ökade med 0,9 procentenheter.", evidence).ok


def test_a_count_written_as_a_share_is_flagged() -> None:
    portfolio = {"per_objekt": {"Ledning och styrning": {"antal": 11}}, "extern": 10.5}
    evidence = [{"count": 57, **portfolio}]
    assert check_grounding("Ledning och styrning hade 11 initiativ.", evidence).ok
    report = check_grounding("Ledning och styrning står för 11 % av initiativen.", evidence)
    assert report.ungrounded == ["11"] and "antal" in report.flags[0].reason


def test_a_contribution_said_positive_must_be_positive() -> None:
    evidence = [{"contributions": [{"name": "Kultur och fritid", "change": -0.42}]}]
    assert check_grounding("Kultur och fritid bidrog negativt, med 0,42.", evidence).ok
    report = check_grounding("Kultur och fritid bidrog positivt, med 0,42.", evidence)
    assert report.ungrounded == ["0,42"]


def _part(kind: str, name: str, now: str, before: str, change: float) -> dict[str, object]:
    """A part of explain_change's answer: a unit's value now and the year compared with."""
    return {
        "figure": f"{kind}:{name}",
        "label": name,
        "display": now,
        "base_display": before,
        "change": change,
    }


def test_a_value_of_a_part_of_a_change_belongs_to_that_part() -> None:
    evidence = [
        {
            "figure": "medarbetare",
            "year": 2025,
            "base_year": 2024,
            "contributions": [
                _part("verksamhet", "Kommunstyrelsens stab", "74,1 %", "76,0 %", -1.82),
                _part("verksamhet", "Natur och trafik", "75,3 %", "76,4 %", -1.1),
            ],
        }
    ]
    ok = "Kommunstyrelsens stab sjönk från 76,0 % till 74,1 %, Natur och trafik till 75,3 %."
    assert check_grounding(ok, evidence).ok
    assert check_grounding("Kommunstyrelsens stab hade 76,0 % 2024.", evidence).ok
    report = check_grounding("Kommunstyrelsens stab sjönk från 76,0 % till 75,3 %.", evidence)
    assert report.ungrounded == ["75,3"] and "Natur och trafik" in report.flags[0].reason


def test_an_indicator_is_named_without_its_id_and_respektive_keeps_the_order() -> None:
    evidence = [
        {
            "drivers": [
                {"name": "Andel dokument med känslighetsmärkning (D2025-003)", "change": -1.04},
                {"name": "Tid från ansökan till beslut (D2025-012)", "change": -0.96},
            ]
        }
    ]
    both = (
        "Andel dokument med känslighetsmärkning och tid från ansökan till beslut drog ned med "
        "1,04 respektive 0,96."
    )
    assert check_grounding(both, evidence).ok
    report = check_grounding("Mest drog tid från ansökan till beslut ned (−1,04).", evidence)
    assert report.ungrounded == ["−1,04"]


def test_a_name_after_a_clause_break_is_not_the_numbers() -> None:
    evidence = [
        {
            "contributions": [
                {"figure": "nyttoslag:omställning", "label": "omställning", "contribution": -1.03},
                {"figure": "nyttoslag:ekonomisk", "label": "ekonomisk", "contribution": 0.95},
            ]
        }
    ]
    text = (
        "Omställningsnyttan drog ändå ned helheten med 1,03, medan ekonomisk nytta bidrog "
        "positivt med 0,95."
    )
    assert check_grounding(text, evidence).ok


PORTFOLIO_SPLIT = [
    {"count": 57, "extern_intern_counts": {"extern": 6, "intern": 40, "neutral": 11}}
]


def test_a_share_in_parentheses_restates_the_count_before_it() -> None:
    evidence = [{**PORTFOLIO_SPLIT[0], "extern_intern_pct": {"extern": 10.5, "intern": 70.2}}]
    text = (
        "40 av 57 initiativ (70,2 %) ger främst intern nytta och endast 6 (10,5 %) främst "
        "extern nytta."
    )
    assert check_grounding(text, evidence).ok


def test_a_bare_whole_number_about_a_thing_with_a_count_is_its_count() -> None:
    evidence = [{**PORTFOLIO_SPLIT[0], "extern_intern_pct": {"extern": 10.5, "intern": 70.2}}]
    report = check_grounding("40 ger främst intern nytta och 11 främst extern nytta.", evidence)
    assert report.ungrounded == ["11"]  # 11 is the neutral count, not extern's 10,5 % rounded


def test_a_verb_split_by_an_adverb_still_gives_the_direction() -> None:
    part = {
        "figure": "nyttoslag:omställning",
        "label": "omställning",
        "contribution": -1.03,
        "contribution_display": "-1,03 procentenheter",
    }
    evidence = [{"contributions": [part]}]
    assert check_grounding("Omställning drog ändå ned helheten med 1,03.", evidence).ok
    report = check_grounding("Omställning drog ändå upp helheten med 1,03.", evidence)
    assert report.ungrounded == ["1,03"]


def test_then_carries_the_year_of_the_sentence_before() -> None:
    evidence = [
        {
            "series": [
                {"key": "nyttorealisering", "value": 88.0, "unit": "percent", "year": 2024,
                 "inputs": {"per_nyttoslag": {"ekonomisk": 100.0}}},
                {"key": "nyttorealisering", "value": 87.4, "unit": "percent", "year": 2025,
                 "inputs": {"per_nyttoslag": {"ekonomisk": 93.1}}},
            ]
        }
    ]  # fmt: skip
    right = "År 2024 var nyttorealiseringen 88,0 %; ekonomisk nytta låg då på 100,0 %."
    assert check_grounding(right, evidence).ok
    wrong = "År 2024 var nyttorealiseringen 88,0 %; ekonomisk nytta låg då på 93,1 %."
    report = check_grounding(wrong, evidence)
    assert report.ungrounded == ["93,1"] and "2025" in report.flags[0].reason


def test_a_gap_between_two_stated_numbers_is_their_difference() -> None:
    evidence = [{"low": 6.98, "high": 8.77}, {"mognad": 65.1, "medarbetare": 74.4}]
    ok = [
        "Lägst 7,0; högst 8,8; skillnaden är 1,8.",
        "Mognaden 65,1 ligger 9,3 enheter lägre än medarbetare 74,4.",
    ]
    for answer in ok:
        assert check_grounding(answer, evidence).ok, answer
    # a wrong gap, and a difference no cue says is one, are flagged
    assert check_grounding("Lägst 7,0; högst 8,8; skillnaden är 1,9.", evidence).ungrounded == [
        "1,9"
    ]
    assert check_grounding("Lägst 7,0 och högst 8,8, och 1,8 till.", evidence).ungrounded == ["1,8"]


def test_counts_read_off_a_complete_list_of_rows() -> None:
    rows = [
        {"title": "A", "year": 2024, "status": "pågående"},
        {"title": "B", "year": 2025, "status": "pågående"},
        {"title": "C", "year": 2025, "status": "genomförd"},
    ]
    listing = {"count": 3, "shown": 3, "initiatives": rows}
    assert check_grounding("3 initiativ, varav 2 från 2025 och 1 från 2024.", [listing]).ok
    assert check_grounding("Varav 5 från 2025.", [listing]).ungrounded == ["5"]
    # a list cut short of its count grounds no tally
    cut = {"count": 9, "shown": 3, "initiatives": rows}
    assert check_grounding("Varav 2 från 2025.", [cut]).ungrounded == ["2"]


def _tool(name: str, **arguments: Any) -> Any:
    """A tool's result on the bundled sample data."""
    from assistant.tools import ToolRegistry
    from tests.assistant.chat_support import sample_dataset

    return ToolRegistry(sample_dataset()).call(name, arguments)


def test_a_share_of_a_group_is_named_by_its_qualifier() -> None:
    evidence = [_tool("employee_survey", year=2025)]  # positiva 59,0 %, neutrala 32,2 %
    right = "59,0 % av medarbetarna svarade positivt och 32,2 % av svaren var neutrala."
    assert check_grounding(right, evidence).ok
    swapped = "32,2 % av medarbetarna svarade positivt och 59,0 % av svaren var neutrala."
    assert check_grounding(swapped, evidence).ungrounded == ["32,2", "59,0"]


def test_the_survey_name_is_not_the_maturity_figure() -> None:
    keys = ["digital_mognad", "dimios_svarsfrekvens", "dimios_mottagare"]
    evidence = [_tool("get_index", year=2025, keys=keys)]  # 65,1 %, 64,5 %, 220
    assert check_grounding("Den digitala mognaden blev 64,5 %.", evidence).ungrounded == ["64,5"]
    assert check_grounding("2025 skickades DiMiOS till 220 personer.", evidence).ok
    assert check_grounding("Svarsfrekvensen i DiMiOS var 64,5 %.", evidence).ok


def test_a_mean_said_on_the_five_point_scale_is_a_score() -> None:
    keys = ["medarbetare", "medarbetare_medel"]
    evidence = [_tool("get_index", year=2025, keys=keys)]  # 74,4 % and the mean 3,72
    assert check_grounding("Medelbetyget var 3,72 på den femgradiga skalan.", evidence).ok
    flagged = check_grounding("Medelbetyget var 74,4 på den femgradiga skalan.", evidence)
    assert flagged.ungrounded == ["74,4"]
    on_ten = check_grounding("Betyget var 3,72 på indexets tiogradiga skala.", evidence)
    assert on_ten.ungrounded == ["3,72"]


def test_a_count_said_for_a_year_is_that_years_count() -> None:
    portfolio = _tool("portfolio", year=2025)  # 57 initiatives, 60 the year before
    assert check_grounding("Portföljen 2025 består av 57 initiativ.", [portfolio]).ok
    wrong = check_grounding("Portföljen 2025 består av 60 initiativ.", [portfolio])
    assert wrong.ungrounded == ["60"]
    # a change against that year is no level of it
    assert check_grounding("Portföljen 2025 har 3 färre initiativ än 2024.", [portfolio]).ok


def test_a_table_row_said_for_another_year_is_flagged() -> None:
    register = _tool("benefit_register", year=2025)  # the LSS robot freed 453 hours in 2025
    said = "Robot för utbetalningar inom LSS frigjorde 453 timmar handläggartid under {}."
    assert check_grounding(said.format(2025), [register]).ok
    assert check_grounding(said.format(2024), [register]).ungrounded == ["453"]


def test_a_change_shown_inside_a_figure_is_in_the_figures_unit() -> None:
    series = _tool("compare_years", figure="forutsattningar")  # 2023–2025: "+0,2" (index)
    assert check_grounding("Förutsättningar ökade med 0,2 mellan 2023 och 2025.", [series]).ok
    wrong = check_grounding(
        "Förutsättningar ökade med 0,2 procentenheter mellan 2023 och 2025.", [series]
    )
    assert wrong.ungrounded == ["0,2"]


def test_a_count_behind_one_answer_is_not_anothers() -> None:
    survey = {
        "key": "medarbetare", "label": "Medarbetare", "value": 74.4, "unit": "percent",
        "year": 2024, "inputs": {"positiva": 749, "neutrala": 340, "negativa": 111},
    }  # fmt: skip
    right = "År 2024 var 749 svar positiva, 340 neutrala och 111 negativa."
    assert check_grounding(right, [survey]).ok
    swapped = "År 2024 var 749 svar positiva, 111 neutrala och 340 negativa."
    assert check_grounding(swapped, [survey]).ungrounded == ["111", "340"]


def test_an_axis_named_by_its_two_ends_in_any_order() -> None:
    portfolio = {"year": 2024, "average": {"innovation_effektivitet": 3.03,
                                           "operativt_strategiskt": 3.25}}  # fmt: skip
    right = (
        "2024 låg snittet på 3,03 på axeln innovation–effektivitet och 3,25 på "
        "operativt–strategiskt."
    )
    assert check_grounding(right, [portfolio]).ok
    swapped = (
        "2024 låg snittet på 3,25 på axeln effektivisering–innovation och 3,03 på axeln "
        "operativt–strategiskt."
    )
    assert check_grounding(swapped, [portfolio]).ungrounded == ["3,25", "3,03"]


def test_a_value_said_without_a_year_is_the_latest() -> None:
    register = _tool("benefit_register", year=2025)  # omställning 86,0 % (81,5 % in 2024)
    assert check_grounding("Omställning ligger på 86,0 %.", [register]).ok
    stale = check_grounding("Omställning ligger på 81,5 %.", [register])
    assert stale.ungrounded == ["81,5"]
    # said with its year, or as the year before, it is right
    assert check_grounding("Omställning låg på 81,5 % 2024.", [register]).ok
    survey = _tool("employee_survey", year=2025)  # mean 3,72 (3,76 the year before)
    assert check_grounding("Medelvärdet är 3,8.", [survey]).ungrounded == ["3,8"]
    assert check_grounding("Medelvärdet är 3,7.", [survey]).ok


def test_the_values_a_target_needs_belong_to_the_figure_varied() -> None:
    target = _tool("reach_target", value=8.5)  # genomförandegrad 97,9 %, nyttorealisering 97,6 %
    right = "För index 8,5 krävs en genomförandegrad på 97,9 % eller en nyttorealisering på 97,6 %."
    assert check_grounding(right, [target]).ok
    swapped = (
        "För index 8,5 krävs en nyttorealisering på 97,9 % eller en genomförandegrad på 97,6 %."
    )
    assert check_grounding(swapped, [target]).ungrounded == ["97,9", "97,6"]


def test_the_longer_name_of_a_figure_names_the_number() -> None:
    index = _tool("get_index", year=2023)  # genomförandegrad 91,7 %
    assert check_grounding("The completion rate was 91.7 % in 2023.", [index]).ok


def test_a_relative_change_is_percent_not_procentenheter() -> None:
    portfolio = _tool("portfolio", year=2025)  # 60 → 57 initiatives: −5 %
    assert check_grounding("Antalet initiativ minskade med 5 %, från 60 till 57.", [portfolio]).ok
    wrong = check_grounding(
        "Antalet initiativ minskade med 5 procentenheter, från 60 till 57.", [portfolio]
    )
    assert wrong.ungrounded == ["5"]
    series = _tool("compare_years", figure="resultat", from_year=2023, to_year=2025)
    said = "Resultat sjönk från 9,2 till 8,8, en minskning med 0,4 eller {}."
    assert check_grounding(said.format("4,3 %"), [series]).ok
    assert check_grounding(said.format("4,3 procentenheter"), [series]).ungrounded == ["4,3"]


def test_a_category_named_well_after_its_number() -> None:
    portfolio = _tool("portfolio", year=2025)  # extern 10,5 %, intern 70,2 %
    right = "In 2025, 10.5 % of the initiatives were classed as external benefit."
    assert check_grounding(right, [portfolio]).ok
    swapped = (
        "In 2025, 70.2 % of the initiatives were classed as external benefit and 10.5 % as "
        "internal benefit."
    )
    assert check_grounding(swapped, [portfolio]).ungrounded == ["70.2", "10.5"]


def test_an_indicators_target_and_measured_value_are_not_swapped() -> None:
    register = _tool(
        "benefit_register", year=2025
    )  # känslighetsmärkning: expected 90, measured 64,2
    right = "Andelen dokument med känslighetsmärkning nådde 64,2 % mot ett mål på 90 %."
    assert check_grounding(right, [register]).ok
    swapped = check_grounding(
        "Andelen dokument med känslighetsmärkning nådde 90 % mot ett mål på 64,2 %.", [register]
    )
    assert swapped.ungrounded == ["90", "64,2"]
    assert "förväntade" in swapped.flags[0].reason
    # "missade sitt mål med 64,2 %": the value it reached, not the target
    beat = "Känslighetsmärkningen missade sitt mål med 64,2 % mot förväntade 90 %."
    assert check_grounding(beat, [register]).ok


def test_the_rest_of_a_stated_whole_is_their_difference() -> None:
    survey = _tool("get_index", year=2025)  # DiMiOS: 220 recipients, 142 respondents
    said = "Av de 220 som fick enkäten svarade 142, så {} personer lämnade inget svar."
    assert check_grounding(said.format(78), [survey]).ok
    assert check_grounding(said.format(87), [survey]).ungrounded == ["87"]


def _resultat_series() -> dict:
    values = {2023: 9.2, 2024: 8.5, 2025: 8.8}
    return {"series": [_figure("resultat", "Resultat", v, y, "index10") for y, v in values.items()]}


def test_a_value_said_for_the_year_before_is_that_years() -> None:
    evidence = [_resultat_series()]
    right = "Resultat 2025 blev 8,8, upp från föregående år då det låg på 8,5."
    assert check_grounding(right, evidence).ok
    wrong = "Resultat 2025 blev 8,8, upp från föregående år då det låg på 9,2."
    report = check_grounding(wrong, evidence)
    assert report.ungrounded == ["9,2"] and "2023" in report.flags[0].reason
    assert check_grounding("Resultat 2025 blev 8,8, mot förra årets 9,2.", evidence).ungrounded == [
        "9,2"
    ]
    assert check_grounding(
        "Resultat 2024 blev 8,5, ner från 8,8 året innan.", evidence
    ).ungrounded == ["8,8"]
    # the sentence's own year's value (8,5 is 2024's): the year written is what is wrong
    said = "Resultat 2024 blev 9,2, ner från 8,5 året innan."
    assert check_grounding(said, evidence).ungrounded == ["9,2"]


def _tool_results(*calls: tuple[str, dict[str, Any]]) -> list[Any]:
    from tests.assistant.chat_support import make_assistant

    tools = make_assistant(retriever=None, max_rounds=1).tools
    return [tools.call(name, args) for name, args in calls]


def test_counts_listed_per_objekt_are_their_initiatives() -> None:
    """ "A 11 initiativ, B 8": B's initiatives, not another of B's numbers (its completed)."""
    evidence = _tool_results(("portfolio", {"year": 2025}))
    per, done = evidence[0]["per_objekt"], evidence[0]["genomforandegrad_per_objekt"]
    a, b = [k for k in per if per[k] and done[k]["genomforda"] != per[k]][:2]
    right = f"2025 har {a} {per[a]} initiativ och {b} {per[b]}."
    assert check_grounding(right, evidence).ok
    wrong = f"2025 har {a} {per[a]} initiativ och {b} {done[b]['genomforda']}."
    assert check_grounding(wrong, evidence).ungrounded == [str(done[b]["genomforda"])]


def test_a_clause_after_a_semicolon_keeps_the_years_of_the_one_before() -> None:
    evidence = _tool_results(("get_index", {"year": 2025, "keys": ["dimios_mottagare"]}))
    mottagare = evidence[0]["figures"]["dimios_mottagare"]["display"]
    said = f"Mätningen 2025 gick till många; totalt var det {mottagare} mottagare."
    assert check_grounding(said, evidence).ok
    said = f"Mätningen 2024 gick till många; totalt var det {mottagare} mottagare."
    assert check_grounding(said, evidence).ungrounded == [mottagare]


def test_the_year_before_is_checked_when_no_figure_is_named() -> None:
    values = {2023: 3.76, 2024: 3.80, 2025: 3.72}
    evidence = [
        {
            "series": [
                _figure("medarbetare_medel", "Medel", v, y, "score5") for y, v in values.items()
            ]
        }
    ]
    assert check_grounding("Medelvärdet 2025 var 3,72, ner från 3,80 året innan.", evidence).ok
    report = check_grounding("Medelvärdet 2025 var 3,72, ner från 3,76 året innan.", evidence)
    assert report.ungrounded == ["3,76"] and "2023" in report.flags[0].reason


def test_a_count_of_a_listed_status_is_the_lists_count() -> None:
    evidence = _tool_results(("list_initiatives", {"year": 2024, "status": "pausad"}))
    n = evidence[0]["count"]
    assert check_grounding(f"2024 pausades {n} initiativ.", evidence).ok
    assert check_grounding(f"2024 pausades {n + 1} initiativ.", evidence).ungrounded == [str(n + 1)]


def test_a_change_in_the_number_of_initiatives_is_the_portfolios() -> None:
    evidence = _tool_results(("portfolio", {"year": 2025}))
    count, change = evidence[0]["count"], abs(evidence[0]["change_in_count"])
    prev = evidence[0]["previous_count"]
    assert check_grounding(
        f"2025 hade portföljen {count} initiativ, {change} färre än 2024.", evidence
    ).ok
    assert check_grounding(f"Antalet initiativ minskade från {prev} till {count}.", evidence).ok
    wrong = f"2025 hade portföljen {count} initiativ, {change + 2} färre än 2024."
    assert check_grounding(wrong, evidence).ungrounded == [str(change + 2)]


def test_a_whole_number_said_of_a_category_with_a_count_is_that_count() -> None:
    evidence = _tool_results(("portfolio", {"year": 2024}))
    counts = evidence[0]["extern_intern_counts"]
    ext, neu = counts["extern"], counts["neutral"]
    right = f"Av 2024 års initiativ hade {ext} främst extern nytta, medan {neu} var neutrala."
    assert check_grounding(right, evidence).ok
    wrong = f"Av 2024 års initiativ hade {ext} främst extern nytta, medan {neu + 1} var neutrala."
    assert check_grounding(wrong, evidence).ungrounded == [str(neu + 1)]


def _contribution(result: dict[str, Any], figure: str) -> float:
    """A component's part of an explained change (``explain_change``'s contributions)."""
    return next(float(c["contribution"]) for c in result["contributions"] if c["figure"] == figure)


def test_a_components_part_of_a_change_is_its_own() -> None:
    """ "Förutsättningar drog upp indexet med 0,12": the part named, with its sign."""
    change = _tool("explain_change", figure="index", year=2024)
    forut, nytta = (_contribution(change, f) for f in ("forutsattningar", "nytta"))
    assert forut > 0 and nytta > 0 and round(forut, 2) != round(nytta, 2)
    f, n = (f"{x:.2f}".replace(".", ",") for x in (forut, nytta))
    right = f"År 2024 drog Förutsättningar upp indexet med {f} och Nytta med {n}."
    assert check_grounding(right, [change]).ok
    swapped = check_grounding(
        f"År 2024 drog Förutsättningar upp indexet med {n} och Nytta med {f}.", [change]
    )
    assert swapped.ungrounded == [n, f]
    assert "gäller Nytta, inte Förutsättningar" in swapped.flags[0].reason
    # the figure moved ("indexet") is not what the number is about: its subject is
    later = _tool("explain_change", figure="index", year=2025)
    down = -_contribution(later, "nytta")
    d = f"{down:.2f}".replace(".", ",")
    assert down > 0
    assert check_grounding(f"Nytta drog ned indexet med {d}.", [later]).ok
    flipped = check_grounding(f"Resultat bidrog mest, medan Nytta bidrog med +{d}.", [later])
    assert flipped.ungrounded == [f"+{d}"] and "motsatt tecken" in flipped.flags[0].reason


def test_upward_and_downward_give_a_parts_direction() -> None:
    change = _tool("explain_change", figure="genomforandegrad", year=2025)
    part = next(c for c in change["contributions"] if c["contribution"] < -1)
    name, size = part["label"], f"{-part['contribution']:.2f}".replace(".", ",")
    assert check_grounding(f"{name} bidrog nedåt med {size} procentenheter.", [change]).ok
    report = check_grounding(f"{name} bidrog också uppåt med {size} procentenheter.", [change])
    assert report.ungrounded == [size] and "minskade" in report.flags[0].reason


def test_more_initiatives_needed_is_a_count_of_initiatives() -> None:
    target = _tool("reach_target", value=8.5)
    path = next(p for p in target["paths"] if p["vary"] == "genomforandegrad")
    needed, decided = path["initiatives_needed"], path["initiatives_decided"]
    right = f"Det motsvarar {needed} fler genomförda av {decided} beslutade initiativ."
    assert check_grounding(right, [target]).ok
    for wrong in (needed + 3, needed - 1):
        said = f"Det motsvarar {wrong} fler genomförda initiativ."
        assert check_grounding(said, [target]).ungrounded == [str(wrong)]


def test_a_figure_named_after_for_names_the_number() -> None:
    """ "… +5,65 procentenheter, mot +3,44 för Digital förmåga": Digital förmåga's."""
    change = _tool("explain_change", figure="digital_mognad", year=2025, base_year=2022)
    arv, formaga = (_contribution(change, f) for f in ("digitalt_arv", "digital_formaga"))
    a, f = (f"+{x:.2f}".replace(".", ",") for x in (arv, formaga))
    right = (
        f"Digitalt arv står för den största delen, {a} procentenheter, mot {f} för Digital förmåga."
    )
    assert check_grounding(right, [change]).ok
    wrong = (
        f"Digitalt arv står för den största delen, {f} procentenheter, mot {a} för Digital förmåga."
    )
    assert check_grounding(wrong, [change]).ungrounded == [f, a]


def test_an_indicators_numbers_are_also_its_initiatives_in_any_inflection() -> None:
    register = _tool("benefit_register", year=2025, kind="ekonomisk")
    rows = {r["initiative"]: r for r in register["indicators"]}
    signing, gps = rows["Digital signering av avtal"], rows["GPS-uppföljning av snöröjningen"]
    a, b = (f"{r['measured']:,.0f}".replace(",", " ") for r in (signing, gps))
    said = "Digital signering av avtal sänkte kostnaden till {} kr, medan GPS-uppföljningen av "
    said += "snöröjningen landade på {} kr."
    assert check_grounding(said.format(a, b), [register]).ok
    report = check_grounding(said.format(b, a), [register])
    assert report.ungrounded == [b, a]
    assert "inte Digital signering av avtal" in report.flags[0].reason


def test_an_undated_baseline_is_not_the_rows_expected_value() -> None:
    register = _tool("benefit_register", year=2025, kind="ekonomisk")
    row = next(r for r in register["indicators"] if r["baseline"] != r["expected"])
    base, expected = (f"{row[k]:,.0f}".replace(",", " ") for k in ("baseline", "expected"))
    said = f"{row['indicator']} mot förväntade {base} kr."
    report = check_grounding(said, [register])
    assert report.ungrounded == [base] and "utgångsvärdet" in report.flags[0].reason
    assert check_grounding(f"{row['indicator']} mot förväntade {expected} kr.", [register]).ok


def test_the_most_initiatives_ranks_by_count() -> None:
    """ "flest med 11, följt av Social omsorg med 8": its initiatives, not its 8 delivered."""
    evidence = _tool_results(("portfolio", {"year": 2025}))
    per = evidence[0]["per_objekt"]
    (top, n_top), (second, n_second) = list(per.items())[:2]
    right = f"{top} har flest med {n_top}, följt av {second} med {n_second}."
    assert check_grounding(right, evidence).ok
    wrong = f"{top} har flest med {n_top}, följt av {second} med {n_second - 1}."
    assert check_grounding(wrong, evidence).ungrounded == [str(n_second - 1)]


def test_a_rows_parts_belong_to_its_verksamhet() -> None:
    rows = _tool("dimios_breakdown", year=2025, by="verksamhet")["rows"]
    a, b = rows[0], rows[1]
    part = f"{b['inputs']['digital_formaga']:.1f}".replace(".", ",")
    mine = f"{a['inputs']['digital_formaga']:.1f}".replace(".", ",")
    evidence = [{"rows": rows}]
    assert check_grounding(f"I {b['name']} var digital förmåga {part} %.", evidence).ok
    report = check_grounding(f"I {b['name']} var digital förmåga {mine} %.", evidence)
    assert report.ungrounded == [mine] and a["name"] in report.flags[0].reason


def test_this_years_result_for_another_figure_is_not_resultat() -> None:
    passage = {"hits": [{"text": "Årets resultat för Nytta är 8,7. Resultat för 2025 är 8,8."}]}
    assert check_grounding("Nytta är 8,7 och Resultat 8,8.", [passage]).ok
    assert check_grounding("Resultat är 8,7.", [passage]).ungrounded == ["8,7"]


def test_a_contributions_sign_is_not_the_share_of_positive_answers() -> None:
    change = _tool("explain_change", figure="index", year=2025)
    nytta = _contribution(change, "nytta")
    size = f"{abs(nytta):.2f}".replace(".", ",")
    assert nytta < 0
    said = f"Nytta bidrog positivt med {size} till indexökningen."
    assert check_grounding(said, [change]).ungrounded == [size]
    assert check_grounding(f"Nytta bidrog negativt med {size}.", [change]).ok


def test_what_drove_a_change_and_what_it_contributed() -> None:
    """ "Ökningen drevs av Resultat, som bidrog med 0,09": Resultat's part, not the index's."""
    change = _tool("explain_change", figure="index", year=2025)
    res = f"{_contribution(change, 'resultat'):.2f}".replace(".", ",")
    total = f"{change['change']:.2f}".replace(".", ",")
    right = f"Indexökningen på {total} drevs av Resultat, som bidrog med {res}."
    assert check_grounding(right, [change]).ok
    wrong = f"Indexökningen på {total} drevs av Resultat, som bidrog med 0,05."
    assert check_grounding(wrong, [change]).ungrounded == ["0,05"]


def test_a_clause_referring_back_is_about_the_row_named() -> None:
    register = _tool("benefit_register", year=2025)
    rows = [r for r in register["indicators"] if (r["measured"] or 0) >= 100 and r["expected"]]
    row = rows[0]
    other = next(r for r in rows if r["initiative"] != row["initiative"])
    measured, theirs = (f"{r['measured']:,.0f}".replace(",", " ") for r in (row, other))
    said = "För {} var målet {}, och det uppmätta utfallet blev {}."
    expected = f"{row['expected']:,.0f}".replace(",", " ")
    assert check_grounding(said.format(row["initiative"], expected, measured), [register]).ok
    report = check_grounding(said.format(row["initiative"], expected, theirs), [register])
    assert report.ungrounded == [theirs]


def test_a_level_reached_by_a_rise_that_was_a_fall() -> None:
    nytta = _tool("compare_years", figure="nytta")
    last = nytta["series"][-1]
    assert last["change"] < 0
    value = last["display"]
    assert check_grounding(f"År {last['year']} sjönk Nytta till {value}.", [nytta]).ok
    report = check_grounding(f"År {last['year']} ökade Nytta till {value}.", [nytta])
    assert report.ungrounded == [value] and "minskade" in report.flags[0].reason
    # with no year said, where it went is the latest value
    before = nytta["series"][-2]["display"]
    assert check_grounding(f"Nytta ökade till {before}.", [nytta]).ungrounded == [before]


def test_a_list_of_one_figures_values_by_year() -> None:
    evidence = [_tool("compare_years", figure="resultat"), _tool("get_index", year=2025)]
    series = {p["year"]: p["display"] for p in evidence[0]["series"]}
    nytta = evidence[1]["figures"]["nytta"]["display"]
    assert nytta != series[2025]
    right = f"Resultat var {series[2024]} år 2024 och {series[2025]} år 2025."
    assert check_grounding(right, evidence).ok
    wrong = f"Resultat var {series[2024]} år 2024 och {nytta} år 2025."
    assert check_grounding(wrong, evidence).ungrounded == [nytta]
    # "nu" is this year, not the one year the sentence names
    now = f"Resultat sjönk till {series[2024]} år 2024 och har nu stigit till {series[2025]}."
    assert check_grounding(now, evidence).ok


def test_an_initiatives_value_on_the_axis_named() -> None:
    listed = _tool("list_initiatives", year=2025, status="pågående")
    row = next(
        r
        for r in listed["initiatives"]
        if r["innovation_effektivitet"] != r["operativt_strategiskt"]
    )
    rated, other = row["innovation_effektivitet"], row["operativt_strategiskt"]
    said = "{} har skattats till {} på innovationsskalan."
    assert check_grounding(said.format(row["title"], rated), [listed]).ok
    report = check_grounding(said.format(row["title"], other), [listed])
    assert report.ungrounded == [str(other)]


def test_a_name_with_och_after_its_number_is_whole() -> None:
    """ "varav 3 inom Medborgar- och internservice": the clause does not end at its "och"."""
    listed = _tool("list_initiatives", year=2025, status="pågående")
    objekt = "Medborgar- och internservice"
    n = sum(1 for r in listed["initiatives"] if r["objekt"] == objekt)
    total = listed["count"]
    said = f"Av initiativen är {total} pågående, varav {{}} inom {objekt}."
    assert check_grounding(said.format(n), [listed]).ok
    assert check_grounding(said.format(n + 1), [listed]).ungrounded == [str(n + 1)]


def test_each_axis_named_in_its_own_clause() -> None:
    listed = _tool("list_initiatives", year=2025, text="Datadriven")
    row = listed["initiatives"][0]
    inno, oper = row["innovation_effektivitet"], row["operativt_strategiskt"]
    assert inno != oper
    said = "{} är klassad {} på innovation–effektivitet och {} på operativt–strategiskt."
    assert check_grounding(said.format(row["title"], inno, oper), [listed]).ok
    assert str(oper) in check_grounding(said.format(row["title"], oper, inno), [listed]).ungrounded


def test_a_rise_written_right_after_its_verb() -> None:
    """ "steg 8,9 procentenheter" is a rise of 8,9 (not "steg 3", a step of a list)."""
    kind = _tool("benefit_register", year=2024)
    fall = next(f for f in kind["by_kind"].values() if f.get("change", 0) < -1)
    size = f"{-fall['change']:.1f}".replace(".", ",")
    level = fall["display"].replace(" %", "")
    year = fall["year"]
    assert check_grounding(f"Den sjönk {size} procentenheter till {level} % {year}.", [kind]).ok
    report = check_grounding(f"Den steg {size} procentenheter till {level} % {year}.", [kind])
    assert size in report.ungrounded


def test_a_value_said_on_a_scale_written_as_its_range() -> None:
    survey = _tool("employee_survey", year=2025)
    share = survey["figures"]["medarbetare"]["display"].replace(" %", "")
    mean = survey["figures"]["medarbetare_medel"]["display"]
    assert check_grounding(f"Medelvärdet 2025 var {mean} på skalan 1–5.", [survey]).ok
    assert check_grounding(
        f"Snittbetyget 2025 var {share} på 1–5-skalan.", [survey]
    ).ungrounded == [share]


def test_the_whole_after_av_is_not_named_by_what_the_part_did() -> None:
    evidence = [_tool("get_index", year=2025)]  # 142 svarande av 220 mottagare; 50 av 57 genomförda
    for right in (
        "142 av 220 svarade, en svarsfrekvens på 64,5 %.",
        "142 av 220 mottagare svarade.",
        "In 2025, 142 of 220 recipients answered the survey.",
        "6 % av initiativen har status pågående, medan 50 av 57 är genomförda.",
        "Genomförandegraden 2025 var 87,7 %, med 50 genomförda av 57 beslutade initiativ.",
        "142 av 220 tillfrågade svarade.",
    ):
        report = check_grounding(right, evidence)
        assert report.ok, (right, report.flags)
    # the part is still what the verb says: 220 did not answer
    assert check_grounding("220 av 142 svarade.", evidence).ungrounded == ["220"]
    report = check_grounding("6 % har status pågående, medan 57 av 50 är genomförda.", evidence)
    assert "57" in report.ungrounded


def test_how_many_have_a_status_is_a_count_not_a_share() -> None:
    evidence = [_tool("get_index", year=2025)]  # 50 av 57 genomförda = 87,7 %; 6 pågående
    assert check_grounding("50 av 57 initiativ genomfördes 2025 (87,7 %).", evidence).ok
    assert check_grounding("2025 genomfördes 87,7 % av initiativen.", evidence).ok
    assert check_grounding("50 % av initiativen genomfördes 2025.", evidence).ungrounded == ["50"]
    # (with every figure, 6 % is also the employee survey's positive share's fall of 5,5 %)
    only = [_tool("get_index", year=2025, keys=["genomforandegrad", "antal_initiativ"])]
    report = check_grounding("6 % av initiativen 2025 har status pågående.", only)
    assert report.ungrounded == ["6"]


def test_a_number_in_procentenheter_is_a_difference() -> None:
    evidence = [_tool("compare_years", figure="genomforandegrad")]  # 2024 → 2025: +2,7
    said = "Genomförandegraden är 87,7 %. Det senaste året var uppgången {} procentenheter."
    assert check_grounding(said.format("2,7"), evidence).ok
    assert check_grounding(said.format("3,7"), evidence).ungrounded == ["3,7"]


def test_a_gap_said_above_another_stated_number() -> None:
    # Effektivitet 65,5 %, Balansering 62,5 %
    evidence = [_tool("dimios_breakdown", year=2025, by="area")]
    said = "Effektivitet (65,5 %) ligger {} procentenheter över Balansering (62,5 %)."
    assert check_grounding(said.format("3,0"), evidence).ok
    assert check_grounding(said.format("4,0"), evidence).ungrounded == ["4,0"]
    # "över hela perioden" is a time, not a gap: the mean's change is not in procentenheter
    survey = [_tool("compare_years", figure="medarbetare_medel")]
    said = (
        "Snittet var 3,70 år 2023 och 3,72 år 2025, "
        "en ökning med 0,02 procentenheter över hela perioden."
    )
    assert check_grounding(said, survey).ungrounded == ["0,02"]


def test_a_rates_counts_in_parentheses_are_counts() -> None:
    evidence = [_tool("get_index", year=2023)]  # genomförandegrad 91,7 % = 44 av 48
    said = "Resultat låg på 9,2, alltså en genomförandegrad på 91,7 % ({} av 48)."
    assert check_grounding(said.format("44"), evidence).ok
    assert check_grounding(said.format("45"), evidence).ungrounded == ["45"]


def test_a_count_and_its_share_in_parentheses_are_about_the_words_after_them() -> None:
    evidence = [_tool("portfolio", year=2025)]  # intern 40 (70,2 %), extern 6 (10,5 %)
    said = (
        "40 av 57 initiativ (70,2 %) har främst intern nytta, "
        "medan {} initiativ ({} %) har extern nytta."
    )
    assert check_grounding(said.format("6", "10,5"), evidence).ok
    # 11 (19,3 %) are neutral, not external
    assert check_grounding(said.format("11", "19,3"), evidence).ungrounded == ["11", "19,3"]


def test_the_digits_of_an_identifier_are_no_number() -> None:
    from assistant.grounding import find_numbers

    assert [m.text for m in find_numbers("ärendet D2025-012 och COVID-19")] == []
    assert [m.text for m in find_numbers("skalan 1-5 under 2022-2025")] == [
        "1",
        "5",
        "2022",
        "2025",
    ]
    register = [_tool("benefit_register", year=2025)]  # föreningsbidrag: 30 → 16,6 dagar, mål 10
    said = "Handläggningstiden för föreningsbidrag kortades från 30 till 16,6 dagar, mot målet {}."
    assert check_grounding(said.format("10"), register).ok
    assert check_grounding(said.format("12"), register).ungrounded == ["12"]  # not D2025-012's


def test_indicators_of_a_kind_are_counted_from_the_register() -> None:
    register = [_tool("benefit_register", year=2025)]  # omställning: 9 indikatorer, 8 uppmätta
    said = "Omställning beräknas på 8 av {} indikatorer."
    assert check_grounding(said.format("9"), register).ok
    assert check_grounding(said.format("11"), register).ungrounded == ["11"]


def test_an_initiatives_intern_extern_value_after_another_axis() -> None:
    listed = _tool("list_initiatives", year=2025, objekt="Ledning och styrning")
    row = next(r for r in listed["initiatives"] if r["title"] == "Datadriven kommun")
    said = (
        "Datadriven kommun är klassad {} på innovation–effektivitet och {} på "
        "operativt–strategiskt, med tydligt intern nytta ({})."
    )
    right = said.format(
        row["innovation_effektivitet"], row["operativt_strategiskt"], row["extern_intern"]
    )
    assert check_grounding(right, [listed]).ok


def test_a_second_verb_after_och_keeps_its_subject() -> None:
    # Natur och trafik: 83,3 % → 100,0 %, +1,26; Välfärd samhällsservice: +2,13
    evidence = [_tool("explain_change", figure="genomforandegrad")]
    said = "Natur och trafik gick från 83,3 % till 100,0 % och bidrog med {} procentenheter."
    assert check_grounding(said.format("+1,26"), evidence).ok
    assert check_grounding(said.format("+2,13"), evidence).ungrounded == ["+2,13"]


def test_gick_upp_and_gick_ned_give_a_direction() -> None:
    evidence = [_tool("compare_years", figure="medarbetare")]  # 2025: −0,8 procentenheter
    said = "Medarbetarmåttet gick {} 0,8 procentenheter 2025."
    assert check_grounding(said.format("ned"), evidence).ok
    assert check_grounding(said.format("upp"), evidence).ungrounded == ["0,8"]


def test_a_status_said_as_a_verb_counts_its_initiatives() -> None:
    evidence = [_tool("portfolio", year=2024)]  # pausad: 3
    said = "2024 hade portföljen 60 initiativ; {} av dem pausades under året."
    assert check_grounding(said.format("3"), evidence).ok
    assert check_grounding(said.format("6"), evidence).ungrounded == ["6"]
    # "beslutade initiativ" are all of them, not those with status beslutad
    assert check_grounding("Av 60 beslutade initiativ pausades 3.", evidence).ok


def test_a_lists_status_tallies_are_within_its_filter() -> None:
    listed = _tool("list_initiatives", year=2025, objekt="Social omsorg")
    status = Counter(r["status"] for r in listed["initiatives"])
    said = "Social omsorg har {} initiativ 2025, varav {} genomförda och {} pågående."
    right = (listed["count"], status["genomförd"], status["pågående"])
    assert check_grounding(said.format(*right), [listed]).ok
    wrong = said.format(listed["count"], status["genomförd"] - 1, status["pågående"] + 1)
    assert check_grounding(wrong, [listed]).ungrounded == [
        str(status["genomförd"] - 1),
        str(status["pågående"] + 1),
    ]


def test_a_figures_own_change_is_not_grounded_by_another_number() -> None:
    evidence = [_tool("get_index", year=2025)]  # svarande 138 → 142; 6 pågående initiativ
    said = "142 personer svarade på DiMiOS 2025, {} fler än 2024."
    assert check_grounding(said.format("4"), evidence).ok
    report = check_grounding(said.format("6"), evidence)
    assert report.ungrounded == ["6"]
    assert "4" in report.flags[0].reason


def test_a_what_if_figure_that_is_another_figures_new_value() -> None:
    evidence = [_tool("simulate_index", overrides={"nyttorealisering": 95})]  # Nytta blir 9,5
    said = "Om nyttorealiseringen höjs till 95 % blir {} 9,5 och indexet 8,4."
    assert check_grounding(said.format("Nytta"), evidence).ok
    report = check_grounding(said.format("Resultat"), evidence)
    assert report.ungrounded == ["9,5"] and "Nytta" in report.flags[0].reason


def test_a_change_during_a_year_is_that_years_change() -> None:
    evidence = [_tool("compare_years", figure="index")]  # 2024: −0,02 (±0,0); 2025: +0,1
    assert check_grounding("Från 2024 ökade indexet med 0,1.", evidence).ok
    assert check_grounding("Under 2025 ökade indexet med 0,1.", evidence).ok
    assert check_grounding("Under 2024 ökade indexet med 0,1.", evidence).ungrounded == ["0,1"]


def test_a_what_if_change_said_in_the_present_or_infinitive() -> None:
    evidence = [_tool("simulate_index", year=2025, overrides={"genomforandegrad": 95})]
    said = "Med 95 % genomförandegrad skulle Resultat {} med 0,7."  # Resultat 8,8 → 9,5
    assert check_grounding(said.format("öka"), evidence).ok
    assert check_grounding(said.format("minska"), evidence).ungrounded == ["0,7"]
    said = "Med 95 % genomförandegrad {} Resultat med 0,7."
    assert check_grounding(said.format("stiger"), evidence).ok
    assert check_grounding(said.format("sjunker"), evidence).ungrounded == ["0,7"]


def test_measured_indicators_are_not_the_registers_whole() -> None:
    register = [_tool("benefit_register", year=2025)]  # 17 indikatorer, 16 uppmätta, 1 ej
    said = "Nyttorealiseringen 87,4 % bygger på {} uppmätta indikatorer."
    assert check_grounding(said.format("16"), register).ok
    report = check_grounding(said.format("17"), register)
    assert report.ungrounded == ["17"] and "16" in report.flags[0].reason
    said = "Registret har 17 indikatorer, varav {} inte är uppmätta."
    assert check_grounding(said.format("1"), register).ok
    assert check_grounding(said.format("2"), register).ungrounded == ["2"]
    english = "Benefit realisation is 87.4 %, based on 17 measured indicators."
    assert check_grounding(english, register).ungrounded == ["17"]


def test_a_change_over_several_years_is_the_sum_of_its_steps() -> None:
    evidence = [_tool("compare_years", figure="dimios_svarande")]  # 149, 156, 138, 142
    assert check_grounding("Antalet svarande har minskat med 7 sedan 2022.", evidence).ok
    # +7 is the first step (2022 → 2023), not the change since 2022
    report = check_grounding("Antalet svarande har ökat med 7 sedan 2022.", evidence)
    assert report.ungrounded == ["7"] and "minskade" in report.flags[0].reason
    said = "Antalet svarande förändrades med {} mellan 2022 och 2025."
    assert check_grounding(said.format("-7"), evidence).ok
    assert check_grounding(said.format("+7"), evidence).ungrounded == ["+7"]
    mognad = [_tool("compare_years", figure="digital_mognad")]  # 56,0 % (2022) → 65,1 % (2025)
    said = "Digital mognad har {} med 9,1 procentenheter sedan 2022."
    assert check_grounding(said.format("ökat"), mognad).ok
    assert check_grounding(said.format("minskat"), mognad).ungrounded == ["9,1"]
    # a year's step said beside the whole span is that step
    said = "Sedan 2022 har digital mognad ökat med 9,1 procentenheter, och 2023 ökade den med 4,6."
    assert check_grounding(said, mognad).ok


def test_a_colon_ends_the_clause_that_named_an_entity() -> None:
    evidence = [_tool("portfolio", year=2024)]  # extern 46,7 %, intern 41,7 %
    said = (
        "2024 var fördelningen mellan extern och intern nytta nästan jämn: "
        "{} % av initiativen hade extern nytta och {} % intern nytta."
    )
    assert check_grounding(said.format("46,7", "41,7"), evidence).ok
    assert check_grounding(said.format("41,7", "46,7"), evidence).ungrounded == ["41,7", "46,7"]


def test_the_level_a_change_reached_is_that_years() -> None:
    evidence = [_tool("dimios_breakdown", year=2025, by="verksamhet")]  # Välfärd skola 63,3 → 61,6
    said = "Välfärd skola (26 svarande) minskade med 1,7 procentenheter till {} %."
    assert check_grounding(said.format("61,6"), evidence).ok
    report = check_grounding(said.format("63,3"), evidence)
    assert report.ungrounded == ["63,3"] and "2024" in report.flags[0].reason
    # the level of a change said for a year is that year's
    arv = [_tool("compare_years", figure="digitalt_arv")]  # 2024: +6,3 → 68,6; 2025: +0,1
    said = "Digitalt arv ökade kraftigt 2024, med 6,3 procentenheter till 68,6 %."
    assert check_grounding(said, arv).ok


def test_a_passages_value_of_a_years_result_is_that_years() -> None:
    passage = (
        "Nacka kommuns digitala mognad 2025 är 65,1%, vilket innebär att vi fortsätter "
        "uppåt från 2024 års resultat på 64,2%."
    )
    said = "Enligt rapporten är Nacka kommuns digitala mognad 2025 {} %."
    assert check_grounding(said.format("65,1"), [passage]).ok
    assert check_grounding(said.format("64,2"), [passage]).ungrounded == ["64,2"]
    assert check_grounding("Enligt rapporten var mognaden 64,2 % år 2024.", [passage]).ok
