"""The confidential disposal, led by Nottinghamshire County Council with Mansfield District
Council as partner, is never seen by anyone outside them: not in pages, the API, exports, maps,
search, bundles, readiness or totals."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from placeworks.pipeline.models import FundingOpportunity

from .conftest import SECRET

pytestmark = pytest.mark.django_db

SECRET_FIGURES = ("7777777", "7,777,777")  # its capital receipts


def everything_seen(client, user, opportunity) -> str:
    if user is not None:
        client.force_login(user)
    parts = []
    for url in [
        "/pipeline/",
        "/pipeline/?q=Kirkby",
        "/pipeline/?q=Confidential",
        "/pipeline/?place=PLACE01",
        "/pipeline/?stage=pipeline",
        "/pipeline/board/",
        "/pipeline/map/?place=PLACE01",
        "/pipeline/dashboard/",
        "/pipeline/bundles/",
        "/pipeline/funding/",
        f"/pipeline/funding/{opportunity.pk}/",
        "/pipeline/export.csv",
        "/pipeline/export.geojson",
        "/api/projects",
        "/api/projects?q=Kirkby",
        "/api/projects?format=geojson",
        "/api/projects?format=csv",
        "/api/pipeline/totals",
        "/api/pipeline/bundles",
        f"/api/funding/{opportunity.pk}/readiness",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        parts.append(response.content.decode())
    book = load_workbook(io.BytesIO(client.get("/pipeline/export.xlsx").content))
    parts.append(" ".join(str(c.value) for s in book for r in s.iter_rows() for c in r))
    return "\n".join(parts)


@pytest.fixture
def opportunity(db):
    return FundingOpportunity.objects.create(
        slug="brownfield",
        funder="MHCLG",
        name="Brownfield Land Release Fund (sample)",
        stage_required="feasibility",
        max_grant=Decimal("1000000"),
    )


def detail_urls(project):
    return [
        f"/pipeline/{project.pk}/",
        f"/pipeline/{project.pk}/edit/",
        f"/pipeline/{project.pk}/manage/",
        f"/api/projects/{project.pk}",
        f"/api/projects/{project.pk}/score",
        f"/api/projects/{project.pk}/history",
    ]


def test_an_outsider_never_sees_the_confidential_project_anywhere(
    client, projects, users, opportunity
):
    seen = everything_seen(client, users["police_viewer"], opportunity)
    assert "Mansfield Health and Wellbeing Hub" in seen and "Ashfield Community Homes" in seen
    assert SECRET not in seen and "kirkby-depot-disposal" not in seen
    for figure in SECRET_FIGURES:
        assert figure not in seen, figure
    secret = projects["secret"]
    for url in detail_urls(secret):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET not in response.content.decode()
    assert client.get(f"/api/projects/{secret.pk}").json() == {"detail": "Not found."}
    assert (
        client.get(f"/api/funding/{opportunity.pk}/readiness?project={secret.pk}").status_code
        == 404
    )
    patch = client.patch(
        f"/api/projects/{secret.pk}", {"version": 1, "title": "x"}, content_type="application/json"
    )
    assert patch.status_code == 404


def test_totals_do_not_include_what_the_user_cannot_see(client, projects, users):
    client.force_login(users["police_viewer"])
    outside = client.get("/api/pipeline/totals").json()["total"]
    client.force_login(users["district_editor"])
    inside = client.get("/api/pipeline/totals").json()["total"]
    assert outside["projects"] == 3 and inside["projects"] == 4
    assert outside["capital_receipts_forecast"] == 1200000 + 900000
    assert inside["capital_receipts_forecast"] == 1200000 + 900000 + 7777777
    assert outside["homes_enabled_forecast"] == 60


def test_partner_members_see_it_and_anonymous_visitors_only_see_public_projects(
    client, projects, users, opportunity
):
    inside = everything_seen(client, users["district_editor"], opportunity)
    assert SECRET in inside
    client.logout()
    anonymous = everything_seen(client, None, opportunity)
    assert "Mansfield Health and Wellbeing Hub" in anonymous
    assert "Ashfield Community Homes" not in anonymous and SECRET not in anonymous
    assert client.get(f"/pipeline/{projects['homes'].pk}/").status_code == 404


def test_platform_administrators_see_everything(client, projects, users, opportunity):
    assert SECRET in everything_seen(client, users["admin"], opportunity)
