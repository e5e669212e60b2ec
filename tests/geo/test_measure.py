"""Centroid, representative point, bounding box and area in hectares."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from placeworks.geo import area_hectares, bbox, centroid, representative_point

from .conftest import MANSFIELD_LAD


def test_mansfield_district_measures(lads):
    mansfield = next(f.geometry for f in lads.features if f.properties["code"] == MANSFIELD_LAD)
    # ONS gives Mansfield district 7,679 ha; the generalised boundary is within a few per cent.
    assert area_hectares(mansfield) == pytest.approx(7_679, rel=0.03)
    minx, miny, maxx, maxy = bbox(mansfield)
    assert minx < -1.1967 < maxx and miny < 53.1435 < maxy
    assert mansfield.contains(shapely.Point(*representative_point(mansfield)))
    cx, cy = centroid(mansfield)
    assert minx < cx < maxx and miny < cy < maxy


def test_area_is_vectorised(lsoas):
    geometries = np.array([f.geometry for f in lsoas.features], dtype=object)
    areas = area_hectares(geometries)
    assert areas.shape == (1335,) and areas.dtype == np.float64
    assert areas[0] == pytest.approx(area_hectares(geometries[0]))
    # LSOAs hold about 1,500 people: from tens of hectares in towns to thousands in the Peak.
    assert 5 < np.median(areas) < 200 and areas.max() > 2_000
