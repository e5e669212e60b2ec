"""placeworks import_iod: the English Indices of Deprivation, one release at a time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.evidence.catalogue import RELEASES
from placeworks.evidence.ingest import IoDImporter
from placeworks.ingest.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the English Indices of Deprivation: File 7, or the separate files (1, 2, 3, 4, 5, "
        "6, 8) of one release together, with official or snake_case headers. The national "
        "file's LSOAs that are not in the loaded geography are used for England's figures and "
        "listed as a warning. Dry run unless --commit. See docs/evidence.md."
    )
    importer_class = IoDImporter

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The main file (File 7, or one of the separate files)")
        parser.add_argument(
            "more", nargs="*", help="More files of the same release, joined on the LSOA code"
        )
        parser.add_argument(
            "--release",
            choices=sorted(RELEASES),
            help="2019 or 2025 (default: told from the LSOA column, 2011 or 2021 codes)",
        )
        parser.add_argument(
            "--commit", action="store_true", help="Write to the database (default: dry run)"
        )

    def importer(self, options: dict[str, Any]) -> IoDImporter:
        return IoDImporter(release=options.get("release"), companions=options.get("more") or [])
