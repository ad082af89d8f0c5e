"""``digirapport ask "fråga"`` and ``digirapport eval chat``.

``ask`` prints the answer, its sources and any warnings (``--json``: the ``/api/chat`` response).
``eval chat`` runs the questions of ``data/eval/chat_questions.jsonl`` through the offline
responder and prints the share whose answer contains the expected figure or phrase.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from web.cli._app import DataOption, app, console, eval_app, friendly_errors, services_for
from web.settings import PROJECT_ROOT

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
        services.store.ingest_paths([Path(corpus)])


@eval_app.command("chat")
@friendly_errors
def eval_chat(
    questions: Annotated[
        Path, typer.Option("--questions", "-q", help="Frågefil (JSONL).")
    ] = DEFAULT_QUESTIONS,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Visa varje fråga.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Resultat som JSON.")] = False,
    data: DataOption = None,
) -> None:
    """Mät offline-svaren: andelen svar som innehåller rätt siffra eller fras."""
    from assistant.service import Assistant

    items = [
        json.loads(line)
        for line in questions.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    services = services_for(data)
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
        rows = []
        by_kind: dict[str, list[bool]] = {}
        for item in items:
            history = [{"role": "user", "content": q} for q in item.get("history", [])]
            result = assistant.chat(item["question"], history=history, persist=False)
            ok = score_answer(result.answer, item)
            rows.append({"id": item.get("id"), "ok": ok, "answer": result.answer})
            by_kind.setdefault(item.get("kind", "other"), []).append(ok)
            if verbose and not as_json:
                mark = "OK " if ok else "FEL"
                console.print(f"{mark} {item.get('id')}: {item['question']}", markup=False)
                if not ok:
                    console.print("    " + result.answer.replace("\n", "\n    "), markup=False)
    finally:
        services.close()
    share = sum(r["ok"] for r in rows) / len(rows) if rows else 0.0
    summary = {
        "questions": len(rows),
        "correct": sum(r["ok"] for r in rows),
        "share": round(share, 3),
        "by_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
        "failed": [r["id"] for r in rows if not r["ok"]],
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    console.print(
        f"Chatt (offline): {summary['correct']}/{summary['questions']} rätt = {share:.3f}",
        markup=False,
    )
    for kind, value in summary["by_kind"].items():
        console.print(f"  {kind}: {value:.3f}", markup=False)
    if summary["failed"]:
        console.print("  fel: " + ", ".join(str(f) for f in summary["failed"]), markup=False)
