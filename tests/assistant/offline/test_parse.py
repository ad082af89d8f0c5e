"""The parser: slots from the closed vocabularies, follow-ups and years."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.offline.parse import (
    ObjektMatcher,
    asked_members,
    is_bare_followup,
    parse,
    resolve,
    understand,
)
from index_engine import DEFAULT_OBJEKT

MATCHER = ObjektMatcher(DEFAULT_OBJEKT)


@pytest.mark.parametrize(
    ("question", "bare"),
    [
        ("och 2024?", True),
        ("Och inom Fastighet?", True),
        ("Hur har den utvecklats?", True),
        ("Vilka var de?", True),
        ("Och vid den första mätningen 2022?", True),
        ("Och den senaste mätningen?", True),
        ("Och vad säger mätningen om styrkor?", False),
        ("Vad blev indexet 2025?", False),
        ("Hur många initiativ handlar om AI?", False),
        ("När började NIS2 gälla?", False),
    ],
)
def test_bare_follow_ups(question: str, bare: bool) -> None:
    assert is_bare_followup(parse(question, MATCHER)) is bare


def test_a_bare_follow_up_takes_the_previous_kind_without_routing() -> None:
    routed: list[str] = []

    def route(text: str, _p: object) -> object:
        routed.append(text)
        from assistant.offline.router import AnswerKind, Route

        return Route(AnswerKind.FIGURE, 0.9, ((AnswerKind.FIGURE, 0.9),), (), 0.5)

    intent, decision = understand("och 2024?", ["Vad blev nyttan 2025?"], MATCHER, 2025, route)
    assert routed == ["Vad blev nyttan 2025?"] and decision is None
    assert intent.kind == "figure" and intent.figure == "nytta" and intent.year == 2024
    assert "kind" in intent.inherited and "figure" in intent.inherited


def test_survey_recipients_are_not_the_maturity_figure() -> None:
    p = parse("Till hur många personer skickades DiMiOS-enkäten 2025?", MATCHER)
    assert p.figures == ("dimios_mottagare",)
    p = parse("How many people received the DiMiOS survey?", MATCHER)
    assert "dimios_mottagare" in p.figures and "digital_mognad" not in p.figures
    # the count asked before the verb ("Till hur många skickades …")
    assert parse("Till hur många skickades mognadsenkäten 2025?", MATCHER).figures[0] == (
        "dimios_mottagare"
    )
    # "DiMiOS" alone still names the maturity figure
    assert parse("Vad blev DiMiOS 2024?", MATCHER).figures == ("digital_mognad",)


def test_number_of_initiatives_and_implementation_are_figures() -> None:
    assert parse("Har antalet digitaliseringsinitiativ minskat?", MATCHER).figures == (
        "antal_initiativ",
    )
    assert parse("number of initiatives 2024", MATCHER).figures == ("antal_initiativ",)
    assert parse("Hur har genomförandet rört sig?", MATCHER).figures[0] == "genomforandegrad"


def test_several_statuses_ask_for_a_breakdown() -> None:
    p = parse("Hur många initiativ var pausade, avbrutna och pågående?", MATCHER)
    assert set(p.statuses) == {"pausad", "avbruten", "pågående"} and p.status is None
    intent = resolve(p, None, 2025, "count")
    assert intent.by_status and intent.status is None
    one = resolve(parse("Vilka initiativ var pausade?", MATCHER), None, 2025, "list")
    assert one.status == "pausad" and not one.by_status
    assert resolve(parse("Initiativen per status 2024", MATCHER), None, 2025, "count").by_status


@pytest.mark.parametrize(
    ("question", "since", "until"),
    [
        ("Blev nyttan bättre 2025 jämfört med förra året?", 2024, 2025),
        ("Har nyttan ökat sedan i fjol?", 2024, 2025),
        ("Var nyttan högre i fjol jämfört med 2023?", 2023, 2024),
        ("How much did the benefit change compared with the year before?", 2024, 2025),
        ("Har mognaden ökat sedan förra mätningen?", 2024, 2025),
    ],
)
def test_comparisons_with_last_year(question: str, since: int, until: int) -> None:
    intent = resolve(parse(question, MATCHER), None, 2025, "compare")
    assert (intent.since, intent.until) == (since, until)


def test_topic_words_leave_out_the_word_for_initiatives_and_fillers() -> None:
    p = parse("Hur stor andel av de beslutade digitaliseringsinitiativen blev klara?", MATCHER)
    intent = resolve(p, None, 2025, "count")
    assert intent.topic == ()
    p = parse("Vilka initiativ handlar om robotar?", MATCHER)
    assert resolve(p, None, 2025, "list").topic == ("robotar",)
    # every initiative of the register is digital: the word filters none
    p = parse("Vad har kultur och fritid gjort digitalt i år?", MATCHER)
    assert "digitalt" not in resolve(p, None, 2025, "list").topic


def test_a_why_follow_up_about_a_change_explains_the_previous_figure() -> None:
    previous = resolve(
        parse("Hur gick det med den digitala mognaden 2025?", MATCHER), None, 2025, "figure"
    )
    why = resolve(parse("Vad låg bakom uppgången?", MATCHER), previous, 2025, "why")
    assert why.figure == "digital_mognad" and "figure" in why.inherited
    other = resolve(parse("Varför satsar kommunen på AI?", MATCHER), previous, 2025, "why")
    assert other.figure is None


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("Hur hög var nytta-delen i indexet 2024?", "nytta"),
        ("Vad blev resultat-delen i år?", "resultat"),
        ("Hur gick förutsättningsdelen?", "forutsattningar"),
    ],
)
def test_a_component_named_with_a_hyphen_is_that_component(question: str, figure: str) -> None:
    assert parse(question, MATCHER).figures[0] == figure


def _fixed(kind: str) -> Any:
    from assistant.offline.router import AnswerKind, Route

    def route(_text: str, _p: object) -> Route:
        k = AnswerKind(kind)
        return Route(k, 0.99, ((k, 0.99),), (), 0.5)

    return route


@pytest.mark.parametrize(
    ("question", "kind", "since", "until"),
    [
        ("Hur stod sig svarsfrekvensen i år mot 2022?", "compare", 2022, 2025),
        ("Hur fördelar sig årets initiativ, och hur såg det ut 2024?", "portfolio", 2024, 2025),
        ("Årets portfölj och året innan – hur skiljer de sig?", "portfolio", 2024, 2025),
        ("Hur skiljer sig portföljen jämfört med föregående år?", "portfolio", 2024, 2025),
    ],
)
def test_this_year_beside_an_earlier_one(question: str, kind: str, since: int, until: int) -> None:
    routed = "figure" if kind == "compare" else kind
    intent, _ = understand(question, [], MATCHER, 2025, _fixed(routed))
    assert intent.kind == kind and (intent.since, intent.until) == (since, until)
    assert intent.year is None or kind == "compare"


def test_a_year_before_the_latest_alone_is_still_that_year() -> None:
    intent, _ = understand("Hur såg portföljen ut 2024?", [], MATCHER, 2025, _fixed("portfolio"))
    assert intent.year == 2024 and intent.since is None


def test_figures_against_a_year_with_mot_and_an() -> None:
    p = parse("Svarsfrekvensen – hur står den sig mot första mätningen 2022?", MATCHER)
    assert p.since == 2022
    p = parse("Har antalet initiativ blivit fler eller färre än 2024?", MATCHER)
    assert p.since == 2024 and p.figures == ("antal_initiativ",)
    assert parse("Blev det fler eller färre initiativ i år?", MATCHER).figures == (
        "antal_initiativ",
    )


def test_the_share_of_initiatives_delivered_is_the_implementation_rate() -> None:
    for question in (
        "Hur stor andel av de initiativ vi beslutade om blev faktiskt levererade i år?",
        "What share of our initiatives were completed in 2024?",
    ):
        p = parse(question, MATCHER)
        assert p.figures == ("genomforandegrad",) and p.status is None, question


def test_benefit_for_residents_or_the_organisation_is_the_axis_split() -> None:
    p = parse("Hur fördelar sig nyttan för invånare och nyttan för organisationen själv?", MATCHER)
    assert p.split == ("extern_intern",) and not p.ranges and "nytta" not in p.figures
    assert parse("Vilka initiativ ger nytta för invånarna?", MATCHER).ranges == (
        ("extern_intern", 4, None),
    )
    inward = parse("Varför lutar årets initiativ mot nytta inåt i organisationen?", MATCHER)
    assert inward.ranges == (("extern_intern", None, 2),) and "nytta" not in inward.figures


def _after(question: str, before: str, kind: str) -> Any:
    """The intent of ``question`` asked after ``before`` (every routed question is ``kind``)."""
    intent, _ = understand(question, [before], MATCHER, 2025, _fixed(kind))
    return intent


def test_first_measurement_and_the_next_of_a_ranking() -> None:
    intent = _after("Och vid första mätningen då?", "Vad var vår digitala mognad 2025?", "figure")
    assert intent.kind == "figure" and intent.figure == "digital_mognad"
    assert intent.relative == "first" and intent.year is None
    before = "Vilket objekt hade flest initiativ i år?"
    intent = _after("Och vilka kom efter det?", before, "top_objekt")
    assert intent.kind == "top_objekt" and "kind" in intent.inherited


def test_a_text_follow_up_with_a_pronoun_searches_with_the_question_before() -> None:
    before = "Vad har Nacka erbjudit för AI-utbildning?"
    intent = _after("vilket lärosäte var med och tog fram den?", before, "text")
    assert "AI-utbildning" in intent.search_query and "lärosäte" in intent.search_query


def test_a_question_typed_without_swedish_letters_is_read_with_them() -> None:
    p = parse("hur manga procentenheter okade mognaden fran 2024 till i ar?", MATCHER)
    assert p.text.startswith("hur många procentenheter ökade mognaden från 2024")
    assert p.figures == ("digital_mognad",)
    assert parse("hur hogt blev forutsattningar i år?", MATCHER).figures == ("forutsattningar",)


def test_compared_to_a_year_is_the_other_year_not_the_end_of_a_series() -> None:
    p = parse("What was the index for 2025 and how does it compare to 2024?", MATCHER)
    assert p.until is None and set(p.years) == {2024, 2025}
    assert parse("Hur utvecklades indexet från 2022 till 2024?", MATCHER).until == 2024


@pytest.mark.parametrize(
    ("question", "since", "year"),
    [
        ("Hur många procentenheter ökade mognaden från förra mätningen?", 2024, None),
        ("How much did the index rise from last year?", 2024, None),
        ("Vad var indexet förra året?", None, None),  # the year before itself, no change
    ],
)
def test_the_year_before_named_as_where_a_change_starts(
    question: str, since: int | None, year: int | None
) -> None:
    intent, _ = understand(question, [], MATCHER, 2025, _fixed("figure"))
    assert (intent.since, intent.year) == (since, year)
    assert intent.until == (2025 if since else None)
    assert intent.relative == ("latest" if since else "previous")


def test_a_scale_names_its_figure() -> None:
    # the employee survey's statement is scored 1–5, the DiMiOS statements 1–6
    p = parse("Hur går man från 3,72 på femgradig skala till ett tal i indexet?", MATCHER)
    assert p.figures[0].startswith("medarbetare")
    assert parse("Hur räknas den sexgradiga skalan om?", MATCHER).figures == ("digital_mognad",)


def test_longer_phrasings_of_a_share_and_a_breakdown() -> None:
    p = parse(
        "Hur stor andel av de initiativ vi beslutade om för året blev faktiskt levererade?",
        MATCHER,
    )
    assert p.figures == ("genomforandegrad",)
    assert parse("Vilka delområden täcker mognadsenkäten?", MATCHER).breakdown == "area"


@pytest.mark.parametrize(
    "question",
    [
        "Har balansen mellan nytta för invånare och nytta för oss själva ändrats?",
        "Did the initiatives mostly benefit residents or our own organisation?",
    ],
)
def test_both_ends_of_the_benefit_axis_ask_for_the_split(question: str) -> None:
    assert parse(question, MATCHER).split == ("extern_intern",)


def test_a_component_coordinated_with_another_is_a_figure() -> None:
    objekt = ObjektMatcher(DEFAULT_OBJEKT)
    gap = parse("Hur stort är gapet mellan Förutsättningar och Nytta i årets index?", objekt)
    assert gap.figures[:2] == ("forutsattningar", "nytta")
    assert "gap" in gap.cues
    listed = parse("Jämför förutsättningar, resultat och nytta", objekt)
    assert listed.figures == ("forutsattningar", "resultat", "nytta")
    # the everyday word that is not coordinated stays a word
    assert parse("Hur är resultatet för förutsättningar?", objekt).figures == ("forutsattningar",)


@pytest.mark.parametrize(
    ("question", "members"),
    [
        ("Vilka statusar kan ett initiativ ha?", "status"),
        ("vilka objekt finns det som initiativen kan tillhöra?", "objekt"),
        ("Which statuses can an initiative have?", "status"),
        ("Vilka områden mäts i DiMiOS?", "area"),
        ("Vilka typer av nytta kan ett initiativ ge?", "benefit_kind"),
        ("Vilka objekt har flest initiativ?", None),
        ("Vilka initiativ finns inom skolan?", None),
        ("Hur många statusar finns det?", None),
    ],
)
def test_a_question_asking_for_a_vocabularys_members(question: str, members: str | None) -> None:
    assert asked_members(question) == members


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        ("How is the Results part of the index measured?", "resultat"),
        ("Hur tas nyttodelen i indexet fram?", "nytta"),
        ("Vad väger förutsättningskomponenten i vårt index?", "forutsattningar"),
        ("What is the benefit component of the index based on?", "nytta"),
    ],
)
def test_a_component_named_as_a_part_of_the_index_is_the_figure(question: str, figure: str) -> None:
    assert parse(question, MATCHER).figures[0] == figure
