"""Crosswalks: apportioning conserves totals (property-based), the overlap crosswalk between
ward vintages, and population-weighted crosswalks from GP registration counts."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placeworks.places import queries
from placeworks.places.ingest import CountCrosswalkImporter
from placeworks.places.models import Area, Crosswalk, CrosswalkWeight

from .conftest import FIXTURES

sources = st.lists(st.sampled_from([f"S{i}" for i in range(8)]), min_size=1, unique=True)


@st.composite
def crosswalks(draw):
    """Values for some sources, and weights from each source to one or more targets."""
    codes = draw(sources)
    weights = {}
    for code in codes:
        targets = draw(
            st.lists(st.sampled_from([f"T{i}" for i in range(6)]), min_size=1, unique=True)
        )
        for target in targets:
            weights[(code, target)] = draw(st.floats(min_value=0.001, max_value=1000))
    values = {code: draw(st.floats(min_value=0, max_value=1e9)) for code in codes}
    return values, weights


@given(crosswalks())
def test_apportioning_conserves_the_total(case):
    values, weights = case
    out = queries.apportion_by(values, weights)
    assert math.isclose(sum(out.values()), sum(values.values()), rel_tol=1e-9, abs_tol=1e-6)
    assert all(v >= 0 for v in out.values())


@given(crosswalks())
def test_apportioning_whole_counts_conserves_the_total_exactly(case):
    values, weights = case
    counts = {k: int(v) for k, v in values.items()}
    out = queries.apportion_counts_by(counts, weights)
    assert sum(out.values()) == sum(counts.values())
    assert all(isinstance(v, int) and v >= 0 for v in out.values())


@given(crosswalks())
def test_sources_without_weights_are_left_out_not_invented(case):
    values, weights = case
    values = {**values, "UNMAPPED": 5.0}
    out = queries.apportion_by(values, weights)
    assert math.isclose(sum(out.values()), sum(values.values()) - 5.0, rel_tol=1e-9, abs_tol=1e-6)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # the test only reads the geography
@given(
    st.dictionaries(st.sampled_from(["E01028224", "E01028241", "E01028257"]), st.integers(0, 5000))
)
def test_database_crosswalk_conserves_counts(geography, values):
    out = queries.apportion_counts(values, "lsoa 2011 to lsoa 2021 (lookup)")
    assert sum(out.values()) == sum(values.values())


def test_ward_2021_to_2024_overlap_crosswalk(geography):
    crosswalk = Crosswalk.objects.get(name="ward 2021 to ward 2024 (area overlap)")
    assert crosswalk.method == Crosswalk.Method.OVERLAP
    old_wards = Area.objects.filter(type="ward", vintage="2021")
    assert old_wards.exists()
    for ward in old_wards:
        weights = CrosswalkWeight.objects.filter(crosswalk=crosswalk, source=ward)
        assert weights.exists(), ward
        assert sum(w.weight for w in weights) == pytest.approx(1.0)
        assert all(w.target.vintage == "2024" for w in weights)
    # An old ward's figures can be carried to the current wards.
    ward = old_wards.first()
    carried = queries.apportion({ward.code: 1000.0}, crosswalk)
    assert sum(carried.values()) == pytest.approx(1000.0)


def test_gp_registrations_make_population_crosswalks_both_ways(geography):
    report = CountCrosswalkImporter(target_vintage="2011").run(
        FIXTURES / "gp_practice_lsoa_sample.csv", commit=True
    )
    assert report.committed, [str(p) for p in report.problems]
    assert "1 lsoa codes are not loaded" in str(report.warnings[0])
    practice = Area.objects.get(type="gp_practice", code="C84001")
    assert practice.name == "TEST SURGERY ONE"
    forward = queries.crosswalk_weights("gp_practice to lsoa 2011 (registered patients)")
    assert forward[("C84001", "E01028224")] == pytest.approx(600 / 900)
    assert forward[("C84002", "E01028257")] == pytest.approx(1.0)
    backward = queries.crosswalk_weights("lsoa 2011 to gp_practice (registered patients)")
    assert backward[("E01028257", "C84001")] == pytest.approx(0.75)
    assert queries.apportion_counts(
        {"C84001": 90}, "gp_practice to lsoa 2011 (registered patients)"
    ) == {
        "E01028224": 60,
        "E01028257": 30,
    }
    again = CountCrosswalkImporter(target_vintage="2011").run(
        FIXTURES / "gp_practice_lsoa_sample.csv", commit=True
    )
    assert again.created == 0
    assert "0 added, 0 changed, 0 removed" in " ".join(again.notes)


def test_bad_gp_registration_rows_are_named_and_nothing_is_written(geography, tmp_path):
    good = (FIXTURES / "gp_practice_lsoa_sample.csv").read_text().splitlines()
    path = tmp_path / "gp_reg_bad.csv"
    path.write_text(
        "\n".join(
            [
                *good,
                "GP_PRAC_PAT_LIST,01JAN2024,XX,BAD PRACTICE,E01028224,ALL,5",
                "GP_PRAC_PAT_LIST,01JAN2024,C84001,TEST SURGERY ONE,E0102822,ALL,5",
                "GP_PRAC_PAT_LIST,01JAN2024,C84001,TEST SURGERY ONE,E01028224,ALL,lots",
            ]
        )
        + "\n"
    )
    report = CountCrosswalkImporter(target_vintage="2011").run(path, commit=True)
    assert not report.committed
    assert [str(p) for p in report.errors] == [
        "gp_reg_bad.csv, row 7, column PRACTICE_CODE: 'XX' is not a GP practice ODS code "
        "(a letter and 5 digits, e.g. C84001)",
        "gp_reg_bad.csv, row 8, column LSOA_CODE: 'E0102822' is not an LSOA code (expected E01, "
        "W01 or S01 and 6 digits, e.g. E01028330)",
        "gp_reg_bad.csv, row 9, column NUMBER_OF_PATIENTS: ‘lots’ is not a count (a whole number)",
    ]
    assert not Area.objects.filter(type="gp_practice").exists()
    assert not Crosswalk.objects.filter(name__contains="registered patients").exists()


def test_a_file_without_the_count_columns_says_what_was_expected(db, tmp_path):
    path = tmp_path / "gp.csv"
    path.write_text("PRACTICE,LSOA,PEOPLE\nC84001,E01028224,5\n")
    (problem,) = CountCrosswalkImporter().run(path).errors
    assert "cannot find the source code, target code, count column(s)" in str(problem)
    assert "PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS; found: PRACTICE, LSOA, PEOPLE" in str(
        problem
    )
