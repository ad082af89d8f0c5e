"""Choosing the sentences of a passage that answer a question (the offline quote selection).

Candidates are single sentences and windows of adjacent sentences; each is scored by the question's
content stems it holds (weighted by rarity), by the kind of information the question asks for (a
date, a number, a duration, a definition, a reason) and by the passage's rank.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.lang.figures import DOWN_WORDS, UP_WORDS
from assistant.lang.glossary import GLOSSARY
from assistant.lang.stopwords import QUESTION_STOPWORDS
from assistant.lang.text import is_english, normalize, stem, tokens

_SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"”»(•A-ZÅÄÖ0-9])|\s*•\s*")
_DATE_RE = re.compile(
    r"\b(19|20)\d{2}\b|\b(januari|februari|mars|april|maj|juni|juli|augusti|september|oktober"
    r"|november|december)\b",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")

#: Question words that say what kind of sentence answers them.
_WHEN = re.compile(r"\bnär\b|\bwhen\b|\bvilket år\b|\bwhat year\b|\bdatum\b|\bdate\b")
_DURATION_Q = re.compile(
    r"hur (snabbt|fort|lång tid|länge)|how (fast|quickly|long)"
    r"|hur mycket (snabbare|fortare|kortare|långsammare|tid)|how much (faster|quicker|time)"
)
#: "Hur ska/bör ..." asks what the report recommends: sentences with "bör", "ska", "behöver".
_NORMATIVE_Q = re.compile(r"\bhur (ska|bör|borde|skall)\b|\bhow should\b|\bwhat should\b")
_NORMATIVE = re.compile(r"\b(bör|ska|skall|behöver|måste|borde)\b")
#: "Hur ser rapporten på AI i skolan?", "Ska skolan satsa på AI eller ...?": the report's
#: stance, answered by the sentence that concludes or recommends.
_STANCE_Q = re.compile(
    r"\bhur ser (rapporten|ni|vi|kommunen|nacka) på\b|\bvad (tycker|anser) (rapporten|ni|vi)\b"
    r"|\bhur (resonerar|argumenterar) (rapporten|ni|vi|kommunen|nacka)\b"
    r"|\bhow does the report (reason|argue)\b"
    r"|\bställning\b|\brekommender\w*|\bvad (rekommenderar|föreslår) \w+"
    r"|^(ska|bör|borde) \w+( \w+)? .*\beller\b|\bwhat does the report (think|recommend)\b"
    r"|\bwhat is the report's (view|position)\b|^should\b"
    r"|\b(ska|bör|borde) (vi|man|kommunen|nacka|skolan) (satsa|välja|gå|fortsätta|avvakta|införa"
    r"|använda|prioritera)\b|\bshould (we|the municipality) (invest|go|choose|use)\b"
)
_STANCE = re.compile(
    r"\b(bör|borde|slutsats\w*|rekommender\w*|handlar (därför )?(inte )?om att|utan om att"
    r"|vägvalet)\b"
)
#: "Vem skickas enkäten till?", "vilka fick den", "who received it": answered by a sentence that
#: names people or roles.
_WHO_Q = re.compile(
    r"\bvem\b|\bvilka (fick|svarade|deltog|tillfrågades|ingick)\b|\bwho\b|\bmålgrupp\w*"
    r"|\btarget group\b"
)
_PERSONS = re.compile(
    r"\b(målgrupp\w*|representant\w*|roller|chef\w*|medarbetare\w*|personal\w*|anställda"
    r"|ledare|ledning\w*|förvaltare|projektägare\w*|invånare\w*|elever|brukare|mottagare)\b"
)
#: "… enligt DiMiOS?", "… according to the survey?": the words after name the answer's source.
_SOURCE_NAMED = re.compile(
    r"\b(?:enligt|according to)\s+([^?.!,;]+)"
    r"|\b(?:i|in)\s+((?:den |det |the |årets |this year's )?[\w-]*"
    r"(?:mätning|enkät|undersökning|rapport|survey|report)\w*)"
)
#: "Varför ..." is answered by a sentence that gives a reason.
_CAUSAL_Q = re.compile(
    r"\bvarför\b|\bwhy\b|\bvad beror\b|\bvilka skäl\b|\borsak\w*|\bförklar\w*"
    r"|\bligger bakom\b|\banledning\w*|\bwhat (explains|caused|drove|is behind)\b"
)
_CAUSAL = re.compile(
    r"\b(anledning\w*|förklar\w*|eftersom|därför|beror på|orsak\w*|på grund av|skäl\w*"
    r"|i syfte att|speglar|analysen|tack vare|leder till|ledde till|nu när|i och med"
    r"|because|reason\w*|due to|thanks to)\b"
)
#: A length of time: a quantity and a unit ("tre dagar", "ett dygn", "några sekunder", "2 veckor");
#: a bare "år" ("2025 har varit ett år där ...") is not one.
_DURATION = re.compile(
    r"\b(\d+([,.]\d+)?|en|ett|två|tre|fyra|fem|sex|sju|åtta|nio|tio|några|par|halvt?|flera"
    r"|a|an|one|two|three|four|five|few|several|half)"
    r" (sekund|minut|timm|dygn|dag|vecka|veckor|månad|kvartal|second|minute|hour|day|week"
    r"|month|year)\w*"
    r"|\b(\d+([,.]\d+)?|två|tre|fyra|fem|sex|sju|åtta|nio|tio|några|par|halvt?|flera) år\b",
    re.IGNORECASE,
)
#: A question that asks for several things: its answer is a list, often over a few sentences.
_LISTING_Q = re.compile(
    r"\bvilka\b|\bwhich\b|\bwhat (are|were)\b|\bvad (finns|ingår)\b|\bnämn\b|\blista\b"
    r"|\b(typer|sorters|slags|kinds|types)\b|\bbeskriv\b|\bsammanfatta\b|\bsummari[sz]e\b"
)
_HOWMANY = re.compile(
    r"hur många|how many|hur stor|how much|hur hög|how high|\bandel\b|\bprocent\b|\bpercent\w*"
)


def _clean(sentence: str) -> str:
    s = " ".join(sentence.split())
    return s.strip(" •")


def _sentences(text: str) -> list[str]:
    """Sentences of a passage; a line break ends a sentence too (headings stand alone)."""
    out = []
    for paragraph in text.split("\n"):
        flat = " ".join(paragraph.split())
        for s in _SENT_SPLIT.split(flat):
            s = _clean(s)
            if len(s) >= 12:
                out.append(s)
    return out


#: The report itself, named as a source ("enligt rapporten"): every passage is in it.
_THE_REPORT = frozenset({stem("rapporten"), stem("rapport"), "report"})

#: The glossary's phrases ("bra på"), longest first.
_GLOSSARY_PHRASES = sorted((k for k in GLOSSARY if " " in k), key=len, reverse=True)

#: Stems of the glossary's one-word keys and of their words (a compound's last part).
_GLOSSARY_STEMS: dict[str, tuple[str, ...]] = {
    stem(key): tuple(stem(w) for w in tokens(normalize(value)))
    for key, value in GLOSSARY.items()
    if " " not in key and len(key) >= 4
}


def _occurs(s: str, stems: set[str], flat: str) -> float:
    """How well stem ``s`` occurs in a sentence (0 when it does not).

    1 as a word, 0.6 inside a compound, 0.5 as the first part of a compound ("mål" in
    "målbilden") or as its last part ("lag" in "skollagen"), and 0.5 when the word it is derived
    from begins a word ("robot…" for "robotisering").
    """
    if s in stems:
        return 1.0
    if len(s) >= 5 and s in flat:
        return 0.6
    if len(s) >= 3 and f" {s}" in f" {flat}" and re.search(rf"(?<!\w){re.escape(s)}\w{{4,}}", flat):
        return 0.5
    if len(s) >= 3 and re.search(rf"\w{{3,}}{re.escape(s)}(en|et|er|ar|na|erna|arna)?(?!\w)", flat):
        return 0.5
    base = _derived_from(s)
    if base and f" {base}" in f" {flat}":
        return 0.5
    return 0.0


#: "-isering" nouns and "-isera" verbs are made from a base word: "robotisering" from "robot"
#: (a sentence about "robotprocesser" is about it), "automatisering" from "automat".
_DERIVED = re.compile(r"^(\w{4,}?)(isering|iserad|isera|iser)$")


def _derived_from(s: str) -> str | None:
    """The base word a derived stem is made from, or None."""
    m = _DERIVED.match(s)
    return m.group(1) if m else None


def _compound_heads(q_stems: list[str], candidates: Sequence[tuple[set[str], str]]) -> list[str]:
    """Replace question compounds found in no sentence by their longest head that is found.

    Swedish compounds carry their meaning in the last part: "mognadsmätningen" is answered by
    a sentence about "mätningen", "digitaliseringsenheten" by one about "enheten".
    """
    out: list[str] = []
    for s in q_stems:
        if len(s) < 8 or any(_occurs(s, st, fl) for st, fl in candidates):
            out.append(s)
            continue
        head = s
        for i in range(3, len(s) - 4):
            suffix = s[i:]
            if any(suffix in st or f" {suffix}" in f" {fl}" for st, fl in candidates):
                head = suffix
                break
        out.append(head)
    return list(dict.fromkeys(out))


def _synonym_tails(q_stems: list[str], candidates: Sequence[tuple[set[str], str]]) -> list[str]:
    """Replace question compounds found in no sentence whose last part has a synonym.

    "mognadsenkäten" is answered by a sentence about "mätningen": the glossary maps "enkät" to
    the reports' word, and a compound ending in it means what its last part means. The first
    part is kept when some sentence holds it.
    """
    out: list[str] = []
    for s in q_stems:
        if len(s) < 8 or any(_occurs(s, st, fl) for st, fl in candidates):
            out.append(s)
            continue
        replaced: list[str] = []
        for i in range(3, len(s) - 3):
            synonyms = _GLOSSARY_STEMS.get(s[i:])
            if synonyms:
                first = s[:i].rstrip("s")
                replaced = [x for x in (first, *synonyms) if x and x != s[i:]]
                break
        found = [x for x in replaced if any(_occurs(x, st, fl) for st, fl in candidates)]
        out.extend(found or [s])
    return list(dict.fromkeys(out))


def _family_heads(q_stems: list[str], candidates: Sequence[tuple[set[str], str]]) -> list[str]:
    """Replace long question stems found in no sentence by the start they share with a word.

    A word of the same family shares all but its last letters: "robotiseringen" is answered by
    a sentence about "robotprocesser" ("robot"), "handläggningen" by one about "handläggare"
    ("handlägg"). Only stems that occur nowhere are replaced (at least five letters are kept).
    """
    out: list[str] = []
    for s in q_stems:
        if len(s) < 8 or any(_occurs(s, st, fl) for st, fl in candidates):
            out.append(s)
            continue
        head = s[: max(5, len(s) - 4)]
        found = any(f" {head}" in f" {fl}" for _st, fl in candidates)
        out.append(head if found else s)
    return list(dict.fromkeys(out))


_DEFINING = re.compile(
    r"^(vad (är|innebär|betyder|menas med)|what (is|are|does)|vad står .* för)\b"
)
_DEFINITION_VERB = re.compile(
    r"\b(innebär|betyder|är ett|är en|står för|handlar om|definieras|kallas|means|is a)\b"
)
#: "Vilket vägval ...?", "Vilken roll ...?": the noun asked about; a sentence that states it
#: ("Ett vägval handlar om ...", "Målet är att ...") answers the question.
_WHICH_NOUN = re.compile(r"\b(vilk(?:en|et|a)|which|what) (\w{4,})")
_STATES = re.compile(r"^\s*(\w+ ){0,3}(handlar om|är att|innebär|går ut på|is to|is about)\b")


#: Words that ask for a reason, for what the report says or for a year, not what it is about
#: ("Vad förklarar att ...", "Vad ligger bakom ...", "Vad lyfts fram som ...", "Hur ser det ut
#: förra året?").
_ASKING_WORDS = frozenset(
    """
    förklarar förklara förklaras förklaring förklaringen förklaringar anledning anledningen
    anledningar orsak orsaken orsaker orsakade beror berodde bakom ligger låg drev drivit drog
    lyfts lyfter lyft fram nämns beskrivs skriver tar tas explain explains explanation reason
    reasons cause caused causes behind drove driven ser förra föregående fjol fjolåret
    gett givit gav
    """.split()
)


def _question_stems(question: str) -> list[str]:
    """Content stems of the question; English words also as their Swedish counterparts."""
    out: list[str] = []
    # two-letter acronyms ("AI", "IT") carry the topic; other short words do not
    acronyms = {a.lower() for a in re.findall(r"(?<!\w)[A-ZÅÄÖ]{2}(?!\w)", question)}
    norm, phrases = _glossary_phrases(normalize(question))
    for phrase in phrases:
        out.extend(stem(x) for x in tokens(normalize(GLOSSARY[phrase])))
    for w in tokens(norm):
        if (len(w) <= 2 and w not in acronyms) or w in QUESTION_STOPWORDS or w.isdigit():
            continue
        if w in _ASKING_WORDS:
            continue
        if w in GLOSSARY:
            out.extend(stem(x) for x in tokens(normalize(GLOSSARY[w])))
        else:
            out.append(stem(w))
    return list(dict.fromkeys(out))


def asks_who(question: str) -> bool:
    """Whether the question asks who ("Vem skickas enkäten till?", "vilka fick den", "who")."""
    return bool(_WHO_Q.search(normalize(question)))


def asks_reason(question: str) -> bool:
    """Whether the question asks why ("Varför ...", "Vad förklarar ...", "What drove ...")."""
    return bool(_CAUSAL_Q.search(normalize(question)))


def _glossary_keys(question: str) -> list[str]:
    """The glossary entries the question uses: its phrases, then its words."""
    norm, phrases = _glossary_phrases(normalize(question))
    return [*phrases, *(w for w in tokens(norm) if w in GLOSSARY)]


def _glossary_groups(question: str) -> list[frozenset[str]]:
    """The stems of each glossary entry the question uses (alternatives of one another)."""
    return [
        frozenset(stem(x) for x in tokens(normalize(GLOSSARY[k])))
        for k in _glossary_keys(question)
        if len(GLOSSARY[k].split()) > 1
    ]


def _glossed_stems(question: str) -> set[str]:
    """The stems of the reports' words for the question's own ("challenges" → "utmaning").

    A word that is its own translation ("transformation") is left out.
    """
    return {
        stem(x)
        for k in _glossary_keys(question)
        for x in tokens(normalize(GLOSSARY[k]))
        if stem(x) not in {stem(w) for w in tokens(k)}
    }


def _glossary_phrases(norm: str) -> tuple[str, list[str]]:
    """The glossary phrases in a normalised question, and the question without them.

    In "vad är vi bra på" the phrase, not each word, has the reports' counterpart.
    """
    found: list[str] = []
    for phrase in _GLOSSARY_PHRASES:
        if re.search(rf"\b{phrase}\b", norm):
            found.append(phrase)
            norm = re.sub(rf"\b{phrase}\b", " ", norm)
    return norm, found


def question_stems(question: str, min_len: int = 4) -> list[str]:
    """The question's content stems of ``min_len`` letters or more (glossary applied)."""
    return [s for s in _question_stems(question) if len(s) >= min_len]


def held_stems(stems: Sequence[str], text: str) -> list[str]:
    """The stems that occur in a word of ``text`` (a compound holds its parts)."""
    flat = " ".join(tokens(normalize(text)))
    return [s for s in stems if s in flat]


def _untranslated_english(norm_question: str) -> set[str]:
    """Stems of the English words of an English question that have no Swedish counterpart."""
    words = tokens(norm_question)
    if not is_english(words):
        return set()
    return {stem(w) for w in words if w not in GLOSSARY and w not in QUESTION_STOPWORDS}


@dataclass(frozen=True)
class _Sentence:
    """One sentence of a hit, analysed once."""

    text: str
    stems: frozenset[str]
    flat: str
    heading: bool
    context: frozenset[str]  # stems of the heading above it within the hit
    para: int  # the paragraph of the hit it belongs to
    under: str = ""  # the heading line above it within the hit, normalised ("" when none)


@dataclass(frozen=True)
class Quote:
    """A window of adjacent sentences of one hit, chosen to answer a question."""

    text: str
    hit: dict[str, Any]
    coverage: float
    #: For a listing question, the sub-headings that follow the quote in its section (the
    #: items a sentence like "flera initiativ som finansierats av Framtidsfonder." announces).
    follows: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuoteChoice:
    """The chosen quotes and how well the best covers the question.

    ``weak`` means the best passage covers less of the question than a confident answer needs:
    the caller quotes it with a hedge (or says it found nothing when even that is empty).
    """

    quotes: tuple[Quote, ...]
    weak: bool = False


#: Weights of the quote score, named (see :func:`choose_quotes`).
RANK_BONUS = 0.4  # / (hit rank + 1)
WINDOW_PENALTY = 0.35  # per extra sentence in the window
EMBEDDER_BONUS = (0.8, 0.4, 0.2)  # the hit's 1st, 2nd, 3rd sentence by cosine, / (rank + 1)
HEADING_CONTEXT = 0.5  # a question stem found only in the heading above the window
HEADING_NAMED = 3.0  # the window is under a sub-heading the question names ("Datadriven kommun")
DATE_BONUS = 1.0
NUMBER_BONUS = 0.6
DURATION_BONUS = 2.5
DEFINITION_BONUS = 1.0
NORMATIVE_BONUS = 0.5
WHO_BONUS = 1.5
CAUSAL_BONUS = 1.0
STANCE_BONUS = 1.0
SHORT_PENALTY = 0.5  # a window under 40 characters
#: The figure a why-question is about named in the window or in the SUBJECT_REACH sentences of
#: its passage before it ("Årets resultatindikator ... genomförandekapacitet ..." + "Vi har
#: alltså vänt trenden uppåt igen ...").
SUBJECT_BONUS = 1.0
SUBJECT_REACH = 2
#: The opening sentence of a section that states a method ("Nyttorealisering … mäter vi genom
#: vårt nyttoregister …"), for a question on how a figure is computed.
LEAD_BONUS = 1.0
#: Coverage of the question the best window needs for a confident answer, and (below it) for
#: a hedged one; a question whose specific words occur in no passage needs OFF_TOPIC_COVERAGE.
NEEDED_COVERAGE = 0.2
NEEDED_COVERAGE_SHORT = 0.25
OFF_TOPIC_COVERAGE = 0.55
HEDGE_COVERAGE = 0.3
#: A question in other words than the report's ("papper och penna" for its "analoga
#: arbetssätt") covers no passage lexically; when the top hit's best sentence is this near to it
#: by the embedder (cosine), that passage is quoted with the hedge instead of "not found".
#: Measured on 185 answerable text and method questions of the development sets and 40
#: off-topic municipal questions (`scripts/measure_nearest.py`): of the ones no window covers,
#: 15 of 16 answerable and 1 of 25 off-topic reach it.
NEAREST_SIMILARITY = 0.86
NEAREST_HITS = 3
MAX_WINDOW = 2  # sentences in a scored window; completion may add neighbours
MAX_QUOTE = 4  # sentences in a completed quote
#: A quote is widened over the rest of its paragraph up to these sizes; a question that asks
#: for several things ("Vilka ...?") also over the following paragraphs of its section.
PARAGRAPH_SENTENCES = 4
PARAGRAPH_CHARS = 650
LIST_SENTENCES = 6
LIST_CHARS = 1000

#: A sentence that leans on the one before it ("Det innebär att ...", "Nu ...", "Dessa ...").
_LEANS_BACK = re.compile(
    r"^(det (innebär|betyder|gör|handlar|ger|medför)|detta|dessa|denna|nu\b|idag|i dag|numera"
    r"|därför|dvs|alltså|då\b|det kan (till exempel|t ex|exempelvis)|till exempel\b|exempelvis\b"
    r"|t ex\b|därtill\b|dessutom\b|utöver (det|detta)\b|här (behöver|måste|krävs|finns)\b)",
    re.IGNORECASE,
)
#: A sentence that needs the next one ("Tidigare ..." is followed by "Nu ...", a colon by a list).
_LEANS_FORWARD = re.compile(r"^tidigare\b|:$", re.IGNORECASE)


#: A numbered section heading ("6.4. Metodik för …"): a new section, not an item of this one.
_NUMBERED = re.compile(r"^\d+(\.\d+)*\.?\s")
#: At most this many sub-headings are listed after a quote.
MAX_FOLLOWING_HEADINGS = 8


def _headings_after(sents: Sequence[_Sentence], end: int) -> tuple[str, ...]:
    """The sub-headings right after a quote that ends a section's introduction.

    Up to the next numbered section or question heading; empty when the quote is not followed
    by a heading, or by only one.
    """
    if end >= len(sents) or not sents[end].heading:
        return ()
    out: list[str] = []
    for x in sents[end:]:
        if x.heading:
            if _NUMBERED.match(x.text) or x.text.endswith("?"):
                break
            out.append(x.text.strip())
            if len(out) >= MAX_FOLLOWING_HEADINGS:
                break
    return tuple(out) if len(out) >= 2 else ()


def headings_in_section(quote: Quote, section_text: str) -> tuple[str, ...]:
    """The sub-headings after ``quote`` in its whole section (``section_text``, in order).

    A list of sub-headings a quote announces can run on into the section's next passage
    ("Datadriven kommun" after "Breddinförande av digital post"); :attr:`Quote.follows` holds only
    those of the quoted passage. Falls back to them when the quote is not found in the text.
    """
    sents = _analyse({"text": section_text, "title": quote.hit.get("title")})
    last = _analyse({"text": quote.text})[-1:]
    ends = [i for i, x in enumerate(sents) if last and _same(x.text, last[0].text)]
    if not ends:
        return quote.follows
    found = _headings_after(sents, ends[0] + 1)
    return found if len(found) > len(quote.follows) else quote.follows


_LINK = re.compile(r"https?://|www\.")


def _is_heading(line: str) -> bool:
    """Whether a line on its own is a heading (short, no end mark) or a question heading.

    A short question on its own line ("Vilka är våra styrkor?") is answered by the text below.
    """
    if _LINK.search(line):
        return False  # a link on its own line (under a section) names no topic
    if len(line) <= 60 and line.endswith("?"):
        return True
    return len(line) <= 90 and not re.search(r"[.!?:;”\"»)]$", line) and len(line.split()) <= 12


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in tokens(normalize(text)))


@lru_cache(maxsize=1024)
def _heading_stems(heading: str) -> frozenset[str]:
    """A heading's content stems ("Vilka är våra styrkor?" → {"styrk"})."""
    return frozenset(stem(w) for w in tokens(normalize(heading)) if w not in QUESTION_STOPWORDS)


def _analyse(hit: dict[str, Any]) -> list[_Sentence]:
    """The hit's sentences; each carries the section title and the heading above it as context."""
    out: list[_Sentence] = []
    section = _stems(str(hit.get("title") or ""))
    context: frozenset[str] = section
    under = ""
    for para, paragraph in enumerate(str(hit.get("text", "")).split("\n")):
        flat_par = " ".join(paragraph.split())
        parts = [_clean(x) for x in _SENT_SPLIT.split(flat_par)]
        # fragments are dropped, but a short heading on its own line still ends a section
        whole = len(parts) == 1 and len(parts[0]) >= 3 and _is_heading(parts[0])
        parts = [x for x in parts if len(x) >= 12 or whole]
        for x in parts:
            words = tokens(normalize(x))
            stems = frozenset(stem(w) for w in words)
            heading = len(parts) == 1 and _is_heading(x)
            out.append(_Sentence(x, stems, " ".join(words), heading, context, para, under))
            if heading:
                context = section | stems
                under = " ".join(words)
    return out


def _same(a: str, b: str) -> bool:
    """Whether two renderings of a sentence are the same sentence (whitespace, bullets aside)."""
    x, y = " ".join(a.split()).strip(" •"), " ".join(b.split()).strip(" •")
    return bool(x and y) and (x == y or (len(x) > 30 and (x in y or y in x)))


def choose_quotes(
    question: str,
    hits: Sequence[dict[str, Any]],
    max_quotes: int = 2,
    min_coverage: float = 0.0,
    hedge: bool = False,
    subject: re.Pattern[str] | None = None,
    lead: int | None = None,
) -> QuoteChoice:
    """Pick the sentence window(s) of ``hits`` that best answer ``question``.

    Candidates are windows of one to three adjacent sentences of a hit (headings are context,
    never quoted). A window scores the question's content stems it holds, weighted by how rare
    they are among all sentences (compound words match by substring; a stem found only in the
    heading above counts :data:`HEADING_CONTEXT`), plus bonuses for the hit's rank, for holding
    the sentences the embedder found nearest to the question, and for the kind of information
    asked for (a date for "när", a number for "hur många", a duration, a definition, a reason),
    for naming the ``subject`` (a figure's words) in the window or just before it, and for
    opening its section (``lead``: the hit whose first sentence opens it).
    The chosen window is completed where a sentence leans on its neighbour ("Tidigare ..."
    + "Nu ...", "... kallas X." + "Det innebär ..."). The best window must cover a fair share
    of the question (more when specific words of the question occur in no passage); with
    ``hedge``, a best window between :data:`HEDGE_COVERAGE` and that share is returned as weak.
    """
    q_stems = _question_stems(question)
    if not q_stems:
        return QuoteChoice(())
    norm_q = normalize(question)
    foreign = _untranslated_english(norm_q)
    wants_date = bool(_WHEN.search(norm_q))
    wants_number = bool(_HOWMANY.search(norm_q))
    defining = bool(_DEFINING.search(norm_q))
    which = _WHICH_NOUN.search(norm_q)
    asked_noun = stem(which.group(2)) if which else None
    wants_duration = bool(_DURATION_Q.search(norm_q))
    normative = bool(_NORMATIVE_Q.search(norm_q))
    who = asks_who(norm_q)
    causal = bool(_CAUSAL_Q.search(norm_q))
    stance = not causal and bool(_STANCE_Q.search(norm_q))
    marker = _CAUSAL if causal else _STANCE if stance else None
    listing = bool(_LISTING_Q.search(norm_q))
    per_hit = [_analyse(hit) for hit in hits]
    singles = [x for sents in per_hit for x in sents if not x.heading]
    if not singles:
        return QuoteChoice(())
    n = len(singles)
    analysed = [(set(c.stems), c.flat) for c in singles]
    q_stems = _family_heads(_synonym_tails(_compound_heads(q_stems, analysed), analysed), analysed)
    idf: dict[str, float] = {}
    for s in q_stems:
        df = sum(1 for c in singles if _occurs(s, set(c.stems), c.flat))
        idf[s] = math.log(1 + n / (1 + df)) if df else 0.0
    # a glossary entry's words are alternatives ("bra på" → "styrkor", "starka"): one found is
    # enough, the others neither count against coverage nor mark the passages as off topic
    groups = _glossary_groups(question)
    for group in groups:
        if any(idf.get(x) for x in group):
            q_stems = [x for x in q_stems if x not in group or idf.get(x)]
    # "enligt DiMiOS", "according to the survey": the source the answer comes from; a passage
    # about it holds the name somewhere, not necessarily in the sentence that answers
    named = _SOURCE_NAMED.search(question.lower())  # before normalising: the comma ends it
    source = (
        {
            x
            for x in q_stems
            if any(x in y or y in x for y in _question_stems(named.group(1) or named.group(2)))
        }
        if named
        else set()
    )
    # "enligt rapporten": every passage is the report's
    q_stems = [x for x in q_stems if not (x in source and x in _THE_REPORT)]
    source -= _THE_REPORT
    # English words without a Swedish counterpart cannot occur in a Swedish report: they
    # neither count against coverage nor mark the passages as off topic
    unmatched_foreign = {s for s in q_stems if s in foreign and idf[s] == 0.0}
    # "Varför sjönk nyttan?": the passage that gives the reason need not repeat the change word
    moved = {stem(w) for w in tokens(norm_q) if UP_WORDS.fullmatch(w) or DOWN_WORDS.fullmatch(w)}
    unmatched_foreign |= {s for s in q_stems if s in moved and idf[s] == 0.0}
    # a glossary entry's words found in the passages are one concept ("problem" / "utmaningar"):
    # the best of them counts, once
    concept = {
        s: min(group)
        for group in (g & set(q_stems) for g in groups)
        if len(group) > 1
        for s in group
    }
    # the report's word for a word of the question ("problem" → "utmaningar") as a heading: the
    # section the question asks for
    glossed = set(q_stems) & _glossed_stems(question)
    concepts = {concept.get(s, s) for s in q_stems if s not in unmatched_foreign}
    total = len(concepts) * math.log(1 + n) or 1.0
    Window = tuple[float, float, int, int, int, int]  # score, coverage, order, rank, start, end
    scored: list[Window] = []
    order = 0
    for rank, sents in enumerate(per_hit):
        nearest = [t for t, *_ in _best_of(hits[rank])]
        whole = " ".join(x.flat for x in sents)
        in_hit = {x for x in source if x in whole}
        named_at = [bool(subject and subject.search(x.flat)) for x in sents]
        title = _heading_stems(str(hits[rank].get("title") or ""))
        for start in range(len(sents)):
            for end in range(start + 1, min(start + MAX_WINDOW, len(sents)) + 1):
                window = sents[start:end]
                if any(x.heading for x in window):
                    break
                order += 1
                stems = set().union(*(x.stems for x in window))
                flat = " ".join(x.flat for x in window)
                text = " ".join(x.text for x in window)
                context = window[0].context
                best: dict[str, float] = {}
                for s in q_stems:
                    weight = _occurs(s, stems, flat)
                    if not weight and (s in in_hit or (s in source and s in context)):
                        weight = 1.0  # the source named, elsewhere in its passage
                    elif not weight and s in context:
                        weight = HEADING_CONTEXT
                    if weight:
                        key = concept.get(s, s)
                        best[key] = max(best.get(key, 0.0), weight * idf[s])
                if not best:
                    continue
                matched = sum(best.values())
                coverage = matched / total
                score = matched + RANK_BONUS / (rank + 1) - WINDOW_PENALTY * (end - start - 1)
                for place, near in enumerate(nearest[: len(EMBEDDER_BONUS)]):
                    if any(_same(x.text, near) for x in window):
                        score += EMBEDDER_BONUS[place] / (rank + 1)
                        break
                if wants_date and _DATE_RE.search(text):
                    score += DATE_BONUS
                if wants_number and _DIGIT_RE.search(text):
                    score += NUMBER_BONUS
                if wants_duration and _DURATION.search(text):
                    # "hur lång tid / hur mycket snabbare": only a duration answers it
                    score += DURATION_BONUS
                if defining and (
                    _DEFINITION_VERB.search(" ".join(text.split()[:6]).lower())
                    or _names_so_called(flat, q_stems)
                ):
                    score += DEFINITION_BONUS
                elif asked_noun and _states(asked_noun, window):
                    score += DEFINITION_BONUS
                if who and _PERSONS.search(flat):
                    score += WHO_BONUS
                if normative and _NORMATIVE.search(flat):
                    score += NORMATIVE_BONUS
                if causal and _CAUSAL.search(flat):
                    score += CAUSAL_BONUS
                if stance and _STANCE.search(flat):
                    score += STANCE_BONUS
                if len(text) < 40:
                    score -= SHORT_PENALTY
                under = _heading_stems(window[0].under)
                if _names_heading(norm_q, window[0].under) or any(
                    t and t <= glossed for t in (title, under)
                ):
                    score += HEADING_NAMED
                if any(named_at[max(0, start - SUBJECT_REACH) : end]):
                    score += SUBJECT_BONUS
                if rank == lead and start == 0:
                    score += LEAD_BONUS
                scored.append((score, coverage, order, rank, start, end))
    if not scored:
        return _nearest(hits, per_hit, listing, 0.0, marker) if hedge else QuoteChoice(())
    scored.sort(key=lambda t: (-t[0], t[2]))
    best_score, best_cov = scored[0][0], scored[0][1]
    needed = NEEDED_COVERAGE if len(q_stems) >= 3 else NEEDED_COVERAGE_SHORT
    missing = [s for s in q_stems if idf[s] == 0.0 and len(s) >= 5 and s not in unmatched_foreign]
    if missing and len(missing) * 2 >= len(q_stems):
        # Specific words of the question occur in none of the passages: likely off topic.
        needed = OFF_TOPIC_COVERAGE
    needed = max(needed, min_coverage)
    weak = best_cov < needed
    if weak and not (hedge and best_cov >= HEDGE_COVERAGE):
        return _nearest(hits, per_hit, listing, best_cov, marker) if hedge else QuoteChoice(())
    floor = min(needed, best_cov)
    picked: list[Quote] = []
    used: set[tuple[int, int]] = set()
    for score, cov, _o, rank, start, end in scored:
        if len(picked) >= max_quotes:
            break
        if picked and (score < 0.8 * best_score or cov < floor):
            break
        start, end = _widen(per_hit[rank], *_complete(per_hit[rank], start, end), listing)
        if causal:
            end = _through_reason(per_hit[rank], start, end)
        span = {(rank, j) for j in range(start, end)}
        if span & used:
            continue
        text = " ".join(x.text for x in per_hit[rank][start:end])
        if any(_same(text, q.text) for q in picked):
            continue  # the same sentences in an overlapping passage
        used |= span
        follows = _headings_after(per_hit[rank], end) if listing and not picked else ()
        picked.append(Quote(text, hits[rank], cov, follows))
    if marker is not None and picked:
        pool = _Pool(scored, per_hit, hits, used)
        picked = _add_reason(picked, pool, max_quotes, marker)
    return QuoteChoice(tuple(picked), weak)


#: "… är så kallade tröskelinvesteringar. Det kan handla om …": a term introduced by name.
_SO_CALLED = re.compile(r"\b(så kallad\w*|s k|so called|so-called) (\w+)")


def _names_so_called(flat: str, q_stems: Sequence[str]) -> bool:
    """Whether the text introduces a term the question asks about ("så kallade X")."""
    return any(stem(m.group(2)) in q_stems for m in _SO_CALLED.finditer(flat))


def _names_heading(norm_question: str, heading: str) -> bool:
    """Whether the question names a sub-heading of the report by its words, in order.

    "satsningen Datadriven kommun" names the heading "Datadriven kommun" (two words or more).
    """
    return heading.count(" ") >= 1 and f" {heading} " in f" {norm_question} "


def _states(noun: str, window: Sequence[_Sentence]) -> bool:
    """Whether a sentence of the window states what ``noun`` is ("Ett vägval handlar om ...")."""
    for x in window:
        if noun not in x.stems:  # no word of the sentence has that stem
            continue
        words = x.flat.split()
        for i, w in enumerate(words):
            if stem(w) == noun and _STATES.match(" ".join(words[i + 1 : i + 6])):
                return True
    return False


def _nearest(
    hits: Sequence[dict[str, Any]],
    per_hit: Sequence[Sequence[_Sentence]],
    listing: bool,
    coverage: float,
    marker: re.Pattern[str] | None = None,
) -> QuoteChoice:
    """The nearest passage's sentences by the embedder, as a hedged answer.

    The passage is the top hit when its best sentence is at least :data:`NEAREST_SIMILARITY`
    near to the question (see there), else the nearest of the next hits (up to
    :data:`NEAREST_HITS`) that is; each of its two nearest sentences is widened over its
    paragraph like any quote. For a why or stance question (``marker``: :data:`_CAUSAL`,
    :data:`_STANCE`) the passage's first sentence that gives a reason or concludes is added when
    the nearest hold none.
    """

    def similarity(i: int) -> float:
        value = hits[i].get("similarity")
        return float(value) if isinstance(value, (int, float)) else 0.0

    if not hits:
        return QuoteChoice(())
    best = 0
    if similarity(0) < NEAREST_SIMILARITY:
        best = max(range(min(NEAREST_HITS, len(hits))), key=lambda i: (similarity(i), -i))
    if similarity(best) < NEAREST_SIMILARITY:
        return QuoteChoice(())
    sents = per_hit[best]
    picked: list[Quote] = []
    used: set[int] = set()
    for near, _score in _best_of(hits[best])[:2]:
        at = next((i for i, x in enumerate(sents) if not x.heading and _same(x.text, near)), None)
        if at is None or at in used:
            continue
        start, end = _widen(sents, *_complete(sents, at, at + 1), listing)
        if used & set(range(start, end)):
            continue
        used.update(range(start, end))
        picked.append(Quote(" ".join(x.text for x in sents[start:end]), hits[best], coverage))
    if marker is not None and picked and not any(marker.search(normalize(q.text)) for q in picked):
        reason = _marked_sentence(hits, per_hit, best, used, marker, coverage)
        if reason is not None:
            picked.append(reason)
    return QuoteChoice(tuple(picked), weak=True) if picked else QuoteChoice(())


def _marked_sentence(
    hits: Sequence[dict[str, Any]],
    per_hit: Sequence[Sequence[_Sentence]],
    best: int,
    used: set[int],
    marker: re.Pattern[str],
    coverage: float,
) -> Quote | None:
    """The first sentence of hit ``best`` (else of another part of its section) that matches."""
    same = [
        i
        for i, h in enumerate(hits)
        if i != best
        and h.get("source") == hits[best].get("source")
        and h.get("section") == hits[best].get("section")
    ]
    for i in (best, *same):
        sents = per_hit[i]
        for j, x in enumerate(sents):
            if (i == best and j in used) or x.heading or not marker.search(normalize(x.text)):
                continue
            start, end = _complete(sents, j, j + 1)
            return Quote(" ".join(y.text for y in sents[start:end]), hits[i], coverage)
    return None


#: A reason is looked for this many sentences after a quote, in its paragraph.
REASON_REACH = 3


def _through_reason(sents: Sequence[_Sentence], start: int, end: int) -> int:
    """For "Varför ...?": a quote that states the fact runs on to the reason in its paragraph.

    "... återgå till samma profil som 2023. Analysen här är att ... i syfte att spara pengar.":
    the sentence that gives the reason is included, within the listing sizes; without one the
    quote ends where it did.
    """
    if _CAUSAL.search(normalize(" ".join(x.text for x in sents[start:end]))):
        return end
    for j in range(end, min(end + REASON_REACH, len(sents))):
        x = sents[j]
        if x.heading or x.para != sents[end - 1].para:
            break
        if sum(len(y.text) + 1 for y in sents[start : j + 1]) > LIST_CHARS:
            break
        if _CAUSAL.search(normalize(x.text)):
            return j + 1
    return end


@dataclass(frozen=True)
class _Pool:
    """The windows scored for a question and what they are windows of (for added quotes)."""

    scored: Sequence[tuple[float, float, int, int, int, int]]
    per_hit: Sequence[Sequence[_Sentence]]
    hits: Sequence[dict[str, Any]]
    used: set[tuple[int, int]]


def _add_reason(
    picked: list[Quote], pool: _Pool, max_quotes: int, marker: re.Pattern[str] = _CAUSAL
) -> list[Quote]:
    """For "Varför ...?": the best sentences state the fact; add the one that gives the reason.

    (With ``marker`` :data:`_STANCE`, for a question about the report's stance: the sentence
    that concludes or recommends.)

    The reason is looked for first in the passage of the best quote (a report gives the reason
    next to the fact: "... slutförs i högre grad enligt plan. Nu när objektförvaltningen ...")
    and then anywhere. Without any reason among the quotes it replaces the last one; when only
    another passage's quote gives a reason, the best passage's own reason is added to it.
    """
    scored, per_hit, hits, used = pool.scored, pool.per_hit, pool.hits, pool.used
    is_reason = [bool(marker.search(normalize(q.text))) for q in picked]
    best_hit = picked[0].hit
    if any(r and q.hit is best_hit for r, q in zip(is_reason, picked, strict=True)):
        if marker is _CAUSAL:
            return _referred_reason(picked, pool, max_quotes)
        return picked
    first = next(i for i, h in enumerate(hits) if h is best_hit)
    windows = sorted(scored, key=lambda t: (t[3] != first, -t[0], t[2]))
    for _score, cov, _o, rank, start, end in windows:
        if any(is_reason) and rank != first:
            break
        span = {(rank, j) for j in range(start, end)}
        text = " ".join(x.text for x in per_hit[rank][start:end])
        if span & used or cov <= 0 or not marker.search(normalize(text)):
            continue
        reason = Quote(text, hits[rank], cov)
        if not any(is_reason) and len(picked) >= max_quotes:
            picked[-1] = reason
        elif len(picked) > max_quotes:
            picked[-1] = reason
        else:
            picked.append(reason)
        break
    return picked


#: A reason given by pointing at another one: "kan förklaras med samma grund som balansen mellan
#: operativt och strategiskt" (the words after "som" name what the other passage is about).
_SAME_REASON = re.compile(
    r"\bsamma (?:grund|skäl|anledning|orsak)\w* som (?P<what>[^,.;:–]+)"
    r"|\bsame reasons? as (?P<en>[^,.;:–]+)"
)


def _section_key(hit: dict[str, Any]) -> tuple[int, ...]:
    """A hit's section number as a sortable key ("6.1.2" -> (6, 1, 2); none -> ())."""
    return tuple(int(n) for n in re.findall(r"\d+", str(hit.get("section") or "")))


#: Stems of the question stopwords (what a referred-to reason's name needs no word of).
_STOPWORD_STEMS = frozenset(stem(w) for w in QUESTION_STOPWORDS)


def _referred_reason(picked: list[Quote], pool: _Pool, max_quotes: int) -> list[Quote]:
    """A quoted reason that points at another ("samma grund som …") brings the one it means.

    The reason pointed at was given before: it is the window of an earlier section of the same
    document (the nearest first, then the best) that gives a reason and holds a word of what the
    quote names ("balansen mellan operativt och strategiskt"); it is added after the quote, or
    replaces the last quote when there is no room.
    """
    scored, per_hit, hits, used = pool.scored, pool.per_hit, pool.hits, pool.used
    refs = [_SAME_REASON.search(normalize(q.text)) for q in picked]
    ref = next((m for m in refs if m is not None), None)
    if ref is None:
        return picked
    named = {stem(w) for w in tokens(ref.group("what") or ref.group("en") or "")}
    named -= _STOPWORD_STEMS
    quoted = {q.hit.get("text") for q in picked}
    here = picked[0].hit
    before = [
        t
        for t in scored
        if hits[t[3]].get("source") == here.get("source")
        and _section_key(hits[t[3]]) < _section_key(here)
    ]
    for _score, cov, _o, rank, start, end in sorted(
        before, key=lambda t: (_section_key(hits[t[3]]), t[0]), reverse=True
    ):
        window = per_hit[rank][start:end]
        span = {(rank, j) for j in range(start, end)}
        text = " ".join(x.text for x in window)
        if hits[rank].get("text") in quoted or span & used or cov <= 0:
            continue
        if not _CAUSAL.search(normalize(text)):
            continue
        if not named & frozenset().union(*(x.stems for x in window)):
            continue
        reason = Quote(text, hits[rank], cov)
        if len(picked) >= max_quotes:
            picked[-1] = reason
        else:
            picked.append(reason)
        break
    return picked


def _best_of(hit: dict[str, Any]) -> list[tuple[str, float]]:
    """The hit's sentences nearest to the query by the embedder (strings or [text, score])."""
    out: list[tuple[str, float]] = []
    for item in hit.get("best_sentences") or ():
        if isinstance(item, str):
            out.append((item, 0.0))
        elif isinstance(item, (list, tuple)) and item:
            out.append((str(item[0]), float(item[1]) if len(item) > 1 else 0.0))
    return out


def _complete(sents: Sequence[_Sentence], start: int, end: int) -> tuple[int, int]:
    """Widen a window over sentences that lean on a neighbour (at most :data:`MAX_QUOTE`).

    The sentence before is added when the window's first sentence leans back on it ("Det
    innebär ...", "Nu ..."); the sentence after while the last leans forward ("Tidigare ...",
    a colon) or the next leans back, and once for a window of one short sentence.
    """
    if start > 0 and not sents[start - 1].heading and _LEANS_BACK.search(sents[start].text):
        start -= 1
    short = end - start == 1 and len(sents[start].text) < 100
    while end < len(sents) and end - start < MAX_QUOTE and not sents[end].heading:
        last, nxt = sents[end - 1].text, sents[end].text
        if not (_LEANS_FORWARD.search(last) or _LEANS_BACK.search(nxt) or short):
            break
        short = False
        end += 1
    return start, end


def _widen(sents: Sequence[_Sentence], start: int, end: int, listing: bool) -> tuple[int, int]:
    """Widen a window over the rest of its paragraph, the sentences after it first.

    A report states a point over a paragraph: the sentence that matches the question is often
    followed by the one that completes it ("... målbilden är att 80% ..." + "Syftet är ...")
    or preceded by the one that names the subject. Up to :data:`PARAGRAPH_SENTENCES` and
    :data:`PARAGRAPH_CHARS`; with ``listing`` the following paragraphs of the same section are
    added too, up to :data:`LIST_SENTENCES` and :data:`LIST_CHARS` (never across a heading).
    """
    sizes = (LIST_SENTENCES, LIST_CHARS) if listing else (PARAGRAPH_SENTENCES, PARAGRAPH_CHARS)

    def fits(a: int, b: int, most: int = sizes[0], chars: int = sizes[1]) -> bool:
        return b - a <= most and sum(len(x.text) + 1 for x in sents[a:b]) <= chars

    def same_para(i: int, j: int) -> bool:
        return sents[i].para == sents[j].para and not sents[i].heading

    while end < len(sents) and same_para(end, end - 1) and fits(start, end + 1):
        end += 1
    while start > 0 and same_para(start - 1, start) and fits(start - 1, end):
        start -= 1
    while listing and end < len(sents) and not sents[end].heading and fits(start, end + 1):
        end += 1
    # a next paragraph that leans back ("Här behöver kommunen ...", "Därtill ...") continues
    # the point: it is added whole, within the listing sizes
    if end < len(sents) and not sents[end].heading and _LEANS_BACK.search(sents[end].text):
        while (
            end < len(sents)
            and fits(start, end + 1, LIST_SENTENCES, LIST_CHARS)
            and (_LEANS_BACK.search(sents[end].text) or same_para(end, end - 1))
        ):
            end += 1
    return start, end


#: "Vad betyder SDK?", "Vad står NIS2 för?", "What does SDK stand for?"
_ACRONYM_Q = re.compile(
    r"\b(vad (betyder|står|innebär|är)|vad menas med|what (does|is)|meaning of|stand for)\b",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,6})(?![\w-])")


def asked_acronym(question: str) -> str | None:
    """The acronym a question asks the meaning of ("Vad betyder SDK?" -> "SDK"), if any."""
    if not _ACRONYM_Q.search(question):
        return None
    found = _ACRONYM.findall(question)
    return found[0] if len(found) == 1 else None


def expand_acronym(
    acronym: str, hits: Sequence[dict[str, Any]]
) -> tuple[str, dict[str, Any]] | None:
    """The words that spell ``acronym`` right beside it in a passage, and that passage.

    "SDK, Säker digital kommunikation" and "Säker digital kommunikation (SDK)" both give
    "Säker digital kommunikation": as many words as the acronym has letters, with its initials.
    """
    n = len(acronym)
    want = acronym.lower()
    word = r"[^\W\d_][\w-]*"
    after = re.compile(
        rf"(?<![\w-]){re.escape(acronym)}(?![\w-])\s*[,(:–-]?\s*((?:{word}\s+){{{n - 1}}}{word})"
    )
    before = re.compile(rf"((?:{word}\s+){{{n - 1}}}{word})\s*\(\s*{re.escape(acronym)}\s*\)")
    for hit in hits:
        text = " ".join(str(hit.get("text", "")).split())
        for rx in (before, after):
            for m in rx.finditer(text):
                words = m.group(1).split()
                if "".join(w[0] for w in words).lower() == want:
                    return " ".join(words), hit
    return None


def best_sentences(
    question: str,
    hits: Sequence[dict[str, Any]],
    max_quotes: int = 2,
    min_coverage: float = 0.0,
) -> list[tuple[str, dict[str, Any]]]:
    """The confident quotes of :func:`choose_quotes` as (text, hit) pairs (empty: none)."""
    choice = choose_quotes(question, hits, max_quotes=max_quotes, min_coverage=min_coverage)
    return [(q.text, q.hit) for q in choice.quotes]
