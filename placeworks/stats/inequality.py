"""Inequality within an area: quantile assignment and the Slope and Relative Index of Inequality.

Methods as in the OHID (formerly PHE) Fingertips public health technical guidance: "Assigning
deprivation categories" (quantiles) and "Slope index of inequality (SII) and relative index of
inequality (RII)" (after Low & Low 2004), as implemented in PHE's PHEindicatormethods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from placeworks.stats._checks import FloatArray, check_confidence, positive, vector, z_value


def _whole(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be a whole number of at least {minimum}, got {value!r}")
    return int(value)


def quantiles(values: ArrayLike, n: int, higher_is_worse: bool = True) -> list[int]:
    """Assign each value to one of ``n`` quantiles of the group, quantile 1 being the worst.

    Method: OHID Technical Guide, "Assigning deprivation categories" (Fingertips), as in PHE's
    ``phe_quantile``: values are ranked from worst (rank 1) to best — highest first when
    ``higher_is_worse`` (e.g. IMD scores), lowest first otherwise (e.g. IMD ranks, where 1 is the
    most deprived) — and a value of rank ``r`` among ``N`` goes to quantile
    ``n + 1 − ⌈(N + 1 − r) / (N / n)⌉``. When ``N`` is not a multiple of ``n`` the worse quantiles
    take the extra members.

    Ties: tied values share the best (lowest) rank among them, so all land in the same quantile,
    the one the first of them reaches; the result never depends on input order. Needs at least
    ``n`` values.

    >>> quantiles([50, 40, 30, 20, 10], 5)
    [1, 2, 3, 4, 5]
    >>> quantiles([9, 7, 7, 7, 1, 0], 3)
    [1, 1, 1, 1, 3, 3]
    >>> quantiles([1, 2, 3, 4], 2, higher_is_worse=False)
    [1, 1, 2, 2]
    """
    data = vector("values", values)
    count = _whole("n", n, 1)
    if data.size < count:
        raise ValueError(f"values has {data.size} values, fewer than the {count} quantiles asked")
    ranks = stats.rankdata(-data if higher_is_worse else data, method="min").astype(np.int64)
    # ⌈n(N + 1 − r) / N⌉ in integer arithmetic, so exact multiples never round the wrong way.
    steps = -(-count * (data.size + 1 - ranks) // data.size)
    return [int(q) for q in count + 1 - steps]


@dataclass(frozen=True)
class SII:
    """Slope Index of Inequality with its limits; the RII fields are set when asked for."""

    sii: float
    lower: float
    upper: float
    rii: float | None = None
    rii_lower: float | None = None
    rii_upper: float | None = None


def sii(
    quantile: ArrayLike,
    population: ArrayLike,
    value: ArrayLike,
    *,
    se: ArrayLike | None = None,
    lower: ArrayLike | None = None,
    upper: ArrayLike | None = None,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    rii: bool = False,
    seed: int | None = None,
) -> SII:
    """Slope Index of Inequality (and optionally the RII) across the quantiles of one area.

    Method: OHID Fingertips technical guide "Slope index of inequality (SII) and relative index of
    inequality (RII)", after Low & Low (2004), as in PHE's ``phe_sii``. Quantiles are ordered by
    their label, label 1 (or the lowest) being the most deprived. Each quantile's relative rank
    is the midpoint of its range in the cumulative population share (the most deprived end at 0,
    the least deprived at 1); the values are regressed on relative rank by least squares weighted
    by each quantile's share of the population.

    Sign: ``sii`` is the fitted value at the least deprived end minus the fitted value at the
    most deprived end (the slope). It is positive when the value rises as deprivation falls
    (e.g. life expectancy) and negative when it is higher in deprived areas (e.g. mortality).

    ``rii`` is the SII divided by the population-weighted mean value (the fitted value at the
    middle of the population), so 0 means no gradient.

    Confidence limits are by simulation (Low & Low 2004): ``repetitions`` times (at least 1,000)
    each quantile's value is drawn from Normal(value, se) and the SII (and RII) recomputed; the
    limits are the matching order statistics of the simulated values, as ``phe_sii`` takes them.
    ``se`` is used when given; otherwise it is derived from 95% limits as
    ``(upper − lower) / (2 × 1.959964)`` — assumed symmetric, as PHE does for indicators on their
    natural scale. ``seed`` makes the simulation repeatable.

    >>> result = sii([1, 2, 3, 4, 5], [100] * 5, [12, 16, 20, 24, 28], se=[1] * 5, rii=True)
    >>> round(result.sii, 6), round(result.rii, 6)
    (20.0, 1.0)
    >>> round(result.lower, 1), round(result.upper, 1)
    (16.9, 23.1)
    """
    labels = np.asarray(quantile)
    if labels.ndim != 1 or labels.size < 2:
        raise ValueError("quantile must list at least 2 quantiles with data")
    if np.unique(labels).size != labels.size:
        raise ValueError("quantile labels must be unique")
    order = np.argsort(labels, kind="stable")
    size = labels.size
    people = positive("population", vector("population", population, size))[order]
    values = vector("value", value, size)[order]
    errors = _standard_errors(size, se, lower, upper)[order]
    tail = (1 - check_confidence(confidence)) / 2
    reps = _whole("repetitions", repetitions, 1000)

    share = people / people.sum()
    rank = np.cumsum(share) - share / 2
    centred = rank - share @ rank
    slope = share * centred / (share @ centred**2)  # value @ slope is the weighted LS slope

    draws = values + errors * np.random.default_rng(seed).standard_normal((reps, size))
    # The order statistics phe_sii reports, at positions round(R·α/2) and round(R·(1 − α/2)).
    positions = [max(round(reps * tail), 1) - 1, min(round(reps * (1 - tail)), reps) - 1]

    def limits(simulated: FloatArray) -> tuple[float, float]:
        low, high = np.partition(simulated, positions)[positions]
        return float(low), float(high)

    estimate, simulated = float(values @ slope), draws @ slope
    sii_lower, sii_upper = limits(simulated)
    if not rii:
        return SII(estimate, sii_lower, sii_upper)
    average = float(values @ share)
    if average == 0:
        raise ValueError("value has a population-weighted mean of 0, so the RII is undefined")
    rii_lower, rii_upper = limits(simulated / (draws @ share))
    return SII(estimate, sii_lower, sii_upper, estimate / average, rii_lower, rii_upper)


def _standard_errors(
    size: int, se: ArrayLike | None, lower: ArrayLike | None, upper: ArrayLike | None
) -> FloatArray:
    if se is not None:
        errors = vector("se", se, size)
        if np.any(errors < 0):
            raise ValueError("se must not be negative")
        return errors
    if lower is None or upper is None:
        raise ValueError("sii needs se, or both lower and upper (95% limits of each value)")
    low, high = vector("lower", lower, size), vector("upper", upper, size)
    if np.any(high < low):
        raise ValueError("upper must not be below lower")
    return (high - low) / (2 * z_value(0.95))
