"""The bulk machinery under ``services``: upserting areas, relations, the closure, geometry,
simplified shapes and populations, at national scale (tens of thousands of areas per import).

Nothing here checks permissions or opens transactions: ``services`` and the importers do that.
Everything is idempotent: writing the same data twice changes nothing the second time.

**Which row is an area?** LSOAs and MSOAs are one row per (code, vintage): each vintage is a
complete set of statistical building blocks with its own hierarchy. Every other type is one row
per code (GSS practice issues a new code whenever a boundary changes), labelled with the newest
vintage it is known in: a 2021 ward boundary whose code is still in the 2024 lookup belongs to
the 2024 ward; a 2021 ward whose code is not stays a "2021" ward.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.db.models import F, Q
from django.utils import timezone

from placeworks.geo import (
    ZOOM_BUCKETS,
    area_hectares,
    geometry_to_geojson,
    simplify_for_zoom,
    simplify_layer_for_zoom,
)

from .codes import vintage_key
from .models import (
    GROUPING_TYPES,
    VINTAGED_TYPES,
    Area,
    AreaLink,
    AreaRelation,
    AreaShape,
    AreaType,
    Crosswalk,
    CrosswalkWeight,
)

BATCH = 2000
# SQLite allows 999 (older) or 32,766 variables per statement: keep ``__in`` lists short.
IN_CHUNK = 900

AREA_FIELDS = [
    "name",
    "vintage",
    "is_active",
    "description",
    "geometry_wkb",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "centroid_lon",
    "centroid_lat",
    "area_hectares",
    "boundary_source",
    "boundary_derived",
    "geometry_updated_at",
    "population",
    "population_year",
    "population_source",
    "population_method",
    "is_partial",
    "coverage_note",
    "is_sample",
]


def as_bytes(value: Any) -> bytes:
    """WKB as ``bytes`` (PostgreSQL gives a memoryview)."""
    return bytes(value)


def update_rows(model: Any, objects: Sequence[Any], fields: Sequence[str]) -> int:
    """Write ``fields`` of many objects, one ``UPDATE … WHERE id = %s`` per object sent with
    ``executemany``: much faster than ``bulk_update`` (whose CASE expressions Django builds in
    Python) for tens of thousands of rows, and the same on SQLite and PostgreSQL."""
    from django.db import connection

    if not objects or not fields:
        return 0
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    # Table and column names come from the model's metadata (quoted); values are parameters.
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in columns)
    table, key = quote(meta.db_table), quote(meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns] + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])
    return len(rows)


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def newer(a: str, b: str) -> bool:
    """Is vintage ``a`` newer than ``b``?"""
    return vintage_key(a) > vintage_key(b)


# --- areas ----------------------------------------------------------------------------------


class AreaBook:
    """The areas of some types, loaded once, updated in memory and written back in bulk.

    ``ensure`` finds or creates an area by the identity rule above; ``flush`` writes the new
    ones (bulk insert) and the changed ones (bulk update) and says how many of each.
    """

    def __init__(self, types: Iterable[str]):
        self.types = set(types)
        self._by_key: dict[tuple[str, str, str], Area] = {}
        self._by_code: dict[tuple[str, str], list[Area]] = defaultdict(list)
        self._new: list[Area] = []
        self._changed: dict[int, Area] = {}
        self._changed_fields: set[str] = set()
        self.touched: set[int] = set()  # ids whose geometry or vintage changed (for refresh)
        if self.types:
            for area in Area.objects.filter(type__in=self.types).defer("geometry_wkb"):
                self._remember(area)

    def _remember(self, area: Area) -> None:
        self._by_key[(area.type, area.code, area.vintage)] = area
        self._by_code[(area.type, area.code)].append(area)

    def get(self, area_type: str, code: str, vintage: str | None = None) -> Area | None:
        """The area of this type and code (for vintaged types, of this vintage)."""
        if area_type in VINTAGED_TYPES:
            if vintage is None:
                found = self._by_code.get((area_type, code)) or []
                return max(found, key=lambda a: vintage_key(a.vintage)) if found else None
            return self._by_key.get((area_type, code, vintage))
        found = self._by_code.get((area_type, code)) or []
        if not found:
            return None
        return max(found, key=lambda a: vintage_key(a.vintage))

    def ensure(
        self,
        area_type: str,
        code: str,
        vintage: str,
        name: str | None = None,
        *,
        is_active: bool = True,
        is_sample: bool = False,
    ) -> tuple[Area, bool]:
        """The area, created (in memory) if need be; returns (area, created)."""
        area = self.get(area_type, code, vintage)
        if area is None:
            area = Area(
                type=area_type,
                code=code,
                vintage=vintage,
                name=(name or code)[:200],
                is_active=is_active,
                is_sample=is_sample,
            )
            self._new.append(area)
            self._remember(area)
            return area, True
        changes: dict[str, Any] = {}
        if area_type not in VINTAGED_TYPES and newer(vintage, area.vintage):
            changes["vintage"] = vintage
        if name and name[:200] != area.name and not newer(area.vintage, vintage):
            changes["name"] = name[:200]
        if changes:
            self.update(area, **changes)
        return area, False

    def update(self, area: Area, **values: Any) -> bool:
        """Set fields that differ; True when anything changed."""
        changed = False
        for key, value in values.items():
            if key == "geometry_wkb":
                current = area.__dict__.get("geometry_wkb", _UNLOADED)
                if current is _UNLOADED:
                    current = Area.objects.filter(pk=area.pk).values_list(
                        "geometry_wkb", flat=True
                    )[0]
                if (bytes(current) if current is not None else None) == value:
                    area.geometry_wkb = value
                    continue
            elif getattr(area, key) == value:
                continue
            setattr(area, key, value)
            self._changed_fields.add(key)
            changed = True
        if changed and area.pk is not None:
            self._changed[area.pk] = area
        return changed

    @property
    def changed_ids(self) -> set[int]:
        """Existing areas changed in memory and not yet flushed."""
        return set(self._changed)

    def flush(self) -> tuple[int, int]:
        """Write new and changed areas; returns (created, updated)."""
        created = len(self._new)
        if self._new:
            made = Area.objects.bulk_create(self._new, batch_size=BATCH)
            if any(a.pk is None for a in made):  # backends that do not return ids
                keys = {(a.type, a.code, a.vintage) for a in made}
                by_key = {
                    (a.type, a.code, a.vintage): a.pk
                    for a in Area.objects.filter(type__in={k[0] for k in keys}).only(
                        "id", "type", "code", "vintage"
                    )
                }
                for area in made:
                    area.pk = by_key[(area.type, area.code, area.vintage)]
            self.touched.update(a.pk for a in made)
            self._new = []
        updated = len(self._changed)
        if self._changed:
            fields = sorted(self._changed_fields)
            update_rows(Area, list(self._changed.values()), fields)
            if {"geometry_wkb", "vintage"} & self._changed_fields:
                self.touched.update(self._changed)
            self._changed = {}
            self._changed_fields = set()
        return created, updated


_UNLOADED = object()


# --- relations ------------------------------------------------------------------------------


@dataclass
class RelationCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    touched: set[int] = field(default_factory=set)  # children and parents, old and new
    changed_children: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"relations: {self.created} added, {self.updated} changed, {self.deleted} removed, "
            f"{self.unchanged} unchanged"
        )


def set_within_parents(parents: dict[int, dict[str, int]], *, source: str) -> RelationCounts:
    """Make each child's official ("within") parent of each type the one given.

    ``parents`` maps child id to {parent type: parent id}. A child has at most one "within"
    parent per type, so a different parent of that type replaces the old one (a lookup re-run
    with corrections updates in place rather than adding a second parent).
    """
    counts = RelationCounts()
    child_ids = list(parents)
    existing: dict[tuple[int, str], list[tuple[int, int]]] = defaultdict(list)
    for chunk in chunks(child_ids):
        for rel_id, child_id, parent_id, parent_type in AreaRelation.objects.filter(
            child_id__in=chunk, kind=AreaRelation.Kind.WITHIN
        ).values_list("id", "child_id", "parent_id", "parent__type"):
            existing[(child_id, parent_type)].append((rel_id, parent_id))
    new: list[AreaRelation] = []
    delete: list[int] = []
    for child_id, wanted in parents.items():
        for parent_type, parent_id in wanted.items():
            current = existing.get((child_id, parent_type), [])
            stale = [(rel_id, old) for rel_id, old in current if old != parent_id]
            for rel_id, old_parent in stale:
                delete.append(rel_id)
                counts.touched.update({child_id, old_parent, parent_id})
            if len(stale) < len(current):
                counts.unchanged += 1
                continue
            new.append(
                AreaRelation(
                    child_id=child_id,
                    parent_id=parent_id,
                    kind=AreaRelation.Kind.WITHIN,
                    source=source[:200],
                )
            )
            counts.touched.update({child_id, parent_id})
            counts.changed_children.add(child_id)
            if stale:
                counts.updated += 1
            else:
                counts.created += 1
    for chunk in chunks(delete):
        AreaRelation.objects.filter(pk__in=chunk).delete()
    counts.deleted = max(0, len(delete) - counts.updated)
    if new:
        # One relation per pair: a "member" relation of the same pair gives way to "within".
        pairs = {(r.child_id, r.parent_id) for r in new}
        clash: list[int] = []
        for chunk in chunks(sorted({c for c, _ in pairs})):
            clash.extend(
                pk
                for pk, c, p in AreaRelation.objects.filter(
                    child_id__in=chunk, kind=AreaRelation.Kind.MEMBER
                ).values_list("id", "child_id", "parent_id")
                if (c, p) in pairs
            )
        for chunk in chunks(clash):
            AreaRelation.objects.filter(pk__in=chunk).delete()
        AreaRelation.objects.bulk_create(new, batch_size=BATCH)
    return counts


def set_members(grouping: Area, member_ids: Iterable[int], *, source: str) -> RelationCounts:
    """Make ``grouping``'s members exactly ``member_ids`` (relations of kind "member")."""
    counts = RelationCounts()
    wanted = list(dict.fromkeys(member_ids))
    current = dict(
        AreaRelation.objects.filter(parent=grouping, kind=AreaRelation.Kind.MEMBER).values_list(
            "child_id", "id"
        )
    )
    gone = [rel_id for child_id, rel_id in current.items() if child_id not in set(wanted)]
    if gone:
        AreaRelation.objects.filter(pk__in=gone).delete()
        counts.deleted = len(gone)
        counts.touched.update(child for child in current if child not in set(wanted))
    new = [
        AreaRelation(
            child_id=child_id, parent=grouping, kind=AreaRelation.Kind.MEMBER, source=source[:200]
        )
        for child_id in wanted
        if child_id not in current
    ]
    if new:
        AreaRelation.objects.bulk_create(new, batch_size=BATCH)
        counts.created = len(new)
        counts.touched.update(r.child_id for r in new)
    counts.unchanged = len(wanted) - len(new)
    if counts.created or counts.deleted:
        counts.touched.add(grouping.pk)
    return counts


# --- the closure ----------------------------------------------------------------------------


class HierarchyCycle(ValueError):
    """The relations contain a cycle (an area inside itself)."""


@dataclass
class LinkCounts:
    created: int = 0
    deleted: int = 0
    updated: int = 0
    total: int = 0

    def __str__(self) -> str:
        return (
            f"links: {self.total} in the closure ({self.created} added, {self.deleted} removed, "
            f"{self.updated} re-measured)"
        )


def closure(edges: Iterable[tuple[int, int]]) -> dict[int, dict[int, int]]:
    """Every area's ancestors with the length of the shortest path up to each.

    >>> closure([(1, 2), (2, 3), (1, 4), (4, 3)])[1]
    {2: 1, 3: 2, 4: 1}
    """
    parents: dict[int, list[int]] = defaultdict(list)
    for child, parent in edges:
        parents[child].append(parent)
    done: dict[int, dict[int, int]] = {}

    def visit(node: int, path: list[int]) -> dict[int, int]:
        if node in done:
            return done[node]
        if node in path:
            cycle = path[path.index(node) :] + [node]
            raise HierarchyCycle(cycle)
        path.append(node)
        result: dict[int, int] = {}
        for parent in parents.get(node, ()):
            if result.get(parent, 1 << 30) > 1:
                result[parent] = 1
            for ancestor, depth in visit(parent, path).items():
                if depth + 1 < result.get(ancestor, 1 << 30):
                    result[ancestor] = depth + 1
        path.pop()
        done[node] = dict(sorted(result.items()))
        return done[node]

    for node in list(parents):
        visit(node, [])
    return done


def contain_groupings(
    ancestors: dict[int, dict[int, int]],
    members: dict[int, list[int]],
    groupings: set[int],
) -> dict[int, dict[int, int]]:
    """Add to each grouping's ancestors (a ``closure``) the areas of the official hierarchy that
    contain every one of its members: a PLACE area made of three Nottinghamshire districts lies
    in Nottinghamshire, the East Midlands and England. The depth is the shortest from the area to
    a member. Other groupings are never added (two groupings of the same members would contain
    each other), and nothing that lies inside the grouping. A grouping made of groupings sees
    what they were found to lie in: groupings with fewer groupings inside come first.

    >>> closure_ = {1: {10: 1, 20: 2}, 2: {10: 1, 20: 2, 30: 1}, 3: {21: 1}}
    >>> contain_groupings(closure_, {30: [1, 2]}, {30})[30]
    {10: 1, 20: 2}
    >>> contain_groupings(closure_, {31: [1, 3]}, {31}).get(31, {})
    {}
    """
    inside: dict[int, set[int]] = defaultdict(set)  # grouping -> groupings inside it
    for node, above in ancestors.items():
        for ancestor in above:
            if ancestor in groupings and node in groupings:
                inside[ancestor].add(node)
    for grouping in sorted(members, key=lambda g: (len(inside[g]), g)):
        common: dict[int, int] | None = None
        for member in members[grouping]:
            above = {
                a: d
                for a, d in ancestors.get(member, {}).items()
                if a not in groupings and grouping not in ancestors.get(a, {})
            }
            if common is None:
                common = above
            else:
                common = {a: min(d, above[a]) for a, d in common.items() if a in above}
            if not common:
                break
        if common:
            own = ancestors.setdefault(grouping, {})
            for area, depth in common.items():
                own[area] = min(depth, own.get(area, depth))
            ancestors[grouping] = dict(sorted(own.items()))
    return ancestors


def rebuild_links() -> LinkCounts:
    """Bring ``AreaLink`` into line with ``AreaRelation`` (both kinds), changing only what
    differs, so a re-run with nothing new writes nothing. Groupings are also linked to the
    official areas that contain all their members (``contain_groupings``)."""
    relations = list(AreaRelation.objects.values_list("child_id", "parent_id", "parent__type"))
    edges = [(child, parent) for child, parent, _ in relations]
    members: dict[int, list[int]] = defaultdict(list)
    for child, parent, parent_type in relations:
        if parent_type in GROUPING_TYPES:
            members[parent].append(child)
    groupings = set(Area.objects.filter(type__in=GROUPING_TYPES).values_list("id", flat=True))
    wanted: dict[tuple[int, int], int] = {}
    for descendant, ancestors in contain_groupings(closure(edges), members, groupings).items():
        for ancestor, depth in ancestors.items():
            wanted[(ancestor, descendant)] = depth
    existing: dict[tuple[int, int], tuple[int, int]] = {
        (a, d): (pk, depth)
        for pk, a, d, depth in AreaLink.objects.values_list(
            "id", "ancestor_id", "descendant_id", "depth"
        ).iterator(chunk_size=10_000)
    }
    counts = LinkCounts(total=len(wanted))
    stale = [pk for key, (pk, _) in existing.items() if key not in wanted]
    for chunk in chunks(stale):
        AreaLink.objects.filter(pk__in=chunk).delete()
    counts.deleted = len(stale)
    remeasure = [
        AreaLink(pk=existing[key][0], depth=depth)
        for key, depth in wanted.items()
        if key in existing and existing[key][1] != depth
    ]
    if remeasure:
        update_rows(AreaLink, remeasure, ["depth"])
    counts.updated = len(remeasure)
    new = [
        AreaLink(ancestor_id=a, descendant_id=d, depth=depth)
        for (a, d), depth in wanted.items()
        if (a, d) not in existing
    ]
    AreaLink.objects.bulk_create(new, batch_size=5000)
    counts.created = len(new)
    return counts


# --- geometry ---------------------------------------------------------------------------------


def as_multipolygon(geometry: Any) -> Any:
    if geometry.geom_type == "Polygon":
        return shapely.MultiPolygon([geometry])
    return geometry


def geometry_values(geometry: Any, *, source: str, derived: bool) -> dict[str, Any]:
    """The Area fields describing a WGS84 (multi)polygon."""
    geometry = as_multipolygon(geometry)
    minx, miny, maxx, maxy = (float(v) for v in geometry.bounds)
    point = geometry.centroid
    if not geometry.contains(point):
        point = geometry.representative_point()
    return {
        "geometry_wkb": shapely.to_wkb(geometry, output_dimension=2),
        "min_lon": round(minx, 7),
        "min_lat": round(miny, 7),
        "max_lon": round(maxx, 7),
        "max_lat": round(maxy, 7),
        "centroid_lon": round(float(point.x), 7),
        "centroid_lat": round(float(point.y), 7),
        "area_hectares": round(float(area_hectares(geometry)), 3),
        "boundary_source": source[:300],
        "boundary_derived": derived,
    }


def cleared_geometry_values(source: str = "") -> dict[str, Any]:
    return {
        "geometry_wkb": None,
        "min_lon": None,
        "min_lat": None,
        "max_lon": None,
        "max_lat": None,
        "centroid_lon": None,
        "centroid_lat": None,
        "area_hectares": None,
        "boundary_source": source[:300],
        "boundary_derived": False,
    }


def load_geometries(ids: Iterable[int]) -> dict[int, Any]:
    """Shapely geometries of these areas (those that have one), by id."""
    found: dict[int, Any] = {}
    id_list = list(ids)
    for chunk in chunks(id_list):
        rows = list(
            Area.objects.filter(pk__in=chunk, geometry_wkb__isnull=False).values_list(
                "id", "geometry_wkb"
            )
        )
        if rows:
            geometries = shapely.from_wkb([as_bytes(wkb) for _, wkb in rows])
            found.update(zip((pk for pk, _ in rows), geometries, strict=True))
    return found


def build_shapes(area_ids: Iterable[int], *, as_layer: bool = False) -> int:
    """(Re)write the simplified GeoJSON of these areas for every zoom bucket.

    ``as_layer`` simplifies them together (shared edges stay shared; see
    ``placeworks.geo.simplify_layer_for_zoom``): use it for the areas of one boundary file.
    Areas without geometry lose their shapes. Returns the number of shapes written.
    """
    ids = list(dict.fromkeys(area_ids))
    if not ids:
        return 0
    geometries = load_geometries(ids)
    for chunk in chunks(ids):
        AreaShape.objects.filter(area_id__in=chunk).delete()
    with_geometry = [pk for pk in ids if pk in geometries]
    if not with_geometry:
        return 0
    array = np.empty(len(with_geometry), dtype=object)
    array[:] = [geometries[pk] for pk in with_geometry]
    shapes: list[AreaShape] = []
    for zoom in ZOOM_BUCKETS:
        if as_layer and len(array) > 1:
            simplified = simplify_layer_for_zoom(array, zoom)
        else:
            simplified = simplify_for_zoom(array, zoom)
        for pk, geometry in zip(with_geometry, simplified, strict=True):
            if geometry is None or geometry.is_empty:
                geometry = geometries[pk]
            shapes.append(AreaShape(area_id=pk, zoom=zoom, geojson=geometry_to_geojson(geometry)))
    AreaShape.objects.bulk_create(shapes, batch_size=BATCH)
    return len(shapes)


def missing_shapes(area_ids: Iterable[int]) -> list[int]:
    """Areas with geometry but not every zoom bucket's shape."""
    ids = list(area_ids)
    have: dict[int, int] = defaultdict(int)
    for chunk in chunks(ids):
        for area_id in AreaShape.objects.filter(area_id__in=chunk).values_list(
            "area_id", flat=True
        ):
            have[area_id] += 1
    with_geometry: list[int] = []
    for chunk in chunks(ids):
        with_geometry.extend(
            Area.objects.filter(pk__in=chunk, geometry_wkb__isnull=False).values_list(
                "id", flat=True
            )
        )
    return [pk for pk in with_geometry if have.get(pk, 0) < len(ZOOM_BUCKETS)]


TYPE_PLURALS: dict[str, str] = {
    AreaType.LSOA: "LSOAs",
    AreaType.MSOA: "MSOAs",
    AreaType.WARD: "wards",
    AreaType.LAD: "local authority districts",
    AreaType.COUNTY: "counties",
    AreaType.ICB: "integrated care boards",
    AreaType.SICBL: "sub-ICB locations",
    AreaType.REGION: "regions",
    AreaType.COUNTRY: "countries",
    AreaType.PLACE: "PLACE areas",
    AreaType.NEIGHBOURHOOD: "neighbourhoods",
    AreaType.GP_PRACTICE: "GP practices",
    AreaType.PCN: "primary care networks",
}


def plural(area_type: str, count: int, vintage: str = "") -> str:
    word = TYPE_PLURALS.get(area_type, area_type) if count != 1 else _singular(area_type)
    suffix = f" ({vintage})" if vintage else ""
    return f"{count:,} {word}{suffix}"


def _singular(area_type: str) -> str:
    plural_word = TYPE_PLURALS.get(area_type, area_type)
    if plural_word.endswith("ies"):
        return plural_word[:-3] + "y"
    return plural_word[:-1] if plural_word.endswith("s") else plural_word


@dataclass
class DerivedCounts:
    derived: int = 0
    cleared: int = 0
    unchanged: int = 0
    changed_ids: set[int] = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"derived boundaries: {self.derived} made or updated, {self.cleared} cleared, "
            f"{self.unchanged} unchanged"
        )


def derive_geometries(candidate_ids: Iterable[int] | None = None) -> DerivedCounts:
    """Give areas without a loaded boundary the union of their constituent areas' boundaries.

    For each candidate (all areas when None) that has no loaded boundary and is not partial,
    the direct children (both kinds) are grouped by type and vintage; the coarsest group whose
    members all have a boundary is dissolved (``shapely.union_all``). Areas are processed from
    the bottom up, so a county made of derived districts sees them first. An area none of whose
    groups is complete gets no boundary, and its ``boundary_source`` says why.
    """
    counts = DerivedCounts()
    areas = Area.objects.filter(Q(geometry_wkb__isnull=True) | Q(boundary_derived=True))
    if candidate_ids is not None:
        ids = list(set(candidate_ids))
        if not ids:
            return counts
        up = set(ids)
        for chunk in chunks(ids):
            up.update(
                AreaLink.objects.filter(descendant_id__in=chunk).values_list(
                    "ancestor_id", flat=True
                )
            )
        candidates: list[Area] = []
        for chunk in chunks(list(up)):
            candidates.extend(areas.filter(pk__in=chunk).defer("geometry_wkb"))
    else:
        candidates = list(areas.defer("geometry_wkb"))
    if not candidates:
        return counts
    cand_ids = [a.pk for a in candidates]
    # Height in the hierarchy (longest path down): children are always processed first.
    height: dict[int, int] = defaultdict(int)
    for chunk in chunks(cand_ids):
        for ancestor_id, depth in AreaLink.objects.filter(ancestor_id__in=chunk).values_list(
            "ancestor_id", "depth"
        ):
            height[ancestor_id] = max(height[ancestor_id], depth)
    children: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for chunk in chunks(cand_ids):
        for parent_id, child_id, child_type, child_vintage in AreaRelation.objects.filter(
            parent_id__in=chunk
        ).values_list("parent_id", "child_id", "child__type", "child__vintage"):
            children[parent_id].append((child_id, child_type, child_vintage))
    child_ids = {c for rows in children.values() for c, _, _ in rows}
    geometries = load_geometries(child_ids)
    sources: dict[int, tuple[str, bool]] = {
        pk: (src, derived)
        for chunk in chunks(list(child_ids))
        for pk, src, derived in Area.objects.filter(pk__in=chunk).values_list(
            "id", "boundary_source", "boundary_derived"
        )
    }
    rank: dict[str, int] = {t: i for i, t in enumerate(_TYPE_RANK)}
    existing_wkb: dict[int, bytes] = {}
    derived_ids = [a.pk for a in candidates if a.boundary_derived]
    for chunk in chunks(derived_ids):
        existing_wkb.update(
            (pk, as_bytes(wkb))
            for pk, wkb in Area.objects.filter(
                pk__in=chunk, geometry_wkb__isnull=False
            ).values_list("id", "geometry_wkb")
        )
    now = timezone.now()
    changed: list[Area] = []
    for area in sorted(candidates, key=lambda a: (height[a.pk], a.pk)):
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        for child_id, child_type, child_vintage in children.get(area.pk, []):
            groups[(child_type, child_vintage)].append(child_id)
        complete = [
            (key, members)
            for key, members in groups.items()
            if all(m in geometries for m in members)
        ]
        values: dict[str, Any]
        if area.is_partial:
            values = cleared_geometry_values(
                "No boundary: only part of this area is loaded, so its outline is not drawn."
            )
        elif complete:
            # The coarsest complete group (fewest, largest parts); among equals, the newest.
            (child_type, child_vintage), members = max(
                complete, key=lambda c: (rank.get(c[0][0], 0), vintage_key(c[0][1]))
            )
            union = shapely.union_all([geometries[m] for m in members])
            union = _polygonal(union)
            if union is None:
                values = cleared_geometry_values("No boundary: its parts do not form an area.")
            else:
                values = geometry_values(
                    union,
                    source=_derived_source(area, child_type, child_vintage, members, sources),
                    derived=True,
                )
        elif not groups and not area.boundary_derived:
            continue  # nothing inside it and no boundary: nothing to derive or clear
        else:
            values = cleared_geometry_values(_missing_source(area, groups, geometries))
        current_wkb = existing_wkb.get(area.pk)
        same_geometry = current_wkb == values["geometry_wkb"]
        differs = not same_geometry or any(
            getattr(area, k) != v for k, v in values.items() if k != "geometry_wkb"
        )
        if not differs:
            counts.unchanged += 1
            if values["geometry_wkb"] is not None:
                geometries[area.pk] = shapely.from_wkb(values["geometry_wkb"])
            continue
        for key, value in values.items():
            setattr(area, key, value)
        if not same_geometry:
            area.geometry_updated_at = now
            counts.changed_ids.add(area.pk)
        changed.append(area)
        if values["geometry_wkb"] is not None:
            geometries[area.pk] = shapely.from_wkb(values["geometry_wkb"])
            counts.derived += 1
        else:
            geometries.pop(area.pk, None)
            counts.cleared += 1
    if changed:
        fields = [*cleared_geometry_values().keys(), "geometry_updated_at"]
        update_rows(Area, changed, fields)
    return counts


# Coarse to fine is the reverse; used to prefer dissolving few large parts over many small ones.
_TYPE_RANK = [
    AreaType.LSOA,
    AreaType.GP_PRACTICE,
    AreaType.MSOA,
    AreaType.NEIGHBOURHOOD,
    AreaType.WARD,
    AreaType.PCN,
    AreaType.SICBL,
    AreaType.LAD,
    AreaType.PLACE,
    AreaType.COUNTY,
    AreaType.ICB,
    AreaType.REGION,
    AreaType.COUNTRY,
]


def _polygonal(geometry: Any) -> Any:
    from placeworks.geo import polygonal_part

    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    return polygonal_part(geometry)


def _derived_source(
    area: Area,
    child_type: str,
    child_vintage: str,
    members: list[int],
    sources: dict[int, tuple[str, bool]],
) -> str:
    files = sorted(
        {sources.get(m, ("", False))[0].split(" (")[0] for m in members if not sources[m][1]}
    )
    loaded = [f for f in files if f]
    text = f"Derived: the union of its {plural(child_type, len(members), child_vintage)}"
    if loaded and len(loaded) <= 2:
        text += " (" + "; ".join(loaded) + ")"
    elif any(sources.get(m, ("", False))[1] for m in members):
        text += " (themselves derived)"
    if area.type == AreaType.WARD and child_type == AreaType.LSOA:
        text += (
            ". LSOAs are best-fitted to wards, so this outline approximates the ward; "
            "no boundary of this ward is loaded"
        )
    return text


def _missing_source(
    area: Area, groups: dict[tuple[str, str], list[int]], geometries: dict[int, Any]
) -> str:
    if not groups:
        return "No boundary loaded, and no constituent areas to derive one from."
    parts = []
    for (child_type, child_vintage), members in sorted(groups.items()):
        missing = sum(1 for m in members if m not in geometries)
        parts.append(
            f"{missing} of its {plural(child_type, len(members), child_vintage)} have no boundary"
        )
    return "No boundary loaded, and none can be derived: " + "; ".join(parts) + "."


# --- populations ------------------------------------------------------------------------------


@dataclass
class PopulationCounts:
    apportioned: int = 0
    summed: int = 0
    cleared: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"populations: {self.apportioned} apportioned, {self.summed} summed up the "
            f"hierarchy, {self.cleared} cleared, {self.unchanged} unchanged"
        )


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split a whole number in proportion to ``weights`` so that the parts sum to ``total``
    (Hamilton's largest-remainder method; ties go to the earlier part).

    >>> largest_remainder(10, [1, 1, 1])
    [4, 3, 3]
    >>> largest_remainder(7, [0.5, 0.25, 0.25])
    [3, 2, 2]
    """
    if total == 0 or not weights:
        return [0 for _ in weights]
    whole = math.fsum(weights)
    shares = [1.0 / len(weights)] * len(weights) if whole <= 0 else [w / whole for w in weights]
    raw = [total * s for s in shares]
    parts = [int(math.floor(r)) for r in raw]
    left = total - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def apportion_populations() -> tuple[PopulationCounts, list[str]]:
    """Fill areas without a published population through crosswalks from another vintage of
    the same type (LSOA 2011 -> LSOA 2021), conserving totals exactly (largest remainder)."""
    counts = PopulationCounts()
    notes: list[str] = []
    for crosswalk in Crosswalk.objects.filter(source_type=F("target_type")).order_by("name"):
        weights = list(
            CrosswalkWeight.objects.filter(crosswalk=crosswalk).values_list(
                "source_id", "target_id", "weight", "target__code"
            )
        )
        if not weights:
            continue
        sources = {w[0] for w in weights}
        targets = {w[1] for w in weights}
        info = {
            pk: (pop, year, method, src)
            for chunk in chunks(list(sources | targets))
            for pk, pop, year, method, src in Area.objects.filter(pk__in=chunk).values_list(
                "id", "population", "population_year", "population_method", "population_source"
            )
        }
        have = [s for s in sources if info[s][2] == "direct" and info[s][0] is not None]
        if not have:
            continue
        if any(info[t][2] == "direct" for t in targets):
            continue  # the target vintage has published populations of its own
        by_source: dict[int, list[tuple[int, float, str]]] = defaultdict(list)
        for s, t, w, code in weights:
            by_source[s].append((t, w, code))
        totals: dict[int, int] = defaultdict(int)
        incomplete: set[int] = set()
        years = set()
        for s, rows in by_source.items():
            pop = info[s][0]
            if info[s][2] != "direct" or pop is None:
                incomplete.update(t for t, _, _ in rows)
                continue
            years.add(info[s][1])
            rows.sort(key=lambda r: r[2])
            for (t, _, _), part in zip(
                rows, largest_remainder(int(pop), [w for _, w, _ in rows]), strict=True
            ):
                totals[t] += part
        year = max(y for y in years if y is not None) if years else None
        base_source = next((info[s][3] for s in have if info[s][3]), "")
        label = f"Apportioned from {crosswalk.source_type.upper()} {crosswalk.source_vintage}"
        source_text = f"{label} via {crosswalk.name}: {base_source}"[:200]
        changed: list[Area] = []
        for t in targets:
            if t in incomplete:
                value, method, text, yr = None, "", "Not available: a source area has none", None
            else:
                value, method, text, yr = totals.get(t, 0), "apportioned", source_text, year
            pop, old_year, old_method, old_text = info[t]
            if (pop, old_year, old_method, old_text) == (value, yr, method, text):
                counts.unchanged += 1
                continue
            area = Area(pk=t)
            area.population, area.population_year = value, yr
            area.population_method, area.population_source = method, text
            changed.append(area)
            if value is None:
                counts.cleared += 1
            else:
                counts.apportioned += 1
        if changed:
            update_rows(
                Area,
                changed,
                ["population", "population_year", "population_method", "population_source"],
            )
        if incomplete:
            notes.append(
                f"{crosswalk.name}: {len(incomplete)} areas left without a population (a source "
                "area has none)."
            )
    return counts, notes


def rollup_populations() -> PopulationCounts:
    """Sum LSOA populations into every area above them (vectorised group-sums).

    For each area, its LSOA descendants are grouped by vintage; a vintage counts only when every
    one of its LSOAs has a population. Published figures win over apportioned ones, then the
    newer year, then the newer vintage. Areas marked partial, LSOAs, and areas with a population
    published for themselves are left alone. An area with no complete set loses any summed
    figure it had, and ``population_source`` says what is missing.
    """
    counts = PopulationCounts()
    base = {
        pk: (pop, year, method, vintage, source)
        for pk, pop, year, method, vintage, source in Area.objects.filter(
            type=AreaType.LSOA
        ).values_list(
            "id",
            "population",
            "population_year",
            "population_method",
            "vintage",
            "population_source",
        )
    }
    links = np.array(
        list(
            AreaLink.objects.filter(descendant__type=AreaType.LSOA)
            .values_list("ancestor_id", "descendant_id")
            .iterator(chunk_size=20_000)
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    targets = {
        pk: (pop, year, method, source, partial)
        for pk, pop, year, method, source, partial in Area.objects.exclude(
            type=AreaType.LSOA
        ).values_list(
            "id",
            "population",
            "population_year",
            "population_method",
            "population_source",
            "is_partial",
        )
    }
    vintages = sorted({v[3] for v in base.values()}, key=vintage_key)
    vindex = {v: i for i, v in enumerate(vintages)}
    results: dict[int, tuple[int | None, int | None, str, str]] = {}
    if len(links):
        desc = links[:, 1]
        ids = np.fromiter(base.keys(), dtype=np.int64, count=len(base))
        order = np.argsort(ids)
        pos = order[np.searchsorted(ids, desc, sorter=order)]
        pops = np.array([base[int(i)][0] if base[int(i)][0] is not None else -1 for i in ids])
        vint = np.array([vindex[base[int(i)][3]] for i in ids], dtype=np.int64)
        direct = np.array([base[int(i)][2] == "direct" for i in ids])
        years = np.array(
            [base[int(i)][1] if base[int(i)][1] is not None else -1 for i in ids], dtype=np.int64
        )
        ancestors, anc_index = np.unique(links[:, 0], return_inverse=True)
        nv = len(vintages)
        key = anc_index * nv + vint[pos]
        size = len(ancestors) * nv
        n_all = np.bincount(key, minlength=size)
        have = pops[pos] >= 0
        n_have = np.bincount(key, weights=have, minlength=size)
        total = np.bincount(key, weights=np.where(have, pops[pos], 0), minlength=size)
        n_direct = np.bincount(key, weights=direct[pos] & have, minlength=size)
        max_year = np.full(size, -1, dtype=np.int64)
        np.maximum.at(max_year, key, np.where(have, years[pos], -1))
        min_year = np.full(size, 1 << 30, dtype=np.int64)
        np.minimum.at(min_year, key, np.where(have, years[pos], 1 << 30))
        example_source: dict[tuple[int, int], str] = {}
        first = np.unique(key, return_index=True)[1]
        for k, p in zip(key[first].tolist(), pos[first].tolist(), strict=True):
            example_source[(k // nv, k % nv)] = base[int(ids[p])][4]
        for a, ancestor in enumerate(ancestors.tolist()):
            best = None
            for v in range(nv):
                k = a * nv + v
                if n_all[k] == 0 or n_have[k] < n_all[k]:
                    continue
                rank = (
                    n_direct[k] == n_all[k],
                    max_year[k],
                    vintage_key(vintages[v]),
                )
                if best is None or rank > best[0]:
                    best = (rank, v, k)
            if best is None:
                missing = [
                    f"{int(n_all[a * nv + v] - n_have[a * nv + v])} of its "
                    f"{int(n_all[a * nv + v])} LSOAs ({vintages[v]})"
                    for v in range(nv)
                    if n_all[a * nv + v]
                ]
                results[ancestor] = (
                    None,
                    None,
                    "",
                    ("Not available: no population is loaded for " + " and ".join(missing))[:200],
                )
                continue
            _, v, k = best
            year = int(max_year[k]) if max_year[k] >= 0 else None
            how = "published" if n_direct[k] == n_all[k] else "apportioned"
            years_note = "" if min_year[k] == max_year[k] else f" (years {min_year[k]}–{year})"
            text = (
                f"Sum of its {int(n_all[k]):,} LSOAs ({vintages[v]}), {how} figures"
                f"{years_note}: {example_source[(a, v)]}"
            )
            results[ancestor] = (int(round(total[k])), year, "summed", text[:200])
    changed: list[Area] = []
    for pk, (pop, year, method, source, partial) in targets.items():
        if method == "direct":
            continue
        if partial:
            wanted: tuple[int | None, int | None, str, str] = (
                None,
                None,
                "",
                "Not shown: only part of this area is loaded (see the coverage note).",
            )
        elif pk in results:
            wanted = results[pk]
        elif method in {"summed", "apportioned"} or pop is not None:
            if method == "apportioned":
                continue
            wanted = (None, None, "", "")
        else:
            continue
        if (pop, year, method, source) == wanted:
            counts.unchanged += 1
            continue
        area = Area(pk=pk)
        area.population, area.population_year, area.population_method, area.population_source = (
            wanted
        )
        changed.append(area)
        if wanted[0] is None:
            counts.cleared += 1
        else:
            counts.summed += 1
    if changed:
        update_rows(
            Area,
            changed,
            ["population", "population_year", "population_method", "population_source"],
        )
    return counts


# --- crosswalks -------------------------------------------------------------------------------


@dataclass
class WeightCounts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (
            f"weights: {self.created} added, {self.updated} changed, {self.deleted} removed, "
            f"{self.unchanged} unchanged"
        )


def save_weights(crosswalk: Crosswalk, weights: dict[tuple[int, int], float]) -> WeightCounts:
    """Make the crosswalk's weights exactly ``weights`` ({(source id, target id): weight})."""
    counts = WeightCounts()
    existing = {
        (s, t): (pk, w)
        for pk, s, t, w in CrosswalkWeight.objects.filter(crosswalk=crosswalk).values_list(
            "id", "source_id", "target_id", "weight"
        )
    }
    stale = [pk for key, (pk, _) in existing.items() if key not in weights]
    for chunk in chunks(stale):
        CrosswalkWeight.objects.filter(pk__in=chunk).delete()
    counts.deleted = len(stale)
    changed = []
    new = []
    for key, weight in weights.items():
        weight = round(float(weight), 12)
        if key in existing:
            pk, old = existing[key]
            if abs(old - weight) > 1e-12:
                changed.append(CrosswalkWeight(pk=pk, weight=weight))
            else:
                counts.unchanged += 1
        else:
            new.append(
                CrosswalkWeight(
                    crosswalk=crosswalk, source_id=key[0], target_id=key[1], weight=weight
                )
            )
    if changed:
        update_rows(CrosswalkWeight, changed, ["weight"])
    CrosswalkWeight.objects.bulk_create(new, batch_size=BATCH)
    counts.updated, counts.created = len(changed), len(new)
    return counts
