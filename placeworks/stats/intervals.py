"""Confidence intervals for proportions, counts, crude rates and means, as Fingertips makes them.

The methods follow OHID (formerly PHE) "Technical Guide: Confidence Intervals" in the Fingertips
public health methods guidance:

* proportions — Wilson score interval (Wilson 1927), in the form recommended by Newcombe (1998);
* counts and crude rates — the exact Poisson interval from the chi-squared distribution
  (Ulm 1990) below 10 events, Byar's approximation (Breslow & Day 1987) from 10 events;
* means — Student's t.

Each scalar function has an array twin for national-scale work (one call for 33,755 LSOAs). The
scalar functions raise ``ValueError`` on invalid input; the array versions raise on invalid input
too, except that a zero denominator gives NaN for that element instead of stopping the batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from placeworks.stats._checks import (
    FloatArray,
    check_confidence,
    floats,
    scalar,
    vector,
    z_value,
)

#: Fewer events than this use exact Poisson limits; this many or more use Byar's (PHE).
EXACT_BELOW = 10


@dataclass(frozen=True)
class Estimate:
    """A statistic with its confidence interval and a short name of the method that made it."""

    value: float
    lower: float
    upper: float
    confidence: float
    method: str


def _wilson(x: FloatArray, n: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    """Wilson limits where n > 0 and NaN where n == 0 (no warnings)."""
    empty = n == 0
    n = np.where(empty, 1.0, n)
    centre = 2 * x + z * z
    half = z * np.sqrt(z * z + 4 * x * (1 - x / n))
    denominator = 2 * (n + z * z)
    # Clipping only removes rounding error at x = 0 and x = n, where a limit is exactly 0 or 1.
    lower = np.where(empty, np.nan, np.clip((centre - half) / denominator, 0, 1))
    upper = np.where(empty, np.nan, np.clip((centre + half) / denominator, 0, 1))
    return lower, upper


def _byars(x: FloatArray, z: float) -> tuple[FloatArray, FloatArray]:
    safe = np.where(x > 0, x, 1.0)  # the lower formula divides by x; x = 0 has lower limit 0
    lower = np.where(x > 0, safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3, 0.0)
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    # At high confidence and very small counts the approximation dips below zero.
    return np.maximum(lower, 0.0), upper


def _exact(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    tail = (1 - confidence) / 2
    degrees = np.where(x > 0, 2 * x, 1.0)  # chi-squared with 0 degrees of freedom is undefined
    lower = np.where(x > 0, stats.chi2.ppf(tail, degrees) / 2, 0.0)
    upper = stats.chi2.ppf(1 - tail, 2 * x + 2) / 2
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def _count_limits(x: FloatArray, confidence: float) -> tuple[FloatArray, FloatArray]:
    """PHE's choice for a count: exact Poisson below 10 events, Byar's from 10."""
    byars_lower, byars_upper = _byars(x, z_value(confidence))
    exact_lower, exact_upper = _exact(x, confidence)
    small = x < EXACT_BELOW
    return np.where(small, exact_lower, byars_lower), np.where(small, exact_upper, byars_upper)


def _count_method(count: float) -> str:
    return "exact Poisson" if count < EXACT_BELOW else "Byar"


def _proportion_inputs(x: ArrayLike, n: ArrayLike) -> tuple[FloatArray, FloatArray]:
    counts = floats("x", x, minimum=0)
    totals = floats("n", n, minimum=0)
    if counts.shape != totals.shape:
        raise ValueError(f"x and n have different shapes: {counts.shape} and {totals.shape}")
    if np.any(counts > totals):
        raise ValueError("x must not exceed n")
    return counts, totals


def _multiplier(multiplier: float) -> float:
    value = scalar("multiplier", multiplier)
    if value <= 0:
        raise ValueError(f"multiplier must be greater than zero, got {multiplier!r}")
    return value


def _denominator(n: float) -> float:
    value = scalar("n", n)
    if value <= 0:
        raise ValueError(f"n must be greater than zero, got {n!r}")
    return value


def wilson_ci_array(
    x: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score limits of the proportions ``x / n``, element by element (scale 0 to 1).

    Method: Wilson (1927) as given by Newcombe (1998) and the OHID Technical Guide: Confidence
    Intervals. Elements with ``n == 0`` are NaN; negative values, ``x > n`` and NaN raise.

    >>> lower, upper = wilson_ci_array([12, 0], [50, 0])
    >>> np.round(lower, 4).tolist(), np.round(upper, 4).tolist()
    ([0.143, nan], [0.3741, nan])
    """
    counts, totals = _proportion_inputs(x, n)
    return _wilson(counts, totals, z_value(confidence))


def wilson_ci(x: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score confidence limits of the proportion ``x / n`` (scale 0 to 1).

    Method: Wilson (1927), in the form recommended by Newcombe (1998) and used in the OHID
    Technical Guide: Confidence Intervals. The interval stays inside 0..1 and is sound for
    ``x = 0`` and ``x = n``.

    >>> [round(limit, 4) for limit in wilson_ci(12, 50)]
    [0.143, 0.3741]
    """
    lower, upper = wilson_ci_array(scalar("x", x), _denominator(n), confidence)
    return float(lower), float(upper)


def byars_ci_array(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximate Poisson limits for each count in ``x``.

    Method: Byar's approximation to the exact Poisson interval (Breslow & Day 1987), as in the
    OHID Technical Guide: Confidence Intervals. A count of 0 has lower limit 0.

    >>> lower, upper = byars_ci_array([0, 25])
    >>> np.round(lower, 3).tolist(), np.round(upper, 3).tolist()
    ([0.0, 16.174], [3.668, 36.906])
    """
    check_confidence(confidence)
    return _byars(floats("x", x, minimum=0), z_value(confidence))


def byars_ci(x: float, confidence: float = 0.95) -> tuple[float, float]:
    """Byar's approximate confidence limits for a Poisson count ``x``.

    Method: Byar's approximation (Breslow & Day 1987), as in the OHID Technical Guide:
    Confidence Intervals — lower ``x(1 − 1/9x − z/3√x)³``, upper
    ``(x+1)(1 − 1/9(x+1) + z/3√(x+1))³``. For ``x = 0`` the lower limit is 0.

    >>> [round(limit, 3) for limit in byars_ci(25)]
    [16.174, 36.906]
    """
    lower, upper = byars_ci_array(scalar("x", x), confidence)
    return float(lower), float(upper)


def exact_poisson_ci_array(x: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Exact Poisson limits for each count in ``x``, from the chi-squared distribution.

    Method: Ulm (1990), as in the OHID Technical Guide: Confidence Intervals — lower
    ``χ²(α/2; 2x)/2``, upper ``χ²(1−α/2; 2x+2)/2``; a count of 0 has lower limit 0.

    >>> lower, upper = exact_poisson_ci_array([0, 3])
    >>> np.round(lower, 3).tolist(), np.round(upper, 3).tolist()
    ([0.0, 0.619], [3.689, 8.767])
    """
    return _exact(floats("x", x, minimum=0), check_confidence(confidence))


def exact_poisson_ci(x: float, confidence: float = 0.95) -> tuple[float, float]:
    """Exact Poisson confidence limits for a count ``x``, from the chi-squared distribution.

    Method: Ulm (1990), as in the OHID Technical Guide: Confidence Intervals. For ``x = 0`` the
    limits are ``(0, −ln(α/2))``: (0, 3.689) at 95%.

    >>> [round(limit, 3) for limit in exact_poisson_ci(3)]
    [0.619, 8.767]
    """
    lower, upper = exact_poisson_ci_array(scalar("x", x), confidence)
    return float(lower), float(upper)


def proportion_array(
    x: ArrayLike, n: ArrayLike, confidence: float = 0.95, multiplier: float = 1
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Proportions ``x / n`` times ``multiplier`` with Wilson score limits: (value, lower, upper).

    Method: Wilson (1927) / Newcombe (1998), OHID Technical Guide: Confidence Intervals.
    Elements with ``n == 0`` are NaN rather than an error.

    >>> value, lower, upper = proportion_array([12, 0], [50, 0], multiplier=100)
    >>> value.tolist(), np.round(lower, 2).tolist(), np.round(upper, 2).tolist()
    ([24.0, nan], [14.3, nan], [37.41, nan])
    """
    scale = _multiplier(multiplier)
    counts, totals = _proportion_inputs(x, n)
    lower, upper = _wilson(counts, totals, z_value(confidence))
    value = np.where(totals > 0, counts / np.where(totals > 0, totals, 1.0), np.nan)
    return value * scale, lower * scale, upper * scale


def proportion(x: float, n: float, confidence: float = 0.95, multiplier: float = 1) -> Estimate:
    """The proportion ``x / n`` times ``multiplier``, with Wilson score limits.

    Method: Wilson (1927) / Newcombe (1998), OHID Technical Guide: Confidence Intervals.

    >>> estimate = proportion(12, 50, multiplier=100)
    >>> estimate.value, round(estimate.lower, 2), round(estimate.upper, 2), estimate.method
    (24.0, 14.3, 37.41, 'Wilson score')
    """
    value, lower, upper = proportion_array(scalar("x", x), _denominator(n), confidence, multiplier)
    return Estimate(float(value), float(lower), float(upper), confidence, "Wilson score")


def rate_array(
    x: ArrayLike, n: ArrayLike, confidence: float = 0.95, multiplier: float = 100_000
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Crude rates ``x / n × multiplier`` with PHE's limits: (value, lower, upper) arrays.

    Method: OHID Technical Guide: Confidence Intervals — exact Poisson limits (Ulm 1990) for
    counts below 10, Byar's approximation (Breslow & Day 1987) from 10, each divided by ``n``.
    Elements with ``n == 0`` are NaN rather than an error. ``x`` may exceed ``n`` (events, not
    people).

    >>> value, lower, upper = rate_array([3, 25], [1000, 1000], multiplier=1000)
    >>> value.tolist(), np.round(lower, 3).tolist(), np.round(upper, 3).tolist()
    ([3.0, 25.0], [0.619, 16.174], [8.767, 36.906])
    """
    scale = _multiplier(multiplier)
    counts = floats("x", x, minimum=0)
    totals = floats("n", n, minimum=0)
    if counts.shape != totals.shape:
        raise ValueError(f"x and n have different shapes: {counts.shape} and {totals.shape}")
    lower, upper = _count_limits(counts, check_confidence(confidence))
    per_unit = np.where(totals > 0, scale / np.where(totals > 0, totals, 1.0), np.nan)
    return counts * per_unit, lower * per_unit, upper * per_unit


def rate(x: float, n: float, confidence: float = 0.95, multiplier: float = 100_000) -> Estimate:
    """The crude rate ``x / n × multiplier`` with confidence limits as PHE makes them.

    Method: OHID Technical Guide: Confidence Intervals — exact Poisson limits (Ulm 1990) when
    there are fewer than 10 events, Byar's approximation (Breslow & Day 1987) from 10 events.

    >>> estimate = rate(25, 50_000)
    >>> estimate.value, round(estimate.lower, 2), round(estimate.upper, 2), estimate.method
    (50.0, 32.35, 73.81, 'Byar')
    """
    count = scalar("x", x)
    value, lower, upper = rate_array(count, _denominator(n), confidence, multiplier)
    return Estimate(float(value), float(lower), float(upper), confidence, _count_method(count))


def mean(values: ArrayLike, confidence: float = 0.95) -> Estimate:
    """The mean of ``values`` with a Student's t confidence interval.

    Method: OHID Technical Guide: Confidence Intervals (means) — ``x̄ ± t(1−α/2; n−1) · s/√n``,
    with ``s`` the sample standard deviation. Needs at least two values.

    >>> estimate = mean([2, 4, 6, 8])
    >>> estimate.value, round(estimate.lower, 3), round(estimate.upper, 3), estimate.method
    (5.0, 0.891, 9.109, "Student's t")
    """
    data = vector("values", values)
    if data.size < 2:
        raise ValueError("values must hold at least two numbers for a Student's t interval")
    centre = float(data.mean())
    t = float(stats.t.ppf(0.5 + check_confidence(confidence) / 2, data.size - 1))
    half = t * float(data.std(ddof=1)) / math.sqrt(data.size)
    return Estimate(centre, centre - half, centre + half, confidence, "Student's t")
