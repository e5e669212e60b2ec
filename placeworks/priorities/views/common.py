"""Helpers shared by the priorities pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

from placeworks.places.models import AreaType
from placeworks.themes.models import Strategy

from .. import queries
from ..models import PLAN_AREA_TYPES, PlanStatus


def selection_context(request: HttpRequest, selection: queries.Selection) -> dict[str, Any]:
    """What the filter form needs, and the selection as a query string for links."""
    return {
        "selection": selection,
        "selection_query": urlencode(selection.query()),
        "parents": queries.parents(request.user),
        "periods": queries.periods(request.user),
        "area_types": [(t, AreaType(t).label) for t in PLAN_AREA_TYPES],
        "statuses": PlanStatus.choices,
        "strategies": list(Strategy.objects.order_by("name")),
    }


def strength(score: float) -> str:
    """Words for a suggestion's score."""
    if score >= 0.9:
        return "strong"
    if score >= 0.7:
        return "likely"
    return "possible"
