"""``digirapport ask "fråga"`` and ``digirapport eval chat``.

``ask`` prints the answer, its sources and any warnings (``--json``: the ``/api/chat`` response).
``eval chat`` runs the question files (``data/eval/chat_*.jsonl``) through the offline responder
and prints, per file, the share whose answer contains the expected figure or phrase, and a
confusion table of question kind against the routed answer kind.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from web.bundled import BUNDLED_LEVEL, PROJECT_ROOT
from web.cli._app import DataOption, app, console, eval_app, friendly_errors, services_for

DEFAULT_QUESTIONS = PROJECT_ROOT / "data" / "eval" / "chat_questions.jsonl"


@app.command("ask")
@friendly_errors
def ask(
    question: Annotated[str, typer.Argument(help='Frågan, t.ex. "Vad blev indexet 2025?"')],
    conversation: Annotated[
        str | None, typer.Option("--conversation", "-c", help="Fortsätt en konversation (id).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv hela svaret som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Ställ en fråga: svaret med källor (offline eller med språkmodell)."""
    services = services_for(data)
    try:
        result = services.assistant.chat(question, conversation)
    finally:
        services.close()
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    console.print(result.answer, markup=False)
    if result.sources and "Källor:" not in result.answer and "Sources:" not in result.answer:
        console.print("\nKällor:", markup=False)
        for s in result.sources:
            where = ", ".join(
                x
                for x in (
                    f"avsnitt {s['section']}" if s.get("section") else "",
                    str(s.get("title") or ""),
                    f"s. {s['page']}" if s.get("page") is not None else "",
                )
                if x
            )
            console.print(f"  - {s.get('source', '')}: {where}", markup=False)
    if result.verified:
        by, day = result.verified["by"], str(result.verified["at"])[:10]
        console.print(
            f"\nVerifierat svar (verifierat av {by}, {day}; siffrorna omräknade med dagens data).",
            markup=False,
        )
    for warning in result.warnings:
        console.print(f"\nVarning: {warning}", markup=False)
    console.print(
        f"\n[{result.mode}] konversation {result.conversation_id}", markup=False, style="dim"
    )


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").lower().split())


def score_answer(answer: str, item: dict[str, Any]) -> bool:
    """True when the answer holds every ``expect_all`` phrase and one ``expect_any`` phrase."""
    text = _norm(answer)
    must = [_norm(p) for p in item.get("expect_all", [])]
    anyof = [_norm(p) for p in item.get("expect_any", [])]
    if any(p not in text for p in must):
        return False
    return not anyof or any(p in text for p in anyof)


def _ensure_corpus(services: Any) -> None:
    """Ingest the bundled corpus when the store holds no report yet."""
    if services.store.list_documents():
        return
    corpus = services.settings.corpus_dir
    if Path(corpus).exists():
        console.print(f"Läser in {corpus} (första gången) …", markup=False, style="dim")
        services.store.ingest_paths([Path(corpus)], level=BUNDLED_LEVEL)


@eval_app.command("chat")
@friendly_errors
def eval_chat(
    questions: Annotated[
        list[Path] | None,
        typer.Option(
            "--questions",
            "-q",
            help="Frågefil (JSONL); kan upprepas. Utelämnad: alla data/eval/chat_*.jsonl.",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Visa varje fråga.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Resultat som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Mät offline-svaren: andel rätt per frågefil och en förväxlingstabell över svarstyper."""
    from assistant.service import Assistant

    files = list(questions or sorted(DEFAULT_QUESTIONS.parent.glob("chat_*.jsonl")))
    services = services_for(data)
    summaries: list[dict[str, Any]] = []
    confusion: dict[str, dict[str, int]] = {}
    try:
        _ensure_corpus(services)
        assistant = Assistant(
            dataset=services.dataset,
            retriever=services.retriever,
            storage=None,
            chat_model=None,
            classifier_factory=None,
            max_rounds=1,
            max_question_chars=services.settings.max_question_chars,
        )
        for path in files:
            summary = _eval_file(assistant, path, confusion, verbose and not as_json)
            summaries.append(summary)
    finally:
        services.close()
    if as_json:
        out: Any = summaries[0] if len(summaries) == 1 else {"sets": summaries}
        if len(summaries) == 1:
            out = {**summaries[0], "confusion": confusion}
        else:
            out["confusion"] = confusion
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for summary in summaries:
        console.print(
            f"{summary['set']}: {summary['correct']}/{summary['questions']} rätt "
            f"= {summary['share']:.3f}",
            markup=False,
        )
        for kind, value in summary["by_kind"].items():
            console.print(f"  {kind}: {value:.3f}", markup=False)
        if summary["failed"]:
            console.print("  fel: " + ", ".join(str(f) for f in summary["failed"]), markup=False)
    typer.echo("\nfrågetyp × svarstyp (rader: frågefilernas typ; kolumner: valt svar)")
    typer.echo(confusion_table(confusion))


GROUNDING_CASES = PROJECT_ROOT / "data" / "eval" / "grounding_cases.jsonl"


@eval_app.command("grounding")
@friendly_errors
def eval_grounding(
    cases: Annotated[
        Path, typer.Option("--cases", help="JSONL med skriptade modellsvar och fel tal.")
    ] = GROUNDING_CASES,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Visa missar och falsklarm.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Resultat som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Mät grundningskontrollen: andel fel tal som flaggas och andel rätt tal som flaggas."""
    from assistant.grounding import evaluate_cases, load_cases

    services = services_for(data)
    try:
        _ensure_corpus(services)
        tools = services.assistant.tools
        loaded = load_cases(cases.read_text(encoding="utf-8").splitlines())
        score = evaluate_cases(loaded, tools.call)
    finally:
        services.close()
    if as_json:
        out = {
            "cases": len(loaded),
            "wrong": score.wrong,
            "caught": score.caught,
            "catch_rate": round(score.catch_rate, 4),
            "right": score.right,
            "false_flags": score.false_flags,
            "false_flag_rate": round(score.false_flag_rate, 4),
            "by_kind": score.by_kind,
            "misses": score.misses,
            "false": score.false,
        }
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console.print(
        f"{len(loaded)} svar: {score.caught}/{score.wrong} fel tal flaggade "
        f"= {score.catch_rate:.3f}; {score.false_flags}/{score.right} rätt tal flaggade "
        f"= {score.false_flag_rate:.3f}",
        markup=False,
    )
    for kind, (wrong, caught, right, false) in sorted(score.by_kind.items()):
        console.print(
            f"  {kind}: fångade {caught}/{wrong}, falsklarm {false}/{right}", markup=False
        )
    if verbose:
        for cid, number in score.misses:
            console.print(f"  miss {cid}: {number}", markup=False)
        for cid, number, reason in score.false:
            console.print(f"  falsklarm {cid}: {number} ({reason})", markup=False)


def _eval_file(
    assistant: Any, path: Path, confusion: dict[str, dict[str, int]], verbose: bool
) -> dict[str, Any]:
    """Ask every question of one file; count right answers per kind and the routed kinds."""
    items = [
        json.loads(line)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    rows = []
    by_kind: dict[str, list[bool]] = {}
    for item in items:
        # a history item is an earlier user question, or a {"role", "content"} message
        history = [
            dict(q) if isinstance(q, dict) else {"role": "user", "content": str(q)}
            for q in item.get("history", [])
        ]
        result = assistant.chat(item["question"], history=history, persist=False)
        ok = score_answer(result.answer, item)
        route = result.route or {}
        routed = route.get("answered_as") or route.get("kind", "-")
        asked = item.get("kind", "other")
        row = confusion.setdefault(asked, {})
        row[routed] = row.get(routed, 0) + 1
        rows.append({"id": item.get("id"), "ok": ok, "route": routed, "answer": result.answer})
        by_kind.setdefault(asked, []).append(ok)
        if verbose:
            mark = "OK " if ok else "FEL"
            console.print(f"{mark} {item.get('id')} [{routed}]: {item['question']}", markup=False)
            if not ok:
                console.print("    " + result.answer.replace("\n", "\n    "), markup=False)
    share = sum(r["ok"] for r in rows) / len(rows) if rows else 0.0
    return {
        "set": path.stem,
        "questions": len(rows),
        "correct": sum(r["ok"] for r in rows),
        "share": round(share, 3),
        "by_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
        "failed": [r["id"] for r in rows if not r["ok"]],
    }


def confusion_table(confusion: dict[str, dict[str, int]]) -> str:
    """Question kind (rows, as the question files label them) × routed answer kind (columns)."""
    columns = sorted({k for row in confusion.values() for k in row})
    width = max([len(c) for c in columns] + [3])
    first = max([len(r) for r in confusion] + [10])
    lines = ["frågetyp".ljust(first) + " " + " ".join(c.rjust(width) for c in columns)]
    for name in sorted(confusion):
        row = confusion[name]
        cells = " ".join(str(row.get(c, "")).rjust(width) for c in columns)
        lines.append(name.ljust(first) + " " + cells)
    return "\n".join(lines)
