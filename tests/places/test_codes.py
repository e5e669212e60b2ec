"""Area codes and lookup column headings."""

from __future__ import annotations

import pytest

from placeworks.places.codes import code_problem, detect_columns, is_unitary_code, read_heading


@pytest.mark.parametrize(
    ("area_type", "code"),
    [
        ("lsoa", "E01028224"),
        ("lsoa", "W01000001"),
        ("msoa", "E02005887"),
        ("ward", "E05014614"),
        ("lad", "E07000174"),
        ("lad", "E06000015"),
        ("county", "E10000024"),
        ("region", "E12000004"),
        ("country", "E92000001"),
        ("icb", "E54000060"),
        ("sicbl", "E38000243"),
        ("gp_practice", "C84001"),
        ("pcn", "U12345"),
        ("place", "PLACE-MID-NOTTS"),
    ],
)
def test_valid_codes_pass(area_type, code):
    assert code_problem(area_type, code) is None


@pytest.mark.parametrize(
    ("area_type", "code", "expected"),
    [
        ("lsoa", "E0102822", "is not an LSOA code"),
        ("lsoa", "E05014614", "expected E01, W01 or S01"),
        ("ward", "E07000174", "is not an electoral ward code"),
        ("lad", "E10000024", "e.g. E07000174"),
        ("gp_practice", "1234", "a letter and 5 digits"),
        ("place", "mid notts!", "capital letters"),
        ("lsoa", "", "empty"),
    ],
)
def test_invalid_codes_say_what_was_expected(area_type, code, expected):
    problem = code_problem(area_type, code)
    assert problem is not None and expected in problem


def test_unitary_authorities_have_no_county():
    assert is_unitary_code("E06000018") and not is_unitary_code("E07000174")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("LSOA11CD", ("lsoa", "2011", "code")),
        ("LSOA21NM", ("lsoa", "2021", "name")),
        ("F_LSOA11CD", ("lsoa", "2011", "code")),
        ("WD24CD", ("ward", "2024", "code")),
        ("WD19NM", ("ward", "2019", "name")),
        ("LAD19CD", ("lad", "2019", "code")),
        ("CTY19CD", ("county", "2019", "code")),
        ("CTYUA21CD", ("county", "2021", "code")),
        ("RGN19CD", ("region", "2019", "code")),
        ("CTRY19NM", ("country", "2019", "name")),
        ("ward17_code", ("ward", "2017", "code")),
        ("lsoa11_code", ("lsoa", "2011", "code")),
        ("sicbl22_name", ("sicbl", "2022", "name")),
        ("icb22_code", ("icb", "2022", "code")),
        ("ltla22_code", ("lad", "2022", "code")),
        ("LSOA code (2011)", ("lsoa", "2011", "code")),
        ("Local Authority District name (2019)", ("lad", "2019", "name")),
    ],
)
def test_headings_are_read_into_type_vintage_and_kind(header, expected):
    heading = read_heading(header)
    assert heading is not None
    assert (heading.type, heading.vintage, heading.kind) == expected


@pytest.mark.parametrize(
    "header", ["ObjectId", "FID", "CHGIND", "LAD22NMW", "icb22_code_h", "age_0"]
)
def test_other_headings_are_not_area_columns(header):
    assert read_heading(header) is None


def test_detect_columns_pairs_codes_with_names():
    levels, other = detect_columns(
        ["F_LSOA11CD", "LSOA11NM", "LSOA21CD", "LSOA21NM", "CHGIND", "LAD22CD", "LAD22NMW"]
    )
    assert [(lv.type, lv.vintage, lv.code, lv.name) for lv in levels] == [
        ("lsoa", "2011", "F_LSOA11CD", "LSOA11NM"),
        ("lsoa", "2021", "LSOA21CD", "LSOA21NM"),
        ("lad", "2022", "LAD22CD", None),
    ]
    assert other == ["CHGIND"]
