"""``locate_assets``: place every asset in its LSOA, ward, LAD and PLACE area again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...services import relocate_all


class Command(BaseCommand):
    help = (
        "Place every asset and community service again in its LSOA, ward, LAD and PLACE area "
        "(by coordinates, else postcode centroid). Run after loading new boundaries or "
        "postcodes; prints how many could not be placed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = relocate_all()
        self.stdout.write(str(summary))
