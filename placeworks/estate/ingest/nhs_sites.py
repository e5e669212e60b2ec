"""NHS website "Hospital" dataset: hospital sites with coordinates and ODS codes.

The nhs.uk website datasets (``Hospital.csv``, published "¬"-delimited in Latin-1; the copy in
``data/nhs_hospitals/`` is comma-delimited UTF-8 — both are read). Each site is keyed by its ODS
site code (``ods-site:<code>``) and owned by its parent organisation (``ParentODSCode``,
``ParentName``): an NHS trust for NHS codes (R… or T…), otherwise an independent provider.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from placeworks.ingest.core import ImportReport, Problem, Progress
from placeworks.partners.models import Organisation, Sector, Visibility

from ..models import Kind, Source, Status
from .common import LAT_RANGE, LON_RANGE, AssetImporter, Cells, OwnerSpec, ParsedAsset, map_columns

COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("OrganisationCode",),
    "name": ("OrganisationName",),
    "sector": ("Sector",),
    "status": ("OrganisationStatus",),
    "address1": ("Address1",),
    "address2": ("Address2",),
    "address3": ("Address3",),
    "city": ("City",),
    "postcode": ("Postcode",),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "parent_code": ("ParentODSCode",),
    "parent_name": ("ParentName",),
    "phone": ("Phone",),
    "website": ("Website",),
}
REQUIRED = ("code", "name", "parent_code", "parent_name")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class NhsSitesImporter(AssetImporter):
    name = "assets (NHS hospital sites)"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        text = _decode(path.read_bytes())
        first_line = text.split("\n", 1)[0]
        delimiter = "¬" if "¬" in first_line else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        columns, _ = map_columns(header, COLUMNS)
        parsed: list[ParsedAsset] = []
        for column in REQUIRED:
            if column not in columns:
                report.problems.append(
                    Problem(report.file_name, f"missing column: {COLUMNS[column][0]}", 1)
                )
        if report.errors:
            return parsed
        by_ods = {
            ods.upper(): pk
            for ods, pk in Organisation.objects.exclude(ods_code="").values_list("ods_code", "pk")
        }
        hidden = 0
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            report.rows += 1
            cells = Cells(
                number,
                dict(zip(header, (v.strip() for v in values), strict=False)),
                report.file_name,
                report.problems,
                columns,
            )
            if cells.raw("status") and cells.raw("status").lower() != "visible":
                hidden += 1
                continue
            before = len(report.problems)
            code = cells.text("code", required=True).upper()
            name = cells.text("name", required=True, max_length=300)
            parent_code = cells.text("parent_code", required=True).upper()
            parent_name = cells.text("parent_name", required=True, max_length=200)
            lat = cells.number("latitude", low=LAT_RANGE[0], high=LAT_RANGE[1])
            lon = cells.number("longitude", low=LON_RANGE[0], high=LON_RANGE[1])
            if (lat is None) != (lon is None):
                cells.problem("latitude", "give both latitude and longitude, or neither")
            if any(p.severity == "error" for p in report.problems[before:]):
                continue
            nhs = parent_code[:1] in {"R", "T"}
            owner = OwnerSpec(
                parent_name,
                Sector.NHS_TRUST if nhs else Sector.PRIVATE,
                match=(("ods_code", parent_code),),
                identifiers=(("ods_code", parent_code),),
                existing_id=by_ods.get(parent_code),
            )
            self.check_owner_permission(owner, cells, "parent_code")
            address = ", ".join(
                part
                for part in (cells.raw(c) for c in ("address1", "address2", "address3", "city"))
                if part
            )
            sector = cells.raw("sector")
            fields: dict[str, Any] = {
                "name": name,
                "kind": Kind.HOSPITAL,
                "reference": code,
                "source": Source.NHS_SITES,
                "address": address,
                "postcode": cells.postcode("postcode"),
                "lat": lat,
                "lon": lon,
                "services_delivered": "Hospital" + (f" ({sector.lower()})" if sector else ""),
                "status": Status.OPERATIONAL,
                "visibility": Visibility.PUBLIC,
                "data_source": "NHS website datasets: Hospital",
            }
            parsed.append(ParsedAsset(number, f"ods-site:{code}", owner, fields))
        if hidden:
            report.notes.append(f"{hidden} site(s) not marked Visible: skipped.")
        self.check_duplicates(parsed, report)
        if progress:
            progress(report.rows, report.rows)
        return parsed
