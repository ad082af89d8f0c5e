"""Offline round 2: the delivered share, years compared against, index parts, reasons, families."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.offline.parse import ObjektMatcher, parse
from assistant.offline.quotes import best_sentences, choose_quotes
from index_engine import DEFAULT_OBJEKT
from tests.assistant.chat_support import make_assistant

MATCHER = ObjektMatcher(DEFAULT_OBJEKT)


def hit(text: str, section: str = "9.9") -> dict[str, Any]:
    return {"text": text, "section": section, "title": "Test", "best_sentences": []}


@pytest.mark.parametrize(
    "question",
    [
        "Hur stor andel av de beslutade digitaliseringsinitiativen levererades 2025?",
        "Levererar vi en större andel av våra beslutade initiativ nu?",
        "Hur stor andel av årets beslutade projekt blev inte levererade?",
        "What share of the decided initiatives were delivered?",
        "Hur gick genomförandet 2024?",
    ],
)
def test_the_share_of_decided_initiatives_delivered_is_the_rate(question: str) -> None:
    p = parse(question, MATCHER)
    assert p.figures[0] == "genomforandegrad"
    assert p.status is None  # "beslutade", "levererade" name the rate, they do not filter


@pytest.mark.parametrize(
    ("question", "since"),
    [
        ("Hur förändrades det totala antalet initiativ jämfört med 2024?", 2024),
        ("Hur har mognaden utvecklats sedan första mätningen 2022?", 2022),
        ("Hur har Resultat utvecklats sedan 2023?", 2023),
    ],
)
def test_the_year_compared_against_starts_the_series(question: str, since: int) -> None:
    assert parse(question, MATCHER).since == since


def test_a_part_named_in_the_index_is_the_part() -> None:
    assert parse("Hur mäts nyttan i vårt index?", MATCHER).figures[0] == "nytta"
    assert parse("Hur räknas indexets förutsättningar fram?", MATCHER).figures[0] == (
        "forutsattningar"
    )
    assert parse("Vad blev indexet 2025?", MATCHER).figures[0] == "index"


def test_a_word_of_the_same_family_meets_the_question() -> None:
    passage = hit(
        "Flera initiativ har gjort avtryck under året. Ett exempel är hur robotprocesser i "
        "äldreomsorgen hanterar enklare ärenden. Det innebär att beslut som tog tre dagar nu "
        "tas på ett dygn, och handläggare får mer tid."
    )
    (text, _), *_ = best_sentences(
        "Vad har robotiseringen i äldreomsorgen inneburit för handläggningen?", [passage]
    )
    assert "robotprocesser" in text and "ett dygn" in text


def test_definite_forms_meet_their_noun() -> None:
    passage = hit(
        "Portföljen är stor i år. Uppföljningen av nyttor sker i registret varje år. "
        "Kommunen har många verksamheter."
    )
    (text, _), *_ = best_sentences("Hur följs nyttan upp?", [passage])
    assert "Uppföljningen av nyttor" in text


def test_the_reason_next_to_the_fact_is_quoted() -> None:
    facts = hit(
        "Årets resultat är högt. Vi har vänt trenden uppåt, och initiativen slutförs i högre "
        "grad enligt plan. Nu när objektförvaltningen varit etablerad en tid blir vägen framåt "
        "tydligare. Antalet initiativ minskade något.",
        section="6.1",
    )
    other = hit(
        "Anledningar till fokusförflyttningen kan förklaras av många initiativ om uppföljning.",
        section="6.2",
    )
    choice = choose_quotes(
        "Vad förklarar att vi lyckades genomföra fler initiativ enligt plan?", [facts, other]
    )
    text = " ".join(q.text for q in choice.quotes)
    assert "objektförvaltningen" in text
    # "förklarar" asks for the reason; it is not what the question is about
    assert "fokusförflyttningen" not in choice.quotes[0].text


def test_an_example_sentence_stays_with_its_claim() -> None:
    passage = hit(
        "Vilka nyttor en satsning ska bidra till definieras inför start och kan vara av olika "
        "karaktär. Det kan till exempel handla om kvalitativ nytta, omställningsnytta eller "
        "ekonomisk nytta. Registret följs upp årligen."
    )
    (text, _), *_ = best_sentences("Vilka sorters nytta kan en satsning ha?", [passage])
    assert "kvalitativ nytta" in text


@pytest.fixture(scope="module")
def assistant() -> Any:
    return make_assistant()


def test_the_rate_answer_gives_the_undelivered_share(assistant: Any) -> None:
    r = assistant.chat(
        "Hur stor andel av årets beslutade initiativ blev inte levererade?", persist=False
    )
    assert "levererades inte" in r.answer and "%" in r.answer
    assert r.tool_calls[0]["name"] == "get_index"


def test_a_why_follow_up_explains_what_the_previous_question_was_about(assistant: Any) -> None:
    hist = [{"role": "user", "content": "Vad blev indexet 2025?"}]
    r = assistant.chat("Varför?", history=hist, persist=False)
    assert r.tool_calls[0]["name"] == "explain_change"
    assert r.tool_calls[0]["arguments"]["figure"] == "index"


def test_a_method_answer_names_the_data_it_is_computed_from(assistant: Any) -> None:
    r = assistant.chat("Hur mäts nyttan i vårt index?", persist=False)
    assert "nyttoregistret" in r.answer and "Nyttorealisering =" in r.answer


def test_a_figure_fits_half_when_the_question_asks_for_no_value() -> None:
    from assistant.offline.parse import Intent
    from assistant.offline.responder import slot_fit

    people = Intent(
        kind="figure", question="Vilka kurser har medarbetarna fått?", figure="medarbetare"
    )
    value = Intent(kind="figure", question="Vad blev medarbetarsvaret 2025?", figure="medarbetare")
    assert slot_fit(people) == 0.5 and slot_fit(value) == 1.0


def test_a_portfolio_answer_adds_the_reports_reading(assistant: Any) -> None:
    r = assistant.chat(
        "Hur var fördelningen mellan extern och intern nytta i portföljen förra året?",
        persist=False,
    )
    names = [c["name"] for c in r.tool_calls]
    assert names[0] == "portfolio"
    # the figures first; a passage only when the report covers the question well
    if "search_documents" in names and r.sources:
        assert "Enligt rapporten" in r.answer and "Källor:" in r.answer
