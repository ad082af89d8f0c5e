"""What-if questions: read_scenario, and the offline answers built on the engine's simulation."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.offline.whatif import read_scenario
from index_engine import explain_change, simulate, solve_target
from tests.assistant.chat_support import make_assistant, sample_dataset


@pytest.mark.parametrize(
    ("question", "target", "value", "vary"),
    [
        ("Vad krävs för att indexet ska nå 8,5 nästa år?", "index", 8.5, None),
        ("What would it take to reach an index of 8.5 in 2026?", "index", 8.5, None),
        (
            "Hur hög måste genomförandegraden bli för att indexet ska nå 8,5?",
            "index",
            8.5,
            "genomforandegrad",
        ),
        (
            "Hur många fler initiativ måste genomföras för att Resultat ska bli 9?",
            "resultat",
            9.0,
            None,
        ),
        ("Vad krävs för att lyfta indexet?", "index", None, None),
        (
            "Räcker bättre nyttorealisering för att nå 9,0 i index?",
            "index",
            9.0,
            "nyttorealisering",
        ),
    ],
)
def test_targets(question: str, target: str, value: float | None, vary: str | None) -> None:
    s = read_scenario(question)
    assert s.is_target
    assert (s.target, s.target_value, s.vary) == (target, value, vary)


@pytest.mark.parametrize(
    ("question", "overrides", "all_done"),
    [
        ("Vad blir indexet om genomförandegraden blir 95 %?", {"genomforandegrad": 95.0}, False),
        (
            "Om Resultat blir 9,0 och Nytta 9,5, vad blir indexet då?",
            {"resultat": 9.0, "nytta": 9.5},
            False,
        ),
        (
            "Om medarbetarnas medelvärde blir 4,0, hur påverkar det förutsättningar?",
            {"medarbetare_medel": 4.0},
            False,
        ),
        (
            "What happens to the index if benefit realisation rises to 95 percent?",
            {"nyttorealisering": 95.0},
            False,
        ),
        ("Om alla initiativ 2025 hade genomförts, vad hade indexet blivit?", {}, True),
    ],
)
def test_scenarios(question: str, overrides: dict[str, float], all_done: bool) -> None:
    s = read_scenario(question)
    assert not s.is_target
    assert s.overrides == overrides and s.all_completed is all_done


def test_years_are_not_values() -> None:
    s = read_scenario("Vad blir indexet 2025 om genomförandegraden är 90 procent?")
    assert s.overrides == {"genomforandegrad": 90.0}


# -- answered offline, through the engine --------------------------------------------------------


@pytest.fixture(scope="module")
def assistant() -> Any:
    return make_assistant()


def _ask(assistant: Any, question: str) -> Any:
    return assistant.chat(question, persist=False)


def test_what_it_takes_to_reach_a_target(assistant: Any) -> None:
    r = _ask(assistant, "Vad krävs för att indexet ska nå 8,5 nästa år?")
    expected = solve_target(sample_dataset(), 2025, "index", 8.5, "genomforandegrad")
    assert r.tool_calls[-1]["name"] == "reach_target"
    assert "8,5" in r.answer and expected.needed_display in r.answer
    assert f"{expected.initiatives_needed} fler genomförda" in r.answer
    assert r.ungrounded_numbers == [] and r.warnings == []


def test_a_scenario_is_recomputed_and_traced(assistant: Any) -> None:
    r = _ask(assistant, "Vad blir indexet om genomförandegraden blir 95 %?")
    sim = simulate(sample_dataset(), 2025, {"genomforandegrad": 95})
    assert r.tool_calls[-1]["name"] == "simulate_index"
    assert sim.figure("index").simulated_display in r.answer
    assert sim.figure("resultat").simulated_display in r.answer
    assert r.ungrounded_numbers == [] and r.warnings == []


def test_an_english_target_question(assistant: Any) -> None:
    r = _ask(assistant, "What would it take to reach an index of 8.5?")
    assert r.answer.startswith("The digitalisation index 2025 is 8,2")
    assert "To reach 8,5" in r.answer


def test_why_names_the_drivers_up_and_down(assistant: Any) -> None:
    r = _ask(assistant, "Varför ökade digitaliseringsindex 2025 och vad drog ner det?")
    e = explain_change(sample_dataset(), "index", 2025)
    assert e.largest_up is not None and e.largest_down is not None
    up = e.drivers(1, 1, within=e.largest_up)[0]
    down = e.drivers(-1, 1, within=e.largest_down)[0]
    assert "Mest uppåt drog Resultat" in r.answer and "nedåt drog Nytta" in r.answer
    assert up.label in r.answer and down.label in r.answer
    assert r.ungrounded_numbers == []


def test_inputs_held_fixed_are_neither_goal_nor_varied() -> None:
    s = read_scenario(
        "Om förutsättningar ska nå 8,0 och medarbetarsiffran ligger kvar på 74,4 – vilken "
        "digital mognad skulle krävas?"
    )
    assert (s.target, s.target_value, s.vary) == ("forutsattningar", 8.0, "digital_mognad")
    s = read_scenario(
        "Om resultat och förutsättningar ligger kvar, vad måste nyttan landa på för att "
        "totalindex ska bli 8,5?"
    )
    assert (s.target, s.target_value, s.vary) == ("index", 8.5, "nyttorealisering")


def test_a_held_scenario_is_answered_with_the_one_input(assistant: Any) -> None:
    r = _ask(
        assistant,
        "Om resultat och förutsättningar ligger kvar, vad måste nyttan landa på för att "
        "totalindex ska bli 8,5?",
    )
    assert r.answer.startswith("Digitaliseringsindex 2025 är 8,2")
    assert "Nyttorealisering:" in r.answer and "Genomförandegrad" not in r.answer
    assert r.ungrounded_numbers == []
