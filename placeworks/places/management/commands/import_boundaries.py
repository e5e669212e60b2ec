"""``import_boundaries``: the command-line front door of the boundary importer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter
from placeworks.places.models import AreaType

from ...ingest import BoundaryImporter


class Command(ImportCommand):
    help = (
        "Import area boundaries from GeoJSON, a zipped Shapefile or a GeoPackage in any "
        "coordinate reference system (British National Grid is converted to WGS84); invalid "
        "polygons are repaired or reported. Dry run unless --commit. See docs/places.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--type", required=True, choices=AreaType.values, help="The type of area in the file"
        )
        parser.add_argument(
            "--vintage",
            help="Boundary vintage, e.g. 2021 (read from an ONS code heading such as LSOA21CD "
            "when not given)",
        )
        parser.add_argument("--code-field", help="The column holding each area's code")
        parser.add_argument("--name-field", help="The column holding each area's name")
        parser.add_argument("--layer", help="The layer to read from a GeoPackage with several")
        parser.add_argument(
            "--existing-only",
            action="store_true",
            help="Attach boundaries to areas already loaded only; list the rest",
        )
        parser.add_argument("--inactive", action="store_true", help="Load new areas switched off")

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        return BoundaryImporter(
            area_type=options["type"],
            vintage=options.get("vintage"),
            code_field=options.get("code_field"),
            name_field=options.get("name_field"),
            layer=options.get("layer"),
            existing_only=options["existing_only"],
            inactive=options["inactive"],
        )
