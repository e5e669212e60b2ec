"""A place profile: every indicator for an area, against its parent and England, by theme.

One page-load reads: the area's observations (latest period of each indicator), the parent's and
England's for the same indicators and periods, and the precomputed spread (``Distribution``) of
each indicator across the area's comparison group — five queries whatever the area, so national
data do not slow it down.

Significance follows Fingertips: an area is better/worse (or higher/lower) than a benchmark when
its 95% confidence interval lies wholly above or below the benchmark's value; similar when it
contains it; not compared when the value has no interval (IoD scores and ranks are not
estimates with sampling error: their position among comparable areas is shown instead).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from placeworks.places.models import Area, AreaLink, AreaType
from placeworks.stats import compare_to_benchmark
from placeworks.themes.models import Theme

from .catalogue import MEASURES, POPULATIONS
from .models import Distribution, Indicator, Observation, Summary, ValueType
from .services import period_year

ENGLAND = "E92000001"
PARENT_TYPES: dict[str, list[str]] = {
    AreaType.LSOA: [AreaType.LAD],
    AreaType.MSOA: [AreaType.LAD],
    AreaType.WARD: [AreaType.LAD],
    AreaType.NEIGHBOURHOOD: [AreaType.LAD, AreaType.PLACE],
    AreaType.GP_PRACTICE: [AreaType.LAD],
    AreaType.LAD: [AreaType.COUNTY, AreaType.REGION],
    AreaType.PLACE: [AreaType.REGION],
    AreaType.COUNTY: [AreaType.REGION],
    AreaType.ICB: [AreaType.REGION],
    AreaType.SICBL: [AreaType.ICB, AreaType.REGION],
    AreaType.PCN: [AreaType.LAD, AreaType.ICB],
}
TYPE_PLURAL = {
    "lsoa": "neighbourhoods (LSOAs)",
    "msoa": "MSOAs",
    "ward": "wards",
    "lad": "districts",
    "county": "counties",
    "place": "PLACE areas",
    "region": "regions",
    "icb": "ICBs",
    "country": "countries",
}
POPULATION_CODES = {spec.code for spec, _ in POPULATIONS.values()}
IMD_CODES = {m.key: m for m in MEASURES}
DOMAINS = ["imd", "income", "employment", "education", "health", "crime", "barriers", "environment"]


@dataclass
class Benchmark:
    area: Area
    value: float | None
    lower: float | None
    upper: float | None


@dataclass
class Row:
    indicator: Indicator
    period: str
    value: float | None
    lower: float | None
    upper: float | None
    count: float | None
    denominator: float | None
    note: str
    basis: str
    coverage: float | None
    suppressed: bool
    provisional: bool
    rank: int | None
    rank_of: int | None
    decile: int | None
    local_rank: int | None
    local_count: int | None
    parent: Benchmark | None = None
    england: Benchmark | None = None
    vs_parent: str = "not_compared"
    vs_england: str = "not_compared"
    spread: Distribution | None = None
    group_label: str = ""

    @property
    def has_interval(self) -> bool:
        return self.lower is not None and self.upper is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator.code,
            "name": self.indicator.name,
            "theme": self.indicator.theme.slug if self.indicator.theme else None,
            "unit": self.indicator.unit,
            "value_type": self.indicator.value_type,
            "polarity": self.indicator.polarity,
            "period": self.period,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "count": self.count,
            "denominator": self.denominator,
            "suppressed": self.suppressed,
            "provisional": self.provisional,
            "basis": self.basis,
            "coverage": self.coverage,
            "note": self.note,
            "national_rank": self.rank,
            "national_rank_of": self.rank_of,
            "decile": self.decile,
            "rank_in_group": self.local_rank,
            "group_size": self.local_count,
            "group": self.group_label,
            "parent_value": self.parent.value if self.parent else None,
            "england_value": self.england.value if self.england else None,
            "compared_to_parent": self.vs_parent,
            "compared_to_england": self.vs_england,
            "spread": None
            if self.spread is None
            else {
                "count": self.spread.count,
                "minimum": self.spread.minimum,
                "q1": self.spread.q1,
                "median": self.spread.median,
                "q3": self.spread.q3,
                "maximum": self.spread.maximum,
            },
        }


@dataclass
class Section:
    key: str
    name: str
    rows: list[Row] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """The distinct notes of the section's rows, in order (footnotes)."""
        found: list[str] = []
        for row in self.rows:
            if row.note and row.note not in found:
                found.append(row.note)
        return found

    def note_number(self, row: Row) -> int | None:
        return self.notes.index(row.note) + 1 if row.note else None


@dataclass
class SummaryCell:
    value: float | None
    rank: int | None
    rank_of: int | None
    local_rank: int | None
    local_count: int | None
    basis: str = ""


@dataclass
class DeprivationRow:
    measure: str
    name: str
    score: SummaryCell | None
    parent_score: float | None
    england_score: float | None
    rank: SummaryCell | None
    extent: SummaryCell | None
    local_concentration: SummaryCell | None
    most_deprived: SummaryCell | None
    decile: int | None = None


@dataclass
class Deprivation:
    period: str
    rows: list[DeprivationRow]
    deciles: list[int]  # LSOAs of the area in each national IMD decile (index 0 = decile 1)
    lsoa_count: int


@dataclass
class Profile:
    area: Area
    parent: Area | None
    england: Area | None
    region: Area | None
    sections: list[Section]
    deprivation: list[Deprivation]
    group_label: str

    @property
    def rows(self) -> list[Row]:
        return [row for section in self.sections for row in section.rows]

    def as_dict(self) -> dict[str, Any]:
        def area(a: Area | None) -> dict[str, Any] | None:
            return None if a is None else {"code": a.code, "name": a.name, "type": a.type}

        return {
            "area": {**(area(self.area) or {}), "vintage": self.area.vintage},
            "parent": area(self.parent),
            "england": area(self.england),
            "region": area(self.region),
            "comparison_group": self.group_label,
            "themes": [
                {"key": s.key, "name": s.name, "indicators": [r.as_dict() for r in s.rows]}
                for s in self.sections
            ],
            "deprivation": [
                {
                    "period": d.period,
                    "lsoa_count": d.lsoa_count,
                    "lsoas_by_national_decile": d.deciles,
                    "measures": [
                        {
                            "measure": r.measure,
                            "name": r.name,
                            **{
                                name: None if cell is None else cell.__dict__
                                for name, cell in (
                                    ("score", r.score),
                                    ("rank", r.rank),
                                    ("extent", r.extent),
                                    ("local_concentration", r.local_concentration),
                                    ("most_deprived_10pct", r.most_deprived),
                                )
                            },
                        }
                        for r in d.rows
                    ],
                }
                for d in self.deprivation
            ],
        }


def england_area() -> Area | None:
    return (
        Area.objects.filter(type=AreaType.COUNTRY, code=ENGLAND).first()
        or Area.objects.filter(type=AreaType.COUNTRY).first()
    )


def ancestors_by_type(area: Area) -> dict[str, list[Area]]:
    found: dict[str, list[Area]] = defaultdict(list)
    for link in (
        AreaLink.objects.filter(descendant=area, depth__gt=0)
        .select_related("ancestor")
        .order_by("depth")
    ):
        found[link.ancestor.type].append(link.ancestor)
    return found


def default_parent(area: Area, ancestors: dict[str, list[Area]] | None = None) -> Area | None:
    """The area a profile compares with besides England (a district's county, a ward's
    district, a PLACE area's region)."""
    ancestors = ancestors if ancestors is not None else ancestors_by_type(area)
    for kind in PARENT_TYPES.get(area.type, [AreaType.REGION]):
        if ancestors.get(kind):
            return ancestors[kind][0]
    return None


def group_label(area: Area, region: Area | None) -> str:
    plural = TYPE_PLURAL.get(area.type, area.type)
    if area.type in (AreaType.REGION, AreaType.COUNTRY) or region is None:
        return f"loaded {plural}"
    return f"{plural} in {region.name}"


def _cell(obs: Observation | None) -> SummaryCell | None:
    if obs is None or obs.value is None:
        return None
    return SummaryCell(obs.value, obs.rank, obs.rank_of, obs.local_rank, obs.local_count, obs.basis)


def build_profile(area: Area, *, parent: Area | None = None, period: str | None = None) -> Profile:
    """The profile of ``area`` (see the module docstring). ``period`` limits it to one period;
    otherwise each indicator shows its latest."""
    ancestors = ancestors_by_type(area)
    regions = ancestors.get(AreaType.REGION) or []
    region = regions[0] if regions else None
    if parent is None:
        parent = default_parent(area, ancestors)
    england = england_area()
    if england is not None and england.pk == area.pk:
        england = None
    observations = Observation.objects.filter(area=area, sex="Persons", age="All ages")
    if period:
        observations = observations.filter(period=period)
    latest: dict[int, Observation] = {}
    by_indicator_period: dict[tuple[int, str], Observation] = {}
    for obs in observations.select_related("indicator__theme"):
        by_indicator_period[(obs.indicator_id, obs.period)] = obs
        current = latest.get(obs.indicator_id)
        if current is None or (period_year(obs.period), obs.period) > (
            period_year(current.period),
            current.period,
        ):
            latest[obs.indicator_id] = obs
    periods = {o.period for o in latest.values()}
    indicator_ids = list(latest)
    comparators = [a for a in (parent, england) if a is not None]
    benchmarks: dict[tuple[int, int, str], Observation] = {}
    if comparators and indicator_ids:
        for obs in Observation.objects.filter(
            area__in=comparators,
            indicator_id__in=indicator_ids,
            period__in=periods,
            sex="Persons",
            age="All ages",
        ):
            benchmarks[(obs.area_id, obs.indicator_id, obs.period)] = obs
    spreads: dict[tuple[int, str], Distribution] = {}
    if indicator_ids:
        for spread in Distribution.objects.filter(
            indicator_id__in=indicator_ids,
            period__in=periods,
            area_type=area.type,
            vintage=area.vintage,
            group=region if area.type not in (AreaType.REGION, AreaType.COUNTRY) else None,
            sex="Persons",
            age="All ages",
        ):
            spreads[(spread.indicator_id, spread.period)] = spread
    label = group_label(area, region)

    def benchmark(who: Area | None, obs: Observation) -> Benchmark | None:
        if who is None:
            return None
        found = benchmarks.get((who.pk, obs.indicator_id, obs.period))
        if found is None:
            return Benchmark(who, None, None, None)
        return Benchmark(who, found.value, found.lower, found.upper)

    sections: dict[str, Section] = {}
    theme_order = {t.slug: (t.order, t.name) for t in Theme.objects.all()}
    for obs in sorted(latest.values(), key=lambda o: (o.indicator.order, o.indicator.name)):
        indicator = obs.indicator
        if indicator.summary or (
            indicator.value_type == ValueType.RANK and indicator.code.startswith("iod-")
        ):
            continue  # shown in the deprivation summary
        row = Row(
            indicator=indicator,
            period=obs.period,
            value=obs.value,
            lower=obs.lower,
            upper=obs.upper,
            count=obs.count,
            denominator=obs.denominator,
            note=obs.note,
            basis=obs.basis,
            coverage=obs.coverage,
            suppressed=obs.suppressed,
            provisional=obs.provisional,
            rank=obs.rank,
            rank_of=obs.rank_of,
            decile=obs.decile,
            local_rank=obs.local_rank,
            local_count=obs.local_count,
            parent=benchmark(parent, obs),
            england=benchmark(england, obs),
            spread=spreads.get((obs.indicator_id, obs.period)),
            group_label=label,
        )
        if row.has_interval and row.value is not None:
            for target, attribute in ((row.parent, "vs_parent"), (row.england, "vs_england")):
                if target is not None and target.value is not None:
                    setattr(
                        row,
                        attribute,
                        compare_to_benchmark(
                            row.lower,
                            row.upper,
                            target.value,
                            indicator.polarity,  # type: ignore[arg-type]
                        ),
                    )
        if indicator.code in POPULATION_CODES:
            key, name = "population", "Population"
        elif indicator.theme is None:
            key, name = "deprivation", "Overall deprivation"
        else:
            key, name = indicator.theme.slug, indicator.theme.name
        sections.setdefault(key, Section(key, name)).rows.append(row)

    def section_order(section: Section) -> tuple[int, int, str]:
        if section.key == "deprivation":
            return (0, 0, "")
        if section.key == "population":
            return (2, 0, "")
        order, name = theme_order.get(section.key, (999, section.name))
        return (1, order, name)

    return Profile(
        area=area,
        parent=parent,
        england=england,
        region=region,
        sections=sorted(sections.values(), key=section_order),
        deprivation=_deprivation(area, by_indicator_period, parent, england),
        group_label=label,
    )


def _deprivation(
    area: Area,
    observations: dict[tuple[int, str], Observation],
    parent: Area | None,
    england: Area | None,
) -> list[Deprivation]:
    """IoD summaries per release: the score, rank and district summary measures of IMD and the
    seven domains, and how many of the area's LSOAs fall in each national IMD decile."""
    codes: dict[str, tuple[str, str]] = {}
    for key in DOMAINS:
        measure = IMD_CODES[key]
        codes[measure.score_code] = (key, "score")
        codes[measure.rank_code] = (key, "rank")
        for summary in Summary:
            codes[measure.summary_code(summary)] = (key, str(summary))
    indicators = {i.pk: i.code for i in Indicator.objects.filter(code__in=list(codes))}
    cells: dict[str, dict[str, dict[str, Observation]]] = defaultdict(lambda: defaultdict(dict))
    for (indicator_id, period), obs in observations.items():
        code = indicators.get(indicator_id)
        if code is None:
            continue
        key, kind = codes[code]
        cells[period][key][kind] = obs
    score_codes = [IMD_CODES[key].score_code for key in DOMAINS]
    others = [a for a in (parent, england) if a is not None]
    benchmark: dict[tuple[int, str, str], float | None] = {}
    for area_id, code, found_period, value in Observation.objects.filter(
        area__in=others, indicator__code__in=score_codes, sex="Persons", age="All ages"
    ).values_list("area_id", "indicator__code", "period", "value"):
        benchmark[(area_id, code, found_period)] = value
    decile_counts: dict[str, list[int]] = {}
    if area.type != AreaType.LSOA:
        for code in (IMD_CODES["imd"].score_code, IMD_CODES["imd"].rank_code):
            counted = set(decile_counts)  # releases whose scores carried the deciles
            rows = Observation.objects.filter(
                indicator__code=code,
                area__type=AreaType.LSOA,
                area__ancestor_links__ancestor=area,
                decile__isnull=False,
            ).values_list("period", "decile")
            for found_period, decile in rows:
                if found_period in counted:
                    continue
                counts = decile_counts.setdefault(found_period, [0] * 10)
                if decile is not None and 1 <= decile <= 10:
                    counts[decile - 1] += 1
    result = []
    for found_period in sorted(cells, key=lambda p: (-period_year(p), p)):
        rows_out = []
        for key in DOMAINS:
            found = cells[found_period].get(key)
            if not found:
                continue
            measure = IMD_CODES[key]
            rank_obs = found.get("rank")
            rank_cell = _cell(rank_obs)
            score_obs = found.get("score")
            if rank_cell is None and score_obs is not None and score_obs.rank is not None:
                # An LSOA's national rank is stored with its score.
                rank_cell = SummaryCell(
                    float(score_obs.rank), score_obs.rank, score_obs.rank_of, None, None
                )
            rows_out.append(
                DeprivationRow(
                    measure=key,
                    name=measure.name,
                    score=_cell(found.get("score")),
                    parent_score=benchmark.get(
                        (parent.pk, measure.score_code, found_period) if parent else (0, "", "")
                    ),
                    england_score=benchmark.get(
                        (england.pk, measure.score_code, found_period) if england else (0, "", "")
                    ),
                    rank=rank_cell,
                    extent=_cell(found.get(Summary.EXTENT)),
                    local_concentration=_cell(found.get(Summary.LOCAL_CONCENTRATION)),
                    most_deprived=_cell(found.get(Summary.MOST_DEPRIVED_10PCT)),
                    decile=(rank_obs.decile if rank_obs is not None else None)
                    or (found["score"].decile if "score" in found else None),
                )
            )
        counts = decile_counts.get(found_period, [0] * 10)
        result.append(Deprivation(found_period, rows_out, counts, sum(counts)))
    return result


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st…

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 21, 102)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '21st', '102nd']
    """
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def quintile(rank: int | None, count: int | None) -> int | None:
    if not rank or not count:
        return None
    return math.ceil(5 * rank / count)
