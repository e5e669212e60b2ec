"""Fingertips comparison of an area's confidence interval with a benchmark value."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.stats import compare_to_benchmark, compare_to_benchmark_array


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "expected"),
    [
        (12, 15, "higher_is_better", "better"),
        (12, 15, "higher_is_worse", "worse"),
        (12, 15, "no_judgement", "higher"),
        (5, 8, "higher_is_better", "worse"),
        (5, 8, "higher_is_worse", "better"),
        (5, 8, "no_judgement", "lower"),
        (9, 11, "higher_is_better", "similar"),
        (9, 11, "no_judgement", "similar"),
        (10, 11, "higher_is_worse", "similar"),  # an interval touching the benchmark contains it
        (9, 10, "higher_is_worse", "similar"),
    ],
)
def test_interval_against_a_benchmark_of_10(lower, upper, polarity, expected):
    assert compare_to_benchmark(lower, upper, 10, polarity) == expected


@pytest.mark.parametrize(
    ("lower", "upper", "benchmark"),
    [(None, 2, 1), (1, None, 1), (1, 2, None), (math.nan, 2, 1), (1, 2, math.nan)],
)
def test_missing_limits_or_benchmark_are_not_compared(lower, upper, benchmark):
    assert compare_to_benchmark(lower, upper, benchmark, "higher_is_better") == "not_compared"


def test_invalid_polarity_or_limits_raise_value_error():
    with pytest.raises(ValueError, match="polarity"):
        compare_to_benchmark(1, 2, 3, "higher")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lower"):
        compare_to_benchmark(3, 2, 3, "no_judgement")
    with pytest.raises(ValueError, match="lower"):
        compare_to_benchmark_array([3], [2], 3, "no_judgement")


def test_array_version_takes_one_benchmark_or_one_per_area():
    result = compare_to_benchmark_array([1, 5, None, 2], [2, 6, 3, 4], [4, 4, 4, 3], "no_judgement")
    assert result.tolist() == ["lower", "higher", "not_compared", "similar"]


limits = st.one_of(st.none(), st.floats(min_value=-100, max_value=100))


@given(
    areas=st.lists(st.tuples(limits, limits, limits), min_size=1, max_size=20),
    polarity=st.sampled_from(["higher_is_better", "higher_is_worse", "no_judgement"]),
)
def test_array_version_equals_the_scalar_version(areas, polarity):
    areas = [
        (low, high, bench)
        if low is None or high is None
        else (min(low, high), max(low, high), bench)
        for low, high, bench in areas
    ]
    lower, upper, benchmark = zip(*areas, strict=True)
    result = compare_to_benchmark_array(list(lower), list(upper), list(benchmark), polarity)
    assert result.tolist() == [compare_to_benchmark(*area, polarity) for area in areas]
