"""``rebuild_area_links``: recompute everything derived from the areas and their relations."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from placeworks.places import services
from placeworks.places.models import AreaType


class Command(BaseCommand):
    help = (
        "Recompute the area hierarchy's closure (AreaLink), derived boundaries, missing map "
        "shapes and population totals. Imports do this themselves; run it after editing areas "
        "in the admin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--nest",
            action="append",
            default=[],
            metavar="CHILD:PARENT",
            help="Also link each area of type CHILD to the PARENT all its LSOAs lie in, e.g. "
            "msoa:lad (repeatable)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for pair in options["nest"]:
            child_type, _, parent_type = pair.partition(":")
            if child_type not in AreaType.values or parent_type not in AreaType.values:
                raise CommandError(f"--nest {pair}: give CHILD:PARENT types, e.g. msoa:lad")
            nesting = services.infer_nesting(
                by=None, child_type=child_type, parent_type=parent_type
            )
            self.stdout.write(nesting.summary(child_type, parent_type))
        report = services.rebuild_everything(by=None)
        for line in report.lines():
            self.stdout.write(line[:1].upper() + line[1:] + ".")
