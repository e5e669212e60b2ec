"""``import_lookup``: the command-line front door of the lookup importer."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from placeworks.ingest.command import ImportCommand
from placeworks.ingest.core import BaseImporter

from ...ingest import LookupImporter
from ._options import codes_option, vintage_overrides


class Command(ImportCommand):
    help = (
        "Import an ONS-style lookup (LSOA21CD → WD24CD → LAD24CD …) into the area hierarchy; a "
        "file with two vintages of one type (F_LSOA11CD, LSOA21CD) becomes a crosswalk. Columns "
        "are recognised by their headings. Dry run unless --commit. See docs/places.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--within",
            metavar="CODES",
            help="Keep only rows about these areas (comma-separated codes, e.g. LAD codes) or "
            "areas already loaded inside them",
        )
        parser.add_argument(
            "--vintage",
            action="append",
            default=[],
            metavar="TYPE=YEAR",
            help="Override the vintage read from a column heading, e.g. ward=2023 (repeatable)",
        )
        parser.add_argument(
            "--ignore-column",
            action="append",
            default=[],
            metavar="HEADING",
            help="Leave a column out (repeatable)",
        )
        parser.add_argument(
            "--crosswalk-name", help="Name of the crosswalk a two-vintage file creates"
        )
        parser.add_argument(
            "--inactive",
            action="store_true",
            help="Load new areas switched off (to check a new vintage before using it)",
        )

    def importer(self, options: dict[str, Any]) -> BaseImporter:
        try:
            vintages = vintage_overrides(options["vintage"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        return LookupImporter(
            within=codes_option(options.get("within")),
            vintages=vintages,
            ignore_columns=options["ignore_column"],
            crosswalk_name=options.get("crosswalk_name"),
            inactive=options["inactive"],
        )
