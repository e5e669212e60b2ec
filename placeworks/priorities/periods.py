"""Plan periods: UK financial years written ``2025/26``.

>>> normalise_period("2025-2026")
'2025/26'
>>> previous_period("2025/26"), next_period("2025/26")
('2024/25', '2026/27')
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_PERIOD = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*[/\-–—_ ]\s*(\d{2}|\d{4})\s*$", re.IGNORECASE)


def normalise_period(text: str) -> str | None:
    """``2025/26`` from ``2025/26``, ``2025-26``, ``2025/2026`` or ``2025–2026``; None if the
    text is not a financial year (the second year must follow the first).

    >>> normalise_period("2025/27") is None
    True
    """
    match = _PERIOD.match(text or "")
    if not match:
        return None
    first = int(match.group(1))
    second = match.group(2)
    following = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if len(second) == 2 and following < first:  # 2099/00
        following += 100
    if following != first + 1:
        return None
    return f"{first}/{following % 100:02d}"


def find_period(text: str) -> str | None:
    """The first financial year written anywhere in ``text``.

    >>> find_period("Mansfield ward plans 2025-26")
    '2025/26'
    """
    for match in re.finditer(r"\d{4}\s*[/\-–—]\s*(?:\d{4}|\d{2})(?!\d)", text or ""):
        found = normalise_period(match.group())
        if found:
            return found
    return None


def shift_period(period: str, years: int) -> str:
    first = int(period[:4]) + years
    return f"{first}/{(first + 1) % 100:02d}"


def previous_period(period: str) -> str:
    return shift_period(period, -1)


def next_period(period: str) -> str:
    return shift_period(period, 1)


def validate_period(value: str) -> None:
    if normalise_period(value) != value:
        raise ValidationError(
            f"‘{value}’ is not a financial year written like 2025/26.", code="period"
        )
