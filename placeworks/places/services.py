"""Writes to the geography. Keyword-only, taking the acting user as ``by=`` (None is the trusted
operator at the command line), checking ``Permission.IMPORT_GEOGRAPHY``, running in a
transaction, recording changes made in the web interface in the audit log, and refreshing what
depends on areas and relations (the closure, derived boundaries, map shapes, populations, the
point-in-area indexes) before returning.

Importers (``placeworks.places.ingest``) call ``refresh`` at the end of their write, inside the
importer's transaction, so an import and everything derived from it commit together or not at
all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from placeworks.audit.services import record
from placeworks.geo import overlap_weights
from placeworks.partners.permissions import Permission, has_permission

from . import store
from .codes import code_problem
from .models import GROUPING_TYPES, Area, AreaRelation, AreaType, Crosswalk
from .queries import bump_geography_version


def check_permission(by: Any) -> None:
    """``by=None`` is the operator at the command line; anyone else needs the permission."""
    if by is not None and not has_permission(by, Permission.IMPORT_GEOGRAPHY):
        raise PermissionDenied("Only platform administrators can change the geography.")


@dataclass
class RefreshReport:
    links: store.LinkCounts | None = None
    derived: store.DerivedCounts | None = None
    shapes: int = 0
    populations: store.PopulationCounts | None = None
    apportioned: store.PopulationCounts | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [str(part) for part in (self.links, self.derived) if part is not None]
        if self.shapes:
            lines.append(f"map shapes: {self.shapes} written")
        if self.apportioned is not None and (
            self.apportioned.apportioned or self.apportioned.cleared
        ):
            lines.append(
                f"populations apportioned between vintages: {self.apportioned.apportioned}"
            )
        if self.populations is not None:
            lines.append(str(self.populations))
        return lines + self.notes


def refresh(
    *,
    by: Any = None,
    touched: Iterable[int] | None = None,
    geometry_changed: Iterable[int] = (),
) -> RefreshReport:
    """Bring everything derived from areas and relations up to date.

    ``touched``: ids of areas whose relations or geometry changed (None: everything). Their
    ancestors' derived boundaries are recomputed; ``geometry_changed`` areas get new map shapes
    (pass boundary-file areas through ``store.build_shapes(..., as_layer=True)`` yourself first).
    """
    check_permission(by)
    report = RefreshReport()
    with transaction.atomic():
        report.links = store.rebuild_links()
        touched_ids = None if touched is None else set(touched)
        report.derived = store.derive_geometries(touched_ids)
        changed = set(report.derived.changed_ids) | set(geometry_changed)
        if changed:
            report.shapes = store.build_shapes(sorted(changed))
        report.apportioned, notes = store.apportion_populations()
        report.notes.extend(notes)
        report.populations = store.rollup_populations()
        bump_geography_version()
        transaction.on_commit(bump_geography_version)
    return report


def rebuild_everything(*, by: Any = None) -> RefreshReport:
    """Recompute the closure, every derived boundary, any missing map shapes and populations."""
    check_permission(by)
    with transaction.atomic():
        report = refresh(by=by, touched=None)
        missing = store.missing_shapes(Area.objects.values_list("id", flat=True))
        if missing:
            report.shapes += store.build_shapes(missing)
    return report


# --- groupings ----------------------------------------------------------------------------------


def _grouping_snapshot(area: Area) -> dict[str, Any]:
    return {
        "name": area.name,
        "type": area.type,
        "description": area.description,
        "members": sorted(
            AreaRelation.objects.filter(parent=area, kind=AreaRelation.Kind.MEMBER).values_list(
                "child__code", flat=True
            )
        ),
    }


def containers(grouping_id: int) -> set[int]:
    """The groupings ``grouping_id`` belongs to, directly or through other groupings.

    Only memberships count: that a PLACE area lies in its county (``store.contain_groupings``)
    follows from its members, so making the county a member just means it no longer does."""
    found: set[int] = set()
    frontier = {grouping_id}
    while frontier:
        frontier = (
            set(
                AreaRelation.objects.filter(child_id__in=list(frontier)).values_list(
                    "parent_id", flat=True
                )
            )
            - found
        )
        found |= frontier
    return found


def would_cycle(grouping: Area | None, members: Sequence[Area]) -> Area | None:
    """A member that already contains the grouping (adding it would put an area inside
    itself), or None."""
    if grouping is None or grouping.pk is None:
        return None
    inside = containers(grouping.pk) | {grouping.pk}
    return next((m for m in members if m.pk in inside), None)


def save_grouping(
    *,
    by: Any,
    name: str,
    members: Sequence[Area],
    type: str = AreaType.PLACE,  # noqa: A002
    code: str | None = None,
    description: str = "",
    source: str = "",
    area: Area | None = None,
    refresh_after: bool = True,
) -> Area:
    """Create or change a grouping (a PLACE area or neighbourhood): a named set of areas.

    Members replace the grouping's previous members. ``area`` is the grouping being changed;
    otherwise ``code`` (generated from the name when not given) finds or creates it.
    """
    check_permission(by)
    if type not in GROUPING_TYPES:
        raise ValidationError(f"A grouping is a PLACE area or a neighbourhood, not ‘{type}’.")
    name = (name or "").strip()
    if not name:
        raise ValidationError("Give the grouping a name.")
    if not members:
        raise ValidationError("A grouping needs at least one member area.")
    if any(m.pk is None for m in members):
        raise ValidationError("Every member must be a loaded area.")
    with transaction.atomic():
        if area is None:
            code = (code or "").strip().upper() or generate_code(type, name)
            problem = code_problem(type, code)
            if problem:
                raise ValidationError(problem)
            area = Area.objects.filter(type=type, code=code, vintage="").first()
        before = _grouping_snapshot(area) if area is not None else {}
        if area is None:
            area = Area.objects.create(type=type, code=code or "", vintage="", name=name[:200])
        cycle = would_cycle(area, members)
        if cycle is not None:
            raise ValidationError(
                f"{cycle.name} ({cycle.code}) contains {area.name}: it cannot also be a member."
            )
        area.name = name[:200]
        area.description = description
        area.type = type
        area.save(update_fields=["name", "description", "type"])
        counts = store.set_members(area, [m.pk for m in members], source=source or "web")
        after = _grouping_snapshot(area)
        if by is not None and before != after:
            from placeworks.audit.services import diff

            record(
                by=by,
                action="create grouping" if not before else "change grouping",
                obj=area,
                changes=diff(before, after),
            )
        if refresh_after:
            refresh(by=by, touched=counts.touched | {area.pk})
            area.refresh_from_db()
    return area


def delete_grouping(*, by: Any, area: Area) -> None:
    """Remove a grouping (its member areas stay)."""
    check_permission(by)
    if area.type not in GROUPING_TYPES:
        raise ValidationError("Only PLACE areas and neighbourhoods can be removed here.")
    with transaction.atomic():
        members = list(AreaRelation.objects.filter(parent=area).values_list("child_id", flat=True))
        if by is not None:
            record(by=by, action="delete grouping", obj=area, changes=_grouping_snapshot(area))
        area.delete()
        refresh(by=by, touched=members)


def code_from_name(area_type: str, name: str) -> str:
    """A readable code for a grouping, from its name (at most 20 characters).

    >>> code_from_name("place", "Mid-Nottinghamshire")
    'PLACE-MID-NOTTINGHAM'
    >>> code_from_name("neighbourhood", "Bellamy Road & Ravensdale")
    'NBH-BELLAMY-ROAD-RAV'
    """
    import re

    prefix = "PLACE" if area_type == AreaType.PLACE else "NBH"
    stem = re.sub(r"[^A-Z0-9]+", "-", name.upper()).strip("-") or "AREA"
    return f"{prefix}-{stem}"[:20].rstrip("-")


def generate_code(area_type: str, name: str) -> str:
    """``code_from_name``, numbered (``-2``, ``-3`` …) if another area of the type has it."""
    base = code = code_from_name(area_type, name)
    number = 2
    while Area.objects.filter(type=area_type, code=code).exists():
        suffix = f"-{number}"
        code = base[: 20 - len(suffix)].rstrip("-") + suffix
        number += 1
    return code


# --- coverage -----------------------------------------------------------------------------------


def mark_partial(*, by: Any, area: Area, note: str, partial: bool = True) -> Area:
    """Record that only part of an area is loaded (so its totals and outline are not shown)."""
    check_permission(by)
    with transaction.atomic():
        changed = area.is_partial != partial or area.coverage_note != note
        if changed:
            before = {"is_partial": area.is_partial, "coverage_note": area.coverage_note}
            area.is_partial = partial
            area.coverage_note = note
            area.save(update_fields=["is_partial", "coverage_note"])
            if by is not None:
                from placeworks.audit.services import diff

                record(
                    by=by,
                    action="change coverage",
                    obj=area,
                    changes=diff(before, {"is_partial": partial, "coverage_note": note}),
                )
            refresh(by=by, touched=[area.pk])
    return area


@dataclass
class NestingReport:
    linked: int
    not_nesting: list[str]
    without_base: int

    def summary(self, child_type: str, parent_type: str) -> str:
        text = f"{self.linked} {child_type} areas linked to the {parent_type} they lie in"
        if self.not_nesting:
            text += (
                f"; {len(self.not_nesting)} lie in more than one {parent_type} and were left "
                "unlinked: " + ", ".join(self.not_nesting[:10])
            )
        if self.without_base:
            text += f"; {self.without_base} have no LSOAs to judge by"
        return text + "."


def infer_nesting(
    *, by: Any, child_type: str, parent_type: str, vintage: str | None = None
) -> NestingReport:
    """Link each area of ``child_type`` to the ``parent_type`` area all its LSOAs lie in.

    For geographies built from LSOAs whose lookup names no parent (MSOA → district). An area
    whose LSOAs lie in several parents does not nest and is left unlinked (and listed).
    """
    from collections import defaultdict

    from .models import AreaLink

    check_permission(by)
    children = Area.objects.filter(type=child_type)
    if vintage:
        children = children.filter(vintage=vintage)
    child_ids = list(children.values_list("id", flat=True))
    lsoas: dict[int, set[int]] = defaultdict(set)
    for chunk in store.chunks(child_ids):
        for ancestor_id, descendant_id in AreaLink.objects.filter(
            ancestor_id__in=chunk, descendant__type=AreaType.LSOA
        ).values_list("ancestor_id", "descendant_id"):
            lsoas[ancestor_id].add(descendant_id)
    all_lsoas = sorted({i for ids in lsoas.values() for i in ids})
    parent_of: dict[int, set[int]] = defaultdict(set)
    for chunk in store.chunks(all_lsoas):
        for descendant_id, ancestor_id in AreaLink.objects.filter(
            descendant_id__in=chunk, ancestor__type=parent_type
        ).values_list("descendant_id", "ancestor_id"):
            parent_of[descendant_id].add(ancestor_id)
    codes = dict(children.values_list("id", "code"))
    parents: dict[int, dict[str, int]] = {}
    not_nesting: list[str] = []
    without = 0
    for child_id in child_ids:
        found = (
            set().union(*(parent_of[i] for i in lsoas.get(child_id, ())))
            if lsoas.get(child_id)
            else set()
        )
        if not found:
            without += 1
        elif len(found) == 1:
            parents[child_id] = {parent_type: next(iter(found))}
        else:
            not_nesting.append(codes[child_id])
    with transaction.atomic():
        counts = store.set_within_parents(parents, source=f"inferred from LSOAs ({parent_type})")
        refresh(by=by, touched=counts.touched)
    return NestingReport(len(parents), sorted(not_nesting), without)


# --- crosswalks -----------------------------------------------------------------------------------


@dataclass
class CrosswalkReport:
    crosswalk: Crosswalk
    counts: store.WeightCounts
    sources: int
    unmatched: list[str]
    low_coverage: list[tuple[str, float]]

    def summary(self) -> str:
        lines = [
            f"{self.crosswalk.name}: {self.sources} source areas; {self.counts}.",
        ]
        if self.unmatched:
            lines.append(
                f"{len(self.unmatched)} source areas overlap no target: "
                + ", ".join(self.unmatched[:20])
            )
        if self.low_coverage:
            lines.append(
                f"{len(self.low_coverage)} source areas are less than 95% covered by targets: "
                + ", ".join(f"{code} ({share:.0%})" for code, share in self.low_coverage[:20])
            )
        return "\n".join(lines)


def build_overlap_crosswalk(
    *,
    by: Any,
    source_type: str,
    source_vintage: str,
    target_type: str,
    target_vintage: str,
    name: str | None = None,
    only_unmatched_codes: bool = False,
) -> CrosswalkReport:
    """Weights from each source area to the target areas it overlaps, by area (measured in
    British National Grid; slivers under 0.1% dropped and shares renormalised to sum to 1: see
    ``placeworks.geo.overlap``). Re-running updates the weights in place.

    ``only_unmatched_codes`` leaves out sources whose code is also a target (an unchanged ward
    kept its code, so it maps to itself).
    """
    check_permission(by)
    sources = Area.objects.filter(
        type=source_type, vintage=source_vintage, geometry_wkb__isnull=False
    )
    targets = Area.objects.filter(
        type=target_type, vintage=target_vintage, geometry_wkb__isnull=False
    )
    source_rows = [(pk, code) for pk, code in sources.values_list("id", "code")]
    target_rows = [(pk, code) for pk, code in targets.values_list("id", "code")]
    if only_unmatched_codes:
        target_codes = {code for _, code in target_rows}
        source_rows = [(pk, code) for pk, code in source_rows if code not in target_codes]
    name = name or (
        f"{source_type} {source_vintage} to {target_type} {target_vintage} (area overlap)"
    )
    geometries = store.load_geometries([pk for pk, _ in source_rows + target_rows])
    overlap = overlap_weights(
        [(code, geometries[pk]) for pk, code in source_rows],
        [(code, geometries[pk]) for pk, code in target_rows],
    )
    source_ids = {code: pk for pk, code in source_rows}
    target_ids = {code: pk for pk, code in target_rows}
    weights = {
        (source_ids[w.source_code], target_ids[w.target_code]): w.share_of_source for w in overlap
    }
    low = sorted(
        ((code, share) for code, share in overlap.coverage.items() if share < 0.95),
        key=lambda item: item[1],
    )
    description = (
        f"Area overlap of boundaries: each {source_type} {source_vintage} is split across the "
        f"{target_type} {target_vintage} areas it overlaps in proportion to the overlapping area "
        "(British National Grid; overlaps under 0.1% of the source dropped as slivers; shares "
        f"renormalised to sum to 1). {len(source_rows)} sources, {len(overlap.unmatched)} "
        "overlapping nothing."
    )
    with transaction.atomic():
        crosswalk, _ = Crosswalk.objects.update_or_create(
            name=name[:200],
            defaults={
                "source_type": source_type,
                "source_vintage": source_vintage,
                "target_type": target_type,
                "target_vintage": target_vintage,
                "method": Crosswalk.Method.OVERLAP,
                "description": description,
            },
        )
        counts = store.save_weights(crosswalk, weights)
    return CrosswalkReport(crosswalk, counts, len(source_rows), list(overlap.unmatched), low)
