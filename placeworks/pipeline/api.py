"""Pipeline API: projects (JSON, GeoJSON, CSV), one project (read, change with its version,
withdraw), its score and history, funding opportunities and readiness, totals and bundles.

Projects the user may not see answer 404, exactly like projects that do not exist, so their
existence does not leak; projects they may see but not change answer 403. A change made from an
out-of-date version answers 409 with who changed what since.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from placeworks.estate.models import Asset
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import visible
from placeworks.themes.models import Theme

from . import exports, queries, scoring, services
from .models import ACTIVE_STAGES, BENEFITS, FundingOpportunity, Project

router = Router(tags=["pipeline"])

MAX_LIMIT = 5000


# --- schemas ------------------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str
    slug: str
    sector: str
    role: str | None = None


class AreaRef(Schema):
    code: str
    name: str
    type: str


class ThemeRef(Schema):
    slug: str
    name: str


class BenefitOut(Schema):
    label: str
    unit: str
    forecast: float | None
    achieved: float | None


class AssetLinkOut(Schema):
    asset_id: int | None
    name: str
    owner: str | None
    role: str
    description: str


class RiskOut(Schema):
    description: str
    severity: str
    mitigation: str
    is_open: bool


class FundingLineOut(Schema):
    funder: str
    opportunity_id: int | None
    amount_sought: float | None
    amount_secured: float | None
    notes: str


class KeyDateOut(Schema):
    label: str
    date: dt.date
    achieved: bool


class IndicatorOut(Schema):
    indicator_code: str
    indicator_name: str
    area_code: str | None
    baseline_value: float | None
    baseline_period: str
    unit: str
    captured_at: dt.datetime


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    reason: str
    by: str | None
    changed_at: dt.datetime


class ScoreBrief(Schema):
    total: float
    rank: int
    summary: str


class ProjectOut(Schema):
    id: int
    reference: str
    title: str
    summary: str
    url: str
    lead: OrganisationRef
    partners: list[OrganisationRef]
    places: list[AreaRef]
    themes: list[ThemeRef]
    project_type: str
    project_type_label: str
    stage: str
    stage_label: str
    stage_changed_at: dt.datetime
    stage_history: list[StageChangeOut] = []
    rag_status: str
    rag_reason: str
    capital_cost: float | None
    revenue_cost: float | None
    benefits: dict[str, BenefitOut]
    service_outcomes_forecast: str
    service_outcomes_achieved: str
    start_date: dt.date | None
    end_date: dt.date | None
    notes: str
    assets: list[AssetLinkOut] = []
    risks: list[RiskOut]
    funding: list[FundingLineOut]
    key_dates: list[KeyDateOut] = []
    inequalities: list[IndicatorOut] = []
    visibility: str
    is_sample: bool
    version: int
    updated_at: dt.datetime
    score: ScoreBrief | None = None


class ProjectPage(Schema):
    count: int
    limit: int
    offset: int
    weights: dict[str, float]
    results: list[ProjectOut]


class PartnerIn(Schema):
    organisation: str
    role: str = "delivery"


class ProjectFields(Schema):
    summary: str | None = None
    project_type: str | None = None
    visibility: str | None = None
    places: list[str] | None = None
    themes: list[str] | None = None
    rag_status: str | None = None
    rag_reason: str | None = None
    capital_cost: Decimal | None = None
    revenue_cost: Decimal | None = None
    capital_receipts_forecast: Decimal | None = None
    capital_receipts_achieved: Decimal | None = None
    running_cost_savings_forecast: Decimal | None = None
    running_cost_savings_achieved: Decimal | None = None
    land_released_ha_forecast: Decimal | None = None
    land_released_ha_achieved: Decimal | None = None
    homes_enabled_forecast: int | None = None
    homes_enabled_achieved: int | None = None
    jobs_created_forecast: int | None = None
    jobs_created_achieved: int | None = None
    service_outcomes_forecast: str | None = None
    service_outcomes_achieved: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    notes: str | None = None


class ProjectIn(ProjectFields):
    title: str
    lead: str
    stage: str = "idea"
    partners: list[PartnerIn] = []


class ProjectPatch(ProjectFields):
    version: int
    title: str | None = None
    lead: str | None = None
    stage: str | None = None
    stage_reason: str = ""


# --- helpers ------------------------------------------------------------------------------------


def _organisation(value: str) -> Organisation:
    query = Organisation.objects.filter(slug=value)
    if value.isdigit():
        query = query | Organisation.objects.filter(pk=int(value))
    found = query.first()
    if found is None:
        raise HttpError(400, f"No organisation ‘{value}’.")
    return found


def _areas(codes: list[str]) -> list[Any]:
    areas = []
    for code in codes:
        area = queries.find_area(code)
        if area is None:
            raise HttpError(400, f"No area with code ‘{code}’.")
        areas.append(area)
    return areas


def _themes(slugs: list[str]) -> list[Theme]:
    found = {t.slug: t for t in Theme.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        raise HttpError(400, f"No theme ‘{missing[0]}’.")
    return [found[s] for s in slugs]


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def project_record(
    project: Project, user: Any, score: scoring.Score | None = None, *, full: bool = False
) -> dict[str, Any]:
    """One project as plain data (relations prefetched); the linked assets only as far as the
    user may see them."""
    record: dict[str, Any] = {
        "id": project.pk,
        "reference": project.reference,
        "title": project.title,
        "summary": project.summary,
        "url": f"/pipeline/{project.pk}/",
        "lead": {
            "id": project.lead.pk,
            "name": project.lead.name,
            "slug": project.lead.slug,
            "sector": project.lead.sector,
            "role": "lead",
        },
        "partners": [
            {
                "id": p.organisation.pk,
                "name": p.organisation.name,
                "slug": p.organisation.slug,
                "sector": p.organisation.sector,
                "role": p.role,
            }
            for p in project.partners.all()
        ],
        "places": [{"code": a.code, "name": a.name, "type": a.type} for a in project.places.all()],
        "themes": [{"slug": t.slug, "name": t.name} for t in project.themes.all()],
        "project_type": project.project_type,
        "project_type_label": project.get_project_type_display(),
        "stage": project.stage,
        "stage_label": project.get_stage_display(),
        "stage_changed_at": project.stage_changed_at,
        "rag_status": project.rag_status,
        "rag_reason": project.rag_reason,
        "capital_cost": _float(project.capital_cost),
        "revenue_cost": _float(project.revenue_cost),
        "benefits": {
            b.key: {
                "label": b.label,
                "unit": b.unit,
                "forecast": _float(getattr(project, f"{b.key}_forecast")),
                "achieved": _float(getattr(project, f"{b.key}_achieved")),
            }
            for b in BENEFITS
        },
        "service_outcomes_forecast": project.service_outcomes_forecast,
        "service_outcomes_achieved": project.service_outcomes_achieved,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "notes": project.notes,
        "risks": [
            {
                "description": r.description,
                "severity": r.severity,
                "mitigation": r.mitigation,
                "is_open": r.is_open,
            }
            for r in project.risks.all()
        ],
        "funding": [
            {
                "funder": f.funder,
                "opportunity_id": f.opportunity_id,
                "amount_sought": _float(f.amount_sought),
                "amount_secured": _float(f.amount_secured),
                "notes": f.notes,
            }
            for f in project.funding.all()
        ],
        "visibility": project.visibility,
        "is_sample": project.is_sample,
        "version": project.version,
        "updated_at": project.updated_at,
        "score": {"total": round(score.total, 1), "rank": score.rank, "summary": score.summary}
        if score
        else None,
    }
    if full:
        links = list(project.asset_links.select_related("asset", "asset__owner"))
        seen = set(
            visible(
                user, Asset.objects.filter(pk__in=[x.asset_id for x in links if x.asset_id])
            ).values_list("pk", flat=True)
        )
        record["assets"] = [
            {
                "asset_id": x.asset_id,
                "name": x.asset.name if x.asset else x.description,
                "owner": x.asset.owner.name if x.asset else None,
                "role": x.role,
                "description": x.description,
            }
            for x in links
            if x.asset_id is None or x.asset_id in seen
        ]
        record["key_dates"] = [
            {"label": d.label, "date": d.date, "achieved": d.achieved}
            for d in project.key_dates.all()
        ]
        record["inequalities"] = [
            {
                "indicator_code": i.indicator_code,
                "indicator_name": i.indicator_name,
                "area_code": i.area.code if i.area else None,
                "baseline_value": i.baseline_value,
                "baseline_period": i.baseline_period,
                "unit": i.unit,
                "captured_at": i.captured_at,
            }
            for i in project.indicators.select_related("area")
        ]
        record["stage_history"] = [
            {
                "from_stage": c.from_stage,
                "to_stage": c.to_stage,
                "reason": c.reason,
                "by": c.by.get_username() if c.by else None,
                "changed_at": c.changed_at,
            }
            for c in project.stage_history.select_related("by")
        ]
    return record


def _visible(request: HttpRequest, project_id: int) -> Project:
    return get_object_or_404(
        queries.with_related(queries.visible_projects(request.user)), pk=project_id
    )


def _conflict(conflict: services.ConflictError, user: Any) -> JsonResponse:
    describer = queries.Describer(user)
    return JsonResponse(
        {
            "detail": str(conflict),
            "version": conflict.current,
            "changed_by": conflict.by_name,
            "changed_at": conflict.at.isoformat() if conflict.at else None,
            "changes": [
                {"field": c.label, "old": c.old, "new": c.new}
                for c in queries.describe_changes(conflict.changes, describer)
            ],
        },
        status=409,
    )


def _fields(payload: ProjectFields, *, exclude: set[str]) -> dict[str, Any]:
    data = payload.dict(exclude_unset=True)
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in exclude:
            continue
        if name == "places":
            values["places"] = _areas(value or [])
        elif name == "themes":
            values["themes"] = _themes(value or [])
        elif name == "lead":
            values["lead"] = _organisation(value)
        elif isinstance(value, str) or value is None:
            field = Project._meta.get_field(name)
            if value is None and not getattr(field, "null", False):
                value = ""
            values[name] = value
        else:
            values[name] = value
    return values


# --- projects -----------------------------------------------------------------------------------


@router.get(
    "/projects",
    response=ProjectPage,
    summary="Projects, ranked by score (GeoJSON with ?format=geojson; CSV with ?format=csv)",
)
def list_projects(
    request: HttpRequest,
    place: str | None = Query(None, description="Area code: PLACE area, district or ward"),
    theme: str | None = Query(None, description="Theme slug"),
    stage: Annotated[
        list[str] | None, Query(description="Stages (repeat or comma-separate)")
    ] = None,
    organisation: str | None = Query(None, description="Lead or partner organisation: slug or id"),
    q: str | None = Query(None, description="Text in the title, summary, reference or lead"),
    sort: str = Query(
        "score",
        description="score, title, stage, lead, capital_cost, receipts, updated; - reverses",
    ),
    format: str = Query("json", description="json, geojson or csv"),  # noqa: A002
    w_need: float | None = Query(None, ge=0, le=100, description="Weight of need"),
    w_alignment: float | None = Query(None, ge=0, le=100, description="Weight of alignment"),
    w_collaboration: float | None = Query(
        None, ge=0, le=100, description="Weight of collaboration"
    ),
    w_deliverability: float | None = Query(
        None, ge=0, le=100, description="Weight of deliverability"
    ),
    w_value: float | None = Query(None, ge=0, le=100, description="Weight of value for money"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
) -> Any:
    filters = queries.parse_filters(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors.values()))
    weights, errors = scoring.Weights.parse(request.GET)
    if errors:
        raise HttpError(400, " ".join(errors.values()))
    rows = queries.ranked(request.user, filters, weights, sort)
    if format == "geojson":
        page = rows[offset : offset + limit]
        located = queries.locations(request.user, [p for p, _ in page])
        collection = exports.feature_collection(page, located, escape=False)
        return HttpResponse(exports.to_geojson(collection), content_type="application/geo+json")
    if format == "csv":
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="projects.csv"'
        return response
    if format != "json":
        raise HttpError(400, "format must be json, geojson or csv.")
    return {
        "count": len(rows),
        "limit": limit,
        "offset": offset,
        "weights": weights.as_dict(),
        "results": [project_record(p, request.user, s) for p, s in rows[offset : offset + limit]],
    }


@router.post("/projects", response={201: ProjectOut}, summary="Add a project")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    if not request.user.is_authenticated:
        raise HttpError(401, "Sign in or send an API token to add a project.")
    values = _fields(payload, exclude={"partners", "lead", "title", "stage"})
    partners = [(_organisation(p.organisation), p.role) for p in payload.partners]
    project = services.create_project(
        by=request.user,
        lead=_organisation(payload.lead),
        title=payload.title,
        stage=payload.stage,
        partners=partners,
        **values,
    )
    project = _visible(request, project.pk)
    return Status(201, project_record(project, request.user, full=True))


@router.get("/projects/{project_id}", response=ProjectOut, summary="One project")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return project_record(_visible(request, project_id), request.user, full=True)


@router.patch(
    "/projects/{project_id}",
    response={200: ProjectOut},
    summary="Change a project (send the version you read; 409 if it changed since)",
)
def patch_project(request: HttpRequest, project_id: int, payload: ProjectPatch) -> Any:
    project = _visible(request, project_id)
    values = _fields(payload, exclude={"version", "stage", "stage_reason"})
    try:
        with transaction.atomic():
            version = payload.version
            if values:
                project = services.update_project(
                    by=request.user, project=project, expected_version=version, **values
                )
                version = project.version
            if payload.stage and payload.stage != project.stage:
                project = services.change_stage(
                    by=request.user,
                    project=project,
                    stage=payload.stage,
                    reason=payload.stage_reason,
                    expected_version=version,
                )
    except services.ConflictError as conflict:
        return _conflict(conflict, request.user)
    return project_record(_visible(request, project_id), request.user, full=True)


@router.delete(
    "/projects/{project_id}",
    response={200: ProjectOut},
    summary="Withdraw a project (projects are never deleted: their history is kept)",
)
def withdraw_project(
    request: HttpRequest,
    project_id: int,
    version: int = Query(..., description="The version you read"),
    reason: str = Query("Withdrawn", description="Why it is withdrawn"),
) -> Any:
    project = _visible(request, project_id)
    try:
        services.withdraw_project(
            by=request.user, project=project, reason=reason, expected_version=version
        )
    except services.ConflictError as conflict:
        return _conflict(conflict, request.user)
    return project_record(_visible(request, project_id), request.user, full=True)


@router.get("/projects/{project_id}/score", summary="A project's score with its breakdown")
def project_score(
    request: HttpRequest,
    project_id: int,
    w_need: float | None = Query(None, ge=0, le=100),
    w_alignment: float | None = Query(None, ge=0, le=100),
    w_collaboration: float | None = Query(None, ge=0, le=100),
    w_deliverability: float | None = Query(None, ge=0, le=100),
    w_value: float | None = Query(None, ge=0, le=100),
) -> dict[str, Any]:
    project = _visible(request, project_id)
    weights, errors = scoring.Weights.parse(request.GET)
    if errors:
        raise HttpError(400, " ".join(errors.values()))
    result = queries.project_score(project, weights, request.user)
    return {**result.as_dict(), "of": queries.visible_projects(request.user).count()}


@router.get("/projects/{project_id}/history", summary="Every recorded change to a project")
def project_history(request: HttpRequest, project_id: int) -> list[dict[str, Any]]:
    project = _visible(request, project_id)
    return [
        {
            "at": entry.when.isoformat(),
            "by": entry.who,
            "action": entry.action,
            "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in entry.changes],
        }
        for entry in queries.history(project, request.user)
    ]


# --- funding ------------------------------------------------------------------------------------


def funding_record(opportunity: FundingOpportunity) -> dict[str, Any]:
    return {
        "id": opportunity.pk,
        "slug": opportunity.slug,
        "funder": opportunity.funder,
        "name": opportunity.name,
        "description": opportunity.description,
        "url": opportunity.url,
        "themes": [t.slug for t in opportunity.themes.all()],
        "area_types": opportunity.area_types,
        "min_need_decile": opportunity.min_need_decile,
        "stage_required": opportunity.stage_required,
        "max_grant": _float(opportunity.max_grant),
        "match_funding_percent": opportunity.match_funding_percent,
        "required_sectors": opportunity.required_sectors,
        "deadline": opportunity.deadline.isoformat() if opportunity.deadline else None,
        "is_sample": opportunity.is_sample,
    }


@router.get("/funding", summary="Funding opportunities and their criteria")
def list_funding(request: HttpRequest) -> list[dict[str, Any]]:
    return [funding_record(o) for o in FundingOpportunity.objects.prefetch_related("themes")]


@router.get("/funding/{opportunity_id}", summary="One funding opportunity")
def get_funding(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    opportunity = get_object_or_404(
        FundingOpportunity.objects.prefetch_related("themes"), pk=opportunity_id
    )
    return funding_record(opportunity)


@router.get(
    "/funding/{opportunity_id}/readiness",
    summary="Readiness of one project (?project=) or of every active project you may see",
)
def funding_readiness(
    request: HttpRequest,
    opportunity_id: int,
    project: int | None = Query(None, description="A project id; all active projects if empty"),
) -> dict[str, Any]:
    opportunity = get_object_or_404(
        FundingOpportunity.objects.prefetch_related("themes"), pk=opportunity_id
    )
    projects = queries.with_related(queries.visible_projects(request.user))
    if project is not None:
        chosen = [get_object_or_404(projects, pk=project)]
    else:
        chosen = list(projects.filter(stage__in=ACTIVE_STAGES))
    results = queries.readiness(chosen, opportunity)
    return {
        "opportunity": funding_record(opportunity),
        "results": [
            {"project_id": p.pk, "reference": p.reference, "title": p.title, **r.as_dict()}
            for p, r in results
        ],
    }


# --- totals and bundles -------------------------------------------------------------------------


@router.get("/pipeline/totals", summary="Totals of the projects you may see, by stage and place")
def totals(request: HttpRequest) -> dict[str, Any]:
    filters = queries.parse_filters(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors.values()))
    figures = queries.dashboard(request.user, filters)
    return {
        "total": figures.total.as_dict(),
        "by_stage": [t.as_dict() for t in figures.by_stage],
        "by_place": [t.as_dict() for t in figures.by_place],
        "note": figures.place_note,
    }


@router.get("/pipeline/bundles", summary="Projects viable together: sharing places or assets")
def bundles(request: HttpRequest) -> list[dict[str, Any]]:
    filters = queries.parse_filters(request.GET)
    if filters.errors:
        raise HttpError(400, " ".join(filters.errors.values()))
    return [b.as_dict() for b in queries.bundles(request.user, filters)]
