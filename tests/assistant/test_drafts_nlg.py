"""The Swedish data-to-text helpers: change thresholds per unit, rankings, trends, lists."""

from __future__ import annotations

import pytest

from assistant.nlg import (
    CHANGE_THRESHOLDS,
    change_clause,
    classify_change,
    extremes_phrase,
    join_sv,
    ranking_phrase,
    trend_sentence,
)
from index_engine.formatting import fmt_number, fmt_percent
from index_engine.model import Figure


def fig(value: float, year: int, unit: str = "index10", key: str = "index") -> Figure:
    display = (
        fmt_percent(value) if unit == "percent" else fmt_number(value, 0 if unit == "count" else 1)
    )
    return Figure(
        key=key, label=key, value=value, display=display, unit=unit, year=year, n=1, formula=""
    )


@pytest.mark.parametrize(
    ("current", "previous", "unit", "noun"),
    [
        (8.2, 8.1, "index10", "en liten ökning"),
        (8.1, 8.1, "index10", "oförändrat"),
        (8.5, 9.2, "index10", "en minskning"),
        (7.0, 8.5, "index10", "en tydlig minskning"),
        (65.1, 64.2, "percent", "en liten ökning"),
        (64.2, 56.0, "percent", "en ökning"),
        (40.0, 56.0, "percent", "en tydlig minskning"),
        (65.1, 65.1, "percent", "oförändrat"),
        (3.72, 3.60, "score5", "en liten ökning"),
        (95, 100, "count", "en liten minskning"),  # the report: 5 % fewer = "en liten minskning"
        (80, 100, "count", "en minskning"),
        (100, 100, "count", "oförändrat"),
    ],
)
def test_change_words_follow_the_threshold_table(
    current: float, previous: float, unit: str, noun: str
) -> None:
    assert classify_change(current, previous, unit).noun == noun


def test_thresholds_are_scale_aware() -> None:
    # the same relative move is the same word on the 10-point and the percent scale
    assert CHANGE_THRESHOLDS["percent"].small == CHANGE_THRESHOLDS["index10"].small * 10
    assert classify_change(8.5, 8.2, "index10").noun == classify_change(85, 82, "percent").noun


def test_change_clause_uses_the_displayed_values() -> None:
    # 8,14 -> 8,16 is shown as 8,1 -> 8,2: the words must not say "oförändrat"
    a, b = fig(8.16, 2025), fig(8.14, 2024)
    assert change_clause(a, b) == "en liten ökning från 8,1 år 2024"
    p_now, p_before = fig(65.1, 2025, "percent"), fig(64.2, 2024, "percent")
    assert change_clause(p_now, p_before) == (
        "en liten ökning med 0,9 procentenheter från 64,2 % år 2024"
    )


def test_ranking_phrase_names_the_largest_and_groups_ties() -> None:
    counts = [
        ("Social omsorg", 9),
        ("Ledning och styrning", 12),
        ("Fastighet", 0),
        ("Välfärd skola", 9),
        ("Kultur och fritid", 3),
    ]
    assert ranking_phrase(counts) == (
        "flest initiativ inom Ledning och styrning (12), följt av "
        "Social omsorg och Välfärd skola (9 vardera) och Kultur och fritid (3)"
    )
    assert ranking_phrase([("A", 0)]) == ""


def test_extremes_and_lists() -> None:
    assert join_sv(["A", "B", "C"]) == "A, B och C"
    assert join_sv(["A"]) == "A"
    named = [("Teknik", fig(70.2, 2025, "percent")), ("Innovation", fig(58.9, 2025, "percent"))]
    assert extremes_phrase(named) == "högst inom Teknik (70,2 %) och lägst inom Innovation (58,9 %)"


def test_trend_sentence_describes_a_turn() -> None:
    series = [
        fig(9.2, 2023, key="resultat"),
        fig(8.5, 2024, key="resultat"),
        fig(8.8, 2025, key="resultat"),
    ]
    text = trend_sentence(series, "resultatindikatorn")
    assert text.startswith("Sedan 2023 har resultatindikatorn minskat från 9,2 till 8,8")
    assert "(2023: 9,2, 2024: 8,5, 2025: 8,8)" in text
    assert text.endswith("; efter en minskning 2024 har utvecklingen vänt uppåt.")
    assert trend_sentence(series[1:], "x") == ""  # two years: the change sentence covers it
    other = trend_sentence(series, "x", opening="Resultat har under samma period")
    assert other.startswith("Resultat har under samma period minskat från 9,2 till 8,8")


def test_trend_sentence_every_year_up() -> None:
    series = [fig(56.0, 2022, "percent"), fig(64.2, 2024, "percent"), fig(65.1, 2025, "percent")]
    text = trend_sentence(series, "den digitala mognaden")
    assert "ökat från 56,0 % till 65,1 %" in text
    assert "med en ökning varje år" in text
