"""The command-line front doors, the demo loader, inequality and change between releases."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from placeworks.evidence import queries
from placeworks.evidence.models import Observation
from placeworks.places.models import Area

from .conftest import FIXTURES


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_iod_is_a_dry_run_unless_told_to_commit(geography):  # type: ignore[no-untyped-def]
    output = run("import_iod", str(FIXTURES / "iod2025_mansfield.csv"), "--verbosity", "0")
    assert "Dry run" in output and not Observation.objects.exists()
    output = run(
        "import_iod", str(FIXTURES / "iod2025_mansfield.csv"), "--commit", "--verbosity", "0"
    )
    assert "Imported:" in output and Observation.objects.exists()


def test_import_iod_takes_several_files_and_a_release(geography):  # type: ignore[no-untyped-def]
    output = run(
        "import_iod",
        str(FIXTURES / "iod2025_mansfield.csv"),
        str(FIXTURES / "file7_official_headers_mansfield.csv"),
        "--release",
        "2025",
        "--commit",
        "--verbosity",
        "0",
    )
    assert "Imported:" in output


def test_import_iod_fails_with_the_problems(geography):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="row 3, column lsoa21_code"):
        run("import_iod", str(FIXTURES / "bad_lsoa_codes.csv"), "--commit", "--verbosity", "0")


def test_import_fingertips_and_evidence_commands(geography):  # type: ignore[no-untyped-def]
    output = run(
        "import_fingertips",
        str(FIXTURES / "fingertips_export.csv"),
        "--theme",
        "children-young-people",
        "--commit",
        "--verbosity",
        "0",
    )
    assert "Imported:" in output and "not in the loaded geography" in output
    with pytest.raises(CommandError, match="No organisation with slug"):
        run("import_evidence", str(FIXTURES / "tidy_food_bank.csv"), "--organisation", "nobody")
    with pytest.raises(CommandError, match="unknown area code"):
        run("import_evidence", str(FIXTURES / "tidy_food_bank.csv"), "--commit", "--verbosity", "0")


def test_aggregate_evidence_rebuilds_rollups(geography):  # type: ignore[no-untyped-def]
    run("import_iod", str(FIXTURES / "iod2025_mansfield.csv"), "--commit", "--verbosity", "0")
    Observation.objects.filter(basis="rollup").delete()
    output = run("aggregate_evidence", "--indicator", "iod-imd-score")
    assert "created" in output
    assert Observation.objects.filter(basis="rollup", indicator__code="iod-imd-score").exists()
    with pytest.raises(CommandError, match="No indicator"):
        run("aggregate_evidence", "--indicator", "nope")


def test_demo_loader_says_when_there_is_no_geography(db):  # type: ignore[no-untyped-def]
    from placeworks.evidence.demo import load

    Area.objects.all().delete()
    out = io.StringIO()
    load(out)
    assert "no neighbourhoods" in out.getvalue()


def test_demo_loader_imports_both_releases_idempotently(data):  # type: ignore[no-untyped-def]
    from placeworks.evidence.demo import load

    out = io.StringIO()
    load(out)  # the package fixture imported the same files: nothing changes
    text = out.getvalue()
    assert "IoD2025" in text and "IoD2019" in text
    assert "0 observations created, 0 updated" in text


def test_inequality_in_mid_nottinghamshire(data):  # type: ignore[no-untyped-def]
    from placeworks.evidence.models import Indicator

    place = data["areas"]["place"]
    result = queries.inequality(
        place, Indicator.objects.get(code="iod-years-of-potential-life-lost")
    )
    assert result.period == "2025" and result.deprivation_period == "2025"
    assert [g.number for g in result.groups] == list(range(1, 11))
    assert sum(g.lsoas for g in result.groups) == result.lsoa_count == 219
    # years of life lost are higher in the most deprived tenth: a positive gap, a falling slope
    assert result.gap > 0 and result.sii.sii < 0 and result.sii.upper < 0
    assert "significant" in result.interpretation()
    older = queries.inequality(place, Indicator.objects.get(code="iod-mood-anxiety-disorders"))
    assert older.deprivation_period == "2019"  # 2019 indicator on 2011 LSOAs: IoD2019 deciles
    with pytest.raises(queries.NotEnoughData):
        queries.inequality(place, Indicator.objects.get(code="iod-imd-extent"))


def test_decile_change_through_the_lsoa_lookup(data):  # type: ignore[no-untyped-def]
    place = data["areas"]["place"]
    change = queries.decile_change(place)
    assert change is not None
    assert sum(change.later_counts) == 219
    assert change.more_deprived + change.same + change.less_deprived == change.compared
    assert change.compared >= 210
    assert sum(map(sum, change.matrix)) == change.compared
    assert "lookup" in change.lookup
