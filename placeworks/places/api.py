"""The areas API (``/api/areas``): search, one area with its hierarchy, children, point-in-area,
crosswalks, and GeoJSON layers simplified for the map's zoom. Geography is public: no sign-in
is needed to read it. Errors are ``{"detail": ...}``.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from . import queries
from .models import Area, AreaType, Crosswalk

router = Router(tags=["areas"])

MAX_LIMIT = 500
MAX_FEATURES = 20_000


class AreaRef(Schema):
    code: str
    name: str
    type: str
    vintage: str
    url: str


class AreaOut(AreaRef):
    type_label: str
    population: int | None
    population_year: int | None
    population_source: str
    population_method: str
    area_hectares: float | None
    centroid: list[float] | None
    bbox: list[float] | None
    has_boundary: bool
    boundary_derived: bool
    is_partial: bool


class AreaPage(Schema):
    count: int
    limit: int
    offset: int
    results: list[AreaOut]


class ChildGroupOut(Schema):
    type: str
    vintage: str
    label: str
    kind: str
    count: int
    children_url: str


class CrosswalkTarget(Schema):
    area: AreaRef
    weight: float


class CrosswalkUse(Schema):
    name: str
    method: str
    description: str
    targets: list[CrosswalkTarget]


class AreaDetail(AreaOut):
    description: str
    boundary_source: str
    coverage_note: str
    breadcrumbs: list[AreaRef]
    part_of: list[AreaRef]
    children: list[ChildGroupOut]
    other_vintages: list[AreaRef]
    crosswalks: list[CrosswalkUse]
    geojson_url: str


class CrosswalkOut(Schema):
    name: str
    method: str
    source_type: str
    source_vintage: str
    target_type: str
    target_vintage: str
    description: str
    weights: int


class TypeOut(Schema):
    type: str
    label: str
    vintage: str
    is_current: bool
    count: int
    with_boundary: int
    derived_boundary: int
    with_population: int


def _url(area: Area) -> str:
    return queries.page_url(area)


def ref(area: Area) -> dict[str, Any]:
    return {
        "code": area.code,
        "name": area.name,
        "type": area.type,
        "vintage": area.vintage,
        "url": _url(area),
    }


def out(area: Area) -> dict[str, Any]:
    has_bbox = area.min_lon is not None
    return {
        **ref(area),
        "type_label": area.short_type_label,
        "population": area.population if not area.is_partial else None,
        "population_year": area.population_year if not area.is_partial else None,
        "population_source": area.population_source,
        "population_method": area.population_method,
        "area_hectares": area.area_hectares,
        "centroid": [area.centroid_lon, area.centroid_lat]
        if area.centroid_lon is not None
        else None,
        "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat] if has_bbox else None,
        "has_boundary": has_bbox,
        "boundary_derived": area.boundary_derived,
        "is_partial": area.is_partial,
    }


def _check_type(value: str | None) -> str | None:
    if value and value not in AreaType.values:
        raise HttpError(400, f"type must be one of: {', '.join(AreaType.values)}.")
    return value or None


def _area(code: str, type_: str | None = None, vintage: str | None = None) -> Area:
    area = queries.find_area(code, _check_type(type_), vintage or None)
    if area is None:
        raise Http404(f"No area with code {code}.")
    return area


def _light(queryset: Any) -> Any:
    return queryset.defer("geometry_wkb")


@router.get("", response=AreaPage, summary="Search areas by name or code")
def list_areas(
    request: HttpRequest,
    q: str | None = Query(None, description="Text in the name, or the start of the code"),
    type: str | None = Query(None, description="Area type slug: lsoa, ward, lad, place, …"),  # noqa: A002
    parent: str | None = Query(None, description="Only areas inside the area with this code"),
    vintage: str | None = Query(None, description="Boundary vintage (default: the newest)"),
    limit: int = Query(50, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    parent_area = _area(parent) if parent else None
    areas = _light(queries.search(q, _check_type(type), parent_area, vintage or None))
    count = areas.count()
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "results": [out(a) for a in areas[offset : offset + limit]],
    }


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if not value:
        return None
    try:
        parts = [float(p) for p in value.split(",")]
    except ValueError:
        parts = []
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise HttpError(400, "bbox must be four numbers: min_lon,min_lat,max_lon,max_lat.")
    min_lon, min_lat, max_lon, max_lat = parts
    if min_lon > max_lon or min_lat > max_lat:
        raise HttpError(400, "bbox must be min_lon,min_lat,max_lon,max_lat (minimums first).")
    return min_lon, min_lat, max_lon, max_lat


@router.get(
    "/geojson",
    summary="A GeoJSON layer of areas, simplified for the map's zoom",
    description=(
        "Areas of one type (at its newest vintage unless `vintage` is given), optionally "
        "inside `parent` and meeting `bbox`, or the areas listed in `code` (comma-separated). "
        "Shapes are pre-simplified for zoom buckets 6, 9 and 12; `zoom` picks the bucket. "
        "Properties: code, name, type, vintage, population, population_year, area_hectares, "
        "density (people per hectare), derived (boundary derived from constituent areas), url."
    ),
    response={200: dict[str, Any]},
)
def geojson(
    request: HttpRequest,
    type: str | None = Query(None, description="Area type slug"),  # noqa: A002
    parent: str | None = Query(None, description="Code of the area to look inside"),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat (WGS84)"),
    zoom: float = Query(12, ge=0, le=24, description="Web map zoom level"),
    vintage: str | None = Query(None),
    code: str | None = Query(None, description="Comma-separated codes of areas to return"),
) -> HttpResponse:
    area_type = _check_type(type)
    codes = [c.strip() for c in (code or "").split(",") if c.strip()] or None
    if area_type is None and codes is None:
        raise HttpError(400, "Give a type (e.g. type=lsoa) or the codes of the areas.")
    parent_area = _area(parent) if parent else None
    areas = queries.layer_areas(
        area_type, parent=parent_area, vintage=vintage or None, bbox=_bbox(bbox), codes=codes
    )
    text, count = queries.geojson_layer(areas, zoom, limit=MAX_FEATURES + 1)
    if count > MAX_FEATURES:
        raise HttpError(
            400, f"More than {MAX_FEATURES:,} areas: narrow the layer with parent or bbox."
        )
    response = HttpResponse(text, content_type="application/geo+json")
    response["Cache-Control"] = "public, max-age=300"
    return response


@router.get(
    "/containing",
    response=list[AreaOut],
    summary="The areas a point lies in (WGS84 longitude and latitude)",
)
def containing(
    request: HttpRequest,
    lon: float = Query(..., ge=-180, le=180),
    lat: float = Query(..., ge=-90, le=90),
    type: str | None = Query(None),  # noqa: A002
    vintage: str | None = Query(None),
) -> list[dict[str, Any]]:
    return [out(a) for a in queries.areas_containing_point(lon, lat, _check_type(type), vintage)]


@router.get("/types", response=list[TypeOut], summary="Area types and vintages loaded")
def types(request: HttpRequest) -> list[dict[str, Any]]:
    return [summary.__dict__ for summary in queries.type_summaries()]


@router.get("/crosswalks", response=list[CrosswalkOut], summary="Crosswalks between geographies")
def crosswalks(request: HttpRequest) -> list[dict[str, Any]]:
    from django.db.models import Count

    return [
        {
            "name": c.name,
            "method": c.method,
            "source_type": c.source_type,
            "source_vintage": c.source_vintage,
            "target_type": c.target_type,
            "target_vintage": c.target_vintage,
            "description": c.description,
            "weights": c.n,
        }
        for c in Crosswalk.objects.annotate(n=Count("weights")).order_by("name")
    ]


@router.get("/{code}", response=AreaDetail, summary="One area with its place in the hierarchy")
def area_detail(
    request: HttpRequest,
    code: str,
    type: str | None = Query(None),  # noqa: A002
    vintage: str | None = Query(None),
) -> dict[str, Any]:
    area = _area(code, type, vintage)
    return detail_data(area)


def detail_data(area: Area) -> dict[str, Any]:
    from urllib.parse import urlencode

    base = f"/api/areas/{area.code}/children?"
    groups = [
        {
            "type": g.type,
            "vintage": g.vintage,
            "label": g.label,
            "kind": g.kind,
            "count": len(g.areas),
            "children_url": base
            + urlencode({"type": g.type, "vintage": g.vintage, "parent_type": area.type}),
        }
        for g in queries.child_groups(area)
    ]
    return {
        **out(area),
        "description": area.description,
        "boundary_source": area.boundary_source,
        "coverage_note": area.coverage_note,
        "breadcrumbs": [ref(a) for a in queries.breadcrumbs(area)],
        "part_of": [ref(a) for a in queries.part_of(area)],
        "children": groups,
        "other_vintages": [ref(a) for a in queries.other_vintages(area)],
        "crosswalks": [
            {
                "name": crosswalk.name,
                "method": crosswalk.method,
                "description": crosswalk.description,
                "targets": [{"area": ref(t), "weight": w} for t, w in targets],
            }
            for crosswalk, targets in queries.crosswalks_for(area)
        ],
        "geojson_url": "/api/areas/geojson?"
        + urlencode({"code": area.code, "type": area.type, "vintage": area.vintage}),
    }


@router.get(
    "/{code}/children",
    response=list[AreaOut],
    summary="The areas directly inside an area (or a grouping's members)",
)
def area_children(
    request: HttpRequest,
    code: str,
    type: str | None = Query(None, description="Only children of this type"),  # noqa: A002
    vintage: str | None = Query(None, description="Children of this vintage"),
    parent_type: str | None = Query(None, description="Type of the area, if its code is shared"),
    parent_vintage: str | None = Query(None),
) -> list[dict[str, Any]]:
    area = _area(code, parent_type, parent_vintage)
    return [out(a) for a in _light(queries.children(area, _check_type(type), vintage or None))]


@router.get(
    "/{code}/descendants",
    response=list[AreaOut],
    summary="Areas of one type anywhere inside an area",
)
def area_descendants(
    request: HttpRequest,
    code: str,
    type: str = Query(..., description="Area type slug, e.g. lsoa"),  # noqa: A002
    vintage: str | None = Query(None),
    parent_type: str | None = Query(None),
    parent_vintage: str | None = Query(None),
) -> list[dict[str, Any]]:
    area = _area(code, parent_type, parent_vintage)
    checked = _check_type(type)
    assert checked is not None
    return [out(a) for a in _light(queries.descendants(area, checked, vintage or None))]
