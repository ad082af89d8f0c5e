"""Which rendering of a table retrieves best: rows with their headers, a pipe table, bare rows.

A Word appendix is built from the sample data: four tables (benefit indicators of 2024, the
employee survey per verksamhet and year, initiatives per objekt and year, DiMiOS recipients per
year), each under its own numbered heading after one line of introduction. It is ingested beside
the bundled report into a fresh embedded store, and 51 questions that each ask for one cell
(``Vilket uppmätt värde fick indikatorn ... för ...?``) are searched; a hit counts when it is
from the appendix, in the table's section and holds the cell's value. The rendering under test
replaces ``ingest.parsers.table_lines`` (what the parser writes as a table block's text):

* ``records`` (the parser's own): one line per row, ``Header: value; Header: value``
* ``pipe``: a Markdown pipe table, header row and separator first
* ``rows``: the header row and then each row as ``value | value`` (the old Word output)

    python scripts/bench_tables.py [records pipe rows]
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the checkout's packages, also when another copy is installed
SAMPLE = ROOT / "data" / "sample"
REPORT = ROOT / "data" / "corpus" / "nacka-digitaliseringsrapport-2025.txt"
Rows = list[list[str]]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",") if value == value else ""
    return str(value)


def tables() -> tuple[dict[str, tuple[str, Rows]], list[tuple[str, str, str]]]:
    """The appendix tables (title -> intro, rows) and the questions (question, section, value)."""
    benefits = pd.read_csv(SAMPLE / "nyttoregister.csv", sep=";", decimal=",")
    initiatives = pd.read_csv(SAMPLE / "initiativ.csv", sep=";")
    titles = dict(zip(initiatives.id, initiatives.title, strict=True))
    benefits = benefits[benefits.year == 2024].head(14)
    survey = pd.read_csv(SAMPLE / "medarbetarenkat.csv", sep=";")
    means = survey.groupby(["year", "verksamhet"]).score.mean().unstack(0).round(2)
    counts = initiatives.groupby(["objekt", "year"]).size().unstack(1).fillna(0).astype(int)
    recipients = pd.read_csv(SAMPLE / "dimios_mottagare.csv", sep=";")
    out = {
        "Nyttoindikatorer för 2024 års initiativ": (
            "Tabellen visar varje nyttoindikator med utgångsläge, förväntat och uppmätt värde.",
            [["Initiativ", "Nyttotyp", "Indikator", "Enhet", "Utgångsläge", "Förväntat", "Uppmätt"]]
            + [
                [titles.get(r.initiative_id, r.initiative_id), r.kind, r.indicator, r.unit]
                + [_fmt(r.baseline), _fmt(r.expected), _fmt(r.measured)]
                for r in benefits.itertuples()
            ],
        ),
        "Medarbetarenkäten per verksamhet": (
            "Medelvärdet på frågan om digitala verktyg, skala 1–5, per verksamhet och år.",
            [["Verksamhet", *map(str, means.columns)]]
            + [[v, *(_fmt(float(x)) for x in row)] for v, row in means.iterrows()],
        ),
        "Antal initiativ per objekt": (
            "Antal digitaliseringsinitiativ per förvaltningsobjekt och år.",
            [["Objekt", *map(str, counts.columns)]]
            + [[o, *map(str, row)] for o, row in counts.iterrows()],
        ),
        "Mottagare av DiMiOS-enkäten": (
            "Hur många chefer som fick enkäten om digital mognad varje år.",
            [["År", "Mottagare"]]
            + [[str(r.year), str(r.recipients)] for r in recipients.itertuples()],
        ),
    }
    questions: list[tuple[str, str, str]] = []
    for r in benefits.itertuples():
        name, indicator = titles.get(r.initiative_id, r.initiative_id), r.indicator.lower()
        questions.append(
            (f"Vilket uppmätt värde fick indikatorn {indicator} för {name}?", "1", _fmt(r.measured))
        )
        questions.append(
            (f"Vad var det förväntade värdet för {indicator} i {name}?", "1", _fmt(r.expected))
        )
    for v, row in means.iterrows():
        questions.append(
            (f"Vilket medelvärde fick {v} i medarbetarenkäten 2024?", "2", _fmt(float(row[2024])))
        )
    for o, row in counts.iterrows():
        questions.append((f"Hur många initiativ hade objektet {o} år 2025?", "3", str(row[2025])))
    for r in recipients.itertuples():
        questions.append(
            (f"Hur många mottagare hade DiMiOS-enkäten {r.year}?", "4", str(r.recipients))
        )
    return out, questions


def write_appendix(path: Path, content: dict[str, tuple[str, Rows]]) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Bilaga: tabeller 2024", 0)
    for number, (title, (intro, rows)) in enumerate(content.items(), start=1):
        document.add_heading(f"{number} {title}", 1)
        document.add_paragraph(intro)
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
    document.save(str(path))


def _pipe(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    head = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    return head + ["| " + " | ".join(r) + " |" for r in rows[1:]]


def _bare(rows: tuple[tuple[str, ...], ...]) -> list[str]:
    return [" | ".join(c for c in r if c) for r in rows]


def run(variant: str) -> None:
    import ingest.parsers
    from web.services import Services
    from web.settings import Settings

    renderers: dict[str, Callable[..., list[str]]] = {
        "records": ingest.parsers.table_lines,
        "pipe": _pipe,
        "rows": _bare,
    }
    ingest.parsers.table_lines = renderers[variant]  # type: ignore[assignment]
    content, questions = tables()
    data = Path(tempfile.mkdtemp(prefix=f"bench-tables-{variant}-"))
    appendix = data / "bilaga-tabeller-2024.docx"
    write_appendix(appendix, content)
    services = Services(
        Settings(
            data_dir=data, llm_base_url=None, llm_api_key=None, chroma_url=None, database_url=None
        )
    )
    services.store.ingest_paths([REPORT, appendix])
    for mode in ("bm25", "dense", "hybrid"):
        r1 = r3 = mrr = 0.0
        for question, section, value in questions:
            hits = services.retriever.search(question, k=5, mode=mode)
            rank = next(
                (
                    i + 1
                    for i, h in enumerate(hits)
                    if h.source == appendix.name and h.section == section and value in h.text
                ),
                None,
            )
            r1 += rank == 1
            r3 += bool(rank and rank <= 3)
            mrr += 1 / rank if rank else 0.0
        n = len(questions)
        print(
            f"{variant:8s} {mode:7s} n={n} R@1={r1 / n:.3f} R@3={r3 / n:.3f} MRR={mrr / n:.3f}",
            flush=True,
        )
    ingest.parsers.table_lines = renderers["records"]  # type: ignore[assignment]


if __name__ == "__main__":
    for name in sys.argv[1:] or ["records", "pipe", "rows"]:
        run(name)
