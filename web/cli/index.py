"""``digirapport index``: the digitaliseringsindex of a year as a table or as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from web.cli._app import DataOption, app, console, friendly_errors, services_for, year_or_latest

if TYPE_CHECKING:
    from index_engine import Figure, YearReport

#: Rows of the table, in order; indented rows are sub-measures.
_ROWS: tuple[tuple[str, int], ...] = (
    ("index", 0),
    ("forutsattningar", 1),
    ("digital_mognad", 2),
    ("medarbetare", 2),
    ("medarbetare_medel", 3),
    ("resultat", 1),
    ("genomforandegrad", 2),
    ("nytta", 1),
    ("nyttorealisering", 2),
    ("digital_formaga", 3),
    ("digitalt_arv", 3),
    ("dimios_mottagare", 3),
    ("dimios_svarande", 3),
    ("dimios_svarsfrekvens", 3),
    ("medarbetare_positiva", 3),
    ("medarbetare_neutrala", 3),
    ("medarbetare_negativa", 3),
    ("antal_initiativ", 3),
    ("antal_genomforda", 3),
)


def _change(fig: Figure) -> str:
    if fig.change_display is None or fig.previous_year is None:
        return "–"
    return f"{fig.change_display.replace(' procentenheter', ' p.e.')} ({fig.previous_year})"


def _table(report: YearReport) -> Table:
    table = Table(title=f"Digitaliseringsindex {report.year}", title_justify="left")
    table.add_column("Nyckeltal")
    table.add_column("Värde", justify="right")
    table.add_column("Förändring (mot år)", justify="right")
    table.add_column("n", justify="right")
    for key, depth in _ROWS:
        fig = report.figures.get(key)
        if fig is None:
            continue
        label = "  " * depth + fig.label
        value = f"[bold]{fig.display}[/bold]" if depth == 0 else fig.display
        table.add_row(label, value, _change(fig), str(fig.n))
    return table


def _portfolio_lines(report: YearReport) -> list[str]:
    from index_engine import fmt_number

    p = report.portfolio
    if not p.count:
        return []
    lines = [f"Portfölj {report.year}: {p.count} initiativ"]
    if p.change_in_count is not None and p.change_in_count_pct is not None:
        lines[0] += (
            f" ({fmt_number(p.change_in_count, 0, sign=True)}, "
            f"{fmt_number(p.change_in_count_pct, 1, sign=True)} % mot {p.previous_year})"
        )
    avg = p.average
    lines.append(
        "  Genomsnittligt initiativ (1–5): "
        f"innovation/effektivitet {fmt_number(avg['innovation_effektivitet'])}, "
        f"operativt/strategiskt {fmt_number(avg['operativt_strategiskt'])}, "
        f"extern/intern {fmt_number(avg['extern_intern'])}"
    )
    ei = p.extern_intern
    lines.append(
        f"  Nytta: extern {fmt_number(ei['extern'])} %, intern {fmt_number(ei['intern'])} %, "
        f"neutral {fmt_number(ei['neutral'])} %"
    )
    top = [f"{name} {n}" for name, n in p.per_objekt.items() if n][:5]
    lines.append("  Flest initiativ: " + ", ".join(top))
    return lines


@app.command("index")
@friendly_errors
def index_command(
    year: Annotated[
        int | None,
        typer.Option("--year", "-y", help="Året att visa (standard: senaste året med data)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Hela resultatet som JSON, med härledning.")
    ] = False,
    data: DataOption = None,
) -> None:
    """Visa digitaliseringsindex, komponenter och delmått för ett år."""
    dataset = services_for(data).dataset
    year = year_or_latest(dataset.years(), year)
    from index_engine import compute_year

    report = compute_year(dataset, year)
    if as_json:
        payload = {"source": dataset.source, **report.to_dict()}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console.print(_table(report))
    for line in _portfolio_lines(report):
        console.print(line, markup=False)
    console.print(f"Källa: {dataset.source}", markup=False, style="dim")
