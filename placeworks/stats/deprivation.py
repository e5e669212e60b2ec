"""Summary measures of deprivation for larger areas (local authority districts), from LSOA ranks.

Method: The English Indices of Deprivation 2019 Technical Report (McLennan et al., MHCLG 2019),
the summary measures for local authority districts and other larger areas (section 3.8 and the
appendix defining them). All are calculated from the small areas (LSOAs) in each larger area,
with ranks where 1 is the most deprived of ``total_areas`` nationally (32,844 LSOAs in 2019):

* Average rank — the population-weighted mean of the LSOA ranks. (MHCLG averages ranks turned
  round so that the most deprived LSOA has the highest rank; that is ``total_areas + 1`` minus
  this figure, so districts order the same way.)
* Average score — the population-weighted mean of the LSOA scores.
* Extent — the share of the population living in the most deprived LSOAs nationally, weighted:
  1 for LSOAs in the most deprived 10% (percentiles 1–10); a sliding weight from 0.95 for the
  11th percentile down by 0.9/19 a percentile to 0.05 for the 30th; 0 beyond the most deprived
  30%. An LSOA's national percentile is ``⌈100 × rank / total_areas⌉``.
* Local concentration — the population-weighted mean rank of the district's most deprived LSOAs
  that together hold exactly 10% of its population; the LSOA at the boundary counts only with
  the part of its population needed to make up the 10%.
* Proportion of LSOAs in the most deprived 10% nationally — the share of the district's LSOAs
  (not population-weighted) with ``rank ≤ total_areas / 10``, i.e. national decile 1.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from placeworks.stats._checks import FloatArray, floats, vector


@dataclass(frozen=True)
class LASummary:
    """IoD2019 summary measures of one larger area. Lower rank figures are more deprived."""

    average_rank: float
    extent: float
    local_concentration: float
    proportion_most_deprived_10pct: float
    average_score: float | None = None


def extent_weights(ranks: ArrayLike, total_areas: int) -> FloatArray:
    """The IoD2019 extent weight of each LSOA rank (1 = most deprived of ``total_areas``).

    Method: IoD2019 Technical Report, extent — 1 in national percentiles 1–10, then 0.95 at the
    11th percentile falling by (0.95 − 0.05)/19 a percentile to 0.05 at the 30th, else 0.

    >>> extent_weights([1, 10, 11, 20, 30, 31], total_areas=100).round(4).tolist()
    [1.0, 1.0, 0.95, 0.5237, 0.05, 0.0]
    """
    percentile = np.ceil(100 * _ranks(ranks, total_areas) / total_areas)
    sliding = 0.95 - (percentile - 11) * (0.95 - 0.05) / 19
    return np.where(percentile <= 10, 1.0, np.where(percentile <= 30, sliding, 0.0))


def la_summaries(
    ranks: ArrayLike,
    populations: ArrayLike,
    groups: ArrayLike,
    *,
    total_areas: int,
    scores: ArrayLike | None = None,
) -> dict[Hashable, LASummary]:
    """IoD2019 summary measures for every larger area at once, keyed by group label.

    ``ranks``, ``populations``, ``groups`` (and ``scores``) hold one entry per LSOA; ``groups``
    names the larger area (e.g. the LAD code) each LSOA lies in. The measures are those of the
    English Indices of Deprivation 2019 Technical Report, section 3.8 (see the module docstring
    and ``la_summary``); all groups are computed together with vectorised group sums.

    >>> result = la_summaries([1, 5, 60, 90], [100, 300, 200, 200], ["A", "A", "B", "B"],
    ...                       total_areas=100)
    >>> result["A"].average_rank, result["A"].local_concentration, result["B"].extent
    (4.0, 1.0, 0.0)
    """
    rank = _ranks(ranks, total_areas)
    size = rank.size
    people = vector("populations", populations, size)
    if np.any(people < 0):
        raise ValueError("populations must not be negative")
    labels, group = np.unique(_labels(groups, size), return_inverse=True)
    count = labels.size
    total = np.bincount(group, people, count)
    if np.any(total <= 0):
        raise ValueError("every group needs a population greater than zero")

    def population_mean(values: FloatArray) -> FloatArray:
        return np.bincount(group, people * values, count) / total

    average_rank = population_mean(rank)
    average_score = population_mean(vector("scores", scores, size)) if scores is not None else None
    extent = population_mean(extent_weights(rank, total_areas))
    most_deprived = np.bincount(group, 10 * rank <= total_areas, count) / np.bincount(group)

    # Local concentration: walk each group's LSOAs from the most deprived, taking population
    # until 10% of the group's total is reached; the boundary LSOA contributes a fraction.
    order = np.lexsort((rank, group))  # by group, then most deprived first
    in_group, in_order = group[order], people[order]
    before = np.cumsum(in_order) - in_order - (np.cumsum(total) - total)[in_group]
    taken = np.clip(0.1 * total[in_group] - before, 0.0, in_order)
    concentration = np.bincount(in_group, taken * rank[order], count) / (0.1 * total)

    return {
        label: LASummary(
            average_rank=float(average_rank[i]),
            extent=float(extent[i]),
            local_concentration=float(concentration[i]),
            proportion_most_deprived_10pct=float(most_deprived[i]),
            average_score=None if average_score is None else float(average_score[i]),
        )
        for i, label in enumerate(labels.tolist())
    }


def la_summary(
    ranks: ArrayLike,
    populations: ArrayLike,
    *,
    total_areas: int,
    scores: ArrayLike | None = None,
) -> LASummary:
    """IoD2019 summary measures of one larger area from the ranks and populations of its LSOAs.

    Method: English Indices of Deprivation 2019 Technical Report, section 3.8 (summary measures
    for local authority districts): average rank, average score (when ``scores`` are given),
    extent, local concentration and the proportion of LSOAs in the most deprived 10% nationally,
    as defined in this module's docstring. ``ranks`` run from 1 (most deprived) to
    ``total_areas``.

    >>> summary = la_summary([1, 5, 20, 50], [100, 100, 100, 100], total_areas=100,
    ...                      scores=[60, 40, 20, 10])
    >>> summary.average_rank, summary.average_score, summary.proportion_most_deprived_10pct
    (19.0, 32.5, 0.5)
    >>> round(summary.extent, 4), summary.local_concentration
    (0.6309, 1.0)
    """
    one_area = np.zeros(np.asarray(ranks).size, dtype=np.int8)
    (summary,) = la_summaries(
        ranks, populations, one_area, total_areas=total_areas, scores=scores
    ).values()
    return summary


def _ranks(ranks: ArrayLike, total_areas: int) -> FloatArray:
    if isinstance(total_areas, bool) or not isinstance(total_areas, int | np.integer):
        raise ValueError(f"total_areas must be a whole number, got {total_areas!r}")
    if total_areas < 1:
        raise ValueError(f"total_areas must be at least 1, got {total_areas!r}")
    rank = vector("ranks", ranks)
    if rank.size == 0:
        raise ValueError("ranks must hold at least one LSOA")
    if np.any((rank < 1) | (rank > total_areas)):
        raise ValueError(f"ranks must lie between 1 and total_areas ({total_areas})")
    return rank


def _labels(groups: ArrayLike, size: int) -> NDArray[np.generic]:
    labels = np.asarray(groups)
    if labels.shape != (size,):
        raise ValueError(f"groups must hold one label per LSOA ({size}), got shape {labels.shape}")
    if labels.dtype.kind == "f":
        floats("groups", labels)  # NaN labels would each form a group of their own
    return labels
