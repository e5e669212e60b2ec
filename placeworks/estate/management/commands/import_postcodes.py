"""``import_postcodes``: load postcode centroids (ONS Postcode Directory or a small lookup)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter

from ...ingest import PostcodeImporter


class Command(ImportCommand):
    help = (
        "Load postcode centroids used to place records that have a postcode but no coordinates: "
        "the ONS Postcode Directory (pcds, lat, long) or any CSV with postcode and "
        "latitude/longitude or easting/northing. Assets are placed again afterwards. "
        "Dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--source", default="", help="Where the file came from, e.g. 'ONSPD February 2025'"
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        return PostcodeImporter(source=options.get("source") or "")
