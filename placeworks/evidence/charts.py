"""Charts drawn on the server as inline SVG: geometry in attributes, colours in CSS classes
(``evidence/evidence.css``), so the strict Content Security Policy needs no inline style. Every
chart is ``role="img"`` with a text alternative, and the page shows the same numbers in a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

SPINE_WIDTH = 200.0
SPINE_HEIGHT = 22.0


def _fmt(value: float, decimals: int = 3) -> str:
    return f"{value:,.{decimals}f}"


def spine(
    *,
    value: float | None,
    benchmark: float | None,
    minimum: float,
    q1: float,
    q3: float,
    maximum: float,
    polarity: str,
    comparison: str,
    label: str,
    decimals: int = 3,
) -> SafeString:
    """A Fingertips-style spine chart: the range of the comparison group (worst on the left,
    25th to 75th percentile darker), England's value as the centre line, the area as a dot
    coloured by its significance.

    Scaling as Fingertips does it: centred on the benchmark, the half-width set by whichever of
    the lowest and highest values lies further from it.
    """
    centre = benchmark if benchmark is not None and math.isfinite(benchmark) else (q1 + q3) / 2
    half = max(abs(maximum - centre), abs(centre - minimum))
    if value is not None:
        half = max(half, abs(value - centre))
    if half <= 0:
        half = 1.0
    flip = polarity == "higher_is_worse"  # the worst (highest) end drawn on the left
    middle, reach = SPINE_WIDTH / 2, SPINE_WIDTH / 2 - 6

    def x(v: float) -> float:
        offset = (v - centre) / half * reach
        return middle - offset if flip else middle + offset

    lo, hi = sorted((x(minimum), x(maximum)))
    iq_lo, iq_hi = sorted((x(q1), x(q3)))
    parts = [
        format_html(
            '<rect class="pw-spine__range" x="{}" y="5" width="{}" height="12"></rect>',
            f"{lo:.1f}",
            f"{max(hi - lo, 1):.1f}",
        ),
        format_html(
            '<rect class="pw-spine__iqr" x="{}" y="5" width="{}" height="12"></rect>',
            f"{iq_lo:.1f}",
            f"{max(iq_hi - iq_lo, 1):.1f}",
        ),
    ]
    if benchmark is not None:
        parts.append(
            format_html(
                '<line class="pw-spine__benchmark" x1="{0}" x2="{0}" y1="1" y2="21"></line>',
                f"{middle:.1f}",
            )
        )
    if value is not None:
        parts.append(
            format_html(
                '<circle class="pw-spine__marker pw-compare--{}" cx="{}" cy="11" r="5"></circle>',
                comparison,
                f"{x(value):.1f}",
            )
        )
    text = format_html(
        "{}: lowest {}, 25th percentile {}, 75th percentile {}, highest {}{}{}",
        label,
        _fmt(minimum, decimals),
        _fmt(q1, decimals),
        _fmt(q3, decimals),
        _fmt(maximum, decimals),
        "" if benchmark is None else f"; England {_fmt(benchmark, decimals)}",
        "" if value is None else f"; this area {_fmt(value, decimals)}",
    )
    return format_html(
        '<svg class="pw-spine" viewBox="0 0 {} {}" role="img" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        int(SPINE_WIDTH),
        int(SPINE_HEIGHT),
        text,
        text,
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def bars(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    lower: Sequence[float | None] | None = None,
    upper: Sequence[float | None] | None = None,
    line: tuple[float, float] | None = None,
    benchmark: float | None = None,
    title: str,
    css: Sequence[str] | None = None,
    decimals: int = 2,
) -> SafeString:
    """A vertical bar chart with optional confidence limits, a fitted line (value at the first
    and last bar's centre: the SII slope) and a benchmark line."""
    width, height, left, bottom, top = 560.0, 240.0, 48.0, 28.0, 10.0
    numbers = [v for v in values if v is not None]
    numbers += [v for v in (upper or []) if v is not None]
    numbers += [v for v in (lower or []) if v is not None]
    if line is not None:
        numbers += list(line)
    if benchmark is not None:
        numbers.append(benchmark)
    if not numbers:
        return SafeString("")
    low = min(0.0, min(numbers))
    high = max(numbers)
    if high == low:
        high = low + 1
    span = high - low
    plot_w = width - left - 8
    plot_h = height - bottom - top
    step = plot_w / max(len(labels), 1)

    def y(v: float) -> float:
        return top + (high - v) / span * plot_h

    parts = [
        format_html(
            '<line class="pw-axis" x1="{0}" x2="{1}" y1="{2}" y2="{2}"></line>',
            f"{left:.1f}",
            f"{width - 8:.1f}",
            f"{y(max(low, 0.0)):.1f}",
        )
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(
            format_html(
                '<text class="pw-axis__label" x="{}" y="{}" text-anchor="end">{}</text>',
                f"{left - 4:.1f}",
                f"{y(tick) + 4:.1f}",
                _fmt(tick, decimals),
            )
        )
    zero = y(max(low, 0.0))
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        cx = left + step * (i + 0.5)
        klass = (css[i] if css else "") or "pw-bar--default"
        if value is not None:
            top_y = min(y(value), zero)
            parts.append(
                format_html(
                    '<rect class="pw-bar {}" x="{}" y="{}" width="{}" height="{}"></rect>',
                    klass,
                    f"{cx - step * 0.35:.1f}",
                    f"{top_y:.1f}",
                    f"{step * 0.7:.1f}",
                    f"{max(abs(zero - y(value)), 0.5):.1f}",
                )
            )
        lo_v = lower[i] if lower else None
        hi_v = upper[i] if upper else None
        if lo_v is not None and hi_v is not None:
            parts.append(
                format_html(
                    '<line class="pw-ci" x1="{0}" x2="{0}" y1="{1}" y2="{2}"></line>'
                    '<line class="pw-ci" x1="{3}" x2="{4}" y1="{1}" y2="{1}"></line>'
                    '<line class="pw-ci" x1="{3}" x2="{4}" y1="{2}" y2="{2}"></line>',
                    f"{cx:.1f}",
                    f"{y(lo_v):.1f}",
                    f"{y(hi_v):.1f}",
                    f"{cx - 4:.1f}",
                    f"{cx + 4:.1f}",
                )
            )
        parts.append(
            format_html(
                '<text class="pw-axis__label" x="{}" y="{}" text-anchor="middle">{}</text>',
                f"{cx:.1f}",
                f"{height - 10:.1f}",
                label,
            )
        )
    if line is not None and labels:
        first, last = left + step * 0.5, left + step * (len(labels) - 0.5)
        parts.append(
            format_html(
                '<line class="pw-fit" x1="{}" x2="{}" y1="{}" y2="{}"></line>',
                f"{first:.1f}",
                f"{last:.1f}",
                f"{y(line[0]):.1f}",
                f"{y(line[1]):.1f}",
            )
        )
    if benchmark is not None:
        parts.append(
            format_html(
                '<line class="pw-benchmark" x1="{0}" x2="{1}" y1="{2}" y2="{2}"></line>',
                f"{left:.1f}",
                f"{width - 8:.1f}",
                f"{y(benchmark):.1f}",
            )
        )
    body = format_html_join("", "{}", ((p,) for p in parts))
    return format_html(
        '<svg class="pw-chart" viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>'
        "{}</svg>",
        int(width),
        int(height),
        title,
        title,
        body,
    )
