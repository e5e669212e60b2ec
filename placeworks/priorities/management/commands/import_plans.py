"""``import_plans``: the command-line front door of the plan importers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter
from placeworks.partners.models import Organisation
from placeworks.places.models import AreaType

from ...areas import find_area
from ...ingest import FORMATS, importer_for
from ...models import PlanStatus


class Command(ImportCommand):
    help = (
        "Import ward and place plans from a CSV or XLSX file (one row per priority) or a Word "
        "document (a heading per ward followed by its priorities). Dry run unless --commit. "
        "See docs/priorities.md for the layouts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--owner",
            metavar="SLUG",
            required=True,
            help="The organisation whose plans these are (its slug)",
        )
        parser.add_argument(
            "--format",
            choices=["auto", *sorted(FORMATS)],
            default="auto",
            help="File format (default: auto, by the file's extension)",
        )
        parser.add_argument(
            "--period",
            help="Financial year (e.g. 2025/26) for rows and headings that give none",
        )
        parser.add_argument(
            "--parent",
            metavar="CODE",
            help="Code of the district (or PLACE area) in which to look up area names, "
            "e.g. E07000174; needed for Word documents",
        )
        parser.add_argument(
            "--status",
            choices=PlanStatus.values,
            default=PlanStatus.DRAFT,
            help="Status of new plans when the file gives none (default: draft)",
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="Mark the plans as illustrative sample data",
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        owner = Organisation.objects.filter(slug=options["owner"]).first()
        if owner is None:
            raise CommandError(
                f"No organisation with slug ‘{options['owner']}’. "
                "See the Organisations page for slugs."
            )
        parent = None
        if options.get("parent"):
            parent = find_area(options["parent"], [AreaType.LAD, AreaType.PLACE, AreaType.COUNTY])
            if parent is None:
                raise CommandError(f"No district or PLACE area with code ‘{options['parent']}’.")
        try:
            return importer_for(
                options["path"],
                options["format"],
                owner=owner,
                period=options.get("period"),
                parent=parent,
                status=options["status"],
                is_sample=options.get("sample", False),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
