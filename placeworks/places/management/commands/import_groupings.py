"""``import_groupings``: the command-line front door of the groupings importer."""

from __future__ import annotations

from typing import Any

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter

from ...ingest import GroupingImporter


class Command(ImportCommand):
    help = (
        "Import PLACE areas and neighbourhoods (named sets of loaded areas) from an editable "
        "YAML or CSV file; re-importing updates them in place. Dry run unless --commit. See "
        "docs/places.md."
    )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        return GroupingImporter()
