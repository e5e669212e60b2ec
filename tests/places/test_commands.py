"""The management commands (the command-line front door) and the services behind them."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from placeworks.places import services
from placeworks.places.models import Area, AreaRelation

from .conftest import DATA, FIXTURES, MANSFIELD, area


def test_import_boundaries_command(geography, capsys):
    call_command(
        "import_boundaries",
        str(FIXTURES / "boundaries_mansfield_lsoa21_bng.geojson"),
        "--type",
        "lsoa",
        "--commit",
        verbosity=0,
    )
    out = capsys.readouterr().out
    assert "Imported: 0 created, 2 updated" in out


def test_import_boundaries_command_rejects_bad_files(geography):
    with pytest.raises(CommandError, match="row 2, column code"):
        call_command(
            "import_boundaries",
            str(FIXTURES / "boundaries_invalid.geojson"),
            "--type=lsoa",
            "--vintage=2021",
            verbosity=0,
        )


def test_import_populations_command(geography, capsys):
    with pytest.raises(CommandError, match="not a loaded LSOA"):
        call_command(
            "import_populations",
            str(FIXTURES / "populations_bad.csv"),
            "--vintage=2011",
            "--year=2019",
            verbosity=0,
        )


def test_import_crosswalk_command(geography, capsys):
    call_command("import_crosswalk", str(FIXTURES / "gp_practice_lsoa_sample.csv"), verbosity=0)
    assert "Dry run: would create 2" in capsys.readouterr().out


def test_build_crosswalk_command(geography, capsys):
    call_command("build_crosswalk", "--from", "ward:2021", "--to", "ward:2024", "--changed-only")
    out = capsys.readouterr().out
    assert "ward 2021 to ward 2024 (area overlap)" in out
    with pytest.raises(CommandError, match="No ward 2019 areas with boundaries"):
        call_command("build_crosswalk", "--from", "ward:2019", "--to", "ward:2024")
    with pytest.raises(CommandError, match="give TYPE:VINTAGE"):
        call_command("build_crosswalk", "--from", "wards:2019", "--to", "ward:2024")


def test_rebuild_area_links_command_and_msoa_nesting(geography, capsys):
    msoa = area("E02005887")
    assert AreaRelation.objects.filter(child=msoa, parent__code=MANSFIELD).exists()  # demo nests
    AreaRelation.objects.filter(child__type="msoa").delete()
    call_command("rebuild_area_links", "--nest", "msoa:lad")
    out = capsys.readouterr().out
    assert "msoa areas linked to the lad they lie in" in out
    assert AreaRelation.objects.filter(child=msoa, parent__code=MANSFIELD).exists()
    assert "Links:" in out or "links:" in out.lower()


def test_mark_partial_hides_totals(geography, admin_user):
    mansfield = area(MANSFIELD)
    services.mark_partial(by=admin_user, area=mansfield, note="Testing")
    mansfield.refresh_from_db()
    # A district's own figure is a sum; once partial it is not shown.
    assert mansfield.population is None
    services.mark_partial(by=admin_user, area=mansfield, note="", partial=False)
    mansfield.refresh_from_db()
    assert mansfield.population == 109_313


def test_services_refuse_users_without_the_permission(geography, viewer):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.mark_partial(by=viewer, area=area(MANSFIELD), note="x")
    with pytest.raises(PermissionDenied):
        services.refresh(by=viewer)
    assert Area.objects.filter(code=MANSFIELD, is_partial=False).exists()


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("import-lookup", "--within CODES"),
        ("import-boundaries", "--layer LAYER"),
        ("import-populations", "--year YEAR"),
        ("import-groupings", "--commit"),
    ],
)
def test_placeworks_script_takes_the_hyphenated_command_names(command, says):
    import os
    import subprocess
    import sys
    from pathlib import Path

    # The console script itself, in its own process (a command closes the database connection
    # when it ends, so it cannot run inside a test's transaction).
    script = Path(sys.executable).with_name("placeworks")
    result = subprocess.run(
        [str(script), command, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"usage: placeworks {command.replace('-', '_')}" in result.stdout
    assert says in result.stdout and "Dry run unless --commit" in " ".join(result.stdout.split())


def test_commands_show_a_progress_bar_on_a_terminal(geography, capsys, monkeypatch):
    import rich

    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws live bars only on a terminal
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    monkeypatch.setattr(rich, "_console", None)  # rich's shared console reads those when made
    call_command("import_groupings", str(FIXTURES / "groupings.csv"))
    out = capsys.readouterr().out
    assert "places: groupings" in out and "━" in out and "2/2" in out
    assert "Dry run: would create 2" in out


def _importers():  # type: ignore[no-untyped-def]
    from placeworks.places.ingest import (
        BoundaryImporter,
        CountCrosswalkImporter,
        GroupingImporter,
        LookupImporter,
        PopulationImporter,
    )

    sape = DATA / "population" / "sape22_mid2019_lsoa11_single_year_age_north_midlands.csv"
    return [
        (
            LookupImporter(within=[MANSFIELD]),
            DATA / "lsoa_ward_lad_lookup" / "WD19_LAD19_UK_LU.csv",
        ),
        (
            BoundaryImporter(area_type="ward", vintage="2021", existing_only=True),
            DATA / "geography" / "boundaries_wards21_north_midlands.geojson",
        ),
        (PopulationImporter(vintage="2011", year=2019, existing_only=True), sape),
        (GroupingImporter(), FIXTURES / "groupings.csv"),
        (CountCrosswalkImporter(), FIXTURES / "gp_practice_lsoa_sample.csv"),
    ]


@pytest.mark.parametrize("which", range(5))
def test_every_importer_reports_its_progress(geography, which):
    importer, path = _importers()[which]
    seen: list[tuple[int, int | None]] = []
    report = importer.run(path, progress=lambda done, total: seen.append((done, total)))
    assert not report.errors, [str(p) for p in report.errors]
    assert seen, importer.name
    done, total = seen[-1]
    assert total is not None and done == total > 0, (importer.name, seen[-3:])
    assert [d for d, _ in seen] == sorted(d for d, _ in seen), importer.name
