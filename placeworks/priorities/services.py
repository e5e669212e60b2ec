"""Writes to plans and priorities.

Every function takes the acting user as ``by=``; ``by=None`` is the trusted operator at the
command line (the demo loader, ``import_plans``). Each checks ``Permission.EDIT_PLAN`` on the plan
(or on the organisation that will own it) through the one permission layer, runs in a
transaction and records an audit event with what changed. Views, the API, the importers and the
demo all come through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from placeworks.audit.services import diff, record
from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import Permission, has_permission
from placeworks.places.models import Area
from placeworks.themes.models import Aim, Theme

from .models import PLAN_AREA_TYPES, Plan, PlanStatus, Priority
from .periods import next_period, normalise_period, previous_period
from .suggestions import suggest

PLAN_FIELDS = ("title", "summary", "status", "sharing", "is_sample", "source")
PRIORITY_FIELDS = ("number", "text", "actions", "lead", "other_partners")


def _authorise(by: Any, obj: Plan | Organisation, doing: str) -> None:
    if by is None:  # the trusted operator at the command line
        return
    if not has_permission(by, Permission.EDIT_PLAN, obj):
        owner = obj.owner if isinstance(obj, Plan) else obj
        raise PermissionDenied(f"Only editors of {owner.name} can {doing}.")


def _plan_snapshot(plan: Plan) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(plan, name) for name in PLAN_FIELDS}
    values.update(
        area=plan.area_id, owner=plan.owner_id, period=plan.period, previous=plan.previous_id
    )
    return values


def _relations(priority: Priority) -> dict[str, Any]:
    return {
        "themes": sorted(t.slug for t in priority.themes.all()),
        "aims": sorted(a.pk for a in priority.aims.all()),
        "partners": sorted(o.pk for o in priority.partners.all()),
    }


# --- plans ---------------------------------------------------------------------------------------


def create_plan(
    *,
    by: Any,
    owner: Organisation,
    area: Area,
    period: str,
    status: str = PlanStatus.DRAFT,
    sharing: str = Visibility.PUBLIC,
    title: str = "",
    summary: str = "",
    source: str = "",
    is_sample: bool = False,
) -> Plan:
    """A new plan, linked to the same owner's plan for the area in the year before (and as
    the previous plan of the year after's, if that exists already)."""
    _authorise(by, owner, "add plans for their organisation")
    normalised = normalise_period(period)
    if normalised is None:
        raise ValidationError(f"‘{period}’ is not a financial year written like 2025/26.")
    if area.type not in PLAN_AREA_TYPES:
        raise ValidationError(
            f"{area.name} is a {area.get_type_display().lower()}: plans are for wards, "
            "neighbourhoods, PLACE areas and districts."
        )
    plan = Plan(
        owner=owner,
        area=area,
        period=normalised,
        status=status,
        sharing=sharing,
        title=title,
        summary=summary,
        source=source,
        is_sample=is_sample,
    )
    plan.previous = Plan.objects.filter(
        owner=owner, area=area, period=previous_period(normalised)
    ).first()
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        record(by=by, action="create", obj=plan, changes=diff({}, _plan_snapshot(plan)))
        for following in Plan.objects.filter(
            owner=owner, area=area, period=next_period(normalised), previous__isnull=True
        ):
            following.previous = plan
            following.save(update_fields=["previous", "updated_at"])
            record(by=by, action="update", obj=following, changes={"previous": [None, plan.pk]})
    return plan


def update_plan(*, by: Any, plan: Plan, **fields: Any) -> Plan:
    """Change the title, summary, status, visibility, sample flag or source of a plan."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"update_plan cannot change {', '.join(sorted(unknown))}")
    _authorise(by, plan, "change this plan")
    before = _plan_snapshot(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    changes = diff(before, _plan_snapshot(plan))
    if changes:
        with transaction.atomic():
            plan.save()
            record(by=by, action="update", obj=plan, changes=changes)
    return plan


def publish_plan(*, by: Any, plan: Plan) -> Plan:
    return update_plan(by=by, plan=plan, status=PlanStatus.PUBLISHED)


def delete_plan(*, by: Any, plan: Plan) -> None:
    _authorise(by, plan, "delete this plan")
    with transaction.atomic():
        record(by=by, action="delete", obj=plan, changes=diff(_plan_snapshot(plan), {}))
        plan.delete()


# --- priorities ----------------------------------------------------------------------------------


def _suggestions(text: str) -> list[dict[str, Any]]:
    return [s.as_dict() for s in suggest(text)]


def add_priority(
    *,
    by: Any,
    plan: Plan,
    text: str,
    themes: Iterable[Theme] | None = None,
    actions: str = "",
    lead: str = "",
    partners: Iterable[Organisation] = (),
    other_partners: str = "",
    number: int | None = None,
    suggestions: list[dict[str, Any]] | None = None,
) -> Priority:
    """A new priority in ``plan``. The tagger's suggestions are stored with it; ``themes``,
    when given, are confirmed by ``by`` (a file or a person named them)."""
    _authorise(by, plan, "add priorities to this plan")
    text = text.strip()
    if not text:
        raise ValidationError("Enter the priority.")
    if number is None:
        last = plan.priorities.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    priority = Priority(
        plan=plan,
        number=number,
        text=text,
        actions=actions.strip(),
        lead=lead.strip(),
        other_partners=other_partners.strip(),
        suggestions=_suggestions(text) if suggestions is None else suggestions,
    )
    if themes is not None:
        priority.themes_confirmed_at = timezone.now()
        priority.themes_confirmed_by = by if getattr(by, "is_authenticated", False) else None
    priority.full_clean()
    with transaction.atomic():
        priority.save()
        if themes is not None:
            priority.themes.set(list(themes))
        partner_list = list(partners)
        if partner_list:
            priority.partners.set(partner_list)
        record(
            by=by,
            action="create",
            obj=priority,
            changes=diff({}, {**priority.snapshot(), **_relations(priority), "plan": plan.pk}),
        )
    return priority


def update_priority(
    *,
    by: Any,
    priority: Priority,
    partners: Iterable[Organisation] | None = None,
    **fields: Any,
) -> Priority:
    """Change a priority's text, actions, lead contacts, partners or position. A new text gets
    new suggestions; its confirmed themes stay until a person changes them."""
    unknown = set(fields) - set(PRIORITY_FIELDS)
    if unknown:
        raise ValueError(f"update_priority cannot change {', '.join(sorted(unknown))}")
    _authorise(by, priority.plan, "change this priority")
    before = {**priority.snapshot(), **_relations(priority)}
    for name, value in fields.items():
        setattr(priority, name, value.strip() if isinstance(value, str) else value)
    if not priority.text:
        raise ValidationError("Enter the priority.")
    if "text" in fields and _plainly(before["text"]) != _plainly(priority.text):
        priority.suggestions = _suggestions(priority.text)
    priority.full_clean()
    with transaction.atomic():
        priority.save()
        if partners is not None:
            priority.partners.set(list(partners))
        changes = diff(before, {**priority.snapshot(), **_relations(priority)})
        if changes:
            record(by=by, action="update", obj=priority, changes=changes)
    return priority


def _plainly(text: str) -> str:
    return " ".join(text.split())


def confirm_themes(*, by: Any, priority: Priority, themes: Iterable[Theme]) -> Priority:
    """A person confirms (or changes) the priority's themes."""
    _authorise(by, priority.plan, "confirm the themes of this priority")
    chosen = list(themes)
    before = sorted(t.slug for t in priority.themes.all())
    after = sorted(t.slug for t in chosen)
    with transaction.atomic():
        priority.themes.set(chosen)
        priority.themes_confirmed_at = timezone.now()
        priority.themes_confirmed_by = by if getattr(by, "is_authenticated", False) else None
        priority.save(update_fields=["themes_confirmed_at", "themes_confirmed_by", "updated_at"])
        changes: dict[str, Any] = {"themes_confirmed": [False, True]}
        if before != after:
            changes["themes"] = [before, after]
        record(by=by, action="confirm_themes", obj=priority, changes=changes)
    return priority


def set_aims(*, by: Any, priority: Priority, aims: Iterable[Aim] | None) -> Priority:
    """Choose the aims a priority serves by hand; ``None`` goes back to deriving them from its
    themes."""
    _authorise(by, priority.plan, "change the aims of this priority")
    before = {"aims_overridden": priority.aims_overridden, **_relations(priority)}
    with transaction.atomic():
        priority.aims_overridden = aims is not None
        priority.save(update_fields=["aims_overridden", "updated_at"])
        priority.aims.set(list(aims) if aims is not None else [])
        after = {"aims_overridden": priority.aims_overridden, **_relations(priority)}
        changes = diff(before, after)
        if changes:
            record(by=by, action="set_aims", obj=priority, changes=changes)
    return priority


def delete_priority(*, by: Any, priority: Priority) -> None:
    _authorise(by, priority.plan, "delete this priority")
    with transaction.atomic():
        record(
            by=by,
            action="delete",
            obj=priority,
            changes=diff({**priority.snapshot(), **_relations(priority)}, {}),
        )
        priority.delete()
