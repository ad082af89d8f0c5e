"""Chapter drafts for next year's report: Swedish prose from computed figures, with the chart.

``draft_chapter(dataset, chapter, year, retriever=None, chat_model=None)`` writes one chapter of
the report (``CHAPTERS``) for a year:

* every figure comes from the index engine (``compute_year`` / ``figure_series``) with its display
  string; each one is footnoted with its provenance (formula, n, data source) and listed in
  ``Draft.figures`` (``Figure.to_dict``);
* changes against the previous year, trends over all available years and rankings are put into
  words by :mod:`assistant.nlg` (thresholds documented there), deterministically;
* when a retriever is given, the methodology passages of the ingested report are cited (section
  number, title, page) and listed in ``Draft.sources``; without one the draft says nothing of them;
* the chapter's charts (:mod:`assistant.charts`) are drawn as PNG for the Word export and linked
  (SVG, ``/api/charts/...``) from the Markdown;
* with a chat model, the model may rewrite the paragraphs for flow. The rewrite is accepted only
  when every paragraph keeps exactly the same numbers (as values: ``8,2`` = ``8.2``) and the same
  footnote markers, and the grounding check (:mod:`assistant.grounding`) passes against the
  deterministic draft; otherwise the deterministic draft is returned with a warning.

The deterministic part uses no clock and no randomness: the same data gives the same draft.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from assistant.charts import CHARTS, chart_caption, draw_chart
from assistant.errors import AssistantError, DraftDataMissingError, UnknownChapterError
from assistant.grounding import check_grounding, find_numbers
from assistant.klarsprak import KlarsprakReport, check_markdown
from assistant.llm import ChatModel
from assistant.nlg import (
    change_clause,
    count_words,
    extremes_phrase,
    figure_change,
    join_sv,
    ranking_phrase,
    short_change,
    trend_sentence,
)
from index_engine import NoDataForYearError, compute_year, figure_series
from index_engine.formatting import fmt_number, fmt_percent
from index_engine.loaders import Dataset
from index_engine.model import Figure, PortfolioResult, YearReport

log = logging.getLogger("digirapport.drafts")

BlockKind = Literal["heading", "paragraph", "bullets", "chart"]
FOOTNOTE_RE = re.compile(r"\[\^(\d+)\]")


class Retriever(Protocol):
    """What drafts need from retrieval (``assistant.retrieval.HybridRetriever``)."""

    def search(self, query: str, k: int = 5, **filters: Any) -> Sequence[Any]:
        """Hits with ``text``, ``source``, ``title``, ``section``, ``section_title``, ``page``."""
        ...


@dataclass(frozen=True)
class Block:
    """One block of a chapter: a heading, a paragraph, a bullet list or a chart.

    Paragraph and bullet text may carry footnote markers ``[^n]`` (n = ``Draft.notes`` index + 1).
    """

    kind: BlockKind
    text: str = ""
    level: int = 2
    items: tuple[str, ...] = ()
    chart: str | None = None


@dataclass(frozen=True)
class DraftChart:
    """A chart of the chapter: name, number, caption; ``png`` is drawn on first use (Word)."""

    name: str
    number: int
    caption: str
    year: int
    dataset: Dataset | None = field(default=None, repr=False, compare=False)
    _png: list[bytes] = field(default_factory=list, repr=False, compare=False)

    @property
    def png(self) -> bytes:
        """The chart as PNG (rendered once, then kept)."""
        if not self._png:
            if self.dataset is None:
                return b""
            self._png.append(draw_chart(self.dataset, self.name, self.year, "png").data)
        return self._png[0]

    @property
    def url(self) -> str:
        """Where the API serves the chart (SVG)."""
        return f"/api/charts/{self.name}?year={self.year}&format=svg"

    def to_dict(self) -> dict[str, Any]:
        """``{"name", "url", "caption"}`` as in the API contract."""
        return {"name": self.name, "url": self.url, "caption": self.caption}


@dataclass(frozen=True)
class Draft:
    """A drafted chapter.

    Attributes:
        chapter: Chapter key (``CHAPTERS``).
        year: The report year.
        title: The chapter title.
        blocks: The content, in order.
        notes: Footnote texts; marker ``[^n]`` refers to ``notes[n - 1]``.
        figures: Every figure used, as ``Figure.to_dict()`` (with provenance).
        sources: Every report passage drawn on: ``{"source", "section", "title", "page", "text"}``.
        charts: The chapter's charts.
        warnings: Plain Swedish warnings (e.g. a rejected model rewrite, no retriever).
        mode: ``offline`` (deterministic text) or ``llm`` (rewritten by the model and checked).
    """

    chapter: str
    year: int
    title: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...]
    figures: tuple[dict[str, Any], ...]
    sources: tuple[dict[str, Any], ...]
    charts: tuple[DraftChart, ...]
    warnings: tuple[str, ...] = ()
    mode: Literal["offline", "llm"] = "offline"
    fixed_terms: tuple[str, ...] = ()

    @property
    def klarsprak(self) -> KlarsprakReport:
        """The plain-language check of the chapter's body text (``assistant.klarsprak``)."""
        return check_markdown(self.markdown, fixed_terms=self.fixed_terms)

    @property
    def markdown(self) -> str:
        """The chapter as Markdown, charts linked to the API (SVG)."""
        return self.to_markdown()

    def to_markdown(self, chart_href: Callable[[DraftChart], str] | None = None) -> str:
        """The chapter as Markdown with footnotes (``[^n]``) at the end.

        Args:
            chart_href: Where each chart's image is linked; default the API URL.
        """
        href = chart_href or (lambda c: c.url)
        by_name = {c.name: c for c in self.charts}
        out: list[str] = [f"# {self.title} {self.year}", ""]
        for block in self.blocks:
            if block.kind == "heading":
                out += [f"{'#' * max(2, block.level)} {block.text}", ""]
            elif block.kind == "paragraph":
                out += [block.text, ""]
            elif block.kind == "bullets":
                out += [f"- {item}" for item in block.items] + [""]
            elif block.kind == "chart" and block.chart in by_name:
                chart = by_name[block.chart]
                label = f"Figur {chart.number}. {chart.caption}"
                out += [f"![{label}]({href(chart)})", "", f"*{label}*", ""]
        if self.notes:
            out += [f"[^{i}]: {note}" for i, note in enumerate(self.notes, start=1)]
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def to_dict(self) -> dict[str, Any]:
        """The ``POST /api/drafts`` response."""
        return {
            "chapter": self.chapter,
            "year": self.year,
            "title": self.title,
            "markdown": self.markdown,
            "figures": list(self.figures),
            "sources": list(self.sources),
            "charts": [c.to_dict() for c in self.charts],
            "warnings": list(self.warnings),
            "mode": self.mode,
            "klarsprak": self.klarsprak.to_dict(),
        }


@dataclass(frozen=True)
class PassageQuery:
    """A methodology passage to look up: a search query and the report section it should be in."""

    query: str
    section: str


@dataclass(frozen=True)
class ChapterSpec:
    """A chapter: key, title, the figures it cannot do without, its charts and passages."""

    key: str
    title: str
    required: tuple[str, ...]
    charts: tuple[str, ...]
    passages: tuple[PassageQuery, ...]
    write: Callable[[_Writer], None]


# ---------------------------------------------------------------------------------------------
# The writer: collects blocks, footnotes, figures and sources while a chapter is written.


#: How the portfolio numbers are computed (the index engine's rules, in words).
PORTFOLIO_FORMULA = (
    "medelvärde per axel av initiativens skattningar 1–5; andel extern nytta = skattning 4–5, "
    "intern = 1–2, både och = 3 på axeln extern/intern; antal initiativ per objekt"
)


class _Writer:
    def __init__(
        self, dataset: Dataset, spec: ChapterSpec, report: YearReport, retriever: Any | None
    ) -> None:
        self.dataset = dataset
        self.spec = spec
        self.report = report
        self.year = report.year
        self.retriever = retriever
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self._note_index: dict[str, int] = {}
        self.figures: list[dict[str, Any]] = []
        self._figure_ids: set[tuple[str, int]] = set()
        self.sources: list[dict[str, Any]] = []
        self.warnings: list[str] = []
        self._series: dict[str, list[Figure]] = {}

    # -- data -----------------------------------------------------------------------------------
    def fig(self, key: str) -> Figure | None:
        """This year's figure, or None."""
        figure = self.report.figures.get(key)
        return figure if figure is not None and figure.value is not None else None

    def series(self, key: str) -> list[Figure]:
        """The figure for every year up to this one."""
        if key not in self._series:
            self._series[key] = [
                f
                for f in figure_series(self.dataset, key)
                if f.year <= self.year and f.value is not None
            ]
        return self._series[key]

    def previous(self, key: str) -> Figure | None:
        """The figure of the nearest earlier year that has it."""
        earlier = [f for f in self.series(key) if f.year < self.year]
        return earlier[-1] if earlier else None

    # -- citations ------------------------------------------------------------------------------
    def _note(self, ident: str, text: str) -> str:
        if ident not in self._note_index:
            self.notes.append(text)
            self._note_index[ident] = len(self.notes)
        return f"[^{self._note_index[ident]}]"

    def use(self, figure: Figure) -> None:
        """Record a figure as used (for ``Draft.figures``) without a footnote."""
        ident = (figure.key, figure.year)
        if ident not in self._figure_ids:
            self._figure_ids.add(ident)
            self.figures.append(figure.to_dict())

    def cite(self, figure: Figure) -> str:
        """Record the figure and return its footnote marker."""
        self.use(figure)
        source = Path(self.dataset.source).name or str(self.dataset.source)
        text = (
            f"{figure.label} {figure.year}: {figure.display}. Beräknat av indexmotorn ur "
            f"underlaget ”{source}”: {figure.formula} (n = {figure.n})."
        )
        return self._note(f"fig:{figure.key}:{figure.year}", text)

    def cite_portfolio(self) -> str:
        """Record the year's portfolio result as used and return its footnote marker."""
        portfolio = self.report.portfolio
        self.use_portfolio(portfolio)
        source = Path(self.dataset.source).name or str(self.dataset.source)
        return self._note(
            f"portfolj:{portfolio.year}",
            f"Portföljen {portfolio.year} ({portfolio.count} initiativ). Beräknat av indexmotorn "
            f"ur underlaget ”{source}”: {PORTFOLIO_FORMULA}.",
        )

    def use_portfolio(self, portfolio: PortfolioResult) -> None:
        """Record a year's portfolio result (``Draft.figures``, key ``portfolj``)."""
        ident = ("portfolj", portfolio.year)
        if ident not in self._figure_ids:
            self._figure_ids.add(ident)
            self.figures.append(
                {
                    "key": "portfolj",
                    "label": "Portföljen",
                    "value": portfolio.count,
                    "display": str(portfolio.count),
                    "unit": "count",
                    "year": portfolio.year,
                    "n": portfolio.count,
                    "formula": PORTFOLIO_FORMULA,
                    "inputs": portfolio.to_dict(),
                }
            )

    def passage(self, want: PassageQuery) -> dict[str, Any] | None:
        """Look up a methodology passage; None (and a warning) when it cannot be found."""
        if self.retriever is None:
            return None
        hit = _find_passage(self.retriever, want)
        if hit is None:
            return None
        passage = {
            "source": getattr(hit, "source", ""),
            "section": getattr(hit, "section", "") or "",
            "title": getattr(hit, "title", "") or "",
            "section_title": getattr(hit, "section_title", "") or "",
            "page": getattr(hit, "page", None),
            "text": getattr(hit, "text", ""),
        }
        key = f"src:{passage['source']}:{passage['section']}"
        if all(s.get("_key") != key for s in self.sources):
            self.sources.append({**passage, "_key": key})
        return passage

    def cite_passage(self, passage: dict[str, Any]) -> str:
        """The footnote marker for a passage."""
        where = _where(passage)
        excerpt = " ".join(str(passage["text"]).split())
        if len(excerpt) > 220:
            excerpt = excerpt[:220].rsplit(" ", 1)[0] + " …"
        return self._note(f"src:{passage['source']}:{passage['section']}", f"{where}: ”{excerpt}”")

    # -- blocks ---------------------------------------------------------------------------------
    def h(self, text: str, level: int = 2) -> None:
        """A heading."""
        self.blocks.append(Block("heading", text=text, level=level))

    def p(self, *sentences: str) -> None:
        """A paragraph from sentences (empty ones skipped)."""
        text = " ".join(s.strip() for s in sentences if s and s.strip())
        if text:
            self.blocks.append(Block("paragraph", text=text))

    def bullets(self, items: Sequence[str]) -> None:
        """A bullet list."""
        if items:
            self.blocks.append(Block("bullets", items=tuple(items)))

    def chart(self, name: str) -> None:
        """Place one of the chapter's charts here."""
        self.blocks.append(Block("chart", chart=name))

    def methodology(self, *sentences: str) -> None:
        """The methodology paragraph, then the cited passages of the report (when found)."""
        self.h("Så mäts det")
        self.p(*sentences)
        cited = []
        for want in self.spec.passages:
            passage = self.passage(want)
            if passage is not None and passage not in cited:
                cited.append(passage)
        if not cited:
            return
        titles = {str(p.get("title") or p.get("source") or "") for p in cited}
        if len(titles) == 1 and all(p.get("section") for p in cited):
            parts = []
            for p in cited:
                name = f" ({p['section_title']})" if p.get("section_title") else ""
                parts.append(f"{p['section']}{name}{self.cite_passage(p)}")
            self.p(f"Metoden beskrivs närmare i {titles.pop()}, avsnitt {join_sv(parts)}.")
        else:
            refs = [f"{_where_short(p)}{self.cite_passage(p)}" for p in cited]
            self.p(f"Metoden beskrivs närmare i {join_sv(refs)}.")


def _where(passage: dict[str, Any]) -> str:
    parts = [str(passage.get("title") or passage.get("source") or "rapporten")]
    if passage.get("section"):
        parts.append(f"avsnitt {passage['section']} {passage.get('section_title') or ''}".strip())
    if passage.get("page"):
        parts.append(f"s. {passage['page']}")
    return ", ".join(parts)


def _where_short(passage: dict[str, Any]) -> str:
    title = str(passage.get("title") or passage.get("source") or "rapporten")
    section = passage.get("section")
    if section:
        name = passage.get("section_title")
        return f"{title}, avsnitt {section}" + (f" ({name})" if name else "")
    return title


def _find_passage(retriever: Any, want: PassageQuery) -> Any | None:
    """The passage of ``want.section``.

    Tries a search filtered on the section, then any hit in that section, then the best hit.
    Retrieval failures are logged and give None (the draft is still written without it).
    """
    try:
        try:
            hits = list(retriever.search(want.query, k=3, section=want.section))
        except TypeError:
            hits = []
        in_section = [h for h in hits if str(getattr(h, "section", "")).startswith(want.section)]
        if in_section:
            return in_section[0]
        hits = list(retriever.search(want.query, k=5))
    except Exception:  # noqa: BLE001  (retrieval is optional: the draft is written without it)
        log.warning("Passage lookup failed for %r", want.query, exc_info=True)
        return None
    in_section = [h for h in hits if str(getattr(h, "section", "")).startswith(want.section)]
    if in_section:
        return in_section[0]
    return hits[0] if hits else None


# ---------------------------------------------------------------------------------------------
# Shared sentences.


def _change_sentence(w: _Writer, key: str, subject: str) -> str:
    """``Det är en liten ökning från 8,1 år 2024.`` or the first-year sentence."""
    current, prev = w.fig(key), w.previous(key)
    if current is None:
        return ""
    if prev is None:
        return f"Det är det första året med {subject} i underlaget."
    w.use(prev)
    return f"Det är {change_clause(current, prev)}."


def _trend(w: _Writer, key: str, subject: str, *, opening: str | None = None) -> str:
    series = w.series(key)
    for figure in series:
        w.use(figure)
    return trend_sentence(series, subject, opening=opening)


def _with_change(w: _Writer, figure: Figure) -> str:
    """``7,0 (7,1 år 2024, en liten minskning)`` or just ``7,0``."""
    prev = w.previous(figure.key)
    if prev is None:
        return figure.display
    w.use(prev)
    return f"{figure.display} ({short_change(figure, prev)})"


#: Words for the two bubble-chart axes: (balanced, low side, high side).
_LEAN_WORDS = {
    "innovation_effektivitet": (
        "i balans mellan effektivitet och innovation",
        (
            "något mer inriktad på effektivitet än på innovation",
            "tydligt inriktad på effektivitet snarare än innovation",
        ),
        (
            "något mer inriktad på innovation än på effektivitet",
            "tydligt inriktad på innovation snarare än effektivitet",
        ),
    ),
    "operativt_strategiskt": (
        "i balans mellan operativt och strategiskt",
        ("något mer operativ än strategisk", "i hög grad operativ"),
        ("något mer strategisk än operativ", "i hög grad strategisk"),
    ),
}


def _lean(axis: str, value: float) -> str:
    """Words for an axis average (1–5, 3 = in between).

    Our rule: |v − 3| < 0,25 balanced, < 0,75 somewhat (``något mer``), else clearly.
    """
    balanced, low, high = _LEAN_WORDS[axis]
    d = value - 3.0
    if abs(d) < 0.25:
        return balanced
    words = high if d > 0 else low
    return words[0] if abs(d) < 0.75 else words[1]


# ---------------------------------------------------------------------------------------------
# The chapters.


def _write_index(w: _Writer) -> None:
    index = w.fig("index")
    assert index is not None
    y = w.year
    w.p(
        f"Årets sammanlagda digitaliseringsindex är {index.display}.{w.cite(index)}",
        _change_sentence(w, "index", "ett beräknat index"),
    )
    parts = [("forutsattningar", "Förutsättningar"), ("resultat", "Resultat"), ("nytta", "Nytta")]
    items = []
    named: list[tuple[str, Figure]] = []
    for key, label in parts:
        figure = w.fig(key)
        if figure is not None:
            items.append(f"{label} {_with_change(w, figure)}.{w.cite(figure)}")
            named.append((label, figure))
    w.bullets(items)
    extremes = extremes_phrase(named)
    if extremes:
        w.p(f"Av de tre komponenterna ligger värdet {extremes}.")
    w.chart("index_trend")
    w.h("Utveckling över tid")
    trends = [_trend(w, "index", "indexet")]
    first_years = [f.year for f in w.series("index")[:1]]
    said_same_period = False
    for key, label in parts:
        opening = None
        if trends[0] and [f.year for f in w.series(key)[:1]] == first_years:
            opening = f"{label} har" if said_same_period else f"Under samma period har {label}"
            said_same_period = True
        trends.append(_trend(w, key, f"komponenten {label}", opening=opening))
    trends = [t for t in trends if t]
    if trends:
        w.p(*trends)
    else:
        prev = w.previous("index")
        w.p(
            f"Underlaget innehåller index för {prev.year} och {y}."
            if prev
            else f"Underlaget innehåller ännu inget index före {y}."
        )
    w.methodology(
        "Digitaliseringsindexet är medelvärdet av tre komponenter på en tiogradig skala.",
        "Förutsättningar är medelvärdet av den digitala mognaden (DiMiOS) och medarbetarnas "
        "skattning av sina digitala stöd, omräknat till tiogradig skala.",
        "Resultat är genomförandegraden: andelen av årets beslutade digitaliseringsinitiativ som "
        "har genomförts.",
        "Nytta är nyttorealiseringen: hur väl de uppmätta nyttorna i nyttoregistret når de "
        "förväntade.",
    )


def _write_mognad(w: _Writer) -> None:
    total = w.fig("digital_mognad")
    assert total is not None
    w.p(
        f"Kommunens digitala mognad {w.year} är {total.display}.{w.cite(total)}",
        _change_sentence(w, "digital_mognad", "en mätning av digital mognad"),
    )
    dims = [(name, f) for name, f in w.report.dimios.by_dimension.items() if f.value is not None]
    if dims:
        parts = []
        for name, figure in dims:
            w.use(figure)
            parts.append(f"”{name}” {_with_change(w, figure)}")
        sentence = f"Per dimension är resultatet {join_sv(parts)}."
        moved = []
        for name, figure in dims:
            prev = w.previous(figure.key)
            if prev is not None:
                moved.append(
                    (abs(figure_change(figure, prev).delta), name, figure_change(figure, prev))
                )
        driver = ""
        if len(moved) == 2 and any(not m[2].unchanged for m in moved):
            biggest = max(moved, key=lambda m: (m[0], m[1]))
            direction = "ökningen" if biggest[2].direction == "up" else "minskningen"
            if biggest[2].unchanged:
                driver = ""
            else:
                driver = (
                    f"Förändringen sker främst inom dimensionen ”{biggest[1]}”, "
                    f"där {direction} är störst."
                )
        w.p(sentence, driver)
    areas = [(name, f) for name, f in w.report.dimios.by_area.items() if f.value is not None]
    for _name, figure in areas:
        w.use(figure)
    if areas:
        w.p(f"Bland de {count_words(len(areas))} områdena är resultatet {extremes_phrase(areas)}.")
    verks = [(name, f) for name, f in w.report.dimios.by_verksamhet.items() if f.value is not None]
    if len(verks) >= 2:
        for _name, figure in verks:
            w.use(figure)
        w.h("Intern jämförelse")
        w.p(
            f"Den interna jämförelsen omfattar {count_words(len(verks))} verksamheter. "
            f"Den digitala mognaden skattas {extremes_phrase(verks)}."
        )
    w.chart("dimios")
    recipients, rate = w.fig("dimios_mottagare"), w.fig("dimios_svarsfrekvens")
    respondents = w.fig("dimios_svarande")
    sentences = []
    if recipients is not None and rate is not None:
        sentences.append(
            f"Mätningen skickades till {recipients.display} mottagare{w.cite(recipients)} och "
            f"svarsfrekvensen var {rate.display}.{w.cite(rate)}"
        )
    elif respondents is not None:
        sentences.append(
            f"Mätningen besvarades av {respondents.display} personer.{w.cite(respondents)}"
        )
    trend = _trend(w, "digital_mognad", "den digitala mognaden")
    if sentences or trend:
        w.h("Utveckling över tid")
        w.p(trend, *sentences)
    w.methodology(
        "Digital mognad mäts enligt modellen DiMiOS, en självskattning där varje påstående "
        "skattas på en skala från 1 till 6.",
        "Påståendena är grupperade i sex områden under två dimensioner: Digital förmåga "
        "(Effektivitet, Innovation och Balansering) och Digitalt arv (Teknik, Användare och "
        "Organisation).",
        "Varje svar räknas om till procent av högsta möjliga mognad, och resultatet bildas som "
        "medelvärde per område, per dimension och för kommunen som helhet.",
    )


def _write_medarbetare(w: _Writer) -> None:
    mean, pct = w.fig("medarbetare_medel"), w.fig("medarbetare")
    assert mean is not None and pct is not None
    w.p(
        f"Resultatet för {w.year} är {mean.display} av 5.{w.cite(mean)}",
        _change_sentence(w, "medarbetare_medel", "en mätning av medarbetarnas digitala stöd"),
        f"Omräknat till digitaliseringsindexets skala blir det {pct.display}.{w.cite(pct)}",
    )
    shares = [
        (w.fig("medarbetare_positiva"), "positiva (4–5)"),
        (w.fig("medarbetare_neutrala"), "neutrala (3)"),
        (w.fig("medarbetare_negativa"), "negativa (1–2)"),
    ]
    parts = [f"{f.display} {label}{w.cite(f)}" for f, label in shares if f is not None]
    if parts:
        w.p(f"Av svaren är {join_sv(parts)}.")
    verks = [(n, f) for n, f in w.report.employee.by_verksamhet.items() if f.value is not None]
    if len(verks) >= 2:
        for _n, figure in verks:
            w.use(figure)
        w.p(f"Mellan verksamheterna är skattningen {extremes_phrase(verks)}.")
    if "medarbetare_positiva" in w.report.figures:
        w.chart("medarbetare")
    trend = _trend(w, "medarbetare_medel", "medarbetarnas skattning")
    if trend:
        w.h("Utveckling över tid")
        w.p(trend)
    w.methodology(
        "Medarbetarperspektivet mäts med ett påstående i medarbetarundersökningen: ”Jag har "
        "effektiva digitala stöd för mina arbetsuppgifter”, som skattas från 1 till 5.",
        "Medelvärdet räknas om till procent av skalans maximum och vägs lika tungt som den "
        "digitala mognaden i komponenten Förutsättningar.",
    )


def _write_resultat(w: _Writer) -> None:
    resultat, grad = w.fig("resultat"), w.fig("genomforandegrad")
    assert resultat is not None and grad is not None
    w.p(
        f"Årets resultatindikator är {resultat.display}{w.cite(resultat)} – vilket motsvarar en "
        f"genomförandegrad på {grad.display}.{w.cite(grad)}",
        _change_sentence(w, "resultat", "en resultatindikator"),
    )
    total, done = w.fig("antal_initiativ"), w.fig("antal_genomforda")
    sentences = []
    if total is not None and done is not None:
        sentences.append(
            f"Av årets {total.display} beslutade initiativ{w.cite(total)} har {done.display} "
            f"genomförts.{w.cite(done)}"
        )
    if total is not None:
        prev = w.previous("antal_initiativ")
        if prev is not None:
            w.use(prev)
            sentences.append(
                f"Sett till det totala antalet initiativ är det {change_clause(total, prev)}."
            )
    w.p(*sentences)
    by_objekt = [(n, f) for n, f in w.report.genomforande_by_objekt.items() if f.value is not None]
    if len(by_objekt) >= 2:
        for _n, figure in by_objekt:
            w.use(figure)
        w.p(f"Genomförandegraden är {extremes_phrase(by_objekt)}.")
    w.chart("index_trend")
    trend = _trend(w, "resultat", "resultatindikatorn")
    if trend:
        w.h("Utveckling över tid")
        w.p(trend)
    w.methodology(
        "Resultatindikatorn bygger på vår genomförandegrad: av de digitaliseringsinitiativ som "
        "beslutats för året, hur många har faktiskt genomförts?",
        "Måttet säger något om vår förmåga att driva igenom digitaliseringsinitiativ och "
        "redovisas på tiogradig skala i indexet.",
    )


def _write_portfolj(w: _Writer) -> None:
    portfolio = w.report.portfolio
    total = w.fig("antal_initiativ")
    assert total is not None
    count_sentence = (
        f"Portföljen {w.year} omfattar {total.display} digitaliseringsinitiativ.{w.cite(total)}"
    )
    prev_total = w.previous("antal_initiativ")
    change = ""
    if prev_total is not None:
        w.use(prev_total)
        change = f"Det är {change_clause(total, prev_total)}."
    w.p(count_sentence, change)

    w.h("Hur ser portföljen ut?")
    avg = portfolio.average
    if (
        avg.get("innovation_effektivitet") is not None
        and avg.get("operativt_strategiskt") is not None
    ):
        ie, os_ = float(avg["innovation_effektivitet"]), float(avg["operativt_strategiskt"])
        w.p(
            "Ett genomsnittligt initiativ i portföljen placerar sig på "
            f"{fmt_number(ie)} på axeln effektivitet–innovation och {fmt_number(os_)} på axeln "
            f"operativt–strategiskt (skala 1–5, där 3 är mittemellan).{w.cite_portfolio()}",
            f"Portföljen är alltså {_lean('innovation_effektivitet', ie)} och "
            f"{_lean('operativt_strategiskt', os_)}.",
            _portfolio_movement(w),
        )
    w.chart("portfolj_bubblor")
    w.chart("portfolj_medel")

    w.h("Var skapas nyttan?")
    split = portfolio.extern_intern
    if split:
        ext, inte, neu = (float(split.get(k, 0.0)) for k in ("extern", "intern", "neutral"))
        parts = [
            f"{fmt_percent(ext)} främst till extern nytta",
            f"{fmt_percent(inte)} till intern nytta",
        ]
        if neu:
            parts.append(f"{fmt_percent(neu)} till både extern och intern nytta")
        if abs(ext - inte) < 5:
            lean = "Fördelningen mellan extern och intern nytta är ungefär jämn."
        elif inte > ext:
            lean = "Portföljen har en övervikt mot initiativ som främst skapar intern nytta."
        else:
            lean = "Portföljen har en övervikt mot initiativ som främst skapar extern nytta."
        w.p(
            f"Av årets initiativ syftar {join_sv(parts)}.{w.cite_portfolio()}",
            lean,
            _split_movement(w),
        )
        w.chart("extern_intern")

    w.h("Fördelning av initiativ inom kommunens objekt")
    ranking = ranking_phrase(list(portfolio.per_objekt.items()))
    if ranking:
        w.p(f"Under {w.year} fanns {ranking}.{w.cite_portfolio()}")
        w.chart("objekt")
    w.methodology(
        "Varje digitaliseringsinitiativ skattas på tre skalor från 1 till 5: innovation eller "
        "effektivitet, operativt (direkt förändring) eller strategiskt (långsiktiga "
        "förutsättningar), och extern nytta (invånare och företag) eller intern nytta "
        "(organisationen), där 3 är mittemellan.",
        "Initiativ som skattas 4–5 på nyttoaxeln räknas som extern nytta och 1–2 som intern.",
    )


def _portfolio_movement(w: _Writer) -> str:
    earlier = _earlier_portfolios(w)
    if not earlier:
        return ""
    prev = earlier[-1]
    w.use_portfolio(prev)
    now = w.report.portfolio.average
    moves = []
    for axis, low, high in (
        ("innovation_effektivitet", "effektivisering", "innovation"),
        ("operativt_strategiskt", "operativa initiativ", "strategiska initiativ"),
    ):
        d = float(now[axis]) - float(prev.average[axis])
        if abs(d) >= 0.1:  # our rule: a tenth of a scale step is a movement
            moves.append(f"mer {high if d > 0 else low}")
    head = (
        f"Jämfört med {prev.year}, då ett genomsnittligt initiativ låg på "
        f"{fmt_number(float(prev.average['innovation_effektivitet']))} respektive "
        f"{fmt_number(float(prev.average['operativt_strategiskt']))},"
    )
    if not moves:
        text = f"{head} är profilen i stort sett densamma."
    else:
        text = f"{head} har portföljen rört sig mot {join_sv(moves)}."
    if len(earlier) >= 2:

        def dist(p: PortfolioResult) -> float:
            return sum(
                (float(now[a]) - float(p.average[a])) ** 2
                for a in ("innovation_effektivitet", "operativt_strategiskt")
            )

        closest = min(earlier, key=lambda p: (dist(p), -p.year))
        if closest.year != prev.year:
            w.use_portfolio(closest)
            text += f" Profilen liknar mest portföljen {closest.year}."
    return text


def _earlier_portfolios(w: _Writer) -> list[PortfolioResult]:
    out: list[PortfolioResult] = []
    for y in [y for y in w.dataset.years() if y < w.year][-2:]:
        try:
            portfolio = compute_year(w.dataset, y).portfolio
        except NoDataForYearError:
            continue
        if portfolio.count and portfolio.average.get("innovation_effektivitet") is not None:
            out.append(portfolio)
    return out


def _split_movement(w: _Writer) -> str:
    earlier = [p for p in _earlier_portfolios(w) if p.extern_intern]
    if not earlier:
        return ""
    prev = earlier[-1]
    w.use_portfolio(prev)
    e, i = float(prev.extern_intern.get("extern", 0)), float(prev.extern_intern.get("intern", 0))
    return (
        f"Föregående år ({prev.year}) var fördelningen {fmt_percent(e)} extern och "
        f"{fmt_percent(i)} intern nytta."
    )


_KIND_NAMES = {
    "kvalitativ": "kvalitativ nytta",
    "omställning": "omställningsnytta",
    "ekonomisk": "ekonomisk nytta",
}


def _write_nytta(w: _Writer) -> None:
    nytta, real = w.fig("nytta"), w.fig("nyttorealisering")
    assert nytta is not None and real is not None
    w.p(
        f"Vår indikator för nytta {w.year} är {nytta.display}.{w.cite(nytta)}",
        _change_sentence(w, "nytta", "en nyttoindikator"),
        f"Uppföljningen av nyttoregistret visar att vi uppnått den estimerade nyttan till "
        f"{real.display}, räknat över {real.n} indikatorer.{w.cite(real)}",
    )
    kinds = [(k, f) for k, f in w.report.nytta_by_kind.items() if f.value is not None]
    if kinds:
        named = [(_KIND_NAMES.get(k, f"{k} nytta"), f) for k, f in kinds]
        parts = [f"{name} {f.display}{w.cite(f)}" for name, f in named]
        extremes = extremes_phrase(named)
        w.p(
            f"Per nyttotyp är måluppfyllelsen {join_sv(parts)}.",
            f"Måluppfyllelsen är {extremes}." if extremes else "",
        )
    w.chart("index_trend")
    trend = _trend(w, "nytta", "nyttoindikatorn")
    if trend:
        w.h("Utveckling över tid")
        w.p(trend)
    w.methodology(
        "Nyttorealiseringen mäts i nyttoregistret, där ett urval av initiativ har indikatorer "
        "med förväntat och uppmätt utfall.",
        "Nyttorna kan vara kvalitativa (till exempel kortare väntetider), omställningsnyttor "
        "(frigjord arbetstid) eller ekonomiska.",
        "För varje indikator jämförs uppmätt förändring med förväntad, och indikatorn för nytta "
        "är medelvärdet av måluppfyllelsen, omräknat till tiogradig skala.",
    )


CHAPTERS: dict[str, ChapterSpec] = {
    s.key: s
    for s in (
        ChapterSpec(
            "index",
            "Årets resultat",
            ("index", "forutsattningar", "resultat", "nytta"),
            ("index_trend",),
            (PassageQuery("digitaliseringsindex förutsättningar resultat nytta komponenter", "4"),),
            _write_index,
        ),
        ChapterSpec(
            "mognad",
            "Digital mognad",
            ("digital_mognad",),
            ("dimios",),
            (
                PassageQuery("DiMiOS mätningen självskattning påståenden områden", "5.4"),
                PassageQuery("metodik för utvärdering av förutsättningar", "5.3"),
            ),
            _write_mognad,
        ),
        ChapterSpec(
            "medarbetare",
            "Medarbetare",
            ("medarbetare_medel", "medarbetare"),
            ("medarbetare",),
            (
                PassageQuery(
                    "medarbetarundersökning effektiva digitala stöd arbetsuppgifter", "5.2"
                ),
                PassageQuery("metodik för utvärdering av förutsättningar", "5.3"),
            ),
            _write_medarbetare,
        ),
        ChapterSpec(
            "resultat",
            "Resultatsammanställning",
            ("resultat", "genomforandegrad"),
            ("index_trend",),
            (PassageQuery("metodik för utvärdering av resultat genomförandekapacitet", "6.4"),),
            _write_resultat,
        ),
        ChapterSpec(
            "portfolj",
            "Portföljen",
            ("antal_initiativ",),
            ("portfolj_bubblor", "portfolj_medel", "extern_intern", "objekt"),
            (
                PassageQuery(
                    "kategorier för digitaliseringsportföljen innovation effektivitet", "6.4.1"
                ),
            ),
            _write_portfolj,
        ),
        ChapterSpec(
            "nytta",
            "Nytta",
            ("nytta", "nyttorealisering"),
            ("index_trend",),
            (PassageQuery("metodik för utvärdering av nytta nyttoregister", "7.2"),),
            _write_nytta,
        ),
    )
}


def chapter_list() -> list[dict[str, str]]:
    """``[{"key", "title"}]`` for every chapter (the ``GET /api/drafts/chapters`` response)."""
    return [{"key": s.key, "title": s.title} for s in CHAPTERS.values()]


def _available_years(dataset: Dataset, spec: ChapterSpec) -> list[int]:
    years: set[int] | None = None
    for key in spec.required:
        have = {f.year for f in figure_series(dataset, key) if f.value is not None}
        years = have if years is None else years & have
    return sorted(years or set())


#: Concepts of the index model a chapter must use by name (besides the figure labels).
MODEL_TERMS: tuple[str, ...] = (
    "digitaliseringsindex",
    "digitaliseringsinitiativ",
    "digitaliseringsrapport",
    "nyttoregistret",
    "nyttoindikator",
    "nyttotyp",
    "omställningsnytta",
    "måluppfyllelse",
    "kvalitativ",
    "ekonomisk",
    "indikator",
    "självskattning",
    "medarbetarenkät",
    "svarsfrekvens",
    "mottagare",
    "dimension",
    "effektivitet",
    "effektivisering",
    "innovation",
    "operativt",
    "strategiskt",
    "initiativ",
    "portföljen",
    "digital",
    "digitala",
)


def fixed_terms(dataset: Dataset) -> tuple[str, ...]:
    """The terms and names a chapter cannot replace (for the klarspråk check).

    The model's concepts, the figure labels, the objekt, DiMiOS dimensions and areas and the
    verksamheter.
    """
    from index_engine.model import AREAS, DIMENSIONS, FIGURE_SPECS

    names: list[str] = [*MODEL_TERMS, *(s.label for s in FIGURE_SPECS.values())]
    names += [*dataset.objekt, *AREAS, *DIMENSIONS]
    for frame in (dataset.dimios, dataset.employee):
        if "verksamhet" in frame.columns:
            names += sorted({str(v) for v in frame["verksamhet"].dropna()})
    return tuple(dict.fromkeys(names))


def draft_chapter(
    dataset: Dataset,
    chapter: str,
    year: int,
    retriever: Any | None = None,
    chat_model: ChatModel | None = None,
) -> Draft:
    """Draft one chapter of the report for ``year``.

    Args:
        dataset: The validated tables.
        chapter: A key of ``CHAPTERS`` (``index``, ``mognad``, ``medarbetare``, ``resultat``,
            ``portfolj``, ``nytta``).
        year: The report year.
        retriever: Optional hybrid retriever; cites the report's methodology passages.
        chat_model: Optional language model; may rewrite the paragraphs (numbers checked).

    Returns:
        The draft (Markdown via ``Draft.markdown``, Word via ``draft_to_docx``).

    Raises:
        UnknownChapterError: The chapter key is unknown (the error lists the valid ones).
        NoDataForYearError: The year has no data at all.
        DraftDataMissingError: The year lacks figures the chapter needs (named in the error).
    """
    spec = CHAPTERS.get(str(chapter).strip().lower())
    if spec is None:
        raise UnknownChapterError(str(chapter), {k: s.title for k, s in CHAPTERS.items()})
    report = compute_year(dataset, year)
    missing = [
        k for k in spec.required if report.figures.get(k) is None or report.figures[k].value is None
    ]
    if missing:
        from index_engine.model import FIGURE_SPECS

        labels = [FIGURE_SPECS[k].label if k in FIGURE_SPECS else k for k in missing]
        raise DraftDataMissingError(
            f"Kapitlet ”{spec.title}”", year, labels, _available_years(dataset, spec)
        )
    writer = _Writer(dataset, spec, report, retriever)
    spec.write(writer)
    if retriever is None:
        writer.warnings.append(
            "Ingen rapport är inläst för sökning: utkastet hänvisar inte till rapportens avsnitt."
        )
    charts = []
    placed = [b.chart for b in writer.blocks if b.kind == "chart" and b.chart]
    for number, name in enumerate(dict.fromkeys(placed), start=1):
        caption = chart_caption(dataset, name, year)
        charts.append(DraftChart(name, number, caption, year, dataset))
    draft = Draft(
        chapter=spec.key,
        year=year,
        title=spec.title,
        blocks=tuple(writer.blocks),
        notes=tuple(writer.notes),
        figures=tuple(writer.figures),
        sources=tuple({k: v for k, v in s.items() if k != "_key"} for s in writer.sources),
        charts=tuple(charts),
        warnings=tuple(writer.warnings),
        fixed_terms=fixed_terms(dataset),
    )
    if chat_model is not None:
        draft = rewrite_with_model(draft, chat_model)
    return draft


# ---------------------------------------------------------------------------------------------
# The model rewrite and its checks.

REWRITE_SYSTEM = (
    "Du är redaktör för en svensk kommuns årliga digitaliseringsrapport. Du får stycken ur ett "
    "kapitelutkast. Förbättra språkflödet i rapportens saklig-resonerande ton (vi-form), men:\n"
    "1. Behåll varje tal exakt som det står (samma siffror och decimaler, decimalkomma, samma "
    "enhet). Lägg inte till, ta inte bort och räkna inte om några tal, och skriv inte ut tal "
    "med bokstäver.\n"
    "2. Behåll varje fotnotsmarkering som [^1] oförändrad, i samma stycke.\n"
    "3. Svara med exakt lika många stycken som du fick, i samma ordning, åtskilda av en tom "
    "rad. Inga rubriker, inga punktlistor, inga kommentarer."
)


def _numbers(text: str) -> Counter[float]:
    return Counter(round(m.value, 6) for m in find_numbers(FOOTNOTE_RE.sub("", text)))


def check_rewrite(original: Sequence[str], rewritten: Sequence[str]) -> list[str]:
    """Problems with a rewrite of ``original`` paragraphs (empty = accepted).

    Each rewritten paragraph must keep exactly the numbers (as values, ``8,2`` = ``8.2``) and the
    footnote markers of its original; the whole text must pass the grounding check against the
    originals.
    """
    problems = []
    if len(original) != len(rewritten):
        return [f"antal stycken {len(rewritten)} i stället för {len(original)}"]
    for i, (before, after) in enumerate(zip(original, rewritten, strict=True), start=1):
        if sorted(FOOTNOTE_RE.findall(before)) != sorted(FOOTNOTE_RE.findall(after)):
            problems.append(f"stycke {i}: fotnoterna ändrades")
        lost = _numbers(before) - _numbers(after)
        added = _numbers(after) - _numbers(before)
        if lost or added:
            shown = [
                fmt_number(v, 2).rstrip("0").rstrip(",") for v in sorted((lost + added).keys())
            ]
            problems.append(f"stycke {i}: talen {', '.join(shown)} ändrades")
    grounding = check_grounding(
        "\n\n".join(FOOTNOTE_RE.sub("", t) for t in rewritten),
        [FOOTNOTE_RE.sub("", t) for t in original],
    )
    if not grounding.ok:
        problems.append(f"ogrundade tal: {', '.join(grounding.ungrounded)}")
    return problems


def rewrite_with_model(draft: Draft, chat_model: ChatModel) -> Draft:
    """Let the model improve the paragraphs' flow, keeping every number and footnote.

    The rewrite replaces the deterministic paragraphs only when ``check_rewrite`` finds nothing
    (then ``mode`` = ``llm``).

    Model failures never fail the draft: the deterministic draft comes back with a warning.
    """
    indices = [i for i, b in enumerate(draft.blocks) if b.kind == "paragraph"]
    originals = [draft.blocks[i].text for i in indices]
    if not originals:
        return draft
    messages = [
        {"role": "system", "content": REWRITE_SYSTEM},
        {"role": "user", "content": "\n\n".join(originals)},
    ]
    try:
        reply = chat_model.complete(messages)
    except AssistantError as exc:
        return replace(
            draft,
            warnings=(
                *draft.warnings,
                f"Språkmodellen kunde inte förbättra texten ({exc.message}); "
                "utkastet är den datagenererade texten.",
            ),
        )
    rewritten = [
        " ".join(p.split()) for p in re.split(r"\n\s*\n", reply.content.strip()) if p.strip()
    ]
    problems = check_rewrite(originals, rewritten)
    if problems:
        log.info("Model rewrite rejected: %s", "; ".join(problems))
        return replace(
            draft,
            warnings=(
                *draft.warnings,
                "Språkmodellens omskrivning avvisades eftersom den ändrade innehållet ("
                + "; ".join(problems[:3])
                + "); utkastet är den datagenererade texten.",
            ),
        )
    blocks = list(draft.blocks)
    for i, text in zip(indices, rewritten, strict=True):
        blocks[i] = replace(blocks[i], text=text)
    return replace(draft, blocks=tuple(blocks), mode="llm")


def draft_to_docx(draft: Draft) -> bytes:
    """The draft as a Word document (see :func:`assistant.docx_export.draft_to_docx`)."""
    from assistant.docx_export import draft_to_docx as to_docx

    return to_docx(draft)


def markdown_bundle(draft: Draft, out: Path) -> dict[Path, bytes]:
    """The files for a Markdown export at ``out``.

    The ``.md`` and one PNG per chart beside it (``<stem>-<chart>.png``), linked relatively.
    """
    files: dict[Path, bytes] = {}
    for chart in draft.charts:
        files[out.with_name(f"{out.stem}-{chart.name}.png")] = chart.png
    text = draft.to_markdown(lambda c: f"{out.stem}-{c.name}.png")
    files[out] = text.encode("utf-8")
    return files


__all__ = [
    "CHAPTERS",
    "CHARTS",
    "Block",
    "ChapterSpec",
    "Draft",
    "DraftChart",
    "check_rewrite",
    "chapter_list",
    "draft_chapter",
    "draft_to_docx",
    "markdown_bundle",
    "rewrite_with_model",
]
