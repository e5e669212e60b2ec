"""Opportunity finder at national scale: time and peak memory from 10,000 to 300,000 assets.

Synthetic assets over England's extent (British National Grid): 70% clustered around 400 towns
(normal, σ 2.5 km), 30% scattered; 2,000 owners; 15% under-used, surplus or in poor condition.

Two measurements at each size:

- ``core``: the vectorised finder (k-d tree neighbours, star scoring, greedy choice, assignment)
  on arrays, as ``placeworks.estate.clusters.find_clusters`` runs it;
- ``full``: ``placeworks.estate.opportunities.find_opportunities`` end to end against a
  throw-away SQLite database, as a signed-in member of one partner (assets 60% public, 30%
  partners, 10% organisation-only, so the visibility filter has all three cases) — the
  visibility-filtered query, reprojection to EPSG:27700, the LSOA need lookup against a real need
  index over 33,600 synthetic LSOAs (computed cold: the evidence app's cache is emptied before
  each run), the core, and the top 50 opportunities built with their explanations.

Goal: 300,000 assets in under 30 s. Run: ``.venv/bin/python bench/bench_estate.py`` (add
``--core-only`` to skip the database runs).
"""

from __future__ import annotations

import math
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = [10_000, 30_000, 100_000, 300_000]
GOAL_SECONDS = 30.0
ENGLAND = ((140_000.0, 20_000.0), (655_000.0, 657_000.0))  # BNG bounding box of England
OWNERS = 2_000


def synthetic(n: int, seed: int = 2025) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    (x0, y0), (x1, y1) = ENGLAND
    towns = rng.uniform([x0, y0], [x1, y1], size=(400, 2))
    clustered = int(n * 0.7)
    xy = np.vstack(
        [
            towns[rng.integers(0, len(towns), clustered)] + rng.normal(0, 2_500, (clustered, 2)),
            rng.uniform([x0, y0], [x1, y1], size=(n - clustered, 2)),
        ]
    )
    trigger = rng.random(n) < 0.15
    return {
        "x": xy[:, 0],
        "y": xy[:, 1],
        "owner": rng.integers(0, OWNERS, n),
        "trigger": trigger,
        "running_cost": rng.uniform(10_000, 800_000, n),
        "floor": rng.uniform(150, 8_000, n),
        "utilisation": rng.uniform(10, 100, n),
        "need": rng.random(n),
    }


def measure(function):  # type: ignore[no-untyped-def]
    """Time one run untraced, then measure peak allocations (tracemalloc) in a second run:
    tracing slows allocation-heavy Python several-fold, so it must not be in the timing."""
    started = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, seconds, peak / 1e6


def core(sizes: list[int]) -> list[tuple[int, float]]:
    from placeworks.estate.clusters import find_clusters

    print("core: vectorised finder on arrays (distance 800 m, need ≥ 0.5)")
    print(f"{'assets':>9} {'seconds':>8} {'peak MB':>8} {'clusters':>9} {'largest':>8}")
    timings = []
    for n in sizes:
        data = synthetic(n)
        releasable = np.where(data["trigger"], data["floor"] * 0.5, 0.0)
        result, seconds, peak = measure(
            lambda data=data, releasable=releasable: find_clusters(
                data["x"],
                data["y"],
                owner=data["owner"],
                trigger=data["trigger"],
                running_cost=data["running_cost"],
                releasable=releasable,
                need=data["need"],
                distance=800,
                min_need=0.5,
            )
        )
        largest = int(np.diff(result.indptr).max()) if len(result) else 0
        print(f"{n:>9,} {seconds:>8.2f} {peak:>8.0f} {len(result):>9,} {largest:>8}")
        timings.append((n, seconds))
    return timings


def setup_database() -> None:
    folder = tempfile.mkdtemp(prefix="placeworks-bench-")
    os.environ["PLACEWORKS_VAR_DIR"] = folder
    os.environ.setdefault("PLACEWORKS_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# Text fields not set by the benchmark are empty strings, as the model's defaults are.
INSERT_ASSET = (
    "INSERT INTO estate_asset (owner_id, name, kind, lon, lat, location_source, status, "
    "floor_area_m2, annual_running_cost, utilisation_percent, reference, source, uprn, address, "
    "postcode, boundary_geojson, tenure, condition, capacity_unit, services_delivered, "
    "accessibility_notes, disposal_plan, commercial_notes, data_source, visibility, is_sample, "
    "created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', 'generic', '', "
    "'', '', '', '', '', '', '', '', '', '', '', %s, 0, CURRENT_TIMESTAMP, "
    "CURRENT_TIMESTAMP)"
)
INSERT_LINK = "INSERT INTO estate_assetarea (asset_id, area_id, area_type) VALUES (%s, %s, 'lsoa')"
# A grid of square "LSOAs" over England's bounding box, about as many as England has (33,755).
LSOA_CELL_M = 3_100.0


def lsoa_grid() -> tuple[int, int]:
    (x0, y0), (x1, y1) = ENGLAND
    return math.ceil((x1 - x0) / LSOA_CELL_M), math.ceil((y1 - y0) / LSOA_CELL_M)


def load_need_index() -> list[int]:
    """Synthetic LSOAs (one per grid cell, no boundaries) with a real overall need index over
    them, written through the evidence app's services; returns the area ids by cell."""
    from placeworks.places.models import Area
    from tests.estate.need_data import load_need

    columns, rows = lsoa_grid()
    Area.objects.bulk_create(
        (
            Area(type="lsoa", code=f"E01{900_000 + i:06d}", name=f"Cell {i}", vintage="2021")
            for i in range(columns * rows)
        ),
        batch_size=5000,
    )
    areas = list(Area.objects.filter(type="lsoa").order_by("code"))
    values = np.random.default_rng(11).random(len(areas))
    load_need(dict(zip(areas, values.tolist(), strict=True)))
    return [a.pk for a in areas]


def signed_in_member() -> object:
    from django.contrib.auth import get_user_model

    from placeworks.partners.models import Membership, Organisation

    user, _ = get_user_model().objects.get_or_create(username="bench")
    organisation = Organisation.objects.order_by("pk").first()
    Membership.objects.get_or_create(user=user, organisation=organisation)
    return user


def load_assets(n: int, lsoa_ids: list[int]) -> None:
    """Replace the assets with ``n`` synthetic ones, each linked to the LSOA of its grid cell
    (raw SQL: this is set-up, not measured)."""
    from django.db import connection, transaction
    from pyproj import Transformer

    from placeworks.estate.models import Asset
    from placeworks.partners.models import Organisation

    data = synthetic(n)
    lon, lat = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True).transform(
        data["x"], data["y"]
    )
    rng = np.random.default_rng(n)
    visibility = rng.choice(["public", "partners", "organisation"], n, p=[0.6, 0.3, 0.1])
    (x0, y0), _ = ENGLAND
    columns, grid_rows = lsoa_grid()
    column = np.clip(((data["x"] - x0) // LSOA_CELL_M).astype(int), 0, columns - 1)
    row = np.clip(((data["y"] - y0) // LSOA_CELL_M).astype(int), 0, grid_rows - 1)
    cell = row * columns + column
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM estate_assetarea")
        Asset.objects.all().delete()
        if not Organisation.objects.exists():
            Organisation.objects.bulk_create(
                Organisation(
                    name=f"Organisation {i}", slug=f"organisation-{i}", sector="other_public"
                )
                for i in range(OWNERS)
            )
        org_ids = np.array(sorted(Organisation.objects.values_list("pk", flat=True)))
        status = np.where(data["trigger"], "under_used", "operational")
        rows = [
            (
                int(org_ids[data["owner"][i] % len(org_ids)]),
                f"Asset {i}",
                "office",
                float(lon[i]),
                float(lat[i]),
                "coordinates",
                str(status[i]),
                float(data["floor"][i]),
                round(float(data["running_cost"][i]), 2),
                float(data["utilisation"][i]),
                str(visibility[i]),
            )
            for i in range(n)
        ]
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_ASSET, rows)
        ids = list(Asset.objects.order_by("pk").values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.executemany(INSERT_LINK, [(ids[i], lsoa_ids[int(cell[i])]) for i in range(n)])


def full(sizes: list[int]) -> list[tuple[int, float]]:
    from placeworks.estate.opportunities import find_opportunities
    from placeworks.evidence import need as evidence_need

    started = time.perf_counter()
    lsoa_ids = load_need_index()
    print(
        f"\nfull: find_opportunities() end to end on SQLite, signed-in partner member, need "
        f"index over {len(lsoa_ids):,} LSOAs (set-up {time.perf_counter() - started:.0f} s)"
    )
    print(f"{'assets':>9} {'seconds':>8} {'peak MB':>8} {'found':>9} {'need used':>10}")
    timings = []
    for n in sizes:
        load_assets(n, lsoa_ids)
        user = signed_in_member()

        def run(user=user):  # type: ignore[no-untyped-def]
            evidence_need._CACHE.clear()  # the need index computed cold, as after a data load
            return find_opportunities(user, distance=800, min_need=0.5, limit=50)

        finding, seconds, peak = measure(run)
        print(
            f"{n:>9,} {seconds:>8.2f} {peak:>8.0f} {finding.total:>9,} "
            f"{'yes' if finding.need_used else 'no':>10}"
        )
        timings.append((n, seconds))
    return timings


def growth(label: str, timings: list[tuple[int, float]]) -> bool:
    (n0, t0), (n1, t1) = timings[0], timings[-1]
    exponent = math.log(t1 / t0) / math.log(n1 / n0) if t0 > 0 and t1 > 0 else float("nan")
    ok = t1 < GOAL_SECONDS
    print(
        f"{label}: {n0:,} -> {n1:,} assets ({n1 / n0:.0f}x) took {t1 / t0:.1f}x the time "
        f"(time ∝ n^{exponent:.2f}); {n1:,} in {t1:.2f} s — goal < {GOAL_SECONDS:.0f} s: "
        f"{'met' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    core_only = "--core-only" in sys.argv
    if core_only:
        os.environ.setdefault("PLACEWORKS_ENV", "development")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "placeworks.settings")
        os.environ.setdefault("PLACEWORKS_VAR_DIR", tempfile.mkdtemp(prefix="placeworks-bench-"))
        import django

        django.setup()
    else:
        setup_database()
    results = [growth("core", core(SIZES))]
    if not core_only:
        results.append(growth("full", full(SIZES)))
    print(
        f"peak resident memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
