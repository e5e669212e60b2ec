"""Measures of an area's geometry: where to put its label, its bounding box, its size.

Geometry is WGS84 by convention. Centroids are computed in the geometry's own coordinates (in
longitude/latitude a few metres from the true centroid of an LSOA, which does not matter for a
map marker); areas are computed in British National Grid, in hectares.
"""

from __future__ import annotations

from typing import Any, overload

import numpy as np
import shapely
from numpy.typing import NDArray
from shapely import Geometry

from placeworks.geo.crs import WGS84, CRSLike, to_bng

SQUARE_METRES_PER_HECTARE = 10_000.0


def centroid(geom: Geometry) -> tuple[float, float]:
    """The centre of mass (x, y); it may fall outside a crescent or a multi-part area.

    >>> from shapely import box
    >>> centroid(box(0, 0, 2, 4))
    (1.0, 2.0)
    """
    point = shapely.centroid(geom)
    return float(point.x), float(point.y)


def representative_point(geom: Geometry) -> tuple[float, float]:
    """A point guaranteed to lie inside the area (for labels and point-in-area lookups).

    >>> from shapely import Polygon
    >>> u_shape = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    >>> centroid(u_shape)[0], u_shape.contains(shapely.Point(*representative_point(u_shape)))
    (1.5, True)
    """
    point = shapely.point_on_surface(geom)
    return float(point.x), float(point.y)


def bbox(geom: Geometry) -> tuple[float, float, float, float]:
    """The bounding box (min x, min y, max x, max y).

    >>> from shapely import Point
    >>> bbox(Point(-1.5, 53.0).buffer(0.5))
    (-2.0, 52.5, -1.0, 53.5)
    """
    minx, miny, maxx, maxy = (float(v) for v in shapely.bounds(geom))
    return minx, miny, maxx, maxy


@overload
def area_hectares(geom: NDArray[Any], crs: CRSLike = ...) -> NDArray[np.float64]: ...
@overload
def area_hectares(geom: Geometry, crs: CRSLike = ...) -> float: ...
def area_hectares(geom: Any, crs: CRSLike = WGS84) -> Any:
    """Area in hectares, measured in British National Grid; vectorised over an array.

    >>> from shapely import box
    >>> area_hectares(box(450000, 360000, 451000, 361000), "EPSG:27700")
    100.0
    >>> round(area_hectares(box(-1.2, 53.1, -1.19, 53.11)), 1)  # 0.01° square near Mansfield
    74.5
    """
    areas = shapely.area(to_bng(geom, crs)) / SQUARE_METRES_PER_HECTARE
    if isinstance(areas, np.ndarray) and areas.ndim > 0:
        return areas.astype(np.float64)
    return float(areas)
