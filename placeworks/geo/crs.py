"""Reprojection between British National Grid (EPSG:27700) and WGS84 (EPSG:4326), and from any
coordinate reference system PROJ understands to WGS84.

Coordinates are always (x, y) = (easting, northing) or (longitude, latitude): transformers are
built with ``always_xy=True``, whatever axis order the CRS definition declares. Transformers are
cached (building one costs milliseconds; using one costs microseconds) and are safe to share
between threads (pyproj 3.1 and later).

BNG ⇄ WGS84 is pinned to one operation everywhere: the OSGB36 to WGS84 Helmert transformation
(EPSG:1314, "OSGB36 to WGS 84 (6)", about 2 m accurate), which is what PROJ picks onshore without
the OSTN15 grid. Left to choose, PROJ would switch per point to a "ballpark" operation (no datum
shift, ~100 m out) beyond that operation's area of use — offshore, say — and to OSTN15 on
machines that have the grid, so the same point would land differently by place and by machine.
Pinned, results are the same everywhere and a round trip BNG → WGS84 → BNG returns within about
1 mm (the Helmert inverse is a first-order approximation). 2 m is far inside the generalisation
of any boundary file Placeworks serves.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeVar, cast

import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

BNG = "EPSG:27700"
"""British National Grid (OSGB36 / British National Grid): metres, for areas and distances."""

WGS84 = "EPSG:4326"
"""WGS84 longitude and latitude in degrees: how geometry is stored and served."""

CRSLike = str | int | pyproj.CRS
"""Anything ``pyproj.CRS.from_user_input`` accepts: ``"EPSG:27700"``, ``27700``, WKT, a CRS."""

GeometryT = TypeVar("GeometryT")
"""A shapely geometry or a numpy array of them: functions give back the same kind."""

FloatArray = NDArray[np.float64]


def _key(crs: CRSLike) -> str | int:
    # CRS objects hash by their WKT; using the WKT keeps the cache key a plain value.
    return crs.to_wkt() if isinstance(crs, pyproj.CRS) else crs


_TMERC = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy"
_HELMERT = (  # EPSG:1314 OSGB36 to WGS 84 (6), position-vector convention
    "+proj=helmert +x=446.448 +y=-125.157 +z=542.06 +rx=0.15 +ry=0.247 +rz=0.842"
    " +s=-20.489 +convention=position_vector"
)
_BNG_TO_WGS84 = (
    f"+proj=pipeline +step +inv {_TMERC} +step +proj=push +v_3 +step +proj=cart +ellps=airy"
    f" +step {_HELMERT} +step +inv +proj=cart +ellps=WGS84 +step +proj=pop +v_3"
    " +step +proj=unitconvert +xy_in=rad +xy_out=deg"
)
_WGS84_TO_BNG = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=push +v_3"
    f" +step +proj=cart +ellps=WGS84 +step +inv {_HELMERT} +step +inv +proj=cart +ellps=airy"
    f" +step +proj=pop +v_3 +step {_TMERC}"
)


@lru_cache(maxsize=64)
def _transformer(source: str | int, target: str | int) -> pyproj.Transformer:
    if _same(source, BNG) and _same(target, WGS84):
        return pyproj.Transformer.from_pipeline(_BNG_TO_WGS84)
    if _same(source, WGS84) and _same(target, BNG):
        return pyproj.Transformer.from_pipeline(_WGS84_TO_BNG)
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


@lru_cache(maxsize=64)
def _same(source: str | int, target: str | int) -> bool:
    a = pyproj.CRS.from_user_input(source)
    return bool(a.equals(pyproj.CRS.from_user_input(target), ignore_axis_order=True))


def transformer(from_crs: CRSLike, to_crs: CRSLike) -> pyproj.Transformer:
    """The cached ``always_xy`` transformer from ``from_crs`` to ``to_crs``.

    Raises ``pyproj.exceptions.CRSError`` for a CRS PROJ does not know.

    >>> t = transformer(BNG, WGS84)
    >>> t is transformer("EPSG:27700", "EPSG:4326")
    True
    >>> [round(v, 5) for v in t.transform(530017, 180418)]  # Nelson's Column
    [-0.12796, 51.50774]
    """
    return _transformer(_key(from_crs), _key(to_crs))


def same_crs(a: CRSLike, b: CRSLike) -> bool:
    """Whether two CRS definitions denote the same coordinate reference system.

    >>> same_crs("EPSG:4326", 4326), same_crs(BNG, WGS84)
    (True, False)
    """
    return _same(_key(a), _key(b))


def transform_xy(
    xs: ArrayLike, ys: ArrayLike, from_crs: CRSLike, to_crs: CRSLike
) -> tuple[FloatArray, FloatArray]:
    """Reproject coordinate arrays (vectorised); the result keeps the input's shape.

    Points PROJ cannot transform (outside the projection's domain) come back as ``inf``.

    >>> x, y = transform_xy([-1.1967], [53.1435], WGS84, BNG)  # Mansfield
    >>> [round(float(x[0])), round(float(y[0]))]
    [453829, 361007]
    """
    x = np.asarray(xs, dtype=np.float64)
    y = np.asarray(ys, dtype=np.float64)
    if same_crs(from_crs, to_crs):
        return x.copy(), y.copy()
    tx, ty = transformer(from_crs, to_crs).transform(x, y)
    return np.asarray(tx, dtype=np.float64), np.asarray(ty, dtype=np.float64)


def bng_to_wgs84(eastings: ArrayLike, northings: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """British National Grid eastings and northings to WGS84 longitudes and latitudes.

    >>> lon, lat = bng_to_wgs84([530017.0], [180418.0])
    >>> round(float(lon[0]), 5), round(float(lat[0]), 5)
    (-0.12796, 51.50774)
    """
    return transform_xy(eastings, northings, BNG, WGS84)


def wgs84_to_bng(lons: ArrayLike, lats: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """WGS84 longitudes and latitudes to British National Grid eastings and northings (metres).

    >>> e, n = wgs84_to_bng([-0.12795], [51.50774])
    >>> round(float(e[0])), round(float(n[0]))
    (530017, 180418)
    """
    return transform_xy(lons, lats, WGS84, BNG)


def transform_geometry(geom: GeometryT, from_crs: CRSLike, to_crs: CRSLike) -> GeometryT:
    """Reproject a shapely geometry, or a numpy array of them in one vectorised call.

    Only x and y are transformed; a z coordinate, if any, is dropped.

    >>> from shapely import Point
    >>> p = transform_geometry(Point(530017, 180418), BNG, WGS84)
    >>> round(p.x, 5), round(p.y, 5)
    (-0.12796, 51.50774)
    """
    if same_crs(from_crs, to_crs):
        return geom
    t = transformer(from_crs, to_crs)

    def project(coords: FloatArray) -> FloatArray:
        x, y = t.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return cast(GeometryT, shapely.transform(geom, project))


def to_wgs84(geom: GeometryT, from_crs: CRSLike) -> GeometryT:
    """Reproject a geometry (or an array of them) from any CRS to WGS84 longitude/latitude.

    >>> from shapely import box
    >>> [round(v, 3) for v in to_wgs84(box(450000, 360000, 451000, 361000), "EPSG:27700").bounds]
    [-1.254, 53.135, -1.239, 53.144]
    """
    return transform_geometry(geom, from_crs, WGS84)


def to_bng(geom: GeometryT, from_crs: CRSLike = WGS84) -> GeometryT:
    """Reproject a geometry (or an array of them) to British National Grid (metres).

    >>> from shapely import Point
    >>> p = to_bng(Point(-1.1967, 53.1435))
    >>> round(p.x), round(p.y)
    (453829, 361007)
    """
    return transform_geometry(geom, from_crs, BNG)
