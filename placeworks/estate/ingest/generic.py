"""The generic asset register format: one row per asset, CSV or XLSX (docs/estate.md).

A location is given as ``latitude``/``longitude`` (WGS84), or ``easting``/``northing`` (British
National Grid), or only a ``postcode`` (placed at the postcode's centre when the postcode lookup
has it, otherwise listed as not placed). Each asset needs a ``reference`` (the owner's property
reference) or a ``uprn``: that is how a re-import finds the same asset instead of duplicating it.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import shapely

from placeworks.ingest.core import ImportReport, Problem, Progress
from placeworks.partners.models import Visibility

from ..models import Condition, Kind, Status, Tenure
from .common import (
    EASTING_RANGE,
    LAT_RANGE,
    LON_RANGE,
    NORTHING_RANGE,
    AssetImporter,
    Cells,
    OwnerSpec,
    ParsedAsset,
    Utf8OrWindowsReader,
    map_columns,
    owner_lookup,
)

# canonical column -> other accepted headers (compared ignoring case, spaces and punctuation)
COLUMNS: dict[str, tuple[str, ...]] = {
    "reference": ("ref", "property reference", "asset reference", "asset id"),
    "name": ("asset name", "site name", "property name"),
    "kind": ("type", "asset type", "property type"),
    "owner": ("owner organisation", "organisation", "owner ods code"),
    "address": ("site address",),
    "postcode": ("post code",),
    "latitude": ("lat",),
    "longitude": ("lon", "long", "lng"),
    "easting": ("x",),
    "northing": ("y",),
    "uprn": (),
    "tenure": (),
    "floor_area_m2": ("floor area", "floor area m2", "gia", "gia m2", "gross internal area"),
    "site_area_ha": ("site area", "site area ha"),
    "condition": ("condition category",),
    "backlog_maintenance_cost": ("backlog", "backlog maintenance", "backlog cost"),
    "annual_running_cost": ("running cost", "annual running costs", "running costs"),
    "utilisation_percent": ("utilisation", "utilization", "utilisation %"),
    "capacity": (),
    "capacity_unit": (),
    "occupancy": (),
    "services_delivered": ("services",),
    "status": (),
    "accessibility_notes": ("accessibility",),
    "visibility": (),
    "disposal_plan": (),
    "estimated_value": ("market value", "estimated value"),
    "commercial_notes": (),
    "site_boundary": ("boundary", "boundary wkt", "boundary geojson"),
    "sample": ("is sample", "sample data"),
    "data_source": ("source",),
}

TEXT_FIELDS = {
    "name": 300,
    "address": None,
    "capacity_unit": 40,
    "services_delivered": None,
    "accessibility_notes": None,
    "disposal_plan": None,
    "commercial_notes": None,
    "data_source": 300,
}


def _boundary(cells: Cells) -> str:
    """The site boundary as GeoJSON text (accepts GeoJSON or WKT polygons in WGS84)."""
    raw = cells.raw("site_boundary")
    if not raw:
        return ""
    try:
        geometry = (
            shapely.from_geojson(raw) if raw.lstrip().startswith("{") else shapely.from_wkt(raw)
        )
    except Exception:  # shapely raises several error types for bad input
        cells.problem("site_boundary", "is not a GeoJSON or WKT polygon")
        return ""
    if geometry.geom_type not in {"Polygon", "MultiPolygon"} or not geometry.is_valid:
        cells.problem("site_boundary", "must be a valid Polygon or MultiPolygon")
        return ""
    minx, miny, maxx, maxy = geometry.bounds
    if not (LON_RANGE[0] <= minx and maxx <= LON_RANGE[1] and LAT_RANGE[0] <= miny <= maxy):
        cells.problem("site_boundary", "must be in longitude/latitude (WGS84) within the UK")
        return ""
    return json.dumps(json.loads(shapely.to_geojson(geometry)))


class GenericAssetImporter(AssetImporter):
    name = "assets (generic)"
    source = "generic"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        reader = Utf8OrWindowsReader(path, report.file_name)
        rows = reader.rows()
        owners = owner_lookup()
        parsed: list[ParsedAsset] = []
        first = next(rows, None)
        columns, unused = map_columns(reader.headers, COLUMNS)
        missing = [c for c in ("name", "kind") if c not in columns]
        if "reference" not in columns and "uprn" not in columns:
            missing.append("reference (or uprn)")
        if "owner" not in columns and self.owner is None:
            missing.append("owner (or choose the owning organisation)")
        for column in missing:
            report.problems.append(Problem(report.file_name, f"missing column: {column}", 1))
        for header in unused:
            report.problems.append(
                Problem(report.file_name, "column not recognised; ignored", 1, header, "warning")
            )
        if missing or first is None:
            if first is None and not missing:
                report.problems.append(Problem(report.file_name, "the file has no data rows"))
            return parsed

        for number, values in itertools.chain([first], rows):
            report.rows += 1
            cells = Cells(number, values, report.file_name, report.problems, columns)
            item = self._parse_row(cells, owners)
            if item is not None:
                parsed.append(item)
            if progress and report.rows % 500 == 0:
                progress(report.rows, None)
        self.check_duplicates(parsed, report)
        self.convert_grid_references(parsed)
        return parsed

    def _owner(self, cells: Cells, owners: dict[str, tuple[int, str]]) -> OwnerSpec | None:
        value = cells.raw("owner")
        if not value:
            if self.owner is None:
                cells.problem("owner", "is empty; name the owning organisation")
                return None
            return OwnerSpec(self.owner.name, "", existing_id=self.owner.pk, slug=self.owner.slug)
        for key in (f"slug:{value.lower()}", f"name:{value.lower()}", f"ods:{value.upper()}"):
            if key in owners:
                pk, slug = owners[key]
                return OwnerSpec(value, "", existing_id=pk, slug=slug)
        cells.problem(
            "owner",
            f"‘{value}’ is not a partner organisation (give its name, web address slug or "
            "ODS code as on the Organisations page)",
        )
        return None

    def _parse_row(self, cells: Cells, owners: dict[str, tuple[int, str]]) -> ParsedAsset | None:
        before = len(cells.problems)
        owner = self._owner(cells, owners)
        if owner is not None:
            self.check_owner_permission(owner, cells, "owner")
        present = set(cells.columns)
        fields: dict[str, Any] = {
            name: cells.text(name, required=name == "name", max_length=length)
            for name, length in TEXT_FIELDS.items()
            if name in present
        }
        if not cells.raw("kind"):
            cells.problem("kind", "is empty; it is required")
        fields["kind"] = cells.choice("kind", Kind)
        choices: dict[str, Any] = {
            "tenure": Tenure,
            "condition": Condition,
            "status": Status,
            "visibility": Visibility,
        }
        for name, choice in choices.items():
            if name in present:
                default = {"status": Status.OPERATIONAL, "visibility": Visibility.PARTNERS}
                fields[name] = cells.choice(name, choice, default.get(name, ""))
        numbers: dict[str, tuple[float, float | None]] = {
            "floor_area_m2": (0, None),
            "site_area_ha": (0, None),
            "utilisation_percent": (0, 100),
        }
        for name, (low, high) in numbers.items():
            if name in present:
                fields[name] = cells.number(name, low=low, high=high)
        for name in ("capacity", "occupancy"):
            if name in present:
                fields[name] = cells.integer(name)
        for name in ("backlog_maintenance_cost", "annual_running_cost", "estimated_value"):
            if name in present:
                fields[name] = cells.money(name)
        if "postcode" in present:
            fields["postcode"] = cells.postcode("postcode")
        uprn = cells.text("uprn", max_length=12)
        if "uprn" in present:
            fields["uprn"] = uprn
        if uprn and not uprn.isdigit():
            cells.problem("uprn", f"‘{uprn}’ should be digits only")
        if "site_boundary" in present:
            fields["boundary_geojson"] = _boundary(cells)
        if "sample" in present:
            fields["is_sample"] = cells.yes_no("sample")
        fields["source"] = "generic"

        lat, lon = cells.number("latitude"), cells.number("longitude")
        easting, northing = cells.number("easting"), cells.number("northing")
        if (lat is None) != (lon is None):
            cells.problem("latitude" if lat is None else "longitude", "give both or neither")
            lat = lon = None
        if lat is not None and lon is not None:
            if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
                cells.problem("latitude", f"{lat:g} is outside the UK (expected 49 to 61.5)")
            if not LON_RANGE[0] <= lon <= LON_RANGE[1]:
                cells.problem("longitude", f"{lon:g} is outside the UK (expected -9 to 2.5)")
        if (easting is None) != (northing is None):
            cells.problem("easting" if easting is None else "northing", "give both or neither")
            easting = northing = None
        if easting is not None and northing is not None:
            if not EASTING_RANGE[0] <= easting <= EASTING_RANGE[1]:
                cells.problem("easting", f"{easting:g} is not a British National Grid easting")
            if not NORTHING_RANGE[0] <= northing <= NORTHING_RANGE[1]:
                cells.problem("northing", f"{northing:g} is not a British National Grid northing")
        if present & {"latitude", "longitude", "easting", "northing"}:
            # The file speaks for the location: no coordinates means "place by postcode".
            fields["lat"], fields["lon"] = lat, lon

        reference = cells.text("reference", max_length=60)
        fields["reference"] = reference
        if not reference and not uprn:
            cells.problem("reference", "is empty; give the owner's reference or a UPRN")
        if any(p.severity == "error" for p in cells.problems[before:]) or owner is None:
            return None
        identifier = f"{owner.slug}:{reference}" if reference else f"uprn:{uprn}"
        if lat is None and easting is not None:
            return ParsedAsset(cells.row, identifier, owner, fields, easting, northing)
        return ParsedAsset(cells.row, identifier, owner, fields)
