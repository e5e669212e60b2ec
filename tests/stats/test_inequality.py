"""Quantile assignment and the Slope / Relative Index of Inequality (Fingertips methods)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.stats import SII, quantiles, sii

# PHEindicatormethods' phe_sii example: life expectancy by deprivation decile (decile 1 = most
# deprived), with populations and standard errors.
DECILES = list(range(1, 11))
POPULATIONS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
LIFE_EXPECTANCY = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
STANDARD_ERRORS = [1.64, 1.58, 1.51, 1.78, 1.7, 1.56, 1.37, 1.4, 2.43, 1.57]


def test_quantiles_split_ten_values_into_fifths_worst_first():
    # N = 10, n = 5: rank r → 6 − ⌈(11 − r)/2⌉: ranks 1,2 → 1; 3,4 → 2; ...; 9,10 → 5
    assert quantiles([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_quantiles_give_the_extra_members_to_the_worst_quantiles():
    # N = 7, n = 3: ⌈3(8 − r)/7⌉ for r = 1..7 is 3,3,3,2,2,1,1 → quantiles 1,1,1,2,2,3,3
    assert quantiles([7, 6, 5, 4, 3, 2, 1], 3) == [1, 1, 1, 2, 2, 3, 3]


def test_tied_values_share_the_quantile_of_the_first_of_them():
    # Ranks (min method): 9 → 1, the three 7s → 2, 1 → 5, 0 → 6; N = 6, n = 3
    # rank 2 → 4 − ⌈3·5/6⌉ = 4 − 3 = 1, so all three 7s join quantile 1; quantile 2 stays empty
    assert quantiles([9, 7, 7, 7, 1, 0], 3) == [1, 1, 1, 1, 3, 3]
    assert quantiles([0, 7, 1, 7, 9, 7], 3) == [3, 1, 3, 1, 1, 1]


def test_quantiles_of_imd_ranks_put_rank_1_in_quantile_1():
    assert quantiles([5, 1, 4, 2, 3], 5, higher_is_worse=False) == [5, 1, 4, 2, 3]


@pytest.mark.parametrize(
    ("values", "n", "argument"),
    [([1, 2], 3, "values"), ([1, 2], 0, "n"), ([1, float("nan")], 2, "values"), ([1, 2], 1.5, "n")],
)
def test_quantiles_reject_invalid_input(values, n, argument):
    with pytest.raises(ValueError, match=argument):
        quantiles(values, n)


@given(
    values=st.lists(st.integers(min_value=-50, max_value=50), min_size=1, max_size=60),
    n=st.integers(min_value=1, max_value=10),
    data=st.data(),
)
def test_quantiles_do_not_depend_on_input_order_and_follow_the_values(values, n, data):
    if len(values) < n:
        return
    assigned = quantiles(values, n)
    assert all(1 <= q <= n for q in assigned)
    order = data.draw(st.permutations(range(len(values))))
    shuffled = quantiles([values[i] for i in order], n)
    assert shuffled == [assigned[i] for i in order]
    for a, qa in zip(values, assigned, strict=True):
        for b, qb in zip(values, assigned, strict=True):
            if a > b:  # higher is worse: a worse value never gets a later quantile
                assert qa <= qb


@given(size=st.integers(min_value=1, max_value=200), n=st.integers(min_value=1, max_value=20))
def test_quantiles_of_distinct_values_are_equal_sized_to_within_one(size, n):
    if size < n:
        return
    counts = np.bincount(quantiles(list(range(size)), n), minlength=n + 1)[1:]
    assert set(counts) <= {size // n, math.ceil(size / n)}


def test_sii_of_a_perfectly_linear_series_is_its_slope():
    # Populations 100, 300, 600 → shares a = 0.1, 0.3, 0.6; relative ranks (midpoints of the
    # cumulative shares) b = 0.05, 0.25, 0.70. Values y = 50 + 10·b = 50.5, 52.5, 57.0.
    # SII = 10; population-weighted mean = 5.05 + 15.75 + 34.2 = 55.0; RII = 10/55 = 0.181818
    result = sii([1, 2, 3], [100, 300, 600], [50.5, 52.5, 57.0], se=[0.1] * 3, rii=True, seed=1)
    assert result.sii == pytest.approx(10.0)
    assert result.rii == pytest.approx(10 / 55)
    assert result.lower < 10 < result.upper
    assert result.rii_lower < 10 / 55 < result.rii_upper


def test_sii_of_two_halves_and_its_rii():
    # Equal halves: b = 0.25 and 0.75; values 10 and 20 → slope 10 / 0.5 = 20; mean 15; RII 4/3
    result = sii([1, 2], [500, 500], [10, 20], se=[1, 1], rii=True, seed=2)
    assert (result.sii, result.rii) == pytest.approx((20.0, 4 / 3))


def test_sii_is_negative_when_the_value_is_higher_in_the_most_deprived_quantile():
    # Quantile 1 is the most deprived end (relative rank 0): mortality falling with deprivation
    result = sii([1, 2, 3, 4, 5], [100] * 5, [500, 450, 400, 350, 300], se=[5] * 5, seed=3)
    assert result.sii == pytest.approx(-250.0)  # 50 a fifth → −250 over the whole range
    assert result.upper < 0


def test_sii_matches_weighted_least_squares_on_phe_example_data():
    share = np.array(POPULATIONS) / sum(POPULATIONS)
    rank = np.cumsum(share) - share / 2
    slope, intercept = np.polyfit(rank, LIFE_EXPECTANCY, 1, w=np.sqrt(share))
    result = sii(DECILES, POPULATIONS, LIFE_EXPECTANCY, se=STANDARD_ERRORS, rii=True, seed=4)
    assert result.sii == pytest.approx(slope)
    assert result.rii == pytest.approx(slope / (intercept + slope * 0.5))
    assert result.rii == pytest.approx(slope / np.dot(share, LIFE_EXPECTANCY))


def test_sii_limits_by_simulation_match_the_normal_limits_they_estimate():
    # With values drawn from Normal(value, se), the simulated SII is Σ cᵢ·yᵢ with fixed weights
    # cᵢ, so it is exactly normal with sd √Σ(cᵢ·seᵢ)². For equal fifths c = −1, −½, 0, ½, 1:
    # sd = √2.5 = 1.581139 → 95% limits 20 ± 1.959964 × 1.581139 = (16.901, 23.099).
    result = sii([1, 2, 3, 4, 5], [100] * 5, [12, 16, 20, 24, 28], se=[1] * 5, seed=5)
    assert result.sii == pytest.approx(20.0)
    assert result.lower == pytest.approx(16.901, abs=0.05)
    assert result.upper == pytest.approx(23.099, abs=0.05)


def test_sii_derives_standard_errors_from_95_percent_limits():
    z = 1.959963984540054
    lower = [v - z * s for v, s in zip(LIFE_EXPECTANCY, STANDARD_ERRORS, strict=True)]
    upper = [v + z * s for v, s in zip(LIFE_EXPECTANCY, STANDARD_ERRORS, strict=True)]
    from_se = sii(DECILES, POPULATIONS, LIFE_EXPECTANCY, se=STANDARD_ERRORS, seed=6)
    from_limits = sii(DECILES, POPULATIONS, LIFE_EXPECTANCY, lower=lower, upper=upper, seed=6)
    assert from_limits.sii == pytest.approx(from_se.sii)
    assert (from_limits.lower, from_limits.upper) == pytest.approx((from_se.lower, from_se.upper))


def test_sii_orders_quantiles_by_label_and_is_repeatable_with_a_seed():
    order = [3, 0, 9, 5, 1, 8, 2, 7, 4, 6]
    shuffled = sii(
        [DECILES[i] for i in order],
        [POPULATIONS[i] for i in order],
        [LIFE_EXPECTANCY[i] for i in order],
        se=[STANDARD_ERRORS[i] for i in order],
        seed=7,
    )
    assert shuffled == sii(DECILES, POPULATIONS, LIFE_EXPECTANCY, se=STANDARD_ERRORS, seed=7)


def test_sii_without_rii_leaves_the_rii_fields_empty():
    result = sii(DECILES, POPULATIONS, LIFE_EXPECTANCY, se=STANDARD_ERRORS, repetitions=1000)
    assert isinstance(result, SII)
    assert (result.rii, result.rii_lower, result.rii_upper) == (None, None, None)


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"quantile": [1], "population": [10], "value": [1], "se": [1]}, "quantile"),
        ({"quantile": [1, 1], "population": [10, 10], "value": [1, 2], "se": [1, 1]}, "quantile"),
        ({"quantile": [1, 2], "population": [10, 0], "value": [1, 2], "se": [1, 1]}, "population"),
        ({"quantile": [1, 2], "population": [10, 10], "value": [1], "se": [1, 1]}, "value"),
        ({"quantile": [1, 2], "population": [10, 10], "value": [1, 2]}, "se"),
        ({"quantile": [1, 2], "population": [10, 10], "value": [1, 2], "se": [1, -1]}, "se"),
        (
            {"quantile": [1, 2], "population": [10, 10], "value": [1, 2], "lower": [2, 1]}
            | {"upper": [1, 3]},
            "upper",
        ),
        (
            {"quantile": [1, 2], "population": [10, 10], "value": [1, np.nan], "se": [1, 1]},
            "value",
        ),
        (
            {"quantile": [1, 2], "population": [10, 10], "value": [1, 2], "se": [1, 1]}
            | {"repetitions": 10},
            "repetitions",
        ),
        (
            {"quantile": [1, 2], "population": [10, 10], "value": [-1, 1], "se": [1, 1]}
            | {"rii": True},
            "RII",
        ),
    ],
)
def test_sii_rejects_invalid_input(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        sii(**kwargs)
