"""The North Midlands estate for the demo, through the real importers (idempotent).

Real open data from ``data/``: the schools' postcode centroids (the only postcode lookup
shipped), 1,055 open schools (DfE GIAS, May 2025), 41 hospital sites (NHS website, 2018) and the
active GP practices (NHS ODS epraccur, January 2020; postcodes only, so most cannot be placed
until a full postcode directory is loaded). Then illustrative council, NHS, police, fire and
voluntary sector sites and community services from ``data/sample_estate/``, flagged as sample
data.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from django.conf import settings

from placeworks.partners.models import Organisation

from .ingest import (
    GenericAssetImporter,
    GiasImporter,
    HsdsImporter,
    NhsSitesImporter,
    OdsGpImporter,
    PostcodeImporter,
)
from .models import Asset, CommunityService, LocationSource
from .services import relocate_all

DATA = Path(settings.BASE_DIR) / "data"
SAMPLE = DATA / "sample_estate"
SERVICES = [
    ("sample_community_services_nottinghamshire.json", "Mansfield Community and Voluntary Service"),
    ("sample_community_services_derbyshire.json", "Derbyshire Voluntary Action"),
]


def load(stdout: TextIO, *, password: str = "") -> None:
    started = time.perf_counter()
    steps = [
        (
            PostcodeImporter(source="ONS postcode centroids of the 2017 schools (data/schools)"),
            DATA / "schools" / "postcode_centroids_north_midlands_schools.csv",
        ),
        (
            GiasImporter(),
            DATA / "schools" / "gias_open_establishments_2025-05-24_north_midlands.csv",
        ),
        (NhsSitesImporter(), DATA / "nhs_hospitals" / "nhs_hospitals_2018_north_midlands.csv"),
        (OdsGpImporter(), DATA / "gp_practices" / "epraccur_north_midlands_2020-01.csv"),
        (GenericAssetImporter(is_sample=True), SAMPLE / "north_midlands_sample_sites.csv"),
    ]
    for file_name, maintainer in SERVICES:
        owner = Organisation.objects.filter(name=maintainer).first()
        if owner is not None:
            steps.append((HsdsImporter(owner=owner, is_sample=True), SAMPLE / file_name))
    for importer, path in steps:
        report = importer.run(path, commit=True, raise_on_error=True)
        stdout.write(
            f"  {importer.name}: {report.rows} rows, {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged\n"
        )
    # Boundaries may have been (re)loaded since the assets were: place everything again.
    located = relocate_all()
    stdout.write(f"  location: {located}\n")
    placed = Asset.objects.exclude(location_source=LocationSource.NONE).count()
    unplaced = Asset.objects.filter(location_source=LocationSource.NONE).count()
    stdout.write(
        f"  estate: {Asset.objects.count()} assets ({placed} placed, {unplaced} not placed: "
        f"no coordinates and postcode not in the loaded lookup), "
        f"{Asset.objects.filter(is_sample=True).count()} of them sample sites; "
        f"{CommunityService.objects.count()} community services; "
        f"{time.perf_counter() - started:.1f} s\n"
    )
