"""Demo data: a sample Health and Wellbeing Strategy and sample ward plans.

ILLUSTRATIVE SAMPLE DATA. The strategy and the ward plans were written for the demo
(``data/sample_plans/``, made by ``make_samples.py``); they are not real plans of the councils
named. They sit on the real 2024 wards of Mansfield (all of them, 2024/25 and 2025/26, from a
CSV file) and of some Ashfield wards (2025/26, from a Word document), loaded by the places demo.

The plans are imported through the real importers; the tagger suggests each priority's themes
and the demo confirms its suggestions, as a person would after checking them. Idempotent: a
second run changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import transaction

from placeworks.partners.models import Organisation
from placeworks.places.models import AreaType
from placeworks.themes.models import Aim, Strategy, Theme
from placeworks.themes.services import ensure_default_themes

from . import services
from .areas import find_area, within
from .ingest import importer_for
from .models import Plan, PlanStatus, Priority

SAMPLE_DIR = Path(settings.BASE_DIR) / "data" / "sample_plans"

STRATEGY_NAME = "Sample Health and Wellbeing Strategy 2024–2028 (illustrative)"
STRATEGY_OWNER = "Nottinghamshire County Council"
AIMS: list[tuple[str, list[str]]] = [
    ("All children get the best start in life", ["children-young-people", "education-skills"]),
    ("The best possible mental health and wellbeing", ["mental-health", "loneliness-isolation"]),
    ("Live well for longer", ["health-wellbeing", "older-people"]),
    (
        "Live in healthy, safe and resilient communities",
        ["community-safety", "community-resilience", "housing", "environment", "cost-of-living"],
    ),
]

# (file, owning organisation, district code): each imported as published sample plans.
PLAN_FILES = [
    ("mansfield_ward_plans.csv", "Mansfield District Council", "E07000174"),
    ("ashfield_ward_plans_2025-26.docx", "Ashfield District Council", "E07000170"),
]


def load_strategy() -> Strategy:
    owner = Organisation.objects.filter(name=STRATEGY_OWNER).first()
    themes = {t.slug: t for t in Theme.objects.all()}
    with transaction.atomic():
        strategy, _ = Strategy.objects.update_or_create(
            name=STRATEGY_NAME,
            defaults={"owner": owner, "period": "2024–2028", "is_sample": True},
        )
        for number, (text, slugs) in enumerate(AIMS, start=1):
            aim, _ = Aim.objects.update_or_create(
                strategy=strategy, number=number, defaults={"text": text}
            )
            aim.themes.set([themes[s] for s in slugs if s in themes])
    return strategy


def confirm_suggestions(plans: list[Plan]) -> int:
    """Confirm the tagger's suggestions for priorities nobody has confirmed yet."""
    themes = {t.slug: t for t in Theme.objects.all()}
    confirmed = 0
    for priority in Priority.objects.filter(plan__in=plans, themes_confirmed_at__isnull=True):
        chosen = [themes[slug] for slug in priority.suggested_slugs() if slug in themes]
        services.confirm_themes(by=None, priority=priority, themes=chosen)
        confirmed += 1
    return confirmed


def load(stdout: TextIO, *, password: str) -> None:
    ensure_default_themes()
    strategy = load_strategy()
    stdout.write(f"  strategy: {strategy.name} with {strategy.aims.count()} aims\n")
    for file_name, owner_name, district in PLAN_FILES:
        owner = Organisation.objects.filter(name=owner_name).first()
        parent = find_area(district, [AreaType.LAD])
        if owner is None or parent is None or not within(parent, [AreaType.WARD]).exists():
            stdout.write(
                f"  skipped {file_name}: needs {owner_name} (partners demo) and the wards of "
                f"{district} (places demo)\n"
            )
            continue
        importer = importer_for(
            SAMPLE_DIR / file_name,
            owner=owner,
            parent=parent,
            status=PlanStatus.PUBLISHED,
            is_sample=True,
        )
        report = importer.run(SAMPLE_DIR / file_name, commit=True)
        if report.errors:
            stdout.write(f"  could not import {file_name}:\n{report.summary()}\n")
            continue
        plans = list(Plan.objects.filter(owner=owner, is_sample=True, source=file_name))
        confirmed = confirm_suggestions(plans)
        stdout.write(
            f"  {file_name}: {len(plans)} sample plans; {report.created} priorities added, "
            f"{report.unchanged + report.updated} already there; themes confirmed for "
            f"{confirmed}\n"
        )
