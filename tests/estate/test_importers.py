"""The estate importers on the real files in data/ and on broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from placeworks.audit.models import ImportRun
from placeworks.estate.ingest import (
    GenericAssetImporter,
    GiasImporter,
    HsdsImporter,
    NhsSitesImporter,
    OdsGpImporter,
    PostcodeImporter,
)
from placeworks.estate.ingest.hsds import to_hsds
from placeworks.estate.models import Asset, CommunityService, LocationSource
from placeworks.partners.models import Organisation, Sector
from tests.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "data"
GIAS = DATA / "schools" / "gias_open_establishments_2025-05-24_north_midlands.csv"
HOSPITALS = DATA / "nhs_hospitals" / "nhs_hospitals_2018_north_midlands.csv"
GP = DATA / "gp_practices" / "epraccur_north_midlands_2020-01.csv"
POSTCODES = DATA / "schools" / "postcode_centroids_north_midlands_schools.csv"
SAMPLE = DATA / "sample_estate" / "north_midlands_sample_sites.csv"

HEADER = "reference,name,kind,owner,postcode,latitude,longitude,status,condition,utilisation"


def write(tmp_path: Path, text: str, name: str = "assets.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- real files ------------------------------------------------------------------------------


def test_gias_imports_the_1055_open_schools_with_coordinates_and_pupils():
    derbyshire = OrganisationFactory(name="Derbyshire County Council", sector=Sector.COUNTY_COUNCIL)
    report = GiasImporter().run(GIAS, commit=True)
    assert report.errors == [] and report.created == 1055
    schools = Asset.objects.filter(source="gias")
    assert schools.count() == 1055
    assert schools.filter(lon__isnull=True).count() == 0
    nursery = schools.get(identifier="urn:112469")
    assert nursery.owner == derbyshire  # LA-maintained: the local authority
    assert nursery.occupancy == 65 and nursery.kind == "school"
    assert round(nursery.lat, 4) == 53.4595
    # An academy (no trust named in this extract) is owned by an organisation of its own.
    academy = schools.filter(services_delivered__contains="Academy converter").first()
    assert academy.owner.sector == Sector.SCHOOL and academy.owner.urn == academy.reference
    # Re-running changes nothing.
    again = GiasImporter().run(GIAS, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1055)


def test_gias_official_download_headers_with_trusts_and_windows_encoding(tmp_path):
    header = (
        "URN,LA (name),EstablishmentName,TypeOfEstablishment (name),"
        "EstablishmentTypeGroup (name),EstablishmentStatus (name),PhaseOfEducation (name),"
        "NumberOfPupils,SchoolCapacity,Trusts (name),Street,Town,Postcode,Easting,Northing\n"
    )
    rows = (
        "140001,Nottingham,Café Academy,Academy converter,Academies,Open,Primary,210,420,"
        "Good Schools Trust,1 High St,Nottingham,NG1 1AA,457000,340000\n"
        "140002,Nottingham,Closed School,Community school,Local authority maintained schools,"
        "Closed,Primary,,,,,,,457100,340100\n"
    )
    path = tmp_path / "edubasealldata.csv"
    path.write_bytes((header + rows).encode("cp1252"))
    report = GiasImporter().run(path, commit=True)
    assert report.errors == [], report.summary()
    assert report.created == 1 and "1 establishment(s) not open" in report.summary()
    school = Asset.objects.get(identifier="urn:140001")
    assert school.name == "Café Academy"
    assert school.owner.name == "Good Schools Trust"
    assert school.utilisation_percent == 50.0 and school.capacity == 420
    assert 52.9 < school.lat < 53.0 and -1.2 < school.lon < -1.1  # from easting/northing


def test_nhs_hospital_sites_are_owned_by_their_trusts():
    existing = OrganisationFactory(
        name="Sherwood Forest Hospitals NHS Foundation Trust", sector="nhs_trust", ods_code="RK5"
    )
    report = NhsSitesImporter().run(HOSPITALS, commit=True)
    assert report.errors == [] and report.created == 41
    assert Asset.objects.filter(kind="hospital", lon__isnull=False).count() == 41
    assert Asset.objects.filter(owner=existing).count() == 4
    nuffield = Organisation.objects.get(ods_code="NT2")
    assert nuffield.sector == Sector.PRIVATE


def test_gp_practices_are_located_by_postcode_where_the_lookup_can_and_listed_otherwise():
    PostcodeImporter().run(POSTCODES, commit=True)
    report = OdsGpImporter().run(GP, commit=True)
    assert report.errors == [] and report.rows == 453 and report.created == 256
    summary = report.summary()
    assert "Skipped 133 active rows that are not GP practices" in summary
    assert "Skipped 50 closed" in summary and "Skipped 14 dormant" in summary
    practices = Asset.objects.filter(source="ods_gp")
    assert practices.count() == 256
    assert practices.filter(location_source=LocationSource.POSTCODE).count() == 1
    assert practices.filter(location_source=LocationSource.NONE).count() == 255
    practice = practices.first()
    assert practice.owner.sector == Sector.GP_PRACTICE and practice.owner.ods_code
    assert not practice.name.isupper()  # ‘THE VALLEY SURGERY’ -> ‘The Valley Surgery’
    # Idempotent.
    assert OdsGpImporter().run(GP, commit=True).unchanged == 256


def test_the_sample_sites_file_imports_through_the_generic_importer():
    from placeworks.partners.demo import ORGANISATIONS

    for name, sector, identifiers in ORGANISATIONS:
        OrganisationFactory(name=name, sector=sector, **identifiers)
    report = GenericAssetImporter(is_sample=True).run(SAMPLE, commit=True)
    assert report.errors == [], report.summary()
    assert report.created == 43
    assert Asset.objects.filter(is_sample=True).count() == 43
    assert Asset.objects.filter(visibility="organisation").exclude(disposal_plan="").exists()


def test_postcode_importer_reads_onspd_columns(tmp_path):
    path = write(
        tmp_path,
        "pcd,pcds,doterm,lat,long\nNG181AA ,NG18 1AA,,53.144,-1.198\nZZ991ZZ ,ZZ99 1ZZ,,99.999999,0\n",
        "onspd.csv",
    )
    report = PostcodeImporter().run(path, commit=True)
    assert report.errors == [] and report.created == 1
    assert "1 postcode(s) have no location" in report.summary()


# --- problems and all-or-nothing ------------------------------------------------------------


def test_generic_file_problems_are_named_by_row_and_column_and_nothing_is_written(tmp_path):
    org = OrganisationFactory(name="Ashfield District Council")
    path = write(
        tmp_path,
        HEADER
        + "\nA1,Good site,library,Ashfield District Council,NG17 1AA,53.1,-1.2,operational,B,50"
        + "\nA2,Bad kind,castle,Ashfield District Council,,53.1,-1.2,operational,B,50"
        + "\nA3,Bad latitude,office,Ashfield District Council,,153.1,-1.2,,,"
        + "\nA4,Bad owner,office,Nowhere Council,,53.1,-1.2,,,"
        + "\nA5,Bad numbers,office,Ashfield District Council,,53.1,-1.2,closed,E,lots"
        + "\nA1,Duplicate,office,Ashfield District Council,,53.1,-1.2,,,\n",
    )
    report = GenericAssetImporter().run(path, commit=True)
    messages = [str(p) for p in report.errors]
    assert "assets.csv, row 3, column kind: ‘castle’ is not one of:" in messages[0]
    assert any(
        m.startswith("assets.csv, row 4, column latitude: 153.1 is outside the UK")
        for m in messages
    )
    assert any(
        "row 5, column owner: ‘Nowhere Council’ is not a partner organisation" in m
        for m in messages
    )
    assert any("row 6, column status: ‘closed’ is not one of" in m for m in messages)
    assert any("row 6, column condition: ‘E’ is not one of" in m for m in messages)
    assert any("row 6, column utilisation: ‘lots’ is not a number" in m for m in messages)
    assert any("row 7: duplicate: identifier" in m and "also on row 2" in m for m in messages)
    assert Asset.objects.count() == 0  # all or nothing: the good row was not written either
    assert not report.committed
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.REJECTED and len(run.problems) == len(report.problems)
    assert org.assets.count() == 0


def test_missing_columns_are_reported_on_the_header_row(tmp_path):
    path = write(tmp_path, "site,postcode\nSomewhere,NG1 1AA\n")
    report = GenericAssetImporter().run(path, commit=True)
    messages = [str(p) for p in report.errors]
    assert "assets.csv, row 1: missing column: name" in messages
    assert "assets.csv, row 1: missing column: reference (or uprn)" in messages
    assert (
        "assets.csv, row 1: missing column: owner (or choose the owning organisation)" in messages
    )


def test_dry_run_counts_but_writes_nothing_and_rerun_is_idempotent(tmp_path):
    org = OrganisationFactory(name="Mansfield District Council")
    path = write(
        tmp_path,
        "reference,name,kind,latitude,longitude,running cost,floor area\n"
        'M1,Civic Centre,office,53.145,-1.2,"£640,000",6200\n',
    )
    dry = GenericAssetImporter(owner=org).run(path)
    assert dry.created == 1 and not dry.committed and Asset.objects.count() == 0
    first = GenericAssetImporter(owner=org).run(path, commit=True)
    assert first.created == 1
    asset = Asset.objects.get()
    assert asset.identifier == "mansfield-district-council:M1"
    assert float(asset.annual_running_cost) == 640000 and asset.floor_area_m2 == 6200
    again = GenericAssetImporter(owner=org).run(path, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = write(tmp_path, path.read_text().replace("6200", "6300"), "changed.csv")
    assert GenericAssetImporter(owner=org).run(changed, commit=True).updated == 1
    assert Asset.objects.count() == 1


def test_easting_northing_and_postcode_only_rows(tmp_path):
    org = OrganisationFactory(name="Derby City Council")
    path = write(
        tmp_path,
        "reference,name,kind,easting,northing,postcode\n"
        "D1,Council House,office,435300,336200,\n"
        "D2,Somewhere,depot,,,DE1 9ZZ\n",
    )
    report = GenericAssetImporter(owner=org).run(path, commit=True)
    assert report.errors == []
    house = Asset.objects.get(reference="D1")
    assert 52.9 < house.lat < 52.95 and -1.48 < house.lon < -1.46
    assert Asset.objects.get(reference="D2").location_source == LocationSource.NONE
    assert "1 could not be placed" in report.summary()


def test_xlsx_files_are_read(tmp_path):
    org = OrganisationFactory(name="Chesterfield Borough Council")
    book = Workbook()
    sheet = book.active
    sheet.append(["Reference", "Name", "Kind", "Latitude", "Longitude", "Utilisation %"])
    sheet.append([101, "Town Hall", "Office", 53.236, -1.432, 50])
    path = tmp_path / "register.xlsx"
    book.save(path)
    report = GenericAssetImporter(owner=org).run(path, commit=True)
    assert report.errors == [], report.summary()
    asset = Asset.objects.get()
    assert (asset.reference, asset.kind, asset.utilisation_percent) == ("101", "office", 50)


def test_an_editor_may_only_import_their_own_organisations_assets(tmp_path):
    mine = OrganisationFactory(name="Mansfield District Council")
    OrganisationFactory(name="Ashfield District Council")
    editor = member("editor", mine)
    path = write(
        tmp_path,
        "reference,name,kind,owner\nX1,Mine,office,Mansfield District Council\n"
        "X2,Theirs,office,Ashfield District Council\n",
    )
    report = GenericAssetImporter().run(path, by=editor, commit=True)
    assert [str(p) for p in report.errors] == [
        "assets.csv, row 3, column owner: you are not an editor of Ashfield District Council"
    ]
    assert Asset.objects.count() == 0
    with pytest.raises(PermissionDenied):
        GenericAssetImporter(owner=mine).run(path, by=UserFactory(), commit=True)


def test_a_non_administrator_cannot_create_owners_through_a_standard_file(tmp_path):
    editor = member("editor")
    report = NhsSitesImporter().run(HOSPITALS, by=editor, commit=True)
    assert report.errors and "is not a partner organisation yet" in str(report.errors[0])
    assert Asset.objects.count() == 0 and not Organisation.objects.filter(ods_code="RX1").exists()


def test_malformed_epraccur_rows_are_reported(tmp_path):
    path = write(tmp_path, '"C84001","THE SURGERY","Y60"\n', "epraccur.csv")
    report = OdsGpImporter().run(path)
    assert "row 1: has 3 columns; the epraccur layout has 27" in str(report.errors[0])


# --- Open Referral UK ------------------------------------------------------------------------


def hsds_service(**overrides):
    service = {
        "id": "svc-1",
        "name": "Lunch club",
        "organization": {"id": "org-1", "name": "Friends of the Park"},
        "service_at_locations": [
            {
                "location": {
                    "id": "loc-1",
                    "name": "Community hall",
                    "latitude": 53.144,
                    "longitude": -1.2,
                    "physical_addresses": [{"address_1": "1 Park Road", "postal_code": "NG18 1AA"}],
                }
            }
        ],
        "contacts": [{"name": "Sam", "phones": [{"number": "01623 000000"}]}],
        "regular_schedules": [{"byday": "TU", "opens_at": "12:00", "closes_at": "14:00"}],
        "service_areas": [{"service_area": "Mansfield"}],
    }
    service.update(overrides)
    return service


def test_hsds_import_round_trips_through_export(tmp_path, areas):
    cvs = OrganisationFactory(name="Mansfield CVS", sector="vcs")
    path = write(tmp_path, json.dumps({"content": [hsds_service()]}), "services.json")
    report = HsdsImporter(owner=cvs).run(path, commit=True)
    assert report.errors == [] and report.created == 1
    service = CommunityService.objects.get()
    assert service.contact_phone == "01623 000000" and service.schedules[0]["byday"] == "TU"
    assert list(service.areas_served.all()) == [areas["lad"]]  # "Mansfield" matched by name
    assert {a.type for a in service.located_in.all()} == {"lsoa", "ward", "lad", "place"}
    exported = to_hsds(service)
    assert exported["organization"]["name"] == "Friends of the Park"
    assert (
        exported["service_at_locations"][0]["location"]["physical_addresses"][0]["postal_code"]
        == "NG18 1AA"
    )
    path2 = write(tmp_path, json.dumps([exported]), "again.json")
    assert HsdsImporter(owner=cvs).run(path2, commit=True).unchanged == 1


def test_hsds_problems_name_the_service_and_field(tmp_path):
    cvs = OrganisationFactory(name="Mansfield CVS", sector="vcs")
    bad = [
        hsds_service(id="", email="not-an-email"),
        hsds_service(id="svc-2", organization={}),
        hsds_service(id="svc-3", regular_schedules=[{"byday": "XX"}]),
    ]
    report = HsdsImporter(owner=cvs).run(write(tmp_path, json.dumps(bad), "s.json"), commit=True)
    messages = [str(p) for p in report.errors]
    assert "s.json, row 1, column id: is missing; every service needs its HSDS id" in messages
    assert "s.json, row 1, column email: ‘not-an-email’ is not an e-mail address" in messages
    assert "s.json, row 2, column organization.name: is missing" in messages
    assert any("row 3, column regular_schedules[0].byday" in m for m in messages)
    assert CommunityService.objects.count() == 0
    not_json = HsdsImporter(owner=cvs).run(write(tmp_path, "{nope", "x.json"))
    assert "is not valid JSON" in str(not_json.errors[0])


def test_site_boundaries_are_read_as_geojson_or_wkt_and_checked(tmp_path):
    org = OrganisationFactory(name="Derby City Council")
    square = "POLYGON((-1.48 52.92, -1.47 52.92, -1.47 52.93, -1.48 52.93, -1.48 52.92))"
    path = write(
        tmp_path,
        "reference,name,kind,site_boundary\n"
        f'B1,Park,green space,"{square}"\n'
        'B2,Bad,green space,"POINT(-1.4 52.9)"\n'
        'B3,Worse,green space,"not a shape"\n',
    )
    report = GenericAssetImporter(owner=org).run(path, commit=True)
    messages = [str(p) for p in report.errors]
    assert messages == [
        "assets.csv, row 3, column site_boundary: must be a valid Polygon or MultiPolygon",
        "assets.csv, row 4, column site_boundary: is not a GeoJSON or WKT polygon",
    ]
    good = write(
        tmp_path, f'reference,name,kind,site_boundary\nB1,Park,green space,"{square}"\n', "ok.csv"
    )
    assert GenericAssetImporter(owner=org).run(good, commit=True).created == 1
    assert json.loads(Asset.objects.get().boundary_geojson)["type"] == "Polygon"
