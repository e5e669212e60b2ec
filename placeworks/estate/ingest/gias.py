"""DfE "Get Information about Schools" (GIAS) establishments: the full download or a tidy extract.

Reads the official ``edubasealldata`` CSV headers (``URN``, ``EstablishmentName``,
``TypeOfEstablishment (name)``, ``Trusts (name)``, ``Easting``, ``Northing``, …, Windows-1252)
and the snake_case extract in ``data/schools/`` (``urn``, ``establishment_name``, …). Only open
establishments are imported. Each school is keyed by its URN (``urn:<URN>``).

Owners: a school in an academy trust belongs to the trust; a local-authority maintained school
(community, voluntary, foundation, nursery, pupil referral unit, LA special school) to its local
authority; any other school (an academy whose trust the file does not name, a free, independent
or non-maintained special school, a college) to an organisation of its own, keyed by URN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from placeworks.ingest.core import ImportReport, Problem, Progress
from placeworks.partners.models import Organisation, Sector, Visibility

from ..models import Kind, Source, Status
from .common import (
    EASTING_RANGE,
    NORTHING_RANGE,
    AssetImporter,
    Cells,
    OwnerSpec,
    ParsedAsset,
    Utf8OrWindowsReader,
    map_columns,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "urn": ("URN",),
    "name": ("EstablishmentName", "establishment_name"),
    "la_name": ("LA (name)", "la_name"),
    "type": ("TypeOfEstablishment (name)", "establishment_type"),
    "group": ("EstablishmentTypeGroup (name)", "establishment_type_group"),
    "phase": ("PhaseOfEducation (name)", "education_phase"),
    "status": ("EstablishmentStatus (name)", "establishment_status"),
    "pupils": ("NumberOfPupils", "number_of_pupils"),
    "capacity": ("SchoolCapacity", "school_capacity"),
    "fsm": ("PercentageFSM", "percentage_fsm"),
    "trust": ("Trusts (name)", "trust_name"),
    "trust_code": ("Trusts (code)", "trust_code"),
    "easting": ("Easting",),
    "northing": ("Northing",),
    "latitude": ("lat",),
    "longitude": ("lon", "long"),
    "street": ("Street",),
    "locality": ("Locality",),
    "address3": ("Address3",),
    "town": ("Town",),
    "postcode": ("Postcode",),
    "uprn": ("UPRN",),
}
REQUIRED = ("urn", "name", "la_name", "type", "group")
OPEN_STATUSES = {"", "open", "open, but proposed to close"}
# Types whose responsible body is the local authority.
LA_TYPES = {
    "community school",
    "voluntary aided school",
    "voluntary controlled school",
    "foundation school",
    "local authority nursery school",
    "community special school",
    "foundation special school",
    "pupil referral unit",
    "secure units",
}
COLLEGE_GROUPS = {"colleges", "universities"}


def la_organisation_name(la_name: str) -> tuple[str, int | None]:
    """The partner organisation for a local authority name (e.g. ‘Derbyshire’), if one exists."""
    candidates = [
        f"{la_name} County Council",
        f"{la_name} City Council",
        f"{la_name} Council",
        f"{la_name} Borough Council",
        f"{la_name} Metropolitan Borough Council",
    ]
    councils = {Sector.COUNTY_COUNCIL, Sector.UNITARY_COUNCIL, Sector.DISTRICT_COUNCIL}
    for name in candidates:
        pk = (
            Organisation.objects.filter(name__iexact=name, sector__in=councils)
            .values_list("pk", flat=True)
            .first()
        )
        if pk is not None:
            return name, pk
    return f"{la_name} Council", None


class GiasImporter(AssetImporter):
    name = "assets (GIAS schools)"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        reader = Utf8OrWindowsReader(path, report.file_name)
        rows = reader.rows()
        parsed: list[ParsedAsset] = []
        first = next(rows, None)
        columns, _ = map_columns(reader.headers, COLUMNS)
        missing = [c for c in REQUIRED if c not in columns]
        located = {"easting", "northing"} <= set(columns) or {"latitude", "longitude"} <= set(
            columns
        )
        if not located and "postcode" not in columns:
            missing.append("Easting and Northing (or latitude/longitude, or Postcode)")
        for column in missing:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"missing column: {COLUMNS[column][0] if column in COLUMNS else column}",
                    1,
                )
            )
        if missing or first is None:
            return parsed
        la_cache: dict[str, tuple[str, int | None]] = {}
        trusts = {
            name.lower(): pk
            for pk, name in Organisation.objects.filter(sector=Sector.SCHOOL).values_list(
                "pk", "name"
            )
        }
        by_urn = dict(Organisation.objects.exclude(urn="").values_list("urn", "pk"))
        skipped = 0
        for number, values in [first, *rows]:
            report.rows += 1
            cells = Cells(number, values, report.file_name, report.problems, columns)
            if cells.raw("status").lower() not in OPEN_STATUSES:
                skipped += 1
                continue
            before = len(report.problems)
            urn = cells.text("urn", required=True)
            if urn and not urn.isdigit():
                cells.problem("urn", f"‘{urn}’ is not a URN (digits only)")
            name = cells.text("name", required=True, max_length=300)
            la_name = cells.text("la_name", required=True)
            est_type = cells.text("type", required=True)
            group = cells.text("group")
            phase = cells.text("phase")
            pupils = cells.integer("pupils")
            capacity = cells.integer("capacity")
            fsm = cells.number("fsm", low=0, high=100)
            easting, northing = cells.number("easting"), cells.number("northing")
            lat = cells.number("latitude", low=49, high=61.5)
            lon = cells.number("longitude", low=-9, high=2.5)
            if easting is not None and not EASTING_RANGE[0] < easting <= EASTING_RANGE[1]:
                cells.problem("easting", f"{easting:g} is not a British National Grid easting")
            if northing is not None and not NORTHING_RANGE[0] < northing <= NORTHING_RANGE[1]:
                cells.problem("northing", f"{northing:g} is not a British National Grid northing")
            if any(p.severity == "error" for p in report.problems[before:]):
                continue

            trust = cells.raw("trust")
            if trust:
                owner = OwnerSpec(
                    trust,
                    Sector.SCHOOL,
                    existing_id=trusts.get(trust.lower()),
                )
            elif est_type.lower() in LA_TYPES:
                if la_name not in la_cache:
                    la_cache[la_name] = la_organisation_name(la_name)
                org_name, pk = la_cache[la_name]
                owner = OwnerSpec(org_name, Sector.UNITARY_COUNCIL, existing_id=pk)
            else:
                sector = (
                    Sector.COLLEGE_UNIVERSITY if group.lower() in COLLEGE_GROUPS else Sector.SCHOOL
                )
                owner = OwnerSpec(
                    name,
                    sector,
                    match=(("urn", urn),),
                    identifiers=(("urn", urn),),
                    existing_id=by_urn.get(urn),
                )
            self.check_owner_permission(owner, cells, "urn")

            address = ", ".join(
                part
                for part in (cells.raw(c) for c in ("street", "locality", "address3", "town"))
                if part
            )
            details = [f"{phase} education" if phase and phase != "Not applicable" else "Education"]
            details.append(f"({est_type})")
            if pupils is not None:
                details.append(f"{pupils:,} pupils")
            if fsm is not None:
                details.append(f"{fsm:g}% eligible for free school meals")
            fields: dict[str, Any] = {
                "name": name,
                "kind": Kind.COLLEGE if group.lower() in COLLEGE_GROUPS else Kind.SCHOOL,
                "reference": urn,
                "source": Source.GIAS,
                "address": address,
                "postcode": cells.postcode("postcode"),
                "uprn": cells.text("uprn", max_length=12),
                "capacity": capacity,
                "capacity_unit": "pupils" if capacity is not None or pupils is not None else "",
                "occupancy": pupils,
                "utilisation_percent": (
                    round(min(100.0, 100.0 * pupils / capacity), 1)
                    if pupils is not None and capacity
                    else None
                ),
                "services_delivered": " ".join(details[:2])
                + ("; " + ", ".join(details[2:]) if details[2:] else ""),
                "status": Status.OPERATIONAL,
                "visibility": Visibility.PUBLIC,
                "data_source": "DfE Get Information about Schools",
                "lat": lat,
                "lon": lon,
            }
            if "postcode" not in columns:
                del fields["postcode"]
            if "uprn" not in columns:
                del fields["uprn"]
            item = ParsedAsset(number, f"urn:{urn}", owner, fields)
            if lat is None and easting is not None and northing is not None:
                item.easting, item.northing = easting, northing
            parsed.append(item)
            if progress and report.rows % 500 == 0:
                progress(report.rows, None)
        if skipped:
            report.notes.append(
                f"{skipped} establishment(s) not open (closed or proposed): skipped."
            )
        self.check_duplicates(parsed, report)
        self.convert_grid_references(parsed)
        return parsed
