"""Evidence pages and their data twins in the API, on the real IoD data for Mid-Nottinghamshire."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from placeworks.evidence import queries
from placeworks.evidence.models import Observation
from tests.factories import OrganisationFactory, member

from .conftest import FIXTURES

PLACE = "PLACE-MID-NOTTS"


def assert_csp_clean(html: str) -> None:
    """No inline scripts or styles: the strict Content Security Policy must hold."""
    assert " style=" not in html and "<style" not in html
    for script in re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S):
        assert script.strip() == ""


# --- the Mid-Nottinghamshire story ------------------------------------------------------------


def test_mid_nottinghamshire_profile_shows_health_housing_and_education_against_region_and_england(
    data,
):  # type: ignore[no-untyped-def]
    place = data["areas"]["place"]
    profile = queries.profile(place)
    assert profile.parent.code == "E12000004" and profile.england.code == "E92000001"
    by_code = {row.indicator.code: row for row in profile.rows}
    for code in ("iod-health-score", "iod-barriers-score", "iod-education-score"):
        row = by_code[code]
        assert row.period == "2025"
        assert row.value is not None
        assert row.parent.value is not None and row.england.value is not None
        assert row.local_rank is not None and row.local_count == 3  # PLACE areas loaded
        assert row.spread is not None
    sections = {s.key for s in profile.sections}
    assert {"health-wellbeing", "housing", "education-skills"} <= sections
    imd = profile.deprivation[0]
    assert imd.period == "2025" and imd.lsoa_count == 219
    assert imd.rows[0].measure == "imd" and imd.rows[0].extent is not None


def test_profile_page(client, data):  # type: ignore[no-untyped-def]
    response = client.get(reverse("evidence:profile", args=[PLACE]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Mid-Nottinghamshire",
        "Health Deprivation and Disability Domain: score",
        "Barriers to Housing and Services Domain: score",
        "Education, Skills and Training Deprivation Domain: score",
        "East Midlands",
        "England",
        "Where need is highest",
        "Need by theme",
        "Inequality: Years of potential life lost",
        "slope index of inequality",
        "How deprivation changed since IoD2019",
        'class="pw-spine"',
    ):
        assert text in html, text
    assert_csp_clean(html)


def test_profile_csv_download(client, data):  # type: ignore[no-untyped-def]
    response = client.get(reverse("evidence:profile-csv", args=[PLACE]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    health = [r for r in rows if r["indicator"] == "iod-health-score"]
    assert health and health[0]["england_value"] and health[0]["parent_code"] == "E12000004"


def test_profile_csv_cells_cannot_run_as_formulas(client, data):  # type: ignore[no-untyped-def]
    from placeworks.evidence.models import Indicator

    Indicator.objects.filter(code="iod-health-score").update(name='=HYPERLINK("http://x")')
    response = client.get(reverse("evidence:profile-csv", args=[PLACE]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    health = [r for r in rows if r["indicator"] == "iod-health-score"]
    assert health[0]["indicator_name"] == '\'=HYPERLINK("http://x")'


def test_lsoa_and_district_profiles(client, data):  # type: ignore[no-untyped-def]
    lsoa = client.get("/evidence/areas/E01028263/?type=lsoa&vintage=2021")
    assert lsoa.status_code == 200 and "Rank in England" in lsoa.content.decode()
    district = client.get("/evidence/areas/E07000174/")
    html = district.content.decode()
    assert district.status_code == 200 and "of 317 in England" in html
    assert client.get("/evidence/areas/NOPE/").status_code == 404


# --- the API -----------------------------------------------------------------------------------


def test_api_indicators(client, data):  # type: ignore[no-untyped-def]
    found = client.get("/api/indicators").json()
    imd = next(i for i in found if i["code"] == "iod-imd-score")
    assert imd["periods"] == ["2025", "2019"]
    assert imd["polarity"] == "higher_is_worse" and imd["licence"].startswith("Open Government")
    housing = client.get("/api/indicators?theme=housing").json()
    assert housing and all(i["theme"] == "housing" for i in housing)


def test_api_values_by_type_parent_and_period(client, data):  # type: ignore[no-untyped-def]
    response = client.get(
        "/api/indicators/iod-imd-score/values?area_type=lad&parent=PLACE-MID-NOTTS&period=2019"
    )
    body = response.json()
    assert response.status_code == 200 and body["period"] == "2019"
    assert sorted(v["area"] for v in body["values"]) == ["E07000170", "E07000174", "E07000175"]
    assert all(v["national_rank_of"] == 317 for v in body["values"])
    assert body["england"] == pytest.approx(21.72, abs=0.01)
    by_id = client.get(f"/api/indicators/{body['indicator']['id']}/values?area_type=lad").json()
    assert by_id["indicator"]["code"] == "iod-imd-score"
    missing = client.get("/api/indicators/iod-imd-score/values?period=1999")
    assert missing.status_code == 404 and "periods: 2025, 2019" in missing.json()["detail"]
    assert client.get("/api/indicators/nope/values").json()["detail"].startswith("No indicator")


def test_api_profile_and_need_route_beside_the_places_areas_router(client, data):  # type: ignore[no-untyped-def]
    profile = client.get(f"/api/areas/{PLACE}/profile")
    assert profile.status_code == 200
    body = profile.json()
    assert body["area"]["code"] == PLACE and body["england"]["code"] == "E92000001"
    themes = {t["key"] for t in body["themes"]}
    assert {"health-wellbeing", "housing", "education-skills"} <= themes
    need = client.get(f"/api/areas/{PLACE}/need").json()
    keys = [t["key"] for t in need["themes"]]
    assert keys[0] == "overall" and {"housing", "education-skills", "health-wellbeing"} <= set(keys)
    assert need["themes"][0]["components"][0]["z"] is not None
    # the places router still answers /api/areas/{code} itself
    area = client.get(f"/api/areas/{PLACE}")
    assert area.status_code == 200 and area.json()["code"] == PLACE
    assert client.get("/api/areas/NOPE/profile").json() == {"detail": "No area with code 'NOPE'."}


def test_api_inequality_and_map(client, data):  # type: ignore[no-untyped-def]
    body = client.get(
        f"/api/areas/{PLACE}/inequality?indicator=iod-years-of-potential-life-lost"
    ).json()
    assert len(body["deciles"]) == 10 and body["sii"]["sii"] < 0
    assert body["gap_most_minus_least_deprived_fifth"] > 0
    layer = client.get("/api/indicators/iod-imd-score/map?level=lsoa").json()
    assert layer["type"] == "FeatureCollection" and len(layer["features"]) == 467
    assert {f["properties"]["decile"] for f in layer["features"]} <= set(range(1, 11))
    wards = client.get("/api/indicators/iod-imd-score/map?level=place").json()
    assert wards["features"]  # PLACE areas drawn as the union of their districts
    assert client.get("/api/indicators/iod-imd-score/map?level=moon").status_code == 422


# --- other pages -------------------------------------------------------------------------------


def test_catalogue_index_and_indicator_pages(client, data):  # type: ignore[no-untyped-def]
    assert "Mid-Nottinghamshire" in client.get("/evidence/").content.decode()
    catalogue = client.get("/evidence/indicators/").content.decode()
    assert "iod-imd-score" in catalogue and "Housing and tenancies" in catalogue
    page = client.get("/evidence/indicators/iod-health-score/?level=lad")
    assert page.status_code == 200 and "Mansfield" in page.content.decode()
    assert client.get("/evidence/indicators/nope/").status_code == 404


def test_map_page(client, data):  # type: ignore[no-untyped-def]
    response = client.get("/evidence/map/?indicator=iod-health-score&level=ward")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="evidence-map"' in html and "/api/indicators/iod-health-score/map" in html
    assert 'id="map-table"' in html and "pw-decile--1" in html
    assert_csp_clean(html)


def test_compare_up_to_ten_places(client, data):  # type: ignore[no-untyped-def]
    response = client.get(
        "/evidence/compare/?areas=PLACE-MID-NOTTS&areas=E07000174&areas=E92000001"
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="comparison"' in html
    assert "Mansfield" in html and "IMD score" in html
    too_many = client.get("/evidence/compare/?" + "&".join(f"areas=A{i}" for i in range(11)))
    assert too_many.status_code == 400 and "Choose up to 10 places" in too_many.content.decode()


def test_compare_shows_ten_places_side_by_side_and_refuses_an_eleventh(client, data):  # type: ignore[no-untyped-def]
    from placeworks.places.models import Area

    areas = list(Area.objects.filter(type__in=["place", "lad", "county", "region"]))
    areas += list(Area.objects.filter(type="ward").order_by("code")[: 10 - len(areas)])
    assert len(areas) == 10
    query = "&".join(f"areas={a.code}" for a in areas)
    response = client.get(f"/evidence/compare/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="comparison"') :]
    heads = re.findall(
        r'<th scope="col"[^>]*><a class="govuk-link" href="[^"]+">([^<]+)</a>', table
    )
    assert sorted(heads) == sorted(a.name for a in areas)
    eleven = client.get(f"/evidence/compare/?{query}&areas=E92000001")
    assert eleven.status_code == 400 and "you chose 11" in eleven.content.decode()


def test_inequality_page(client, data):  # type: ignore[no-untyped-def]
    response = client.get(f"/evidence/inequality/?area={PLACE}&indicator=iod-income-score")
    html = response.content.decode()
    assert response.status_code == 200 and "Slope index of inequality" in html
    assert 'class="pw-chart"' in html
    no_lsoas = client.get(f"/evidence/inequality/?area={PLACE}&indicator=iod-imd-extent")
    assert no_lsoas.status_code == 404


# --- upload ------------------------------------------------------------------------------------


def test_upload_needs_an_editor(client, data, password):  # type: ignore[no-untyped-def]
    assert client.get("/evidence/upload/").status_code == 302
    client.login(username=member("viewer").username, password=password)
    assert client.get("/evidence/upload/").status_code == 403


def test_upload_checks_then_imports(client, data, password):  # type: ignore[no-untyped-def]
    council = OrganisationFactory(name="Mansfield District Council")
    editor = member("editor", organisation=council)
    client.login(username=editor.username, password=password)
    page = client.get("/evidence/upload/")
    assert page.status_code == 200 and "/evidence/template.csv" in page.content.decode()
    with (FIXTURES / "tidy_food_bank.csv").open("rb") as handle:
        checked = client.post("/evidence/upload/", {"file": handle, "organisation": council.pk})
    assert checked.status_code == 200 and "Dry run" in checked.content.decode()
    assert not Observation.objects.filter(indicator__code="food-bank-referrals").exists()
    with (FIXTURES / "tidy_food_bank.csv").open("rb") as handle:
        done = client.post(
            "/evidence/upload/", {"file": handle, "organisation": council.pk, "commit": "on"}
        )
    assert done.status_code == 200 and "Imported: 3 created" in done.content.decode()
    with (FIXTURES / "tidy_unknown_area.csv").open("rb") as handle:
        refused = client.post("/evidence/upload/", {"file": handle, "commit": "on"})
    assert refused.status_code == 400 and "unknown area code" in refused.content.decode()


def test_templates_download(client, db):  # type: ignore[no-untyped-def]
    csv_response = client.get("/evidence/template.csv")
    assert csv_response.content.decode().startswith("area_code,indicator,period")
    xlsx = client.get("/evidence/template.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
