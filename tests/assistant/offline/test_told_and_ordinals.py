"""Challenges and strengths the report tells, headings in the report's words, and list items
named by their place in the answer before.

Wordings here are not in any evaluation file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from assistant.offline.parse import listed_items, resolve_ordinal
from assistant.offline.quotes import choose_quotes
from assistant.offline.responder import slot_fit
from tests.assistant.chat_support import make_assistant, sample_dataset


def hit(text: str, title: str = "Test") -> dict[str, Any]:
    return {"text": text, "section": "9.9", "title": title, "source": "r.txt", "score": 1.0}


def test_a_section_titled_in_the_reports_word_for_the_question_is_preferred() -> None:
    """ "problem" is "utmaningar" in the report: the section of that title answers."""
    hits = [
        hit(
            "Enkäten bygger på en etablerad modell. Enkäten används av många kommuner.", "Modellen"
        ),
        hit("Vi ser en utmaning i samordningen mellan förvaltningarna.", "Utmaningar"),
    ]
    choice = choose_quotes("Vilka problem visar enkäten?", hits, hedge=True)
    assert choice.quotes and "samordningen" in choice.quotes[0].text


def test_words_of_one_glossary_entry_count_once() -> None:
    """A window with "utmaningar" covers "problem" as fully as one with both words."""
    hits = [hit("Den största utmaningen är samordningen mellan förvaltningarna.")]
    both = [hit("Ett problem och en utmaning är samordningen mellan förvaltningarna.")]
    one = choose_quotes("Vilka problem finns med samordningen?", hits)
    two = choose_quotes("Vilka problem finns med samordningen?", both)
    assert one.quotes and two.quotes
    assert one.quotes[0].coverage == two.quotes[0].coverage


def test_challenges_or_strengths_are_not_a_computation_or_a_change() -> None:
    offline = make_assistant(retriever=None, max_rounds=1).offline
    for question in (
        "Vilka problem kom fram i mognadsmätningen?",
        "What strengths does the maturity survey show?",
    ):
        intent, _route = offline.understand(question, [])
        for kind in ("method", "why", "figure"):
            assert slot_fit(replace(intent, kind=kind), 0.0) <= 0.3, (question, kind)
    intent, _route = offline.understand("Hur beräknas den digitala mognaden?", [])
    assert slot_fit(replace(intent, kind="method"), 0.0) > 0.3


def test_a_list_item_named_by_its_place_is_the_previous_answers() -> None:
    before = "Tre spår lyfts: Öppna data, Smart belysning (pilot, Fastighet) och AI-stöd i skolan."
    assert listed_items(before) == [
        "Öppna data",
        "Smart belysning (pilot, Fastighet)",
        "AI-stöd i skolan",
    ]
    assert resolve_ordinal("Berätta mer om det andra.", before) == (
        "Berätta mer om Smart belysning (pilot, Fastighet)."
    )
    assert (
        resolve_ordinal("Vad har det sista av dem gett?", before)
        == "Vad har AI-stöd i skolan gett?"
    )
    assert resolve_ordinal("And the first one?", before) == "And Öppna data?"
    assert resolve_ordinal("Vad har det första gett?", before) == "Vad har Öppna data gett?"
    assert resolve_ordinal("Vad var det första året?", before) == "Vad var det första året?"
    bullets = "Initiativ:\n- Alfa (Fastighet, pågående)\n- Beta (Skola, genomförd)"
    assert resolve_ordinal("Vad gör den sista?", bullets) == "Vad gör Beta?"
    # a noun after the ordinal names its own thing; one item is no list
    assert resolve_ordinal("Hur hög var den första mätningen?", before).endswith(
        "första mätningen?"
    )
    assert (
        resolve_ordinal("Berätta om det andra.", "Bara ett spår lyfts.") == "Berätta om det andra."
    )


def test_the_chat_resolves_an_item_of_its_own_answer_before() -> None:
    assistant = make_assistant(retriever=None, max_rounds=1)
    asked: list[str] = []
    answer = assistant.offline.answer

    def recording(question: str, history: Any = ()) -> Any:
        asked.append(question)
        return answer(question, history)

    assistant.offline.answer = recording
    history = [
        {"role": "user", "content": "Vilka spår lyfts?"},
        {"role": "assistant", "content": "Två spår: Öppna data och Smart belysning."},
    ]
    assistant.chat("Vad har det andra av dem gett?", history=history, persist=False)
    assert asked == ["Vad har Smart belysning gett?"]


def test_an_initiative_with_a_title_of_one_long_word_is_named() -> None:
    offline = make_assistant(retriever=None, max_rounds=1).offline
    table = sample_dataset().initiatives
    title = "Sensorkartläggning"
    intent, _route = offline.understand(f"Vilken status har {title}?", [])
    assert offline._named_initiatives(replace(intent, kind="text")) == []  # not in the register
    one = [t for t in dict.fromkeys(table["title"]) if " " not in t and len(t) >= 9]
    for title in one:
        intent, _route = offline.understand(f"Vilken status har {title}?", [])
        assert offline._named_initiatives(replace(intent, kind="text")) == [title]


def test_a_question_is_also_searched_in_the_reports_words() -> None:
    from assistant.lang.glossary import in_report_words

    assert in_report_words("Vilka problem syns?") == "Vilka utmaningar syns?"
    assert (
        in_report_words("Vilka svagheter och styrkor finns?")
        == "Vilka utmaningar och styrkor finns?"
    )
    assert in_report_words("Hur gick det?") == "Hur gick det?"


def test_whether_we_should_do_something_is_answered_by_the_reports_stance() -> None:
    hits = [
        hit("Robotar i vården testas i flera kommuner och används för enklare uppgifter."),
        hit("Vägvalet för robotar i vården handlar inte om robotar eller personal, utan om båda."),
    ]
    choice = choose_quotes("Robotar i vården – ska vi satsa på dem?", hits, hedge=True)
    assert choice.quotes and "Vägvalet" in choice.quotes[0].text
