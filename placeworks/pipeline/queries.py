"""Reads of the pipeline: the visible projects, filters, scores, totals, bundles, readiness,
locations and the change history.

Every read starts from ``visible_projects(user)``, which removes the projects the user may not
see in the database query (``partners.permissions.visible`` on the lead and partner
organisations). Scores, totals, bundles, exports and maps are all computed from that queryset
only, so a confidential project never shows up in anyone else's figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from placeworks.audit.models import AuditEvent
from placeworks.estate.models import Asset
from placeworks.params import values
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import visible
from placeworks.places import queries as places_queries
from placeworks.places.models import Area
from placeworks.themes.models import Theme

from . import bundles as bundling
from . import readiness as ready
from . import scoring, sources
from .models import (
    ACTIVE_STAGES,
    BENEFITS,
    STAGE_ORDER,
    FundingOpportunity,
    Project,
    ProjectAsset,
    ProjectPartner,
    ProjectType,
    Rag,
    Stage,
    sector_group,
    sector_group_label,
)

ORGANISATION_FIELDS = ("lead", "partners__organisation")
SORTS = {
    "score": "Score",
    "title": "Title",
    "stage": "Stage",
    "lead": "Lead organisation",
    "capital_cost": "Capital cost",
    "receipts": "Capital receipts",
    "updated": "Last changed",
}


def visible_projects(user: Any) -> QuerySet[Project]:
    """The projects ``user`` may see (filtered in the query)."""
    return visible(user, Project.objects.all(), organisation_fields=ORGANISATION_FIELDS)


def with_related(projects: QuerySet[Project]) -> QuerySet[Project]:
    return projects.select_related("lead").prefetch_related(
        "places", "themes", "partners__organisation", "risks", "funding"
    )


# --- filters ------------------------------------------------------------------------------------


@dataclass
class ProjectFilters:
    place: Area | None = None
    theme: Theme | None = None
    stages: list[str] = field(default_factory=list)
    organisation: Organisation | None = None
    project_types: list[str] = field(default_factory=list)
    rag: str = ""
    q: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.place
            or self.theme
            or self.stages
            or self.organisation
            or self.project_types
            or self.rag
            or self.q
        )

    def describe(self) -> str:
        parts = []
        if self.place:
            parts.append(f"place: {self.place.name}")
        if self.theme:
            parts.append(f"theme: {self.theme.name}")
        if self.stages:
            parts.append("stage: " + ", ".join(Stage(s).label for s in self.stages))
        if self.organisation:
            parts.append(f"organisation: {self.organisation.name}")
        if self.project_types:
            parts.append("type: " + ", ".join(ProjectType(t).label for t in self.project_types))
        if self.rag:
            parts.append(f"RAG: {self.rag}")
        if self.q:
            parts.append(f"search: {self.q}")
        return "; ".join(parts) or "all projects"


def find_area(code: str) -> Area | None:
    """The active area with this code (the places app's rule: current vintage first)."""
    return places_queries.find_area(code)


def parse_filters(params: Mapping[str, Any]) -> ProjectFilters:
    """Filters from a query string: place (area code), theme (slug), stage (repeatable or
    comma-separated), organisation (slug or id; lead or partner), type, rag, q (text)."""
    filters = ProjectFilters()
    place = (values(params, "place") or [""])[0]
    if place:
        filters.place = find_area(place)
        if filters.place is None:
            filters.errors["place"] = f"No area with code ‘{place}’."
    theme = (values(params, "theme") or [""])[0]
    if theme:
        filters.theme = Theme.objects.filter(slug=theme).first()
        if filters.theme is None:
            filters.errors["theme"] = f"No theme ‘{theme}’."
    filters.stages = values(params, "stage")
    unknown = [s for s in filters.stages if s not in Stage.values]
    if unknown:
        filters.errors["stage"] = f"Unknown stage: {', '.join(unknown)}."
        filters.stages = [s for s in filters.stages if s in Stage.values]
    organisation = (values(params, "organisation") or [""])[0]
    if organisation:
        query = Q(slug=organisation) | (Q(pk=int(organisation)) if organisation.isdigit() else Q())
        filters.organisation = Organisation.objects.filter(query).first()
        if filters.organisation is None:
            filters.errors["organisation"] = f"No organisation ‘{organisation}’."
    filters.project_types = [t for t in values(params, "type") if t in ProjectType.values]
    rag = str(params.get("rag") or "").strip()
    if rag in Rag.values:
        filters.rag = rag
    filters.q = str(params.get("q") or "").strip()[:100]
    return filters


def pipeline(user: Any, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """The projects ``user`` may see, filtered."""
    projects = visible_projects(user)
    if filters is None:
        return projects
    if filters.place is not None:
        area_ids = sources.related_area_ids(filters.place)
        projects = projects.filter(
            pk__in=Project.places.through.objects.filter(area_id__in=area_ids).values("project_id")
        )
    if filters.theme is not None:
        theme_ids = {filters.theme.pk} | set(
            Theme.objects.filter(parent=filters.theme).values_list("pk", flat=True)
        )
        projects = projects.filter(
            pk__in=Project.themes.through.objects.filter(theme_id__in=theme_ids).values(
                "project_id"
            )
        )
    if filters.stages:
        projects = projects.filter(stage__in=filters.stages)
    if filters.organisation is not None:
        projects = projects.filter(
            Q(lead=filters.organisation)
            | Q(
                pk__in=ProjectPartner.objects.filter(organisation=filters.organisation).values(
                    "project_id"
                )
            )
        )
    if filters.project_types:
        projects = projects.filter(project_type__in=filters.project_types)
    if filters.rag:
        projects = projects.filter(rag_status=filters.rag)
    if filters.q:
        projects = projects.filter(
            Q(title__icontains=filters.q)
            | Q(summary__icontains=filters.q)
            | Q(reference__icontains=filters.q)
            | Q(lead__name__icontains=filters.q)
        )
    return projects


def place_choices() -> QuerySet[Area]:
    """PLACE areas (the partnership's places), then local authority districts."""
    return Area.objects.filter(type__in=["place", "lad"], is_active=True).order_by("-type", "name")


def organisation_choices(user: Any) -> QuerySet[Organisation]:
    """Organisations leading or partnering in projects the user may see."""
    ids = visible_projects(user).values("pk")
    return Organisation.objects.filter(
        Q(led_projects__in=ids) | Q(project_partnerships__project__in=ids)
    ).distinct()


# --- scoring ------------------------------------------------------------------------------------


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def organisations_of(project: Project) -> list[Organisation]:
    return [project.lead] + [p.organisation for p in project.partners.all()]


class FactGatherer:
    """Gathers ``scoring.ProjectFacts`` for many projects as ``user`` sees them (only the local
    plans the user may see count towards alignment), reading need and aims once."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self.need = sources.NeedReader()
        self.priorities_available = sources.priorities_loaded(user)
        self._aims: dict[str, list[str]] | None = None

    @property
    def aims(self) -> dict[str, list[str]]:
        if self._aims is None:
            self._aims = sources.aim_themes()
        return self._aims

    def needvalues(self, project: Project) -> list[scoring.NeedValue]:
        values = []
        themes = list(project.themes.all())
        for area in project.places.all():
            found = False
            for theme in themes:
                reading = self.need.get(area, theme.slug)
                if reading is not None:
                    values.append(
                        scoring.NeedValue(
                            area.name, theme.name, reading.score, reading.decile, reading.comparison
                        )
                    )
                    found = True
            if not found:
                reading = self.need.get(area, None)
                if reading is not None:
                    values.append(
                        scoring.NeedValue(
                            area.name,
                            "overall need",
                            reading.score,
                            reading.decile,
                            reading.comparison,
                        )
                    )
        return values

    def facts(self, project: Project) -> scoring.ProjectFacts:
        themes = list(project.themes.all())
        slugs = {t.slug: t.name for t in themes}
        places = list(project.places.all())
        plan_themes = (
            sources.priority_themes(self.user, [a.pk for a in places])
            if self.priorities_available
            else {}
        )
        in_plans = [slugs[s] for s in slugs if s in plan_themes]
        in_aims = [slugs[s] for s in slugs if s in self.aims]
        organisations = organisations_of(project)
        return scoring.ProjectFacts(
            id=project.pk,
            reference=project.reference,
            title=project.title,
            stage=project.stage,
            themes=tuple(t.name for t in themes),
            need=tuple(self.needvalues(project)),
            need_available=self.need.available,
            places=tuple(a.name for a in places),
            priority_themes=tuple(in_plans),
            priority_examples=tuple(f"‘{plan_themes[s][0]}’" for s in slugs if s in plan_themes)[
                :2
            ],
            priorities_available=self.priorities_available,
            aim_themes=tuple(in_aims),
            aim_examples=tuple(self.aims[s][0] for s in slugs if s in self.aims)[:2],
            organisations=tuple(o.name for o in organisations),
            sectors=tuple(
                sorted({sector_group_label(sector_group(o.sector)) for o in organisations})
            ),
            rag=project.rag_status,
            open_risks=tuple(r.severity for r in project.risks.all() if r.is_open),
            capital_cost=_float(project.capital_cost),
            revenue_cost=_float(project.revenue_cost),
            capital_receipts=_float(project.capital_receipts_forecast),
            running_cost_savings=_float(project.running_cost_savings_forecast),
            homes_enabled=_float(project.homes_enabled_forecast),
            jobs_created=_float(project.jobs_created_forecast),
        )


def score_projects(
    projects: Iterable[Project], weights: scoring.Weights, user: Any
) -> list[scoring.Score]:
    """Scores of ``projects`` (already filtered to the ones ``user`` may see) in rank order,
    from what ``user`` may see."""
    gatherer = FactGatherer(user)
    return scoring.score_all((gatherer.facts(p) for p in projects), weights)


def ranked(
    user: Any, filters: ProjectFilters | None, weights: scoring.Weights, sort: str = "score"
) -> list[tuple[Project, scoring.Score]]:
    """The visible, filtered projects with their scores, sorted (``SORTS``; ``-`` reverses)."""
    projects = list(with_related(pipeline(user, filters)))
    scores = {s.project_id: s for s in score_projects(projects, weights, user)}
    rows = [(p, scores[p.pk]) for p in projects]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, descending = "score", False
    sorters: dict[str, Any] = {
        "score": lambda row: (not row[1].is_ranked, row[1].rank, row[0].title.lower()),
        "title": lambda row: (row[0].title.lower(), row[0].reference),
        "stage": lambda row: (_stage_position(row[0].stage), _rank(row)),
        "lead": lambda row: (row[0].lead.name, _rank(row)),
        "capital_cost": lambda row: (float(row[0].capital_cost or 0), _rank(row)),
        "receipts": lambda row: (float(row[0].capital_receipts_forecast or 0), _rank(row)),
        "updated": lambda row: (row[0].updated_at, row[0].pk),
    }
    rows.sort(key=sorters[key], reverse=descending)
    return rows


def _rank(row: tuple[Project, scoring.Score]) -> int:
    return row[1].rank or 1_000_000


def _stage_position(stage: str) -> int:
    order = [*STAGE_ORDER, Stage.PAUSED, Stage.WITHDRAWN]
    return order.index(stage) if stage in order else len(order)


def project_score(project: Project, weights: scoring.Weights, user: Any) -> scoring.Score:
    """The score of one project, ranked among all the projects the user may see."""
    projects = list(with_related(visible_projects(user)))
    for item in score_projects(projects, weights, user):
        if item.project_id == project.pk:
            return item
    return score_projects([project], weights, user)[0]


# --- totals -------------------------------------------------------------------------------------


def _benefit_fields() -> list[str]:
    return [f"{b.key}_{when}" for b in BENEFITS for when in ("forecast", "achieved")]


@dataclass
class Totals:
    label: str
    count: int = 0
    capital_cost: float = 0.0
    revenue_cost: float = 0.0
    funding_sought: float = 0.0
    funding_secured: float = 0.0
    benefits: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(_benefit_fields(), 0.0)
    )

    def add(self, project: Project) -> None:
        self.count += 1
        self.capital_cost += float(project.capital_cost or 0)
        self.revenue_cost += float(project.revenue_cost or 0)
        for line in project.funding.all():
            self.funding_sought += float(line.amount_sought or 0)
            self.funding_secured += float(line.amount_secured or 0)
        for name in self.benefits:
            self.benefits[name] += float(getattr(project, name) or 0)

    def benefit(self, key: str, when: str = "forecast") -> float:
        return self.benefits[f"{key}_{when}"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "projects": self.count,
            "capital_cost": round(self.capital_cost, 2),
            "revenue_cost": round(self.revenue_cost, 2),
            "funding_sought": round(self.funding_sought, 2),
            "funding_secured": round(self.funding_secured, 2),
            **{k: round(v, 2) for k, v in self.benefits.items()},
        }


@dataclass
class Dashboard:
    total: Totals
    by_stage: list[Totals]
    by_place: list[Totals]
    place_note: str


def dashboard(user: Any, filters: ProjectFilters | None = None) -> Dashboard:
    """Totals of the projects the user may see: all, by stage and by place served.

    A project serving several places counts in each of them (so places do not sum to the
    total, which counts each project once). Withdrawn projects are left out of every total.
    """
    projects = list(with_related(pipeline(user, filters)).exclude(stage=Stage.WITHDRAWN))
    total = Totals("All projects")
    stages = {s: Totals(Stage(s).label) for s in [*STAGE_ORDER, Stage.PAUSED]}
    for project in projects:
        total.add(project)
        if project.stage in stages:
            stages[project.stage].add(project)
    areas = {a.pk: a for p in projects for a in p.places.all()}
    groups = sources.place_groups(areas.values())
    uses_places = any(groups.values())
    by_place: dict[str, Totals] = {}
    for project in projects:
        names: set[str] = set()
        for area in project.places.all():
            found = groups.get(area.pk) or []
            if uses_places:
                names |= {a.name for a in found}
            else:
                names.add(area.name)
        for name in sorted(names) or ["No place given"]:
            by_place.setdefault(name, Totals(name)).add(project)
    note = (
        "By PLACE area: a project counts in each PLACE area it serves or lies within."
        if uses_places
        else "By the places served (no PLACE areas are loaded): a project counts in each."
    )
    return Dashboard(
        total=total,
        by_stage=list(stages.values()),
        by_place=sorted(by_place.values(), key=lambda t: t.label),
        place_note=note,
    )


# --- locations ----------------------------------------------------------------------------------


def locations(user: Any, projects: Iterable[Project]) -> dict[int, tuple[float, float, str]]:
    """``{project id: (lon, lat, how)}``: the centre of the assets it uses that the user may see,
    else the centre of the places it serves."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    assets = visible(user, Asset.objects.filter(lon__isnull=False, lat__isnull=False))
    points: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for project_id, lon, lat in ProjectAsset.objects.filter(
        project_id__in=ids, asset__in=assets
    ).values_list("project_id", "asset__lon", "asset__lat"):
        if lon is not None and lat is not None:
            points[project_id].append((float(lon), float(lat)))
    found: dict[int, tuple[float, float, str]] = {}
    for project_id, pts in points.items():
        found[project_id] = (
            sum(p[0] for p in pts) / len(pts),
            sum(p[1] for p in pts) / len(pts),
            "assets",
        )
    rest = [p for p in projects if p.pk not in found]
    areas = {a.pk: a for p in rest for a in p.places.all()}
    centres = sources.centroids(areas.values())
    for project in rest:
        pts = [centres[a.pk] for a in project.places.all() if a.pk in centres]
        if pts:
            found[project.pk] = (
                sum(p[0] for p in pts) / len(pts),
                sum(p[1] for p in pts) / len(pts),
                "places",
            )
    return found


# --- bundles ------------------------------------------------------------------------------------


def bundles(user: Any, filters: ProjectFilters | None = None) -> list[bundling.Bundle]:
    """Bundles of the active projects the user may see that share a district or an asset."""
    projects = list(with_related(pipeline(user, filters)).filter(stage__in=ACTIVE_STAGES))
    areas = {a.pk: a for p in projects for a in p.places.all()}
    districts = sources.districts_of(areas.values())
    seen_assets = visible(user, Asset.objects.all())
    asset_names: dict[int, set[str]] = defaultdict(set)
    for project_id, name in ProjectAsset.objects.filter(
        project__in=[p.pk for p in projects], asset__in=seen_assets
    ).values_list("project_id", "asset__name"):
        asset_names[project_id].add(name)
    items = [
        bundling.Item(
            id=p.pk,
            reference=p.reference,
            title=p.title,
            districts=frozenset(d for a in p.places.all() for d in districts.get(a.pk, ())),
            assets=frozenset(asset_names.get(p.pk, ())),
            capital_cost=float(p.capital_cost or 0),
            revenue_cost=float(p.revenue_cost or 0),
            benefits=tuple((b.key, float(getattr(p, f"{b.key}_forecast") or 0)) for b in BENEFITS),
            organisations=frozenset(o.name for o in organisations_of(p)),
        )
        for p in projects
    ]
    return bundling.find_bundles(items)


# --- readiness ----------------------------------------------------------------------------------


def criteria_of(opportunity: FundingOpportunity) -> ready.Criteria:
    return ready.Criteria(
        name=opportunity.name,
        themes=tuple(t.name for t in opportunity.themes.all()),
        area_types=tuple(opportunity.area_types or ()),
        min_need_decile=opportunity.min_need_decile,
        stage_required=opportunity.stage_required,
        max_grant=_float(opportunity.max_grant),
        match_funding_percent=opportunity.match_funding_percent,
        required_sectors=tuple(opportunity.required_sectors or ()),
        deadline=opportunity.deadline,
    )


def position_of(
    project: Project, opportunity: FundingOpportunity, need: sources.NeedReader
) -> ready.Position:
    places = list(project.places.all())
    deciles = [r.decile for a in places if (r := need.get(a, None)) is not None and r.decile]
    if not deciles:
        deciles = [
            r.decile
            for a in places
            for t in project.themes.all()
            if (r := need.get(a, t.slug)) is not None and r.decile
        ]
    asked = None
    secured_elsewhere = 0.0
    for line in project.funding.all():
        for_this = line.opportunity_id == opportunity.pk or (
            line.opportunity_id is None
            and line.funder.strip().lower() == opportunity.funder.lower()
        )
        if for_this:
            asked = (asked or 0.0) + float(line.amount_sought or 0)
        else:
            secured_elsewhere += float(line.amount_secured or 0)
    return ready.Position(
        title=project.title,
        stage=project.stage,
        themes=tuple(t.name for t in project.themes.all()),
        area_types=tuple(sorted({a.type for a in places})),
        best_need_decile=min(deciles) if deciles else None,
        capital_cost=_float(project.capital_cost),
        asked_of_fund=asked,
        secured_elsewhere=secured_elsewhere,
        sectors=tuple(sorted({sector_group(o.sector) for o in organisations_of(project)})),
    )


def readiness(
    projects: Iterable[Project], opportunity: FundingOpportunity, *, today: date | None = None
) -> list[tuple[Project, ready.Readiness]]:
    """Each project's readiness for ``opportunity``: the readiest first, then by title."""
    need = sources.NeedReader()
    criteria = criteria_of(opportunity)
    results = [
        (p, ready.check(criteria, position_of(p, opportunity, need), today=today)) for p in projects
    ]
    results.sort(key=lambda pr: (len(pr[1].missing), pr[0].title.lower(), pr[0].pk))
    return results


# --- history ------------------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: Any
    who: str
    action: str
    changes: list[Change]


ACTIONS = {
    "create": "Added the project",
    "update": "Changed details",
    "change_stage": "Moved stage",
    "add_partner": "Added or changed a partner",
    "remove_partner": "Removed a partner",
    "link_asset": "Linked an asset",
    "unlink_asset": "Unlinked an asset",
    "add_risk": "Added a risk",
    "close_risk": "Closed a risk",
    "add_funding": "Added funding",
    "remove_funding": "Removed funding",
    "add_key_date": "Added a key date",
    "remove_key_date": "Removed a key date",
    "link_indicator": "Linked an inequality",
    "unlink_indicator": "Unlinked an inequality",
    "add_document": "Added a document",
    "delete_document": "Removed a document",
}


class Describer:
    """Turns stored change values into words, naming only what the user may see."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._orgs: dict[int, str] | None = None
        self._areas: dict[int, str] = {}
        self._themes: dict[int, str] | None = None
        self._assets: dict[int, str] | None = None

    def label(self, name: str) -> str:
        if name in ("stage", "reason", "asset", "risk"):
            return {"stage": "Stage", "reason": "Reason", "asset": "Asset", "risk": "Risk"}[name]
        if ":" in name:
            kind, _, rest = name.partition(":")
            return f"{kind.strip().capitalize()}: {rest.strip()}"
        try:
            verbose = str(getattr(Project._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # an old field name in the history: show it as stored
            verbose = name.replace("_", " ")
        return verbose[:1].upper() + verbose[1:]

    def value(self, name: str, value: Any) -> str:
        if value is None or value == "" or value == []:
            return "–"
        if name == "lead":
            if self._orgs is None:
                self._orgs = dict(Organisation.objects.values_list("pk", "name"))
            return self._orgs.get(int(value), f"organisation {value}")
        if name == "places":
            missing = [v for v in value if v not in self._areas]
            if missing:
                self._areas.update(Area.objects.filter(pk__in=missing).values_list("pk", "name"))
            return ", ".join(self._areas.get(v, f"area {v}") for v in value)
        if name == "themes":
            if self._themes is None:
                self._themes = dict(Theme.objects.values_list("pk", "name"))
            return ", ".join(self._themes.get(v, f"theme {v}") for v in value)
        if name == "asset" and isinstance(value, dict):
            return self._asset(value)
        if name == "stage":
            return Stage(value).label if value in Stage.values else str(value)
        if name in ("project_type",) and value in ProjectType.values:
            return ProjectType(value).label
        if (
            name.endswith("_cost")
            or name.startswith(("capital_receipts", "running_cost"))
            or name in ("sought", "secured")
        ):
            try:
                return f"£{Decimal(str(value)):,.0f}"
            except ArithmeticError:
                return str(value)
        if isinstance(value, dict):
            return "; ".join(
                f"{k}: {self.value(k, v) if v is not None else '–'}" for k, v in value.items()
            )
        return str(value)

    def _asset(self, value: dict[str, Any]) -> str:
        role = str(value.get("role", "")).capitalize()
        asset_id = value.get("asset_id")
        if asset_id is None:
            return f"{role}: {value.get('description') or 'a new building'}"
        if self._assets is None:
            self._assets = dict(visible(self.user, Asset.objects.all()).values_list("pk", "name"))
        name = self._assets.get(int(asset_id), "an asset you cannot see")
        return f"{role}: {name}"


def describe_changes(changes: Mapping[str, Any], describer: Describer) -> list[Change]:
    result = []
    for name, pair in changes.items():
        if name == "version" or not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        result.append(
            Change(
                describer.label(name),
                describer.value(name, pair[0]),
                describer.value(name, pair[1]),
            )
        )
    return result


def history(project: Project, user: Any, limit: int = 200) -> list[HistoryEntry]:
    """Every recorded change to the project, newest first: who, when, what changed."""
    describer = Describer(user)
    events = AuditEvent.objects.filter(
        object_type=Project._meta.label_lower, object_id=str(project.pk)
    ).select_related("actor")[:limit]
    return [
        HistoryEntry(
            when=event.created_at,
            who=event.actor.get_username() if event.actor else "Administrator (command line)",
            action=ACTIONS.get(event.action, event.action.replace("_", " ").capitalize()),
            changes=describe_changes(event.changes or {}, describer),
        )
        for event in events
    ]
