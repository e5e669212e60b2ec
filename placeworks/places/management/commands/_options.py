"""Option parsing shared by the places commands."""

from __future__ import annotations

from placeworks.places.models import AreaType


def codes_option(value: str | None) -> list[str]:
    """``"E06000015, E07000032"`` → ``["E06000015", "E07000032"]``."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def vintage_overrides(values: list[str]) -> dict[str, str]:
    """``["ward=2023"]`` → ``{"ward": "2023"}``; raises ValueError naming what is wrong."""
    found = {}
    for item in values:
        area_type, _, vintage = item.partition("=")
        if area_type not in AreaType.values or not vintage:
            raise ValueError(
                f"--vintage {item}: give TYPE=YEAR with a type among {', '.join(AreaType.values)}"
            )
        found[area_type] = vintage
    return found
