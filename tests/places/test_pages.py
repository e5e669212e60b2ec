"""The places pages: find a place, open it, the map, and managing groupings."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from placeworks.places.models import Area

from .conftest import FIXTURES, MANSFIELD


def text(response) -> str:
    html = response.content.decode()
    main = html[html.find("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def no_inline_code(response) -> None:
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert " style=" not in html, "inline style"


def test_index_without_a_search_shows_what_is_loaded(geography, client):
    response = client.get("/places/")
    assert response.status_code == 200
    body = text(response)
    assert "Mid-Nottinghamshire" in body and "Mansfield" in body
    assert "What is loaded" in body
    assert re.search(r"Electoral ward 2024 \(current\) \d+ \d+ \(\d+ derived\)", body), body
    no_inline_code(response)


def test_search_finds_mansfield_first(geography, client):
    response = client.get("/places/?q=Mansfield")
    body = text(response)
    assert "places found" in body
    first_link = re.search(
        r'id="results-table".*?<a class="govuk-link" href="([^"]+)">([^<]+)<',
        response.content.decode(),
        re.S,
    )
    assert first_link.groups() == ("/places/E07000174/", "Mansfield")


def test_search_with_no_results_says_what_to_try(geography, client):
    assert "No place has that name or code" in text(client.get("/places/?q=Atlantis"))


def test_place_page_shows_breadcrumbs_wards_place_area_and_region(geography, client):
    response = client.get(f"/places/{MANSFIELD}/")
    assert response.status_code == 200
    html = response.content.decode()
    crumbs = re.search(r'id="breadcrumbs">(.*?)</ol>', html, re.S).group(1)
    assert [c.strip() for c in re.findall(r">([^<>]+)</a>", crumbs)] == [
        "Places",
        "England",
        "East Midlands",
        "Nottinghamshire",
    ]
    body = text(response)
    assert "Wards in Mansfield (2024)" in body
    assert "PLACE area: Mid-Nottinghamshire" in body
    assert "Region: East Midlands" in body
    assert "109,313 (mid-2019)" in body and "LSOAs (2011)" in body  # the vintage of the figure
    assert "36 wards of the 2021 boundaries" in body
    assert 'data-layers="' in html and "/api/areas/geojson?parent=E07000174" in html.replace(
        "&amp;", "&"
    )
    no_inline_code(response)


def test_ward_page_says_its_boundary_is_derived(geography, client):
    body = text(client.get("/places/E05014614/"))
    assert "Derived: the union of its" in body and "best-fitted" in body
    assert "LSOAs in Central" in body


def test_old_ward_page_says_it_was_replaced_and_where_figures_go(geography, client):
    old = Area.objects.filter(
        type="ward", vintage="2021", ancestor_links__ancestor__code=MANSFIELD
    ).first()
    body = text(client.get(f"/places/{old.code}/"))
    assert "These are the 2021 boundaries; the current wards are 2024" in body
    assert "How figures for" in body and "ward 2021 to ward 2024 (area overlap)" in body


def test_region_page_says_it_is_only_partly_loaded(geography, client):
    response = client.get("/places/E12000004/")
    body = text(response)
    assert "Only the North Midlands part of this area is loaded" in body
    assert "Not shown: only part of this area is loaded" in body


def test_lsoa_pages_by_vintage(geography, client):
    body = text(client.get("/places/E01028224/?vintage=2011"))
    assert "2011 (earlier)" in body and "LSOAs are the smallest areas" in body
    assert "2021 (current)" in text(client.get("/places/E01028224/"))


def test_unknown_place_is_404(geography, client):
    assert client.get("/places/E07999999/").status_code == 404
    assert client.get("/places/E07000174/?type=town").status_code == 404


def test_map_page_has_legend_and_table(geography, client):
    response = client.get("/places/map/?type=lsoa&parent=E07000174&measure=density")
    assert response.status_code == 200
    body = text(response)
    assert "LSOAs (2021 boundaries) in Mansfield, by people per hectare" in body
    assert "Legend: people per hectare" in body
    assert len(re.findall(r"\d to \d+\.\d \(1[34] areas\)", body)) == 5  # quintiles of 68
    assert "68 of 68 areas have a boundary to draw" in body
    assert body.count("of 5") >= 60  # each row's class
    html = response.content.decode()
    assert 'data-breaks="[' in html and "pw-choro--4" in html
    no_inline_code(response)


def test_map_page_defaults_to_districts(geography, client):
    body = text(client.get("/places/map/"))
    assert "Local authority districts (2024 boundaries), by population" in body


def test_groupings_page_lists_place_areas(geography, client):
    body = text(client.get("/places/groupings/"))
    assert "Mid-Nottinghamshire" in body and "Ashfield, Mansfield, Newark and Sherwood" in body
    assert "Add a PLACE area" not in body  # only for platform administrators


@pytest.mark.parametrize(
    "url",
    [
        "/places/groupings/new/",
        "/places/groupings/import/",
        "/places/groupings/PLACE-MID-NOTTS/edit/",
    ],
)
def test_grouping_management_is_for_platform_administrators(geography, client, viewer, url):
    assert client.get(url).status_code == 403
    client.force_login(viewer)
    assert client.get(url).status_code == 403


def test_administrator_adds_a_grouping_through_the_form(geography, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/places/groupings/new/",
        {
            "name": "Warsop",
            "type": "neighbourhood",
            "code": "",
            "members": "E05014624, E05014643",
            "description": "",
        },
    )
    assert response.status_code == 302, text(response)
    warsop = Area.objects.get(type="neighbourhood", name="Warsop")
    assert response["Location"] == f"/places/{warsop.code}/"
    assert warsop.population and warsop.boundary_derived


def test_grouping_form_names_unknown_codes(geography, client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/places/groupings/new/", {"name": "X", "type": "place", "members": "E05014624 E05999999"}
    )
    assert response.status_code == 400
    assert "These codes are not loaded areas: E05999999." in text(response)


def test_administrator_changes_and_removes_a_grouping(geography, client, admin_user):
    client.force_login(admin_user)
    response = client.get("/places/groupings/NBH-MANSFIELD-TOWN/edit/")
    assert "E05014614" in response.content.decode()
    client.post(
        "/places/groupings/NBH-MANSFIELD-TOWN/edit/",
        {"name": "Mansfield centre", "type": "neighbourhood", "members": "E05014614"},
    )
    assert Area.objects.get(code="NBH-MANSFIELD-TOWN").name == "Mansfield centre"
    response = client.post("/places/groupings/NBH-MANSFIELD-TOWN/delete/")
    assert response.status_code == 302
    assert not Area.objects.filter(code="NBH-MANSFIELD-TOWN").exists()


def test_upload_checks_then_imports_a_groupings_file(geography, client, admin_user):
    client.force_login(admin_user)
    content = (FIXTURES / "groupings.csv").read_bytes()
    check = client.post(
        "/places/groupings/import/", {"file": SimpleUploadedFile("groupings.csv", content)}
    )
    assert "Dry run: would create 2" in text(check)
    assert not Area.objects.filter(code="NBH-WARSOP").exists()
    done = client.post(
        "/places/groupings/import/",
        {"file": SimpleUploadedFile("groupings.csv", content), "commit": "on"},
    )
    assert done.status_code == 200 and Area.objects.filter(code="NBH-WARSOP").exists()
    bad = client.post(
        "/places/groupings/import/",
        {"file": SimpleUploadedFile("bad.yaml", (FIXTURES / "groupings_bad.yaml").read_bytes())},
    )
    assert bad.status_code == 400
    assert "bad.yaml, row 4, column members (item 2): E0700017 is not a loaded area" in text(bad)


def test_place_page_links_to_what_every_app_knows_of_the_place(geography, client):
    html = client.get(f"/places/{MANSFIELD}/").content.decode().replace("&amp;", "&")
    links = re.search(r'id="place-links">(.*?)</ul>', html, re.S).group(1)
    hrefs = re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', links)
    assert hrefs == [
        (f"/evidence/areas/{MANSFIELD}/", "Evidence profile"),
        (f"/priorities/?parent={MANSFIELD}", "Plans and priorities"),
        (f"/assets/?place={MANSFIELD}", "Assets"),
        (f"/pipeline/?place={MANSFIELD}", "Projects"),
    ]
    for href, _ in hrefs:
        assert client.get(href).status_code == 200, href


def test_maps_have_no_base_tiles_by_default(geography, client, settings):
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_ATTRIBUTION = ""
    html = client.get(f"/places/{MANSFIELD}/").content.decode()
    assert 'data-tile-url=""' in html
    assert "No background map is configured" in html


@pytest.mark.parametrize("url", [f"/places/{MANSFIELD}/", "/places/map/?type=ward"])
def test_base_tiles_and_their_attribution_come_from_settings(geography, client, settings, url):
    settings.MAP_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"
    html = client.get(url).content.decode()
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="&amp;copy; OpenStreetMap contributors"' in html
    assert "No background map is configured" not in html


def test_tile_host_is_allowed_by_the_content_security_policy(monkeypatch):
    import importlib

    import placeworks.settings as project_settings

    monkeypatch.setenv("MAP_TILE_URL", "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
    try:
        reloaded = importlib.reload(project_settings)
        img_src = reloaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
        assert "https://*.tile.openstreetmap.org" in img_src
    finally:
        monkeypatch.delenv("MAP_TILE_URL")
        importlib.reload(project_settings)
