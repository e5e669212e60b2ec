"""A viewer from another organisation never sees a confidential disposal, nor the sensitive
fields of an asset shared with partners; anonymous visitors see only public assets. Checked in
pages, the JSON API, GeoJSON and CSV alike."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_PLAN = "PLAN-STATION-4242"
OFFICE_PLAN = "PLAN-OFFICE-7731"


def everything_seen(client, user) -> str:
    """Every representation of the estate the user can get, concatenated."""
    if user is not None:
        client.force_login(user)
    parts = []
    for url in [
        "/assets/",
        "/assets/map/?place=",
        "/assets/opportunities/?place=&min_need=0",
        "/assets/export.csv",
        "/api/assets",
        "/api/assets?format=geojson",
        "/api/assets?format=csv",
        "/api/opportunities?min_need=0",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        parts.append(response.content.decode())
    return "\n".join(parts)


def detail(client, asset):
    return client.get(f"/assets/{asset.pk}/"), client.get(f"/api/assets/{asset.pk}")


def test_anonymous_visitors_see_only_public_assets(client, estate):
    seen = everything_seen(client, None)
    assert "Central Library" in seen
    assert "Civic Centre" not in seen and "Secret Police Station" not in seen
    assert SECRET_PLAN not in seen and OFFICE_PLAN not in seen
    page, api = detail(client, estate["assets"]["office"])
    assert page.status_code == 404 and api.status_code == 404
    assert api.json() == {"detail": "Not found."}


def test_a_viewer_from_another_organisation_never_sees_a_confidential_disposal(client, estate):
    seen = everything_seen(client, estate["users"]["outsider"])
    assert "Civic Centre" in seen  # shared with partners
    assert "Secret Police Station" not in seen
    assert SECRET_PLAN not in seen and "Offers from two bidders" not in seen
    assert OFFICE_PLAN not in seen  # the partners-visible asset's plan is the owner's only
    assert "1350000" not in seen and "900000" not in seen
    page, api = detail(client, estate["assets"]["station"])
    assert page.status_code == 404 and api.status_code == 404
    page, api = detail(client, estate["assets"]["office"])
    assert page.status_code == 200 and OFFICE_PLAN not in page.content.decode()
    assert api.json()["disposal_plan"] is None and api.json()["estimated_value"] is None


def test_members_of_the_owner_see_the_sensitive_fields_whatever_their_role(client, estate):
    viewer = estate["users"]["police_viewer"]
    seen = everything_seen(client, viewer)
    assert "Secret Police Station" in seen and SECRET_PLAN in seen
    assert OFFICE_PLAN not in seen  # the council's plan is not the police's business
    page, api = detail(client, estate["assets"]["station"])
    assert SECRET_PLAN in page.content.decode()
    assert api.json()["commercial_notes"] == "Offers from two bidders"
    assert api.json()["estimated_value"] == 1350000.0


def test_platform_administrators_see_everything(client, estate):
    seen = everything_seen(client, UserFactory(is_superuser=True))
    assert SECRET_PLAN in seen and OFFICE_PLAN in seen


def test_geojson_and_csv_carry_sensitive_columns_only_for_the_owner(client, estate):
    client.force_login(estate["users"]["outsider"])
    collection = client.get("/api/assets?format=geojson").json()
    names = {f["properties"]["name"] for f in collection["features"]}
    assert names == {"Central Library", "Civic Centre"}
    assert all("disposal_plan" not in f["properties"] for f in collection["features"])
    rows = list(csv.DictReader(io.StringIO(client.get("/assets/export.csv").content.decode())))
    assert {r["name"] for r in rows} == {"Central Library", "Civic Centre"}
    assert "disposal_plan" not in rows[0]

    client.force_login(estate["users"]["council_viewer"])
    rows = list(csv.DictReader(io.StringIO(client.get("/api/assets?format=csv").content.decode())))
    plans = {r["name"]: r["disposal_plan"] for r in rows}
    assert plans["Central Library"] == "" and OFFICE_PLAN in plans["Civic Centre"]


def test_search_never_finds_an_asset_by_its_sensitive_fields(client, estate):
    """The register's and the API's text search look at name, address, postcode and reference,
    never at the disposal plan or commercial notes: otherwise a search would tell a partner that
    a plan mentions a word even though the plan itself is hidden."""
    for user in (estate["users"]["outsider"], estate["users"]["council_viewer"]):
        client.force_login(user)
        for words in ("PLAN-STATION-4242", "PLAN-OFFICE-7731", "bidders", "developer"):
            page = client.get(f"/assets/?q={words}").content.decode()
            assert "Civic Centre" not in page and "Secret Police Station" not in page, words
            assert client.get(f"/api/assets?q={words}").json()["count"] == 0, words
        # Searching by name still works, and shows nothing sensitive of another owner.
        body = client.get("/api/assets?q=Civic").json()
        assert [r["name"] for r in body["results"]] == ["Civic Centre"]
        if user == estate["users"]["outsider"]:
            assert body["results"][0]["disposal_plan"] is None
