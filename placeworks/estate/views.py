"""Estate pages: the register, an asset, the map, the opportunity finder, unplaced assets,
adding, changing and importing assets, community services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from placeworks.contributions import collect
from placeworks.ingest.web import render_import_page, run_form_upload
from placeworks.partners.permissions import Permission, has_permission, visible

from . import opportunities as finder
from . import queries, services
from .access import may_see_sensitive
from .api import csv_response
from .forms import AssetForm, ImportForm
from .ingest import FORMATS
from .ingest.hsds import opening_times
from .models import SENSITIVE_FIELDS, CommunityService, Kind, Status
from .need import need_available

# Shares of the need index's comparison set (the loaded LSOAs of the same vintage), not England.
NEED_LEVELS = [
    (0.0, "Anywhere"),
    (0.5, "Higher-need half of the LSOAs compared"),
    (0.7, "Highest-need 30%"),
    (0.8, "Highest-need 20%"),
    (0.9, "Highest-need 10%"),
]


def _filter_context(request: HttpRequest, filters: queries.AssetFilters) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "owners": queries.owners_with_assets(request.user),
        "kinds": Kind.choices,
        "statuses": Status.choices,
        "places": queries.places(),
        "query": query.urlencode(),
    }


def index(request: HttpRequest) -> HttpResponse:
    """The asset register: every asset the user may see, filtered."""
    filters = queries.parse_filters(request.GET)
    assets = queries.register(request.user, filters).order_by("name", "pk")
    page = Paginator(assets, 50).get_page(request.GET.get("page"))
    context = _filter_context(request, filters)
    context.update(
        {
            "page_title": "Asset register",
            "page": page,
            "unlocated_count": queries.unlocated(request.user).count(),
            "may_add": has_permission(request.user, Permission.EDIT_ASSET),
        }
    )
    return render(request, "estate/index.html", context, status=400 if filters.errors else 200)


def export_csv(request: HttpRequest) -> HttpResponse:
    filters = queries.parse_filters(request.GET)
    assets = queries.register(request.user, filters).order_by("name", "pk")
    return csv_response(request.user, assets, "assets.csv")


def detail(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = get_object_or_404(queries.register(request.user), pk=asset_id)
    areas = queries.areas_of([asset])[asset.pk]
    show_sensitive = may_see_sensitive(request.user, asset)
    return render(
        request,
        "estate/detail.html",
        {
            "page_title": asset.name,
            "asset": asset,
            "areas": [areas[t] for t in ("lsoa", "ward", "lad", "place") if t in areas],
            "show_sensitive": show_sensitive,
            "may_edit": has_permission(request.user, Permission.EDIT_ASSET, asset),
            "services": visible(
                request.user,
                asset.community_services.all(),
                organisation_fields=("maintainer",),
            ),
            "sensitive": [
                (
                    str(getattr(asset._meta.get_field(name), "verbose_name", name)),
                    _display(getattr(asset, name)),
                )
                for name in SENSITIVE_FIELDS
            ]
            if show_sensitive
            else [],
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _display(value: Any) -> Any:
    """Money as £1,350,000; other values unchanged."""
    return f"£{value:,.0f}" if isinstance(value, Decimal) else value


def _save_asset(request: HttpRequest, form: AssetForm, asset: Any = None) -> Any:
    data = dict(form.cleaned_data)
    try:
        if asset is None:
            return services.create_asset(by=request.user, **data)
        return services.update_asset(by=request.user, asset=asset, **data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.EDIT_ASSET):
        raise PermissionDenied("Only editors of a partner organisation can add assets.")
    form = AssetForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        asset = _save_asset(request, form)
        if asset is not None:
            messages.success(request, f"{asset.name} has been added.")
            return redirect("estate:detail", asset_id=asset.pk)
    return render(
        request,
        "estate/form.html",
        {"page_title": "Add an asset", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def edit(request: HttpRequest, asset_id: int) -> HttpResponse:
    asset = get_object_or_404(queries.register(request.user), pk=asset_id)
    if not has_permission(request.user, Permission.EDIT_ASSET, asset):
        raise PermissionDenied(f"Only editors of {asset.owner} can change this asset.")
    form = AssetForm(request.POST or None, instance=asset, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_asset(request, form, asset)
        if saved is not None:
            messages.success(request, f"{saved.name} has been updated.")
            return redirect("estate:detail", asset_id=saved.pk)
    return render(
        request,
        "estate/form.html",
        {"page_title": f"Change {asset.name}", "form": form, "asset": asset},
        status=400 if form.errors else 200,
    )


def _api_available(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "not_found" and getattr(match.func, "__name__", "") != "not_found"


def _boundaries_url(place: Any) -> str:
    """The places API's GeoJSON of the LSOAs in ``place`` (empty when that API is absent)."""
    if place is None or not _api_available("/api/areas/geojson"):
        return ""
    return "/api/areas/geojson?" + urlencode({"type": "lsoa", "parent": place.code, "zoom": 12})


def _need_url(place: Any) -> str:
    """Need of the place's LSOAs (the evidence app's need index, through the estate API)."""
    if place is None or not need_available():
        return ""
    return reverse("api-1.0.0:need_of_place") + "?" + urlencode({"place": place.code})


def _map_context(place: Any) -> dict[str, Any]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "boundaries_url": _boundaries_url(place),
        "need_url": _need_url(place),
    }


def asset_map(request: HttpRequest) -> HttpResponse:
    """Every partner's estate in a place, by kind and owner, over the need of its LSOAs."""
    filters = queries.parse_filters(request.GET)
    assets = queries.register(request.user, filters).order_by("kind", "name")
    api_query = request.GET.copy()
    if filters.area is not None:
        api_query["place"] = filters.area.code
    api_query["format"] = "geojson"
    context = _filter_context(request, filters)
    context.update(
        {
            "page_title": f"Map of assets{' in ' + filters.area.name if filters.area else ''}",
            "assets": assets[:2000],
            "asset_count": assets.count(),
            "owner_count": assets.values("owner_id").distinct().count(),
            "unplaced_here": assets.filter(lon__isnull=True).count(),
            "assets_url": reverse("api-1.0.0:list_assets") + "?" + api_query.urlencode(),
            **_map_context(filters.area),
        }
    )
    return render(request, "estate/map.html", context, status=400 if filters.errors else 200)


def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The opportunity finder: a map and a ranked list with reasons."""
    errors = {}
    place = None
    code = request.GET.get("place", "")
    if code:
        place = queries.find_area(code)
        if place is None:
            errors["place"] = f"No area with code ‘{code}’."
    try:
        distance = int(request.GET.get("distance") or finder.DEFAULT_DISTANCE_M)
    except ValueError:
        distance = finder.DEFAULT_DISTANCE_M
        errors["distance"] = "Enter the distance as a whole number of metres."
    if not finder.MIN_DISTANCE_M <= distance <= finder.MAX_DISTANCE_M:
        errors["distance"] = (
            f"Enter a distance between {finder.MIN_DISTANCE_M} and {finder.MAX_DISTANCE_M} metres."
        )
        distance = min(max(distance, finder.MIN_DISTANCE_M), finder.MAX_DISTANCE_M)
    try:
        min_need = float(request.GET.get("min_need", finder.DEFAULT_MIN_NEED))
    except ValueError:
        min_need = finder.DEFAULT_MIN_NEED
    min_need = min(max(min_need, 0.0), 1.0)
    finding = finder.find_opportunities(
        request.user, place=place, distance=distance, min_need=min_need, limit=50
    )
    api_query: dict[str, Any] = {"distance": distance, "min_need": min_need}
    if place is not None:
        api_query["place"] = place.code
    return render(
        request,
        "estate/opportunities.html",
        {
            "page_title": "Opportunity finder",
            "finding": finding,
            "place": place,
            "places": queries.places(),
            "distance": distance,
            "min_need": min_need,
            "need_levels": NEED_LEVELS,
            "kinds": Kind.choices,
            "errors": errors,
            "opportunities_url": reverse("api-1.0.0:list_opportunities")
            + "?"
            + urlencode(api_query),
            "actions": _opportunity_actions(),
            **_map_context(place),
        },
        status=400 if errors else 200,
    )


def _opportunity_actions() -> list[dict[str, str]]:
    """Actions other apps offer on an opportunity (``OPPORTUNITY_ACTIONS`` in their
    contributions: ``(label, url name)``; the page posts the opportunity ``key`` to the URL)."""
    actions = []
    for label, url_name in collect("OPPORTUNITY_ACTIONS"):
        try:
            actions.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return actions


def unlocated(request: HttpRequest) -> HttpResponse:
    assets = queries.unlocated(request.user)
    return render(
        request,
        "estate/unlocated.html",
        {
            "page_title": "Assets that could not be placed",
            "page": Paginator(assets, 100).get_page(request.GET.get("page")),
            "count": assets.count(),
        },
    )


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    """The web front door of the same importers as ``import_assets``."""
    if not has_permission(request.user, Permission.EDIT_ASSET):
        raise PermissionDenied("Only editors of a partner organisation can import assets.")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        importer_class, _ = FORMATS[form.cleaned_data["format"]]
        importer = importer_class(owner=form.cleaned_data["owner"])  # type: ignore[call-arg]
        report = run_form_upload(request, form, importer)
    return render_import_page(
        request,
        "estate/import.html",
        {"page_title": "Import assets", "form": form, "report": report},
    )


def service_list(request: HttpRequest) -> HttpResponse:
    services_qs = visible(
        request.user, CommunityService.objects.all(), organisation_fields=("maintainer",)
    ).prefetch_related("areas_served")
    page = Paginator(services_qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "estate/services.html",
        {
            "page_title": "Community groups and services",
            "page": page,
            "rows": [(s, opening_times(s)) for s in page],
        },
    )


def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    services_qs = visible(
        request.user, CommunityService.objects.all(), organisation_fields=("maintainer",)
    )
    service = get_object_or_404(services_qs, pk=service_id)
    return render(
        request,
        "estate/service_detail.html",
        {
            "page_title": service.name,
            "service": service,
            "opening_times": opening_times(service),
            "located_in": service.located_in.all(),
            "areas_served": service.areas_served.all(),
        },
    )
