"""Groupings (PLACE areas and neighbourhoods): the YAML and CSV importer, the services behind the
web form, permissions and the audit log."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from placeworks.audit.models import AuditEvent
from placeworks.places import queries, services
from placeworks.places.ingest import GroupingImporter
from placeworks.places.models import Area, AreaLink, AreaRelation

from .conftest import DATA, FIXTURES, area


def members(code: str) -> set[str]:
    return set(
        AreaRelation.objects.filter(parent__code=code, kind="member").values_list(
            "child__code", flat=True
        )
    )


def test_yaml_groupings_are_loaded_with_their_members(geography):
    assert members("PLACE-MID-NOTTS") == {"E07000170", "E07000174", "E07000175"}
    assert members("NBH-MANSFIELD-TOWN") == {"E05014614", "E05014610"}
    town = area("NBH-MANSFIELD-TOWN")
    assert town.type == "neighbourhood"
    # Its LSOAs roll up to it through the closure, and its boundary is their union.
    assert AreaLink.objects.filter(ancestor=town, descendant__type="lsoa").exists()
    assert town.boundary_derived and town.population


def test_groupings_may_overlap(geography):
    ward = area("E05014614")
    groupings = {a.code for a in queries.groupings_containing(ward)}
    assert {"PLACE-MID-NOTTS", "NBH-MANSFIELD-TOWN"} <= groupings


def test_the_real_groupings_file_lists_the_twelve_place_areas():
    import yaml

    data = yaml.safe_load((DATA / "groupings" / "north_midlands_places.yaml").read_text())
    names = [g["name"] for g in data["groupings"]]
    assert len(names) == 12
    assert "Mid-Nottinghamshire" in names and "Bolsover and North East Derbyshire" in names
    mid = next(g for g in data["groupings"] if g["name"] == "Mid-Nottinghamshire")
    assert mid["members"] == ["E07000170", "E07000174", "E07000175"]


def test_bad_groupings_name_line_and_field(geography):
    report = GroupingImporter().run(FIXTURES / "groupings_bad.yaml", commit=True)
    found = [str(p) for p in report.errors]
    assert (
        "groupings_bad.yaml, row 4, column members (item 2): E0700017 is not a loaded area"
        in " ".join(found)
    )
    assert any("type ‘county’ is not a grouping type" in m for m in found)
    assert any("Three has no members" in m for m in found)
    assert any("PLACE-ONE is defined twice" in m for m in found)
    assert any("looks like an ONS code" in m for m in found)
    assert not report.committed
    assert not Area.objects.filter(code="PLACE-ONE").exists()


def test_broken_yaml_is_reported_with_its_line(db):
    report = GroupingImporter().run(FIXTURES / "groupings_broken.yaml")
    (problem,) = report.errors
    assert "not valid YAML" in problem.message and problem.row is not None


def test_csv_groupings_and_reimport_in_place(geography, tmp_path):
    report = GroupingImporter().run(FIXTURES / "groupings.csv", commit=True)
    assert report.committed and report.created == 2
    assert members("NBH-WARSOP") == {"E05014624", "E05014643"}
    assert area("NBH-WARSOP").description == "Market Warsop and Warsop Carrs"
    again = GroupingImporter().run(FIXTURES / "groupings.csv", commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = tmp_path / "groupings.csv"
    changed.write_text(
        "grouping_code,grouping_name,grouping_type,member_code\n"
        "NBH-WARSOP,Warsop,neighbourhood,E05014624\n"
    )
    third = GroupingImporter().run(changed, commit=True)
    assert third.updated == 1
    assert members("NBH-WARSOP") == {"E05014624"}
    assert Area.objects.filter(code="NBH-WARSOP").count() == 1


def test_bad_csv_rows_are_named(geography):
    report = GroupingImporter().run(FIXTURES / "groupings_bad.csv")
    found = {(p.row, p.column): p.message for p in report.errors}
    assert "E05999999 is not a loaded area" in found[(3, "member_code")]
    assert "has no name" not in str(found)  # row 4 has a name
    assert (4, "member_code") in found


def test_a_grouping_cannot_end_up_inside_itself(geography):
    town = area("NBH-MANSFIELD-TOWN")
    place = area("PLACE-MID-NOTTS")
    services.save_grouping(
        by=None, name=town.name, members=[place], type="neighbourhood", area=town
    )
    with pytest.raises(ValidationError, match="cannot also be a member"):
        services.save_grouping(by=None, name=place.name, members=[town], area=place)


def test_only_platform_administrators_change_groupings(geography, viewer):
    with pytest.raises(PermissionDenied):
        services.save_grouping(by=viewer, name="Mine", members=[area("E07000174")])
    with pytest.raises(PermissionDenied):
        GroupingImporter().run(FIXTURES / "groupings.csv", by=viewer)


def test_web_changes_are_audited(geography, admin_user):
    saved = services.save_grouping(
        by=admin_user, name="Mansfield and Ashfield", members=[area("E07000174"), area("E07000170")]
    )
    assert saved.code == "PLACE-MANSFIELD-AND"
    assert saved.population == area("E07000174").population + area("E07000170").population
    event = AuditEvent.objects.get(object_id=str(saved.pk))
    assert event.actor == admin_user and event.action == "create grouping"
    assert event.changes["members"][1] == ["E07000170", "E07000174"]
    services.delete_grouping(by=admin_user, area=saved)
    assert not Area.objects.filter(pk=saved.pk).exists()
    assert AuditEvent.objects.filter(action="delete grouping").exists()


def test_command_imports_groupings(geography, capsys):
    call_command("import_groupings", str(FIXTURES / "groupings.csv"), "--commit", verbosity=0)
    assert "Imported: 2 created" in capsys.readouterr().out


def _official_ancestors(code: str) -> set[str]:
    return set(
        AreaLink.objects.filter(descendant=area(code), depth__gt=0).values_list(
            "ancestor__code", flat=True
        )
    )


def test_a_grouping_lies_in_the_official_areas_that_contain_all_its_members(geography):
    """Mid-Nottinghamshire (three Nottinghamshire districts) lies in the county, the region and
    England, so its profile compares it with them; the neighbourhood of two Mansfield wards also
    lies in Mansfield. Groupings are not put inside one another this way."""
    place = _official_ancestors("PLACE-MID-NOTTS")
    mansfield = _official_ancestors("E07000174")
    assert "E07000174" not in place  # only what holds every member
    assert place == _official_ancestors("E07000170") & _official_ancestors("E07000175") - {
        "PLACE-MID-NOTTS"
    }
    assert {"E10000024", "E92000001"} <= place
    town = _official_ancestors("NBH-MANSFIELD-TOWN")
    assert "E07000174" in town and "PLACE-MID-NOTTS" not in town
    assert mansfield - {"PLACE-MID-NOTTS"} <= town


def test_a_grouping_may_take_an_area_it_lies_in_as_a_member(geography):
    """The county contains Mid-Nottinghamshire only through its members, so it may become one;
    the grouping then no longer lies in it (no cycle), and drops back when it leaves."""
    place = area("PLACE-MID-NOTTS")
    districts = [area(code) for code in ("E07000170", "E07000174", "E07000175")]
    county = area("E10000024")
    services.save_grouping(by=None, name=place.name, members=[*districts, county], area=place)
    assert "E10000024" not in _official_ancestors("PLACE-MID-NOTTS")
    assert "E92000001" in _official_ancestors("PLACE-MID-NOTTS")
    services.save_grouping(by=None, name=place.name, members=districts, area=place)
    assert "E10000024" in _official_ancestors("PLACE-MID-NOTTS")


def test_a_groupings_file_is_refused_where_it_would_put_a_grouping_inside_itself(
    geography, tmp_path
):  # type: ignore[no-untyped-def]
    town = area("NBH-MANSFIELD-TOWN")
    services.save_grouping(
        by=None, name=town.name, members=[area("PLACE-MID-NOTTS")], type="neighbourhood", area=town
    )
    path = tmp_path / "groupings.yaml"
    path.write_text(
        "groupings:\n"
        "  - code: PLACE-MID-NOTTS\n"
        "    name: Mid-Nottinghamshire\n"
        "    members: [E07000170, NBH-MANSFIELD-TOWN, E10000024]\n"
    )
    report = GroupingImporter().run(path, commit=True)
    assert [str(p) for p in report.errors] == [
        "groupings.yaml, row 4, column members (item 2): NBH-MANSFIELD-TOWN contains "
        "PLACE-MID-NOTTS, so it cannot also be its member"
    ]  # the county it lies in is no cycle
    assert members("PLACE-MID-NOTTS") == {"E07000170", "E07000174", "E07000175"}
