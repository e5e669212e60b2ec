"""placeworks import_fingertips: an OHID Fingertips data export."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from placeworks.evidence.ingest import FingertipsImporter
from placeworks.ingest.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import an OHID Fingertips data export (CSV with Indicator ID, Area Code, Time period, "
        "Value, confidence limits, Count, Denominator...). Area codes not in the loaded "
        "geography are listed as a warning. Dry run unless --commit. See docs/evidence.md."
    )
    importer_class = FingertipsImporter

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--theme", help="Theme slug for new indicators (e.g. health-wellbeing)")

    def importer(self, options: dict[str, Any]) -> FingertipsImporter:
        return FingertipsImporter(theme=options.get("theme"))
