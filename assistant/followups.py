"""What to ask next, and which chart shows the answer: both derived from what was answered.

An answer is summed up as a :class:`Topic`: its kind (the offline responder's
:class:`~assistant.offline.router.AnswerKind` values), the figure, the year and the objekt.
The offline responder's result gives it directly (:func:`topic_from_offline`); in model mode it is
read from the tool calls the model made (:func:`topic_from_tool_calls`).

:func:`suggestions` turns a topic into two or three Swedish questions the offline responder
answers from the data (never a question that needs the reports, which may not be ingested):
after a figure its change driver, the same figure the year before and its breakdown; after a
comparison the driver and the method; after a portfolio answer the top objekt and the
completed initiatives … Deterministic: the same topic on the same data gives the same questions.
Each phrasing is checked in ``tests/assistant/test_followups.py``: asked offline, every
suggestion gets a data answer of the intended kind.

:func:`chart_for` picks the dashboard's server-drawn chart (``assistant.charts.CHARTS``) that
shows a figure, comparison, why, DiMiOS, employee or portfolio answer, when the year has what
the chart draws (decided from the data: drawing is left to the browser's request).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from index_engine.explain import EXPLAINABLE

if TYPE_CHECKING:
    from assistant.offline import OfflineAnswer
    from assistant.tools import ToolRegistry

#: Most suggestions shown under an answer.
MAX_SUGGESTIONS = 3

#: How a figure is named in a suggested question (definite form, as a manager would ask).
FIGURE_NAMES: dict[str, str] = {
    "index": "digitaliseringsindex",
    "forutsattningar": "förutsättningar",
    "resultat": "resultatkomponenten",
    "nytta": "nyttokomponenten",
    "digital_mognad": "den digitala mognaden",
    "digital_formaga": "den digitala förmågan",
    "digitalt_arv": "det digitala arvet",
    "dimios_svarsfrekvens": "svarsfrekvensen i DiMiOS",
    "dimios_mottagare": "antalet mottagare av DiMiOS",
    "dimios_svarande": "antalet svarande i DiMiOS",
    "medarbetare": "medarbetarnas svar om digitala stöd",
    "medarbetare_medel": "medarbetarnas medelvärde för digitala stöd",
    "genomforandegrad": "genomförandegraden",
    "nyttorealisering": "nyttorealiseringen",
    "antal_initiativ": "antalet initiativ",
    "antal_genomforda": "antalet genomförda initiativ",
}
#: Figures whose change a suggestion offers to explain: the engine's explainable figures
#: (``index_engine.explain.EXPLAINABLE``) except the 1–5 employee mean, which is not offered
#: beside its percentage.
EXPLAINED = tuple(key for key in EXPLAINABLE if key != "medarbetare_medel")
#: The breakdown question of a figure (``{year}`` filled in).
BREAKDOWNS: dict[str, str] = {
    "digital_mognad": "Hur ser den digitala mognaden ut per verksamhet {year}?",
    "digital_formaga": "Hur ser den digitala mognaden ut per område {year}?",
    "digitalt_arv": "Hur ser den digitala mognaden ut per område {year}?",
    "dimios_svarsfrekvens": "Hur ser den digitala mognaden ut per verksamhet {year}?",
    "genomforandegrad": "Vilket objekt hade högst genomförandegrad {year}?",
    "resultat": "Vilket objekt hade högst genomförandegrad {year}?",
    "antal_initiativ": "Vilket objekt hade flest initiativ {year}?",
    "antal_genomforda": "Vilket objekt hade flest initiativ {year}?",
    "nyttorealisering": "Hur stor var måluppfyllelsen per nyttotyp {year}?",
    "nytta": "Hur stor var måluppfyllelsen per nyttotyp {year}?",
    "medarbetare": "Hur stor andel av medarbetarna var positiva {year}?",
    "medarbetare_medel": "Hur stor andel av medarbetarna var positiva {year}?",
}
#: The chart of a figure's answer (before the waterfall of a "why" answer).
FIGURE_CHARTS: dict[str, str] = {
    "index": "index_trend",
    "forutsattningar": "index_trend",
    "resultat": "index_trend",
    "nytta": "index_trend",
    "digital_mognad": "dimios",
    "digital_formaga": "dimios",
    "digitalt_arv": "dimios",
    "medarbetare": "medarbetare",
    "medarbetare_medel": "medarbetare",
    "medarbetare_positiva": "medarbetare",
    "medarbetare_neutrala": "medarbetare",
    "medarbetare_negativa": "medarbetare",
    "genomforandegrad": "forandring_genomforandegrad",
    "nyttorealisering": "forandring_nyttorealisering",
    "antal_initiativ": "objekt",
}
#: The chart of an answer kind that names no figure.
KIND_CHARTS: dict[str, str] = {
    "dimios": "dimios",
    "employee": "medarbetare",
    "portfolio": "portfolj_bubblor",
    "count": "objekt",
    "top_objekt": "objekt",
}
#: Kinds that show a chart (a list, a text passage or a method answer does not).
CHART_KINDS = frozenset({"figure", "compare", "why", "dimios", "employee", "portfolio", "count"})
CHART_KINDS |= {"top_objekt", "benefits"}

#: Tool -> the answer kind it stands for (model mode).
TOOL_KINDS: dict[str, str] = {
    "get_index": "figure",
    "compare_years": "compare",
    "explain_change": "why",
    "reach_target": "whatif",
    "simulate_index": "whatif",
    "dimios_breakdown": "dimios",
    "employee_survey": "employee",
    "portfolio": "portfolio",
    "list_initiatives": "list",
    "benefit_register": "benefits",
    "search_documents": "text",
    "classify_initiative": "classify",
    "draft_chapter": "draft",
}
#: Kinds whose figure is a portfolio count.
_PORTFOLIO_KINDS = frozenset({"count", "list", "top_objekt", "portfolio"})


@dataclass(frozen=True)
class Topic:
    """What an answer was about: its kind, figure, year and objekt."""

    kind: str
    figure: str | None = None
    year: int | None = None
    objekt: str | None = None


def topic_from_offline(answer: OfflineAnswer) -> Topic | None:
    """The topic of an offline answer (its intent's kind and slots; the year as answered)."""
    intent = answer.intent
    if intent is None or not answer.answered:
        return None
    year = intent.year or _answered_year(answer.tool_calls)
    figure = intent.figure
    if figure is None and intent.kind in _PORTFOLIO_KINDS:
        figure = "antal_initiativ"
    return Topic(kind=str(intent.kind), figure=figure, year=year, objekt=intent.objekt)


def topic_from_tool_calls(tool_calls: Sequence[Mapping[str, Any]]) -> Topic | None:
    """The topic of a model's answer: the last data tool it called and that tool's arguments."""
    for call in reversed(tool_calls):
        kind = TOOL_KINDS.get(str(call.get("name")))
        result = call.get("result")
        if kind is None or kind == "text" or not isinstance(result, Mapping):
            continue
        if "error" in result:
            continue
        args = call.get("arguments") or {}
        figure = args.get("figure")
        keys = args.get("keys")
        if figure is None and isinstance(keys, list) and len(keys) == 1:
            figure = keys[0]
        if figure is None and kind == "figure":
            figure = "index"
        if figure is None and kind == "benefits":
            figure = "nyttorealisering"
        year = args.get("year") or args.get("to_year") or _answered_year([call])
        objekt = args.get("objekt")
        return Topic(
            kind=kind,
            figure=figure if isinstance(figure, str) else None,
            year=year if isinstance(year, int) else None,
            objekt=objekt if isinstance(objekt, str) else None,
        )
    return None


def _answered_year(tool_calls: Sequence[Mapping[str, Any]]) -> int | None:
    """The year the tools answered for (``year`` of the first result that has one)."""
    for call in tool_calls:
        result = call.get("result")
        if isinstance(result, Mapping) and isinstance(result.get("year"), int):
            return int(result["year"])
    return None


def suggestions(topic: Topic | None, tools: ToolRegistry, asked: str = "") -> list[str]:
    """Two or three follow-up questions for ``topic`` that the data can answer (Swedish).

    Args:
        topic: What was answered (None: nothing to follow up).
        tools: The tool registry (which years have which figure).
        asked: The question just answered (never suggested again).
    """
    if topic is None:
        return []
    latest = tools.latest_year()
    if latest is None:
        return []
    year = topic.year if topic.year in tools.years() else latest
    figure = topic.figure if topic.figure in FIGURE_NAMES else None
    out: list[str] = []
    if topic.kind in {"figure", "compare", "method", "why", "whatif", "benefits", "employee"}:
        out += _figure_questions(topic.kind, figure or _kind_figure(topic.kind), year, tools)
    elif topic.kind == "dimios":
        out += _figure_questions("dimios", "digital_mognad", year, tools)
    elif topic.kind in _PORTFOLIO_KINDS:
        out += _portfolio_questions(topic, year, tools)
    elif topic.kind == "help":
        out += [
            f"Vad blev digitaliseringsindex {latest}?",
            f"Vad drev förändringen i digitaliseringsindex {latest}?",
            f"Hur många initiativ fanns det {latest}?",
        ]
    seen = {asked.strip().casefold()}
    unique: list[str] = []
    for question in out:
        if question.casefold() not in seen:
            seen.add(question.casefold())
            unique.append(question)
    return unique[:MAX_SUGGESTIONS]


def _kind_figure(kind: str) -> str:
    return {"benefits": "nyttorealisering", "employee": "medarbetare"}.get(kind, "index")


def _has(tools: ToolRegistry, figure: str, year: int) -> bool:
    return any(f.year == year for f in tools.series(figure))


def _explainable(tools: ToolRegistry, figure: str, year: int) -> bool:
    return figure in EXPLAINED and _has(tools, figure, year) and _has(tools, figure, year - 1)


def _figure_questions(kind: str, figure: str, year: int, tools: ToolRegistry) -> list[str]:
    name = FIGURE_NAMES[figure]
    why = f"Vad drev förändringen i {name} {year}?"
    before = f"Vad var {name} {year - 1}?"
    trend = f"Hur har {name} utvecklats över åren?"
    method = f"Hur beräknas {name}?"
    breakdown = BREAKDOWNS.get(figure, "").format(year=year) or None
    can_explain = _explainable(tools, figure, year)
    had_before = _has(tools, figure, year - 1)
    several_years = len(tools.series(figure)) >= 2
    plan: list[str | None]
    if kind == "why":
        plan = [breakdown, trend if several_years else None, method]
    elif kind == "compare":
        plan = [why if can_explain else None, breakdown, method]
    elif kind == "method":
        plan = [f"Vad var {name} {year}?", trend if several_years else None, breakdown]
    elif kind == "whatif":
        plan = [
            why if can_explain else None,
            method,
            f"Vad var {name} {year}?",
        ]
    else:  # figure, benefits, employee, dimios
        plan = [why if can_explain else None, before if had_before else None, breakdown, method]
    return [q for q in plan if q]


def _portfolio_questions(topic: Topic, year: int, tools: ToolRegistry) -> list[str]:
    plan = [
        f"Vilket objekt hade flest initiativ {year}?",
        f"Hur många initiativ var genomförda {year}?",
        f"Hur ser portföljen ut {year}?",
        f"Vad var genomförandegraden {year}?",
    ]
    if topic.objekt and topic.kind != "list":
        plan.insert(0, f"Vilka initiativ hade {topic.objekt} {year}?")
    if topic.kind == "top_objekt":
        plan.remove(plan[1 if topic.objekt else 0])
    elif topic.kind == "portfolio":
        plan.remove(f"Hur ser portföljen ut {year}?")
    return plan


#: What each chart needs for its year (a figure that must exist), and how it is described.
CHART_NEEDS: dict[str, tuple[str, str]] = {
    "index_trend": (
        "index",
        "Linjediagram över digitaliseringsindex och dess tre komponenter per år, till och med "
        "{year}.",
    ),
    "dimios": (
        "digital_mognad",
        "Stapeldiagram över digital mognad per dimension och område {year}.",
    ),
    "medarbetare": (
        "medarbetare_positiva",
        "Staplar med andelen positiva, neutrala och negativa svar i medarbetarenkäten per år, "
        "till och med {year}.",
    ),
    "objekt": ("antal_initiativ", "Stapeldiagram över antal initiativ per objekt {year}."),
    "portfolj_bubblor": (
        "antal_initiativ",
        "Bubbeldiagram över initiativen {year} på axlarna effektivisering–innovation och "
        "operativt–strategiskt.",
    ),
}


def chart_for(topic: Topic | None, tools: ToolRegistry) -> dict[str, Any] | None:
    """The chart that shows the answer: ``{"name", "year", "title", "caption", "url"}`` or None.

    A "why" answer gets the figure's waterfall; a figure or comparison answer the dashboard chart
    that holds the figure; a DiMiOS, employee or portfolio answer its chart. None when the answer
    has no chart or the year lacks what the chart draws. Decided from the data, without drawing
    (the browser fetches the image from ``url``; ``caption`` describes it for the alt text).
    """
    from assistant.charts import CHARTS, WATERFALL_FIGURES

    if topic is None or topic.kind not in CHART_KINDS:
        return None
    year = topic.year if topic.year in tools.years() else tools.latest_year()
    if year is None:
        return None
    name: str | None
    if topic.kind == "why" and topic.figure in WATERFALL_FIGURES:
        name = f"forandring_{topic.figure}"
    elif topic.figure in FIGURE_CHARTS:
        name = FIGURE_CHARTS[topic.figure]
    elif topic.kind == "benefits":
        name = "forandring_nyttorealisering"
    else:
        name = KIND_CHARTS.get(topic.kind)
    if name is None or name not in CHARTS:
        return None
    if name.startswith("forandring_"):
        figure = name.removeprefix("forandring_")
        if not (_has(tools, figure, year) and _has(tools, figure, year - 1)):
            return None
        label = FIGURE_NAMES.get(figure, figure)
        caption = (
            f"Vattenfallsdiagram: vad varje del bidrog med till förändringen i {label} "
            f"från {year - 1} till {year}."
        )
    else:
        needed, template = CHART_NEEDS[name]
        if not _has(tools, needed, year):
            return None
        caption = template.format(year=year)
    spec = CHARTS[name]
    return {
        "name": name,
        "year": year,
        "title": spec.title if name == "index_trend" else f"{spec.title} {year}",
        "caption": caption,
        "url": f"/api/charts/{name}?year={year}&format=svg",
    }
