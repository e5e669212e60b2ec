"""Building plans for tests, through the services (as the importers and pages do)."""

from __future__ import annotations

from typing import Any

from placeworks.priorities import services
from placeworks.priorities.models import Plan, PlanStatus
from placeworks.themes.models import Theme


def make_plan(
    area: Any,
    owner: Any,
    period: str = "2025/26",
    priorities: list[tuple[str, list[str] | None]] = (),  # type: ignore[assignment]
    status: str = PlanStatus.PUBLISHED,
    **fields: Any,
) -> Plan:
    """A plan with priorities ``(text, theme slugs)``; slugs None leave the themes suggested
    (unconfirmed)."""
    plan = services.create_plan(
        by=None, owner=owner, area=area, period=period, status=status, **fields
    )
    for text, slugs in priorities:
        themes = None if slugs is None else list(Theme.objects.filter(slug__in=slugs))
        services.add_priority(by=None, plan=plan, text=text, themes=themes)
    return plan
