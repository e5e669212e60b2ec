"""Template filters for the pipeline pages: money, quantities and tag colours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

RAG_CLASSES = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}
STAGE_CLASSES = {
    "idea": "govuk-tag--grey",
    "pipeline": "govuk-tag--light-blue",
    "feasibility": "govuk-tag--blue",
    "business_case": "govuk-tag--purple",
    "funding_secured": "govuk-tag--turquoise",
    "delivery": "govuk-tag--green",
    "complete": "govuk-tag--green",
    "paused": "govuk-tag--yellow",
    "withdrawn": "govuk-tag--red",
}


@register.filter
def money(value: Any) -> str:
    """£1,250,000 (whole pounds); a dash for nothing."""
    if value is None or value == "":
        return "–"
    return f"£{Decimal(str(value)):,.0f}"


@register.filter
def quantity(value: Any, places: int = 0) -> str:
    """1,250 or 3.5; a dash for nothing."""
    if value is None or value == "":
        return "–"
    return f"{Decimal(str(value)):,.{int(places)}f}"


@register.filter
def rag_class(value: str) -> str:
    return RAG_CLASSES.get(value, "govuk-tag--grey")


@register.filter
def stage_class(value: str) -> str:
    return STAGE_CLASSES.get(value, "govuk-tag--grey")


@register.filter
def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


@register.filter
def benefit(totals: Any, key: str) -> float:
    """``totals|benefit:"homes_enabled_forecast"``."""
    return float(totals.benefits.get(key, 0.0))
