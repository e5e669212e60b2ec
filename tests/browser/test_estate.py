"""In a real browser: the map of a place with its assets, filtering the under-used sites, and
the ranked list of opportunities with their reasons."""

from __future__ import annotations

import json

from playwright.sync_api import expect

from placeworks.estate.models import Asset
from tests.estate.conftest import IN_EAST, IN_WEST, _area
from tests.estate.factories import AssetFactory
from tests.factories import OrganisationFactory, UserFactory

# The colour of need decile 1 (.pw-need--1 in web/maps.css), as the browser reports it.
NEED_DECILE_1 = "rgb(103, 0, 13)"


def build_place():
    from placeworks.places.models import AreaLink

    lsoa = _area("lsoa", "E01000001", "Mansfield 001A", (-1.25, 53.12, -1.15, 53.16), "2021")
    place = _area("place", "PLACE01", "Mid-Nottinghamshire", (-1.30, 53.10, -1.10, 53.20))
    AreaLink.objects.create(ancestor=place, descendant=lsoa, depth=1)
    council = OrganisationFactory(name="Mansfield District Council")
    police = OrganisationFactory(name="Nottinghamshire Police", sector="police")
    AssetFactory(
        owner=council,
        name="Central Library",
        kind="library",
        status="under_used",
        visibility="public",
        lon=IN_WEST[0],
        lat=IN_WEST[1],
        floor_area_m2=2000,
        annual_running_cost=200_000,
        utilisation_percent=40,
    )
    AssetFactory(
        owner=council, name="Civic Centre", kind="office", lon=IN_WEST[0] + 0.002, lat=IN_WEST[1]
    )
    AssetFactory(
        owner=police,
        name="Police Station",
        kind="police_station",
        status="surplus",
        lon=IN_EAST[0],
        lat=IN_EAST[1],
        floor_area_m2=1500,
        annual_running_cost=150_000,
        is_sample=True,
    )


def test_map_of_a_place_shows_markers_and_filters_the_under_used(page, sign_in, password):
    build_place()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    sign_in(admin)
    page.goto("/assets/map/?place=PLACE01")
    expect(page.get_by_role("heading", name="Map of assets in Mid-Nottinghamshire")).to_be_visible()
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(3)
    expect(page.locator("#map-status")).to_have_text("3 of 3 assets shown on the map.")
    expect(page.locator("#map-table")).to_contain_text("Police Station")
    expect(page.locator("#map-table")).to_contain_text("Sample data")

    page.get_by_label("Under-used").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(1)
    expect(page.locator("#map-table tbody tr")).to_have_count(1)
    expect(page.locator("#map-table")).to_contain_text("Central Library")

    # A marker opens a popup that links to the asset page.
    page.locator("#estate-map path.pw-marker").first.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text("Central Library")


def test_opportunity_list_ranks_clusters_with_their_reasons(page, sign_in):
    build_place()
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    sign_in(admin)
    page.goto("/assets/opportunities/?place=PLACE01")
    expect(page.get_by_role("heading", name="Opportunity finder")).to_be_visible()
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    first = page.locator("#opportunity-1")
    expect(first).to_contain_text("3 assets of 2 organisations")
    expect(first).to_contain_text("Police Station (Nottinghamshire Police) is surplus")
    expect(first).to_contain_text("Central Library (Mansfield District Council) is under-used")
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(3)
    page.get_by_label("Walking distance (metres)").fill("100")
    page.get_by_role("button", name="Find opportunities").click()
    expect(page.locator("#opportunities")).to_contain_text("No opportunities match")


def test_anonymous_visitors_see_only_public_assets_on_the_map(page):
    build_place()
    page.goto("/assets/map/?place=PLACE01")
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(1)
    expect(page.locator("#map-table")).not_to_contain_text("Police Station")


def test_map_layers_by_kind_and_owner_over_the_need_choropleth(page, sign_in):
    """The map of a PLACE area draws its LSOAs coloured by need (the evidence app's real need
    index) under the assets, and the Kinds and Owners layer controls hide and show markers."""
    from placeworks.places.models import Area
    from placeworks.places.store import build_shapes
    from tests.estate.need_data import load_need

    build_place()
    lsoa = Area.objects.get(code="E01000001")
    build_shapes([lsoa.pk])  # the places API serves boundaries from their simplified shapes
    load_need({lsoa: 5.0})
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    sign_in(admin)
    page.goto("/assets/map/?place=PLACE01")
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    # The LSOA is filled with the colour of need decile 1 (the highest need), not left blank.
    area = page.locator("#estate-map path.leaflet-interactive:not(.pw-marker)").first
    expect(area).to_have_attribute("fill-opacity", "0.55")
    expect(area).to_have_attribute("fill", NEED_DECILE_1)
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(3)

    kinds = page.locator(".pw-layers--kinds")
    kinds.hover()
    kinds.get_by_label("Police station (1)").uncheck()
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(2)
    owners = page.locator(".pw-layers--owners")
    owners.hover()
    owners.get_by_label("Mansfield District Council (2)").uncheck()
    expect(page.locator("#estate-map path.pw-marker")).to_have_count(0)
    expect(page.locator("#map-status")).to_have_text("0 of 3 assets shown on the map.")


def test_asset_page_shows_its_site_on_a_small_map(page, sign_in):
    """The asset page's map (web/maps.js with the estate's site script) marks the asset and
    draws its recorded site boundary."""
    build_place()
    library = Asset.objects.get(name="Central Library")
    lon, lat = float(library.lon), float(library.lat)
    ring = [
        [lon - 0.001, lat - 0.001],
        [lon + 0.001, lat - 0.001],
        [lon + 0.001, lat + 0.001],
        [lon - 0.001, lat + 0.001],
        [lon - 0.001, lat - 0.001],
    ]
    library.boundary_geojson = json.dumps({"type": "Polygon", "coordinates": [ring]})
    library.save()
    sign_in(UserFactory(username="admin", is_superuser=True, is_staff=True))
    page.goto(f"/assets/{library.pk}/")
    expect(page.locator("#estate-map")).to_have_attribute("data-ready", "true")
    # The point and the site boundary.
    expect(page.locator("#estate-map path.leaflet-interactive")).to_have_count(2)
