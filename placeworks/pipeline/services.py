"""Writes to the pipeline: projects, their stage, partners, assets, risks, funding, dates,
inequalities and documents; funding opportunities; a draft project from an estate opportunity.

Every function is keyword-only and takes the acting user as ``by=`` (``None`` is the trusted
operator at the command line, e.g. the demo loader). Each checks ``Permission.EDIT_PROJECT`` on the
project (``MANAGE_FUNDING`` for funding opportunities) through the one permission layer, runs in
a transaction and records an audit event on the project with the changed fields.

Concurrency: the project's own fields and its stage carry a ``version``. ``update_project`` and
``change_stage`` take the version the editor started from and write with a conditional
``UPDATE … WHERE version = expected``; when someone saved in between, nothing is written and
``ConflictError`` names who changed what, and when (from the audit trail). ``rebase`` then merges
the editor's input onto the current record so the form can show both and nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from placeworks.audit.models import AuditEvent
from placeworks.audit.services import diff, record
from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import (
    Permission,
    has_permission,
    is_platform_admin,
    organisations_where,
)
from placeworks.places.models import Area
from placeworks.themes.models import Theme

from . import documents, sources
from .models import (
    BENEFITS,
    STAGE_ORDER,
    AssetRole,
    EvidenceDocument,
    FundingLine,
    FundingOpportunity,
    KeyDate,
    PartnerRole,
    Project,
    ProjectAsset,
    ProjectIndicator,
    ProjectPartner,
    ProjectType,
    Risk,
    Stage,
    StageChange,
)

# The project's own fields, edited together on its form and guarded by ``version``.
SCALAR_FIELDS: tuple[str, ...] = (
    "title",
    "summary",
    "lead",
    "project_type",
    "visibility",
    "rag_status",
    "rag_reason",
    "capital_cost",
    "revenue_cost",
    *(f"{b.key}_{when}" for b in BENEFITS for when in ("forecast", "achieved")),
    "service_outcomes_forecast",
    "service_outcomes_achieved",
    "start_date",
    "end_date",
    "notes",
)
RELATION_FIELDS: tuple[str, ...] = ("places", "themes")
TRACKED_FIELDS: tuple[str, ...] = SCALAR_FIELDS + RELATION_FIELDS
# Stages that need a reason to move into (and any move backwards).
REASON_REQUIRED = {Stage.PAUSED, Stage.WITHDRAWN}


# --- snapshots ----------------------------------------------------------------------------------


def plain(name: str, value: Any) -> Any:
    """A field value as JSON-friendly data, identical whether it came from a form or the
    database: money as "1850000.00", dates as ISO, foreign keys and many-to-many as ids."""
    if name in RELATION_FIELDS:
        return sorted(int(getattr(v, "pk", v)) for v in (value or []))
    if name == "lead":
        return int(getattr(value, "pk", value)) if value not in (None, "") else None
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    return value


def snapshot(project: Project) -> dict[str, Any]:
    """The tracked fields of a saved project."""
    values = {
        name: plain(name, getattr(project, name if name != "lead" else "lead_id"))
        for name in SCALAR_FIELDS
    }
    values["places"] = sorted(project.places.values_list("pk", flat=True))
    values["themes"] = sorted(project.themes.values_list("pk", flat=True))
    return values


# --- conflicts ----------------------------------------------------------------------------------


def person(user: Any) -> str:
    if user is None:
        return "an administrator at the command line"
    return str(user.get_username())


def _events_since(project: Project, version: int) -> list[AuditEvent]:
    """Audit events that moved the project past ``version``, oldest first."""
    events = AuditEvent.objects.filter(
        object_type=Project._meta.label_lower, object_id=str(project.pk)
    ).select_related("actor")[:200]
    found = []
    for event in events:
        moved = event.changes.get("version") if isinstance(event.changes, dict) else None
        if (
            isinstance(moved, list)
            and len(moved) == 2
            and isinstance(moved[0], int)
            and moved[0] >= version
        ):
            found.append(event)
    return sorted(found, key=lambda e: e.changes["version"][0])


class ConflictError(Exception):
    """Someone saved the project after the editor opened it; nothing was written."""

    def __init__(self, project: Project, expected: int, current: int) -> None:
        self.project = project
        self.expected = expected
        self.current = current
        self.events = _events_since(project, expected)
        latest = self.events[-1] if self.events else None
        self.by = latest.actor if latest else None
        self.at = latest.created_at if latest else project.updated_at
        self.by_name = person(self.by) if latest else "someone else"
        local = timezone.localtime(self.at)
        when = f"{local:%H:%M}"
        if local.date() != timezone.localdate():
            when += f" on {local.day} {local:%B %Y}"
        self.when = when
        super().__init__(f"Changed by {self.by_name} at {when} since you opened it.")

    @property
    def changes(self) -> dict[str, list[Any]]:
        """``{field: [value when the editor opened it, value now]}`` over all the events."""
        merged: dict[str, list[Any]] = {}
        for event in self.events:
            for name, pair in event.changes.items():
                if name == "version" or not isinstance(pair, list) or len(pair) != 2:
                    continue
                if name in merged:
                    merged[name][1] = pair[1]
                else:
                    merged[name] = list(pair)
        return {k: v for k, v in merged.items() if v[0] != v[1]}


@dataclass
class Rebased:
    """The editor's input merged onto the current record after a conflict."""

    values: dict[str, Any]  # what the form should now show (plain values)
    version: int  # the version the merged form now starts from
    theirs: dict[str, list[Any]]  # changed by others: {field: [before, now]}
    clashes: dict[str, dict[str, Any]] = field(default_factory=dict)  # {field: {theirs, yours}}


def rebase(project: Project, conflict: ConflictError, submitted: dict[str, Any]) -> Rebased:
    """Merge ``submitted`` (the editor's input, plain values) onto the project as it is now.

    Fields only the other person changed take their new value; fields only the editor changed
    keep the editor's; where both changed a field differently the editor's input is kept and the
    clash is reported so they can choose before saving again.
    """
    current = snapshot(project)
    theirs = conflict.changes
    base = dict(current)
    for name, (before, _now) in theirs.items():
        if name in base:
            base[name] = before
    values = dict(current)
    clashes: dict[str, dict[str, Any]] = {}
    for name, yours in submitted.items():
        if name not in current:
            continue
        if yours == base[name]:
            continue  # the editor left it alone: keep the current value
        values[name] = yours
        if name in theirs and current[name] != yours:
            clashes[name] = {"theirs": current[name], "yours": yours}
    return Rebased(values=values, version=project.version, theirs=theirs, clashes=clashes)


# --- permissions --------------------------------------------------------------------------------


def _authorise(by: Any, project: Project, doing: str) -> None:
    if by is None:  # the trusted operator at the command line
        return
    if not has_permission(by, Permission.EDIT_PROJECT, project):
        raise PermissionDenied(
            f"Only editors of {project.lead} or of a partner organisation of this project can "
            f"{doing}."
        )


def _authorise_lead(by: Any, lead: Organisation) -> None:
    if by is None or is_platform_admin(by):
        return
    if lead.pk not in organisations_where(by, Permission.EDIT_PROJECT):
        raise PermissionDenied(
            f"Only editors of {lead} can make it the lead organisation of a project."
        )


def may_create(user: Any) -> bool:
    return has_permission(user, Permission.EDIT_PROJECT)


def lead_choices(user: Any) -> Any:
    """Organisations the user may make the lead of a project."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk__in=organisations_where(user, Permission.EDIT_PROJECT))


# --- projects -----------------------------------------------------------------------------------


def unique_reference(title: str, *, prefix: str = "") -> str:
    base = slugify(f"{prefix} {title}".strip())[:70] or "project"
    reference, n = base, 2
    while Project.objects.filter(reference=reference).exists():
        reference = f"{base}-{n}"
        n += 1
    return reference


def _record_project(by: Any, action: str, project: Project, changes: dict[str, Any]) -> None:
    record(by=by, action=action, obj=project, changes=changes)


def create_project(
    *,
    by: Any,
    lead: Organisation,
    title: str,
    places: Iterable[Area] = (),
    themes: Iterable[Theme] = (),
    partners: Iterable[tuple[Organisation, str]] = (),
    stage: str = Stage.IDEA,
    reference: str = "",
    reason: str = "",
    at: dt.datetime | None = None,
    **fields: Any,
) -> Project:
    """A new project led by ``lead`` (the user must be an editor there); ``at`` dates its first
    stage (default: now)."""
    _authorise_lead(by, lead)
    partners = [(o, r) for o, r in partners if o.pk != lead.pk]
    for _, role in partners:
        if role not in PartnerRole.values:
            raise ValidationError(
                f"‘{role}’ is not a partner role: choose one of {', '.join(PartnerRole.values)}."
            )
    named = [o.pk for o, _ in partners]
    twice = next((o for o, _ in partners if named.count(o.pk) > 1), None)
    if twice is not None:
        raise ValidationError(f"{twice} is listed more than once as a partner.")
    project = Project(
        lead=lead, title=title, stage=stage, stage_changed_at=at or timezone.now(), **fields
    )
    project.reference = reference or unique_reference(title)
    if by is not None and getattr(by, "is_authenticated", False):
        project.created_by = by
    project.full_clean()
    with transaction.atomic():
        project.save()
        project.places.set(list(places))
        project.themes.set(list(themes))
        for organisation, role in partners:
            ProjectPartner.objects.create(project=project, organisation=organisation, role=role)
        StageChange.objects.create(
            project=project,
            from_stage="",
            to_stage=stage,
            reason=reason or "Project added",
            by=by if getattr(by, "is_authenticated", False) else None,
            changed_at=project.stage_changed_at,
        )
        changes = {k: v for k, v in diff({}, snapshot(project)).items() if v[1] not in ("", [])}
        changes["stage"] = [None, stage]
        for organisation, role in partners:
            changes[f"partner: {organisation.name}"] = [None, PartnerRole(role).label]
        changes["version"] = [0, 1]
        _record_project(by, "create", project, changes)
    return project


def update_project(*, by: Any, project: Project, expected_version: int, **fields: Any) -> Project:
    """Change the project's own fields (``TRACKED_FIELDS``), starting from ``expected_version``.

    Raises ``ConflictError`` (and writes nothing) when the project has been saved since.
    """
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        _authorise(by, current, "change this project")
        if current.version != expected_version:
            raise ConflictError(current, expected_version, current.version)
        before = snapshot(current)
        places = fields.pop("places", None)
        themes = fields.pop("themes", None)
        for name, value in fields.items():
            setattr(current, name, value)
        if current.lead_id != before["lead"]:
            _authorise_lead(by, current.lead)
        current.full_clean(exclude=["reference"])
        after = {
            name: plain(name, getattr(current, name if name != "lead" else "lead_id"))
            for name in SCALAR_FIELDS
        }
        after["places"] = plain("places", places) if places is not None else before["places"]
        after["themes"] = plain("themes", themes) if themes is not None else before["themes"]
        changes = diff(before, after)
        if not changes:
            return current
        updated = Project.objects.filter(pk=current.pk, version=expected_version).update(
            version=F("version") + 1,
            updated_at=timezone.now(),
            **{
                name if name != "lead" else "lead_id": getattr(
                    current, name if name != "lead" else "lead_id"
                )
                for name in SCALAR_FIELDS
            },
        )
        if not updated:  # someone saved between our read and our write
            latest = Project.objects.get(pk=current.pk)
            raise ConflictError(latest, expected_version, latest.version)
        if places is not None:
            current.places.set(list(places))
        if themes is not None:
            current.themes.set(list(themes))
        changes["version"] = [expected_version, expected_version + 1]
        _record_project(by, "update", current, changes)
    current.refresh_from_db()
    return current


def change_stage(
    *,
    by: Any,
    project: Project,
    stage: str,
    expected_version: int,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Project:
    """Move the project to ``stage``, recording the date and reason in its stage history.

    Pausing, withdrawing and moving backwards need a reason.
    """
    if stage not in Stage.values:
        raise ValidationError(f"‘{stage}’ is not a stage.")
    reason = reason.strip()
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        _authorise(by, current, "move this project")
        if current.version != expected_version:
            raise ConflictError(current, expected_version, current.version)
        if stage == current.stage:
            return current
        backwards = (
            current.stage in STAGE_ORDER
            and stage in STAGE_ORDER
            and STAGE_ORDER.index(stage) < STAGE_ORDER.index(current.stage)
        )
        if not reason and (stage in REASON_REQUIRED or backwards):
            label = Stage(stage).label.lower()
            raise ValidationError(
                f"Give a reason for moving the project back to {label}."
                if backwards
                else f"Give a reason why the project is {label}."
            )
        when = at or timezone.now()
        updated = Project.objects.filter(pk=current.pk, version=expected_version).update(
            stage=stage, stage_changed_at=when, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            latest = Project.objects.get(pk=current.pk)
            raise ConflictError(latest, expected_version, latest.version)
        StageChange.objects.create(
            project=current,
            from_stage=current.stage,
            to_stage=stage,
            reason=reason,
            by=by if getattr(by, "is_authenticated", False) else None,
            changed_at=when,
        )
        changes: dict[str, Any] = {
            "stage": [current.stage, stage],
            "version": [expected_version, expected_version + 1],
        }
        if reason:
            changes["reason"] = [None, reason]
        _record_project(by, "change_stage", current, changes)
    current.refresh_from_db()
    return current


def withdraw_project(*, by: Any, project: Project, reason: str, expected_version: int) -> Project:
    """Projects are never deleted (their history matters): they are withdrawn, with a reason."""
    return change_stage(
        by=by,
        project=project,
        stage=Stage.WITHDRAWN,
        expected_version=expected_version,
        reason=reason or "Withdrawn",
    )


# --- partners, assets, risks, funding, dates, inequalities --------------------------------------


def add_partner(
    *, by: Any, project: Project, organisation: Organisation, role: str = PartnerRole.DELIVERY
) -> ProjectPartner:
    _authorise(by, project, "add partners to this project")
    if organisation.pk == project.lead_id:
        raise ValidationError(f"{organisation} already leads this project.")
    if role not in PartnerRole.values:
        raise ValidationError(f"‘{role}’ is not a partner role.")
    with transaction.atomic():
        partner, created = ProjectPartner.objects.get_or_create(
            project=project, organisation=organisation, defaults={"role": role}
        )
        old_role = None if created else partner.get_role_display()
        if not created and partner.role != role:
            partner.role = role
            partner.save(update_fields=["role"])
        _record_project(
            by,
            "add_partner",
            project,
            {f"partner: {organisation.name}": [old_role, partner.get_role_display()]},
        )
    return partner


def remove_partner(*, by: Any, project: Project, organisation: Organisation) -> None:
    _authorise(by, project, "remove partners from this project")
    with transaction.atomic():
        partner = ProjectPartner.objects.filter(project=project, organisation=organisation).first()
        if partner is None:
            return
        _record_project(
            by,
            "remove_partner",
            project,
            {f"partner: {organisation.name}": [partner.get_role_display(), None]},
        )
        partner.delete()


def link_asset(
    *,
    by: Any,
    project: Project,
    role: str,
    asset: Any = None,
    description: str = "",
) -> ProjectAsset:
    """Link an estate asset (or describe a new building) as vacated, reused or new."""
    _authorise(by, project, "change the assets of this project")
    if role not in AssetRole.values:
        raise ValidationError(f"‘{role}’ is not an asset role.")
    if asset is None and not description.strip():
        raise ValidationError("Choose an asset or describe the new building or site.")
    if asset is not None and by is not None and not has_permission(by, Permission.VIEW, asset):
        raise PermissionDenied("You cannot link an asset you are not allowed to see.")
    with transaction.atomic():
        if asset is not None:
            link, _ = ProjectAsset.objects.update_or_create(
                project=project, asset=asset, defaults={"role": role, "description": description}
            )
        else:
            link = ProjectAsset.objects.create(project=project, role=role, description=description)
        _record_project(
            by,
            "link_asset",
            project,
            {
                "asset": [
                    None,
                    {"asset_id": link.asset_id, "role": role, "description": description},
                ]
            },
        )
    return link


def unlink_asset(*, by: Any, link: ProjectAsset) -> None:
    _authorise(by, link.project, "change the assets of this project")
    with transaction.atomic():
        _record_project(
            by,
            "unlink_asset",
            link.project,
            {
                "asset": [
                    {"asset_id": link.asset_id, "role": link.role, "description": link.description},
                    None,
                ]
            },
        )
        link.delete()


def add_risk(
    *, by: Any, project: Project, description: str, severity: str, mitigation: str = ""
) -> Risk:
    _authorise(by, project, "change the risks of this project")
    risk = Risk(project=project, description=description, severity=severity, mitigation=mitigation)
    risk.full_clean()
    with transaction.atomic():
        risk.save()
        _record_project(
            by,
            "add_risk",
            project,
            {"risk": [None, f"{risk.get_severity_display()}: {description}"]},
        )
    return risk


def close_risk(*, by: Any, risk: Risk) -> Risk:
    _authorise(by, risk.project, "change the risks of this project")
    with transaction.atomic():
        risk.is_open = False
        risk.save(update_fields=["is_open"])
        _record_project(
            by,
            "close_risk",
            risk.project,
            {"risk": [f"Open: {risk.description}", f"Closed: {risk.description}"]},
        )
    return risk


def add_funding(
    *,
    by: Any,
    project: Project,
    funder: str,
    amount_sought: Decimal | None = None,
    amount_secured: Decimal | None = None,
    opportunity: FundingOpportunity | None = None,
    notes: str = "",
) -> FundingLine:
    _authorise(by, project, "change the funding of this project")
    line = FundingLine(
        project=project,
        funder=funder or (opportunity.funder if opportunity else ""),
        opportunity=opportunity,
        amount_sought=amount_sought,
        amount_secured=amount_secured,
        notes=notes,
    )
    line.full_clean()
    with transaction.atomic():
        line.save()
        _record_project(
            by,
            "add_funding",
            project,
            {
                f"funding: {line.funder}": [
                    None,
                    {"sought": plain("", amount_sought), "secured": plain("", amount_secured)},
                ]
            },
        )
    return line


def remove_funding(*, by: Any, line: FundingLine) -> None:
    _authorise(by, line.project, "change the funding of this project")
    with transaction.atomic():
        _record_project(
            by,
            "remove_funding",
            line.project,
            {
                f"funding: {line.funder}": [
                    {
                        "sought": plain("", line.amount_sought),
                        "secured": plain("", line.amount_secured),
                    },
                    None,
                ]
            },
        )
        line.delete()


def add_key_date(
    *, by: Any, project: Project, label: str, date: dt.date, achieved: bool = False
) -> KeyDate:
    _authorise(by, project, "change the key dates of this project")
    key_date = KeyDate(project=project, label=label, date=date, achieved=achieved)
    key_date.full_clean()
    with transaction.atomic():
        key_date.save()
        _record_project(by, "add_key_date", project, {f"date: {label}": [None, date.isoformat()]})
    return key_date


def remove_key_date(*, by: Any, key_date: KeyDate) -> None:
    _authorise(by, key_date.project, "change the key dates of this project")
    with transaction.atomic():
        _record_project(
            by,
            "remove_key_date",
            key_date.project,
            {f"date: {key_date.label}": [key_date.date.isoformat(), None]},
        )
        key_date.delete()


def link_indicator(
    *,
    by: Any,
    project: Project,
    indicator_code: str,
    indicator_name: str = "",
    area: Area | None = None,
    baseline_value: float | None = None,
    baseline_period: str = "",
    unit: str = "",
) -> list[ProjectIndicator]:
    """Target an inequality: the indicator with its baseline for each place served (or for
    ``area``), captured now from the evidence; a baseline given by hand is used as it is."""
    _authorise(by, project, "change the inequalities this project targets")
    code = indicator_code.strip()
    if not code:
        raise ValidationError("Choose an indicator.")
    areas: Sequence[Area | None] = (
        [area] if area is not None else (list(project.places.all()) or [None])
    )
    linked = []
    with transaction.atomic():
        for where in areas:
            found = sources.baseline(code, where) if baseline_value is None else None
            value = (
                baseline_value if baseline_value is not None else (found.value if found else None)
            )
            link, _ = ProjectIndicator.objects.update_or_create(
                project=project,
                indicator_code=code,
                area=where,
                defaults={
                    "indicator_name": indicator_name or (found.name if found else code),
                    "baseline_value": value,
                    "baseline_period": baseline_period or (found.period if found else ""),
                    "unit": unit or (found.unit if found else ""),
                    "source": "Entered by hand"
                    if baseline_value is not None
                    else (
                        found.source
                        if found and found.value is not None
                        else "No observation loaded"
                    ),
                    "captured_at": timezone.now(),
                },
            )
            linked.append(link)
        _record_project(
            by,
            "link_indicator",
            project,
            {
                f"inequality: {linked[0].indicator_name}": [
                    None,
                    {
                        (link.area.name if link.area else "all places"): link.baseline_value
                        for link in linked
                    },
                ]
            },
        )
    return linked


def unlink_indicator(*, by: Any, link: ProjectIndicator) -> None:
    _authorise(by, link.project, "change the inequalities this project targets")
    with transaction.atomic():
        _record_project(
            by,
            "unlink_indicator",
            link.project,
            {f"inequality: {link.indicator_name}": [str(link.area or "all places"), None]},
        )
        link.delete()


# --- documents ----------------------------------------------------------------------------------


def add_document(
    *, by: Any, project: Project, upload: UploadedFile, title: str = "", kind: str = "other"
) -> EvidenceDocument:
    """Store an evidence document after checking its type (extension and content) and size."""
    if by is not None and not has_permission(by, Permission.UPLOAD_EVIDENCE, project):
        raise PermissionDenied(
            f"Only editors of {project.lead} or of a partner organisation can add documents."
        )
    checked = documents.validate(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = EvidenceDocument(
        project=project,
        title=(title or checked.name)[:200],
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size_bytes=checked.size,
        sha256=digest.hexdigest(),
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    with transaction.atomic():
        document.file.save(checked.name, upload, save=False)
        document.full_clean()
        document.save()
        _record_project(
            by,
            "add_document",
            project,
            {f"document: {document.title}": [None, f"{checked.name} ({checked.size:,} bytes)"]},
        )
    return document


def delete_document(*, by: Any, document: EvidenceDocument) -> None:
    if by is not None and not has_permission(by, Permission.UPLOAD_EVIDENCE, document.project):
        raise PermissionDenied("Only editors of the project's organisations can remove documents.")
    with transaction.atomic():
        _record_project(
            by,
            "delete_document",
            document.project,
            {f"document: {document.title}": [document.original_name, None]},
        )
        storage, name = document.file.storage, document.file.name
        document.delete()
        transaction.on_commit(lambda: storage.delete(name) if name else None)


# --- funding opportunities ----------------------------------------------------------------------


def _authorise_funding(by: Any) -> None:
    if by is not None and not has_permission(by, Permission.MANAGE_FUNDING):
        raise PermissionDenied("Only platform administrators can manage funding opportunities.")


def save_funding_opportunity(
    *,
    by: Any,
    opportunity: FundingOpportunity | None = None,
    themes: Iterable[Theme] | None = None,
    **fields: Any,
) -> FundingOpportunity:
    """Create (``opportunity=None``) or change a funding opportunity."""
    _authorise_funding(by)
    target = opportunity or FundingOpportunity()
    before = _funding_snapshot(target) if target.pk else {}
    for name, value in fields.items():
        setattr(target, name, value)
    if not target.slug:
        target.slug = slugify(f"{target.name}")[:80]
    target.full_clean()
    with transaction.atomic():
        target.save()
        if themes is not None:
            target.themes.set(list(themes))
        after = _funding_snapshot(target)
        changes = diff(before, after)
        if changes:
            record(by=by, action="update" if before else "create", obj=target, changes=changes)
    return target


def _funding_snapshot(opportunity: FundingOpportunity) -> dict[str, Any]:
    values = {
        f.name: plain(f.name, getattr(opportunity, f.name))
        for f in FundingOpportunity._meta.concrete_fields
        if f.name not in {"id", "created_at"}
    }
    values["themes"] = (
        sorted(opportunity.themes.values_list("slug", flat=True)) if opportunity.pk else []
    )
    return values


# --- from an estate opportunity -----------------------------------------------------------------


def project_from_opportunity(*, by: Any, key: str, lead: Organisation | None = None) -> Project:
    """A draft project (stage: idea) from an opportunity of the estate's finder, with its assets,
    places and owners filled in. The lead is ``lead``, else the first owner where the user is an
    editor, else the user's first organisation where they are."""
    from placeworks.estate.opportunities import get_opportunity

    opportunity = get_opportunity(by, key)
    if opportunity is None:
        raise ValidationError(
            "That opportunity is no longer there: the assets may have changed. Find it again."
        )
    owners = opportunity.owners
    if lead is None:
        allowed = set(lead_choices(by).values_list("pk", flat=True)) if by is not None else None
        lead = next((o for o in owners if allowed is None or o.pk in allowed), None)
        if lead is None and allowed:
            lead = Organisation.objects.filter(pk__in=allowed).order_by("name").first()
    if lead is None:
        raise PermissionDenied("Only editors of a partner organisation can make a draft project.")
    confidential = any(a.visibility == Visibility.ORGANISATION for a in opportunity.assets)
    places = [opportunity.areas[t] for t in ("place", "lad", "ward") if t in opportunity.areas]
    with transaction.atomic():
        return _draft(by, opportunity, lead, owners, places, confidential, key)


def _draft(
    by: Any,
    opportunity: Any,
    lead: Organisation,
    owners: list[Organisation],
    places: list[Area],
    confidential: bool,
    key: str,
) -> Project:
    title, summary = _draft_words(opportunity)
    project = create_project(
        by=by,
        lead=lead,
        title=title,
        summary=summary,
        project_type=ProjectType.CO_LOCATION_HUB,
        visibility=Visibility.ORGANISATION if confidential else Visibility.PARTNERS,
        places=places,
        partners=[(o, PartnerRole.LANDOWNER) for o in owners if o.pk != lead.pk],
        running_cost_savings_forecast=None,
        source_opportunity=key,
        reason="Draft made from an estate opportunity",
    )
    for member in opportunity.members:
        # Under-used, surplus or poor buildings are the ones a shared site would release.
        role = AssetRole.VACATED if member.reasons else AssetRole.REUSED
        link_asset(by=by, project=project, asset=member.asset, role=role)
    return project


def _draft_words(opportunity: Any) -> tuple[str, str]:
    """The draft's title and summary, naming only the assets every member of the project may
    see: an asset confidential to its owner (``organisation`` visibility) is counted, never
    named or costed, because the draft is seen by all of the project's organisations — while
    the finder's own explanation was written for the one person who ran it."""

    def shared(asset: Any) -> bool:
        return bool(asset.visibility != Visibility.ORGANISATION)

    where = opportunity.areas.get("ward") or opportunity.areas.get("lad")
    anchor = opportunity.anchor
    if shared(anchor):
        title = f"Shared site around {anchor.name}" + (f", {where.name}" if where else "")
    else:
        title = "Shared site" + (f" in {where.name}" if where else "")
    members = opportunity.members
    named = [m for m in members if shared(m.asset)]
    owners = {m.asset.owner_id for m in members}
    lines = [
        f"{len(members)} assets of {len(owners)} organisations lie within "
        f"{opportunity.distance_m:,} m of each other."
    ]
    for member in named:
        asset = member.asset
        lines.append(
            f"{asset.name} ({asset.owner.name})"
            + (f" is {', '.join(member.reasons)}." if member.reasons else ".")
        )
    hidden = len(members) - len(named)
    if hidden:
        lines.append(
            f"{hidden} more asset{'s' if hidden != 1 else ''} confidential to "
            f"{'their owners' if hidden != 1 else 'its owner'}."
        )
    if opportunity.need is not None:
        lines.append(f"Need where they stand: {opportunity.need.label}.")
    costs = [m.asset.annual_running_cost for m in named if m.asset.annual_running_cost is not None]
    if costs:
        lines.append(
            f"Running cost of the assets named: £{sum(costs):,.0f} a year "
            f"({len(costs)} of {len(named)} have one recorded)."
        )
    return title[:200], "Made from the opportunity finder:\n" + "\n".join(lines)
