"""Placeworks statistics: pure functions (numpy and scipy only, no Django) for public health
and deprivation measures as OHID/PHE Fingertips and MHCLG publish them.

Every public function cites its method and carries a runnable example; see each module.
"""

from placeworks.stats.aggregate import group_sum, group_sum_2d, weighted_mean
from placeworks.stats.benchmark import (
    Comparison,
    Polarity,
    compare_to_benchmark,
    compare_to_benchmark_array,
)
from placeworks.stats.deprivation import LASummary, extent_weights, la_summaries, la_summary
from placeworks.stats.inequality import SII, quantiles, sii
from placeworks.stats.intervals import (
    Estimate,
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
from placeworks.stats.standardised import (
    DSR_MIN_COUNT,
    ESP2013,
    ESP2013_BANDS,
    dsr,
    dsr_suppressed,
    isr,
    smr,
)

__all__ = [
    "DSR_MIN_COUNT",
    "ESP2013",
    "ESP2013_BANDS",
    "SII",
    "Comparison",
    "Estimate",
    "LASummary",
    "Polarity",
    "byars_ci",
    "byars_ci_array",
    "compare_to_benchmark",
    "compare_to_benchmark_array",
    "dsr",
    "dsr_suppressed",
    "exact_poisson_ci",
    "exact_poisson_ci_array",
    "extent_weights",
    "group_sum",
    "group_sum_2d",
    "isr",
    "la_summaries",
    "la_summary",
    "mean",
    "proportion",
    "proportion_array",
    "quantiles",
    "rate",
    "rate_array",
    "sii",
    "smr",
    "weighted_mean",
    "wilson_ci",
    "wilson_ci_array",
]
