"""An illustrative pipeline for the North Midlands demo, from ``data/sample_pipeline/``.

About 30 invented One Public Estate-style projects across the 12 PLACE areas and every stage,
with partners from the demo organisations, the sample estate's assets, costs, benefits, funding,
risks and a dated stage history; three invented funding rounds. Everything is flagged
``is_sample`` and labelled "Sample data". Some projects are shared with partners only, and three
are confidential to their organisations — among them a County Council disposal that the
Nottinghamshire Police viewer ``inspector.police`` never sees.

Idempotent: projects and funding opportunities are keyed by their reference and slug, and ones
already there are left as they are (they may have been edited in the demo).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from placeworks.estate.models import Asset
from placeworks.partners.models import Organisation
from placeworks.places.models import Area, AreaLink
from placeworks.themes.models import Theme

from . import services, sources
from .models import STAGE_ORDER, FundingOpportunity, Project, Stage

SAMPLE = Path(settings.BASE_DIR) / "data" / "sample_pipeline" / "projects.yaml"
STEP_DAYS = 120  # generated stage histories: one stage every four months


def _money(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _district(code: str) -> Area | None:
    return Area.objects.filter(type="lad", code=code).order_by("-is_active", "-vintage").first()


def _place_of(district: Area) -> Area | None:
    link = (
        AreaLink.objects.filter(descendant=district, ancestor__type="place")
        .select_related("ancestor")
        .order_by("depth")
        .first()
    )
    return link.ancestor if link else None


def _path(stage: str) -> list[str]:
    """The stages a project passed through to reach ``stage``."""
    if stage in STAGE_ORDER:
        return STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]
    return [*STAGE_ORDER[: STAGE_ORDER.index(Stage.FEASIBILITY) + 1], stage]


def _dates(started: dt.date, moves: int) -> list[dt.datetime]:
    today = timezone.localdate() - dt.timedelta(days=14)
    step = dt.timedelta(days=STEP_DAYS)
    end = min(today, started + step * moves) if moves else started
    span = (end - started) / moves if moves else dt.timedelta(0)
    tz = timezone.get_current_timezone()
    return [
        dt.datetime.combine(started + span * i, dt.time(10, 0), tzinfo=tz) for i in range(moves + 1)
    ]


def load_opportunities(items: list[dict[str, Any]]) -> tuple[dict[str, FundingOpportunity], int]:
    found: dict[str, FundingOpportunity] = {}
    created = 0
    for item in items:
        existing = FundingOpportunity.objects.filter(slug=item["slug"]).first()
        if existing is not None:
            found[item["slug"]] = existing
            continue
        found[item["slug"]] = services.save_funding_opportunity(
            by=None,
            themes=list(Theme.objects.filter(slug__in=item.get("themes") or [])),
            slug=item["slug"],
            name=item["name"],
            funder=item["funder"],
            description=item.get("description", ""),
            area_types=item.get("area_types") or [],
            min_need_decile=item.get("min_need_decile"),
            stage_required=item.get("stage_required") or "",
            max_grant=_money(item.get("max_grant")),
            match_funding_percent=item.get("match_funding_percent"),
            required_sectors=item.get("required_sectors") or [],
            deadline=timezone.localdate() + dt.timedelta(days=int(item["deadline_days"]))
            if item.get("deadline_days")
            else None,
            is_sample=True,
        )
        created += 1
    return found, created


def load_project(
    item: dict[str, Any],
    organisations: dict[str, Organisation],
    opportunities: dict[str, FundingOpportunity],
    counts: Counter[str],
) -> Project:
    districts = [d for d in (_district(code) for code in item.get("districts", [])) if d]
    counts["districts missing"] += len(item.get("districts", [])) - len(districts)
    places: list[Area] = list(districts)
    if item.get("place_wide"):
        wide = {p.pk: p for p in (_place_of(d) for d in districts) if p is not None}
        if wide:
            places = list(wide.values())
    path = _path(item["stage"])
    dates = _dates(dt.date.fromisoformat(str(item["started"])), len(path) - 1)
    benefits = {
        f"{key}_{when}": (value if key in ("homes_enabled", "jobs_created") else _money(value))
        for key, pair in (item.get("benefits") or {}).items()
        for when, value in zip(("forecast", "achieved"), pair, strict=True)
        if value is not None
    }
    project = services.create_project(
        by=None,
        reference=item["ref"],
        lead=organisations[item["lead"]],
        title=item["title"],
        summary=item.get("summary", "").strip(),
        project_type=item.get("type", "other"),
        visibility=item.get("visibility", "partners"),
        stage=path[0],
        at=dates[0],
        reason="Idea raised (sample history)",
        places=places,
        themes=list(Theme.objects.filter(slug__in=item.get("themes") or [])),
        partners=[(organisations[name], role) for name, role in item.get("partners") or []],
        rag_status=item.get("rag", ""),
        rag_reason=item.get("rag_reason", ""),
        capital_cost=_money(item.get("capital_cost")),
        revenue_cost=_money(item.get("revenue_cost")),
        service_outcomes_forecast=item.get("service_outcomes", ""),
        service_outcomes_achieved=item.get("service_outcomes_achieved", ""),
        is_sample=True,
        **benefits,
    )
    for stage, when in zip(path[1:], dates[1:], strict=True):
        last = stage == path[-1]
        reason = item.get("reason", "") if last and item.get("reason") else ""
        project = services.change_stage(
            by=None,
            project=project,
            stage=stage,
            expected_version=project.version,
            reason=reason or "Agreed by the place board (sample history)",
            at=when,
        )
    for funder, sought, secured, *rest in item.get("funding") or []:
        services.add_funding(
            by=None,
            project=project,
            funder=funder,
            amount_sought=_money(sought),
            amount_secured=_money(secured),
            opportunity=opportunities.get(rest[0]) if rest else None,
        )
    for severity, description, *mitigation in item.get("risks") or []:
        services.add_risk(
            by=None,
            project=project,
            severity=severity,
            description=description,
            mitigation=mitigation[0] if mitigation else "",
        )
    for reference, role in item.get("assets") or []:
        asset = Asset.objects.filter(reference=reference).order_by("-is_sample", "pk").first()
        if asset is None and role == "new":
            services.link_asset(by=None, project=project, role=role, description=reference)
        elif asset is None:
            counts["assets missing"] += 1
        else:
            services.link_asset(by=None, project=project, asset=asset, role=role)
            counts["assets linked"] += 1
    for label, date in item.get("dates") or []:
        services.add_key_date(
            by=None, project=project, label=label, date=dt.date.fromisoformat(str(date))
        )
    counts[f"visibility {project.visibility}"] += 1
    return project


def load(stdout: TextIO, *, password: str = "", path: Path = SAMPLE) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = {
        name
        for item in data["projects"]
        for name in [item["lead"], *(p[0] for p in item.get("partners") or [])]
    }
    organisations = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    missing = sorted(names - set(organisations))
    if missing:
        raise LookupError(
            f"The demo organisations {', '.join(missing)} are missing: load the partners demo "
            "first (`manage.py load_demo` does it in order)."
        )
    counts: Counter[str] = Counter()
    with transaction.atomic():
        opportunities, new_rounds = load_opportunities(data.get("funding_opportunities") or [])
        created = 0
        for item in data["projects"]:
            if Project.objects.filter(reference=item["ref"]).exists():
                continue
            load_project(item, organisations, opportunities, counts)
            created += 1
    sample = Project.objects.filter(is_sample=True)
    served = Area.objects.filter(projects__in=sample).distinct()
    reached = {a.name for found in sources.place_groups(served).values() for a in found}
    stdout.write(
        f"  pipeline: {len(data['projects'])} sample projects ({created} created, "
        f"{len(data['projects']) - created} already there) in "
        f"{len(set(sample.values_list('stage', flat=True)))} stages; "
        f"{len(opportunities)} sample funding opportunities ({new_rounds} created)\n"
    )
    if created:
        stdout.write(
            f"  pipeline: {counts['assets linked']} sample assets linked"
            + (
                f", {counts['assets missing']} not found (load the estate demo for them)"
                if counts["assets missing"]
                else ""
            )
            + (
                f"; {counts['districts missing']} district codes not found (load the places "
                "demo for them)"
                if counts["districts missing"]
                else ""
            )
            + f"; the projects serve {len(reached)} PLACE areas\n"
        )
    stdout.write(
        "  pipeline: visibility — "
        + ", ".join(
            f"{v}: {sample.filter(visibility=v).count()}"
            for v in ("public", "partners", "organisation")
        )
        + ". Sign in as programme.manager (Nottinghamshire County Council) to see the confidential "
        "County Hall annexe disposal; inspector.police (Nottinghamshire Police) never sees it.\n"
    )
