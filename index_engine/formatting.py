"""Swedish number formatting: the only place where figures are rounded, and only for display.

Rounding is half-up on the *decimal* value (``Decimal(repr(x))``), so ``8.15`` shows as ``8,2``
although the binary float is a hair below 8.15. Decimal separator is a comma, thousands are grouped
with a space (``1 234,5``), percentages get a space before the sign (``65,1 %``).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["fmt_change", "fmt_number", "fmt_percent", "parse_number", "round_half_up"]

_SPACES = re.compile(r"[\s\u00a0\u202f]")


def round_half_up(x: float, decimals: int = 1) -> Decimal:
    """Round ``x`` half-up on its shortest decimal representation.

    Args:
        x: The value.
        decimals: Number of decimals to keep (0 or more).

    Returns:
        The rounded value as a ``Decimal``.
    """
    quantum = Decimal(1).scaleb(-decimals)
    return Decimal(repr(float(x))).quantize(quantum, rounding=ROUND_HALF_UP)


def fmt_number(x: float, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a number Swedish style: ``8.158 -> "8,2"``, ``1234.5 -> "1 234,5"``.

    Args:
        x: The (unrounded) value.
        decimals: Decimals to show.
        sign: Prefix positive values with ``+`` and zero with ``±`` (for changes).

    Returns:
        The display string; ``"–"`` for NaN or infinity.
    """
    if x is None or not math.isfinite(float(x)):
        return "–"
    rounded = round_half_up(x, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never show "-0,0"
    negative = rounded < 0
    text = f"{abs(rounded):,.{decimals}f}"  # 1,234.5
    text = text.replace(",", " ").replace(".", ",")
    if negative:
        return "-" + text
    if sign:
        return ("±" if rounded == 0 else "+") + text  # an unchanged figure reads "±0,0"
    return text


def fmt_percent(x: float, decimals: int = 1, *, sign: bool = False) -> str:
    """Format a percentage (already on the 0–100 scale): ``65.1017 -> "65,1 %"``.

    Args:
        x: The value in percent.
        decimals: Decimals to show.
        sign: Prefix positive values with ``+``.

    Returns:
        The display string.
    """
    return f"{fmt_number(x, decimals, sign=sign)} %"


def fmt_change(x: float, unit: str, decimals: int = 1) -> str:
    """Format a year-over-year change for a figure of the given unit.

    Args:
        x: The (unrounded) change.
        unit: ``index10``, ``percent``, ``score5``, ``count`` or ``ratio``.
        decimals: Decimals to show (ignored for counts).

    Returns:
        E.g. ``"+0,1"``, ``"+0,9 procentenheter"``, ``"-3"``.
    """
    if unit == "percent":
        return f"{fmt_number(x, decimals, sign=True)} procentenheter"
    if unit == "count":
        return fmt_number(x, 0, sign=True)
    return fmt_number(x, decimals, sign=True)


def display_decimals(display: str) -> int:
    """How many decimals a Swedish display string shows (``"8,2"`` -> 1, ``"57"`` -> 0)."""
    match = re.search(r",(\d+)", display)
    return len(match.group(1)) if match else 0


def parse_number(text: str) -> float:
    """Parse a number written Swedish (or English) style.

    Accepts ``"8,2"``, ``"64,5 %"``, ``"1 234,5"``, ``"-0,3"``, ``"−0,3"``, ``"1234.5"``.

    Args:
        text: The text.

    Returns:
        The value as a float.

    Raises:
        ValueError: When the text is not a number.
    """
    if isinstance(text, int | float):
        return float(text)
    cleaned = _SPACES.sub("", str(text)).replace("\u2212", "-").rstrip("%")
    if "," in cleaned:
        if "." in cleaned:  # "1.234,5": dots group thousands
            cleaned = cleaned.replace(".", "")
        cleaned = cleaned.replace(",", ".")
    if not cleaned or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
        raise ValueError(f"inte ett tal: {text!r}")
    return float(cleaned)
