"""Reads of the evidence app — the names other apps call.

- ``need_index(area, theme=None) -> NeedEntry | None`` — need on a theme (a theme slug such as
  ``housing``, ``education-skills``, ``health-wellbeing``; None for overall) with ``score``,
  ``rank`` and ``total`` (1 = highest need in the comparison set), ``decile``, ``percentile``,
  ``label`` and ``components`` (each with value, z-score, weight and contribution). The overall
  entry also carries ``themes``: every theme's entry.
- ``need_index_for_areas(area_ids, theme=None) -> {area id: NeedEntry}`` — many areas at once.
- ``highest_need(within, area_type, theme=None, limit=5)`` — e.g. the highest-need wards of a
  place.
- ``need_loaded() -> bool`` — whether the overall need index has any data (one cheap query): the
  test other apps use before offering need at all.
- ``profile(area, parent=None, period=None) -> Profile`` — every indicator against its parent
  and England, by theme (``profile.as_dict()`` is the API's answer).
- ``latest_value(code, area) -> Observation | None`` and ``indicator_values(...)``.
- ``inequality(area, indicator)``, ``decile_change(area)``, ``map_layer(indicator, level)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from placeworks.places.models import Area, AreaType

from .change import DecileChange, decile_change
from .inequality import Inequality, NotEnoughData, inequality
from .maps import MapLayer, map_layer
from .models import Indicator, Observation
from .need import (
    NeedEntry,
    config,
    highest_need,
    need_index,
    need_index_for_areas,
    need_loaded,
)
from .profile import Profile, build_profile, default_parent, england_area
from .services import period_year

__all__ = [
    "DecileChange",
    "Inequality",
    "MapLayer",
    "NeedEntry",
    "NotEnoughData",
    "Profile",
    "compare",
    "config",
    "decile_change",
    "find_area",
    "find_indicator",
    "highest_need",
    "indicator_periods",
    "indicator_values",
    "indicators",
    "inequality",
    "latest_value",
    "map_layer",
    "need_index",
    "need_index_for_areas",
    "need_loaded",
    "profile",
]

MAX_COMPARED = 10


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("theme", "organisation").order_by("order", "name")


def find_indicator(key: str | int) -> Indicator | None:
    """By numeric id or by code."""
    text = str(key).strip()
    if text.isdigit():
        found = Indicator.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    return Indicator.objects.filter(code=text).first()


def find_area(code: str, type: str | None = None, vintage: str | None = None) -> Area | None:  # noqa: A002
    """The area with this code, through the places app's ``find_area`` (current vintage
    first)."""
    from placeworks.places.queries import find_area as places_find_area

    return places_find_area(code, type=type, vintage=vintage)


def indicator_periods(indicator: Indicator) -> list[str]:
    periods = set(
        Observation.objects.filter(indicator=indicator).values_list("period", flat=True).distinct()
    )
    return sorted(periods, key=lambda p: (-period_year(p), p))


def latest_value(code: str, area: Area) -> Observation | None:
    """The latest observation (persons, all ages) of indicator ``code`` for ``area``."""
    rows = Observation.objects.filter(
        indicator__code=code, area=area, sex="Persons", age="All ages"
    )
    found = list(rows)
    if not found:
        return None
    return max(found, key=lambda o: (period_year(o.period), o.period))


@dataclass
class Values:
    indicator: Indicator
    period: str
    periods: list[str]
    rows: list[Observation]
    england: Observation | None


def indicator_values(
    indicator: Indicator,
    *,
    area_type: str | None = None,
    parent: Area | None = None,
    period: str | None = None,
) -> Values:
    """Every area's value of ``indicator`` for one period (the latest unless given), optionally
    only areas of one type and inside ``parent``."""
    rows = Observation.objects.filter(indicator=indicator, sex="Persons", age="All ages")
    if area_type:
        rows = rows.filter(area__type=area_type)
    if parent is not None:
        rows = rows.filter(area__ancestor_links__ancestor=parent)
    periods = sorted(
        set(rows.values_list("period", flat=True).distinct()), key=lambda p: (-period_year(p), p)
    )
    chosen = period if period is not None else (periods[0] if periods else "")
    found = list(
        rows.filter(period=chosen).select_related("area").order_by("area__type", "area__name")
    )
    england = england_area()
    benchmark = (
        Observation.objects.filter(
            indicator=indicator, area=england, period=chosen, sex="Persons", age="All ages"
        ).first()
        if england is not None
        else None
    )
    return Values(indicator, chosen, periods, found, benchmark)


def profile(area: Area, parent: Area | None = None, period: str | None = None) -> Profile:
    return build_profile(area, parent=parent, period=period)


@dataclass
class Comparison:
    areas: list[Area]
    rows: list[tuple[Indicator, str, list[Observation | None]]]
    england: list[Observation | None]


def compare(
    areas: Sequence[Area], *, theme: str | None = None, codes: Sequence[str] | None = None
) -> Comparison:
    """Indicators side by side for up to ten areas (latest period each area shares), with
    England's value: one query for the areas, one for England."""
    chosen = list(areas)[:MAX_COMPARED]
    rows = Observation.objects.filter(area__in=chosen, sex="Persons", age="All ages").exclude(
        indicator__summary__gt=""
    )
    if theme:
        rows = rows.filter(indicator__theme__slug=theme)
    if codes:
        rows = rows.filter(indicator__code__in=list(codes))
    table: dict[tuple[int, str], dict[int, Observation]] = {}
    indicators_by_id: dict[int, Indicator] = {}
    for obs in rows.select_related("indicator"):
        if obs.indicator.value_type == "rank" and obs.indicator.code.startswith("iod-"):
            continue
        indicators_by_id[obs.indicator_id] = obs.indicator
        table.setdefault((obs.indicator_id, obs.period), {})[obs.area_id] = obs
    latest: dict[int, str] = {}
    for indicator_id, period in table:
        if indicator_id not in latest or period_year(period) > period_year(latest[indicator_id]):
            latest[indicator_id] = period
    england = england_area()
    benchmarks: dict[tuple[int, str], Observation] = {}
    if england is not None and latest:
        for obs in Observation.objects.filter(
            area=england,
            indicator_id__in=list(latest),
            period__in=set(latest.values()),
            sex="Persons",
            age="All ages",
        ):
            benchmarks[(obs.indicator_id, obs.period)] = obs
    result = []
    for indicator_id, period in sorted(
        latest.items(),
        key=lambda item: (indicators_by_id[item[0]].order, indicators_by_id[item[0]].name),
    ):
        cells = table[(indicator_id, period)]
        result.append((indicators_by_id[indicator_id], period, [cells.get(a.pk) for a in chosen]))
    return Comparison(
        chosen,
        result,
        [benchmarks.get((i.pk, p)) for i, p, _ in result],
    )


def areas_with_data(area_type: str | None = None) -> QuerySet[Area]:
    """Areas that have at least one observation (for pickers)."""
    areas = Area.objects.filter(observations__isnull=False).distinct()
    if area_type:
        areas = areas.filter(type=area_type)
    return areas.order_by("type", "name")


def comparable_places() -> list[Area]:
    """Areas a person would compare: PLACE areas, districts, counties, wards (with data)."""
    wanted = [AreaType.PLACE, AreaType.LAD, AreaType.COUNTY, AreaType.REGION]
    return list(
        Area.objects.filter(type__in=wanted, observations__isnull=False)
        .distinct()
        .order_by("type", "name")
    )


def parent_of(area: Area) -> Area | None:
    return default_parent(area)


def need_summary(area: Area) -> dict[str, Any]:
    """The API's answer for an area's need: overall and every theme."""
    entry = need_index(area)
    if entry is None:
        return {"area": area.code, "themes": []}
    themes = entry.themes or {"overall": entry}
    return {
        "area": area.code,
        "name": area.name,
        "type": area.type,
        "method": "docs/evidence.md#the-need-index",
        "themes": [item.as_dict() for item in themes.values()],
    }
