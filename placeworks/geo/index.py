"""Point-in-area at national scale: ``AreaIndex`` places a million points in LSOAs in ~0.5 s.

Built once from (code, polygon) pairs, an index answers three questions:

- ``locate(xs, ys)``: the code of the area each point lies in, for many points in one
  vectorised call ("" where none does);
- ``containing(point)``: every area a single point lies in;
- ``intersecting_bbox(minx, miny, maxx, maxy)``: every area that meets a box (a map view).

**Boundary rule.** A point counts as in an area when it lies inside it *or on its boundary*
(GEOS ``intersects``), so a point on the coast or exactly on a vertex is never lost. A point on
a boundary shared by several areas is given, by ``locate``, to exactly one of them: the one whose
code sorts first (then the earliest given, for repeated codes). The answer depends only on the
areas, not on the order they were loaded in. ``containing`` lists all of them.

**How ``locate`` is fast.** The candidate search does not build a shapely Point per input (which
costs as much as the search itself): the areas' bounding boxes are bucketed once into a uniform
grid (about four cells per area, capped so a few huge areas cannot blow it up), each point's
cell is arithmetic, candidates are expanded with numpy and filtered by bounding box, and the
survivors are tested with GEOS's prepared point-in-polygon (``shapely.intersects_xy``) *sorted
by area*, which keeps each prepared polygon hot in cache (about five times faster than testing
in point order). The STR tree (``shapely.STRtree``) answers the single-point and box queries.
Points are processed in chunks, so memory stays flat however many are given.

**Memory.** GEOS builds a prepared polygon's point locator the first time a point is tested
against it: about 75 bytes per vertex (some 100 MB for 33,755 LSOAs of ~40 vertices). With
``prepared=False`` the index skips preparation and tests each point against the bare polygon,
saving that memory: about a quarter slower on such polygons, much slower on detailed ones
(``bench/bench_geo.py`` measures both).

Coordinates must be in the CRS of the polygons (WGS84 longitude/latitude by convention).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from shapely import Geometry

from placeworks.geo.io import Feature

_CELLS_PER_AREA = 4
_CHUNK = 1 << 18  # points per vectorised pass: bounds the temporary arrays to tens of MB
_NONE = -1


class AreaIndex:
    """A spatial index over areas, each a code and a (multi)polygon.

    >>> from shapely import box
    >>> index = AreaIndex([("B", box(1, 0, 2, 1)), ("A", box(0, 0, 1, 1))])
    >>> index.locate([0.5, 1.5, 1.0, 5.0], [0.5, 0.5, 0.5, 5.0]).tolist()
    ['A', 'B', 'A', '']
    >>> index.containing((1.0, 0.5)), index.intersecting_bbox(1.5, 0.2, 3, 3)
    (['A', 'B'], ['B'])
    """

    def __init__(self, areas: Iterable[tuple[str, Geometry]], *, prepared: bool = True) -> None:
        pairs = list(areas)
        geometries = np.empty(len(pairs), dtype=object)
        geometries[:] = [geometry for _, geometry in pairs]
        self._build([str(code) for code, _ in pairs], geometries, prepared)

    @classmethod
    def from_arrays(
        cls,
        codes: Sequence[str] | NDArray[Any],
        geometries: Sequence[Geometry] | NDArray[Any],
        *,
        prepared: bool = True,
    ) -> AreaIndex:
        """Build from parallel sequences of codes and geometries.

        >>> from shapely import box
        >>> len(AreaIndex.from_arrays(["A", "B"], [box(0, 0, 1, 1), box(1, 0, 2, 1)]))
        2
        """
        if len(codes) != len(geometries):
            raise ValueError(f"{len(codes)} codes but {len(geometries)} geometries")
        array = np.empty(len(geometries), dtype=object)
        array[:] = list(geometries)
        index = cls.__new__(cls)
        index._build([str(code) for code in codes], array, prepared)
        return index

    @classmethod
    def from_features(
        cls, features: Iterable[Feature], code_field: str = "code", *, prepared: bool = True
    ) -> AreaIndex:
        """Build from features read by ``read_boundaries``, keyed by a property.

        >>> from shapely import box
        >>> index = AreaIndex.from_features([Feature(box(0, 0, 1, 1), {"code": "A"})])
        >>> index.locate_point(0.5, 0.5)
        'A'
        """
        pairs = ((str(f.properties.get(code_field, "")), f.geometry) for f in features)
        return cls(pairs, prepared=prepared)

    def _build(self, codes: list[str], geometries: NDArray[np.object_], prepared: bool) -> None:
        count = len(codes)
        self.codes: NDArray[np.str_] = np.asarray(codes, dtype=str).reshape(count)
        self.geometries: NDArray[np.object_] = geometries
        self.tree = shapely.STRtree(geometries)
        if prepared:
            shapely.prepare(geometries)
        # Tie-break for shared boundaries: the lowest rank wins; ranks follow code order.
        order = np.argsort(self.codes, kind="stable").astype(np.intp)
        self._by_rank = order
        self._rank = np.empty(count, dtype=np.intp)
        self._rank[order] = np.arange(count, dtype=np.intp)
        self._codes_or_blank = np.append(self.codes, np.asarray([""], dtype=self.codes.dtype))

        bounds = shapely.bounds(geometries).reshape(count, 4)
        present = np.flatnonzero(np.isfinite(bounds).all(axis=1))
        self._minx, self._miny, self._maxx, self._maxy = (bounds[:, i].copy() for i in range(4))
        if len(present) == 0:
            self._grid: tuple[float, float, float, float, int, int] | None = None
            self._start = np.zeros(1, dtype=np.int64)
            self._entries = np.zeros(0, dtype=np.int32)
            return
        b = bounds[present]
        x0, y0 = float(b[:, 0].min()), float(b[:, 1].min())
        width = max(float(b[:, 2].max()) - x0, 1e-9)
        height = max(float(b[:, 3].max()) - y0, 1e-9)
        cells = max(_CELLS_PER_AREA * len(present), 1)
        budget = max(16 * len(present), 1 << 20)
        while True:
            nx = max(1, round(np.sqrt(cells * width / height)))
            ny = max(1, round(cells / nx))
            sx, sy = width / nx, height / ny
            cx0 = np.minimum(np.floor((b[:, 0] - x0) / sx), nx - 1).astype(np.int64)
            cx1 = np.minimum(np.floor((b[:, 2] - x0) / sx), nx - 1).astype(np.int64)
            cy0 = np.minimum(np.floor((b[:, 1] - y0) / sy), ny - 1).astype(np.int64)
            cy1 = np.minimum(np.floor((b[:, 3] - y0) / sy), ny - 1).astype(np.int64)
            spans_x = cx1 - cx0 + 1
            per_area = spans_x * (cy1 - cy0 + 1)
            if per_area.sum() <= budget or cells <= 1:
                break
            cells //= 2
        area = np.repeat(np.arange(len(present)), per_area)
        offset = np.arange(int(per_area.sum())) - np.repeat(
            np.cumsum(per_area) - per_area, per_area
        )
        cell = (cy0[area] + offset // spans_x[area]) * nx + cx0[area] + offset % spans_x[area]
        order = np.argsort(cell, kind="stable")
        self._entries = present[area[order]].astype(np.int32)
        self._start = np.searchsorted(cell[order], np.arange(nx * ny + 1)).astype(np.int64)
        self._grid = (x0, y0, sx, sy, nx, ny)

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"<AreaIndex of {len(self)} areas>"

    def locate_index(self, xs: ArrayLike, ys: ArrayLike) -> NDArray[np.intp]:
        """For each point, the position (in the order given) of the area it lies in; -1 if none.

        >>> from shapely import box
        >>> AreaIndex([("A", box(0, 0, 1, 1))]).locate_index([0.5, 2.0], [0.5, 2.0]).tolist()
        [0, -1]
        """
        x = np.asarray(xs, dtype=np.float64).ravel()
        y = np.asarray(ys, dtype=np.float64).ravel()
        if x.shape != y.shape:
            raise ValueError(f"xs and ys differ in length ({len(x)} and {len(y)})")
        found = np.full(len(x), _NONE, dtype=np.intp)
        if self._grid is None:
            return found
        for begin in range(0, len(x), _CHUNK):
            end = min(begin + _CHUNK, len(x))
            found[begin:end] = self._locate_chunk(x[begin:end], y[begin:end])
        return found

    def _locate_chunk(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.intp]:
        assert self._grid is not None
        x0, y0, sx, sy, nx, ny = self._grid
        with np.errstate(invalid="ignore"):
            fx = np.floor((x - x0) / sx)
            fy = np.floor((y - y0) / sy)
            # A point on the grid's far edge belongs to the last cell; NaN compares False.
            fx = np.where(fx == nx, nx - 1, fx)
            fy = np.where(fy == ny, ny - 1, fy)
            inside = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)
        point = np.flatnonzero(inside)
        cell = fy[point].astype(np.int64) * nx + fx[point].astype(np.int64)
        first = self._start[cell]
        count = self._start[cell + 1] - first
        point = np.repeat(point, count)
        offset = np.arange(len(point)) - np.repeat(np.cumsum(count) - count, count)
        area = self._entries[np.repeat(first, count) + offset]
        px, py = x[point], y[point]
        near = (
            (px >= self._minx[area])
            & (px <= self._maxx[area])
            & (py >= self._miny[area])
            & (py <= self._maxy[area])
        )
        point, area, px, py = point[near], area[near], px[near], py[near]
        by_area = np.argsort(area, kind="stable")
        point, area = point[by_area], area[by_area]
        hit = shapely.intersects_xy(self.geometries[area], px[by_area], py[by_area])
        point, area = point[hit], area[hit]
        best = np.full(len(x), len(self), dtype=np.intp)
        np.minimum.at(best, point, self._rank[area])
        return np.where(best < len(self), self._by_rank[np.minimum(best, len(self) - 1)], _NONE)

    def locate(self, xs: ArrayLike, ys: ArrayLike) -> NDArray[np.str_]:
        """For each point, the code of the area it lies in ("" where none does).

        >>> from shapely import box
        >>> AreaIndex([("A", box(0, 0, 1, 1))]).locate([0.5, 2.0], [0.5, 2.0]).tolist()
        ['A', '']
        """
        found: NDArray[np.str_] = self._codes_or_blank[self.locate_index(xs, ys)]
        return found

    def locate_point(self, x: float, y: float) -> str | None:
        """The code of the area one point lies in, or None (same boundary rule as ``locate``).

        >>> from shapely import box
        >>> AreaIndex([("A", box(0, 0, 1, 1))]).locate_point(0.2, 0.3)
        'A'
        """
        position = int(self.locate_index([x], [y])[0])
        return None if position == _NONE else str(self.codes[position])

    def containing(self, point: Geometry | tuple[float, float]) -> list[str]:
        """Codes of every area the point lies in or on the boundary of, sorted.

        >>> from shapely import Point, box
        >>> AreaIndex([("A", box(0, 0, 1, 1)), ("B", box(1, 0, 2, 1))]).containing(Point(1, 1))
        ['A', 'B']
        """
        geometry = point if isinstance(point, shapely.Geometry) else shapely.Point(*point)
        return self._codes_of(self.tree.query(geometry, predicate="intersects"))

    def intersecting_bbox(self, minx: float, miny: float, maxx: float, maxy: float) -> list[str]:
        """Codes of every area that meets the box (its interior or boundary), sorted.

        >>> from shapely import box
        >>> AreaIndex([("A", box(0, 0, 1, 1)), ("B", box(5, 5, 6, 6))]).intersecting_bbox(0, 0, 2, 2)
        ['A']
        """
        if minx > maxx or miny > maxy:
            raise ValueError(f"not a box: ({minx}, {miny}, {maxx}, {maxy})")
        box = shapely.box(minx, miny, maxx, maxy)
        return self._codes_of(self.tree.query(box, predicate="intersects"))

    def _codes_of(self, positions: NDArray[np.intp]) -> list[str]:
        return sorted({str(code) for code in self.codes[positions]})
