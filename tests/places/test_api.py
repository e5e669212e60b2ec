"""The areas API: search, detail, children, point-in-area, GeoJSON layers, errors."""

from __future__ import annotations

import json

import pytest

from .conftest import MANSFIELD, TOWN_CENTRE


@pytest.fixture
def api(client):
    def get(url, status=200):
        response = client.get(url)
        assert response.status_code == status, response.content[:500]
        return response

    return get


def test_search_by_name(geography, api):
    data = api("/api/areas?q=Mansfield").json()
    assert data["count"] > 5 and data["limit"] == 50
    first = data["results"][0]
    assert (first["code"], first["type"], first["url"]) == (MANSFIELD, "lad", "/places/E07000174/")
    assert first["population"] == 109_313 and first["population_year"] == 2019


def test_search_by_type_and_parent(geography, api):
    data = api(f"/api/areas?type=ward&parent={MANSFIELD}&vintage=2024&limit=100").json()
    assert data["count"] == 35
    assert all(r["type"] == "ward" and r["vintage"] == "2024" for r in data["results"])


def test_unknown_type_and_parent_are_json_errors(geography, api):
    assert "type must be one of" in api("/api/areas?type=town", 400).json()["detail"]
    assert api("/api/areas?parent=E07999999", 404).json() == {
        "detail": "No area with code E07999999."
    }
    assert api("/api/areas/E07999999", 404).json() == {"detail": "No area with code E07999999."}


def test_area_detail_has_breadcrumbs_children_and_groupings(geography, api):
    data = api(f"/api/areas/{MANSFIELD}").json()
    assert [c["code"] for c in data["breadcrumbs"]] == ["E92000001", "E12000004", "E10000024"]
    assert {p["code"] for p in data["part_of"]} == {"PLACE-MID-NOTTS", "E54000060"}
    (wards,) = [g for g in data["children"] if g["type"] == "ward"]
    assert (wards["vintage"], wards["count"]) == ("2024", 35)
    assert "Sum of its 67 LSOAs (2011)" in data["population_source"]
    assert data["geojson_url"].startswith("/api/areas/geojson?code=E07000174")


def test_lsoa_detail_by_vintage(geography, api):
    new = api("/api/areas/E01028224").json()
    old = api("/api/areas/E01028224?vintage=2011").json()
    assert (new["vintage"], old["vintage"]) == ("2021", "2011")
    assert old["other_vintages"][0]["vintage"] == "2021"
    assert new["url"] == "/places/E01028224/?vintage=2021"


def test_old_ward_detail_lists_its_crosswalk_to_current_wards(geography, api):
    data = api("/api/areas?type=ward&vintage=2021&parent=E07000174&limit=1").json()
    code = data["results"][0]["code"]
    detail = api(f"/api/areas/{code}").json()
    (crosswalk,) = [c for c in detail["crosswalks"] if c["method"] == "overlap"]
    assert sum(t["weight"] for t in crosswalk["targets"]) == pytest.approx(1.0)
    assert all(t["area"]["vintage"] == "2024" for t in crosswalk["targets"])


def test_children(geography, api):
    wards = api(f"/api/areas/{MANSFIELD}/children?type=ward").json()
    assert len(wards) == 35
    old = api(f"/api/areas/{MANSFIELD}/children?type=ward&vintage=2021").json()
    assert len(old) == 36
    members = api("/api/areas/PLACE-MID-NOTTS/children").json()
    assert {m["code"] for m in members} == {"E07000170", "E07000174", "E07000175"}


def test_descendants(geography, api):
    lsoas = api(f"/api/areas/{MANSFIELD}/descendants?type=lsoa").json()
    assert len(lsoas) == 68 and {a["vintage"] for a in lsoas} == {"2021"}


def test_containing(geography, api):
    lon, lat = TOWN_CENTRE
    found = api(f"/api/areas/containing?lon={lon}&lat={lat}&type=ward").json()
    assert [a["code"] for a in found] == ["E05014614"]
    api("/api/areas/containing?lon=500&lat=53", 422)


def test_geojson_layer_of_one_districts_lsoas(geography, api):
    response = api(f"/api/areas/geojson?type=lsoa&parent={MANSFIELD}&zoom=12")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 68
    feature = data["features"][0]
    assert set(feature["properties"]) >= {"code", "name", "population", "density", "url"}
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}


def _vertices(data):
    total = 0
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        total += sum(len(ring) for polygon in polygons for ring in polygon)
    return total


def test_geojson_is_simplified_for_the_zoom(geography, api):
    coarse = json.loads(api(f"/api/areas/geojson?type=ward&parent={MANSFIELD}&zoom=6").content)
    fine = json.loads(api(f"/api/areas/geojson?type=ward&parent={MANSFIELD}&zoom=14").content)
    assert len(coarse["features"]) == len(fine["features"]) == 35
    assert _vertices(coarse) < _vertices(fine) / 2


def test_geojson_bbox_and_codes(geography, api):
    lon, lat = TOWN_CENTRE
    box = f"{lon - 0.002},{lat - 0.002},{lon + 0.002},{lat + 0.002}"
    small = json.loads(api(f"/api/areas/geojson?type=lsoa&bbox={box}").content)
    assert 0 < len(small["features"]) < 15
    one = json.loads(api(f"/api/areas/geojson?code={MANSFIELD}").content)
    assert [f["properties"]["code"] for f in one["features"]] == [MANSFIELD]


def test_geojson_errors(geography, api):
    assert "Give a type" in api("/api/areas/geojson", 400).json()["detail"]
    assert (
        "bbox must be four numbers"
        in api("/api/areas/geojson?type=lsoa&bbox=1,2,3", 400).json()["detail"]
    )
    assert (
        "minimums first" in api("/api/areas/geojson?type=lsoa&bbox=1,2,0,1", 400).json()["detail"]
    )


def test_types_and_crosswalks(geography, api):
    types = api("/api/areas/types").json()
    assert {"type": "lad", "vintage": "2024"}.items() <= next(
        t for t in types if t["type"] == "lad"
    ).items()
    names = {c["name"] for c in api("/api/areas/crosswalks").json()}
    assert {"lsoa 2011 to lsoa 2021 (lookup)", "ward 2021 to ward 2024 (area overlap)"} <= names


def test_openapi_lists_the_areas_endpoints(db, api):
    paths = api("/api/openapi.json").json()["paths"]
    assert {
        "/api/areas",
        "/api/areas/geojson",
        "/api/areas/{code}",
        "/api/areas/{code}/children",
    } <= set(paths)


def test_search_by_code_prefix_and_inside_a_place_area(geography, api):
    data = api("/api/areas?q=E0501461&type=ward").json()
    assert data["count"] >= 2 and all(r["code"].startswith("E0501461") for r in data["results"])
    place = api("/api/areas?parent=PLACE-MID-NOTTS&type=lad").json()
    assert {r["code"] for r in place["results"]} == {"E07000170", "E07000174", "E07000175"}
    wards = api("/api/areas?q=Central&parent=PLACE-MID-NOTTS&type=ward").json()
    assert "E05014614" in {r["code"] for r in wards["results"]}
    page = api("/api/areas?type=lsoa&parent=E07000174&vintage=2021&limit=10&offset=60").json()
    assert (page["count"], len(page["results"])) == (68, 8)


def test_an_area_has_its_centroid_bbox_and_population_year(geography, api):
    mansfield = api(f"/api/areas/{MANSFIELD}").json()
    min_lon, min_lat, max_lon, max_lat = mansfield["bbox"]
    lon, lat = mansfield["centroid"]
    assert min_lon < lon < max_lon and min_lat < lat < max_lat
    assert (mansfield["population"], mansfield["population_year"]) == (109_313, 2019)
    assert 7000 < mansfield["area_hectares"] < 8000
