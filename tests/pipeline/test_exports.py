"""Exports: formula injection escaped in XLSX, CSV and GeoJSON; numbers stay numbers; the
pipeline-return layout; confidential projects left out for outsiders."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from placeworks.partners.models import Sector
from placeworks.pipeline import services
from placeworks.pipeline.exports import COLUMNS, HEADER_ROW
from tests.factories import OrganisationFactory

from .conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile(projects, orgs, areas):
    plus = OrganisationFactory(name="+Plus Trust", sector=Sector.VCS)
    return services.create_project(
        by=None,
        reference="hostile",
        lead=orgs["county"],
        title='=HYPERLINK("http://evil.example","click")',
        visibility="public",
        places=[areas["mansfield"]],
        partners=[(plus, "delivery")],
        service_outcomes_forecast="@SUM(1+1)",
        capital_cost=Decimal("-0") + Decimal("125000"),
        homes_enabled_forecast=7,
    )


def test_csv_escapes_formulas_and_keeps_numbers(client, hostile, users):
    client.force_login(users["manager"])
    rows = list(csv.DictReader(io.StringIO(client.get("/pipeline/export.csv").content.decode())))
    row = next(r for r in rows if r["Reference"] == "hostile")
    assert row["Project"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["Partner organisations (role)"] == "'+Plus Trust (Delivery partner)"
    assert row["Service outcomes forecast"] == "'@SUM(1+1)"
    assert row["Capital cost (£)"] == "125000"
    assert row["Homes enabled forecast (homes)"] == "7"
    assert list(rows[0]) == [c.header for c in COLUMNS]


def test_xlsx_is_a_pipeline_return_one_row_per_project_with_benefit_columns(client, hostile, users):
    client.force_login(users["manager"])
    response = client.get("/pipeline/export.xlsx?place=PLACE01")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Pipeline return", "Score breakdown", "Notes"]
    sheet = book["Pipeline return"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers == [c.header for c in COLUMNS]
    for benefit in (
        "Capital receipts",
        "Running cost savings",
        "Land released",
        "Homes enabled",
        "Jobs created",
    ):
        assert any(h.startswith(f"{benefit} forecast") for h in headers)
        assert any(h.startswith(f"{benefit} achieved") for h in headers)
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    by_reference = {
        row[headers.index("Reference")]: dict(zip(headers, row, strict=True)) for row in body
    }
    # Filtered to Mid-Nottinghamshire: the hub, the homes, the disposal (the manager's own) and
    # the hostile one in Mansfield; not Derby.
    assert set(by_reference) == {
        "mansfield-hub",
        "ashfield-homes",
        "kirkby-depot-disposal",
        "hostile",
    }
    hostile_row = by_reference["hostile"]
    assert hostile_row["Project"] == '\'=HYPERLINK("http://evil.example","click")'
    cell = next(
        c
        for c in sheet.iter_rows(min_row=HEADER_ROW + 1)
        if c[headers.index("Reference")].value == "hostile"
    )[headers.index("Project")]
    assert cell.data_type == "s"  # text, not a formula
    hub = by_reference["mansfield-hub"]
    assert hub["Capital cost (£)"] == 4000000 and isinstance(hub["Capital cost (£)"], int | float)
    assert hub["Capital receipts forecast (£)"] == 1200000
    assert hub["Running cost savings forecast (£ a year)"] == 300000
    assert hub["Jobs created forecast (jobs)"] == 12
    assert hub["Rank"] >= 1 and isinstance(hub["Score (0–100)"], float)
    assert "place: Mid-Nottinghamshire" in sheet["A2"].value
    assert book["Score breakdown"]["A1"].value == "Rank"


def test_sample_data_is_labelled_in_the_return(client, projects, users):
    projects["hub"].__class__.objects.filter(pk=projects["hub"].pk).update(is_sample=True)
    client.force_login(users["manager"])
    book = load_workbook(io.BytesIO(client.get("/pipeline/export.xlsx").content))
    assert "SAMPLE DATA" in book["Pipeline return"]["A3"].value
    assert any("SAMPLE DATA" in (c.value or "") for c in book["Notes"]["A"])


def test_exports_leave_out_what_the_user_may_not_see(client, projects, users):
    client.force_login(users["police_viewer"])
    for url in ("/pipeline/export.csv", "/pipeline/export.xlsx", "/pipeline/export.geojson"):
        content = client.get(url).content
        if url.endswith("xlsx"):
            book = load_workbook(io.BytesIO(content))
            content = " ".join(
                str(c.value) for s in book for r in s.iter_rows() for c in r
            ).encode()
        assert SECRET.encode() not in content, url
        assert b"Mansfield Health and Wellbeing Hub" in content


def test_geojson_export_places_projects_and_escapes_text(client, hostile, users):
    client.force_login(users["manager"])
    collection = json.loads(client.get("/pipeline/export.geojson").content)
    by_reference = {f["properties"]["reference"]: f for f in collection["features"]}
    hub = by_reference["mansfield-hub"]
    # The hub has no assets: it sits at the centre of Mid-Nottinghamshire (mean of its districts'
    # centroids) and Mansfield.
    lon, lat = hub["geometry"]["coordinates"]
    assert lon == pytest.approx(((-1.19 + -1.26) / 2 + -1.19) / 2)
    assert lat == pytest.approx(((53.14 + 53.09) / 2 + 53.14) / 2)
    assert hub["properties"]["located_by"] == "places"
    assert by_reference["hostile"]["properties"]["title"].startswith("'=")
    api = json.loads(client.get("/api/projects?format=geojson").content)
    assert any(f["properties"]["title"].startswith("=HYPERLINK") for f in api["features"])
