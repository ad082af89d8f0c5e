"""The internal shape every figure module returns: per key, per year, a value with provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Series", "Val", "codes", "distinct", "items", "rows"]


@dataclass(frozen=True)
class Val:
    """One unrounded value with the observation count and the inputs it came from."""

    value: float
    n: int
    inputs: dict[str, Any] = field(default_factory=dict)


#: key -> year -> value. A year is missing when the figure cannot be computed for it.
Series = dict[str, dict[int, Val]]


def items(series: pd.Series) -> list[tuple[Any, Any]]:
    """``(index label, value)`` pairs of a Series (labels are tuples for a MultiIndex)."""
    return list(zip(series.index.tolist(), series.tolist(), strict=True))


def rows(frame: pd.DataFrame) -> list[tuple[Any, dict[str, Any]]]:
    """``(index label, row as dict)`` pairs of a DataFrame."""
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in frame.to_dict("records")
    ]
    return list(zip(frame.index.tolist(), records, strict=True))


def codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (0..k-1, in order of appearance) and the distinct values."""
    if values.dtype.kind in "iub":
        c, uniques = pd.factorize(values.to_numpy(), sort=False)
    else:  # hashing a plain object array is about twice as fast as pandas' string array
        c, uniques = pd.factorize(values.to_numpy(dtype=object), sort=False)
    return np.asarray(c, dtype=np.int64), np.asarray(uniques)


def distinct(keys: np.ndarray) -> np.ndarray:
    """Distinct integer keys, sorted (sort-based; faster than hash-based ``np.unique`` here)."""
    if not len(keys):
        return keys
    s = np.sort(keys, kind="stable")
    return s[np.concatenate(([True], s[1:] != s[:-1]))]
