"""Populations: published figures, apportioned to the 2021 LSOAs, summed up the hierarchy."""

from __future__ import annotations

import csv

from placeworks.places import queries
from placeworks.places.ingest import PopulationImporter
from placeworks.places.models import Area, AreaType

from .conftest import DATA, FIXTURES, MANSFIELD, area

SAPE = DATA / "population" / "sape22_mid2019_lsoa11_single_year_age_north_midlands.csv"


def _sape_total(lsoa_code: str) -> int:
    with SAPE.open(encoding="utf-8") as handle:
        return sum(
            sum(int(v) for k, v in row.items() if k.startswith("age_"))
            for row in csv.DictReader(handle)
            if row["lsoa_code"] == lsoa_code
        )


def test_lsoa_population_is_both_sexes_and_every_age_summed(geography):
    lsoa = area("E01028224", type="lsoa", vintage="2011")
    assert lsoa.population == _sape_total("E01028224")
    assert lsoa.population_year == 2019 and lsoa.population_method == "direct"


def test_district_population_is_the_sum_of_its_lsoas(geography):
    mansfield = area(MANSFIELD)
    lsoas = queries.descendants(mansfield, AreaType.LSOA, "2011")
    assert mansfield.population == sum(a.population for a in lsoas) == 109_313
    assert mansfield.population_method == "summed"
    assert "Sum of its 67 LSOAs (2011), published figures" in mansfield.population_source


def test_2021_lsoas_share_the_2011_totals_exactly(geography):
    for lad in ("E07000170", "E07000174", "E07000175"):
        district = area(lad)
        old = sum(a.population for a in queries.descendants(district, "lsoa", "2011"))
        new = sum(a.population for a in queries.descendants(district, "lsoa", "2021"))
        assert old == new
    new_lsoa = area("E01028224", type="lsoa", vintage="2021")
    assert new_lsoa.population_method == "apportioned"
    assert "Apportioned from LSOA 2011" in new_lsoa.population_source


def test_2024_wards_use_the_apportioned_2021_lsoas_and_say_so(geography):
    ward = area("E05014614")  # Central, Mansfield (2024)
    assert ward.population is not None
    assert "LSOAs (2021), apportioned figures" in ward.population_source


def test_partial_areas_show_no_total(geography):
    for code in ("E12000004", "E92000001", "E10000024"):
        partial = area(code)
        assert partial.is_partial and partial.population is None


def test_place_area_population_sums_its_districts(geography):
    mid_notts = area("PLACE-MID-NOTTS")
    assert mid_notts.population == sum(
        area(code).population for code in ("E07000170", "E07000174", "E07000175")
    )


def test_bad_values_are_reported_by_row_and_column(geography):
    report = PopulationImporter(vintage="2011", year=2019).run(FIXTURES / "populations_bad.csv")
    found = {(p.row, p.column): p.message for p in report.errors}
    assert "is not an LSOA code" in found[(3, "LSOA11CD")]
    assert "‘lots’ is not a population" in found[(4, "population")]
    assert "E01099999 is not a loaded LSOA (2011)" in found[(5, "LSOA11CD")]
    assert "‘-5’ is not a population" in found[(6, "population")]
    assert not report.committed


def test_year_is_read_from_the_heading(geography):
    path = DATA / "iod2019" / "File_6_-_IoD2019_Population_Denominators.csv.gz"
    report = PopulationImporter(existing_only=True).run(path)
    assert not report.errors, [str(p) for p in report.errors[:3]]
    assert report.created == 0 and report.updated > 200  # would replace mid-2019 with mid-2015
    assert "left out (--existing-only)" in " ".join(report.notes)
    assert area("E01028224", type="lsoa", vintage="2011").population_year == 2019  # dry run


def test_without_a_year_the_file_is_rejected(db, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("lsoa_code,population\nE01028224,1500\n")
    report = PopulationImporter(vintage="2011").run(path)
    assert "say which year" in str(report.errors[0])


def test_reimport_is_unchanged(geography):
    report = PopulationImporter(
        vintage="2011",
        year=2019,
        existing_only=True,
        source="ONS mid-2019 LSOA population estimates (SAPE22DT2), persons",
    ).run(SAPE, commit=True)
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == Area.objects.filter(type="lsoa", vintage="2011").count()


def test_a_file_with_one_bad_row_writes_nothing_even_with_commit(geography, tmp_path):
    # The real mid-2019 file for Mansfield's LSOAs, with one figure spoiled near the end.
    with SAPE.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    mansfield = {a.code for a in queries.descendants(area(MANSFIELD), "lsoa", "2011")}
    body = [row for row in body if row[header.index("lsoa_code")] in mansfield]
    age = header.index("age_30")
    for row in body[:-1]:  # every good row would change the figures ...
        row[age] = str(int(row[age]) * 2 + 1)
    body[-1][age] = "n/a"  # ... but the last row is wrong
    path = tmp_path / "sape_mansfield_one_bad.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *body])
    before = dict(
        Area.objects.filter(type="lsoa", vintage="2011").values_list("code", "population")
    )
    report = PopulationImporter(vintage="2011", year=2019).run(path, commit=True)
    assert not report.committed
    assert [(p.row, p.column) for p in report.errors] == [(len(body) + 1, "age_30")]
    assert "‘n/a’ is not a population" in str(report.errors[0])
    after = dict(Area.objects.filter(type="lsoa", vintage="2011").values_list("code", "population"))
    assert after == before
