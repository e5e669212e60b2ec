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


def test_every_level_can_be_drawn_on_the_map(geography, client):
    """Each type and vintage loaded has a map layer: every area that is not partial has its
    shapes for the three zoom buckets, and the GeoJSON layer of the type returns them all."""
    import json

    from placeworks.places.models import AreaShape

    layers = Area.objects.values_list("type", "vintage").distinct()
    assert len(layers) >= 10
    for area_type, vintage in layers:
        whole = Area.objects.filter(type=area_type, vintage=vintage, is_partial=False)
        if not whole.exists():
            continue  # the region and England: only partly loaded, so no outline
        shaped = set(
            AreaShape.objects.filter(area__in=whole).values_list("area_id", "zoom").distinct()
        )
        missing = [a.code for a in whole if {(a.pk, z) for z in (6, 9, 12)} - shaped]
        assert not missing, (area_type, vintage, missing[:5])
        response = client.get(f"/api/areas/geojson?type={area_type}&vintage={vintage}&zoom=9")
        features = json.loads(response.content)["features"]
        assert len(features) == whole.filter(is_active=True).count(), (area_type, vintage)


def test_the_north_midlands_demo_has_every_level_and_the_twelve_place_areas(geography, client):
    """The whole demo (loaded over the test subset, as a re-run of the demo would be): the
    counts of docs/places.md, the 12 PLACE areas, and a map layer at every level."""
    import json

    load_geography(quiet=True)
    counts = {
        (t, v): Area.objects.filter(type=t, vintage=v).count()
        for t, v in Area.objects.values_list("type", "vintage").distinct()
    }
    assert counts[("lsoa", "2021")] == 1335 and counts[("lsoa", "2011")] == 1321
    assert counts[("msoa", "2011")] == 269
    assert counts[("ward", "2024")] == 363 and counts[("ward", "2021")] == 154
    assert counts[("lad", "2024")] == 17 and counts[("county", "2019")] == 2
    assert counts[("sicbl", "2022")] == 3 and counts[("icb", "2022")] == 2
    assert counts[("place", "")] == 12
    wards = Area.objects.filter(type="ward", vintage="2024")
    assert wards.filter(boundary_derived=False).count() == 222
    assert wards.filter(boundary_derived=True).count() == 141
    places = {a.name for a in Area.objects.filter(type="place")}
    assert {"Derby City", "High Peak", "Mid-Nottinghamshire", "South Nottinghamshire"} <= places
    for area_type in ("lsoa", "msoa", "ward", "lad", "county", "sicbl", "icb", "place"):
        layer = json.loads(client.get(f"/api/areas/geojson?type={area_type}&zoom=6").content)
        current = counts[max((k for k in counts if k[0] == area_type), key=lambda k: k[1])]
        assert len(layer["features"]) == current, area_type
