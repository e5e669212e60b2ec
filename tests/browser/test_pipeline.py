"""In a real browser: a programme manager ranks, filters and opens a project and downloads the
return; two editors save the same project at once and nothing is lost; a card moves on the board
without a page load; the map shows the projects."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.pipeline.conftest import SECRET, build_partnership


def test_programme_manager_ranks_filters_opens_a_project_and_exports(page, sign_in):
    data = build_partnership()
    sign_in(data["users"]["manager"])
    page.goto("/pipeline/")
    expect(page.get_by_role("heading", name="Project pipeline", exact=True)).to_be_visible()
    expect(page.locator("#projects tbody tr")).to_have_count(4)
    expect(page.locator("#projects tbody tr").first).to_contain_text("Need 0")

    page.get_by_label("Place", exact=True).select_option(label="Mid-Nottinghamshire")
    page.get_by_role("button", name="Apply filters").click()
    expect(
        page.get_by_role("heading", name="Project pipeline in Mid-Nottinghamshire")
    ).to_be_visible()
    expect(page.locator("#projects tbody tr")).to_have_count(3)
    expect(page.locator("#projects")).not_to_contain_text("Derby Youth Hub")
    expect(page.locator("#projects")).to_contain_text(SECRET)  # the manager's own organisation

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return (Excel)").click()
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    titles = [row[3].value for row in book["Pipeline return"].iter_rows(min_row=5)]
    assert sorted(titles) == sorted(
        ["Mansfield Health and Wellbeing Hub", "Ashfield Community Homes", SECRET]
    )

    page.get_by_role("link", name="Mansfield Health and Wellbeing Hub").click()
    expect(page.get_by_role("heading", name="Mansfield Health and Wellbeing Hub")).to_be_visible()
    expect(page.locator("#score-breakdown")).to_contain_text("Deliverability")
    expect(page.locator("#component-collaboration")).to_contain_text(
        "3 organisations across 2 sectors (council and health)."
    )
    expect(page.locator("#change-history")).to_contain_text("Added the project")


def test_two_editors_save_the_same_project_and_nothing_is_lost(
    page, sign_in, browser, live_server, password
):
    data = build_partnership()
    hub = data["projects"]["hub"]
    edit = f"/pipeline/{hub.pk}/edit/"
    sign_in(data["users"]["county_editor"])
    page.goto(edit)  # the county editor opens the form first

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    other = context.new_page()
    other.goto("/accounts/login/")
    other.get_by_label("Username").fill("icb.editor")
    other.get_by_label("Password").fill(password)
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url("**/accounts/")
    other.goto(edit)
    other.get_by_label("Title", exact=True).fill("Mansfield Hub (ICB)")
    other.get_by_role("button", name="Save").click()
    expect(other.get_by_role("heading", name="Mansfield Hub (ICB)")).to_be_visible()
    context.close()

    page.get_by_label("Summary", exact=True).fill("The county's new summary")
    page.get_by_role("button", name="Save").click()
    conflict = page.locator("#conflict")
    expect(conflict).to_contain_text("Changed by icb.editor at")
    expect(conflict).to_contain_text("since you opened it")
    expect(conflict).to_contain_text("Mansfield Hub (ICB)")
    expect(page.get_by_label("Summary", exact=True)).to_have_value("The county's new summary")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Mansfield Hub (ICB)")

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Mansfield Hub (ICB)")).to_be_visible()
    expect(page.locator("main")).to_contain_text("The county's new summary")
    expect(page.locator("#change-history")).to_contain_text("icb.editor")


def test_a_card_moves_on_the_board_without_a_page_load(page, sign_in):
    data = build_partnership()
    hub = data["projects"]["hub"]
    sign_in(data["users"]["icb_editor"])
    page.goto("/pipeline/board/")
    card = page.locator(f"#card-{hub.pk}")
    expect(page.locator(f"#stage-business_case #card-{hub.pk}")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    card.get_by_label("Move to").select_option("funding_secured")
    card.get_by_label("Reason").fill("Grant letter received")
    card.get_by_role("button", name="Move").click()
    expect(page.locator(f"#stage-funding_secured #card-{hub.pk}")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx, not reloaded


def test_the_map_shows_the_projects_of_a_place(page, sign_in):
    data = build_partnership()
    sign_in(data["users"]["manager"])
    page.goto("/pipeline/map/?place=PLACE01")
    expect(page.locator("#pipeline-map")).to_have_attribute("data-ready", "true")
    expect(page.locator("#pipeline-map path.pw-marker")).to_have_count(3)
    expect(page.locator("#map-status")).to_have_text("3 of 3 projects shown on the map.")
    expect(page.locator("#map-table")).to_contain_text("Ashfield Community Homes")


def test_the_map_shades_the_neighbourhoods_of_the_place_by_need(page, sign_in):
    """With a need index loaded, the pipeline map draws the place's LSOAs under the projects,
    filled with the need-decile colours the estate map uses (web/maps.js and web/maps.css)."""
    from placeworks.places.models import Area, AreaLink
    from placeworks.places.store import build_shapes
    from tests.estate.conftest import _area
    from tests.estate.need_data import load_need

    data = build_partnership()
    lsoa = _area("lsoa", "E01000001", "Mansfield 001A", (-1.25, 53.12, -1.15, 53.16), "2021")
    AreaLink.objects.create(ancestor=Area.objects.get(code="PLACE01"), descendant=lsoa, depth=1)
    build_shapes([lsoa.pk])
    load_need({lsoa: 5.0})
    sign_in(data["users"]["manager"])
    page.goto("/pipeline/map/?place=PLACE01")
    expect(page.locator("#pipeline-map")).to_have_attribute("data-ready", "true")
    area = page.locator("#pipeline-map path.leaflet-interactive:not(.pw-marker)").first
    expect(area).to_have_attribute("fill", "rgb(103, 0, 13)")  # need decile 1
    expect(area).to_have_attribute("fill-opacity", "0.5")
    expect(page.locator("#pipeline-map path.pw-marker")).to_have_count(3)
