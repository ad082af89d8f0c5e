"""``digirapport draft``: a chapter draft as Markdown (stdout or file) or Word.

Files are written atomically: each goes to a temporary file in the target folder and is renamed
into place only when all of them are written, so a failure leaves nothing half written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from web.cli._app import DataOption, app, console, err_console, friendly_errors, services_for


class OutputError(Exception):
    """The output file cannot be written."""


def write_files_atomically(files: dict[Path, bytes]) -> None:
    """Write every file via a temporary file beside it, then rename all into place.

    Raises:
        OutputError: A folder is missing or not writable; no target file was changed.
    """
    temps: list[tuple[Path, Path]] = []
    current: Path | None = None
    try:
        for target, data in files.items():
            current = target
            problem = _output_problem(target)
            if problem:
                raise OutputError(problem)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
            )
            temps.append((Path(tmp_name), target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
        for tmp, target in temps:
            current = target
            os.replace(tmp, target)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"Kan inte skriva {str(current)!r}: {reason}.") from None
    finally:
        for tmp, _target in temps:
            tmp.unlink(missing_ok=True)


def _output_problem(target: Path) -> str | None:
    """Why ``target`` cannot be written (missing folder, a folder in the way), or None."""
    if not target.parent.is_dir():
        return f"Kan inte skriva {str(target)!r}: mappen {str(target.parent)!r} finns inte."
    if target.is_dir():
        return f"Kan inte skriva {str(target)!r}: det är en mapp."
    if not os.access(target.parent, os.W_OK):
        return f"Kan inte skriva {str(target)!r}: mappen är skrivskyddad."
    return None


@app.command("draft")
@friendly_errors
def draft(
    chapter: Annotated[
        str | None,
        typer.Option("--chapter", "-c", help="Kapitel (visas med --list)."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Rapportår (standard: senaste år med data).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Fil att skriva: .docx (Word) eller .md (Markdown + diagram som PNG bredvid). "
            "Utan --out skrivs Markdown till skärmen.",
        ),
    ] = None,
    list_chapters: Annotated[
        bool, typer.Option("--list", help="Visa vilka kapitel som kan skrivas.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Skriv ett utkast till ett rapportkapitel utifrån de beräknade värdena."""
    from assistant.docx_export import draft_to_docx
    from assistant.drafts import CHAPTERS, markdown_bundle
    from web.routes.drafts import build_draft

    if list_chapters:
        for key, spec in CHAPTERS.items():
            console.print(f"{key:<12} {spec.title}", markup=False)
        return
    if not chapter:
        err_console.print(
            f"Fel: ange --chapter ({', '.join(CHAPTERS)}) eller --list.", markup=False
        )
        raise typer.Exit(code=2)
    suffix = out.suffix.lower() if out else ""
    if out is not None and suffix not in (".docx", ".md"):
        err_console.print(
            f"Fel: --out måste sluta på .docx eller .md (fick {out.name!r}).", markup=False
        )
        raise typer.Exit(code=2)
    if out is not None:
        problem = _output_problem(out)
        if problem:  # fail before the (slower) drafting
            err_console.print(f"Fel: {problem}", markup=False, soft_wrap=True)
            raise typer.Exit(code=1)
    services = services_for(data)
    try:
        if year is None:
            years = services.dataset.years()
            year = years[-1] if years else 0
        result = build_draft(services, chapter, year)
        for warning in result.warnings:
            err_console.print(f"Obs: {warning}", markup=False, soft_wrap=True)
        if out is None:
            console.print(result.markdown, markup=False, soft_wrap=True)
            return
        if suffix == ".docx":
            files = {out: draft_to_docx(result)}
        else:
            files = markdown_bundle(result, out)
        try:
            write_files_atomically(files)
        except OutputError as exc:
            err_console.print(f"Fel: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(code=1) from None
        written = ", ".join(str(p) for p in files)
        console.print(f"Skrev {written}", markup=False)
    finally:
        services.close()
