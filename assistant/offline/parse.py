"""Understanding a question well enough to call the right tools (the offline responder's parser).

Deterministic and rule based, for Swedish and English questions:

1. :func:`parse` normalises the question (lower case, punctuation out, Swedish Snowball stems) and
   finds what it mentions: figures by alias ("index", "mognad", "DiMiOS", "svarsfrekvens",
   "response rate" ...), years (also "i år", "förra året", "sedan 2023"), an objekt, portfolio
   filters ("strategiska", "interna", "genomförda"), and cue words (comparison, list, count, most).
2. :func:`resolve` turns the parsed question, and the context of the previous question in the
   conversation, into an :class:`Intent`: what kind of answer and with which parameters.

Follow-ups ("och 2024?", "vilket objekt hade flest?", "vilka av dem var strategiska?") take what
they do not say from the previous question.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from assistant.lang.stopwords import QUESTION_STOPWORDS
from assistant.lang.text import DiacriticRestorer, is_english, normalize, stem, tokens

if TYPE_CHECKING:
    from assistant.offline.router import Route


# -- vocabulary ----------------------------------------------------------------------------

#: (pattern, figure key, strong?) in priority order; patterns run on the normalised question.
FIGURE_PATTERNS: list[tuple[str, str, bool]] = [
    (
        r"svarsfrekvens\w*|response rates?|svarsandel\w*|andel (som )?svara\w*",
        "dimios_svarsfrekvens",
        True,
    ),
    (r"hur många (procent|%) svarade|hur stor andel svarade", "dimios_svarsfrekvens", True),
    (
        r"mottagare\w*|recipients?|skickades\b( [\w-]+){0,3} till|hur många fick|\breceived\b"
        r"|\btill hur många (personer|medarbetare|chefer|mottagare)\b"
        r"|\btill hur många (skicka|gick)\w*"
        r"|\bsent (out )?to\b",
        "dimios_mottagare",
        True,
    ),
    (
        r"svarande|respondent\w*|hur många svarade|antal svar\b"
        r"|how many (people )?(answered|responded)",
        "dimios_svarande",
        True,
    ),
    (r"digital\w* förmåg\w*|digital capabilit\w*", "digital_formaga", True),
    (r"digital\w* arv\w*|digital legacy|digital heritage", "digitalt_arv", True),
    (
        r"digital\w* mognad\w*|\bmognad\w*|\bdimios\w*|maturity|mognadsmätning\w*|mognadsgrad\w*"
        r"|\bsexgradig\w*|\bsix-point\b",
        "digital_mognad",
        True,
    ),
    (r"\bförmåga\w*", "digital_formaga", False),
    (
        r"medarbetar\w*|employee\w*|\bstaff\b|\bpersonal\w*|digitala stöd\w*"
        r"|digital support|digital tools"
        # the employee survey's statement is the one figure scored 1–5
        r"|\bfemgradig\w*|\bfem(?:gradiga?|)\s?skala\w*|\bfive-point\b|\b1[–-]5-skala\w*",
        "medarbetare",
        True,
    ),
    (
        r"genomförandegrad\w*|genomförandekapacitet\w*|\bgenomförandet\b|completion rate"
        r"|delivery rate"
        r"|implementation rate|leveransgrad\w*|andel (genomförda|levererade)|\bgenomförande\b",
        "genomforandegrad",
        True,
    ),
    # the share of the decided initiatives that was delivered is the genomförandegrad:
    # "hur stor andel av de beslutade initiativen levererades", "levererar vi en större andel
    # av våra beslutade initiativ", "share of the decided initiatives delivered"
    (
        r"\b(andel\w*|share|proportion|percentage) (av |of )?([\w-]+ ){0,3}(beslutade?|decided)"
        r" ([\w-]+ )?\w*(initiativ\w*|projekt\w*|initiatives|projects)"
        r"|\b(beslutade?|decided) ([\w-]+ )?\w*(initiativ\w*|initiatives)( som| that)?"
        r" (\w+ ){0,2}(levererade?s?|genomfördes|slutfördes|delivered|completed)\b"
        # "andel av de initiativ vi beslutade om blev faktiskt levererade", "share of our
        # initiatives that were completed": a share of initiatives that were delivered
        r"|\b(andel\w*|share|proportion|percentage) (av |of )?([\w-]+ ){0,2}(initiativ\w*"
        r"|projekt\w*|initiatives|projects)\b( [\w-]+){0,8} (levererade?s?|levererats"
        r"|genomförda|genomfördes|genomförts|slutförda|slutfördes|slutförts|delivered"
        r"|completed)\b",
        "genomforandegrad",
        True,
    ),
    (
        r"nyttorealisering\w*|uppnådd\w* nytta|realiserad\w* nytta|benefit reali[sz]ation"
        r"|uppnått (vår )?(estimerade )?nytta",
        "nyttorealisering",
        True,
    ),
    (
        r"\bnytta\w* (som )?(uppnå|realiser|hämta)\w*|förväntad\w* nytta\w*"
        r"|\bbenefits? (achieved|realised|realized)",
        "nyttorealisering",
        True,
    ),
    (
        r"\bantal(et)? ([\w-]+ )?\w*initiativ\w*|\bnumber of ([\w-]+ )?(initiatives|projects)"
        # "blev det fler eller färre initiativ", "more or fewer initiatives"
        r"|\b(fler|färre|more|fewer)( eller (fler|färre)| or (more|fewer))? (\w+ )?(initiativ\w*"
        r"|initiatives|projekt\w*|projects)\b",
        "antal_initiativ",
        True,
    ),
    (
        r"digitaliseringsindex\w*|\bindex\w*|\btotal ?index\w*|digitali[sz]ation index",
        "index",
        True,
    ),
    # compounds naming a component: "nyttokomponenten", "resultatdelen", "förutsättningsmåttet"
    # also hyphenated ("nytta-delen" is normalised to "nytta delen")
    (
        r"\bnytt(o|e)(komponent|del|mått|indikator|index)\w*|\bnytta (komponent|del)\w*",
        "nytta",
        True,
    ),
    (r"\bresultat ?(komponent|del|mått)\w*", "resultat", True),
    (r"\bförutsättning(s|ar)? ?(komponent|del|mått)\w*", "forutsattningar", True),
    (r"förutsättning\w*|prerequisit\w*|preconditions?|\benablers?\b", "forutsattningar", True),
    (r"resultatindikator\w*|result indicator", "resultat", True),
    (r"\bresultat\w*|\bresults?\b|\boutcomes?\b", "resultat", False),
    (
        r"\bnytta\b|\bnyttan\b|\bnyttor\w*|nyttoindikator\w*|\bbenefits?\b|\bvalue created\b",
        "nytta",
        False,
    ),
]
_FIGURE_RE = [(re.compile(p), key, strong) for p, key, strong in FIGURE_PATTERNS]
_INDEX_COMPONENTS = frozenset({"forutsattningar", "resultat", "nytta"})
_COORDINATED = re.compile(r"\s*(och|and|respektive|eller|or|samt|mot|vs|versus|,)?\s*")


def _paired_components(
    text: str, spans: dict[str, list[tuple[int, int]]], strong: set[str]
) -> set[str]:
    """Index components named only by their everyday word ("nytta"), coordinated with another.

    "Förutsättningar och Nytta", "resultat respektive nytta": the component is the figure.
    """
    out: set[str] = set()
    grown = True
    while grown:  # "förutsättningar, resultat och nytta": each joins through the one before
        anchors = [span for k in (strong & _INDEX_COMPONENTS) | out for span in spans.get(k, [])]
        grown = False
        for key in _INDEX_COMPONENTS - strong - out:
            for start, end in spans.get(key, []):
                for a_start, a_end in anchors:
                    between = text[a_end:start] if a_end <= start else text[end:a_start]
                    if _COORDINATED.fullmatch(between):
                        out.add(key)
                        grown = True
    return out


_EMPLOYEE_SHARE = {
    "medarbetare_positiva": re.compile(r"\bpositiv\w*|\bpositive\b"),
    "medarbetare_neutrala": re.compile(r"\bneutral\w*"),
    "medarbetare_negativa": re.compile(r"\bnegativ\w*|\bnegative\b"),
}
_MEAN_SCORE = re.compile(
    r"medel\w*|\bsnitt\w*|\bgenomsnitt\w*|\bpoäng\w*|\bmean\b|\baverage\b|1 5|av 5"
    r"|out of 5|skal\w*|\bscore\b"
)

#: Spans removed before figure matching: "extern nytta" is the portfolio axis, not the Nytta figure.
_AXIS_NYTTA = re.compile(
    r"\b(extern|intern)\w* (och (extern|intern)\w* )?(nytta|nyttan|benefit)\b"
    r"|\b(nytta|nyttan) (inåt|utåt)\b"
    r"|\b(nytta|nyttan|benefit) (för|for|to) (\w+ )?(invånar\w*|medborgar\w*|nackabor\w*"
    r"|organisation\w*|kommunen|verksamhet\w*|oss|residents|citizens|the organi[sz]ation)"
)

STATUS_PATTERNS: list[tuple[str, str]] = [
    (
        r"\bgenomför(d|da|des|t)\b|\bslutför(d|da|des|t)\b|\blevererade?\b|\bcompleted\b|\bdelivered\b|\bfinished\b|\bklara\b",
        "genomförd",
    ),
    (r"\bpågående\b|\bongoing\b|\bin progress\b|\bpågår\b", "pågående"),
    (r"\bpausad\w*|\bpaused\b|\bpausats\b", "pausad"),
    (r"\bavbrut\w*|\bcancel+ed\b|\baborted\b|\bstoppade\b", "avbruten"),
    (r"\bbeslutade?\b(?! för)|\bdecided\b|\bnot started\b|\bej påbörjade\b", "beslutad"),
]
_STATUS_RE = [(re.compile(p), s) for p, s in STATUS_PATTERNS]

#: Axis words: (pattern, axis, min, max).
AXIS_PATTERNS: list[tuple[str, str, int | None, int | None]] = [
    (
        r"\bstrategisk\w*|\bstrategic\w*|\blångsiktig\w*|\blong term\b",
        "operativt_strategiskt",
        4,
        None,
    ),
    (r"\boperativ\w*|\boperational\w*", "operativt_strategiskt", None, 2),
    (r"\binnovativ\w*|\binnovation\w*", "innovation_effektivitet", 4, None),
    (
        r"\beffektivisering\w*|\beffektivitet\w*|\befficien\w*|\beffektiva\b",
        "innovation_effektivitet",
        None,
        2,
    ),
    (
        r"\bextern\w*|\bexternal\w*|\binvånar(e|en|na)?\b|\bmedborgar(e|en|na)?\b|\bresidents?\b"
        r"|\bnackaborna\b",
        "extern_intern",
        4,
        None,
    ),
    (
        r"\bintern(a|t)?\b|\binternal\w*|\binåt\b|\b(nytta|nyttan|benefit) (för|for|to)"
        r" (den egna |själva |the )?(organisationen|kommunen|verksamheten|organi[sz]ation)\b"
        r"|\borganisationen själv\b|\b(för|for) oss själva\b"
        r"|\bour own (organi[sz]ation|municipality)\b|\bthe organi[sz]ation itself\b|\bourselves\b",
        "extern_intern",
        None,
        2,
    ),
]
_AXIS_RE = [(re.compile(p), a, lo, hi) for p, a, lo, hi in AXIS_PATTERNS]

BREAKDOWN_PATTERNS: list[tuple[str, str]] = [
    (
        r"\bverksamhet\w*|\bper förvaltning\w*|\bdepartments?\b|\bunits?\b|intern jämförelse"
        r"|internal comparison|\benhet\w*",
        "verksamhet",
    ),
    (
        r"\b(del|fokus|mognads)?område\w*|\b(sub-?)?areas?\b|effektivitet|\binnovation\b"
        r"|balansering|\bteknik\b|användare|\borganisation\b",
        "area",
    ),
    (r"\bdimension\w*", "dimension"),
]
_BREAKDOWN_RE = [(re.compile(p), b) for p, b in BREAKDOWN_PATTERNS]

BENEFIT_KINDS: list[tuple[str, str]] = [
    (r"\bekonomisk\w*|\bfinancial\b|\bmonetary\b|\bpengar\b|\bkronor\b", "ekonomisk"),
    (r"\bkvalitativ\w*|\bqualitative\b", "kvalitativ"),
    (r"\bomställning\w*|\bfrigjord\w* (arbets)?tid\b|\bfreed time\b", "omställning"),
]
_BENEFIT_RE = [(re.compile(p), k) for p, k in BENEFIT_KINDS]

CHAPTER_BY_FIGURE = {
    "index": "index",
    "forutsattningar": "index",
    "digital_mognad": "mognad",
    "digital_formaga": "mognad",
    "digitalt_arv": "mognad",
    "dimios_svarsfrekvens": "mognad",
    "dimios_mottagare": "mognad",
    "dimios_svarande": "mognad",
    "medarbetare": "medarbetare",
    "resultat": "resultat",
    "genomforandegrad": "resultat",
    "nytta": "nytta",
    "nyttorealisering": "nytta",
}

_CUES: dict[str, re.Pattern[str]] = {
    "compare": re.compile(
        r"utveckl\w*|förändr\w*|\bändrat?s?\b|jämför\w*|\bsedan\b|\btrend\w*|över tid|över åren"
        r"|\bökat\b|\bminskat\b|\bsjunkit\b|\bstigit\b|\bgått (upp|ner)\b|\bhistorik\w*|tidsserie"
        r"|\bchang\w*|\bcompar\w*|\bsince\b|\bdevelop\w*|over time|over the years|\bevolv\w*"
        r"|\bvs\b|\bversus\b|\bmellan (\d{4}|åren)\b|\bbetween\b|år för år|\balla år\w*|every year"
        r"|\bi fjol jämfört|\bjämfört med\b|\bcompared\b|\btrended\b|\bfrån \d{4} till\b"
        r"|\bbättre eller sämre\b|\bsämre eller bättre\b"
        r"|\bblivit (bättre|sämre)( eller (bättre|sämre))?\b"
        r"|\bförbättr\w*|\bförsämr\w*|\bbetter or worse\b|\bimprov\w*|\bgotten worse\b"
        r"|\b(ökade|minskade|steg|sjönk) (eller|or)\b"
    ),
    "list": re.compile(
        r"\bvilka\b|\bwhich\b|\blista\w*|\blist\b|\bvisa\b|\bshow\b|\bnämn\w*|\bname\b"
        r"|\bexempel\b|\bexamples?\b|\bwhat (initiatives|projects)\b|\bvad för\b"
        r"|\bvilket initiativ\b"
    ),
    "count": re.compile(
        r"hur många|how many|\bantal\w*|number of|\bhur stor andel\b|\bwhat share\b|\bandel\w*"
        r"|\bcount\b|\bproportion\b|what percentage"
    ),
    "top": re.compile(
        r"\bflest\b|\bmest\b|\bmost\b|\bstörst\w*|\blargest\b|\bhögst\w*|\bhighest\b|\btopp\w*"
        r"|\bledande\b|\bminst\b|\bfewest\b|\blägst\w*|\blowest\b|\bsämst\w*|\bbäst\w*|\bbest\b"
        r"|\bstarkast\w*|\bsvagast\w*|\brangordn\w*|\brank\w*"
        r"|\b(etta|tvåa|trea|näst flest|näst mest|second most|runner-up)\b"
    ),
    "low": re.compile(
        r"\bminst\b|\bfewest\b|\blägst\w*|\blowest\b|\bsämst\w*|\bsvagast\w*|\bleast\b|\bworst\b"
    ),
    "initiatives": re.compile(
        r"\binitiativ\w*|\binitiatives?\b|\bprojekt\w*|\bprojects?\b|\bsatsning\w*|\bärenden\b"
    ),
    "objekt_word": re.compile(r"\bobjekt\w*|\bobjects?\b|\bförvaltningsobjekt\w*"),
    "status_word": re.compile(r"\bstatus\w*|\bstatuses\b"),
    "portfolio": re.compile(
        r"portfölj\w*|\bportfolio\w*|\bfördelning\w*|\bfördela\w*|\bgenomsnittlig\w*"
        r"|\baverage initiative\b|\bprofil\w*|\blutar\b|\bbubbl\w*|\baxl\w*|\baxes\b"
        r"|\bextern och intern\b|\bintern och extern\b|\bextern intern\b"
    ),
    "axis_nytta": _AXIS_NYTTA,
    "gap": re.compile(
        r"\bgap\w*|\bskillnad\w*|\bdifferens\w*|\bavstånd\w*|\bdiffer\w*|\bskil(j)?(er|de|t) sig\b"
        r"|\bhur (mycket|långt) (högre|lägre|större|mindre|bättre|sämre|över|under|efter|före)\b"
        r"|\bhow (much|far) (higher|lower|above|below|better|worse|behind|ahead)\b"
    ),
    "when": re.compile(
        r"^(när|when)\b|\b(när|when) (började|startade|infördes|genomfördes|kom|hölls|skedde"
        r"|began|started|did|was|were|will)\b|\bvilket datum\b|\bwhat date\b"
    ),
    "why": re.compile(r"\bvarför\b|\bwhy\b|\borsak\w*|\bförklar\w*|\breason\w*|\bexplain\w*"),
    "method": re.compile(
        r"hur (mäts|beräknas|räknas|räknar|tas .* fram|beräknar|mäter)|how (is|are|do you) .*"
        r"(measured|calculated|computed)|\bformel\w*|\bformula\b|\bmetod\w*|\bmethod\w*"
        r"|vad (menas|innebär|betyder) med|what (does|is meant)|\bdefinition\w*|\bdefiniera\w*"
        r"|vad (består|ingår)|what goes into|\bkomponent\w*|\bcomponents?\b|\bviktas\b"
    ),
    "help": re.compile(
        r"^(hej|hallå|tjena|hello|hi|hey)\b|vad kan du|what can you|\bhjälp\b|\bhelp\b"
        r"|vilka frågor|what questions"
    ),
    "classify": re.compile(
        r"\bklassa\w*|\bklassific\w*|\bklassning\b|\bclassif\w*|\bkategorisera\w*|\bcategori[sz]e\b"
    ),
    "draft": re.compile(
        r"\butkast\w*|\bdraft\w*|\bskriv\w* (ett |en )?(kapitel|text|avsnitt|stycke)"
        r"|\bwrite (a |the )?(chapter|section)"
    ),
    "followup_start": re.compile(
        r"^(och|and|men|but|what about|how about|samma|same|då|sen|också|även|hur var det"
        r"|hur blev det|hur såg det ut|och hur|och vad)\b"
    ),
    "pronoun": re.compile(
        r"\b(dem|dessa|de här|them|those|these|den|det|it|samma|same|dom|deras|their)\b"
    ),
}

_LATEST = re.compile(
    r"\bi år\b|\bårets\b|\bthis year\b|\bcurrent year\b|\bsenaste\b|\blatest\b|\bmost recent\b"
    r"|\bnuvarande\b|\bnu\b|\bcurrent\b|\bnow\b|\bin år\b|\baktuell\w*"
)
_PREVIOUS = re.compile(
    r"\bförra året\b|\bi fjol\b|\bfjolåret\w*|\bföregående år\w*|\blast year\b|\bprevious year\b"
    r"|\baret innan\b|\båret innan\b|\bprior year\b|\bfjol\w*|\bför ett år sedan\b|\ba year ago\b"
    r"|\bthe year before\b(?! \d)|\bthe previous year\b|\bförra mätningen\b"
    r"|\bföregående mätning\w*|\bförra gången\b|\blast time\b"
)
#: The year before named as where a change starts ("från förra mätningen", "since last year").
_FROM_PREVIOUS = re.compile(
    r"\b(från|sedan|since|from|mot|than|än)( den| det)? (förra|föregående|last|the previous"
    r"|the last|previous)\b|\b(sedan|från) (i fjol|året innan)\b"
)
#: The first year measured ("vid första mätningen", "the first survey", "nolläget"); with a year
#: named and a comparing word, the span from it to that year (see ``resolve``).
_FIRST = re.compile(
    r"\bförsta (mätningen|mätningstillfället|året|gången)\b|\bnolläge\w*|\bnollmätning\w*"
    r"|\bfirst (measurement|survey|year|time)\b|\bbaseline\b"
)
_VALUE = re.compile(
    r"\bhur (hög|högt|höga|stor|stort|stora|mycket|många|låg|lågt|gick|ligger|låg)\b"
    r"|\bvad (blev|var|är|landade|ligger)\b|\bvilket värde\b|\bvärde\w*|\bsiffr\w*|\bnivå\w*"
    r"|\bhow (high|much|many|low|did)\b|\bwhat (was|is|were|are)\b|\blandade\b|\buppgick\b"
    r"|\bscore\b|\blevel\b|\bvalue\b|\bresultat(et)?\b|\bprocent\b|\bpercent\w*"
)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_SINCE = re.compile(
    r"\b(sedan|since)( år| [^\W\d][\w-]*){0,3} (?P<y1>19[5-9]\d|20\d\d)\b"
    r"|\b(från|from|efter|after)( år)? (?P<y2>19[5-9]\d|20\d\d)\b"
)
#: A component named as part of the index ("nyttan i vårt index", "indexets resultatdel", "the
#: Results part of the index").
_PART_OF_INDEX = re.compile(
    r"\b(nytt\w*|resultat\w*|förutsättning\w*|benefits?|results?|prerequisites?)"
    r" (part |component |del(en)? |komponent\w* )?(i|in|inom|of)"
    r" (vårt |vårat |det |the |our )?(digitaliserings)?index\w*"
    r"|\b(digitaliserings)?indexets (nytt\w*|resultat\w*|förutsättning\w*)"
)
_AGAINST = re.compile(
    r"\b(jämfört med|jämfört mot|i jämförelse med|compared (?:to|with)|mot|versus|vs|against|än"
    r"|than)"
    r"( (den |det )?(första|förra|senaste) (mätningen|året))? (?P<year>\d{4})\b"
)
#: The question names this year ("i år", "årets"): with an earlier year it compares the two.
_THIS_YEAR = re.compile(r"\bi år\b|\bårets\b|\bthis year\b|\bthis year's\b|\bin år\b")
# "compare(d) to 2024" names the other year of a comparison, not the end of a series
_UNTIL = re.compile(
    r"(?<!compare )(?<!compared )(?<!comparison )"
    r"\b(till|to|until|fram till|through|tom|t o m)( år)? (19[5-9]\d|20\d\d)\b"
)


@dataclass(frozen=True)
class Parsed:
    """What a question mentions (before context is applied)."""

    text: str
    norm: str
    english: bool
    years: tuple[int, ...] = ()
    relative: str | None = None  # "latest" | "previous" | "first"
    this_year: bool = False  # "i år", "årets" (also when an earlier year is named beside it)
    since: int | None = None
    until: int | None = None
    figures: tuple[str, ...] = ()
    strong_figure: bool = False
    objekt: str | None = None
    objekt_partial: bool = False
    status: str | None = None
    statuses: tuple[str, ...] = ()
    ranges: tuple[tuple[str, int | None, int | None], ...] = ()
    split: tuple[str, ...] = ()  # axes whose both ends are named ("extern och intern")
    breakdown: str | None = None
    benefit_kind: str | None = None
    cues: frozenset[str] = frozenset()
    content: tuple[str, ...] = ()  # residual content words (not explained by the vocabulary)


@dataclass(frozen=True)
class Intent:
    """What to answer and with which parameters."""

    kind: str
    # figure | compare | method | count | list | top_objekt | portfolio | dimios | employee |
    # benefits | text | classify | draft | help
    question: str
    english: bool = False
    figure: str | None = None
    figures: tuple[str, ...] = ()
    year: int | None = None
    relative: str | None = None
    years: tuple[int, ...] = ()
    since: int | None = None
    until: int | None = None
    objekt: str | None = None
    status: str | None = None
    ranges: tuple[tuple[str, int | None, int | None], ...] = ()
    breakdown: str | None = None
    benefit_kind: str | None = None
    lowest: bool = False
    chapter: str | None = None
    search_query: str = ""
    inherited: tuple[str, ...] = field(default=())
    topic: tuple[str, ...] = ()  # content words that may name what initiatives are about
    initiatives: bool = False  # the question is about initiatives or the portfolio
    statuses: tuple[str, ...] = ()  # every status the question names
    by_status: bool = False  # several statuses named, or "per status": a status breakdown
    split: tuple[str, ...] = ()  # axes whose both ends are named: the question asks the split

    @property
    def filters_present(self) -> bool:
        """True when the intent filters initiatives (objekt, status or axis ranges)."""
        return bool(self.objekt or self.status or self.ranges)


class ObjektMatcher:
    """Finds the configured objekt a question refers to, by stems ("sociala omsorgen")."""

    def __init__(self, objekt: Sequence[str]) -> None:
        """Index the objekt names by their significant stems."""
        self.objekt = tuple(objekt)
        self._stems: list[tuple[str, frozenset[str]]] = []
        counts: dict[str, int] = {}
        for name in self.objekt:
            stems = frozenset(
                stem(w) for w in tokens(normalize(name)) if w not in {"och", "and"} and len(w) > 2
            )
            self._stems.append((name, stems))
            for s in stems:
                counts[s] = counts.get(s, 0) + 1
        self._distinctive = {s for s, c in counts.items() if c == 1}

    def match(self, question_stems: frozenset[str], norm: str) -> tuple[str | None, bool]:
        """The objekt (full match preferred) and whether the match was partial."""
        best: tuple[int, str] | None = None
        for name, stems in self._stems:
            if normalize(name) in norm or (stems and stems <= question_stems):
                if best is None or len(stems) > best[0]:
                    best = (len(stems), name)
        if best:
            return best[1], False
        partial = [
            name for name, stems in self._stems if stems & question_stems & self._distinctive
        ]
        if len(partial) == 1:
            return partial[0], True
        return None, False


@lru_cache(maxsize=1)
def _restorer() -> DiacriticRestorer:
    """Swedish letters put back from the words of the router's example questions."""
    from assistant.offline.router import load_examples  # the router imports this module

    return DiacriticRestorer(tokens(normalize(ex.text)) for ex in load_examples())


def parse(text: str, objekt: ObjektMatcher) -> Parsed:
    """Find what a question mentions. Pure and deterministic.

    A question typed without å, ä and ö ("hur hogt blev forutsattningar") is read with them
    (:class:`DiacriticRestorer`); ``Parsed.text`` is the restored question.
    """
    text = _restorer().restore(text)
    norm = normalize(text)
    words = tokens(norm)
    stems = frozenset(stem(w) for w in words)
    english = is_english(words)

    cues = {name for name, rx in _CUES.items() if rx.search(norm)}

    # figures (the "extern nytta" axis phrase is not the Nytta figure)
    fig_text = _AXIS_NYTTA.sub(" ", norm)
    explained: set[str] = set()
    found: list[tuple[int, str, bool]] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for rx, key, strong in _FIGURE_RE:
        for m in rx.finditer(fig_text):
            found.append((m.start(), key, strong))
            spans.setdefault(key, []).append(m.span())
            explained.update(tokens(m.group(0)))
    found.sort()
    strong_keys = [k for _, k, s in found if s]
    weak_keys = [k for _, k, s in found if not s]
    keys = strong_keys or weak_keys
    paired = _paired_components(fig_text, spans, set(strong_keys))
    if paired:
        # "gapet mellan Förutsättningar och Nytta": a component coordinated with another is the
        # figure too, not the everyday word
        keys = [k for _, k, s in found if s or k in paired]
    # "resultat" next to a stronger figure is the generic word ("resultatet för digital mognad")
    figures: list[str] = []
    for k in keys:
        if k not in figures:
            figures.append(k)
    part = _PART_OF_INDEX.search(fig_text)
    if part and figures and figures[0] == "index":
        # "hur mäts nyttan i vårt index", "indexets förutsättningar": the component is meant
        named = [k for _, k, _s in found if k in {"nytta", "resultat", "forutsattningar"}]
        if named:
            figures = [named[0], *[k for k in figures if k != named[0]]]
    if "digital_mognad" in figures and "mognad" not in norm and "maturity" not in norm:
        # "DiMiOS" names the survey: a question about its recipients or response rate is not
        # about the maturity figure
        if {"dimios_mottagare", "dimios_svarande", "dimios_svarsfrekvens"} & set(figures):
            figures.remove("digital_mognad")
    if "medarbetare" in figures:
        for key, rx in _EMPLOYEE_SHARE.items():
            if rx.search(norm):
                figures[figures.index("medarbetare")] = key
                break
        else:
            if _MEAN_SCORE.search(norm):
                figures[figures.index("medarbetare")] = "medarbetare_medel"

    years = tuple(int(y) for y in _YEAR.findall(norm))
    relative = None
    first = _FIRST.search(norm)
    first_year = re.match(r"( \w+){0,2} (\d{4})\b", norm[first.end() :]) if first else None
    if first and (not years or _CUES["gap"].search(norm) or _CUES["compare"].search(norm)):
        # "vid första mätningen"; "hur skiljer sig 2025 från nolläget?" (a span, see resolve);
        # "från den första mätningen 2022 fram till nu": that year is the first
        relative = None if first_year else "first"
    elif _PREVIOUS.search(norm):
        relative = "previous"
    elif _LATEST.search(norm):
        relative = "latest"
    since_m = _SINCE.search(norm)
    until_m = _UNTIL.search(norm)
    between = re.search(r"\b(mellan|between)( åren)? (\d{4}) (och|and) (\d{4})\b", norm)
    since = int(since_m.group("y1") or since_m.group("y2")) if since_m else None
    until = int(until_m.group(3)) if until_m else None
    if between:
        since, until = sorted((int(between.group(3)), int(between.group(5))))
    against = _AGAINST.search(norm)
    if against and since is None and len(set(years)) == 1 and relative != "previous":
        # "hur förändrades antalet jämfört med 2024?": from that year to the latest
        since = int(against.group("year"))

    obj, partial = objekt.match(stems, norm)
    if obj:
        explained.update(tokens(normalize(obj)))

    statuses: list[str] = []
    for rx, st in _STATUS_RE:
        sm = rx.search(norm)
        if sm:
            statuses.append(st)
            explained.update(tokens(sm.group(0)))
    if "genomforandegrad" in figures:
        # "andel av de beslutade initiativen som levererades": the rate's own words, not filters
        statuses = [st for st in statuses if st not in {"beslutad", "genomförd"}]
    status = statuses[0] if len(statuses) == 1 else None

    ranges: dict[str, tuple[int | None, int | None]] = {}
    both_ends: set[str] = set()
    axis_text = norm.replace("medborgar och internservice", " ")
    for rx, axis, lo, hi in _AXIS_RE:
        am = rx.search(axis_text)
        if not am:
            continue
        explained.update(tokens(am.group(0)))
        if axis in ranges and ranges[axis] != (lo, hi):
            both_ends.add(axis)  # "extern och intern": the split, not a filter
        elif axis not in ranges:
            ranges[axis] = (lo, hi)
    for axis in both_ends:
        ranges.pop(axis, None)
    if both_ends:
        cues.add("portfolio")

    breakdown = None
    for rx, b in _BREAKDOWN_RE:
        if rx.search(norm):
            breakdown = b
            break
    benefit_kind = None
    for rx, k in _BENEFIT_RE:
        if rx.search(norm):
            benefit_kind = k
            break

    cue_words: set[str] = set()
    for name in cues:
        for m in _CUES[name].finditer(norm):
            cue_words.update(tokens(m.group(0)))
    for rx in (_LATEST, _PREVIOUS, _SINCE, _UNTIL, _VALUE):
        for m in rx.finditer(norm):
            cue_words.update(tokens(m.group(0)))
    if _VALUE.search(norm):
        cues.add("value")
    content = tuple(
        w
        for w in words
        if len(w) > 2
        and w not in QUESTION_STOPWORDS
        and w not in explained
        and w not in cue_words
        and not _YEAR.fullmatch(w)
        and not w.isdigit()
    )
    return Parsed(
        text=text,
        norm=norm,
        english=english,
        years=years,
        relative=relative,
        this_year=bool(_THIS_YEAR.search(norm)),
        since=since,
        until=until,
        figures=tuple(figures),
        strong_figure=bool(strong_keys),
        objekt=obj,
        objekt_partial=partial,
        status=status,
        statuses=tuple(statuses),
        ranges=tuple((a, lo, hi) for a, (lo, hi) in ranges.items()),
        split=tuple(sorted(both_ends)),
        breakdown=breakdown,
        benefit_kind=benefit_kind,
        cues=frozenset(cues),
        content=content,
    )


#: The closed vocabularies a question may ask to have listed ("Vilka statusar kan ett initiativ
#: ha?", "Which objekt are there?"): its noun and the vocabulary.
_MEMBER_NOUNS = {
    "statusar": "status",
    "status": "status",
    "statuses": "status",
    "objekt": "objekt",
    "objekten": "objekt",
    "objects": "objekt",
    "förvaltningsobjekt": "objekt",
    "verksamheter": "verksamhet",
    "verksamheterna": "verksamhet",
    "departments": "verksamhet",
    "dimensioner": "dimension",
    "dimensionerna": "dimension",
    "dimensions": "dimension",
    "områden": "area",
    "områdena": "area",
    "areas": "area",
    "nyttotyper": "benefit_kind",
    "nyttoslag": "benefit_kind",
}
_MEMBERS = re.compile(
    r"^(vilka|which|what)( olika| slags| sorts| typer av| kinds of| types of)? (?P<noun>\w+)"
    r"( \w+){0,6} (finns|fanns|kan|ingår|ingick|används|mäts|exist|are there|can|is it|are used"
    r"|are measured|does)\b"
)


def asked_members(question: str) -> str | None:
    """The closed vocabulary a question asks to have listed, or None.

    "Vilka objekt finns det som initiativen kan tillhöra?" -> ``objekt``; "Vilka statusar kan
    ett initiativ ha?" -> ``status``. A question that ranks or counts them ("Vilka objekt har
    flest initiativ?") is not asking for the list.
    """
    norm = normalize(question)
    m = _MEMBERS.search(norm)
    if m is None or _CUES["top"].search(norm) or _CUES["count"].search(norm):
        return None
    noun = m.group("noun")
    if m.group(2) and noun in {"nytta", "nyttor", "benefit", "benefits"}:
        return "benefit_kind"  # "vilka typer av nytta", "what kinds of benefit"
    return _MEMBER_NOUNS.get(noun)


def _chapter(p: Parsed) -> str | None:
    if "portfolio" in p.cues or "initiatives" in p.cues:
        return "portfolj"
    for f in p.figures:
        base = f.split("_")[0] if f.startswith("medarbetare") else f
        if base in CHAPTER_BY_FIGURE:
            return CHAPTER_BY_FIGURE[base]
    if re.search(r"\bportfölj\w*|\bportfolio\b", p.norm):
        return "portfolj"
    return None


def is_bare_followup(p: Parsed) -> bool:
    """A question that names no topic of its own and leans on the previous one.

    "och 2024?", "och Social omsorg?", "hur har den utvecklats?", "vilka var det?": no content
    word outside the vocabularies, and either a follow-up opening, a pronoun or only a few words.
    """
    opening = "followup_start" in p.cues
    # "Och vid den första mätningen 2022?": after a follow-up opening, words for the occasion
    # name no new topic
    content = [w for w in p.content if not (opening and (w in _OCCASION_WORDS or w in _NEXT_WORDS))]
    if content:
        return False
    short = len(tokens(p.norm)) <= 3
    pronoun = "pronoun" in p.cues and not p.strong_figure
    return opening or short or pronoun


#: "det andra", "den sista av dem", "the second one", "the latter": an item of the previous
#: answer's list, by its place (never "den första mätningen": a noun after it names its own thing).
_ORDINAL_REF = re.compile(
    r"\b(?:det|den|de|the)\s+(?P<ord>första|andra|tredje|fjärde|femte|sista|senare|förra|first"
    r"|second|third|fourth|fifth|last|latter|former)"
    r"(?=\s*(?:[.?!,]|$|av (?:dem|de|dessa)\b|of (?:them|those|these)\b|one\b|i listan\b"
    r"|(?:nämnda|punkten|alternativet)\b"
    # a verb after it: "vad har det andra gett?", "what does the last one mean?"
    r"|(?:har|är|var|blev|gav|ger|gör|fick|innebär|handlar|betyder|kostar|kostade|syftar|leder"
    r"|gett|is|was|has|does|means)\b))"
    r"(?:\s+(?:av (?:dem|de|dessa)|of (?:them|those|these)|one|i listan))?",
    re.IGNORECASE,
)
_ORDINAL_PLACE = {
    "första": 0, "first": 0, "förra": 0, "former": 0, "andra": 1, "second": 1, "tredje": 2,
    "third": 2, "fjärde": 3, "fourth": 3, "femte": 4, "fifth": 4, "sista": -1, "last": -1,
    "senare": -1, "latter": -1,
}  # fmt: skip
_LIST_SPLIT = re.compile(r",\s+|;\s+|\s+(?:och|samt|and)\s+")


def listed_items(answer: str) -> list[str]:
    """The items an answer lists: its bullet lines, or its first sentence's enumeration.

    "Två vägval lyfts: AI i skolan och välfärdsteknik." → ["AI i skolan", "välfärdsteknik"];
    "- Smart stad (Fastighet, pågående)" lines → their names.
    """
    bullets = [
        re.sub(r"\s*\([^()]*\)\s*[:.]?.*$", "", line.strip()[2:]).strip()
        for line in answer.splitlines()
        if re.match(r"\s*[-•*]\s+\S", line)
    ]
    if len(bullets) >= 2:
        return [b for b in bullets if b]
    head = answer.strip().split("\n")[0]
    head = head.split(":", 1)[1] if ":" in head else head
    head = re.split(r"(?<!\d)[.!?](?:\s|$)", head.strip())[0]
    # split outside parentheses only ("SDK (säker, digital kommunikation), Smart stad")
    hidden = re.sub(r"\([^()]*\)", lambda m: "\0" * len(m.group(0)), head)
    items, start = [], 0
    for cut in _LIST_SPLIT.finditer(hidden):
        items.append(head[start : cut.start()])
        start = cut.end()
    items.append(head[start:])
    items = [x.strip(" .") for x in items if x.strip(" .")]
    return items if len(items) >= 2 else []


def resolve_ordinal(question: str, previous_answer: str) -> str:
    """``question`` with "det andra" / "the last one" replaced by that item of the answer before.

    Unchanged when it names no item by its place or the previous answer lists fewer than two.
    """
    m = _ORDINAL_REF.search(question)
    if not m or not previous_answer:
        return question
    items = listed_items(previous_answer)
    place = _ORDINAL_PLACE[m.group("ord").lower()]
    if len(items) < 2 or place >= len(items):
        return question
    return f"{question[: m.start()]}{items[place]}{question[m.end() :]}"


#: A change named as a thing ("uppgången", "the rise"): what a why follow-up asks about.
_CHANGE_NOUN = re.compile(
    r"\b(uppgång\w*|ökning\w*|nedgång\w*|minskning\w*|förändring\w*|lyft\w*|tapp\w*|ras\w*"
    r"|försämring\w*|förbättring\w*|rise|increase|drop|decline|fall|change|improvement)\b"
)

#: Words for when something was measured ("vid den första mätningen", "the first survey"), and
#: the words that stress them ("allra första", "the very first").
_OCCASION_WORDS = frozenset(
    """
    första förra senaste sista mätningen mätning mätningar gången gång tillfället året år då
    allra själva nolläget nolläge nollmätningen nollmätning
    first last latest previous measurement survey time year then very baseline
    """.split()
)

#: Kinds whose answer can put this year beside an earlier one named in the same question.
_THIS_AND_EARLIER_KINDS = frozenset({"figure", "compare", "portfolio"})

#: Words that ask for the next of a ranking ("Och vilka kom efter det?", "and the next?").
_NEXT_WORDS = frozenset(
    """
    kom kommer efter sedan därefter näst nästa följde följer övriga resten andra tvåa trea
    plats platsen next after rest others second third place came
    """.split()
)

#: Figures the engine also computes per objekt.
_OBJEKT_FIGURES = frozenset({"genomforandegrad", "resultat", "antal_initiativ"})

#: Words around a topic in portfolio questions ("initiativ som handlar om AI") — not the topic.
_TOPIC_FILLER = frozenset(
    """
    handlar handla gäller gälla rör röra berör beröra involverar innehåller innehålla nämner
    nämna kopplade kopplat kopplad relaterade relaterat relaterad inriktade inriktat ordet
    kring avser avsåg about involve involving involved mention mentions mentioning related
    concern concerning regarding contain contains word använder används använde use uses used
    using fanns finns hade have had själv själva självt del delen delar faktiskt egentligen
    vissa sådana slags sorts typ placerar placera placeras placerade blev klara mostly mest
    digital digitala digitalt digitally digitalisering digitaliseringen
    """.split()
)  # every initiative of a digitalisation register is digital: the word names none of them


def resolve(
    p: Parsed, previous: Intent | None, latest_year: int | None, kind: str | None = None
) -> Intent:
    """Turn a parsed question and the previous intent into an Intent.

    ``kind`` is the routed answer kind; None for a bare follow-up (or without a router), which
    takes the previous question's kind.
    """
    followup_words = bool({"followup_start", "pronoun"} & p.cues)
    inherited: list[str] = []

    if kind is None and previous is not None and previous.kind not in {"help", "classify"}:
        # "och 2024?", "och Social omsorg?", "hur har den utvecklats?"
        kind = previous.kind
        if "compare" in p.cues and previous.kind == "figure":
            kind = "compare"
        elif previous.kind == "compare" and (p.years or p.relative) and "compare" not in p.cues:
            kind = "figure"
        if "why" in p.cues and previous.kind not in {"why", "draft"}:
            # "Varför blev det så?": the reason for what the previous question was about
            kind = "why"
        if "list" in p.cues and previous.kind in {"count", "portfolio"}:
            # "Hur många initiativ hade Fastighet?" -> "Vilka var det?"
            kind = "list"
        if (
            p.objekt
            and previous.kind in {"figure", "compare"}
            and previous.figure
            in {
                "genomforandegrad",
                "resultat",
                "antal_initiativ",
            }
        ):
            kind = "figure"
        inherited.append("kind")
    if (
        previous is not None
        and kind == "count"
        and p.objekt
        and not p.figures
        and not ({"count", "list", "initiatives"} & p.cues)
        and followup_words
        and previous.kind in {"figure", "compare"}
        and previous.figure in _OBJEKT_FIGURES
    ):
        # "Vad var genomförandegraden 2025?" -> "Hur såg det ut inom Samhällsbyggnad?"
        kind = "figure"
        inherited.append("kind")
    if kind is None:
        kind = "help" if not p.content else "text"

    figures = p.figures
    if (
        not figures
        and previous is not None
        and (
            kind in {"figure", "compare", "method", "dimios"}
            or (kind == "why" and "kind" in inherited)
            # "Vad låg bakom uppgången?" after a question about a figure: that figure's change
            or (
                kind == "why"
                and previous.kind in {"figure", "compare", "why"}
                and (followup_words or _CHANGE_NOUN.search(p.norm) is not None)
            )
        )
    ):
        if previous.figures:
            figures = previous.figures
            inherited.append("figure")

    objekt = p.objekt
    status = p.status
    ranges = p.ranges
    if previous is not None and kind in {"count", "list", "top_objekt", "portfolio", "figure"}:
        same_family = previous.kind in {"count", "list", "top_objekt", "portfolio"}
        if same_family and (followup_words or "kind" in inherited or kind == "top_objekt"):
            if objekt is None and previous.objekt and kind != "top_objekt":
                objekt = previous.objekt
                inherited.append("objekt")
            if kind != "portfolio" and (followup_words or kind == "top_objekt"):
                if status is None and previous.status:
                    status = previous.status
                    inherited.append("status")
                merged = dict((a, (lo, hi)) for a, lo, hi in previous.ranges)
                merged.update({a: (lo, hi) for a, lo, hi in ranges})
                if merged and merged != dict((a, (lo, hi)) for a, lo, hi in ranges):
                    inherited.append("ranges")
                ranges = tuple((a, lo, hi) for a, (lo, hi) in merged.items())

    # years
    year: int | None = None
    if p.years and kind not in {"compare"}:
        year = p.years[-1] if kind == "figure" or "compare" in p.cues else p.years[0]
    relative = p.relative
    since, until = p.since, p.until
    if relative == "first" and len(set(p.years)) == 1 and since is None:
        # "hur skiljer sig mognaden 2025 från nolläget?": from the first measurement to that year
        year, until, relative = None, p.years[0], None
        if kind == "figure":
            kind = "compare"
    elif (
        relative == "first"
        and not p.years
        and since is None
        and latest_year is not None
        and (_LATEST.search(p.norm) or "compare" in p.cues or "gap" in p.cues)
    ):
        # "bättre eller sämre nu än första gången?": from the first measurement to the latest
        year, until, relative = None, latest_year, None
        if kind == "figure":
            kind = "compare"
    if kind == "compare" and len(set(p.years)) >= 2 and since is None and until is None:
        since, until = min(p.years), max(p.years)
    if kind == "compare" and relative == "previous" and since is None and latest_year is not None:
        # "sedan i fjol", "jämfört med förra året": from the year before the latest to the latest;
        # "2025 jämfört med förra året": 2024 to 2025; "i fjol jämfört med 2023": 2023 to the
        # year before the latest
        if p.years and min(p.years) < latest_year - 1:
            since, until = min(p.years), latest_year - 1
        elif p.years:
            since, until = max(p.years) - 1, max(p.years)
        else:
            since, until = latest_year - 1, latest_year
    if year is None and relative is None and since is None and previous is not None:
        if followup_words or inherited:
            if previous.year is not None:
                year = previous.year
                inherited.append("year")
            elif previous.relative is not None:
                relative = previous.relative
    if kind == "figure" and since is not None and not p.years[1:] and year == since:
        kind = "compare"
    if p.this_year and latest_year is not None and kind in _THIS_AND_EARLIER_KINDS:
        # "årets initiativ ... och hur såg det ut 2024?", "svarsfrekvensen i år mot 2022",
        # "i år och året innan": this year, against the earlier one
        earlier = [y for y in p.years if y < latest_year]
        if earlier or p.relative == "previous":
            since = min(earlier) if earlier else latest_year - 1
            until, year, relative = latest_year, None, "latest"
            if kind == "figure" and earlier:
                kind = "compare"
    elif (
        kind in {"figure", "portfolio"}
        and p.relative == "previous"
        and ("compare" in p.cues or _FROM_PREVIOUS.search(p.norm))
        and not p.years
        and latest_year is not None
    ):
        # "fördelningen ... jämfört med föregående år", "hur mycket ökade mognaden från förra
        # mätningen?": this year against the year before
        since, until, year, relative = latest_year - 1, latest_year, None, "latest"

    figure = figures[0] if figures else None
    chapter = _chapter(p) if kind == "draft" else None
    return Intent(
        kind=kind,
        question=p.text,
        english=p.english,
        figure=figure,
        figures=figures,
        year=year,
        relative=relative,
        years=p.years,
        since=since,
        until=until,
        objekt=objekt,
        status=status,
        ranges=ranges,
        breakdown=p.breakdown,
        benefit_kind=p.benefit_kind,
        lowest=bool(_CUES["low"].search(p.norm)),
        chapter=chapter,
        search_query=(
            f"{previous.search_query} {p.text}"
            if previous is not None
            and (
                ("kind" in inherited and not p.content)
                # "vilket lärosäte var med och tog fram den?" after a question about a text topic
                or (kind in {"text", "help", "method"} and "pronoun" in p.cues)
            )
            else p.text
        ),
        inherited=tuple(inherited),
        topic=_topic_words(p),
        statuses=p.statuses,
        by_status=len(p.statuses) >= 2 or "status_word" in p.cues,
        split=p.split,
        initiatives=bool(
            {"initiatives", "objekt_word", "portfolio"} & p.cues
            or p.ranges
            or (p.objekt and not p.objekt_partial)
        ),
    )


def _topic_words(p: Parsed) -> tuple[str, ...]:
    """Content words plus short acronyms ("AI", "IT") that may name an initiative's topic."""
    # "digitaliseringsinitiativ", "it-projekten": the word for initiatives, not a topic
    words = [
        w
        for w in p.content
        if w not in _TOPIC_FILLER and not re.search(r"(initiativ|projekt|satsning)\w*$", w)
    ]
    # hyphenated compounds keep their first part ("e-tjänster" is not just "tjänster")
    for compound in re.findall(r"\w+(?:-\w+)+", p.text.lower()):
        if compound.split("-")[-1] in words:
            words.insert(0, compound)
    for acronym in re.findall(r"(?<!\w)[A-ZÅÄÖ]{2,3}(?!\w)", p.text):
        low = acronym.lower()
        if low not in words and not p.objekt_partial:
            words.append(low)
    return tuple(words)


def understand(
    question: str,
    history: Sequence[str],
    objekt: ObjektMatcher,
    latest_year: int | None = None,
    route: Callable[[str, Parsed], Route] | None = None,
) -> tuple[Intent, Route | None]:
    """The intent of ``question`` given the earlier user questions, and the router's decision.

    Each question is routed by ``route`` unless it is a bare follow-up of the one before
    (:func:`is_bare_followup`), which takes its kind from that one. Without a router every
    question is a follow-up or a text question.
    """
    previous: Intent | None = None
    decision: Route | None = None
    for text in [*list(history)[-4:], question]:
        p = parse(text, objekt)
        decision = None
        if route is not None and not (previous is not None and is_bare_followup(p)):
            decision = route(p.text, p)
        kind = decision.kind.value if decision is not None else None
        previous = resolve(p, previous, latest_year, kind)
    assert previous is not None
    return previous, decision
