"""Small hand-built geography and estate for the estate tests (no full places demo needed).

Two LSOA squares side by side around Mansfield town centre, one ward and one LAD covering both
(with boundaries), and a PLACE area defined as a grouping (no boundary) so the hierarchy path of
location is exercised too.
"""

from __future__ import annotations

import pytest
import shapely

from placeworks.partners.models import Visibility
from placeworks.places.models import Area, AreaLink
from tests.factories import OrganisationFactory, member

from .factories import AssetFactory
from .need_data import load_need

WEST = (-1.25, 53.12, -1.20, 53.16)
EAST = (-1.20, 53.12, -1.15, 53.16)
# Points inside each square.
IN_WEST = (-1.2030, 53.1440)
IN_EAST = (-1.1970, 53.1440)  # 0.006° of longitude east of IN_WEST: about 400 m
OUTSIDE = (-0.5, 52.0)


def _area(type_: str, code: str, name: str, box=None, vintage: str = "") -> Area:
    fields = {}
    if box is not None:
        geometry = shapely.box(*box)
        fields = {
            "geometry_wkb": shapely.to_wkb(geometry),
            "min_lon": box[0],
            "min_lat": box[1],
            "max_lon": box[2],
            "max_lat": box[3],
            "centroid_lon": geometry.centroid.x,
            "centroid_lat": geometry.centroid.y,
        }
    return Area.objects.create(type=type_, code=code, name=name, vintage=vintage, **fields)


@pytest.fixture
def areas(db):
    lsoa_w = _area("lsoa", "E01000001", "Mansfield 001A", WEST, "2021")
    lsoa_e = _area("lsoa", "E01000002", "Mansfield 001B", EAST, "2021")
    ward = _area("ward", "E05000001", "Town Centre", (-1.25, 53.12, -1.15, 53.16), "2024")
    lad = _area("lad", "E07000174", "Mansfield", (-1.30, 53.10, -1.10, 53.20), "2024")
    place = _area("place", "PLACE01", "Mid-Nottinghamshire")  # a grouping: no boundary
    for lsoa in (lsoa_w, lsoa_e):
        AreaLink.objects.create(ancestor=ward, descendant=lsoa, depth=1)
        AreaLink.objects.create(ancestor=lad, descendant=lsoa, depth=2)
        AreaLink.objects.create(ancestor=place, descendant=lsoa, depth=3)
    AreaLink.objects.create(ancestor=place, descendant=lad, depth=1)
    return {"lsoa_w": lsoa_w, "lsoa_e": lsoa_e, "ward": ward, "lad": lad, "place": place}


@pytest.fixture
def need_index(areas):
    """The evidence app's overall need index over twelve 2021 LSOAs, loaded for real: the west
    LSOA has the highest need (rank 1, decile 1), the east one the second (rank 2, decile 2)."""
    others = [
        Area.objects.create(type="lsoa", code=f"E01{n:06d}", name=f"Elsewhere {n}", vintage="2021")
        for n in range(3, 13)
    ]
    values = {areas["lsoa_w"]: 50.0, areas["lsoa_e"]: 40.0}
    values |= {area: float(n) for n, area in enumerate(others)}
    load_need(values)
    return values


@pytest.fixture
def estate(areas):
    """Two organisations' assets near each other, with every visibility and a confidential
    disposal; users: a member of each organisation and an outsider."""
    council = OrganisationFactory(name="Mansfield District Council")
    police = OrganisationFactory(name="Nottinghamshire Police", sector="police")
    outsider_org = OrganisationFactory(name="Derbyshire County Council", sector="county_council")
    assets = {
        "library": AssetFactory(
            owner=council,
            name="Central Library",
            kind="library",
            visibility=Visibility.PUBLIC,
            status="under_used",
            lon=IN_WEST[0],
            lat=IN_WEST[1],
            utilisation_percent=40,
            floor_area_m2=2000,
            annual_running_cost=200_000,
        ),
        "office": AssetFactory(
            owner=council,
            name="Civic Centre",
            kind="office",
            visibility=Visibility.PARTNERS,
            lon=IN_WEST[0] + 0.001,
            lat=IN_WEST[1],
            disposal_plan="Partners-visible asset, owner-only plan: PLAN-OFFICE-7731",
            estimated_value=900_000,
        ),
        "station": AssetFactory(
            owner=police,
            name="Secret Police Station",
            kind="police_station",
            visibility=Visibility.ORGANISATION,
            status="surplus",
            lon=IN_EAST[0],
            lat=IN_EAST[1],
            floor_area_m2=3000,
            annual_running_cost=300_000,
            disposal_plan="CONFIDENTIAL sale to developer PLAN-STATION-4242",
            estimated_value=1_350_000,
            commercial_notes="Offers from two bidders",
        ),
    }
    users = {
        "council_editor": member("editor", council, username="council.editor"),
        "council_viewer": member("viewer", council, username="council.viewer"),
        "police_viewer": member("viewer", police, username="police.viewer"),
        "police_editor": member("editor", police, username="police.editor"),
        "outsider": member("viewer", outsider_org, username="outsider"),
    }
    return {"assets": assets, "users": users, "council": council, "police": police}
