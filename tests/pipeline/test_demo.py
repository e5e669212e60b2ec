"""The demo pipeline loads from its committed file, idempotently, labelled as sample data, with
its confidential projects hidden from outsiders."""

from __future__ import annotations

import io

import pytest

from placeworks.partners import demo as partners_demo
from placeworks.pipeline import demo
from placeworks.pipeline.models import FundingOpportunity, Project, Stage
from placeworks.pipeline.queries import visible_projects
from placeworks.places.models import Area, AreaLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_midlands(db):
    """Two PLACE areas and their districts, as the places demo would load them."""
    mid = Area.objects.create(type="place", code="PLACE-MN", name="Mid-Nottinghamshire")
    for code, name in [
        ("E07000174", "Mansfield"),
        ("E07000170", "Ashfield"),
        ("E07000175", "Newark and Sherwood"),
    ]:
        lad = Area.objects.create(
            type="lad", code=code, name=name, centroid_lon=-1.2, centroid_lat=53.1
        )
        AreaLink.objects.create(ancestor=mid, descendant=lad, depth=1)
    Area.objects.create(type="lad", code="E07000176", name="Rushcliffe")
    partners_demo.load(io.StringIO(), password="demo-password-123")


def test_the_demo_loads_about_thirty_projects_in_every_stage_idempotently(north_midlands):
    out = io.StringIO()
    demo.load(out)
    assert Project.objects.count() == 30
    assert set(Project.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Project.objects.filter(is_sample=True).count() == 30
    assert FundingOpportunity.objects.filter(is_sample=True).count() == 3
    assert all("(sample)" in o.name for o in FundingOpportunity.objects.all())
    assert "30 sample projects (30 created, 0 already there) in 9 stages" in out.getvalue()
    hub = Project.objects.get(reference="mid-notts-mansfield-wellbeing-hub")
    assert [c.to_stage for c in hub.stage_history.all()] == [
        "idea",
        "pipeline",
        "feasibility",
        "business_case",
    ]
    assert hub.partners.count() == 4 and hub.funding.count() == 3 and hub.risks.count() == 2
    assert [a.code for a in hub.places.all()] == ["E07000174"]
    wide = Project.objects.get(reference="mid-notts-integrated-neighbourhood-bases")
    assert [a.name for a in wide.places.all()] == ["Mid-Nottinghamshire"]
    paused = Project.objects.get(reference="south-notts-arnold-wellbeing-hub")
    assert paused.stage_history.last().reason.startswith("Waiting for the ICB estates strategy")

    again = io.StringIO()
    demo.load(again)
    assert Project.objects.count() == 30 and FundingOpportunity.objects.count() == 3
    assert "(0 created, 30 already there)" in again.getvalue()


def test_the_confidential_county_disposal_is_hidden_from_the_police_viewer(north_midlands):
    from django.contrib.auth import get_user_model

    demo.load(io.StringIO())
    users = get_user_model().objects
    secret = "south-notts-county-hall-annexe-disposal"
    assert Project.objects.filter(visibility="organisation").count() == 3
    assert Project.objects.filter(visibility="partners").count() >= 5
    police = visible_projects(users.get(username="inspector.police"))
    manager = visible_projects(users.get(username="programme.manager"))
    analyst = visible_projects(users.get(username="analyst.derbyshire"))
    assert not police.filter(reference=secret).exists()
    assert manager.filter(reference=secret).exists()
    assert not analyst.filter(reference=secret).exists()
    # The police see their own confidential station move, which the Derbyshire analyst does not.
    assert police.filter(reference="mid-notts-mansfield-police-station-release").exists()
    assert not analyst.filter(reference="mid-notts-mansfield-police-station-release").exists()
