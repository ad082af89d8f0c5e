"""CLI: ``ingest``, ``search``, ``documents``, ``delete`` and ``eval retrieval``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.models import DEFAULT_LEVEL, IngestSummary, SecurityLevel
from web.bundled import BUNDLED_LEVEL, PROJECT_ROOT
from web.cli._app import (
    DataOption,
    app,
    console,
    err_console,
    eval_app,
    friendly_errors,
    services_for,
)

if TYPE_CHECKING:
    from assistant.retrieval import Mode
    from ingest.store import Store

EVAL_FILE = PROJECT_ROOT / "data" / "eval" / "retrieval_questions.jsonl"
_STATUS_SV = {"added": "tillagd", "unchanged": "oförändrad", "replaced": "ersatt", "failed": "fel"}


def _default_paths(corpus_dir: Path, dataset_dir: Path) -> list[Path]:
    """The bundled report(s) and the initiative register of the dataset folder."""
    paths: list[Path] = [corpus_dir] if corpus_dir.exists() else []
    for suffix in (".csv", ".xlsx"):
        register = dataset_dir / f"initiativ{suffix}"
        if register.exists():
            paths.append(register)
            break
    return paths


def _ingest(
    store: Store, targets: list[Path], level: SecurityLevel, *, quiet: bool
) -> IngestSummary:
    """Ingest through the store, with a progress bar on the terminal (none when ``quiet``)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=quiet,
    ) as bar:
        task = bar.add_task("Läser in", total=None)

        def progress(result: object, done: int, total: int) -> None:
            bar.update(task, total=total, completed=done, description=f"Läser in ({done}/{total})")

        return store.ingest_paths(targets, progress=progress, level=level)


@app.command("ingest")
@friendly_errors
def ingest_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Filer eller mappar (.txt .md .pdf .docx, initiativ .csv/.xlsx)."),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            help="Säkerhetsnivå: öppen, intern eller känslig (standard: intern; den medföljande, "
            "publicerade rapporten: öppen). Bara den som är behörig för nivån får träffar i den.",
        ),
    ] = None,
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Sammanfattning som JSON.")] = False,
) -> None:
    """Läs in rapporter och initiativregister (utan sökväg: den medföljande rapporten)."""
    services = services_for(data)
    s = services.settings
    targets = list(paths) if paths else _default_paths(s.corpus_dir, s.dataset_dir)
    if level is not None:
        wanted = SecurityLevel.parse(level, field="--level")
    else:  # the bundled report is published; anything else is internal until said otherwise
        wanted = DEFAULT_LEVEL if paths else BUNDLED_LEVEL
    if not targets:
        err_console.print("Fel: inga filer att läsa in.")
        raise typer.Exit(code=1)
    missing = [p for p in targets if not p.exists()]
    for p in missing:
        err_console.print(f"Fel: {p} finns inte.", markup=False)
    targets = [p for p in targets if p.exists()]
    started = time.perf_counter()
    unchanged = services.unchanged_files(targets, wanted) if targets else None
    if unchanged is not None:
        summary = IngestSummary(files=unchanged)
    else:
        summary = _ingest(services.store, targets, wanted, quiet=as_json)
    elapsed = time.perf_counter() - started
    failed = summary.failed + len(missing)
    if as_json:
        out = summary.to_dict()
        out["failed"] = failed
        out["seconds"] = round(elapsed, 2)
        console.print_json(json.dumps(out, ensure_ascii=False))
    else:
        for f in summary.files:
            line = f"{_STATUS_SV[f.status]:<11} {f.source}  ({f.chunks} avsnitt)"
            if f.error:
                line = f"{_STATUS_SV[f.status]:<11} {f.source}: {f.error}"
            (err_console if f.status == "failed" else console).print(line, markup=False)
        console.print(
            f"Klart på {elapsed:.1f} s: {summary.added} tillagda, {summary.unchanged} oförändrade, "
            f"{summary.replaced} ersatta, {failed} misslyckade.",
            markup=False,
        )
    if failed:
        raise typer.Exit(code=1)


@app.command("search")
@friendly_errors
def search_command(
    query: Annotated[str, typer.Argument(help="Fråga eller sökord.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=50, help="Antal träffar.")] = 5,
    year: Annotated[int | None, typer.Option("--year", help="Bara rapporter från året.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Bara detta dokument.")] = None,
    section: Annotated[
        str | None, typer.Option("--section", help="Bara avsnittet (5 omfattar 5.4.1).")
    ] = None,
    mode: Annotated[
        str, typer.Option("--mode", help="hybrid | bm25 | dense", case_sensitive=False)
    ] = "hybrid",
    initiatives: Annotated[
        bool, typer.Option("--initiatives", help="Sök bland initiativen i stället.")
    ] = False,
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Träffarna som JSON.")] = False,
) -> None:
    """Sök i inlästa rapporter: avsnitt, sida, poäng och text."""
    mode_l = mode.lower()
    if mode_l not in ("hybrid", "bm25", "dense"):
        err_console.print("Fel: --mode måste vara hybrid, bm25 eller dense.")
        raise typer.Exit(code=2)
    services = services_for(data)
    hits = services.retriever.search(
        query,
        k=k,
        year=year,
        source=source,
        section=section,
        mode=_mode(mode_l),
        collection="initiatives" if initiatives else "reports",
    )
    if as_json:
        console.print_json(json.dumps({"hits": [h.to_dict() for h in hits]}, ensure_ascii=False))
        return
    if not hits:
        console.print("Inga träffar. Har rapporten lästs in? Kör: digirapport ingest")
        return
    for i, h in enumerate(hits, start=1):
        page = f", s. {h.page}" if h.page else ""
        head = f"{i}. [{h.section or '–'}] {h.section_title} — {h.source}{page}"
        console.print(f"{head}  (poäng {h.score:.4f})", markup=False, style="bold")
        text = h.text if len(h.text) <= 600 else h.text[:600].rsplit(" ", 1)[0] + " …"
        console.print(text, markup=False)
        console.print()


def _mode(value: str) -> Mode:
    if value in ("bm25", "dense"):
        return cast("Mode", value)
    return "hybrid"


@app.command("documents")
@friendly_errors
def documents_command(
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
) -> None:
    """Lista inlästa dokument."""
    docs = services_for(data).store.list_documents()
    if as_json:
        console.print_json(json.dumps({"documents": docs}, ensure_ascii=False))
        return
    if not docs:
        console.print("Inga dokument inlästa. Kör: digirapport ingest")
        return
    table = Table(title="Inlästa dokument", title_justify="left")
    for col in ("Källa", "Titel", "År", "Avsnitt", "Typ", "Nivå"):
        table.add_column(col)
    for d in docs:
        table.add_row(
            str(d["source"]),
            str(d["title"] or ""),
            str(d["year"] or "–"),
            str(d["chunks"]),
            "initiativ" if d["kind"] == "initiative" else "rapport",
            str(d["level"]),
        )
    console.print(table)


@app.command("delete")
@friendly_errors
def delete_command(
    source: Annotated[str, typer.Argument(help="Dokumentets källnamn (digirapport documents).")],
    data: DataOption = None,
) -> None:
    """Ta bort ett dokument ur sökindexet."""
    n = services_for(data).store.delete_document(source)
    console.print(f"Tog bort {source} ({n} avsnitt).", markup=False)


@eval_app.command("retrieval")
@friendly_errors
def eval_retrieval_command(
    questions: Annotated[
        Path, typer.Option("--questions", help="JSONL med frågor och facit.")
    ] = EVAL_FILE,
    split: Annotated[
        str, typer.Option("--split", help="dev | heldout | all (standard: alla, per del).")
    ] = "all",
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Visa missar.")] = False,
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Som JSON.")] = False,
) -> None:
    """Mät retrieval: R@1, R@3, R@5 och MRR för BM25, dense och hybrid."""
    from assistant.retrieval import evaluate, is_relevant, load_questions

    services = services_for(data)
    s = services.settings
    store = services.store
    if store.count("reports") == 0:
        store.ingest_paths(_default_paths(s.corpus_dir, s.dataset_dir)[:1], level=BUNDLED_LEVEL)
    all_q = load_questions(questions)
    splits = sorted({q.split for q in all_q}) if split == "all" else [split]
    groups = {name: [q for q in all_q if q.split == name] for name in splits}
    if split == "all" and len(splits) > 1:
        groups["alla"] = all_q
    retriever = services.retriever
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, qs in groups.items():
        if qs:
            out[name] = evaluate(retriever, qs)
    if as_json:
        console.print_json(json.dumps(out))
    else:
        for name, res in out.items():
            table = Table(title=f"Retrieval ({name}, n={int(next(iter(res.values()))['n'])})")
            for col in ("Metod", "R@1", "R@3", "R@5", "MRR"):
                table.add_column(col, justify="right" if col != "Metod" else "left")
            for mode, m in res.items():
                cells = [f"{m[key]:.3f}".replace(".", ",") for key in ("R@1", "R@3", "R@5", "MRR")]
                table.add_row(mode, *cells)
            console.print(table)
    if verbose:
        for q in all_q if split == "all" else groups.get(split, []):
            hits = retriever.search(q.question, k=5)
            rank = next((i + 1 for i, h in enumerate(hits) if is_relevant(h, q)), None)
            if rank != 1:
                console.print(
                    f"{q.id} rank={rank or '>5'} {q.question} -> {[h.section for h in hits]}",
                    markup=False,
                )
