"""The confidential disposal, led by Nottinghamshire County Council with Mansfield District
Council as partner, is never seen by anyone outside them: not in pages, the API, exports, maps,
search, bundles, readiness or totals.

One walk over every surface, for an outsider (a police viewer), an anonymous visitor and an
insider (an editor of the partner district council). The insider must find the project on every
surface that lists projects — so the outsider's and the visitor's not finding it proves the
surface filters, rather than that it shows nothing at all.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from placeworks.pipeline.models import FundingOpportunity

from .conftest import SECRET

pytestmark = pytest.mark.django_db

REFERENCE = "kirkby-depot-disposal"
SECRET_FIGURES = ("7777777", "7,777,777", "7.8m")  # its capital receipts, however written

# Every surface that lists projects by name: pages, search, map, readiness, bundles, exports
# and the API.
LISTINGS = [
    "/pipeline/",
    "/pipeline/?q=Kirkby",
    "/pipeline/?q=Confidential",
    "/pipeline/?place=PLACE01",
    "/pipeline/?place=E07000170&theme=housing&stage=pipeline",
    "/pipeline/?organisation=mansfield-district-council",
    "/pipeline/board/",
    "/pipeline/map/?place=PLACE01",
    "/pipeline/bundles/",
    "/pipeline/funding/{fund}/",
    "/pipeline/export.csv",
    "/pipeline/export.geojson",
    "/api/projects",
    "/api/projects?q=Kirkby",
    "/api/projects?place=PLACE01&theme=housing&stage=pipeline",
    "/api/projects?format=geojson",
    "/api/projects?format=csv",
    "/api/pipeline/bundles",
    "/api/funding/{fund}/readiness",
]
# Surfaces that show figures only: the project must count in them, or not, by its numbers.
TOTALS = ["/pipeline/dashboard/", "/api/pipeline/totals"]
OTHERS = ["/pipeline/funding/", "/api/funding"]


def detail_urls(project, fund, document) -> list[str]:
    return [
        f"/pipeline/{project.pk}/",
        f"/pipeline/{project.pk}/?opportunity={fund.pk}",
        f"/pipeline/{project.pk}/edit/",
        f"/pipeline/{project.pk}/manage/",
        f"/pipeline/{project.pk}/documents/{document.pk}/",
        f"/api/projects/{project.pk}",
        f"/api/projects/{project.pk}/score",
        f"/api/projects/{project.pk}/history",
        f"/api/funding/{fund.pk}/readiness?project={project.pk}",
    ]


@pytest.fixture
def fund(db):
    return FundingOpportunity.objects.create(
        slug="brownfield",
        funder="MHCLG",
        name="Brownfield Land Release Fund (sample)",
        stage_required="feasibility",
        max_grant=Decimal("1000000"),
    )


@pytest.fixture
def document(projects):
    from placeworks.pipeline.models import EvidenceDocument

    return EvidenceDocument.objects.create(
        project=projects["secret"],
        title="Valuation",
        file="evidence/none.pdf",
        original_name="valuation.pdf",
        content_type="application/pdf",
        size_bytes=1,
        sha256="0",
    )


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(str(c.value) for s in book for r in s.iter_rows() for c in r)


def figure(page: str, element: str) -> str:
    found = re.search(rf'id="{element}">([^<]*)<', page)
    assert found, element
    return found.group(1)


def walk(client, fund) -> dict[str, str]:
    """``{surface: what it answered}`` for every listing and totals surface and the return."""
    seen = {}
    for template in LISTINGS + TOTALS + OTHERS:
        url = template.format(fund=fund.pk)
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = response.content.decode()
    response = client.get("/pipeline/export.xlsx")
    assert response.status_code == 200
    seen["/pipeline/export.xlsx"] = xlsx_text(response.content)
    return seen


def test_a_confidential_project_is_seen_only_by_its_organisations_on_every_surface(
    client, projects, users, fund, document
):
    secret = projects["secret"]

    # --- the insider (an editor of the partner district council) finds it everywhere --------
    client.force_login(users["district_editor"])
    inside = walk(client, fund)
    for template in LISTINGS:
        url = template.format(fund=fund.pk)
        assert SECRET in inside[url] or REFERENCE in inside[url], url
    assert SECRET in inside["/pipeline/export.xlsx"]
    for url in detail_urls(secret, fund, document):
        if "/documents/" not in url:  # the stored file is not there: its refusal is what counts
            assert client.get(url).status_code == 200, url
    totals = client.get("/api/pipeline/totals").json()
    assert totals["total"]["projects"] == 4
    assert totals["total"]["capital_receipts_forecast"] == 1_200_000 + 900_000 + 7_777_777
    assert totals["total"]["homes_enabled_forecast"] == 60 + 333
    by_stage = {t["label"]: t["projects"] for t in totals["by_stage"]}
    assert by_stage["Pipeline"] == 1
    by_place = {t["label"]: t["projects"] for t in totals["by_place"]}
    assert by_place["Mid-Nottinghamshire"] == 3
    dashboard = inside["/pipeline/dashboard/"]
    assert figure(dashboard, "total-projects") == "4"
    assert figure(dashboard, "total-receipts") == "£9,877,777"
    assert figure(dashboard, "total-homes") == "393"
    [bundle] = client.get("/api/pipeline/bundles").json()
    assert REFERENCE in json.dumps(bundle) and bundle["capital_cost"] == 6_500_000

    # --- the outsider (a police viewer) and the anonymous visitor never see it -------------
    expected = {
        # who: (projects they see, capital receipts, homes, Mid-Notts projects, bundle cost)
        "outsider": (3, "£2,100,000", "60", 2, 6_000_000),
        "anonymous": (2, "£1,200,000", "0", 1, None),
    }
    for who, (count, receipts, homes, mid_notts, bundle_cost) in expected.items():
        client.logout()
        if who == "outsider":
            client.force_login(users["police_viewer"])
        seen = walk(client, fund)
        assert "Mansfield Health and Wellbeing Hub" in seen["/pipeline/"], who
        for url, text in seen.items():
            assert SECRET not in text and REFERENCE not in text, (who, url)
            for secret_figure in SECRET_FIGURES:
                assert secret_figure not in text, (who, url, secret_figure)
        # Totals count only what they may see, on the page and in the API, by stage and place.
        dashboard = seen["/pipeline/dashboard/"]
        assert figure(dashboard, "total-projects") == str(count), who
        assert figure(dashboard, "total-receipts") == receipts, who
        assert figure(dashboard, "total-homes") == homes, who
        totals = json.loads(seen["/api/pipeline/totals"])
        assert totals["total"]["projects"] == count, who
        assert {t["label"]: t["projects"] for t in totals["by_stage"]}["Pipeline"] == 0, who
        assert {t["label"]: t["projects"] for t in totals["by_place"]}.get(
            "Mid-Nottinghamshire"
        ) == mid_notts, who
        # Bundles are made from what they may see only.
        bundles = json.loads(seen["/api/pipeline/bundles"])
        assert [b["capital_cost"] for b in bundles] == ([bundle_cost] if bundle_cost else []), who
        # Exports: one row per visible project, none of them the secret.
        rows = list(csv.DictReader(io.StringIO(seen["/pipeline/export.csv"])))
        assert len(rows) == count, who
        features = json.loads(seen["/api/projects?format=geojson"])["features"]
        assert len(features) == count, who
        # Its own addresses answer 404, exactly as if it did not exist.
        for url in detail_urls(secret, fund, document):
            response = client.get(url)
            assert response.status_code in (404, 302), (who, url)
            if response.status_code == 302:  # the sign-in page, for any project id at all
                assert who == "anonymous" and response["Location"].startswith("/accounts/login")
            assert SECRET not in response.content.decode(), (who, url)
        for url, data in [
            (f"/pipeline/{secret.pk}/stage/", {"stage": "feasibility", "version": 1}),
            (f"/pipeline/{secret.pk}/risks/", {"description": "x", "severity": "low"}),
        ]:
            assert client.post(url, data).status_code in (404, 302), (who, url)
        patch = client.patch(
            f"/api/projects/{secret.pk}",
            {"version": 1, "title": "x"},
            content_type="application/json",
        )
        assert patch.status_code == 404 and patch.json() == {"detail": "Not found."}, who
        assert client.delete(f"/api/projects/{secret.pk}?version=1").status_code == 404, who
    secret.refresh_from_db()
    assert secret.title == SECRET and secret.stage == "pipeline" and not secret.risks.exists()


def test_platform_administrators_see_everything(client, projects, users, fund):
    client.force_login(users["admin"])
    seen = walk(client, fund)
    assert SECRET in seen["/pipeline/"] and SECRET in seen["/pipeline/export.xlsx"]
