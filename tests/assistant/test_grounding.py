from __future__ import annotations

from assistant.grounding import check_grounding, find_numbers


def test_swedish_and_english_notation_are_the_same_number() -> None:
    report = check_grounding(
        "Indexet blev 8,2 och svarsfrekvensen 64,5 % år 2025.",
        [{"value": 8.158, "display": "8,2"}, {"rate": 64.5}, {"year": 2025}],
    )
    assert report.ok, report.ungrounded
    assert check_grounding("Index 8.2, svar 64.5%", [{"v": "8,2"}, "svarsfrekvensen var 64,5%"]).ok


def test_ratio_grounds_percent_and_rounding_to_answer_precision() -> None:
    assert check_grounding("Genomförandegraden var 88,2 %.", [{"ratio": 0.8821}]).ok
    assert check_grounding("Medel 3,72 av 5.", [{"mean": 3.7213, "formula": "medel / 5 × 100"}]).ok


def test_ungrounded_numbers_are_listed_and_warned() -> None:
    report = check_grounding(
        "Indexet var 8,2 men 2019 låg det på 7,4.", [{"value": 8.2, "year": 2025}]
    )
    assert report.ungrounded == ["2019", "7,4"]
    warning = report.warning()
    assert warning is not None and "2019" in warning and "7,4" in warning


def test_words_with_digits_and_list_markers_are_not_figures() -> None:
    assert [m.text for m in find_numbers("NIS2 och e5-modellen")] == []
    text = "1. Första punkten\n2. Andra punkten med 8,2"
    assert [m.text for m in find_numbers(text)] == ["8,2"]


def test_thousands_and_negative_changes() -> None:
    assert [m.value for m in find_numbers("1 234,5 kronor och -0,3")] == [1234.5, -0.3]
    # a change written as an amount is grounded by the signed change in the tool result
    assert check_grounding("en minskning med 0,5 procentenheter", [{"change": -0.545}]).ok
