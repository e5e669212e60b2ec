"""Register, asset, map, opportunity, unplaced, import and community pages; the API."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from placeworks.audit.models import AuditEvent
from placeworks.estate.models import Asset, CommunityService
from tests.factories import OrganisationFactory, UserFactory

from .factories import AssetFactory
from .need_data import load_need

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_register_filters_by_owner_kind_status_and_place(client, estate, areas):
    client.force_login(estate["users"]["council_viewer"])
    page = html(client.get("/assets/?status=under_used"))
    assert "Central Library" in page and "Civic Centre" not in page
    page = html(client.get("/assets/?kind=office"))
    assert "Civic Centre" in page and "Central Library" not in page
    page = html(client.get(f"/assets/?owner={estate['council'].slug}&place=PLACE01"))
    assert "Central Library" in page and "Civic Centre" in page
    response = client.get("/assets/?kind=castle&place=NOWHERE")
    assert response.status_code == 400
    assert "Unknown kind: castle." in html(response) and "No area with code" in html(response)


def test_the_register_names_how_many_assets_could_not_be_placed(client, areas):
    AssetFactory(visibility="public", postcode="NG99 9ZZ", name="Somewhere unplaced")
    page = html(client.get("/assets/"))
    assert "1 asset could not be placed" in page
    unplaced = html(client.get("/assets/unplaced/"))
    assert "1 asset could not be placed: no coordinates and postcode not in the loaded" in unplaced
    assert "Somewhere unplaced" in unplaced and "ONS Postcode Directory" in unplaced


def test_asset_page_shows_areas_and_sample_label(client, areas):
    asset = AssetFactory(
        visibility="public", lon=-1.203, lat=53.144, is_sample=True, name="Sample library"
    )
    page = html(client.get(f"/assets/{asset.pk}/"))
    assert "Mansfield 001A (E01000001)" in page and "Mid-Nottinghamshire" in page
    assert "Sample data" in page
    assert 'src="/static/estate/site-map.js"' in page


def test_editor_changes_an_asset_through_the_form_and_a_viewer_cannot(client, estate):
    asset = estate["assets"]["office"]
    client.force_login(estate["users"]["council_viewer"])
    assert client.get(f"/assets/{asset.pk}/edit/").status_code == 403
    client.force_login(estate["users"]["council_editor"])
    form = client.get(f"/assets/{asset.pk}/edit/")
    assert form.status_code == 200
    data = {
        "owner": estate["council"].pk,
        "name": "Civic Centre",
        "kind": "office",
        "status": "under_used",
        "visibility": "partners",
        "lat": "53.1440",
        "lon": "-1.1970",
        "utilisation_percent": "35",
        "disposal_plan": "Moved plan",
    }
    response = client.post(f"/assets/{asset.pk}/edit/", data)
    assert response.status_code == 302, html(response)
    asset.refresh_from_db()
    assert asset.status == "under_used" and asset.utilisation_percent == 35
    assert asset.area_links.get(area_type="lsoa").area.code == "E01000002"  # moved east
    assert AuditEvent.objects.filter(object_id=str(asset.pk), action="update").exists()
    bad = client.post(f"/assets/{asset.pk}/edit/", {**data, "utilisation_percent": "140"})
    assert bad.status_code == 400 and "govuk-error-summary" in html(bad)


def test_editor_adds_an_asset(client, estate):
    client.force_login(estate["users"]["council_editor"])
    response = client.post(
        "/assets/new/",
        {
            "owner": estate["council"].pk,
            "name": "New depot",
            "kind": "depot",
            "status": "operational",
            "visibility": "partners",
            "postcode": "ng18 1aa",
        },
    )
    assert response.status_code == 302
    asset = Asset.objects.get(name="New depot")
    assert asset.postcode == "NG18 1AA" and asset.location_source == "none"
    other = OrganisationFactory()
    response = client.post("/assets/new/", {"owner": other.pk, "name": "X", "kind": "depot"})
    assert response.status_code == 400  # not an organisation the editor may choose
    client.force_login(estate["users"]["council_viewer"])
    assert client.get("/assets/new/").status_code == 403


def test_web_upload_uses_the_same_importer_check_then_commit(client, estate):
    client.force_login(estate["users"]["council_editor"])
    content = (
        b"reference,name,kind,latitude,longitude\nU1,Uploaded hall,community centre,53.14,-1.2\n"
    )

    def upload(commit):
        data = {
            "format": "generic",
            "owner": estate["council"].pk,
            "file": SimpleUploadedFile("hall.csv", content, "text/csv"),
        }
        if commit:
            data["commit"] = "on"
        return client.post("/assets/import/", data)

    checked = upload(False)
    assert checked.status_code == 200 and "Dry run: would create 1" in html(checked)
    assert not Asset.objects.filter(name="Uploaded hall").exists()
    done = upload(True)
    assert "Imported: 1 created" in html(done)
    assert Asset.objects.get(name="Uploaded hall").kind == "community_centre"
    bad = client.post(
        "/assets/import/",
        {
            "format": "generic",
            "owner": estate["council"].pk,
            "file": SimpleUploadedFile("bad.csv", b"reference,name,kind\nB1,,\n", "text/csv"),
            "commit": "on",
        },
    )
    assert bad.status_code == 400
    assert "bad.csv, row 2, column name: is empty; it is required" in html(bad)


def test_map_and_opportunity_pages_load_their_data_from_the_api(client, estate):
    client.force_login(UserFactory(is_superuser=True))
    page = html(client.get("/assets/map/?place=PLACE01&status=under_used"))
    assert (
        'data-assets-url="/api/assets?place=PLACE01&amp;status=under_used&amp;format=geojson"'
        in page
    )
    assert "Central Library" in page  # the accessible table
    assert 'src="/static/leaflet/leaflet.js"' in page
    page = html(client.get("/assets/opportunities/?place=PLACE01&distance=800&min_need=0.5"))
    assert "1. Around Central Library" in page or "1. Around Secret Police Station" in page
    assert "No need index is loaded" in page
    assert 'data-opportunities-url="/api/opportunities?distance=800' in page
    bad = client.get("/assets/opportunities/?distance=far")
    assert bad.status_code == 400 and "whole number of metres" in html(bad)


@pytest.mark.parametrize(
    "url",
    [
        "/assets/",
        "/assets/map/",
        "/assets/opportunities/",
        "/assets/unplaced/",
        "/assets/community/",
    ],
)
def test_estate_pages_have_no_inline_scripts_or_styles(client, estate, url):
    page = html(client.get(url))
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag, tag
    assert " style=" not in page


def test_api_lists_filters_and_paginates(client, estate):
    client.force_login(UserFactory(is_superuser=True))
    body = client.get("/api/assets?limit=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2
    body = client.get("/api/assets?status=surplus,under_used").json()
    assert {r["name"] for r in body["results"]} == {"Central Library", "Secret Police Station"}
    body = client.get("/api/assets?place=E01000002").json()
    assert [r["name"] for r in body["results"]] == ["Secret Police Station"]
    assert body["results"][0]["place_code"] == "PLACE01"
    bad = client.get("/api/assets?status=closed")
    assert bad.status_code == 400 and bad.json() == {"detail": "Unknown status: closed."}
    assert client.get("/api/assets?format=kml").json() == {
        "detail": "format must be json, geojson or csv."
    }
    geo = client.get("/api/assets?format=geojson")
    assert geo["Content-Type"] == "application/geo+json"
    assert geo.json()["type"] == "FeatureCollection" and len(geo.json()["features"]) == 3


def test_api_opportunities(client, estate):
    client.force_login(UserFactory(is_superuser=True))
    body = client.get("/api/opportunities?place=PLACE01&distance=800").json()
    assert body["count"] == 1 and body["need_used"] is False
    result = body["results"][0]
    assert {a["owner_name"] for a in result["assets"]} == {
        "Mansfield District Council",
        "Nottinghamshire Police",
    }
    assert result["explanation"][0].startswith("3 assets of 2 organisations")
    assert client.get("/api/opportunities?distance=20").status_code == 422
    assert client.get("/api/opportunities?place=NOWHERE").status_code == 400
    assert client.get("/api/opportunities?distance=100").json()["count"] == 0


def test_csv_export_is_safe_against_formula_injection(client, areas):
    AssetFactory(name='=HYPERLINK("http://evil")', visibility="public", services_delivered="+1+2")
    text = client.get("/assets/export.csv").content.decode()
    assert "'=HYPERLINK" in text and "'+1+2" in text


def test_community_services_pages_and_hsds_api(client, areas, tmp_path):
    cvs = OrganisationFactory(name="Mansfield CVS", sector="vcs")
    service = CommunityService.objects.create(
        hsds_id="svc-9",
        name="Stay and play",
        organization_name="Families Together",
        maintainer=cvs,
        schedules=[
            {"byday": "TU", "opens_at": "09:30", "closes_at": "11:30", "description": "term time"}
        ],
        service_areas=[{"service_area": "Mansfield"}],
    )
    CommunityService.objects.create(
        hsds_id="svc-10",
        name="Members only",
        organization_name="X",
        maintainer=cvs,
        visibility="organisation",
    )
    page = html(client.get("/assets/community/"))
    assert "Stay and play" in page and "Tuesday 09:30–11:30 (term time)" in page
    assert "Members only" not in page
    assert "Families Together" in html(client.get(f"/assets/community/{service.pk}/"))
    body = client.get("/api/community-services").json()
    assert body["totalElements"] == 1
    assert body["content"][0]["regular_schedules"][0]["byday"] == "TU"
    assert client.get("/api/community-services/svc-9").json()["name"] == "Stay and play"
    assert client.get("/api/community-services/svc-10").status_code == 404
    # The export imports back through the HSDS importer.
    from placeworks.estate.ingest import HsdsImporter

    path = tmp_path / "export.json"
    path.write_text(json.dumps(body))
    report = HsdsImporter(owner=cvs).run(path, commit=True)
    assert report.errors == [] and report.created == 0  # the same service, not a copy


def test_nav_has_assets(client):
    assert 'href="/assets/"' in html(client.get("/"))


def test_need_of_a_place_for_the_choropleth(client, areas):
    assert client.get("/api/estate/need?place=PLACE01").status_code == 404  # none loaded
    assert 'data-need-url=""' in html(client.get("/assets/map/?place=PLACE01"))
    load_need(
        {areas["lsoa_w"]: 3.0, areas["lsoa_e"]: 1.0, areas["ward"]: 2.0}  # the ward: its own set
    )
    body = client.get("/api/estate/need?place=PLACE01").json()
    assert body["areas"] == {
        "E01000001": {
            "value": 1.0,
            "decile": None,
            "label": "Overall need: rank 1 among 2 neighbourhoods (LSOAs) (2021)",
        },
        "E01000002": {
            "value": 0.5,
            "decile": None,
            "label": "Overall need: rank 2 among 2 neighbourhoods (LSOAs) (2021)",
        },
    }
    page = html(client.get("/assets/map/?place=PLACE01"))
    assert 'data-need-url="/api/estate/need?place=PLACE01"' in page


def test_the_opportunity_page_weighs_need_within_the_comparison_set(client, estate, need_index):
    client.force_login(UserFactory(is_superuser=True))
    page = html(client.get("/assets/opportunities/?place=PLACE01&distance=800&min_need=0.5"))
    assert "No need index is loaded" not in page
    assert re.search(r"decile [12] among 12 neighbourhoods \(LSOAs\) \(2021\)", page)
    body = client.get("/api/opportunities?place=PLACE01&min_need=0.5").json()
    assert body["need_used"] is True and body["count"] == 1
    assert body["results"][0]["need_label"].endswith("among 12 neighbourhoods (LSOAs) (2021)")


def test_actions_other_apps_contribute_appear_on_each_opportunity(client, estate, monkeypatch):
    # The pipeline declares OPPORTUNITY_ACTIONS in its contributions; stand one in here.
    monkeypatch.setattr(
        "placeworks.estate.views.collect",
        lambda name: (
            [("Create a draft project", "estate:index")] if name == "OPPORTUNITY_ACTIONS" else []
        ),
    )
    client.force_login(UserFactory(is_superuser=True))
    page = html(client.get("/assets/opportunities/?place=PLACE01"))
    assert 'action="/assets/"' in page and "Create a draft project" in page
    assert re.search(r'name="opportunity" value="\d+-800-0"', page)


OPPORTUNITY_FORM = re.compile(
    r'<form method="post" action="(?P<url>[^"]+)"[^>]*>(?:(?!</form>).)*?'
    r'name="opportunity" value="(?P<key>[^"]+)"(?:(?!</form>).)*?'
    r"<button[^>]*>(?P<label>[^<]+)</button>",
    re.S,
)


def test_an_opportunity_becomes_a_draft_pipeline_project_in_one_action(client, estate):
    """End to end, nothing stood in: the finder page shows the pipeline's real
    OPPORTUNITY_ACTIONS button; posting its form makes a draft project with the cluster's assets,
    owners and places, and someone who cannot see the cluster gets nothing from its key."""
    from placeworks.pipeline.models import Project

    police_editor = estate["users"]["police_editor"]
    client.force_login(police_editor)
    page = html(client.get("/assets/opportunities/?place=PLACE01"))
    form = OPPORTUNITY_FORM.search(page)
    assert form is not None, "no action button on the opportunity"
    assert form["label"].strip() == "Make a draft project"
    assert form["url"] == "/pipeline/from-opportunity/"
    # Both triggers' stars hold the same three assets: the tie goes to the first (the library).
    anchor = estate["assets"]["library"]
    assert form["key"] == f"{anchor.pk}-800-0"

    response = client.post(form["url"], {"opportunity": form["key"]})
    project = Project.objects.get(source_opportunity=form["key"])
    assert response.status_code == 302 and response["Location"] == f"/pipeline/{project.pk}/edit/"
    assert project.lead == estate["police"] and project.stage == "idea"
    assert [p.organisation for p in project.partners.all()] == [estate["council"]]
    assert {a.code for a in project.places.all()} >= {"PLACE01", "E07000174", "E05000001"}
    assert {(link.asset.name, link.role) for link in project.asset_links.all()} == {
        ("Secret Police Station", "vacated"),
        ("Central Library", "vacated"),
        ("Civic Centre", "reused"),
    }
    # The station is visible only to the police, so the draft is too; its disposal plan is
    # not copied into the project.
    assert project.visibility == "organisation"
    assert (
        "PLAN-STATION" not in project.summary and "3 assets of 2 organisations" in project.summary
    )

    # The council cannot see the station: for them that cluster does not exist.
    client.force_login(estate["users"]["council_editor"])
    refused = client.post(form["url"], {"opportunity": form["key"]})
    assert refused.status_code == 302 and refused["Location"] == "/assets/opportunities/"
    assert Project.objects.count() == 1
