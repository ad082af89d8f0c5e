"""The grounding check: every number in an answer must match what the evidence says it is.

The evidence (tool results and cited passages) is read as typed **facts**: a figure's value for a
year with its unit, its change from the previous year (signed), its relative change, its n; other
numbers with the words around them (a count per objekt, a share, a number in a passage sentence);
and the years that exist. The answer is read as **claims**: each number with its unit (%,
procent, procentenheter, av 10, av 5, initiativ, personer …), the figure named nearest before it
(Swedish and English aliases, :mod:`assistant.lang.figures`), the year of its clause, and whether
it is said as a change and in which direction ("ökade med 0,1").

A claim is grounded when a fact of the figure it names, with a compatible unit, for its year,
equals it at the written precision (8,16 grounds "8,2"; a ratio 0,882 grounds "88,2 %"), with the
same direction when it is a change; or, for a number that names no figure, when any fact of a
compatible kind does. Otherwise it is flagged with a reason: "8,7 är Nytta, inte Resultat",
"gäller 2024, inte 2025", "ökade inte, minskade", "finns inte i underlaget", or "kunde inte
kontrolleras". References (avsnitt 4.1, s. 12), scale ranges (1–5) and the Källor line are checked
only for occurring somewhere in the evidence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Any

from assistant.lang.figures import (
    CHANGE_BEFORE,
    DOWN_WORDS,
    FIGURE_ALIAS_RES,
    FOLDED_ALIAS_RES,
    QUALIFIER_FAMILIES,
    UNIT_PATTERNS,
    UP_WORDS,
    families_of,
    measures_agree,
    read_measure,
)
from assistant.lang.stopwords import FUNCTION_WORDS
from assistant.lang.text import fold, is_english, stem, tokens
from index_engine.formatting import fmt_number
from index_engine.model import AXES, FIGURE_SPECS, STATUSES

#: A number as people write it: 8,2 / 8.2 / 1 234,5 / 64,5 % / -0,3 (not part of a word).
NUMBER_RE = re.compile(
    r"(?<![\w.,])[-−+±]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\w])"
    r"|(?<![\w.,])[-−+±]?\d+(?:[.,]\d+)?(?![\w])"
)
_EN_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
#: "D2025-012", "COVID-19": the digits after the hyphen are part of an identifier.
_IDENTIFIER_BEFORE = re.compile(r"(?<![\w-])[^\W\d_]\w*-$")
_SPACES = re.compile(r"[ \u00a0\u202f]")
_YEAR_RE = re.compile(r"(?<![\w.,])(19[5-9]\d|20\d\d)(?![\w%]|[.,]\d)")
#: Where a sentence (or a list line) ends: the claims of one sentence share its year and figure.
#: The end of a sentence ("8,2." but not "8.2"); a clause after ";" is read as one too.
_FULL_STOP = re.compile(r"(?<!\d)[.!?](?=\s|$)|\n|(?<=\d)\.(?=\s+[A-ZÅÄÖ])")
_SENTENCE_END = re.compile(rf"{_FULL_STOP.pattern}|;")
#: A number that points into a document, not a figure: "avsnitt 4.1", "s. 12", "page 3".
_REFERENCE_BEFORE = re.compile(
    r"\b(avsnitt|kapitel|kap|section|chapter|sid|sidan|sida|s|p|page|bilaga|tabell|figur|fig"
    r"|punkt)\.?\s*$",
    re.IGNORECASE,
)
#: Between a number and a year that follows it: another number or a clause break unties them.
_NUMBER_GAP = re.compile(r"\d|[,;:]")
#: A scale or range: "1–5", "4-5", "(1–6)"; its ends are not figures.
_RANGE = re.compile(r"\d+\s*[–-]\s*\d+")
#: "3,72 av 5", "(av 10)": the scale a number is on, not a figure.
_SCALE_BEFORE = re.compile(
    r"(\bav|\bof|/|skala(n)?( \d+)?\s*[–-]?|\bvärdet|\bbetyget|\bskattningen|\bvalue)\s*$",
    re.IGNORECASE,
)
_SCALES = frozenset({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 10.0, 100.0})
#: "mellan 2024 och 2025", "between 2024 and": a period, not the year a value is for.
_PERIOD = re.compile(
    r"\b(mellan|between)\s*$|\b(mellan|between) (19|20)\d\d (och|and)\s*$"
    r"|\bfrån (19|20)\d\d (till|och)\s*$|\bfrom (19|20)\d\d (to|until)\s*$",
    re.IGNORECASE,
)
#: "2022 till 2025", "2022–2025": the first year of a period.
_PERIOD_START = re.compile(r"\s*(till|to|och|and|–|-|until)\s*(19|20)\d\d", re.IGNORECASE)
#: "2024 års": what follows is that year's.
_YEARS_OWN = re.compile(r"\s+års\b")
#: "sedan 2022", "since 2022": the start of a period, not the year a value is for.
_SINCE_BEFORE = re.compile(
    r"\b(sedan|since|ända sedan|från och med|alltsedan|jämfört med|jämfört mot|compared (to|with)"
    r"|than|från|from)\s*$",
    re.I,
)
#: "… ökade med 0,9 procentenheter till 65,1 %": the clause goes on about the same figure.
_CARRY = re.compile(
    r"\b(till|från|to|from|mot|versus|vs|jämfört med|avrundat|rounded|alltså|dvs|i\.e)\b"
    r"|\(\s*$"
)
#: "9,2 år 2023, 8,5 år 2024 och 8,8 år 2025": the next item of a list of one figure's values.
_LIST_ON = re.compile(r"\s*((år|i|in|under)\s+(19|20)\d\d\s*)?(,|och|and|samt)\s*")
_COMPARATIVE = re.compile(
    r"\b(från|till|jämfört|jämförelse|innan|före|förra|föregående|tidigare|fjol|sedan|senast"
    r"|from|to|compared|before|previous|prior|earlier|last|since|ökade?|ökning|steg|minskade?"
    r"|minskning|sjönk|föll|rose|fell|increased?|decreased?|up|down)\b|→|->"
)
_MORE_AFTER = re.compile(
    r"^\s*(%|procent|procentenheter|percentage points?|points|enheter)?\s*(\w+\s+)?"
    r"(?P<dir>fler|färre|more|fewer|högre|lägre|higher|lower|mer|mindre|less)\b"
)
_FIRST_WORD = re.compile(r"^\s*((av|of) \d+|[^\W\d]\w*)")
_CLAUSE_END = re.compile(r"[,.;:]\s|[,.;:]$|\n")
_AMOUNT_BEFORE = re.compile(r"\b(med|by)\s*$")
#: "året innan", "the year before": the previous year of the sentence, not its year.
_YEAR_BEFORE_AFTER = re.compile(
    r"^\s*(%|procent|percent)?\s*(året innan|året före|föregående år|förra året|i fjol"
    r"|the year before|the previous year|a year earlier|last year)",
    re.IGNORECASE,
)
#: "mot året innan, då det var 8,1", "föregående års 1,42": the same, named before the number in
#: its clause.
_YEAR_BEFORE_BEFORE = re.compile(
    r"\b(året innan|året före|föregående års?|förra årets?|i fjol|fjolårets|the year before"
    r"|the previous year|a year earlier|last year|last year's|the previous year's)\b"
    r"[^.;:\n\d]{0,30}$",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(nu|numera|i år|idag|i dag|now|today|this year)\b", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\b(från|from)\s*$", re.IGNORECASE)
#: "… med 1,7 procentenheter till", "… by 0.7 to": after a change's size, the level it reached.
_REACHED = re.compile(
    r"\s*(%|procentenheter|procent|percentage points|points|enheter)?\s*(till|to)\s*"
)
#: "under 2024", "during 2024": a year that is the time of a change, not where it started.
_DURING_BEFORE = re.compile(r"\b(under|during)\s+(år\s+)?$", re.IGNORECASE)
_QUOTE = re.compile(r"[”“«\"][^”“«»\"\n]{3,}[”“»\"]")
_N_BEFORE = re.compile(r"\bn\s*=\s*$")
_SOURCES_LINE = re.compile(r"^\s*(källor|källa|sources?)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    """A number found in text: how it was written, its value and its decimals."""

    text: str
    value: float
    decimals: int
    start: int

    @property
    def end(self) -> int:
        """Where the number's text ends."""
        return self.start + len(self.text)

    @property
    def signed(self) -> bool:
        """Written with a sign ("+0,3", "-0,1")."""
        return self.text.lstrip()[:1] in "+-−±"

    @property
    def sign(self) -> int:
        """The direction its sign gives: +1, -1, or 0 (no sign, or "±")."""
        return {"+": 1, "-": -1, "−": -1}.get(self.text.lstrip()[:1], 0)


def find_numbers(text: str, english: bool = False) -> list[NumberMention]:
    """Every number written in ``text`` (list markers and numbers inside words skipped).

    ``english``: "1,250" is one thousand two hundred and fifty (in Swedish it is 1,25).
    """
    skip = {
        m.start() + len(m.group(0)) - len(m.group(0).lstrip()) for m in _LIST_MARKER.finditer(text)
    }
    out: list[NumberMention] = []
    for m in NUMBER_RE.finditer(text):
        if m.start() in skip or _IDENTIFIER_BEFORE.search(text, max(0, m.start() - 24), m.start()):
            continue
        raw = m.group(0)
        cleaned = _SPACES.sub("", raw).replace("−", "-").replace(",", ".").lstrip("+±")
        if english and _EN_THOUSANDS.fullmatch(raw.lstrip("+-−")):
            cleaned = raw.replace(",", "").lstrip("+")
        try:
            value = float(cleaned)
        except ValueError:
            continue
        decimals = len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
        out.append(NumberMention(raw, value, decimals, m.start()))
    return out


# -- facts ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One number of the evidence and what it is.

    Attributes:
        value: The number (a change keeps its sign).
        kind: ``value``, ``change`` (absolute, signed), ``relchange`` (percent of the previous
            value), ``count``, ``n`` (how many a figure is computed from), ``year``,
            ``scenario`` (a figure in a what-if scenario: no year), ``scenario_change`` (its
            difference from the year) or ``number`` (anything else).
        unit: ``index10``, ``score5``, ``score6``, ``percent``, ``pp``, ``count`` or None.
        key: The figure key (``resultat``, ``dimios_verksamhet.Fastighet``), None for others.
        label: The figure's label (for reasons), or the words around a passage's number.
        year: The year it is for (a change: the later year), when known.
        words: Stems of the words around a number that is not a figure's (passages, tables).
        entity: The objekt, verksamhet, area or kind it is for (``Fastighet``), when known.
        names: For a passage's number: the figures its sentence names.
        measure: What a measured indicator counts and per which period (``("timme", "år")``
            for "timmar/år"), where known.
        alias: A row's number again under the row's second name (an indicator's initiative,
            an initiative's title): such a name names a number only when written before it.
    """

    value: float
    kind: str
    unit: str | None = None
    key: str | None = None
    label: str = ""
    year: int | None = None
    words: frozenset[str] = field(default_factory=frozenset)
    entity: str | None = None
    names: frozenset[str] = field(default_factory=frozenset)
    measure: tuple[str | None, str | None] = (None, None)
    alias: bool = False

    @cached_property
    def family(self) -> frozenset[str]:
        """The alias families that name this fact (by its key or label, or its sentence).

        Cached: every claim of an answer asks it of every fact.
        """
        out = set(self.names)
        out |= families_of(self.key or "")
        if self.key:
            text = self.label.lower()
            out |= {f for f, rx in FIGURE_ALIAS_RES.items() if rx.search(text)}
            folded = fold(self.label)
            out |= {f for f, rx in FOLDED_ALIAS_RES.items() if rx.search(folded)}
        return frozenset(out)


_FIGURE_FIELDS = {"key", "value", "unit"}


def _content_stems(text: str) -> frozenset[str]:
    return frozenset(
        stem(w)
        for w in tokens(text.lower())
        if len(w) > 2 and w not in FUNCTION_WORDS and not w[:1].isdigit()
    )


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(float(value)) else None


def _figure_facts(fig: Mapping[str, Any]) -> list[Fact]:
    key, label = str(fig["key"]), str(fig.get("label") or fig["key"])
    entity = key.split(".", 1)[1] if "." in key else None
    if isinstance(fig.get("name"), str):
        entity = str(fig["name"])
    unit = str(fig.get("unit") or "") or None
    year = fig.get("year") if isinstance(fig.get("year"), int) else None
    out: list[Fact] = []
    value = _num(fig.get("value"))
    kind = "count" if unit == "count" else "value"
    if value is not None:
        out.append(Fact(value, kind, unit, key, label, year, entity=entity))
    previous, prev_year = _num(fig.get("previous")), fig.get("previous_year")
    if previous is not None:
        before = prev_year if isinstance(prev_year, int) else None
        out.append(Fact(previous, kind, unit, key, label, before, entity=entity))
    change = _num(fig.get("change"))
    if change is not None:
        change_unit = "pp" if unit == "percent" else unit
        out.append(Fact(change, "change", change_unit, key, label, year, entity=entity))
        if previous:
            rel = 100.0 * change / previous
            out.append(Fact(rel, "relchange", "percent", key, label, year, entity=entity))
    n = _num(fig.get("n"))
    if n is not None:
        out.append(Fact(n, "n", "count", key, label, year, entity=entity))
    inputs = fig.get("inputs")
    if isinstance(inputs, Mapping):
        out.extend(_input_facts(inputs, year, entity))
    # a what-if scenario's figure (simulate_index): its value and difference in the scenario
    # are of kind "scenario" and belong to no year, so they never ground a claim about a
    # year's actual figure
    for name in ("simulated", "difference"):
        x = _num(fig.get(name))
        if x is not None and (name == "simulated" or x != 0):
            # a difference of percentages is in procentenheter
            in_unit = "pp" if name == "difference" and unit == "percent" else unit
            kind = "scenario_change" if name == "difference" else "scenario"
            out.append(Fact(x, kind, in_unit, key, label, None, entity=entity))
    return out


def _input_facts(
    inputs: Mapping[str, Any], year: int | None, owner: str | None = None
) -> list[Fact]:
    """A figure's inputs (``{"omraden": {"Effektivitet": 65,5, …}}`` nested too).

    ``owner``: the objekt or verksamhet the figure is for; its inputs are that one's too.
    """
    out: list[Fact] = []
    for name, v in inputs.items():
        x = _num(v)
        if x is not None:  # its unit is its own figure's (set later when that one is known)
            # a status ("pausad": 1) is what its count is about, like a named objekt
            entity = str(name) if _is_name(str(name)) or name in STATUSES else owner
            unit = _INPUT_UNITS.get(str(name), "input")
            out.append(Fact(x, "value", unit, str(name), str(name), year, entity=entity))
        elif isinstance(v, Mapping):
            out.extend(_input_facts(v, year))
    return out


#: The fields of a measured row that are in the row's own ``unit`` (the benefit register).
_MEASURE_FIELDS = frozenset({"baseline", "expected", "measured", "value", "target"})
#: The units of the engine's figures.
_FIGURE_UNITS = frozenset(spec.unit for spec in FIGURE_SPECS.values())
#: The units of a figure's inputs that are not figures of their own: the employee survey's mean
#: (1–5), a DiMiOS area's mean score (1–6), and the counts behind a figure. Such a part never
#: accuses a claim of naming the wrong figure (many sentences rightly mention it).
_INPUT_UNITS = {
    "medel": "score5",
    "medelpoang": "score6",
    "svar": "count",
    "svarande": "count",
    "mottagare": "count",
    "beslutade": "count",
    "genomforda": "count",
    "indikatorer": "count",
}
_UNIT_WORDS = {"procent": "percent", "%": "percent", "percent": "percent", "st": "count"}
_PERCENT_KEY = re.compile(r"pct|percent|procent|andel|share|rate|frekvens")
_COUNT_KEY = re.compile(r"count|antal|per_objekt|per_status|^n$|_n$|total|^initiatives_")


def _generic_unit(path: Sequence[str], value: float) -> str | None:
    """A table number's unit from its key path: a share is a percentage, a tally a count."""
    if path and path[-1] in AXES:
        return "score5"  # an axis's value (1–5), whatever the table around it is called
    for key in reversed(path[-2:]):
        low = key.lower()
        if _PERCENT_KEY.search(low):
            return "percent"
        if _COUNT_KEY.search(low) and value == int(value):
            return "count"
    return None


def _is_name(key: str) -> bool:
    """A dict key that names something ("Social omsorg", "Fastighet"), not a field."""
    return bool(key) and (key[:1].isupper() or " " in key) and not key.isupper()


#: A change's part named by its kind ("verksamhet:Kultur och fritid", "objekt:Fastighet").
_PART_OF = re.compile(r"^[a-zåäö_]+:\S")


#: The fields of a what-if target's path that hold the varied figure's values.
_VARIED_FIELDS = ("needed", "vary_current", "best_display")


def _walk(
    node: Any,
    words: tuple[str, ...],
    year: int | None,
    out: list[Fact],
    entity: str | None = None,
    unit: str | None = None,
) -> None:
    if isinstance(node, Mapping):
        here_year = node.get("year") if isinstance(node.get("year"), int) else year
        # a figure's unit holds for the changes shown inside it ("change_display": "+0,2" of
        # an index is 0,2 points, of a percentage 0,2 procentenheter)
        here_unit = str(node["unit"]) if node.get("unit") in _FIGURE_UNITS else unit
        if _FIGURE_FIELDS <= set(node) and isinstance(node.get("key"), str):
            # a figure: its numbers are typed facts, not loose numbers
            out.extend(_figure_facts(node))
            for name in ("year", "previous_year"):
                if isinstance(node.get(name), int):
                    out.append(Fact(float(node[name]), "year"))
            for name in ("label", "formula"):
                if isinstance(node.get(name), str):  # "(poäng - 1) / 5 × 100", "(4–5)"
                    out.extend(_text_facts(node[name], (str(node["key"]),)))
            return
        names = tuple(str(v) for k, v in node.items() if isinstance(v, str) and len(v) < 120)
        named = next(
            (str(node[n]) for n in ("name", "indicator", "objekt", "verksamhet", "omrade",
                                    "initiative")
             if isinstance(node.get(n), str)),
            entity,
        )  # fmt: skip
        if named is entity and _PART_OF.match(str(node.get("figure", ""))):
            # a change's part ({"figure": "verksamhet:Kultur och fritid", "label": ...})
            named = str(node.get("label") or named)
        # a what-if target's path ({"vary": "genomforandegrad", "needed": 97,9, …}): the value
        # needed and the current one are the varied figure's
        varied = families_of(node["vary"]) if isinstance(node.get("vary"), str) else frozenset()
        # a change's part that is a figure itself ({"figure": "forutsattningar", "contribution":
        # 0,0016, …} of the index): its numbers are that figure's, not any figure's
        figure = node.get("figure")
        owner = (
            families_of(figure)
            if isinstance(figure, str) and "contribution" in node and figure.isidentifier()
            else frozenset()
        )
        # {"extern": 6, "intern": 40}, {"genomförd": 50, ...}: a distribution over categories
        categories = len(node) >= 2 and all(_num(v) is not None for v in node.values())
        # {"Fastighet": {...}, "Social omsorg": {...}}, {"innovation_effektivitet": {"1": 37}}:
        # a mapping of things, each key names the numbers inside it
        things = len(node) >= 2 and all(isinstance(v, Mapping) for v in node.values())
        out.extend(_tallies(node, words))
        out.extend(_filtered_count(node))
        first = len(out)
        for k, v in node.items():
            key_words = (*words, *names, str(k))  # the key last: units are read from it
            x = _num(v)
            if x is not None:
                name = str(k)
                is_year = (name == "year" or name.endswith(("_year", "years"))) and (
                    1950 <= x <= 2099 and x == int(x)
                )
                kind = "year" if is_year else "number"
                if "change" in name or "diff" in name:
                    kind = "change"
                stems = _content_stems(" ".join(key_words))
                own = name if (_is_name(name) or (categories and not name.isdigit())) else named
                unit = _generic_unit((*words, name), x)
                fact_year = here_year
                if name.startswith("previous") and isinstance(node.get("previous_year"), int):
                    fact_year = int(node["previous_year"])  # "previous_count": that year's
                elif name.startswith("base"):
                    fact_year = None  # a part's "base_display": the year it is compared with
                measure: tuple[str | None, str | None] = (None, None)
                if isinstance(node.get("unit"), str) and name in _MEASURE_FIELDS:
                    unit = _UNIT_WORDS.get(str(node["unit"]).lower(), unit)
                    measure = read_measure(str(node["unit"]))  # "timmar/år"
                elif kind == "change" and unit is None and node.get("unit") in _FIGURE_UNITS:
                    # a series' change: in the figure's unit (procentenheter for a percentage)
                    unit = "pp" if node["unit"] == "percent" else str(node["unit"])
                elif kind == "change" and unit == "percent":
                    # "change_pct", "change_in_count_pct": a change relative to the earlier
                    # value (−5 % of the initiatives), not procentenheter
                    kind = "relchange"
                of = varied if name.startswith(_VARIED_FIELDS) else owner
                out.append(Fact(x, kind, unit, None, name, fact_year, stems, own, of, measure))
                if kind == "year" and x == int(x):
                    out.append(Fact(x, "year"))
            elif isinstance(v, str) and varied and str(k).startswith(_VARIED_FIELDS):
                out.extend(replace(f, names=varied) for f in _text_facts(v, key_words, named))
            elif isinstance(v, str) and str(k).endswith("display") and here_unit is not None:
                change_unit = "pp" if here_unit == "percent" else here_unit
                out.extend(
                    replace(
                        f,
                        unit=change_unit if f.kind == "change" and f.unit is None else f.unit,
                        # a figure's part: its value and change are of the year explained (its
                        # base year's value is not dated here)
                        names=f.names | owner,
                        year=here_year if owner and not str(k).startswith("base") else f.year,
                    )
                    for f in _text_facts(v, key_words, named)
                )
            else:
                child = str(k) if _is_name(str(k)) or (things and not str(k).isdigit()) else named
                _walk(v, key_words, here_year, out, child, here_unit)
        initiative = node.get("initiative") if "indicator" in node else node.get("title")
        if (
            isinstance(initiative, str)
            and initiative != named
            and ("indicator" in node or "objekt" in node)
        ):
            # an indicator's row is also named by its initiative ("Digital signering av avtal
            # sänkte kostnaden till 32 579 kr"), an initiative's row of a list by its title as
            # well as its objekt ("Smart stad Nacka har 5 på innovationsskalan"): its numbers
            # again, under that name
            out.extend(
                replace(f, entity=initiative, alias=True) for f in out[first:] if f.entity == named
            )
        return
    if isinstance(node, str):
        out.extend(_text_facts(node, words, entity))
        return
    if isinstance(node, Iterable) and not isinstance(node, bytes):
        for item in node:
            x = _num(item)
            if x is not None:
                out.append(Fact(x, "number", None, None, "", year, _content_stems(" ".join(words))))
                if words and words[-1].endswith("years") and x == int(x):
                    out.append(Fact(x, "year"))
            else:
                _walk(item, words, year, out, entity, unit)


#: Fields of listed rows whose values are counted ("varav 6 från 2025", "3 inom Fastighet").
#: The portfolio's axes by the stems of the words that name them.
_AXIS_STEMS = {
    axis: frozenset(stem(w) for w in words.split())
    for axis, words in (
        ("innovation_effektivitet", "innovation innovationsskalan effektivitet"),
        ("operativt_strategiskt", "operativt operativ strategiskt strategisk"),
        ("extern_intern", "extern externt intern internt"),
    )
}
#: "flest", "färst", "varav": a sentence that ranks or splits things by how many they have.
_MOST_STEMS = frozenset({"flest", "färrest", "färst", "most", "fewest", "varav"})
_TALLIED = ("year", "objekt", "verksamhet", "status", "kind")


def _names_a_proper_entity(claim: Claim, facts: Sequence[Fact]) -> bool:
    """Whether the claim's sentence names an objekt, verksamhet or area the evidence has.

    Not the one a list is filtered on: its rows' tallies are that one's.
    """
    scopes = {f.entity for f in facts if f.kind == "count" and f.label == f"count {f.entity}"}
    return any(
        f.entity[:1].isupper() and _content_stems(f.entity) <= claim.context
        for f in facts
        if f.entity and not f.alias and f.entity not in scopes
    )


def _filtered_count(node: Mapping[str, Any]) -> list[Fact]:
    """A list's count under its filters: how many of that status or objekt.

    {"filters": {"year": 2024, "status": "pausad"}, "count": 3} grounds "2024 pausades 3
    initiativ" and not 4 (the rows' own numbers, such as axis values, are other things).
    """
    filters, count = node.get("filters"), _num(node.get("count"))
    if not isinstance(filters, Mapping) or count is None:
        return []
    named = [str(filters[k]) for k in ("status", "objekt") if isinstance(filters.get(k), str)]
    if len(named) != 1:
        return []
    return [Fact(count, "count", "count", None, f"count {named[0]}", entity=named[0])]


def _tallies(node: Mapping[str, Any], words: Sequence[str]) -> list[Fact]:
    """How many listed rows have each year, objekt, verksamhet, status or kind (whole lists only).

    A list of rows ({"count": 11, "initiatives": [{"year": 2025, "status": …}, …]}) grounds
    the counts an answer reads off it ("varav 6 från 2025"); a list cut short of its ``count``
    grounds none, nor does a field with one value in every row or another in each.
    """
    out: list[Fact] = []
    for k, rows in node.items():
        if not isinstance(rows, list) or len(rows) < 2:
            continue
        if not all(isinstance(r, Mapping) for r in rows):
            continue
        if _num(node.get("count")) not in (None, float(len(rows))):
            continue
        for name in _TALLIED:
            values = Counter(r.get(name) for r in rows if isinstance(r.get(name), (str, int)))
            if not 2 <= len(values) < len(rows):
                continue  # one value (the rows' total) or one row each: no breakdown
            for value, n in values.items():
                is_year = name == "year" and isinstance(value, int)
                out.append(
                    Fact(
                        float(n),
                        "count",
                        "count",
                        None,
                        f"{k} {name} {value}",
                        int(value) if is_year else None,
                        _content_stems(" ".join((*words, str(k), str(value)))),
                        None if is_year else str(value),
                    )
                )
    return out


#: "Årets resultat för Nytta", "Resultat Medarbetare 2025": "result" said of another figure.
_RESULT_OF = re.compile(r"\bresultat(et)?\s+(för\s+|inom\s+)?(?P<rest>[^\W\d].{0,30})")


def _named_in(low: str) -> frozenset[str]:
    """The figures a passage's sentence names (not Resultat where it is another's result)."""
    names = {name for name, rx in FIGURE_ALIAS_RES.items() if rx.search(low)}
    if "resultat" in names and len(names) > 1:
        generic = [
            m
            for m in _RESULT_OF.finditer(low)
            if any(
                rx.match(m.group("rest")) for n, rx in FIGURE_ALIAS_RES.items() if n != "resultat"
            )
        ]
        if len(generic) == len(FIGURE_ALIAS_RES["resultat"].findall(low)):
            names.discard("resultat")
    return frozenset(names)


def _text_facts(text: str, words: Sequence[str] = (), entity: str | None = None) -> list[Fact]:
    """The numbers of a passage with the words of their sentence (and its year)."""
    out: list[Fact] = []
    extra = " ".join(words)
    for lo, hi in _sentences(text):
        body = text[lo:hi]
        stems = _content_stems(body + " " + extra)
        names = _named_in(body.lower())
        for claim in read_claims(body):
            m = claim.mention
            if claim.unit == "year":
                out.append(Fact(m.value, "year"))
                continue
            kind = "change" if claim.change else "number"
            value = -abs(m.value) if claim.change and claim.direction < 0 else m.value
            out.append(
                Fact(value, kind, claim.unit, None, body[:80], claim.year, stems, entity, names)
            )
    return out


def evidence_facts(evidence: Any) -> list[Fact]:
    """Every fact in tool results and passages (dicts, lists, strings, numbers)."""
    out: list[Fact] = []
    _walk(evidence, (), None, out)
    units = {str(f.key): f.unit for f in out if f.key and f.kind == "value" and f.unit != "input"}
    # a component inside another figure has its own figure's unit when that one is known
    return [
        replace(f, unit=units[str(f.key)]) if f.unit == "input" and units.get(str(f.key)) else f
        for f in out
    ]


# -- claims --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """A number in the answer and what it is said about.

    Attributes:
        mention: The number as written.
        unit: ``percent``, ``pp``, ``index10``, ``score5``, ``score6``, ``points``, ``count``,
            ``year`` or None.
        family: The figure family named nearest before it in its sentence (None: none named).
        family_words: The words that named it (for reasons).
        year: The year of its sentence nearest to it (None: none written).
        change: Said as the size of a change ("ökade med", "+0,3").
        direction: +1 (up), -1 (down) or 0 (not said).
        loose: A reference, a scale or a number in the sources line: it only has to occur.
        context: Stems of its sentence.
        scale: A scale ("av 10", "1–5"): needs no evidence.
        entity: The objekt, verksamhet, area or kind named in its clause (one the evidence has).
        comparative: Its sentence compares with another time (från, tidigare, ökade …).
        measure: The quantity and period written after it ("timmar per månad").
        role: What it is in a benefit indicator's row, by the words just before it: the value
            expected ("mot ett mål på"), measured ("nådde") or the baseline ("från").
        year_before: Said for the year before the sentence's ("året innan", "föregående års"):
            that year (see :func:`_year_before_problem`).
        axis: The portfolio axis named in its clause ("5 på innovation–effektivitet").
        since: Its year may be where a change started ("ökade från 2024", "sedan 2023"); False
            when the year is only the time of the change ("under 2024 ökade indexet").
        measured: It counts the indicators that were measured ("16 uppmätta indikatorer": True)
            or were not ("1 ej uppmätt": False); None when it says neither.
        span: The years a change is said over, when its sentence names more than one year's
            step ("sedan 2022": (2022, None), "mellan 2022 och 2025": (2022, 2025)).
        named: The proper names (objekt, verksamheter, initiatives …) its sentence names, when
            its clause refers back to one of them ("…, där 2 av 4", "och det uppmätta utfallet
            blev 502"); else empty.
    """

    mention: NumberMention
    unit: str | None
    family: str | None
    family_words: str
    year: int | None
    change: bool
    direction: int
    loose: bool
    context: frozenset[str]
    scale: bool = False
    entity: str | None = None
    comparative: bool = False
    measure: tuple[str | None, str | None] = (None, None)
    role: str | None = None
    year_before: int | None = None
    named: frozenset[str] = frozenset()
    axis: str | None = None
    since: bool = True
    measured: bool | None = None
    span: tuple[int, int | None] | None = None


#: Between a role's word and its number: "mål på", "measured value was", "target of".
_ROLE_LINK = (
    r"(\s+(värde\w*|value|level|nivå\w*))?"
    r"(\s+(på|om|of|was|were|var|är|is|at|to|till|av|about|omkring))?\s*:?\s*"
)
#: The words just before a number that say which value of an indicator's row it is (the row's
#: field names: expected, measured, baseline).
_ROLE_BEFORE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"\b({words})\b{_ROLE_LINK}$"))
    for role, words in (
        ("expected", r"mål(et|värdet?|sättningen)?|förväntade?|förväntat|väntade?|väntat"
         r"|targets?|targeted|expected|goal|aim(ed)? (at|for)"),
        ("measured", r"nådde|uppmätt\w*|landade|utfall(et)?|measured|reached|achieved|actual"),
        ("baseline", r"utgångsvärde\w*|utgångsläge\w*|baseline|från|from"),
    )
)  # fmt: skip
_ROLE_SV = {"expected": "det förväntade värdet", "measured": "det uppmätta värdet",
            "baseline": "utgångsvärdet"}  # fmt: skip
_ROLE_FIELDS = frozenset(_ROLE_SV)


def _role(clause: str) -> str | None:
    """Which value of an indicator's row the words before a number say it is, if any."""
    low = clause.lower()
    found = [(m.start(), role) for role, rx in _ROLE_BEFORE if (m := rx.search(low))]
    return max(found)[1] if found else None


def _sentences(text: str, end: re.Pattern[str] = _SENTENCE_END) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in end.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _unit_after(after: str) -> str | None:
    low = after.lower()
    for rx, unit in UNIT_PATTERNS:
        if rx.search(low):
            return unit
    return None


_PREPOSITION_BEFORE = re.compile(
    r"\b(i|inom|för|enligt|från|av|bland|på|in|within|for|according to|from|of|among|on|at)"
    r"\s+$"
)
#: "drevs av Resultat", "driven by Nytta": the figure after "av" is what did it, not a qualifier.
_AGENT_BEFORE = re.compile(
    r"\b(drevs|drivs|förklaras|förklarades|orsakades|orsakas|bars|bärs|leddes|driven|caused"
    r"|explained|led)\s+(främst\s+|mainly\s+|mostly\s+)?(av|by)\s+$"
)
_MOVED_BEFORE = re.compile(
    r"\b(drog|drar)(\s+\w+)?\s+(upp|ned|ner|uppåt|nedåt)\s+$"
    r"|\b(lyfte|lyfter|sänkte|höjde|pulled \w+|lifted)\s+$"
)
_SUBSET_AFTER = re.compile(r"^\s*(av|of) \d+\s+(?P<noun>[^\W\d]\w*)\s*(?P<verb>[^\W\d]\w*)?")
#: "svarade", "genomförda", "pausades", "responded": a verb or participle ("mottagare",
#: "svarande", "recipients" are nouns).
_VERB_FORM = re.compile(r"\w+(ade|ades|ad|da|des|dde|rde|ed)")
#: "142 av 220 svarade", "50 genomförda av 57": the number after "av" is the whole.
_WHOLE_BEFORE = re.compile(r"\d(\s+[^\W\d]\w*)?\s+(av|of)\s+$")
#: "57 initiativ", "220 mottagare", "50 av 57 initiativ": the word right after names the number.
_NAMED_AFTER = re.compile(
    r"^\s*(%|procent|percent)?\s*((av|of) \d+\s+)?(?P<word>[^\W\d]\w*)"
    r"(\s+(?P<second>[^\W\d]\w*))?"
)


#: "+3,44 för Digital förmåga": the words after "för" may name the figure.
_FOR_AFTER = re.compile(
    r"^\s*(%|procent\w*|percentage points?|points?|poäng)?\s*(för|for)\s+(?P<words>[^\W\d][\w ]*)"
)
#: "32,2 % av medarbetarna svarade positivt": a share of a group, the words that follow.
_SHARE_OF_AFTER = re.compile(r"^\s*(%|procent|percent)\s*(av|of)\s+(?P<words>([^\W\d]\w*\s*){1,4})")


def _alias_of(word: str) -> tuple[str, str] | None:
    """The figure family a single word names, with the word, or None."""
    for name, rx in FIGURE_ALIAS_RES.items():
        if word and (rx.fullmatch(word) or rx.match(word)):
            return name, word
    return None


def _nearest_family(clause: str, after: str, whole: bool = False) -> tuple[str | None, str]:
    """The family that names the number, with its words.

    The word right after it names it ("142 svarande", "50 av 57 initiativ"); else the family
    named nearest before it in its clause (back to the previous number). ``whole``: the number
    is the whole of a part written before it ("142 av 220").
    """
    subset = _SUBSET_AFTER.match(after.lower())
    if subset:
        # "142 av 220 mottagare svarade": the noun is the whole (220); the verb names the part,
        # as in "142 av 220 svarade"
        verb = subset.group("verb") or ""
        if _VERB_FORM.fullmatch(subset.group("noun")):
            verb = subset.group("noun")
        for name, rx in FIGURE_ALIAS_RES.items():
            if verb and rx.fullmatch(verb):
                return name, verb
        return None, ""
    share = _SHARE_OF_AFTER.match(after.lower())
    if share:
        # "32,2 % av medarbetarna svarade positivt": the share is named by its qualifier
        for word in share.group("words").split():
            qualified = _alias_of(word)
            if qualified and qualified[0] in QUALIFIER_FAMILIES:
                return qualified
    for_after = _FOR_AFTER.match(after.lower())
    if for_after:
        # "+3,44 för Digital förmåga": the figure it is given for
        words = for_after.group("words")
        hits = [(m.start(), name, m.group(0)) for name, rx in FIGURE_ALIAS_RES.items()
                if (m := rx.search(words))]  # fmt: skip
        if hits and min(hits)[0] == 0:
            _at, name, said = min(hits)
            return name, said
    named = _NAMED_AFTER.match(after.lower())
    if whole:
        # "142 av 220 mottagare": the noun right after the whole names it; never a verb ("142 av
        # 220 svarade": what the part did) nor the part's words before it ("50 genomförda av 57")
        word = named.group("word") if named else ""
        return (None if _VERB_FORM.fullmatch(word) else _alias_of(word)) or (None, "")
    if named:
        first = _alias_of(named.group("word"))
        # "32,2 % svarade positivt": a word naming a figure, or a more precise one after it
        second = _alias_of(named.group("second") or "") if first else None
        if first:
            return second if second and second[0] in QUALIFIER_FAMILIES else first
    found: list[tuple[int, bool, int, int, str, str]] = []
    # a closed parenthesis before the number is an aside ("Välfärd skola (26 svarande) låg …")
    low = re.sub(r"\([^()]*\)", lambda g: " " * len(g.group(0)), clause.lower())
    for order, (name, rx) in enumerate(FIGURE_ALIAS_RES.items()):
        for m in rx.finditer(low):
            gap = len(low) - m.end()
            # "i DiMiOS" qualifies another figure, but "from Förutsättningar 7,0" names the number
            # and "Nytta drog ned indexet med 0,02" is about Nytta: the index is what it moved
            modifier = gap > 2 and bool(
                (
                    _PREPOSITION_BEFORE.search(low[: m.start()])
                    and not _AGENT_BEFORE.search(low[: m.start()])
                )
                or (_MOVED_BEFORE.search(low[: m.start()]) and _AMOUNT_BEFORE.search(low))
            )
            # ending at the same place, the longer name and then the family listed first (the
            # more specific) names it: "completion rate" is no response rate,
            # "nyttorealiseringen" is nyttorealisering, not nytta
            found.append((gap, modifier, -len(m.group(0)), order, name, m.group(0)))
    # "svarsfrekvensen i DiMiOS", "enligt DiMiOS var svarsfrekvensen": a figure named after a
    # preposition qualifies another one
    heads = [f for f in found if not f[1]]
    if heads:
        _d, _m, _n, _o, name, words = min(heads)
        return name, words
    return None, ""


def _plain(text: str) -> str:
    """Lower case with ``_``, ``/`` and ``-`` as spaces ("operativt_strategiskt")."""
    return re.sub(r"[_/\-–—]", " ", text.lower())


_TRAILING_ID = re.compile(r"\s*\([^()]*\)\s*$")


@lru_cache(maxsize=4096)
def _inflected(key: str) -> re.Pattern[str]:
    """A name with each word's inflected forms (a suffix of up to three letters)."""
    words = key.split()
    return re.compile(r"\b" + r"\s+".join(re.escape(w) + r"\w{0,3}" for w in words) + r"\b")


def _nearest_entity(
    text: str, lo: int, hi: int, entities: Sequence[str], from_end: bool
) -> tuple[int, str, int] | None:
    """The entity named in ``text[lo:hi]`` nearest to the number, or None.

    The number is at ``hi`` when ``from_end``, else at ``lo``. Returns (distance, name, where
    the name starts in ``text``).
    """
    low = _plain(text[lo:hi])
    best: tuple[int, str, int] | None = None
    for name in entities:
        if len(name) < 4:
            continue
        # "Tid till beslut (D2025-044)" is named "tid till beslut"
        key = _plain(_TRAILING_ID.sub("", name))
        if name in _STATUS_FORMS:  # "pausades", "avbröts", not "genomförandegraden"
            found = [(x.start(), x.end()) for x in _STATUS_FORMS[name].finditer(low)]
            if not found:
                continue
            at, end = found[-1] if from_end else found[0]
            key = low[at:end]
        else:
            at = low.rfind(key) if from_end else low.find(key)
            if at < 0:
                # inflected: "GPS-uppföljningen av snöröjningen", "Välfärd skolas"
                said = list(_inflected(key).finditer(low))
                if said:
                    hit = said[-1] if from_end else said[0]
                    at, key = hit.start(), hit.group(0)
            if at < 0 and "_" in name and not set(name.split("_")) & set(entities):
                # an axis by its two ends, unless they are named things of their own ("extern")
                at, key = _axis_named(low, name, from_end)
        if at < 0:
            continue
        distance = len(low) - (at + len(key)) if from_end else at
        if best is None or distance < best[0]:
            best = (distance, name, lo + at)
    return best


def _axis_named(low: str, name: str, from_end: bool) -> tuple[int, str]:
    """Where an axis is named by its two ends, in any order and form, and the words naming it.

    "effektivisering–innovation" names ``innovation_effektivitet``; (-1, "") when not named.
    """
    spots = []
    for part in name.split("_"):
        found = [x.span() for x in re.finditer(rf"(?<!\w){re.escape(part[:6])}\w*", low)]
        if not found:
            return -1, ""
        spots.append(found[-1] if from_end else found[0])
    start, end = min(a for a, _b in spots), max(b for _a, b in spots)
    return start, low[start:end]


#: A status in its inflected forms ("pausades", "avbröts", "pågår", "genomfördes").
_STATUS_FORMS = {
    "beslutad": re.compile(r"\bbeslutade?\b"),
    "pågående": re.compile(r"\bpågå(ende|r)\b"),
    "genomförd": re.compile(r"\bgenomförd(a|es)?\b|\bgenomfört\b"),
    "pausad": re.compile(r"\bpausa(d|de|des|ts)\b"),
    "avbruten": re.compile(r"\bavbr(uten|utna|utet|öts|ötts)\b"),
}

#: "då", "samma år": the year of the sentence before.
_THEN = re.compile(r"\b(då|samma år|det året|that year|then)\b", re.IGNORECASE)
#: "6 (10,5 %)", "6 initiativ (10,5 %)": the number in parentheses restates the one before it.
_RESTATED = re.compile(r"\s*([^\W\d]\w*\s*)?\(\s*")
#: "44 av 48": a part of a whole written after it.
_OF_WHOLE_AFTER = re.compile(r"\s+(av|of)\s+\d")
#: "50 av 57": the number after is the whole the one before is part of.
_OF_WHOLE = re.compile(r"\s+(av|of)\s+")
#: "1,04 respektive 0,95": numbers in the order of the names before them.
_RESPECTIVE = re.compile(r"\s*(%|procent\w*)?\s*respektive\b")
_CLAUSE_BREAK = re.compile(r"(?<!\d),|,(?!\d)|;|·|:\s|\b(och|and|medan|while|men|but)\b")
#: "… och bidrog med", "… and rose by": a second verb of the same subject, not a new clause.
_SAME_SUBJECT = re.compile(
    r"\b(och|and)\s+(?=(bidrog|låg|landade|hamnade|blev|var|gick|steg|sjönk|ökade|minskade"
    r"|drog|stod|nådde|fick|har|hade|står|ligger|contributed|was|rose|fell|reached|stood)\b)"
)
#: How far after a number its entity may be named ("70.2 % of the initiatives were classed as
#: external"), when no other number or clause comes first.
_AFTER_REACH = 50


@dataclass
class _EntityOrder:
    """How one sentence names its entities: before their numbers or after them."""

    mode: str = ""
    taken: set[int] = field(default_factory=set)
    #: Names that name a number only when written before it (see :attr:`Fact.alias`).
    before_only: frozenset[str] = frozenset()


def _clause_break(text: str, lo: int, hi: int, names: Sequence[str]) -> int | None:
    """Where the clause after a number ends, not inside a name ("Kultur och fritid")."""
    low = _plain(text[: hi + 40])
    spans = [
        (at.start(), at.end())
        for name in names
        if " och " in (key := _plain(_TRAILING_ID.sub("", name))) or " and " in key
        for at in re.finditer(re.escape(key), low)
    ]
    for cut in _CLAUSE_BREAK.finditer(text, lo, hi):
        if not any(a <= cut.start() < b for a, b in spans):
            return cut.start()
    return None


def _claim_entity(
    text: str,
    clause_start: int,
    m: NumberMention,
    hi: int,
    inside: Sequence[NumberMention],
    entities: Sequence[str],
    lo: int,
    order: _EntityOrder,
) -> str | None:
    """The entity a number is about, named in its sentence.

    A sentence names its entities either before their numbers ("Teknik låg på 65,3 % och
    Innovation på 53,9 %") or after them ("40 were rated external and 6 internal"): the first
    number that finds one sets the order for the rest. A name used as the entity after one
    number is not the entity before the next. A number in parentheses ("Social omsorg (9)") is
    about what comes before it.
    """
    if not entities:
        return None
    # the next number of the sentence, past one in parentheses that restates this one and past
    # the whole of "50 av 57 är genomförda" (the words after the whole name the part)
    nxt = min(
        [
            hi,
            *(
                x.start
                for x in inside
                if x.start > m.start
                and not _RESTATED.fullmatch(text, m.end, x.start)
                and not _OF_WHOLE.fullmatch(text, m.end, x.start)
            ),
        ]
    )
    # proper names (objekt, verksamheter, areas) before categories that are also common words
    # ("genomförd", "pausad", "extern")
    proper = [e for e in entities if e[:1].isupper()]
    for group in (proper, [e for e in entities if not e[:1].isupper()]):
        if not group:
            continue
        before = _nearest_entity(text, clause_start, m.start, group, from_end=True)
        if before and before[2] in order.taken:
            before = None
        if text[max(0, m.start - 1) : m.start] == "(" or text[m.end : m.end + 1] == ")":
            before = before or _nearest_entity(text, lo, m.start, group, from_end=True)
            if before:
                order.mode = order.mode or "before"
                return before[1]
            continue
        # after the number, within its clause ("…med 1,03, medan ekonomisk …" names the next)
        limit = min(nxt, m.end + _AFTER_REACH)
        cut = _clause_break(text, m.end, limit, group)
        reach = cut if cut is not None else limit
        after = _nearest_entity(
            text, m.end, reach, [e for e in group if e not in order.before_only], False
        )
        if after and _AGENT_BEFORE.search(text[m.end : after[2]].lower()):
            # "Ökningen på 0,90 drevs av Social omsorg, som bidrog med 0,40": the whole change,
            # and the one that drove it
            after = None
        if before and after and _CLAUSE_BREAK.search(text, before[2], m.start):
            # "… ger intern nytta och endast 6 (10,5 %) extern nytta": the name of its own
            # clause, after it, not the one before the break
            before = None
        if before:
            order.mode = order.mode or "before"
            if _RESPECTIVE.match(text, m.end):
                # "A och B drog ned med 1,04 respektive 0,95": the first number is A's
                first = _nearest_entity(text, lo, before[2], group, from_end=True)
                if first:
                    return first[1]
            return before[1]
        same_subject = _SAME_SUBJECT.sub(" ", text[clause_start : m.start])
        if order.mode == "before" and not _CLAUSE_BREAK.search(same_subject):
            # "Välfärd skola (26 svarande) låg lägst med 61,6 %": the same clause goes on, also
            # past "och" before its next verb ("gick från 83,3 % till 100 % och bidrog med 1,26")
            earlier = _nearest_entity(text, lo, m.start, group, from_end=True)
            if earlier and earlier[2] not in order.taken:
                return earlier[1]
        if after:
            order.mode = order.mode or "after"
            order.taken.add(after[2])
            return after[1]
    return None


#: "ökade till", "sjönk ytterligare till", "rose to": the level a change reached.
_MOVED_TO = re.compile(
    rf"(?P<verb>{UP_WORDS.pattern}|{DOWN_WORDS.pattern})(\s+\w+){{0,2}}\s+(till|to)\s*$"
)
#: A clause that goes on about what its sentence named: "där", "och det uppmätta", "varav".
_BACK_REFERENCE = re.compile(
    r"^(där|det|den|dess|deras|vilket|vilken|varav|som|it|its|where|which|of which)\b"
)


#: The words that name an axis of the portfolio in a number's clause.
_AXIS_WORDS = (
    ("innovation_effektivitet", re.compile(r"\b(innovation|effektivitet)\w*", re.IGNORECASE)),
    ("operativt_strategiskt", re.compile(r"\b(operativ|strategisk)\w*", re.IGNORECASE)),
    ("extern_intern", re.compile(r"\b(extern|intern)(a|t)?\b", re.IGNORECASE)),
)


def _axis_of(clause: str, after: str) -> str | None:
    """The axis named right after a number ("5 på innovationsaxeln"), else just before it."""
    cut = _CLAUSE_BREAK.search(after)
    for text in (after[: cut.start() if cut else 40][:40], clause[-40:]):
        found = [(m.start(), axis) for axis, rx in _AXIS_WORDS if (m := rx.search(text))]
        if len({axis for _at, axis in found}) == 1:
            return found[0][1]
    return None


def _refers_back(clause: str) -> bool:
    """Whether the clause's last part (after its last break) starts by referring back."""
    breaks = list(_CLAUSE_BREAK.finditer(clause))
    last = clause[breaks[-1].end() :] if breaks else clause
    return _BACK_REFERENCE.match(last.strip().lower()) is not None


def read_claims(
    answer: str, entities: Sequence[str] = (), before_only: frozenset[str] = frozenset()
) -> list[Claim]:
    """Every number of ``answer`` as a claim (see :class:`Claim`).

    ``entities``: names the evidence has numbers for (objekt, verksamheter, areas, kinds);
    ``before_only``: those of them that name a number only when written before it.
    """
    claims: list[Claim] = []
    mentions = find_numbers(answer, english=is_english(tokens(answer.lower())))
    # a number inside a name the evidence has ("Tid till beslut (D2025-044)") is part of it
    low = answer.lower()
    names = [
        (at, at + len(e))
        for e in entities
        if any(c.isdigit() for c in e)
        for at in (m.start() for m in re.finditer(re.escape(e.lower()), low))
    ]
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in names)]
    quoted = [(q.start(), q.end()) for q in _QUOTE.finditer(answer)]
    said_years: list[int] = []  # the years of the sentence before
    for lo, hi in _sentences(answer):
        sentence = answer[lo:hi]
        line_start = answer.rfind("\n", 0, lo + 1) + 1
        sources_line = bool(_SOURCES_LINE.match(answer[line_start : line_start + 12]))
        years = [
            (m.start(1) + lo, int(m.group(1)))
            for m in _YEAR_RE.finditer(sentence)
            # (not "från 2024", but "från 2024 års resultat på 64,2 %": that year's value)
            if (
                not _SINCE_BEFORE.search(sentence[: m.start(1)])
                or _YEARS_OWN.match(sentence, m.end(1))
            )
            and not _PERIOD.search(sentence[: m.start(1)])
            and not _PERIOD_START.match(sentence, m.end(1))
        ]
        joined = answer[max(0, lo - 1) : lo] == ";"
        if not years and len(set(said_years)) == 1 and (joined or _THEN.search(sentence)):
            # "…; ekonomisk nytta låg då på 93,1 %", "Utkastet för 2024 …; mätningen gick till
            # 212 mottagare": that year
            years = [(lo, said_years[0])]
        said_years = [y for _p, y in years]
        span = _span(sentence)
        context = _content_stems(sentence)
        named_here = frozenset(
            e
            for e in entities
            if e[:1].isupper() and _nearest_entity(sentence, 0, len(sentence), [e], False)
        )
        inside = [m for m in mentions if lo <= m.start < hi]
        order = _EntityOrder(before_only=before_only)
        for m in inside:
            before = answer[lo : m.start]
            after = answer[m.end : hi]
            # the clause before the number, back to the previous number of the sentence
            previous = [x for x in inside if x.end <= m.start and not _is_year(x, answer)]
            clause_start = previous[-1].end if previous else lo
            clause = answer[clause_start : m.start]
            unit = _unit_after(after)
            if m.decimals == 0 and re.match(r"^/\d", after):
                unit = "count"  # "(3/4)": three of four, not a score on a 1–4 scale
            if unit is None and re.match(r"^\s*(av|of) \d+\s+\w", after):
                unit = _unit_after(re.sub(r"^\s*(av|of) \d+", "", after))  # "50 av 57 initiativ"
            if unit is None and (more_than := _MORE_AFTER.match(after.lower())):
                # "6 fler genomförda initiativ", "7 färre svarande": what the difference counts
                rest = after[more_than.end() :]
                for _ in range(4):  # "5 fler genomförda av 57 beslutade initiativ"
                    unit = _unit_after(rest)
                    if unit is not None:
                        break
                    rest = _FIRST_WORD.sub("", rest, count=1)
            if _is_year(m, answer) and unit in (None, "count"):
                unit = "year"  # "the average 2025 initiative": a year, not 2025 initiatives
            scale_end = (
                m.decimals == 0
                and abs(m.value) <= 10
                and unit not in {"percent", "pp"}
                and any(r.start() <= m.start - lo < r.end() for r in _RANGE.finditer(sentence))
            )
            scale = scale_end or (
                m.value in _SCALES
                and m.decimals == 0
                and (bool(_SCALE_BEFORE.search(before)) or re.match(r"^\s*=", after) is not None)
            )  # "av 10", "värdet 5", "(1 = intern nytta, 5 = extern nytta)"
            in_quote = any(a < m.start < b for a, b in quoted)  # the report's words, verbatim
            # "steg 3" is a step of a list; "steg 8,9 procentenheter" a rise
            step = m.decimals == 0 and unit is None and re.search(r"\bsteg\s*$", before) is not None
            loose = bool(
                sources_line or _REFERENCE_BEFORE.search(before) or step or scale or in_quote
            )
            whole = _WHOLE_BEFORE.search(before) is not None
            family, family_words = _nearest_family(clause, after, whole)
            subset = _SUBSET_AFTER.match(after.lower()) is not None
            if _N_BEFORE.search(before):  # "(n = 142)": how many the figure is computed from
                unit, family, family_words = "count", None, ""
            elif (
                family is None
                and not subset
                and not _OF_WHOLE_AFTER.match(after)  # "91,7 % (44 av 48)": its counts
                and claims
                and claims[-1].mention.start >= lo
                and (_CARRY.search(clause.lower()) or _LIST_ON.fullmatch(clause.lower()))
            ):
                # "Mognaden ökade med 0,9 procentenheter till 65,1 %": the subject carries on
                family, family_words = claims[-1].family, claims[-1].family_words
            low_clause = clause.lower()
            low_sentence = sentence.lower()
            # "uppgången 2,7 procentenheter": procentenheter are a difference of percentages
            change = (
                bool(CHANGE_BEFORE.search(low_clause))
                or (m.signed and unit != "year")
                or unit == "pp"
            )
            more = _MORE_AFTER.match(after.lower())
            if more and not change:
                # "4 fler än 2024", "3,7 procentenheter högre än 2023": the size of a change
                change = True
            if not change and _AMOUNT_BEFORE.search(low_clause):
                # "sjönk från 3,76 till 3,72, alltså med 0,04": the amount of the sentence's change
                change = bool(UP_WORDS.search(low_sentence) or DOWN_WORDS.search(low_sentence))
                low_clause = low_sentence[: m.start - lo]
            if family is None and (change or unit == "year") and not subset:
                # "Nytta steg från 8,4 till 8,8, en ökning med 0,5", "Resultat låg på 9,2 redan
                # 2022": the size of the sentence's change, or a year, is about its subject
                family, family_words = _nearest_family(answer[lo : m.start], "")
            if family == "genomforda" and unit == "percent":
                family = "genomforandegrad"  # "87,7 % genomfördes": the share completed
            after_change = bool(claims and claims[-1].change and claims[-1].mention.end <= m.start)
            # "ökade med 1,7 procentenheter till 63,3 %": the level the change reached
            reached = (
                after_change
                and unit not in ("year", "pp")
                and _REACHED.fullmatch(clause) is not None
            )
            inherited = (
                after_change
                and not reached
                and re.fullmatch(r"\s*(\(|och|and|till|to|–|-)\s*", clause) is not None
            )
            if inherited:  # "minskade med 3 (5 %)", "ökade med mellan 4,3 och 4,9": the same kind
                change = True
            direction = claims[-1].direction if inherited else 0
            # "6 (10,5 %)": the same thing's share
            restates = bool(
                claims
                and claims[-1].mention.start >= lo
                and claims[-1].unit != "year"
                and _RESTATED.fullmatch(answer, claims[-1].mention.end, m.start)
            )
            if more:
                rises = more.group("dir") in {"fler", "more", "högre", "higher", "mer"}
                direction = 1 if rises else -1
            elif change and not inherited:
                if m.signed:
                    direction = m.sign  # "+0,3" up, "-0,1" down, "±0,0" unchanged
                else:
                    up = [x.end() for x in UP_WORDS.finditer(low_clause)]
                    down = [x.end() for x in DOWN_WORDS.finditer(low_clause)]
                    if up or down:
                        direction = 1 if max(up or [-1]) > max(down or [-1]) else -1
            elif unit != "year" and (moved := _MOVED_TO.search(low_clause)):
                # "ekonomisk nytta ökade till 93,1 %": a level, reached by a rise
                direction = 1 if UP_WORDS.fullmatch(moved.group("verb")) else -1
            year = None
            previous_year = _YEAR_BEFORE_AFTER.match(after) or _YEAR_BEFORE_BEFORE.search(
                answer[max(0, m.start - 60) : m.start]
            )
            if unit != "year" and not previous_year:
                year = _claim_year(years, clause_start, m, hi, inside, answer)
                earlier = {y for pos, y in years if pos + 4 <= m.start}
                single = len(earlier) == 1 and len({y for _p, y in years}) == 1
                if (
                    year is None
                    and single
                    and not _FROM_BEFORE.search(before)
                    and not _NOW.search(clause)  # "… och har nu stigit till 8,8": this year
                ):
                    year = earlier.pop()  # "2025 landade Resultat på 8,8 och Nytta på 8,7"
            if reached and year is None:
                year = claims[-1].year  # "ökade 2024 med 6,3 till 68,6 %": 2024's level
            year_before = None
            if previous_year and unit != "year" and not change:
                # "2025 är 65,1 %, upp från föregående år då den var 64,2 %": the year before the
                # one the sentence is about (the nearest year before it, or the sentence's only)
                said = [y for pos, y in years if pos + 4 <= m.start]
                if said or len({y for _p, y in years}) == 1:
                    year_before = (said or [years[0][1]])[-1] - 1
            claims.append(
                Claim(
                    m,
                    unit,
                    family,
                    family_words,
                    year,
                    change,
                    direction,
                    loose,
                    context,
                    scale,
                    None
                    if unit == "year" or loose
                    else claims[-1].entity
                    if restates
                    else _claim_entity(answer, clause_start, m, hi, inside, entities, lo, order),
                    # (a level a change reached is this year's: "ökade med 1,7 till 63,3 %")
                    not reached
                    and (
                        bool(
                            _COMPARATIVE.search(clause.lower() + " " + _CLAUSE_END.split(after)[0])
                        )
                        or len({y for _p, y in years}) > 1
                    ),
                    (None, None) if unit in {"year", "percent", "pp"} else read_measure(after),
                    _role(clause),
                    year_before,
                    named_here if _refers_back(clause) else frozenset(),
                    _axis_of(clause, after),
                    year is None
                    or not any(
                        y == year and _DURING_BEFORE.search(answer, max(0, pos - 12), pos)
                        for pos, y in years
                    ),
                    _measured(after),
                    span if change else None,
                )
            )
    return claims


#: "16 uppmätta indikatorer", "1 ej uppmätt", "2 inte är uppmätta": which indicators are counted.
_MEASURED_AFTER = re.compile(
    r"^\s*(av\s+dem\s+|of\s+them\s+)?(?P<not>(är\s+|var\s+)?(inte|ej|icke|not)\s+(är\s+|var\s+)?)?"
    r"(uppmätt\w*|mätt\w*|measured)\b",
    re.IGNORECASE,
)
_UNMEASURED_AFTER = re.compile(r"^\s*(omätt\w*|unmeasured)\b", re.IGNORECASE)


#: "sedan 2022", "mellan 2022 och 2025", "från 2022 till 2025": the years a change is said over.
_SPAN = re.compile(
    r"\b((sedan|since)\s+(år\s+)?(?P<since>(19|20)\d\d)\b"
    r"|(mellan|between|från|from)\s+(år\s+)?(?P<a>(19|20)\d\d)\s+(och|and|till|to)\s+(år\s+)?"
    r"(?P<b>(19|20)\d\d)\b)",
    re.IGNORECASE,
)


def _span(sentence: str) -> tuple[int, int | None] | None:
    said = list(_SPAN.finditer(sentence))
    if len(said) != 1:
        return None
    if said[0].group("since"):
        return int(said[0].group("since")), None
    first, last = int(said[0].group("a")), int(said[0].group("b"))
    return (first, last) if last > first + 1 else None


def _measured(after: str) -> bool | None:
    if _UNMEASURED_AFTER.match(after):
        return False
    said = _MEASURED_AFTER.match(after)
    return None if said is None else said.group("not") is None


#: The words between a number and its year: what it counts, then "under", "i", "år".
_YEAR_AFTER_WORDS = re.compile(r"[^\d,;.:()]*\s(under|i|år|in|during)\s+", re.IGNORECASE)


def _claim_year(
    years: Sequence[tuple[int, int]],
    clause_start: int,
    m: NumberMention,
    hi: int,
    inside: Sequence[NumberMention],
    text: str,
) -> int | None:
    """The year a number is said for, or None when its sentence ties none to it.

    The nearest year in its clause, or one right after it ("8,1 (2024)", "8,2 år 2025") before
    any other number.
    """
    after_numbers = [x.start for x in inside if x.start > m.start and not _is_year(x, text)]
    limit = min([hi, *after_numbers])
    following = [
        (pos, y)
        for pos, y in years
        if m.end <= pos < limit
        and (
            pos - m.end <= 12
            or (pos - m.end <= 24 and not _NUMBER_GAP.search(text[m.end : pos]))
            # "453 timmar handläggartid under 2024": what it counts, then its year
            or (pos - m.end <= 40 and _YEAR_AFTER_WORDS.fullmatch(text[m.end : pos]) is not None)
        )
        and not text[pos + 4 : pos + 6].lstrip().startswith(":")  # "(2024: 8,1)": the next one's
    ]
    # a year right after an earlier number is that number's ("56,0 % (2022), 60,6 % (2023)")
    bound = {
        pos
        for pos, _y in years
        for x in inside
        if x.end <= pos and pos - x.end <= 12 and not _is_year(x, text)
        and re.fullmatch(r"[\s%]*(\(|år|i|in|för|for|,)?\s*", text[x.end : pos])
        and x is not m
    }  # fmt: skip
    before = [
        (pos, y)
        for pos, y in years
        if clause_start <= pos and pos + 4 <= m.start and pos not in bound
    ]
    if _FROM_BEFORE.search(text[: m.start]):
        before = []  # "minskade 2025, från 8,8 till 8,7": 8,8 is the year before's
    if before and (not following or m.start - (before[-1][0] + 4) <= following[0][0] - m.end):
        return before[-1][1]
    return following[0][1] if following else None


def _is_year(m: NumberMention, text: str) -> bool:
    return (
        m.decimals == 0
        and not m.signed
        and 1950 <= m.value <= 2099
        and not text[m.end : m.end + 2].lstrip().startswith("%")
    )


# -- matching ------------------------------------------------------------------------------------


def _rounded(x: float, decimals: int) -> Decimal | None:
    try:
        return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):
        return None


def _equals(mention: NumberMention, value: float, *, ignore_sign: bool = False) -> bool:
    """``value`` written at the mention's precision is the mention."""
    target = _rounded(abs(mention.value) if ignore_sign else mention.value, mention.decimals)
    if target is None:
        return False
    candidate = abs(value) if ignore_sign else value
    return candidate == mention.value or _rounded(candidate, mention.decimals) == target


#: The top of each score scale: a table's unit-less mean up to it may be a score on it.
_SCALE_MAX = {"score5": 5.0, "score6": 6.0, "index10": 10.0}
#: A what-if scenario's figure and its difference from the year (no year of their own).
_SCENARIO_KINDS = frozenset({"scenario", "scenario_change"})

_UNIT_KINDS: dict[str | None, frozenset[str | None]] = {
    "percent": frozenset({"percent"}),
    "pp": frozenset({"pp", "percent"}),
    "index10": frozenset({"index10"}),
    "score5": frozenset({"score5"}),
    "score6": frozenset({"score6"}),
    "count": frozenset({"count"}),
}


def _unit_fits(claim: Claim, fact: Fact) -> bool:
    """Whether a fact of this unit can ground the claim's unit (None: unknown, anything)."""
    if fact.unit == "input":  # checked in _fact_matches against the input's own figure
        return True
    if claim.unit is None:
        return True
    if fact.unit is None:
        # a number of a table or passage without a unit: not a percentage nor a score (a
        # table's change may be in procentenheter)
        return (
            fact.key is not None
            or claim.unit == "points"
            or (
                claim.unit == "count"
                and fact.value == int(fact.value)  # not 8,5 as "9 st"
                # "6 fler initiativ": a difference of counts, not the 5 of a scale
                and (not claim.change or fact.kind in {"change", "count", "n"})
            )
            or (claim.unit == "pp" and fact.kind == "change")
            or (claim.unit == "percent" and 0 < abs(fact.value) <= 1)  # a ratio
            or abs(fact.value) <= _SCALE_MAX.get(str(claim.unit), -1)  # a mean on the scale
        )
    if claim.unit == "points":  # "0,1 enheter": a scale's points, not procentenheter
        return fact.unit in {"index10", "score5", "score6", "count"}
    if claim.unit == "pp":
        # procentenheter are a difference of two percentages: a level ("64,5 procentenheter"
        # for a response rate of 64,5 %) does not ground them
        return fact.unit == "pp" or (
            fact.unit == "percent" and fact.kind not in {"value", "count", "scenario"}
        )
    if claim.unit == "count":
        whole = fact.value == int(fact.value)
        return fact.kind in {"count", "n"} or fact.unit == "count" or (fact.key is None and whole)
    return fact.unit in _UNIT_KINDS.get(claim.unit, frozenset({claim.unit}))


def _fact_matches(claim: Claim, fact: Fact) -> bool:
    """The fact, read as the claim reads its number, is the number."""
    m = claim.mention
    if claim.unit == "year":
        return fact.kind == "year" and fact.value == m.value
    if fact.kind == "year":
        return False
    if not measures_agree(claim.measure, fact.measure):
        return False  # "940 timmar per månad" is not 940 timmar/år
    if fact.kind in _SCENARIO_KINDS:
        return _unit_fits(claim, fact) and _equals(m, fact.value, ignore_sign=not m.signed)
    if not _unit_fits(claim, fact):
        return False
    if claim.change and fact.kind in {"change", "relchange"}:
        if claim.unit == "percent" and fact.kind == "change" and fact.unit == "pp":
            return False  # "ökade med 2 procent" is not a change of 2 procentenheter
        if claim.unit != "percent" and fact.kind == "relchange":
            return False
        return _equals(m, fact.value, ignore_sign=not m.signed)
    if fact.kind == "relchange":
        # "… en minskning med 0,4, eller 4,3 %": a relative change said in percent
        return claim.unit == "percent" and _equals(m, fact.value, ignore_sign=not m.signed)
    if fact.unit == "input":  # a component of another figure whose own unit is not known here
        # but how many initiatives have a status is a count ("50 % av initiativen" is not it)
        return _equals(m, fact.value) and not (claim.unit == "percent" and fact.key in STATUSES)
    if fact.kind == "change" and fact.key is not None:
        # a figure's change grounds a number said as a change, or a signed one
        return (claim.change or m.signed) and _equals(m, fact.value, ignore_sign=not m.signed)
    if _equals(m, fact.value, ignore_sign=fact.key is None and not m.signed):
        return True  # a table's or passage's number; an amount is written without its sign
    # a ratio written as a percentage (0,882 -> 88,2 %), only for a number said in percent
    return (
        (claim.unit == "percent" or (claim.unit is None and not claim.change))
        and fact.key is None
        and fact.unit in {None, "percent"}
        and (0 < abs(fact.value) <= 1 and _equals(m, fact.value * 100))
    )


@dataclass(frozen=True)
class Flag:
    """A number of the answer that the evidence does not support, and why."""

    text: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """As JSON-able data."""
        return {"number": self.text, "reason": self.reason}


_LABEL_SV = {
    "index": "digitaliseringsindex",
    "forutsattningar": "Förutsättningar",
    "resultat": "Resultat",
    "nytta": "Nytta",
    "digital_mognad": "digital mognad",
    "dimios": "DiMiOS",
    "digital_formaga": "digital förmåga",
    "digitalt_arv": "digitalt arv",
    "genomforandegrad": "genomförandegraden",
    "nyttorealisering": "nyttorealiseringen",
    "svarsfrekvens": "svarsfrekvensen",
    "mottagare": "mottagarna",
    "svarande": "de svarande",
    "medarbetare": "medarbetarenkäten",
    "antal_initiativ": "antalet initiativ",
    "medarbetare_positiva": "andelen positiva",
    "medarbetare_neutrala": "andelen neutrala",
    "medarbetare_negativa": "andelen negativa",
}


def _label(family: str | None) -> str:
    """How a reason names a figure family ("Resultat", "genomförandegraden")."""
    return _LABEL_SV.get(str(family), str(family))


def _for_year(facts: Sequence[Fact], year: int, since: bool = True) -> list[Fact]:
    """The facts for ``year``; a change from ``year`` to the next counts too ("ökade från 2024").

    Not when the year is said as the change's own time (``since`` False: "under 2024").
    """
    return [
        f
        for f in facts
        if (f.year in (None, year) and f.kind not in _SCENARIO_KINDS)
        or (since and f.kind in {"change", "relchange"} and f.year == year + 1)
    ]


def _judge(claim: Claim, facts: Sequence[Fact]) -> str | None:
    """None when the claim is grounded, else the reason it is flagged (Swedish)."""
    m = claim.mention
    shown = m.text.strip()
    if claim.loose:
        if claim.scale or any(_equals(m, f.value, ignore_sign=True) for f in facts):
            return None
        return f"{shown} finns inte i underlaget"
    if claim.unit == "year":
        if not any(_fact_matches(claim, f) for f in facts):
            return f"året {shown} finns inte i underlaget"
        named = [f for f in facts if claim.family and claim.family in f.family and f.year]
        figures = [f for f in named if f.key is not None and f.kind in {"value", "count"}]
        if figures and not any(f.year == int(m.value) for f in named):
            return f"underlaget har inget värde för {_label(claim.family)} {shown}"
        return None
    change_problem = _count_change_problem(claim, facts) or _measured_problem(claim, facts)
    if change_problem is not None:
        return change_problem
    over = _span_verdict(claim, facts)
    if over is not None:
        return over or None
    matching = [f for f in facts if _fact_matches(claim, f)]
    moved = _moved_to_problem(claim, matching, facts)
    if moved is not None:
        return moved
    if claim.role and matching and all(f.label in _ROLE_FIELDS for f in matching):
        # "nådde 90 % mot ett mål på 64,2 %": 64,2 is the row's measured value, not its target
        if not any(f.label == claim.role for f in matching):
            # the same row (a baseline is not dated: "base…" fields are the year compared with)
            rows = [(f.entity, f.year) for f in matching]
            if any(
                g.label == claim.role
                and any(
                    g.entity == e and (y is None or g.year is None or y == g.year) for e, y in rows
                )
                for g in facts
            ):
                return f"{shown} är {_ROLE_SV[matching[0].label]}, inte {_ROLE_SV[claim.role]}"
    if claim.entity is not None:
        entity = claim.entity.lower()
        named = [f for f in facts if f.entity and f.entity.lower() == entity]
        if named:
            mine = [f for f in matching if f.entity and f.entity.lower() == entity]
            if mine and claim.unit is None and m.decimals == 0:
                # "… och 11 främst extern nytta": a bare whole number about a thing that has a
                # count is that count, not its share rounded
                counts = [f for f in named if "count" in (f.kind, f.unit)]
                if counts and all(f.unit == "percent" for f in mine):
                    mine = []
                elif (
                    counts
                    and (claim.family == "antal_initiativ" or claim.context & _MOST_STEMS)
                    and not any(f in counts for f in mine)
                ):
                    # "Ledning och styrning 11 initiativ, Social omsorg 8", "flest med 11,
                    # följt av Social omsorg med 8": its initiatives, not another of its
                    # numbers (8 completed)
                    mine = []
            listed = [f for f in named if f.kind == "count" and f.label.startswith("count ")]
            tallied = [f for f in named if "count" in (f.kind, f.unit)]
            if (
                not mine
                and m.decimals == 0
                and claim.entity[:1].islower()
                and (
                    (listed and claim.unit == "count" and claim.entity in _STATUS_FORMS)
                    or (
                        tallied
                        and claim.unit is None
                        and claim.measure == (None, None)
                        and claim.entity != "beslutad"  # "57 beslutade initiativ": all of them
                    )
                )
                and not _names_a_proper_entity(claim, facts)  # last: it reads every fact
            ):
                # "2024 pausades 4 initiativ" when the list of that status counts 3 (not "2 av
                # de pågående hör till Fastighet": that objekt's)
                return f"{shown} stämmer inte med antalet för {claim.entity} i underlaget"
            axes = [a for a, stems in _AXIS_STEMS.items() if stems & claim.context]
            if claim.axis is not None:
                axes = [claim.axis]  # "klassad 5 på innovation–effektivitet och 3 på …"
            if len(axes) == 1 and any(f.label in _AXIS_STEMS for f in named):
                # "Smart stad Nacka har skattats till 4 på innovationsskalan": that axis's value
                if mine and not any(f.label == axes[0] for f in mine):
                    rated = [f for f in named if f.label == axes[0]]
                    if rated and all(f.label in _AXIS_STEMS for f in mine):
                        value = fmt_number(rated[0].value, 0)
                        return f"{shown}: {claim.entity} har {value} på axeln {axes[0]}"
            if mine and claim.year is not None:
                dated = [f for f in mine if f.year in (None, claim.year)]
                if not dated:
                    return _other_years(f"{shown} för {claim.entity}", mine, claim.year)
                mine = dated
            stale = _older_than_latest(claim, mine, named)
            if stale is not None:
                return _other_years(f"{shown} för {claim.entity}", mine, stale)
            if mine:
                return _direction_problem(claim, mine)
            if claim.unit in {"percent", "pp"} and any(
                "count" in (f.kind, f.unit) and _equals(m, f.value) for f in named
            ):
                # "Ledning och styrning står för 11 % av initiativen": 11 is its count
                return f"{shown} är ett antal för {claim.entity}, inte en andel"
            proper = claim.entity[:1].isupper()
            elsewhere = [f for f in matching if f.entity and f.entity[:1].isupper() == proper]
            if elsewhere:
                return f"{shown} gäller {elsewhere[0].entity}, inte {claim.entity}"
    if claim.entity is None and len(claim.named) == 1 and matching:
        # "För A var den förväntade tiden 500 timmar, och utfallet blev 502": the sentence's one
        # named row, when the number is only ever another row's
        (only,) = claim.named
        if all(f.entity and f.entity[:1].isupper() and f.entity != only for f in matching) and any(
            f.entity == only for f in facts
        ):
            return f"{shown} gäller {matching[0].entity}, inte {only}"
    if claim.family is None:
        # "medelvärdet 3,8" with no year: the latest mean is meant, not the year before's
        figures_only = all(f.key is not None for f in matching)
        stale = _older_than_latest(claim, matching, facts) if figures_only else None
        if stale is not None:
            return _other_years(shown, matching, stale)
        if matching and claim.year is not None:
            dated = _for_year(matching, claim.year, claim.since)
            # a table's row of another year ("453 timmar under 2024" is the 2025 row's) too,
            # when the claim is a plain level
            plain = not claim.change and not claim.comparative
            if not dated and (
                all(f.key is not None for f in matching)
                or (plain and all(f.year is not None for f in matching))
            ):
                return _other_years(shown, matching, claim.year)
        if matching:
            return _direction_problem(claim, matching)
        return _unmatched(claim, facts)
    family = [f for f in facts if claim.family in f.family]
    if (
        claim.unit not in (None, "points")
        and family
        and not any(
            (f.unit == "input" and claim.unit == "count" and f.value == int(f.value))
            or (f.unit not in (None, "input") and _unit_fits(claim, f))
            for f in family
        )
    ):
        # "… svarade, alltså knappt 65 %": no figure of that name is a percentage; the number
        # is about something else in the clause
        return _judge(replace(claim, family=None), facts)
    own = [f for f in matching if claim.family in f.family]
    if claim.year is not None and any(f.year == claim.year for f in family):
        dated = _for_year(own, claim.year, claim.since)
        if own and not dated:
            return _other_years(f"{shown} för {_label(claim.family)}", own, claim.year)
        own = dated
    if own and claim.year is None and (not claim.comparative or _level_reached(claim)):
        # "medarbetare 75,2 %" with no year and no comparison (or "ökade till 8,8": where it
        # went): the figure's latest value is meant
        latest = max((f.year for f in family if f.kind in {"value", "count"} and f.year), default=0)
        if latest and all(f.year is not None and f.year < latest for f in own):
            return _other_years(f"{shown} för {_label(claim.family)}", own, latest)
    if own:
        return _direction_problem(claim, own)
    # the number of another figure? (only figures: their labels are known)
    # only a figure's own value or change accuses: an n or an input of another figure is a
    # count or part that many sentences may rightly mention
    others = [
        f
        for f in matching
        if f.key is not None
        and f.key not in _INPUT_UNITS
        and claim.family not in f.family
        and f.kind in {"value", "count", "change", "relchange", *_SCENARIO_KINDS}
        and f.unit not in (None, "input")
    ]
    others.sort(key=lambda f: f.label == f.key)  # a figure's own label before an input's name
    # (when the figure is not in the evidence at all, only a what-if number that is nothing but
    # other figures': "om nyttorealiseringen blir 95 % blir Resultat 9,5", 9,5 is the new Nytta)
    what_if = len(others) == len(matching) and all(f.kind in _SCENARIO_KINDS for f in others)
    if others and (family or what_if):
        return f"{shown} är {others[0].label}, inte {_label(claim.family)}"
    # a number of a table or passage about the same thing (a count per objekt, a quote)
    # (a number that belongs to a named thing — an objekt, an indicator — only when the claim
    # names that thing: the entity branch above)
    related = [
        f
        for f in matching
        if f.key is None
        and f.entity is None
        and (not f.names or claim.family in f.names)
        and f.words & claim.context
    ]
    if claim.unit == "count":
        related += [f for f in matching if f.key is None]
    own_changes = [f for f in family if f.kind == "change" and f.key is not None]
    changed = claim.change and bool(own_changes)
    if changed:
        # "142 svarande, 6 fler än 2024" when the figure's own change is 4: a table's or a
        # passage's other 6, or a part of another figure, is no change of it
        related = [f for f in related if f.kind in {"change", "relchange"}]
        if not related:
            sizes = sorted({fmt_number(f.value, m.decimals) for f in own_changes})
            said = " och ".join(sizes)
            return f"{shown}: underlaget har ändringen {said} för {_label(claim.family)}"
    if related:  # a table's count ("17 indikatorer", "11 initiativ"), or a passage's number
        if (
            claim.year is not None
            and not claim.change
            and not claim.comparative
            and all(f.year is not None for f in related)
        ):
            # "Portföljen 2025 består av 60 initiativ": 60 is the count of 2024
            dated = [f for f in related if f.year == claim.year]
            if not dated:
                return _other_years(shown, related, claim.year)
            related = dated
        return _direction_problem(claim, related)
    parts = [f for f in matching if f.unit == "input" and not changed]
    if parts:  # a part of a figure in the evidence (an area, a kind, a count behind it)
        if claim.year is not None and all(f.year not in (None, claim.year) for f in parts):
            return _other_years(shown, parts, claim.year)
        if all(f.family and claim.family not in f.family for f in parts) and any(
            f.unit == "input" for f in family
        ):
            # "111 neutrala" when 111 is the count of the negative answers and the neutral
            # ones have a count of their own
            return f"{shown} är {parts[0].label}, inte {_label(claim.family)}"
        return None
    if not family:
        if claim.change:
            # a change is not grounded by a level of a named thing it does not name ("minskade
            # med 3 procent" is not the 3 % of one value on an axis)
            matching = [f for f in matching if f.kind in {"change", "relchange"} or not f.entity]
        if matching:  # the figure is not in the evidence as a figure: the number is
            return _direction_problem(claim, matching)
        return f"{shown} kunde inte kontrolleras: underlaget har inget värde för det"
    if m.signed and any(
        f.kind in {"change", "number"} and _equals(m, f.value, ignore_sign=True) for f in family
    ):
        # "Nytta bidrog med +0,02" when its part of the change was −0,02
        return f"{shown}: {_label(claim.family)} har samma tal med motsatt tecken"
    owned = [f for f in matching if len(f.names) == 1 and claim.family not in f.names]
    if owned:  # "Förutsättningar drog upp indexet med 0,12": 0,12 is Nytta's part of the change
        return f"{shown} gäller {_label(next(iter(owned[0].names)))}, inte {_label(claim.family)}"
    return _unmatched(claim, family)


def _level_reached(claim: Claim) -> bool:
    """A level said as where a change went ("ökade till 8,8"), with no other year named."""
    return claim.direction != 0 and not claim.change and claim.year_before is None


def _older_than_latest(claim: Claim, matched: Sequence[Fact], facts: Sequence[Fact]) -> int | None:
    """The latest year, when a number said with no year matches only older values of a thing.

    "omställning 81,5 %" in an answer about this year, when 81,5 is the kind's value of the
    year before: the latest value is meant. None when the claim has a year or compares, or
    when a matched value is of the latest year (or of none).
    """
    if claim.year is not None or claim.change or not matched:
        return None
    if claim.comparative and not _level_reached(claim):
        return None
    levels = [f for f in matched if f.kind in {"value", "count"}]
    if len(levels) != len(matched) or any(f.year is None for f in levels):
        return None
    same = {(f.key, f.entity) for f in levels}
    latest = max(
        (f.year for f in facts if (f.key, f.entity) in same and f.year is not None), default=0
    )
    return latest if all(f.year < latest for f in levels if f.year is not None) else None


#: A portfolio's counts of initiatives: this year's and the year before's.
_PORTFOLIO_LEVELS = frozenset({"count", "previous_count"})


def _span_verdict(claim: Claim, facts: Sequence[Fact]) -> str | None:
    """A change said over several years, against the sum of the figure's yearly steps.

    "Antalet svarande har ökat med 7 sedan 2022" when 2022 → 2025 went +7, −18, +4: the size is
    the sum's, −7, and the first step's +7 does not make it a rise. "" when the claim is the
    sum, in its unit and direction (grounded); None when it is not the sum (a step or a level of
    the span may be said too: the other checks judge it).
    """
    if claim.span is None or claim.family is None:
        return None
    first, last = claim.span
    steps: dict[str, dict[int, Fact]] = {}
    for f in facts:
        if f.kind == "change" and f.key and f.year and not f.entity and claim.family in f.family:
            steps.setdefault(f.key, {}).setdefault(f.year, f)
    m = claim.mention
    said = m.sign if m.signed else claim.direction
    for by_year in steps.values():
        end = last or max(by_year)
        years = range(first + 1, end + 1)
        if end <= first + 1 or not all(y in by_year for y in years):
            continue
        total = sum(by_year[y].value for y in years)
        if claim.unit not in (None, by_year[end].unit) or not _equals(m, total, ignore_sign=True):
            continue  # "16 procent sedan 2022" is not a change of 16 mottagare
        if said and total and (total > 0) != (said > 0):
            was, real = _verbs(said)
            return f"{m.text.strip()}: det {was} inte från {first} till {end}, det {real}"
        return ""
    return None


def _measured_problem(claim: Claim, facts: Sequence[Fact]) -> str | None:
    """A count of measured (or unmeasured) indicators that the benefit register does not have.

    "87,4 % bygger på 17 uppmätta indikatorer" when 16 of the register's 17 were measured: the
    register's whole is not its measured part.
    """
    m = claim.mention
    if claim.measured is None or m.decimals or claim.unit not in (None, "count"):
        return None
    if claim.measured:
        counts = [
            f
            for f in facts
            if f.key == "indikatorer" or (f.kind == "n" and "nyttorealisering" in f.family)
        ]
    else:
        counts = [f for f in facts if f.key == "ej_uppmatta"]
    if not counts or any(_equals(m, f.value) for f in counts):
        return None
    which = "uppmätta" if claim.measured else "ej uppmätta"
    return f"{m.text.strip()}: underlaget har {fmt_number(counts[0].value, 0)} {which} indikatorer"


def _count_change_problem(claim: Claim, facts: Sequence[Fact]) -> str | None:
    """A change in the number of initiatives that the portfolio's change does not have.

    "57 initiativ, 5 färre än 2024" when the portfolio counts 3 fewer; only whole numbers said
    as a change of the initiatives, and only when a portfolio's change is in the evidence (a
    table's other numbers, such as an axis's counts, do not ground it).
    """
    m = claim.mention
    if not claim.change or claim.family != "antal_initiativ" or m.decimals:
        return None
    label = "change_in_count_pct" if claim.unit == "percent" else "change_in_count"
    if claim.unit not in (None, "count", "percent"):
        return None
    changes = [f for f in facts if f.key is None and f.label == label]
    if not changes or any(_equals(m, f.value, ignore_sign=True) for f in changes):
        return None
    if any(f.key is None and f.label in _PORTFOLIO_LEVELS and _equals(m, f.value) for f in facts):
        return None  # "minskade från 60 till 57": a level of the change, not its size
    said = " och ".join(f"{abs(f.value):g}".replace(".", ",") for f in changes)
    return f"{m.text.strip()}: antalet initiativ ändrades med {said}"


def _year_before_problem(claim: Claim, facts: Sequence[Fact]) -> str | None:
    """A value said for "året innan" that the data give for another year.

    Only a figure's or a table's values count (a passage's years are read loosely), and a
    value of the sentence's own year passes: then the year written is what is wrong.
    """
    year = claim.year_before
    if year is None:
        return None
    own = [
        f
        for f in facts
        if (claim.family is None or claim.family in f.family)
        and f.key is not None
        and f.kind in {"value", "count"}
        and f.year is not None
        and (claim.entity is None or (f.entity or "").lower() == claim.entity.lower())
    ]
    matched = [f for f in own if _fact_matches(claim, f)]
    if not matched or any(f.year in (year, year + 1) for f in matched):
        return None
    if not any(g.year == year and g.key == f.key for f in matched for g in own):
        return None  # the data have no value for that year to say it against
    what = _label(claim.family) if claim.family else matched[0].label
    return _other_years(f"{claim.mention.text.strip()} för {what}", matched, year)


def _moved_to_problem(claim: Claim, matching: Sequence[Fact], facts: Sequence[Fact]) -> str | None:
    """A level said as reached by a rise or a fall ("ökade till 93,1 %") that came the other way.

    Only a figure's own value (of the family and year said, if said) counts, with its change
    from the year before in the evidence.
    """
    if claim.change or claim.direction == 0:
        return None
    values = [
        f
        for f in matching
        if f.key is not None
        and f.kind == "value"
        and (claim.family is None or claim.family in f.family)
        and (claim.year is None or f.year == claim.year)
        and (claim.entity is None or f.entity == claim.entity)
    ]
    changes = [
        g
        for f in values
        for g in facts
        if g.kind == "change" and g.key == f.key and g.year == f.year and g.entity == f.entity
    ]
    if not values or len(changes) < len(values):
        return None
    if any(g.value == 0 or (g.value > 0) == (claim.direction > 0) for g in changes):
        return None
    said, real = _verbs(claim.direction)
    return f"{claim.mention.text.strip()}: det {said} inte dit, det {real}"


def _verbs(direction: int) -> tuple[str, str]:
    """The verb of a direction said, and of the other one: ("ökade", "minskade") for a rise."""
    return ("ökade", "minskade") if direction > 0 else ("minskade", "ökade")


def _direction_problem(claim: Claim, own: Sequence[Fact]) -> str | None:
    if not claim.change or claim.direction == 0 or claim.mention.signed:
        return None
    changes = [
        f
        for f in own
        if f.kind in {"change", "relchange", "scenario_change"}
        and _equals(claim.mention, f.value, ignore_sign=True)
    ]
    if not changes or any(
        (f.value > 0 and claim.direction > 0) or (f.value < 0 and claim.direction < 0)
        for f in changes
    ):
        return None
    said, real = _verbs(claim.direction)
    if all(f.value == 0 for f in changes):
        real = "var oförändrat"
    return f"{claim.mention.text.strip()}: det {said} inte, det {real}"


def _unmatched(claim: Claim, facts: Sequence[Fact]) -> str:
    """The reason for a number no fact grounds: a wrong unit, or not in the evidence."""
    m = claim.mention
    shown = m.text.strip()
    same_value = [
        f for f in facts if f.kind not in {"year"} and _equals(m, f.value, ignore_sign=True)
    ]
    if same_value and claim.unit is not None:
        return f"{shown} finns i underlaget men inte i den enhet svaret anger"
    if claim.change and claim.unit == "percent":
        return f"{shown} procent är ingen förändring som finns i underlaget"
    return f"{shown} finns inte i verktygsresultaten eller de citerade källorna"


def _other_years(what: str, facts: Sequence[Fact], year: int) -> str:
    """The reason for a number said for ``year`` that the facts give for other years."""
    years = sorted({f.year for f in facts if f.year is not None})
    return f"{what} gäller {_years(years)}, inte {year}"


def _years(years: Sequence[int]) -> str:
    return " och ".join(str(y) for y in years) if years else "ett annat år"


# -- the report ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroundingReport:
    """The outcome of the check: numbers in the answer, the flagged ones and why."""

    numbers: list[str]
    ungrounded: list[str]
    flags: list[Flag] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every number is grounded."""
        return not self.ungrounded

    def warning(self) -> str | None:
        """A plain Swedish warning naming each flagged number and why, or None."""
        if not self.flags and not self.ungrounded:
            return None
        reasons = "; ".join(f.reason for f in self.flags) or ", ".join(self.ungrounded)
        return (
            f"Kontrollera siffrorna innan de används: {reasons}. "
            "Talen stämmer inte med verktygsresultaten eller de citerade källorna."
        )


#: "som högst 2024", "den högsta nivån", "peaked": the year of a series' top or bottom is claimed.
_HIGHEST = re.compile(
    r"\b(som )?(högst|störst|bäst|högsta|största|bästa|highest|largest|peak\w*|best)\b",
    re.IGNORECASE,
)
#: ("minst" alone is left out: it is also "at least")
_LOWEST = re.compile(
    r"\b(som )?(lägst|sämst|lägsta|minsta|sämsta|lowest|smallest|worst)\b|\bsom minst\b",
    re.IGNORECASE,
)


def _extreme_years(
    answer: str, claims: Sequence[Claim], facts: Sequence[Fact], entities: Sequence[str]
) -> dict[int, str | None]:
    """Judgements of the numbers of sentences that name the year a figure was highest or lowest.

    In "Resultat var som högst 2024, då den låg på 9,2" the year is the claim: when 9,2 is the
    series' highest value but that came in 2023, the year is flagged and the value is not. The
    result maps a mention's start to its judgement (None: grounded); numbers of other sentences
    are not in it. A sentence that names a unit, objekt or area ranks those, not the years.
    """
    out: dict[int, str | None] = {}
    for start, end in _sentences(answer):
        sentence = answer[start:end]
        high, low = _HIGHEST.search(sentence), _LOWEST.search(sentence)
        if bool(high) == bool(low) or any(e.lower() in sentence.lower() for e in entities):
            continue  # "Högst 2025 har Kommunstyrelsens stab": the top of the units, not years
        inside = [c for c in claims if start <= c.mention.start < end]
        years = [c for c in inside if c.unit == "year"]
        values = [c for c in inside if c.unit != "year" and c.family and not c.change]
        if len(years) != 1 or len(values) != 1 or values[0].year != int(years[0].mention.value):
            continue
        value = values[0]
        series = [
            f
            for f in facts
            if value.family in f.family
            and f.key is not None
            and f.kind in {"value", "count"}
            and f.year is not None
            and (f.entity or "").lower() == (value.entity or "").lower()
            and _unit_fits(value, f)
        ]
        if len({f.year for f in series}) < 2:
            continue
        top = (max if high else min)(series, key=lambda f: f.value)
        year = years[0]
        said = int(year.mention.value)
        if _equals(value.mention, top.value):
            out[value.mention.start] = None  # the top's value, whatever year is said
        elif not any(_equals(value.mention, f.value) for f in series if f.year == said):
            continue  # neither the top nor that year's value: judged as any other number
        if top.year != said:
            # "som högst 2024 … 9,2" (9,2 came in 2023), "som högst 2025 med 8,8" (8,8 is
            # 2025's, but 2023 was higher): the year is wrong
            word = "högst" if high else "lägst"
            out[year.mention.start] = (
                f"{_label(value.family)} var {word} {top.year} ({fmt_number(top.value)}), "
                f"inte {year.mention.text.strip()}"
            )
        else:
            out[year.mention.start] = None
    return out


#: Words saying a number is the gap between two others: before it ("skillnaden är 1,8") or
#: after it ("9,3 procentenheter lägre än", "3 färre än").
_GAP_BEFORE = re.compile(
    r"(skillnad\w*|glapp\w*|avstånd\w*|differens\w*|gap|difference)\W+(\w+\W+){0,3}$",
    re.IGNORECASE,
)
#: "… svarade 142, så 78 personer lämnade inget svar": the rest of a stated whole.
_REST_AFTER = re.compile(
    r"^\s*([^\W\d]+\s+){0,3}(inte|inget|ingen|inga|ej|övriga|återstående|kvar|not|no|remaining"
    r"|did not|didn't|were not|was not)\b",
    re.IGNORECASE,
)
_GAP_AFTER = re.compile(
    r"^\s*(%|procent(enheter)?|percentage points?|points?|enheter)?\s*"
    r"(fler|färre|högre|lägre|större|mindre|mer|more|fewer|higher|lower|less|above|below"
    # "över Balansering", not "över hela perioden" or "under 2024"
    r"|(över|under)(?!\s+(\d|hela|samma|perioden|tiden|året|åren|de|den|det)\b))\b",
    re.IGNORECASE,
)


def _stated_difference(
    claim: Claim, claims: Sequence[Claim], answer: str, facts: Sequence[Fact]
) -> bool:
    """Whether the claim is the gap between two other numbers of its sentence, said as one.

    "Lägst: Förutsättningar (7,0); högst: Resultat (8,8); skillnaden är 1,8", "65,1 % är
    9,3 procentenheter lägre än 74,4 %" and "Av de 220 svarade 142, så 78 svarade inte" compute
    their number from two stated ones: it holds when it is their difference, as written or as
    the difference of the evidence values they show.
    """
    m = claim.mention
    before, after = answer[: m.start], answer[m.end :]
    if not (
        _GAP_BEFORE.search(before[-60:]) or _GAP_AFTER.match(after) or _REST_AFTER.match(after)
    ):
        return False
    # the whole sentence: "Lägst: … (7,0); högst: … (8,8); skillnaden är 1,8."
    spans = _sentences(answer, _FULL_STOP)
    span = next(((a, b) for a, b in spans if a <= m.start < b), (0, len(answer)))
    operands = [
        c.mention
        for c in claims
        if c is not claim and c.unit != "year" and span[0] <= c.mention.start < span[1]
    ]
    values: list[list[float]] = []
    for op in operands:
        shown = [f.value for f in facts if _equals(op, f.value)]
        values.append([op.value, *shown])
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            if any(_equals(m, x - y, ignore_sign=True) for x in a for y in b):
                return True
    return False


def check_grounding(answer: str, evidence: Iterable[Any]) -> GroundingReport:
    """Check every number of ``answer`` against the facts in ``evidence``.

    Args:
        answer: The answer text.
        evidence: Tool results and cited passages (dicts, lists, strings, numbers).

    Returns:
        The numbers found, the flagged ones (as written, in order, unique) and the reasons.
    """
    facts = evidence_facts(list(evidence))
    entities = sorted({f.entity for f in facts if f.entity}, key=len, reverse=True)
    aliases = {f.entity for f in facts if f.entity and f.alias}
    aliases -= {f.entity for f in facts if f.entity and not f.alias}
    claims = read_claims(answer, entities, frozenset(aliases))
    extremes = _extreme_years(answer, claims, facts, entities)
    flags: list[Flag] = []
    seen: set[str] = set()
    for claim in claims:
        if claim.mention.start in extremes:
            reason = extremes[claim.mention.start]
        else:
            reason = _judge(claim, facts) or _year_before_problem(claim, facts)
            if reason is not None and _stated_difference(claim, claims, answer, facts):
                reason = None
        shown = claim.mention.text.strip()
        if reason is not None and shown not in seen:
            seen.add(shown)
            flags.append(Flag(shown, reason))
    return GroundingReport(
        numbers=[c.mention.text for c in claims],
        ungrounded=[f.text for f in flags],
        flags=flags,
    )


# -- evaluation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroundingCase:
    """A scripted model answer with the tool calls behind it and the numbers that are wrong."""

    id: str
    kind: str
    tools: list[dict[str, Any]]
    answer: str
    must_flag: list[str]


@dataclass
class GroundingScore:
    """Catch rate (wrong numbers flagged) and false-flag rate (right numbers flagged)."""

    wrong: int = 0
    caught: int = 0
    right: int = 0
    false_flags: int = 0
    misses: list[tuple[str, str]] = field(default_factory=list)
    false: list[tuple[str, str, str]] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    @property
    def catch_rate(self) -> float:
        """Share of the wrong numbers that were flagged."""
        return self.caught / self.wrong if self.wrong else 1.0

    @property
    def false_flag_rate(self) -> float:
        """Share of the right numbers that were flagged."""
        return self.false_flags / self.right if self.right else 0.0


def load_cases(lines: Iterable[str]) -> list[GroundingCase]:
    """Cases from JSON lines (``id, kind, tools, answer, must_flag``).

    A ``must_flag`` entry written with its unit ("75,2 %", "376 timmar per år") is the number it
    begins with; one without a number is an error naming the case and line.
    """
    import json

    from assistant.errors import InvalidInputError

    out = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            item = json.loads(line)
            must: list[str] = []
            for entry in item.get("must_flag") or []:
                found = find_numbers(str(entry))
                if not found:
                    raise InvalidInputError(
                        f"Fall {item.get('id')} (rad {number}): must_flag {entry!r} är inget tal.",
                        field="must_flag",
                        line=number,
                    )
                must.append(found[0].text)
            out.append(
                GroundingCase(
                    id=str(item["id"]),
                    kind=str(item.get("kind", "")),
                    tools=list(item.get("tools") or []),
                    answer=str(item["answer"]),
                    must_flag=must,
                )
            )
    return out


def _unsigned(number: str) -> str:
    """A number as written, without its sign (a set names "0,04" for "−0,04")."""
    return number.strip().lstrip("+-−±")


def evaluate_cases(
    cases: Sequence[GroundingCase], call_tool: Any, check: Any = check_grounding
) -> GroundingScore:
    """Run each case's tool calls (``call_tool(name, arguments)``) and check its answer.

    A number of the answer listed in ``must_flag`` is wrong; every other number is right.
    """
    score = GroundingScore()
    for case in cases:
        evidence = [call_tool(t["name"], t.get("arguments") or {}) for t in case.tools]
        report = check(case.answer, evidence)
        flagged = {_unsigned(x) for x in report.ungrounded}
        reasons = {_unsigned(f.text): f.reason for f in getattr(report, "flags", [])}
        wrong = {_unsigned(x) for x in case.must_flag}
        written = {_unsigned(m.text) for m in find_numbers(case.answer)}
        right = written - wrong
        kind = score.by_kind.setdefault(case.kind, [0, 0, 0, 0])
        for number in wrong:
            score.wrong += 1
            kind[0] += 1
            if number in flagged:
                score.caught += 1
                kind[1] += 1
            else:
                score.misses.append((case.id, number))
        for number in right:
            score.right += 1
            kind[2] += 1
            if number in flagged:
                score.false_flags += 1
                kind[3] += 1
                score.false.append((case.id, number, reasons.get(number, "")))
    return score
