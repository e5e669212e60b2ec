"""The vectorised roll-up against a plain loop, and ranking within groups (property-based)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.evidence import aggregation
from placeworks.stats import la_summary, proportion, rate


@st.composite
def hierarchies(draw):  # type: ignore[no-untyped-def]
    members = draw(st.integers(2, 30))
    ancestors = draw(st.integers(1, 6))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, ancestors - 1), st.integers(0, members - 1)),
            min_size=1,
            max_size=60,
        )
    )
    values = draw(
        st.lists(
            st.one_of(st.none(), st.floats(-100, 100, allow_nan=False)),
            min_size=members,
            max_size=members,
        )
    )
    weights = draw(st.lists(st.floats(1, 5000), min_size=members, max_size=members))
    return members, ancestors, pairs, values, weights


@settings(max_examples=150, deadline=None)
@given(hierarchies())
def test_weighted_means_match_a_plain_loop(case):  # type: ignore[no-untyped-def]
    members, ancestors, pairs, values, weights = case
    matrix = aggregation.membership(
        [a for a, _ in pairs], [m for _, m in pairs], ancestors, members
    )
    value = np.array([[np.nan if v is None else v] for v in values])
    out = aggregation.rollup(
        matrix, value, value_types=["score"], multipliers=[1], weights=np.array(weights)
    )
    for ancestor in range(ancestors):
        inside = sorted({m for a, m in pairs if a == ancestor})
        known = [m for m in inside if values[m] is not None]
        if not known:
            assert np.isnan(out.value[ancestor, 0])
            continue
        expected = sum(values[m] * weights[m] for m in known) / sum(weights[m] for m in known)
        assert out.value[ancestor, 0] == pytest.approx(expected, rel=1e-9, abs=1e-9)
        coverage = sum(weights[m] for m in known) / sum(weights[m] for m in inside)
        assert out.coverage[ancestor, 0] == pytest.approx(coverage)


def test_proportions_are_re_estimated_from_summed_counts_with_wilson_limits():
    matrix = aggregation.membership([0, 0, 1], [0, 1, 2], 2, 3)
    count = np.array([[12.0], [30.0], [5.0]])
    denominator = np.array([[50.0], [100.0], [20.0]])
    out = aggregation.rollup(
        matrix,
        count / denominator * 100,
        value_types=["proportion"],
        multipliers=[100],
        weights=np.ones(3),
        count=count,
        denominator=denominator,
    )
    expected = proportion(42, 150, multiplier=100)
    assert out.methods == ["proportion"]
    assert (out.value[0, 0], out.lower[0, 0], out.upper[0, 0]) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )
    assert out.count[0, 0] == 42 and out.denominator[0, 0] == 150


def test_rates_use_exact_poisson_under_ten_events_and_byar_from_ten():
    matrix = aggregation.membership([0, 0, 1, 1], [0, 1, 2, 3], 2, 4)
    count = np.array([[2.0], [3.0], [40.0], [60.0]])
    denominator = np.array([[1000.0], [1000.0], [5000.0], [5000.0]])
    out = aggregation.rollup(
        matrix,
        count / denominator * 1000,
        value_types=["rate"],
        multipliers=[1000],
        weights=np.ones(4),
        count=count,
        denominator=denominator,
    )
    small, large = rate(5, 2000, multiplier=1000), rate(100, 10000, multiplier=1000)
    assert small.method == "exact Poisson" and large.method == "Byar"
    assert (out.lower[0, 0], out.upper[0, 0]) == pytest.approx((small.lower, small.upper))
    assert (out.lower[1, 0], out.upper[1, 0]) == pytest.approx((large.lower, large.upper))


def test_counts_are_summed_and_standardised_rates_are_not_aggregated():
    matrix = aggregation.membership([0, 0], [0, 1], 1, 2)
    value = np.array([[3.0, 120.0], [4.0, 90.0]])
    out = aggregation.rollup(
        matrix, value, value_types=["count", "dsr"], multipliers=[1, 100_000], weights=np.ones(2)
    )
    assert out.value[0, 0] == 7
    assert out.methods == ["count", "none"] and np.isnan(out.value[0, 1])


def test_a_column_with_missing_counts_falls_back_to_a_weighted_mean():
    matrix = aggregation.membership([0, 0], [0, 1], 1, 2)
    out = aggregation.rollup(
        matrix,
        np.array([[10.0], [30.0]]),
        value_types=["proportion"],
        multipliers=[100],
        weights=np.array([1.0, 1.0]),
        count=np.array([[1.0], [np.nan]]),
        denominator=np.array([[10.0], [np.nan]]),
    )
    assert out.methods == ["weighted_mean"] and out.value[0, 0] == 20


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(1, 1000), min_size=1, max_size=40),
    st.lists(st.integers(1, 3000), min_size=40, max_size=40),
)
def test_vectorised_summaries_equal_la_summary_for_each_group(ranks, people):  # type: ignore[no-untyped-def]
    n = len(ranks)
    groups = np.arange(n) % 3
    result = aggregation.summaries(
        groups.astype(np.int64),
        np.arange(n, dtype=np.int64),
        3,
        np.array(ranks, dtype=float),
        np.array(people[:n], dtype=float),
        total_areas=1000,
    )
    for g in range(3):
        inside = groups == g
        if not inside.any():
            assert np.isnan(result.average_rank[g])
            continue
        expected = la_summary(
            np.array(ranks, dtype=float)[inside],
            np.array(people[:n], dtype=float)[inside],
            total_areas=1000,
        )
        assert result.average_rank[g] == pytest.approx(expected.average_rank)
        assert result.extent[g] == pytest.approx(expected.extent)
        assert result.local_concentration[g] == pytest.approx(expected.local_concentration)
        assert result.most_deprived_10pct[g] == pytest.approx(
            expected.proportion_most_deprived_10pct
        )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(-5, 5)), min_size=1, max_size=40),
    st.booleans(),
)
def test_group_ranks_match_sorting_each_group(values, higher_is_worse):  # type: ignore[no-untyped-def]
    data = np.array([np.nan if v is None else float(v) for v in values])
    groups = np.array([i % 4 for i in range(len(values))], dtype=np.int64)
    ranks, sizes = aggregation.group_ranks(data, groups, higher_is_worse=higher_is_worse)
    for i, v in enumerate(values):
        same = [
            values[j]
            for j in range(len(values))
            if groups[j] == groups[i] and values[j] is not None
        ]
        if v is None:
            assert ranks[i] == 0
            continue
        worse = [w for w in same if (w > v if higher_is_worse else w < v)]
        assert ranks[i] == len(worse) + 1
        assert sizes[i] == len(same)


def test_deciles_follow_mhclg_boundaries():
    ranks = np.array([1, 3284, 3285, 6568, 6569, 32844])
    assert aggregation.deciles_from_ranks(ranks, 32844).tolist() == [1, 1, 2, 2, 3, 10]
