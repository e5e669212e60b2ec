"""Places at national scale: importing a synthetic England, and serving one district's LSOAs.

A synthetic geography of England's shape is written to files and loaded with the real
importers into a throw-away SQLite database:

- 33,755 LSOAs (2021) in 7,000 wards (2024) in 300 local authority districts, in 9 regions of
  England: a lookup CSV with ONS headings (LSOA21CD, WD24CD, LAD24CD) and a district → region →
  country lookup;
- LSOA boundaries as one GeoJSON file in British National Grid (reprojected on import): grid
  cells about 2 km across, each edge wiggled through 8 shared points (33 vertices a polygon), laid
  out in Morton order so wards and districts are compact; ward, district and region boundaries
  are derived by dissolving LSOAs, as the demo does for wards without a boundary file;
- a population for every LSOA, summed up the hierarchy.

Printed: seconds and peak memory (process resident set) for each import, a re-run of the
lookup (nothing changes), and the response time of the GeoJSON layer of one district's LSOAs
(``/api/areas/geojson?type=lsoa&parent=…&zoom=12``) through the real API endpoint, 50 districts
× 5 requests. Goal: p95 under 100 ms.

Run: ``.venv/bin/python bench/bench_places.py`` (``--small`` for a quick tenth-size run).
"""

from __future__ import annotations

import argparse
import atexit
import csv
import json
import math
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LSOAS = 33_755
WARDS = 7_000
LADS = 300
REGIONS = 9
GOAL_P95_MS = 100.0
ORIGIN = (140_000.0, 20_000.0)  # BNG south-west corner of England's extent
CELL = 2_000.0  # metres
WIGGLE = 0.04 * CELL
POINTS_PER_EDGE = 8


def morton(n: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``n`` cells of a Z-order curve: consecutive runs are compact blocks."""
    index = np.arange(n, dtype=np.int64)
    x = np.zeros(n, dtype=np.int64)
    y = np.zeros(n, dtype=np.int64)
    for bit in range(16):
        x |= ((index >> (2 * bit)) & 1) << bit
        y |= ((index >> (2 * bit + 1)) & 1) << bit
    return x, y


def _offset(a: int, b: int, c: int, k: int) -> float:
    """A deterministic wiggle for point k of an edge, the same for both cells sharing it."""
    h = (a * 73856093) ^ (b * 19349663) ^ (c * 83492791) ^ (k * 2654435761)
    return WIGGLE * math.sin(h % 10_000)


def cell_ring(i: int, j: int) -> list[list[float]]:
    """The boundary of grid cell (i, j) in BNG, edges wiggled through shared points."""
    x0, y0 = ORIGIN[0] + i * CELL, ORIGIN[1] + j * CELL
    step = CELL / (POINTS_PER_EDGE + 1)

    def horizontal(row: int) -> list[list[float]]:  # the edge at y = row, west to east
        y = ORIGIN[1] + row * CELL
        return [[x0 + k * step, y + _offset(i, row, 0, k)] for k in range(1, POINTS_PER_EDGE + 1)]

    def vertical(col: int) -> list[list[float]]:  # the edge at x = col, south to north
        x = ORIGIN[0] + col * CELL
        return [[x + _offset(col, j, 1, k), y0 + k * step] for k in range(1, POINTS_PER_EDGE + 1)]

    ring = [[x0, y0], *horizontal(j), [x0 + CELL, y0], *vertical(i + 1)]
    ring += [[x0 + CELL, y0 + CELL], *reversed(horizontal(j + 1)), [x0, y0 + CELL]]
    ring += [*reversed(vertical(i)), [x0, y0]]
    return [[round(x, 2), round(y, 2)] for x, y in ring]


def split(total: int, parts: int) -> np.ndarray:
    """Sizes of ``parts`` consecutive groups covering ``total`` items as evenly as possible."""
    sizes = np.full(parts, total // parts)
    sizes[: total % parts] += 1
    return sizes


def write_files(folder: Path, scale: float) -> dict[str, Path]:
    lsoas, wards, lads = (max(1, int(n * scale)) for n in (LSOAS, WARDS, LADS))
    ward_of = np.repeat(np.arange(wards), split(lsoas, wards))
    lad_of_ward = np.repeat(np.arange(lads), split(wards, lads))
    region_of_lad = np.repeat(np.arange(REGIONS), split(lads, REGIONS))
    xs, ys = morton(lsoas)
    rng = np.random.default_rng(2025)
    paths = {
        "lookup": folder / "lsoa21_ward24_lad24.csv",
        "regions": folder / "lad24_rgn24_ctry24.csv",
        "boundaries": folder / "lsoa21_bng.geojson",
        "populations": folder / "lsoa21_populations.csv",
    }
    with paths["lookup"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["LSOA21CD", "LSOA21NM", "WD24CD", "WD24NM", "LAD24CD", "LAD24NM"])
        for n in range(lsoas):
            w = int(ward_of[n])
            lad = int(lad_of_ward[w])
            writer.writerow(
                [
                    f"E01{n + 1:06d}",
                    f"District {lad + 1} {n + 1:05d}",
                    f"E05{w + 1:06d}",
                    f"Ward {w + 1}",
                    f"E07{lad + 1:06d}",
                    f"District {lad + 1}",
                ]
            )
    with paths["regions"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["LAD24CD", "LAD24NM", "RGN24CD", "RGN24NM", "CTRY24CD", "CTRY24NM"])
        for lad in range(lads):
            region = int(region_of_lad[lad])
            writer.writerow(
                [
                    f"E07{lad + 1:06d}",
                    f"District {lad + 1}",
                    f"E12{region + 1:06d}",
                    f"Region {region + 1}",
                    "E92000001",
                    "England",
                ]
            )
    with paths["boundaries"].open("w") as handle:
        handle.write(
            '{"type":"FeatureCollection","crs":{"type":"name","properties":'
            '{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":['
        )
        for n in range(lsoas):
            if n:
                handle.write(",")
            feature = {
                "type": "Feature",
                "properties": {"LSOA21CD": f"E01{n + 1:06d}"},
                "geometry": {"type": "Polygon", "coordinates": [cell_ring(int(xs[n]), int(ys[n]))]},
            }
            handle.write(json.dumps(feature, separators=(",", ":")))
        handle.write("]}")
    with paths["populations"].open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["LSOA21CD", "population"])
        for n, people in enumerate(rng.integers(1_000, 3_000, lsoas)):
            writer.writerow([f"E01{n + 1:06d}", int(people)])
    return paths


def setup_database() -> None:
    folder = tempfile.mkdtemp(prefix="placeworks-bench-places-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ["PLACEWORKS_VAR_DIR"] = folder
    os.environ.pop("DATABASE_URL", None)  # never the real database
    os.environ.setdefault("PLACEWORKS_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_import(label: str, importer, path: Path) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    report = importer.run(path, commit=True, raise_on_error=True)
    seconds = time.perf_counter() - started
    print(
        f"{label:<44} {seconds:>8.1f} {peak_mb():>9.0f}   {report.created:,} created, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged"
    )
    return seconds


def imports(paths: dict[str, Path]) -> float:
    from placeworks.places.ingest import BoundaryImporter, LookupImporter, PopulationImporter

    print(f"{'import':<44} {'seconds':>8} {'peak MB':>9}   rows")
    total = run_import("lookup LSOA 2021 → ward 2024 → LAD 2024", LookupImporter(), paths["lookup"])
    total += run_import("lookup LAD → region → country", LookupImporter(), paths["regions"])
    total += run_import(
        "LSOA boundaries (BNG; wards, LADs derived)",
        BoundaryImporter(area_type="lsoa", vintage="2021"),
        paths["boundaries"],
    )
    total += run_import(
        "populations (summed up the hierarchy)",
        PopulationImporter(vintage="2021", year=2021),
        paths["populations"],
    )
    print(f"{'total':<44} {total:>8.1f} {peak_mb():>9.0f}")
    run_import("re-run of the first lookup (nothing changes)", LookupImporter(), paths["lookup"])
    return total


def layer_timings(districts: int = 50, repeats: int = 5) -> tuple[float, float]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from placeworks.places.models import Area

    setup_test_environment()
    client = Client()
    codes = list(Area.objects.filter(type="lad").order_by("code").values_list("code", flat=True))
    step = max(1, len(codes) // districts)
    chosen = codes[::step][:districts]
    client.get(f"/api/areas/geojson?type=lsoa&parent={chosen[0]}&zoom=12")  # warm up
    samples: list[float] = []
    features: list[int] = []
    sizes: list[int] = []
    for code in chosen:
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(f"/api/areas/geojson?type=lsoa&parent={code}&zoom=12")
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:200]
        body = json.loads(response.content)
        features.append(len(body["features"]))
        sizes.append(len(response.content))
    samples.sort()
    p50 = statistics.median(samples)
    p95 = samples[int(math.ceil(0.95 * len(samples))) - 1]
    print(
        f"\nGeoJSON layer of one district's LSOAs (zoom 12), {len(chosen)} districts × {repeats}: "
        f"{statistics.mean(features):.0f} features, {statistics.mean(sizes) / 1000:.0f} kB each"
    )
    print(f"  p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {samples[-1]:.1f} ms")
    return p50, p95


def point_timings() -> None:
    from placeworks.places import queries
    from placeworks.places.models import Area

    lsoa = Area.objects.filter(type="lsoa").order_by("code")[
        len(Area.objects.filter(type="lsoa")) // 2
    ]
    lon, lat = lsoa.centroid_lon, lsoa.centroid_lat
    started = time.perf_counter()
    queries.areas_containing_point(lon, lat, type="lsoa")
    cold = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(100):
        queries.areas_containing_point(lon, lat)
    warm = (time.perf_counter() - started) / 100
    print(
        f"areas_containing_point: first call {cold:.2f} s (builds the LSOA index); then "
        f"{warm * 1000:.1f} ms for every type at once"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tenth of England, for a quick run")
    args = parser.parse_args()
    scale = 0.1 if args.small else 1.0
    setup_database()
    from placeworks.places.models import Area

    with tempfile.TemporaryDirectory(prefix="placeworks-bench-files-") as folder:
        started = time.perf_counter()
        paths = write_files(Path(folder), scale)
        size = paths["boundaries"].stat().st_size / 1e6
        print(
            f"Synthetic England ({scale:.0%}): {int(LSOAS * scale):,} LSOAs, {int(WARDS * scale):,} "
            f"wards, {int(LADS * scale):,} districts, {REGIONS} regions; boundary file {size:.0f} "
            f"MB (written in {time.perf_counter() - started:.1f} s)\n"
        )
        imports(paths)
    counts = {t: Area.objects.filter(type=t).count() for t in ("lsoa", "ward", "lad", "region")}
    print("loaded: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    point_timings()
    _, p95 = layer_timings()
    print(f"  goal p95 < {GOAL_P95_MS:.0f} ms: {'met' if p95 < GOAL_P95_MS else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
