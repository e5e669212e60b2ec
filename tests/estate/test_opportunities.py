"""The opportunity finder: the vectorised core on hand-built clusters, and the Django layer."""

from __future__ import annotations

import re

import numpy as np
import pytest

from placeworks.estate.clusters import find_clusters
from placeworks.estate.need import need_available, need_for_areas
from placeworks.estate.opportunities import find_opportunities, get_opportunity, releasable_area
from tests.factories import OrganisationFactory, UserFactory

from .conftest import IN_EAST, IN_WEST
from .factories import AssetFactory
from .need_data import load_need


def run(points, owners, triggers, *, running=None, releasable=None, need=None, **kwargs):
    points = np.asarray(points, dtype=float)
    n = len(points)
    return find_clusters(
        points[:, 0],
        points[:, 1],
        owner=np.asarray(owners),
        trigger=np.asarray(triggers),
        running_cost=np.asarray(running if running is not None else [100.0] * n),
        releasable=np.asarray(releasable if releasable is not None else [10.0] * n),
        need=np.asarray(need if need is not None else [0.9] * n, dtype=float),
        **kwargs,
    )


def test_two_owners_within_walking_distance_and_one_under_used_is_an_opportunity():
    result = run([(0, 0), (500, 300)], owners=[1, 2], triggers=[True, False])
    assert len(result) == 1
    assert sorted(result.members_of(0).tolist()) == [0, 1]
    assert result.anchor[0] == 0 and result.owners[0] == 2


def test_the_same_owner_is_not_an_opportunity():
    assert len(run([(0, 0), (500, 300)], owners=[1, 1], triggers=[True, False])) == 0


def test_too_far_apart_is_not_an_opportunity_but_a_longer_walk_finds_it():
    points = [(0, 0), (900, 0)]
    assert len(run(points, owners=[1, 2], triggers=[True, False])) == 0
    assert len(run(points, owners=[1, 2], triggers=[True, False], distance=1000)) == 1


def test_without_an_under_used_surplus_or_poor_asset_there_is_nothing_to_find():
    assert len(run([(0, 0), (100, 0)], owners=[1, 2], triggers=[False, False])) == 0


def test_low_need_places_are_left_out_unless_asked_for():
    points, owners, triggers = [(0, 0), (100, 0)], [1, 2], [True, False]
    assert len(run(points, owners, triggers, need=[0.2, 0.2], min_need=0.5)) == 0
    assert len(run(points, owners, triggers, need=[0.2, 0.2], min_need=0.0)) == 1
    assert len(run(points, owners, triggers, need=[np.nan, np.nan], min_need=0.5)) == 0


def test_ranking_is_need_times_running_cost_times_releasable_area():
    points = [(0, 0), (100, 0), (10_000, 0), (10_100, 0)]
    result = run(
        points,
        owners=[1, 2, 1, 2],
        triggers=[True, False, True, False],
        running=[100, 50, 100, 50],
        releasable=[200, 0, 200, 0],
        need=[0.5, 0.5, 1.0, 1.0],
    )
    assert result.anchor.tolist() == [2, 0]  # the needier place first
    assert result.score.tolist() == [1.0 * 150 * 200, 0.5 * 150 * 200]


def test_a_street_of_buildings_is_not_chained_into_one_town_wide_cluster():
    # 20 buildings 500 m apart along a street, every fourth under-used, owners alternating.
    points = [(i * 500.0, 0.0) for i in range(20)]
    triggers = [i % 4 == 0 for i in range(20)]
    result = run(points, owners=[i % 2 for i in range(20)], triggers=triggers)
    assert len(result) > 1
    for k in range(len(result)):
        members = result.members_of(k)
        anchor = result.anchor[k]
        assert all(abs(points[m][0] - points[anchor][0]) <= 800 for m in members)
    every = np.concatenate([result.members_of(k) for k in range(len(result))])
    assert len(every) == len(set(every.tolist()))  # no asset in two clusters


def test_it_scales_to_many_assets_quickly():
    rng = np.random.default_rng(7)
    n = 50_000
    points = rng.uniform(0, 200_000, size=(n, 2))
    result = run(points, rng.integers(0, 500, n), rng.random(n) < 0.2, need=rng.random(n))
    assert len(result) > 100


def test_releasable_area_rules():
    from placeworks.estate.models import Asset

    assert releasable_area(Asset(status="surplus", floor_area_m2=1000)) == 1000
    assert releasable_area(Asset(status="operational", condition="D", floor_area_m2=800)) == 800
    assert (
        releasable_area(Asset(status="under_used", utilisation_percent=40, floor_area_m2=1000))
        == 600
    )
    assert releasable_area(Asset(status="under_used", floor_area_m2=1000)) == 500
    assert (
        releasable_area(Asset(status="operational", utilisation_percent=30, floor_area_m2=100))
        == 70
    )
    assert (
        releasable_area(Asset(status="operational", utilisation_percent=80, floor_area_m2=100)) == 0
    )


# --- the Django layer -------------------------------------------------------------------------


@pytest.mark.django_db
def test_finder_explains_itself_and_respects_visibility(estate):
    users = estate["users"]
    admin = UserFactory(is_superuser=True)
    found = find_opportunities(admin, place=None, min_need=0.5)
    assert found.total == 1 and not found.need_used
    opportunity = found.opportunities[0]
    assert {a.name for a in opportunity.assets} == {
        "Central Library",
        "Civic Centre",
        "Secret Police Station",
    }
    assert {o.name for o in opportunity.owners} == {
        "Mansfield District Council",
        "Nottinghamshire Police",
    }
    text = " ".join(opportunity.explanation)
    assert "3 assets of 2 organisations" in text and "lie within 800 m" in text
    assert "Secret Police Station (Nottinghamshire Police) is surplus" in text
    assert "No need index is loaded" in text
    assert "PLAN-STATION" not in text  # explanations never carry sensitive fields
    data = opportunity.as_dict()
    assert data["areas"]["place"]["code"] == "PLACE01"
    assert "disposal_plan" not in str(data)

    # The police station is visible only to the police: for anyone else there is no second
    # owner within walking distance, so no opportunity — and nothing about the station leaks.
    for user in (users["outsider"], users["council_editor"]):
        assert find_opportunities(user).total == 0
    police = find_opportunities(users["police_viewer"])
    assert police.total == 1


@pytest.mark.django_db
def test_opportunities_are_limited_to_a_place_and_found_again_by_key(estate, areas):
    admin = UserFactory(is_superuser=True)
    found = find_opportunities(admin, place=areas["place"])
    assert found.total == 1
    key = found.opportunities[0].key
    again = get_opportunity(admin, key)
    assert again is not None and again.key == key
    assert get_opportunity(estate["users"]["outsider"], key) is None
    assert get_opportunity(admin, "nonsense") is None


@pytest.mark.django_db
def test_need_ranks_and_filters_when_a_need_index_is_available(estate, areas, need_index):
    admin = UserFactory(is_superuser=True)
    found = find_opportunities(admin, min_need=0.5)
    assert found.need_used and found.total == 1
    opportunity = found.opportunities[0]
    # two assets in the west LSOA (rank 1 of 12: need 1), one in the east (rank 2: 11/12)
    assert opportunity.need_value == pytest.approx((1.0 * 2 + 11 / 12) / 3)
    text = " ".join(opportunity.explanation)
    assert "No need index is loaded" not in text
    # the anchor's LSOA, named with the set it is ranked in
    assert re.search(
        r"Need where they stand: Overall need: decile [12] among 12 neighbourhoods "
        r"\(LSOAs\) \(2021\)\.",
        text,
    )
    assert "England" not in text
    assert find_opportunities(admin, min_need=0.99).total == 0


@pytest.mark.django_db
def test_need_is_the_rank_within_the_comparison_set(areas, need_index):
    needs = need_for_areas([areas["lsoa_w"].pk, areas["lsoa_e"].pk, areas["ward"].pk])
    assert set(needs) == {areas["lsoa_w"].pk, areas["lsoa_e"].pk}  # the ward has no need data
    west, east = needs[areas["lsoa_w"].pk], needs[areas["lsoa_e"].pk]
    assert (west.value, west.decile) == (1.0, 1)
    assert east.value == pytest.approx(11 / 12) and east.decile == 2
    assert west.label == "Overall need: decile 1 among 12 neighbourhoods (LSOAs) (2021)"
    assert need_available()


@pytest.mark.django_db
def test_need_of_a_set_too_small_for_deciles_is_labelled_by_rank(areas):
    load_need({areas["lsoa_w"]: 2.0, areas["lsoa_e"]: 1.0})
    east = need_for_areas([areas["lsoa_e"].pk])[areas["lsoa_e"].pk]
    assert (east.value, east.decile) == (0.5, None)
    assert east.label == "Overall need: rank 2 among 2 neighbourhoods (LSOAs) (2021)"


@pytest.mark.django_db
def test_without_need_data_nothing_is_available(areas):
    assert not need_available()
    assert need_for_areas([areas["lsoa_w"].pk]) == {}


@pytest.mark.django_db
def test_disposed_and_unplaced_assets_are_not_considered(areas):
    a, b = OrganisationFactory(), OrganisationFactory()
    AssetFactory(owner=a, lon=IN_WEST[0], lat=IN_WEST[1], status="surplus", visibility="public")
    AssetFactory(owner=b, lon=IN_EAST[0], lat=IN_EAST[1], status="disposed", visibility="public")
    AssetFactory(owner=b, postcode="NG1 1AA", visibility="public")
    found = find_opportunities(UserFactory(is_superuser=True))
    assert found.total == 0 and found.assets_considered == 1


@pytest.mark.django_db
def test_an_opportunity_found_across_places_is_found_again_by_its_key():
    """A place's search reads only the assets within the walking distance of its bounding box,
    so a chain of stars reaching in from outside can choose differently there. An opportunity
    shown for all places must still be found from its key (the draft-project action).

    On a line (metres east of T3): Y −150, T3 0, T2 700, Z 950, T1 1400, X 2100; the place is
    T3 ± 200 m. Everywhere: T1's star (with X's large running cost) is taken first and claims T2,
    so T3 anchors its own cluster with Y. Within the place's reach T1 and X are not read, T2's
    star (with Z) beats T3's and claims T3, so T3 anchors nothing there."""
    from placeworks.geo.crs import bng_to_wgs84

    from .conftest import _area

    east0, north0 = 455_000.0, 361_000.0

    def at(east, north=0.0):
        lon, lat = bng_to_wgs84([east0 + east], [north0 + north])
        return float(lon[0]), float(lat[0])

    (west, south), (east, north) = at(-200, -200), at(200, 200)
    place = _area("place", "PLACE99", "Tight place", (west, south, east, north), "2024")
    spots = {"Y": -150, "T3": 0, "T2": 700, "Z": 950, "T1": 1400, "X": 2100}
    running = {"X": 1_000_000, "Z": 50_000}
    assets = {}
    for name, east in spots.items():
        lon, lat = at(east)
        trigger = name.startswith("T")
        assets[name] = AssetFactory(
            owner=OrganisationFactory(name=f"Owner of {name}"),
            name=name,
            visibility="public",
            lon=lon,
            lat=lat,
            status="surplus" if trigger else "operational",
            floor_area_m2=1000 if trigger else None,
            annual_running_cost=running.get(name, 1000),
        )
    assert assets["T3"].area_links.get(area_type="place").area == place
    admin = UserFactory(is_superuser=True)

    everywhere = find_opportunities(admin, min_need=0)
    anchors = {o.anchor.name: o for o in everywhere.opportunities}
    assert set(anchors) == {"T1", "T3"}
    key = anchors["T3"].key
    assert find_opportunities(admin, place=place, min_need=0).total == 0  # the edge effect
    again = get_opportunity(admin, key)
    assert again is not None and again.anchor.name == "T3"
    assert {a.name for a in again.assets} >= {"T3", "Y"}
