"""Age-standardised rates and ratios: directly (DSR) and indirectly (ISR, SMR) standardised.

Methods as the OHID (formerly PHE) Fingertips technical guidance gives them: "Technical Guide:
Confidence Intervals" and the guide to directly and indirectly standardised rates. DSR limits use
the method of Dobson et al. (1991) with Byar's limits on the total count; ISR and SMR limits are
the limits of the observed count (exact Poisson below 10 events, Byar's from 10) divided by the
expected count.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from placeworks.stats._checks import floats, positive, vector, z_value
from placeworks.stats.intervals import Estimate, _byars, _count_limits, _count_method, _multiplier

#: The European Standard Population 2013 (Eurostat 2013): 19 age bands summing to 100,000.
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip

#: Labels of the ESP2013 age bands, in the same order: "0-4", "5-9", ..., "85-89", "90+".
ESP2013_BANDS: tuple[str, ...] = tuple(f"{age}-{age + 4}" for age in range(0, 90, 5)) + ("90+",)

#: PHE does not publish a DSR based on fewer events than this (the total over all age bands).
DSR_MIN_COUNT = 10


def dsr_suppressed(counts: ArrayLike) -> bool:
    """Whether PHE would suppress a DSR with these counts: True when their total is below 10.

    Method: OHID Technical Guide (directly standardised rates) — DSRs are not published when the
    total count is under 10, as the Dobson limits become unreliable. ``dsr`` still computes them.

    >>> dsr_suppressed([2, 3, 4]), dsr_suppressed([2, 3, 5])
    (True, False)
    """
    return float(floats("counts", counts, minimum=0).sum()) < DSR_MIN_COUNT


def dsr(
    counts: ArrayLike,
    populations: ArrayLike,
    standard_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> Estimate:
    """Directly standardised rate per ``multiplier``, with Dobson limits, as PHE calculates it.

    ``DSR = Σ wᵢ·xᵢ/nᵢ / Σ wᵢ`` over age bands with events ``xᵢ``, local population ``nᵢ`` and
    standard population ``wᵢ`` (for example ``ESP2013``). Limits by Dobson et al. (1991), as the
    OHID Technical Guide: ``DSR + √(var(DSR)/O) · (O_limit − O)`` with ``O = Σ xᵢ``,
    ``var(DSR) = Σ wᵢ²·xᵢ/nᵢ² / (Σ wᵢ)²`` and ``O_limit`` Byar's limits (Breslow & Day 1987)
    on ``O``.

    Note: PHE suppresses DSRs when the total count is below 10 (see ``dsr_suppressed``); this
    function returns the estimate anyway and leaves suppression to the caller. With no events
    at all the Dobson limits are undefined and a ``ValueError`` is raised.

    >>> estimate = dsr([5, 20, 40], [10_000, 20_000, 8_000], [20_000, 50_000, 30_000])
    >>> round(estimate.value, 6), round(estimate.lower, 2), round(estimate.upper, 2)
    (210.0, 161.05, 268.89)
    """
    scale = _multiplier(multiplier)
    events = vector("counts", counts)
    if np.any(events < 0):
        raise ValueError("counts must not be negative")
    local = positive("populations", vector("populations", populations, events.size))
    standard = positive(
        "standard_populations", vector("standard_populations", standard_populations, events.size)
    )
    total = float(events.sum())
    if total == 0:
        raise ValueError("counts total 0: the Dobson limits need at least one event")
    weight = standard / standard.sum()
    value = float(np.sum(weight * events / local))
    variance = float(np.sum(weight**2 * events / local**2))
    lower_count, upper_count = _byars(np.asarray(total, dtype=np.float64), z_value(confidence))
    spread = math.sqrt(variance / total)
    return Estimate(
        value * scale,
        (value + spread * float(lower_count - total)) * scale,
        (value + spread * float(upper_count - total)) * scale,
        confidence,
        "Dobson DSR",
    )


def _indirect(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
) -> tuple[float, float, float]:
    """Observed events, expected events and the crude reference rate."""
    reference = floats("reference_counts", reference_counts, minimum=0)
    bands = vector("reference_counts", reference).size
    reference_people = positive(
        "reference_populations", vector("reference_populations", reference_populations, bands)
    )
    local = vector("populations", populations, bands)
    if np.any(local < 0):
        raise ValueError("populations must not be negative")
    observed = floats("counts", counts, minimum=0)
    if observed.ndim > 1 or observed.size not in (1, bands):
        raise ValueError(f"counts must be one total or {bands} values, one per band")
    expected = float(np.sum(local * reference / reference_people))
    if expected <= 0:
        raise ValueError("expected count is 0: populations or reference_counts are all zero")
    return float(observed.sum()), expected, float(reference.sum() / reference_people.sum())


def isr(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100_000,
) -> Estimate:
    """Indirectly standardised rate: observed / expected × the reference crude rate.

    Expected events are ``Σ nᵢ · Rᵢ/Nᵢ`` (local populations by band times the reference
    population's band rates). Method: OHID Technical Guide (indirectly standardised rates) —
    limits are those of the observed count, exact Poisson (Ulm 1990) below 10 events, Byar's
    (Breslow & Day 1987) from 10, scaled the same way. ``counts`` may be the observed events by
    band or just their total.

    >>> estimate = isr(30, [3000, 6000], [100, 900], [100_000, 300_000], multiplier=1000)
    >>> round(estimate.value, 3), round(estimate.lower, 3), round(estimate.upper, 3)
    (3.571, 2.409, 5.099)
    """
    scale = _multiplier(multiplier)
    observed, expected, reference_rate = _indirect(
        counts, populations, reference_counts, reference_populations
    )
    lower, upper = _count_limits(np.asarray(observed, dtype=np.float64), confidence)
    factor = reference_rate * scale / expected
    return Estimate(
        observed * factor,
        float(lower) * factor,
        float(upper) * factor,
        confidence,
        f"ISR, {_count_method(observed)}",
    )


def smr(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    confidence: float = 0.95,
    multiplier: float = 100,
) -> Estimate:
    """Standardised ratio (SMR): observed / expected events × ``multiplier`` (100 by default).

    The same calculation as ``isr`` without the reference rate. Method: OHID Technical Guide
    (indirectly standardised ratios) — exact Poisson limits (Ulm 1990) on the observed count
    below 10 events, Byar's (Breslow & Day 1987) from 10, divided by the expected count.

    >>> estimate = smr(30, [3000, 6000], [100, 900], [100_000, 300_000])
    >>> round(estimate.value, 2), round(estimate.lower, 2), round(estimate.upper, 2)
    (142.86, 96.37, 203.94)
    """
    scale = _multiplier(multiplier)
    observed, expected, _ = _indirect(counts, populations, reference_counts, reference_populations)
    lower, upper = _count_limits(np.asarray(observed, dtype=np.float64), confidence)
    factor = scale / expected
    return Estimate(
        observed * factor,
        float(lower) * factor,
        float(upper) * factor,
        confidence,
        f"SMR, {_count_method(observed)}",
    )
