"""Swedish display formatting: half-up on the decimal value, comma, percent with a space."""

from __future__ import annotations

import pytest

from index_engine import fmt_change, fmt_number, fmt_percent, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (8.158, 1, "8,2"),
        (8.15, 1, "8,2"),  # binary 8.1499999... but half-up on the decimal value
        (8.05, 1, "8,1"),
        (0.25, 1, "0,3"),
        (2.675, 2, "2,68"),
        (8.149, 1, "8,1"),
        (3.72, 2, "3,72"),
        (7.0, 1, "7,0"),
        (-0.04, 1, "0,0"),  # never "-0,0"
        (-0.35, 1, "-0,4"),
        (1234.5, 1, "1 234,5"),
        (1234567, 0, "1 234 567"),
        (220, 0, "220"),
    ],
)
def test_fmt_number(value: float, decimals: int, expected: str) -> None:
    assert fmt_number(value, decimals) == expected


def test_fmt_percent_and_sign() -> None:
    assert fmt_percent(65.1017) == "65,1 %"
    assert fmt_percent(64.545454) == "64,5 %"
    assert fmt_percent(73.0392) == "73,0 %"
    assert fmt_number(0.07, sign=True) == "+0,1"
    assert fmt_number(0.004, sign=True) == "±0,0"
    assert fmt_number(-0.04, sign=True) == "±0,0"
    assert fmt_number(float("nan")) == "–"


def test_fmt_change() -> None:
    assert fmt_change(0.9, "percent") == "+0,9 procentenheter"
    assert fmt_change(-3, "count") == "-3"
    assert fmt_change(0.0716, "index10") == "+0,1"
    assert fmt_change(-0.04, "score5", 2) == "-0,04"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8,2", 8.2),
        ("64,5 %", 64.5),
        ("64,5%", 64.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),
        ("1.234,5", 1234.5),
        ("1234.5", 1234.5),
        ("-0,3", -0.3),
        ("\u22120,3", -0.3),
        ("+0,1", 0.1),
        ("220", 220.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "8,2,3", "%"])
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_roundtrip() -> None:
    for x in (8.2, 65.1, 3.72, 1234.5):
        assert parse_number(fmt_number(x, 2)) == pytest.approx(x)


@pytest.mark.parametrize(
    ("display", "decimals"), [("8,2", 1), ("65,1 %", 1), ("3,72", 2), ("57", 0), ("1 234,5", 1)]
)
def test_display_decimals(display: str, decimals: int) -> None:
    from index_engine.formatting import display_decimals

    assert display_decimals(display) == decimals
