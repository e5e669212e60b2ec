"""A small hand-built partnership for the pipeline tests (no demo data needed).

Two PLACE areas (Mid-Nottinghamshire: Mansfield and Ashfield; Derby City: Derby) with
district centroids and a ward; five organisations; four projects of every visibility, among them
a confidential disposal led by Nottinghamshire County Council with Mansfield District Council as
partner, which Nottinghamshire Police must never see.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from placeworks.partners.models import Sector, Visibility
from placeworks.pipeline import services
from placeworks.pipeline.models import PartnerRole, ProjectType, Rag, Stage
from placeworks.places.models import Area, AreaLink
from placeworks.themes.models import Theme
from placeworks.themes.services import ensure_default_themes
from tests.factories import OrganisationFactory, UserFactory, member

SECRET = "Kirkby Depot Confidential Disposal"
SECRET_RECEIPTS = Decimal("7777777")


def area(type_: str, code: str, name: str, centre=None) -> Area:
    fields = {}
    if centre:
        fields = {"centroid_lon": centre[0], "centroid_lat": centre[1]}
    return Area.objects.create(type=type_, code=code, name=name, vintage="2024", **fields)


def build_areas() -> dict[str, Area]:
    mid_notts = area("place", "PLACE01", "Mid-Nottinghamshire")
    derby_city = area("place", "PLACE02", "Derby City")
    mansfield = area("lad", "E07000174", "Mansfield", (-1.19, 53.14))
    ashfield = area("lad", "E07000170", "Ashfield", (-1.26, 53.09))
    derby = area("lad", "E06000015", "Derby", (-1.47, 52.91))
    ward = area("ward", "E05000001", "Mansfield Town Centre", (-1.20, 53.145))
    for parent, child, depth in [
        (mid_notts, mansfield, 1),
        (mid_notts, ashfield, 1),
        (mid_notts, ward, 2),
        (mansfield, ward, 1),
        (derby_city, derby, 1),
    ]:
        AreaLink.objects.create(ancestor=parent, descendant=child, depth=depth)
    return {
        "mid_notts": mid_notts,
        "derby_city": derby_city,
        "mansfield": mansfield,
        "ashfield": ashfield,
        "derby": derby,
        "ward": ward,
    }


def build_orgs():
    return {
        "county": OrganisationFactory(
            name="Nottinghamshire County Council", sector=Sector.COUNTY_COUNCIL
        ),
        "district": OrganisationFactory(
            name="Mansfield District Council", sector=Sector.DISTRICT_COUNCIL
        ),
        "icb": OrganisationFactory(
            name="NHS Nottingham and Nottinghamshire ICB", sector=Sector.INTEGRATED_CARE_BOARD
        ),
        "police": OrganisationFactory(name="Nottinghamshire Police", sector=Sector.POLICE),
        "derbyshire": OrganisationFactory(
            name="Derbyshire County Council", sector=Sector.COUNTY_COUNCIL
        ),
    }


def build_users(orgs):
    return {
        "manager": member("admin", orgs["county"], username="programme.manager"),
        "county_editor": member("editor", orgs["county"], username="county.editor"),
        "county_viewer": member("viewer", orgs["county"], username="county.viewer"),
        "district_editor": member("editor", orgs["district"], username="district.editor"),
        "icb_editor": member("editor", orgs["icb"], username="icb.editor"),
        "police_viewer": member("viewer", orgs["police"], username="inspector.police"),
        "police_editor": member("editor", orgs["police"], username="police.editor"),
        "outsider": member("viewer", orgs["derbyshire"], username="analyst.derbyshire"),
        "admin": UserFactory(username="platform.admin", is_superuser=True, is_staff=True),
    }


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def build_projects(areas, orgs):
    """Four projects: public, partners, a confidential disposal, and a Derby one."""
    hub = services.create_project(
        by=None,
        reference="mansfield-hub",
        lead=orgs["county"],
        title="Mansfield Health and Wellbeing Hub",
        summary="Library, clinics and council services under one roof.",
        project_type=ProjectType.CO_LOCATION_HUB,
        visibility=Visibility.PUBLIC,
        stage=Stage.BUSINESS_CASE,
        places=[areas["mid_notts"], areas["mansfield"]],
        themes=[theme("health-wellbeing"), theme("community-resilience")],
        partners=[(orgs["icb"], PartnerRole.OCCUPIER), (orgs["district"], PartnerRole.LANDOWNER)],
        rag_status=Rag.AMBER,
        capital_cost=Decimal("4000000"),
        revenue_cost=Decimal("50000"),
        capital_receipts_forecast=Decimal("1200000"),
        running_cost_savings_forecast=Decimal("300000"),
        jobs_created_forecast=12,
    )
    homes = services.create_project(
        by=None,
        reference="ashfield-homes",
        lead=orgs["district"],
        title="Ashfield Community Homes",
        project_type=ProjectType.DISPOSAL_FOR_HOUSING,
        visibility=Visibility.PARTNERS,
        stage=Stage.FEASIBILITY,
        places=[areas["ashfield"]],
        themes=[theme("housing")],
        capital_cost=Decimal("2000000"),
        capital_receipts_forecast=Decimal("900000"),
        homes_enabled_forecast=60,
    )
    secret = services.create_project(
        by=None,
        reference="kirkby-depot-disposal",
        lead=orgs["county"],
        title=SECRET,
        project_type=ProjectType.DISPOSAL_FOR_HOUSING,
        visibility=Visibility.ORGANISATION,
        stage=Stage.PIPELINE,
        places=[areas["ashfield"]],
        themes=[theme("housing")],
        partners=[(orgs["district"], PartnerRole.CO_LEAD)],
        capital_cost=Decimal("500000"),
        capital_receipts_forecast=SECRET_RECEIPTS,
        homes_enabled_forecast=333,
    )
    derby = services.create_project(
        by=None,
        reference="derby-youth-hub",
        lead=orgs["derbyshire"],
        title="Derby Youth Hub",
        visibility=Visibility.PUBLIC,
        stage=Stage.IDEA,
        places=[areas["derby"]],
        themes=[theme("children-young-people")],
    )
    return {"hub": hub, "homes": homes, "secret": secret, "derby": derby}


def build_partnership() -> dict:
    """Everything at once (for the browser tests, whose flushed database has no themes)."""
    ensure_default_themes()
    areas, orgs = build_areas(), build_orgs()
    users = build_users(orgs)
    return {"areas": areas, "orgs": orgs, "users": users, "projects": build_projects(areas, orgs)}


@pytest.fixture
def areas(db):
    return build_areas()


@pytest.fixture
def orgs(db):
    return build_orgs()


@pytest.fixture
def users(orgs):
    return build_users(orgs)


@pytest.fixture
def projects(areas, orgs, users):
    return build_projects(areas, orgs)
