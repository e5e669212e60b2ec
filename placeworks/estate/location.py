"""Placing points in areas: point-in-polygon against the loaded boundaries, and postcodes.

``AreaLocator`` loads the active boundaries of each located type (LSOA, ward, LAD, PLACE; the
latest vintage when several are loaded) into a ``placeworks.geo.AreaIndex`` once and places many
points in one vectorised call. A type whose areas have no boundary (a PLACE area defined as a grouping of
LSOAs, say) is filled from the hierarchy instead: the ancestor of that type of the LSOA the point
fell in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely

from placeworks.geo.index import AreaIndex
from placeworks.places.models import Area, AreaLink

from .models import LOCATED_TYPES, PostcodeCentroid


def _vintage_key(vintage: str) -> tuple[int, str]:
    digits = "".join(ch for ch in vintage if ch.isdigit())
    return (int(digits) if digits else -1, vintage)


@dataclass
class _TypeIndex:
    ids: np.ndarray
    tree: AreaIndex | None


@dataclass
class AreaLocator:
    """Point-in-polygon for the located area types, built from the database once."""

    types: Sequence[str] = LOCATED_TYPES
    indexes: dict[str, _TypeIndex] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for area_type in self.types:
            rows = list(
                Area.objects.filter(type=area_type, is_active=True, geometry_wkb__isnull=False)
                .values_list("id", "vintage", "geometry_wkb")
                .iterator(chunk_size=2000)
            )
            if rows:
                latest = max((vintage for _, vintage, _ in rows), key=_vintage_key)
                rows = [row for row in rows if row[1] == latest]
            ids = np.array([row[0] for row in rows], dtype=np.int64)
            geometries = shapely.from_wkb([bytes(row[2] or b"") for row in rows]) if rows else None
            tree = (
                AreaIndex.from_arrays([str(i) for i in ids], geometries)
                if geometries is not None
                else None
            )
            self.indexes[area_type] = _TypeIndex(ids, tree)

    @property
    def has_boundaries(self) -> bool:
        return any(index.tree is not None for index in self.indexes.values())

    def locate(self, lons: Sequence[float], lats: Sequence[float]) -> dict[str, np.ndarray]:
        """For each type, the id of the area containing each point (0 where none does)."""
        lon = np.asarray(lons, dtype=float)
        lat = np.asarray(lats, dtype=float)
        found: dict[str, np.ndarray] = {}
        for area_type, index in self.indexes.items():
            result = np.zeros(len(lon), dtype=np.int64)
            if index.tree is not None and len(lon):
                # A point on a shared border lies in two areas: the index keeps one, consistently.
                position = index.tree.locate_index(lon, lat)
                inside = position >= 0
                result[inside] = index.ids[position[inside]]
            found[area_type] = result
        self._fill_from_hierarchy(found)
        return found

    def _fill_from_hierarchy(self, found: dict[str, np.ndarray]) -> None:
        """Types without boundaries take the ancestor of the located LSOA (or smallest area)."""
        missing = [t for t, index in self.indexes.items() if index.tree is None]
        base_type = next((t for t in self.types if self.indexes[t].tree is not None), None)
        if not missing or base_type is None:
            return
        base = found[base_type]
        base_ids = {int(i) for i in np.unique(base) if i}
        if not base_ids:
            return
        ancestors: dict[tuple[int, str], int] = {}
        links = (
            AreaLink.objects.filter(descendant_id__in=base_ids, ancestor__type__in=missing)
            .order_by("depth", "ancestor_id")
            .values_list("descendant_id", "ancestor__type", "ancestor_id")
        )
        for descendant, area_type, ancestor in links:
            ancestors.setdefault((descendant, area_type), ancestor)
        for area_type in missing:
            found[area_type] = np.array(
                [ancestors.get((int(b), area_type), 0) if b else 0 for b in base], dtype=np.int64
            )


def postcode_centroids(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    """``{normalised postcode: (lon, lat)}`` for those of ``postcodes`` in the loaded lookup."""
    wanted = {PostcodeCentroid.normalise(p) for p in postcodes if p and p.strip()}
    found: dict[str, tuple[float, float]] = {}
    wanted_list = sorted(wanted)
    for start in range(0, len(wanted_list), 900):  # SQLite's variable limit
        chunk = wanted_list[start : start + 900]
        for postcode, lon, lat in PostcodeCentroid.objects.filter(postcode__in=chunk).values_list(
            "postcode", "lon", "lat"
        ):
            found[postcode] = (lon, lat)
    return found
