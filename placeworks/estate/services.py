"""Writes to the estate: create, change, move and delete assets; place them in areas.

Every function takes the acting user as ``by=``; ``by=None`` is the trusted operator at the
command line (the demo loader, ``import_assets`` without a web user). Each checks
``Permission.EDIT_ASSET`` on the asset through the one permission layer, runs in a transaction and
records an audit event with the changed fields. Importers, views, the API and commands all come
through here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from placeworks.audit.services import diff, record
from placeworks.partners import services as partner_services
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import Permission, has_permission

from .location import AreaLocator, postcode_centroids
from .models import (
    LOCATED_TYPES,
    Asset,
    AssetArea,
    CommunityService,
    LocationSource,
    PostcodeCentroid,
)

# Fields whose change moves the asset (and so recomputes the areas it falls in).
LOCATION_FIELDS = ("lon", "lat", "postcode")
# Fields recorded in the audit trail and compared on re-import.
TRACKED_FIELDS = tuple(
    f.name
    for f in Asset._meta.concrete_fields
    if f.name not in {"id", "created_at", "updated_at", "location_source"}
)
SERVICE_FIELDS = tuple(
    f.name for f in CommunityService._meta.concrete_fields if f.name not in {"id", "updated_at"}
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}"  # 1850000.0 from a file and 1850000.00 from the database agree
    if isinstance(value, Organisation):
        return value.pk
    return value


def snapshot(asset: Asset) -> dict[str, Any]:
    """The tracked fields as JSON-friendly values (foreign keys by id)."""
    values = {}
    for name in TRACKED_FIELDS:
        attname = f"{name}_id" if name == "owner" else name
        values[name] = _plain(getattr(asset, attname))
    return values


def _authorise(by: Any, asset: Asset, doing: str) -> None:
    if by is None:  # the trusted operator at the command line
        return
    if not has_permission(by, Permission.EDIT_ASSET, asset):
        owner = asset.owner.name if asset.owner_id else "the owning organisation"
        raise PermissionDenied(f"Only editors of {owner} can {doing} this asset.")


def _normalise_location(asset: Asset) -> None:
    asset.postcode = " ".join(asset.postcode.upper().split())
    if (asset.lon is None) != (asset.lat is None):
        raise ValidationError("Give both latitude and longitude, or neither.")


def create_asset(*, by: Any, owner: Organisation, **fields: Any) -> Asset:
    asset = Asset(owner=owner, **fields)
    _authorise(by, asset, "add")
    _normalise_location(asset)
    asset.full_clean()
    with transaction.atomic():
        asset.save()
        record(by=by, action="create", obj=asset, changes=diff({}, snapshot(asset)))
        relocate([asset])
    return asset


def update_asset(*, by: Any, asset: Asset, **fields: Any) -> Asset:
    """Change fields of ``asset``; moving it (coordinates or postcode) re-places it in areas."""
    _authorise(by, asset, "change")
    before = snapshot(asset)
    for name, value in fields.items():
        setattr(asset, name, value)
    if "owner" in fields or "owner_id" in fields:
        _authorise(by, asset, "give to another organisation")  # editors of the new owner too
    _normalise_location(asset)
    asset.full_clean()
    changes = diff(before, snapshot(asset))
    if not changes:
        return asset
    with transaction.atomic():
        moved = any(name in changes for name in LOCATION_FIELDS)
        if moved and {"lon", "lat"} & set(changes) and asset.lon is not None:
            asset.location_source = LocationSource.COORDINATES
        if moved and asset.lon is None:
            asset.location_source = LocationSource.NONE
        asset.save()
        record(by=by, action="update", obj=asset, changes=changes)
        if moved:
            relocate([asset])
    return asset


def move_asset(
    *,
    by: Any,
    asset: Asset,
    lon: float | None = None,
    lat: float | None = None,
    postcode: str | None = None,
) -> Asset:
    """Give the asset new coordinates and/or postcode and recompute the areas it falls in."""
    fields: dict[str, Any] = {"lon": lon, "lat": lat}
    if postcode is not None:
        fields["postcode"] = postcode
    return update_asset(by=by, asset=asset, **fields)


def delete_asset(*, by: Any, asset: Asset) -> None:
    _authorise(by, asset, "delete")
    with transaction.atomic():
        record(by=by, action="delete", obj=asset, changes=diff(snapshot(asset), {}))
        asset.delete()


@dataclass
class LocateSummary:
    total: int = 0
    by_coordinates: int = 0
    by_postcode: int = 0
    unlocated: int = 0
    outside_boundaries: int = 0

    def __str__(self) -> str:
        return (
            f"{self.total} assets: {self.by_coordinates} placed by coordinates, "
            f"{self.by_postcode} by postcode centroid, {self.unlocated} could not be placed "
            f"(no coordinates and postcode not in the loaded postcode lookup); "
            f"{self.outside_boundaries} located but outside the loaded LSOA boundaries."
        )


def relocate(assets: Sequence[Asset], *, locator: AreaLocator | None = None) -> LocateSummary:
    """Place ``assets`` (saved) by coordinates, else postcode centroid; rewrite their area links.

    A system operation (no ``by``): it follows from an asset's own coordinates and postcode and
    from the boundaries and postcode lookup loaded by platform administrators.
    """
    summary = LocateSummary(total=len(assets))
    if not assets:
        return summary
    needs_postcode = [a for a in assets if a.location_source != LocationSource.COORDINATES]
    centroids = postcode_centroids(a.postcode for a in needs_postcode)
    changed: list[Asset] = []
    for asset in needs_postcode:
        if asset.location_source == LocationSource.NONE and asset.lon is not None:
            asset.location_source = LocationSource.COORDINATES  # coordinates set directly
            changed.append(asset)
            continue
        point = centroids.get("".join(asset.postcode.split()).upper())
        before = (asset.lon, asset.lat, asset.location_source)
        if point is not None:
            asset.lon, asset.lat = point
            asset.location_source = LocationSource.POSTCODE
        else:
            asset.lon = asset.lat = None
            asset.location_source = LocationSource.NONE
        if (asset.lon, asset.lat, asset.location_source) != before:
            changed.append(asset)
    with transaction.atomic():
        if changed:
            Asset.objects.bulk_update(changed, ["lon", "lat", "location_source"], batch_size=500)
        located = [a for a in assets if a.lon is not None]
        ids = [a.pk for a in assets]
        for start in range(0, len(ids), 900):
            AssetArea.objects.filter(asset_id__in=ids[start : start + 900]).delete()
        if located:
            locator = locator or AreaLocator()
            found = locator.locate(
                [float(a.lon or 0.0) for a in located], [float(a.lat or 0.0) for a in located]
            )
            links = [
                AssetArea(asset=asset, area_id=int(found[area_type][i]), area_type=area_type)
                for area_type in LOCATED_TYPES
                for i, asset in enumerate(located)
                if found[area_type][i]
            ]
            AssetArea.objects.bulk_create(links, batch_size=1000)
            summary.outside_boundaries = (
                int((found["lsoa"] == 0).sum()) if locator.indexes["lsoa"].tree else 0
            )
    for asset in assets:
        if asset.location_source == LocationSource.COORDINATES:
            summary.by_coordinates += 1
        elif asset.location_source == LocationSource.POSTCODE:
            summary.by_postcode += 1
        else:
            summary.unlocated += 1
    return summary


def relocate_all(*, batch: int = 5000) -> LocateSummary:
    """Re-place every asset and community service (after new boundaries or postcodes load)."""
    locator = AreaLocator()
    total = LocateSummary()
    ids = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = list(Asset.objects.filter(pk__in=ids[start : start + batch]))
        part = relocate(chunk, locator=locator)
        for name in ("total", "by_coordinates", "by_postcode", "unlocated", "outside_boundaries"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
    relocate_services(list(CommunityService.objects.all()), locator=locator)
    return total


# --- Bulk writes for importers -------------------------------------------------------------


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    located: LocateSummary | None = None


def upsert_assets(*, by: Any, rows: Sequence[dict[str, Any]]) -> UpsertResult:
    """Create or update assets keyed by ``identifier`` (idempotent: a re-run changes nothing).

    Each row is a dict of Asset fields including ``owner`` (an Organisation) and ``identifier``.
    Fields a row leaves out keep their current value on update.
    """
    result = UpsertResult()
    identifiers = [row["identifier"] for row in rows]
    existing: dict[str, Asset] = {}
    for start in range(0, len(identifiers), 900):
        for asset in Asset.objects.filter(identifier__in=identifiers[start : start + 900]):
            existing[asset.identifier or ""] = asset
    to_create: list[Asset] = []
    to_update: list[tuple[Asset, dict[str, list[Any]]]] = []
    for row in rows:
        found = existing.get(row["identifier"])
        if found is None:
            asset = Asset(**row)
            _authorise(by, asset, "add")
            _normalise_location(asset)
            to_create.append(asset)
            continue
        asset = found
        _authorise(by, asset, "change")
        before = snapshot(asset)
        for name, value in row.items():
            setattr(asset, name, value)
        _authorise(by, asset, "change")
        _normalise_location(asset)
        changes = diff(before, snapshot(asset))
        if changes:
            if {"lon", "lat"} & set(changes):
                asset.location_source = (
                    LocationSource.COORDINATES if asset.lon is not None else LocationSource.NONE
                )
            to_update.append((asset, changes))
        else:
            result.unchanged += 1
    with transaction.atomic():
        for asset in to_create:
            if asset.lon is not None:
                asset.location_source = LocationSource.COORDINATES
        created = Asset.objects.bulk_create(to_create, batch_size=500)
        fields = [f for f in TRACKED_FIELDS if f != "identifier"] + ["location_source"]
        Asset.objects.bulk_update([a for a, _ in to_update], fields, batch_size=500)
        for asset in created:
            record(by=by, action="create", obj=asset, changes=diff({}, snapshot(asset)))
        for asset, changes in to_update:
            record(by=by, action="update", obj=asset, changes=changes)
        moved = list(created) + [
            a for a, changes in to_update if set(LOCATION_FIELDS) & set(changes)
        ]
        result.located = relocate(moved)
    result.created, result.updated = len(created), len(to_update)
    return result


IDENTIFIER_LABELS = {"urn": "URN", "ods_code": "ODS"}


def ensure_organisation(
    *, by: Any, name: str, sector: str, match: dict[str, str] | None = None, **identifiers: str
) -> tuple[Organisation, bool]:
    """The organisation matching ``match`` (e.g. ``{"ods_code": "RK5"}``) or ``name``; created
    when missing. Creating needs a platform administrator (or the command-line operator)."""
    query = Organisation.objects.all()
    match = {key: value for key, value in (match or {}).items() if value}
    found = query.filter(**match).order_by("pk").first() if match else None
    if found is None:
        clash = query.filter(name=name).first()
        conflicting = clash is not None and any(
            getattr(clash, key) and getattr(clash, key) != value for key, value in match.items()
        )
        if clash is not None and not conflicting:
            return clash, False
        if conflicting:
            # Two bodies with one name (‘The Surgery’): tell them apart by their identifier.
            key, value = next(iter(match.items()))
            name = f"{name} ({IDENTIFIER_LABELS.get(key, key)} {value})"
            found = query.filter(name=name).first()
    if found is not None:
        return found, False
    return partner_services.create_organisation(
        by=by, name=name, sector=sector, **identifiers
    ), True


# --- Community services ----------------------------------------------------------------------


def _authorise_service(by: Any, service: CommunityService, doing: str) -> None:
    if by is None:
        return
    if not has_permission(by, Permission.EDIT_ASSET, service):
        raise PermissionDenied(
            f"Only editors of {service.maintainer} can {doing} this community service."
        )


def upsert_services(*, by: Any, rows: Sequence[dict[str, Any]]) -> UpsertResult:
    """Create or update community services keyed by ``hsds_id``."""
    result = UpsertResult()
    touched: list[CommunityService] = []
    with transaction.atomic():
        for row in rows:
            areas_served = row.pop("areas_served", None)
            service = CommunityService.objects.filter(hsds_id=row["hsds_id"]).first()
            if service is None:
                service = CommunityService(**row)
                _authorise_service(by, service, "add")
                service.full_clean(exclude=["asset"])
                service.save()
                record(by=by, action="create", obj=service)
                result.created += 1
                touched.append(service)
            else:
                _authorise_service(by, service, "change")
                before = {f: _plain(getattr(service, f)) for f in SERVICE_FIELDS}
                for name, value in row.items():
                    setattr(service, name, value)
                _authorise_service(by, service, "change")
                changes = diff(before, {f: _plain(getattr(service, f)) for f in SERVICE_FIELDS})
                if changes:
                    service.full_clean(exclude=["asset"])
                    service.save()
                    record(by=by, action="update", obj=service, changes=changes)
                    result.updated += 1
                    touched.append(service)
                else:
                    result.unchanged += 1
            if areas_served is not None:
                current = set(service.areas_served.values_list("pk", flat=True))
                if current != set(areas_served):
                    service.areas_served.set(areas_served)
        relocate_services(touched)
    return result


def relocate_services(
    services: Iterable[CommunityService], *, locator: AreaLocator | None = None
) -> None:
    """Place community services by coordinates, else postcode; rewrite ``located_in``."""
    services = list(services)
    if not services:
        return
    centroids = postcode_centroids(s.postcode for s in services if s.lon is None)
    located = []
    for service in services:
        service.located_in.clear()
        if service.lon is None:
            point = centroids.get("".join(service.postcode.split()).upper())
            if point is None:
                continue
            service.lon, service.lat = point
            CommunityService.objects.filter(pk=service.pk).update(lon=service.lon, lat=service.lat)
        located.append(service)
    if not located:
        return
    locator = locator or AreaLocator()
    found = locator.locate(
        [float(s.lon or 0.0) for s in located], [float(s.lat or 0.0) for s in located]
    )
    for i, service in enumerate(located):
        ids = [int(found[t][i]) for t in LOCATED_TYPES if found[t][i]]
        if ids:
            service.located_in.set(ids)


# --- Postcode lookup -------------------------------------------------------------------------


def upsert_postcodes(
    *, by: Any, centroids: dict[str, tuple[str, float, float]], source: str = ""
) -> UpsertResult:
    """Load postcode centres (``{postcode: (display, lon, lat)}``), then re-place every asset
    that is not placed by its own coordinates. Reference data: platform administrators only."""
    if by is not None and not has_permission(by, Permission.IMPORT_GEOGRAPHY):
        raise PermissionDenied("Only platform administrators can load the postcode lookup.")
    result = UpsertResult()
    existing = {
        postcode: (pk, lon, lat)
        for pk, postcode, lon, lat in PostcodeCentroid.objects.values_list(
            "pk", "postcode", "lon", "lat"
        ).iterator(chunk_size=20_000)
    }
    new, changed = [], []
    for postcode, (display, lon, lat) in centroids.items():
        current = existing.get(postcode)
        if current is None:
            new.append(
                PostcodeCentroid(
                    postcode=postcode, display=display, lon=lon, lat=lat, source=source
                )
            )
        elif (current[1], current[2]) != (lon, lat):
            changed.append(
                PostcodeCentroid(
                    pk=current[0],
                    postcode=postcode,
                    display=display,
                    lon=lon,
                    lat=lat,
                    source=source,
                )
            )
        else:
            result.unchanged += 1
    with transaction.atomic():
        PostcodeCentroid.objects.bulk_create(new, batch_size=5000)
        PostcodeCentroid.objects.bulk_update(
            changed, ["display", "lon", "lat", "source"], batch_size=5000
        )
        result.created, result.updated = len(new), len(changed)
        if new or changed:
            record(
                by=by,
                action="load_postcodes",
                obj=PostcodeCentroid(pk=0, postcode="", display=f"{len(centroids)} postcodes"),
                changes={"created": [None, len(new)], "updated": [None, len(changed)]},
            )
            assets = list(Asset.objects.exclude(location_source=LocationSource.COORDINATES))
            result.located = relocate(assets)
    return result
