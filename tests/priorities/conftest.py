"""A small hand-built geography and partnership for the priorities tests (no places demo).

Two districts with real 2024 ward codes: Mansfield (all 35 wards, read from the committed ONS
lookup so that the sample files import) and Ashfield (its 23 wards); two councils with an editor
and a viewer each, an outsider, and a Health and Wellbeing Strategy with four aims.
"""

from __future__ import annotations

import csv
import gzip
from functools import cache
from pathlib import Path

import pytest

from placeworks.partners.models import Sector
from placeworks.places.models import Area, AreaLink
from placeworks.themes.models import Aim, Strategy, Theme
from tests.factories import OrganisationFactory, member

ROOT = Path(__file__).resolve().parents[2]
LOOKUP = ROOT / "data" / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz"
SAMPLES = ROOT / "data" / "sample_plans"
FIXTURES = ROOT / "tests" / "fixtures" / "priorities"
MANSFIELD = "E07000174"
ASHFIELD = "E07000170"


@cache
def ward_lookup() -> dict[str, list[tuple[str, str]]]:
    """{district code: [(ward code, ward name)]} for Mansfield and Ashfield (2024 wards)."""
    found: dict[str, set[tuple[str, str]]] = {MANSFIELD: set(), ASHFIELD: set()}
    with gzip.open(LOOKUP, "rt", encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["LAD24CD"] in found:
                found[row["LAD24CD"]].add((row["WD24CD"], row["WD24NM"]))
    return {code: sorted(wards) for code, wards in found.items()}


def load_wards(district_code: str, name: str) -> tuple[Area, dict[str, Area]]:
    lad = Area.objects.create(type="lad", code=district_code, name=name, vintage="2024")
    wards = {}
    for code, ward_name in ward_lookup()[district_code]:
        ward = Area.objects.create(type="ward", code=code, name=ward_name, vintage="2024")
        AreaLink.objects.create(ancestor=lad, descendant=ward, depth=1)
        wards[ward_name] = ward
    return lad, wards


@pytest.fixture
def geo(db):
    mansfield, mansfield_wards = load_wards(MANSFIELD, "Mansfield")
    ashfield, ashfield_wards = load_wards(ASHFIELD, "Ashfield")
    lsoa = Area.objects.create(type="lsoa", code="E01028282", name="Mansfield 001A", vintage="2021")
    return {
        "mansfield": mansfield,
        "ashfield": ashfield,
        "wards": mansfield_wards,
        "ashfield_wards": ashfield_wards,
        "lsoa": lsoa,
    }


@pytest.fixture
def orgs(db):
    return {
        "mansfield": OrganisationFactory(
            name="Mansfield District Council", sector=Sector.DISTRICT_COUNCIL
        ),
        "ashfield": OrganisationFactory(
            name="Ashfield District Council", sector=Sector.DISTRICT_COUNCIL
        ),
        "police": OrganisationFactory(name="Nottinghamshire Police", sector=Sector.POLICE),
    }


@pytest.fixture
def users(orgs):
    return {
        "editor": member("editor", orgs["mansfield"], username="mansfield.editor"),
        "viewer": member("viewer", orgs["mansfield"], username="mansfield.viewer"),
        "other_editor": member("editor", orgs["ashfield"], username="ashfield.editor"),
        "police": member("viewer", orgs["police"], username="police.viewer"),
    }


@pytest.fixture
def strategy(db):
    """The four aims of a Health and Wellbeing Strategy, linked to themes."""
    themes = {t.slug: t for t in Theme.objects.all()}
    strategy = Strategy.objects.create(name="Test Health and Wellbeing Strategy")
    links = [
        ("All children get the best start in life", ["children-young-people"]),
        ("The best possible mental health and wellbeing", ["mental-health"]),
        ("Live well for longer", ["older-people", "health-wellbeing"]),
        (
            "Live in healthy, safe and resilient communities",
            ["community-safety", "cost-of-living"],
        ),
    ]
    aims = []
    for number, (text, slugs) in enumerate(links, start=1):
        aim = Aim.objects.create(strategy=strategy, number=number, text=text)
        aim.themes.set([themes[s] for s in slugs])
        aims.append(aim)
    return {"strategy": strategy, "aims": aims}


@pytest.fixture
def themes(db):
    return {t.slug: t for t in Theme.objects.all()}
