"""Evidence API: the indicator catalogue, values by area, profiles, need, inequality, map layers.

Mounted at the API's root (prefix "") with explicit paths, next to the places router's
``/areas/{code}``: ``/indicators``, ``/indicators/{id}/values``, ``/indicators/{id}/map``,
``/areas/{code}/profile``, ``/areas/{code}/need`` and ``/areas/{code}/inequality``. Everything
here is public open data; errors are the API's ``{"detail": ...}``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from placeworks.places.models import Area

from . import queries
from .models import Indicator, Observation

router = Router(tags=["evidence"])


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    theme: str | None
    theme_name: str | None
    definition: str
    polarity: str
    value_type: str
    unit: str
    multiplier: float
    method: str
    publisher: str
    source: str
    source_url: str
    licence: str
    source_kind: str
    organisation: str | None
    summary_of: str | None
    periods: list[str]


def _indicator_out(indicator: Indicator, periods: list[str]) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "short_name": indicator.short_name,
        "theme": indicator.theme.slug if indicator.theme else None,
        "theme_name": indicator.theme.name if indicator.theme else None,
        "definition": indicator.definition,
        "polarity": indicator.polarity,
        "value_type": indicator.value_type,
        "unit": indicator.unit,
        "multiplier": indicator.multiplier,
        "method": indicator.method,
        "publisher": indicator.publisher,
        "source": indicator.source,
        "source_url": indicator.source_url,
        "licence": indicator.licence,
        "source_kind": indicator.source_kind,
        "organisation": str(indicator.organisation) if indicator.organisation else None,
        "summary_of": indicator.summary_of.code if indicator.summary_of else None,
        "periods": periods,
    }


def _indicator(key: str) -> Indicator:
    found = queries.find_indicator(key)
    if found is None:
        raise HttpError(404, f"No indicator {key!r}: use an id or a code from /api/indicators.")
    return found


def _area(code: str, type: str | None = None, vintage: str | None = None) -> Area:  # noqa: A002
    found = queries.find_area(code, type=type, vintage=vintage)
    if found is None:
        raise HttpError(404, f"No area with code {code!r}.")
    return found


@router.get("/indicators", response=list[IndicatorOut], summary="The indicator catalogue")
def list_indicators(request: HttpRequest, theme: str | None = None) -> list[dict[str, Any]]:
    """Every indicator with its definition, polarity, method, source, licence and periods.
    ``theme`` filters by theme slug."""
    rows = queries.indicators().select_related("summary_of")
    if theme:
        rows = rows.filter(theme__slug=theme)
    periods: dict[int, set[str]] = {}
    for indicator_id, period in (
        Observation.objects.filter(indicator__in=rows)
        .values_list("indicator_id", "period")
        .distinct()
    ):
        periods.setdefault(indicator_id, set()).add(period)
    return [_indicator_out(i, sorted(periods.get(i.pk, set()), reverse=True)) for i in rows]


@router.get("/indicators/{id}/values", summary="An indicator's values by area")
def indicator_values(
    request: HttpRequest,
    id: str,  # noqa: A002
    area_type: str | None = None,
    parent: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """Values for one period (the latest unless ``period``) for every area, or those of
    ``area_type`` inside the area with code ``parent``; with England's value and each area's
    comparison with it (Fingertips significance from 95% confidence limits)."""
    from placeworks.stats import compare_to_benchmark

    indicator = _indicator(id)
    parent_area = _area(parent) if parent else None
    values = queries.indicator_values(
        indicator, area_type=area_type, parent=parent_area, period=period
    )
    if period is not None and period not in values.periods:
        raise HttpError(
            404,
            f"{indicator.code} has no values for period {period!r}; periods: "
            + (", ".join(values.periods) or "none"),
        )
    england = values.england.value if values.england is not None else None
    rows = []
    for obs in values.rows:
        compared = "not_compared"
        if obs.lower is not None and obs.upper is not None and england is not None:
            compared = compare_to_benchmark(obs.lower, obs.upper, england, indicator.polarity)  # type: ignore[arg-type]
        rows.append(
            {
                "area": obs.area.code,
                "name": obs.area.name,
                "type": obs.area.type,
                "vintage": obs.area.vintage,
                "sex": obs.sex,
                "age": obs.age,
                "value": obs.value,
                "lower": obs.lower,
                "upper": obs.upper,
                "count": obs.count,
                "denominator": obs.denominator,
                "national_rank": obs.rank,
                "national_rank_of": obs.rank_of,
                "decile": obs.decile,
                "rank_in_region": obs.local_rank,
                "region_group_size": obs.local_count,
                "compared_to_england": compared,
                "suppressed": obs.suppressed,
                "provisional": obs.provisional,
                "basis": obs.basis,
                "note": obs.note,
            }
        )
    return {
        "indicator": _indicator_out(indicator, values.periods),
        "period": values.period,
        "england": england,
        "values": rows,
    }


@router.get("/indicators/{id}/map", summary="A choropleth layer (GeoJSON)")
def indicator_map(
    request: HttpRequest,
    id: str,  # noqa: A002
    level: str = "lsoa",
    period: str | None = None,
    parent: str | None = None,
) -> dict[str, Any]:
    """The indicator's values for every area of ``level`` (lsoa, ward, lad, place, county)
    inside ``parent``, with boundaries and deciles, as a GeoJSON FeatureCollection."""
    from .maps import LEVELS

    if level not in LEVELS:
        raise HttpError(422, f"level must be one of {', '.join(LEVELS)}")
    indicator = _indicator(id)
    layer = queries.map_layer(indicator, level, period, _area(parent) if parent else None)
    return layer.feature_collection()


@router.get("/areas/{code}/profile", summary="A place profile: every indicator, benchmarked")
def area_profile(
    request: HttpRequest,
    code: str,
    type: str | None = None,  # noqa: A002
    vintage: str | None = None,
    parent: str | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """Every indicator for the area (latest period unless ``period``), by theme, against its
    parent (or the area with code ``parent``) and England, with significance, rank within the
    region and the spread for a spine chart; and IoD summaries by release."""
    area = _area(code, type, vintage)
    chosen_parent = _area(parent) if parent else None
    return queries.profile(area, parent=chosen_parent, period=period).as_dict()


@router.get("/areas/{code}/need", summary="Need index of an area, overall and by theme")
def area_need(
    request: HttpRequest,
    code: str,
    type: str | None = None,
    vintage: str | None = None,  # noqa: A002
) -> dict[str, Any]:
    """Per theme: score (weighted mean z-score), rank and decile within the comparison set (the
    loaded areas of the same type and vintage; 1 = highest need) and every component."""
    return queries.need_summary(_area(code, type, vintage))


@router.get("/areas/{code}/inequality", summary="Inequality by deprivation decile, with SII")
def area_inequality(
    request: HttpRequest,
    code: str,
    indicator: str,
    period: str | None = None,
    type: str | None = None,  # noqa: A002
) -> dict[str, Any]:
    """The indicator's values by local deprivation decile within the area, the gap between the
    most and least deprived fifths, and the slope and relative indices of inequality."""
    area = _area(code, type)
    try:
        result = queries.inequality(area, _indicator(indicator), period)
    except queries.NotEnoughData as exc:
        raise HttpError(404, str(exc)) from None
    return result.as_dict()
