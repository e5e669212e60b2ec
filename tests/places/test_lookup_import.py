"""The lookup importer: column detection, the hierarchy, problems by file, row and column, all
or nothing, idempotent re-runs, crosswalk files."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from placeworks.audit.models import ImportRun
from placeworks.places import queries
from placeworks.places.ingest import LookupImporter
from placeworks.places.models import Area, AreaRelation, AreaType, Crosswalk, CrosswalkWeight

from .conftest import DATA, FIXTURES, MANSFIELD, area


def messages(report):
    return [str(p) for p in report.problems]


def test_rejects_malformed_codes_naming_file_row_and_column(geography):
    report = LookupImporter().run(FIXTURES / "lookup_bad_codes.csv", commit=True)
    found = messages(report)
    assert not report.committed
    assert any(
        m.startswith("lookup_bad_codes.csv, row 3, column LSOA21CD: 'E0102825' is not an LSOA code")
        for m in found
    ), found
    assert any(
        "row 4, column WD24CD: 'E07000174' is not an electoral ward code" in m for m in found
    ), found
    assert any("row 5, column LSOA21CD: lsoa 2021 code is empty" in m for m in found), found
    assert ImportRun.objects.filter(
        file_name="lookup_bad_codes.csv", status=ImportRun.Status.REJECTED
    ).exists()


def test_writes_nothing_when_one_row_is_wrong(geography):
    before = (Area.objects.count(), AreaRelation.objects.count())
    report = LookupImporter().run(FIXTURES / "lookup_good_and_one_bad.csv", commit=True)
    assert [str(p) for p in report.errors] == [
        "lookup_good_and_one_bad.csv, row 4, column LAD24CD: 'E0700017' is not a local "
        "authority district code (expected E06, E07, E08, E09, W06, S12 or N09 and 6 digits, "
        "e.g. E07000174)"
    ]
    assert (Area.objects.count(), AreaRelation.objects.count()) == before


def test_a_file_without_code_columns_is_rejected_with_what_was_expected(db):
    report = LookupImporter().run(FIXTURES / "lookup_no_code_columns.csv")
    assert len(report.errors) == 1
    message = str(report.errors[0])
    assert "no area code columns found" in message
    assert "LSOA21CD" in message and "found: area, parent, population" in message


def test_an_lsoa_with_two_wards_is_an_error_naming_both(db):
    report = LookupImporter().run(FIXTURES / "lookup_two_parents.csv")
    (problem,) = report.errors
    assert problem.row == 2 and problem.column == "LSOA21CD"
    assert "E05014610 (row 2)" in problem.message and "E05014611 (row 4)" in problem.message


def test_real_lookup_builds_the_hierarchy_for_a_district(geography):
    mansfield = area(MANSFIELD)
    wards = queries.children(mansfield, AreaType.WARD)
    assert wards.count() == 35 and {w.vintage for w in wards} == {"2024"}
    lsoas = queries.descendants(mansfield, AreaType.LSOA)
    assert lsoas.count() == 68 and {a.vintage for a in lsoas} == {"2021"}
    assert queries.descendants(mansfield, AreaType.LSOA, "2011").count() == 67
    # Wards named in the lookup; LSOAs link to wards, not straight to the district.
    assert not AreaRelation.objects.filter(child__type=AreaType.LSOA, parent=mansfield).exists()


def test_dry_run_counts_but_writes_nothing(geography):
    before = Area.objects.count()
    report = LookupImporter(within=["E07000171"]).run(
        DATA / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz"
    )
    assert not report.committed and report.created > 60  # Bassetlaw's LSOAs and wards
    assert Area.objects.count() == before
    assert ImportRun.objects.filter(status=ImportRun.Status.DRY_RUN).exists()


def test_re_running_a_lookup_updates_in_place(geography):
    path = DATA / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz"
    before = (Area.objects.count(), AreaRelation.objects.count())
    report = LookupImporter(within=[MANSFIELD]).run(path, commit=True)
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == 68 + 35 + 1
    assert (Area.objects.count(), AreaRelation.objects.count()) == before


def test_a_changed_parent_replaces_the_old_one(geography, tmp_path):
    lsoa = area("E01028224", type="lsoa", vintage="2021")
    old_ward = AreaRelation.objects.get(child=lsoa, parent__type="ward").parent
    path = tmp_path / "fix.csv"
    path.write_text("LSOA21CD,WD24CD,WD24NM\nE01028224,E05014611,Berry Hill\n")
    report = LookupImporter().run(path, commit=True)
    assert report.updated == 1 and report.created == 0
    wards = list(AreaRelation.objects.filter(child=lsoa, parent__type="ward"))
    assert [r.parent.code for r in wards] == ["E05014611"] != [old_ward.code]


def test_within_keeps_only_rows_about_those_areas_and_marks_partial_parents(geography):
    county = area("E10000024")
    assert county.is_partial  # only 3 of Nottinghamshire's 7 districts are loaded
    assert "more rows inside it" in county.coverage_note
    assert county.population is None and "only part" in county.population_source


def test_unitary_in_a_county_or_unitary_column_goes_straight_to_the_region(db):
    report = LookupImporter().run(FIXTURES / "lookup_county_unitary.csv", commit=True)
    assert report.committed, messages(report)
    derby = Area.objects.get(type="lad", code="E06000015")
    parents = set(AreaRelation.objects.filter(child=derby).values_list("parent__code", flat=True))
    assert parents == {"E12000004"}
    assert not Area.objects.filter(type="county", code="E06000015").exists()
    mansfield = Area.objects.get(type="lad", code="E07000174")
    assert set(
        AreaRelation.objects.filter(
            child=mansfield, parent__type__in=["county", "region"]
        ).values_list("parent__code", flat=True)
    ) == {"E10000024"}


def test_two_vintages_of_one_type_make_a_crosswalk(geography):
    crosswalk = Crosswalk.objects.get(name="lsoa 2011 to lsoa 2021 (lookup)")
    assert crosswalk.method == Crosswalk.Method.LOOKUP
    assert "by the area of overlap" in crosswalk.description
    # Each 2011 LSOA's weights sum to 1; the split one in Mansfield goes to two 2021 LSOAs.
    split = CrosswalkWeight.objects.filter(crosswalk=crosswalk, source__code="E01028241")
    assert split.count() == 2
    assert sum(w.weight for w in split) == pytest.approx(1.0)
    assert all(0 < w.weight < 1 for w in split)


def test_crosswalk_file_with_areas_not_loaded_is_rejected(db, tmp_path):
    path = tmp_path / "lsoa11_lsoa21.csv"
    path.write_text("F_LSOA11CD,LSOA21CD,CHGIND\nE01099998,E01099998,U\n")
    report = LookupImporter().run(path, commit=True)
    assert not report.committed
    assert "row 2, column F_LSOA11CD: E01099998 is not a loaded lsoa 2011" in str(report.errors[0])


def test_command_is_a_dry_run_unless_commit(geography, capsys):
    before = Area.objects.count()
    call_command(
        "import_lookup",
        str(DATA / "lsoa_ward_lad_lookup" / "WD19_LAD19_UK_LU.csv"),
        "--within",
        "E07000171",
        verbosity=0,
    )
    out = capsys.readouterr().out
    assert "Dry run: would create" in out and "add --commit" in out
    assert Area.objects.count() == before


def test_command_fails_with_the_problems(db):
    with pytest.raises(CommandError) as caught:
        call_command("import_lookup", str(FIXTURES / "lookup_bad_codes.csv"), verbosity=0)
    assert "Rejected" in str(caught.value) and "row 3, column LSOA21CD" in str(caught.value)


def test_vintage_option_must_name_a_type(db):
    with pytest.raises(CommandError, match="TYPE=YEAR"):
        call_command(
            "import_lookup", str(FIXTURES / "lookup_bad_codes.csv"), "--vintage", "wards=2023"
        )


def test_lookup_columns_of_any_year_are_detected(geography):
    # The 2017 ward lookup has lower-case headings (lsoa11_code, ward17_code) and no names.
    report = LookupImporter(within=[MANSFIELD]).run(
        DATA / "geography" / "lookup_lsoa11_ward17.csv.gz"
    )
    assert not report.errors, messages(report)
    assert "Areas in the file: 67 lsoa 2011, 36 ward 2021." in report.notes
    assert report.created == 0  # the 2017 codes are the 2021 wards already loaded


def test_a_wider_within_makes_a_partly_loaded_parent_whole_again(geography):
    from placeworks.places.demo import NORTH_MIDLANDS

    path = DATA / "lad_county_region" / "LAD19_CTY19_RGN19_CTRY19_north_midlands.csv"
    assert area("E10000024").is_partial  # the test subset has 3 of Nottinghamshire's districts
    report = LookupImporter(within=NORTH_MIDLANDS).run(path, commit=True)
    assert report.committed, messages(report)
    county = area("E10000024")
    assert not county.is_partial and county.coverage_note == ""
    assert report.updated >= 1
    # A mark this file did not write (the demo's note on the region) is left alone.
    region = area("E12000004")
    assert region.is_partial and "North Midlands part" in region.coverage_note
    # Narrowing again marks it partial again.
    LookupImporter(within=[MANSFIELD]).run(path, commit=True)
    assert area("E10000024").is_partial
