"""``digirapport classify`` (one initiative or a whole file) and ``digirapport eval classify``."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from web.bundled import PROJECT_ROOT
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
    import pandas as pd

    from assistant.classify import Classification, Classifier

#: Initiatives written and rated by other authors than the sample register's (never trained on).
HELDOUT_FILES = (
    PROJECT_ROOT / "data" / "eval" / "heldout_initiatives.csv",
    PROJECT_ROOT / "data" / "eval" / "heldout_initiatives_2.csv",
    PROJECT_ROOT / "data" / "eval" / "heldout_initiatives_3.csv",
)


def output_path(source: Path) -> Path:
    """Where the suggestions for ``source`` are written: ``<name>.forslag.<ext>`` beside it."""
    return source.with_name(f"{source.stem}.forslag{source.suffix.lower()}")


def _write_atomic(frame: pd.DataFrame, target: Path) -> None:
    """Write the table to a temporary file beside ``target`` and move it into place."""
    from web.export import write_csv, write_xlsx

    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if target.suffix.lower() == ".xlsx":
            write_xlsx(frame, tmp, "Förslag")
        else:
            write_csv(frame, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _print_single(c: Classification) -> None:
    from assistant.classify import AXES, AXIS_LABELS
    from index_engine.formatting import fmt_number, fmt_percent

    for axis in AXES:
        r = c.axes[axis]
        console.print(
            f"{AXIS_LABELS[axis][0]}: {r.value} (säkerhet {fmt_percent(r.confidence * 100, 0)})",
            markup=False,
        )
        console.print(f"  {r.reason}", markup=False)
    console.print(
        f"Objekt: {c.objekt} (säkerhet {fmt_percent(c.objekt_confidence * 100, 0)})", markup=False
    )
    console.print(f"  {c.objekt_reason}", markup=False)
    console.print("Liknande bedömda initiativ:", markup=False)
    for s in c.similar:
        console.print(
            f"  {s.id} {s.title} [{s.objekt}] "
            f"{s.innovation_effektivitet}/{s.operativt_strategiskt}/{s.extern_intern} "
            f"likhet {fmt_number(s.similarity, 2)}",
            markup=False,
        )
    if c.needs_review:
        console.print("Behöver granskas:", markup=False)
        for reason in c.review_reasons:
            console.print(f"  - {reason}", markup=False)
    for w in c.warnings:
        err_console.print(f"Varning: {w}", markup=False)
    console.print(f"Läge: {c.mode}", markup=False)


@app.command("classify")
@friendly_errors
def classify(
    title: Annotated[str | None, typer.Option("--title", help="Initiativets titel.")] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="Vad som ska göras, för vem och varför.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="CSV/XLSX med kolumnerna title (titel) och description (beskrivning); förslagen "
            "skrivs till <namn>.forslag.<ext> bredvid filen.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv resultatet som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Föreslå portföljkategorier (tre axlar och objekt) för ett nytt initiativ eller en fil."""
    from assistant.errors import InvalidInputError

    if file is None and title is None and description is None:
        raise InvalidInputError(
            "Ange --title och --description, eller --file med en tabell.", field="title"
        )
    if file is not None and (title is not None or description is not None):
        raise InvalidInputError(
            "Ange antingen --file eller --title/--description, inte båda.", field="file"
        )
    services = services_for(data)
    try:
        if file is not None:
            _classify_file(services.classifier, file, as_json)
            return
        c = services.classifier.classify(title or "", description or "")
        if as_json:
            typer.echo(json.dumps(c.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_single(c)
    finally:
        services.close()


def _classify_file(clf: Classifier, file: Path, as_json: bool) -> None:
    from assistant.classify import suggest_table
    from assistant.errors import InvalidInputError
    from index_engine.loaders import read_table

    if file.suffix.lower() not in {".csv", ".xlsx"}:
        raise InvalidInputError(
            f"{file.name}: filtypen stöds inte (använd .csv eller .xlsx).", field="file"
        )
    table = read_table(file)
    result = suggest_table(clf, table, file=file.name)
    target = output_path(file)
    _write_atomic(result, target)
    flagged = int((result["behover_granskas"] == "ja").sum())
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "input": str(file),
                    "output": str(target),
                    "rows": len(result),
                    "needs_review": flagged,
                },
                ensure_ascii=False,
            )
        )
    else:
        console.print(
            f"Klassade {len(result)} initiativ; {flagged} behöver granskas. Förslagen finns i "
            f"{target}",
            markup=False,
        )


# -- evaluation --------------------------------------------------------------------------------


def _print_metrics(title: str, m: dict[str, Any], confusion: bool = True) -> None:
    from assistant.classify import AXES, AXIS_LABELS
    from index_engine.formatting import fmt_number

    console.print(f"\n{title} (n = {m['n']})", markup=False, soft_wrap=True)
    console.print(f"{'axel':<28}{'exakt':>8}{'±1':>8}{'kappa':>8}", markup=False)
    for axis in AXES:
        a = m["axes"][axis]
        console.print(
            f"{AXIS_LABELS[axis][0]:<28}{fmt_number(a['exact'], 2):>8}"
            f"{fmt_number(a['within_one'], 2):>8}{fmt_number(a['kappa'], 2):>8}",
            markup=False,
        )
    console.print(f"Objekt, andel rätt: {fmt_number(m['objekt_accuracy'], 2)}", markup=False)
    console.print(
        f"Andel flaggade för granskning: {fmt_number(m['needs_review_share'], 2)}", markup=False
    )
    if confusion:
        for axis in AXES:
            console.print(
                f"Förväxlingstabell {AXIS_LABELS[axis][0]} (rad = sant, kolumn = förslag)",
                markup=False,
            )
            console.print("     " + "".join(f"{p:>5}" for p in range(1, 6)), markup=False)
            table = m["axes"][axis]["confusion"]
            for t in range(1, 6):
                row = table[str(t)]
                console.print(
                    f"{t:>5}" + "".join(f"{row[str(p)]:>5}" for p in range(1, 6)), markup=False
                )


@eval_app.command("classify")
@friendly_errors
def eval_classify(
    k: Annotated[
        int, typer.Option("--k", min=2, max=20, help="Antal veck i korsvalideringen.")
    ] = 5,
    heldout: Annotated[
        list[Path] | None,
        typer.Option(
            "--heldout",
            help="Separat testmängd (CSV/XLSX med bedömningar); kan anges flera gånger.",
        ),
    ] = None,
    variants: Annotated[
        bool, typer.Option("--variants", help="Jämför alla modellvarianter med korsvalidering.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv måtten som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Mät klassningen: k-faldig korsvalidering på registret och de separata testmängderna."""
    from assistant.classify import (
        DEFAULT_VARIANT,
        VARIANTS,
        Classifier,
        cross_validate,
        evaluate_frame,
        read_labelled,
        training_frame,
    )

    services = services_for(data)
    try:
        dataset = services.dataset
        embedder = services.embedder
        frame = training_frame(dataset)
        names = list(VARIANTS) if variants else [DEFAULT_VARIANT]
        report: dict[str, Any] = {"register": {}, "heldout": {}}
        paths = list(heldout) if heldout else [p for p in HELDOUT_FILES if p.is_file()]
        held = {p.name: read_labelled(p, dataset.objekt) for p in paths}
        for name in names:
            report["register"][name] = cross_validate(
                frame, embedder, objekt=dataset.objekt, k=k, variant=name
            )
            if held:
                clf = Classifier.from_frame(frame, embedder, objekt=dataset.objekt, variant=name)
                for file_name, rows in held.items():
                    report["heldout"].setdefault(file_name, {})[name] = evaluate_frame(clf, rows)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
            return
        for name in names:
            cv = report["register"][name]
            _print_metrics(
                f"Variant {name}: korsvalidering på registret, k = {cv['k']} ({cv['folds']})",
                cv,
                confusion=not variants,
            )
            for file_name, by_variant in report["heldout"].items():
                _print_metrics(
                    f"Variant {name}: separat testmängd {file_name}",
                    by_variant[name],
                    confusion=not variants,
                )
        if not held:
            err_console.print("Ingen separat testmängd hittades.", markup=False)
    finally:
        services.close()
