"""Vectorised group sums and weighted means for rolling areas up a hierarchy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.stats import group_sum, group_sum_2d, weighted_mean


def test_group_sum_adds_values_by_label_in_sorted_label_order():
    labels, sums = group_sum([1, 2, 3, 4, 5], ["E07", "E06", "E07", "E06", "E08"])
    assert labels.tolist() == ["E06", "E07", "E08"]
    assert sums.tolist() == [6.0, 4.0, 5.0]


def test_group_sum_propagates_nan_unless_told_to_skip_it():
    values, groups = [1.0, np.nan, 3.0, np.nan], [1, 1, 2, 3]
    sums = group_sum(values, groups)[1]
    assert np.isnan(sums[0]) and sums[1] == 3.0 and np.isnan(sums[2])
    skipped = group_sum(values, groups, skipna=True)[1]
    assert skipped[:2].tolist() == [1.0, 3.0]
    assert np.isnan(skipped[2])  # nothing but missing values: still missing, not 0


def test_group_sum_2d_rolls_an_areas_by_periods_matrix_up():
    matrix = [[1, 10, np.nan], [2, 20, 200], [3, 30, 300]]
    labels, sums = group_sum_2d(matrix, ["b", "a", "b"], skipna=True)
    assert labels.tolist() == ["a", "b"]
    assert sums.tolist() == [[2.0, 20.0, 200.0], [4.0, 40.0, 300.0]]


def test_weighted_mean_is_population_weighted():
    # x: (10·1 + 20·3) / 4 = 17.5; y: 30
    labels, means = weighted_mean([10, 20, 30], [1, 3, 2], ["x", "x", "y"])
    assert means.tolist() == [17.5, 30.0]


def test_weighted_mean_of_a_matrix_with_one_weight_per_area():
    # period 1: (1·1 + 3·3) / 4 = 2.5; period 2 skips the missing value: 30·3 / 3 = 30
    _, means = weighted_mean([[1, np.nan], [3, 30]], [1, 3], [0, 0], skipna=True)
    assert means.tolist() == [[2.5, 30.0]]
    _, unskipped = weighted_mean([[1, np.nan], [3, 30]], [1, 3], [0, 0])
    assert np.isnan(unskipped[0, 1])


def test_weighted_mean_of_a_group_without_weight_is_nan():
    _, means = weighted_mean([1, 2], [0, 0], ["a", "a"])
    assert np.isnan(means[0])


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: group_sum([1, 2], ["a"]), "groups"),
        (lambda: group_sum([1, np.inf], ["a", "b"]), "values"),
        (lambda: group_sum([[1, 2]], ["a"]), "values"),
        (lambda: group_sum(["x", "y"], ["a", "b"]), "values"),
        (lambda: group_sum([1, 2], [1.0, np.nan]), "groups"),
        (lambda: group_sum_2d([1, 2], ["a", "b"]), "values"),
        (lambda: weighted_mean([1, 2], [1, -1], ["a", "a"]), "weights"),
        (lambda: weighted_mean([1, 2], [1, np.nan], ["a", "a"]), "weights"),
        (lambda: weighted_mean([1, 2], [1, 2, 3], ["a", "a"]), "weights"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


rows = st.lists(
    st.tuples(st.floats(min_value=-1e6, max_value=1e6), st.sampled_from(["a", "b", "c", "d"])),
    min_size=1,
    max_size=50,
)


@given(rows=rows)
def test_group_sums_conserve_the_total(rows):
    values, groups = zip(*rows, strict=True)
    _, sums = group_sum(values, groups)
    assert math.isclose(sums.sum(), math.fsum(values), rel_tol=1e-9, abs_tol=1e-6)


@given(rows=rows, periods=st.integers(min_value=1, max_value=4))
def test_group_sum_2d_equals_group_sum_column_by_column(rows, periods):
    values, groups = zip(*rows, strict=True)
    matrix = np.outer(values, np.arange(1, periods + 1))
    labels, sums = group_sum_2d(matrix, groups)
    for column in range(periods):
        column_labels, column_sums = group_sum(matrix[:, column], groups)
        assert column_labels.tolist() == labels.tolist()
        assert sums[:, column] == pytest.approx(column_sums)
