"""Estate API: assets (JSON, GeoJSON, CSV), one asset, opportunities, community services (HSDS).

Collections are filtered by visibility in the database query; an asset's commercially sensitive
fields appear only for members of its owning organisation (null for everyone else).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from placeworks.partners.permissions import visible

from . import opportunities as finder
from . import queries
from .access import may_see_sensitive
from .ingest.hsds import to_hsds
from .models import CommunityService
from .need import need_available, need_for_areas

router = Router(tags=["estate"])

MAX_LIMIT = 5000
MAX_FEATURES = 50_000


class AssetOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    owner_id: int
    owner_name: str
    owner_slug: str
    reference: str
    uprn: str
    address: str
    postcode: str
    lat: float | None
    lon: float | None
    location_source: str
    tenure: str
    floor_area_m2: float | None
    site_area_ha: float | None
    condition: str
    backlog_maintenance_cost: float | None
    annual_running_cost: float | None
    utilisation_percent: float | None
    capacity: int | None
    capacity_unit: str
    occupancy: int | None
    services_delivered: str
    status: str
    status_label: str
    accessibility_notes: str
    visibility: str
    is_sample: bool
    data_source: str
    lsoa_code: str | None = None
    lsoa_name: str | None = None
    ward_code: str | None = None
    ward_name: str | None = None
    lad_code: str | None = None
    lad_name: str | None = None
    place_code: str | None = None
    place_name: str | None = None
    # Members of the owning organisation only; null for everyone else.
    disposal_plan: str | None = None
    estimated_value: float | None = None
    commercial_notes: str | None = None


class AssetPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[AssetOut]


def _filters(request: HttpRequest) -> queries.AssetFilters:
    filters = queries.parse_filters(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors.values()))
    return filters


def csv_response(user: Any, assets: Any, filename: str) -> HttpResponse:
    columns, rows = queries.csv_table(user, assets)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/assets",
    response=AssetPage,
    summary="Assets (JSON; GeoJSON with ?format=geojson; CSV with ?format=csv)",
)
def list_assets(
    request: HttpRequest,
    owner: str | None = Query(None, description="Owning organisation: slug or id"),
    kind: Annotated[list[str] | None, Query(description="Kinds (repeat or comma-separate)")] = None,
    status: Annotated[
        list[str] | None, Query(description="Statuses (repeat or comma-separate)")
    ] = None,
    place: str | None = Query(None, description="Area code: PLACE area, LAD, ward or LSOA"),
    q: str | None = Query(None, description="Text in the name, address or postcode"),
    located: str | None = Query(None, description="yes: placed on the map; no: not placed"),
    format: str = Query("json", description="json, geojson or csv"),  # noqa: A002
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> Any:
    filters = _filters(request)
    assets = queries.register(request.user, filters).order_by("name", "pk")
    if format == "geojson":
        collection = queries.feature_collection(request.user, assets[:MAX_FEATURES])
        return HttpResponse(json.dumps(collection), content_type="application/geo+json")
    if format == "csv":
        return csv_response(request.user, assets, "assets.csv")
    if format != "json":
        raise HttpError(400, "format must be json, geojson or csv.")
    page = list(assets[offset : offset + limit])
    return {
        "count": assets.count(),
        "limit": limit,
        "offset": offset,
        "results": queries.records(request.user, page),
    }


@router.get("/assets/{asset_id}", response=AssetOut, summary="One asset")
def get_asset(request: HttpRequest, asset_id: int) -> Any:
    asset = get_object_or_404(queries.register(request.user), pk=asset_id)
    areas = queries.areas_of([asset])[asset.pk]
    return queries.asset_record(
        asset, may_see_sensitive=may_see_sensitive(request.user, asset), areas=areas
    )


@router.get("/opportunities", summary="Co-location and release opportunities, ranked")
def list_opportunities(
    request: HttpRequest,
    place: str | None = Query(None, description="Area code (PLACE area or LAD); all if empty"),
    distance: int = Query(
        finder.DEFAULT_DISTANCE_M,
        ge=finder.MIN_DISTANCE_M,
        le=finder.MAX_DISTANCE_M,
        description="Walking distance in metres",
    ),
    min_need: float = Query(
        finder.DEFAULT_MIN_NEED,
        ge=0,
        le=1,
        description="Least need where opportunities are shown (0–1, 1 = the highest need "
        "among the LSOAs of the need index's comparison set)",
    ),
    limit: int = Query(50, ge=1, le=500),
) -> dict[str, Any]:
    area = None
    if place:
        area = queries.find_area(place)
        if area is None:
            raise HttpError(400, f"No area with code ‘{place}’.")
    finding = finder.find_opportunities(
        request.user, place=area, distance=distance, min_need=min_need, limit=limit
    )
    return {
        "count": finding.total,
        "assets_considered": finding.assets_considered,
        "need_used": finding.need_used,
        "distance_m": finding.distance_m,
        "min_need": finding.min_need if finding.need_used else 0.0,
        "method": "score = need × combined annual running cost × releasable floor area; "
        "see docs/estate.md",
        "results": [o.as_dict() for o in finding.opportunities],
    }


@router.get(
    "/estate/need",
    summary="Need of the LSOAs of a place, for the estate map's choropleth",
)
def need_of_place(
    request: HttpRequest,
    place: str = Query(..., description="Area code of a PLACE area, LAD or ward"),
) -> dict[str, Any]:
    """``{"areas": {lsoa code: {"value", "decile", "label"}}}`` from the evidence app's need
    index: ``value`` 0–1 (1 = the highest need in the LSOA's comparison set, which ``label``
    names); 404 when no need index is loaded."""
    if not need_available():
        raise HttpError(404, "No need index is loaded.")
    area = queries.find_area(place)
    if area is None:
        raise HttpError(400, f"No area with code ‘{place}’.")
    lsoas = dict(queries.lsoas_in(area).values_list("pk", "code"))
    return {
        "place": area.code,
        "areas": {
            lsoas[pk]: {"value": round(n.value, 4), "decile": n.decile, "label": n.label}
            for pk, n in need_for_areas(lsoas).items()
        },
    }


@router.get(
    "/community-services",
    summary="Community groups, clubs and services in Open Referral UK (HSDS) shape",
)
def list_services(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    services = visible(
        request.user, CommunityService.objects.all(), organisation_fields=("maintainer",)
    ).order_by("name", "pk")
    total = services.count()
    page = list(services[offset : offset + limit])
    return {
        "totalElements": total,
        "size": limit,
        "number": offset // limit,
        "first": offset == 0,
        "last": offset + limit >= total,
        "content": [to_hsds(s) for s in page],
    }


@router.get("/community-services/{service_id}", summary="One community service (HSDS)")
def get_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    services = visible(
        request.user, CommunityService.objects.all(), organisation_fields=("maintainer",)
    )
    return to_hsds(get_object_or_404(services, hsds_id=service_id))
