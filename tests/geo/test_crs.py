"""Reprojection between British National Grid and WGS84, and from other CRSs to WGS84."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from placeworks.geo import (
    BNG,
    WGS84,
    bng_to_wgs84,
    same_crs,
    to_bng,
    to_wgs84,
    transform_geometry,
    transform_xy,
    transformer,
    wgs84_to_bng,
)

from .conftest import MANSFIELD_TOWN_CENTRE


def test_known_point_reprojects_to_its_grid_reference():
    # Mansfield town centre is at about SK 538 610 (OS grid), i.e. E 453800 N 361000.
    eastings, northings = wgs84_to_bng([MANSFIELD_TOWN_CENTRE[0]], [MANSFIELD_TOWN_CENTRE[1]])
    assert eastings[0] == pytest.approx(453_829, abs=5)
    assert northings[0] == pytest.approx(361_007, abs=5)


def test_transformers_are_cached_and_shared():
    assert transformer(BNG, WGS84) is transformer("EPSG:27700", "EPSG:4326")
    assert transformer(BNG, WGS84) is not transformer(WGS84, BNG)
    assert transformer(pyproj.CRS(BNG), WGS84) is transformer(pyproj.CRS(BNG), WGS84)


def test_bng_wgs84_is_one_operation_everywhere_even_offshore():
    # Beyond the Helmert's area of use PROJ would silently switch to a 100 m "ballpark" shift;
    # pinned, a point 50 km out in the North Sea round-trips like one on land.
    eastings = np.array([450_000.0, 700_000.0, -50_000.0])
    northings = np.array([350_000.0, 300_000.0, 50_000.0])
    lons, lats = bng_to_wgs84(eastings, northings)
    back_e, back_n = wgs84_to_bng(lons, lats)
    assert np.abs(back_e - eastings).max() < 0.01
    assert np.abs(back_n - northings).max() < 0.01


def test_shape_is_kept_and_scalars_work():
    x, y = transform_xy(np.zeros((2, 3)) + 450_000, np.zeros((2, 3)) + 350_000, BNG, WGS84)
    assert x.shape == y.shape == (2, 3)
    x, y = transform_xy(450_000, 350_000, BNG, WGS84)
    assert x.shape == () and float(x) == pytest.approx(-1.2557, abs=1e-4)


def test_same_crs_is_a_copy_not_a_transformation():
    xs = np.array([1.0, 2.0])
    x, _ = transform_xy(xs, xs, "EPSG:4326", "OGC:CRS84")  # same CRS, other axis order
    assert np.array_equal(x, xs) and x is not xs
    assert same_crs(4326, "EPSG:4326") and not same_crs(BNG, WGS84)


def test_geometries_and_arrays_of_them_reproject_both_ways():
    square = shapely.box(450_000, 360_000, 451_000, 361_000)
    wgs = to_wgs84(square, BNG)
    assert wgs.bounds == pytest.approx((-1.2544, 53.1348, -1.2392, 53.1440), abs=1e-3)
    back = to_bng(wgs)
    assert shapely.hausdorff_distance(back, square) < 0.01
    array = np.array([square, shapely.Point(450_000, 360_000), None], dtype=object)
    moved = transform_geometry(array, BNG, WGS84)
    assert moved[0].equals_exact(wgs, 1e-12) and moved[2] is None


def test_any_crs_pyproj_knows_goes_to_wgs84():
    # Web Mercator metres of Mansfield town centre.
    x, y = transformer(WGS84, "EPSG:3857").transform(*MANSFIELD_TOWN_CENTRE)
    point = to_wgs84(shapely.Point(x, y), "EPSG:3857")
    assert (point.x, point.y) == pytest.approx(MANSFIELD_TOWN_CENTRE, abs=1e-9)
    etrs = to_wgs84(shapely.Point(*MANSFIELD_TOWN_CENTRE), "EPSG:4258")  # ETRS89
    assert etrs.distance(shapely.Point(*MANSFIELD_TOWN_CENTRE)) < 1e-5


def test_unknown_crs_is_a_clear_error():
    with pytest.raises(pyproj.exceptions.CRSError):
        transform_xy([0.0], [0.0], "EPSG:999999", WGS84)


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, 20, elements=st.floats(-100_000, 800_000)),
    arrays(np.float64, 20, elements=st.floats(-100_000, 1_300_000)),
)
def test_bng_round_trip_returns_within_a_centimetre(eastings, northings):
    lons, lats = bng_to_wgs84(eastings, northings)
    back_e, back_n = wgs84_to_bng(lons, lats)
    assert np.abs(back_e - eastings).max() < 0.01
    assert np.abs(back_n - northings).max() < 0.01


@settings(max_examples=200, deadline=None)
@given(
    arrays(np.float64, 20, elements=st.floats(-9.0, 2.5)),
    arrays(np.float64, 20, elements=st.floats(49.5, 61.0)),
)
def test_wgs84_round_trip_returns_within_a_millionth_of_a_degree(lons, lats):
    eastings, northings = wgs84_to_bng(lons, lats)
    back_lon, back_lat = bng_to_wgs84(eastings, northings)
    assert np.abs(back_lon - lons).max() < 1e-6
    assert np.abs(back_lat - lats).max() < 1e-6


@settings(max_examples=50, deadline=None)
@given(st.floats(-5.0, 1.5), st.floats(50.5, 55.5), st.floats(0.001, 0.2))
def test_geometry_round_trip_keeps_the_polygon(lon, lat, size):
    polygon = shapely.Point(lon, lat).buffer(size, quad_segs=4)
    back = to_wgs84(to_bng(polygon), BNG)
    assert shapely.hausdorff_distance(back, polygon) < 1e-6
    assert back.is_valid
