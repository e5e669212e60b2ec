"""``build_crosswalk``: an area-overlap crosswalk between two loaded geographies."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from placeworks.places import services
from placeworks.places.models import Area, AreaType


def _level(value: str) -> tuple[str, str]:
    area_type, _, vintage = value.partition(":")
    if area_type not in AreaType.values:
        raise CommandError(
            f"{value}: give TYPE:VINTAGE, e.g. ward:2021, with a type among "
            + ", ".join(AreaType.values)
        )
    return area_type, vintage


class Command(BaseCommand):
    help = (
        "Build (or update) an area-overlap crosswalk between two loaded geographies with "
        "boundaries, e.g. --from ward:2021 --to ward:2024. See docs/places.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, metavar="TYPE:VINTAGE")
        parser.add_argument("--to", dest="target", required=True, metavar="TYPE:VINTAGE")
        parser.add_argument(
            "--name", help="Name of the crosswalk (made from the levels if not given)"
        )
        parser.add_argument(
            "--changed-only",
            action="store_true",
            help="Only sources whose code is not also a target (areas that changed)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source_type, source_vintage = _level(options["source"])
        target_type, target_vintage = _level(options["target"])
        for area_type, vintage in ((source_type, source_vintage), (target_type, target_vintage)):
            if not Area.objects.filter(
                type=area_type, vintage=vintage, geometry_wkb__isnull=False
            ).exists():
                raise CommandError(f"No {area_type} {vintage} areas with boundaries are loaded.")
        report = services.build_overlap_crosswalk(
            by=None,
            source_type=source_type,
            source_vintage=source_vintage,
            target_type=target_type,
            target_vintage=target_vintage,
            name=options.get("name"),
            only_unmatched_codes=options["changed_only"],
        )
        self.stdout.write(report.summary())
