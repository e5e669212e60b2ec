"""Comparing an area's confidence interval with a benchmark, as Fingertips colours its tables.

Method: OHID (formerly PHE) Fingertips technical guidance, "Comparing indicator values with a
benchmark": an area is significantly higher than the benchmark (for example England's value)
when its lower confidence limit lies above it, significantly lower when its upper limit lies
below it, and similar when the interval contains it. The indicator's polarity turns higher and
lower into better and worse. Pass limits at the confidence Fingertips uses for the indicator
(95% or 99.8%).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Polarity = Literal["higher_is_better", "higher_is_worse", "no_judgement"]
Comparison = Literal["better", "similar", "worse", "higher", "lower", "not_compared"]

_ABOVE_BELOW: dict[str, tuple[Comparison, Comparison]] = {
    "higher_is_better": ("better", "worse"),
    "higher_is_worse": ("worse", "better"),
    "no_judgement": ("higher", "lower"),
}


def _words(polarity: str) -> tuple[Comparison, Comparison]:
    if polarity not in _ABOVE_BELOW:
        raise ValueError(f"polarity must be one of {sorted(_ABOVE_BELOW)}, got {polarity!r}")
    return _ABOVE_BELOW[polarity]


def compare_to_benchmark(
    lower: float | None, upper: float | None, benchmark: float | None, polarity: Polarity
) -> Comparison:
    """Compare an area's interval (``lower``, ``upper``) with the benchmark's value.

    Method: Fingertips benchmarking (OHID technical guidance): "better"/"worse" by polarity
    ("higher"/"lower" for "no_judgement") when the whole interval lies above or below the
    benchmark, "similar" when it contains it, "not_compared" when a limit or the benchmark is
    missing (None or NaN).

    >>> compare_to_benchmark(12.1, 15.3, 11.0, "higher_is_worse")
    'worse'
    >>> compare_to_benchmark(12.1, 15.3, 13.0, "higher_is_better")
    'similar'
    >>> compare_to_benchmark(None, 15.3, 13.0, "no_judgement")
    'not_compared'
    """
    above, below = _words(polarity)
    if lower is None or upper is None or benchmark is None:
        return "not_compared"
    if math.isnan(lower) or math.isnan(upper) or math.isnan(benchmark):
        return "not_compared"
    if lower > upper:
        raise ValueError(f"lower ({lower}) must not exceed upper ({upper})")
    if lower > benchmark:
        return above
    if upper < benchmark:
        return below
    return "similar"


def compare_to_benchmark_array(
    lower: ArrayLike, upper: ArrayLike, benchmark: ArrayLike, polarity: Polarity
) -> NDArray[np.str_]:
    """``compare_to_benchmark`` for arrays of areas; the benchmark may be one value or one each.

    Method: Fingertips benchmarking (OHID technical guidance), element by element. Missing
    values (None or NaN) give "not_compared".

    >>> compare_to_benchmark_array([1, 5, None], [2, 6, 3], 4, "higher_is_better").tolist()
    ['worse', 'better', 'not_compared']
    """
    above, below = _words(polarity)
    try:
        low, high, value = np.broadcast_arrays(
            *(np.asarray(a, dtype=np.float64) for a in (lower, upper, benchmark))
        )
    except (TypeError, ValueError) as error:
        raise ValueError(f"lower, upper and benchmark must be numeric and match: {error}") from None
    if np.any(low > high):
        raise ValueError("lower must not exceed upper")
    result = np.full(low.shape, "similar", dtype="<U12")
    result[low > value] = above
    result[high < value] = below
    result[np.isnan(low) | np.isnan(high) | np.isnan(value)] = "not_compared"
    return result
