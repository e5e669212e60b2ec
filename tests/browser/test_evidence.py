"""In a real browser: a person opens Mid-Nottinghamshire's evidence profile, reads its
deprivation against the region and England and where need is highest, and maps an indicator —
with the strict Content Security Policy holding (the fixture fails on any console error)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.evidence.conftest import FIXTURES, import_iod
from tests.evidence.geography import MID_NOTTS, build


def test_profile_and_map_of_mid_nottinghamshire(page):  # type: ignore[no-untyped-def]
    build(MID_NOTTS[2], vintages=("2021",), boundaries=True)
    report = import_iod([FIXTURES / "iod2025_mansfield.csv"])
    assert not report.errors, report.summary()

    page.goto("/evidence/")
    page.get_by_role("link", name="Mid-Nottinghamshire").click()
    expect(page.get_by_role("heading", name="Mid-Nottinghamshire", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Deprivation", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Where need is highest")).to_be_visible()
    health = page.get_by_role(
        "row", name=re.compile("Health Deprivation and Disability Domain: score")
    )
    expect(health.first).to_be_visible()
    expect(page.locator("svg.pw-spine").first).to_be_visible()
    page.get_by_text("Components of housing need").click()
    expect(
        page.get_by_role("link", name="Living Environment Deprivation Domain: score").first
    ).to_be_visible()

    page.goto("/evidence/map/?indicator=iod-imd-score&level=lsoa")
    expect(page.locator("#map-status")).to_have_text("68 areas shown.")
    expect(page.locator("#evidence-map path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("#map-table tbody tr")).to_have_count(68)
