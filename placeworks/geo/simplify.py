"""Simplifying boundaries for web maps: a tolerance per zoom level, and standard zoom buckets.

At web-map (Web Mercator, 256-pixel tile) zoom ``z`` one pixel spans ``360 / (256 · 2^z)``
degrees of longitude, and ``cos(latitude)`` times that in degrees of latitude (Mercator stretches
north–south distances by ``1 / cos(latitude)``). The tolerance is **half a pixel in the smaller
of the two**, at a reference latitude (52.5°N, the middle of England and Wales), so simplified
outlines stay within about half a pixel of the originals: invisible on screen. (Douglas–Peucker
keeps each dropped vertex within the tolerance of the line replacing it; where GEOS also drops a
ring's start vertex the gap can reach about 1.6 times the tolerance: still under a pixel.) At zoom 12 that is 0.000105° (about 11 m); at zoom 6, 0.0067° (about 740 m).

Boundaries are pre-simplified for a few zoom *buckets* (``ZOOM_BUCKETS``) and a map at any zoom
is served the nearest bucket at or below it (``bucket_for_zoom``): coarser than needed only by
up to two zoom levels, never finer than the screen shows.

Two ways to simplify:

- ``simplify_for_zoom``: each polygon on its own, Douglas–Peucker with topology preserved
  (``preserve_topology=True``): a polygon stays valid and never collapses, but neighbours are
  simplified independently, so hairline gaps and overlaps can open along shared edges;
- ``simplify_layer_for_zoom``: a whole layer of neighbouring polygons at once with GEOS coverage
  simplification, which simplifies each shared edge once, so neighbours stay edge to edge. It
  is Visvalingam–Whyatt (a vertex goes when the triangle it makes with its neighbours is smaller
  than tolerance²), a little gentler than Douglas–Peucker at the same tolerance. It needs a
  clean coverage (no overlaps, edges matching vertex for vertex); layers that are not one
  (boundaries generalised separately, say) fall back to polygon-by-polygon simplification.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TypeVar, cast

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import Geometry

ZOOM_BUCKETS: tuple[int, ...] = (6, 9, 12)
"""Zoom levels boundaries are pre-simplified for: region/country, district, neighbourhood."""

REFERENCE_LATITUDE = 52.5
"""Degrees north where tolerances are worked out: the middle of England and Wales."""

TILE_SIZE = 256

GeometryT = TypeVar("GeometryT")


def tolerance_for_zoom(zoom: float, *, latitude: float = REFERENCE_LATITUDE) -> float:
    """Half a screen pixel at ``zoom``, in degrees (see the module docstring).

    >>> round(tolerance_for_zoom(12), 6), round(tolerance_for_zoom(6), 5)
    (0.000105, 0.00669)
    """
    if not 0 <= zoom <= 30:
        raise ValueError(f"zoom must be between 0 and 30, got {zoom}")
    if not -85 < latitude < 85:
        raise ValueError(f"latitude must be within ±85°, got {latitude}")
    degrees_per_pixel = 360.0 / (TILE_SIZE * math.pow(2.0, zoom))
    return 0.5 * degrees_per_pixel * math.cos(math.radians(latitude))


def bucket_for_zoom(zoom: float, buckets: Sequence[int] = ZOOM_BUCKETS) -> int:
    """The pre-simplified bucket to serve at ``zoom``: the largest at or below it.

    Zooms below the first bucket get the first (the coarsest there is).

    >>> [bucket_for_zoom(z) for z in (3, 6, 8, 9, 11.5, 12, 18)]
    [6, 6, 6, 9, 9, 12, 12]
    """
    ordered = sorted(buckets)
    if not ordered:
        raise ValueError("no zoom buckets given")
    return max((b for b in ordered if b <= zoom), default=ordered[0])


def simplify_for_zoom(
    geom: GeometryT, zoom: float, *, latitude: float = REFERENCE_LATITUDE
) -> GeometryT:
    """Simplify a WGS84 geometry (or an array of them) for display at ``zoom``.

    Topology-preserving Douglas–Peucker: each polygon stays valid and keeps every ring.

    >>> from shapely import Point
    >>> circle = Point(-1.2, 53.1).buffer(0.01, quad_segs=64)
    >>> len(circle.exterior.coords), len(simplify_for_zoom(circle, 9).exterior.coords)
    (257, 9)
    """
    tolerance = tolerance_for_zoom(zoom, latitude=latitude)
    return cast(GeometryT, shapely.simplify(geom, tolerance, preserve_topology=True))


def simplify_layer_for_zoom(
    geometries: Sequence[Geometry] | NDArray[Any],
    zoom: float,
    *,
    latitude: float = REFERENCE_LATITUDE,
) -> NDArray[np.object_]:
    """Simplify neighbouring polygons together so shared edges stay shared (coverage
    simplification), falling back to ``simplify_for_zoom`` per polygon if they are not a clean
    coverage. Run it on a whole layer, not a piece: a piece's outer edges are simplified
    without regard to the polygons outside it.

    >>> from shapely import Polygon
    >>> wiggle = [(x / 1000, 0.0001 * (x % 2)) for x in range(1001)]  # a shared, wiggly edge
    >>> north = Polygon(wiggle + [(1, 1), (0, 1)])
    >>> south = Polygon(wiggle + [(1, -1), (0, -1)])
    >>> simplified = simplify_layer_for_zoom([north, south], 9)
    >>> len(north.exterior.coords), [len(g.exterior.coords) for g in simplified]
    (1004, [46, 46])
    >>> bool(shapely.coverage_is_valid(simplified))
    True
    """
    array = np.empty(len(geometries), dtype=object)
    array[:] = list(geometries)
    tolerance = tolerance_for_zoom(zoom, latitude=latitude)
    if len(array) and bool(shapely.coverage_is_valid(array)):
        simplified: NDArray[np.object_] = shapely.coverage_simplify(array, tolerance)
        if bool(shapely.is_valid(simplified).all()) and not shapely.is_empty(simplified).any():
            return simplified
    return simplify_for_zoom(array, zoom, latitude=latitude)
