"""General fixes found by an outside (held-out) test of the offline responder.

Each test covers one cause of failure with wordings that are not in any evaluation file:
figure aliases written as compounds, comparison words ("förbättrats", "sedan i fjol"),
"varför" questions about the portfolio, objekt follow-ups to a figure, initiatives filtered by
the word they are about, and sentence extraction (line breaks, compounds, durations, reasons).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.offline.quotes import _question_stems, best_sentences
from index_engine import compute_year
from tests.assistant.chat_support import make_assistant, sample_dataset


@pytest.fixture(scope="module")
def assistant() -> Any:
    # figure and portfolio answers only: no retriever needed
    return make_assistant(retriever=None, max_rounds=1)


def decided(assistant: Any, question: str, history: list[str] | None = None) -> Any:
    """The intent the offline responder answered (after routing and any evidence decision)."""
    return assistant.offline.answer(question, history or []).intent


def ask(assistant: Any, question: str, history: list[str] | None = None) -> Any:
    hist = [{"role": "user", "content": q} for q in (history or [])]
    return assistant.chat(question, history=hist, persist=False)


def latest() -> int:
    return max(sample_dataset().years())


# -- figure aliases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("Vad blev resultatdelen 2024?", "resultat"),
        ("Hur hög var nyttodelen 2023?", "nytta"),
        ("Vilket värde fick förutsättningsmåttet 2025?", "forutsattningar"),
    ],
)
def test_component_compounds_are_figures(assistant: Any, question: str, key: str) -> None:
    intent = decided(assistant, question, [])
    assert intent.kind == "figure" and intent.figure == key
    year = int(re.findall(r"\d{4}", question)[0])
    shown = compute_year(sample_dataset(), year).figures[key].display
    assert shown in ask(assistant, question).answer


# -- comparison words and "sedan i fjol" ----------------------------------------------------


def test_better_or_worse_is_a_comparison_since_last_year(assistant: Any) -> None:
    q = "Har genomförandegraden förbättrats sedan förra året?"
    intent = decided(assistant, q, [])
    assert intent.kind == "compare" and intent.figure == "genomforandegrad"
    assert (intent.since, intent.until) == (latest() - 1, latest())
    answer = ask(assistant, q).answer
    ds = sample_dataset()
    for year in (latest() - 1, latest()):
        assert compute_year(ds, year).figures["genomforandegrad"].display in answer
    first = min(ds.years())
    if first < latest() - 1:
        assert f"{first}:" not in answer  # only the two years asked about


def test_perception_words_do_not_turn_a_figure_into_a_text_question(assistant: Any) -> None:
    intent = decided(
        assistant, "Hur har personalens uppfattning om digitala stöd blivit sämre eller bättre?", []
    )
    assert intent.kind == "compare" and intent.figure.startswith("medarbetare")


# -- "varför" about the portfolio is a text question ---------------------------------------


def test_why_about_the_portfolio_goes_to_the_report(assistant: Any) -> None:
    intent = decided(assistant, "Varför domineras portföljen av operativa initiativ?", [])
    assert intent.kind in {"why", "text"}  # the report's reasons, not the portfolio's counts
    still_list = decided(assistant, "Vilka operativa initiativ fanns 2024?", [])
    assert still_list.kind == "list"


# -- objekt follow-up to a figure ----------------------------------------------------------


def test_objekt_followup_keeps_the_figure(assistant: Any) -> None:
    history = ["Hur hög var genomförandegraden 2024?"]
    intent = decided(assistant, "Och inom Fastighet?", history)
    assert intent.kind == "figure" and intent.figure == "genomforandegrad"
    assert intent.objekt == "Fastighet" and intent.year == 2024
    answer = ask(assistant, "Och inom Fastighet?", history).answer
    expected = compute_year(sample_dataset(), 2024).genomforande_by_objekt["Fastighet"].display
    assert expected in answer and "Fastighet" in answer
    # a count question after the figure is still a count
    count = decided(assistant, "Hur många initiativ hade Fastighet?", history)
    assert count.kind == "count"


# -- initiatives filtered by what they are about -------------------------------------------


def _mentioning(year: int, needle: str) -> set[str]:
    frame = sample_dataset().initiatives
    frame = frame[frame["year"].astype(int) == year]
    hay = (frame["title"] + " " + frame["description"]).str.lower()
    return set(frame[hay.str.contains(r"(?<!\w)" + needle, regex=True)]["title"])


def test_list_filtered_by_topic_word(assistant: Any) -> None:
    expected = _mentioning(2025, "e-tjänst")
    assert expected  # the sample data has e-tjänster
    answer = ask(assistant, "Vilka projekt gäller e-tjänster 2025?").answer
    for title in expected:
        assert title in answer
    listed = [line for line in answer.splitlines() if line.startswith("- ")]
    assert len(listed) == len(expected)


def test_count_filtered_by_acronym(assistant: Any) -> None:
    expected = _mentioning(2024, "ai")
    answer = ask(assistant, "Hur många initiativ berör AI 2024?").answer
    assert answer.startswith(f"{len(expected)} initiativ")
    for title in list(expected)[:5]:
        assert title in answer


def test_filler_words_never_filter(assistant: Any) -> None:
    total = int((sample_dataset().initiatives["year"].astype(int) == 2024).sum())
    answer = ask(assistant, "Hur många initiativ fanns det totalt 2024?").answer
    assert f"{total} initiativ" in answer


def test_tool_text_filter_matches_word_starts(assistant: Any) -> None:
    result = assistant.tools.call("list_initiatives", {"text": "ai", "limit": 200})
    assert result["count"] > 0
    frame = sample_dataset().initiatives.set_index("id")
    for row in result["initiatives"]:
        hay = f"{frame.loc[row['id'], 'title']} {frame.loc[row['id'], 'description']}".lower()
        assert re.search(r"(?<!\w)ai", hay)


# -- sentence extraction -------------------------------------------------------------------


def hit(text: str, section: str = "9.9") -> dict[str, Any]:
    return {"text": text, "section": section, "title": "Test", "source": "r.txt", "score": 1.0}


def test_line_break_ends_a_heading() -> None:
    hits = [
        hit(
            "Under våren hölls tre workshops med verksamheterna om nya behov.\n"
            "Smart parkering\n"
            "Målbilden är att 70 % av besöksparkeringarna ska bokas digitalt år 2027."
        )
    ]
    picked = best_sentences("Vad är målet med smart parkering?", hits)
    assert picked and "70 %" in picked[0][0]
    assert "workshops" not in picked[0][0]


def test_compound_question_word_matches_its_head() -> None:
    hits = [
        hit("Lokalerna renoverades under hösten och står nu klara för verksamheten."),
        hit("Undersökningen skickades ut i mars till alla brukare inom hemtjänsten."),
    ]
    picked = best_sentences("När skickades brukarundersökningen ut?", hits)
    assert picked and "mars" in picked[0][0]


def test_duration_question_prefers_a_sentence_with_a_duration() -> None:
    hits = [
        hit(
            "Handläggningen av bygglov har blivit kortare och enklare för sökande. "
            "Med den nya e-tjänsten tar handläggningen nu två dagar i stället för tre veckor."
        )
    ]
    picked = best_sentences("Hur mycket kortare blev handläggningen av bygglov?", hits)
    assert picked and "två dagar" in picked[0][0]


def test_why_question_adds_the_reason() -> None:
    hits = [
        hit(
            "Licenskostnaderna för kontorsstödet har ökat kraftigt under året. "
            "Fler medarbetare fick tillgång till nya verktyg i skolan. "
            "Anledningen är främst att leverantören höjde priserna för kontorsstödet."
        )
    ]
    picked = best_sentences("Varför har licenskostnaderna för kontorsstödet ökat?", hits)
    assert any("leverantören höjde" in text for text, _ in picked)


def test_english_words_map_to_the_reports_swedish() -> None:
    stems = _question_stems("How many outgoing letters go to digital mailboxes?")
    assert any(s.startswith("utgå") for s in stems)
    assert any(s.startswith("brevlåd") for s in stems)


# -- causes found by a second, fresh held-out round ----------------------------------------


def test_average_of_a_figure_is_not_the_portfolio(assistant: Any) -> None:
    q = "Vad var det genomsnittliga betyget på medarbetarpåståendet 2024?"
    intent = decided(assistant, q, [])
    assert intent.kind == "figure" and intent.figure == "medarbetare_medel"
    shown = compute_year(sample_dataset(), 2024).figures["medarbetare_medel"].display
    assert shown in ask(assistant, q).answer
    portfolio = decided(assistant, "Hur såg det genomsnittliga initiativet ut 2024?", [])
    assert portfolio.kind == "portfolio"


def test_objekt_ranked_by_completion_rate(assistant: Any) -> None:
    by_objekt = compute_year(sample_dataset(), 2023).genomforande_by_objekt
    low = min(f.value for f in by_objekt.values())
    lowest = sorted(name for name, f in by_objekt.items() if f.value == low)
    r = ask(assistant, "Vilket objekt hade sämst genomförandegrad 2023?")
    assert r.answer.startswith(f"2023 hade {lowest[0]}")
    assert by_objekt[lowest[0]].display in r.answer
    assert r.warnings == []  # every number is in the tool results
    high = max(f.value for f in by_objekt.values())
    r = ask(assistant, "Which objekt had the highest completion rate in 2023?")
    top = [name for name, f in by_objekt.items() if f.value == high]
    assert all(name in r.answer.split("Next:")[0] for name in top)


def test_which_were_they_lists_the_counted_initiatives(assistant: Any) -> None:
    history = ["Hur många initiativ hade Fastighet 2024?"]
    intent = decided(assistant, "Vilka var de?", history)
    assert intent.kind == "list" and intent.objekt == "Fastighet" and intent.year == 2024
    frame = sample_dataset().initiatives
    titles = frame[(frame["year"] == 2024) & (frame["objekt"] == "Fastighet")]["title"]
    answer = ask(assistant, "Vilka var de?", history).answer
    assert all(t in answer for t in titles)


def test_untranslated_english_words_do_not_block_an_answer() -> None:
    hits = [
        hit("Den nya dataskyddsregeln började gälla 1 mars 2027 för alla nämnder."),
        hit("Nämnderna har haft workshops om styrning under hösten."),
    ]
    picked = best_sentences("From which date is the dataskyddsregeln valid and enforceable?", hits)
    assert picked and "1 mars 2027" in picked[0][0]


def test_stemming_is_safe_from_many_threads() -> None:
    """The offline responder stems in every request thread; a shared Snowball stemmer breaks."""
    from concurrent.futures import ThreadPoolExecutor

    from assistant.lang.text import stem as text_stem
    from assistant.offline.parse import stem

    words = [f"digitaliseringsinitiativen{i}" for i in range(4000)]
    expected = [stem.__wrapped__(w) for w in words]  # uncached, one thread
    with ThreadPoolExecutor(max_workers=16) as pool:
        got = list(pool.map(stem.__wrapped__, words))
    assert got == expected
    assert stem is text_stem  # one implementation, the thread-safe one
