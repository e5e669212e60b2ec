"""Boundary files: GeoJSON, zipped Shapefile or GeoPackage, in any coordinate reference system.

Reading is ``placeworks.geo.read_boundaries``: the file's CRS is detected (British National
Grid is converted to WGS84), invalid polygons are repaired with ``make_valid`` and reported as
warnings, and features that cannot be used (no geometry, a line, nothing left after repair) are
errors that reject the file. Each feature needs a code of the area type being loaded; its name
comes from a ``name`` column or the ONS name column beside the code (``LSOA21NM``).

Areas are matched by code (and, for LSOAs and MSOAs, vintage); a boundary for a code loaded in
a newer vintage is attached to it (a 2021 ward boundary whose code is unchanged in 2024) and
the area's boundary source says so. ``existing_only`` attaches boundaries to loaded areas only
and lists the rest (a UK-wide district file loaded for one region).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.utils import timezone

from placeworks.geo import BoundaryFileError, read_boundaries
from placeworks.ingest.core import BaseImporter, ImportReport, Progress

from ..codes import code_problem, read_heading
from ..models import Area, AreaRelation, AreaType
from ..store import AreaBook, as_bytes, build_shapes, chunks, geometry_values, missing_shapes, newer
from .common import error, warning


@dataclass
class ParsedBoundaries:
    vintage: str
    code_field: str
    # code -> (name, geometry, first feature number)
    features: dict[str, tuple[str, Any, int]] = field(default_factory=dict)
    crs: str = ""


class BoundaryImporter(BaseImporter):
    name = "places: boundaries"

    def __init__(
        self,
        *,
        area_type: str,
        vintage: str | None = None,
        code_field: str | None = None,
        name_field: str | None = None,
        layer: str | None = None,
        existing_only: bool = False,
        inactive: bool = False,
        refresh: bool = True,
    ):
        if area_type not in AreaType.values:
            raise ValueError(f"unknown area type {area_type!r}")
        self.area_type = area_type
        self.vintage = vintage
        self.code_field = code_field
        self.name_field = name_field
        self.layer = layer
        self.existing_only = existing_only
        self.inactive = inactive
        self.refresh = refresh

    def parse(
        self, path: Path, report: ImportReport, progress: Progress | None
    ) -> ParsedBoundaries | None:
        try:
            boundaries = read_boundaries(
                path, name=report.file_name, layer=self.layer, code_field=self.code_field
            )
        except BoundaryFileError as exc:
            message = str(exc).replace("with layer=...", "with --layer")
            prefix = f"{report.file_name}: "
            error(report, message[len(prefix) :] if message.startswith(prefix) else message)
            return None
        code_field = boundaries.code_field
        fields = sorted({k for f in boundaries.features for k in f.properties})
        if code_field is None:
            error(
                report,
                "no code column found: name it code, or use the ONS heading (e.g. LSOA21CD), "
                "or choose it with --code-field. Columns: " + (", ".join(fields) or "none"),
            )
            return None
        vintage = self.vintage
        heading = read_heading(code_field)
        if vintage is None:
            if heading is not None and heading.type == self.area_type:
                vintage = heading.vintage
            else:
                error(
                    report,
                    f"say which boundary vintage this is (--vintage, e.g. 2021): the code column "
                    f"{code_field} does not give a year",
                )
                return None
        name_field = self.name_field or _name_field(fields, code_field)
        parsed = ParsedBoundaries(vintage=vintage, code_field=code_field, crs=boundaries.crs)
        for problem in boundaries.problems:
            if "is also used by feature" in problem.message:
                continue  # reported below, where the parts are merged
            report.problems.append(
                _problem(
                    report.file_name, problem.message, problem.feature, code_field, problem.severity
                )
            )
        total = len(boundaries.features) + len({p.feature for p in boundaries.errors if p.feature})
        report.rows = total
        for done, feature in enumerate(boundaries.features, start=1):
            if progress and done % 2000 == 0:
                progress(done, total)
            code = str(feature.properties.get(code_field) or "").strip()
            problem_text = code_problem(self.area_type, code)
            if problem_text:
                error(report, problem_text, feature.number, code_field)
                continue
            name = str(feature.properties.get(name_field) or "").strip() if name_field else ""
            if code in parsed.features:
                known_name, geometry, first = parsed.features[code]
                warning(
                    report,
                    f"{code} is also feature {first}: the parts are merged into one area",
                    feature.number,
                    code_field,
                )
                geometry = shapely.union_all([geometry, feature.geometry])
                parsed.features[code] = (known_name or name, geometry, first)
                continue
            parsed.features[code] = (name, feature.geometry, feature.number)
        if not name_field:
            report.notes.append(
                "The file has no name column: loaded areas keep their names; new ones are "
                "named by their codes."
            )
        if progress:
            progress(total, total)
        return parsed

    def write(
        self,
        parsed: ParsedBoundaries | None,
        report: ImportReport,
        by: Any,
        progress: Progress | None,
    ) -> None:
        from .. import services

        assert parsed is not None
        book = AreaBook({self.area_type})
        existing_wkb = _existing_wkb(self.area_type)
        now = timezone.now()
        label = f"{Area(type=self.area_type).short_type_label} {parsed.vintage} boundaries"
        skipped: list[str] = []
        areas: list[Area] = []
        new_ids_pending: list[Area] = []
        geometry_changed: list[Area] = []
        changed: set[int] = set()
        for code, (name, geometry, _) in sorted(parsed.features.items()):
            area = book.get(self.area_type, code, parsed.vintage)
            if area is None and self.existing_only:
                skipped.append(code)
                continue
            if area is None:
                area, _ = book.ensure(
                    self.area_type, code, parsed.vintage, name or None, is_active=not self.inactive
                )
                new_ids_pending.append(area)
            else:
                book.ensure(self.area_type, code, parsed.vintage, name or None)
                area.geometry_wkb = existing_wkb.get(area.pk)
            source = f"{report.file_name} ({label})"
            if newer(area.vintage, parsed.vintage):
                source += f"; the code is unchanged in {area.vintage}"
            values = geometry_values(geometry, source=source, derived=False)
            if area.pk is not None and existing_wkb.get(area.pk) == values["geometry_wkb"]:
                values.pop("geometry_wkb")
                if book.update(area, **values):
                    changed.add(area.pk)
            else:
                book.update(area, **values, geometry_updated_at=now)
                geometry_changed.append(area)
            areas.append(area)
        pending_changed = book.changed_ids
        created, _ = book.flush()
        changed |= pending_changed
        new_ids = {a.pk for a in new_ids_pending}
        changed_geometry_ids = {a.pk for a in geometry_changed}
        ids = [a.pk for a in areas]
        report.created = created
        report.updated = len((changed | changed_geometry_ids) - new_ids)
        report.unchanged = len(ids) - report.created - report.updated
        layer = sorted(changed_geometry_ids | set(missing_shapes(ids)))
        shapes = build_shapes(layer, as_layer=True) if layer else 0
        if skipped:
            report.notes.append(
                f"{len(skipped)} boundaries were not loaded because their areas are not (use "
                "a lookup first, or leave out --existing-only): "
                + ", ".join(skipped[:15])
                + (" …" if len(skipped) > 15 else "")
            )
        orphans = _without_parents(ids)
        if orphans and self.area_type != AreaType.COUNTRY:
            report.notes.append(
                f"{len(orphans)} of these areas are in no loaded lookup, so they have no parent "
                "in the hierarchy (import a lookup to place them): "
                + ", ".join(orphans[:10])
                + (" …" if len(orphans) > 10 else "")
            )
        report.notes.append(
            f"Boundaries in {parsed.crs}, stored in WGS84; {len(ids)} areas, {shapes} map shapes "
            "written."
        )
        if self.refresh:
            refreshed = services.refresh(by=by, touched=changed_geometry_ids | new_ids | changed)
            report.notes.extend(line[:1].upper() + line[1:] + "." for line in refreshed.lines())


def _problem(file: str, message: str, feature: int | None, column: str, severity: str) -> Any:
    from placeworks.ingest.core import Problem

    return Problem(
        file, message, row=feature, column=column if feature else None, severity=severity
    )


def _name_field(fields: list[str], code_field: str) -> str | None:
    lowered = {f.lower(): f for f in fields}
    for candidate in ("name", "area_name", "areanm", "gss_name"):
        if candidate in lowered:
            return lowered[candidate]
    heading = read_heading(code_field)
    if heading is not None:
        for f in fields:
            other = read_heading(f)
            if (
                other
                and other.kind == "name"
                and (other.type, other.vintage)
                == (
                    heading.type,
                    heading.vintage,
                )
            ):
                return f
    if code_field.lower().endswith("cd"):
        guess = code_field[:-2] + ("NM" if code_field[-2:].isupper() else "nm")
        if guess in fields:
            return guess
    return None


def _existing_wkb(area_type: str) -> dict[int, bytes]:
    return {
        pk: as_bytes(wkb)
        for pk, wkb in Area.objects.filter(type=area_type, geometry_wkb__isnull=False)
        .values_list("id", "geometry_wkb")
        .iterator(chunk_size=2000)
    }


def _without_parents(ids: list[int]) -> list[str]:
    with_parent: set[int] = set()
    for chunk in chunks(ids):
        with_parent.update(
            AreaRelation.objects.filter(child_id__in=chunk).values_list("child_id", flat=True)
        )
    missing = [pk for pk in ids if pk not in with_parent]
    codes: list[str] = []
    for chunk in chunks(missing):
        codes.extend(Area.objects.filter(pk__in=chunk).values_list("code", flat=True))
    return sorted(codes)
