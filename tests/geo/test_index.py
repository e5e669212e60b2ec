"""Point-in-area: the vectorised AreaIndex against real boundaries and brute force."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

import placeworks.geo.index as index_module
from placeworks.geo import AreaIndex, representative_point

from .conftest import MANSFIELD_LAD, MANSFIELD_TOWN_CENTRE


@pytest.fixture(scope="module")
def lad_index(lads):
    return AreaIndex.from_features(lads.features)


@pytest.fixture(scope="module")
def lsoa_index(lsoas):
    return AreaIndex.from_features(lsoas.features)


def brute_force(index, xs, ys):
    """The reference answer: every area each point intersects, the lowest code kept."""
    points = shapely.points(xs, ys)
    expected = np.full(len(xs), "", dtype=object)
    for i, point in enumerate(points):
        hits = [
            str(c)
            for c, g in zip(index.codes, index.geometries, strict=True)
            if g.intersects(point)
        ]
        if hits:
            expected[i] = min(hits)
    return expected


def test_mansfield_town_centre_is_in_mansfield(lad_index):
    x, y = MANSFIELD_TOWN_CENTRE
    assert lad_index.locate_point(x, y) == MANSFIELD_LAD
    assert lad_index.containing((x, y)) == [MANSFIELD_LAD]
    assert lad_index.containing(shapely.Point(x, y)) == [MANSFIELD_LAD]
    assert lad_index.locate([x], [y]).tolist() == [MANSFIELD_LAD]
    assert lad_index.locate_point(-20.0, 40.0) is None  # the Atlantic


def test_every_lsoa_contains_its_own_representative_point(lsoas, lsoa_index):
    points = np.array([representative_point(f.geometry) for f in lsoas.features])
    found = lsoa_index.locate(points[:, 0], points[:, 1])
    assert found.tolist() == lsoas.codes()


def test_locate_agrees_with_brute_force_on_real_lsoas(lsoa_index):
    rng = np.random.default_rng(7)
    minx, miny, maxx, maxy = shapely.total_bounds(lsoa_index.geometries)
    xs = rng.uniform(minx - 0.05, maxx + 0.05, 1500)
    ys = rng.uniform(miny - 0.05, maxy + 0.05, 1500)
    found = lsoa_index.locate(xs, ys)
    assert found.tolist() == brute_force(lsoa_index, xs, ys).tolist()
    assert 0 < (found == "").sum() < 1500  # some fall outside the counties


def test_unprepared_index_gives_the_same_answers(lsoas, lsoa_index):
    unprepared = AreaIndex.from_features(
        [f._replace(geometry=shapely.from_wkb(shapely.to_wkb(f.geometry))) for f in lsoas.features],
        prepared=False,
    )
    assert not shapely.is_prepared(unprepared.geometries).any()
    rng = np.random.default_rng(11)
    minx, miny, maxx, maxy = shapely.total_bounds(lsoa_index.geometries)
    xs, ys = rng.uniform(minx, maxx, 5000), rng.uniform(miny, maxy, 5000)
    assert unprepared.locate(xs, ys).tolist() == lsoa_index.locate(xs, ys).tolist()


def test_locate_index_gives_positions_in_the_order_given(lsoa_index, lsoas):
    x, y = representative_point(lsoas.features[42].geometry)
    assert lsoa_index.locate_index([x, 0.0], [y, 0.0]).tolist() == [42, -1]


def test_shared_boundary_goes_to_exactly_one_area_whatever_the_order():
    boxes = {
        "E02": shapely.box(0, 0, 1, 1),
        "E01": shapely.box(1, 0, 2, 1),
        "E04": shapely.box(0, 1, 1, 2),
        "E03": shapely.box(1, 1, 2, 2),
    }
    xs = [1.0, 1.0, 0.5, 1.0, 2.0, 0.0]
    ys = [0.5, 1.0, 1.0, 1.5, 2.0, 0.0]
    expected = ["E01", "E01", "E02", "E03", "E03", "E02"]
    for order in (["E02", "E01", "E04", "E03"], ["E03", "E04", "E01", "E02"]):
        index = AreaIndex((code, boxes[code]) for code in order)
        assert index.locate(xs, ys).tolist() == expected
    assert index.containing((1.0, 1.0)) == ["E01", "E02", "E03", "E04"]


def test_holes_are_not_inside_and_multipolygons_are():
    ring = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (3, 1), (3, 3), (1, 3)]])
    island = shapely.box(1.5, 1.5, 2.5, 2.5)
    parts = shapely.MultiPolygon([shapely.box(10, 10, 11, 11), shapely.box(20, 20, 21, 21)])
    index = AreaIndex([("RING", ring), ("ISLAND", island), ("PARTS", parts)])
    found = index.locate([0.5, 1.2, 2.0, 10.5, 20.5, 15.0], [0.5, 1.2, 2.0, 10.5, 20.5, 15.0])
    assert found.tolist() == ["RING", "", "ISLAND", "PARTS", "PARTS", ""]


def test_odd_coordinates_are_nowhere_without_warnings(lad_index):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = lad_index.locate(
            [np.nan, np.inf, -np.inf, 1e300, -1.1967], [53.0, 53.0, 53.0, 53.0, np.nan]
        )
    assert found.tolist() == ["", "", "", "", ""]
    assert lad_index.locate([], []).tolist() == []


def test_an_empty_index_places_nothing():
    index = AreaIndex([])
    assert len(index) == 0 and repr(index) == "<AreaIndex of 0 areas>"
    assert index.locate([1.0], [2.0]).tolist() == [""]
    assert index.containing((1.0, 2.0)) == [] and index.intersecting_bbox(0, 0, 1, 1) == []


def test_null_and_empty_geometries_are_never_found():
    index = AreaIndex([("A", None), ("B", shapely.Polygon()), ("C", shapely.box(0, 0, 1, 1))])
    assert index.locate([0.5, 5.0], [0.5, 5.0]).tolist() == ["C", ""]


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        AreaIndex([("A", shapely.box(0, 0, 1, 1))]).locate([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="2 codes but 1 geometries"):
        AreaIndex.from_arrays(["A", "B"], [shapely.box(0, 0, 1, 1)])
    with pytest.raises(ValueError, match="not a box"):
        AreaIndex([]).intersecting_bbox(1, 0, 0, 1)


def test_chunks_join_up(monkeypatch, lsoa_index):
    rng = np.random.default_rng(3)
    minx, miny, maxx, maxy = shapely.total_bounds(lsoa_index.geometries)
    xs, ys = rng.uniform(minx, maxx, 1000), rng.uniform(miny, maxy, 1000)
    whole = lsoa_index.locate(xs, ys)
    monkeypatch.setattr(index_module, "_CHUNK", 37)
    assert lsoa_index.locate(xs, ys).tolist() == whole.tolist()


def test_a_few_huge_overlapping_areas_do_not_blow_up_the_grid():
    # 200 areas each covering everything, plus 2,000 small ones: the grid must coarsen.
    big = [(f"BIG{i:03d}", shapely.box(0, 0, 1000, 1000)) for i in range(200)]
    small = [
        (f"S{i:04d}", shapely.box(i % 50 * 20, i // 50 * 20, i % 50 * 20 + 20, i // 50 * 20 + 20))
        for i in range(2000)
    ]
    index = AreaIndex(big + small)
    assert len(index._entries) <= max(16 * len(index), 1 << 20)
    assert index.locate([10.0, 999.0], [10.0, 999.0]).tolist() == ["BIG000", "BIG000"]
    assert len(index.containing((10.0, 10.0))) == 201


def test_intersecting_bbox_finds_a_map_view(lad_index):
    x, y = MANSFIELD_TOWN_CENTRE
    codes = lad_index.intersecting_bbox(x - 0.01, y - 0.01, x + 0.01, y + 0.01)
    assert codes == [MANSFIELD_LAD]
    wider = lad_index.intersecting_bbox(x - 0.2, y - 0.2, x + 0.2, y + 0.2)
    assert MANSFIELD_LAD in wider and "E07000171" in wider  # Bassetlaw, to the north-east
    assert wider == sorted(wider)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(1, 4), st.integers(1, 4)),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.tuples(st.integers(-2, 30), st.integers(-2, 30)), min_size=1, max_size=40),
)
def test_locate_matches_brute_force_including_boundaries(rectangles, points):
    # Integer grids put many points exactly on edges and corners shared by several areas.
    areas = [
        (f"A{i:02d}", shapely.box(x, y, x + w, y + h)) for i, (x, y, w, h) in enumerate(rectangles)
    ]
    index = AreaIndex(areas)
    xs = np.array([p[0] / 2 for p in points], dtype=float)
    ys = np.array([p[1] / 2 for p in points], dtype=float)
    assert index.locate(xs, ys).tolist() == brute_force(index, xs, ys).tolist()
