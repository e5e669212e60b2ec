"""The opportunity finder: places where partners' buildings could be shared, reused or released.

``find_opportunities(user, place=..., distance=800)`` reads the assets the user may see, turns
them into arrays and calls the vectorised core (``clusters.find_clusters``); each cluster comes
back as an ``Opportunity`` that explains itself — its assets, their owners, why each is there,
the need of the area and the ranking figures — and that the pipeline can turn into a draft
project (``get_opportunity(user, key)`` finds it again from its ``key``).

Ranking: ``score = need × combined annual running cost × floor area that could be released``
(docs/estate.md). Floor area that could be released, per asset: all of it when surplus, being
disposed of, or in condition C or D (its services could move into a neighbour); the unused share
``1 − utilisation`` when under-used or used under half its capacity (half its area when an
under-used asset has no utilisation figure); nothing otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from placeworks.geo.crs import wgs84_to_bng
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import visible
from placeworks.places.models import Area

from .clusters import find_clusters
from .models import POOR_CONDITIONS, Asset, AssetArea, Status
from .need import Need, need_available, need_for_areas

DEFAULT_DISTANCE_M = 800
MIN_DISTANCE_M, MAX_DISTANCE_M = 100, 5000
DEFAULT_MIN_NEED = 0.5  # the higher-need half of the LSOAs in the need index's comparison set
UNDER_USE_BELOW_PERCENT = 50.0
UNDER_USED_SHARE_WHEN_UNKNOWN = 0.5
TRIGGER_STATUSES = {Status.UNDER_USED, Status.SURPLUS, Status.DISPOSAL_IN_PROGRESS}
FULLY_RELEASABLE = {Status.SURPLUS, Status.DISPOSAL_IN_PROGRESS}


def reasons_for(asset: Asset) -> list[str]:
    """Why an asset makes a cluster an opportunity (empty for an ordinary neighbour)."""
    reasons = []
    if asset.status in TRIGGER_STATUSES:
        reasons.append(asset.get_status_display().lower())
    if (
        asset.utilisation_percent is not None
        and asset.utilisation_percent < UNDER_USE_BELOW_PERCENT
    ):
        reasons.append(f"{asset.utilisation_percent:.0f}% used")
    if asset.condition in POOR_CONDITIONS:
        reasons.append(f"condition {asset.condition}")
    return reasons


def releasable_area(asset: Asset) -> float:
    """Floor area (m²) that could be released, by the rules in the module docstring."""
    return float(
        _releasable(
            np.array([asset.status]),
            np.array([asset.condition]),
            np.array([np.nan if asset.utilisation_percent is None else asset.utilisation_percent]),
            np.array([np.nan if asset.floor_area_m2 is None else asset.floor_area_m2]),
        )[0]
    )


def _releasable(
    status: np.ndarray, condition: np.ndarray, utilisation: np.ndarray, floor: np.ndarray
) -> np.ndarray:
    floor = np.nan_to_num(floor)
    unused = np.where(
        np.isnan(utilisation),
        np.where(status == Status.UNDER_USED, UNDER_USED_SHARE_WHEN_UNKNOWN, 0.0),
        1.0 - np.clip(utilisation, 0, 100) / 100.0,
    )
    underused = (status == Status.UNDER_USED) | (
        ~np.isnan(utilisation) & (np.nan_to_num(utilisation, nan=100.0) < UNDER_USE_BELOW_PERCENT)
    )
    share = np.where(underused, unused, 0.0)
    full = np.isin(status, list(FULLY_RELEASABLE)) | np.isin(condition, list(POOR_CONDITIONS))
    return floor * np.where(full, 1.0, share)


@dataclass
class OpportunityAsset:
    asset: Asset
    distance_m: int
    reasons: list[str]
    releasable_m2: float
    is_anchor: bool


@dataclass
class Opportunity:
    """A cluster of partners' assets within walking distance with room to share or release."""

    key: str
    rank: int
    anchor: Asset
    members: list[OpportunityAsset]
    distance_m: int
    need: Need | None
    need_value: float | None
    running_cost: float
    releasable_m2: float
    score: float
    relative_score: float  # 100 for the best opportunity found
    areas: dict[str, Area] = field(default_factory=dict)

    @property
    def assets(self) -> list[Asset]:
        return [m.asset for m in self.members]

    @property
    def owners(self) -> list[Organisation]:
        seen: dict[int, Organisation] = {}
        for member in self.members:
            seen.setdefault(member.asset.owner_id, member.asset.owner)
        return list(seen.values())

    @property
    def title(self) -> str:
        where = self.areas.get("ward") or self.areas.get("lad")
        return f"Around {self.anchor.name}" + (f", {where.name}" if where else "")

    @property
    def centre(self) -> tuple[float, float]:
        lons = [a.lon for a in self.assets if a.lon is not None]
        lats = [a.lat for a in self.assets if a.lat is not None]
        return (sum(lons) / len(lons), sum(lats) / len(lats))

    @property
    def explanation(self) -> list[str]:
        """Plain-English reasons, one sentence each."""
        owners = self.owners
        lines = [
            f"{len(self.members)} assets of {len(owners)} organisations "
            f"({', '.join(o.name for o in owners)}) lie within {self.distance_m:,} m of "
            f"{self.anchor.name}."
        ]
        for member in self.members:
            if member.reasons:
                lines.append(
                    f"{member.asset.name} ({member.asset.owner.name}) is "
                    f"{', '.join(member.reasons)}"
                    + (
                        f": about {member.releasable_m2:,.0f} m² could be released."
                        if member.releasable_m2
                        else "; its floor area is not recorded."
                    )
                )
        if self.need is not None:
            lines.append(f"Need where they stand: {self.need.label}.")
        elif self.need_value is None:
            lines.append("No need index is loaded for this area, so need was not weighed.")
        costs = sum(1 for m in self.members if m.asset.annual_running_cost is not None)
        lines.append(
            f"Combined running cost £{self.running_cost:,.0f} a year "
            f"({costs} of {len(self.members)} assets have a running cost recorded)."
        )
        return lines

    def as_dict(self) -> dict[str, Any]:
        lon, lat = self.centre
        return {
            "key": self.key,
            "rank": self.rank,
            "title": self.title,
            "score": round(self.score, 2),
            "relative_score": round(self.relative_score, 1),
            "need": round(self.need_value, 3) if self.need_value is not None else None,
            "need_label": self.need.label if self.need else None,
            "running_cost": round(self.running_cost, 2),
            "releasable_m2": round(self.releasable_m2, 1),
            "distance_m": self.distance_m,
            "centre": {"lon": lon, "lat": lat},
            "areas": {t: {"code": a.code, "name": a.name} for t, a in self.areas.items()},
            "owners": [{"id": o.pk, "name": o.name, "slug": o.slug} for o in self.owners],
            "assets": [
                {
                    "id": m.asset.pk,
                    "name": m.asset.name,
                    "kind": m.asset.kind,
                    "kind_label": m.asset.get_kind_display(),
                    "owner_id": m.asset.owner_id,
                    "owner_name": m.asset.owner.name,
                    "status": m.asset.status,
                    "condition": m.asset.condition,
                    "utilisation_percent": m.asset.utilisation_percent,
                    "floor_area_m2": m.asset.floor_area_m2,
                    "annual_running_cost": (
                        float(m.asset.annual_running_cost)
                        if m.asset.annual_running_cost is not None
                        else None
                    ),
                    "lon": m.asset.lon,
                    "lat": m.asset.lat,
                    "distance_m": m.distance_m,
                    "reasons": m.reasons,
                    "releasable_m2": round(m.releasable_m2, 1),
                    "is_anchor": m.is_anchor,
                    "is_sample": m.asset.is_sample,
                }
                for m in self.members
            ],
            "explanation": self.explanation,
        }


@dataclass
class Finding:
    opportunities: list[Opportunity]
    total: int  # clusters found (before ``limit``)
    assets_considered: int
    need_used: bool
    distance_m: int
    min_need: float


def find_opportunities(
    user: Any,
    *,
    place: Area | None = None,
    distance: int = DEFAULT_DISTANCE_M,
    min_need: float = DEFAULT_MIN_NEED,
    limit: int | None = 50,
) -> Finding:
    """Ranked opportunities among the assets ``user`` may see (anchored in ``place`` if given)."""
    distance = int(min(max(distance, MIN_DISTANCE_M), MAX_DISTANCE_M))
    assets = visible(user, Asset.objects.filter(lon__isnull=False, lat__isnull=False)).exclude(
        status=Status.DISPOSED
    )
    if place is not None and place.min_lon is not None:
        pad_lat = distance / 111_000
        pad_lon = distance / (111_000 * max(0.2, np.cos(np.radians(place.max_lat or 52.0))))
        assets = assets.filter(
            lon__gte=place.min_lon - pad_lon,
            lon__lte=(place.max_lon or 0.0) + pad_lon,
            lat__gte=(place.min_lat or 0.0) - pad_lat,
            lat__lte=(place.max_lat or 0.0) + pad_lat,
        )
    rows = list(
        assets.values_list(
            "pk",
            "owner_id",
            "lon",
            "lat",
            "status",
            "condition",
            "utilisation_percent",
            "floor_area_m2",
            "annual_running_cost",
        )
    )
    empty = Finding([], 0, len(rows), need_available(), distance, min_need)
    if not rows:
        return empty
    columns = list(zip(*rows, strict=True))
    ids = np.array(columns[0], dtype=np.int64)
    owner = np.array(columns[1], dtype=np.int64)
    x, y = wgs84_to_bng(np.array(columns[2], dtype=float), np.array(columns[3], dtype=float))
    status = np.array(columns[4], dtype=object)
    condition = np.array(columns[5], dtype=object)
    utilisation = np.array([np.nan if v is None else v for v in columns[6]], dtype=float)
    floor = np.array([np.nan if v is None else v for v in columns[7]], dtype=float)
    running = np.array([0.0 if v is None else float(v) for v in columns[8]], dtype=float)
    releasable = _releasable(status, condition, utilisation, floor)
    trigger = (
        np.isin(status, list(TRIGGER_STATUSES))
        | np.isin(condition, list(POOR_CONDITIONS))
        | (np.nan_to_num(utilisation, nan=100.0) < UNDER_USE_BELOW_PERCENT)
    )

    lsoa_of = dict(
        AssetArea.objects.filter(area_type="lsoa", asset__in=assets).values_list(
            "asset_id", "area_id"
        )
    )
    needs = need_for_areas(set(lsoa_of.values()))
    need_used = bool(needs)
    if need_used:
        need = np.array(
            [needs[lsoa_of[i]].value if lsoa_of.get(i) in needs else np.nan for i in ids.tolist()]
        )
    else:
        need = np.full(len(ids), np.nan)
    applied_need = min_need if need_used else 0.0
    clusters = find_clusters(
        np.asarray(x),
        np.asarray(y),
        owner=owner,
        trigger=trigger,
        running_cost=running,
        releasable=releasable,
        need=need,
        distance=distance,
        min_need=applied_need,
    )
    keep = np.arange(len(clusters))
    if place is not None:
        in_place = set(AssetArea.objects.filter(area=place).values_list("asset_id", flat=True))
        keep = np.array(
            [k for k in keep.tolist() if int(ids[clusters.anchor[k]]) in in_place], dtype=np.int64
        )
    total = len(keep)
    if limit is not None:
        keep = keep[:limit]
    best = float(clusters.score[keep[0]]) if len(keep) else 0.0
    member_ids = {int(ids[i]) for k in keep.tolist() for i in clusters.members_of(k)}
    objects = Asset.objects.select_related("owner").in_bulk(list(member_ids))
    anchor_ids = [int(ids[clusters.anchor[k]]) for k in keep.tolist()]
    anchor_areas: dict[int, dict[str, Area]] = {i: {} for i in anchor_ids}
    for link in AssetArea.objects.filter(asset_id__in=anchor_ids).select_related("area"):
        anchor_areas[link.asset_id][link.area_type] = link.area
    opportunities = []
    for rank, k in enumerate(keep.tolist(), start=1):
        anchor_index = int(clusters.anchor[k])
        members = []
        for i in clusters.members_of(k).tolist():
            asset = objects[int(ids[i])]
            members.append(
                OpportunityAsset(
                    asset=asset,
                    distance_m=int(
                        round(float(np.hypot(x[i] - x[anchor_index], y[i] - y[anchor_index])))
                    ),
                    reasons=reasons_for(asset),
                    releasable_m2=float(releasable[i]),
                    is_anchor=i == anchor_index,
                )
            )
        anchor_id = int(ids[anchor_index])
        lsoa = lsoa_of.get(anchor_id)
        need_value = float(clusters.need[k]) if not np.isnan(clusters.need[k]) else None
        opportunities.append(
            Opportunity(
                key=f"{anchor_id}-{distance}-{round(applied_need * 100)}",
                rank=rank,
                anchor=objects[anchor_id],
                members=members,
                distance_m=distance,
                need=needs.get(lsoa) if lsoa is not None else None,
                need_value=need_value,
                running_cost=float(clusters.running_cost[k]),
                releasable_m2=float(clusters.releasable[k]),
                score=float(clusters.score[k]),
                relative_score=100.0 * float(clusters.score[k]) / best if best > 0 else 0.0,
                areas=anchor_areas.get(anchor_id, {}),
            )
        )
    return Finding(opportunities, total, len(rows), need_used, distance, min_need)


def get_opportunity(user: Any, key: str) -> Opportunity | None:
    """The opportunity with ``key`` (``<anchor id>-<distance m>-<minimum need %>``) as ``user``
    sees it now.

    For the pipeline's "make a draft project" action. None when the anchor is not visible to the
    user or the cluster no longer qualifies.

    A place's search reads only the assets within walking distance of its bounding box, and a
    chain of neighbouring clusters reaching in from outside can make it choose other anchors near
    its edge than the search over every place does. So the anchor's PLACE area is searched first,
    then its district, then everywhere (the slowest), and the first that has the key answers.
    """
    parts = key.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    anchor_id, distance, need_percent = (int(part) for part in parts)
    anchor = visible(user, Asset.objects.filter(pk=anchor_id)).first()
    if anchor is None:
        return None
    links = {
        link.area_type: link.area
        for link in AssetArea.objects.filter(
            asset=anchor, area_type__in=["place", "lad"]
        ).select_related("area")
    }
    searched: set[int | None] = set()
    for place in (links.get("place"), links.get("lad"), None):
        key_of_place = place.pk if place is not None else None
        if key_of_place in searched:
            continue
        searched.add(key_of_place)
        finding = find_opportunities(
            user, place=place, distance=distance, min_need=need_percent / 100, limit=None
        )
        found = next((o for o in finding.opportunities if o.key == key), None)
        if found is not None:
            return found
    return None
