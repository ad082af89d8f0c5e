"""How answers name the figures: Swedish and English aliases, units and change words.

Used by the grounding check (:mod:`assistant.grounding`) to read what a number in an answer is
said about. Each alias family maps to the figure keys of the index engine it may name; a fact
belongs to a family when its key or its label matches the family's pattern.
"""

from __future__ import annotations

import re

from assistant.lang.text import fold

#: Family name -> a pattern for the words that name it (lower case text). Order matters when
#: two patterns match at the same place: the first listed (the more specific) wins.
FIGURE_ALIASES: dict[str, str] = {
    "svarsfrekvens": r"svarsfrekvens\w*|response rate\w*|svarsandel\w*|\brate\b",
    "mottagare": r"mottagare\w*|recipients?",
    "svarande": r"\bsvarande\b|\bsvarade\b|respondent\w*|\banswered\b|\bresponded\b",
    "digital_formaga": r"digital\w* förmåg\w*|\bförmåga\w*|digital capabilit\w*",
    "digitalt_arv": r"digital\w* arv\w*|\barvet\b|digital legacy",
    "digital_mognad": r"digital\w* mognad\w*|\bmognad\w*|maturity",
    # the survey's name: any of its figures (maturity, recipients, respondents, response rate)
    "dimios": r"dimios",
    "genomforandegrad": r"genomförandegrad\w*|genomförandekapacitet\w*|completion rate"
    r"|delivery rate|implementation rate|leveransgrad\w*",
    "genomforda": r"\bgenomförd(a|es)\b|\blevererade?s\b|\bslutfördes\b|\bcompleted\b"
    r"|\bdelivered\b",
    "nyttorealisering": r"nyttorealisering\w*|benefit realisation|benefits? realization"
    r"|måluppfyllelse\w*",
    "forutsattningar": r"förutsättning\w*|prerequisites?|preconditions?|enablers?",
    "resultat": r"\bresultat(et|en|s)?\b|\bresultatindikator\w*|\bresults?\b|\boutcomes?\b",
    "nytta": r"\bnytta\w*|\bnyttor\w*|\bbenefits?\b",
    # not a contribution's sign ("Nytta bidrog positivt med 0,02", "ett negativt bidrag")
    "medarbetare_positiva": r"(?<!bidrog )(?<!bidrar )(?<!contributed )"
    r"(\bpositiv\w*|\bpositive\w*)(?! bidrag| contribution)",
    "medarbetare_neutrala": r"\bneutral\w*",
    "medarbetare_negativa": r"(?<!bidrog )(?<!bidrar )(?<!contributed )"
    r"(\bnegativ\w*|\bnegative\w*)(?! bidrag| contribution)",
    "medarbetare": r"medarbetar\w*|employee\w*|\bstaff\b|personal(en)?\b|digitala stöd\w*",
    "antal_initiativ": r"initiativ\w*|projekt\w*|initiatives?|projects?",
    "index": r"digitaliseringsindex\w*|\bindex\w*|\bdigitalisation index\b",
}

#: Families that qualify an answer word ("svarade positivt"): they win over the word before.
QUALIFIER_FAMILIES = frozenset(
    {"medarbetare_positiva", "medarbetare_neutrala", "medarbetare_negativa"}
)

#: Family name -> the figure keys (base keys, before a ``.``) it names.
FAMILY_KEYS: dict[str, frozenset[str]] = {
    "svarsfrekvens": frozenset({"dimios_svarsfrekvens", "svarsfrekvens"}),
    "mottagare": frozenset({"dimios_mottagare"}),
    "svarande": frozenset({"dimios_svarande"}),
    "digital_formaga": frozenset({"digital_formaga"}),
    "digitalt_arv": frozenset({"digitalt_arv"}),
    "digital_mognad": frozenset({"digital_mognad", "dimios_verksamhet", "dimios_omrade"}),
    "dimios": frozenset(
        {
            "digital_mognad",
            "dimios_verksamhet",
            "dimios_omrade",
            "dimios_mottagare",
            "dimios_svarande",
            "dimios_svarsfrekvens",
        }
    ),
    "genomforandegrad": frozenset({"genomforandegrad"}),
    "genomforda": frozenset({"antal_genomforda"}),
    "nyttorealisering": frozenset({"nyttorealisering"}),
    "forutsattningar": frozenset({"forutsattningar"}),
    "resultat": frozenset({"resultat"}),
    "nytta": frozenset({"nytta"}),
    "medarbetare": frozenset(
        {
            "medarbetare",
            "medarbetare_medel",
            "medarbetare_positiva",
            "medarbetare_neutrala",
            "medarbetare_negativa",
        }
    ),
    "antal_initiativ": frozenset({"antal_initiativ", "antal_genomforda"}),
    "medarbetare_positiva": frozenset({"medarbetare_positiva"}),
    "medarbetare_neutrala": frozenset({"medarbetare_neutrala"}),
    "medarbetare_negativa": frozenset({"medarbetare_negativa"}),
    "index": frozenset({"index"}),
}

FIGURE_ALIAS_RES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern) for name, pattern in FIGURE_ALIASES.items()
}


def families_of(key: str) -> frozenset[str]:
    """The alias families whose figure keys hold ``key`` (its part before a ``.``)."""
    base = key.split(".")[0]
    return frozenset(f for f, keys in FAMILY_KEYS.items() if base in keys)


def naming(key: str) -> re.Pattern[str] | None:
    """A pattern for the words that name figure ``key`` (its families' aliases), or None."""
    patterns = [FIGURE_ALIASES[f] for f in FIGURE_ALIASES if f in families_of(key)]
    return re.compile("|".join(patterns)) if patterns else None


#: The aliases for text written without å, ä, ö (the engine's keys and input names).
FOLDED_ALIAS_RES: dict[str, re.Pattern[str]] = {
    name: re.compile(fold(pattern)) for name, pattern in FIGURE_ALIASES.items()
}

#: Units written after a number: (pattern, unit). Checked in order on the text that follows it.
UNIT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s*(procentenhet\w*|percentage points?|pp\b|p\.e\.)"), "pp"),
    (re.compile(r"^\s*(%|procent\b|percent\b|per cent\b)"), "percent"),
    (re.compile(r"^\s*(av|of|/|på skalan till)\s*10\b"), "index10"),
    (re.compile(r"^\s*(av|of|/)\s*5\b"), "score5"),
    # "74,4 på den femgradiga skalan", "3,72 on the five-point scale"
    (
        re.compile(
            r"^\s*(på|on) ([^\W\d]+ ){0,2}(femgradig\w*|fem-gradig\w*|five-point|1\s*[–-]\s*5\b)"
        ),
        "score5",
    ),
    (re.compile(r"^\s*(på|on) ([^\W\d]+ ){0,2}(sexgradig\w*|six-point)"), "score6"),
    (
        re.compile(r"^\s*(på|on) ([^\W\d]+ ){0,2}(tiogradig\w*|ten-point|(0|1)\s*[–-]\s*10\b)"),
        "index10",
    ),
    (re.compile(r"^\s*(av|of|/)\s*6\b"), "score6"),
    (re.compile(r"^\s*(enheter|enhet|poäng)\b"), "points"),
    (
        re.compile(
            r"^\s*(st\b|stycken|initiativ\w*|projekt\w*|initiatives?|projects?|personer|people"
            r"|svarande|respondents?|mottagare|recipients?|medarbetare|employees?|svar\b"
            r"|indikator\w*|indicators?|verksamhet\w*|områden|areas?|objekt\w*)"
        ),
        "count",
    ),
)

#: A change and its direction, written just before the number ("ökade med", "a fall of").
UP_WORDS = re.compile(
    r"\b(ökade?|ökat|ökar|öka|ökning\w*|steg|stigit|stiger|stiga|höjdes|höjs|höjas|höjning\w*"
    r"|förbättra\w*|växte|uppgång\w*"
    r"|rose|risen|increase[sd]?|increasing|grew|up|improved|improvement|gain\w*|drog upp|lyfte"
    r"|pulled up|bidrog positivt|positivt bidrag\w*|contributed positively|uppåt|upward\w*"
    r"|drog (\w+ )?upp|(gick|gått|går) (\w+ )?upp)\b"
)
DOWN_WORDS = re.compile(
    r"\b(minskade?|minskat|minskar|minska|minskning\w*|sjönk|sjunkit|sjunker|sjunka|föll|fallit|faller"
    r"|sänktes|sänks|sänkas|försämra\w*"
    r"|nedgång\w*|tapp\w*|fell|fallen|decrease[sd]?|decreasing|declined?|dropped|drop|down"
    r"|lower(ed)?|drog (\w+ )?(ned|ner)|pulled down|bidrog negativt|negativt bidrag\w*"
    r"|nedåt|neråt|downward\w*|(gick|gått|går) (\w+ )?(ned|ner)"
    r"|contributed negatively)\b"
)
#: "ökade med", "en minskning på", "a rise of": the number after it is the size of a change.
CHANGE_BEFORE = re.compile(
    r"(\b(ökade?|ökat|ökar|öka|ökning\w*|steg|stigit|stiger|stiga|höjdes|höjs|höjas|höjning\w*"
    r"|förbättrades|förbättring\w*|växte|minskade?|minskat|minskar|minska|minskning\w*|sjönk|sjunkit"
    r"|sjunker|sjunka|föll|fallit|faller|sänktes|sänks|sänkas|försämrades|försämring\w*"
    r"|nedgång\w*|förändring\w*|skillnad\w*|ändrades|rose|increased?|grew|fell|decreased?"
    r"|declined?|dropped|changed?|difference|rise|fall|gain|drop|improved|drog (ned|ner|upp)"
    r"|bidrog|lyfte|pulled (down|up)|contributed)"
    r"(,? \w+){0,3},? (med|på|by|of)( \w+){0,1}|\b(upp|ned|ner|up|down) (med|by)|"
    r"\b(förändring\w*|skillnad\w*|change|difference)( \w+){0,2} (var|är|blev|was|is|of):?"
    r"|\b(up|down|upp|ned|ner)|\ba (rise|fall|drop|gain|decrease|increase) of"
    # "steg 8,9 procentenheter": the verb right before its size
    r"|\b(ökade|ökat|steg|stigit|sjönk|sjunkit|minskade|minskat|föll|fallit|rose|fell|grew"
    r"|dropped|increased|decreased|declined))\s*$"
)

#: What a measured indicator counts ("940 timmar", "1,6 dagar", "32 579 kr"), written right
#: after its number: (pattern, canonical quantity).
MEASURE_QUANTITIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^\s*({p})(?!\w)"), q)
    for p, q in (
        (r"timm(e|ar|arna|en)|tim|h|hours?", "timme"),
        (r"dag(ar|en|arna)?|dygn(et)?|days?", "dag"),
        (r"minut(er|en|erna)?|min|minutes?", "minut"),
        (r"sekund(er|en|erna)?|seconds?", "sekund"),
        (r"kr|kronor|sek|swedish kronor", "krona"),
        (r"besök(en|are)?|visits?", "besök"),
        (r"samtal(en)?|calls?", "samtal"),
    )
)
#: The period a measure is per ("per år", "/månad", "i veckan", "a year"): (pattern, period).
#: "i år" is this year, not per year.
MEASURE_PERIODS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), period)
    for p, period in (
        (r"\bper (år|året)\b|/\s?år\b|\bom året\b|\bårlig\w*|\bper year\b|\ba year\b"
         r"|\bannual\w*|\byearly\b", "år"),
        (r"\bper (månad|månaden)\b|/\s?månad\b|\bi månaden\b|\bmånatlig\w*|\bper month\b"
         r"|\ba month\b|\bmonthly\b", "månad"),
        (r"\bper (vecka|veckan)\b|/\s?vecka\b|\bi veckan\b|\bper week\b|\ba week\b|\bweekly\b",
         "vecka"),
        (r"\bper (termin|terminen)\b|/\s?termin\b|\bper (term|semester)\b", "termin"),
        (r"\bper (dag|dagen|dygn)\b|/\s?dag\b|\bper day\b|\bdaily\b", "dag"),
    )
)  # fmt: skip
#: Before a measure: the other end of a range ("från 3,2 till 1,6 timmar", "1 400–586 samtal").
_RANGE_END = re.compile(r"^\s*(till|to|och|and|–|-)\s*\d[\d\s\u00a0]*([.,]\d+)?")
#: A measure's period is read up to the end of its clause.
_MEASURE_CLAUSE = re.compile(r"[,;:()]|\s(och|and|men|but|medan|while|mot|against)\s|\.\s|\.$")


def read_measure(after: str) -> tuple[str | None, str | None]:
    """The quantity and period written after a number (or a unit field: "timmar/år")."""
    low = _RANGE_END.sub("", after.lower(), count=1)
    quantity = next((q for rx, q in MEASURE_QUANTITIES if rx.match(low)), None)
    clause = _MEASURE_CLAUSE.split(low, maxsplit=1)[0][:60]
    period = next((p for rx, p in MEASURE_PERIODS if rx.search(clause)), None)
    return quantity, period


def measures_agree(a: tuple[str | None, str | None], b: tuple[str | None, str | None]) -> bool:
    """Whether two measures can be the same: each part agrees where both say it."""
    return all(x is None or y is None or x == y for x, y in zip(a, b, strict=True))
