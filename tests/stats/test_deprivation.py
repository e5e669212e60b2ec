"""IoD2019 summary measures for larger areas, on hand-built local authorities."""

from __future__ import annotations

from dataclasses import asdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.stats import LASummary, extent_weights, la_summaries, la_summary

# A hand-built district of 7 LSOAs in a country of 1,000 (so an LSOA's national percentile is
# ⌈rank / 10⌉), holding 10,000 people.
RANKS = [50, 100, 101, 205, 300, 301, 900]
POPULATIONS = [600, 1500, 2000, 1200, 1800, 1500, 1400]
SCORES = [60, 50, 45, 30, 25, 24, 5]


def test_la_summary_of_a_hand_built_district():
    summary = la_summary(RANKS, POPULATIONS, total_areas=1000, scores=SCORES)
    # Average rank: (600·50 + 1500·100 + 2000·101 + 1200·205 + 1800·300 + 1500·301 + 1400·900)
    #   / 10,000 = 2,879,500 / 10,000 = 287.95
    assert summary.average_rank == pytest.approx(287.95)
    # Average score: (36,000 + 75,000 + 90,000 + 36,000 + 45,000 + 36,000 + 7,000) / 10,000 = 32.5
    assert summary.average_score == pytest.approx(32.5)
    # Extent weights by percentile: 5 → 1, 10 → 1, 11 → 0.95, 21 → 0.95 − 10 × 0.9/19 =
    #   0.476316, 30 → 0.05, 31 → 0, 90 → 0
    # extent = (600 + 1500 + 0.95·2000 + 0.476316·1200 + 0.05·1800) / 10,000
    #        = (600 + 1500 + 1900 + 571.579 + 90) / 10,000 = 0.466158
    assert summary.extent == pytest.approx(0.466158, abs=1e-6)
    # Local concentration: 10% of 10,000 = 1,000 people from the most deprived LSOAs: all 600 of
    # rank 50 and 400 of the 1,500 of rank 100 → (600·50 + 400·100) / 1,000 = 70
    assert summary.local_concentration == pytest.approx(70.0)
    # Most deprived 10% nationally: rank ≤ 100 → 2 of 7 LSOAs
    assert summary.proportion_most_deprived_10pct == pytest.approx(2 / 7)


def test_la_summary_does_not_depend_on_row_order():
    order = [6, 2, 0, 5, 3, 1, 4]
    shuffled = la_summary(
        [RANKS[i] for i in order],
        [POPULATIONS[i] for i in order],
        total_areas=1000,
        scores=[SCORES[i] for i in order],
    )
    expected = la_summary(RANKS, POPULATIONS, total_areas=1000, scores=SCORES)
    assert asdict(shuffled) == pytest.approx(asdict(expected))


def test_average_score_is_none_without_scores():
    assert la_summary([1, 2], [10, 10], total_areas=10).average_score is None


def test_local_concentration_is_the_rank_of_an_lsoa_holding_over_10_percent():
    # The most deprived LSOA alone holds 50% of the people, so the 10% all come from it
    assert la_summary([7, 3, 9], [100, 500, 400], total_areas=10).local_concentration == 3.0


def test_extent_weights_slide_from_095_to_005_across_percentiles_11_to_30():
    # Technical report: 1 up to the 10th percentile, 0.95 at the 11th, falling by 0.9/19 a
    # percentile to 0.05 at the 30th, then 0.
    weights = extent_weights(list(range(1, 41)), total_areas=100)
    assert weights[:10].tolist() == [1.0] * 10
    assert weights[10] == pytest.approx(0.95)
    assert weights[29] == pytest.approx(0.05)
    assert weights[10:30] == pytest.approx([0.95 - i * 0.9 / 19 for i in range(20)])
    assert weights[30:].tolist() == [0.0] * 10


def test_national_thresholds_follow_the_published_deciles():
    # IoD2019 decile 1 is ranks 1 to 3,284 of 32,844; rank 3,285 is the 11th percentile
    assert extent_weights([3284, 3285], total_areas=32_844).tolist() == [1.0, 0.95]
    assert la_summary([3284], [1], total_areas=32_844).proportion_most_deprived_10pct == 1.0
    assert la_summary([3285], [1], total_areas=32_844).proportion_most_deprived_10pct == 0.0


def test_la_summaries_computes_every_group_like_la_summary():
    ranks = RANKS + [2, 999, 500]
    populations = POPULATIONS + [100, 100, 300]
    groups = ["E1"] * 7 + ["E2"] * 3
    result = la_summaries(ranks, populations, groups, total_areas=1000)
    assert list(result) == ["E1", "E2"]
    assert result["E1"] == la_summary(RANKS, POPULATIONS, total_areas=1000)
    assert result["E2"] == la_summary([2, 999, 500], [100, 100, 300], total_areas=1000)
    assert isinstance(result["E2"], LASummary)


@given(
    lsoas=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=500),
            st.integers(min_value=1, max_value=3000),
            st.integers(min_value=0, max_value=4),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_la_summaries_agree_with_one_district_at_a_time(lsoas):
    ranks, populations, groups = zip(*lsoas, strict=True)
    result = la_summaries(ranks, populations, groups, total_areas=500)
    for group, summary in result.items():
        mine = [i for i, g in enumerate(groups) if g == group]
        alone = la_summary(
            [ranks[i] for i in mine], [populations[i] for i in mine], total_areas=500
        )
        assert asdict(summary) == pytest.approx(asdict(alone))
        lowest = min(ranks[i] for i in mine)
        assert lowest - 1e-9 <= summary.local_concentration <= summary.average_rank + 1e-9
        assert 0 <= summary.extent <= 1


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: la_summary([0, 5], [10, 10], total_areas=10), "ranks"),
        (lambda: la_summary([5, 11], [10, 10], total_areas=10), "ranks"),
        (lambda: la_summary([], [], total_areas=10), "ranks"),
        (lambda: la_summary([5, 6], [10], total_areas=10), "populations"),
        (lambda: la_summary([5, 6], [10, -1], total_areas=10), "populations"),
        (lambda: la_summary([5, 6], [0, 0], total_areas=10), "population"),
        (lambda: la_summary([5, 6], [10, 10], total_areas=0), "total_areas"),
        (lambda: la_summary([5, 6], [10, 10], total_areas=10, scores=[1]), "scores"),
        (lambda: la_summaries([5, 6], [10, 10], ["a"], total_areas=10), "groups"),
        (lambda: la_summaries([5, 6], [10, 10], [1.0, float("nan")], total_areas=10), "groups"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
