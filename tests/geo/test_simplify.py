"""Simplification by zoom: half a pixel, valid shapes, shared edges kept where possible."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from placeworks.geo import (
    ZOOM_BUCKETS,
    bucket_for_zoom,
    simplify_for_zoom,
    simplify_layer_for_zoom,
    tolerance_for_zoom,
)


def test_tolerance_halves_with_each_zoom_level_and_is_half_a_pixel():
    assert tolerance_for_zoom(11) == pytest.approx(2 * tolerance_for_zoom(12))
    # Zoom 0: one 256-pixel tile spans 360°; half a pixel at 52.5°N.
    assert tolerance_for_zoom(0) == pytest.approx(0.5 * 360 / 256 * np.cos(np.radians(52.5)))
    assert tolerance_for_zoom(12, latitude=0) > tolerance_for_zoom(12)
    for zoom, latitude in ((-1, 52.5), (31, 52.5), (12, 89.0)):
        with pytest.raises(ValueError):
            tolerance_for_zoom(zoom, latitude=latitude)


def test_buckets():
    assert ZOOM_BUCKETS == (6, 9, 12)
    assert bucket_for_zoom(10, buckets=[12, 6]) == 6
    with pytest.raises(ValueError):
        bucket_for_zoom(10, buckets=[])


@pytest.mark.parametrize("zoom", ZOOM_BUCKETS)
def test_real_lsoas_stay_valid_and_within_tolerance(lsoas, zoom):
    originals = np.array([f.geometry for f in lsoas.features], dtype=object)
    simplified = simplify_for_zoom(originals, zoom)
    assert shapely.is_valid(simplified).all() and not shapely.is_empty(simplified).any()
    assert (shapely.get_num_coordinates(simplified) <= shapely.get_num_coordinates(originals)).all()
    tolerance = tolerance_for_zoom(zoom)
    distance = shapely.hausdorff_distance(simplified, originals)
    assert np.median(distance) <= tolerance and distance.max() <= 2 * tolerance  # under a pixel
    if zoom == 6:
        assert (
            shapely.get_num_coordinates(simplified).sum()
            < 0.5 * shapely.get_num_coordinates(originals).sum()
        )


def wiggly_grid(cells: int = 6, size: float = 0.05, steps: int = 60) -> list[shapely.Polygon]:
    """A clean coverage: square cells whose shared edges wiggle, identically on both sides."""
    t = np.linspace(0.0, 1.0, steps)
    bump = 0.002 * np.sin(np.pi * t) * np.sin(17 * np.pi * t)  # zero at the corners

    def vertical(i: int, j: int) -> np.ndarray:  # the edge x = i, from row j to j + 1
        return np.column_stack([-1.5 + i * size + bump * (i % 3), 54.0 + (j + t) * size])

    def horizontal(i: int, j: int) -> np.ndarray:  # the edge y = j, from column i to i + 1
        return np.column_stack([-1.5 + (i + t) * size, 54.0 + j * size + bump * (j % 2)])

    return [
        shapely.Polygon(
            np.vstack(
                [
                    horizontal(i, j),
                    vertical(i + 1, j),
                    horizontal(i, j + 1)[::-1],
                    vertical(i, j)[::-1],
                ]
            )
        )
        for i in range(cells)
        for j in range(cells)
    ]


def test_layer_simplification_keeps_shared_edges_of_a_clean_coverage():
    cells = np.array(wiggly_grid(), dtype=object)
    assert shapely.coverage_is_valid(cells) and shapely.is_valid(cells).all()
    simplified = simplify_layer_for_zoom(cells, 9)
    assert shapely.coverage_is_valid(simplified)  # neighbours still edge to edge
    assert (
        shapely.get_num_coordinates(simplified).sum()
        < 0.5 * shapely.get_num_coordinates(cells).sum()
    )
    assert shapely.union_all(simplified).area == pytest.approx(0.3**2, rel=1e-3)
    alone = simplify_for_zoom(cells, 9)
    assert not shapely.coverage_is_valid(alone)  # simplified apart, the edges part company


def test_layer_simplification_falls_back_when_neighbours_do_not_match(lsoas):
    originals = [f.geometry for f in lsoas.features]
    assert not shapely.coverage_is_valid(np.array(originals, dtype=object))  # generalised apart
    simplified = simplify_layer_for_zoom(originals, 12)
    expected = simplify_for_zoom(np.array(originals, dtype=object), 12)
    assert all(a.equals_exact(b, 0) for a, b in zip(simplified, expected, strict=True))
    assert len(simplify_layer_for_zoom([], 12)) == 0
