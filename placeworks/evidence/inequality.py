"""Inequality within a place: an indicator's values by deprivation decile, the gap between the
most and least deprived fifths, and the Slope and Relative Indices of Inequality.

Method (OHID Fingertips technical guidance, "Slope index of inequality" and "Assigning
deprivation categories"): the place's LSOAs are put into *local* deciles of the IMD score of the
same release as the indicator's geography (``placeworks.stats.quantiles``; decile 1 = the most
deprived tenth of the place's neighbourhoods); each decile's value is re-estimated from the
LSOAs' counts and denominators where the indicator has them (Wilson for proportions, Byar/exact
Poisson for rates), else taken as the population-weighted mean with a 95% interval from the
spread of LSOA values within the decile. The SII and RII (``placeworks.stats.sii``, after Low &
Low 2004) regress the decile values on the mid-point of each decile's cumulative population
share, with simulated 95% limits. Places with fewer than 10 LSOAs use quintiles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from placeworks.places.models import Area, AreaLink, AreaType
from placeworks.stats import SII, proportion_array, quantiles, rate_array, sii

from .catalogue import MEASURE_BY_KEY, POPULATION_CODE
from .models import Indicator, Observation, Polarity, ValueType
from .services import period_year

IMD_SCORE = MEASURE_BY_KEY["imd"].score_code
Z95 = 1.959963984540054


@dataclass
class Group:
    number: int  # 1 = most deprived
    lsoas: int
    population: float
    value: float | None
    lower: float | None
    upper: float | None
    deprivation_low: float
    deprivation_high: float


@dataclass
class Inequality:
    area: Area
    indicator: Indicator
    period: str
    deprivation_period: str
    groups: list[Group]
    quintiles: list[Group]
    sii: SII | None
    gap: float | None
    method: str
    weights: str
    lsoa_count: int

    @property
    def group_word(self) -> str:
        return "decile" if len(self.groups) == 10 else "quintile"

    @property
    def fitted(self) -> tuple[float, float] | None:
        """Fitted values at the most and the least deprived decile's mid-point (for the chart)."""
        if self.sii is None or not self.groups:
            return None
        people = np.array([g.population for g in self.groups])
        share = people / people.sum()
        rank = np.cumsum(share) - share / 2
        values = np.array([g.value for g in self.groups], dtype=float)
        mean = float(share @ values)
        centre = float(share @ rank)
        return (
            mean + self.sii.sii * (rank[0] - centre),
            mean + self.sii.sii * (rank[-1] - centre),
        )

    def interpretation(self) -> str:
        name = self.indicator.short_name or self.indicator.name
        parts = []
        if self.gap is not None and self.quintiles:
            worse = "higher" if self.gap > 0 else "lower"
            parts.append(
                f"The most deprived fifth of {self.area.name}'s neighbourhoods has a {name} "
                f"{abs(self.gap):,.{self.indicator.decimals}f} {worse} than the least deprived "
                "fifth."
            )
        if self.sii is not None:
            direction = "rises" if self.sii.sii > 0 else "falls"
            parts.append(
                f"Across the whole range, from the most to the least deprived, the fitted value "
                f"{direction} by {abs(self.sii.sii):,.{self.indicator.decimals}f} (slope index of "
                f"inequality, 95% interval {self.sii.lower:,.{self.indicator.decimals}f} to "
                f"{self.sii.upper:,.{self.indicator.decimals}f})."
            )
            significant = self.sii.lower > 0 or self.sii.upper < 0
            parts.append(
                "The gradient is statistically significant."
                if significant
                else "The interval includes zero: no significant gradient."
            )
        return " ".join(parts)

    def as_dict(self) -> dict[str, object]:
        return {
            "area": self.area.code,
            "indicator": self.indicator.code,
            "period": self.period,
            "deprivation": {"indicator": IMD_SCORE, "period": self.deprivation_period},
            "method": self.method,
            "weights": self.weights,
            "lsoas": self.lsoa_count,
            self.group_word + "s": [g.__dict__ for g in self.groups],
            "quintiles": [g.__dict__ for g in self.quintiles],
            "gap_most_minus_least_deprived_fifth": self.gap,
            "sii": None
            if self.sii is None
            else {
                "sii": self.sii.sii,
                "lower": self.sii.lower,
                "upper": self.sii.upper,
                "rii": self.sii.rii,
                "rii_lower": self.sii.rii_lower,
                "rii_upper": self.sii.rii_upper,
            },
            "interpretation": self.interpretation(),
        }


class NotEnoughData(Exception):
    """The place lacks small-area data for this indicator; the message says why."""


def _latest(periods: set[str]) -> str:
    return max(periods, key=lambda p: (period_year(p), p))


def inequality(area: Area, indicator: Indicator, period: str | None = None) -> Inequality:
    """The inequality view of ``indicator`` within ``area`` (see the module docstring)."""
    lsoa_ids = list(
        AreaLink.objects.filter(ancestor=area, descendant__type=AreaType.LSOA).values_list(
            "descendant_id", flat=True
        )
    )
    if not lsoa_ids:
        raise NotEnoughData(f"{area.name} has no neighbourhoods (LSOAs) loaded.")
    rows = _by_area(indicator, lsoa_ids, period)
    if not rows:
        raise NotEnoughData(
            f"{indicator.name} has no neighbourhood (LSOA) values in {area.name}"
            + (f" for {period}" if period else "")
            + "."
        )
    chosen = _latest({r[0] for r in rows.values()}) if period is None else period
    values = {a: r for a, r in rows.items() if r[0] == chosen}
    deprivation = _by_area(Indicator.objects.get(code=IMD_SCORE), list(values), None)
    if not deprivation:
        raise NotEnoughData(
            f"No IMD scores are loaded for the neighbourhoods with {indicator.name} {chosen}."
        )
    deprivation_period = _latest({r[0] for r in deprivation.values()})
    ids = sorted(a for a in values if a in deprivation and deprivation[a][0] == deprivation_period)
    if len(ids) < 5:
        raise NotEnoughData(f"Only {len(ids)} neighbourhoods have both values: too few.")
    imd = np.array([deprivation[a][1] for a in ids])
    value = np.array([values[a][1] for a in ids])
    count = np.array([np.nan if values[a][2] is None else values[a][2] for a in ids])
    denominator = np.array([np.nan if values[a][3] is None else values[a][3] for a in ids])
    people, weights = _populations(ids, deprivation_period)
    n = 10 if len(ids) >= 10 else 5
    groups = _groups(indicator, imd, value, count, denominator, people, n)
    fifths = _groups(indicator, imd, value, count, denominator, people, 5)
    gap = None
    if fifths[0].value is not None and fifths[-1].value is not None:
        gap = fifths[0].value - fifths[-1].value
    usable = [g for g in groups if g.value is not None and g.population > 0]
    result_sii = None
    if len(usable) >= 2 and all(g.lower is not None and g.upper is not None for g in usable):
        try:
            result_sii = sii(
                [g.number for g in usable],
                [g.population for g in usable],
                [float(g.value or 0) for g in usable],
                lower=[float(g.lower or 0) for g in usable],
                upper=[float(g.upper or 0) for g in usable],
                rii=True,
                repetitions=20_000,
                seed=2019,
            )
        except ValueError:
            result_sii = None
    method = (
        "counts and denominators summed per decile"
        if not np.isnan(count).any()
        and not np.isnan(denominator).any()
        and indicator.value_type in (ValueType.PROPORTION, ValueType.RATE)
        else "population-weighted mean per decile"
    )
    return Inequality(
        area=area,
        indicator=indicator,
        period=chosen,
        deprivation_period=deprivation_period,
        groups=groups,
        quintiles=fifths,
        sii=result_sii,
        gap=gap,
        method=method,
        weights=weights,
        lsoa_count=len(ids),
    )


def _by_area(
    indicator: Indicator, area_ids: list[int], period: str | None
) -> dict[int, tuple[str, float, float | None, float | None]]:
    """``{area id: (period, value, count, denominator)}``, the latest period per area."""
    found: dict[int, tuple[str, float, float | None, float | None]] = {}
    for start in range(0, len(area_ids), 500):
        rows = Observation.objects.filter(
            indicator=indicator,
            area_id__in=area_ids[start : start + 500],
            sex="Persons",
            age="All ages",
            value__isnull=False,
        )
        if period:
            rows = rows.filter(period=period)
        for area_id, found_period, value, count, denominator in rows.values_list(
            "area_id", "period", "value", "count", "denominator"
        ):
            current = found.get(area_id)
            if value is not None and (
                current is None or period_year(found_period) > period_year(current[0])
            ):
                found[area_id] = (found_period, value, count, denominator)
    return found


def _populations(ids: list[int], period: str) -> tuple[np.ndarray, str]:
    own: dict[int, float | None] = {}
    for start in range(0, len(ids), 500):
        own.update(
            Observation.objects.filter(
                indicator__code=POPULATION_CODE, period=period, area_id__in=ids[start : start + 500]
            ).values_list("area_id", "value")
        )
    if all(a in own and own[a] for a in ids):
        return np.array([own[a] or 0 for a in ids], dtype=float), (
            "the release's population denominators"
        )
    geography: dict[int, int | None] = {}
    for start in range(0, len(ids), 500):
        geography.update(
            Area.objects.filter(pk__in=ids[start : start + 500]).values_list("pk", "population")
        )
    if all(geography.get(a) for a in ids):
        return (
            np.array([float(geography[a] or 0) for a in ids]),
            "the neighbourhoods' population estimates in the geography",
        )
    return np.ones(len(ids)), "equal weights (no populations loaded)"


def _groups(
    indicator: Indicator,
    imd: np.ndarray,
    value: np.ndarray,
    count: np.ndarray,
    denominator: np.ndarray,
    people: np.ndarray,
    n: int,
) -> list[Group]:
    labels = np.array(quantiles(imd, n, higher_is_worse=True))
    has_counts = not np.isnan(count).any() and not np.isnan(denominator).any()
    groups = []
    for number in range(1, n + 1):
        inside = labels == number
        if not inside.any():
            continue
        w = people[inside]
        x = value[inside]
        estimate: tuple[float | None, float | None, float | None]
        if has_counts and indicator.value_type == ValueType.PROPORTION:
            v, lo, hi = proportion_array(
                [count[inside].sum()], [denominator[inside].sum()], multiplier=indicator.multiplier
            )
            estimate = (float(v[0]), float(lo[0]), float(hi[0]))
        elif has_counts and indicator.value_type == ValueType.RATE:
            v, lo, hi = rate_array(
                [count[inside].sum()], [denominator[inside].sum()], multiplier=indicator.multiplier
            )
            estimate = (float(v[0]), float(lo[0]), float(hi[0]))
        else:
            estimate = _weighted(x, w)
        groups.append(
            Group(
                number=number,
                lsoas=int(inside.sum()),
                population=float(w.sum()),
                value=estimate[0],
                lower=estimate[1],
                upper=estimate[2],
                deprivation_low=float(imd[inside].min()),
                deprivation_high=float(imd[inside].max()),
            )
        )
    return groups


def _weighted(x: np.ndarray, w: np.ndarray) -> tuple[float | None, float | None, float | None]:
    """Population-weighted mean with a normal 95% interval from the weighted spread (Kish's
    effective sample size)."""
    total = w.sum()
    if total <= 0:
        return None, None, None
    mean = float((w * x).sum() / total)
    if x.size < 2:
        return mean, None, None
    variance = float((w * (x - mean) ** 2).sum() / total)
    effective = total**2 / float((w**2).sum())
    if effective <= 1:
        return mean, None, None
    se = math.sqrt(variance * effective / (effective - 1) / effective)
    return mean, mean - Z95 * se, mean + Z95 * se


def worse_direction(indicator: Indicator) -> str:
    """Words for a positive gap (most minus least deprived)."""
    if indicator.polarity == Polarity.HIGHER_IS_WORSE:
        return "worse in the most deprived areas"
    if indicator.polarity == Polarity.HIGHER_IS_BETTER:
        return "better in the most deprived areas"
    return "higher in the most deprived areas"
