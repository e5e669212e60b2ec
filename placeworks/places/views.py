"""Places pages: the index with search, a place, the choropleth map, and the groupings (PLACE
areas and neighbourhoods) platform administrators edit or upload. Every page's data is also in
the areas API (linked from the page)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from placeworks.contributions import place_links
from placeworks.ingest.web import render_import_page, run_form_upload
from placeworks.partners.permissions import Permission, has_permission

from . import queries, services
from .forms import GroupingForm, GroupingImportForm, MapForm, SearchForm
from .ingest import GroupingImporter
from .models import GROUPING_TYPES, Area, AreaRelation, AreaType


def _may_edit(request: HttpRequest) -> bool:
    return has_permission(request.user, Permission.IMPORT_GEOGRAPHY)


def _tiles() -> dict[str, str]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def index(request: HttpRequest) -> HttpResponse:
    """Find a place by name or code; with no search, what is loaded."""
    form = SearchForm(request.GET or None)
    results = None
    page = None
    api_url = "/api/areas"
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["type"]):
        q = form.cleaned_data["q"]
        area_type = form.cleaned_data["type"] or None
        results = queries.search(q, area_type).defer("geometry_wkb")
        page = Paginator(results, 50).get_page(request.GET.get("page"))
        api_url += "?" + urlencode({k: v for k, v in (("q", q), ("type", area_type)) if v})
    context: dict[str, Any] = {
        "page_title": "Places",
        "form": form,
        "page": page,
        "searched": results is not None,
        "query": urlencode(
            {k: v for k, v in request.GET.items() if k != "page" and isinstance(v, str)}
        ),
        "api_url": api_url,
        "may_edit": _may_edit(request),
    }
    if results is None:
        context["summaries"] = queries.type_summaries()
        context["places"] = list(
            Area.objects.filter(type=AreaType.PLACE, is_active=True)
            .defer("geometry_wkb")
            .order_by("name")
        )
        context["districts"] = list(
            queries.layer_areas(AreaType.LAD).defer("geometry_wkb").order_by("name")
        )
    return render(request, "places/index.html", context)


def _find(request: HttpRequest, code: str) -> Area:
    area_type = request.GET.get("type") or None
    if area_type and area_type not in AreaType.values:
        raise Http404("No such area type.")
    area = queries.find_area(code, area_type, request.GET.get("vintage") or None)
    if area is None:
        raise Http404(f"No area with code {code}.")
    return area


# Children of these types tile their parent together (counties and unitary districts).
DRAWN_TOGETHER: dict[str, str] = {AreaType.COUNTY: AreaType.LAD}


def _map_children(area: Area, groups: list[queries.ChildGroup]) -> list[tuple[str, str, str]]:
    """(type, vintage, label) of each layer of areas to draw inside this one on its map."""
    for group in groups:
        if any(a.has_geometry for a in group.areas):
            layers = [(group.type, group.vintage, group.plural)]
            partner = DRAWN_TOGETHER.get(group.type)
            layers += [
                (g.type, g.vintage, g.plural)
                for g in groups
                if g.type == partner and any(a.has_geometry for a in g.areas)
            ]
            return layers
    # No drawable children (England's region has no outline): the districts inside it.
    current = queries.current_vintages()
    for area_type in (AreaType.LAD, AreaType.WARD, AreaType.LSOA):
        if queries.type_rank(area_type) >= queries.type_rank(area.type):
            continue
        vintage = current.get(area_type)
        if (
            vintage is not None
            and queries.descendants(area, area_type).filter(geometry_wkb__isnull=False).exists()
        ):
            return [(area_type, vintage, Area(type=area_type).plural_type_label)]
    return []


def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One place: where it sits, its population, its map and what is inside it."""
    area = _find(request, code)
    groups = queries.child_groups(area)
    shown_vintages = {(g.type, g.vintage) for g in groups}
    earlier = []
    for child_type, vintage, count in _child_vintage_counts(area):
        if (child_type, vintage) not in shown_vintages:
            sample = Area(type=child_type)
            earlier.append(
                (
                    sample.plural_type_label if count != 1 else sample.short_type_label,
                    child_type,
                    vintage,
                    count,
                )
            )
    chosen = request.GET.get("children")
    extra = None
    if chosen and ":" in chosen:
        child_type, _, vintage = chosen.partition(":")
        if child_type in AreaType.values:
            extra = (
                Area(type=child_type).plural_type_label,
                vintage,
                list(queries.children(area, child_type, vintage).defer("geometry_wkb")),
            )
    map_layers = _map_children(area, groups)
    geojson = "/api/areas/geojson?"
    layers = []
    if area.has_geometry:
        layers.append(
            {
                "role": "outline",
                "url": geojson
                + urlencode({"code": area.code, "type": area.type, "vintage": area.vintage}),
            }
        )
    for child_type, child_vintage, label in map_layers:
        layers.append(
            {
                "role": "children",
                "label": label,
                "url": geojson
                + urlencode({"parent": area.code, "type": child_type, "vintage": child_vintage}),
            }
        )
    bbox = (
        [area.min_lon, area.min_lat, area.max_lon, area.max_lat]
        if area.min_lon is not None
        else None
    )
    current = queries.current_vintages()
    context = {
        "page_title": area.name,
        "area": area,
        "breadcrumbs": queries.breadcrumbs(area),
        "part_of": queries.part_of(area),
        "groups": groups,
        "earlier": earlier,
        "extra": extra,
        "crosswalks": queries.crosswalks_for(area),
        "other_vintages": queries.other_vintages(area),
        "is_current": current.get(area.type) == area.vintage,
        "current_vintage": current.get(area.type),
        "layers_json": json.dumps(layers),
        "bbox_json": json.dumps(bbox),
        "map_label": " and ".join(label.lower() for _, _, label in map_layers) or None,
        "api_url": f"/api/areas/{area.code}?"
        + urlencode({"type": area.type, "vintage": area.vintage}),
        "geojson_url": layers[0]["url"] if layers else "",
        "may_edit": _may_edit(request) and area.type in GROUPING_TYPES,
        "place_links": [(link, link.url(area.code)) for link in place_links()],
        **_tiles(),
    }
    return render(request, "places/detail.html", context)


def _child_vintage_counts(area: Area) -> list[tuple[str, str, int]]:
    from django.db.models import Count

    rows = (
        Area.objects.filter(parent_links__parent=area, is_active=True)
        .values("type", "vintage")
        .annotate(n=Count("id"))
        .order_by("type", "vintage")
    )
    return [(r["type"], r["vintage"], r["n"]) for r in rows]


def area_map(request: HttpRequest) -> HttpResponse:
    """A choropleth of any area type (optionally inside one area) with its table."""
    form = MapForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else MapForm.defaults()
    area_type = data["type"] or AreaType.LAD
    measure = data["measure"] or "population"
    parent = None
    if data.get("parent"):
        parent = queries.find_area(data["parent"])
        if parent is None:
            form.add_error("parent", f"No area with code {data['parent']}.")
    vintage = data.get("vintage") or queries.current_vintage(area_type)
    areas = list(
        queries.layer_areas(area_type, parent=parent, vintage=vintage)
        .defer("geometry_wkb")
        .order_by("name")
    )
    values = {a.pk: queries.measure_value(a, measure) for a in areas}
    classes = queries.quantile_classes([v for v in values.values() if v is not None])
    rows = [(a, values[a.pk], queries.class_of(values[a.pk], classes)) for a in areas]
    drawn = sum(1 for a in areas if a.min_lon is not None)
    extent = None
    with_box = [a for a in areas if a.min_lon is not None]
    if with_box:
        extent = [
            min(a.min_lon for a in with_box),  # type: ignore[type-var]
            min(a.min_lat for a in with_box),  # type: ignore[type-var]
            max(a.max_lon for a in with_box),  # type: ignore[type-var]
            max(a.max_lat for a in with_box),  # type: ignore[type-var]
        ]
    params = {"type": area_type, "vintage": vintage or ""}
    if parent is not None:
        params["parent"] = parent.code
    layer_url = "/api/areas/geojson?" + urlencode(params)
    context = {
        "page_title": "Map of places",
        "form": form,
        "area_type": area_type,
        "type_label": Area(type=area_type).short_type_label,
        "plural_label": Area(type=area_type).plural_type_label,
        "vintage": vintage,
        "parent": parent,
        "measure": measure,
        "measure_label": queries.MEASURES[measure],
        "classes": classes,
        "rows": rows[:1000],
        "row_count": len(rows),
        "no_data": sum(1 for _, v, _ in rows if v is None),
        "drawn": drawn,
        "layers_json": json.dumps([{"role": "choropleth", "url": layer_url}]),
        "bbox_json": json.dumps(extent),
        "breaks_json": json.dumps([c.upper for c in classes]),
        "layer_url": layer_url,
        **_tiles(),
    }
    return render(request, "places/map.html", context)


# --- groupings ------------------------------------------------------------------------------


def groupings(request: HttpRequest) -> HttpResponse:
    """PLACE areas and neighbourhoods, with their members."""
    items = []
    for area in (
        Area.objects.filter(type__in=GROUPING_TYPES).defer("geometry_wkb").order_by("type", "name")
    ):
        members = list(
            Area.objects.filter(
                parent_links__parent=area, parent_links__kind=AreaRelation.Kind.MEMBER
            )
            .defer("geometry_wkb")
            .order_by("name")
        )
        items.append((area, members))
    return render(
        request,
        "places/groupings.html",
        {
            "page_title": "PLACE areas and neighbourhoods",
            "items": items,
            "may_edit": _may_edit(request),
        },
    )


def _require_edit(request: HttpRequest) -> None:
    if not _may_edit(request):
        raise PermissionDenied(
            "Only platform administrators can change PLACE areas and neighbourhoods."
        )


def grouping_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    _require_edit(request)
    area = None
    if code is not None:
        area = Area.objects.filter(type__in=GROUPING_TYPES, code=code).first()
        if area is None:
            raise Http404("No such grouping.")
    form = GroupingForm(request.POST or None, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_grouping(
                by=request.user,
                name=form.cleaned_data["name"],
                members=form.cleaned_data["members"],
                type=form.cleaned_data["type"],
                code=form.cleaned_data.get("code") or None,
                description=form.cleaned_data["description"],
                source="web",
                area=area,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect(queries.page_url(saved))
    return render(
        request,
        "places/grouping_form.html",
        {
            "page_title": f"Change {area.name}" if area else "Add a PLACE area or neighbourhood",
            "form": form,
            "area": area,
        },
        status=400 if form.errors else 200,
    )


def grouping_delete(request: HttpRequest, code: str) -> HttpResponse:
    _require_edit(request)
    area = Area.objects.filter(type__in=GROUPING_TYPES, code=code).first()
    if area is None:
        raise Http404("No such grouping.")
    if request.method == "POST":
        name = area.name
        services.delete_grouping(by=request.user, area=area)
        messages.success(request, f"{name} removed.")
        return redirect("places:groupings")
    return render(
        request,
        "places/grouping_delete.html",
        {"page_title": f"Remove {area.name}", "area": area},
    )


def grouping_import(request: HttpRequest) -> HttpResponse:
    """The web front door of ``import_groupings`` (the same importer)."""
    _require_edit(request)
    form = GroupingImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_form_upload(request, form, GroupingImporter(), default_suffix=".yaml")
    return render_import_page(
        request,
        "places/grouping_import.html",
        {"page_title": "Upload PLACE areas and neighbourhoods", "form": form, "report": report},
    )
