"""Views of the whole pipeline: the ranked table, the board by stage, the map, the dashboard,
bundles and the exports. Each starts from the projects the user may see."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from placeworks.partners.permissions import Permission, has_permission
from placeworks.themes.models import Theme

from .. import exports, queries, scoring, services, sources
from ..forms import StageForm
from ..models import STAGE_ORDER, ProjectType, Rag, Stage
from .common import filter_query, need_layer, weights_of, weights_query


def _choices(request: HttpRequest) -> dict[str, Any]:
    return {
        "places": queries.place_choices(),
        "themes": Theme.objects.all(),
        "stages": Stage.choices,
        "types": ProjectType.choices,
        "rags": Rag.choices,
        "organisations": queries.organisation_choices(request.user),
    }


def _sort_links(request: HttpRequest, current: str) -> dict[str, str]:
    """``{sort key: query string}`` toggling the direction of the current sort."""
    links = {}
    for key in queries.SORTS:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = f"-{key}" if current == key else key
        links[key] = query.urlencode()
    return links


def index(request: HttpRequest) -> HttpResponse:
    """The pipeline: every project the user may see, ranked by score with its reasons."""
    filters = queries.parse_filters(request.GET)
    weights, weight_errors = weights_of(request)
    sort = request.GET.get("sort", "score")
    rows = queries.ranked(request.user, filters, weights, sort)
    query = filter_query(request)
    errors = {**filters.errors, **{f"w_{k}": v for k, v in weight_errors.items()}}
    return render(
        request,
        "pipeline/index.html",
        {
            "page_title": "Project pipeline"
            + (f" in {filters.place.name}" if filters.place else ""),
            "rows": rows,
            "filters": filters,
            "errors": errors,
            "weights": weights,
            "weight_fields": [
                (name, scoring.LABELS[name], getattr(weights, name), scoring.QUESTIONS[name])
                for name in scoring.COMPONENTS
            ],
            "weights_query": weights_query(weights),
            "sort": sort,
            "sort_links": _sort_links(request, sort),
            "query": query,
            "has_sample": any(p.is_sample for p, _ in rows),
            "need_available": sources.need_available(),
            "may_add": services.may_create(request.user),
            **_choices(request),
        },
        status=400 if errors else 200,
    )


def board_context(
    request: HttpRequest, *, params: QueryDict | None = None, error: str = ""
) -> dict[str, Any]:
    params = request.GET if params is None else params
    filters = queries.parse_filters(params)
    projects = list(queries.with_related(queries.pipeline(request.user, filters)))
    columns = []
    for stage in [*STAGE_ORDER, Stage.PAUSED, Stage.WITHDRAWN]:
        cards = []
        for project in sorted(
            (p for p in projects if p.stage == stage), key=lambda p: (p.title.lower(), p.pk)
        ):
            editable = has_permission(request.user, Permission.EDIT_PROJECT, project)
            form = (
                StageForm(initial={"stage": project.stage, "version": project.version})
                if editable
                else None
            )
            cards.append({"project": project, "form": form})
        columns.append({"stage": stage, "label": Stage(stage).label, "cards": cards})
    return {
        "page_title": "Pipeline board by stage",
        "columns": columns,
        "filters": filters,
        "query": params.urlencode(),
        "board_error": error,
        "return_to": reverse("pipeline:board") + (f"?{params.urlencode()}" if params else ""),
        **_choices(request),
    }


def board(request: HttpRequest) -> HttpResponse:
    """Columns per stage; an editor moves a card with its own small form (no script needed)."""
    context = board_context(request)
    return render(
        request, "pipeline/board.html", context, status=400 if context["filters"].errors else 200
    )


def project_map(request: HttpRequest) -> HttpResponse:
    """Projects as markers over the need of the place, with the same projects in a table."""
    filters = queries.parse_filters(request.GET)
    weights, _ = weights_of(request)
    rows = queries.ranked(request.user, filters, weights)
    located = queries.locations(request.user, [p for p, _ in rows])
    api_query = request.GET.copy()
    api_query["format"] = "geojson"
    api_query["limit"] = "5000"
    return render(
        request,
        "pipeline/map.html",
        {
            "page_title": "Map of projects"
            + (f" in {filters.place.name}" if filters.place else ""),
            "rows": [(p, s, located.get(p.pk)) for p, s in rows],
            "unlocated": sum(1 for p, _ in rows if p.pk not in located),
            "filters": filters,
            "query": filter_query(request),
            "projects_url": reverse("api-1.0.0:list_projects") + "?" + api_query.urlencode(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "stage_order": [*STAGE_ORDER, Stage.PAUSED, Stage.WITHDRAWN],
            "stage_labels": Stage.choices,
            **need_layer(filters.place),
            **_choices(request),
        },
        status=400 if filters.errors else 200,
    )


def dashboard(request: HttpRequest) -> HttpResponse:
    """Totals of the projects the user may see: costs, funding and benefits by stage and place."""
    filters = queries.parse_filters(request.GET)
    figures = queries.dashboard(request.user, filters)
    return render(
        request,
        "pipeline/dashboard.html",
        {
            "page_title": "Pipeline dashboard",
            "figures": figures,
            "filters": filters,
            "query": filter_query(request),
            "benefits": exports.BENEFITS,
            **_choices(request),
        },
        status=400 if filters.errors else 200,
    )


def bundle_list(request: HttpRequest) -> HttpResponse:
    filters = queries.parse_filters(request.GET)
    found = queries.bundles(request.user, filters)
    return render(
        request,
        "pipeline/bundles.html",
        {
            "page_title": "Viable together: bundles of projects",
            "bundles": found,
            "filters": filters,
            "query": filter_query(request),
            "benefits": exports.BENEFITS,
            **_choices(request),
        },
        status=400 if filters.errors else 200,
    )


def _export_rows(request: HttpRequest) -> tuple[list[Any], queries.ProjectFilters, scoring.Weights]:
    filters = queries.parse_filters(request.GET)
    weights, _ = weights_of(request)
    return (
        queries.ranked(request.user, filters, weights, request.GET.get("sort", "score")),
        filters,
        weights,
    )


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def export_xlsx(request: HttpRequest) -> HttpResponse:
    rows, filters, weights = _export_rows(request)
    who = (
        request.user.get_username()
        if request.user.is_authenticated
        else "a visitor (public projects only)"
    )
    content = exports.to_xlsx(rows, generated_for=who, filters=filters.describe(), weights=weights)
    return _attachment(
        HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        f"pipeline-return-{timezone.localdate():%Y-%m-%d}.xlsx",
    )


def export_csv(request: HttpRequest) -> HttpResponse:
    rows, _, _ = _export_rows(request)
    return _attachment(
        HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8"),
        f"pipeline-{timezone.localdate():%Y-%m-%d}.csv",
    )


def export_geojson(request: HttpRequest) -> HttpResponse:
    rows, _, _ = _export_rows(request)
    located = queries.locations(request.user, [p for p, _ in rows])
    collection = exports.feature_collection(rows, located, escape=True)
    return _attachment(
        HttpResponse(exports.to_geojson(collection), content_type="application/geo+json"),
        f"pipeline-{timezone.localdate():%Y-%m-%d}.geojson",
    )
