"""Template helpers of the places pages."""

from __future__ import annotations

from django import template

from ..models import Area
from ..queries import page_url

register = template.Library()


@register.filter
def place_url(area: Area) -> str:
    """The place page of an area (with its vintage when the code is in several)."""
    return page_url(area)
