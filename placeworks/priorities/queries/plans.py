"""Who sees which plans, and choosing a set of plans (from a query string) for lists,
reports and exports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from placeworks.params import values
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import is_platform_admin, memberships, visible
from placeworks.places.models import Area, AreaType
from placeworks.themes.models import Strategy

from ..areas import find_area, within
from ..models import PLAN_AREA_TYPES, Plan, PlanStatus, Priority
from ..periods import normalise_period

DEFAULT_NEED_DECILE = 2


# --- who sees what -----------------------------------------------------------------------------


def visible_plans(user: Any, plans: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    """Plans ``user`` may see, filtered in the query: published plans by their visibility,
    drafts only for members of the owning organisation."""
    plans = Plan.objects.all() if plans is None else plans
    if is_platform_admin(user):
        return plans
    shared = visible(user, plans, organisation_fields=("owner",), visibility_field="sharing")
    return shared.filter(Q(status=PlanStatus.PUBLISHED) | Q(owner__in=list(memberships(user))))


def visible_priorities(user: Any) -> QuerySet[Priority]:
    return Priority.objects.filter(plan__in=visible_plans(user).values("pk"))


# --- choosing a set of plans ----------------------------------------------------------------------


@dataclass
class Selection:
    """Which plans a list, report or export is about (parsed from a query string)."""

    parent: Area | None = None
    period: str | None = None
    types: list[str] = field(default_factory=list)
    owner: Organisation | None = None
    status: str | None = None
    plan_ids: list[int] | None = None
    strategy: Strategy | None = None
    need_decile: int = DEFAULT_NEED_DECILE
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        """The selection as query-string parameters (for links and exports)."""
        params: dict[str, str] = {}
        if self.plan_ids is not None:
            params["plans"] = ",".join(str(i) for i in self.plan_ids)
        if self.parent is not None:
            params["parent"] = self.parent.code
        if self.period:
            params["period"] = self.period
        if self.types:
            params["type"] = ",".join(self.types)
        if self.owner is not None:
            params["owner"] = self.owner.slug
        if self.status:
            params["status"] = self.status
        if self.strategy is not None:
            params["strategy"] = str(self.strategy.pk)
        if self.need_decile != DEFAULT_NEED_DECILE:
            params["need_decile"] = str(self.need_decile)
        return params

    def describe(self) -> str:
        parts = []
        if self.types:
            parts.append(" and ".join(AreaType(t).label.lower() for t in self.types) + " plans")
        else:
            parts.append("Plans")
        if self.parent is not None:
            parts.append(f"in {self.parent.name}")
        if self.period:
            parts.append(f"for {self.period}")
        if self.owner is not None:
            parts.append(f"by {self.owner.name}")
        text = " ".join(parts)
        return text[0].upper() + text[1:]


def parse_selection(params: Mapping[str, Any]) -> Selection:
    """A selection from ``plans`` (ids), ``parent`` (area code of a district or PLACE area),
    ``period`` (2025/26), ``type`` (ward, neighbourhood, place, lad), ``owner`` (slug),
    ``status``, ``strategy`` (id) and ``need_decile`` (1–10)."""
    selection = Selection()
    ids = values(params, "plans")
    if ids:
        try:
            selection.plan_ids = sorted({int(i) for i in ids})
        except ValueError:
            selection.errors["plans"] = "plans must be plan ids separated by commas."
    parent = (values(params, "parent") or [""])[0]
    if parent:
        selection.parent = find_area(parent)
        if selection.parent is None:
            selection.errors["parent"] = f"No area has the code ‘{parent}’."
    period = (values(params, "period") or [""])[0]
    if period:
        selection.period = normalise_period(period)
        if selection.period is None:
            selection.errors["period"] = f"‘{period}’ is not a financial year like 2025/26."
    for area_type in values(params, "type"):
        if area_type not in PLAN_AREA_TYPES:
            names = ", ".join(PLAN_AREA_TYPES)
            selection.errors["type"] = f"type must be one of {names}."
        elif area_type not in selection.types:
            selection.types.append(area_type)
    owner = (values(params, "owner") or [""])[0]
    if owner:
        selection.owner = Organisation.objects.filter(slug=owner).first()
        if selection.owner is None:
            selection.errors["owner"] = f"No organisation has the slug ‘{owner}’."
    status = (values(params, "status") or [""])[0]
    if status:
        if status not in PlanStatus.values:
            selection.errors["status"] = "status must be draft or published."
        else:
            selection.status = status
    strategy = (values(params, "strategy") or [""])[0]
    if strategy:
        found = Strategy.objects.filter(pk=int(strategy)).first() if strategy.isdigit() else None
        if found is None:
            selection.errors["strategy"] = f"No strategy has the id ‘{strategy}’."
        selection.strategy = found
    decile = (values(params, "need_decile") or [""])[0]
    if decile:
        if decile.isdigit() and 1 <= int(decile) <= 10:
            selection.need_decile = int(decile)
        else:
            selection.errors["need_decile"] = "need_decile must be a whole number from 1 to 10."
    return selection


def select_plans(user: Any, selection: Selection) -> QuerySet[Plan]:
    """The visible plans of a selection (with their area and owner)."""
    plans = visible_plans(user).select_related("area", "owner")
    if selection.plan_ids is not None:
        plans = plans.filter(pk__in=selection.plan_ids)
    if selection.parent is not None:
        types = selection.types or list(PLAN_AREA_TYPES)
        plans = plans.filter(area__in=within(selection.parent, types).values("pk"))
    elif selection.types:
        plans = plans.filter(area__type__in=selection.types)
    if selection.period:
        plans = plans.filter(period=selection.period)
    if selection.owner is not None:
        plans = plans.filter(owner=selection.owner)
    if selection.status:
        plans = plans.filter(status=selection.status)
    return plans.order_by("area__name", "-period", "pk")


def plan_list(user: Any, selection: Selection) -> QuerySet[Plan]:
    """Plans for the index page, with counts of priorities and of themes awaiting confirmation."""
    return select_plans(user, selection).annotate(
        priority_count=Count("priorities", distinct=True),
        unconfirmed_count=Count(
            "priorities", filter=Q(priorities__themes_confirmed_at__isnull=True), distinct=True
        ),
    )


def periods(user: Any) -> list[str]:
    """Periods that have plans the user may see, newest first."""
    found = visible_plans(user).order_by().values_list("period", flat=True).distinct()
    return sorted(set(found), reverse=True)


def parents(user: Any) -> list[Area]:
    """Districts and PLACE areas containing plans the user may see (for choosing a set)."""
    areas = visible_plans(user).order_by().values("area_id")
    return list(
        Area.objects.filter(
            type__in=[AreaType.LAD, AreaType.PLACE], descendant_links__descendant__in=areas
        )
        .distinct()
        .order_by("type", "name")
    )


def priorities_of(plans: QuerySet[Plan]) -> QuerySet[Priority]:
    """Priorities of these plans, ready for listing or export."""
    return (
        Priority.objects.filter(plan__in=plans.order_by().values("pk"))
        .select_related("plan__area", "plan__owner")
        .prefetch_related("themes", "partners", "aims")
        .order_by("plan__area__name", "-plan__period", "plan__pk", "number", "pk")
    )


def awaiting_confirmation(user: Any, selection: Selection) -> QuerySet[Priority]:
    """Priorities of the selected plans whose themes no person has confirmed yet."""
    return priorities_of(select_plans(user, selection)).filter(themes_confirmed_at__isnull=True)
