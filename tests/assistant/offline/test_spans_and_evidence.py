"""Spans from the first measurement, empty register answers, and why-passages about the figure.

Wordings here are not in any evaluation file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from assistant.lang.figures import FIGURE_ALIAS_RES, naming
from assistant.offline.parse import ObjektMatcher, is_bare_followup, parse
from assistant.offline.quotes import choose_quotes
from assistant.offline.router import AnswerKind, Route
from index_engine import compute_year
from tests.assistant.chat_support import make_assistant, sample_dataset


@pytest.fixture(scope="module")
def assistant() -> Any:
    return make_assistant(retriever=None, max_rounds=1)


def mognad(year: int) -> str:
    return str(compute_year(sample_dataset(), year).figures["digital_mognad"].display)


def hit(text: str) -> dict[str, Any]:
    return {"text": text, "section": "9.9", "title": "Test", "source": "r.txt", "score": 1.0}


def test_a_year_against_the_first_measurement_is_a_span(assistant: Any) -> None:
    first = min(sample_dataset().years())
    question = "Hur skiljer sig den digitala mognaden 2024 från nollmätningen?"
    out = assistant.offline.answer(question, [])
    assert out.intent.until == 2024 and out.intent.year is None
    assert out.intent.kind == "compare"
    assert mognad(first) in out.answer and mognad(2024) in out.answer
    assert mognad(2025) not in out.answer  # the year asked for ends the span


def test_the_year_written_after_the_first_measurement_starts_the_span() -> None:
    p = parse("Hur ser mognaden ut från den första mätningen 2022 fram till nu?", ObjektMatcher([]))
    assert p.relative != "first"  # 2022 is the first measurement's year, not a span's end


def test_the_very_first_measurement_is_a_bare_followup(assistant: Any) -> None:
    first = min(sample_dataset().years())
    for question in ("Och vid allra första mätningen?", "And at the very first survey?"):
        assert is_bare_followup(parse(question, ObjektMatcher([])))
        out = assistant.offline.answer(question, ["Vad blev den digitala mognaden 2025?"])
        assert mognad(first) in out.answer, question


def test_a_why_passage_prefers_the_one_about_the_asked_figure() -> None:
    hits = [
        hit("Samverkan med grannkommunerna förbättrades under året."),
        hit(
            "Årets genomförandegrad är 88 procent. Förra året var den 85 procent. Vi har alltså "
            "vänt trenden uppåt igen, och initiativen slutförs i högre grad enligt plan."
        ),
    ]
    question = "Vad ligger bakom att genomförandet förbättrades igen?"
    plain = choose_quotes(question, hits, max_quotes=1, hedge=True)
    about = choose_quotes(
        question, hits, max_quotes=1, hedge=True, subject=naming("genomforandegrad")
    )
    assert "Samverkan" in plain.quotes[0].text
    assert "enligt plan" in about.quotes[0].text


def test_the_reports_name_for_the_results_component_is_an_alias() -> None:
    assert FIGURE_ALIAS_RES["resultat"].search("årets resultatindikator är 8,8")
    words = naming("genomforandegrad")
    assert words is not None and words.search("en genomförandekapacitet på 88%")
    assert naming("no_such_figure") is None


def unsure(first: AnswerKind, p: float, second: AnswerKind) -> Route:
    """A route that leans to ``first`` without being sure of it."""
    return Route(first, p, ((first, p), (second, 1 - p)), (), threshold=0.9)


def decided(offline: Any, question: str, route: Route) -> tuple[Any, Any]:
    """The kind and answer the evidence chooses for ``question`` under an unsure ``route``."""
    intent, _route = offline.understand(question, [])
    return offline._decide_by_evidence(replace(intent, kind=route.kind.value), route)


def test_an_empty_register_answer_gives_way_to_the_passage() -> None:
    """Nothing in the register under the question's topic: the report passage answers it."""
    offline = make_assistant(max_rounds=1).offline
    question = "Inom vilka delar av Social omsorg har man arbetat med cybersäkerhet?"
    chosen, out = decided(offline, question, unsure(AnswerKind.LIST, 0.7, AnswerKind.TEXT))
    assert chosen.kind == "text"
    assert "Det fanns inga" not in out.answer and "cybersäkerhet" in out.answer


def test_no_initiatives_asked_for_by_name_is_still_the_answer() -> None:
    """ "Vilka initiativ … handlar om X?": none in the register is the answer, not a passage."""
    offline = make_assistant(max_rounds=1).offline
    question = "Vilka initiativ inom Social omsorg handlar om cybersäkerhet?"
    chosen, out = decided(offline, question, unsure(AnswerKind.LIST, 0.7, AnswerKind.TEXT))
    assert chosen.kind == "list"
    assert out.answer.startswith("Det fanns inga initiativ inom Social omsorg")


def test_an_english_question_gets_the_quotes_key_terms() -> None:
    """The report is quoted in Swedish; an English reader gets its key terms glossed."""
    full = make_assistant(max_rounds=1)
    r = full.chat("According to the report, what does the maturity model measure?", persist=False)
    assert "According to the report" in r.answer
    assert "Key terms (Swedish → English):" in r.answer
    assert r.ungrounded_numbers == []
    swedish = full.chat("Vad mäter mognadsmodellen enligt rapporten?", persist=False)
    assert "Key terms" not in swedish.answer


def test_how_a_component_is_computed_is_quoted_from_its_method_section() -> None:
    """The report's method section for the component states how it is measured."""
    full = make_assistant(max_rounds=1)
    out = full.offline.answer("Hur räknar ni fram förutsättningar i indexet?", [])
    assert out.intent.kind == "method"
    assert "avsnitt 5.3 Metodik för utvärdering av förutsättningar" in out.answer
    assert "mäter vi årligen organisationens digitala mognad" in " ".join(out.answer.split())


def test_a_figure_belongs_to_its_index_component() -> None:
    from assistant.offline.responder import _component_of

    assert _component_of("nyttorealisering") == "nytta"
    assert _component_of("digital_formaga") == "forutsattningar"
    assert _component_of("genomforandegrad") == "resultat"
    assert _component_of("index") is None and _component_of(None) is None


def test_two_figures_compared_are_answered_side_by_side() -> None:
    """ "Vilket ligger högst, A eller B, och hur stor är skillnaden?" even when the router leans
    to one of the two figures' own answers."""
    offline = make_assistant(retriever=None, max_rounds=1).offline
    question = (
        "Vilket ligger högst: medarbetarmåttet eller den digitala mognaden, och hur stor är "
        "skillnaden?"
    )
    chosen, out = decided(offline, question, unsure(AnswerKind.EMPLOYEE, 0.6, AnswerKind.METHOD))
    year = compute_year(sample_dataset(), 2025).figures
    assert chosen.kind == "compare"
    assert year["medarbetare"].display in out.answer and mognad(2025) in out.answer
    assert "skillnaden är" in out.answer


def test_a_why_question_that_asks_no_change_leads_with_the_reports_reason() -> None:
    offline = make_assistant(max_rounds=1).offline

    def why(question: str) -> str:
        intent, _route = offline.understand(question, [])
        return str(offline._run(replace(intent, kind="why")).answer)

    level = why("Varför räknas medarbetarnas digitala stöd in i förutsättningarna?")
    assert level.startswith("Enligt rapporten")
    assert "Medarbetare 2025 var" in level  # the engine's figure still follows
    change = why("Varför ökade genomförandegraden 2025?")
    assert change.startswith("Genomförandegrad 2025 var")
