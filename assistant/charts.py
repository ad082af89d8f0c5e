"""The report's charts, drawn with matplotlib (Agg) as PNG or SVG, one shared look.

``render_chart(dataset, name, year, fmt)`` draws one chart from the index engine's figures:

==================== =========================================================================
name                 chart
==================== =========================================================================
``index_trend``      digitaliseringsindex and its three components over the years (up to year)
``dimios``           digital mognad (DiMiOS) per dimension and area, with the previous year
``portfolj_bubblor`` the year's initiatives on innovation/effektivitet × operativt/strategiskt,
                     bubble size = number of initiatives at that point
``portfolj_medel``   the average initiative per year (up to three years), on the same axes
``extern_intern``    the split of external / internal (/ neutral) benefit per year
``objekt``           the number of initiatives per objekt (most first)
``medarbetare``      the employee survey: share positive / neutral / negative per year
``forandring_<key>`` a waterfall of what moved a figure from the year before: the base value,
                     each part's contribution (the engine's ``explain_change``), the new value;
                     ``<key>`` is ``index``, ``forutsattningar``, ``digital_mognad``,
                     ``medarbetare``, ``resultat``, ``genomforandegrad``, ``nytta`` or
                     ``nyttorealisering``
==================== =========================================================================

Shared look: the Okabe–Ito colour-blind-safe palette, one font size table, Swedish labels and
decimal commas on the axes (via ``index_engine.formatting.fmt_number``). Output is deterministic:
SVG with a fixed ``svg.hashsalt`` and no date, PNG without a timestamp.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import matplotlib
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from assistant.errors import DraftDataMissingError, InvalidInputError, UnknownChartError
from index_engine import Contribution, compute_year, explain_change, figure_series
from index_engine.errors import NoDataForYearError
from index_engine.formatting import fmt_change, fmt_number
from index_engine.loaders import Dataset
from index_engine.model import AREA_DIMENSION, FIGURE_SPECS

ChartFormat = Literal["png", "svg"]

#: Okabe & Ito (2008), readable for the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
    "black": "#000000",
}
SERIES_COLORS = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple")]
DIMENSION_COLORS = {"Digital förmåga": PALETTE["blue"], "Digitalt arv": PALETTE["orange"]}

STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#444444",
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "digirapport",
    "svg.fonttype": "path",
    "path.simplify": True,
}
FIGSIZE = (8.0, 4.8)
_RENDER_LOCK = threading.Lock()


def _missing(name: str, year: int, what: str) -> DraftDataMissingError:
    return DraftDataMissingError(f"Diagrammet {name!r}", year, [what], action="ritas")


@dataclass(frozen=True)
class ChartSpec:
    """A chart: its title (Swedish) and the function that draws it."""

    name: str
    title: str
    draw: Callable[[Dataset, int, Axes], str]  # returns the caption


def text_color(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""
    r, g, b = (int(background.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#FFFFFF" if on_white >= on_black else "#000000"


def decimal_comma(value: float, _pos: object = None) -> str:
    """Tick label with Swedish decimal comma: whole numbers without decimals, else one."""
    if abs(value - round(value)) < 1e-9:
        return fmt_number(value, 0)
    return fmt_number(value, 1)


def _comma_axes(ax: Axes, *, x: bool = False, y: bool = True) -> None:
    if y:
        ax.yaxis.set_major_formatter(FuncFormatter(decimal_comma))
    if x:
        ax.xaxis.set_major_formatter(FuncFormatter(decimal_comma))


def _years_upto(dataset: Dataset, year: int, limit: int | None = None) -> list[int]:
    years = [y for y in dataset.years() if y <= year]
    return years[-limit:] if limit else years


def _draw_index_trend(dataset: Dataset, year: int, ax: Axes) -> str:
    keys = [
        ("index", "Digitaliseringsindex", PALETTE["black"], "o", 2.6),
        ("forutsattningar", "Förutsättningar", PALETTE["blue"], "s", 1.8),
        ("resultat", "Resultat", PALETTE["orange"], "^", 1.8),
        ("nytta", "Nytta", PALETTE["green"], "D", 1.8),
    ]
    plotted = 0
    all_years: set[int] = set()
    for key, label, color, marker, width in keys:
        series = [f for f in figure_series(dataset, key) if f.year <= year and f.value is not None]
        if not series:
            continue
        xs = [f.year for f in series]
        ys = [float(f.value) for f in series if f.value is not None]
        all_years.update(xs)
        ax.plot(xs, ys, label=label, color=color, marker=marker, linewidth=width, markersize=7)
        for f in series if key == "index" else series[-1:]:
            ax.annotate(
                f.display,
                (f.year, float(f.value or 0)),
                textcoords="offset points",
                xytext=(0, -17) if key == "index" else (10, -3),
                ha="center" if key == "index" else "left",
                fontsize=10,
                fontweight="bold" if key == "index" else "normal",
                color="#222222",
            )
        plotted += 1
    if not plotted:
        raise _missing("index_trend", year, "indexvärden")
    ax.set_ylim(0, 10.5)
    ax.set_xticks(sorted(all_years))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(round(v)))))
    ax.set_xlim(min(all_years) - 0.5, max(all_years) + 0.7)
    _comma_axes(ax)
    ax.set_ylabel("Värde (skala 0–10)")
    ax.set_xlabel("År")
    ax.legend(loc="lower left", ncols=2)
    years = sorted(all_years)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return f"Digitaliseringsindex och dess tre komponenter, {span}."


def _draw_dimios(dataset: Dataset, year: int, ax: Axes) -> str:
    report = compute_year(dataset, year)
    by_dim = report.dimios.by_dimension
    by_area = report.dimios.by_area
    if not by_dim and not by_area:
        raise _missing("dimios", year, "DiMiOS-svar")
    prev = None
    earlier = [y for y in dataset.years() if y < year]
    for y in reversed(earlier):
        try:
            candidate = compute_year(dataset, y)
        except NoDataForYearError:
            continue
        if candidate.dimios.by_dimension or candidate.dimios.by_area:
            prev = candidate
            break
    rows: list[tuple[str, Any, str, Any]] = []  # label, figure, color, previous figure
    total = report.figures.get("digital_mognad")
    if total is not None:
        prev_total = prev.figures.get("digital_mognad") if prev else None
        rows.append(("Digital mognad totalt", total, PALETTE["grey"], prev_total))
    for dim_name, fig in by_dim.items():
        color = DIMENSION_COLORS.get(dim_name, PALETTE["purple"])
        prev_fig = prev.dimios.by_dimension.get(dim_name) if prev else None
        rows.append((dim_name, fig, color, prev_fig))
        areas = [(a, f) for a, f in by_area.items() if AREA_DIMENSION.get(a) == dim_name]
        for area_name, area_fig in areas:
            prev_area = prev.dimios.by_area.get(area_name) if prev else None
            rows.append((f"   {area_name}", area_fig, color, prev_area))
    listed = {id(r[1]) for r in rows}
    for area_name, area_fig in by_area.items():
        if id(area_fig) not in listed:
            prev_area = prev.dimios.by_area.get(area_name) if prev else None
            rows.append((area_name, area_fig, PALETTE["purple"], prev_area))
    rows = [r for r in rows if r[1].value is not None]
    positions = list(range(len(rows)))[::-1]
    values = [float(r[1].value) for r in rows]
    bars = ax.barh(positions, values, color=[r[2] for r in rows], height=0.6)
    for bar, row in zip(bars, rows, strict=True):
        ax.text(
            bar.get_width() - 1.5,
            bar.get_y() + bar.get_height() / 2,
            row[1].display,
            va="center",
            ha="right",
            fontsize=9,
            color=text_color(row[2]),
            fontweight="bold",
        )
    prev_points = [(p, float(r[3].value)) for p, r in zip(positions, rows, strict=True) if r[3]]
    handles: list[Artist] = [
        Patch(color=color, label=dim) for dim, color in DIMENSION_COLORS.items() if dim in by_dim
    ]
    if prev_points and prev is not None:
        ax.scatter(
            [v for _p, v in prev_points],
            [p for p, _v in prev_points],
            marker="|",
            s=260,
            linewidths=2.5,
            color=PALETTE["black"],
            zorder=3,
        )
        handles.append(
            Line2D(
                [],
                [],
                color=PALETTE["black"],
                marker="|",
                linestyle="",
                markersize=14,
                markeredgewidth=2.5,
                label=f"{prev.year}",
            )
        )
    if handles:
        ax.legend(handles=handles, loc="lower right", framealpha=0.9, frameon=True)
    ax.set_yticks(positions)
    ax.set_yticklabels([r[0].strip() for r in rows])
    for label, row in zip(ax.get_yticklabels(), rows, strict=True):
        if not row[0].startswith(" "):
            label.set_fontweight("bold")
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    _comma_axes(ax, x=True, y=False)
    ax.set_xlabel("Procent av maximal mognad")
    compare = f" Streck = {prev.year}." if prev_points and prev is not None else ""
    return f"Digital mognad (DiMiOS) {year} per dimension och område.{compare}"


def _axes_1_5(ax: Axes) -> None:
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    _comma_axes(ax, x=True, y=True)
    ax.axhline(3, color="#999999", linewidth=1, zorder=1)
    ax.axvline(3, color="#999999", linewidth=1, zorder=1)
    ax.set_xlabel("Effektivitet  ←  →  Innovation")
    ax.set_ylabel("Operativt  ←  →  Strategiskt")
    ax.set_aspect("equal", adjustable="box")


def _draw_bubbles(dataset: Dataset, year: int, ax: Axes) -> str:
    portfolio = compute_year(dataset, year).portfolio
    grid = [g for g in portfolio.grid if int(g.get("count", 0)) > 0]
    if not grid:
        raise _missing("portfolj_bubblor", year, "initiativ med axelvärden")
    xs = [float(g["innovation_effektivitet"]) for g in grid]
    ys = [float(g["operativt_strategiskt"]) for g in grid]
    counts = [int(g["count"]) for g in grid]
    biggest = max(counts)
    sizes = [max(60.0, 2400 * c / biggest) for c in counts]  # area proportional to count
    ax.scatter(
        xs, ys, s=sizes, color=PALETTE["sky"], edgecolors=PALETTE["blue"], alpha=0.8, zorder=2
    )
    for x, y, c in zip(xs, ys, counts, strict=True):
        ax.text(x, y, str(c), ha="center", va="center", fontsize=10, fontweight="bold", zorder=3)
    _axes_1_5(ax)
    ax.grid(False)
    return (
        f"Digitaliseringsinitiativen {year} ({portfolio.count} st) på axlarna "
        "innovation/effektivitet och operativt/strategiskt. "
        "Bubblans storlek speglar antal initiativ."
    )


def _draw_average(dataset: Dataset, year: int, ax: Axes) -> str:
    points = []
    for y in _years_upto(dataset, year):
        try:
            portfolio = compute_year(dataset, y).portfolio
        except NoDataForYearError:
            continue
        avg = portfolio.average
        if portfolio.count and avg.get("innovation_effektivitet") is not None:
            points.append(
                (y, float(avg["innovation_effektivitet"]), float(avg["operativt_strategiskt"]))
            )
    points = points[-3:]
    if not points:
        raise _missing("portfolj_medel", year, "initiativ med axelvärden")
    taken: list[tuple[float, float]] = [(p[1], p[2]) for p in points]
    for i, (y, x, v) in enumerate(points):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        ax.scatter(
            [x],
            [v],
            s=260,
            color=color,
            edgecolors=PALETTE["black"],
            zorder=3,
            label=f"{y} ({fmt_number(x)}; {fmt_number(v)})",
        )
        # The year beside its point, where it is farthest from the other points and labels
        # (about 55 points per scale step on this figure).
        candidates = [(14, 12), (14, -16), (-14, 12), (-14, -16), (0, 22), (0, -26)]

        def clearance(off: tuple[int, int], x: float = x, v: float = v) -> float:
            cx, cy = (
                x + off[0] / 55 + (0.3 if off[0] > 0 else -0.3 if off[0] < 0 else 0),
                v + off[1] / 55,
            )
            return min(
                ((cx - a) ** 2 + (cy - b) ** 2 for a, b in taken if (a, b) != (x, v)), default=9.0
            )

        dx, dy = max(candidates, key=clearance)
        taken.append((x + dx / 55, v + dy / 55))
        ax.annotate(
            str(y),
            (x, v),
            textcoords="offset points",
            xytext=(dx, dy),
            ha="left" if dx > 0 else "right" if dx < 0 else "center",
            va="center",
            fontsize=10,
            fontweight="bold",
            zorder=5,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    if len(points) > 1:
        ax.plot(
            [p[1] for p in points], [p[2] for p in points], color="#999999", linewidth=1, zorder=2
        )
    _axes_1_5(ax)
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(1.02, 1.0),
        title="År (x; y)",
        title_fontsize=9,
        alignment="left",
    )
    years = ", ".join(str(p[0]) for p in points)
    return f"Ett genomsnittligt initiativ i portföljen respektive år: {years}."


def _share_bars(
    ax: Axes,
    years: Sequence[int],
    segments: Sequence[tuple[str, str, list[float], list[str]]],
    xlabel: str,
    *,
    bold_labels: bool = False,
) -> None:
    """Horizontal 100 % bars, one per year (newest at the bottom), stacked by segment.

    Each segment is ``(legend label, colour, widths in percent per year, text per year)``; a text
    is written inside its piece when the piece is at least 6 % wide.
    """
    positions = list(range(len(years)))[::-1]
    left = [0.0] * len(years)
    for label, color, widths, texts in segments:
        bars = ax.barh(positions, widths, left=left, color=color, height=0.55, label=label)
        for bar, width, text in zip(bars, widths, texts, strict=True):
            if width >= 6:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    text,
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=text_color(color),
                    fontweight="bold" if bold_labels else "normal",
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(positions)
    ax.set_yticklabels([str(y) for y in years])
    ax.set_xlim(0, 100)
    ax.grid(axis="y", visible=False)
    _comma_axes(ax, x=True, y=False)
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=3)


def _draw_extern_intern(dataset: Dataset, year: int, ax: Axes) -> str:
    rows = []
    for y in _years_upto(dataset, year):
        try:
            portfolio = compute_year(dataset, y).portfolio
        except NoDataForYearError:
            continue
        split = portfolio.extern_intern or {}
        if not portfolio.count or not split:
            continue
        rows.append((y, {k: float(v) for k, v in split.items()}))  # percent, 0-100
    rows = rows[-3:]
    if not rows or rows[-1][0] != year:
        raise _missing("extern_intern", year, "initiativ med nyttoinriktning")
    parts = [
        ("extern", "Extern nytta", PALETTE["blue"]),
        ("neutral", "Både och", "#BBBBBB"),
        ("intern", "Intern nytta", PALETTE["orange"]),
    ]
    segments = []
    for key, label, color in parts:
        widths = [r[1].get(key, 0.0) for r in rows]
        if any(widths):
            segments.append((label, color, widths, [f"{fmt_number(w, 0)} %" for w in widths]))
    years = [r[0] for r in rows]
    _share_bars(ax, years, segments, "Andel av initiativen (%)", bold_labels=True)
    return f"Fördelning mellan extern och intern nytta i portföljen, {', '.join(map(str, years))}."


def _draw_objekt(dataset: Dataset, year: int, ax: Axes) -> str:
    portfolio = compute_year(dataset, year).portfolio
    items = sorted(
        ((k, int(v)) for k, v in portfolio.per_objekt.items() if int(v) > 0),
        key=lambda kv: (-kv[1], kv[0]),
    )
    if not items:
        raise _missing("objekt", year, "initiativ per objekt")
    positions = list(range(len(items)))[::-1]
    bars = ax.barh(positions, [v for _k, v in items], color=PALETTE["blue"], height=0.6)
    for bar, (_k, v) in zip(bars, items, strict=True):
        ax.text(
            bar.get_width() + 0.2,
            bar.get_y() + bar.get_height() / 2,
            str(v),
            va="center",
            fontsize=10,
        )
    ax.set_yticks(positions)
    ax.set_yticklabels([k for k, _v in items])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _comma_axes(ax, x=True, y=False)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Antal initiativ")
    return f"Antal digitaliseringsinitiativ per objekt {year}."


def _draw_medarbetare(dataset: Dataset, year: int, ax: Axes) -> str:
    rows = []
    for y in _years_upto(dataset, year):
        try:
            report = compute_year(dataset, y)
        except NoDataForYearError:
            continue
        figs = report.figures
        keys = ("medarbetare_positiva", "medarbetare_neutrala", "medarbetare_negativa")
        if all(k in figs and figs[k].value is not None for k in keys):
            rows.append((y, [figs[k] for k in keys]))
    rows = rows[-3:]
    if not rows or rows[-1][0] != year:
        raise _missing("medarbetare", year, "svar i medarbetarenkäten")
    labels = [
        ("Positiva (4–5)", PALETTE["green"]),
        ("Neutrala (3)", "#BBBBBB"),
        ("Negativa (1–2)", PALETTE["vermillion"]),
    ]
    segments = [
        (
            label,
            color,
            [float(r[1][i].value or 0.0) for r in rows],
            [r[1][i].display for r in rows],
        )
        for i, (label, color) in enumerate(labels)
    ]
    years = [r[0] for r in rows]
    _share_bars(ax, years, segments, "Andel av svaren (%)")
    return (
        "Medarbetarenkäten: ”Jag har effektiva digitala stöd för mina arbetsuppgifter”, "
        f"andel positiva, neutrala och negativa svar, {', '.join(map(str, years))}."
    )


#: The figures with a waterfall chart (``forandring_<key>``).
WATERFALL_FIGURES: tuple[str, ...] = (
    "index",
    "forutsattningar",
    "digital_mognad",
    "medarbetare",
    "resultat",
    "genomforandegrad",
    "nytta",
    "nyttorealisering",
)
#: At most this many bars of parts; the smallest of the rest are summed into "Övriga".
WATERFALL_BARS = 7


def _waterfall_parts(parts: tuple[Contribution, ...], unit: str) -> list[tuple[str, float, str]]:
    """(label, contribution, shown) for the bars: one level down, or two when one part only."""
    while len(parts) == 1 and parts[0].children:
        parts = parts[0].children
    ordered = sorted(parts, key=lambda c: -abs(c.contribution))
    bars = [(c.label, c.contribution, c.contribution_display) for c in ordered]
    if len(bars) > WATERFALL_BARS:
        rest = bars[WATERFALL_BARS - 1 :]
        total = sum(b[1] for b in rest)
        shown = fmt_change(total, unit, 2 if unit == "index10" else 1)
        bars = [*bars[: WATERFALL_BARS - 1], (f"Övriga ({len(rest)})", total, shown)]
    return bars


def waterfall_drawer(key: str) -> Callable[[Dataset, int, Axes], str]:
    """The drawing function of the waterfall chart of ``key``."""

    def draw(dataset: Dataset, year: int, ax: Axes) -> str:
        try:
            e = explain_change(dataset, key, year)
        except NoDataForYearError as exc:
            what = str(exc.data.get("what", "data"))
            if exc.year != year:
                what = f"{what} för jämförelseåret {exc.year}"
            raise _missing(f"forandring_{key}", year, what) from None
        bars = _waterfall_parts(e.contributions, e.unit)
        labels = [str(e.base_year), *(b[0] for b in bars), str(e.year)]
        running = e.base_value
        bottoms, heights, colors, texts = [0.0], [e.base_value], ["#BBBBBB"], [e.base_display]
        for _label, amount, shown in bars:
            bottoms.append(running if amount >= 0 else running + amount)
            heights.append(abs(amount))
            colors.append(PALETTE["green"] if amount >= 0 else PALETTE["vermillion"])
            texts.append(shown.replace(" procentenheter", ""))
            running += amount
        bottoms.append(0.0)
        heights.append(e.value)
        colors.append(PALETTE["blue"])
        texts.append(e.display)
        tops = [b + h for b, h in zip(bottoms, heights, strict=True)]
        low = min(min(e.base_value, e.value), *(b for b in bottoms[1:-1]))
        high = max(tops)
        pad = max((high - low) * 0.35, abs(e.value) * 0.002, 1e-3)
        floor = low - pad
        positions = list(range(len(labels)))
        # the two end bars stand on the axis floor, so the small parts between stay visible
        bottoms[0] = bottoms[-1] = floor
        heights[0], heights[-1] = e.base_value - floor, e.value - floor
        ax.bar(positions, heights, bottom=bottoms, color=colors, width=0.62, edgecolor="#444444")
        for x, top, text in zip(positions, tops, texts, strict=True):
            ax.text(x, top + pad * 0.08, text, ha="center", va="bottom", fontsize=9)
        ax.set_ylim(floor, high + pad)
        ax.set_xticks(positions)
        ax.set_xticklabels(labels, rotation=25 if len(labels) > 5 else 0, ha="right")
        ax.grid(axis="x", visible=False)
        digits = 2 if high + pad - floor < 1 else 1
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_number(v, digits)))
        ax.set_ylabel(e.label + (" (%)" if e.unit == "percent" else ""))
        up, down = e.largest_up, e.largest_down
        lead = f"{e.label}: {e.base_display} {e.base_year} till {e.display} {e.year}"
        names = []
        if up is not None:
            names.append(f"mest uppåt {up.label} ({up.contribution_display})")
        if down is not None:
            names.append(f"mest nedåt {down.label} ({down.contribution_display})")
        return f"{lead}, förändring {e.change_display}" + (
            f"; {', '.join(names)}." if names else "."
        )

    return draw


CHARTS: dict[str, ChartSpec] = {
    "index_trend": ChartSpec("index_trend", "Digitaliseringsindex över tid", _draw_index_trend),
    "dimios": ChartSpec("dimios", "Digital mognad per dimension och område", _draw_dimios),
    "portfolj_bubblor": ChartSpec("portfolj_bubblor", "Portföljens fördelning", _draw_bubbles),
    "portfolj_medel": ChartSpec("portfolj_medel", "Genomsnittligt initiativ per år", _draw_average),
    "extern_intern": ChartSpec("extern_intern", "Extern och intern nytta", _draw_extern_intern),
    "objekt": ChartSpec("objekt", "Initiativ per objekt", _draw_objekt),
    "medarbetare": ChartSpec("medarbetare", "Digitala stöd i arbetet", _draw_medarbetare),
    **{
        f"forandring_{key}": ChartSpec(
            f"forandring_{key}",
            f"Vad drev förändringen: {FIGURE_SPECS[key].label}",
            waterfall_drawer(key),
        )
        for key in WATERFALL_FIGURES
    },
}


@dataclass(frozen=True)
class RenderedChart:
    """A drawn chart: its bytes, media type and caption."""

    name: str
    year: int
    fmt: ChartFormat
    data: bytes
    caption: str

    @property
    def media_type(self) -> str:
        """``image/png`` or ``image/svg+xml``."""
        return "image/png" if self.fmt == "png" else "image/svg+xml"


def draw_chart(dataset: Dataset, name: str, year: int, fmt: ChartFormat = "svg") -> RenderedChart:
    """Draw one chart and return it with its caption.

    Args:
        dataset: The validated tables.
        name: One of ``CHARTS``.
        year: The report year (the last year shown for charts over time).
        fmt: ``png`` or ``svg``.

    Raises:
        UnknownChartError: The name is not in ``CHARTS`` (or the format is unknown).
        NoDataForYearError: The year has no data at all.
        DraftDataMissingError: The year has data, but not what this chart draws.
    """
    if fmt not in ("png", "svg"):
        raise InvalidInputError(
            f"Okänt bildformat {fmt!r}. Giltiga format: png, svg.", field="format", value=fmt
        )
    data, caption = _draw(dataset, name, year, fmt)
    return RenderedChart(name=name, year=year, fmt=fmt, data=data, caption=caption)


def chart_caption(dataset: Dataset, name: str, year: int) -> str:
    """The chart's caption, checking that it can be drawn, without rendering an image.

    Raises the same errors as :func:`draw_chart`.
    """
    return _draw(dataset, name, year, None)[1]


def _draw(dataset: Dataset, name: str, year: int, fmt: ChartFormat | None) -> tuple[bytes, str]:
    spec = CHARTS.get(name)
    if spec is None:
        raise UnknownChartError(name, list(CHARTS))
    # No pyplot (not thread-safe); rcParams are global, so one chart at a time.
    with _RENDER_LOCK, matplotlib.rc_context(cast(Any, STYLE)):
        fig = MplFigure(figsize=FIGSIZE)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot(1, 1, 1)
        caption = spec.draw(dataset, year, ax)
        if fmt is None:
            return b"", caption
        ax.set_title(spec.title if name == "index_trend" else f"{spec.title} {year}")
        fig.tight_layout()
        buffer = io.BytesIO()
        if fmt == "svg":
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue(), caption


def render_chart(dataset: Dataset, name: str, year: int, fmt: ChartFormat = "svg") -> bytes:
    """The chart's image bytes (PNG or SVG); see :func:`draw_chart` for the errors."""
    return draw_chart(dataset, name, year, fmt).data
