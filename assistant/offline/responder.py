"""The offline responder: answers from the tools without a language model (the default mode).

It parses the question (:mod:`assistant.offline.parse`), routes it to an answer kind by example
(:mod:`assistant.offline.router`), calls the same tools the model would
(:class:`~assistant.tools.ToolRegistry`) through the kind's handler and writes a short answer:
the figure with its year and change (and how it was computed), what drove a change, the
portfolio count or list, or the sentence window(s) of the report that answer a text question,
quoted with section and page (:mod:`assistant.offline.quotes`). When the router is unsure, the
candidate answers are computed and the evidence decides. Swedish answers to Swedish questions,
English to English ones; numbers always Swedish style from the index engine's formatter.
Deterministic: the same question on the same data gives the same answer. When it cannot answer,
it says so and what it can do instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.lang.figures import DOWN_WORDS, UP_WORDS, naming
from assistant.lang.glossary import GLOSSARY, in_report_words
from assistant.lang.lexicon import gloss
from assistant.lang.stopwords import QUESTION_STOPWORDS
from assistant.lang.text import is_english, normalize, stem, tokens
from assistant.nlg import count_words, join_sv
from assistant.offline.parse import (
    _BREAKDOWN_RE,
    _CHANGE_NOUN,
    _CUES,
    _INDEX_COMPONENTS,
    _VALUE,
    Intent,
    ObjektMatcher,
    asked_members,
    understand,
)
from assistant.offline.quotes import (
    Quote,
    QuoteChoice,
    _sentences,
    asked_acronym,
    asks_reason,
    asks_who,
    choose_quotes,
    expand_acronym,
    headings_in_section,
    held_stems,
    question_stems,
)
from assistant.offline.router import DATA_KINDS, AnswerKind, Route, Router, router_for
from assistant.offline.whatif import Scenario, read_scenario
from assistant.tools import AXIS_LABELS, EXPLAINABLE, ToolRegistry
from index_engine import BENEFIT_KINDS
from index_engine.formatting import display_decimals, parse_number

_MAX_LIST = 12
#: Evidence decision (see ``OfflineResponder._decide_by_evidence``): kinds below this router
#: probability are not computed; a kind's probability counts at least PROBABILITY_FLOOR; a text
#: answer whose passage covers FULL_COVERAGE of the question fits fully; a text passage covering
#: BOTH_COVERAGE of the question is added to a winning data answer, and a data answer scoring
#: within CLOSE of a winning text answer is put before it.
#: A question about a change ("ökat mest", "störst kliv", "minskade", "improved most") and
#: about one that fell.
_MOVED = re.compile(
    r"\bök(at|ade|ning\w*)\b|\bminsk\w*|\bsjunk\w*|\bsjönk\b|\bgått (upp|ner|framåt)\b"
    r"|\bförbättr\w*|\bförsämr\w*|\bkliv\w*|\blyft\w*|\bklättr\w*|\bincreas\w*|\bdecreas\w*"
    r"|\bimprov\w*|\bdeclin\w*|\brose\b|\bfell\b|\bgrew\b|\bdropp\w*"
)
_FELL = re.compile(
    r"\bminsk\w*|\bsjunk\w*|\bsjönk\b|\bgått ner\b|\bförsämr\w*|\bdecreas\w*|\bdeclin\w*"
    r"|\bfell\b|\bdropp\w*"
)
#: The breakdowns' Swedish words, definite and plural.
_SV_DEFINITE = {"dimension": "dimensionen", "area": "området", "verksamhet": "verksamheten"}
_SV_PLURAL = {"dimension": "dimensioner", "area": "områden", "verksamhet": "verksamheter"}
_EN_PLURAL = {"dimension": "dimensions", "area": "areas", "verksamhet": "departments"}

#: Cues of a question that ask for the answer's form (a change, a ranking, a count, a list, a
#: breakdown, a year): a data answer answers them whatever words it uses.
_FORM_CUES = ("compare", "list", "count", "top", "low", "portfolio", "objekt_word", "status_word")
_FORM_WORDS = re.compile(
    r"\b(gick|gått|kom|kommer) (framåt|bakåt|upp|ner)\b|\bframåt\b|\bbakåt\b"
    r"|\b(tvåa|trea|fyra|plats \w+|andra|tredje|second|third)\b"
    r"|\b(första|senaste|förra|föregående|last|latest|first) (mätning\w*|året|år|survey)\b"
    r"|\bhur många \w+|\bhow many \w+"
    r"|\bincreas\w*|\bdecreas\w*|\brise\b|\brose\b|\bfell\b|\bdrop\w*|\bgrow\w*|\bgrew\b"
)
#: A word of the question a data answer leaves open has at least this many letters in its stem.
OPEN_STEM_LETTERS = 5
ALTERNATIVE_FLOOR = 0.1
FULL_COVERAGE = 0.5
PROBABILITY_FLOOR = 0.05
BOTH_COVERAGE = 0.5
CLOSE = 0.75
#: A portfolio (register) answer adds the report's reading when a passage covers this much.
READING_COVERAGE = 0.5
#: The fit of a register answer that found nothing under the question's topic word.
EMPTY_FIT = 0.3
#: The least probability a side-by-side answer gets when two figures are named with a word that
#: compares them ("vilket är högst", "skillnaden").
PAIR_FLOOR = 0.3

EN_LABELS = {
    "index": "The digitalisation index",
    "forutsattningar": "Förutsättningar (prerequisites)",
    "resultat": "Resultat (results)",
    "nytta": "Nytta (benefit)",
    "digital_mognad": "Digital maturity (DiMiOS)",
    "digital_formaga": "Digital förmåga (capability)",
    "digitalt_arv": "Digitalt arv (legacy)",
    "dimios_mottagare": "DiMiOS recipients",
    "dimios_svarande": "DiMiOS respondents",
    "dimios_svarsfrekvens": "The DiMiOS response rate",
    "medarbetare_medel": "The employee score (mean 1–5)",
    "medarbetare": "The employee figure",
    "medarbetare_positiva": "Positive employees (4–5)",
    "medarbetare_neutrala": "Neutral employees (3)",
    "medarbetare_negativa": "Negative employees (1–2)",
    "genomforandegrad": "The completion rate (genomförandegrad)",
    "nyttorealisering": "Benefit realisation (nyttorealisering)",
    "antal_initiativ": "The number of initiatives",
    "antal_genomforda": "The number of completed initiatives",
}

STATUS_EN = {
    "beslutad": "decided",
    "pågående": "ongoing",
    "genomförd": "completed",
    "pausad": "paused",
    "avbruten": "cancelled",
}
STATUS_SV_PLURAL = {
    "beslutad": "beslutade",
    "pågående": "pågående",
    "genomförd": "genomförda",
    "pausad": "pausade",
    "avbruten": "avbrutna",
}
RANGE_WORDS = {
    ("operativt_strategiskt", "min"): ("strategiska", "strategic"),
    ("operativt_strategiskt", "max"): ("operativa", "operational"),
    ("innovation_effektivitet", "min"): ("innovativa", "innovative"),
    ("innovation_effektivitet", "max"): ("effektiviserande", "efficiency-driven"),
    ("extern_intern", "min"): ("med extern nytta", "with external benefit"),
    ("extern_intern", "max"): ("med intern nytta", "with internal benefit"),
}


@dataclass(frozen=True)
class TextEvidence:
    """Quoted report passages for an answer, with how well they cover the question."""

    text: str
    sources: list[dict[str, Any]]
    coverage: float
    weak: bool


@dataclass
class OfflineAnswer:
    """What the offline responder produced."""

    answer: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    intent: Intent | None = None
    answered: bool = True
    route: Route | None = None
    #: For a text answer: how much of the question the quoted passage covers (0–1).
    coverage: float | None = None
    #: A register answer that found nothing under a topic word of a question that does not
    #: ask for initiatives by name: weak evidence that the question was about the register.
    empty: bool = False


def _fmt(x: float, decimals: int = 1) -> str:
    from index_engine.formatting import fmt_number

    return fmt_number(x, decimals)


def _fmt_plain(x: float) -> str:
    """A measured value: no decimals when it is a whole number."""
    return _fmt(x, 0 if float(x).is_integer() else 1)


def _with_unit(value: float, unit: str, decimals: int) -> str:
    text = _fmt(value, decimals)
    return f"{text} %" if unit == "percent" else text


def citation(hit: dict[str, Any], english: bool = False) -> str:
    """``avsnitt 8.3 Osäker omvärld, s. 28`` (or the source name)."""
    parts: list[str] = []
    if hit.get("section"):
        sec = f"{'section' if english else 'avsnitt'} {hit['section']}"
        if hit.get("title") and hit["title"] != hit["section"]:
            sec += f" {hit['title']}"
        parts.append(sec)
    elif hit.get("title"):
        parts.append(str(hit["title"]))
    if hit.get("page") is not None:
        parts.append(f"{'p.' if english else 's.'} {hit['page']}")
    if not parts:
        parts.append(str(hit.get("source", "")))
    return ", ".join(parts)


def _source(hit: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": hit.get("source", ""),
        "section": hit.get("section"),
        "title": hit.get("title"),
        "page": hit.get("page"),
        "text": hit.get("text", ""),
    }


class OfflineResponder:
    """Answers questions from the tools alone."""

    def __init__(self, tools: ToolRegistry) -> None:
        """Use ``tools`` (their dataset's objekt list drives objekt matching and routing)."""
        self.tools = tools
        self.objekt = ObjektMatcher(tools.dataset.objekt)
        self._router: Router | None = None
        #: The register's titles with their content words and stems (see :meth:`_title_words`).
        self._titles: tuple[Any, list[tuple[str, list[str], list[str]]]] | None = None

    @property
    def router(self) -> Router:
        """The router by example (built on first use; shared by responders of the same list)."""
        if self._router is None:
            self._router = router_for(self.tools.dataset.objekt)
        return self._router

    # -- plumbing -----------------------------------------------------------------------------

    def _call(self, calls: list[dict[str, Any]], name: str, **arguments: Any) -> dict[str, Any]:
        args = {k: v for k, v in arguments.items() if v is not None}
        result = self.tools.call(name, args)
        calls.append({"name": name, "arguments": args, "result": result})
        return result

    def understand(self, question: str, history: Sequence[str] = ()) -> tuple[Intent, Route | None]:
        """The intent of ``question`` given earlier user questions, and how it was routed."""
        return understand(
            self._spelled(question),
            [self._spelled(h) for h in history],
            self.objekt,
            self.tools.latest_year(),
            self.router.route,
        )

    def _spelled(self, text: str) -> str:
        """A Swedish question with å, ä and ö put back where the reports' words have them."""
        if self.tools.retriever is None or is_english(tokens(normalize(text))):
            return text
        return self.tools.retriever.restorer().restore(text)

    def answer(self, question: str, history: Sequence[str] = ()) -> OfflineAnswer:
        """Answer ``question``; ``history`` holds the earlier user questions, oldest first."""
        intent, route = self.understand(question, history)
        named = self._named_initiatives(intent)
        if named:
            out = self._answer_named(intent, named)
        elif AnswerKind(intent.kind) not in _NOT_MEMBERS and (
            members := asked_members(intent.question)
        ):
            out = self._answer_members(intent, members)
        elif route is None or route.sure:
            out = self._run(intent)
        else:
            intent, out = self._decide_by_evidence(intent, route)
        out = self._with_unanswered(intent, out)
        out.intent = intent
        out.route = route
        return out

    def _decide_by_evidence(self, intent: Intent, route: Route) -> tuple[Intent, OfflineAnswer]:
        """The router is unsure: compute the likely kinds' answers and let the evidence decide.

        Each candidate's evidence is how well it fits the question (:func:`slot_fit`: a figure
        answer needs a figure named in the question, a portfolio answer a question about
        initiatives ...; a text answer the share of the question its passage covers), weighed
        with the router's probability. When a data answer wins and the report also has a
        passage that covers the question well, both are given: the figure, then the passage.
        """
        probs = dict(route.ranked)
        kinds = route.alternatives(ALTERNATIVE_FLOOR)
        if AnswerKind.TEXT not in kinds:
            kinds.append(AnswerKind.TEXT)
        if _pair_asked(intent):
            # "Vilket är högst, A eller B, och hur stor är skillnaden?": the two side by side
            probs[AnswerKind.COMPARE] = max(probs.get(AnswerKind.COMPARE, 0.0), PAIR_FLOOR)
            if AnswerKind.COMPARE not in kinds:
                kinds.append(AnswerKind.COMPARE)
        scored: list[tuple[float, int, Intent, OfflineAnswer]] = []
        for order, kind in enumerate(kinds):
            candidate = replace(intent, kind=kind.value)
            out = self._run(candidate)
            if not out.answered:
                continue
            fit = slot_fit(candidate, out.coverage) * (EMPTY_FIT if out.empty else 1.0)
            score = fit * max(probs.get(kind, 0.0), PROBABILITY_FLOOR)
            if score > 0:
                scored.append((score, -order, candidate, out))
        if not scored:
            return intent, self._cannot(intent, [])
        scored.sort(key=lambda t: (t[0], t[1]), reverse=True)
        best, _o, chosen, out = scored[0]
        text = next(((s, o) for s, _r, c, o in scored if c.kind == AnswerKind.TEXT), None)
        data = next(((s, c, o) for s, _r, c, o in scored if AnswerKind(c.kind) in DATA_KINDS), None)
        if AnswerKind(chosen.kind) in DATA_KINDS:
            if out.empty and text is not None:
                # nothing in the register under the question's topic: the passage answers
                chosen, out = next((c, o) for _s, _r, c, o in scored if c.kind == AnswerKind.TEXT)
            elif text is not None and (text[1].coverage or 0.0) >= BOTH_COVERAGE:
                out = _combine(out, text[1], chosen.english)
        elif (
            chosen.kind == AnswerKind.TEXT
            and data is not None
            and data[0] >= CLOSE * best
            and not data[2].empty
        ):
            # both are good: the engine's figure first, then the passage
            chosen = data[1]
            out = _combine(data[2], out, chosen.english)
        return chosen, out

    def _with_unanswered(self, intent: Intent, out: OfflineAnswer) -> OfflineAnswer:
        """A data answer that leaves part of the question open is followed by the passage.

        "Omfattar nyttoregistret alla initiativ?" gets the register's figures and the sentence
        on which initiatives it holds; "Vad förklarar att Ledning och styrning har flest?" the
        count and the report's reason. The passage is added when it is quoted without a hedge,
        holds a word of the question the data answer does not (words asking for the answer's
        form — a change, a ranking, a count — are answered by the data; a why-question always
        leaves its reason open), and is about what the data answer is about: it holds a word
        of the question the data answer holds, or the figure's name.
        """
        kind = AnswerKind(intent.kind)
        if kind not in DATA_KINDS or kind is AnswerKind.WHATIF or not out.answered:
            return out
        body = out.answer.partition("\n\nSources:" if intent.english else "\n\nKällor:")[0]
        content = _FORM_WORDS.sub(" ", normalize(intent.question))
        # an answer from the initiative register answers "initiativ", "projekt", "ärenden"
        register = intent.initiatives and kind is not AnswerKind.BENEFITS
        for cue in (*_FORM_CUES, "initiatives") if register else _FORM_CUES:
            content = _CUES[cue].sub(" ", content)
        for pattern, _breakdown in _BREAKDOWN_RE:
            content = pattern.sub(" ", content)
        asked = question_stems(content, OPEN_STEM_LETTERS)
        unanswered = set(asked) - set(held_stems(asked, body))
        why = asks_reason(intent.question)
        if not unanswered and not why:
            return out
        anchors = held_stems(question_stems(intent.question), body)
        if intent.figure:
            anchors += question_stems(_sv_label(intent.figure))
        calls: list[dict[str, Any]] = []
        found = self._text_answer(calls, intent)
        if (
            found is None
            or found.weak
            or all(line.strip() in body for line in found.text.split("\n"))
        ):
            return out
        if not why and not held_stems(sorted(unanswered), found.text):
            return out
        if anchors and not held_stems(anchors, found.text):
            return out
        text = OfflineAnswer(
            found.text + self._sources_line(found.sources, intent.english, engine=False),
            found.sources,
            calls,
        )
        return _combine(out, text, intent.english)

    def _run(self, intent: Intent) -> OfflineAnswer:
        handler = self.handlers().get(AnswerKind(intent.kind), OfflineResponder._answer_text)
        return handler(self, intent)

    @classmethod
    def handlers(cls) -> dict[AnswerKind, Callable[[OfflineResponder, Intent], OfflineAnswer]]:
        """The handler of each answer kind (every kind has one)."""
        return {
            AnswerKind.FIGURE: cls._answer_figure,
            AnswerKind.COMPARE: cls._answer_compare,
            AnswerKind.METHOD: cls._answer_method,
            AnswerKind.WHY: cls._answer_why,
            AnswerKind.WHATIF: cls._answer_whatif,
            AnswerKind.COUNT: cls._answer_count,
            AnswerKind.LIST: cls._answer_list,
            AnswerKind.TOP_OBJEKT: cls._answer_top_objekt,
            AnswerKind.PORTFOLIO: cls._answer_portfolio,
            AnswerKind.DIMIOS: cls._answer_dimios,
            AnswerKind.EMPLOYEE: cls._answer_employee,
            AnswerKind.BENEFITS: cls._answer_benefits,
            AnswerKind.TEXT: cls._answer_text,
            AnswerKind.CLASSIFY: cls._answer_classify,
            AnswerKind.DRAFT: cls._answer_draft,
            AnswerKind.HELP: cls._answer_help,
        }

    # -- years --------------------------------------------------------------------------------

    def _year_for(self, intent: Intent, available: Sequence[int]) -> int | None:
        """The year the question means: explicit, relative, or the latest that has the data."""
        latest = self.tools.latest_year()
        if intent.year is not None:
            return intent.year
        if intent.relative == "previous" and latest is not None:
            return latest - 1
        if intent.relative == "latest" and latest is not None:
            return latest
        if intent.relative == "first" and available:
            return min(available)
        return max(available) if available else latest

    # -- figures ------------------------------------------------------------------------------

    def _label(self, fig: dict[str, Any], english: bool) -> str:
        if english:
            return EN_LABELS.get(fig["key"], fig["label"])
        return str(fig["label"])

    def _in_index(self, part: dict[str, Any], english: bool) -> str:
        """The index component a figure makes ("I indexet motsvarar det Resultat 8,8.")."""
        lead = "In the index that is" if english else "I indexet motsvarar det"
        return f"{lead} {self._label(part, english)} {part['display']}."

    def _change_text(self, fig: dict[str, Any], english: bool) -> str:
        if fig.get("previous") is None or fig.get("change") is None:
            return ""
        dec = display_decimals(fig["display"])
        prev = _with_unit(fig["previous"], fig["unit"], dec)
        change = float(fig["change"])
        step = 10 ** (-dec)
        if abs(change) < step / 2:
            return (
                f", unchanged from {fig['previous_year']} ({prev})"
                if english
                else f", oförändrat från {fig['previous_year']} ({prev})"
            )
        amount = _fmt(abs(change), dec)
        unit = (
            (" percentage points" if english else " procentenheter")
            if fig["unit"] == "percent"
            else ""
        )
        if english:
            word = "up" if change > 0 else "down"
            return f", {word} {amount}{unit} from {prev} in {fig['previous_year']}"
        word = "en ökning" if change > 0 else "en minskning"
        return f", {word} med {amount}{unit} från {prev} ({fig['previous_year']})"

    def _figure_sentence(self, fig: dict[str, Any], english: bool) -> str:
        label = self._label(fig, english)
        value = fig["display"]
        if fig["key"] == "medarbetare_medel":
            value = f"{value} {'out of' if english else 'av'} 5"
        if english:
            return f"{label} for {fig['year']} was {value}{self._change_text(fig, english)}."
        return f"{label} {fig['year']} var {value}{self._change_text(fig, english)}."

    def _provenance(self, fig: dict[str, Any], english: bool) -> str:
        if english:
            return f"Computed as: {fig['formula']} (n = {fig['n']})."
        return f"Beräkning: {fig['formula']} (n = {fig['n']})."

    def _figure_years(self, key: str) -> list[int]:
        try:
            return [f.year for f in self.tools.series(key)]
        except Exception:  # noqa: BLE001  (unknown key: no years)
            return []

    def _answer_figure(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        key = intent.figure or "index"
        en = intent.english
        if intent.objekt and key in {"genomforandegrad", "resultat", "antal_initiativ"}:
            return self._objekt_figure(intent)
        if intent.benefit_kind and key in {"nytta", "nyttorealisering"}:
            # "nyttorealiseringen för ekonomisk nytta": the register's figure for that kind
            return self._answer_benefits(intent)
        if "gap" in _cues(intent) and len(set(intent.figures)) >= 2:
            # "Hur stort är gapet mellan Förutsättningar och Nytta?": the two and the difference
            side = self._side_by_side(intent, calls)
            if side is not None:
                return side
        available = self._figure_years(key)
        year = self._year_for(intent, available)
        keys = [key]
        if key == "index":
            keys += ["forutsattningar", "resultat", "nytta"]
        if key == "medarbetare":
            keys = ["medarbetare_medel", "medarbetare"]
        if key in _SURVEY_COUNTS:
            # the survey's recipients, respondents and response rate are read together
            keys += [k for k in _SURVEY_COUNTS if k != key]
        if key == "forutsattningar":
            keys += ["digital_mognad", "medarbetare"]
        if key in {"resultat", "genomforandegrad"}:
            keys += [
                k for k in ("genomforandegrad", "antal_initiativ", "antal_genomforda") if k != key
            ]
        if key == "nytta":
            keys += ["nyttorealisering"]
        if key in _IN_INDEX_AS:
            keys.append(_IN_INDEX_AS[key])
        # other figures the question names ("... och hur många mottagare hade enkäten?")
        asked = [k for k in intent.figures if k not in keys and "figure" not in intent.inherited]
        result = self._call(calls, "get_index", year=year, keys=keys + asked)
        figures = result.get("figures", {})
        main = figures.get(keys[0])
        if main is None:
            years = ", ".join(str(y) for y in available) or ("none" if en else "inga")
            label = EN_LABELS.get(key, key) if en else _sv_label(key)
            text = (
                f"There is no value for {label} for {year}. Years with the figure: {years}."
                if en
                else f"Det finns inget värde för {label} för {year}. År med figuren: {years}."
            )
            return OfflineAnswer(text, [], calls, answered=False)
        parts = [self._figure_sentence(main, en)]
        extra = [figures[k] for k in keys[1:] if k in figures and k != _IN_INDEX_AS.get(key)]
        if key == "index" and extra:
            comp = " · ".join(f"{f['label']} {f['display']}" for f in extra)
            parts.append(f"{'Components' if en else 'Komponenterna'}: {comp}.")
            if _COMPONENTS.search(normalize(intent.question)):
                parts.append(_components_ranked(extra, en))
        elif key == "medarbetare" and extra:
            parts.append(
                f"{'As a percentage' if en else 'Omräknat till procent'}: {extra[0]['display']}."
            )
        elif key in _SURVEY_COUNTS and len(extra) == 2:
            rate, resp, rec = (figures[k] for k in _SURVEY_COUNTS)
            text = (
                f"{resp['display']} respondents out of {rec['display']} recipients"
                if en
                else f"{resp['display']} svarande av {rec['display']} mottagare"
            )
            if key != "dimios_svarsfrekvens":
                text += (
                    f"; response rate {rate['display']}"
                    if en
                    else f"; svarsfrekvens {rate['display']}"
                )
            parts.append(text + ".")
        elif key in {"resultat", "genomforandegrad"}:
            if key == "resultat" and "genomforandegrad" in figures:
                rate = figures["genomforandegrad"]
                parts.append(f"{rate['label']} {rate['display']}.")
            rest = _undelivered(figures, en, calls)
            if rest:
                parts.append(rest)
        elif extra:
            parts.append(" · ".join(f"{f['label']} {f['display']}" for f in extra) + ".")
        if (part := figures.get(_IN_INDEX_AS.get(key, ""))) is not None:
            parts.append(self._in_index(part, en))
        named = [figures[k] for k in asked if k in figures]
        if named:
            parts.append(" · ".join(f"{f['label']} {f['display']}" for f in named) + ".")
        parts.append(self._provenance(main, en))
        sources: list[dict[str, Any]] = []
        # the figure, and the same measure on its other scale, as the report states them
        partner = figures.get(_PARTNERS.get(key, ""))
        for fig in (main, partner) if partner else (main,):
            quote = self._supporting_quote(calls, fig, en)
            if quote and quote[0] not in parts:
                parts.append(quote[0])
                sources.append(quote[1])
        return OfflineAnswer(" ".join(parts) + self._sources_line(sources, en), sources, calls)

    def _objekt_figure(self, intent: Intent) -> OfflineAnswer:
        """Genomförandegrad (or count) for one objekt, from the portfolio tools."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self.tools.years())
        done = self._call(calls, "portfolio", year=year, objekt=intent.objekt, status="genomförd")
        if "error" in done:
            return OfflineAnswer(str(done["error"]), [], calls, answered=False)
        total = done.get("objekt_total", 0)
        n = done.get("count", 0)
        share = done.get("share_pct")
        if en:
            text = (
                f"{intent.objekt} had {total} initiatives in {year}, of which {n} were completed"
                + (f" ({_fmt(share)} %)." if share is not None else ".")
            )
        else:
            text = f"{intent.objekt} hade {total} initiativ {year}, varav {n} genomförda" + (
                f" ({_fmt(share)} %)." if share is not None else "."
            )
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _answer_compare(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        key = intent.figure or "index"
        if key == "index" and _COMPONENTS.search(normalize(intent.question)):
            # "Vilken av indexets delar gick mest framåt?": the components side by side
            year = intent.until or intent.year
            return self._answer_figure(replace(intent, kind=AnswerKind.FIGURE.value, year=year))
        if len(set(intent.figures)) >= 2 and intent.since is None and intent.until is None:
            # "Jämför medarbetarmåttet med den digitala mognaden i år": two figures, one year
            side = self._side_by_side(intent, calls)
            if side is not None:
                return side
        if key == "medarbetare":
            key = "medarbetare_medel"
        since = intent.since
        until = intent.until
        result = self._call(calls, "compare_years", figure=key, from_year=since, to_year=until)
        series = result.get("series") or []
        if not series:
            return OfflineAnswer(str(result.get("error", "")), [], calls, answered=False)
        label = EN_LABELS.get(key, result.get("label", key)) if en else result.get("label", key)
        listing = " · ".join(f"{f['year']}: {f['display']}" for f in series)
        parts = [f"{label} {'per year' if en else 'per år'}: {listing}."]
        if since is not None and series[0]["year"] != since:
            parts.append(
                f"(No value for {since}; the series starts in {series[0]['year']}.)"
                if en
                else f"(Värde för {since} saknas; serien börjar {series[0]['year']}.)"
            )
        if len(series) >= 2:
            first, last = series[0], series[-1]
            dec = display_decimals(first["display"])
            change = float(last["value"]) - float(first["value"])
            amount = _fmt(abs(change), dec)
            unit_sv = " procentenheter" if first["unit"] == "percent" else ""
            unit_en = " percentage points" if first["unit"] == "percent" else ""
            if abs(change) < 10 ** (-dec) / 2:
                parts.append(
                    f"Unchanged between {first['year']} and {last['year']}."
                    if en
                    else f"Oförändrat mellan {first['year']} och {last['year']}."
                )
            else:
                pct = result.get("change_pct")
                whole_series = first["year"] == result.get("first_year")
                if pct is not None and whole_series and first["unit"] == "count":
                    # counts: the relative change too ("minskade med 3 (5,0 %)")
                    amount += f" ({_fmt_plain(round(abs(float(pct)), 1))} %)"
                elif pct is not None and whole_series and _RELATIVE.search(intent.question):
                    # "hur stor är ökningen i procent?": on the published values, as a reader
                    # computes it, and before rounding when that differs
                    raw = result.get("change_pct_unrounded")
                    shown = _fmt_plain(round(abs(float(pct)), 1))
                    basis = "on the published values" if en else "räknat på de publicerade värdena"
                    amount += f" ({shown} % {basis}"
                    if raw is not None and abs(float(raw) - float(pct)) >= 0.05:
                        before = "before rounding" if en else "före avrundning"
                        amount += f"; {_fmt_plain(round(abs(float(raw)), 1))} % {before}"
                    amount += ")"
                if en:
                    word = "rose" if change > 0 else "fell"
                    parts.append(
                        f"From {first['year']} to {last['year']} it {word} by {amount}{unit_en} "
                        f"({first['display']} → {last['display']})."
                    )
                else:
                    word = "ökade" if change > 0 else "minskade"
                    parts.append(
                        f"Från {first['year']} till {last['year']} {word} det med "
                        f"{amount}{unit_sv} ({first['display']} → {last['display']})."
                    )
            if len(series) >= 3:
                steps = []
                for a, b in zip(series, series[1:], strict=False):
                    d = float(b["value"]) - float(a["value"])
                    if abs(d) < 10 ** (-dec) / 2:
                        steps.append(f"{b['year']}: {'unchanged' if en else 'oförändrat'}")
                    else:
                        sign = "+" if d > 0 else "-"
                        steps.append(f"{b['year']}: {sign}{_fmt(abs(d), dec)}")
                parts.append(
                    ("Year by year" if en else "År för år") + ": " + ", ".join(steps) + "."
                )
        if intent.kind == "compare" and len(series) >= 2 and _asks_extreme(intent.question):
            low = _asks_low(intent.question)
            pick = (min if low else max)(series, key=lambda f: float(f["value"]))
            if en:
                parts.append(
                    f"{'Lowest' if low else 'Highest'}: {pick['year']} ({pick['display']})."
                )
            else:
                parts.append(f"{'Lägst' if low else 'Högst'}: {pick['year']} ({pick['display']}).")
        partner = _PARTNERS.get(key)
        if partner is not None:
            # a percentage and its index component say the same thing: show both scales
            other = self._call(
                calls, "compare_years", figure=partner, from_year=since, to_year=until
            )
            if other.get("series"):
                other_label = (
                    EN_LABELS.get(partner, other.get("label", partner))
                    if en
                    else other.get("label", partner)
                )
                listing = " · ".join(f"{f['year']}: {f['display']}" for f in other["series"])
                parts.append(f"{other_label} {'per year' if en else 'per år'}: {listing}.")
        parts.append(self._provenance(series[-1], en))
        sources: list[dict[str, Any]] = []
        last = {"key": key, "label": result.get("label", key), **series[-1]}
        quote = self._supporting_quote(calls, last, en)
        if quote:
            parts.append(quote[0])
            sources.append(quote[1])
        return OfflineAnswer(" ".join(parts) + self._sources_line(sources, en), sources, calls)

    def _side_by_side(self, intent: Intent, calls: list[dict[str, Any]]) -> OfflineAnswer | None:
        """Two figures of one year side by side, the higher first.

        None when they are not in the same unit (a percentage and an index do not compare). The
        difference is stated when the question asks for it ("gapet mellan …"), computed from the
        published values as a reader does (and before rounding when that differs).
        """
        en = intent.english
        keys = list(dict.fromkeys(intent.figures))[:2]
        year = intent.year
        if year is None and len(set(intent.years)) == 1:  # a compare intent keeps its years
            year = intent.years[0]
        if year is None:
            year = self._year_for(intent, self._figure_years(keys[0]))
        figs = self._call(calls, "get_index", year=year, keys=keys).get("figures", {})
        found = [figs[k] for k in keys if k in figs and figs[k].get("value") is not None]
        if len(found) == 2 and found[0]["unit"] != found[1]["unit"]:
            # "förutsättningarna jämfört med genomförandet": a percentage that an index
            # component is computed from compares through that component (genomförandegrad →
            # Resultat)
            holders = [_component_of(k) for k in keys]
            for i, holder in enumerate(holders):
                if holder and holder not in keys and holders[1 - i] == keys[1 - i]:
                    keys[i] = holder
                    figs = self._call(calls, "get_index", year=year, keys=keys).get("figures", {})
                    found = [figs[k] for k in keys if figs.get(k, {}).get("value") is not None]
                    break
        if len(found) < 2 or found[0]["unit"] != found[1]["unit"]:
            return None
        high, low = sorted(found, key=lambda f: float(f["value"]), reverse=True)
        listing = " · ".join(f"{self._label(f, en)} {f['display']}" for f in (high, low))
        parts = [f"{year}: {listing}."]
        if high["display"] == low["display"]:
            parts.append("Equal as published." if en else "Lika som publicerade.")
        elif "gap" in _cues(intent):
            # one sentence: the difference is checked against the two values beside it
            top = "highest" if en else "högst"
            parts[0] = f"{year}: {listing}; {top}: {self._label(high, en)}; "
            parts[0] += _gap_text(high, low, en) + "."
        else:
            parts.append(f"{'Highest' if en else 'Högst'}: {self._label(high, en)}.")
        parts += [self._provenance(f, en) for f in (high, low)]
        return OfflineAnswer(" ".join(parts) + self._sources_line([], en), [], calls)

    def _answer_method(self, intent: Intent) -> OfflineAnswer:
        """How a figure is computed, or how the portfolio axes are defined; then the report.

        A figure's answer gives its formula and the formulas of the figures it is computed from.
        """
        calls: list[dict[str, Any]] = []
        en = intent.english
        parts: list[str] = []
        key = intent.figure
        if key is not None:
            year = self._year_for(intent, self._figure_years(key))
            keys = [key, *self._method_parts(key)]
            # "digital förmåga respektive digitalt arv": every figure named is explained
            peers = [k for k in intent.figures[1:3] if k not in keys]
            result = self._call(calls, "get_index", year=year, keys=keys + peers)
            figures = result.get("figures", {})
            fig = figures.get(key)
            if fig:
                label = self._label(fig, en)
                parts.append(
                    f"{label} is computed as: {fig['formula']}. For {fig['year']} that gives "
                    f"{fig['display']} (n = {fig['n']})."
                    if en
                    else f"{label} beräknas som: {fig['formula']}. För {fig['year']} ger det "
                    f"{fig['display']} (n = {fig['n']})."
                )
                inner = [figures[k] for k in keys[1:] if k in figures]
                if inner:
                    lead = "Its parts" if en else "Delarna"
                    parts.append(
                        f"{lead}: "
                        + "; ".join(
                            f"{self._label(f, en)} = {f['formula']} ({f['year']}: {f['display']})"
                            for f in inner
                        )
                        + "."
                    )
                for peer in (figures[k] for k in peers if k in figures):
                    parts.append(
                        f"{self._label(peer, en)} is computed as: {peer['formula']} "
                        f"({peer['year']}: {peer['display']})."
                        if en
                        else f"{self._label(peer, en)} beräknas som: {peer['formula']} "
                        f"({peer['year']}: {peer['display']})."
                    )
                data = [
                    _INPUTS[k][1 if en else 0]
                    for k in dict.fromkeys([key, *keys[1:], *peers])
                    if k in _INPUTS and k in figures
                ]
                if data:
                    lead = "Data" if en else "Underlag"
                    parts.append(f"{lead}: " + "; ".join(dict.fromkeys(data)) + ".")
                if "nyttorealisering" in keys:
                    # "Vilka sorters nytta kan ett initiativ ha?": the register's kinds
                    kinds = self._call(calls, "benefit_register", year=year).get("by_kind") or {}
                    if kinds:
                        lead = "Kinds of benefit" if en else "Nyttotyper"
                        parts.append(f"{lead}: {', '.join(kinds)}.")
        elif intent.initiatives:
            year = self._year_for(intent, self._initiative_years())
            result = self._call(calls, "portfolio", year=year)
            axes = result.get("axes") or {}
            if axes:
                parts.append(_axes_text(axes, en))
        return self._with_passage(intent, calls, parts, " ", max_quotes=1 if parts else 2)

    def _with_passage(
        self,
        intent: Intent,
        calls: list[dict[str, Any]],
        parts: list[str],
        joiner: str,
        max_quotes: int = 2,
        passage_first: bool = False,
    ) -> OfflineAnswer:
        """The engine's part of an answer, then the report passage that answers it.

        With ``passage_first`` the passage comes first (a why-question that asks no change).
        """
        sources: list[dict[str, Any]] = []
        found = self._text_answer(calls, intent, max_quotes=max_quotes)
        if found is not None:
            parts.insert(0 if passage_first else len(parts), found.text)
            sources = found.sources
        if not parts:
            return self._cannot(intent, calls)
        engine = any(c["name"] != "search_documents" for c in calls)
        return OfflineAnswer(
            joiner.join(parts) + self._sources_line(sources, intent.english, engine=engine),
            sources,
            calls,
            coverage=_coverage(found),
        )

    @staticmethod
    def _method_parts(key: str) -> list[str]:
        """The figures a figure is computed from (their formulas explain it further)."""
        from index_engine import COMPONENTS

        parts = [k for k, _w in COMPONENTS.get(key, ())]
        partner = _PARTNERS.get(key)
        if partner and partner not in parts:
            parts.append(partner)
        return parts

    # -- why: what moved a figure -------------------------------------------------------------

    #: A figure without components is explained through the figure that holds it.
    _EXPLAINED_BY = {
        "antal_genomforda": "genomforandegrad",
        "antal_initiativ": "genomforandegrad",
    }

    def _answer_why(self, intent: Intent) -> OfflineAnswer:
        """The figure's change split into its components (engine), then the report's reasons."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        parts: list[str] = []
        key = self._EXPLAINED_BY.get(intent.figure or "", intent.figure)
        if key in (None, "index") and _COMPONENTS.search(normalize(intent.question)):
            # "Vilken komponent drar ner indexet mest?": the components' levels, then the change
            key = "index"
            year = self._year_for(intent, self._figure_years(key))
            figs = self._call(
                calls, "get_index", year=year, keys=["forutsattningar", "resultat", "nytta"]
            ).get("figures", {})
            if figs:
                listing = " · ".join(f"{f['label']} {f['display']}" for f in figs.values())
                lead = f"Components {year}" if en else f"Komponenterna {year}"
                parts.append(f"{lead}: {listing}. {_components_ranked(list(figs.values()), en)}")
        if key in EXPLAINABLE:
            available = self._figure_years(key)
            year = self._year_for(intent, available)
            base = None
            if intent.since is not None and intent.year in (None, intent.since) and available:
                # "Varför sjönk nyttan jämfört med 2024?": from that year to the latest
                year, base = intent.until or max(available), intent.since
            args: dict[str, Any] = {"figure": key, "year": year}
            if base is not None and year is not None and base < year:
                args["base_year"] = base
            result = self._call(calls, "explain_change", **args)
            if "error" not in result:
                parts.append(_explanation_text(result, en))
        elif intent.figure:
            fig_year = self._year_for(intent, self._figure_years(intent.figure))
            figs = self._call(calls, "get_index", year=fig_year, keys=[intent.figure])
            fig = figs.get("figures", {}).get(intent.figure)
            if fig:
                parts.append(self._figure_sentence(fig, en))
        norm = normalize(intent.question)
        # "Varför bygger nyttoindikatorn på ett litet urval?" asks no change: the report's
        # reason first, the figure's change after it
        about_change = any(rx.search(norm) for rx in (_MOVED, UP_WORDS, DOWN_WORDS, _CHANGE_NOUN))
        return self._with_passage(intent, calls, parts, "\n", passage_first=not about_change)

    # -- what if: targets and scenarios (the engine's simulate) --------------------------------

    def _answer_whatif(self, intent: Intent) -> OfflineAnswer:
        """What it takes to reach a target, or the index under changed inputs (engine)."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        scenario = read_scenario(intent.question)
        latest = self._year_for(
            replace(intent, year=None, relative=None), self._figure_years("index")
        )
        year = intent.year if intent.year in self._figure_years("index") else latest
        actual = self._actual_change(intent, scenario)
        if actual is not None:
            return actual
        if scenario.is_target:
            text = self._target_text(calls, scenario, year, en)
        else:
            text = self._scenario_text(calls, scenario, year, en)
        if text is None:
            return self._cannot(intent, calls)
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _actual_change(self, intent: Intent, scenario: Scenario) -> OfflineAnswer | None:
        """A "scenario" whose values are the published ones is a question about what happened.

        "Resultatdelen gick från 8,5 till 8,8 – hur stor är ökningen i procent?" names no
        change to simulate: the figure's values are its own. Answered as a comparison between
        the years whose published values the question names, or as the figure of the one year
        that has the value (None when it is a real scenario).
        """
        if scenario.is_target or scenario.all_completed or len(scenario.overrides) != 1:
            return None
        (key, _value), *_ = scenario.overrides.items()
        series = self.tools.series(key)
        shown = {f.display.replace(" %", "").replace("\u00a0", ""): f.year for f in series}
        named = [
            n
            for n in re.findall(r"(?<![\d,])\d+(?:,\d+)?(?![\d,])", intent.question)
            if not re.fullmatch(r"(19|20)\d\d", n)  # a year names when, not a value
        ]
        years = sorted({shown[n] for n in named if n in shown})
        if not years or len(years) < len(set(named)):
            return None  # a value no year has: a real scenario
        if len(years) == 1:
            return self._answer_figure(
                replace(intent, kind=AnswerKind.FIGURE.value, figure=key, year=years[0])
            )
        return self._answer_compare(
            replace(
                intent, kind=AnswerKind.COMPARE.value, figure=key, since=years[0], until=years[-1]
            )
        )

    def _target_text(
        self, calls: list[dict[str, Any]], s: Scenario, year: int | None, en: bool
    ) -> str | None:
        target = s.target or "index"
        value = s.target_value
        figs = self._call(calls, "get_index", year=year, keys=[target]).get("figures", {})
        fig = figs.get(target)
        if not fig or fig.get("value") is None:
            return None
        label = EN_LABELS.get(target, fig["label"]) if en else fig["label"]
        if value is None:  # "what does it take to raise it": the next tenth up
            value = math.floor(float(fig["value"]) * 10 + 1e-9) / 10 + 0.1
        result = self._call(
            calls, "reach_target", figure=target, value=round(value, 4), year=year, vary=s.vary
        )
        if "error" in result:
            return str(result["error"])
        paths = result.get("paths") or []
        if not paths:
            return None
        goal = paths[0]["target_display"]
        if en:
            head = (
                f"{label} {fig['year']} is {fig['display']}. To reach {goal}, changing one input "
                f"at a time with everything else as in {fig['year']}:"
            )
        else:
            head = (
                f"{label} {fig['year']} är {fig['display']}. För att nå {goal}, med en indata i "
                f"taget och allt annat som {fig['year']}:"
            )
        lines = [head]
        for p in paths:
            vary = EN_LABELS.get(p["vary"], p["vary_label"]) if en else p["vary_label"]
            now = p["vary_current_display"]
            if p["already"]:
                lines.append(
                    f"- {vary}: already enough (today {now})."
                    if en
                    else f"- {vary}: räcker redan (i dag {now})."
                )
            elif p["reachable"]:
                extra = ""
                if p.get("initiatives_needed") is not None:
                    n, of = p["initiatives_needed"], p["initiatives_decided"]
                    extra = (
                        f", that is {n} more of the {of} initiatives completed"
                        if en
                        else f", det vill säga {n} fler genomförda av årets {of} initiativ"
                    )
                lines.append(
                    f"- {vary}: {p['needed_display']} (today {now}){extra}."
                    if en
                    else f"- {vary}: {p['needed_display']} (i dag {now}){extra}."
                )
            else:
                lines.append(
                    f"- {vary}: not enough on its own; even {p['best_display']} gives "
                    f"{p['best_reaches_display']}."
                    if en
                    else f"- {vary}: räcker inte ensam; även {p['best_display']} ger "
                    f"{p['best_reaches_display']}."
                )
        lines.append(
            "Computed by the index engine's simulation; inputs can of course be combined."
            if en
            else "Beräknat med indexmotorns simulering; indata kan förstås också kombineras."
        )
        return "\n".join(lines) + "\n"

    def _scenario_text(
        self, calls: list[dict[str, Any]], s: Scenario, year: int | None, en: bool
    ) -> str | None:
        result = self._call(
            calls,
            "simulate_index",
            overrides=s.overrides or None,
            all_open_completed=s.all_completed or None,
            year=year,
        )
        if "error" in result:
            return str(result["error"])
        figures = {f["key"]: f for f in result.get("figures", [])}
        y = result.get("year", year)
        changed = [f for f in figures.values() if f["overridden"]]
        if s.all_completed:
            n = result.get("completed", 0)
            cause = (
                f"If the {n} initiatives of {y} not yet completed were completed"
                if en
                else f"Om årets {n} ännu inte genomförda initiativ ({y}) blev genomförda"
            )
        else:
            parts = [
                f"{EN_LABELS.get(f['key'], f['label']) if en else f['label']} "
                f"{f['simulated_display']} ({'instead of' if en else 'i stället för'} "
                f"{f['display']})"
                for f in changed
            ]
            cause = ("With " if en else "Med ") + (" and " if en else " och ").join(parts)
        shown = [k for k in ("index", *s.outputs) if k in figures]
        shown += [
            k
            for k in ("forutsattningar", "resultat", "nytta")
            if k in figures and k not in shown and not figures[k]["overridden"]
        ]
        if not shown:
            return None
        effects = []
        for k in dict.fromkeys(shown):
            f = figures[k]
            name = EN_LABELS.get(k, f["label"]) if en else f["label"]
            effects.append(
                f"{name} {f['simulated_display']} "
                f"({'today' if en else 'i dag'} {f['display']}, {f['difference_display']})"
            )
        verb = "would be" if en else "blir"
        tail = (
            f"Everything else as in {y}; computed by the index engine."
            if en
            else f"Allt annat som {y}; beräknat av indexmotorn."
        )
        return f"{cause}, {verb} " + ("; " if en else "; ").join(effects) + f". {tail}\n"

    def _supporting_quote(
        self, calls: list[dict[str, Any]], fig: dict[str, Any], english: bool
    ) -> tuple[str, dict[str, Any]] | None:
        """A report sentence stating the same value, when the retriever has one."""
        if self.tools.retriever is None:
            return None
        # Lexical search: the sentence must hold the label's words and the number, exact or (a
        # percentage) as the report rounds it: 87,7 % is published as "88%".
        want = fig["display"].replace(" %", "").replace("\u00a0", "")
        patterns = [rf"(?<![\d,]){re.escape(want)}(?![\d,])"]
        query = f"{fig['label']} {fig['year']} {fig['display']}"
        if fig.get("unit") == "percent" and fig.get("value") is not None:
            whole = _fmt(float(fig["value"]), 0)
            if whole != want:
                patterns.append(rf"(?<![\d,]){re.escape(whole)} ?%")
                query += f" {whole}%"
        args = {"query": query, "k": 4, "mode": "bm25"}
        result = self.tools.call("search_documents", args)
        hits = result.get("hits") or []
        label_stems = {stem(w) for w in tokens(normalize(fig["label"])) if len(w) > 3}
        for hit in hits:
            for sentence in _sentences(hit.get("text", "")):
                flat = sentence.replace(" %", "%").replace("%", " %")
                if not any(re.search(rx, flat) for rx in patterns):
                    continue
                s_stems = {stem(w) for w in tokens(normalize(sentence))}
                if (
                    label_stems
                    and not _shares_word(label_stems, s_stems)
                    and "index" not in fig["key"]
                ):
                    continue
                calls.append({"name": "search_documents", "arguments": args, "result": result})
                lead = "The report says" if english else "Rapporten"
                return (
                    f"{lead}: ”{sentence}” ({citation(hit, english)}).",
                    _source(hit),
                )
        return None

    # -- portfolio ------------------------------------------------------------------------------

    def _filter_args(self, intent: Intent) -> dict[str, Any]:
        args: dict[str, Any] = {}
        if intent.objekt:
            args["objekt"] = intent.objekt
        if intent.status:
            args["status"] = intent.status
        for axis, lo, hi in intent.ranges:
            if lo is not None:
                args[f"{axis}_min"] = lo
            if hi is not None:
                args[f"{axis}_max"] = hi
        return args

    def _filter_words(self, intent: Intent) -> str:
        words: list[str] = []
        en = intent.english
        if intent.status:
            words.append(STATUS_EN[intent.status] if en else STATUS_SV_PLURAL[intent.status])
        for axis, lo, _hi in intent.ranges:
            sv, eng = RANGE_WORDS[(axis, "min" if lo is not None else "max")]
            words.append(eng if en else sv)
        if not words:
            return ""
        return (" and " if en else " och ").join(words)

    def _answer_count(self, intent: Intent) -> OfflineAnswer:
        if intent.figure == "genomforandegrad" and not intent.filters_present:
            # "Hur stor andel av de beslutade initiativen levererades?": the rate itself
            return self._answer_figure(intent)
        if intent.by_status and not intent.objekt:
            return self._status_breakdown(intent)
        if self._topic_needle(intent):
            # "Hur många initiativ handlar om AI?": the matching initiatives, counted and listed
            return self._answer_list(intent)
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._initiative_years())
        result = self._call(calls, "portfolio", year=year, **self._filter_args(intent))
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        count = result["count"]
        words = self._filter_words(intent)
        if not intent.filters_present:
            change = ""
            if result.get("previous_count") is not None and result.get("change_in_count"):
                pct = result.get("change_in_count_pct")
                delta = int(result["change_in_count"])
                if en:
                    change = (
                        f" ({'up' if delta > 0 else 'down'} {abs(delta)} from "
                        f"{result['previous_count']} in {result['previous_year']}"
                        + (f", {_fmt(abs(pct))} %" if pct is not None else "")
                        + ")"
                    )
                else:
                    change = (
                        f" ({'en ökning' if delta > 0 else 'en minskning'} med {abs(delta)} från "
                        f"{result['previous_count']} år {result['previous_year']}"
                        + (f", {_fmt(abs(pct))} %" if pct is not None else "")
                        + ")"
                    )
            text = (
                f"The portfolio had {count} initiatives in {year}{change}."
                if en
                else f"Portföljen hade {count} initiativ {year}{change}."
            )
            top = list(result.get("per_objekt", {}).items())[:3]
            if top:
                most = ", ".join(f"{n} ({c})" for n, c in top)
                text += f" {'Most initiatives' if en else 'Flest initiativ'}: {most}."
            return OfflineAnswer(text + self._sources_line([], en), [], calls)
        base = result.get("objekt_total", result.get("total_in_year"))
        share = result.get("share_pct")
        share_txt = f" ({_fmt(share)} %)" if share is not None and words else ""
        if intent.objekt and not words:
            text = (
                f"{intent.objekt} had {count} initiatives in {year} "
                f"(of {result['total_in_year']} in total)."
                if en
                else f"{intent.objekt} hade {count} initiativ {year} "
                f"(av {result['total_in_year']} totalt)."
            )
        elif intent.objekt:
            text = (
                f"Of the {base} initiatives of {intent.objekt} in {year}, {count} were "
                f"{words}{share_txt}."
                if en
                else f"Av {intent.objekt}s {base} initiativ {year} var {count} {words}{share_txt}."
            )
        else:
            text = (
                f"Of the {base} initiatives in {year}, {count} were {words}{share_txt}."
                if en
                else f"Av de {base} initiativen {year} var {count} {words}{share_txt}."
            )
        per = result.get("per_objekt") or {}
        if not intent.objekt and per and count:
            most = ", ".join(f"{n} ({c})" for n, c in list(per.items())[:3])
            text += f" {'Most in' if en else 'Flest inom'}: {most}."
        if count and count <= _MAX_LIST and words:
            listing = self._call(
                calls, "list_initiatives", year=year, limit=_MAX_LIST, **self._filter_args(intent)
            )
            titles = [r["title"] for r in listing.get("initiatives", [])]
            if titles:
                text += " " + ("They are" if en else "Det gäller") + ": " + "; ".join(titles) + "."
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _status_breakdown(self, intent: Intent) -> OfflineAnswer:
        """Initiatives of a year per status (the ones named first, then the rest)."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._initiative_years())
        result = self._call(calls, "portfolio", year=year)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        per = result.get("per_status") or {}
        named = [st for st in intent.statuses if st in per]
        order = [*named, *[st for st in per if st not in named]]
        items = [f"{STATUS_EN[st] if en else STATUS_SV_PLURAL[st]} {per[st]}" for st in order]
        text = (
            f"Initiatives {year} by status (of {result['count']}): " + ", ".join(items) + "."
            if en
            else f"Initiativen {year} per status (av {result['count']}): " + ", ".join(items) + "."
        )
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _answer_members(self, intent: Intent, members: str) -> OfflineAnswer:
        """The members of a closed vocabulary ("Vilka statusar kan ett initiativ ha?").

        From the data: the register's statuses and objekt, DiMiOS's dimensions, areas and
        verksamheter, the benefit kinds.
        """
        calls: list[dict[str, Any]] = []
        en = intent.english
        if members in {"status", "objekt"}:
            year = self._year_for(intent, self._initiative_years())
            result = self._call(calls, "portfolio", year=year)
            if "error" in result:
                return OfflineAnswer(str(result["error"]), [], calls, answered=False)
            if members == "status":
                per = result.get("per_status") or {}
                names = [STATUS_EN[st] if en else st for st in per]
                counts = ", ".join(
                    f"{STATUS_EN[st] if en else STATUS_SV_PLURAL[st]} {n}" for st, n in per.items()
                )
                text = (
                    f"An initiative in the register has one of{_count_word(len(names), en)} "
                    f"statuses: {_joined(names, en)}. Delivered means completed: the "
                    f"completion rate (Resultat) is the share of the year's decided initiatives "
                    f"that were completed. {year} ({result['count']} initiatives): {counts}."
                    if en
                    else f"Ett initiativ i registret har en av{_count_word(len(names), en)} "
                    f"statusar: {_joined(names, en)}. Som levererat räknas genomförd: "
                    f"genomförandegraden (Resultat) är andelen genomförda av årets beslutade "
                    f"initiativ. {year} ({result['count']} initiativ): {counts}."
                )
            else:
                objekt = list(self.tools.dataset.objekt)
                per = result.get("per_objekt") or {}
                counts = ", ".join(f"{name} {per[name]}" for name in objekt if name in per)
                text = (
                    f"Initiatives belong to one of{_count_word(len(objekt), en)} objekt: "
                    f"{_joined(objekt, en)}. Initiatives per objekt {year}: {counts}."
                    if en
                    else f"Initiativen hör till ett av{_count_word(len(objekt), en)} objekt: "
                    f"{_joined(objekt, en)}. Initiativ per objekt {year}: {counts}."
                )
            return OfflineAnswer(text + self._sources_line([], en), [], calls)
        if members == "benefit_kind":
            result = self._call(calls, "benefit_register", year=intent.year)
            kinds = [str(k) for k in (result.get("by_kind") or {})] or list(BENEFIT_KINDS)
            text = (
                f"The benefit register has{_count_word(len(kinds), en)} kinds of benefit: "
                f"{_joined(kinds, en)}."
                if en
                else f"Nyttoregistret har{_count_word(len(kinds), en)} nyttotyper: "
                f"{_joined(kinds, en)}."
            )
            return self._with_passage(intent, calls, [text], " ", max_quotes=1)
        year = self._year_for(intent, self.tools.years())
        result = self._call(calls, "dimios_breakdown", year=year, by=members)
        rows = result.get("rows") or []
        if not rows:
            return OfflineAnswer(str(result.get("error", "")), [], calls, answered=False)
        names = sorted(str(r["name"]) for r in rows)
        plural = _EN_PLURAL[members] if en else _SV_PLURAL[members]
        text = (
            f"DiMiOS {year} has{_count_word(len(names), en)} {plural}: {_joined(names, en)}."
            if en
            else f"DiMiOS {year} har{_count_word(len(names), en)} {plural}: {_joined(names, en)}."
        )
        if members == "area":
            dims: dict[str, list[str]] = {}
            for r in rows:
                dims.setdefault(str((r.get("inputs") or {}).get("dimension", "")), []).append(
                    str(r["name"])
                )
            if "" not in dims:
                text += (
                    " "
                    + "; ".join(f"{d}: {_joined(sorted(a), en)}" for d, a in sorted(dims.items()))
                    + "."
                )
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _initiative_years(self) -> list[int]:
        frame = self.tools.dataset.initiatives
        return sorted({int(y) for y in frame["year"]}) if len(frame) else []

    def _topic_needle(self, intent: Intent) -> str | None:
        """The stem of the question word that names what initiatives are about, if any.

        Only words found (at a word start) in some initiative's title or description count, so
        question fillers never filter; the longest such word wins ("robotar" -> "robot").
        """
        frame = self.tools.dataset.initiatives
        if not intent.topic or not len(frame):
            return None
        hay = " ".join(
            (frame["title"].astype(str) + " " + frame["description"].astype(str)).str.lower()
        )

        candidates: list[str] = []
        for w in intent.topic:
            word = GLOSSARY.get(w, w) if intent.english else w
            if "-" in word:
                candidates.append(stem(word))
                continue
            for part in tokens(normalize(word)):
                st = stem(part)
                if len(st) >= 2 and (len(st) >= 4 or part == w):
                    candidates.append(st)
        for st in sorted(dict.fromkeys(candidates), key=len, reverse=True):
            if re.search(r"(?<!\w)" + re.escape(st), hay):
                return st
        return None

    def _named_initiatives(self, intent: Intent) -> list[str]:
        """The titles of the register's initiatives a text question names.

        "Vilken status har Gemensam plattform för geodata?" names one by its title (every
        content word of a title of two or more, at a word start of the question; a long title
        of one word as it is written); "Är
        SDK-projektet i mål?" by the initials of consecutive title words ("säker digital
        kommunikation"). Only for questions the router sends to the reports' text.
        """
        if intent.kind not in {AnswerKind.TEXT.value, AnswerKind.HELP.value}:
            return []
        frame = self.tools.dataset.initiatives
        if not len(frame):
            return []
        asked = " " + " ".join(tokens(normalize(intent.question))) + " "
        acronyms = {a.lower() for a in _ACRONYM.findall(intent.question)}
        found: list[str] = []
        for title, words, stems in self._title_words(frame):
            if len(stems) >= 2 and all(f" {st}" in asked for st in stems):
                found.append(title)
            elif len(words) == 1 and len(words[0]) >= _ONE_WORD_TITLE and f" {words[0]} " in asked:
                found.append(title)  # "Vilken status har Miljöspendanalys?": a title of one word
            elif any(
                "".join(w[0] for w in words[i : i + len(a)]) == a
                for a in acronyms
                for i in range(len(words) - len(a) + 1)
            ):
                found.append(title)
        return found[:_MAX_NAMED]

    def _title_words(self, frame: Any) -> list[tuple[str, list[str], list[str]]]:
        """Each register title with its content words and their stems (once per register)."""
        cached = self._titles
        if cached is None or cached[0] is not frame:
            rows = []
            for title in dict.fromkeys(frame["title"].astype(str)):
                words = [w for w in tokens(normalize(title)) if w not in QUESTION_STOPWORDS]
                rows.append((title, words, [stem(w) for w in words if len(w) >= 4]))
            cached = self._titles = (frame, rows)
        return cached[1]

    def _answer_named(self, intent: Intent, titles: list[str]) -> OfflineAnswer:
        """The register's rows of the initiatives a question names, then the report's passage."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        lines: list[str] = []
        for title in titles:
            result = self._call(calls, "list_initiatives", text=title, limit=_MAX_LIST)
            for r in result.get("initiatives") or []:
                if r["title"] != title:
                    continue
                status = STATUS_EN.get(r["status"], r["status"]) if en else r["status"]
                lines.append(f"{r['title']} ({r['year']}, {r['objekt']}): status {status}.")
        if not lines:
            return self._run(intent)
        lead = "In the initiative register:" if en else "I initiativregistret:"
        text = "\n".join([lead, *(f"- {x}" for x in lines)])
        data = OfflineAnswer(text + self._sources_line([], en), [], calls)
        # the report's passage about an initiative it names: found for the question or for the
        # title, and about that initiative (its words, or a section with the title as a heading)
        searched: list[dict[str, Any]] = []
        found = None
        for query in [intent.search_query, *titles]:
            found = self._text_answer(searched, replace(intent, search_query=query))
            if found is not None and not found.weak and self._about_one(found, titles):
                break
            found = None
        if found is None:
            return data
        passage = OfflineAnswer(
            found.text + self._sources_line(found.sources, en, engine=False),
            found.sources,
            searched,
        )
        return _combine(data, passage, en)

    def _about_one(self, found: TextEvidence, titles: list[str]) -> bool:
        """Whether a quoted passage is about one of the initiatives ``titles`` name."""
        for title in titles:
            named = question_stems(title)
            if named and held_stems(named, found.text) == named:
                return True
        retriever = self.tools.retriever
        sections = [
            " ".join(tokens(normalize(retriever.section_text(src["source"], src["section"]))))
            for src in found.sources
            if retriever is not None and src.get("source") and src.get("section")
        ]
        headings = [" ".join(tokens(normalize(title))) for title in titles]
        return any(h in section for h in headings for section in sections)

    def _answer_list(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._initiative_years())
        needle = self._topic_needle(intent)
        result = self._call(
            calls,
            "list_initiatives",
            year=year,
            limit=_MAX_LIST,
            text=needle,
            **self._filter_args(intent),
        )
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        words = self._filter_words(intent)
        where = ""
        if intent.objekt:
            where = f" {'in' if en else 'inom'} {intent.objekt}"
        if needle:
            where += f" {'mentioning' if en else 'som nämner'} ”{needle}”"
        count = result["count"]
        if count == 0:
            text = (
                f"There were no {words + ' ' if words else ''}initiatives{where} in {year}."
                if en
                else f"Det fanns inga {words + ' ' if words else ''}initiativ{where} {year}."
            )
            # "Vilka initiativ … handlar om X?": "none" answers it; "Inom vilka processer har
            # X testats?" may be answered by the report instead
            empty = bool(needle) and "initiatives" not in _cues(intent)
            return OfflineAnswer(text + self._sources_line([], en), [], calls, empty=empty)
        head = (
            f"{count} {words + ' ' if words else ''}initiatives{where} in {year}:"
            if en
            else f"{count} {words + ' ' if words else ''}initiativ{where} {year}:"
        )
        lines = [head]
        for r in result["initiatives"]:
            status = STATUS_EN.get(r["status"], r["status"]) if en else r["status"]
            extra = r["objekt"] if not intent.objekt else ""
            lines.append(f"- {r['title']} ({', '.join(x for x in (extra, status) if x)})")
        if count > result["shown"]:
            more = count - result["shown"]
            lines.append(f"… {'and' if en else 'och'} {more} {'more' if en else 'till'}.")
        return OfflineAnswer("\n".join(lines) + self._sources_line([], en), [], calls)

    def _top_objekt_by_rate(self, intent: Intent) -> OfflineAnswer:
        """The objekt with the highest (or lowest) genomförandegrad of a year (engine figures)."""
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._initiative_years())
        result = self._call(calls, "portfolio", year=year)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        per = result.get("genomforandegrad_per_objekt") or {}
        if not per:
            return OfflineAnswer(
                ("No initiatives match." if en else "Inga initiativ matchar."), [], calls
            )
        decided = {name: int(f.get("beslutade") or 0) for name, f in per.items()}
        done = {name: int(f.get("genomforda") or 0) for name, f in per.items()}
        shown = {name: str(f["display"]) for name, f in per.items()}
        rates = {name: float(f["value"]) for name, f in per.items()}
        ordered = sorted(rates, key=lambda name: (rates[name], name), reverse=not intent.lowest)
        best = rates[ordered[0]]
        tied = [name for name in ordered if rates[name] == best]

        def part(name: str) -> str:
            return f"{name} {shown[name]} ({done[name]}/{decided[name]})"

        rest = [name for name in ordered if name not in tied][:2]
        if en:
            word = "lowest" if intent.lowest else "highest"
            text = f"In {year}, the {word} completion rate: " + "; ".join(map(part, tied)) + "."
            if rest:
                text += " Next: " + "; ".join(map(part, rest)) + "."
        else:
            word = "lägst" if intent.lowest else "högst"
            text = (
                f"{year} hade {' och '.join(tied)} {word} genomförandegrad: "
                + "; ".join(map(part, tied))
                + "."
            )
            if rest:
                text += " Därefter: " + "; ".join(map(part, rest)) + "."
        formula = (
            "completed / decided initiatives per objekt"
            if en
            else "genomförda / beslutade initiativ per objekt"
        )
        text += f" ({formula})"
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _answer_top_objekt(self, intent: Intent) -> OfflineAnswer:
        if intent.figure in {"genomforandegrad", "resultat"} and not intent.filters_present:
            # "Vilket objekt hade lägst genomförandegrad?": rank by the rate, not by counts
            return self._top_objekt_by_rate(intent)
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._initiative_years())
        args = self._filter_args(intent)
        args.pop("objekt", None)
        result = self._call(calls, "portfolio", year=year, **args)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        per = [(n, c) for n, c in result.get("per_objekt", {}).items()]
        if not per or result.get("count", 0) == 0:
            return OfflineAnswer(
                ("No initiatives match." if en else "Inga initiativ matchar."), [], calls
            )
        words = self._filter_words(intent)
        what = (
            f"{words} {'initiatives' if en else 'initiativ'}"
            if words
            else ("initiatives" if en else "initiativ")
        )
        if intent.lowest:
            positive = [(n, c) for n, c in per if c > 0]
            ordered = sorted(positive, key=lambda nc: (nc[1], nc[0]))
            first = ordered[0]
            text = (
                f"In {year}, {first[0]} had the fewest {what} ({first[1]})."
                if en
                else f"{year} hade {first[0]} minst antal {what} ({first[1]})."
            )
        else:
            first, rest = per[0], per[1:3]
            follow = ", ".join(f"{n} ({c})" for n, c in rest)
            if en:
                text = f"In {year}, {first[0]} had the most {what} ({first[1]})" + (
                    f", followed by {follow}." if follow else "."
                )
            else:
                text = f"{year} hade {first[0]} flest {what} ({first[1]})" + (
                    f", följt av {follow}." if follow else "."
                )
        text += f" {'Total' if en else 'Totalt'}: {result['count']}."
        if len(per) > 3:
            # "Vilka förvaltningsobjekt delas initiativen in i?": every objekt, with its count
            every = " · ".join(f"{n} {c}" for n, c in per)
            text += f" {'Every objekt' if en else 'Alla objekt'} ({len(per)}): {every}."
        return OfflineAnswer(text + self._sources_line([], en), [], calls)

    def _answer_portfolio(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        if intent.objekt or intent.status or intent.by_status:
            # one objekt or status: counted, with its own axis averages; or the status breakdown
            return self._answer_count(intent)
        years = self._initiative_years()
        year = self._year_for(intent, years)
        if intent.since is not None and intent.since == year and years and max(years) > year:
            # "Blev portföljen större jämfört med 2024?": the latest year against that one
            year = intent.until if intent.until in years else max(years)
        result = self._call(calls, "portfolio", year=year)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        avg = result.get("average", {})
        parts = [
            f"The portfolio {year}: {result['count']} initiatives."
            if en
            else f"Portföljen {year}: {result['count']} initiativ."
        ]
        change = result.get("change_in_count")
        if change and result.get("previous_count"):
            pct = _fmt_plain(round(abs(float(result.get("change_in_count_pct") or 0.0)), 1))
            lead, than = ("That is", "than") if en else ("Det är", "än")
            more = ("more", "fewer") if en else ("fler", "färre")
            parts.append(
                f"{lead} {abs(change)} {more[0] if change > 0 else more[1]} {than} "
                f"{result['previous_year']} ({result['previous_count']}), "
                f"{'+' if change > 0 else '-'}{pct} %."
            )
        if avg:
            desc = []
            for axis, (lo, hi) in AXIS_LABELS.items():
                if axis not in avg or avg[axis] is None:
                    continue
                v = float(avg[axis])
                lean = hi if v > 3 else lo if v < 3 else ("in between" if en else "mitt emellan")
                desc.append(f"{axis.replace('_', '/')} {_fmt(v)} ({lean})")
            parts.append(
                ("The average initiative (1–5)" if en else "Genomsnittligt initiativ (1–5)")
                + ": "
                + ", ".join(desc)
                + "."
            )
        shares = _benefit_shares(result, en, neutral=True)
        if shares:
            parts.append(shares[:1].upper() + shares[1:] + ".")
        other = (
            intent.since
            if intent.since is not None and year is not None and intent.since < year
            else result.get("previous_year")
        )
        if other is not None:
            prev = self._call(calls, "portfolio", year=other)
            pavg = prev.get("average") or {}
            if pavg:
                cmp = [
                    f"{a.replace('_', '/')} {_fmt(float(pavg[a]))}"
                    for a in AXIS_LABELS
                    if pavg.get(a) is not None
                ]
                shares = _benefit_shares(prev, en)
                if shares:
                    cmp.append(shares)
                parts.append(
                    f"{other} ({prev.get('count')} initiatives): {', '.join(cmp)}."
                    if en
                    else f"{other} ({prev.get('count')} initiativ): {', '.join(cmp)}."
                )
        closest = self._closest_profile(calls, year, avg, en)
        if closest is not None:
            parts.append(closest)
        per = list((result.get("per_objekt") or {}).items())[:3]
        if per:
            parts.append(
                ("Most initiatives" if en else "Flest initiativ")
                + ": "
                + ", ".join(f"{n} ({c})" for n, c in per)
                + "."
            )
        return self._with_reading(intent, calls, " ".join(parts))

    def _with_reading(
        self, intent: Intent, calls: list[dict[str, Any]], text: str
    ) -> OfflineAnswer:
        """A register answer followed by the report's own reading of it, when one is close.

        A passage covering the question well ("nästan 50/50 föregående år") gives the published
        shares in the report's words after the computed ones.
        """
        reading = intent
        if "extern_intern" in intent.split:
            # "nytta för invånarna eller för organisationen": the split, in the report's words
            reading = replace(intent, search_query="fördelningen mellan extern och intern nytta")
        found = self._text_answer(calls, reading, max_quotes=1)
        if found is None or found.weak or found.coverage < READING_COVERAGE:
            return OfflineAnswer(text + self._sources_line([], intent.english), [], calls)
        return OfflineAnswer(
            f"{text}\n{found.text}" + self._sources_line(found.sources, intent.english),
            found.sources,
            calls,
        )

    def _closest_profile(
        self, calls: list[dict[str, Any]], year: int | None, avg: dict[str, Any], english: bool
    ) -> str | None:
        """The earlier year whose average initiative lies nearest (with two or more to choose)."""
        earlier = [y for y in self._initiative_years() if year is not None and y < year]
        if len(earlier) < 2 or not avg or any(avg.get(a) is None for a in AXIS_LABELS):
            return None
        best: tuple[float, int, dict[str, Any]] | None = None
        for y in earlier:
            other = self._call(calls, "portfolio", year=y).get("average") or {}
            if any(other.get(a) is None for a in AXIS_LABELS):
                continue
            dist = math.dist(
                [float(avg[a]) for a in AXIS_LABELS], [float(other[a]) for a in AXIS_LABELS]
            )
            if best is None or dist < best[0]:
                best = (dist, y, other)
        if best is None:
            return None
        _d, y, other = best
        profile = ", ".join(f"{a.replace('_', '/')} {_fmt(float(other[a]))}" for a in AXIS_LABELS)
        if english:
            return f"Closest to this year's profile is {y} ({profile})."
        return f"Närmast årets profil ligger {y} ({profile})."

    # -- DiMiOS, employees, benefits ------------------------------------------------------------

    def _answer_dimios(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._figure_years("digital_mognad"))
        by = intent.breakdown or (
            "verksamhet" if intent.figure == "digital_mognad" else "dimension"
        )
        if intent.figure in {"digital_formaga", "digitalt_arv"} and not intent.breakdown:
            by = "area"
        result = self._call(calls, "dimios_breakdown", year=year, by=by)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        rows = result["rows"]
        by_sv = {"dimension": "dimension", "area": "område", "verksamhet": "verksamhet"}[by]
        by_en = {"dimension": "dimension", "area": "area", "verksamhet": "unit"}[by]
        parts: list[str] = []
        moved = [r for r in rows if r.get("change") is not None]
        norm = normalize(intent.question)
        if moved and _MOVED.search(norm) and ("top" in _cues(intent) or intent.lowest):
            # "Vilka verksamheter har ökat mest?": ranked by the change since the year before
            down = bool(_FELL.search(norm))
            ranked = sorted(moved, key=lambda r: r["change"], reverse=not down)[:3]
            since = ranked[0].get("previous_year")
            listing = ", ".join(
                f"{r['name']} {r['change_display']} ({_fmt(r['previous'])} → {r['display']})"
                for r in ranked
            )
            if (ranked[0]["change"] > 0) == down:
                # "Vilket område minskade mest?" when every one rose: none fell, say so
                head = (
                    f"none {'fell' if down else 'rose'}; {'least rise' if down else 'least fall'}"
                    if en
                    else f"{'inga' if by == 'area' else 'ingen'} {_SV_PLURAL[by]} "
                    f"{'minskade' if down else 'ökade'}; minst {'ökning' if down else 'minskning'}"
                )
            else:
                head = (
                    f"{'fell' if down else 'rose'} most"
                    if en
                    else f"{'minskade' if down else 'ökade'} mest"
                )
            parts.append(
                f"Digital maturity by {by_en} from {since} to {year}, {head}: {listing}."
                if en
                else f"Digital mognad per {by_sv} från {since} till {year}, {head}: {listing}."
            )
        elif "top" in _cues(intent) or intent.lowest:
            row = rows[-1] if intent.lowest else rows[0]
            word = (
                ("lowest" if intent.lowest else "highest")
                if en
                else ("lägst" if intent.lowest else "högst")
            )
            parts.append(
                f"In {year} the {by_en} with the {word} digital maturity was {row['name']} "
                f"({row['display']})."
                if en
                else f"{year} hade {_SV_DEFINITE[by]} {row['name']} {word} digital mognad "
                f"({row['display']})."
            )
        shown = rows if len(rows) <= 8 else rows[:4] + rows[-3:]
        listing = ", ".join(f"{r['name']} {r['display']}" for r in shown)
        if len(rows) > 8:
            listing = listing.replace(f", {rows[-3]['name']}", f", … , {rows[-3]['name']}", 1)
        parts.append(
            f"Digital maturity {year} by {by_en}: {listing}."
            if en
            else f"Digital mognad {year} per {by_sv}: {listing}."
        )
        total = result.get("total")
        if total:
            extra = ""
            rate = result.get("dimios_svarsfrekvens")
            if rate:
                extra = (
                    f", response rate {rate['display']}"
                    if en
                    else f", svarsfrekvens {rate['display']}"
                )
            parts.append(
                f"Overall: {total['display']}{extra}."
                if en
                else f"Totalt: {total['display']}{extra}."
            )
        return OfflineAnswer(" ".join(parts) + self._sources_line([], en), [], calls)

    def _answer_employee(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._figure_years("medarbetare_medel"))
        result = self._call(calls, "employee_survey", year=year)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        f = result["figures"]
        parts = []
        if "medarbetare_medel" in f:
            parts.append(self._figure_sentence(f["medarbetare_medel"], en))
        shares = [
            f"{f[k]['label']} {f[k]['display']}"
            for k in ("medarbetare_positiva", "medarbetare_neutrala", "medarbetare_negativa")
            if k in f
        ]
        if shares:
            parts.append(", ".join(shares) + ".")
        parts.append(
            f"(Statement: ”{result['statement']}”.)"
            if en
            else f"(Påstående: ”{result['statement']}”.)"
        )
        return OfflineAnswer(" ".join(parts) + self._sources_line([], en), [], calls)

    def _answer_benefits(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        year = self._year_for(intent, self._figure_years("nyttorealisering"))
        result = self._call(
            calls, "benefit_register", year=year, kind=intent.benefit_kind, objekt=intent.objekt
        )
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        sources: list[dict[str, Any]] = []
        parts = [
            f"The benefit register {year}: {result['count']} indicators."
            if en
            else f"Nyttoregistret {year}: {result['count']} indikatorer."
        ]
        nr = result.get("nyttorealisering")
        kind_fig = (result.get("by_kind") or {}).get(intent.benefit_kind or "")
        if kind_fig:
            parts.append(
                f"Achievement for {intent.benefit_kind} benefits: {kind_fig['display']}."
                if en
                else f"Måluppfyllelse för {intent.benefit_kind} nytta: {kind_fig['display']}."
            )
        elif nr:
            parts.append(
                f"Benefit realisation {nr['display']}."
                if en
                else f"Nyttorealisering {nr['display']}."
            )
            part_key = _IN_INDEX_AS.get("nyttorealisering")
            if intent.objekt is None and part_key:
                # the register's realisation is the index's Nytta ("nyttodelen", "nyttan i år")
                figs = self._call(calls, "get_index", year=year, keys=[part_key])
                part = figs.get("figures", {}).get(part_key)
                if part is not None and part.get("value") is not None:
                    parts.append(self._in_index(part, en))
            # asked for the value: also as the report states it (rounded: "till 87%")
            asks = _VALUE.search(normalize(intent.question))
            stated = self._supporting_quote(calls, nr, en) if asks else None
            if stated:
                parts.append(stated[0])
                sources.append(stated[1])
        by_kind = result.get("by_kind") or {}
        if by_kind and not intent.benefit_kind:
            parts.append(
                ("By kind" if en else "Per typ")
                + ": "
                + ", ".join(f"{k} {v['display']}" for k, v in by_kind.items())
                + "."
            )
        lines = []
        for r in result.get("indicators", [])[:8]:
            unit = f" {r['unit']}" if r.get("unit") else ""
            exp = "–" if r["expected"] is None else _fmt_plain(r["expected"])
            mea = "–" if r["measured"] is None else _fmt_plain(r["measured"])
            lines.append(
                f"- {r['indicator']} ({r.get('initiative') or r['initiative_id']}, {r['kind']}): "
                + (
                    f"expected {exp}{unit}, measured {mea}{unit}"
                    if en
                    else f"förväntat {exp}{unit}, uppmätt {mea}{unit}"
                )
            )
        text = " ".join(parts)
        if lines:
            text += "\n" + "\n".join(lines)
        return OfflineAnswer(text + self._sources_line(sources, en), sources, calls)

    # -- classification and drafts ---------------------------------------------------------------

    def _answer_classify(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        en = intent.english
        q = intent.question
        body = q.split(":", 1)[1].strip() if ":" in q else ""
        quoted = re.findall(r"[\"”“'](.+?)[\"”“']", q)
        if not body and quoted:
            body = quoted[0]
        if len(body) < 8:
            text = (
                "Write the initiative after a colon, e.g. ”Classify: AI support for building "
                "permits – faster handling of applications”, or use the classification view."
                if en
                else "Skriv initiativet efter ett kolon, t.ex. ”Klassa: AI-stöd för bygglov – "
                "snabbare handläggning av ansökningar”, eller använd klassningsvyn."
            )
            return OfflineAnswer(text, [], calls, answered=False)
        title, _, desc = body.partition(" – ")
        if not desc:
            title, _, desc = body.partition(". ")
        result = self._call(
            calls, "classify_initiative", title=title.strip(), description=desc.strip()
        )
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        parts = [
            ("Suggested classification" if en else "Förslag till klassning")
            + f" för ”{title.strip()}”:"
        ]
        for axis, (lo, hi) in AXIS_LABELS.items():
            a = result.get(axis) or {}
            if isinstance(a, dict) and a.get("value") is not None:
                reason = f" – {a['reason']}" if a.get("reason") else ""
                parts.append(
                    f"- {axis.replace('_', '/')}: {a['value']} (1 = {lo}, 5 = {hi}){reason}"
                )
        if result.get("objekt"):
            parts.append(f"- objekt: {result['objekt']}")
        if result.get("needs_review"):
            parts.append(
                "Osäker klassning – bör granskas." if not en else "Uncertain – needs review."
            )
        return OfflineAnswer("\n".join(parts), [], calls)

    def _answer_draft(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        year = intent.year or self.tools.latest_year()
        result = self._call(calls, "draft_chapter", chapter=intent.chapter or "index", year=year)
        if "error" in result:
            return OfflineAnswer(str(result["error"]), [], calls, answered=False)
        sources = [s for s in result.get("sources", []) if isinstance(s, dict)]
        return OfflineAnswer(str(result.get("markdown", "")), sources, calls)

    # -- help and text ---------------------------------------------------------------------------

    def _capabilities(self, english: bool) -> str:
        # No numbers here: every number in an answer must come from a tool or a passage.
        if english:
            return (
                "I can answer from the data tables and the ingested reports: the "
                "digitalisation index and its parts for a year (”What was the index this year?”), "
                "changes over the years (”How has Resultat developed?”), the portfolio "
                "(”How many initiatives did Social omsorg have?”, ”Which initiatives were "
                "strategic?”) and questions about the report text (”When did NIS2 take effect?”)."
            )
        return (
            "Jag kan svara utifrån tabellerna och de inlästa rapporterna: "
            "digitaliseringsindex och dess delar per år (”Vad blev indexet i år?”), utveckling "
            "över åren (”Hur har Resultat utvecklats?”), portföljen (”Hur många "
            "initiativ hade Social omsorg?”, ”Vilka initiativ var strategiska?”) och frågor om "
            "rapportens text (”När började NIS2 gälla?”)."
        )

    def _answer_help(self, intent: Intent) -> OfflineAnswer:
        return OfflineAnswer(self._capabilities(intent.english), [], [], answered=True)

    def _cannot(self, intent: Intent, calls: list[dict[str, Any]]) -> OfflineAnswer:
        en = intent.english
        text = (
            "I cannot find anything in the data or the reports that answers the question. "
            if en
            else "Jag hittar inget i datan eller rapporterna som besvarar frågan. "
        )
        return OfflineAnswer(text + self._capabilities(en), [], calls, answered=False)

    def _answer_text(self, intent: Intent) -> OfflineAnswer:
        calls: list[dict[str, Any]] = []
        found = self._text_answer(calls, intent)
        if found is None:
            return self._cannot(intent, calls)
        return OfflineAnswer(
            found.text + self._sources_line(found.sources, intent.english, engine=False),
            found.sources,
            calls,
            coverage=_coverage(found),
        )

    def _text_answer(
        self, calls: list[dict[str, Any]], intent: Intent, max_quotes: int = 2
    ) -> TextEvidence | None:
        """The sentence window(s) of the reports that best answer the question, quoted and cited.

        A best passage that covers the question only partly is quoted with a hedge (``weak``);
        None when no passage covers enough of it.
        """
        if self.tools.retriever is None:
            return None
        choice = QuoteChoice(())
        hits: list[dict[str, Any]] = []
        # "Vad ligger bakom att genomförandet förbättrades?": passages about that figure
        subject = naming(intent.figure) if intent.kind == "why" and intent.figure else None
        if not intent.english and not (intent.kind == "method" and _component_of(intent.figure)):
            # Fast path: lexical search alone, accepted only when a sentence covers most of the
            # question; otherwise (and for English questions, and method questions about a
            # component's figure: see _method_part) hybrid search with embeddings.
            args = {"query": intent.search_query, "k": 6, "mode": "bm25"}
            quick = self.tools.call("search_documents", args)
            quick_hits = quick.get("hits") or []
            if quick_hits:
                choice = choose_quotes(
                    intent.search_query,
                    quick_hits,
                    max_quotes=max_quotes,
                    min_coverage=0.6,
                    subject=subject,
                )
            if choice.quotes:
                hits = quick_hits
                calls.append({"name": "search_documents", "arguments": args, "result": quick})
        if not choice.quotes:
            result = self._call(calls, "search_documents", query=intent.search_query, k=6)
            hits = result.get("hits") or []
            if not hits:
                return None
            method = self._method_part(intent, hits)
            part = self._named_part(intent, hits) or method
            if part is not None:
                # "… i sammanfattningen": the search within the part of the report it names;
                # "hur räknar ni ut nyttan?": within the section on the method, which its
                # opening states
                source, section, query = part
                within = self._call(
                    calls, "search_documents", query=query, k=6, source=source, section=section
                )
                hits = within.get("hits") or hits
                opening = self._opening_hit(hits, source, section) if method else None
                choice = choose_quotes(
                    query, hits, max_quotes=max_quotes, hedge=True, subject=subject, lead=opening
                )
            else:
                choice = choose_quotes(
                    intent.search_query, hits, max_quotes=max_quotes, hedge=True, subject=subject
                )
                reworded = "" if intent.english else in_report_words(intent.search_query)
                if reworded and reworded != intent.search_query:
                    # "Vilka problem kom fram?": the passages found in the reports' own word
                    # ("utmaningar") when they answer the question better
                    found = self._call(calls, "search_documents", query=reworded, k=6)
                    other = found.get("hits") or []
                    alt = choose_quotes(
                        intent.search_query, other, max_quotes=max_quotes, hedge=True,
                        subject=subject,
                    )  # fmt: skip
                    if _stronger(alt, choice):
                        choice, hits = alt, other
        if not choice.quotes:
            return None
        en = intent.english
        quotes = []
        acronym = asked_acronym(intent.question)
        spelled = expand_acronym(acronym, hits) if acronym else None
        if spelled is not None:
            words, where = spelled
            quotes.append(
                f"{acronym} stands for {words} ({citation(where, en)})."
                if en
                else f"{acronym} står för {words} ({citation(where, en)})."
            )
        sources: list[dict[str, Any]] = []
        for quote in choice.quotes:
            lead = "According to the report" if en else "Enligt rapporten"
            quotes.append(f"{lead} ({citation(quote.hit, en)}): ”{quote.text}”")
            if quote.follows:
                # the items the quoted sentence announces: the sub-headings below it
                then = "The section then covers" if en else "Avsnittet tar sedan upp"
                quotes.append(f"{then}: " + "; ".join(self._announced(quote)) + ".")
            elif quote is choice.quotes[0] and (parts := self._subsections(quote)):
                # a whole introduction quoted: what the section goes on with
                then = "The section goes on with" if en else "Avsnittet fortsätter med"
                quotes.append(f"{then}: " + "; ".join(parts) + ".")
            src = _source(quote.hit)
            if src not in sources:
                sources.append(src)
        if en and (terms := gloss(" ".join(q.text for q in choice.quotes))):
            # the quotes are the report's Swedish: their key terms in English
            listing = "; ".join(f"{sv} – {meaning}" for sv, meaning in terms)
            quotes.append(f"Key terms (Swedish → English): {listing}.")
        text = "\n".join(quotes)
        if choice.weak:
            hedge = (
                "I found nothing that answers this for certain; the closest passage is:"
                if en
                else "Jag hittar inget som säkert besvarar frågan; närmast kommer detta avsnitt:"
            )
            text = f"{hedge}\n{text}"
        return TextEvidence(text, sources, choice.quotes[0].coverage, choice.weak)

    def _quoted_section(self, quote: Quote) -> tuple[str, str] | None:
        """The document and section of a quote, when there is a retriever to read them."""
        hit = quote.hit
        section, source = str(hit.get("section") or ""), str(hit.get("source") or "")
        if self.tools.retriever is None or not section or not source:
            return None
        return source, section

    def _announced(self, quote: Quote) -> tuple[str, ...]:
        """The sub-headings a quote announces, also where its section's next passage goes on."""
        where = self._quoted_section(quote)
        if where is None or self.tools.retriever is None:
            return quote.follows
        return headings_in_section(quote, self.tools.retriever.section_text(*where))

    def _named_part(
        self, intent: Intent, hits: list[dict[str, Any]]
    ) -> tuple[str, str, str] | None:
        """The part of a report a question names ("i sammanfattningen", "in the summary").

        Returns the document, the section whose title holds the named word (or its glossary
        counterpart: "sammanfattningen" is the report's "Summering") and the question without
        the naming words; None when the question names no part or the document has none such.
        """
        m = _PART_NAMED.search(normalize(intent.question))
        if m is None or self.tools.retriever is None or not hits:
            return None
        word = m.group("part")
        wanted = {stem(w) for w in tokens(normalize(f"{word} {GLOSSARY.get(word, '')}"))}
        source = str(hits[0].get("source") or "")
        for number, title in self.tools.retriever.outline(source):
            if wanted & {stem(w) for w in tokens(normalize(title))}:
                rest = " ".join(_PART_NAMED.sub(" ", intent.question).split())
                return source, number, rest or intent.search_query
        return None

    def _method_part(
        self, intent: Intent, hits: list[dict[str, Any]]
    ) -> tuple[str, str, str] | None:
        """The report's method section for the figure a "how is it computed" question names.

        "Hur räknar ni ut nyttan?" is answered from "Metodik för utvärdering av nytta", the
        section on the method of the index component the figure belongs to. Returns the document,
        the section and the query; None for other questions or when the report has no such
        section.
        """
        component = _component_of(intent.figure) if intent.kind == "method" else None
        if component is None or self.tools.retriever is None or not hits:
            return None
        if not _CUES["method"].search(normalize(intent.question)):
            return None
        wanted = stem(normalize(_sv_label(component)).split()[0])
        source = str(hits[0].get("source") or "")
        for number, title in self.tools.retriever.outline(source):
            stems = {stem(w) for w in tokens(normalize(title))}
            if _METHOD_TITLE.search(normalize(title)) and wanted in stems:
                return source, number, intent.search_query
        return None

    def _opening_hit(self, hits: list[dict[str, Any]], source: str, section: str) -> int | None:
        """Which of ``hits`` opens the section (its text comes first in the section), if any."""
        assert self.tools.retriever is not None
        whole = self.tools.retriever.section_text(source, section)
        for i, hit in enumerate(hits):
            if hit.get("section") == section and whole.startswith(str(hit.get("text", ""))[:80]):
                return i
        return None

    def _subsections(self, quote: Quote) -> tuple[str, ...]:
        """The titles of the sections below a quote that ends its section's introduction.

        "Vad ska vi prioritera framöver?" is answered by the introduction of "Inriktning framåt";
        what the report then prioritises are its sub-sections ("Datadriven kommun som grund",
        "Förmågeväxling …"). Empty when the quote does not end its passage or the section has
        no sub-sections.
        """
        where = self._quoted_section(quote)
        if where is None or self.tools.retriever is None:
            return ()
        source, section = where
        if not _letters(str(quote.hit.get("text") or "")).endswith(_letters(quote.text)[-40:]):
            return ()
        depth = section.count(".")
        below = [
            title
            for number, title in self.tools.retriever.outline(source)
            if number.startswith(section + ".") and number.count(".") - depth <= 2 and title
        ]
        return tuple(below[:MAX_SUBSECTIONS])

    def _sources_line(
        self, sources: Sequence[dict[str, Any]], english: bool, engine: bool = True
    ) -> str:
        """The closing ``Källor:`` line: the index engine and/or the cited passages."""
        lines: list[str] = []
        if engine:
            lines.append(
                "the index engine (computed from the data tables)"
                if english
                else "indexmotorn (beräknat från tabellerna)"
            )
        for s in sources:
            name = s.get("source") or ""
            lines.append(f"{name}, {citation(s, english)}" if name else citation(s, english))
        if not lines:
            return ""
        return f"\n\n{'Sources' if english else 'Källor'}: " + "; ".join(dict.fromkeys(lines))


def _benefit_shares(portfolio: dict[str, Any], english: bool, neutral: bool = False) -> str:
    """The extern/intern shares of a portfolio result ("extern nytta 10,5 %, intern 70,2 %")."""
    ei = portfolio.get("extern_intern_pct") or {}
    if not ei:
        return ""
    words = (
        ("external benefit", "internal", "neutral")
        if english
        else ("extern nytta", "intern", "neutral")
    )
    parts = [
        f"{words[0]} {_fmt(ei.get('extern', 0))} %",
        f"{words[1]} {_fmt(ei.get('intern', 0))} %",
    ]
    if neutral:
        parts.append(f"{words[2]} {_fmt(ei.get('neutral', 0))} %")
    return ", ".join(parts)


#: The question is about the index's components as a group ("Vilken komponent är svagast?").
_COMPONENTS = re.compile(
    r"\bkomponent\w*|\bindexets (tre )?del\w*|\btre del(ar|arna)\b"
    r"|\bdel(en|ar|arna)? (av|i) (digitaliserings)?index\w*|\bcomponents?\b|\bparts? of the index\b"
    r"|\bdelindex\w*|\bsub[- ]?(scores?|indices|indexes|index)\b"
)


def _components_ranked(figs: list[dict[str, Any]], english: bool) -> str:
    """The lowest and highest component, and the ones that moved most since the year before."""
    valued = [f for f in figs if f.get("value") is not None]
    if len(valued) < 2:
        return ""
    low = min(valued, key=lambda f: float(f["value"]))
    high = max(valued, key=lambda f: float(f["value"]))
    if english:
        text = (
            f"Lowest: {EN_LABELS.get(low['key'], low['label'])} ({low['display']}); highest: "
            f"{EN_LABELS.get(high['key'], high['label'])} ({high['display']}); "
            + _gap_text(high, low, english)
            + "."
        )
    else:
        text = (
            f"Lägst: {low['label']} ({low['display']}); högst: {high['label']} "
            f"({high['display']}); " + _gap_text(high, low, english) + "."
        )
    moved = [f for f in valued if f.get("change") is not None and f.get("previous_year")]
    if moved:
        up = max(moved, key=lambda f: float(f["change"]))
        down = min(moved, key=lambda f: float(f["change"]))
        since = up["previous_year"]
        if english:
            text += (
                f" Since {since}: most up {EN_LABELS.get(up['key'], up['label'])} "
                f"({up['change_display']}), most down {EN_LABELS.get(down['key'], down['label'])} "
                f"({down['change_display']})."
            )
        else:
            text += (
                f" Sedan {since}: mest uppåt {up['label']} ({up['change_display']}), mest nedåt "
                f"{down['label']} ({down['change_display']})."
            )
    return text


def _gap_text(high: dict[str, Any], low: dict[str, Any], english: bool) -> str:
    """The difference between two figures of one unit.

    From the published values as a reader computes it ("8,7 − 7,0"), and before rounding when
    that shows otherwise.
    """
    dec = max(display_decimals(high["display"]), display_decimals(low["display"]))
    unit = (
        (" percentage points" if english else " procentenheter")
        if (high.get("unit") == "percent")
        else ""
    )
    raw = float(high["value"]) - float(low["value"])
    try:
        shown = parse_number(str(high["display"])) - parse_number(str(low["display"]))
    except ValueError:
        shown = raw
    text = (
        f"a gap of {_fmt(shown, dec)}{unit}"
        if english
        else f"skillnaden är {_fmt(shown, dec)}{unit}"
    )
    if _fmt(raw, dec) != _fmt(shown, dec):
        basis = "on the published values" if english else "räknat på de publicerade värdena"
        before = "the gap before rounding" if english else "skillnaden före avrundning"
        text += f" ({basis}; {before} {_fmt(raw, dec)})"
    return text


#: The question asks for a relative change ("i procent", "procentuella", "percentage change").
_RELATIVE = re.compile(r"procent|%|percent|relativ|relative", re.IGNORECASE)


def _asks_extreme(question: str) -> bool:
    return bool(_CUES["top"].search(normalize(question)))


def _asks_low(question: str) -> bool:
    return bool(_CUES["low"].search(normalize(question)))


def _sv_label(key: str) -> str:
    try:
        from index_engine.model import FIGURE_SPECS

        return FIGURE_SPECS[key].label
    except (ImportError, KeyError):
        return key


#: A title of one word names an initiative when written whole and at least this long
#: ("Miljöspendanalys"; a short one such as "Chatbot" is also an ordinary word).
_ONE_WORD_TITLE = 9

#: What the report tells in words about a result: its challenges and strengths ("vilka problem
#: kom fram i DiMiOS", "the main challenges the survey points to"), not how it is computed.
_NARRATIVE = re.compile(
    r"\butmaning\w*|\bproblem\w*|\bstyrk[ao]\w*|\bsvaghet\w*|\bbrist\w*|\bsvårighet\w*"
    r"|\bchallenge\w*|\bstrengths?\b|\bweakness\w*|\b(bra|duktiga) på\b"
)

#: A section on how something is measured ("Metodik för utvärdering av nytta").
_METHOD_TITLE = re.compile(r"\bmetod\w*|\bmethod\w*")


def _asks_span(intent: Intent) -> bool:
    """A span of years up to one named, no single year ("2024 mot nollmätningen")."""
    return intent.until is not None and intent.year is None


def _pair_asked(intent: Intent) -> bool:
    """Two figures named with a word that compares them ("vilket är högst", "skillnaden")."""
    if len(set(intent.figures)) < 2 or intent.since is not None:
        return False
    cues = _cues(intent)
    return "gap" in cues or "top" in cues


def _component_of(key: str | None) -> str | None:
    """The index component a figure is part of ("nyttorealisering" -> "nytta"), or None."""
    from index_engine import COMPONENTS

    for component in COMPONENTS.get("index", ()):
        name = component[0]
        below, seen = [name], set()
        while below:
            k = below.pop()
            if k == key:
                return name
            if k not in seen:
                seen.add(k)
                below.extend(part for part, _w in COMPONENTS.get(k, ()))
    return None


def _stronger(a: QuoteChoice, b: QuoteChoice) -> bool:
    """Whether quote choice ``a`` answers better than ``b``: not hedged, then more covered."""
    if not a.quotes:
        return False
    if not b.quotes:
        return True
    return (not a.weak, a.quotes[0].coverage) > (not b.weak, b.quotes[0].coverage)


def _cues(intent: Intent) -> set[str]:
    return {name for name, rx in _CUES.items() if rx.search(normalize(intent.question))}


def _explanation_text(result: dict[str, Any], english: bool) -> str:
    """The engine's split of a change, in words: the total, each component, the main drivers."""
    from assistant.nlg import classify_change
    from index_engine.formatting import parse_number

    label = EN_LABELS.get(result["figure"], result["label"]) if english else result["label"]
    change = classify_change(
        parse_number(result["display"]), parse_number(result["base_display"]), result["unit"]
    )
    y, b = result["year"], result["base_year"]
    if english:
        word = {"up": "rose", "down": "fell", "same": "was unchanged"}[change.direction]
        head = (
            f"{label} {word} from {result['base_display']} ({b}) to {result['display']} ({y}); "
            f"unrounded change {result['change_display']}."
        )
    else:
        head = (
            f"{label} {y} var {result['display']} mot {result['base_display']} {b}: "
            f"{change.noun} (förändring före avrundning {result['change_display']})."
        )
    items = []
    for c in result["contributions"]:
        clabel = EN_LABELS.get(c["figure"], c["label"]) if english else c["label"]
        items.append(f"{clabel} {c['base_display']} → {c['display']} ({c['contribution_display']})")
    lead = "Contribution of each part" if english else "Bidrag per del"
    body = f"{lead} ({result['formula']}): " + "; ".join(items) + "."
    parts = {c["figure"]: c for c in result["contributions"]}
    drivers = []
    for key, lead_en, lead_sv, side in (
        ("largest_up", "Pulled up most", "Mest uppåt drog", "drivers_up"),
        ("largest_down", "pulled down", "nedåt drog", "drivers_down"),
    ):
        part = parts.get(result.get(key) or "")
        if part is None:
            continue
        name = EN_LABELS.get(part["figure"], part["label"]) if english else part["label"]
        text = f"{lead_en}: {name}" if english else f"{lead_sv} {name}"
        below = _driver_names(part.get(side) or [], english)
        if below:
            text += f" ({'mainly' if english else 'främst'} {below})"
        drivers.append(text)
    tail = ("; ".join(drivers) + ".") if drivers else ""
    return " ".join(x for x in (head, body, tail[:1].upper() + tail[1:]) if x)


#: How a driver of each kind is named in a sentence ("verksamheten Social omsorg").
_DRIVER_KINDS = {
    "verksamhet": ("verksamheten", "the verksamhet"),
    "objekt": ("objektet", "the objekt"),
    "indikator": ("indikatorn", "the indicator"),
    "nyttoslag": ("nyttoslaget", "the benefit kind"),
    "område": ("området", "the area"),
}


def _driver_names(drivers: list[dict[str, Any]], english: bool) -> str:
    """'objektet Välfärd skola +0,04 och objektet Natur och trafik +0,04' (deepest parts)."""
    names = []
    for d in drivers:
        if d.get("kind") == "komponent":
            continue
        sv, en = _DRIVER_KINDS.get(d.get("kind", ""), ("", ""))
        word = en if english else sv
        names.append(f"{word} {d['name']} {d['contribution_display']}".strip())
    return (" and " if english else " och ").join(names)


#: Section titles listed after a quoted introduction (two levels down).
MAX_SUBSECTIONS = 8


def _letters(text: str) -> str:
    """The letters and digits of a text (a quote and its passage compared without spacing)."""
    return re.sub(r"\W+", "", text)


def _shares_word(label: set[str], sentence: set[str]) -> bool:
    """Whether a sentence names the label: a stem in common, or a compound of the same start.

    "genomförandegrad" and "genomförandekapacitet" share "genomförande"; "nyttorealisering"
    starts with "nytta" ("vi uppnått vår estimerade nytta till 87%").
    """
    if label & sentence:
        return True
    return any(
        (len(a) >= 10 and len(b) >= 10 and a[:10] == b[:10])
        or (len(b) >= 4 and len(a) > len(b) + 4 and a.startswith(b))
        for a in label
        for b in sentence
    )


def _undelivered(figures: dict[str, Any], english: bool, calls: list[dict[str, Any]]) -> str:
    """The initiatives of the year not delivered (the complement of the genomförandegrad).

    The subtraction is recorded among the tool calls (``berakning``, with its inputs from the
    engine's figures), so the two numbers it gives are traced like any other.
    """
    total, done = figures.get("antal_initiativ"), figures.get("antal_genomforda")
    if not total or not done or not total.get("value"):
        return ""
    n, k = int(total["value"]), int(done["value"])
    rest = n - k
    share = _fmt(100 * rest / n)
    calls.append(
        {
            "name": "berakning",
            "arguments": {
                "uttryck": "antal initiativ − antal genomförda; andel = ej levererade / antal",
                "antal_initiativ": n,
                "antal_genomforda": k,
            },
            "result": {
                "ej_levererade": rest,
                "andel_ej_levererade_procent": round(100 * rest / n, 4),
            },
        }
    )
    if english:
        return f"{k} of {n} decided initiatives were delivered; {rest} ({share} %) were not."
    return f"{k} av {n} beslutade initiativ levererades; {rest} ({share} %) levererades inte."


#: What a figure is computed from (DOMAIN.md), for method answers: (Swedish, English).
_INPUTS = {
    "nyttorealisering": (
        "nyttoregistret, indikatorer med förväntat och uppmätt utfall per initiativ",
        "the benefit register, indicators with an expected and a measured outcome",
    ),
    "genomforandegrad": (
        "portföljen, årets beslutade initiativ och hur många av dem som levererats (genomförda)",
        "the portfolio, the year's decided initiatives and how many were delivered (completed)",
    ),
    "digital_mognad": (
        "DiMiOS-enkäten, påståenden som skattas 1–6",
        "the DiMiOS survey, statements scored 1–6",
    ),
    "medarbetare_medel": (
        "medarbetarenkätens påstående om effektiva digitala stöd, skattat 1–5",
        "the employee survey statement on effective digital support, scored 1–5",
    ),
    "medarbetare": (
        "medarbetarenkätens påstående om effektiva digitala stöd, skattat 1–5",
        "the employee survey statement on effective digital support, scored 1–5",
    ),
}


#: A part of the report named in a question: "i sammanfattningen", "in the summary".
_PART_NAMED = re.compile(
    r"\b(i|in|enligt|according to) (the )?(?P<part>sammanfattningen|summeringen|inledningen"
    r"|syftet|summary|introduction)\b",
    re.IGNORECASE,
)

#: At most this many initiatives named in one question are looked up in the register.
_MAX_NAMED = 3
#: An acronym of three or more capitals ("SDK", "NIS"), also in a compound ("SDK-projektet").
_ACRONYM = re.compile(r"(?<![\w])([A-ZÅÄÖ]{3,5})(?![a-zåäö])")

#: Figures that are the same measure on two scales (a percentage and its index component).
_PARTNERS = {
    "genomforandegrad": "resultat",
    "resultat": "genomforandegrad",
    "nyttorealisering": "nytta",
    "nytta": "nyttorealisering",
    "medarbetare_medel": "medarbetare",
    "medarbetare": "medarbetare_medel",
}

#: Kinds whose answer is not a vocabulary's members even when the question lists one.
_NOT_MEMBERS = frozenset(
    {
        AnswerKind.WHATIF,
        AnswerKind.CLASSIFY,
        AnswerKind.DRAFT,
        AnswerKind.WHY,
        AnswerKind.COMPARE,
        AnswerKind.FIGURE,
    }
)


def _count_word(n: int, english: bool) -> str:
    """A small count as a word, with its leading space ("tre"); "" when it is larger.

    A count of a list's members is a word, not a figure: the numbers of an answer are the
    engine's and the report's.
    """
    word = count_words(n, english)
    return "" if word.isdigit() else f" {word}"


def _joined(items: Sequence[str], english: bool) -> str:
    """Items joined as "a, b och c" ("a, b and c")."""
    return join_sv(items, "and" if english else "och")


#: The DiMiOS survey's response rate, respondents and recipients (in that order).
_SURVEY_COUNTS = ("dimios_svarsfrekvens", "dimios_svarande", "dimios_mottagare")
#: Percentages whose tenth is a component of the index (said with the percentage): the partners
#: that are the index's own parts.
_IN_INDEX_AS = {k: v for k, v in _PARTNERS.items() if v in _INDEX_COMPONENTS}

_AXIS_EN = {
    "innovation_effektivitet": "innovation/efficiency",
    "operativt_strategiskt": "operational/strategic",
    "extern_intern": "external/internal benefit",
}


def _axes_text(axes: dict[str, dict[str, str]], english: bool) -> str:
    """How an initiative is placed on the portfolio axes (from the portfolio tool)."""
    items = []
    for axis, ends in axes.items():
        name = _AXIS_EN.get(axis, axis) if english else axis.replace("_", "/")
        items.append(f"{name} (1 = {ends['betydelse_1']}, 5 = {ends['betydelse_5']})")
    scale = next(iter(axes.values())).get("skala", "")
    if english:
        return f"Every initiative is rated on three axes ({scale}): " + "; ".join(items) + "."
    return f"Varje initiativ skattas på tre axlar ({scale}): " + "; ".join(items) + "."


def _coverage(found: TextEvidence | None) -> float | None:
    """How much of the question a quoted passage covers (a hedged one counts half)."""
    if found is None:
        return None
    return found.coverage / 2 if found.weak else found.coverage


def slot_fit(intent: Intent, coverage: float | None = None) -> float:
    """How well an answer kind fits the question's slots and evidence (0–1).

    A figure answer needs a figure named in the question, a portfolio answer a question about
    initiatives, and so on; a text answer is as good as the share of the question its passage
    covers (``coverage``); a why or method answer is either.
    """
    kind = AnswerKind(intent.kind)
    figure = intent.figure or ""
    named = bool(figure) and "figure" not in intent.inherited
    passage = coverage or 0.0
    norm = normalize(intent.question)
    asks = _VALUE.search(norm) or _CUES["compare"].search(norm) or _CUES["top"].search(norm)
    # "När och hur genomfördes mätningen, och vilka fick den?": a when or a who that no value
    # answers
    when_or_who = not asks and bool(_CUES["when"].search(norm) or asks_who(norm))
    # "Vilka problem kom fram i DiMiOS?": challenges or strengths the report tells, no value
    told = bool(_NARRATIVE.search(norm))
    if kind is AnswerKind.TEXT:
        # a passage covering half the question is as good as a data answer with its slots
        return min(1.0, passage / FULL_COVERAGE)
    if kind in (AnswerKind.FIGURE, AnswerKind.COMPARE):
        if not named:
            return 0.2
        if when_or_who or told:
            return 0.1
        if kind is AnswerKind.FIGURE and _asks_span(intent):
            return 0.2  # a span of years asked for ("2024 mot nollmätningen"): a comparison
        # "medarbetarna", "staff" name the employee figure's people too: without a question
        # for a value, a change or a year ("Vilka kurser har medarbetarna fått?") it fits half
        return 1.0 if asks or intent.years or intent.relative else 0.5
    if kind is AnswerKind.WHY:
        # "hur skiljer sig 2024 från nollmätningen?": a span's difference asked for, not its
        # causes ("vad beror skillnaden på?" is a why-question)
        gap = _asks_span(intent) and bool(_CUES["gap"].search(norm))
        gap = gap and not _CUES["why"].search(norm)
        # "Vilka problem kom fram i DiMiOS?": what the report tells, no change asked about
        fits = named and figure in EXPLAINABLE and not gap
        fits = fits and not (told and not _CUES["why"].search(norm))
        return max(1.0 if fits else 0.3, passage)
    if kind is AnswerKind.WHATIF:
        s = read_scenario(intent.question)
        return 1.0 if s.target_value is not None or s.overrides or s.all_completed else 0.3
    if kind is AnswerKind.METHOD:
        # "vilka objekt kom tvåa och trea?": a ranking asked for, not how something is done
        ranking = bool(_CUES["top"].search(norm)) and not _CUES["method"].search(norm)
        told = told and not _CUES["method"].search(norm)
        fits = (named or intent.initiatives) and not when_or_who and not ranking and not told
        return max(0.9 if fits else 0.3, passage)
    if kind in (AnswerKind.COUNT, AnswerKind.LIST, AnswerKind.TOP_OBJEKT, AnswerKind.PORTFOLIO):
        return 1.0 if intent.initiatives else 0.2
    if kind is AnswerKind.DIMIOS:
        mognad = figure in {"digital_mognad", "digital_formaga", "digitalt_arv"}
        if intent.until is not None and not intent.breakdown:
            # "hur skiljer sig mognaden 2025 från nolläget?": a span of years, not one year's
            # breakdown
            return 0.2
        return 1.0 if mognad or intent.breakdown else 0.2
    if kind is AnswerKind.EMPLOYEE:
        if _pair_asked(intent):
            return 0.3  # the employee figure is only one of the two asked for
        return 1.0 if figure.startswith("medarbetare") else 0.1
    if kind is AnswerKind.BENEFITS:
        return 1.0 if intent.benefit_kind or figure in {"nytta", "nyttorealisering"} else 0.2
    if kind is AnswerKind.HELP:
        return 0.0 if intent.topic or figure else 0.5
    return 0.3  # classify, draft: rarely without a sure route


def _combine(data: OfflineAnswer, text: OfflineAnswer, english: bool) -> OfflineAnswer:
    """A data answer followed by the report passage (one sources line for both)."""
    marker = "\n\nSources:" if english else "\n\nKällor:"
    head, _, data_sources = data.answer.partition(marker)
    body, _, text_sources = text.answer.partition(marker)
    # a passage the data answer already quotes (its report reading) is not quoted twice
    body = "\n".join(line for line in body.split("\n") if line.strip() not in head)
    names = [x.strip() for x in (data_sources + ";" + text_sources).split(";") if x.strip()]
    tail = f"{marker} " + "; ".join(dict.fromkeys(names)) if names else ""
    return OfflineAnswer(
        f"{head}\n{body}{tail}",
        [*data.sources, *[s for s in text.sources if s not in data.sources]],
        [*data.tool_calls, *text.tool_calls],
        answered=True,
    )
