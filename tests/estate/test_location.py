"""Placing assets in LSOA, ward, LAD and PLACE areas; moving them; postcodes; audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from placeworks.audit.models import AuditEvent
from placeworks.estate import services
from placeworks.estate.location import AreaLocator
from placeworks.estate.models import Asset, LocationSource, PostcodeCentroid
from placeworks.estate.queries import areas_of
from tests.factories import OrganisationFactory, UserFactory, member

from .conftest import IN_EAST, IN_WEST, OUTSIDE
from .factories import AssetFactory

pytestmark = pytest.mark.django_db


def codes(asset: Asset) -> dict[str, str]:
    return {t: a.code for t, a in areas_of([asset])[asset.pk].items()}


def test_asset_is_placed_in_lsoa_ward_lad_and_place_by_point_in_polygon(areas):
    asset = AssetFactory(lon=IN_WEST[0], lat=IN_WEST[1])
    assert asset.location_source == LocationSource.COORDINATES
    assert codes(asset) == {
        "lsoa": "E01000001",
        "ward": "E05000001",
        "lad": "E07000174",
        "place": "PLACE01",  # no boundary: taken from the hierarchy of the LSOA
    }


def test_moving_an_asset_recomputes_its_areas(areas):
    editor = member("editor")
    asset = AssetFactory(
        owner=editor.memberships.get().organisation, lon=IN_WEST[0], lat=IN_WEST[1]
    )
    services.move_asset(by=editor, asset=asset, lon=IN_EAST[0], lat=IN_EAST[1])
    assert codes(asset)["lsoa"] == "E01000002"
    services.move_asset(by=editor, asset=asset, lon=OUTSIDE[0], lat=OUTSIDE[1])
    assert codes(asset) == {}
    event = AuditEvent.objects.filter(object_id=str(asset.pk), action="update").first()
    assert event is not None and set(event.changes) == {"lon", "lat"}


def test_postcode_only_asset_is_placed_at_the_postcode_centroid(areas):
    PostcodeCentroid.objects.create(
        postcode="NG181AA", display="NG18 1AA", lon=IN_EAST[0], lat=IN_EAST[1]
    )
    located = AssetFactory(postcode="ng18 1aa")
    unknown = AssetFactory(postcode="NG99 9ZZ")
    assert located.postcode == "NG18 1AA"
    assert located.location_source == LocationSource.POSTCODE
    assert (located.lon, located.lat) == IN_EAST
    assert codes(located)["lsoa"] == "E01000002"
    assert unknown.location_source == LocationSource.NONE and unknown.lon is None
    assert codes(unknown) == {}


def test_loading_postcodes_later_places_waiting_assets(areas):
    waiting = AssetFactory(postcode="NG18 1AA")
    assert waiting.location_source == LocationSource.NONE
    result = services.upsert_postcodes(
        by=None, centroids={"NG181AA": ("NG18 1AA", IN_WEST[0], IN_WEST[1])}
    )
    assert result.created == 1 and result.located is not None
    waiting.refresh_from_db()
    assert waiting.location_source == LocationSource.POSTCODE
    assert codes(waiting)["lsoa"] == "E01000001"


def test_relocate_all_reports_what_it_could_not_place(areas):
    AssetFactory(lon=IN_WEST[0], lat=IN_WEST[1])
    AssetFactory(postcode="ZZ1 1ZZ")
    AssetFactory(lon=OUTSIDE[0], lat=OUTSIDE[1])
    summary = services.relocate_all()
    assert (summary.total, summary.by_coordinates, summary.unlocated) == (3, 2, 1)
    assert summary.outside_boundaries == 1
    assert "could not be placed" in str(summary)


def test_locator_places_many_points_at_once(areas):
    found = AreaLocator().locate(
        [IN_WEST[0], IN_EAST[0], OUTSIDE[0]], [IN_WEST[1], IN_EAST[1], OUTSIDE[1]]
    )
    assert found["lsoa"].tolist() == [areas["lsoa_w"].pk, areas["lsoa_e"].pk, 0]
    assert found["place"].tolist() == [areas["place"].pk, areas["place"].pk, 0]


def test_only_editors_of_the_owner_or_administrators_change_an_asset(areas):
    owner = OrganisationFactory()
    asset = AssetFactory(owner=owner, lon=IN_WEST[0], lat=IN_WEST[1])
    for user in (member("viewer", owner), member("editor"), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.update_asset(by=user, asset=asset, name="Renamed")
    services.update_asset(by=member("editor", owner), asset=asset, name="Renamed")
    admin = UserFactory(is_superuser=True)
    services.update_asset(by=admin, asset=asset, status="surplus")
    asset.refresh_from_db()
    assert (asset.name, asset.status) == ("Renamed", "surplus")
    assert list(
        AuditEvent.objects.filter(object_id=str(asset.pk)).values_list("action", flat=True)
    ) == ["update", "update", "create"]


def test_an_editor_cannot_give_an_asset_to_an_organisation_they_do_not_edit(areas):
    owner = OrganisationFactory()
    editor = member("editor", owner)
    asset = AssetFactory(owner=owner)
    with pytest.raises(PermissionDenied):
        services.update_asset(by=editor, asset=asset, owner=OrganisationFactory())


def test_invalid_values_are_rejected(areas):
    with pytest.raises(ValidationError):
        AssetFactory(utilisation_percent=140)
    with pytest.raises(ValidationError):
        AssetFactory(lon=-1.2)  # no latitude


def test_deleting_is_audited(areas):
    owner = OrganisationFactory()
    asset = AssetFactory(owner=owner)
    pk = asset.pk
    services.delete_asset(by=member("editor", owner), asset=asset)
    assert not Asset.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_id=str(pk)).exists()
