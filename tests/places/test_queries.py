"""Reading the geography: finding, hierarchy walks, point-in-area, search."""

from __future__ import annotations

import pytest
import shapely

from placeworks.places import queries
from placeworks.places.models import Area, AreaRelation

from .conftest import MANSFIELD, TOWN_CENTRE, area


def test_find_area_prefers_the_current_vintage(geography):
    lsoa = queries.find_area("E01028224")
    assert lsoa is not None and (lsoa.type, lsoa.vintage) == ("lsoa", "2021")
    older = queries.find_area("E01028224", vintage="2011")
    assert older is not None and older.vintage == "2011"
    assert queries.find_area("e07000174") == area(MANSFIELD)  # codes are not case-sensitive
    assert queries.find_area("E07999999") is None
    assert queries.find_area("") is None


def test_ancestors_run_from_smallest_to_largest(geography):
    lsoa = area("E01028268", type="lsoa", vintage="2021")
    found = [(a.type, a.code) for a in queries.ancestors(lsoa)]
    types = [t for t, _ in found]
    assert types.index("ward") < types.index("lad") < types.index("county") < types.index("country")
    assert ("place", "PLACE-MID-NOTTS") in found
    assert ("icb", "E54000060") in found


def test_breadcrumbs_follow_the_official_chain(geography):
    lsoa = area("E01028268", type="lsoa", vintage="2021")
    assert [a.code for a in queries.breadcrumbs(lsoa)] == [
        "E92000001",
        "E12000004",
        "E10000024",
        MANSFIELD,
        "E05014614",
    ]
    assert queries.breadcrumbs(area("PLACE-MID-NOTTS")) == []
    # Mansfield's parts that are not in the breadcrumbs: its PLACE area and ICB.
    assert {a.code for a in queries.part_of(area(MANSFIELD))} == {"PLACE-MID-NOTTS", "E54000060"}


def test_descendants_default_to_the_current_vintage(geography):
    mansfield = area(MANSFIELD)
    assert {a.vintage for a in queries.descendants(mansfield, "ward")} == {"2024"}
    old = queries.descendants(mansfield, "ward", "2021")
    assert old.count() == 36
    assert queries.descendants(mansfield, "ward", queries.ALL).count() == 35 + 36
    place = area("PLACE-MID-NOTTS")
    assert queries.descendants(place, "lad").count() == 3


def test_children_of_an_old_ward_are_its_2011_lsoas(geography):
    old_ward = queries.descendants(area(MANSFIELD), "ward", "2021").first()
    kids = queries.children(old_ward)
    assert kids.exists() and {k.vintage for k in kids} == {"2011"}


def test_siblings_share_a_parent(geography):
    mansfield = area(MANSFIELD)
    assert {a.code for a in queries.siblings(mansfield)} == {"E07000170", "E07000175"}
    town = area("NBH-MANSFIELD-TOWN")
    assert list(queries.siblings(town)) == []


def test_siblings_share_the_parent_in_the_official_chain(geography):
    # A 2011 LSOA lies in a ward, an MSOA and a sub-ICB location: its siblings are the LSOAs of
    # its ward, not the two hundred LSOAs of its sub-ICB location.
    lsoa = area("E01028224", type="lsoa", vintage="2011")
    parents = {
        r.parent.type: r.parent
        for r in AreaRelation.objects.filter(child=lsoa).select_related("parent")
    }
    assert {"ward", "msoa", "sicbl"} <= set(parents)
    ward_lsoas = set(
        AreaRelation.objects.filter(parent=parents["ward"], child__type="lsoa")
        .exclude(child=lsoa)
        .values_list("child__code", flat=True)
    )
    found = queries.siblings(lsoa)
    assert {a.code for a in found} == ward_lsoas
    assert {a.vintage for a in found} <= {"2011"}
    sicbl_lsoas = AreaRelation.objects.filter(parent=parents["sicbl"], child__type="lsoa")
    assert sicbl_lsoas.count() > 10 * max(len(ward_lsoas), 1)
    # A ward's siblings are the other wards of its district, at its vintage.
    central = area("E05014614")
    wards = queries.siblings(central)
    assert wards.count() == 34 and {w.vintage for w in wards} == {"2024"}
    # Outside the official chain (sub-ICB location → ICB) the smallest parent is used.
    sicbl = parents["sicbl"]
    assert all(s.type == "sicbl" for s in queries.siblings(sicbl))


def test_areas_containing_a_point(geography):
    found = queries.areas_containing_point(*TOWN_CENTRE)
    codes = {(a.type, a.code) for a in found}
    assert {
        ("lsoa", "E01028268"),
        ("ward", "E05014614"),
        ("lad", MANSFIELD),
        ("place", "PLACE-MID-NOTTS"),
        ("msoa", "E02005887"),
    } <= codes
    # Nottinghamshire is only partly loaded here, so it has no outline to test against.
    assert ("county", "E10000024") not in codes
    assert found[0].type == "lsoa"  # smallest first
    only_wards = queries.areas_containing_point(*TOWN_CENTRE, type="ward")
    assert [a.code for a in only_wards] == ["E05014614"]
    old = queries.areas_containing_point(*TOWN_CENTRE, type="ward", vintage="2021")
    assert len(old) == 1 and old[0].vintage == "2021"
    assert queries.areas_containing_point(0.0, 51.5) == []


def test_point_index_is_rebuilt_after_an_import(geography):
    from placeworks.places import services, store

    queries.areas_containing_point(*TOWN_CENTRE, type="lad")
    mansfield = area(MANSFIELD)
    elsewhere = shapely.box(0.0, 51.0, 0.1, 51.1)
    Area.objects.filter(pk=mansfield.pk).update(
        **store.geometry_values(elsewhere, source="test", derived=False)
    )
    services.refresh(touched=[mansfield.pk])
    assert queries.areas_containing_point(*TOWN_CENTRE, type="lad") == []
    assert queries.areas_containing_point(0.05, 51.05, type="lad") == [mansfield]


def test_locate_many_points(geography):
    ids = queries.locate_points([TOWN_CENTRE[0], 0.0], [TOWN_CENTRE[1], 51.5], "lsoa")
    assert ids[0] == area("E01028268", type="lsoa", vintage="2021").pk and ids[1] is None


def test_search_by_name_puts_the_exact_match_first(geography):
    results = list(queries.search("Mansfield")[:5])
    assert results[0].code == MANSFIELD
    assert all("mansfield" in a.name.lower() for a in results)


def test_search_by_code_type_and_parent(geography):
    assert [a.code for a in queries.search("E05014614")] == ["E05014614"]
    wards = queries.search("", type="ward", parent=MANSFIELD)
    assert wards.count() == 35 + 36  # current wards, and the 2021 ones (no newer row)
    assert [a.code for a in queries.search("Central", type="ward", parent=MANSFIELD)] == [
        "E05014614"
    ]
    assert "E05014614" not in {a.code for a in queries.search("Central", parent="E07000170")}
    assert queries.search("anything", parent="E07999999").count() == 0


def test_search_shows_each_lsoa_once_at_its_newest_vintage(geography):
    results = list(queries.search("E01028224"))
    assert [(a.type, a.vintage) for a in results] == [("lsoa", "2021")]


def test_type_summaries_say_what_is_loaded(geography):
    summaries = {(s.type, s.vintage): s for s in queries.type_summaries()}
    wards = summaries[("ward", "2024")]
    assert wards.is_current and wards.derived_boundary > 0
    assert not summaries[("lsoa", "2011")].is_current


@pytest.mark.parametrize(
    ("values", "expected"),
    [([], []), ([5.0], [(5.0, 5.0, 1)])],
)
def test_quantile_classes_edge_cases(values, expected):
    assert [(c.lower, c.upper, c.count) for c in queries.quantile_classes(values)] == expected
