"""``import_assets``: the command-line front door of the estate importers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter
from placeworks.partners.models import Organisation

from ...ingest import FORMATS


class Command(ImportCommand):
    help = (
        "Import assets or community services from a file: an asset register (generic CSV/XLSX), "
        "DfE GIAS schools, NHS ODS GP practices, NHS hospital sites, or Open Referral UK (HSDS) "
        "JSON. Dry run unless --commit. See docs/estate.md for the columns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="generic",
            help="File format (default: generic). "
            + "; ".join(f"{name}: {description}" for name, (_, description) in FORMATS.items()),
        )
        parser.add_argument(
            "--owner",
            metavar="SLUG",
            help="Owning organisation (its slug) for rows that name none; required for hsds",
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Mark every imported record as illustrative sample data",
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        owner = None
        if options.get("owner"):
            owner = Organisation.objects.filter(slug=options["owner"]).first()
            if owner is None:
                raise CommandError(
                    f"No organisation with slug ‘{options['owner']}’. "
                    "See the Organisations page for slugs."
                )
        importer_class, _ = FORMATS[options["format"]]
        return importer_class(owner=owner, is_sample=options.get("sample", False))  # type: ignore[call-arg]
