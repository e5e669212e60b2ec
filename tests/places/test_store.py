"""The closure, largest-remainder rounding, derived boundaries (small hand-made areas)."""

from __future__ import annotations

import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from placeworks.places import services, store
from placeworks.places.models import Area, AreaLink, AreaRelation


def test_closure_keeps_the_shortest_path():
    found = store.closure([(1, 2), (2, 3), (3, 4), (1, 4)])
    assert found[1] == {2: 1, 3: 2, 4: 1}
    assert found[2] == {3: 1, 4: 2}


def test_closure_refuses_cycles():
    with pytest.raises(store.HierarchyCycle):
        store.closure([(1, 2), (2, 3), (3, 1)])


@given(
    total=st.integers(min_value=0, max_value=10**7),
    weights=st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=12),
)
def test_largest_remainder_parts_are_whole_and_sum_to_the_total(total, weights):
    parts = store.largest_remainder(total, weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    whole = sum(weights)
    if whole > 0:
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - total * weight / whole) < 1 + 1e-6 * total


def _box(code: str, area_type: str, box: tuple[float, float, float, float], vintage: str = "X"):
    values = store.geometry_values(shapely.box(*box), source="test", derived=False)
    return Area.objects.create(type=area_type, code=code, vintage=vintage, name=code, **values)


@pytest.mark.django_db
def test_links_follow_relations_and_derived_boundaries_dissolve_children():
    a = _box("E01900001", "lsoa", (0.0, 50.0, 0.01, 50.01))
    b = _box("E01900002", "lsoa", (0.01, 50.0, 0.02, 50.01))
    ward = Area.objects.create(type="ward", code="E05900001", vintage="X", name="Test ward")
    for lsoa in (a, b):
        AreaRelation.objects.create(child=lsoa, parent=ward)
    services.refresh(touched=[a.pk, b.pk, ward.pk])
    assert set(AreaLink.objects.filter(ancestor=ward).values_list("descendant_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    ward.refresh_from_db()
    assert ward.boundary_derived
    assert "union of its 2 LSOAs" in ward.boundary_source
    geometry = shapely.from_wkb(bytes(ward.geometry_wkb))
    assert geometry.area == pytest.approx(0.0002)
    assert ward.shapes.count() == 3  # one simplified shape per zoom bucket

    # A child loses its boundary: the derived one goes, and the page says why.
    Area.objects.filter(pk=b.pk).update(**store.cleared_geometry_values())
    services.refresh(touched=[b.pk])
    ward.refresh_from_db()
    assert ward.geometry_wkb is None
    assert "1 of its 2 LSOAs" in ward.boundary_source


@pytest.mark.django_db
def test_rebuilding_links_twice_changes_nothing():
    a = _box("E01900003", "lsoa", (0.0, 50.0, 0.01, 50.01))
    ward = Area.objects.create(type="ward", code="E05900002", vintage="X", name="W")
    lad = Area.objects.create(type="lad", code="E07900002", vintage="X", name="L")
    AreaRelation.objects.create(child=a, parent=ward)
    AreaRelation.objects.create(child=ward, parent=lad)
    store.rebuild_links()
    again = store.rebuild_links()
    assert (again.created, again.deleted, again.updated) == (0, 0, 0)
    assert AreaLink.objects.get(ancestor=lad, descendant=a).depth == 2
