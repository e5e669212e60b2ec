"""Open Referral UK (HSDS) community services: import and export.

Reads the JSON an Open Referral UK API returns for services: one service object, a list of them,
or a page (``{"content": [...]}`` as ``/services`` returns, or ``{"services": [...]}``). Each
service carries its ``organization``, ``service_at_locations[].location`` (with
``physical_addresses``, ``latitude``, ``longitude``), ``contacts[].phones``,
``regular_schedules`` and ``service_areas``. Services are keyed by their HSDS ``id``: a re-import
updates them. ``to_hsds`` writes the same shape back out.

Rows in problem reports are the position of the service in the file (1 = the first service);
columns are JSON paths such as ``organization.name``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from placeworks.ingest.core import BaseImporter, ImportReport, Problem, Progress
from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import Permission, has_permission
from placeworks.places.models import Area

from .. import services
from ..models import CommunityService
from .common import LAT_RANGE, LON_RANGE, POSTCODE_RE

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def _services_in(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("content", "services", "items"):
            if isinstance(document.get(key), list):
                return list(document[key])
        if "name" in document:
            return [document]
    return None


def _first(items: Any) -> dict[str, Any]:
    if isinstance(items, list) and items and isinstance(items[0], dict):
        return items[0]
    return {}


class HsdsImporter(BaseImporter):
    name = "community services (Open Referral UK)"
    permission = Permission.EDIT_ASSET

    def __init__(self, *, owner: Organisation | None = None, is_sample: bool = False):
        self.owner = owner
        self.is_sample = is_sample

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        rows: list[dict[str, Any]] = []
        if self.owner is None:
            report.problems.append(
                Problem(report.file_name, "choose the partner organisation that maintains these")
            )
            return rows
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            report.problems.append(Problem(report.file_name, f"is not valid JSON: {exc}"))
            return rows
        items = _services_in(document)
        if items is None:
            report.problems.append(
                Problem(
                    report.file_name,
                    "expected an Open Referral UK service, a list of services, or a page "
                    '{"content": [...]}',
                )
            )
            return rows
        areas = {
            key: pk
            for pk, code, name in Area.objects.filter(
                type__in=["lsoa", "ward", "lad", "place", "county"]
            ).values_list("pk", "code", "name")
            for key in (code.upper(), name.lower())
        }
        seen: dict[str, int] = {}
        for number, item in enumerate(items, start=1):
            report.rows += 1
            row = self._parse_service(number, item, report, areas)
            if row is None:
                continue
            first = seen.setdefault(row["hsds_id"], number)
            if first != number:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"duplicate: id {row['hsds_id']} is also service {first}",
                        number,
                        "id",
                    )
                )
                continue
            rows.append(row)
        return rows

    def _parse_service(
        self, number: int, item: Any, report: ImportReport, areas: dict[str, int]
    ) -> dict[str, Any] | None:
        before = len(report.problems)

        def problem(column: str, message: str, severity: str = "error") -> None:
            report.problems.append(Problem(report.file_name, message, number, column, severity))

        if not isinstance(item, dict):
            problem("", "is not a JSON object")
            return None
        service_id = str(item.get("id") or "").strip()
        name = str(item.get("name") or "").strip()
        if not service_id:
            problem("id", "is missing; every service needs its HSDS id")
        if not name:
            problem("name", "is missing")
        organization = item.get("organization") or {}
        if not isinstance(organization, dict) or not str(organization.get("name") or "").strip():
            problem("organization.name", "is missing")
            organization = {}
        location = _first(item.get("service_at_locations")).get("location") or {}
        if not location and isinstance(item.get("location"), dict):
            location = item["location"]
        address = _first(location.get("physical_addresses"))
        lat, lon = location.get("latitude"), location.get("longitude")
        try:
            lat = None if lat in (None, "") else float(str(lat))
            lon = None if lon in (None, "") else float(str(lon))
        except (TypeError, ValueError):
            problem("location.latitude", "latitude and longitude must be numbers")
            lat = lon = None
        if (lat is None) != (lon is None):
            problem("location.latitude", "give both latitude and longitude, or neither")
        elif (
            lat is not None
            and lon is not None
            and not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1])
        ):
            problem("location.latitude", f"{lat:g}, {lon:g} is outside the UK")
        postcode = " ".join(str(address.get("postal_code") or "").upper().split())
        if postcode and not POSTCODE_RE.match(postcode):
            problem(
                "location.physical_addresses.postal_code",
                f"‘{postcode}’ is not a UK postcode",
                "warning",
            )
        contact = _first(item.get("contacts"))
        phone = _first(contact.get("phones")) or _first(item.get("phones"))
        email = str(item.get("email") or "").strip()
        contact_email = str(contact.get("email") or "").strip()
        for column, value in (("email", email), ("contacts.email", contact_email)):
            if value:
                try:
                    validate_email(value)
                except ValidationError:
                    problem(column, f"‘{value}’ is not an e-mail address")
        for column, address_value in (
            ("url", item.get("url")),
            ("organization.url", organization.get("url")),
        ):
            if address_value:
                try:
                    URLValidator(schemes=["http", "https"])(str(address_value))
                except ValidationError:
                    problem(column, f"‘{address_value}’ is not a web address")
        schedules = []
        for i, schedule in enumerate(item.get("regular_schedules") or []):
            if not isinstance(schedule, dict):
                problem(f"regular_schedules[{i}]", "is not a JSON object")
                continue
            day = str(schedule.get("byday") or schedule.get("weekday") or "").upper()[:2]
            if day and day not in WEEKDAYS:
                problem(f"regular_schedules[{i}].byday", f"‘{day}’ is not a weekday (MO…SU)")
            schedules.append(
                {
                    "byday": day,
                    "opens_at": str(schedule.get("opens_at") or "")[:8],
                    "closes_at": str(schedule.get("closes_at") or "")[:8],
                    "description": str(schedule.get("description") or ""),
                }
            )
        service_areas = []
        served = set()
        for i, area in enumerate(item.get("service_areas") or []):
            if not isinstance(area, dict):
                problem(f"service_areas[{i}]", "is not a JSON object")
                continue
            label = str(area.get("service_area") or area.get("name") or "").strip()
            service_areas.append(
                {
                    "service_area": label,
                    "description": str(area.get("description") or ""),
                    "uri": str(area.get("uri") or ""),
                }
            )
            match = areas.get(label.upper()) or areas.get(label.lower())
            if match:
                served.add(match)
        if any(p.severity == "error" for p in report.problems[before:]):
            return None
        address_text = ", ".join(
            str(address.get(part)).strip()
            for part in ("address_1", "address_2", "city", "state_province")
            if address.get(part)
        )
        return {
            "hsds_id": service_id[:100],
            "name": name[:300],
            "description": str(item.get("description") or ""),
            "url": str(item.get("url") or "")[:500],
            "email": email,
            "status": str(item.get("status") or "active")[:20],
            "fees": str(item.get("fees") or ""),
            "organization_id": str(organization.get("id") or "")[:100],
            "organization_name": str(organization.get("name") or "")[:300],
            "organization_description": str(organization.get("description") or ""),
            "organization_url": str(organization.get("url") or "")[:500],
            "location_id": str(location.get("id") or "")[:100],
            "location_name": str(location.get("name") or "")[:300],
            "address": address_text,
            "postcode": postcode[:10],
            "lat": lat,
            "lon": lon,
            "contact_name": str(contact.get("name") or "")[:200],
            "contact_phone": str(phone.get("number") or "")[:50],
            "contact_email": contact_email,
            "schedules": schedules,
            "service_areas": service_areas,
            "areas_served": sorted(served),
            "maintainer": self.owner,
            "visibility": Visibility.PUBLIC,
            "is_sample": self.is_sample,
        }

    def check_permission(self, by: Any) -> None:
        super().check_permission(by)
        if by is not None and self.owner is not None:
            probe = CommunityService(maintainer=self.owner)
            if not has_permission(by, Permission.EDIT_ASSET, probe):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied(f"Only editors of {self.owner} can import its services.")

    def write(
        self, parsed: list[dict[str, Any]], report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        result = services.upsert_services(by=by, rows=parsed)
        report.created, report.updated, report.unchanged = (
            result.created,
            result.updated,
            result.unchanged,
        )


def to_hsds(service: CommunityService) -> dict[str, Any]:
    """One service in the Open Referral UK API's full service shape."""
    location: dict[str, Any] = {
        "id": service.location_id or f"{service.hsds_id}-location",
        "name": service.location_name,
        "latitude": service.lat,
        "longitude": service.lon,
        "physical_addresses": [
            {
                "id": f"{service.hsds_id}-address",
                "address_1": service.address,
                "postal_code": service.postcode,
                "country": "GB",
            }
        ],
    }
    return {
        "id": service.hsds_id,
        "name": service.name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees,
        "organization": {
            "id": service.organization_id or f"{service.hsds_id}-organization",
            "name": service.organization_name,
            "description": service.organization_description,
            "url": service.organization_url,
        },
        "service_at_locations": [{"id": f"{service.hsds_id}-at-location", "location": location}],
        "contacts": [
            {
                "id": f"{service.hsds_id}-contact",
                "name": service.contact_name,
                "email": service.contact_email,
                "phones": (
                    [{"id": f"{service.hsds_id}-phone", "number": service.contact_phone}]
                    if service.contact_phone
                    else []
                ),
            }
        ]
        if service.contact_name or service.contact_email or service.contact_phone
        else [],
        "regular_schedules": [
            {"id": f"{service.hsds_id}-schedule-{i}", "freq": "WEEKLY", **schedule}
            for i, schedule in enumerate(service.schedules)
        ],
        "service_areas": [
            {"id": f"{service.hsds_id}-area-{i}", **area}
            for i, area in enumerate(service.service_areas)
        ],
    }


def opening_times(service: CommunityService) -> list[str]:
    """Plain-English opening times, e.g. ‘Tuesday 10:00–12:00 (term time)’."""
    lines = []
    for schedule in service.schedules:
        day = WEEKDAY_NAMES.get(schedule.get("byday", ""), "")
        hours = "–".join(t[:5] for t in (schedule.get("opens_at"), schedule.get("closes_at")) if t)
        note = schedule.get("description") or ""
        lines.append(" ".join(part for part in (day, hours, f"({note})" if note else "") if part))
    return lines
