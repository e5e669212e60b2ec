"""Reading the geography: finding areas, walking the hierarchy, point-in-area, search,
crosswalk apportionment and the GeoJSON layers maps draw.

Other apps call these by name:

- ``find_area(code, type=None, vintage=None) -> Area | None``
- ``ancestors(area) -> list[Area]`` (smallest first) and ``breadcrumbs(area)`` (largest first,
  the official chain only)
- ``descendants(area, type, vintage=None) -> QuerySet[Area]``
- ``children(area, type=None, vintage=None) -> QuerySet[Area]``
- ``siblings(area) -> QuerySet[Area]``
- ``areas_containing_point(lon, lat, type=None, vintage=None) -> list[Area]``
- ``search(q, type=None, parent=None, vintage=None) -> QuerySet[Area]``
- ``apportion(values, crosswalk)`` and ``apportion_counts(values, crosswalk)``

**Vintages.** Where a ``vintage`` argument is None, the *current* vintage of each area type is
used: the newest vintage among its active areas (LSOA 2021 rather than 2011, wards 2024 rather
than the 2021 wards they replaced). Pass a vintage to choose, or ``ALL`` for every vintage.
"""

from __future__ import annotations

import math
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.cache import cache
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from placeworks.geo import AreaIndex, bucket_for_zoom

from .codes import vintage_key
from .models import (
    TYPE_ORDER,
    Area,
    AreaLink,
    AreaRelation,
    AreaShape,
    AreaType,
    Crosswalk,
    CrosswalkWeight,
)
from .store import as_bytes, largest_remainder

ALL = "*"
"""Pass as ``vintage`` to include every vintage."""

# The official chain breadcrumbs follow (other parents are listed as "also part of").
OFFICIAL_CHAIN = [
    AreaType.LSOA,
    AreaType.MSOA,
    AreaType.WARD,
    AreaType.LAD,
    AreaType.COUNTY,
    AreaType.REGION,
    AreaType.COUNTRY,
]

_RANK: dict[str, int] = {t: i for i, t in enumerate(TYPE_ORDER)}


def type_rank(area_type: str) -> int:
    """Position from the smallest type (LSOA, 0) to the largest (country)."""
    return _RANK.get(area_type, len(_RANK))


# --- the geography version: memos of indexes are keyed by it --------------------------------

_VERSION_KEY = "places:geography-version"


def geography_version() -> str:
    """A token that changes whenever imports change the geography (kept in the shared cache)."""
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(_VERSION_KEY, version, timeout=None):
            version = cache.get(_VERSION_KEY) or version
    return str(version)


def bump_geography_version() -> None:
    cache.set(_VERSION_KEY, secrets.token_hex(8), timeout=None)


# --- vintages ---------------------------------------------------------------------------------


def current_vintages() -> dict[str, str]:
    """The current (newest active) vintage of each area type that has areas."""
    found: dict[str, str] = {}
    for area_type, vintage in (
        Area.objects.filter(is_active=True).order_by().values_list("type", "vintage").distinct()
    ):
        if area_type not in found or vintage_key(vintage) > vintage_key(found[area_type]):
            found[area_type] = vintage
    return found


def current_vintage(area_type: str) -> str | None:
    """The newest vintage of active areas of this type (None when there are none)."""
    vintages = set(
        Area.objects.filter(type=area_type, is_active=True)
        .order_by()
        .values_list("vintage", flat=True)
        .distinct()
    )
    return max(vintages, key=vintage_key) if vintages else None


def vintages_of(area_type: str) -> list[str]:
    """Every vintage loaded for this type, newest first."""
    found = set(
        Area.objects.filter(type=area_type).order_by().values_list("vintage", flat=True).distinct()
    )
    return sorted(found, key=vintage_key, reverse=True)


def _filter_vintage(
    queryset: QuerySet[Area], area_type: str | None, vintage: str | None
) -> QuerySet[Area]:
    if vintage == ALL:
        return queryset
    if vintage is not None:
        return queryset.filter(vintage=vintage)
    if area_type is not None:
        current = current_vintage(area_type)
        return queryset.filter(vintage=current) if current is not None else queryset
    # Several types: each at its own current vintage.
    condition = Q()
    for t, v in current_vintages().items():
        condition |= Q(type=t, vintage=v)
    return queryset.filter(condition) if condition else queryset


# --- finding ----------------------------------------------------------------------------------


def find_area(code: str, type: str | None = None, vintage: str | None = None) -> Area | None:  # noqa: A002
    """The active area with this code (None when there is none).

    When several match (an LSOA code in both the 2011 and 2021 vintages; rarely a code used by
    two types), the one of its type's current vintage comes first, then the newest vintage, then
    the larger type.
    """
    code = (code or "").strip()
    if not code:
        return None
    # Codes are stored upper case; an exact match can use the index (iexact cannot).
    areas = Area.objects.filter(code__in={code, code.upper()}, is_active=True)
    if type:
        areas = areas.filter(type=type)
    if vintage is not None and vintage != ALL:
        areas = areas.filter(vintage=vintage)
    found = list(areas.defer("geometry_wkb"))
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    current = current_vintages()
    return max(
        found,
        key=lambda a: (
            a.vintage == current.get(a.type),
            vintage_key(a.vintage),
            type_rank(a.type),
        ),
    )


def other_vintages(area: Area) -> list[Area]:
    """The same code in other vintages of the same type (an LSOA in 2011 and 2021)."""
    return sorted(
        Area.objects.filter(type=area.type, code=area.code).exclude(pk=area.pk),
        key=lambda a: vintage_key(a.vintage),
        reverse=True,
    )


# --- the hierarchy ----------------------------------------------------------------------------


def ancestors(area: Area) -> list[Area]:
    """Every area this one lies in or belongs to, from the smallest to the largest.

    Both kinds count: the official hierarchy (ward, district, county, region, country, ICB)
    and groupings (PLACE areas, neighbourhoods). Ordered by area type, then nearness.
    """
    links = AreaLink.objects.filter(descendant=area).select_related("ancestor")
    found = [(link.depth, link.ancestor) for link in links]
    found.sort(key=lambda item: (type_rank(item[1].type), item[0], item[1].name))
    return [a for _, a in found]


def _official_parent(area: Area, seen: set[int] | None = None) -> Area | None:
    """The next area up the official chain: an LSOA's ward (else its MSOA), a ward's district,
    a district's county (else its region), and so on. None for groupings and the top."""
    parents = [
        r.parent
        for r in AreaRelation.objects.filter(
            child=area, kind=AreaRelation.Kind.WITHIN
        ).select_related("parent")
        if r.parent.type in OFFICIAL_CHAIN and r.parent.pk not in (seen or set())
    ]
    if area.type == AreaType.LSOA:
        # An LSOA's breadcrumb runs through its ward rather than its MSOA.
        wards = [p for p in parents if p.type == AreaType.WARD]
        parents = wards or parents
    if not parents:
        return None
    return min(parents, key=lambda p: (type_rank(p.type), p.name))


def breadcrumbs(area: Area) -> list[Area]:
    """The official chain above an area, from the largest (England) down to its parent.

    At each step the parent of the next official level is taken (an LSOA's ward, a ward's
    district, a district's county, else its region). Groupings have no official parent: their
    breadcrumbs are empty.
    """
    chain: list[Area] = []
    seen = {area.pk}
    current = area
    while (parent := _official_parent(current, seen)) is not None:
        chain.append(parent)
        seen.add(parent.pk)
        current = parent
    return list(reversed(chain))


def part_of(area: Area) -> list[Area]:
    """Ancestors not in the breadcrumbs: groupings, ICB, sub-ICB location, MSOA; largest last."""
    crumbs = {a.pk for a in breadcrumbs(area)}
    return [a for a in ancestors(area) if a.pk not in crumbs]


def _inside(area: Area) -> Any:
    """Ids of the areas inside ``area``, as a subquery: the database starts from the closure's
    (ancestor, descendant) index rather than from every area of the type."""
    return AreaLink.objects.filter(ancestor_id=area.pk).values("descendant_id")


def descendants(area: Area, type: str, vintage: str | None = None) -> QuerySet[Area]:  # noqa: A002
    """Active areas of ``type`` anywhere inside ``area`` (by either kind of relation).

    ``vintage`` None means the current vintage of ``type``; ``ALL`` means every vintage.
    """
    areas = Area.objects.filter(type=type, is_active=True, pk__in=_inside(area))
    return _filter_vintage(areas, type, vintage).order_by("name", "code")


def children(
    area: Area,
    type: str | None = None,  # noqa: A002
    vintage: str | None = None,
) -> QuerySet[Area]:
    """The areas directly inside ``area`` (its constituent areas, for a grouping).

    With ``vintage`` None each child type is given at its current vintage when the area has
    children of that vintage, else at the newest vintage it has (a ward replaced in 2024 keeps
    its 2011 LSOAs).
    """
    areas = Area.objects.filter(parent_links__parent=area, is_active=True)
    if type:
        areas = areas.filter(type=type)
    if vintage == ALL:
        return areas.order_by("name", "code")
    if vintage is not None:
        return areas.filter(vintage=vintage).order_by("name", "code")
    present: dict[str, set[str]] = defaultdict(set)
    for t, v in areas.order_by().values_list("type", "vintage").distinct():
        present[t].add(v)
    current = current_vintages()
    condition = Q()
    for t, vs in present.items():
        chosen = current.get(t) if current.get(t) in vs else max(vs, key=vintage_key)
        condition |= Q(type=t, vintage=chosen)
    if not present:
        return areas.order_by("name", "code")
    return areas.filter(condition).order_by("name", "code")


@dataclass(frozen=True)
class ChildGroup:
    type: str
    vintage: str
    label: str
    areas: list[Area]
    kind: str  # "within" or "member"

    @property
    def plural(self) -> str:
        return self.areas[0].plural_type_label if self.areas else self.label + "s"


def child_groups(area: Area) -> list[ChildGroup]:
    """The children shown on a place page, grouped by type (largest type first)."""
    kinds = dict(
        AreaRelation.objects.filter(parent=area).values_list("child_id", "kind").distinct()
    )
    groups: dict[tuple[str, str], list[Area]] = defaultdict(list)
    for child in children(area):
        groups[(child.type, child.vintage)].append(child)
    result = []
    for (t, v), members in groups.items():
        kind = kinds.get(members[0].pk, AreaRelation.Kind.WITHIN)
        label = members[0].short_type_label
        result.append(ChildGroup(t, v, label, members, kind))
    result.sort(key=lambda g: (-type_rank(g.type), g.vintage))
    return result


def siblings(area: Area) -> QuerySet[Area]:
    """Other areas of the same type and vintage with the same parent in the official chain
    (the last breadcrumb): an LSOA's siblings share its ward, not its MSOA or sub-ICB location;
    a district's share its county (else its region), not its ICB. An area outside the official
    chain (a sub-ICB location, an ICB) uses its smallest parent; groupings and areas with no
    parent: the other areas of the same type and vintage."""
    parent = _official_parent(area)
    if parent is None:
        parent = min(
            (
                r.parent
                for r in AreaRelation.objects.filter(
                    child=area, kind=AreaRelation.Kind.WITHIN
                ).select_related("parent")
            ),
            key=lambda p: (type_rank(p.type), p.name),
            default=None,
        )
    same = Area.objects.filter(type=area.type, vintage=area.vintage, is_active=True).exclude(
        pk=area.pk
    )
    if parent is not None:
        same = same.filter(parent_links__parent=parent, parent_links__kind=AreaRelation.Kind.WITHIN)
    return same.distinct().order_by("name", "code")


def groupings_containing(area: Area) -> list[Area]:
    """PLACE areas and neighbourhoods this area lies in (directly or through its parents)."""
    return [a for a in ancestors(area) if a.is_grouping]


# --- point in area ------------------------------------------------------------------------------


@dataclass
class _Index:
    version: str
    index: AreaIndex | None
    ids: dict[str, int]


_INDEXES: dict[tuple[str, str], _Index] = {}


def area_index(area_type: str, vintage: str) -> tuple[AreaIndex | None, dict[str, int]]:
    """The prepared spatial index of one type and vintage, built once and kept until an import
    changes the geography (any process's import: the version lives in the shared cache)."""
    version = geography_version()
    key = (area_type, vintage)
    cached = _INDEXES.get(key)
    if cached is not None and cached.version == version:
        return cached.index, cached.ids
    rows = list(
        Area.objects.filter(
            type=area_type, vintage=vintage, is_active=True, geometry_wkb__isnull=False
        )
        .values_list("id", "code", "geometry_wkb")
        .iterator(chunk_size=2000)
    )
    index = None
    if rows:
        geometries = shapely.from_wkb([as_bytes(wkb) for _, _, wkb in rows])
        index = AreaIndex.from_arrays([code for _, code, _ in rows], geometries)
    ids = {code: pk for pk, code, _ in rows}
    _INDEXES[key] = _Index(version, index, ids)
    return index, ids


_LAYERS: dict[str, list[tuple[str, str, bool]]] = {}


def _layers_with_boundaries() -> list[tuple[str, str, bool]]:
    """(type, vintage, is current) of every layer with boundaries, kept per geography version."""
    version = geography_version()
    if version not in _LAYERS:
        current = current_vintages()
        found = set(
            Area.objects.filter(is_active=True, min_lon__isnull=False)
            .order_by()
            .values_list("type", "vintage")
            .distinct()
        )
        _LAYERS.clear()
        _LAYERS[version] = sorted((t, v, current.get(t) == v) for t, v in found)
    return _LAYERS[version]


def areas_containing_point(
    lon: float,
    lat: float,
    type: str | None = None,  # noqa: A002
    vintage: str | None = None,
) -> list[Area]:
    """Areas (of ``type``, or of every type with boundaries) the point lies in or on the edge
    of, smallest first. WGS84 longitude and latitude."""
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("longitude and latitude must be numbers")
    layers = _layers_with_boundaries()
    if type:
        layers = [(t, v, c) for t, v, c in layers if t == type]
    if vintage is None:
        pairs = [(t, v) for t, v, is_current in layers if is_current]
    elif vintage == ALL:
        pairs = [(t, v) for t, v, _ in layers]
    else:
        pairs = [(t, v) for t, v, _ in layers if v == vintage]
    ids: list[int] = []
    for area_type, area_vintage in pairs:
        index, by_code = area_index(area_type, area_vintage)
        if index is None:
            continue
        ids.extend(by_code[code] for code in index.containing((lon, lat)))
    found = list(Area.objects.filter(pk__in=ids))
    found.sort(key=lambda a: (type_rank(a.type), a.name))
    return found


def locate_points(
    lons: Iterable[float],
    lats: Iterable[float],
    type: str,
    vintage: str | None = None,  # noqa: A002
) -> list[int | None]:
    """For many points at once, the id of the area of ``type`` each lies in (None if none)."""
    chosen = vintage if vintage not in (None, ALL) else current_vintage(type)
    if chosen is None:
        return [None for _ in lons]
    index, by_code = area_index(type, chosen)
    xs = np.asarray(list(lons), dtype=float)
    ys = np.asarray(list(lats), dtype=float)
    if index is None:
        return [None] * len(xs)
    return [by_code.get(str(code)) if code else None for code in index.locate(xs, ys)]


# --- search -------------------------------------------------------------------------------------


def search(
    q: str | None,
    type: str | None = None,  # noqa: A002
    parent: Area | str | None = None,
    vintage: str | None = None,
) -> QuerySet[Area]:
    """Active areas whose name contains ``q`` or whose code starts with it.

    Each (type, code) appears once, at its newest vintage, unless ``vintage`` is given. An exact
    name or code comes first, then names starting with ``q``, then larger areas before smaller.
    ``parent`` (an area or a code) keeps areas inside it.
    """
    areas = Area.objects.filter(is_active=True)
    text = (q or "").strip()
    if text:
        areas = areas.filter(Q(name__icontains=text) | Q(code__istartswith=text))
    if type:
        areas = areas.filter(type=type)
    if parent is not None:
        parent_area = find_area(parent) if isinstance(parent, str) else parent
        if parent_area is None:
            return Area.objects.none()
        areas = areas.filter(pk__in=_inside(parent_area))
    if vintage == ALL:
        pass
    elif vintage is not None:
        areas = areas.filter(vintage=vintage)
    else:
        newer = Area.objects.filter(
            type=OuterRef("type"), code=OuterRef("code"), vintage__gt=OuterRef("vintage")
        )
        areas = areas.exclude(Exists(newer))
    size = Case(
        *[When(type=t, then=Value(-i)) for i, t in enumerate(TYPE_ORDER)],
        default=Value(0),
        output_field=IntegerField(),
    )
    if text:
        first = Case(
            When(Q(name__iexact=text) | Q(code__iexact=text), then=Value(0)),
            When(name__istartswith=text, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        areas = areas.annotate(_first=first, _size=size).order_by("_first", "_size", "name")
    else:
        areas = areas.annotate(_size=size).order_by("_size", "name")
    return areas.distinct()


# --- crosswalks ---------------------------------------------------------------------------------


def crosswalk_weights(crosswalk: Crosswalk | str) -> dict[tuple[str, str], float]:
    """{(source code, target code): weight} of a crosswalk (by object or name)."""
    if isinstance(crosswalk, str):
        crosswalk = Crosswalk.objects.get(name=crosswalk)
    return {
        (s, t): w
        for s, t, w in CrosswalkWeight.objects.filter(crosswalk=crosswalk).values_list(
            "source__code", "target__code", "weight"
        )
    }


def apportion_by(
    values: Mapping[str, float], weights: Mapping[tuple[str, str], float]
) -> dict[str, float]:
    """Share source values out to targets by weights {(source, target): weight}.

    Each source's weights are normalised to sum to 1, so the sum out equals the sum of the
    values of the sources that have a positive weight (sources without weights, and weights of
    sources without values, contribute nothing). For counts, not rates.

    >>> apportion_by({"A": 10.0, "B": 4.0}, {("A", "X"): 0.25, ("A", "Y"): 0.75, ("B", "Y"): 2})
    {'X': 2.5, 'Y': 11.5}
    """
    totals: dict[str, float] = defaultdict(float)
    for (source, _), weight in weights.items():
        if weight > 0:
            totals[source] += weight
    parts: dict[str, list[float]] = defaultdict(list)
    for (source, target), weight in sorted(weights.items()):
        if source in values and weight > 0:
            parts[target].append(values[source] * weight / totals[source])
    return {target: math.fsum(p) for target, p in sorted(parts.items())}


def apportion_counts_by(
    values: Mapping[str, int], weights: Mapping[tuple[str, str], float]
) -> dict[str, int]:
    """Like ``apportion_by`` for whole numbers: each source's count is split with the largest
    remainder method, so every part is whole and the parts sum exactly to the count.

    >>> apportion_counts_by({"A": 10}, {("A", "X"): 1, ("A", "Y"): 1, ("A", "Z"): 1})
    {'X': 4, 'Y': 3, 'Z': 3}
    """
    by_source: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for (source, target), weight in sorted(weights.items()):
        if weight > 0:
            by_source[source].append((target, weight))
    out: dict[str, int] = defaultdict(int)
    for source, rows in by_source.items():
        if source not in values:
            continue
        shares = largest_remainder(int(values[source]), [w for _, w in rows])
        for (target, _), part in zip(rows, shares, strict=True):
            out[target] += part
    return dict(sorted(out.items()))


def apportion(values: Mapping[str, float], crosswalk: Crosswalk | str) -> dict[str, float]:
    """Share values of the crosswalk's source areas (by code) out to its target areas.

    The total is conserved (see ``apportion_by``). For counts, not rates: apportion a rate's
    numerator and denominator and divide afterwards.
    """
    return apportion_by(values, crosswalk_weights(crosswalk))


def apportion_counts(values: Mapping[str, int], crosswalk: Crosswalk | str) -> dict[str, int]:
    """Whole-number ``apportion``: parts are whole and sum exactly to each source's count."""
    return apportion_counts_by(values, crosswalk_weights(crosswalk))


def crosswalks_for(area: Area) -> list[tuple[Crosswalk, list[tuple[Area, float]]]]:
    """Crosswalks with this area as a source, and where it goes (target, weight)."""
    rows: dict[int, list[tuple[Area, float]]] = defaultdict(list)
    for weight in CrosswalkWeight.objects.filter(source=area).select_related("target"):
        rows[weight.crosswalk_id].append((weight.target, weight.weight))
    crosswalks = {c.pk: c for c in Crosswalk.objects.filter(pk__in=rows)}
    return [(crosswalks[pk], sorted(targets, key=lambda t: -t[1])) for pk, targets in rows.items()]


# --- summaries and layers -----------------------------------------------------------------------


@dataclass(frozen=True)
class TypeSummary:
    type: str
    label: str
    vintage: str
    count: int
    with_boundary: int
    derived_boundary: int
    with_population: int
    is_current: bool


def type_summaries() -> list[TypeSummary]:
    """How many areas of each type and vintage are loaded, with boundaries and populations."""
    from django.db.models import Count

    current = current_vintages()
    rows = (
        Area.objects.filter(is_active=True)
        .values("type", "vintage")
        .annotate(
            count=Count("id"),
            with_boundary=Count("id", filter=Q(min_lon__isnull=False)),
            derived=Count("id", filter=Q(boundary_derived=True)),
            with_population=Count("id", filter=Q(population__isnull=False)),
        )
    )
    summaries = [
        TypeSummary(
            type=row["type"],
            label=str(AreaType(row["type"]).label) if row["type"] in AreaType.values else "",
            vintage=row["vintage"],
            count=row["count"],
            with_boundary=row["with_boundary"],
            derived_boundary=row["derived"],
            with_population=row["with_population"],
            is_current=current.get(row["type"]) == row["vintage"],
        )
        for row in rows
    ]
    summaries.sort(key=lambda s: (-type_rank(s.type), [-x for x in vintage_key(s.vintage)[:1]]))
    return summaries


def layer_areas(
    type: str | None = None,  # noqa: A002
    *,
    parent: Area | None = None,
    vintage: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    codes: Iterable[str] | None = None,
) -> QuerySet[Area]:
    """The areas of a map layer: of a type (current vintage unless given), inside ``parent``,
    meeting ``bbox`` (min lon, min lat, max lon, max lat), or with the given codes."""
    areas = Area.objects.filter(is_active=True)
    if codes is not None:
        code_list = [c for c in codes if c]
        areas = areas.filter(code__in=code_list)
        if type:
            areas = areas.filter(type=type)
        if vintage not in (None, ALL):
            areas = areas.filter(vintage=vintage)
        elif vintage is None:
            newer = Area.objects.filter(
                type=OuterRef("type"), code=OuterRef("code"), vintage__gt=OuterRef("vintage")
            )
            areas = areas.exclude(Exists(newer))
    else:
        if type:
            areas = areas.filter(type=type)
        areas = _filter_vintage(areas, type, vintage)
    if parent is not None:
        areas = areas.filter(pk__in=_inside(parent))
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        areas = areas.filter(
            max_lon__gte=min_lon, min_lon__lte=max_lon, max_lat__gte=min_lat, min_lat__lte=max_lat
        )
    return areas


GEOJSON_FIELDS = (
    "id",
    "code",
    "name",
    "type",
    "vintage",
    "population",
    "population_year",
    "area_hectares",
    "boundary_derived",
    "is_partial",
)


def geojson_layer(
    areas: QuerySet[Area], zoom: float = 12, *, limit: int = 50_000
) -> tuple[str, int]:
    """A GeoJSON FeatureCollection (text) of the areas' shapes simplified for ``zoom``, built
    from the pre-simplified shapes without parsing them. Returns (text, number of features).

    Each feature's properties: code, name, type, vintage, population, population_year,
    area_hectares, density (people per hectare), derived (boundary derived from constituent
    areas), url (the place page).
    """
    import json

    bucket = bucket_for_zoom(zoom)
    # Boundaries come with a bounding box: testing it avoids reading the geometry column.
    rows = list(areas.filter(min_lon__isnull=False).values_list(*GEOJSON_FIELDS)[:limit])
    shapes: dict[int, str] = {}
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 900):
        shapes.update(
            AreaShape.objects.filter(area_id__in=ids[start : start + 900], zoom=bucket).values_list(
                "area_id", "geojson"
            )
        )
    parts = []
    for pk, code, name, area_type, vintage, population, year, hectares, derived, partial in rows:
        geometry = shapes.get(pk)
        if geometry is None:
            continue
        density = (
            round(population / hectares, 2)
            if population is not None and hectares and not partial
            else None
        )
        url = area_url(code, area_type, vintage)
        properties = {
            "code": code,
            "name": name,
            "type": area_type,
            "vintage": vintage,
            "population": population,
            "population_year": year,
            "area_hectares": hectares,
            "density": density,
            "derived": derived,
            "url": url,
        }
        parts.append(
            '{"type":"Feature","id":'
            + json.dumps(f"{area_type}:{code}:{vintage}")
            + ',"properties":'
            + json.dumps(properties, separators=(",", ":"))
            + ',"geometry":'
            + geometry
            + "}"
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}", len(parts)


def page_url(area: Area) -> str:
    """The place page of an area. LSOAs and MSOAs name their vintage (a code can be in two)."""
    return area_url(area.code, area.type, area.vintage)


def area_url(code: str, area_type: str, vintage: str) -> str:
    from .models import VINTAGED_TYPES

    url = f"/places/{code}/"
    if area_type in VINTAGED_TYPES and vintage:
        url += f"?vintage={vintage}"
    return url


# --- choropleth classes -------------------------------------------------------------------------


MEASURES = {
    "population": "Population",
    "density": "People per hectare",
}


@dataclass(frozen=True)
class ChoroplethClass:
    index: int
    lower: float
    upper: float
    count: int


def measure_value(area: Area, measure: str) -> float | None:
    if area.is_partial or area.population is None:
        return None
    if measure == "density":
        return area.population / area.area_hectares if area.area_hectares else None
    return float(area.population)


def quantile_classes(values: list[float], classes: int = 5) -> list[ChoroplethClass]:
    """Equal-count (quantile) classes of the values, as inclusive ranges.

    >>> [(c.lower, c.upper, c.count) for c in quantile_classes([1, 2, 3, 4, 5], 5)]
    [(1.0, 1.0, 1), (2.0, 2.0, 1), (3.0, 3.0, 1), (4.0, 4.0, 1), (5.0, 5.0, 1)]
    """
    clean = sorted(v for v in values if v is not None and math.isfinite(v))
    if not clean:
        return []
    edges = [float(np.quantile(clean, i / classes)) for i in range(classes + 1)]
    result: list[ChoroplethClass] = []
    for i in range(classes):
        lower, upper = edges[i], edges[i + 1]
        if i > 0 and lower == edges[i - 1] and upper == lower:
            continue
        members = [v for v in clean if (v >= lower if i == 0 else v > lower) and v <= upper]
        if not members:
            continue
        result.append(
            ChoroplethClass(len(result), float(min(members)), float(max(members)), len(members))
        )
    return result


def class_of(value: float | None, classes: list[ChoroplethClass]) -> int | None:
    if value is None:
        return None
    for c in classes:
        if value <= c.upper:
            return c.index
    return classes[-1].index if classes else None
