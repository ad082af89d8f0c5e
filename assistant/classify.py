"""Suggest portfolio categories for a new initiative: the three axes and the objekt.

The local classifier learns from the rated initiatives in the loaded register plus the
classifications users have accepted (corrections). Each text (``title. description``) is embedded
with the configured embedder; on top of that:

* a **logistic regression** per axis (classes 1–5) and for the objekt, on the embedding plus
  counts of Swedish cue words from the rubric (``CUES``) and, for the axes, who benefits
  (``beneficiary_features``: residents, companies, pupils, brukare ... against staff and the
  organisation, each mention weighted by its role in the sentence: "för invånare", "så att
  brukare", "personalen kan", negated "inte för ...", in the title),
* a **similarity vote** over the most similar rated initiatives (softmax over cosine similarity),
* a **ridge regression** of each axis value itself on the same features (ordinal: it errs toward
  the middle when the evidence is mixed),

and the two probability distributions are blended. In the default variant (the one that measured
best in cross-validation, see ``VARIANTS``) the axis regressions weight their classes inversely to
frequency and count more than the vote (similar initiatives share a topic, not necessarily who
benefits), and the objekt regression also sees the embedding of the title alone. An axis value is
the expected value of the blended distribution averaged with the ridge regression's value,
widened around the training mean (``stretch``, so the ends of a scale stay reachable) and
rounded; its confidence is the probability of that value
plus half the probability of its neighbours (``axis_confidence``). The result is flagged for
review when an axis value has a low probability of being at most one step wrong
(``within_one_probability`` < ``AXIS_REVIEW_BELOW``) or the objekt is uncertain, both thresholds
calibrated in cross-validation so that a minority is flagged and the flagged are clearly less
accurate. A rated initiative that is nearly identical to the new text (similarity ≥
``DUPLICATE_SIMILARITY``) decides on its own: it is the same initiative, already rated.

With a chat model configured the model proposes values from the rubric, with the most similar
initiatives as examples, as JSON validated with pydantic. When it and the local model differ by
more than one step on an axis (or disagree on the objekt) the result needs review and both
proposals are shown. Invalid model output falls back to the local result with a warning.

Everything is deterministic: fixed solver, no random state, ties broken by register order.

Evaluation (``cross_validate``, ``evaluate_frame``, ``agreement_metrics``) lives here too, so the
CLI's ``eval classify`` and the benchmark script measure exactly what the app runs.
"""

from __future__ import annotations

import json
import logging
import math
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import AssistantError, InvalidInputError
from assistant.lang.stopwords import CLASSIFIER_STOPWORDS
from assistant.lang.text import is_valid_text

if TYPE_CHECKING:
    from index_engine.loaders import Dataset
    from ingest.embeddings import Embedder

log = logging.getLogger("digirapport.classify")

AXES: tuple[str, ...] = ("innovation_effektivitet", "operativt_strategiskt", "extern_intern")
VALUES: tuple[int, ...] = (1, 2, 3, 4, 5)

#: Swedish names of the axes and their poles (value 1 / value 5).
AXIS_LABELS: dict[str, tuple[str, str, str]] = {
    "innovation_effektivitet": ("Innovation/effektivitet", "effektivisering", "innovation"),
    "operativt_strategiskt": (
        "Operativt/strategiskt",
        "operativt (direkt förändring)",
        "strategiskt (långsiktiga förutsättningar)",
    ),
    "extern_intern": ("Extern/intern nytta", "intern nytta", "extern nytta"),
}

#: Limits on the input (characters).
MAX_TITLE_CHARS = 300
MAX_DESCRIPTION_CHARS = 5000
MIN_TOTAL_WORDS = 3
#: Fewer distinct content words than this makes the text "short or vague".
MIN_CONTENT_WORDS = 8
#: Review when the model gives the suggested axis value less than this probability of being at
#: most one step wrong (``within_one_probability``), or the objekt less than
#: ``OBJEKT_REVIEW_BELOW``. Calibrated by 5-fold cross-validation on the sample register (two
#: seeds): about a fifth of the initiatives are flagged (0,23 with the default variant), and
#: they are fully right (every axis within one and the objekt) about half as often as the
#: unflagged ones (0,35 against 0,69).
AXIS_REVIEW_BELOW = 0.60
OBJEKT_REVIEW_BELOW = 0.35
#: Review when no rated initiative is at least this similar.
LOW_SIMILARITY = 0.85
#: A rated initiative this similar is treated as the same initiative.
DUPLICATE_SIMILARITY = 0.975
#: How many similar initiatives to show, and how many to vote.
SHOW_SIMILAR = 5
VOTE_NEIGHBOURS = 10
#: Too few rated initiatives to learn from.
MIN_TRAINING_ROWS = 5
#: Weight of an accepted correction relative to a register row.
CORRECTION_WEIGHT = 3.0


@dataclass(frozen=True)
class Variant:
    """A configuration of the local model (compared by ``cross_validate``).

    Attributes:
        name: Short name shown in evaluations.
        use_logreg: Use the logistic regression.
        use_knn: Use the similarity vote.
        use_cues: Add the cue-word counts to the regression's features.
        logreg_weight: Weight of the regression in the blend (the vote gets the rest).
        c: Inverse regularisation strength of the regression.
        temperature: Softmax temperature of the similarity vote.
        decision: ``median``, ``mean`` (the rounded expected value) or ``argmax`` of the
            blended distribution.
        cue_scale: Weight of the (standardised) cue-word features against the embedding.
        objekt_cues: Give the objekt regression the objekt cue-word counts too.
        title_vector: Also give the regressions the embedding of the title alone: ``"objekt"``
            (the objekt regression only), ``"all"`` (the axes too) or ``""`` (none).
        axis_logreg_weight: Weight of the regression in the axes' blend (default:
            ``logreg_weight``); the objekt keeps ``logreg_weight``.
        axis_cue_scale: Weight of the axis cue-word features (default: ``cue_scale``).
        balanced: Weight the axis regressions' classes inversely to their frequency, so the
            rare ends of a scale are not swallowed by the common middle.
        ordinal: Fit the axes as cumulative binary regressions (P(value > k), k = 1–4) instead
            of one multinomial regression: the ordinal structure of the scale is used.
        stretch: Widen the expected value around the training mean by this factor before
            rounding (``decision="mean"`` only); counters the blend's pull to the middle.
        objekt_balanced: Weight the objekt regression's classes inversely to their frequency.
        beneficiary: Give the axis regressions the who-benefits features
            (``beneficiary_features``: residents, companies, pupils ... against staff and the
            organisation, weighted by the role each mention plays in its sentence).
        beneficiary_scale: Weight of the who-benefits features (default: the axis cue scale).
        ridge_weight: ``decision="mean"``: weight of a ridge regression of the value itself in
            the expected value (the rest is the blended distribution's mean); a regression
            of the number treats the scale as ordinal and errs toward the middle when the
            evidence is mixed.
        ridge_alpha: Regularisation of that ridge regression.
        ridge_balanced: Weight the ridge regression's rows inversely to their value's frequency.
    """

    name: str
    use_logreg: bool = True
    use_knn: bool = True
    use_cues: bool = True
    logreg_weight: float = 0.5
    c: float = 4.0
    temperature: float = 0.02
    decision: str = "median"
    cue_scale: float = 1.0
    objekt_cues: bool = False
    balanced: bool = False
    title_vector: str = ""
    axis_logreg_weight: float | None = None
    axis_cue_scale: float | None = None
    ordinal: bool = False
    stretch: float = 1.0
    objekt_balanced: bool = False
    beneficiary: bool = False
    beneficiary_scale: float | None = None
    ridge_weight: float = 0.0
    ridge_alpha: float = 100.0
    ridge_balanced: bool = True


_BALANCED_STRETCHED = Variant(
    "bal+sträck+titel",
    decision="mean",
    objekt_cues=True,
    cue_scale=3.0,
    c=1.0,
    balanced=True,
    stretch=1.2,
    axis_logreg_weight=0.8,
    logreg_weight=0.6,
    title_vector="objekt",
)
#: The variants compared by ``digirapport eval classify --variants``.
VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant("knn", use_logreg=False, use_cues=False),
        Variant("logreg", use_knn=False, use_cues=False),
        Variant("logreg+ord", use_knn=False),
        Variant("blend", use_cues=False),
        Variant("blend+ord"),
        Variant("blend+ord-argmax", decision="argmax"),
        Variant("blend+ord-mean", decision="mean"),
        Variant("blend+ord3-mean+obj", decision="mean", objekt_cues=True, cue_scale=3.0),
        Variant(
            "kumulativ+bal",
            decision="mean",
            objekt_cues=True,
            cue_scale=3.0,
            ordinal=True,
            balanced=True,
        ),
        _BALANCED_STRETCHED,
        replace(
            _BALANCED_STRETCHED,
            name="mottagare+regression",
            beneficiary=True,
            beneficiary_scale=6.0,
            ridge_weight=0.5,
            ridge_alpha=600.0,
        ),
    )
}
#: The variant the app uses: the best within-one agreement in 5-fold cross-validation on the
#: sample register over five fold splits (`digirapport eval classify --variants`, seeds 0–4):
#: class-balanced axis regressions weighted more than the similarity vote (the vote follows the
#: topic, not who benefits), who benefits weighted by sentence role (``beneficiary_features``),
#: the expected value averaged with a ridge regression of the value (ordinal, errs toward the
#: middle when the evidence is mixed) and widened by 1,2 around the mean, and the title's own
#: embedding as extra features for the objekt. Against ``bal+sträck+titel`` (mean of five
#: splits): within one 0,90 · 0,92 · 0,86 → 0,93 · 0,93 · 0,92, objekt 0,75 both.
DEFAULT_VARIANT = "mottagare+regression"


# --------------------------------------------------------------------------------------------
# Cue words (the rubric in DOMAIN.md) and text helpers
# --------------------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    """Comma-separated cue stems as a tuple."""
    return tuple(c.strip() for c in text.split(",") if c.strip())


#: Cue words per axis and pole. Each entry is a word stem (matched at the start of a word) or a
#: short phrase of stems. Low = value 1 pole, high = value 5 pole.
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "innovation_effektivitet": {
        "low": _split(
            "effektivis, effektiv, automatis, manuell, manuellt, manuella, tidsbesparing, "
            "spara tid, sparar tid, frigör, frigöra, kostnad, besparing, minska, minskad, "
            "snabbare, ersätt, pappers, dubbelarbete, rationalis, handläggningstid, "
            "administrativ, administration, standardis, robot, rpa, kortare, enklare, förenkl, "
            "resurseffektiv, licens, avveckl, konsolider, uppgrader, byte av, migrer"
        ),
        "high": _split(
            "innovation, innovativ, pilot, testbädd, testa, utforsk, experiment, prototyp, ai, "
            "artificiell intelligens, generativ, maskininlärning, sensor, iot, smart, nytänk, "
            "ny tjänst, nya tjänster, nytt sätt, nya sätt, nya möjligheter, labb, "
            "innovationsupphandling, drönare, vr, virtuell, digital tvilling, chattbot, chatbot, "
            "framtidens, banbrytande, samskap, hackathon, idé"
        ),
    },
    "operativt_strategiskt": {
        "low": _split(
            "införa, inför, införande, implementer, driftsätt, direkt, omedelbar, byta, byte, "
            "ersätt, uppgrader, verktyg, rutin, daglig, dagliga, schemalägg, handläggning, "
            "e-tjänst, app, formulär, installer, utrustning, surfplatt, skärm, konkret, snabbt, "
            "omgående, redan i"
        ),
        "high": _split(
            "strategi, strategisk, långsikt, förutsättning, plattform, arkitektur, styrning, "
            "ramverk, policy, kompetensutveckl, kompetenslyft, kompetens, "
            "informationsförsörjning, datadriv, datalager, dataplattform, masterdata, "
            "informationsmodell, färdplan, målbild, förstudie, kartlägg, samordn, "
            "infrastruktur, grund för, grunden för, riktlinje, styrmodell, framtid, på sikt, "
            "hållbar, standard, interoperab, gemensam, nationell, utredning, analysförmåga"
        ),
    },
    "extern_intern": {
        "low": _split(
            "medarbetar, personal, handläggar, intern, internt, interna, administrativ, chef, "
            "organisation, uppföljning, lön, hr, ekonomi, rapportering, intranät, "
            "ärendehantering, kollega, anställd, förvaltning, verksamhetssystem, attest, "
            "fakturahantering, inköp, ledning, arbetsmiljö, tjänsteperson, tjänstem, "
            "lärare, ledare, systemförvaltning, ekonomisystem, beslutsunderlag, nämnd, "
            "kalkylark, behörighet, debiter, portfölj, diarium, e-post, arbetsplats"
        ),
        "high": _split(
            "invånar, medborgar, nackabo, brukar, elev, vårdnadshavar, föräld, företag, "
            "näringsliv, kunder, kunden, besökar, patient, omsorgstagar, anhörig, allmänhet, "
            "sökande, självservice, boende, kommuninvånar, resenär, barn, unga, äldre, "
            "hyresgäst, användar, turist, privatperson, ungdom, den enskilde, enskilda, "
            "dygnet runt, tillgänglig, e-tjänst, låntagar, familj, restaurang, bankid, "
            "webbplats, synpunkt, medborgardialog, självbetjän, publik, allmänt, öppna data, "
            "ansöka, ansökan, ansökningar, näringsidkar, föreningar, trafikant, cyklist, "
            "hushåll, fastighetsägar, bo kvar, hemma"
        ),
    },
}

#: Extra cue stems for objekt names (the objekt's own words are added automatically).
OBJEKT_CUES: dict[str, tuple[str, ...]] = {
    "Ledning och styrning": _split(
        "styrning, ledning, uppföljning, beslutsstöd, analys, datadriv, ekonomi, budget, "
        "nyckeltal, prognos"
    ),
    "Social omsorg": _split(
        "socialtjänst, äldreomsorg, hemtjänst, omsorg, lss, brukare, biståndsbeslut, "
        "försörjningsstöd, ekonomiskt bistånd, orosanmälan, individ- och familj, "
        "välfärdsteknik, särskilt boende"
    ),
    "Välfärd samhällsservice": _split(
        "äldreboende, daglig verksamhet, boende, samhällsservice, omsorgspersonal, gruppbostad, "
        "fritidsgård, bostadsanpassning, färdtjänst, överförmyndar, god man, gode män, "
        "ställföreträdar, skuldrådgivning, budget- och skuldrådgivning, konsumentvägled, "
        "serveringstillstånd, tillstånd, nyanlända, mottagning, bostadsförmedling"
    ),
    "Välfärd skola": _split(
        "skola, skolor, elev, lärare, förskola, rektor, undervisning, klassrum, vårdnadshavare, "
        "grundskola, gymnasie"
    ),
    "Utbildning och arbetsmarknad": _split(
        "arbetsmarknad, vuxenutbildning, sfi, komvux, arbetssökande, etablering, praktik, "
        "skolval, skolplacering, antagning"
    ),
    "Natur och trafik": _split(
        "trafik, parkering, gata, gator, gatu, vägar, vägen, vägnät, park, parker, naturreservat, "
        "naturvård, grönområde, cykel, kollektivtrafik, snöröjning, plogning, belysning, avfall, "
        "återvinning, miljö, klimat, luftkvalitet, vatten, dagvatten"
    ),
    "Kultur och fritid": _split(
        "bibliotek, kultur, fritid, idrott, musik, konsthall, konstnär, föreningar, evenemang, "
        "simhall, sporthall, bokning av lokal"
    ),
    "Samhällsbyggnad": _split(
        "bygglov, detaljplan, planering, exploatering, geodata, karta, kartor, lantmäteri, "
        "bostadsbyggande, stadsbyggnad"
    ),
    "Fastighet": _split(
        "fastighet, lokaler, lokalen, byggnad, energi, ventilation, förvaltning av, hyresgäst, "
        "underhåll, passersystem"
    ),
    "Medborgar- och internservice": _split(
        "kontaktcenter, e-tjänst, webbplats, växel, it-stöd, servicedesk, arkiv, diarie, post, "
        "e-arkiv, support, licens, nätverk, dator, mina sidor, digital post, brevlåd, "
        "registratur, allmänna handlingar, lösenord, inloggning, it-support, "
        "e-tjänsteplattform, medborgarservice, ärendehanteringssystem"
    ),
}

#: Words that carry no content, and generic project words (one home: assistant.lang).
STOPWORDS = CLASSIFIER_STOPWORDS

_WORD_RE = re.compile(r"[a-zåäöéüæø0-9][a-zåäöéüæø0-9\-]*", re.IGNORECASE)
_LETTER_RE = re.compile(r"[^\W\d_]", re.UNICODE)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def words(text: str) -> list[str]:
    """The words of ``text``, lower-cased."""
    return _WORD_RE.findall(_norm(text))


def content_words(text: str) -> list[str]:
    """Distinct content words of ``text`` in order (no stop words, no numbers, ≥ 3 letters)."""
    seen: dict[str, None] = {}
    for w in words(text):
        if len(w) >= 3 and w not in STOPWORDS and not w.isdigit():
            seen.setdefault(w, None)
    return list(seen)


#: Cues matched as whole words, never as the start of a longer word.
_ACRONYMS = frozenset({"ai", "it", "iot", "app", "hr", "vr", "rpa", "lss", "sfi", "post"})


def _cue_pattern(cue: str) -> re.Pattern[str]:
    parts = [re.escape(p) + r"[\wåäöéü\-]*" for p in cue.split()]
    if cue in _ACRONYMS:  # whole word (plus a short Swedish ending: "appen", "AI-stöd")
        parts = [re.escape(cue) + r"(?:-?[a-zåäö]{0,3})"]
        if cue in {"ai", "it"}:
            parts = [re.escape(cue) + r"(?:-[\wåäöéü]*)?"]
    return re.compile(r"(?<![\wåäöéü])" + r"\s+".join(parts) + r"(?![\wåäöéü])", re.IGNORECASE)


_CUE_PATTERNS: dict[str, dict[str, list[tuple[str, re.Pattern[str]]]]] = {
    axis: {pole: [(c, _cue_pattern(c)) for c in cues] for pole, cues in poles.items()}
    for axis, poles in CUES.items()
}


def find_cues(text: str, axis: str) -> dict[str, list[str]]:
    """The cue words of ``axis`` found in ``text``, per pole, as they are written in the text.

    Args:
        text: Title and description.
        axis: One of ``AXES``.

    Returns:
        ``{"low": [...], "high": [...]}`` with the matched words (distinct, in text order).
    """
    found: dict[str, list[str]] = {"low": [], "high": []}
    for pole, patterns in _CUE_PATTERNS[axis].items():
        hits: list[tuple[int, str]] = []
        for _cue, pattern in patterns:
            for m in pattern.finditer(text):
                hits.append((m.start(), m.group(0)))
        seen: dict[str, None] = {}
        for _pos, word in sorted(hits):
            seen.setdefault(word.lower(), None)
        found[pole] = list(seen)
    return found


def cue_features(text: str) -> np.ndarray:
    """Six numbers per text: log(1 + cue count) for the low and the high pole of each axis."""
    feats: list[float] = []
    for axis in AXES:
        cues = find_cues(text, axis)
        feats.extend([math.log1p(len(cues["low"])), math.log1p(len(cues["high"]))])
    return np.asarray(feats, dtype=np.float64)


#: Who benefits: stems of words for the people outside the organisation (extern nytta) and for
#: the organisation's own people and units (intern nytta). General vocabulary of the rubric. A
#: word counts when it ends with a stem plus an inflection ("invånarna", "skolelever",
#: "bygglovshandläggare"), not when the stem only begins a compound ("elevregistret").
BENEFICIARIES: dict[str, tuple[str, ...]] = {
    "extern": _split(
        "invånar, medborgar, brukar, elev, vårdnadshavar, föräld, förälder, företag, "
        "näringsidkar, näringsliv, kund, besökar, patient, omsorgstagar, anhörig, allmänhet, "
        "sökand, resenär, låntagar, familj, barn, unga, ungdom, hyresgäst, privatperson, "
        "deltagar, förening, trafikant, cyklist, fotgängar, hushåll, fastighetsägar, "
        "pensionär, senior, nyanländ, turist, medlem, klient, målgrupp, bilist, byggherr, "
        "bor, boend, enskild"
    ),
    "intern": _split(
        "medarbetar, personal, anställd, handläggar, chef, ledar, ledning, tjänsteperson, "
        "tjänstemän, tjänsteman, kollega, lärar, pedagog, rektor, controller, ekonom, "
        "administratör, registrator, arkivari, utredar, sekreterar, skötersk, inspektör, "
        "samordnar, vägledar, "
        "förvaltning, organisation, avdelning, nämnd, förtroendevald, politiker, "
        "kommunstyrels, systemförvaltar, verksamhetssystem, kommunhus, intern, administration, "
        "expedition, specialist, assistent, kurator, strateg, it-stöd"
    ),
}
#: Inflectional endings allowed after a stem ("-na", "-erna", "-ens" ...).
_INFLECTION = (
    "(?:|e|en|ens|er|erna|ernas|ers|et|ets|t|a|as|na|nas|n|ns|r|rna|rnas|ar|arna|arnas|"
    "are|s|ande|de|da|dar|darna|rar|rarna|rarnas|ra)"
)
#: Words that end like a beneficiary but are something else (verbs, other nouns).
_NOT_BENEFICIARY = frozenset({"kunde", "kunna", "internet", "bor", "bort", "borta", "borde"})
_BENEFICIARY_RES: dict[str, re.Pattern[str]] = {
    side: re.compile(
        "(?:"
        + "|".join(
            (r"[a-zåäö]{3,}" if stem == "bor" else "") + re.escape(stem)
            for stem in sorted(stems, key=len, reverse=True)
        )
        + ")"
        + _INFLECTION
        + "$"
    )
    for side, stems in BENEFICIARIES.items()
}
#: Words just before a beneficiary word that make it the one the initiative is for
#: ("för invånare", "så att brukare", "åt företag", "enklare för elever").
_FOR_WORDS = frozenset({"för", "åt", "till", "att", "hjälper", "stödjer", "underlättar"})
#: Words just after a beneficiary word that make it the one who acts or gains
#: ("invånare kan", "personalen får", "handläggare slipper").
_GAIN_WORDS = frozenset(
    {
        "kan", "får", "få", "slipper", "ser", "hittar", "behöver", "erbjuds", "ges", "själva",
        "själv", "sparar", "bokar", "söker", "ansöker", "anmäler", "lämnar", "följer",
        "använder", "når", "vet", "fick", "kunde", "upplever", "tar", "gör",
    }
)  # fmt: skip
#: Words that negate or demote a beneficiary word within the three words before it
#: ("inte för invånare", "utan att brukare märker", "i stället för personal").
_NEGATION_WORDS = frozenset({"inte", "ej", "utan", "ingen", "inga", "stället"})
_TOKEN_RE = re.compile(r"[a-zåäöéüæø0-9][a-zåäöéüæø0-9\-]*")


def _beneficiary_side(word: str) -> str | None:
    """``"extern"``, ``"intern"`` or None for one lower-cased word (the longest ending wins)."""
    if word in _NOT_BENEFICIARY:
        return None
    best: tuple[int, str] | None = None
    for side, pattern in _BENEFICIARY_RES.items():
        for start in range(len(word)):
            if pattern.match(word, start):
                if best is None or start < best[0]:
                    best = (start, side)
                break
    return best[1] if best else None


def find_beneficiaries(title: str, description: str) -> dict[str, list[tuple[str, float]]]:
    """Mentions of who benefits, with a weight for the role each mention plays.

    A mention counts 1; 2 when it is the one the initiative is for or who acts or gains (a
    preceding "för", "så att", "åt", a following "kan", "får", "slipper" ...); times 1,5 in the
    title; 0 when negated or contrasted just before ("inte", "utan", "i stället för").

    Args:
        title: The initiative's title.
        description: Its description.

    Returns:
        ``{"extern": [(word, weight), ...], "intern": [...]}`` in text order.
    """
    out: dict[str, list[tuple[str, float]]] = {"extern": [], "intern": []}
    for part, in_title in ((title, True), (description, False)):
        tokens = _TOKEN_RE.findall(_norm(part))
        for n, word in enumerate(tokens):
            side = _beneficiary_side(word)
            if side is None:
                continue
            before = tokens[max(0, n - 3) : n]
            after = tokens[n + 1 : n + 4]
            if any(w in _NEGATION_WORDS for w in before):
                weight = 0.0
            elif (before and before[-1] in _FOR_WORDS) or any(w in _GAIN_WORDS for w in after):
                weight = 2.0
            else:
                weight = 1.0
            out[side].append((word, weight * (1.5 if in_title else 1.0)))
    return out


#: How many numbers ``beneficiary_features`` returns.
N_BENEFICIARY_FEATURES = 3


def beneficiary_features(title: str, description: str) -> np.ndarray:
    """Three numbers: log(1 + weighted external mentions), the same internal, and their balance.

    The balance is ``(e - i) / (e + i + 1)``: toward +1 when the text speaks of residents,
    companies, pupils ... toward -1 when it speaks of staff and the organisation.
    """
    found = find_beneficiaries(title, description)
    e = sum(w for _word, w in found["extern"])
    i = sum(w for _word, w in found["intern"])
    return np.asarray([math.log1p(e), math.log1p(i), (e - i) / (e + i + 1.0)], dtype=np.float64)


def _objekt_patterns(objekt: Sequence[str]) -> dict[str, list[re.Pattern[str]]]:
    out: dict[str, list[re.Pattern[str]]] = {}
    for name in objekt:
        if name in OBJEKT_CUES:
            cues = list(OBJEKT_CUES[name])
        else:  # a configured objekt without a cue list: its own words
            cues = [w.strip("-") for w in content_words(name) if w not in {"välfärd"}]
        out[name] = [_cue_pattern(c) for c in dict.fromkeys(cues)]
    return out


def find_objekt_cues(
    text: str, patterns: Mapping[str, list[re.Pattern[str]]]
) -> dict[str, list[str]]:
    """Words in ``text`` that point at each objekt (only objekt with hits are returned)."""
    out: dict[str, list[str]] = {}
    for name, pats in patterns.items():
        seen: dict[str, None] = {}
        for p in pats:
            for m in p.finditer(text):
                seen.setdefault(m.group(0).lower(), None)
        if seen:
            out[name] = list(seen)
    return out


def _quote(items: Iterable[str], limit: int = 4) -> str:
    items = list(items)[:limit]
    return ", ".join(f"”{w}”" for w in items)


def _fmt(x: float, decimals: int = 2) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


# --------------------------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------------------------


def validate_input(title: object, description: object) -> tuple[str, str]:
    """Check a title and description and return them stripped.

    Raises:
        InvalidInputError: Not text, empty, over-long, without letters, or fewer than
            ``MIN_TOTAL_WORDS`` words in total; ``field`` names the field.
    """
    checked: dict[str, str] = {}
    for name, value, limit, label in (
        ("title", title, MAX_TITLE_CHARS, "Titeln"),
        ("description", description, MAX_DESCRIPTION_CHARS, "Beskrivningen"),
    ):
        if value is None:
            raise InvalidInputError(f"{label} saknas.", field=name)
        if not isinstance(value, str):
            raise InvalidInputError(
                f"{label} måste vara text (fick {type(value).__name__}).",
                field=name,
                type=type(value).__name__,
            )
        text = value.strip()
        if not text:
            raise InvalidInputError(f"{label} är tom.", field=name)
        if len(text) > limit:
            raise InvalidInputError(
                f"{label} är för lång ({len(text)} tecken, högst {limit}).",
                field=name,
                length=len(text),
                limit=limit,
            )
        if not is_valid_text(text) or not _LETTER_RE.search(text):
            raise InvalidInputError(f"{label} innehåller ingen läsbar text.", field=name)
        checked[name] = text
    total = len(words(checked["title"])) + len(words(checked["description"]))
    if total < MIN_TOTAL_WORDS:
        raise InvalidInputError(
            f"Titel och beskrivning har för få ord ({total}, minst {MIN_TOTAL_WORDS}). "
            "Beskriv initiativets syfte och vem det gäller.",
            field="description",
            words=total,
            minimum=MIN_TOTAL_WORDS,
        )
    return checked["title"], checked["description"]


def validate_correction(record: Mapping[str, Any], objekt: Sequence[str]) -> dict[str, Any]:
    """Check an accepted or corrected classification before it is stored.

    Args:
        record: ``title``, ``description``, ``objekt``, the three axes, optional ``suggested``.
        objekt: The configured objekt list.

    Returns:
        The cleaned record (stripped text, int axes, the objekt spelled as in the list).

    Raises:
        InvalidInputError: A field is missing, an axis is not an integer 1–5, or the objekt is
            not in the list.
    """
    title, description = validate_input(record.get("title"), record.get("description"))
    clean: dict[str, Any] = {"title": title, "description": description}
    for axis in AXES:
        raw = record.get(axis)
        if isinstance(raw, bool) or raw is None:
            raise InvalidInputError(
                f"{AXIS_LABELS[axis][0]} saknas eller är inte ett heltal 1–5.", field=axis
            )
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise InvalidInputError(
                f"{AXIS_LABELS[axis][0]} måste vara ett heltal 1–5 (fick {raw!r}).", field=axis
            ) from None
        if value != raw and not (isinstance(raw, str) and raw.strip() == str(value)):
            raise InvalidInputError(
                f"{AXIS_LABELS[axis][0]} måste vara ett heltal 1–5 (fick {raw!r}).", field=axis
            )
        if value not in VALUES:
            raise InvalidInputError(
                f"{AXIS_LABELS[axis][0]} måste vara 1–5 (fick {value}).", field=axis, value=value
            )
        clean[axis] = value
    name = record.get("objekt")
    match = _match_objekt(name, objekt) if isinstance(name, str) else None
    if match is None:
        raise InvalidInputError(
            f"Okänt objekt {name!r}. Välj ett av: {', '.join(objekt)}.",
            field="objekt",
            allowed=list(objekt),
        )
    clean["objekt"] = match
    suggested = record.get("suggested")
    if suggested is not None and not isinstance(suggested, Mapping):
        raise InvalidInputError("Fältet suggested måste vara ett objekt (JSON).", field="suggested")
    clean["suggested"] = dict(suggested) if suggested is not None else None
    return clean


def _match_objekt(name: str | None, objekt: Sequence[str]) -> str | None:
    if not name:
        return None
    key = " ".join(_norm(name).split())
    for o in objekt:
        if " ".join(_norm(o).split()) == key:
            return o
    return None


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AxisResult:
    """One axis: value 1–5, confidence 0–1, and the reason in Swedish."""

    value: int
    confidence: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """``{"value", "confidence", "reason"}``."""
        return {"value": self.value, "confidence": self.confidence, "reason": self.reason}


@dataclass(frozen=True)
class SimilarInitiative:
    """A rated initiative similar to the one classified."""

    id: str
    title: str
    objekt: str
    innovation_effektivitet: int
    operativt_strategiskt: int
    extern_intern: int
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        """The API shape."""
        return {
            "id": self.id,
            "title": self.title,
            "objekt": self.objekt,
            "innovation_effektivitet": self.innovation_effektivitet,
            "operativt_strategiskt": self.operativt_strategiskt,
            "extern_intern": self.extern_intern,
            "similarity": self.similarity,
        }


@dataclass(frozen=True)
class Classification:
    """A suggested classification; ``to_dict()`` is the ``/api/initiatives/classify`` JSON.

    ``local`` and ``llm`` are only set in LLM mode: the two proposals side by side.
    """

    axes: dict[str, AxisResult]
    objekt: str
    objekt_confidence: float
    objekt_reason: str
    similar: list[SimilarInitiative]
    needs_review: bool
    review_reasons: list[str]
    mode: str = "local"
    warnings: list[str] = field(default_factory=list)
    local: dict[str, Any] | None = None
    llm: dict[str, Any] | None = None

    def values(self) -> dict[str, Any]:
        """Just the suggested values: the three axes and the objekt."""
        out: dict[str, Any] = {axis: self.axes[axis].value for axis in AXES}
        out["objekt"] = self.objekt
        return out

    def to_dict(self) -> dict[str, Any]:
        """The API shape (see docs/architecture.md, ``POST /api/initiatives/classify``)."""
        out: dict[str, Any] = {axis: self.axes[axis].to_dict() for axis in AXES}
        out.update(
            {
                "objekt": self.objekt,
                "objekt_confidence": self.objekt_confidence,
                "objekt_reason": self.objekt_reason,
                "similar": [s.to_dict() for s in self.similar],
                "needs_review": self.needs_review,
                "review_reasons": list(self.review_reasons),
                "mode": self.mode,
                "warnings": list(self.warnings),
            }
        )
        if self.local is not None:
            out["local"] = self.local
        if self.llm is not None:
            out["llm"] = self.llm
        return out


# --------------------------------------------------------------------------------------------
# Embedding cache (retraining after an accept re-embeds nothing it has seen)
# --------------------------------------------------------------------------------------------

_EMB_CACHE: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_EMB_CACHE_MAX = 20000
_EMB_LOCK = threading.Lock()


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Embed passages with a per-process cache; rows are L2-normalised float64 vectors."""
    name = str(getattr(embedder, "name", type(embedder).__name__))
    missing: list[str] = []
    with _EMB_LOCK:
        for t in texts:
            if (name, t) not in _EMB_CACHE and t not in missing:
                missing.append(t)
    if missing:
        vectors = np.asarray(embedder.embed_documents(missing), dtype=np.float64)
        with _EMB_LOCK:
            for t, v in zip(missing, vectors, strict=True):
                _EMB_CACHE[(name, t)] = v
                if len(_EMB_CACHE) > _EMB_CACHE_MAX:
                    _EMB_CACHE.popitem(last=False)
    with _EMB_LOCK:
        rows = [_EMB_CACHE.get((name, t)) for t in texts]
    if any(r is None for r in rows):  # evicted in between: embed directly
        return _normalise_rows(np.asarray(embedder.embed_documents(list(texts)), dtype=np.float64))
    return _normalise_rows(np.vstack([r for r in rows if r is not None]))


def _normalise_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: np.ndarray = m / norms
    return out


def initiative_text(title: str, description: str) -> str:
    """The text that is embedded for an initiative."""
    title = title.strip()
    sep = " " if title.endswith((".", ":", "!", "?")) else ". "
    return f"{title}{sep}{description.strip()}"


# --------------------------------------------------------------------------------------------
# Training data
# --------------------------------------------------------------------------------------------


def training_frame(dataset: Dataset, corrections: Iterable[Mapping[str, Any]] = ()) -> pd.DataFrame:
    """The rated initiatives of ``dataset`` plus accepted corrections, as one frame.

    Columns: id, title, description, objekt, the three axes (int), weight, source
    (``register`` or ``korrigering``). Register rows missing an axis or objekt are skipped.
    """
    return _training_frame(dataset.initiatives, corrections)


def _training_frame(
    initiatives: pd.DataFrame, corrections: Iterable[Mapping[str, Any]] = ()
) -> pd.DataFrame:
    cols = ["id", "title", "description", "objekt", *AXES]
    frame = initiatives.copy()
    for col in cols:
        if col not in frame.columns:
            frame[col] = None
    frame = frame[cols]
    rated = frame.dropna(subset=["objekt", *AXES])
    rated = rated[rated["title"].fillna("").astype(str).str.strip() != ""]
    out = pd.DataFrame(
        {
            "id": rated["id"].astype(str),
            "title": rated["title"].astype(str),
            "description": rated["description"].fillna("").astype(str),
            "objekt": rated["objekt"].astype(str),
            **{axis: rated[axis].astype(float).round().astype(int) for axis in AXES},
        }
    )
    out["weight"] = 1.0
    out["source"] = "register"
    rows: list[dict[str, Any]] = []
    for rec in corrections:
        rows.append(
            {
                "id": f"korrigering-{rec.get('id', len(rows) + 1)}",
                "title": str(rec["title"]),
                "description": str(rec.get("description") or ""),
                "objekt": str(rec["objekt"]),
                **{axis: int(rec[axis]) for axis in AXES},
                "weight": CORRECTION_WEIGHT,
                "source": "korrigering",
            }
        )
    if rows:
        out = pd.concat([out, pd.DataFrame(rows)], ignore_index=True)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# The local model
# --------------------------------------------------------------------------------------------


def _softmax(x: np.ndarray) -> np.ndarray:
    z = x - x.max()
    e = np.exp(z)
    out: np.ndarray = e / e.sum()
    return out


def axis_confidence(p: np.ndarray, value: int) -> float:
    """Confidence in ``value`` under the distribution ``p`` over 1–5.

    The probability of the value itself plus half the probability of its two neighbours: a
    suggestion one step off is half right on an ordinal scale. 1.0 = all mass on the value.
    """
    i = value - 1
    near = sum(float(p[j]) for j in (i - 1, i + 1) if 0 <= j < len(p))
    return min(1.0, float(p[i]) + 0.5 * near)


def _balance(y: np.ndarray) -> np.ndarray:
    """Per-row weights inversely proportional to the frequency of the row's class (mean 1)."""
    classes, counts = np.unique(y, return_counts=True)
    freq = dict(zip(classes.tolist(), counts.tolist(), strict=True))
    w = np.asarray([len(y) / (len(classes) * freq[v]) for v in y.tolist()], dtype=np.float64)
    return w


def _fit_axis(
    x: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, variant: Variant
) -> Callable[[np.ndarray], np.ndarray]:
    """Fit one axis' regression; returns a function from a feature row to a distribution."""
    from sklearn.linear_model import LogisticRegression

    if not variant.ordinal:
        m = LogisticRegression(C=variant.c, max_iter=2000, solver="lbfgs")
        m.fit(x, y, sample_weight=sample_weight)

        def multinomial(row: np.ndarray) -> np.ndarray:
            p = np.zeros(len(VALUES))
            for cls, prob in zip(m.classes_, m.predict_proba(row)[0], strict=True):
                p[int(cls) - 1] = prob
            return p

        return multinomial
    # Cumulative (ordinal) model: one binary regression per cut "value > k".
    cuts: list[tuple[int, Any]] = []
    for k in VALUES[:-1]:
        above = (y > k).astype(int)
        if above.min() == above.max():
            cuts.append((k, float(above[0])))
            continue
        m = LogisticRegression(C=variant.c, max_iter=2000, solver="lbfgs")
        m.fit(x, above, sample_weight=sample_weight)
        cuts.append((k, m))

    def cumulative(row: np.ndarray) -> np.ndarray:
        gt = [1.0]
        for _k, m in cuts:
            gt.append(float(m) if isinstance(m, float) else float(m.predict_proba(row)[0][1]))
        gt.append(0.0)
        g = np.minimum.accumulate(np.asarray(gt))  # P(>k) must not grow with k
        p = np.clip(g[:-1] - g[1:], 0.0, None)
        total = p.sum()
        return p / total if total > 0 else np.full(len(VALUES), 1 / len(VALUES))

    return cumulative


def within_one_probability(p: np.ndarray, value: int) -> float:
    """Probability under ``p`` (over 1–5) that the true value is at most one step from ``value``."""
    i = value - 1
    return min(1.0, sum(float(p[j]) for j in (i - 1, i, i + 1) if 0 <= j < len(p)))


def _median_value(p: np.ndarray) -> int:
    cum = np.cumsum(p)
    return int(VALUES[int(np.searchsorted(cum, 0.5 - 1e-12))])


class _LocalModel:
    """Fitted per-axis and objekt models over precomputed feature vectors."""

    def __init__(
        self,
        frame: pd.DataFrame,
        vectors: np.ndarray,
        cue_feats: np.ndarray,
        objekt_feats: np.ndarray,
        objekt: Sequence[str],
        variant: Variant,
        title_vectors: np.ndarray | None = None,
    ) -> None:
        from sklearn.linear_model import LogisticRegression

        self.frame = frame.reset_index(drop=True)
        self.vectors = vectors
        self.variant = variant
        self.objekt = list(objekt)
        self.weights = self.frame["weight"].to_numpy(dtype=np.float64)
        self.dim = vectors.shape[1]
        self.n_cues = cue_feats.shape[1]
        self.n_objekt = objekt_feats.shape[1]
        parts = [vectors, cue_feats, objekt_feats]
        if title_vectors is not None:
            parts.append(title_vectors)
        self.n_title = 0 if title_vectors is None else title_vectors.shape[1]
        feats = np.hstack(parts)
        self.mean = feats.mean(axis=0)
        self.scale = feats.std(axis=0)
        self.scale[self.scale < 1e-9] = 1.0
        self.scale[self.dim : self.dim + self.n_cues + self.n_objekt] /= variant.cue_scale
        if variant.axis_cue_scale is not None:
            self.scale[self.dim : self.dim + self.n_cues] *= (
                variant.cue_scale / variant.axis_cue_scale
            )
        if variant.beneficiary and variant.beneficiary_scale is not None:
            end = self.dim + self.n_cues
            current = variant.axis_cue_scale or variant.cue_scale
            self.scale[end - N_BENEFICIARY_FEATURES : end] *= current / variant.beneficiary_scale
        x_axes, x_objekt = self._features(feats)
        self.axis_models: dict[str, Any] = {}
        self.objekt_model: Any = None
        self.axis_mean: dict[str, float] = {
            axis: float(
                np.average(self.frame[axis].to_numpy(dtype=np.float64), weights=self.weights)
            )
            for axis in AXES
        }
        self.ridge_models: dict[str, Any] = {}
        if variant.ridge_weight > 0:
            from sklearn.linear_model import Ridge

            for axis in AXES:
                y = self.frame[axis].to_numpy(dtype=np.float64)
                sw = self.weights * (_balance(y) if variant.ridge_balanced else 1.0)
                r = Ridge(alpha=variant.ridge_alpha)
                r.fit(x_axes, y, sample_weight=sw)
                self.ridge_models[axis] = r
        if variant.use_logreg:
            for axis in AXES:
                y = self.frame[axis].to_numpy()
                if len(set(y.tolist())) > 1:
                    sw = self.weights * (_balance(y) if variant.balanced else 1.0)
                    self.axis_models[axis] = _fit_axis(x_axes, y, sw, variant)
            yo = self.frame["objekt"].to_numpy()
            if len(set(yo.tolist())) > 1:
                sw = self.weights * (_balance(yo) if variant.objekt_balanced else 1.0)
                m = LogisticRegression(C=variant.c, max_iter=2000, solver="lbfgs")
                m.fit(x_objekt, yo, sample_weight=sw)
                self.objekt_model = m

    def _features(self, feats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Standardised features for the axis models and for the objekt model."""
        x = (feats - self.mean) / self.scale
        end = self.dim + self.n_cues if self.variant.use_cues else self.dim
        x_axes = x[:, :end]
        start = self.dim + self.n_cues
        # Who benefits says little about the objekt: the objekt model does without it.
        cut = N_BENEFICIARY_FEATURES if self.variant.beneficiary and self.variant.use_cues else 0
        x_shared = x_axes[:, : end - cut]
        x_objekt = (
            np.hstack([x_shared, x[:, start : start + self.n_objekt]])
            if self.variant.objekt_cues
            else x_shared
        )
        if self.n_title:
            x_title = x[:, start + self.n_objekt :]
            x_objekt = np.hstack([x_objekt, x_title])
            if self.variant.title_vector == "all":
                x_axes = np.hstack([x_axes, x_title])
        return x_axes, x_objekt

    def predict(
        self,
        vector: np.ndarray,
        cues: np.ndarray,
        objekt_cues: np.ndarray,
        title_vector: np.ndarray | None = None,
    ) -> dict[str, Any]:
        """Distributions over 1–5 per axis and over the objekt list, plus the similarities."""
        sims = self.vectors @ vector
        order = np.argsort(-sims, kind="stable")
        top = order[:VOTE_NEIGHBOURS]
        w = _softmax(sims[top] / self.variant.temperature) * self.weights[top]
        w = w / w.sum()
        parts = [vector, cues, objekt_cues]
        if self.n_title and title_vector is not None:
            parts.append(title_vector)
        x, x_objekt = self._features(np.hstack(parts)[None, :])
        out: dict[str, Any] = {"sims": sims, "order": order}
        lw = self.variant.logreg_weight if self.variant.use_knn else 1.0
        alw = (
            lw
            if self.variant.axis_logreg_weight is None or not self.variant.use_knn
            else (self.variant.axis_logreg_weight)
        )
        for axis in AXES:
            y = self.frame[axis].to_numpy()
            p_knn = np.zeros(len(VALUES))
            for idx, wi in zip(top, w, strict=True):
                p_knn[int(y[idx]) - 1] += wi
            p = p_knn
            model = self.axis_models.get(axis)
            if self.variant.use_logreg:
                if model is not None:
                    p_lr = model(x)
                else:
                    p_lr = np.zeros(len(VALUES))
                    p_lr[int(y[0]) - 1] = 1.0
                p = p_lr if not self.variant.use_knn else alw * p_lr + (1 - alw) * p_knn
            out[axis] = p / p.sum()
            ridge = self.ridge_models.get(axis)
            if ridge is not None:
                out[f"{axis}:regression"] = float(ridge.predict(x)[0])
        names = self.objekt
        yo = self.frame["objekt"].to_numpy()
        po_knn = np.zeros(len(names))
        index = {n: i for i, n in enumerate(names)}
        for idx, wi in zip(top, w, strict=True):
            if yo[idx] in index:
                po_knn[index[yo[idx]]] += wi
        po = po_knn
        if self.variant.use_logreg:
            po_lr = np.zeros(len(names))
            if self.objekt_model is not None:
                for cls, prob in zip(
                    self.objekt_model.classes_,
                    self.objekt_model.predict_proba(x_objekt)[0],
                    strict=True,
                ):
                    if cls in index:
                        po_lr[index[cls]] = prob
            elif yo[0] in index:
                po_lr[index[yo[0]]] = 1.0
            po = po_lr if not self.variant.use_knn else lw * po_lr + (1 - lw) * po_knn
        total = po.sum()
        out["objekt"] = po / total if total > 0 else np.full(len(names), 1 / len(names))
        return out

    def decide(
        self, p: np.ndarray, axis: str | None = None, regression: float | None = None
    ) -> int:
        """The value for a distribution over 1–5 (median, rounded mean or argmax).

        With ``decision="mean"`` the expected value is averaged with ``regression`` (the ridge
        regression's value, weight ``ridge_weight``) when given, then widened by ``stretch``.
        """
        if self.variant.decision == "argmax":
            return int(VALUES[int(np.argmax(p))])
        if self.variant.decision == "mean":
            expected = float(np.dot(p, np.asarray(VALUES, dtype=np.float64)))
            if regression is not None:
                rw = self.variant.ridge_weight
                expected = (1 - rw) * expected + rw * regression
            if axis is not None and self.variant.stretch != 1.0:
                centre = self.axis_mean[axis]
                expected = centre + self.variant.stretch * (expected - centre)
            return int(min(5, max(1, math.floor(expected + 0.5))))
        return _median_value(p)


# --------------------------------------------------------------------------------------------
# LLM mode
# --------------------------------------------------------------------------------------------


class _AxisProposal(BaseModel):
    model_config = ConfigDict(extra="ignore")
    value: int = Field(ge=1, le=5)
    reason: str = Field(min_length=1, max_length=2000)


class LLMProposal(BaseModel):
    """What the language model must answer (validated)."""

    model_config = ConfigDict(extra="ignore")
    innovation_effektivitet: _AxisProposal
    operativt_strategiskt: _AxisProposal
    extern_intern: _AxisProposal
    objekt: str = Field(min_length=1, max_length=200)
    objekt_reason: str = Field(default="", max_length=2000)


#: Asks the model for an answer that fits :class:`LLMProposal` (``parse_llm_reply`` still checks it,
#: and parses a fenced or chatty answer from a server that ignores the format).
LLM_RESPONSE_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {
        "name": "initiativklassning",
        "schema": LLMProposal.model_json_schema(),
        "strict": False,
    },
}


RUBRIC = """Du klassar digitaliseringsinitiativ i en svensk kommuns digitaliseringsportfölj.
Varje initiativ skattas som heltal 1–5 på tre axlar (3 = mittemellan):
- innovation_effektivitet: 1 = enbart effektivisering (göra samma sak billigare, snabbare, med
  mindre manuellt arbete), 5 = enbart innovation (nya tjänster, nya sätt, pilotera ny teknik).
- operativt_strategiskt: 1 = operativt (skapar direkt förändring nu, t.ex. införa ett verktyg),
  5 = strategiskt (bygger långsiktiga förutsättningar: plattformar, styrning, kompetens, data).
- extern_intern: 1 = intern nytta (organisationen, medarbetarna), 5 = extern nytta (invånare,
  brukare, elever, företag).
Välj också ett objekt ur listan: {objekt}.
Motivera varje värde kort på svenska och citera gärna ord ur beskrivningen.
Svara ENBART med JSON på formen:
{{"innovation_effektivitet": {{"value": 1-5, "reason": "..."}},
 "operativt_strategiskt": {{"value": 1-5, "reason": "..."}},
 "extern_intern": {{"value": 1-5, "reason": "..."}},
 "objekt": "...", "objekt_reason": "..."}}"""


def _llm_messages(
    title: str, description: str, examples: Sequence[Mapping[str, Any]], objekt: Sequence[str]
) -> list[dict[str, Any]]:
    lines = []
    for ex in examples:
        values = {a: ex[a] for a in AXES}
        lines.append(
            f"- {ex['title']}: {ex['description']}\n  => {json.dumps(values)}, "
            f"objekt: {ex['objekt']}"
        )
    shots = "\n".join(lines)
    user = (
        f"Bedömda initiativ som liknar det nya (exempel):\n{shots}\n\n"
        f"Nytt initiativ att klassa:\nTitel: {title}\nBeskrivning: {description}"
    )
    return [
        {"role": "system", "content": RUBRIC.format(objekt="; ".join(objekt))},
        {"role": "user", "content": user},
    ]


def _reply_text(reply: Any) -> str:
    """The text content of whatever the chat model returned."""
    if isinstance(reply, str):
        return reply
    for attr in ("content", "text"):
        value = getattr(reply, attr, None)
        if isinstance(value, str):
            return value
    if isinstance(reply, Mapping):
        for key in ("content", "text"):
            if isinstance(reply.get(key), str):
                return str(reply[key])
    message = getattr(reply, "message", None)
    if message is not None and message is not reply:
        return _reply_text(message)
    raise ValueError(f"oväntat svar från modellen: {type(reply).__name__}")


_FENCE_RE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def parse_llm_reply(text: str, objekt: Sequence[str]) -> LLMProposal:
    """Parse and validate the model's JSON answer.

    Raises:
        ValueError: Not JSON, wrong shape, values out of range or an objekt not in the list.
    """
    m = _FENCE_RE.search(text)
    body = m.group(1) if m else text
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("svaret innehåller ingen JSON")
    try:
        proposal = LLMProposal.model_validate_json(body[start : end + 1])
    except ValidationError as exc:
        raise ValueError(f"ogiltig JSON: {exc.error_count()} fel") from exc
    match = _match_objekt(proposal.objekt, objekt)
    if match is None:
        raise ValueError(f"okänt objekt {proposal.objekt!r}")
    return proposal.model_copy(update={"objekt": match})


# --------------------------------------------------------------------------------------------
# The classifier
# --------------------------------------------------------------------------------------------


class Classifier:
    """Suggests the three axis values and the objekt for a new initiative.

    Build it with :meth:`train`; :meth:`classify` is all a route, the CLI or a chat tool needs.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        vectors: np.ndarray,
        embedder: Embedder,
        objekt: Sequence[str],
        chat_model: Any = None,
        variant: Variant | None = None,
    ) -> None:
        """Fit the local model on ``frame`` (rows) and ``vectors`` (their embeddings)."""
        if len(frame) < MIN_TRAINING_ROWS:
            raise AssistantError(
                f"För få bedömda initiativ att lära från ({len(frame)}, minst "
                f"{MIN_TRAINING_ROWS}). Läs in ett initiativregister med bedömningar.",
                rated=len(frame),
                minimum=MIN_TRAINING_ROWS,
            )
        self.frame = frame.reset_index(drop=True)
        self.embedder = embedder
        known = list(objekt) if objekt else []
        for name in self.frame["objekt"]:
            if name not in known:
                known.append(name)
        self.objekt = known
        self.chat_model = chat_model
        self.variant = variant or VARIANTS[DEFAULT_VARIANT]
        texts = [
            initiative_text(t, d) for t, d in zip(frame["title"], frame["description"], strict=True)
        ]
        cues = np.vstack(
            [
                self._axis_features(str(t), str(d), x)
                for t, d, x in zip(frame["title"], frame["description"], texts, strict=True)
            ]
        )
        self._objekt_patterns = _objekt_patterns(self.objekt)
        objekt_feats = np.vstack([self._objekt_features(t) for t in texts])
        title_vectors = (
            embed_texts(embedder, [str(t).strip() for t in self.frame["title"]])
            if self.variant.title_vector
            else None
        )
        self._model = _LocalModel(
            self.frame, vectors, cues, objekt_feats, self.objekt, self.variant, title_vectors
        )
        self._content = [set(content_words(t)) for t in texts]
        self._ids: list[str] = [str(x) for x in self.frame["id"]]
        self._titles: list[str] = [str(x) for x in self.frame["title"]]
        self._objekt_of: list[str] = [str(x) for x in self.frame["objekt"]]
        self._axis: dict[str, np.ndarray] = {
            axis: self.frame[axis].to_numpy(dtype=np.int64) for axis in AXES
        }

    def _axis_features(self, title: str, description: str, text: str) -> np.ndarray:
        """The cue-word counts of the axes, plus who benefits when the variant uses it."""
        cues = cue_features(text)
        if not self.variant.beneficiary:
            return cues
        return np.concatenate([cues, beneficiary_features(title, description)])

    def _objekt_features(self, text: str) -> np.ndarray:
        """log(1 + number of cue words) per objekt."""
        hits = find_objekt_cues(text, self._objekt_patterns)
        return np.asarray([math.log1p(len(hits.get(o, ()))) for o in self.objekt])

    @classmethod
    def train(
        cls,
        dataset: Dataset,
        embedder: Embedder,
        corrections: Iterable[Mapping[str, Any]] = (),
        chat_model: Any = None,
        variant: str | Variant | None = None,
    ) -> Classifier:
        """Train on the rated initiatives of ``dataset`` plus accepted ``corrections``.

        Args:
            dataset: The loaded register (``dataset.initiatives``, ``dataset.objekt``).
            embedder: The embedding model.
            corrections: Accepted classifications (``Storage.list_classifications()``).
            chat_model: A ``ChatModel`` for LLM mode, or None for local only.
            variant: A name in ``VARIANTS`` or a ``Variant`` (default: ``DEFAULT_VARIANT``).

        Returns:
            The trained classifier.
        """
        frame = training_frame(dataset, corrections)
        return cls.from_frame(
            frame, embedder, objekt=dataset.objekt, chat_model=chat_model, variant=variant
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        embedder: Embedder,
        objekt: Sequence[str] = (),
        chat_model: Any = None,
        variant: str | Variant | None = None,
        vectors: np.ndarray | None = None,
    ) -> Classifier:
        """Train on a frame with id, title, description, objekt and the axes (weight optional)."""
        frame = frame.reset_index(drop=True).copy()
        if "weight" not in frame.columns:
            frame["weight"] = 1.0
        if "source" not in frame.columns:
            frame["source"] = "register"
        if vectors is None:
            texts = [
                initiative_text(t, d)
                for t, d in zip(frame["title"], frame["description"], strict=True)
            ]
            vectors = embed_texts(embedder, texts) if texts else np.zeros((0, 1))
        v = VARIANTS[variant] if isinstance(variant, str) else variant
        return cls(frame, vectors, embedder, objekt, chat_model=chat_model, variant=v)

    # -- classify --------------------------------------------------------------------------------

    def classify(self, title: str, description: str) -> Classification:
        """Suggest the axis values and the objekt for one initiative.

        Args:
            title: The initiative's title.
            description: What it does, for whom, and why.

        Returns:
            The suggestion with confidences, reasons, similar initiatives and the review flag.

        Raises:
            InvalidInputError: Empty, too short, over-long or non-text input (names the field).
        """
        title, description = validate_input(title, description)
        local = self._classify_local(title, description)
        if self.chat_model is None:
            return local
        return self._classify_llm(title, description, local)

    def _classify_local(self, title: str, description: str) -> Classification:
        text = initiative_text(title, description)
        vector = embed_texts(self.embedder, [text])[0]
        title_vector = (
            embed_texts(self.embedder, [title.strip()])[0] if self.variant.title_vector else None
        )
        pred = self._model.predict(
            vector,
            self._axis_features(title, description, text),
            self._objekt_features(text),
            title_vector,
        )
        sims: np.ndarray = pred["sims"]
        order: np.ndarray = pred["order"]
        similar = [self._similar(int(i), float(sims[i])) for i in order[:SHOW_SIMILAR]]
        query_words = content_words(text)
        top_ids = [int(i) for i in order[:3]]
        duplicate = int(order[0]) if float(sims[order[0]]) >= DUPLICATE_SIMILARITY else None

        beneficiaries = find_beneficiaries(title, description) if self.variant.beneficiary else None
        axes: dict[str, AxisResult] = {}
        reasons: list[str] = []
        for axis in AXES:
            p: np.ndarray = pred[axis]
            if duplicate is not None:
                value = int(self._axis[axis][duplicate])
                confidence = max(float(p[value - 1]), float(sims[duplicate]))
                near = 1.0
            else:
                value = self._model.decide(p, axis, pred.get(f"{axis}:regression"))
                confidence = axis_confidence(p, value)
                near = within_one_probability(p, value)
            reason = self._axis_reason(
                axis, text, value, top_ids, query_words, duplicate, beneficiaries
            )
            axes[axis] = AxisResult(value, round(confidence, 2), reason)
            if near < AXIS_REVIEW_BELOW:
                reasons.append(
                    f"Osäker bedömning av {AXIS_LABELS[axis][0].lower()} (sannolikheten att "
                    f"värdet {value} är högst ett steg fel är {_fmt(near)})."
                )

        po: np.ndarray = pred["objekt"]
        if duplicate is not None:
            objekt = self._objekt_of[duplicate]
            objekt_conf = max(float(po[self.objekt.index(objekt)]), float(sims[duplicate]))
        else:
            oi = int(np.argmax(po))
            objekt, objekt_conf = self.objekt[oi], float(po[oi])
        objekt_reason = self._objekt_reason(text, objekt, top_ids, duplicate)
        if objekt_conf < OBJEKT_REVIEW_BELOW:
            alternatives = [
                self.objekt[int(i)]
                for i in np.argsort(-po, kind="stable")[:3]
                if self.objekt[int(i)] != objekt and po[int(i)] >= 0.1
            ]
            alt = f" Alternativ: {', '.join(alternatives[:2])}." if alternatives else ""
            reasons.append(f"Osäkert objekt (säkerhet {_fmt(objekt_conf)}).{alt}")

        n_content = len(query_words)
        if n_content < MIN_CONTENT_WORDS:
            reasons.insert(
                0,
                f"Texten är kort eller vag ({n_content} innehållsord). Beskriv vad som ska "
                "göras, för vem och varför.",
            )
        best = float(sims[order[0]])
        if best < LOW_SIMILARITY:
            reasons.append(
                f"Inget bedömt initiativ liknar detta särskilt mycket (högsta likhet {_fmt(best)})."
            )
        return Classification(
            axes=axes,
            objekt=objekt,
            objekt_confidence=round(objekt_conf, 2),
            objekt_reason=objekt_reason,
            similar=similar,
            needs_review=bool(reasons),
            review_reasons=reasons,
            mode="local",
        )

    def _similar(self, i: int, sim: float) -> SimilarInitiative:
        row = self.frame.iloc[i]
        return SimilarInitiative(
            id=str(row["id"]),
            title=str(row["title"]),
            objekt=str(row["objekt"]),
            innovation_effektivitet=int(row["innovation_effektivitet"]),
            operativt_strategiskt=int(row["operativt_strategiskt"]),
            extern_intern=int(row["extern_intern"]),
            similarity=round(sim, 3),
        )

    def _shared_words(self, query_words: Sequence[str], ids: Sequence[int]) -> list[str]:
        shared: list[str] = []
        for w in query_words:
            if any(w in self._content[i] for i in ids) and w not in shared:
                shared.append(w)
        return shared

    def _neighbours_text(self, axis: str, ids: Sequence[int]) -> str:
        parts = [f"{self._ids[i]} ({int(self._axis[axis][i])})" for i in ids]
        return ", ".join(parts)

    def _axis_reason(
        self,
        axis: str,
        text: str,
        value: int,
        ids: Sequence[int],
        query_words: Sequence[str],
        duplicate: int | None,
        beneficiaries: Mapping[str, list[tuple[str, float]]] | None = None,
    ) -> str:
        _label, low, high = AXIS_LABELS[axis]
        if duplicate is not None:
            return (
                f"Nästan identisk med det bedömda initiativet {self._ids[duplicate]} "
                f"(”{self._titles[duplicate]}”), som har värdet {value}."
            )
        lean = {
            1: f"enbart {low}",
            2: f"främst {low}",
            3: "mittemellan",
            4: f"främst {high}",
            5: f"enbart {high}",
        }[value]
        cues = find_cues(text, axis)
        parts = [f"{value} = {lean}."]
        if cues["low"]:
            parts.append(f"Ord som pekar mot {low}: {_quote(cues['low'])}.")
        if cues["high"]:
            parts.append(f"Ord som pekar mot {high}: {_quote(cues['high'])}.")
        if not cues["low"] and not cues["high"]:
            parts.append("Inga tydliga nyckelord för axeln i texten.")
        if axis == "extern_intern" and beneficiaries is not None:
            who = [
                f"”{word}” ({'utanför' if side == 'extern' else 'inom'} organisationen)"
                for side in ("extern", "intern")
                for word in dict.fromkeys(w for w, weight in beneficiaries[side] if weight > 0)
            ]
            if who:
                parts.append(f"Vem nyttan gäller enligt texten: {', '.join(who[:4])}.")
        parts.append(f"Mest lika bedömda initiativ (värde): {self._neighbours_text(axis, ids)}.")
        shared = self._shared_words(query_words, ids)
        if shared:
            parts.append(f"Gemensamma ord med dem: {_quote(shared)}.")
        return " ".join(parts)

    def _objekt_reason(
        self, text: str, objekt: str, ids: Sequence[int], duplicate: int | None
    ) -> str:
        if duplicate is not None:
            return f"Nästan identisk med {self._ids[duplicate]} som hör till {objekt}."
        parts: list[str] = []
        hits = find_objekt_cues(text, self._objekt_patterns).get(objekt)
        if hits:
            parts.append(f"Ord som pekar mot {objekt}: {_quote(hits)}.")
        same = [self._ids[i] for i in ids if self._objekt_of[i] == objekt]
        if same:
            parts.append(
                f"{len(same)} av de {len(ids)} mest lika initiativen hör till {objekt} "
                f"({', '.join(same)})."
            )
        else:
            others = ", ".join(f"{self._ids[i]} ({self._objekt_of[i]})" for i in ids)
            parts.append(f"De mest lika initiativen hör till andra objekt: {others}.")
        return " ".join(parts)

    # -- LLM mode ----------------------------------------------------------------------------------

    def _classify_llm(self, title: str, description: str, local: Classification) -> Classification:
        examples = []
        id_to_row = {str(i): n for n, i in enumerate(self.frame["id"])}
        for s in local.similar:
            row = self.frame.iloc[id_to_row[s.id]]
            examples.append({**s.to_dict(), "description": str(row["description"])})
        messages = _llm_messages(title, description, examples, self.objekt)
        try:
            reply = self.chat_model.complete(messages, response_format=LLM_RESPONSE_FORMAT)
            proposal = parse_llm_reply(_reply_text(reply), self.objekt)
        except (ValueError, AssistantError) as exc:
            log.warning("LLM-klassning misslyckades, använder lokal modell: %s", exc)
            msg = getattr(exc, "message", str(exc))
            return replace(
                local,
                warnings=[
                    *local.warnings,
                    f"Språkmodellens förslag kunde inte användas ({msg}); visar den lokala "
                    "modellens förslag.",
                ],
            )
        axes: dict[str, AxisResult] = {}
        reasons = list(local.review_reasons)
        for axis in AXES:
            mine = local.axes[axis]
            theirs: _AxisProposal = getattr(proposal, axis)
            diff = abs(theirs.value - mine.value)
            if diff > 1:
                reasons.append(
                    f"Språkmodellen och den lokala modellen skiljer sig åt på "
                    f"{AXIS_LABELS[axis][0].lower()} ({theirs.value} mot {mine.value})."
                )
                confidence = min(mine.confidence, 0.3)
            else:
                confidence = round(0.5 + 0.5 * mine.confidence, 2) if diff == 0 else mine.confidence
            axes[axis] = AxisResult(theirs.value, confidence, theirs.reason)
        if proposal.objekt != local.objekt:
            reasons.append(
                f"Språkmodellen föreslår objektet {proposal.objekt}, den lokala modellen "
                f"{local.objekt}."
            )
            objekt_conf = min(local.objekt_confidence, 0.3)
        else:
            objekt_conf = round(0.5 + 0.5 * local.objekt_confidence, 2)
        llm_view = {
            **{axis: getattr(proposal, axis).model_dump() for axis in AXES},
            "objekt": proposal.objekt,
            "objekt_reason": proposal.objekt_reason,
        }
        return Classification(
            axes=axes,
            objekt=proposal.objekt,
            objekt_confidence=objekt_conf,
            objekt_reason=proposal.objekt_reason or local.objekt_reason,
            similar=local.similar,
            needs_review=bool(reasons),
            review_reasons=reasons,
            mode="llm",
            warnings=list(local.warnings),
            local=_summary(local),
            llm=llm_view,
        )


def _summary(c: Classification) -> dict[str, Any]:
    return {
        **{axis: c.axes[axis].to_dict() for axis in AXES},
        "objekt": c.objekt,
        "objekt_confidence": c.objekt_confidence,
        "objekt_reason": c.objekt_reason,
    }


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def quadratic_kappa(
    y_true: Sequence[int], y_pred: Sequence[int], labels: Sequence[int] = VALUES
) -> float:
    """Cohen's kappa with quadratic weights on the 1–5 scale.

    ``kappa = 1 - sum(w * O) / sum(w * E)`` with ``w_ij = (i - j)^2 / (K - 1)^2``, ``O`` the
    observed confusion matrix and ``E`` the outer product of the marginals divided by n.
    Returns 1.0 when both raters use one and the same value everywhere (no disagreement
    possible) and 0.0 when the expected disagreement is zero otherwise.
    """
    k = len(labels)
    index = {v: i for i, v in enumerate(labels)}
    o = np.zeros((k, k))
    for t, p in zip(y_true, y_pred, strict=True):
        o[index[int(t)], index[int(p)]] += 1
    n = o.sum()
    if n == 0:
        return float("nan")
    w = np.array([[(i - j) ** 2 for j in range(k)] for i in range(k)], dtype=float) / (k - 1) ** 2
    e = np.outer(o.sum(axis=1), o.sum(axis=0)) / n
    denominator = float((w * e).sum())
    if denominator == 0:
        return 1.0 if float((w * o).sum()) == 0 else 0.0
    return 1.0 - float((w * o).sum()) / denominator


def agreement_metrics(y_true: Sequence[int], y_pred: Sequence[int]) -> dict[str, Any]:
    """Exact and within-one agreement, quadratic kappa and the confusion table for one axis.

    Returns:
        ``{"n", "exact", "within_one", "kappa", "confusion"}``; ``confusion[t][p]`` counts rows
        with true value ``t`` predicted as ``p`` (both 1–5, as strings for JSON).
    """
    t = np.asarray([int(v) for v in y_true])
    p = np.asarray([int(v) for v in y_pred])
    n = len(t)
    confusion = {str(a): {str(b): int(((t == a) & (p == b)).sum()) for b in VALUES} for a in VALUES}
    return {
        "n": n,
        "exact": float((t == p).mean()) if n else float("nan"),
        "within_one": float((np.abs(t - p) <= 1).mean()) if n else float("nan"),
        "kappa": quadratic_kappa(t.tolist(), p.tolist()),
        "confusion": confusion,
    }


def _metrics(truth: pd.DataFrame, preds: pd.DataFrame, review: Sequence[bool]) -> dict[str, Any]:
    out: dict[str, Any] = {"n": len(truth)}
    out["axes"] = {
        axis: agreement_metrics(truth[axis].tolist(), preds[axis].tolist()) for axis in AXES
    }
    out["objekt_accuracy"] = float(
        (truth["objekt"].to_numpy() == preds["objekt"].to_numpy()).mean()
    )
    out["needs_review_share"] = float(np.mean(review)) if len(review) else 0.0
    return out


def _folds(
    frame: pd.DataFrame, k: int, seed: int
) -> tuple[list[tuple[np.ndarray, np.ndarray]], str]:
    from sklearn.model_selection import KFold, StratifiedKFold

    k = max(2, min(k, len(frame)))
    counts = frame["objekt"].value_counts()
    if len(counts) > 1 and int(counts.min()) >= k:
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
        return list(skf.split(np.zeros(len(frame)), frame["objekt"])), "stratifierad på objekt"
    kf = KFold(n_splits=k, shuffle=True, random_state=seed)
    return list(kf.split(np.zeros(len(frame)))), "ej stratifierad (för få per objekt)"


def _predict_frame(clf: Classifier, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[bool]]:
    rows: list[dict[str, Any]] = []
    review: list[bool] = []
    for title, description in zip(frame["title"], frame["description"], strict=True):
        c = clf._classify_local(str(title), str(description))  # noqa: SLF001 - local model only
        rows.append(c.values())
        review.append(c.needs_review)
    return pd.DataFrame(rows, index=frame.index), review


def cross_validate(
    frame: pd.DataFrame,
    embedder: Embedder,
    objekt: Sequence[str] = (),
    k: int = 5,
    seed: int = 0,
    variant: str | Variant | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """k-fold cross-validation of the local model on ``frame`` (stratified on objekt if possible).

    Returns:
        ``{"n", "k", "folds", "axes": {axis: agreement_metrics}, "objekt_accuracy",
        "needs_review_share", "variant"}``.
    """
    frame = frame.reset_index(drop=True)
    texts = [
        initiative_text(t, d) for t, d in zip(frame["title"], frame["description"], strict=True)
    ]
    vectors = embed_texts(embedder, texts)
    splits, how = _folds(frame, k, seed)
    preds = pd.DataFrame(index=frame.index, columns=[*AXES, "objekt"], dtype=object)
    review = [False] * len(frame)
    for n, (train_idx, test_idx) in enumerate(splits):
        clf = Classifier.from_frame(
            frame.iloc[train_idx],
            embedder,
            objekt=objekt,
            variant=variant,
            vectors=vectors[train_idx],
        )
        p, r = _predict_frame(clf, frame.iloc[test_idx])
        for col in p.columns:
            preds.loc[p.index, col] = p[col]
        for i, flag in zip(test_idx, r, strict=True):
            review[int(i)] = flag
        if progress:
            progress(n + 1, len(splits))
    result = _metrics(frame, preds, review)
    v = VARIANTS[variant] if isinstance(variant, str) else (variant or VARIANTS[DEFAULT_VARIANT])
    result.update({"k": len(splits), "folds": how, "variant": v.name})
    return result


def evaluate_frame(clf: Classifier, frame: pd.DataFrame) -> dict[str, Any]:
    """Metrics of a trained classifier on a labelled frame (e.g. the held-out slice)."""
    frame = frame.reset_index(drop=True)
    preds, review = _predict_frame(clf, frame)
    return _metrics(frame, preds, review)


def read_labelled(path: Any, objekt: Sequence[str] = ()) -> pd.DataFrame:
    """Read a labelled CSV/XLSX (id, title, description, objekt, the three axes).

    Raises:
        InvalidInputError: A missing column, an axis value that is not 1–5 or an unknown objekt
            (names file, row as the spreadsheet shows it, and column).
    """
    from pathlib import Path

    from index_engine.loaders import read_table

    name = Path(path).name
    table = read_table(Path(path))
    missing = [c for c in ("title", "description", "objekt", *AXES) if c not in table.columns]
    if missing:
        raise InvalidInputError(
            f"{name}: kolumn saknas: {', '.join(missing)}.", field=missing[0], file=name
        )
    for axis in AXES:
        for row, v in zip(table.index, table[axis].tolist(), strict=True):
            value = _as_scale_value(v)
            if value is None:
                raise InvalidInputError(
                    f"{name}, rad {row}, kolumn {axis}: värdet {v!r} är inte ett heltal 1–5.",
                    field=axis,
                    file=name,
                    row=int(row),
                    column=axis,
                )
    if objekt:
        for row, o in zip(table.index, table["objekt"].tolist(), strict=True):
            if _match_objekt(str(o), objekt) is None:
                raise InvalidInputError(
                    f"{name}, rad {row}, kolumn objekt: okänt objekt {o!r}.",
                    field="objekt",
                    file=name,
                    row=int(row),
                    column="objekt",
                )
    if "id" not in table.columns:
        table["id"] = [f"rad-{r}" for r in table.index]
    out = table[["id", "title", "description", "objekt", *AXES]].copy()
    for axis in AXES:
        out[axis] = [_as_scale_value(v) for v in out[axis]]
    if objekt:
        out["objekt"] = [_match_objekt(str(o), objekt) for o in out["objekt"]]
    out["id"] = out["id"].astype(str)
    return out.reset_index(drop=True)


def _as_scale_value(v: object) -> int | None:
    try:
        f = float(str(v).strip().replace(",", "."))
    except ValueError:
        return None
    return int(f) if f.is_integer() and int(f) in VALUES else None


# --------------------------------------------------------------------------------------------
# Batch suggestions (a table of new initiatives)
# --------------------------------------------------------------------------------------------

#: Accepted column names for the batch input.
TITLE_COLUMNS = ("title", "titel", "namn", "initiativ")
DESCRIPTION_COLUMNS = ("description", "beskrivning")


def suggest_table(clf: Classifier, table: pd.DataFrame, file: str = "") -> pd.DataFrame:
    """Classify every row of a table of new initiatives (all rows are checked first).

    Args:
        clf: The trained classifier.
        table: As read by ``index_engine.loaders.read_table`` (index = spreadsheet row).
        file: The file name, for error messages.

    Returns:
        The input columns followed by the suggestion columns (``forslag_*``, ``sakerhet_*``,
        ``behover_granskas``, ``granskningsskal``, ``liknande``).

    Raises:
        InvalidInputError: A title/description column is missing, or rows that cannot be
            classified (each problem names the row as the spreadsheet shows it and the column).
    """
    title_col = next((c for c in TITLE_COLUMNS if c in table.columns), None)
    desc_col = next((c for c in DESCRIPTION_COLUMNS if c in table.columns), None)
    where = f"{file}: " if file else ""
    for col, options in ((title_col, TITLE_COLUMNS), (desc_col, DESCRIPTION_COLUMNS)):
        if col is None:
            raise InvalidInputError(
                f"{where}kolumnen {options[0]} saknas (godtas: {', '.join(options)}).",
                field=options[0],
                file=file,
                column=options[0],
            )
    assert title_col is not None and desc_col is not None
    if len(table) == 0:
        raise InvalidInputError(f"{where}tabellen har inga rader.", field="rows", file=file)
    problems: list[dict[str, Any]] = []
    for row, title, description in zip(table.index, table[title_col], table[desc_col], strict=True):
        try:
            validate_input(title, description)
        except InvalidInputError as exc:
            column = title_col if exc.data.get("field") == "title" else desc_col
            problems.append({"row": int(row), "column": column, "message": exc.message})
    if problems:
        first = problems[0]
        lines = "; ".join(
            f"rad {p['row']}, kolumn {p['column']}: {p['message']}" for p in problems[:10]
        )
        more = f" (och {len(problems) - 10} till)" if len(problems) > 10 else ""
        raise InvalidInputError(
            f"{where}{len(problems)} rader kan inte klassas: {lines}{more}",
            field=first["column"],
            file=file,
            row=first["row"],
            column=first["column"],
            problems=problems,
        )
    out_rows: list[dict[str, Any]] = []
    for title, description in zip(table[title_col], table[desc_col], strict=True):
        c = clf.classify(str(title), str(description))
        rec: dict[str, Any] = {"forslag_objekt": c.objekt}
        for axis in AXES:
            rec[f"forslag_{axis}"] = c.axes[axis].value
        rec["sakerhet_objekt"] = c.objekt_confidence
        for axis in AXES:
            rec[f"sakerhet_{axis}"] = c.axes[axis].confidence
        rec["behover_granskas"] = "ja" if c.needs_review else "nej"
        rec["granskningsskal"] = " ".join(c.review_reasons)
        rec["liknande"] = ", ".join(f"{s.id} {s.title}" for s in c.similar[:3])
        out_rows.append(rec)
    suggestions = pd.DataFrame(out_rows, index=table.index)
    clash = [c for c in suggestions.columns if c in table.columns]
    base = table.drop(columns=clash)
    return pd.concat([base, suggestions], axis=1)
