"""The demo loader: registered, runs the real importers, idempotent."""

from __future__ import annotations

import io

from placeworks.contributions import collect
from placeworks.places.demo import NORTH_MIDLANDS, load_geography, steps
from placeworks.places.models import Area, AreaLink, AreaType

from .conftest import FIXTURES, MID_NOTTS


def test_places_contributes_nav_urls_api_and_demo():
    assert (20, "placeworks.places.demo:load") in collect("DEMO")
    assert ("areas", "placeworks.places.api:router") in collect("API_ROUTER")
    assert ("places/", "placeworks.places.urls") in collect("URLS")
    assert any(item.url_name == "places:index" for item in collect("NAV"))


def test_demo_reads_only_real_files_that_exist():
    from placeworks.places.demo import data_dir

    for step in steps(NORTH_MIDLANDS):
        assert (data_dir() / step.file).exists(), step.file
    assert len(NORTH_MIDLANDS) == 17


def test_subset_geography_has_every_level(geography):
    counts = {
        (t, v): Area.objects.filter(type=t, vintage=v).count()
        for t, v in Area.objects.values_list("type", "vintage").distinct()
    }
    assert counts[(AreaType.LAD, "2024")] == 3
    assert counts[(AreaType.LSOA, "2021")] > 200
    assert counts[(AreaType.LSOA, "2011")] > 200
    assert counts[(AreaType.WARD, "2024")] > 50
    assert counts[(AreaType.WARD, "2021")] > 0  # Mansfield's wards before its 2023 review
    assert counts[(AreaType.COUNTY, "2019")] == 1
    assert counts[(AreaType.REGION, "2019")] == 1
    assert counts[(AreaType.COUNTRY, "2019")] == 1
    assert counts[(AreaType.ICB, "2022")] == 1
    assert counts[(AreaType.PLACE, "")] == 1
    assert counts[(AreaType.NEIGHBOURHOOD, "")] == 1
    # Every LSOA reaches England through the closure.
    england = Area.objects.get(type=AreaType.COUNTRY)
    lsoas = Area.objects.filter(type=AreaType.LSOA).count()
    assert (
        AreaLink.objects.filter(ancestor=england, descendant__type=AreaType.LSOA).count() == lsoas
    )


def test_loading_again_changes_nothing(geography):
    out = io.StringIO()
    before = (Area.objects.count(), AreaLink.objects.count())
    load_geography(out, lads=MID_NOTTS, groupings=FIXTURES / "groupings_mid_notts.yaml")
    text = out.getvalue()
    assert "created" in text
    for line in text.splitlines():
        if " created, " in line:
            assert " 0 created, 0 updated" in line, line
    assert (Area.objects.count(), AreaLink.objects.count()) == before
    assert "0 added, 0 changed, 0 removed" in text  # the ward crosswalk
