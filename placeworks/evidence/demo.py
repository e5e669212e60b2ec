"""Evidence for the North Midlands demo, through the real importers (idempotent).

Real open data from ``data/``: the English Indices of Deprivation 2025 (LSOA 2021: scores,
ranks and deciles of IMD and the seven domains, and the underlying indicators) and, as the
earlier release, IoD2019 (LSOA 2011: files 1, 2 and 6 as MHCLG publishes them, the IMD score,
the underlying indicators and sub-domains). Both files are national: England's figures are
computed from every LSOA, and values are stored for the LSOAs the places demo loaded, then
aggregated to wards, districts, counties, the region and the PLACE areas.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from django.conf import settings

from placeworks.places.models import Area, AreaType

from .ingest import IoDImporter

DATA = Path(settings.BASE_DIR) / "data"
RELEASES = [
    (
        "2025",
        [
            DATA / "iod2025" / "iod2025_lsoa21_scores_ranks_deciles.csv.gz",
            DATA / "iod2025" / "iod2025_lsoa21_indicators.csv.gz",
        ],
    ),
    (
        "2019",
        [
            DATA / "iod2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv.gz",
            DATA / "iod2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz",
            DATA / "iod2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz",
            DATA / "iod2019" / "IoD2019_IMD_score_lsoa11_NHSRpopulation.csv.gz",
            DATA / "iod2019_indicators" / "iod2019_lsoa11_indicators.csv.gz",
            DATA / "iod2019_indicators" / "iod2019_lsoa11_subdomains.csv.gz",
        ],
    ),
]


def load(stdout: TextIO, *, password: str = "") -> None:
    if not Area.objects.filter(type=AreaType.LSOA).exists():
        stdout.write("  evidence: no neighbourhoods (LSOAs) are loaded, so nothing to attach to.\n")
        return
    for release, paths in RELEASES:
        started = time.perf_counter()
        importer = IoDImporter(release=release, companions=paths[1:])
        report = importer.run(paths[0], commit=True, raise_on_error=True)
        stdout.write(
            f"  IoD{release}: {report.rows:,} LSOAs read, {report.created:,} observations "
            f"created, {report.updated:,} updated, {report.unchanged:,} unchanged "
            f"({time.perf_counter() - started:.1f} s)\n"
        )
        for note in report.notes:
            stdout.write(f"    {note}\n")
