"""placeworks import_evidence: partners' own data in the tidy layout."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from placeworks.evidence.ingest import TidyImporter
from placeworks.ingest.command import ImportCommand
from placeworks.partners.models import Organisation


class Command(ImportCommand):
    help = (
        "Import a partner's data in the tidy layout (CSV or XLSX: area_code, indicator, period, "
        "value, count, denominator...). Every area code must be loaded. Dry run unless "
        "--commit. The template and columns are in docs/evidence.md."
    )
    importer_class = TidyImporter

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--organisation",
            metavar="SLUG",
            help="The organisation that maintains any new indicators the file defines",
        )

    def importer(self, options: dict[str, Any]) -> TidyImporter:
        slug = options.get("organisation")
        organisation = None
        if slug:
            organisation = Organisation.objects.filter(slug=slug).first()
            if organisation is None:
                raise CommandError(f"No organisation with slug {slug!r}.")
        return TidyImporter(organisation=organisation)
