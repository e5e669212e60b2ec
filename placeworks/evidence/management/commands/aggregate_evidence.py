"""placeworks aggregate_evidence: roll small-area values up the geography again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from placeworks.evidence import services
from placeworks.evidence.geography import Geography
from placeworks.evidence.models import Indicator, Observation


class Command(BaseCommand):
    help = (
        "Aggregate every indicator's small-area values to the larger areas that contain them "
        "again (after the geography changed: new wards, a new PLACE area). Published values are "
        "never overwritten."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--indicator", metavar="CODE", help="Only this indicator")
        parser.add_argument("--period", help="Only this period")

    def handle(self, *args: Any, **options: Any) -> None:
        indicators = Indicator.objects.filter(aggregate=True)
        if options.get("indicator"):
            indicators = indicators.filter(code=options["indicator"])
            if not indicators.exists():
                raise CommandError(f"No indicator {options['indicator']!r} to aggregate.")
        periods = (
            Observation.objects.filter(indicator__in=indicators)
            .values_list("period", flat=True)
            .distinct()
        )
        if options.get("period"):
            periods = periods.filter(period=options["period"])
        geography = Geography.load()
        total = services.Counts()
        with transaction.atomic():
            for period in sorted(set(periods)):
                chosen = list(indicators.filter(observations__period=period).distinct())
                total.add(services.rollup_period(chosen, period, geography))
        self.stdout.write(
            f"Aggregated: {total.created} created, {total.updated} updated, "
            f"{total.unchanged} unchanged."
        )
