"""The assistant's tools: read-only functions over the index engine, the tables and retrieval.

One registry serves every face: the chat loop's language model (the OpenAI tool list,
:meth:`ToolRegistry.schemas`), the offline responder (:meth:`ToolRegistry.call` by name), the MCP
server (``assistant.mcp_server``) and the LangChain tools (``assistant.langchain``). Each tool is
one method marked with :func:`~assistant.tool_schema.tool` (its Swedish description) whose
annotated parameters are the only definition of its arguments: the pydantic model that validates
a call and the JSON schema all faces publish are generated from it
(:mod:`assistant.tool_schema`). Closed vocabularies come from where they live: figure keys,
statuses, benefit kinds and axes from ``index_engine``, chapters from ``assistant.drafts``,
objekt from the dataset (the configured list). Adding a tool is one typed method with the
decorator.

Every result is compact JSON with provenance: each figure carries its display value, formula and
``n``; each passage its source, section and page. Tools never raise for bad input or missing
data: they return ``{"error": "<Swedish message>"}`` so the model (or the offline responder, or an
MCP client) can say so.

Tools:

==================== ==========================================================================
get_index            the digitaliseringsindex of a year, its components and sub-measures
explain_change       what moved a figure: its change split into its components' contributions
compare_years        one figure over the years (with changes)
dimios_breakdown     digital mognad per dimension, area or verksamhet
employee_survey      the employee statement: mean, percent, positive/neutral/negative shares
portfolio            the portfolio of a year: count per objekt, average on the axes, extern/intern
list_initiatives     initiatives filtered by year, objekt, status, axis ranges and text
benefit_register     the nyttoregister's indicators with their achievement
search_documents     passages of the ingested reports (hybrid search)
classify_initiative  suggested axis values and objekt for a new initiative
draft_chapter        a draft of a report chapter built on computed figures
==================== ==========================================================================
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

import pandas as pd
from pydantic import Field, ValidationError, create_model

from assistant.errors import AssistantError
from assistant.tool_schema import (
    TOOL_ATTR,
    ArgsBase,
    Flattened,
    OneOf,
    args_model,
    call_kwargs,
    json_schema,
    swedish_errors,
    tool,
)
from index_engine.explain import EXPLAINABLE as ENGINE_EXPLAINABLE
from index_engine.model import AXES, AXIS_MEANINGS, BENEFIT_KINDS, FIGURE_SPECS, STATUSES
from index_engine.simulate import INPUT_RANGES

if TYPE_CHECKING:
    from assistant.lang.text import StemRestorer
    from index_engine.explain import ChangeExplanation
    from index_engine.loaders import Dataset
    from index_engine.model import Figure, YearReport

#: Figures whose change the engine splits into its parts.
EXPLAINABLE = ENGINE_EXPLAINABLE
#: Inputs a what-if scenario may set (the engine's keys; each has a valid range).
SCENARIO_KEYS = tuple(INPUT_RANGES)

#: Axes of the portfolio with their Swedish words for 1 and 5.
AXIS_LABELS: dict[str, tuple[str, str]] = {
    "innovation_effektivitet": ("effektivisering", "innovation"),
    "operativt_strategiskt": ("operativt", "strategiskt"),
    "extern_intern": ("intern nytta", "extern nytta"),
}
#: Initiative statuses (the engine's rule).
STATUS_VALUES = STATUSES
#: What ``dimios_breakdown`` can break digital mognad down by (the engine's DimiosResult parts).
BREAKDOWNS = ("dimension", "area", "verksamhet")
#: Figure keys the tools accept (the engine's contract).
FIGURE_KEYS = tuple(FIGURE_SPECS)


def _chapter_keys(_registry: Any) -> tuple[str, ...]:
    from assistant.drafts import CHAPTERS

    return tuple(CHAPTERS)


def _objekt(registry: Any) -> tuple[str, ...]:
    return tuple(registry.dataset.objekt)


def _canonical_objekt(registry: Any, name: str) -> str:
    return str(registry.match_objekt(name) or name)


# -- argument types (the one definition of the tools' parameters) -------------------------------

Year = Annotated[int | None, Field(description="Året, t.ex. 2025 (utelämnat: senaste året).")]
FigureKey = Annotated[str, OneOf(lambda _r: FIGURE_KEYS)]
ExplainableKey = Annotated[str, OneOf(lambda _r: EXPLAINABLE)]
ScenarioKey = Annotated[str, OneOf(lambda _r: SCENARIO_KEYS)]

#: What the explain tool tells a model about each part (counts and the level/mix split stay in
#: the API: every number here is evidence the claim checker may match an answer's numbers to).
_EXPLAIN_PART_FIELDS = (
    "label",
    "weight",
    "display",
    "base_display",
    "change",
    "contribution",
    "contribution_display",
)
Status = Annotated[
    str,
    OneOf(lambda _r: STATUS_VALUES, lambda _r, v: v.strip().lower()),
    Field(description="Initiativets status."),
]
Objekt = Annotated[
    str,
    OneOf(_objekt, _canonical_objekt),
    Field(description="Förvaltningsobjekt (ett av de konfigurerade objekten)."),
]
BenefitKind = Annotated[
    str,
    OneOf(lambda _r: BENEFIT_KINDS, lambda _r, v: v.strip().lower()),
    Field(description="Nyttotyp."),
]
Chapter = Annotated[str, OneOf(_chapter_keys), Field(description="Rapportkapitlet.")]
Breakdown = Annotated[
    str, OneOf(lambda _r: BREAKDOWNS), Field(description="Uppdelning (standard: dimension).")
]
SearchMode = Annotated[
    Literal["hybrid", "bm25", "dense"],
    Field(description="hybrid (standard), bm25 (ordagrant) eller dense."),
]


def _axis_field(axis: str, end: str) -> Any:
    lo, hi = AXIS_LABELS[axis]
    return (
        int | None,
        Field(default=None, ge=1, le=5, description=f"{end} på axeln {axis} (1 = {lo}, 5 = {hi})."),
    )


class _AxisRangesBase(Flattened):
    def ranges(self) -> dict[str, tuple[int | None, int | None]]:
        """``{axis: (min, max)}`` for the axes with a bound."""
        out: dict[str, tuple[int | None, int | None]] = {}
        for axis in AXES:
            lo, hi = getattr(self, f"{axis}_min"), getattr(self, f"{axis}_max")
            if lo is not None or hi is not None:
                out[axis] = (lo, hi)
        return out


if TYPE_CHECKING:
    AxisRanges = _AxisRangesBase
else:
    #: Min and max on each portfolio axis (1–5), published as ``<axis>_min`` / ``<axis>_max``.
    AxisRanges = create_model(
        "AxisRanges",
        __base__=_AxisRangesBase,
        **{f"{axis}_{end}": _axis_field(axis, end) for axis in AXES for end in ("min", "max")},
    )
#: No bounds on any axis.
NO_RANGES = AxisRanges()


class Engine(Protocol):
    """The part of ``index_engine`` the tools use (injectable for tests)."""

    def compute_year(self, ds: Dataset, year: int) -> YearReport:
        """All figures of one year."""
        ...

    def figure_series(self, ds: Dataset, key: str) -> list[Figure]:
        """One figure for every year it exists."""
        ...

    def available_years(self, ds: Dataset) -> list[int]:
        """Years with data."""
        ...

    def explain_change(
        self, ds: Dataset, key: str, year: int, base_year: int | None = None
    ) -> ChangeExplanation:
        """A figure's change split into its components' contributions."""
        ...


class Retriever(Protocol):
    """The part of :class:`assistant.retrieval.HybridRetriever` the tools use."""

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        year: int | None = None,
        source: str | None = None,
        section: str | None = None,
        mode: Any = "hybrid",
    ) -> list[Any]:
        """Passages for ``query`` (``mode``: hybrid, bm25 or dense)."""
        ...

    def outline(self, source: str, collection: str = "reports") -> tuple[tuple[str, str], ...]:
        """The sections of a document in order: (number, title)."""
        ...

    def section_text(self, source: str, section: str, collection: str = "reports") -> str:
        """A section's passages of a document, in order (what the caller may read)."""
        ...

    def restorer(self, collection: str = "reports") -> StemRestorer:
        """What puts å, ä and ö back into question words (by the open documents' stems)."""
        ...


class ToolError(AssistantError):
    """A tool could not run (unknown tool, bad arguments, missing data)."""

    code = "tool_error"


@dataclass(frozen=True)
class Tool:
    """One tool: name, description, argument model (the schema's source) and the bound method."""

    name: str
    description: str
    args: type[ArgsBase]
    func: Callable[..., dict[str, Any]]

    @cached_property
    def parameters(self) -> dict[str, Any]:
        """The JSON schema of the arguments (generated from the method's signature, once)."""
        return json_schema(self.args)

    def schema(self) -> dict[str, Any]:
        """The tool in the OpenAI chat-completions ``tools`` format."""
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.parameters,
            },
        }


def _num(x: Any, digits: int = 4) -> float | None:
    """A JSON-friendly rounded float (unrounded values stay in the engine)."""
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(v):
        return None
    return round(v, digits)


def compact_figure(fig: Figure) -> dict[str, Any]:
    """A figure as compact JSON: value, display, unit, year, n, formula and the change."""
    out: dict[str, Any] = {
        "key": fig.key,
        "label": fig.label,
        "year": fig.year,
        "value": _num(fig.value),
        "display": fig.display,
        "unit": fig.unit,
        "n": fig.n,
        "formula": fig.formula,
    }
    if fig.previous is not None and fig.previous_year is not None:
        out["previous"] = _num(fig.previous)
        out["previous_year"] = fig.previous_year
        out["change"] = _num(fig.change)
        out["change_display"] = fig.change_display
    inputs = _jsonable(fig.inputs)
    if inputs and len(json.dumps(inputs, ensure_ascii=False)) <= 400:
        out["inputs"] = inputs
    return out


def _named(driver: dict[str, Any]) -> dict[str, Any]:
    """A driver as ``{"name": …}``: its numbers belong to the verksamhet, objekt or indicator."""
    return {"name": driver["label"], **{k: v for k, v in driver.items() if k != "label"}}


def _jsonable(value: Any) -> Any:
    """Plain JSON types only (numpy scalars, tuples and the like converted)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _num(value, 6)
    try:
        return _num(float(value), 6)
    except (TypeError, ValueError):
        return str(value)


def _axes() -> dict[str, dict[str, str]]:
    """Each portfolio axis: the word for 1 and 5, what the ends mean, and the scale."""
    return {
        a: {
            "1": lo,
            "5": hi,
            "betydelse_1": AXIS_MEANINGS[a][0],
            "betydelse_5": AXIS_MEANINGS[a][1],
            "skala": "1–5, 3 = mittemellan",
        }
        for a, (lo, hi) in AXIS_LABELS.items()
    }


def _hit_dict(hit: Any) -> dict[str, Any]:
    """A search hit as the API's source shape (plus score)."""
    section = getattr(hit, "section", None)
    title = getattr(hit, "section_title", None) or getattr(hit, "title", None)
    return {
        "source": getattr(hit, "source", ""),
        "section": section,
        "title": title,
        "page": getattr(hit, "page", None),
        "text": getattr(hit, "text", ""),
        "score": _num(getattr(hit, "score", None)),
        "year": getattr(hit, "year", None),
        "document_title": getattr(hit, "title", None),
        "best_sentences": [s for s, _ in getattr(hit, "best_sentences", ())],
        # the cosine of the best sentence: how near the passage comes to the query
        "similarity": _num(max((c for _s, c in getattr(hit, "best_sentences", ())), default=None)),
    }


class ToolRegistry:
    """The tools over one dataset and one retriever; results are cached per year."""

    def __init__(
        self,
        dataset: Dataset,
        retriever: Retriever | None = None,
        *,
        engine: Engine | None = None,
        classifier_factory: Callable[[], Any] | None = None,
        drafter: Callable[..., Any] | None = None,
    ) -> None:
        """Build the registry.

        Args:
            dataset: The validated tables.
            retriever: Hybrid retrieval over the ingested reports (None: no document search).
            engine: The index engine (default: the ``index_engine`` package).
            classifier_factory: Returns the initiative classifier (built lazily; may raise).
            drafter: ``draft_chapter(dataset, chapter, year, retriever=...)`` (default:
                ``assistant.drafts.draft_chapter`` imported on first use).
        """
        if engine is None:
            import index_engine as engine_module

            engine = engine_module
        self.dataset = dataset
        self.retriever = retriever
        self.engine: Engine = engine
        self.classifier_factory = classifier_factory
        self.drafter = drafter
        self._reports: dict[int, YearReport | None] = {}
        self._series: dict[str, list[Figure]] = {}
        self._years: list[int] | None = None
        self.tools: dict[str, Tool] = {t.name: t for t in self._build_tools()}

    def _build_tools(self) -> list[Tool]:
        """Every method marked with :func:`tool`, in definition order, with its argument model."""
        out: list[Tool] = []
        for name, member in vars(type(self)).items():
            description = getattr(member, TOOL_ATTR, None)
            if description is None:
                continue
            out.append(Tool(name, description, args_model(member, name, self), getattr(self, name)))
        return out

    # -- engine access (cached; the dataset is immutable) ------------------------------------------

    def years(self) -> list[int]:
        """Years with any data, ascending."""
        if self._years is None:
            years: set[int] = set()
            try:
                years.update(int(y) for y in self.dataset.years())
            except Exception:  # noqa: BLE001  (fall back to the engine's view)
                pass
            try:
                years.update(int(y) for y in self.engine.available_years(self.dataset))
            except Exception:  # noqa: BLE001
                pass
            self._years = sorted(years)
        return list(self._years)

    def latest_year(self) -> int | None:
        """The latest year with data."""
        years = self.years()
        return years[-1] if years else None

    def report(self, year: int) -> YearReport | None:
        """The year's report from the engine, or None when the year has no data."""
        if year not in self._reports:
            try:
                self._reports[year] = self.engine.compute_year(self.dataset, year)
            except Exception as exc:  # noqa: BLE001
                if type(exc).__name__ != "NoDataForYearError":
                    raise
                self._reports[year] = None
        return self._reports[year]

    def series(self, key: str) -> list[Figure]:
        """The figure for every year it exists (cached)."""
        if key not in self._series:
            self._series[key] = sorted(
                self.engine.figure_series(self.dataset, key), key=lambda f: f.year
            )
        return self._series[key]

    def figure(self, key: str, year: int) -> Figure | None:
        """One figure of one year, or None."""
        rep = self.report(year)
        if rep is None:
            return None
        return rep.figures.get(key)

    def _resolve_year(self, year: int | None) -> int:
        y = year
        if y is None:
            latest = self.latest_year()
            if latest is None:
                raise ToolError("Det finns ingen data inläst.", field="year")
            return latest
        return y

    def _no_data(self, year: int, what: str = "data") -> dict[str, Any]:
        years = ", ".join(str(y) for y in self.years()) or "inga"
        return {
            "error": f"Det finns ingen {what} för {year}. År med data: {years}.",
            "year": year,
            "available_years": self.years(),
        }

    # -- the registry interface ----------------------------------------------------------------

    def schemas(self) -> list[dict[str, Any]]:
        """All tools in the OpenAI ``tools`` format."""
        return [t.schema() for t in self.tools.values()]

    def call(self, name: str, arguments: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Run a tool; errors come back as ``{"error": message}``, never as exceptions.

        The arguments are validated by the tool's model (Swedish messages naming the field);
        unknown arguments and nulls are dropped (models sometimes add them).
        """
        tool = self.tools.get(name)
        if tool is None:
            return {"error": f"Okänt verktyg: {name!r}.", "tools": sorted(self.tools)}
        given = {
            k: v
            for k, v in (arguments or {}).items()
            if k in tool.args.model_fields and v is not None
        }
        try:
            args = tool.args.model_validate(given)
        except ValidationError as exc:
            problem, fields = swedish_errors(exc)
            return {"error": f"Ogiltiga argument till {name}: {problem}", "fields": fields}
        try:
            result = tool.func(**call_kwargs(tool.func, args))
        except AssistantError as exc:
            return {"error": exc.message, **_jsonable(exc.data)}
        except Exception as exc:  # noqa: BLE001  (index engine errors and the like)
            message = getattr(exc, "message", None)
            if not isinstance(message, str):
                raise
            return {"error": message}
        out: dict[str, Any] = _jsonable(result)
        return out

    # -- the tools ---------------------------------------------------------------------------

    @tool(
        "Digitaliseringsindex för ett år med komponenterna (förutsättningar, resultat, "
        "nytta) och delmåtten (digital mognad, medarbetare, genomförandegrad, "
        "nyttorealisering, DiMiOS-svarsfrekvens m.fl.), med formel, n och förändring."
    )
    def get_index(
        self,
        year: Year = None,
        keys: Annotated[
            list[FigureKey] | None, Field(description="Bara dessa figurer (utelämnat: alla).")
        ] = None,
    ) -> dict[str, Any]:
        """The digitaliseringsindex of a year with its components and sub-measures."""
        y = self._resolve_year(year)
        rep = self.report(y)
        if rep is None:
            return self._no_data(y)
        wanted = list(keys or []) or list(rep.figures)
        figures = {k: compact_figure(rep.figures[k]) for k in wanted if k in rep.figures}
        missing = [k for k in wanted if k not in rep.figures]
        out: dict[str, Any] = {"year": y, "figures": figures}
        if missing:
            out["missing"] = missing
            out["note"] = "Figurer som saknar underlag för året redovisas inte."
        return out

    @tool("En figur över åren (t.ex. index, resultat, digital_mognad) med förändring.")
    def compare_years(
        self, figure: FigureKey, from_year: int | None = None, to_year: int | None = None
    ) -> dict[str, Any]:
        """One figure over the years, with the change between the first and the last."""
        lo, hi = from_year, to_year
        series = [
            f
            for f in self.series(figure)
            if (lo is None or f.year >= lo) and (hi is None or f.year <= hi)
        ]
        if not series:
            years = [f.year for f in self.series(figure)]
            return {
                "figure": figure,
                "error": "Figuren finns inte för de efterfrågade åren. År med figuren: "
                + (", ".join(str(y) for y in years) or "inga")
                + ".",
                "available_years": years,
            }
        first, last = series[0], series[-1]
        out: dict[str, Any] = {
            "figure": figure,
            "label": first.label,
            "unit": first.unit,
            "series": [compact_figure(f) for f in series],
            "first_year": first.year,
            "last_year": last.year,
        }
        if lo is not None and series[0].year != lo:
            out["note"] = f"Figuren finns inte för {lo}; serien börjar {series[0].year}."
        if first is not last and first.value is not None and last.value is not None:
            from index_engine.formatting import fmt_change

            change = last.value - first.value
            out["change"] = _num(change)
            out["change_display"] = fmt_change(change, first.unit)
            if first.unit == "count" and first.value:
                out["change_pct"] = _num(change / first.value * 100, 1)
            elif first.unit != "percent":
                # the relative change as a reader computes it from the published values
                # (8,5 -> 8,8 is +3,5 %), beside the unrounded one
                from index_engine.formatting import parse_number

                shown = parse_number(first.display)
                if shown:
                    out["change_pct"] = _num((parse_number(last.display) - shown) / shown * 100, 1)
                    out["change_pct_basis"] = "publicerade (avrundade) värden"
                    out["change_pct_unrounded"] = _num(change / first.value * 100, 1)
        return out

    @tool(
        "Vad som drev en figurs förändring mot ett basår (standard: året före): "
        "förändringen delad exakt i delarnas bidrag (index → förutsättningar, resultat, "
        "nytta; förutsättningar → digital mognad, medarbetare; digital mognad → digital "
        "förmåga, digitalt arv → områden → verksamheter; genomförandegrad → objekt; "
        "nyttorealisering → nyttoslag → indikatorer), med största bidrag upp och ner och "
        "de delar längst ner som drev mest (drivers_up, drivers_down)."
    )
    def explain_change(
        self,
        figure: ExplainableKey,
        year: Year = None,
        base_year: Annotated[int | None, Field(description="Basåret.")] = None,
    ) -> dict[str, Any]:
        """What moved a figure: its change split exactly into its components' contributions."""
        y = self._resolve_year(year)
        e = self.engine.explain_change(self.dataset, figure, y, base_year)
        out = e.to_dict()
        out["formula"] = f"Δ {e.label} = {e.formula}"
        # the parts one level down; their drivers name what moved most further down
        out["contributions"] = [
            {
                "figure": c.key,
                **{k: v for k, v in c.to_dict().items() if k in _EXPLAIN_PART_FIELDS},
                "drivers_up": [_named(d.to_dict()) for d in e.drivers(1, 2, within=c)],
                "drivers_down": [_named(d.to_dict()) for d in e.drivers(-1, 2, within=c)],
            }
            for c in e.contributions
        ]
        out["drivers_up"] = [_named(d) for d in out["drivers_up"]]
        out["drivers_down"] = [_named(d) for d in out["drivers_down"]]
        return out

    @tool(
        "Vad som krävs för att en figur (t.ex. index) ska nå ett mål: det värde på en indata "
        "i taget (genomförandegrad, nyttorealisering, digital mognad, medarbetare medel 1–5) "
        "som når målet när allt annat är som året, eller att den inte räcker ensam. "
        "Beräknat av indexmotorn."
    )
    def reach_target(
        self,
        value: Annotated[float, Field(description="Målvärdet, t.ex. 8.5.")],
        figure: ScenarioKey = "index",
        year: Year = None,
        vary: ScenarioKey | None = None,
    ) -> dict[str, Any]:
        """Which value of one input brings a figure to a target, everything else as in the year."""
        from index_engine import target_paths

        y = self._resolve_year(year)
        paths = [
            {k: v for k, v in r.to_dict().items() if k != "simulation"}
            for r in target_paths(self.dataset, y, figure, value, vary)
        ]
        return {"year": y, "figure": figure, "target": value, "paths": paths}

    @tool(
        "Tänk om: årets index och komponenter omräknade med ändrade indata (t.ex. "
        "genomforandegrad 95) eller med initiativ som räknas som genomförda, bredvid årets "
        "värden. Bara figurer som ändras visas."
    )
    def simulate_index(
        self,
        overrides: Annotated[
            dict[str, float] | None,
            Field(
                description="Nyckeltal -> nytt värde (procent 0–100, index 0–10, "
                "medarbetare_medel 1–5), nycklar: " + ", ".join(SCENARIO_KEYS) + "."
            ),
        ] = None,
        completed: Annotated[
            list[str] | None,
            Field(description="Id för årets initiativ som räknas som genomförda.", max_length=500),
        ] = None,
        all_open_completed: Annotated[
            bool, Field(description="Räkna alla årets ej genomförda initiativ som genomförda.")
        ] = False,
        year: Year = None,
    ) -> dict[str, Any]:
        """The year's figures recomputed with changed inputs, beside today's."""
        from index_engine import DELIVERED_STATUS, simulate

        y = self._resolve_year(year)
        done = list(completed or [])
        if all_open_completed:
            ini = self.dataset.initiatives
            rows = ini[(ini["year"] == y) & (ini["status"] != DELIVERED_STATUS)]
            done = [str(i) for i in rows["id"]]
        out = simulate(self.dataset, y, dict(overrides or {}), done).to_dict()
        out["figures"] = [f for f in out["figures"] if f["overridden"] or f["difference"] != 0]
        out["completed"] = len(done)
        return out

    @tool(
        "Digital mognad (DiMiOS) per dimension, område eller verksamhet för ett år, "
        "med mottagare, svarande och svarsfrekvens."
    )
    def dimios_breakdown(self, year: Year = None, by: Breakdown = "dimension") -> dict[str, Any]:
        """Digital mognad per dimension, area or verksamhet."""
        y = self._resolve_year(year)
        rep = self.report(y)
        if rep is None:
            return self._no_data(y)
        part = {
            "dimension": rep.dimios.by_dimension,
            "area": rep.dimios.by_area,
            "verksamhet": rep.dimios.by_verksamhet,
        }[by]
        if not part:
            return self._no_data(y, "DiMiOS-mätning")
        rows = sorted(
            ({"name": name, **compact_figure(f)} for name, f in part.items()),
            key=lambda r: -(r["value"] if r["value"] is not None else -1),
        )
        out: dict[str, Any] = {"year": y, "by": by, "rows": rows}
        total = rep.figures.get("digital_mognad")
        if total is not None:
            out["total"] = compact_figure(total)
        for key in ("dimios_mottagare", "dimios_svarande", "dimios_svarsfrekvens"):
            if key in rep.figures:
                out[key] = compact_figure(rep.figures[key])
        return out

    @tool(
        "Medarbetarenkätens påstående 'Jag har effektiva digitala stöd för mina "
        "arbetsuppgifter': medel (1–5), procent och andel positiva/neutrala/negativa."
    )
    def employee_survey(self, year: Year = None) -> dict[str, Any]:
        """The employee statement: mean (1–5), percent and positive/neutral/negative shares."""
        y = self._resolve_year(year)
        rep = self.report(y)
        if rep is None:
            return self._no_data(y)
        keys = (
            "medarbetare_medel",
            "medarbetare",
            "medarbetare_positiva",
            "medarbetare_neutrala",
            "medarbetare_negativa",
        )
        figures = {k: compact_figure(rep.figures[k]) for k in keys if k in rep.figures}
        if not figures:
            return self._no_data(y, "medarbetarenkät")
        return {
            "year": y,
            "statement": "Jag har effektiva digitala stöd för mina arbetsuppgifter",
            "figures": figures,
        }

    def _initiatives(self, year: int | None) -> pd.DataFrame:
        frame = self.dataset.initiatives
        if year is not None:
            frame = frame[frame["year"].astype(int) == year]
        return frame

    def _filter(
        self,
        frame: pd.DataFrame,
        objekt: str | None = None,
        status: str | None = None,
        text: str | None = None,
        ranges: Mapping[str, tuple[int | None, int | None]] | None = None,
    ) -> pd.DataFrame:
        if objekt:
            name = self.match_objekt(objekt)
            if name is None:
                raise ToolError(
                    f"Okänt objekt {objekt!r}. Objekt: {', '.join(self.dataset.objekt)}.",
                    field="objekt",
                )
            frame = frame[frame["objekt"] == name]
        if status:
            st = status.strip().lower()
            if st not in STATUS_VALUES:
                raise ToolError(
                    f"Okänd status {status!r}. Status: {', '.join(STATUS_VALUES)}.", field="status"
                )
            frame = frame[frame["status"].astype(str).str.lower() == st]
        for axis, (lo, hi) in (ranges or {}).items():
            if lo is not None:
                frame = frame[frame[axis].astype(int) >= lo]
            if hi is not None:
                frame = frame[frame[axis].astype(int) <= hi]
        if text:
            needle = text.strip().lower()
            hay = (
                frame["title"].astype(str).str.lower()
                + " "
                + frame["description"].astype(str).str.lower()
            )
            # match at the start of a word ("ai" finds "AI-pilot", not "detaljplanering");
            # a stem finds its inflections and compounds ("robot" -> "Robotprocesser")
            frame = frame[hay.str.contains(r"(?<!\w)" + re.escape(needle), regex=True)]
        return frame

    def match_objekt(self, name: str) -> str | None:
        """The configured objekt that ``name`` refers to (case-insensitive), or None."""
        wanted = " ".join(name.lower().replace("-", " ").split())
        for obj in self.dataset.objekt:
            if " ".join(obj.lower().replace("-", " ").split()) == wanted:
                return obj
        for obj in self.dataset.objekt:
            if wanted and wanted in obj.lower():
                return obj
        return None

    def _per_status(self, year: int) -> dict[str, int]:
        """Initiatives of a year per status, in the statuses' order (zeros included)."""
        counts = self._initiatives(year)["status"].value_counts()
        return {st: int(counts.get(st, 0)) for st in STATUS_VALUES}

    @tool(
        "Digitaliseringsportföljen för ett år: antal initiativ (totalt och per objekt), "
        "genomsnittligt initiativ på axlarna, extern/intern nytta. Filter: objekt, status "
        "och axelintervall."
    )
    def portfolio(
        self,
        year: Year = None,
        objekt: Objekt | None = None,
        status: Status | None = None,
        axes: AxisRanges = NO_RANGES,
    ) -> dict[str, Any]:
        """The portfolio of a year: count per objekt, average initiative, extern/intern split."""
        y = self._resolve_year(year)
        ranges = axes.ranges()
        if not objekt and not status and not ranges:
            rep = self.report(y)
            if rep is None or rep.portfolio.count == 0:
                return self._no_data(y, "portfölj")
            p = rep.portfolio
            return {
                "year": y,
                "count": p.count,
                "previous_year": p.previous_year,
                "previous_count": p.previous_count,
                "change_in_count": p.change_in_count,
                "change_in_count_pct": _num(p.change_in_count_pct, 1),
                "per_objekt": dict(p.per_objekt),
                "per_status": self._per_status(y),
                "average": {k: _num(v, 2) for k, v in p.average.items()},
                "extern_intern_pct": {k: _num(v, 1) for k, v in p.extern_intern.items()},
                "extern_intern_counts": dict(p.extern_intern_counts),
                "axis_distribution": {
                    a: {str(k): v for k, v in d.items()} for a, d in p.axis_distribution.items()
                },
                "axes": _axes(),
                "genomforandegrad_per_objekt": {
                    name: {
                        "value": _num(fig.value, 1),
                        "display": fig.display,
                        "genomforda": _jsonable(fig.inputs).get("genomforda"),
                        "beslutade": _jsonable(fig.inputs).get("beslutade"),
                    }
                    for name, fig in rep.genomforande_by_objekt.items()
                },
                "formula": "antal initiativ per objekt; medelvärde per axel (1–5); "
                "extern = 4–5, intern = 1–2, neutral = 3 på axeln extern_intern",
            }
        frame = self._filter(self._initiatives(y), objekt, status, None, ranges)
        total = len(self._initiatives(y))
        if total == 0:
            return self._no_data(y, "portfölj")
        per_objekt = {str(k): int(v) for k, v in frame["objekt"].value_counts().items()}
        out = {
            "year": y,
            "filters": _filters_dict(objekt and self.match_objekt(objekt), status, ranges),
            "count": len(frame),
            "total_in_year": total,
            "per_objekt": dict(sorted(per_objekt.items(), key=lambda kv: (-kv[1], kv[0]))),
            "average": {a: _num(frame[a].astype(float).mean(), 2) for a in AXIS_LABELS}
            if len(frame)
            else {},
            "axes": _axes(),
            "formula": "antal initiativ som uppfyller filtren; medelvärde per axel (1–5)",
        }
        base_count = total
        if objekt:
            base_count = len(self._filter(self._initiatives(y), objekt))
            out["objekt_total"] = base_count
        if (status or ranges) and base_count:
            out["share_pct"] = _num(len(frame) / base_count * 100, 1)
            out["share_of"] = "objekt_total" if objekt else "total_in_year"
        return out

    @tool("Lista initiativ med filter: år, objekt, status, axelintervall, fritext.")
    def list_initiatives(
        self,
        year: Annotated[int | None, Field(description="Året (utelämnat: alla år).")] = None,
        objekt: Objekt | None = None,
        status: Status | None = None,
        text: Annotated[str | None, Field(description="Ord i titel/beskrivning.")] = None,
        limit: Annotated[int, Field(ge=1, le=200, description="Högst så många rader.")] = 20,
        axes: AxisRanges = NO_RANGES,
    ) -> dict[str, Any]:
        """Initiatives filtered by year, objekt, status, axis ranges and text."""
        y = year
        ranges = axes.ranges()
        frame = self._filter(self._initiatives(y), objekt, status, text, ranges)
        cap = limit
        frame = frame.sort_values(["year", "objekt", "title"], kind="stable")
        rows = [
            {
                "id": str(r["id"]),
                "year": int(r["year"]),
                "title": str(r["title"]),
                "objekt": str(r["objekt"]),
                "status": str(r["status"]),
                "innovation_effektivitet": int(r["innovation_effektivitet"]),
                "operativt_strategiskt": int(r["operativt_strategiskt"]),
                "extern_intern": int(r["extern_intern"]),
            }
            for _, r in frame.head(cap).iterrows()
        ]
        return {
            "filters": {
                "year": y,
                "text": text,
                **_filters_dict(objekt and self.match_objekt(objekt), status, ranges),
            },
            "count": len(frame),
            "shown": len(rows),
            "initiatives": rows,
            "axes": _axes(),
        }

    @tool(
        "Nyttoregistret: indikatorer med förväntat och uppmätt utfall, måluppfyllelse "
        "per nyttotyp (kvalitativ, omställning, ekonomisk) och nyttorealisering."
    )
    def benefit_register(
        self, year: Year = None, kind: BenefitKind | None = None, objekt: Objekt | None = None
    ) -> dict[str, Any]:
        """The nyttoregister's indicators of a year (achievement per indicator and per kind)."""
        y = self._resolve_year(year)
        frame = self.dataset.benefits
        frame = frame[frame["year"].astype(int) == y]
        if kind:
            frame = frame[frame["kind"].astype(str).str.lower() == kind.strip().lower()]
        if objekt:
            name = self.match_objekt(objekt)
            ids = set(self._filter(self.dataset.initiatives, name or objekt)["id"].astype(str))
            frame = frame[frame["initiative_id"].astype(str).isin(ids)]
        if frame.empty:
            return self._no_data(y, "nyttoregister" + (f" av typen {kind}" if kind else ""))
        titles = dict(
            zip(
                self.dataset.initiatives["id"].astype(str),
                self.dataset.initiatives["title"].astype(str),
                strict=False,
            )
        )
        rows = []
        for _, r in frame.head(50).iterrows():
            rows.append(
                {
                    "initiative_id": str(r["initiative_id"]),
                    "initiative": titles.get(str(r["initiative_id"])),
                    "kind": str(r["kind"]),
                    "indicator": str(r["indicator"]),
                    "unit": None if pd.isna(r.get("unit")) else str(r.get("unit")),
                    "baseline": _num(r.get("baseline")),
                    "expected": _num(r.get("expected")),
                    "measured": _num(r.get("measured")),
                }
            )
        out: dict[str, Any] = {"year": y, "count": len(frame), "indicators": rows}
        rep = self.report(y)
        if rep is not None:
            if "nyttorealisering" in rep.figures:
                out["nyttorealisering"] = compact_figure(rep.figures["nyttorealisering"])
            out["by_kind"] = {k: compact_figure(f) for k, f in rep.nytta_by_kind.items()}
        return out

    @tool("Sök i de inlästa rapporterna; ger stycken med källa, avsnitt och sida.")
    def search_documents(
        self,
        query: Annotated[str, Field(description="Sökfrågan.")],
        k: Annotated[int, Field(ge=1, le=20, description="Antal stycken.")] = 5,
        year: Annotated[int | None, Field(description="Bara rapporter från året.")] = None,
        source: Annotated[str | None, Field(description="Bara den här filen.")] = None,
        section: Annotated[str | None, Field(description="Bara det här avsnittet.")] = None,
        mode: SearchMode = "hybrid",
    ) -> dict[str, Any]:
        """Passages of the ingested reports that match ``query``."""
        if self.retriever is None:
            return {"error": "Inga dokument är inlästa (kör `digirapport ingest`)."}
        if not str(query).strip():
            raise ToolError("Sökfrågan är tom.", field="query")
        hits = self.retriever.search(
            str(query),
            k,
            year=year,
            source=source,
            section=section,
            mode=mode,
        )
        return {"query": query, "hits": [_hit_dict(h) for h in hits]}

    @tool("Föreslå axelvärden (1–5) och objekt för ett nytt initiativ.")
    def classify_initiative(
        self,
        title: Annotated[str, Field(description="Initiativets titel.")],
        description: Annotated[str, Field(description="Beskrivningen.")] = "",
    ) -> dict[str, Any]:
        """Suggested axis values and objekt for a new initiative."""
        if self.classifier_factory is None:
            return {"error": "Klassningen är inte tillgänglig."}
        try:
            classifier = self.classifier_factory()
            result = classifier.classify(title, description)
        except ImportError:
            return {"error": "Klassningen är inte tillgänglig i den här installationen."}
        data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
        return {"title": title, **data}

    @tool("Skriv ett utkast till ett rapportkapitel byggt på beräknade figurer.")
    def draft_chapter(self, chapter: Chapter, year: Year = None) -> dict[str, Any]:
        """A draft of a report chapter built on the computed figures."""
        y = self._resolve_year(year)
        drafter: Callable[..., Any]
        if self.drafter is not None:
            drafter = self.drafter
        else:
            try:
                from assistant.drafts import draft_chapter as drafter
            except ImportError:
                return {"error": "Kapitelutkast är inte tillgängliga i den här installationen."}
        draft = drafter(self.dataset, chapter, y, retriever=self.retriever)
        data = draft.to_dict() if hasattr(draft, "to_dict") else dict(draft)
        return {
            "chapter": chapter,
            "year": y,
            "markdown": data.get("markdown", ""),
            "figures": data.get("figures", []),
            "sources": data.get("sources", []),
        }


def _filters_dict(
    objekt: str | None,
    status: str | None,
    ranges: Mapping[str, tuple[int | None, int | None]],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if objekt:
        out["objekt"] = objekt
    if status:
        out["status"] = status
    for axis, (lo, hi) in ranges.items():
        out[axis] = {"min": lo, "max": hi}
    return out
