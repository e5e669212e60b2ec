"""``import_populations``: the command-line front door of the population importer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter
from placeworks.places.models import AreaType

from ...ingest import PopulationImporter


class Command(ImportCommand):
    help = (
        "Import population estimates for loaded areas (one figure per area, or single-year "
        "ages and sexes summed, as in ONS SAPE files); they are then apportioned to other "
        "vintages and summed up the hierarchy. Dry run unless --commit. See docs/places.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--type", default=AreaType.LSOA, choices=AreaType.values, help="Area type (lsoa)"
        )
        parser.add_argument(
            "--vintage", help="Vintage of the codes, e.g. 2011 (read from the heading if it says)"
        )
        parser.add_argument(
            "--year",
            type=int,
            help="Year of the estimates (read from a heading or file name with 'mid 2019')",
        )
        parser.add_argument("--source", help="How to cite the figures on place pages")
        parser.add_argument(
            "--existing-only",
            action="store_true",
            help="Leave out codes that are not loaded (a national file for a regional "
            "deployment) instead of rejecting the file",
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        return PopulationImporter(
            area_type=options["type"],
            vintage=options.get("vintage"),
            year=options.get("year"),
            source=options.get("source"),
            existing_only=options["existing_only"],
        )
