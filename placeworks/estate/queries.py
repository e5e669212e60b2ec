"""Reads of the estate: the register's filters, unplaced assets, records for export.

Every read starts from ``visible(user, ...)`` so confidential assets are removed in the query;
sensitive fields are added to records only where ``access.sensitive_checker`` allows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from placeworks.exports import safe_cell
from placeworks.params import values
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import visible
from placeworks.places.models import Area

from .access import sensitive_checker
from .models import LOCATED_TYPES, SENSITIVE_FIELDS, Asset, AssetArea, Kind, LocationSource, Status


@dataclass
class AssetFilters:
    owner: Organisation | None = None
    kinds: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    area: Area | None = None
    q: str = ""
    located: bool | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.owner or self.kinds or self.statuses or self.area or self.q)


def find_area(code: str) -> Area | None:
    """The located-type area with this code (latest vintage), e.g. a PLACE, LAD or ward code."""
    areas = list(Area.objects.filter(code=code, type__in=LOCATED_TYPES, is_active=True))
    if not areas:
        return None
    return max(areas, key=lambda a: (a.type == "place", a.vintage))


def parse_filters(params: Mapping[str, Any]) -> AssetFilters:
    """Filters from a query string: owner (slug or id), kind, status (repeatable or comma
    separated), place (an area code), q (name, address, postcode), located (yes/no)."""
    filters = AssetFilters()
    owner = (values(params, "owner") or [""])[0]
    if owner:
        query = Q(slug=owner) | (Q(pk=int(owner)) if owner.isdigit() else Q())
        filters.owner = Organisation.objects.filter(query).first()
        if filters.owner is None:
            filters.errors["owner"] = f"No organisation ‘{owner}’."
    filters.kinds = values(params, "kind")
    unknown = [k for k in filters.kinds if k not in Kind.values]
    if unknown:
        filters.errors["kind"] = f"Unknown kind: {', '.join(unknown)}."
    filters.statuses = values(params, "status")
    unknown = [s for s in filters.statuses if s not in Status.values]
    if unknown:
        filters.errors["status"] = f"Unknown status: {', '.join(unknown)}."
    place = (values(params, "place") or [""])[0]
    if place:
        filters.area = find_area(place)
        if filters.area is None:
            filters.errors["place"] = f"No area with code ‘{place}’."
    filters.q = str(params.get("q") or "").strip()[:100]
    located = str(params.get("located") or "").lower()
    if located in {"yes", "true", "1"}:
        filters.located = True
    elif located in {"no", "false", "0"}:
        filters.located = False
    return filters


def register(user: Any, filters: AssetFilters | None = None) -> QuerySet[Asset]:
    """The assets ``user`` may see, filtered, with their owners."""
    assets = visible(user, Asset.objects.all()).select_related("owner")
    if filters is None:
        return assets
    if filters.owner is not None:
        assets = assets.filter(owner=filters.owner)
    if filters.kinds:
        assets = assets.filter(kind__in=filters.kinds)
    if filters.statuses:
        assets = assets.filter(status__in=filters.statuses)
    if filters.area is not None:
        assets = assets.filter(
            Exists(AssetArea.objects.filter(asset=OuterRef("pk"), area=filters.area))
        )
    if filters.q:
        assets = assets.filter(
            Q(name__icontains=filters.q)
            | Q(address__icontains=filters.q)
            | Q(postcode__icontains=filters.q)
            | Q(reference__iexact=filters.q)
        )
    if filters.located is not None:
        assets = assets.filter(lon__isnull=not filters.located)
    return assets


def unlocated(user: Any) -> QuerySet[Asset]:
    """Assets that could not be placed: no coordinates and postcode not in the lookup."""
    return (
        register(user).filter(location_source=LocationSource.NONE).order_by("owner__name", "name")
    )


def owners_with_assets(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=register(user).values("owner_id")).order_by("name")


def lsoas_in(area: Area) -> QuerySet[Area]:
    """The active LSOAs within ``area`` (by the materialised hierarchy), or ``area`` itself."""
    if area.type == "lsoa":
        return Area.objects.filter(pk=area.pk)
    return Area.objects.filter(
        type="lsoa", is_active=True, ancestor_links__ancestor=area
    ).distinct()


def places() -> QuerySet[Area]:
    """PLACE areas (the partnership's places), then local authority districts."""
    return Area.objects.filter(type__in=["place", "lad"], is_active=True).order_by("-type", "name")


def areas_of(assets: Iterable[Asset]) -> dict[int, dict[str, Area]]:
    """``{asset id: {area type: Area}}`` in one query."""
    ids = [a.pk for a in assets]
    found: dict[int, dict[str, Area]] = {i: {} for i in ids}
    for start in range(0, len(ids), 900):
        links = AssetArea.objects.filter(asset_id__in=ids[start : start + 900]).select_related(
            "area"
        )
        for link in links:
            found[link.asset_id][link.area_type] = link.area
    return found


# --- Records for the API, GeoJSON and CSV ------------------------------------------------------

PUBLIC_FIELDS = (
    "id",
    "name",
    "kind",
    "owner_id",
    "owner_name",
    "reference",
    "uprn",
    "address",
    "postcode",
    "lat",
    "lon",
    "location_source",
    "tenure",
    "floor_area_m2",
    "site_area_ha",
    "condition",
    "backlog_maintenance_cost",
    "annual_running_cost",
    "utilisation_percent",
    "capacity",
    "capacity_unit",
    "occupancy",
    "services_delivered",
    "status",
    "accessibility_notes",
    "visibility",
    "is_sample",
    "data_source",
)


def _number(value: Any) -> Any:
    from decimal import Decimal

    return float(value) if isinstance(value, Decimal) else value


def asset_record(
    asset: Asset,
    *,
    may_see_sensitive: bool,
    areas: Mapping[str, Area] | None = None,
) -> dict[str, Any]:
    """One asset as plain data; the sensitive fields only when the user may see them."""
    record: dict[str, Any] = {}
    for name in PUBLIC_FIELDS:
        if name == "owner_name":
            record[name] = asset.owner.name
        else:
            record[name] = _number(getattr(asset, name))
    record["kind_label"] = asset.get_kind_display()
    record["status_label"] = asset.get_status_display()
    record["owner_slug"] = asset.owner.slug
    record["owner_sector"] = asset.owner.get_sector_display()
    if areas is not None:
        for area_type in LOCATED_TYPES:
            area = areas.get(area_type)
            record[f"{area_type}_code"] = area.code if area else None
            record[f"{area_type}_name"] = area.name if area else None
    if may_see_sensitive:
        for name in SENSITIVE_FIELDS:
            record[name] = _number(getattr(asset, name))
    return record


def records(user: Any, assets: Iterable[Asset], *, with_areas: bool = True) -> list[dict[str, Any]]:
    assets = list(assets)
    may_see = sensitive_checker(user)
    areas = areas_of(assets) if with_areas else {}
    return [
        asset_record(a, may_see_sensitive=may_see(a), areas=areas.get(a.pk) if with_areas else None)
        for a in assets
    ]


def feature_collection(user: Any, assets: Iterable[Asset]) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the located assets (properties as ``records``)."""
    features = []
    unplaced = 0
    for record in records(user, assets):
        if record["lon"] is None:
            unplaced += 1
            continue
        features.append(
            {
                "type": "Feature",
                "id": record["id"],
                "geometry": {"type": "Point", "coordinates": [record["lon"], record["lat"]]},
                "properties": record,
            }
        )
    return {"type": "FeatureCollection", "features": features, "unlocated": unplaced}


CSV_COLUMNS = (
    list(PUBLIC_FIELDS)
    + ["kind_label", "status_label"]
    + [f"{t}_{part}" for t in LOCATED_TYPES for part in ("code", "name")]
)


def csv_table(user: Any, assets: Iterable[Asset]) -> tuple[list[str], list[list[str]]]:
    """Header and rows for a CSV export; sensitive columns only when the user may see some."""
    rows = records(user, assets)
    columns = list(CSV_COLUMNS)
    if any(SENSITIVE_FIELDS[0] in row for row in rows):
        columns += list(SENSITIVE_FIELDS)
    return columns, [[safe_cell(row.get(c)) for c in columns] for row in rows]
