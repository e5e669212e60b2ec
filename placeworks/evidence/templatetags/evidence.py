"""Formatting of indicator values and comparisons for the evidence pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from placeworks.evidence.profile import ordinal as _ordinal

register = template.Library()

COMPARISON_WORDS = {
    "better": "Better",
    "similar": "Similar",
    "worse": "Worse",
    "higher": "Higher",
    "lower": "Lower",
    "not_compared": "Not compared",
}


@register.simple_tag
def fmt(value: Any, indicator: Any = None, decimals: int | None = None) -> str:
    """A value with the indicator's decimals, thousands separators and unit ("–" when none)."""
    if value is None:
        return "–"
    places = decimals if decimals is not None else getattr(indicator, "decimals", 1)
    unit = getattr(indicator, "unit", "")
    text = f"{float(value):,.{places}f}"
    if unit == "%":
        text += "%"
    return text


@register.filter
def percent(value: Any, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{100 * float(value):.{decimals}f}%"


@register.filter
def comparison(value: str) -> str:
    return COMPARISON_WORDS.get(value, value)


@register.filter
def ordinal(value: Any) -> str:
    if value in (None, ""):
        return "–"
    return _ordinal(int(value))


@register.filter
def signed(value: Any, decimals: int = 2) -> str:
    if value is None:
        return "–"
    return f"{float(value):+.{decimals}f}"


@register.simple_tag
def spine_chart(row: Any) -> str:
    from placeworks.evidence.charts import spine

    spread = row.spread
    if spread is None or row.value is None or row.indicator.value_type == "count":
        return ""  # counts depend on size: their spread says nothing about the area
    return spine(
        value=row.value,
        benchmark=row.england.value if row.england is not None else None,
        minimum=spread.minimum,
        q1=spread.q1,
        q3=spread.q3,
        maximum=spread.maximum,
        polarity=row.indicator.polarity,
        comparison=row.vs_england,
        label=f"{row.indicator.short_name}, {spread.count} {row.group_label}",
        decimals=row.indicator.decimals,
    )


@register.simple_tag
def compare_tag(obs: Any, benchmark: Any, indicator: Any) -> SafeString:
    """The Fingertips comparison of an observation's interval with a benchmark's value."""
    from placeworks.stats import compare_to_benchmark

    result = compare_to_benchmark(obs.lower, obs.upper, benchmark.value, indicator.polarity)
    return format_html(
        '<br><strong class="pw-compare pw-compare--{}">{}</strong>',
        result,
        COMPARISON_WORDS.get(result, result),
    )


@register.simple_tag
def note_number(section: Any, row: Any) -> int | None:
    return section.note_number(row)
