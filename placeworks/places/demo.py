"""The North Midlands demo geography, loaded by the real importers from the real files.

Derby, Derbyshire, Nottingham and Nottinghamshire (17 local authority districts): LSOAs (2011
and 2021), MSOAs (2011), wards (2024, and the 2021 wards they replaced), districts, the two
counties, the ICBs and sub-ICB locations, the region and England (both loaded only in part),
boundaries, mid-2019 populations and the 12 PLACE areas. Idempotent: a second run changes
nothing. See docs/places.md for what each step does and what is missing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from placeworks.ingest.core import BaseImporter, ImportRejected

from . import services
from .ingest import BoundaryImporter, GroupingImporter, LookupImporter, PopulationImporter
from .models import Area, AreaType

NORTH_MIDLANDS = [
    "E06000015",  # Derby
    "E07000032",  # Amber Valley
    "E07000033",  # Bolsover
    "E07000034",  # Chesterfield
    "E07000035",  # Derbyshire Dales
    "E07000036",  # Erewash
    "E07000037",  # High Peak
    "E07000038",  # North East Derbyshire
    "E07000039",  # South Derbyshire
    "E06000018",  # Nottingham
    "E07000170",  # Ashfield
    "E07000171",  # Bassetlaw
    "E07000172",  # Broxtowe
    "E07000173",  # Gedling
    "E07000174",  # Mansfield
    "E07000175",  # Newark and Sherwood
    "E07000176",  # Rushcliffe
]

REGION_NOTE = (
    "Only the North Midlands part of this area is loaded (Derby, Derbyshire, Nottingham and "
    "Nottinghamshire): its total population and outline are not shown."
)


def data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data"


@dataclass(frozen=True)
class Step:
    label: str
    file: str
    importer: BaseImporter


def steps(lads: Sequence[str], groupings: str | Path | None = None) -> list[Step]:
    """The imports of the demo, in order (each lookup before the files that need its areas)."""
    within = list(lads)
    return [
        Step(
            "LSOA 2021 → ward 2024 → LAD 2024 (the current hierarchy)",
            "geography/lookup_lsoa21_ward24_lad24_ONS.csv.gz",
            LookupImporter(within=within),
        ),
        Step(
            "LSOA 2011 → ward 2019 → LAD 2019 (the 2011 hierarchy, IoD2019)",
            "lsoa_ward_lad_lookup/LSOA11_WD19_LAD19_EW_LU.csv.gz",
            LookupImporter(within=within),
        ),
        Step(
            "ward 2019 → LAD 2019 (wards no LSOA is best-fitted to)",
            "lsoa_ward_lad_lookup/WD19_LAD19_UK_LU.csv",
            LookupImporter(within=within),
        ),
        Step(
            "LAD → county → region → country",
            "lad_county_region/LAD19_CTY19_RGN19_CTRY19_north_midlands.csv",
            LookupImporter(within=within),
        ),
        Step(
            "LSOA 2011 → MSOA 2011",
            "geography/lookup_lsoa11_msoa11.csv.gz",
            LookupImporter(within=within),
        ),
        Step(
            "LSOA 2011 → sub-ICB location → ICB (2022), and LAD → ICB",
            "geography/lookup_lsoa11_sicbl22_icb22_ltla22.csv.gz",
            LookupImporter(within=within),
        ),
        Step(
            "LAD boundaries (UK, 2019)",
            "geography/boundaries_lad19_uk.geojson",
            BoundaryImporter(area_type=AreaType.LAD, vintage="2019", existing_only=True),
        ),
        Step(
            "ward boundaries (2021)",
            "geography/boundaries_wards21_north_midlands.geojson",
            BoundaryImporter(area_type=AreaType.WARD, vintage="2021", existing_only=True),
        ),
        Step(
            "LSOA 2011 boundaries",
            "geography/boundaries_lsoa11_north_midlands.geojson",
            BoundaryImporter(area_type=AreaType.LSOA, vintage="2011", existing_only=True),
        ),
        Step(
            "LSOA 2021 boundaries",
            "geography/boundaries_lsoa21_north_midlands.geojson",
            BoundaryImporter(area_type=AreaType.LSOA, vintage="2021", existing_only=True),
        ),
        Step(
            "LSOA 2011 → LSOA 2021 crosswalk",
            "geography/lookup_lsoa11_lsoa21_lad22_ONS.csv.gz",
            LookupImporter(within=within),
        ),
        Step(
            "populations (ONS mid-2019, LSOA 2011)",
            "population/sape22_mid2019_lsoa11_single_year_age_north_midlands.csv",
            PopulationImporter(
                area_type=AreaType.LSOA,
                vintage="2011",
                year=2019,
                source="ONS mid-2019 LSOA population estimates (SAPE22DT2), persons",
                existing_only=True,  # the file covers the region; tests load part of it
            ),
        ),
        Step(
            "PLACE areas",
            str(groupings or "groupings/north_midlands_places.yaml"),
            GroupingImporter(),
        ),
    ]


def load_geography(
    stdout: Any = None,
    *,
    lads: Sequence[str] = NORTH_MIDLANDS,
    groupings: str | Path | None = None,
    quiet: bool = False,
) -> dict[str, float]:
    """Run every step; returns seconds per step. Raises ``ImportRejected`` if a file fails.

    ``lads`` and ``groupings`` (a groupings file) load a smaller area, for tests.
    """

    def say(text: str) -> None:
        if stdout is not None and not quiet:
            stdout.write(text + "\n")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    for number, step in enumerate(steps(lads, groupings), start=1):
        began = time.perf_counter()
        report = step.importer.run(data_dir() / step.file, commit=True, raise_on_error=True)
        timings[step.label] = time.perf_counter() - began
        say(
            f"  {number:2}. {step.label}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged ({timings[step.label]:.1f} s)"
        )
        if number == 4:
            _mark_region_partial(lads)
        if number == 5:
            nesting = services.infer_nesting(
                by=None, child_type=AreaType.MSOA, parent_type=AreaType.LAD
            )
            say(f"      {nesting.summary('MSOA', 'district')}")
    began = time.perf_counter()
    if Area.objects.filter(type=AreaType.WARD, vintage="2021").exists():
        crosswalk = services.build_overlap_crosswalk(
            by=None,
            source_type=AreaType.WARD,
            source_vintage="2021",
            target_type=AreaType.WARD,
            target_vintage="2024",
            name="ward 2021 to ward 2024 (area overlap)",
            only_unmatched_codes=True,
        )
        timings["ward 2021 → ward 2024 crosswalk"] = time.perf_counter() - began
        say(f"  {len(timings):2}. {crosswalk.summary().splitlines()[0]}")
    timings["total"] = time.perf_counter() - started
    say(f"  Places demo geography loaded in {timings['total']:.1f} s.")
    return timings


def _mark_region_partial(lads: Sequence[str]) -> None:
    """The region and England are only loaded in part: say so, so no total is shown."""
    for area in Area.objects.filter(type__in=[AreaType.REGION, AreaType.COUNTRY]):
        services.mark_partial(by=None, area=area, note=REGION_NOTE)


def load(stdout: Any, *, password: str) -> None:
    """The ``load_demo`` entry point (see placeworks/places/contributions.py)."""
    try:
        load_geography(stdout)
    except ImportRejected as exc:
        stdout.write(f"The places demo data could not be loaded:\n{exc}")
        raise
