"""The shared typer app, the ``eval`` sub-command group and the CLI's error handling."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

if TYPE_CHECKING:
    from web.services import Services
    from web.settings import Settings

app = typer.Typer(
    name="digirapport",
    help="Digirapport: digitaliseringsindex, rapportsök, chatt, klassning och utkast.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
eval_app = typer.Typer(
    help="Mät kvaliteten: retrieval, klassning, chattsvar.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data", help="Mapp med tabellerna (standard: DIGI_DATASET_DIR eller exempeldatan)."
    ),
]


def settings_for(data: Path | None = None) -> Settings:
    """Settings from the environment, with the CLI's overrides (imported here: a light --help)."""
    from web.settings import load_settings

    return load_settings(dataset_dir=data)


def services_for(data: Path | None = None) -> Services:
    """Assembled services for one CLI command (imported here: the CLI starts light)."""
    from web.services import Services

    return Services(settings_for(data))


def year_or_latest(years: list[int], year: int | None) -> int:
    """``year``, or the latest year with data; no data at all ends the command with a message."""
    if year is not None:
        return year
    if not years:
        console.print("Datan innehåller inga år.", markup=False)
        raise typer.Exit(code=1)
    return years[-1]


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Print package errors as plain Swedish messages and exit non-zero, never a stack trace."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            from pydantic import ValidationError

            from web.errors import KNOWN_ERRORS
            from web.settings import settings_problems

            if isinstance(exc, ValidationError):  # a setting (DIGI_...) that cannot be used
                for line in settings_problems(exc):
                    err_console.print(f"Fel i inställningarna: {line}", markup=False)
                raise typer.Exit(code=1) from None
            if not isinstance(exc, KNOWN_ERRORS):
                raise
            err_console.print(f"Fel: {getattr(exc, 'message', str(exc))}", markup=False)
            raise typer.Exit(code=1) from None

    return wrapper


def main() -> None:
    """Entry point of the ``digirapport`` command."""
    app(prog_name="digirapport")


if __name__ == "__main__":  # pragma: no cover
    main()
