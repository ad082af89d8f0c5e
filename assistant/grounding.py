"""The grounding check: every number in an answer must come from a tool result or a cited passage.

Numbers are compared as values, not as text: ``8,2`` = ``8.2``, ``64,5 %`` = ``64.5%``,
``1 234`` = ``1234``; years count as numbers too. A number in the answer is grounded when some
number in the evidence, rounded to the answer's precision, equals it (a value 8.158 grounds
``8,2``), or when it is that number as a percentage (a ratio 0.882 grounds ``88,2 %``).
Numbers glued to letters (``NIS2``, ``e5``) and list markers (``1.`` at the start of a line) are
not figures and are skipped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

#: A number as people write it: 8,2 / 8.2 / 1 234,5 / 64,5 % / -0,3 (not part of a word).
NUMBER_RE = re.compile(
    r"(?<![\w.,])[-−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\w])"
    r"|(?<![\w.,])[-−]?\d+(?:[.,]\d+)?(?![\w])"
)
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
_SPACES = re.compile(r"[ \u00a0\u202f]")


@dataclass(frozen=True)
class NumberMention:
    """A number found in text: how it was written, its value and its decimals."""

    text: str
    value: float
    decimals: int
    start: int


def find_numbers(text: str) -> list[NumberMention]:
    """Every number written in ``text`` (list markers and numbers inside words skipped)."""
    skip = {
        m.start() + len(m.group(0)) - len(m.group(0).lstrip()) for m in _LIST_MARKER.finditer(text)
    }
    out: list[NumberMention] = []
    for m in NUMBER_RE.finditer(text):
        if m.start() in skip:
            continue
        raw = m.group(0)
        # "8.2." at the end of a sentence: the regex stops before the last dot already.
        cleaned = _SPACES.sub("", raw).replace("−", "-").replace(",", ".")
        try:
            value = float(cleaned)
        except ValueError:
            continue
        decimals = len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
        out.append(NumberMention(raw, value, decimals, m.start()))
    return out


def evidence_numbers(evidence: Any) -> set[float]:
    """All numbers in tool results / passages: JSON numbers and numbers written in strings."""
    found: set[float] = set()
    _collect(evidence, found)
    return found


def _collect(value: Any, found: set[float]) -> None:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        if math.isfinite(float(value)):
            found.add(float(value))
        return
    if isinstance(value, str):
        for mention in find_numbers(value):
            found.add(mention.value)
        # "NIS2" style numbers are skipped in answers, so they need no evidence either.
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if isinstance(k, str):
                _collect(k, found)
            _collect(v, found)
        return
    if isinstance(value, Iterable):
        for v in value:
            _collect(v, found)


def _rounded(x: float, decimals: int) -> Decimal | None:
    try:
        return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    except (InvalidOperation, ValueError, OverflowError):
        return None


def is_grounded(mention: NumberMention, evidence: set[float]) -> bool:
    """True when some evidence value, at the mention's precision, equals the mention."""
    target = _rounded(mention.value, mention.decimals)
    if target is None:
        return False
    for candidate in evidence:
        # Changes are often written as amounts ("en minskning med 0,5"): signs are not compared.
        for value in (candidate, -candidate, candidate * 100, -candidate * 100):
            if value == mention.value or _rounded(value, mention.decimals) == target:
                return True
    return False


@dataclass(frozen=True)
class GroundingReport:
    """The outcome of the check: numbers in the answer and the ones without evidence."""

    numbers: list[str]
    ungrounded: list[str]

    @property
    def ok(self) -> bool:
        """True when every number is grounded."""
        return not self.ungrounded

    def warning(self) -> str | None:
        """A plain Swedish warning for the ungrounded numbers, or None."""
        if not self.ungrounded:
            return None
        listed = ", ".join(self.ungrounded)
        return (
            f"Talen {listed} i svaret finns inte i verktygsresultaten eller de citerade "
            "källorna; kontrollera dem innan de används."
            if len(self.ungrounded) > 1
            else f"Talet {listed} i svaret finns inte i verktygsresultaten eller de citerade "
            "källorna; kontrollera det innan det används."
        )


def check_grounding(answer: str, evidence: Iterable[Any]) -> GroundingReport:
    """Check every number of ``answer`` against the numbers in ``evidence``.

    Args:
        answer: The answer text.
        evidence: Tool results and cited passages (dicts, lists, strings, numbers).

    Returns:
        The numbers found and the ones not grounded (as written, in order, unique).
    """
    pool = evidence_numbers(list(evidence))
    mentions = find_numbers(answer)
    ungrounded: list[str] = []
    for m in mentions:
        if not is_grounded(m, pool) and m.text not in ungrounded:
            ungrounded.append(m.text.strip())
    return GroundingReport(numbers=[m.text for m in mentions], ungrounded=ungrounded)
