"""Priorities API: plans, priorities, coverage and theme suggestions.

Collections are filtered by visibility in the database query (drafts only for the owning
organisation). Writes go through the services and need ``edit_plan`` on the plan's owner: 401
without a user, 403 without the permission; errors are ``{"detail": ...}``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from placeworks.partners.models import Organisation, Visibility
from placeworks.themes.models import Aim, Theme

from . import queries, services
from .areas import find_area
from .ingest.core import OrganisationMatcher
from .models import PLAN_AREA_TYPES, Plan, PlanStatus, Priority
from .periods import normalise_period
from .suggestions import MAX_TEXT, suggest

router = Router(tags=["priorities"])

MAX_LIMIT = 1000


# --- schemas ------------------------------------------------------------------------------------


class SuggestionOut(Schema):
    slug: str
    label: str
    score: float
    matched: list[str]


class AimOut(Schema):
    id: int
    strategy: str
    number: int
    text: str


class PartnerOut(Schema):
    name: str
    slug: str | None


class PriorityOut(Schema):
    id: int
    plan_id: int
    area_code: str
    area_name: str
    period: str
    number: int
    text: str
    themes: list[str]
    themes_confirmed: bool
    suggestions: list[SuggestionOut]
    aims: list[AimOut]
    aims_overridden: bool
    actions: str
    lead: str
    partners: list[PartnerOut]
    is_sample: bool


class PlanOut(Schema):
    id: int
    name: str
    area_code: str
    area_name: str
    area_type: str
    period: str
    owner: str
    owner_slug: str
    status: str
    visibility: str
    previous_id: int | None
    is_sample: bool
    priority_count: int | None = None
    url: str


class PlanDetail(PlanOut):
    summary: str
    source: str
    priorities: list[PriorityOut]
    changes_since_previous: dict[str, Any] | None


class Page(Schema):
    count: int
    limit: int
    offset: int


class PlanPage(Page):
    results: list[PlanOut]


class PriorityPage(Page):
    results: list[PriorityOut]


class PlanIn(Schema):
    area_code: str
    period: str = Field(description="Financial year, e.g. 2025/26")
    owner: str = Field(description="Slug of the owning organisation")
    status: PlanStatus = PlanStatus.DRAFT
    visibility: Visibility = Field(
        Visibility.PUBLIC, description="Who may see the plan once published"
    )
    title: str = ""
    summary: str = ""


class PlanPatch(Schema):
    status: PlanStatus | None = None
    visibility: Visibility | None = None
    title: str | None = None
    summary: str | None = None


class PriorityIn(Schema):
    plan_id: int
    text: str = Field(max_length=MAX_TEXT)
    themes: list[str] | None = Field(
        None, description="Theme slugs; given, they are confirmed. Omit to leave suggestions."
    )
    actions: str = ""
    lead: str = ""
    partners: list[str] = Field(default_factory=list, description="Organisation names or slugs")


class PriorityPatch(Schema):
    text: str | None = Field(None, max_length=MAX_TEXT)
    themes: list[str] | None = Field(None, description="Theme slugs: confirms these themes")
    aims: list[int] | None = Field(
        None, description="Aim ids chosen by hand; send null to derive the aims from the themes"
    )
    actions: str | None = None
    lead: str | None = None
    partners: list[str] | None = None
    number: int | None = Field(None, ge=1)


class SuggestIn(Schema):
    text: str = Field(max_length=MAX_TEXT)


class SuggestOut(Schema):
    suggestions: list[SuggestionOut]


class CoverageOut(Schema):
    selection: str
    by: str
    plans: int
    unit: str
    plan_ids: list[int]
    priorities: int
    awaiting_confirmation: int
    rows: list[dict[str, Any]]
    gaps: list[dict[str, Any]]
    matrix: list[dict[str, Any]] | None
    need_index_available: bool
    need_index_areas: int
    need_decile: int
    unrecognised_need: list[dict[str, Any]] | None
    is_sample: bool


# --- records ---------------------------------------------------------------------------------


def plan_record(plan: Plan, priority_count: int | None = None) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "name": plan.name,
        "area_code": plan.area.code,
        "area_name": plan.area.name,
        "area_type": plan.area.type,
        "period": plan.period,
        "owner": plan.owner.name,
        "owner_slug": plan.owner.slug,
        "status": plan.status,
        "visibility": plan.sharing,
        "previous_id": plan.previous_id,
        "is_sample": plan.is_sample,
        "priority_count": priority_count,
        "url": f"/priorities/plans/{plan.pk}/",
    }


def priority_record(priority: Priority, aims: list[Aim]) -> dict[str, Any]:
    plan = priority.plan
    return {
        "id": priority.pk,
        "plan_id": plan.pk,
        "area_code": plan.area.code,
        "area_name": plan.area.name,
        "period": plan.period,
        "number": priority.number,
        "text": priority.text,
        "themes": [t.slug for t in priority.themes.all()],
        "themes_confirmed": priority.themes_confirmed,
        "suggestions": priority.suggestions,
        "aims": [
            {"id": a.pk, "strategy": a.strategy.name, "number": a.number, "text": a.text}
            for a in aims
        ],
        "aims_overridden": priority.aims_overridden,
        "actions": priority.actions,
        "lead": priority.lead,
        "partners": [{"name": o.name, "slug": o.slug} for o in priority.partners.all()]
        + [{"name": name, "slug": None} for name in priority.other_partner_names()],
        "is_sample": plan.is_sample,
    }


def priority_records(priorities: list[Priority]) -> list[dict[str, Any]]:
    aims = queries.effective_aims(priorities, queries.AimIndex(queries.ThemeTree()))
    return [priority_record(p, aims[p.pk]) for p in priorities]


def _selection(request: HttpRequest) -> queries.Selection:
    selection = queries.parse_selection(request.GET)
    if selection.errors:
        raise HttpError(400, " ".join(selection.errors.values()))
    return selection


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_object_or_404(
        queries.visible_plans(request.user).select_related("area", "owner"), pk=plan_id
    )


def _priority(request: HttpRequest, priority_id: int) -> Priority:
    return get_object_or_404(
        queries.visible_priorities(request.user)
        .select_related("plan__area", "plan__owner")
        .prefetch_related("themes", "partners", "aims__strategy"),
        pk=priority_id,
    )


def _themes(slugs: list[str]) -> list[Theme]:
    found = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise HttpError(422, f"Unknown theme slug(s): {', '.join(unknown)}.")
    return [found[s] for s in dict.fromkeys(slugs)]


def _partners(names: list[str]) -> tuple[list[Organisation], str]:
    found, others = OrganisationMatcher().split("\n".join(names))
    return found, "\n".join(others)


def _require_user(request: HttpRequest, doing: str) -> None:
    if not request.user.is_authenticated:
        raise HttpError(401, f"Sign in or send an API token to {doing}.")


# --- plans ----------------------------------------------------------------------------------------


@router.get("/plans", response=PlanPage, summary="Plans (filter by parent, period, type…)")
def list_plans(
    request: HttpRequest,
    parent: str | None = Query(None, description="Code of a district or PLACE area"),
    period: str | None = Query(None, description="Financial year, e.g. 2025/26"),
    type: str | None = Query(None, description="ward, neighbourhood, place or lad"),  # noqa: A002
    owner: str | None = Query(None, description="Owning organisation's slug"),
    status: str | None = Query(None, description="draft or published"),
    plans: str | None = Query(None, description="Plan ids separated by commas"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> Any:
    selection = _selection(request)
    found = queries.plan_list(request.user, selection)
    page = list(found[offset : offset + limit])
    return {
        "count": found.count(),
        "limit": limit,
        "offset": offset,
        "results": [plan_record(p, getattr(p, "priority_count", None)) for p in page],
    }


def plan_detail_record(plan: Plan) -> dict[str, Any]:
    priorities = list(
        plan.priorities.select_related("plan__area", "plan__owner").prefetch_related(
            "themes", "partners", "aims__strategy"
        )
    )
    diff = queries.plan_diff(plan)
    return {
        **plan_record(plan, len(priorities)),
        "summary": plan.summary,
        "source": plan.source,
        "priorities": priority_records(priorities),
        "changes_since_previous": diff.as_dict() if diff is not None else None,
    }


@router.get("/plans/{plan_id}", response=PlanDetail, summary="One plan with its priorities")
def get_plan(request: HttpRequest, plan_id: int) -> Any:
    return plan_detail_record(_plan(request, plan_id))


@router.post("/plans", response={201: PlanDetail}, summary="Add a plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Any:
    _require_user(request, "add a plan")
    owner = get_object_or_404(Organisation, slug=payload.owner)
    area = find_area(payload.area_code, PLAN_AREA_TYPES)
    if area is None:
        raise HttpError(
            422,
            f"No ward, neighbourhood, PLACE area or district has the code ‘{payload.area_code}’.",
        )
    period = normalise_period(payload.period)
    if period is None:
        raise HttpError(422, f"‘{payload.period}’ is not a financial year written like 2025/26.")
    if Plan.objects.filter(owner=owner, area=area, period=period).exists():
        raise HttpError(409, f"{owner.name} already has a plan for {area.name} {period}.")
    plan = services.create_plan(
        by=request.user,
        owner=owner,
        area=area,
        period=period,
        status=payload.status,
        sharing=payload.visibility,
        title=payload.title,
        summary=payload.summary,
    )
    return Status(201, plan_detail_record(plan))


@router.patch("/plans/{plan_id}", response=PlanDetail, summary="Change a plan")
def patch_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> Any:
    plan = _plan(request, plan_id)
    values = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "visibility" in values:
        values["sharing"] = values.pop("visibility")
    plan = services.update_plan(by=request.user, plan=plan, **values)
    return plan_detail_record(plan)


# --- priorities -------------------------------------------------------------------------------


@router.get("/priorities", response=PriorityPage, summary="Priorities (filter by plan set, theme)")
def list_priorities(
    request: HttpRequest,
    parent: str | None = Query(None, description="Code of a district or PLACE area"),
    period: str | None = Query(None, description="Financial year, e.g. 2025/26"),
    type: str | None = Query(None, description="ward, neighbourhood, place or lad"),  # noqa: A002
    owner: str | None = Query(None, description="Owning organisation's slug"),
    plans: str | None = Query(None, description="Plan ids separated by commas"),
    theme: str | None = Query(None, description="Theme slug (its sub-themes included)"),
    confirmed: bool | None = Query(
        None, description="Only priorities whose themes are (not) confirmed"
    ),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> Any:
    selection = _selection(request)
    found = queries.priorities_of(queries.select_plans(request.user, selection))
    if theme:
        chosen = Theme.objects.filter(slug=theme).first()
        if chosen is None:
            raise HttpError(400, f"No theme has the slug ‘{theme}’.")
        found = found.filter(themes__in=queries.ThemeTree().descendants(chosen.pk)).distinct()
    if confirmed is not None:
        found = found.filter(themes_confirmed_at__isnull=not confirmed)
    return {
        "count": found.count(),
        "limit": limit,
        "offset": offset,
        "results": priority_records(list(found[offset : offset + limit])),
    }


@router.get("/priorities/{priority_id}", response=PriorityOut, summary="One priority")
def get_priority(request: HttpRequest, priority_id: int) -> Any:
    return priority_records([_priority(request, priority_id)])[0]


@router.post("/priorities", response={201: PriorityOut}, summary="Add a priority to a plan")
def create_priority(request: HttpRequest, payload: PriorityIn) -> Any:
    _require_user(request, "add a priority")
    plan = _plan(request, payload.plan_id)
    partners, others = _partners(payload.partners)
    priority = services.add_priority(
        by=request.user,
        plan=plan,
        text=payload.text,
        themes=_themes(payload.themes) if payload.themes is not None else None,
        actions=payload.actions,
        lead=payload.lead,
        partners=partners,
        other_partners=others,
    )
    return Status(201, priority_records([_priority(request, priority.pk)])[0])


@router.patch("/priorities/{priority_id}", response=PriorityOut, summary="Change a priority")
def patch_priority(request: HttpRequest, priority_id: int, payload: PriorityPatch) -> Any:
    priority = _priority(request, priority_id)
    data = payload.dict(exclude_unset=True)
    fields = {k: data[k] for k in ("text", "actions", "lead", "number") if data.get(k) is not None}
    partners = None
    if data.get("partners") is not None:
        partners, fields["other_partners"] = _partners(data["partners"])
    with transaction.atomic():
        if fields or partners is not None:
            services.update_priority(
                by=request.user, priority=priority, partners=partners, **fields
            )
        if data.get("themes") is not None:
            services.confirm_themes(
                by=request.user, priority=priority, themes=_themes(data["themes"])
            )
        if "aims" in data:
            aims = None
            if data["aims"] is not None:
                aims = list(Aim.objects.filter(pk__in=data["aims"]))
                if len(aims) != len(set(data["aims"])):
                    raise HttpError(422, "Unknown aim id(s).")
            services.set_aims(by=request.user, priority=priority, aims=aims)
    return priority_records([_priority(request, priority_id)])[0]


@router.delete("/priorities/{priority_id}", response={204: None}, summary="Delete a priority")
def delete_priority(request: HttpRequest, priority_id: int) -> Any:
    services.delete_priority(by=request.user, priority=_priority(request, priority_id))
    return Status(204, None)


# --- coverage and tagging ------------------------------------------------------------------------


@router.get("/coverage", response=CoverageOut, summary="Coverage of themes or aims by a plan set")
def coverage(
    request: HttpRequest,
    plans: str | None = Query(None, description="Plan ids separated by commas"),
    by: str = Query("theme", description="theme or aim"),
    parent: str | None = Query(None, description="Code of a district or PLACE area"),
    period: str | None = Query(None, description="Financial year, e.g. 2025/26"),
    type: str | None = Query(None, description="ward, neighbourhood, place or lad"),  # noqa: A002
    owner: str | None = Query(None, description="Owning organisation's slug"),
    strategy: int | None = Query(None, description="Strategy id (default: all strategies)"),
    need_decile: int = Query(
        2,
        ge=1,
        le=10,
        description="Highest-need deciles of each area's comparison set counted as high",
    ),
) -> Any:
    if by not in {"theme", "aim"}:
        raise HttpError(400, "by must be theme or aim.")
    selection = _selection(request)
    result = queries.coverage(request.user, selection)
    rows = result.rows(by)
    aims = result.aims
    return {
        "selection": selection.describe(),
        "by": by,
        "plans": len(result.plans),
        "unit": result.unit,
        "plan_ids": [p.pk for p in result.plans],
        "priorities": result.priorities,
        "awaiting_confirmation": result.unconfirmed,
        "rows": [row.as_dict() for row in rows],
        "gaps": [row.as_dict() for row in rows if row.plans == 0],
        "matrix": [
            {
                "plan_id": plan.pk,
                "area_code": plan.area.code,
                "area_name": plan.area.name,
                "period": plan.period,
                "aims": {aim.key: count for aim, count in zip(aims, counts, strict=True)},
            }
            for plan, counts in result.matrix
        ]
        if by == "aim"
        else None,
        "need_index_available": result.need_available,
        "need_index_areas": result.need_areas,
        "need_decile": result.need_decile,
        "unrecognised_need": [u.as_dict() for u in result.unrecognised]
        if result.need_available
        else None,
        "is_sample": result.is_sample,
    }


@router.post("/tagging/suggest", response=SuggestOut, summary="Suggest themes for a text")
def suggest_tags(request: HttpRequest, payload: SuggestIn) -> Any:
    """Themes suggested for a priority statement, best first, each with the words that led to
    it. A suggestion, not a decision: a person confirms the themes."""
    return {"suggestions": [s.as_dict() for s in suggest(payload.text)]}
