"""In a real browser: search for a place, open it, see its wards, PLACE area and region, and its
polygons drawn on the map (no base tiles: the map works offline)."""

from __future__ import annotations

import base64

from playwright.sync_api import expect

from tests.places.conftest import FIXTURES, MID_NOTTS


def load_mid_nottinghamshire() -> None:
    from placeworks.places.demo import load_geography

    load_geography(lads=MID_NOTTS, groupings=FIXTURES / "groupings_mid_notts.yaml", quiet=True)


def test_search_a_place_open_it_and_see_it_on_the_map(page):
    load_mid_nottinghamshire()
    page.goto("/places/")
    page.get_by_label("Name or code").fill("Mansfield")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#results-table")
    expect(results).to_contain_text("Local authority district")
    results.get_by_role("link", name="Mansfield", exact=True).click()
    page.wait_for_url("**/places/E07000174/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Mansfield")
    breadcrumbs = page.locator("#breadcrumbs")
    expect(breadcrumbs).to_contain_text("East Midlands")
    expect(breadcrumbs).to_contain_text("Nottinghamshire")
    expect(page.locator("#part-of")).to_contain_text("PLACE area: Mid-Nottinghamshire")
    expect(page.locator("#within")).to_contain_text("Region: East Midlands")
    wards = page.locator("#children-ward + table")
    expect(wards.get_by_role("link", name="Central", exact=True)).to_be_visible()
    expect(wards.locator("tbody tr")).to_have_count(35)

    map_element = page.locator("#places-map")
    expect(map_element).to_have_attribute("data-loaded", "true", timeout=15_000)
    # One polygon per ward (interactive), plus the district's outline.
    assert page.locator("#places-map path.leaflet-interactive").count() >= 35
    assert page.locator("#places-map path").count() > 35
    expect(page.locator("#map-status")).to_contain_text("Map drawn")

    # Selecting a ward on the map opens its page.
    page.locator("#places-map path.leaflet-interactive").first.click(force=True)
    page.wait_for_url("**/places/E05*/")
    expect(page.locator("#breadcrumbs")).to_contain_text("Mansfield")


def test_choropleth_map_of_lsoas(page):
    load_mid_nottinghamshire()
    page.goto("/places/map/?type=lsoa&parent=E07000174&measure=density")
    expect(page.locator("#places-map")).to_have_attribute("data-loaded", "true", timeout=15_000)
    assert page.locator("#places-map path.leaflet-interactive").count() == 68
    expect(page.locator("#legend li")).to_have_count(5)
    expect(page.locator("#map-table tbody tr")).to_have_count(68)


# A one-pixel grey PNG: the browser runs without a network, so the tile server is stood in for
# at the browser's edge and the tiles are served from the site's own origin (allowed by the CSP).
TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAsTj2FAAAAABJRU5ErkJggg=="
)


def test_configured_base_tiles_are_drawn_with_their_attribution(page, settings):
    settings.MAP_TILE_URL = "/map-tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "&copy; OpenStreetMap contributors"
    requested: list[str] = []

    def serve_tile(route):  # type: ignore[no-untyped-def]
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE_PNG)

    page.route("**/map-tiles/**", serve_tile)
    load_mid_nottinghamshire()
    page.goto("/places/E07000174/")
    expect(page.locator("#places-map")).to_have_attribute("data-loaded", "true", timeout=15_000)
    expect(page.locator("#places-map .leaflet-control-attribution")).to_contain_text(
        "© OpenStreetMap contributors"
    )
    expect(page.locator("#places-map img.leaflet-tile-loaded").first).to_be_attached()
    assert requested and all("/map-tiles/" in url for url in requested)
    expect(page.locator("#map-status")).not_to_contain_text("No background map")
