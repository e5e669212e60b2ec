"""Discovery of what each app contributes (Decidim-style registry).

Each Placeworks app may have a ``contributions.py`` module declaring, in one place, what it adds
to the whole: navigation entries, URL patterns, an API router, demo data and permissions docs.
The web, API and demo loader discover these instead of importing app internals.

Names an app's ``contributions`` module may define (all optional):

``NAV``
    list of ``NavItem`` for the service navigation.
``URLS``
    ``(prefix, "dotted.urls.module")`` mounted at ``/<prefix>`` (or a list of them).
``API_ROUTER``
    ``(prefix, "dotted.module:router")``; mounted at ``/api/<prefix>``.
``DEMO``
    ``(order, "dotted.module:function")``; ``function(stdout, *, password)`` loads that app's demo
    data idempotently. Lower orders load first.
``PLACE_LINKS``
    list of ``PlaceLink``: what the app shows about one place, linked from the place page.
``OPPORTUNITY_ACTIONS``
    ``[(label, url name)]`` offered on each opportunity of the estate's opportunity finder.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int


@dataclass(frozen=True)
class PlaceLink:
    """A link from a place page to another app's view of that place: ``url_name`` takes the area
    code as its argument, or, with ``param``, gets it as that query parameter (``?place=E07…``)."""

    label: str
    url_name: str
    order: int
    description: str = ""
    param: str | None = None

    def url(self, code: str) -> str:
        from urllib.parse import urlencode

        from django.urls import reverse

        if self.param is None:
            return reverse(self.url_name, args=[code])
        return f"{reverse(self.url_name)}?{urlencode({self.param: code})}"


@cache
def modules() -> tuple[ModuleType, ...]:
    """The ``contributions`` modules of installed Placeworks apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("placeworks."):
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.contributions"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.contributions":
                raise
    return tuple(found)


def collect(name: str) -> list[Any]:
    """Every app's value for ``name`` (lists are flattened)."""
    values: list[Any] = []
    for module in modules():
        value = getattr(module, name, None)
        if value is None:
            continue
        if isinstance(value, list):
            values.extend(value)
        else:
            values.append(value)
    return values


def resolve(dotted: str) -> Any:
    """Import ``"package.module:attribute"``."""
    module_name, _, attribute = dotted.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def place_links() -> list[PlaceLink]:
    return sorted(collect("PLACE_LINKS"), key=lambda item: item.order)


def nav_items() -> list[NavItem]:
    return sorted(collect("NAV"), key=lambda item: item.order)
