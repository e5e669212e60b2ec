"""Geometry at national scale: point-in-area, a map layer, an overlap crosswalk.

A synthetic geography the size and shape of England's: 33,755 LSOA-like polygons (a Voronoi
tessellation of seeds clustered around 300 towns, clipped to England's outline from the real
district boundaries, densified to a vertex every 200 m and reprojected to WGS84), grouped into
~7,000 ward-like and ~300 district-like areas by nearest seed. Measured:

1. building the ``AreaIndex`` over the 33,755 LSOAs: time and memory;
2. placing 1,000,000 points (70% around towns, 30% anywhere in England's bounding box) in
   LSOAs with ``AreaIndex.locate``, and with ``geopandas.sjoin`` on the same data in the same
   run; their ratio (goal: ours at least as fast) and a check that both give every point the
   same LSOA (a point on a shared boundary taken, in both, by the lowest code);
3. producing the GeoJSON layer of one district's ~110 LSOAs simplified for zoom 12:
   p50/p95 over 200 repetitions (goal: p95 under 100 ms);
4. the LSOA -> ward overlap crosswalk for the whole country (wards are unions of LSOAs, so every
   LSOA must come out in exactly one ward with share 1).

Run: ``.venv/bin/python bench/bench_geo.py`` (geopandas comes from the ``bench`` dependency
group; without it step 2 reports ours alone).
"""

from __future__ import annotations

import ctypes
import resource
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placeworks.geo import (  # noqa: E402
    BNG,
    AreaIndex,
    apportion,
    overlap_weights,
    read_boundaries,
    simplify_for_zoom,
    to_bng,
    to_geojson,
    to_wgs84,
)

LSOAS, WARDS, DISTRICTS, TOWNS = 33_755, 7_000, 300, 300
POINTS = 1_000_000
LAYER_REPEATS = 200
SEED = 2025


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd",
            "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost",
        )
    ]  # fmt: skip


def heap_in_use_mb() -> float:
    """Bytes malloc has handed out and not had back (glibc ``mallinfo2``), in MB.

    Unlike tracemalloc this counts GEOS's C++ allocations (geometries, prepared geometries, the
    STR tree); unlike resident memory it is not hidden by malloc reusing freed blocks.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return float("nan")
    info = libc.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def england_outline() -> shapely.Geometry:
    """England (BNG) from the real 2019 district boundaries: the union of the E-coded ones."""
    lads = read_boundaries(ROOT / "data" / "geography" / "boundaries_lad19_uk.geojson")
    parts = np.array(
        [f.geometry for f in lads.features if str(f.properties["code"]).startswith("E")],
        dtype=object,
    )
    union = shapely.union_all(shapely.make_valid(to_bng(parts)), grid_size=1.0)
    polygons = [p for p in shapely.get_parts(union) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(polygons)


def points_inside(rng: np.random.Generator, outline: shapely.Geometry, make, n: int) -> np.ndarray:
    """``n`` points from the generator ``make(k)`` that fall inside ``outline``."""
    kept: list[np.ndarray] = []
    total = 0
    while total < n:
        xy = make(max(n, 10_000))
        xy = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        kept.append(xy)
        total += len(xy)
    return np.vstack(kept)[:n]


def synthetic_geography(rng: np.random.Generator) -> dict[str, object]:
    outline = england_outline()
    shapely.prepare(outline)
    minx, miny, maxx, maxy = outline.bounds
    towns = points_inside(
        rng, outline, lambda k: rng.uniform([minx, miny], [maxx, maxy], (k, 2)), TOWNS
    )
    spread = rng.choice([2_000.0, 5_000.0, 12_000.0], TOWNS)  # villages to cities

    def clustered(k: int) -> np.ndarray:
        town = rng.integers(0, TOWNS, k)
        around = towns[town] + rng.normal(0, 1, (k, 2)) * spread[town, None]
        anywhere = rng.uniform([minx, miny], [maxx, maxy], (k, 2))
        return np.where((rng.random(k) < 0.65)[:, None], around, anywhere)

    seeds = points_inside(rng, outline, clustered, LSOAS)
    frame = shapely.box(minx - 100_000, miny - 100_000, maxx + 100_000, maxy + 100_000)
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame, ordered=True)
    )
    coastal = ~shapely.contains_properly(outline, cells)
    cells[coastal] = shapely.intersection(cells[coastal], outline)

    # Wards: nearest of 7,000 seeds drawn from the LSOA seeds; districts: nearest of 300 wards.
    ward_seed = rng.choice(LSOAS, WARDS, replace=False)
    ward_of = shapely.STRtree(shapely.points(seeds[ward_seed])).query_nearest(
        shapely.points(seeds), all_matches=False
    )[1]
    district_seed = rng.choice(WARDS, DISTRICTS, replace=False)
    district_of_ward = shapely.STRtree(
        shapely.points(seeds[ward_seed][district_seed])
    ).query_nearest(shapely.points(seeds[ward_seed]), all_matches=False)[1]
    order = np.argsort(ward_of, kind="stable")
    bounds = np.searchsorted(ward_of[order], np.arange(WARDS + 1))
    wards_bng = np.array(
        [shapely.union_all(cells[order[bounds[w] : bounds[w + 1]]]) for w in range(WARDS)],
        dtype=object,
    )

    lsoas = to_wgs84(shapely.segmentize(cells, 200.0), BNG)
    return {
        "outline_km2": outline.area / 1e6,
        "lsoa_codes": np.array([f"E01{i:06d}" for i in range(LSOAS)]),
        "lsoas": lsoas,
        "ward_codes": np.array([f"E05{i:06d}" for i in range(WARDS)]),
        "wards": to_wgs84(shapely.segmentize(wards_bng, 200.0), BNG),
        "ward_of": ward_of,
        "district_of": district_of_ward[ward_of],
        "towns": towns,
        "frame": (minx, miny, maxx, maxy),
    }


def random_points(rng: np.random.Generator, geography: dict) -> tuple[np.ndarray, np.ndarray]:
    towns = geography["towns"]
    minx, miny, maxx, maxy = geography["frame"]
    clustered = int(POINTS * 0.7)
    xy = np.vstack(
        [
            towns[rng.integers(0, len(towns), clustered)] + rng.normal(0, 5_000, (clustered, 2)),
            rng.uniform([minx, miny], [maxx, maxy], (POINTS - clustered, 2)),
        ]
    )
    points = to_wgs84(shapely.points(xy), BNG)
    coords = shapely.get_coordinates(points)
    return coords[:, 0].copy(), coords[:, 1].copy()


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1000, q))


def main() -> None:
    started = time.perf_counter()
    rng = np.random.default_rng(SEED)
    t = time.perf_counter()
    geography = synthetic_geography(rng)
    lsoas, codes = geography["lsoas"], geography["lsoa_codes"]
    vertices = shapely.get_num_coordinates(lsoas)
    districts = Counter(geography["district_of"].tolist())
    print(
        f"Synthetic England ({geography['outline_km2']:,.0f} km²), built in {time.perf_counter() - t:.1f} s:"
    )
    print(
        f"  {len(lsoas):,} LSOAs ({int(np.median(vertices))} vertices median, "
        f"{vertices.sum():,} in all), {len(set(geography['ward_of'].tolist())):,} wards, "
        f"{len(districts)} districts ({min(districts.values())}–{max(districts.values())} LSOAs each)"
    )

    # 1. Build the index.
    xs, ys = random_points(rng, geography)
    heap_before = heap_in_use_mb()
    tracemalloc.start()
    t = time.perf_counter()
    index = AreaIndex.from_arrays(codes, lsoas)
    build_s = time.perf_counter() - t
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    heap_built = heap_in_use_mb()
    print("\n1. AreaIndex over 33,755 LSOAs")
    print(
        f"  build {build_s * 1000:.0f} ms; memory: {traced_peak / 2**20:.1f} MB peak of "
        f"Python/numpy while building; index holds +{heap_built - heap_before:.0f} MB of heap "
        "(grid, STR tree, prepared geometries)"
    )

    # 2. A million points.
    ours_runs = []
    for run in range(2):
        if run == 0:
            tracemalloc.start()
        t = time.perf_counter()
        ours = index.locate(xs, ys)
        ours_runs.append(time.perf_counter() - t)
        if run == 0:
            _, locate_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    ours_s = min(ours_runs)
    placed = int((ours != "").sum())
    bare = shapely.from_wkb(shapely.to_wkb(lsoas))  # copies, so nothing arrives prepared
    heap_bare = heap_in_use_mb()
    unprepared = AreaIndex.from_arrays(codes, bare, prepared=False)
    t = time.perf_counter()
    unprepared_result = unprepared.locate(xs, ys)
    unprepared_s = time.perf_counter() - t
    unprepared_heap = heap_in_use_mb() - heap_bare
    assert (unprepared_result == ours).all()
    del unprepared, unprepared_result, bare
    print(f"\n2. Assigning {POINTS:,} points to LSOAs ({placed:,} fall in one)")
    print(
        f"  AreaIndex.locate:  {ours_s:.2f} s  (runs: {', '.join(f'{r:.2f}' for r in ours_runs)}; "
        f"peak Python/numpy {locate_peak / 2**20:.0f} MB incl. the 1M-code result; prepared "
        f"polygons' point locators add {heap_in_use_mb() - heap_built:.0f} MB of heap once warm)"
    )
    print(
        f"  prepared=False:    {unprepared_s:.2f} s  (same answers; index and its use hold "
        f"+{unprepared_heap:.0f} MB of heap, geometry copies included)"
    )
    try:
        import geopandas as gpd
    except ImportError:
        print("  geopandas.sjoin:   not installed (uv sync --group bench); no comparison")
    else:
        areas = gpd.GeoDataFrame({"code": codes}, geometry=lsoas, crs="EPSG:4326")
        areas.sindex  # noqa: B018 - built before timing, as ours is
        sjoin_runs = []
        for _ in range(2):
            t = time.perf_counter()
            frame = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs="EPSG:4326")
            joined = gpd.sjoin(frame, areas, how="left", predicate="intersects")
            sjoin_runs.append(time.perf_counter() - t)
        sjoin_s = min(sjoin_runs)
        # sjoin repeats a point on a shared boundary once per area: keep the lowest code.
        hits = joined.dropna(subset=["code"]).reset_index()
        hits = hits.sort_values(["index", "code"]).drop_duplicates("index")
        theirs = np.full(POINTS, "", dtype=ours.dtype)
        theirs[hits["index"].to_numpy()] = hits["code"].to_numpy().astype(str)
        disagree = int((theirs != ours).sum())
        print(
            f"  geopandas.sjoin:   {sjoin_s:.2f} s  (runs: {', '.join(f'{r:.2f}' for r in sjoin_runs)})"
        )
        print(
            f"  ratio sjoin/ours:  {sjoin_s / ours_s:.1f}x {'(goal met)' if ours_s <= sjoin_s else '(GOAL MISSED)'}; "
            f"assignments that differ: {disagree}"
        )
        del frame, joined, hits, areas

    # 3. One district's GeoJSON layer at zoom 12.
    district = min(districts, key=lambda d: (abs(districts[d] - 110), d))
    members = np.flatnonzero(geography["district_of"] == district)
    names = [{"code": str(codes[i]), "name": f"Synthetic {i}"} for i in members]
    timings = []
    for _ in range(LAYER_REPEATS):
        t = time.perf_counter()
        simplified = simplify_for_zoom(lsoas[members], 12)
        layer = to_geojson(zip(simplified, names, strict=True), id_field="code")
        timings.append(time.perf_counter() - t)
    p95 = percentile_ms(timings, 95)
    print(f"\n3. GeoJSON layer of one district's {len(members)} LSOAs, simplified for zoom 12")
    print(
        f"  p50 {percentile_ms(timings, 50):.1f} ms, p95 {p95:.1f} ms over {LAYER_REPEATS} "
        f"({'goal met' if p95 < 100 else 'GOAL MISSED'}: p95 < 100 ms); {len(layer) / 1024:.0f} KB, "
        f"{shapely.get_num_coordinates(simplified).sum():,} of "
        f"{shapely.get_num_coordinates(lsoas[members]).sum():,} vertices kept"
    )

    # 4. National LSOA -> ward crosswalk.
    t = time.perf_counter()
    crosswalk = overlap_weights(
        zip(codes.tolist(), lsoas, strict=True),
        zip(geography["ward_codes"].tolist(), geography["wards"], strict=True),
    )
    overlap_s = time.perf_counter() - t
    rows_per_lsoa = Counter(Counter(w.source_code for w in crosswalk).values())
    expected = {
        str(codes[i]): str(geography["ward_codes"][w]) for i, w in enumerate(geography["ward_of"])
    }
    wrong = sum(expected[w.source_code] != w.target_code for w in crosswalk)
    people = {str(c): 1_500.0 for c in codes}
    total = sum(apportion(people, crosswalk).values())
    print("\n4. Overlap crosswalk, 33,755 LSOAs onto 7,000 wards (BNG areas)")
    print(
        f"  {overlap_s:.1f} s; {len(crosswalk):,} rows, rows per LSOA {dict(sorted(rows_per_lsoa.items()))}, "
        f"{wrong} in the wrong ward, {len(crosswalk.unmatched)} unmatched; "
        f"apportioned {total:,.0f} of {sum(people.values()):,.0f} people"
    )

    print(
        f"\nTotal {time.perf_counter() - started:.0f} s; peak resident memory {peak_rss_mb():.0f} MB"
    )


if __name__ == "__main__":
    main()
