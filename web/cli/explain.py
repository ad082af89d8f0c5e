"""``digirapport explain`` and ``digirapport simulate``: what moved a figure, and what if."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from web.cli._app import DataOption, app, console, friendly_errors, services_for, year_or_latest

if TYPE_CHECKING:
    from index_engine import ChangeExplanation, Contribution, TargetResult

YearOption = Annotated[
    int | None,
    typer.Option("--year", "-y", help="Året (standard: senaste året med data)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Resultatet som JSON.")]


def _short(text: str) -> str:
    return text.replace(" procentenheter", " p.e.")


def _rows(table: Table, parts: tuple[Contribution, ...], depth: int, max_depth: int) -> None:
    for c in parts:
        effect = ""
        if c.level is not None and c.mix is not None and c.value is not None:
            effect = f"nivå {c.level:+.3f}, sammansättning {c.mix:+.3f}".replace(".", ",")
        table.add_row(
            "  " * depth + c.label,
            c.base_display,
            c.display,
            _short(c.contribution_display),
            effect,
        )
        if depth + 1 < max_depth:
            _rows(table, c.children, depth + 1, max_depth)


def _explanation_table(e: ChangeExplanation, max_depth: int) -> Table:
    table = Table(
        title=(
            f"{e.label} {e.year}: {e.display} ({e.base_year}: {e.base_display}), "
            f"förändring {_short(e.change_display)}"
        ),
        title_justify="left",
    )
    table.add_column("Del")
    table.add_column(str(e.base_year), justify="right")
    table.add_column(str(e.year), justify="right")
    table.add_column(f"Bidrag till {_lower_first(e.label)}", justify="right")
    table.add_column("Varav", justify="right")
    _rows(table, e.contributions, 0, max_depth)
    if not any(table.columns[-1].cells):
        table.columns.pop()  # no groups at this depth: no level/mix split to show
    return table


def _lower_first(label: str) -> str:
    """'Digital mognad (DiMiOS)' -> 'digital mognad (DiMiOS)' (abbreviations keep their case)."""
    return label[:1].lower() + label[1:]


def _driver_line(e: ChangeExplanation, direction: int) -> str | None:
    drivers = e.drivers(direction)
    if not drivers:
        return None
    lead = "Mest uppåt drog" if direction > 0 else "Mest nedåt drog"
    names = [
        f"{d.label} ({d.kind} i {_lower_first(d.component)}, {_short(d.contribution_display)})"
        for d in drivers
    ]
    return f"{lead}: {', '.join(names)}."


@app.command("explain")
@friendly_errors
def explain_command(
    figure: Annotated[
        str, typer.Option("--figure", "-f", help="Nyckeltalet, t.ex. index eller digital_mognad.")
    ] = "index",
    year: YearOption = None,
    base: Annotated[
        int | None, typer.Option("--base", help="Jämförelseår (standard: året före).")
    ] = None,
    depth: Annotated[
        int, typer.Option("--depth", min=1, max=8, help="Hur många nivåer som visas.")
    ] = 3,
    as_json: JsonOption = False,
    data: DataOption = None,
) -> None:
    """Visa vad som drev ett nyckeltals förändring, uppdelat exakt på sina delar."""
    from index_engine import explain_change

    dataset = services_for(data).dataset
    e = explain_change(dataset, figure, year_or_latest(dataset.years(), year), base)
    if as_json:
        typer.echo(json.dumps(e.to_dict(), ensure_ascii=False, indent=2))
        return
    console.print(_explanation_table(e, depth))
    console.print(f"Δ {e.label} = {e.formula}", markup=False, style="dim")
    for direction in (1, -1):
        line = _driver_line(e, direction)
        if line:
            console.print(line, markup=False)


def _assignment(text: str, option: str) -> tuple[str, float]:
    from index_engine import InvalidScenarioError, parse_number

    key, sep, value = text.partition("=")
    try:
        if not sep or not key.strip():
            raise ValueError(text)
        return key.strip(), parse_number(value.strip())
    except ValueError:
        raise InvalidScenarioError(
            f"{option} väntar sig nyckeltal=värde, t.ex. genomforandegrad=95 (fick '{text}').",
            field=option,
            value=text,
        ) from None


def _target_line(r: TargetResult) -> str:
    if r.already:
        return f"{r.vary_label}: målet är redan nått ({r.target_label} {r.current_display})."
    if not r.reachable:
        return (
            f"{r.vary_label}: når inte {r.target_display} ensam; även {r.best_display} ger "
            f"{r.target_label.lower()} {r.best_reaches_display}."
        )
    line = f"{r.vary_label}: {r.needed_display} behövs"
    if r.initiatives_needed is not None and r.initiatives_decided is not None:
        line += f" ({r.initiatives_needed} fler genomförda av {r.initiatives_decided} initiativ)"
    return line + "."


@app.command("simulate")
@friendly_errors
def simulate_command(
    year: YearOption = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Ändra en indata: nyckeltal=värde (kan upprepas)."),
    ] = None,
    complete: Annotated[
        list[str] | None,
        typer.Option("--complete", help="Räkna årets initiativ med detta id som genomfört."),
    ] = None,
    target: Annotated[
        str | None, typer.Option("--target", help="Ett mål, t.ex. index=8.5.")
    ] = None,
    vary: Annotated[
        str | None,
        typer.Option("--vary", help="Indatan som varieras mot målet (standard: de vanliga)."),
    ] = None,
    as_json: JsonOption = False,
    data: DataOption = None,
) -> None:
    """Räkna om indexet med ändrade indata, eller visa vad som krävs för att nå ett mål."""
    from index_engine import simulate, target_paths

    dataset = services_for(data).dataset
    y = year_or_latest(dataset.years(), year)
    overrides = dict(_assignment(s, "--set") for s in set_ or [])
    sim = simulate(dataset, y, overrides, complete or [])
    results: list[TargetResult] = []
    if target:
        key, value = _assignment(target, "--target")
        results = target_paths(dataset, y, key, value, vary)
    if as_json:
        out: dict[str, Any] = {"simulation": sim.to_dict()}
        if target:
            out["targets"] = [r.to_dict() for r in results]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if overrides or complete or not target:
        table = Table(title=f"Tänk om {y}", title_justify="left")
        for name, justify in (("Nyckeltal", "left"), ("I dag", "right"), ("Scenario", "right")):
            table.add_column(name, justify=justify)  # type: ignore[arg-type]
        table.add_column("Skillnad", justify="right")
        for f in sim.figures:
            mark = " *" if f.overridden else ""
            table.add_row(
                f.label + mark, f.display, f.simulated_display, _short(f.difference_display)
            )
        console.print(table)
        console.print("* ändrad indata", markup=False, style="dim")
    if results:
        first = results[0]
        console.print(
            f"Mål: {first.target_label} {first.target_display} "
            f"(i dag {first.current_display} {y}), en indata i taget, allt annat oförändrat:",
            markup=False,
        )
        for r in results:
            console.print("  " + _target_line(r), markup=False)
