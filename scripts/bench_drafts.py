"""Measure chapter drafts and charts on the bundled sample data: latency, sizes, counts.

Run: ``python scripts/bench_drafts.py [--year 2025] [--repeat 3]``. Prints measured numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from assistant.charts import CHARTS, render_chart
from assistant.docx_export import draft_to_docx
from assistant.drafts import CHAPTERS, draft_chapter
from index_engine import load_dataset

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ds = load_dataset(SAMPLE)
    print(f"year {args.year}, median of {args.repeat} runs")
    head = ("chapter", "draft s", "docx s", "words", "figures", "notes", "docx kB")
    print(f"{head[0]:<12} " + " ".join(f"{h:>8}" for h in head[1:]))
    for key in CHAPTERS:
        t_draft, draft = timed(lambda k=key: draft_chapter(ds, k, args.year), args.repeat)
        t_docx, data = timed(
            lambda d=draft: draft_to_docx(draft_chapter(ds, d.chapter, d.year)), args.repeat
        )
        words = len(draft.markdown.split("\n[^1]:")[0].split())  # type: ignore[attr-defined]
        print(
            f"{key:<12} {t_draft:8.3f} {t_docx:8.3f} {words:8d} {len(draft.figures):8d} "  # type: ignore[attr-defined]
            f"{len(draft.notes):8d} {len(data) / 1024:8.1f}"  # type: ignore[attr-defined, arg-type]
        )
    print(f"{'chart':<18} {'png s':>7} {'svg s':>7} {'png kB':>7} {'svg kB':>7}")
    for name in CHARTS:
        t_png, png = timed(lambda n=name: render_chart(ds, n, args.year, "png"), args.repeat)
        t_svg, svg = timed(lambda n=name: render_chart(ds, n, args.year, "svg"), args.repeat)
        print(f"{name:<18} {t_png:7.3f} {t_svg:7.3f} {len(png) / 1024:7.1f} {len(svg) / 1024:7.1f}")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
