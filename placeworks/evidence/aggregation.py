"""Rolling small-area values up the geography, vectorised (no Django, no query per area).

The membership of small areas in larger ones (from ``AreaLink``: every LSOA's ward, district,
county, region and PLACE area) is one sparse 0/1 matrix ``M`` (larger areas × small areas), so
every larger area of every level is computed at once: sums are ``M @ X`` and population-weighted
means ``(M @ (w·x)) / (M @ w)``, column by column for any number of indicators and periods
(OpenPrescribing's areas × months matrices, summed by group rather than by a query per area).

How each value type is re-estimated (methods of the OHID Fingertips technical guidance, through
``placeworks.stats``):

* counts — summed; no confidence interval;
* proportions with counts and denominators — numerators and denominators summed, then the
  proportion with Wilson score limits (``proportion_array``);
* crude rates with counts and denominators — summed, then the rate with exact Poisson (under 10
  events) or Byar's limits (``rate_array``);
* scores, means, ranks, and proportions or rates published without counts — the
  population-weighted mean of the small-area values (for IoD scores and ranks this is MHCLG's
  "average score" and "average rank"); no confidence interval;
* directly standardised rates — not aggregated: they need age-specific counts, which small-area
  files do not carry.

Each result carries ``coverage``: the share of the larger area's weight (population) whose small
areas had a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from placeworks.stats import la_summaries, proportion_array, rate_array

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

SUMMED = "count"
WILSON = "proportion"
POISSON = "rate"
WEIGHTED = "weighted_mean"
NOT_AGGREGATED = "none"

METHOD_NOTES = {
    SUMMED: "Sum of the small-area counts.",
    WILSON: "Counts and denominators summed; Wilson score 95% limits.",
    POISSON: "Counts and denominators summed; exact Poisson (<10 events) or Byar's 95% limits.",
    WEIGHTED: "Population-weighted mean of the small-area values.",
}


def membership(
    ancestor: Sequence[int] | IntArray,
    member: Sequence[int] | IntArray,
    n_ancestors: int,
    n_members: int,
) -> sparse.csr_matrix:
    """The 0/1 membership matrix (ancestors × members) from index pairs (duplicates count once).

    >>> membership([0, 0, 1], [0, 1, 1], 2, 2).toarray().tolist()
    [[1.0, 1.0], [0.0, 1.0]]
    """
    rows = np.asarray(ancestor, dtype=np.int64)
    cols = np.asarray(member, dtype=np.int64)
    matrix = sparse.csr_matrix(
        (np.ones(rows.size), (rows, cols)), shape=(n_ancestors, n_members), dtype=np.float64
    )
    matrix.data[:] = 1.0  # pairs listed twice must not count twice
    return matrix


def method_for(value_type: str, has_counts: bool) -> str:
    """How a column of this value type is rolled up (see the module docstring).

    >>> method_for("proportion", True), method_for("proportion", False), method_for("dsr", True)
    ('proportion', 'weighted_mean', 'none')
    """
    if value_type == "count":
        return SUMMED
    if value_type == "dsr":
        return NOT_AGGREGATED
    if value_type == "proportion" and has_counts:
        return WILSON
    if value_type == "rate" and has_counts:
        return POISSON
    return WEIGHTED


@dataclass
class Rolled:
    """Results for (larger areas × columns); NaN where there is no value."""

    value: FloatArray
    lower: FloatArray
    upper: FloatArray
    count: FloatArray
    denominator: FloatArray
    coverage: FloatArray
    methods: list[str]


def _zero(values: FloatArray) -> FloatArray:
    return np.where(np.isnan(values), 0.0, values)


def rollup(
    matrix: sparse.csr_matrix,
    value: FloatArray,
    *,
    value_types: Sequence[str],
    multipliers: Sequence[float],
    weights: FloatArray,
    count: FloatArray | None = None,
    denominator: FloatArray | None = None,
    chunk: int = 64,
) -> Rolled:
    """Roll the (members × columns) ``value`` matrix up to every ancestor row of ``matrix``.

    ``weights`` (one per member, or members × columns) weight the means: populations. Counts
    and denominators, when given, let proportions and rates be re-estimated with their proper
    confidence limits; a column uses them only when every member with a value has both.
    Columns are processed ``chunk`` at a time to bound memory.

    >>> m = membership([0, 0], [0, 1], 1, 2)
    >>> out = rollup(m, np.array([[10.0], [20.0]]), value_types=["score"], multipliers=[1],
    ...              weights=np.array([1.0, 3.0]))
    >>> out.value.tolist(), out.coverage.tolist(), out.methods
    ([[17.5]], [[1.0]], ['weighted_mean'])
    """
    n_anc = matrix.shape[0]
    n_members, n_cols = value.shape
    shape = (n_anc, n_cols)
    out = Rolled(
        value=np.full(shape, np.nan),
        lower=np.full(shape, np.nan),
        upper=np.full(shape, np.nan),
        count=np.full(shape, np.nan),
        denominator=np.full(shape, np.nan),
        coverage=np.full(shape, np.nan),
        methods=[NOT_AGGREGATED] * n_cols,
    )
    weight = np.asarray(weights, dtype=np.float64)
    for start in range(0, n_cols, chunk):
        cols = slice(start, min(start + chunk, n_cols))
        values = value[:, cols]
        present = ~np.isnan(values)
        w = weight[:, cols] if weight.ndim == 2 else weight[:, None]
        w = np.broadcast_to(np.where(np.isnan(w), 0.0, w), values.shape)
        total_weight = matrix @ w
        covered = matrix @ (w * present)
        with np.errstate(invalid="ignore", divide="ignore"):
            coverage = np.where(total_weight > 0, covered / total_weight, np.nan)
            means = (matrix @ (w * _zero(values))) / covered
        has_any = (matrix @ present.astype(np.float64)) > 0
        counts = count[:, cols] if count is not None else None
        denominators = denominator[:, cols] if denominator is not None else None
        # Counts and denominators of the members with a value, summed for every column at once.
        source = (
            _zero(values) if counts is None else np.where(np.isnan(counts), _zero(values), counts)
        )
        summed_counts = matrix @ np.where(present, source, 0.0)
        summed_denominators = (
            matrix @ np.where(present, _zero(denominators), 0.0)
            if denominators is not None
            else None
        )
        has_counts = (
            np.all(~np.isnan(counts) | ~present, axis=0)
            if counts is not None
            else np.zeros(values.shape[1], dtype=bool)
        )
        has_denominators = (
            np.all(~np.isnan(denominators) | ~present, axis=0)
            if denominators is not None
            else np.zeros(values.shape[1], dtype=bool)
        )
        for offset in range(values.shape[1]):
            j = start + offset
            complete = bool(
                has_counts[offset] and has_denominators[offset] and present[:, offset].any()
            )
            method = method_for(value_types[j], complete)
            out.methods[j] = method
            ok = has_any[:, offset]
            if method == NOT_AGGREGATED:
                continue
            out.coverage[ok, j] = coverage[ok, offset]
            if method == WEIGHTED:
                out.value[ok, j] = means[ok, offset]
                continue
            if method == SUMMED:
                # A suppressed (missing) value adds nothing; coverage says what is missing.
                out.value[ok, j] = summed_counts[ok, offset]
                out.count[ok, j] = summed_counts[ok, offset]
                continue
            assert summed_denominators is not None
            x = summed_counts[:, offset]
            n = summed_denominators[:, offset]
            usable = ok & (n > 0)
            if method == WILSON:
                usable &= x <= n
                v, lo, hi = proportion_array(x[usable], n[usable], multiplier=multipliers[j])
            else:
                v, lo, hi = rate_array(x[usable], n[usable], multiplier=multipliers[j])
            out.value[usable, j], out.lower[usable, j], out.upper[usable, j] = v, lo, hi
            out.count[usable, j], out.denominator[usable, j] = x[usable], n[usable]
    return out


@dataclass
class SummaryArrays:
    """MHCLG district summaries for each ancestor (NaN where an ancestor has no ranked LSOA)."""

    average_rank: FloatArray
    extent: FloatArray
    local_concentration: FloatArray
    most_deprived_10pct: FloatArray
    coverage: FloatArray


def summaries(
    ancestor: IntArray,
    member: IntArray,
    n_ancestors: int,
    ranks: FloatArray,
    populations: FloatArray,
    *,
    total_areas: int,
) -> SummaryArrays:
    """``la_summaries`` for every ancestor from (ancestor, member) pairs, skipping members
    without a rank and ancestors without population.

    >>> s = summaries(np.array([0, 0]), np.array([0, 1]), 1, np.array([1.0, 50.0]),
    ...               np.array([100.0, 100.0]), total_areas=100)
    >>> s.average_rank.tolist(), s.most_deprived_10pct.tolist()
    ([25.5], [0.5])
    """
    shape = n_ancestors
    result = SummaryArrays(*(np.full(shape, np.nan) for _ in range(5)))
    has_rank = ~np.isnan(ranks[member])
    people = np.where(np.isnan(populations), 0.0, populations)
    all_people = np.bincount(ancestor, people[member], minlength=n_ancestors)
    keep = has_rank & (people[member] > 0)
    if not keep.any():
        return result
    anc, mem = ancestor[keep], member[keep]
    found = la_summaries(ranks[mem], people[mem], anc, total_areas=total_areas)
    index = np.fromiter(found.keys(), dtype=np.int64, count=len(found))
    values = list(found.values())
    result.average_rank[index] = [s.average_rank for s in values]
    result.extent[index] = [s.extent for s in values]
    result.local_concentration[index] = [s.local_concentration for s in values]
    result.most_deprived_10pct[index] = [s.proportion_most_deprived_10pct for s in values]
    covered = np.bincount(anc, people[mem], minlength=n_ancestors)
    with np.errstate(invalid="ignore", divide="ignore"):
        result.coverage[index] = covered[index] / all_people[index]
    return result


def group_ranks(
    values: FloatArray, groups: IntArray, *, higher_is_worse: bool
) -> tuple[IntArray, IntArray]:
    """Rank of each value within its group (1 = worst; ties share the best rank) and the size
    of its group; NaN values get rank 0 and do not count.

    >>> ranks, sizes = group_ranks(np.array([5.0, 9.0, 9.0, 1.0, np.nan]),
    ...                            np.array([0, 0, 0, 1, 1]), higher_is_worse=True)
    >>> ranks.tolist(), sizes.tolist()
    ([3, 1, 1, 1, 0], [3, 3, 3, 1, 1])
    """
    n = values.size
    ranks = np.zeros(n, dtype=np.int64)
    present = ~np.isnan(values)
    sizes_by_group = np.bincount(groups[present], minlength=int(groups.max(initial=0)) + 1)
    sizes = sizes_by_group[groups].astype(np.int64)
    if not present.any():
        return ranks, sizes
    index = np.flatnonzero(present)
    oriented = -values[index] if higher_is_worse else values[index]
    group = groups[index]
    order = np.lexsort((oriented, group))
    g, v = group[order], oriented[order]
    positions = np.arange(order.size)
    new_group = np.r_[True, g[1:] != g[:-1]]
    new_value = new_group | np.r_[True, v[1:] != v[:-1]]
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    first_equal = np.maximum.accumulate(np.where(new_value, positions, 0))
    ranks[index[order]] = first_equal - group_start + 1
    return ranks, sizes


def national_ranks(values: FloatArray, *, higher_is_worse: bool) -> IntArray:
    """Rank of each value among all (1 = worst; ties share the best rank; NaN → 0).

    >>> national_ranks(np.array([3.0, 1.0, 3.0]), higher_is_worse=True).tolist()
    [1, 3, 1]
    """
    return group_ranks(
        values, np.zeros(values.size, dtype=np.int64), higher_is_worse=higher_is_worse
    )[0]


def deciles_from_ranks(ranks: IntArray, total: int) -> IntArray:
    """Decile 1..10 of national ranks (1 = most deprived), as MHCLG assigns them.

    >>> deciles_from_ranks(np.array([1, 3284, 3285, 32844]), 32844).tolist()
    [1, 1, 2, 10]
    """
    return np.ceil(10 * np.asarray(ranks, dtype=np.float64) / total).astype(np.int64)
