"""Confidence intervals for proportions, counts, rates and means (OHID Technical Guide)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from placeworks.stats import (
    byars_ci,
    byars_ci_array,
    exact_poisson_ci,
    exact_poisson_ci_array,
    mean,
    proportion,
    proportion_array,
    rate,
    rate_array,
    wilson_ci,
    wilson_ci_array,
)


def test_wilson_12_of_50_matches_the_worked_formula():
    # PHE form: (2x + z² ± z·√(z² + 4x(1 − p))) / (2(n + z²)), x = 12, n = 50, p = 0.24
    # z² = 3.841459; z² + 4·12·0.76 = 40.321459; √ = 6.349918; × z = 12.445611
    # 2x + z² = 27.841459; 2(n + z²) = 107.682918
    # lower = 15.395848 / 107.682918 = 0.142974; upper = 40.287070 / 107.682918 = 0.374127
    lower, upper = wilson_ci(12, 50)
    assert lower == pytest.approx(0.142974, abs=1e-6)
    assert upper == pytest.approx(0.374127, abs=1e-6)


def test_wilson_stays_inside_zero_and_one_at_the_extremes():
    # x = 0: lower = (z² − z·√z²) / ... = 0; upper = 2z² / (2(n + z²)) = 3.841459 / 13.841459
    assert wilson_ci(0, 10) == pytest.approx((0.0, 0.277533), abs=1e-6)
    # x = n is the mirror image
    assert wilson_ci(10, 10) == pytest.approx((0.722467, 1.0), abs=1e-6)


def test_byars_for_25_events_matches_the_worked_formula():
    # lower = x(1 − 1/9x − z/3√x)³ = 25 · (1 − 0.004444 − 1.959964/15)³ = 25 · 0.864891³
    #       = 25 · 0.646971 = 16.1743
    # upper = (x+1)(1 − 1/9(x+1) + z/3√(x+1))³ = 26 · (1 − 0.004274 + 1.959964/15.297059)³
    #       = 26 · 1.123853³ = 26 · 1.419479 = 36.9065
    lower, upper = byars_ci(25)
    assert lower == pytest.approx(16.1743, abs=1e-4)
    assert upper == pytest.approx(36.9065, abs=1e-4)


def test_byars_for_no_events_has_lower_limit_zero():
    # upper = 1 · (1 − 1/9 + z/3)³ = (0.888889 + 0.653321)³ = 1.542210³ = 3.66802
    assert byars_ci(0) == pytest.approx((0.0, 3.66802), abs=1e-5)


def test_exact_poisson_for_3_events_matches_chi_squared_and_published_values():
    # Ulm (1990): lower = χ²(0.025; 6)/2, upper = χ²(0.975; 8)/2
    lower, upper = exact_poisson_ci(3)
    assert lower == pytest.approx(stats.chi2.ppf(0.025, 6) / 2, rel=1e-12)
    assert upper == pytest.approx(stats.chi2.ppf(0.975, 8) / 2, rel=1e-12)
    # The published table of exact 95% limits for a count of 3: 0.619 to 8.767
    assert (round(lower, 3), round(upper, 3)) == (0.619, 8.767)


def test_exact_poisson_for_no_events_is_zero_to_3_689():
    # χ²(0.975; 2)/2 = −ln(0.025) = 3.6889: the published 95% limits for 0 events are (0, 3.689)
    lower, upper = exact_poisson_ci(0)
    assert lower == 0.0
    assert upper == pytest.approx(-math.log(0.025), rel=1e-12)
    assert round(upper, 3) == 3.689


def test_rate_uses_exact_limits_below_10_events_and_byars_from_10():
    below = rate(9, 10_000)
    assert below.method == "exact Poisson"
    # χ²(0.025; 18)/2 = 4.1154 and χ²(0.975; 20)/2 = 17.0848 events, per 100,000 of 10,000
    assert below.value == pytest.approx(90.0)
    assert below.lower == pytest.approx(41.154, abs=1e-3)
    assert below.upper == pytest.approx(170.848, abs=1e-3)
    at_ten = rate(10, 10_000)
    assert at_ten.method == "Byar"
    assert (at_ten.lower, at_ten.upper) == pytest.approx(tuple(v * 10 for v in byars_ci(10)))
    assert at_ten.confidence == 0.95


def test_proportion_scales_value_and_limits_by_the_multiplier():
    estimate = proportion(12, 50, multiplier=100)
    assert estimate.value == pytest.approx(24.0)
    assert (estimate.lower, estimate.upper) == pytest.approx((14.2974, 37.4127), abs=1e-4)
    assert estimate.method == "Wilson score"


def test_mean_uses_students_t():
    # x̄ = 5, s = √(20/3) = 2.581989, s/√4 = 1.290994, t(0.975; 3) = 3.182446
    # half-width = 3.182446 · 1.290994 = 4.108520 → (0.891480, 9.108520)
    estimate = mean([2, 4, 6, 8])
    assert estimate.value == 5.0
    assert (estimate.lower, estimate.upper) == pytest.approx((0.891480, 9.108520), abs=1e-5)
    assert estimate.method == "Student's t"


def test_array_versions_give_nan_where_the_denominator_is_zero():
    value, lower, upper = rate_array([3, 0], [1000, 0])
    assert value[0] == pytest.approx(300.0)
    assert np.isnan([value[1], lower[1], upper[1]]).all()
    lower, upper = wilson_ci_array([0, 2], [0, 4])
    assert np.isnan(lower[0]) and np.isnan(upper[0])
    value, lower, upper = proportion_array([0], [0])
    assert np.isnan([value[0], lower[0], upper[0]]).all()


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: wilson_ci(-1, 10), "x"),
        (lambda: wilson_ci(11, 10), "x"),
        (lambda: wilson_ci(1, 0), "n"),
        (lambda: wilson_ci(1, -5), "n"),
        (lambda: wilson_ci(float("nan"), 10), "x"),
        (lambda: wilson_ci(1, 10, confidence=1.0), "confidence"),
        (lambda: wilson_ci(1, 10, confidence=0), "confidence"),
        (lambda: byars_ci(-1), "x"),
        (lambda: exact_poisson_ci(float("inf")), "x"),
        (lambda: exact_poisson_ci(1, confidence=float("nan")), "confidence"),
        (lambda: rate(1, 0), "n"),
        (lambda: rate(1, 10, multiplier=0), "multiplier"),
        (lambda: proportion(1, 10, multiplier=-1), "multiplier"),
        (lambda: rate_array([1, 2], [10]), "x and n"),
        (lambda: rate_array([1], [-10]), "n"),
        (lambda: wilson_ci_array([5], [4]), "x"),
        (lambda: mean([1.0]), "values"),
        (lambda: mean([1.0, float("nan")]), "values"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


counts = st.integers(min_value=0, max_value=100_000)
confidences = st.floats(min_value=0.5, max_value=0.999)


@given(x=counts, extra=counts, confidence=confidences)
def test_proportion_lies_within_its_limits(x, extra, confidence):
    estimate = proportion(x, x + extra + 1, confidence)
    assert 0 <= estimate.lower <= estimate.value <= estimate.upper <= 1


@given(x=counts, n=st.floats(min_value=1, max_value=1e7), confidence=confidences)
def test_rate_lies_within_its_limits(x, n, confidence):
    estimate = rate(x, n, confidence)
    assert 0 <= estimate.lower <= estimate.value <= estimate.upper


@given(x=counts, extra=counts, narrow=confidences, wide=confidences)
def test_limits_widen_with_confidence(x, extra, narrow, wide):
    narrow, wide = sorted((narrow, wide))
    for limits in (
        lambda c: wilson_ci(x, x + extra + 1, c),
        lambda c: byars_ci(x, c),
        lambda c: exact_poisson_ci(x, c),
        lambda c: (rate(x, 1000, c).lower, rate(x, 1000, c).upper),
    ):
        (narrow_lower, narrow_upper), (wide_lower, wide_upper) = limits(narrow), limits(wide)
        assert wide_lower <= narrow_lower + 1e-12
        assert wide_upper >= narrow_upper - 1e-12


@given(
    pairs=st.lists(st.tuples(counts, counts), min_size=1, max_size=20),
    confidence=confidences,
)
def test_array_versions_equal_scalar_versions(pairs, confidence):
    x = np.array([count for count, _ in pairs], dtype=float)
    n = x + np.array([extra + 1 for _, extra in pairs], dtype=float)
    value, lower, upper = proportion_array(x, n, confidence, multiplier=100)
    rate_value, rate_lower, rate_upper = rate_array(x, n, confidence)
    byars = byars_ci_array(x, confidence)
    exact = exact_poisson_ci_array(x, confidence)
    wilson = wilson_ci_array(x, n, confidence)
    for i, (count, total) in enumerate(zip(x, n, strict=True)):
        p = proportion(count, total, confidence, multiplier=100)
        r = rate(count, total, confidence)
        assert (value[i], lower[i], upper[i]) == pytest.approx((p.value, p.lower, p.upper))
        assert (rate_value[i], rate_lower[i], rate_upper[i]) == pytest.approx(
            (r.value, r.lower, r.upper)
        )
        assert (byars[0][i], byars[1][i]) == pytest.approx(byars_ci(count, confidence))
        assert (exact[0][i], exact[1][i]) == pytest.approx(exact_poisson_ci(count, confidence))
        assert (wilson[0][i], wilson[1][i]) == pytest.approx(wilson_ci(count, total, confidence))


def test_byars_approaches_the_exact_interval_for_large_counts():
    # Breslow & Day: Byar's is accurate for counts of 10 or more.
    for count in (10, 100, 1000):
        assert byars_ci(count) == pytest.approx(exact_poisson_ci(count), rel=0.01)
