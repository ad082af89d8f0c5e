"""Offline answers: figures, comparisons, portfolio and text questions, Swedish and English."""

from __future__ import annotations

from typing import Any

import pytest

from index_engine import DEFAULT_OBJEKT, compute_year
from tests.assistant.chat_support import make_assistant, sample_dataset


@pytest.fixture(scope="module")
def assistant() -> Any:
    return make_assistant()


def ask(assistant: Any, question: str, history: list[str] | None = None) -> Any:
    hist = [{"role": "user", "content": q} for q in (history or [])]
    return assistant.chat(question, history=hist, persist=False)


def test_figure_with_year_change_and_provenance(assistant: Any) -> None:
    r = ask(assistant, "Vad blev indexet 2025?")
    assert r.mode == "offline"
    assert "8,2" in r.answer and "2025" in r.answer and "8,1" in r.answer  # value and previous
    assert "ökning" in r.answer
    assert [c["name"] for c in r.tool_calls][0] == "get_index"
    assert r.warnings == [] and r.ungrounded_numbers == []
    assert "Källor:" in r.answer


def test_english_figure_question(assistant: Any) -> None:
    r = ask(assistant, "What was the response rate?")
    assert "64,5 %" in r.answer and "2025" in r.answer
    assert r.answer.startswith("The DiMiOS response rate")
    assert r.warnings == []


def test_aliases_and_relative_years(assistant: Any) -> None:
    ds = sample_dataset()
    latest = max(ds.years())
    prev = compute_year(ds, latest - 1).figures["digital_mognad"].display
    r = ask(assistant, "Vad blev digital mognad förra året?")
    assert prev in r.answer and str(latest - 1) in r.answer
    r = ask(assistant, "Hur hög var svarsfrekvensen i år?")
    assert "64,5 %" in r.answer
    r = ask(assistant, "Vad var genomförandegraden 2025?")
    assert compute_year(ds, 2025).figures["genomforandegrad"].display in r.answer
    r = ask(assistant, "medarbetarnas skattning av digitala stöd 2025?")
    assert "3,72" in r.answer


def test_comparison_since_year(assistant: Any) -> None:
    r = ask(assistant, "Hur har Resultat utvecklats sedan 2023?")
    # the series, then the same measure as a percentage (genomförandegrad)
    series = [c["arguments"]["figure"] for c in r.tool_calls if c["name"] == "compare_years"]
    assert series == ["resultat", "genomforandegrad"]
    # and the report's sentence stating the latest value, when it has one (lexical search)
    assert {c["name"] for c in r.tool_calls} <= {"compare_years", "search_documents"}
    for text in ("2023: 9,2", "2024: 8,5", "2025: 8,8", "2025: 87,7 %"):
        assert text in r.answer
    assert r.warnings == []
    r = ask(assistant, "How has digital maturity changed between 2024 and 2025?")
    assert "64,2 %" in r.answer and "65,1 %" in r.answer


def test_portfolio_count_list_and_most(assistant: Any) -> None:
    ds = sample_dataset()
    frame = ds.initiatives[ds.initiatives["year"] == 2025]
    so = frame[frame["objekt"] == "Social omsorg"]
    r = ask(assistant, "Hur många initiativ hade Social omsorg?")
    assert f"{len(so)} initiativ" in r.answer and "Social omsorg" in r.answer
    r = ask(assistant, "Vilka initiativ inom Social omsorg var strategiska?")
    strategic = so[so["operativt_strategiskt"] >= 4]
    for title in strategic["title"]:
        assert title in r.answer
    r = ask(assistant, "Vilket objekt hade flest initiativ 2025?")
    assert "Ledning och styrning" in r.answer.split(",")[0]
    r = ask(assistant, "How many initiatives were completed in 2025?")
    done = frame[frame["status"] == "genomförd"]
    assert f"{len(done)} were completed" in r.answer


def test_text_question_quotes_section(assistant: Any) -> None:
    r = ask(assistant, "När började NIS2 gälla?")
    assert "15 januari 2026" in r.answer
    assert "8.3" in r.answer and r.sources and r.sources[0]["section"] == "8.3"
    assert r.warnings == []
    r = ask(assistant, "Hur många mottagare fick DiMiOS-mätningen och hur genomfördes den?")
    assert "220" in r.answer


def test_cannot_answer_says_so_and_offers_help(assistant: Any) -> None:
    r = ask(assistant, "Vad är huvudstaden i Frankrike?")
    assert "hittar inget" in r.answer and "Jag kan svara" in r.answer
    r = ask(assistant, "What is the capital of France?")
    assert "cannot find" in r.answer


def test_follow_ups_use_history(assistant: Any) -> None:
    r = ask(assistant, "och 2024?", ["Vad blev indexet 2025?"])
    assert "2024" in r.answer and "8,1" in r.answer
    r = ask(assistant, "vilket objekt hade flest?", ["Hur många initiativ hade Social omsorg?"])
    assert "flest" in r.answer and "Ledning och styrning" in r.answer
    r = ask(
        assistant,
        "Vilka av dem var strategiska?",
        ["Hur många initiativ hade Social omsorg 2025?"],
    )
    assert r.tool_calls[0]["arguments"]["objekt"] == "Social omsorg"
    assert r.tool_calls[0]["arguments"]["operativt_strategiskt_min"] == 4


def test_deterministic(assistant: Any) -> None:
    a = ask(assistant, "Hur har nyttan utvecklats?").answer
    b = ask(assistant, "Hur har nyttan utvecklats?").answer
    assert a == b


# -- routed by example, decided by evidence --------------------------------------------------


def test_why_the_index_rose_and_what_pulled_it_down(assistant: Any) -> None:
    from index_engine import explain_change

    r = ask(assistant, "Varför ökade indexet och vad drog ner det?")
    assert r.route["answered_as"] == "why"
    e = explain_change(sample_dataset(), "index", 2025)
    assert e.largest_up is not None and e.largest_down is not None
    assert f"Mest uppåt drog {e.largest_up.label}" in r.answer
    assert f"nedåt drog {e.largest_down.label}" in r.answer
    for c in e.contributions:
        assert f"{c.label} {c.base_display} → {c.display} ({c.contribution_display})" in r.answer
    assert [c["name"] for c in r.tool_calls][0] == "explain_change"
    assert r.warnings == [] and r.ungrounded_numbers == []  # every number from the engine
    english = ask(assistant, "Why did digital maturity rise in 2025?")
    assert "Digital maturity (DiMiOS) rose from 64,2 % (2024) to 65,1 % (2025)" in english.answer


def test_change_in_the_number_of_initiatives_in_percent(assistant: Any) -> None:
    ds = sample_dataset()
    counts = {y: int((ds.initiatives["year"] == y).sum()) for y in (2024, 2025)}
    pct = abs(counts[2025] - counts[2024]) / counts[2024] * 100
    from index_engine import fmt_number

    shown = fmt_number(pct, 0 if float(round(pct, 1)).is_integer() else 1)
    r = ask(assistant, "Hur mycket minskade antalet initiativ från 2024 till 2025 i procent?")
    assert f"{counts[2024]} → {counts[2025]}" in r.answer and f"({shown} %)" in r.answer
    assert r.warnings == []


def test_initiatives_per_status(assistant: Any) -> None:
    frame = sample_dataset().initiatives
    year = frame[frame["year"] == 2024]
    r = ask(assistant, "Hur många initiativ var pausade, avbrutna och pågående 2024?")
    for status, word in (("pausad", "pausade"), ("avbruten", "avbrutna"), ("pågående", "pågående")):
        assert f"{word} {int((year['status'] == status).sum())}" in r.answer
    assert f"(av {len(year)})" in r.answer


def test_how_initiatives_are_placed_on_the_axes(assistant: Any) -> None:
    from index_engine import AXIS_MEANINGS

    r = ask(assistant, "Hur kategoriseras initiativen i portföljen?")
    assert r.route["answered_as"] == "method"
    for low, high in AXIS_MEANINGS.values():
        assert low in r.answer and high in r.answer


def test_a_method_answer_explains_the_parts(assistant: Any) -> None:
    r = ask(assistant, "Hur tas resultatmåttet fram?")
    formula = compute_year(sample_dataset(), 2025).figures["genomforandegrad"].formula
    assert "Resultat beräknas som" in r.answer and formula in r.answer


def test_an_unsure_route_is_decided_by_the_evidence(assistant: Any) -> None:
    from assistant.offline.router import AnswerKind, Route

    responder = assistant.offline
    intent, _route = responder.understand("Hur hög var svarsfrekvensen 2025?")
    unsure = Route(
        AnswerKind.TEXT,
        0.4,
        ((AnswerKind.TEXT, 0.4), (AnswerKind.FIGURE, 0.35), (AnswerKind.LIST, 0.25)),
        (),
        0.9,
    )
    chosen, out = responder._decide_by_evidence(intent, unsure)
    # the figure is named in the question: the engine's value, then the report's passage
    assert chosen.kind == "figure" and "64,5 %" in out.answer
    assert "Enligt rapporten" in out.answer and out.sources


def _published(assistant: Any, key: str) -> dict[int, str]:
    return {f.year: f.display for f in assistant.tools.series(key)}


def test_a_relative_change_is_computed_on_the_published_values(assistant: Any) -> None:
    shown = _published(assistant, "resultat")
    a, b = (float(shown[y].replace(",", ".")) for y in (2024, 2025))
    pct = f"{abs(b - a) / a * 100:.1f}".replace(".", ",")
    r = ask(assistant, "Hur stor var den procentuella förändringen i Resultat från 2024 till 2025?")
    assert f"{pct} % räknat på de publicerade värdena" in r.answer
    assert r.ungrounded_numbers == []
    # the published values named as a "scenario" are a question about what happened
    r = ask(
        assistant,
        f"Resultat gick från {shown[2024]} till {shown[2025]} – hur stor är ökningen i procent?",
    )
    assert "i stället för" not in r.answer and f"{pct} %" in r.answer
    assert r.ungrounded_numbers == []


def test_components_ranked_and_the_portfolio_against_a_named_year(assistant: Any) -> None:
    rep = compute_year(sample_dataset(), 2025)
    parts = {k: rep.figures[k] for k in ("forutsattningar", "resultat", "nytta")}
    low = min(parts.values(), key=lambda f: f.value or 0.0)
    high = max(parts.values(), key=lambda f: f.value or 0.0)
    r = ask(assistant, "Vilken komponent i indexet är svagast i år?")
    assert f"Lägst: {low.label} ({low.display})" in r.answer
    gap = f"{(high.value or 0.0) - (low.value or 0.0):.1f}".replace(".", ",")
    assert f"högst: {high.label} ({high.display}); skillnaden är {gap}." in r.answer
    assert r.ungrounded_numbers == []
    r = ask(assistant, "Blev portföljen större eller mindre jämfört med 2024?")
    p = rep.portfolio
    more = "fler" if (p.change_in_count or 0) > 0 else "färre"
    assert f"{abs(p.change_in_count or 0)} {more} än 2024 ({p.previous_count})" in r.answer
    assert r.ungrounded_numbers == []


def test_a_second_figure_named_in_the_question_is_answered_too(assistant: Any) -> None:
    rep = compute_year(sample_dataset(), 2022)
    r = ask(assistant, "Vilken digital mognad hade vi 2022, och hur många mottagare fick enkäten?")
    assert rep.figures["digital_mognad"].display in r.answer
    assert rep.figures["dimios_mottagare"].display in r.answer
    assert r.ungrounded_numbers == []


def test_the_split_of_benefit_this_year_against_last_year_with_the_reports_reading(
    assistant: Any,
) -> None:
    r = ask(
        assistant,
        "Hur fördelar sig årets initiativ mellan nytta för invånarna och nytta för "
        "organisationen själv, och hur såg det ut 2024?",
    )
    first, second = r.answer.index("Portföljen 2025"), r.answer.index("2024 (60 initiativ)")
    assert first < second and "extern nytta 46,7 %, intern 41,7 %" in r.answer
    assert "50/50" in r.answer and any(s.get("section") == "6.1.2" for s in r.sources)


def test_more_or_fewer_initiatives_than_a_year_is_counted_from_that_year(assistant: Any) -> None:
    r = ask(assistant, "Blev det fler eller färre initiativ i år jämfört med 2024?")
    assert "Från 2024 till 2025 minskade det med 3 (5 %)" in r.answer


def test_two_figures_of_one_year_side_by_side(assistant: Any) -> None:
    from dataclasses import replace

    responder = assistant.offline
    question = "Jämför medarbetarmåttet med den digitala mognaden 2024 – vilket är högst?"
    intent, _route = responder.understand(question)
    out = responder._answer_compare(replace(intent, kind="compare", year=None))
    assert out.answer.startswith("2024: Medarbetare 75,2 % · Digital mognad (DiMiOS) 64,2 %.")
    assert "Högst: Medarbetare." in out.answer


def test_a_data_answer_that_leaves_the_question_open_gets_the_passage(assistant: Any) -> None:
    # the engine ranks the changes; "den interna jämförelsen" is the report's (section 5.1.1)
    r = ask(
        assistant,
        "Vilka verksamheter har ökat mest i mognad, och vad säger rapporten om de interna "
        "skillnaderna?",
    )
    data, _, passage = r.answer.partition("Enligt rapporten")
    assert "ökade mest" in data and "Utbildning och arbetsmarknad" in data
    assert "5.1.1" in passage and "natur- och trafik" in passage
    assert r.ungrounded_numbers == []
    # a figure question the data answers in full gets no extra passage
    r = ask(assistant, "Vad blev indexet 2025?")
    assert "Enligt rapporten" not in r.answer


def test_which_units_rose_most_is_ranked_by_the_change(assistant: Any) -> None:
    r = ask(assistant, "Vilka verksamheter har ökat mest i digital mognad?")
    head = r.answer.split(".")[0]
    assert "ökade mest" in head and "Utbildning och arbetsmarknad +7,0 procentenheter" in head
    assert r.ungrounded_numbers == []
    r = ask(assistant, "Vilket DiMiOS-område minskade mest 2025?")
    assert "inga områden minskade" in r.answer  # every area rose in the sample data


def test_two_figures_named_are_both_explained(assistant: Any) -> None:
    r = ask(assistant, "Vilka områden ingår i digital förmåga respektive digitalt arv?")
    assert "Effektivitet" in r.answer and "Teknik" in r.answer and "Organisation" in r.answer


def test_a_percentage_is_also_given_as_the_report_rounds_it(assistant: Any) -> None:
    # the engine's 87,7 % is published as "88%": the Resultat answer states both figures so
    r = ask(assistant, "Vilken genomförandegrad motsvarar resultatet 8,8?")
    assert "87,7 %" in r.answer and "88%" in r.answer and r.ungrounded_numbers == []


def test_a_quoted_section_introduction_is_followed_by_its_sub_sections(assistant: Any) -> None:
    from assistant.offline.quotes import Quote
    from tests.assistant.chat_support import CORPUS_FILE

    responder = assistant.offline
    intro = "Årets resultatindikator är 8,8."
    hit = {"section": "6", "source": CORPUS_FILE.name, "text": f"Inledning. {intro}"}
    below = responder._subsections(Quote(intro, hit, 1.0))
    assert below[:2] == ("Resultatsammanställning 2025", "Hur ser vår digitaliseringsportfölj ut?")
    assert "Var skapas nyttan?" in below  # two levels down
    # a quote that does not end its passage introduces nothing
    assert responder._subsections(Quote("Inledning.", hit, 1.0)) == ()


def test_a_percentage_of_the_index_is_given_with_its_component(assistant: Any) -> None:
    rep = compute_year(sample_dataset(), 2023)
    r = ask(assistant, "Vilken genomförandegrad hade vi 2023?")
    rate, part = rep.figures["genomforandegrad"], rep.figures["resultat"]
    assert f"Genomförandegrad 2023 var {rate.display}" in r.answer
    assert f"I indexet motsvarar det Resultat {part.display}." in r.answer
    assert r.ungrounded_numbers == []


def test_an_initiative_named_in_a_question_is_looked_up_in_the_register(
    assistant: Any,
) -> None:
    frame = sample_dataset().initiatives
    row = frame[frame["title"] == "Gemensam plattform för geodata"].iloc[0]
    r = ask(assistant, "Vilken status har Gemensam plattform för geodata?")
    assert r.answer.startswith("I initiativregistret:")
    assert f"Gemensam plattform för geodata ({row['year']}, {row['objekt']}): status " in r.answer
    assert f"status {row['status']}." in r.answer and r.ungrounded_numbers == []
    # by the initials of consecutive title words: "säker digital kommunikation"
    r = ask(assistant, "Är SDK-projektet i mål eller pågår det fortfarande?")
    sdk = frame[frame["title"].str.lower().str.contains("säker digital kommunikation")]
    assert len(sdk) >= 2 and all(t in r.answer for t in sdk["title"])
    # a question that names no initiative is not answered from the register
    assert "initiativregistret" not in ask(assistant, "Vad innebär digital mognad?").answer


def test_a_part_of_the_report_named_in_a_question_is_searched(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from assistant.retrieval import HybridRetriever
    from tests.ingest.helpers import open_copy

    store = open_copy(tmp_path_factory.mktemp("whole-report") / "data")
    whole = make_assistant(retriever=HybridRetriever(store))
    for question in (
        "Vad är huvudbudskapet om AI i sammanfattningen?",
        "What does the summary say about AI?",
    ):
        r = ask(whole, question)
        assert "1 Summering" in r.answer and "AI" in r.answer, question


def test_the_gap_between_two_components_from_the_published_values(assistant: Any) -> None:
    r = ask(assistant, "Hur stort är gapet mellan Förutsättningar och Nytta 2025?")
    assert "Nytta 8,7" in r.answer and "Förutsättningar 7,0" in r.answer
    assert "skillnaden är 1,7" in r.answer  # 8,7 − 7,0 as published
    assert "skillnaden före avrundning 1,8" in r.answer
    assert r.ungrounded_numbers == []


def test_a_vocabularys_members_come_from_the_data(assistant: Any) -> None:
    r = ask(assistant, "Vilka statusar kan ett initiativ ha, och vilken räknas som levererad?")
    for status in ("beslutad", "pågående", "genomförd", "pausad", "avbruten"):
        assert status in r.answer
    assert "Som levererat räknas genomförd" in r.answer
    assert r.ungrounded_numbers == []
    r = ask(assistant, "Vilka objekt finns det?")
    assert all(name in r.answer for name in DEFAULT_OBJEKT)
    assert r.ungrounded_numbers == []


def test_survey_recipients_come_with_respondents_and_response_rate(assistant: Any) -> None:
    r = ask(assistant, "Hur många mottagare hade DiMiOS 2022?")
    assert "204" in r.answer and "149 svarande" in r.answer and "svarsfrekvens 73,0 %" in r.answer
    assert r.ungrounded_numbers == []


def test_a_ranking_question_is_answered_with_the_ranking(assistant: Any) -> None:
    r = ask(assistant, "vilka objekt kom tvåa och trea i antal ärenden i portföljen?")
    assert "Social omsorg (9)" in r.answer and "Välfärd samhällsservice (8)" in r.answer
    assert "skattas på tre axlar" not in r.answer  # not how initiatives are rated
