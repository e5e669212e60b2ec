"""import_assets, import_postcodes and locate_assets at the command line."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from placeworks.estate.models import Asset, CommunityService, LocationSource
from tests.factories import OrganisationFactory

from .test_importers import GP, HOSPITALS, POSTCODES

pytestmark = pytest.mark.django_db


def run(*args, **options):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_import_assets_is_a_dry_run_unless_committed():
    out = run("import_assets", str(HOSPITALS), "--format", "nhs-sites")
    assert "Dry run: would create 41" in out and Asset.objects.count() == 0
    out = run("import_assets", str(HOSPITALS), "--format", "nhs-sites", "--commit")
    assert "Imported: 41 created" in out and Asset.objects.count() == 41


def test_import_assets_with_an_owner_and_problems(tmp_path):
    OrganisationFactory(name="Mansfield District Council")
    path = tmp_path / "register.csv"
    path.write_text("reference,name,kind\nM1,Civic Centre,spaceship\n")
    with pytest.raises(CommandError) as error:
        run("import_assets", str(path), "--owner", "mansfield-district-council", "--commit")
    assert "row 2, column kind: ‘spaceship’ is not one of" in str(error.value)
    with pytest.raises(CommandError, match="No organisation with slug ‘nobody’"):
        run("import_assets", str(path), "--owner", "nobody")


def test_hsds_needs_an_owner(tmp_path):
    path = tmp_path / "services.json"
    path.write_text("[]")
    with pytest.raises(CommandError, match="choose the partner organisation"):
        run("import_assets", str(path), "--format", "hsds", "--commit")
    OrganisationFactory(name="Mansfield CVS", sector="vcs")
    run("import_assets", str(path), "--format", "hsds", "--owner", "mansfield-cvs", "--commit")
    assert CommunityService.objects.count() == 0


def test_import_postcodes_then_locate_assets():
    run("import_assets", str(GP), "--format", "ods-gp", "--commit")
    assert not Asset.objects.exclude(location_source=LocationSource.NONE).exists()
    out = run("import_postcodes", str(POSTCODES), "--commit")
    assert "146 created" in out and "1 by postcode centroid" in out
    out = run("locate_assets")
    assert (
        "256 assets: 0 placed by coordinates, 1 by postcode centroid, 255 could not be placed"
        in out
    )
