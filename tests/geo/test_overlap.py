"""Area-overlap crosswalks and apportioning: shares sum to 1, totals are conserved."""

from __future__ import annotations

import math
from collections import defaultdict

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from placeworks.geo import BNG, apportion, overlap_weights, to_wgs84
from placeworks.geo.overlap import DEFAULT_MIN_AREA_M2, DEFAULT_MIN_SHARE


@pytest.fixture(scope="module")
def lsoa_to_ward(lsoas, wards):
    return overlap_weights(
        [(f.properties["code"], f.geometry) for f in lsoas.features],
        [(f.properties["code"], f.geometry) for f in wards.features],
    )


def test_every_north_midlands_lsoa_is_shared_out_in_full(lsoa_to_ward, lsoas):
    totals = defaultdict(float)
    for row in lsoa_to_ward:
        totals[row.source_code] += row.share_of_source
        assert 0 < row.share_of_source <= 1 and 0 < row.share_of_target <= 1 + 1e-9
        assert row.overlap_area_m2 >= DEFAULT_MIN_AREA_M2
    assert set(totals) == set(lsoas.codes()) and lsoa_to_ward.unmatched == ()
    assert all(total == pytest.approx(1.0, abs=1e-12) for total in totals.values())
    # Wards cover the LSOAs: the kept overlaps cover (nearly) all of each, before renormalising.
    assert min(lsoa_to_ward.coverage.values()) > 0.8
    assert sorted(lsoa_to_ward.coverage.values())[len(totals) // 2] > 0.999


def test_rows_are_sorted_and_slivers_dropped(lsoa_to_ward):
    keys = [(r.source_code, r.target_code) for r in lsoa_to_ward]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    by_source = defaultdict(list)
    for row in lsoa_to_ward:
        by_source[row.source_code].append(row)
    for rows in by_source.values():
        if len(rows) > 1:  # a lone row may be a source's largest, kept whatever its size
            covered = sum(r.overlap_area_m2 for r in rows)
            assert all(r.overlap_area_m2 / covered >= DEFAULT_MIN_SHARE * 0.99 for r in rows)


def test_apportioning_lsoa_counts_to_wards_conserves_the_total(lsoa_to_ward, lsoas):
    people = {code: 1_000 + (i * 37) % 900 for i, code in enumerate(lsoas.codes())}
    by_ward = apportion(people, lsoa_to_ward)
    assert math.fsum(by_ward.values()) == pytest.approx(sum(people.values()), rel=1e-12)
    assert apportion(people, lsoa_to_ward.as_mapping()) == pytest.approx(by_ward)


def test_simple_overlap_in_metres_and_degrees_agree():
    square = [("S", shapely.box(450_000, 350_000, 451_000, 351_000))]
    halves = [
        ("W", shapely.box(449_000, 350_000, 450_250, 351_000)),
        ("E", shapely.box(450_250, 349_000, 452_000, 352_000)),
    ]
    metres = overlap_weights(square, halves, crs=BNG)
    assert [(r.target_code, r.share_of_source) for r in metres] == [("E", 0.75), ("W", 0.25)]
    assert [r.overlap_area_m2 for r in metres] == [750_000.0, 250_000.0]
    assert metres.weights[0].share_of_target == pytest.approx(750_000 / (1_750 * 3_000))
    degrees = overlap_weights(
        [(c, to_wgs84(g, BNG)) for c, g in square], [(c, to_wgs84(g, BNG)) for c, g in halves]
    )
    for a, b in zip(metres, degrees, strict=True):
        assert a.share_of_source == pytest.approx(b.share_of_source, abs=1e-4)
        assert a.overlap_area_m2 == pytest.approx(b.overlap_area_m2, rel=1e-3)


def test_slivers_are_dropped_and_the_rest_renormalised():
    source = [("S", shapely.box(0, 0, 1000, 1000))]
    targets = [
        ("MAIN", shapely.box(0, 0, 999.5, 1000)),  # 99.95%
        ("SLIVER", shapely.box(999.5, 0, 2000, 1000)),  # 0.05%: dropped
        ("TOUCH", shapely.box(1000, 1000, 2000, 2000)),  # touches a corner: no area
    ]
    result = overlap_weights(source, targets, crs=BNG)
    assert [(r.target_code, r.share_of_source) for r in result] == [("MAIN", 1.0)]
    assert result.coverage["S"] == pytest.approx(0.9995)
    kept = overlap_weights(source, targets, crs=BNG, min_share=0)
    assert [r.target_code for r in kept] == ["MAIN", "SLIVER"]


def test_a_source_keeps_its_largest_overlap_however_small():
    tiny = [("TINY", shapely.box(0, 0, 0.5, 0.5))]  # 0.25 m², under the 1 m² threshold
    result = overlap_weights(tiny, [("T", shapely.box(-10, -10, 10, 10))], crs=BNG)
    assert [(r.target_code, r.share_of_source, r.overlap_area_m2) for r in result] == [
        ("T", 1.0, 0.25)
    ]


def test_part_covered_sources_are_renormalised_and_uncovered_ones_listed():
    sources = [("HALF", shapely.box(0, 0, 100, 100)), ("OUT", shapely.box(500, 500, 600, 600))]
    targets = [("A", shapely.box(0, 0, 50, 50)), ("B", shapely.box(50, 0, 100, 50))]
    result = overlap_weights(sources, targets, crs=BNG)
    assert [(r.target_code, r.share_of_source) for r in result] == [("A", 0.5), ("B", 0.5)]
    assert result.coverage == {"HALF": 0.5} and result.unmatched == ("OUT",)


def test_areas_in_several_parts_are_summed():
    sources = [("S", shapely.box(0, 0, 10, 10)), ("S", shapely.box(20, 0, 30, 10))]
    targets = [("A", shapely.box(0, 0, 15, 10)), ("B", shapely.box(15, 0, 40, 10))]
    result = overlap_weights(sources, targets, crs=BNG)
    assert [(r.target_code, r.share_of_source, r.overlap_area_m2) for r in result] == [
        ("A", 0.5, 100.0),
        ("B", 0.5, 100.0),
    ]


def test_invalid_input_is_repaired_before_measuring():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10), (0, 0)])
    result = overlap_weights([("S", bowtie)], [("T", shapely.box(0, 0, 10, 10))], crs=BNG)
    assert [(r.target_code, r.overlap_area_m2) for r in result] == [("T", 50.0)]


def test_apportion_normalises_weights_and_skips_what_it_cannot_place():
    weights = {("S1", "A"): 2.0, ("S1", "B"): 6.0, ("S2", "B"): 0.0, ("S3", "C"): 1.0}
    assert apportion({"S1": 80.0, "S2": 5.0}, weights) == {"A": 20.0, "B": 60.0}
    assert apportion({}, weights) == {}


@pytest.mark.parametrize(
    ("values", "weights", "message"),
    [
        ({"S": 1.0}, {("S", "T"): -1.0}, "must be finite and >= 0"),
        ({"S": 1.0}, {("S", "T"): math.nan}, "must be finite and >= 0"),
        ({"S": math.inf}, {("S", "T"): 1.0}, "value of S must be finite"),
    ],
)
def test_apportion_refuses_bad_numbers(values, weights, message):
    with pytest.raises(ValueError, match=message):
        apportion(values, weights)


codes = st.sampled_from([f"S{i}" for i in range(12)])
targets = st.sampled_from([f"T{i}" for i in range(8)])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(codes, st.floats(-1e9, 1e9, allow_nan=False), max_size=12),
    st.dictionaries(
        st.tuples(codes, targets),
        st.one_of(st.just(0.0), st.floats(1e-9, 1e6, allow_nan=False)),
        max_size=60,
    ),
)
def test_apportion_conserves_the_total_of_sources_with_weight(values, weights):
    result = apportion(values, weights)
    weighted = {source for (source, _), weight in weights.items() if weight > 0}
    expected = math.fsum(value for source, value in values.items() if source in weighted)
    scale = math.fsum(abs(value) for value in values.values()) + 1.0
    assert math.fsum(result.values()) == pytest.approx(expected, abs=1e-9 * scale)
    assert set(result) <= {target for (_, target) in weights}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 8), st.integers(1, 8)),
        min_size=1,
        max_size=8,
    ),
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 12), st.integers(1, 12)),
        min_size=1,
        max_size=8,
    ),
)
def test_overlap_shares_sum_to_one_and_apportioning_conserves(sources, targets):
    source_pairs = [
        (f"S{i}", shapely.box(x * 10, y * 10, (x + w) * 10, (y + h) * 10))
        for i, (x, y, w, h) in enumerate(sources)
    ]
    target_pairs = [
        (f"T{i}", shapely.box(x * 10, y * 10, (x + w) * 10, (y + h) * 10))
        for i, (x, y, w, h) in enumerate(targets)
    ]
    result = overlap_weights(source_pairs, target_pairs, crs=BNG)
    totals = defaultdict(float)
    for row in result:
        totals[row.source_code] += row.share_of_source
    assert all(total == pytest.approx(1.0, abs=1e-12) for total in totals.values())
    assert set(totals) | set(result.unmatched) == {code for code, _ in source_pairs}
    values = {code: 100.0 for code, _ in source_pairs}
    out = apportion(values, result)
    assert math.fsum(out.values()) == pytest.approx(100.0 * len(totals))


def test_bad_thresholds_are_refused():
    with pytest.raises(ValueError, match="min_share"):
        overlap_weights([], [], min_share=1.0)


def test_a_geos_failure_in_one_pair_is_retried_pair_by_pair(monkeypatch):
    real = shapely.intersection
    calls = []

    def flaky(a, b, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1 or (len(calls) == 2 and "grid_size" not in kwargs):
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return real(a, b, **kwargs)

    monkeypatch.setattr(shapely, "intersection", flaky)
    sources = [("S", shapely.box(0, 0, 10, 10))]
    targets = [("A", shapely.box(-5, 0, 5, 10)), ("B", shapely.box(5, 0, 15, 10))]
    result = overlap_weights(sources, targets, crs=BNG)
    assert len(result) == 2 and [r.share_of_source for r in result] == [0.5, 0.5]
    assert {"grid_size": 0.01} in calls
