"""A change against a named year, spans to "now", figures compared through their component, full
objekt lists, the index's Nytta beside the register, and change words in why-passages.

Wordings here are not in any evaluation file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from assistant.lang.glossary import GLOSSARY
from assistant.offline.parse import ObjektMatcher, parse, resolve
from assistant.offline.quotes import choose_quotes
from index_engine import compute_year
from tests.assistant.chat_support import make_assistant, sample_dataset


@pytest.fixture(scope="module")
def offline() -> Any:
    return make_assistant(retriever=None, max_rounds=1).offline


def figures(year: int) -> Any:
    return compute_year(sample_dataset(), year).figures


def hit(text: str) -> dict[str, Any]:
    return {"text": text, "section": "9.9", "title": "Test", "source": "r.txt", "score": 1.0}


def test_why_against_a_named_year_explains_from_that_year_to_the_latest(offline: Any) -> None:
    intent, _route = offline.understand("Varför gick förutsättningarna upp jämfört med 2023?", [])
    out = offline._run(replace(intent, kind="why"))
    (call,) = [c for c in out.tool_calls if c["name"] == "explain_change"]
    latest = max(sample_dataset().years())
    assert call["arguments"]["year"] == latest and call["arguments"]["base_year"] == 2023
    assert f"Förutsättningar {latest} var" in out.answer
    assert figures(2023)["forutsattningar"].display in out.answer


def test_now_against_the_first_measurement_is_the_whole_span() -> None:
    years = sample_dataset().years()
    p = parse(
        "Är svarsfrekvensen bättre eller sämre nu än vid första mätningen?", ObjektMatcher([])
    )
    intent = resolve(p, None, max(years), kind="figure")
    assert intent.kind == "compare" and intent.until == max(years) and intent.year is None
    # without "now" or a comparing word it is the first year's value
    p = parse("Hur hög var svarsfrekvensen vid första mätningen?", ObjektMatcher([]))
    assert resolve(p, None, max(years), kind="figure").relative == "first"


def test_a_percentage_compares_with_a_component_through_the_component_it_makes(
    offline: Any,
) -> None:
    """Förutsättningar (0–10) against genomförandegraden (%): Resultat is what it makes."""
    intent, _route = offline.understand(
        "Hur långt efter ligger förutsättningarna jämfört med genomförandet?", []
    )
    out = offline._run(replace(intent, kind="compare"))
    year = figures(2025)
    assert year["resultat"].display in out.answer
    assert year["forutsattningar"].display in out.answer
    assert "skillnaden är" in out.answer


def test_the_objekt_ranking_lists_every_objekt(offline: Any) -> None:
    intent, _route = offline.understand("Vilka förvaltningsobjekt finns i portföljen?", [])
    out = offline._run(replace(intent, kind="top_objekt"))
    table = sample_dataset().initiatives
    names = set(table[table["year"] == 2025]["objekt"])
    assert len(names) > 3
    assert all(name in out.answer for name in names)
    assert f"Alla objekt ({len(names)})" in out.answer


def test_the_benefit_register_answer_gives_the_index_nytta(offline: Any) -> None:
    intent, _route = offline.understand("Vilken siffra fick nyttodelen senast?", [])
    out = offline._run(replace(intent, kind="benefits"))
    assert f"I indexet motsvarar det Nytta {figures(2025)['nytta'].display}." in out.answer


def test_sub_scores_are_the_index_components(offline: Any) -> None:
    intent, _route = offline.understand("What are the index's sub-scores this year?", [])
    out = offline._run(replace(intent, kind="compare"))
    year = figures(2025)
    for key in ("forutsattningar", "resultat", "nytta"):
        assert year[key].display in out.answer


def test_a_why_passage_need_not_repeat_the_change_word() -> None:
    hits = [
        hit(
            "Kundnöjdheten i tjänsten mäts varje kvartal. Eftersom urvalet är litet varierar "
            "kundnöjdheten mycket mellan mätningarna."
        )
    ]
    choice = choose_quotes("Varför sjönk kundnöjdheten jämfört med 2024?", hits, hedge=True)
    assert choice.quotes and not choice.weak
    assert "urvalet är litet" in choice.quotes[0].text


def test_how_something_was_done_and_who_got_it_use_the_reports_words() -> None:
    assert "genomfördes" in GLOSSARY["gjordes"]
    assert "mottagare" in GLOSSARY["vem fick"]


def test_how_benefit_is_computed_names_the_registers_kinds(offline: Any) -> None:
    intent, _route = offline.understand("Vilka sorters nytta räknas in i nyttan?", [])
    out = offline._run(replace(intent, kind="method", figure="nytta"))
    kinds = offline.tools.call("benefit_register", {"year": 2025})["by_kind"]
    assert len(kinds) >= 2
    assert f"Nyttotyper: {', '.join(kinds)}." in out.answer
