"""How answers name the figures: Swedish and English aliases, units and change words.

Used by the grounding check (:mod:`assistant.grounding`) to read what a number in an answer is
said about. Each alias family maps to the figure keys of the index engine it may name; a fact
belongs to a family when its key or its label matches the family's pattern.
"""

from __future__ import annotations

import re

#: Family name -> a pattern for the words that name it (lower case text). Order matters when
#: two patterns match at the same place: the first listed (the more specific) wins.
FIGURE_ALIASES: dict[str, str] = {
    "svarsfrekvens": r"svarsfrekvens\w*|response rate\w*|svarsandel\w*|\brate\b",
    "mottagare": r"mottagare\w*|recipients?",
    "svarande": r"\bsvarande\b|\bsvarade\b|respondent\w*|\banswered\b|\bresponded\b",
    "digital_formaga": r"digital\w* förmåg\w*|\bförmåga\w*|digital capabilit\w*",
    "digitalt_arv": r"digital\w* arv\w*|\barvet\b|digital legacy",
    "digital_mognad": r"digital\w* mognad\w*|\bmognad\w*|dimios|maturity",
    "genomforandegrad": r"genomförandegrad\w*|genomförandekapacitet\w*|completion rate"
    r"|delivery rate|implementation rate|leveransgrad\w*",
    "genomforda": r"\bgenomförd(a|es)\b|\blevererade?s\b|\bslutfördes\b|\bcompleted\b"
    r"|\bdelivered\b",
    "nyttorealisering": r"nyttorealisering\w*|benefit realisation|benefits? realization"
    r"|måluppfyllelse\w*",
    "forutsattningar": r"förutsättning\w*|prerequisites?|preconditions?|enablers?",
    "resultat": r"\bresultat(et|en|s)?\b|\bresults?\b|\boutcomes?\b",
    "nytta": r"\bnytta\w*|\bnyttor\w*|\bbenefits?\b",
    "medarbetare_positiva": r"\bpositiv\w*|\bpositive\w*",
    "medarbetare_neutrala": r"\bneutral\w*",
    "medarbetare_negativa": r"\bnegativ\w*|\bnegative\w*",
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


def fold(text: str) -> str:
    """Lower case without å, ä, ö (as keys spell them: ``genomforda``, ``forutsattningar``)."""
    return text.lower().translate(str.maketrans("åäö", "aao"))


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
    r"\b(ökade?|ökat|ökning\w*|steg|stigit|stiger|höjdes|höjning\w*|förbättra\w*|växte|uppgång\w*"
    r"|rose|risen|increase[sd]?|increasing|grew|up|improved|improvement|gain\w*|drog upp|lyfte"
    r"|pulled up)\b"
)
DOWN_WORDS = re.compile(
    r"\b(minskade?|minskat|minskning\w*|sjönk|sjunkit|sjunker|föll|fallit|sänktes|försämra\w*"
    r"|nedgång\w*|tapp\w*|fell|fallen|decrease[sd]?|decreasing|declined?|dropped|drop|down"
    r"|lower(ed)?|drog (ned|ner)|pulled down)\b"
)
#: "ökade med", "en minskning på", "a rise of": the number after it is the size of a change.
CHANGE_BEFORE = re.compile(
    r"(\b(ökade?|ökat|ökning\w*|steg|stigit|höjdes|höjning\w*|förbättrades|förbättring\w*|växte"
    r"|minskade?|minskat|minskning\w*|sjönk|sjunkit|föll|fallit|sänktes|försämrades|försämring\w*"
    r"|nedgång\w*|förändring\w*|skillnad\w*|ändrades|rose|increased?|grew|fell|decreased?"
    r"|declined?|dropped|changed?|difference|rise|fall|gain|drop|improved|drog (ned|ner|upp)"
    r"|bidrog|lyfte|pulled (down|up)|contributed)"
    r"(,? \w+){0,3},? (med|på|by|of)( \w+){0,1}|\b(upp|ned|ner|up|down) (med|by)|"
    r"\b(förändring\w*|skillnad\w*|change|difference)( \w+){0,2} (var|är|blev|was|is|of):?"
    r"|\b(up|down|upp|ned|ner)|\ba (rise|fall|drop|gain|decrease|increase) of)\s*$"
)
