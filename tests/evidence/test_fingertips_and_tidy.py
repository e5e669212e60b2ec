"""Fingertips data exports and partners' tidy files."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from placeworks.evidence.ingest import FingertipsImporter, TidyImporter, template_csv, template_xlsx
from placeworks.evidence.models import Basis, Indicator, Observation, SourceKind
from placeworks.stats import proportion, rate
from tests.factories import OrganisationFactory, member

from .conftest import FIXTURES


def text(report):  # type: ignore[no-untyped-def]
    return "\n".join(str(p) for p in report.problems)


def test_fingertips_export_imports_loaded_areas_and_warns_about_others(geography):  # type: ignore[no-untyped-def]
    report = FingertipsImporter(theme="children-young-people").run(
        FIXTURES / "fingertips_export.csv", commit=True
    )
    assert not report.errors, report.summary()
    assert "E06000016 (row 8)" in text(report)  # Leicester is not loaded: a warning
    assert report.warnings
    indicator = Indicator.objects.get(code="fingertips-90323")
    assert (indicator.value_type, indicator.multiplier, indicator.unit) == ("proportion", 100, "%")
    assert indicator.polarity == "higher_is_worse"  # from the export's own "Worse" verdicts
    assert indicator.theme.slug == "children-young-people"
    mansfield = Observation.objects.get(
        indicator=indicator, area=geography["E07000174"], period="2022"
    )
    assert mansfield.value == pytest.approx(250 / 6000 * 100) and mansfield.lower is not None
    assert mansfield.basis == Basis.PUBLISHED
    england = Observation.objects.get(indicator=indicator, area=geography["england"])
    assert england.value == pytest.approx(2.9)
    # category breakdowns are left out and counted
    assert any("deprivation deciles" in n for n in report.notes)
    # a suppressed value is stored as suppressed, with its note
    suppressed = Observation.objects.get(indicator=indicator, period="2021")
    assert suppressed.suppressed and suppressed.value is None
    assert "disclosure" in suppressed.note


def test_fingertips_district_values_roll_up_to_the_place_with_wilson_limits(geography):  # type: ignore[no-untyped-def]
    FingertipsImporter().run(FIXTURES / "fingertips_export.csv", commit=True)
    place = Observation.objects.get(
        indicator__code="fingertips-90323", area=geography["place"], period="2022"
    )
    # only Mansfield of Mid-Nottinghamshire is loaded in this small geography
    expected = proportion(250, 6000, multiplier=100)
    assert place.basis == Basis.ROLLUP
    assert (place.value, place.lower, place.upper) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )
    # the county is published in the export, so it is not overwritten
    county = Observation.objects.filter(indicator__code="fingertips-90323", area__code="E10000024")
    assert all(o.basis == Basis.PUBLISHED for o in county)


def test_fingertips_bad_rows_are_refused_with_row_and_column(geography):  # type: ignore[no-untyped-def]
    report = FingertipsImporter().run(FIXTURES / "fingertips_bad.csv", commit=True)
    assert report.errors
    assert "row 5, column Value: the value 9.99 is outside its confidence limits" in text(report)
    assert "row 6, column Count: expected a number, found 'many'" in text(report)
    assert not Observation.objects.exists()


def test_a_file_that_is_not_a_fingertips_export_is_refused(geography):  # type: ignore[no-untyped-def]
    report = FingertipsImporter().run(FIXTURES / "tidy_food_bank.csv", commit=True)
    assert "not a Fingertips data export: missing the column(s) Indicator ID" in text(report)


def test_tidy_file_creates_a_partner_indicator_and_estimates_rates(data):  # type: ignore[no-untyped-def]
    council = OrganisationFactory(name="Mansfield District Council")
    editor = member("editor", organisation=council)
    report = TidyImporter(organisation=council).run(
        FIXTURES / "tidy_food_bank.csv", by=editor, commit=True
    )
    assert not report.errors, report.summary()
    indicator = Indicator.objects.get(code="food-bank-referrals")
    assert indicator.source_kind == SourceKind.PARTNER and indicator.organisation == council
    obs = Observation.objects.get(indicator=indicator, area=data["areas"]["E07000174"])
    expected = rate(412, 110_000, multiplier=1000)
    assert (obs.value, obs.lower, obs.upper) == pytest.approx(
        (expected.value, expected.lower, expected.upper)
    )
    assert obs.basis == Basis.PARTNER
    # the three districts roll up to Mid-Nottinghamshire, re-estimated from the summed counts
    place = Observation.objects.get(indicator=indicator, area=data["areas"]["place"])
    assert place.value == pytest.approx(rate(412 + 380 + 295, 361_000, multiplier=1000).value)
    assert place.basis == Basis.ROLLUP
    assert any("New indicator food-bank-referrals" in n for n in report.notes)


def test_tidy_unknown_areas_are_errors_with_counts_and_examples(geography):  # type: ignore[no-untyped-def]
    report = TidyImporter().run(FIXTURES / "tidy_unknown_area.csv", commit=True)
    message = text(report)
    assert "area code(s) in" in message and "E07000999 (row 5)" in message
    assert "row 5, column area_code: unknown area code 'E07000999'" in message
    assert report.errors and not Observation.objects.exists()


def test_tidy_bad_rows_say_what_to_fix(geography):  # type: ignore[no-untyped-def]
    report = TidyImporter().run(FIXTURES / "tidy_bad_rows.csv", commit=True)
    message = text(report)
    assert "row 3, column indicator: there is no indicator 'no-such-indicator'" in message
    assert "row 4, column value: expected a number, found 'abc'" in message


def test_partners_cannot_change_official_indicators(data, tmp_path):  # type: ignore[no-untyped-def]
    editor = member("editor")
    path = tmp_path / "official.csv"
    path.write_text("area_code,indicator,period,value\nE07000174,iod-imd-score,2025,1.0\n")
    report = TidyImporter().run(path, by=editor, commit=True)
    assert "iod-imd-score is an official indicator: you cannot change its data" in text(report)
    viewer = member("viewer")
    with pytest.raises(PermissionDenied):
        TidyImporter().run(path, by=viewer, commit=True)


def test_templates_have_every_column():
    header = template_csv().splitlines()[0].split(",")
    assert header[:3] == ["area_code", "indicator", "period"]
    assert {"value", "count", "denominator", "lower", "upper"} <= set(header)
    assert template_xlsx()[:2] == b"PK"
