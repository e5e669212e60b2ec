"""Area-overlap crosswalks between geographies that do not nest, and apportioning by them.

``overlap_weights`` measures how much of each source area (an LSOA, a 2017 ward) lies in each
target area (a ward, a 2021 ward): the intersection areas of every overlapping pair, found with
an STR tree and computed in British National Grid (EPSG:27700). BNG is a transverse Mercator
projection, not strictly equal-area, but its scale varies by under 0.04% across Great Britain and
shares are ratios of areas a few kilometres apart, so the error in a share is far below 0.01%.

**Slivers.** Boundaries generalised separately never quite agree, so a source touches its
neighbours' targets in thin slivers. A pair is dropped when its overlap is under
``min_share`` of the source (default 0.1%) **or** under ``min_area_m2`` (default 1 m²) — with one
exception: a source always keeps its largest overlap, so no source that meets a target is lost.
The kept shares of each source are then **renormalised to sum to 1**, so apportioning conserves
totals. ``coverage`` records how much of each source the kept pairs covered before
renormalising (an LSOA half outside every target shows 0.5: a warning sign for the caller).

Rows carry the overlap in m², the (renormalised) share of the source, and the (raw) share of
the target it makes up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import Geometry

from placeworks.geo.crs import WGS84, CRSLike, to_bng
from placeworks.geo.io import polygonal_part

DEFAULT_MIN_SHARE = 0.001
"""Overlaps under 0.1% of the source are slivers (unless the source's largest)."""

DEFAULT_MIN_AREA_M2 = 1.0
"""Overlaps under 1 m² are slivers (unless the source's largest)."""


@dataclass(frozen=True)
class OverlapWeight:
    """How much of one source area lies in one target area."""

    source_code: str
    target_code: str
    overlap_area_m2: float
    share_of_source: float  # renormalised: a source's shares sum to 1
    share_of_target: float  # overlap / target area, as measured


@dataclass(frozen=True)
class Overlap:
    """The rows of an overlap crosswalk, sorted by source then target, and its diagnostics."""

    weights: tuple[OverlapWeight, ...]
    coverage: dict[str, float] = field(default_factory=dict)  # kept overlap / source area
    unmatched: tuple[str, ...] = ()  # sources that overlap no target at all

    def __iter__(self) -> Iterator[OverlapWeight]:
        return iter(self.weights)

    def __len__(self) -> int:
        return len(self.weights)

    def as_mapping(self) -> dict[tuple[str, str], float]:
        """{(source, target): share of source}, the form ``apportion`` and the database use."""
        return {(w.source_code, w.target_code): w.share_of_source for w in self.weights}


def _array(
    pairs: Iterable[tuple[str, Geometry]], crs: CRSLike
) -> tuple[list[str], NDArray[np.object_]]:
    items = list(pairs)
    geometries = np.empty(len(items), dtype=object)
    geometries[:] = [geometry for _, geometry in items]
    geometries = to_bng(geometries, crs)
    broken = np.flatnonzero(~shapely.is_valid(geometries) & ~shapely.is_missing(geometries))
    for i in broken:
        geometries[i] = polygonal_part(shapely.make_valid(geometries[i]))
    return [str(code) for code, _ in items], geometries


def _intersection_areas(a: NDArray[np.object_], b: NDArray[np.object_]) -> NDArray[np.float64]:
    try:
        areas: NDArray[np.float64] = shapely.area(shapely.intersection(a, b))
        return areas
    except shapely.errors.GEOSException:
        # A rare robustness failure in one pair fails the whole vectorised call: redo pair by
        # pair, snapping to a 1 cm grid where the exact overlay fails.
        result = np.empty(len(a))
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            try:
                result[i] = shapely.intersection(x, y).area
            except shapely.errors.GEOSException:
                result[i] = shapely.intersection(x, y, grid_size=0.01).area
        return result


def overlap_weights(
    sources: Iterable[tuple[str, Geometry]],
    targets: Iterable[tuple[str, Geometry]],
    *,
    crs: CRSLike = WGS84,
    min_share: float = DEFAULT_MIN_SHARE,
    min_area_m2: float = DEFAULT_MIN_AREA_M2,
) -> Overlap:
    """Area-overlap weights from each source area to the target areas it overlaps.

    ``sources`` and ``targets`` are (code, polygon) pairs in ``crs`` (WGS84 by default); a code
    given several times is one area in several parts.

    >>> from shapely import box
    >>> square = [("S", box(0, 0, 100, 100))]
    >>> halves = [("W", box(0, 0, 25, 100)), ("E", box(25, 0, 100, 100))]
    >>> for row in overlap_weights(square, halves, crs="EPSG:27700"):
    ...     print(row.source_code, row.target_code, row.overlap_area_m2, row.share_of_source)
    S E 7500.0 0.75
    S W 2500.0 0.25
    """
    if not 0 <= min_share < 1:
        raise ValueError(f"min_share must be in [0, 1), got {min_share}")
    source_codes, source_geometries = _array(sources, crs)
    target_codes, target_geometries = _array(targets, crs)
    source_names, source_of = np.unique(np.asarray(source_codes, dtype=str), return_inverse=True)
    target_names, target_of = np.unique(np.asarray(target_codes, dtype=str), return_inverse=True)
    source_area = np.bincount(
        source_of, weights=shapely.area(source_geometries), minlength=len(source_names)
    )
    target_area = np.bincount(
        target_of, weights=shapely.area(target_geometries), minlength=len(target_names)
    )

    tree = shapely.STRtree(target_geometries)
    s, t = tree.query(source_geometries, predicate="intersects")
    a, b = source_geometries[s], target_geometries[t]
    shapely.prepare(a)
    shapely.prepare(b)
    # Nesting pairs need no overlay: a source inside its target overlaps by its whole area.
    source_inside = shapely.covers(b, a)
    target_inside = ~source_inside & shapely.covers(a, b)
    rest = ~source_inside & ~target_inside
    overlap = np.empty(len(s))
    overlap[source_inside] = shapely.area(a[source_inside])
    overlap[target_inside] = shapely.area(b[target_inside])
    overlap[rest] = _intersection_areas(a[rest], b[rest])

    # One row per (source code, target code), parts summed.
    pair = source_of[s].astype(np.int64) * len(target_names) + target_of[t]
    pairs, pair_of = np.unique(pair, return_inverse=True)
    area = np.bincount(pair_of, weights=overlap, minlength=len(pairs))
    src, tgt = pairs // len(target_names), pairs % len(target_names)

    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(source_area[src] > 0, area / source_area[src], 0.0)
    keep = (area > 0) & (area >= min_area_m2) & (share >= min_share)
    # ...but never lose a source that overlaps something: keep its largest overlap.
    largest = np.lexsort((-area, src))
    first = largest[np.unique(src[largest], return_index=True)[1]]
    keep[first[area[first] > 0]] = True
    src, tgt, area = src[keep], tgt[keep], area[keep]

    kept_total = np.bincount(src, weights=area, minlength=len(source_names))
    rows = tuple(
        OverlapWeight(
            source_code=str(source_names[i]),
            target_code=str(target_names[j]),
            overlap_area_m2=float(m2),
            share_of_source=float(m2 / kept_total[i]),
            share_of_target=float(m2 / target_area[j]) if target_area[j] > 0 else 0.0,
        )
        for i, j, m2 in zip(src.tolist(), tgt.tolist(), area.tolist(), strict=True)
    )
    matched = np.unique(src)
    coverage = {
        str(source_names[i]): float(min(kept_total[i] / source_area[i], 1.0))
        for i in matched.tolist()
        if source_area[i] > 0
    }
    unmatched = np.setdiff1d(np.arange(len(source_names)), matched)
    return Overlap(
        weights=rows,
        coverage=coverage,
        unmatched=tuple(str(source_names[i]) for i in unmatched.tolist()),
    )


def apportion(
    values_by_source: Mapping[str, float],
    weights: Iterable[OverlapWeight] | Mapping[tuple[str, str], float],
) -> dict[str, float]:
    """Share counts out from source areas to target areas, conserving the total.

    Each source's value is split across its targets in proportion to its weights (normalised
    here to sum to 1, so population or overlap weights both work). The sum out equals the sum in
    over sources that have any positive weight; sources with none, and weights of sources with
    no value, contribute nothing. For counts (people, cases, money), not rates: apportion a
    rate's numerator and denominator and divide afterwards.

    >>> weights = {("S1", "W1"): 0.25, ("S1", "W2"): 0.75, ("S2", "W2"): 1.0}
    >>> apportion({"S1": 100.0, "S2": 10.0, "S3": 5.0}, weights)
    {'W1': 25.0, 'W2': 85.0}
    """
    triples: list[tuple[str, str, float]]
    if isinstance(weights, Mapping):
        triples = [(s, t, float(w)) for (s, t), w in weights.items()]
    else:
        triples = [(w.source_code, w.target_code, w.share_of_source) for w in weights]
    for source, target, weight in triples:
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"weight {source} -> {target} must be finite and >= 0, got {weight}")
    for source, value in values_by_source.items():
        if not math.isfinite(value):
            raise ValueError(f"value of {source} must be finite, got {value}")

    totals: dict[str, list[float]] = defaultdict(list)
    for source, _, weight in triples:
        totals[source].append(weight)
    total = {source: math.fsum(ws) for source, ws in totals.items()}

    shares: dict[str, list[float]] = defaultdict(list)
    for source, target, weight in triples:
        if weight > 0 and source in values_by_source:
            shares[target].append(values_by_source[source] * (weight / total[source]))
    return {target: math.fsum(shares[target]) for target in sorted(shares)}
