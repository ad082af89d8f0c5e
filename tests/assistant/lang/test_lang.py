"""One home for the language: every layer uses the same stopwords, glossary and stemmer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant import classify, retrieval
from assistant.lang.glossary import GLOSSARY, english_bases
from assistant.lang.stopwords import (
    CLASSIFIER_STOPWORDS,
    FUNCTION_WORDS,
    QUESTION_STOPWORDS,
)
from assistant.lang.text import STOPWORDS, normalize, stem, tokens
from assistant.offline import quotes, responder

ROOT = Path(__file__).resolve().parents[3]


def test_every_layer_uses_the_one_home() -> None:
    assert STOPWORDS is FUNCTION_WORDS
    assert classify.STOPWORDS is CLASSIFIER_STOPWORDS
    assert retrieval.GLOSSARY is GLOSSARY and responder.GLOSSARY is GLOSSARY
    assert quotes.QUESTION_STOPWORDS is QUESTION_STOPWORDS
    assert FUNCTION_WORDS <= QUESTION_STOPWORDS and FUNCTION_WORDS <= CLASSIFIER_STOPWORDS


def test_no_other_module_defines_a_word_list() -> None:
    defining = re.compile(
        r"^_?[A-Z_]*(STOPWORDS|GLOSSARY|EN_SV|FUNCTION_WORDS)\s*(:[^=]*)?=\s*(frozenset|\{|dict)",
        re.M,
    )
    found = [
        str(path.relative_to(ROOT))
        for package in ("assistant", "ingest", "web", "index_engine")
        for path in (ROOT / package).rglob("*.py")
        if defining.search(path.read_text(encoding="utf-8"))
    ]
    assert sorted(found) == ["assistant/lang/glossary.py", "assistant/lang/stopwords.py"]


def test_question_words_and_glossary() -> None:
    assert {"enligt", "rapporten", "siffran", "hur"} <= QUESTION_STOPWORDS
    assert "projekt" in CLASSIFIER_STOPWORDS and "projekt" not in QUESTION_STOPWORDS
    assert GLOSSARY["survey"].split()[0] == "mätning" and "mätningen" in GLOSSARY["survey"]
    assert "rate" in english_bases("rates")
    assert tokens(normalize("Vad betyder AI-utbildningen?")) == [
        "vad",
        "betyder",
        "ai",
        "utbildningen",
    ]
    assert stem("utbildningen") == stem("utbildning")


def test_diacritics_are_put_back_only_when_one_spelling_clearly_dominates() -> None:
    from assistant.lang.text import DiacriticRestorer, normalize, tokens

    sentences = [
        "hur många initiativ hade vi i år",
        "hur många var det förra året",
        "vad är indexet i år",
        "vad blev det i år och hur är det nu",
        "hur många gick det till i år",
        "hur många var det är det",
        "vad ska vi stärka",
    ]
    r = DiacriticRestorer(tokens(normalize(s)) for s in sentences)
    assert r.restore("Hur manga initiativ i ar?") == "Hur många initiativ i år?"
    # "ar" alone is "år" or "är": left alone; a rare spelling ("stärka") is not forced on
    # a word the vocabulary lacks ("starka")
    assert r.restore("ar") == "ar" and r.restore("starka sidor") == "starka sidor"
    # after "vad", "ar" is "är"; words of the vocabulary without Swedish letters stay
    assert r.restore("vad ar det") == "vad är det"


def test_definite_and_neuter_forms_meet_their_base_form() -> None:
    # forms Snowball leaves whole: one stemmer for search, quotes and the parser
    assert stem("resultatindikatorn") == stem("resultatindikator")
    assert stem("nyttan") == stem("nytta") and stem("internt") == stem("intern")
    assert stem("barn") == "barn" and stem("korn") == "korn"  # short words are left alone


def test_rarer_words_get_their_swedish_letters_from_the_documents_stems() -> None:
    from assistant.lang.text import StemRestorer

    r = StemRestorer({stem("känslig"): 4, stem("data"): 9, stem("förskola"): 1, "mål": 3})
    assert r.restore("skydda Kanslig data") == "skydda Känslig data"
    # a stem of too few passages is not forced on the word; short words and known stems stay
    assert r.restore("forskola") == "forskola" and r.restore("mal data") == "mal data"
    assert StemRestorer({}).restore("kanslig") == "kanslig"


def test_a_quote_is_glossed_phrases_first_then_words_by_stem() -> None:
    from assistant.lang.lexicon import gloss

    terms = dict(
        gloss("Beslut som tidigare tog tre dagar fattas nu inom äldreomsorgen på ett dygn.")
    )
    assert terms["tre dagar"] == "three days"
    assert terms["äldreomsorgen"] == "elderly care"  # an inflected form, by its stem
    assert terms["tidigare"].startswith("earlier")  # the written form before a shorter stem's
    assert "dagar" not in terms  # inside a glossed phrase
    assert dict(gloss("AI-piloterna har lett till ökad medvetenhet."))["AI-piloterna"] == "AI pilot"


def test_the_lexicons_glosses_hold_no_figures() -> None:
    """An English answer's gloss must not add numbers the grounding check cannot trace."""
    from assistant.grounding import find_numbers
    from assistant.lang.lexicon import lexicon

    lex = lexicon()
    glosses = [*lex.words.values(), *(e for _p, e in lex.phrases)]
    assert len(glosses) > 1000
    assert [g for g in glosses if find_numbers(g, english=True)] == []


def test_a_bad_lexicon_line_names_its_file_and_line(tmp_path: Path) -> None:
    from assistant.lang.lexicon import lexicon

    bad = tmp_path / "lexikon.tsv"
    bad.write_text("dag\tday\nbara ett fält\n", encoding="utf-8")
    with pytest.raises(ValueError, match="lexikon.tsv, rad 2"):
        lexicon(bad)
