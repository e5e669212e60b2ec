"""Directly and indirectly standardised rates (Dobson DSR, ISR, SMR) as PHE calculates them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placeworks.stats import (
    DSR_MIN_COUNT,
    ESP2013,
    ESP2013_BANDS,
    byars_ci,
    dsr,
    dsr_suppressed,
    exact_poisson_ci,
    isr,
    smr,
)


def test_esp2013_has_19_bands_summing_to_100000():
    assert len(ESP2013) == len(ESP2013_BANDS) == 19
    assert sum(ESP2013) == 100_000
    assert ESP2013_BANDS[0] == "0-4" and ESP2013_BANDS[-2] == "85-89"
    assert ESP2013_BANDS[-1] == "90+"
    assert ESP2013[0] == 5000 and ESP2013[-1] == 1000


def test_dsr_worked_example_with_dobson_limits():
    # Three bands: events x = 5, 20, 40; population n = 10,000, 20,000, 8,000;
    # standard w = 20,000, 50,000, 30,000 (Σw = 100,000).
    # DSR = Σ w·x/n / Σw = (10 + 50 + 150) / 100,000 = 0.0021 → 210 per 100,000
    # var = Σ w²·x/n² / (Σw)² = (4·5 + 6.25·20 + 14.0625·40) / 10¹⁰ = 707.5e-10
    # O = 65; √(var/O) = √(1.088462e-9) = 3.299185e-5
    # Byar's on 65: lower 65·(1 − 1/585 − z/(3·8.062258))³ = 65·0.917257³ = 50.1634
    #               upper 66·(1 − 1/594 + z/(3·8.124038))³ = 66·1.078734³ = 82.8489
    # lower = 210 + 3.299185 · (50.1634 − 65) = 161.05; upper = 210 + 3.299185 · 17.8489 = 268.89
    estimate = dsr([5, 20, 40], [10_000, 20_000, 8_000], [20_000, 50_000, 30_000])
    assert estimate.value == pytest.approx(210.0)
    assert estimate.lower == pytest.approx(161.05, abs=0.01)
    assert estimate.upper == pytest.approx(268.89, abs=0.01)
    assert estimate.method == "Dobson DSR"
    lower_count, upper_count = byars_ci(65)
    spread = (707.5e-10 / 65) ** 0.5 * 100_000
    assert estimate.lower == pytest.approx(210 + spread * (lower_count - 65))
    assert estimate.upper == pytest.approx(210 + spread * (upper_count - 65))


def test_dsr_with_the_same_rate_in_every_band_is_that_rate():
    populations = [1000 * (i + 1) for i in range(19)]
    counts = [p // 100 for p in populations]  # 1% everywhere
    assert dsr(counts, populations, ESP2013).value == pytest.approx(1000.0)


def test_dsr_below_10_events_is_computed_but_flagged_for_suppression():
    counts = [1, 2, 3]
    estimate = dsr(counts, [100, 100, 100], [1, 1, 1])
    assert estimate.value == pytest.approx(2000.0)
    assert dsr_suppressed(counts)
    assert not dsr_suppressed([1, 2, 7])
    assert DSR_MIN_COUNT == 10


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: dsr([0, 0], [10, 10], [1, 1]), "counts"),
        (lambda: dsr([-1, 5], [10, 10], [1, 1]), "counts"),
        (lambda: dsr([1, 5], [10, 0], [1, 1]), "populations"),
        (lambda: dsr([1, 5], [10, 10, 10], [1, 1]), "populations"),
        (lambda: dsr([1, 5], [10, 10], [1]), "standard_populations"),
        (lambda: dsr([1, 5], [10, 10], [1, 1], confidence=95), "confidence"),
        (lambda: isr(5, [10, 10], [1, 1], [100, 0]), "reference_populations"),
        (lambda: isr(5, [10, -10], [1, 1], [100, 100]), "populations"),
        (lambda: isr([1, 2, 3], [10, 10], [1, 1], [100, 100]), "counts"),
        (lambda: isr(5, [0, 0], [1, 1], [100, 100]), "expected"),
        (lambda: smr(float("nan"), [10, 10], [1, 1], [100, 100]), "counts"),
    ],
)
def test_invalid_input_raises_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()


def test_isr_worked_example():
    # Reference band rates 100/100,000 = 0.001 and 900/300,000 = 0.003; local populations 3,000
    # and 6,000 → expected E = 3 + 18 = 21. Reference crude rate = 1,000/400,000 = 2.5 per 1,000.
    # ISR = O/E × 2.5 = 30/21 × 2.5 = 3.5714 per 1,000.
    # Byar's on 30: lower 30·(1 − 1/270 − z/(3·5.477226))³ = 30·0.877016³ = 20.2370
    #               upper 31·(1 − 1/279 + z/(3·5.567764))³ = 31·1.113755³ = 42.8286
    # limits = 20.2370/21 × 2.5 = 2.4092 and 42.8286/21 × 2.5 = 5.0986
    estimate = isr(30, [3000, 6000], [100, 900], [100_000, 300_000], multiplier=1000)
    assert estimate.value == pytest.approx(3.5714, abs=1e-4)
    assert estimate.lower == pytest.approx(2.4092, abs=1e-4)
    assert estimate.upper == pytest.approx(5.0986, abs=1e-4)
    assert estimate.method == "ISR, Byar"


def test_isr_accepts_counts_by_band_or_their_total():
    by_band = isr([10, 20], [3000, 6000], [100, 900], [100_000, 300_000])
    total = isr(30, [3000, 6000], [100, 900], [100_000, 300_000])
    assert by_band == total


def test_smr_is_observed_over_expected_with_exact_limits_below_10():
    # E = 21 as above; O = 7 → SMR = 7/21 × 100 = 33.33, limits χ²-based on 7 divided by 21
    estimate = smr(7, [3000, 6000], [100, 900], [100_000, 300_000])
    lower, upper = exact_poisson_ci(7)
    assert estimate.value == pytest.approx(100 / 3)
    assert (estimate.lower, estimate.upper) == pytest.approx((lower / 21 * 100, upper / 21 * 100))
    assert estimate.method == "SMR, exact Poisson"


def test_smr_of_a_population_like_the_reference_is_100():
    # Observed equals expected (1000 · 0.1 + 3000 · 0.3 = 1,000) when the population is the reference
    assert smr(1000, [1000, 3000], [100, 900], [1000, 3000]).value == pytest.approx(100.0)


@given(
    bands=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=500),
            st.integers(min_value=1, max_value=50_000),
            st.integers(min_value=1, max_value=10_000),
        ),
        min_size=1,
        max_size=19,
    ).filter(lambda bands: sum(count for count, _, _ in bands) > 0),
)
def test_dsr_lies_within_its_limits(bands):
    counts, populations, standard = zip(*bands, strict=True)
    estimate = dsr(counts, populations, standard)
    assert estimate.lower <= estimate.value <= estimate.upper
