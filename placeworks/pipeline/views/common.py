"""Helpers shared by the pipeline's views."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve, reverse

from placeworks.partners.permissions import Permission, has_permission

from .. import queries, scoring, sources
from ..models import Project


def user_of(request: HttpRequest) -> Any:
    return request.user


def visible_project(request: HttpRequest, project_id: int) -> Project:
    """The project if the user may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(
        queries.visible_projects(request.user).select_related("lead"), pk=project_id
    )


def editable_project(request: HttpRequest, project_id: int) -> Project:
    """The project if the user may change it: 404 when they cannot see it, 403 (with a clear
    message) when they can see but not change it."""
    project = visible_project(request, project_id)
    if not has_permission(request.user, Permission.EDIT_PROJECT, project):
        if not request.user.is_authenticated:
            raise PermissionDenied("Sign in as an editor of a partner organisation to do this.")
        raise PermissionDenied(
            f"Only editors of {project.lead} or of a partner organisation of this project can "
            "change it. Ask one of them, or your organisation's administrator, for help."
        )
    return project


def may_edit(request: HttpRequest, project: Project) -> bool:
    return has_permission(request.user, Permission.EDIT_PROJECT, project)


def weights_of(request: HttpRequest) -> tuple[scoring.Weights, dict[str, str]]:
    return scoring.Weights.parse(request.GET)


def weights_query(weights: scoring.Weights) -> str:
    """``w_need=…&…`` for weights other than the defaults (empty for the defaults)."""
    if weights.is_default():
        return ""
    return urlencode({f"w_{k}": f"{v:g}" for k, v in weights.as_dict().items()})


def filter_query(request: HttpRequest, *, drop: tuple[str, ...] = ("page", "sort")) -> str:
    query = request.GET.copy()
    for name in drop:
        query.pop(name, None)
    return query.urlencode()


def api_available(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "__name__", "") != "not_found"


def need_layer(place: Any) -> dict[str, str]:
    """URLs for the optional need layer of a place: boundaries from the places API and need from
    the estate's need endpoint (both only when those apps provide them)."""
    if place is None:
        return {"boundaries_url": "", "need_url": ""}
    boundaries = ""
    if api_available("/api/areas/geojson"):
        boundaries = "/api/areas/geojson?" + urlencode(
            {"type": "lsoa", "parent": place.code, "zoom": 12}
        )
    need = ""
    if sources.need_available() and api_available("/api/estate/need"):
        need = reverse("api-1.0.0:need_of_place") + "?" + urlencode({"place": place.code})
    return {"boundaries_url": boundaries, "need_url": need}
