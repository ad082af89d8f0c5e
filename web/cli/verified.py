"""``digirapport eval verified``: the verified answers as a regression suite.

Each stored verified answer's question is asked again in offline mode (without the verified
answers) and compared with the verified answer recomputed on today's data
(:func:`assistant.verified.check_answer`); any that no longer match are listed and the command
ends with exit code 1.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from web.cli._app import DataOption, console, eval_app, friendly_errors, services_for


@eval_app.command("verified")
@friendly_errors
def eval_verified(
    as_json: Annotated[bool, typer.Option("--json", help="Resultat som JSON.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Visa båda svaren.")] = False,
    data: DataOption = None,
) -> None:
    """Ställ de verifierade svarens frågor igen (offline) och visa de som inte längre stämmer."""
    from assistant.service import Assistant
    from assistant.verified import check_answer

    services = services_for(data)
    try:
        verified = services.verified  # loads the bundled verified answers on first use
        fresh = Assistant(
            dataset=services.dataset,
            retriever=services.retriever,
            storage=None,
            max_question_chars=services.settings.max_question_chars,
        )
        checks = []
        for record in services.storage.list_verified(with_embeddings=True):
            answer = fresh.chat(str(record["question"]))
            checks.append(
                check_answer(record, verified.recompute(record), answer.answer, answer.sources)
            )
    finally:
        services.close()
    failed = [c for c in checks if not c.ok]
    if as_json:
        body = {
            "checked": len(checks),
            "failed": len(failed),
            "answers": [c.to_dict() for c in checks],
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        for check in checks:
            mark = "OK     " if check.ok else "AVVIKER"
            console.print(f"{mark} {check.id}: {check.question}", markup=False)
            for problem in check.problems:
                console.print(f"        - {problem}", markup=False)
            if verbose:
                console.print(f"        verifierat: {check.expected}", markup=False)
                console.print(f"        nu:         {check.actual}", markup=False)
        console.print(
            f"\n{len(checks) - len(failed)} av {len(checks)} verifierade svar stämmer.",
            markup=False,
        )
    if failed:
        raise typer.Exit(code=1)
