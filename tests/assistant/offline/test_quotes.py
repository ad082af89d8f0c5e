"""Quote selection: sentence windows, headings, neighbours, hedges and acronyms."""

from __future__ import annotations

from typing import Any

from assistant.offline.quotes import (
    asked_acronym,
    best_sentences,
    choose_quotes,
    expand_acronym,
    held_stems,
    question_stems,
)


def hit(text: str, section: str = "9.9", best: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"text": text, "section": section, "title": "Test", "best_sentences": list(best)}


def first_quote(question: str, *passages: dict[str, Any]) -> str:
    """The first quote chosen for the question (there must be one)."""
    choice = choose_quotes(question, list(passages))
    assert choice.quotes and not choice.weak
    return choice.quotes[0].text


JAMFORAREN = hit(
    "Även kommunens jämförelsetjänst – Jämföraren – har fått ett digitalt lyft. "
    "Tidigare tog varje ändring upp till ett dygn att genomföra. Nu sker det på några sekunder. "
    "Resultatet blir en bättre tjänst för invånarna."
)


def test_before_and_after_come_out_whole() -> None:
    (text, _hit), *_ = best_sentences("Hur lång tid tar en ändring i Jämföraren?", [JAMFORAREN])
    assert "Tidigare tog varje ändring" in text and "Nu sker det på några sekunder" in text


def test_a_sentence_that_leans_back_brings_the_one_before() -> None:
    passage = hit(
        "Kommunen har infört så kallad förmågeväxling i verksamheterna. "
        "Det innebär att medarbetare lär sig nya arbetssätt när tekniken tar över rutinuppgifter. "
        "Arbetet fortsätter nästa år."
    )
    (text, _), *_ = best_sentences("Vad innebär förmågeväxling för medarbetarna?", [passage])
    assert text.startswith("Kommunen har infört så kallad förmågeväxling")
    assert "Det innebär att medarbetare" in text


def test_a_quote_is_its_paragraph_and_a_list_question_gets_the_section() -> None:
    passage = hit(
        "Utmaningar\n"
        "Mätningen visar flera strukturella utmaningar. Den största är att samordna utvecklingen. "
        "Här behövs tydligare styrning.\n"
        "Strategisk kompetensförsörjning är en annan viktig fråga.\n"
        "Nästa steg\n"
        "Arbetet med planen fortsätter under våren."
    )
    (text, _), *_ = best_sentences("Vad är den största utmaningen med samordningen?", [passage])
    # the matching sentence with the rest of its paragraph, not the next paragraph
    assert text.startswith("Mätningen visar") and text.endswith("tydligare styrning.")
    (text, _), *_ = best_sentences("Vilka utmaningar visar mätningen?", [passage])
    # a list question: the following paragraphs of the section too, never past a heading
    assert "kompetensförsörjning" in text and "Arbetet med planen" not in text


def test_a_heading_is_context_not_a_quote() -> None:
    passage = hit(
        "Breddinförande av digital post\n"
        "Kommunen deltar i ett initiativ från SKR om digitala postutskick. "
        "Målbilden är att 80 % av all utgående post ska gå till digitala brevlådor."
    )
    choice = choose_quotes("Vad är målet med breddinförandet av digital post?", [passage])
    assert choice.quotes and "80 %" in " ".join(q.text for q in choice.quotes)
    assert all(not q.text.startswith("Breddinförande av digital post") for q in choice.quotes)


def test_the_embedders_nearest_sentence_wins_a_tie() -> None:
    a = "Rapporten beskriver arbetet med AI i skolan och dess risker för eleverna."
    b = "AI i skolan ska vara ett pedagogiskt stöd som kompletterar läraren."
    plain = choose_quotes("Hur ska AI användas i skolan?", [hit(f"{a}\n\n{b}")], max_quotes=1)
    near = choose_quotes(
        "Hur ska AI användas i skolan?", [hit(f"{a}\n\n{b}", best=(b,))], max_quotes=1
    )
    assert near.quotes[0].text == b
    assert plain.quotes  # without the embedder something is still chosen


def test_partial_evidence_is_hedged_and_none_is_none() -> None:
    passage = hit(
        "Redan 2024 erbjöds medarbetare en högskolebaserad AI-utbildning utvecklad tillsammans "
        "med Luleå tekniska universitet."
    )
    question = "Vilket lärosäte gjorde AI-utbildningen ihop med kommunen?"
    hedged = choose_quotes(question, [passage], hedge=True)
    assert hedged.quotes and "Luleå" in hedged.quotes[0].text
    strict = choose_quotes("Vad är huvudstaden i Frankrike?", [passage], hedge=True)
    assert strict.quotes == ()


def test_acronyms_are_spelled_out_from_the_passage() -> None:
    assert asked_acronym("Vad betyder SDK?") == "SDK"
    assert asked_acronym("What does SDK stand for?") == "SDK"
    assert asked_acronym("Hur går det med SDK?") is None
    after = hit("Införande SDK, Säker digital kommunikation\nInförandet är slutfört.")
    before = hit("Vi har infört Säker Digital Kommunikation (SDK) i socialtjänsten.")
    wrong = hit("SDK används av polisen.")
    assert expand_acronym("SDK", [wrong, after])[0] == "Säker digital kommunikation"
    assert expand_acronym("SDK", [before])[0] == "Säker Digital Kommunikation"
    assert expand_acronym("SDK", [wrong]) is None


def test_a_question_in_other_words_gets_the_nearest_passage_with_a_hedge() -> None:
    passage = hit(
        "Det strategiska vägvalet handlar om att medvetet kombinera digitalt och analogt. "
        "AI bör ses som ett pedagogiskt stöd som kompletterar lärarens omdöme.",
        best=("Det strategiska vägvalet handlar om att medvetet kombinera digitalt och analogt.",),
    )
    question = "Ska skolorna satsa på datorer eller papper och penna?"
    assert choose_quotes(question, [passage], hedge=True).quotes == ()
    near = choose_quotes(question, [{**passage, "similarity": 0.9}], hedge=True)
    assert near.weak and "kombinera digitalt och analogt" in near.quotes[0].text
    # not near enough by the embedder, or asked without a hedge: nothing
    assert choose_quotes(question, [{**passage, "similarity": 0.8}], hedge=True).quotes == ()
    assert choose_quotes(question, [{**passage, "similarity": 0.9}]).quotes == ()


def test_a_next_paragraph_that_leans_back_continues_the_quote() -> None:
    passage = hit(
        "När det gäller välfärdsteknik står Nacka inför andra typer av vägval. "
        "Styrmodellen bygger på externa utförare.\n"
        "Här behöver kommunen ta ställning till vilken roll den själv ska spela. "
        "Ett vägval handlar om att vara huvudman eller möjliggörare.\n"
        "Ett annat stycke om något helt annat."
    )
    (text, _hit), *_ = best_sentences("Vilket vägval finns kring välfärdsteknik?", [passage])
    assert "huvudman eller möjliggörare" in text and "något helt annat" not in text


def test_the_same_sentences_in_overlapping_passages_are_quoted_once() -> None:
    text = (
        "Grafen visar hur ett genomsnittligt initiativ i portföljen kategoriseras respektive år. "
        "Portföljen är i hög grad operativ."
    )
    picked = choose_quotes("Hur kategoriseras portföljen respektive år?", [hit(text), hit(text)])
    assert len(picked.quotes) == 1


def test_the_nearest_passage_is_the_top_hit_or_else_the_nearest_next_one() -> None:
    first = hit("Skolan ska medvetet kombinera digitalt och analogt.", "8.4.1",
                best=("Skolan ska medvetet kombinera digitalt och analogt.",))  # fmt: skip
    second = hit("Ledtiden till effekter är lång efter upphandling.", "7.1",
                 best=("Ledtiden till effekter är lång efter upphandling.",))  # fmt: skip
    question = "Varför saknas det?"  # no word of either passage
    near = choose_quotes(question, [{**first, "similarity": 0.87}, {**second, "similarity": 0.9}],
                         hedge=True)  # fmt: skip
    assert near.quotes[0].hit["section"] == "8.4.1"
    near = choose_quotes(question, [{**first, "similarity": 0.85}, {**second, "similarity": 0.9}],
                         hedge=True)  # fmt: skip
    assert near.quotes[0].hit["section"] == "7.1"


SURVEY = hit(
    "Mätningen är en självskattning på en skala från 1-6. "
    "Årets mätning genomfördes i juni genom ett riktat e-postutskick till utvalda representanter "
    "för varje verksamhet. Totalt skickades mätningen till 220 mottagare."
)


def test_a_compound_is_read_through_the_synonym_of_its_last_part() -> None:
    # "mognadsenkäten" occurs nowhere; "enkät" is what the reports call "mätning"
    assert "representanter" in first_quote(
        "Vem fick mognadsenkäten och hur skickades den ut?", SURVEY
    )


def test_a_glossary_phrase_maps_as_a_whole() -> None:
    assert {"styrk", "stark"} <= set(question_stems("Vad är vi bra på enligt DiMiOS?"))
    assert "bra" not in question_stems("Vad är vi bra på enligt DiMiOS?", min_len=1)
    strengths = hit(
        "Mätningen genomfördes i juni. Vi har särskilt starka resultat inom digitalt stöd till "
        "verksamheten och teknisk förvaltning."
    )
    assert "teknisk förvaltning" in first_quote("Vad är vi bra på?", strengths)


def test_held_stems_finds_parts_of_compounds() -> None:
    assert held_stems(["index", "urval"], "Digitaliseringsindex 2025 var 8,2.") == ["index"]


def test_the_source_named_after_enligt_may_stand_anywhere_in_its_passage() -> None:
    survey = hit(
        "Mätningen 2025 är den fjärde enligt DiMiOS-modellen. Resultatet ligger på 65,1 %. "
        "Vi har särskilt starka resultat inom teknisk förvaltning."
    )
    other = hit(
        "Mätningen av vår mognad görs enligt modellen DiMiOS, framtagen för offentlig sektor."
    )
    assert "teknisk förvaltning" in first_quote("Vad är vi bra på enligt DiMiOS?", other, survey)


def test_a_listing_question_gets_the_sub_headings_an_introduction_announces() -> None:
    section = hit(
        "Under året har vi drivit flera gemensamma initiativ som finansierats av fonden.\n"
        "Införande av säker kommunikation\n"
        "Införandet är nu slutfört.\n"
        "Smart stad i kommunen\n"
        "Programmet fortsätter.\n"
        "6.4 Metodik för utvärdering\n"
        "Vi mäter genomförandegraden."
    )
    choice = choose_quotes("Vilka gemensamma initiativ har finansierats av fonden?", [section])
    assert choice.quotes[0].follows == ("Införande av säker kommunikation", "Smart stad i kommunen")
    # a question that does not ask for a list gets no items
    plain = choose_quotes("Hur har de gemensamma initiativen finansierats?", [section])
    assert plain.quotes and plain.quotes[0].follows == ()


def test_a_who_question_prefers_the_sentence_that_names_people() -> None:
    passage = hit(
        "Mätningen är en självskattning på en skala från 1-6 som skickas ut varje år. "
        "Målgrupp för mätningen var roller som styr och planerar verksamhetens utveckling."
    )
    assert "Målgrupp" in first_quote("Vem skickas mätningen till?", passage)


def test_a_why_quote_runs_on_to_the_reason_in_its_paragraph() -> None:
    passage = hit(
        "Portföljen syftar oftast till effektiviseringar mer än innovation. "
        "Ett genomsnittligt initiativ är i hög grad operativt. "
        "Analysen här är att vi fokuserar på ekonomisk återhållsamhet i syfte att spara pengar.\n"
        "Nästa stycke handlar om något annat."
    )
    text = first_quote("Varför lutar portföljen mot effektiviseringar?", passage)
    assert "återhållsamhet" in text and "Nästa stycke" not in text


def test_adjective_forms_meet_their_root() -> None:
    # "internt" meets "intern", "operativt" "operativa"
    assert set(question_stems("Varför är nyttan internt och arbetet operativt?", 3)) >= {
        "int",
        "operativ",
    }
    portfolio = hit(
        "Portföljen har ett nytt utseende i år. "
        "Ett genomsnittligt initiativ är i hög grad operativt och internt."
    )
    assert "operativt" in first_quote("Varför är initiativen så operativa och interna?", portfolio)


def test_the_own_organisation_and_inward_mean_internal() -> None:
    # the reports call benefit to the organisation itself "intern nytta"
    for question in (
        "Vad förklarar att årets initiativ mest gynnar den egna organisationen?",
        "Varför lutar initiativen mot nytta inåt?",
    ):
        assert "int" in question_stems(question, min_len=3)


SCHOOL = (
    "Parallellt förs en nationell debatt om en rörelse från skärm till pärm. "
    "Denna inriktning speglar en oro för överdriven skärmanvändning.\n"
    "Det strategiska vägvalet handlar därför inte om att välja mellan digitalt eller analogt, "
    "utan om att medvetet kombinera dem. Rätt använd kan AI frigöra tid för läraren."
)


def test_a_question_about_the_reports_stance_gets_its_conclusion() -> None:
    choice = choose_quotes("Hur ser rapporten på AI i skolan – skärm eller pärm?", [hit(SCHOOL)])
    assert any("kombinera" in q.text for q in choice.quotes)
    reasoning = choose_quotes("Hur resonerar rapporten kring AI i skolan?", [hit(SCHOOL)])
    assert any("kombinera" in q.text for q in reasoning.quotes)
    # a plain question about the debate gets no conclusion added
    plain = choose_quotes("Vilken debatt förs om skärm och pärm?", [hit(SCHOOL)])
    assert not any("kombinera" in q.text for q in plain.quotes)


def test_a_hedged_stance_answer_adds_the_conclusion_from_another_part_of_its_section() -> None:
    first = hit(
        "Inom skolan är frågan om AI komplex. Skollagen slår fast elevens rätt till anpassat "
        "lärande.",
        section="8.4.1",
        best=("Inom skolan är frågan om AI komplex.",),
    )
    second = hit(
        "Det strategiska vägvalet handlar inte om att välja, utan om att medvetet kombinera "
        "dem. Fel använd riskerar AI att styra undervisningen.",
        section="8.4.1",
    )
    for h in (first, second):
        h["source"], h["similarity"] = "rapport.txt", 0.9
    choice = choose_quotes(
        "Ska skolan satsa på AI eller återgå till krita och griffeltavla?",
        [first, second],
        hedge=True,
    )
    assert choice.weak and "komplex" in choice.quotes[0].text
    assert "kombinera" in choice.quotes[-1].text


def test_words_that_only_frame_the_question_are_no_topic() -> None:
    assert question_stems("Har det gjorts något kring informationssäkerhet?") == [
        "informationssäker"
    ]
    assert question_stems("Var har vi våra största problem?") == ["utmaning", "problem"]
    assert question_stems("När görs mätningen?") == []  # "mätningen" names no topic either


def test_announced_headings_run_on_into_the_sections_next_passage() -> None:
    from assistant.offline.quotes import headings_in_section

    intro = "Vi har fortsatt flera initiativ som finansierats av kommunens fonder."
    first = f"{intro}\nSäker kommunikation\nInförandet är slutfört nu.\nSmart stad\nEtt program."
    rest = "Digital post\nKommunen deltar i ett initiativ.\nDatadriven kommun\nEtt initiativ."
    choice = choose_quotes("Vilka initiativ har finansierats av fonderna?", [hit(first)])
    quote = choice.quotes[0]
    assert quote.text == intro and quote.follows == ("Säker kommunikation", "Smart stad")
    section = f"{first}\n{rest}\nhttps://www.example.se/projekt/"
    assert headings_in_section(quote, section) == (
        "Säker kommunikation", "Smart stad", "Digital post", "Datadriven kommun",
    )  # fmt: skip
    assert headings_in_section(quote, "Annan text.") == quote.follows  # quote not in the text


def test_a_reason_that_points_at_an_earlier_one_brings_it() -> None:
    earlier = hit(
        "Portföljen är i hög grad operativ. Analysen här är att när vi fokuserar på ekonomisk "
        "återhållsamhet så drar initiativen mot inre effektivitet och operativa förändringar.",
        section="6.1.1",
    )
    later_elsewhere = hit(
        "Kategoriseringen speglar hur operativa och strategiska initiativen är.", section="6.4.1"
    )
    quoted = hit(
        "Fördelningen mellan extern och intern nytta var 50/50 förra året. Anledningen till denna "
        "interna förflyttning kan förklaras med samma grund som balansen mellan operativt och "
        "strategiskt.",
        section="6.1.2",
    )
    for h in (earlier, later_elsewhere, quoted):
        h["source"] = "rapport.txt"
    choice = choose_quotes(
        "Varför har portföljen förflyttats mot intern nytta?", [quoted, later_elsewhere, earlier]
    )
    texts = [q.text for q in choice.quotes]
    assert "samma grund som" in texts[0]
    assert any("ekonomisk återhållsamhet" in t for t in texts[1:])  # the earlier section's reason


def test_a_term_introduced_as_so_called_answers_what_it_means() -> None:
    passage = hit(
        "Genom modiga beslut om tröskelinvesteringar kan kommunen finansiera utvecklingen. "
        "Finansieringen blir därmed hållbar över tid.\n"
        "Många av investeringarna är så kallade tröskelinvesteringar. Det kan handla om "
        "gemensam dataarkitektur och plattformar."
    )
    quote = first_quote("vad menas med tröskelinvesteringar", passage)
    assert quote.startswith("Många av investeringarna är så kallade tröskelinvesteringar.")
    assert "dataarkitektur" in quote


def test_a_sub_heading_the_question_names_brings_its_passage() -> None:
    elsewhere = hit(
        "Kommunens satsningar på datadriven utveckling har också tagit fart, bland annat med "
        "sensordata för infartsparkering."
    )
    named = hit(
        "Kommunen deltar i ett initiativ om digitala postutskick.\n"
        "Datadriven kommun\n"
        "I början av 2025 startades ett utvecklingsinitiativ upp som syftar till att bli mer "
        "datadriven. En analysplattform har etablerats och flera pilotprojekt har genomförts."
    )
    other = hit(
        "Medarbetarenkäten mäter effektiva digitala stöd. Svarsfrekvensen var god. "
        "Nyttoregistret följs upp årligen. Portföljen är operativ. "
        "Informationssäkerhet prioriteras."
    )
    quote = first_quote("Vad innebär satsningen Datadriven kommun?", elsewhere, named, other)
    assert quote.startswith("I början av 2025 startades")


def test_a_derived_word_is_answered_by_its_base_word() -> None:
    other = hit(
        "Inom social omsorg pågår utöver AI-stöd och robotisering ett pilotarbete om "
        "orosanmälningar. En marknadsanalys har gett nya insikter."
    )
    robots = hit(
        "Robotprocesser i äldreomsorgen hanterar nu enklare ärenden som trygghetslarm. "
        "Beslut som tidigare tog över tre dagar tas nu på ett dygn."
    )
    quote = first_quote("Vad har robotiseringen i äldreomsorgen gett?", other, robots)
    assert "trygghetslarm" in quote
