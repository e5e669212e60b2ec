from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from placeworks.contributions import nav_items


def site(request: HttpRequest) -> dict[str, Any]:
    items = []
    for item in nav_items():
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "href": href, "current": request.path.startswith(href)})
    return {"service_name": settings.SERVICE_NAME, "phase": settings.PHASE, "nav_items": items}
