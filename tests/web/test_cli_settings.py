"""A setting the CLI cannot use is reported in Swedish, naming the variable, without a trace."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from web.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "DIGI_TRUSTED_PROXIES",
            "10.0.0.0/8, proxy.kommun.se",
            "DIGI_TRUSTED_PROXIES: 'proxy.kommun.se' är varken en IP-adress eller ett nät "
            "(till exempel 10.0.0.5 eller 10.1.0.0/16).",
        ),
        (
            "DIGI_RATE_LIMIT_READ_BURST",
            "0",
            "DIGI_RATE_LIMIT_READ_BURST ska vara minst 1 (är '0').",
        ),
        (
            "DIGI_STREAM_KEEPALIVE_SECONDS",
            "snart",
            "DIGI_STREAM_KEEPALIVE_SECONDS ska vara ett tal",
        ),
        ("DIGI_AUTH", "kanske", "DIGI_AUTH ska vara 'auto', 'on' eller 'off' (är 'kanske')."),
    ],
)
def test_bad_setting_is_a_swedish_message(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    monkeypatch.setenv("COLUMNS", "300")  # one line per problem, not wrapped
    r = runner.invoke(app, ["index", "--year", "2025"])
    assert r.exit_code == 1
    assert f"Fel i inställningarna: {message}" in r.output
    assert "Traceback" not in r.output and "ValidationError" not in r.output
