"""``import_crosswalk``: population-weighted crosswalks from counts (GP practice by LSOA)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter
from placeworks.places.models import AreaType

from ...ingest import CountCrosswalkImporter


class Command(ImportCommand):
    help = (
        "Import a population-weighted crosswalk from counts of people by pair of areas, such "
        "as NHS Digital's patients registered at each GP practice by LSOA (both directions are "
        "made). Dry run unless --commit. See docs/places.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--source-type", default=AreaType.GP_PRACTICE, choices=AreaType.values)
        parser.add_argument("--target-type", default=AreaType.LSOA, choices=AreaType.values)
        parser.add_argument(
            "--target-vintage", default="2011", help="Vintage of the target codes (2011)"
        )
        parser.add_argument("--source-column", help="Heading of the source codes (PRACTICE_CODE)")
        parser.add_argument("--target-column", help="Heading of the target codes (LSOA_CODE)")
        parser.add_argument("--count-column", help="Heading of the counts (NUMBER_OF_PATIENTS)")
        parser.add_argument(
            "--label", default="registered patients", help="What the counts are, for the record"
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        return CountCrosswalkImporter(
            source_type=options["source_type"],
            target_type=options["target_type"],
            target_vintage=options["target_vintage"],
            source_column=options.get("source_column"),
            target_column=options.get("target_column"),
            count_column=options.get("count_column"),
            label=options["label"],
        )
