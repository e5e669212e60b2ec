"""Viable together: projects sharing a district or an asset, with combined figures."""

from __future__ import annotations

import pytest

from placeworks.pipeline.bundles import Item, find_bundles
from placeworks.pipeline.queries import bundles


def test_projects_sharing_a_district_or_an_asset_are_bundled_with_combined_figures():
    items = [
        Item(
            1,
            "a-hub",
            "Hub",
            frozenset({"Mansfield"}),
            frozenset({"Civic Centre"}),
            4e6,
            5e4,
            (("capital_receipts", 1e6),),
            frozenset({"County"}),
        ),
        Item(
            2,
            "b-homes",
            "Homes",
            frozenset({"Ashfield"}),
            frozenset({"Civic Centre"}),
            2e6,
            0,
            (("homes_enabled", 60.0),),
            frozenset({"District"}),
        ),
        Item(
            3,
            "c-depot",
            "Depot",
            frozenset({"Ashfield"}),
            frozenset(),
            5e5,
            0,
            (("capital_receipts", 2e5),),
            frozenset({"County"}),
        ),
        Item(
            4,
            "d-derby",
            "Derby",
            frozenset({"Derby"}),
            frozenset(),
            1e5,
            0,
            (),
            frozenset({"City"}),
        ),
    ]
    [bundle] = find_bundles(items)
    assert [i.reference for i in bundle.items] == ["a-hub", "b-homes", "c-depot"]
    assert bundle.shared_districts == ["Ashfield"] and bundle.shared_assets == ["Civic Centre"]
    assert bundle.capital_cost == pytest.approx(6.5e6)
    assert bundle.benefits["capital_receipts"] == pytest.approx(1.2e6)
    assert bundle.benefits["homes_enabled"] == 60
    assert bundle.organisations == ["County", "District"]
    assert "They use the same buildings: Civic Centre." in bundle.reasons


def test_bundles_are_the_same_whatever_the_order():
    items = [Item(i, f"r{i}", f"P{i}", frozenset({"X"})) for i in range(5)]
    assert [b.as_dict() for b in find_bundles(items)] == [
        b.as_dict() for b in find_bundles(reversed(items))
    ]


def test_bundles_never_include_a_project_the_user_cannot_see(projects, users):
    seen = {i.title for b in bundles(users["police_viewer"]) for i in b.items}
    assert "Kirkby Depot Confidential Disposal" not in seen
    inside = {i.title for b in bundles(users["district_editor"]) for i in b.items}
    # Ashfield: the homes project and the disposal serve it, and the hub serves all of
    # Mid-Nottinghamshire (Mansfield and Ashfield).
    assert inside == {
        "Ashfield Community Homes",
        "Kirkby Depot Confidential Disposal",
        "Mansfield Health and Wellbeing Hub",
    }
