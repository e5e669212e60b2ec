"""A real geography for the evidence tests and benchmarks, built from the ONS lookups in data/.

The places app owns geography; these helpers only stand in for its importer so the evidence
tests need not wait for it: LSOA 2021 → ward 2024 → district, LSOA 2011 → ward 2019 →
district, the two counties of the North Midlands, the East Midlands region, England and the
Mid-Nottinghamshire PLACE area, with the transitive closure in ``AreaLink`` and populations
(ONS mid-2019, summed over single years of age; 2021 LSOAs take the 2011 LSOA of the same code,
else the average).
"""

from __future__ import annotations

import csv
import gzip
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import shapely

from placeworks.places.models import Area, AreaLink, AreaRelation

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
ENGLAND = ("E92000001", "England")
EAST_MIDLANDS = ("E12000004", "East Midlands")
COUNTIES = {
    "E10000007": ("Derbyshire", [f"E0700003{i}" for i in range(2, 10)]),
    "E10000024": ("Nottinghamshire", [f"E0700017{i}" for i in range(0, 7)]),
}
NORTH_MIDLANDS = ["E06000015", "E06000018"] + COUNTIES["E10000007"][1] + COUNTIES["E10000024"][1]
MID_NOTTS = ("PLACE-MID-NOTTS", "Mid-Nottinghamshire", ["E07000170", "E07000174", "E07000175"])
# Stand-ins for the places app's PLACE areas (it defines the real twelve).
PLACES = [
    MID_NOTTS,
    ("PLACE-SOUTH-NOTTS", "South Nottinghamshire", ["E07000172", "E07000173", "E07000176"]),
    ("PLACE-BASSETLAW", "Bassetlaw", ["E07000171"]),
    ("PLACE-NOTTINGHAM", "Nottingham City", ["E06000018"]),
    ("PLACE-DERBY", "Derby City", ["E06000015"]),
    ("PLACE-NORTH-DERBYSHIRE", "North Derbyshire", ["E07000033", "E07000034", "E07000038"]),
    ("PLACE-SOUTH-DERBYSHIRE", "Derbyshire South", ["E07000032", "E07000036", "E07000039"]),
    ("PLACE-HIGH-PEAK-DALES", "High Peak and Dales", ["E07000035", "E07000037"]),
]


def _rows(path: Path) -> Iterable[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


@cache
def lookup21() -> list[tuple[str, str, str, str, str, str]]:
    return [
        (r["LSOA21CD"], r["LSOA21NM"], r["WD24CD"], r["WD24NM"], r["LAD24CD"], r["LAD24NM"])
        for r in _rows(DATA / "geography" / "lookup_lsoa21_ward24_lad24_ONS.csv.gz")
        if r["LSOA21CD"].startswith("E")
    ]


@cache
def lookup11() -> list[tuple[str, str, str, str, str, str]]:
    return [
        (r["LSOA11CD"], r["LSOA11NM"], r["WD19CD"], r["WD19NM"], r["LAD19CD"], r["LAD19NM"])
        for r in _rows(DATA / "lsoa_ward_lad_lookup" / "LSOA11_WD19_LAD19_EW_LU.csv.gz")
        if r["LSOA11CD"].startswith("E")
    ]


@cache
def populations11() -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    path = DATA / "population" / "sape22_mid2019_lsoa11_single_year_age_north_midlands.csv"
    for row in _rows(path):
        totals[row["lsoa_code"]] += sum(int(v) for k, v in row.items() if k.startswith("age_"))
    return dict(totals)


@cache
def shapes(kind: str) -> dict[str, bytes]:
    name = {
        "lsoa21": "boundaries_lsoa21_north_midlands",
        "ward": "boundaries_wards21_north_midlands",
        "lad": "boundaries_lad19_uk",
    }[kind]
    collection = json.loads((DATA / "geography" / f"{name}.geojson").read_text())
    return {
        f["properties"]["code"]: shapely.to_wkb(shapely.geometry.shape(f["geometry"]))
        for f in collection["features"]
    }


def build(
    lads: Iterable[str] = NORTH_MIDLANDS,
    *,
    vintages: Iterable[str] = ("2021", "2011"),
    places: bool = True,
    boundaries: bool = False,
    regions_for_all: bool = False,
) -> dict[str, Area]:
    """Create the areas and links for the districts ``lads`` (all of England when empty); returns
    the notable areas by key (england, region, county codes, lad codes, place)."""
    lads = list(lads)
    wanted = set(lads)
    people = populations11()
    average = int(sum(people.values()) / max(len(people), 1)) if people else 1600
    areas: dict[tuple[str, str, str], Area] = {}
    edges: set[tuple[tuple[str, str, str], tuple[str, str, str]]] = set()
    lsoa_shapes = shapes("lsoa21") if boundaries else {}
    ward_shapes = shapes("ward") if boundaries else {}
    lad_shapes = shapes("lad") if boundaries else {}

    def area(
        kind: str, code: str, name: str, vintage: str = "", **extra: object
    ) -> tuple[str, str, str]:
        key = (kind, code, vintage)
        if key not in areas:
            geometry = extra.pop("geometry", None)
            fields = dict(extra)
            if geometry is not None:
                shape = shapely.from_wkb(geometry)
                minx, miny, maxx, maxy = shape.bounds
                point = shape.representative_point()
                fields.update(
                    geometry_wkb=geometry,
                    min_lon=minx,
                    min_lat=miny,
                    max_lon=maxx,
                    max_lat=maxy,
                    centroid_lon=point.x,
                    centroid_lat=point.y,
                )
            areas[key] = Area(type=kind, code=code, name=name, vintage=vintage, **fields)
        return key

    england = area("country", *ENGLAND)
    region = area("region", *EAST_MIDLANDS, is_partial=not regions_for_all)
    edges.add((region, england))
    county_of = {lad: code for code, (_, members) in COUNTIES.items() for lad in members}
    regions: dict[str, tuple[str, str, str]] = {}

    def lad_parent(lad_code: str) -> tuple[str, str, str]:
        if lad_code in county_of:
            code = county_of[lad_code]
            key = area("county", code, COUNTIES[code][0])
            edges.add((key, region))
            return key
        if lad_code in NORTH_MIDLANDS or not regions_for_all:
            return region
        # Outside the North Midlands (benchmarks): nine synthetic regions by district code.
        number = sum(ord(c) for c in lad_code) % 9
        key = area("region", f"E1200009{number}", f"Synthetic region {number}")
        edges.add((key, england))
        regions[lad_code] = key
        return key

    rows = []
    if "2021" in vintages:
        rows.append(("2021", "2024", lookup21()))
    if "2011" in vintages:
        rows.append(("2011", "2019", lookup11()))
    for lsoa_vintage, ward_vintage, lookup in rows:
        for code, name, ward_code, ward_name, lad_code, lad_name in lookup:
            if wanted and lad_code not in wanted:
                continue
            population = people.get(code, average)
            lsoa = area(
                "lsoa",
                code,
                name,
                lsoa_vintage,
                population=population,
                population_year=2019,
                population_source="ONS mid-2019 LSOA estimates",
                geometry=lsoa_shapes.get(code) if lsoa_vintage == "2021" else None,
            )
            ward = area(
                "ward", ward_code, ward_name, ward_vintage, geometry=ward_shapes.get(ward_code)
            )
            lad = area("lad", lad_code, lad_name, geometry=lad_shapes.get(lad_code))
            edges.add((lsoa, ward))
            edges.add((ward, lad))
            edges.add((lad, lad_parent(lad_code)))
    if places:
        lad_keys = {key[1]: key for key in areas if key[0] == "lad"}
        for code, name, members in PLACES:
            present = [lad_keys[m] for m in members if m in lad_keys]
            if not present:
                continue
            place = area("place", code, name)
            for key in present:
                edges.add((key, place))
            edges.add((place, region))
    created = Area.objects.bulk_create(list(areas.values()), batch_size=2000)
    by_key = {(a.type, a.code, a.vintage): a for a in created}
    # LSOA populations summed upward (the places app sets populations on every area).
    parents: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for child, parent in edges:
        parents[child].append(parent)
    AreaRelation.objects.bulk_create(
        [AreaRelation(child=by_key[c], parent=by_key[p]) for c, p in edges], batch_size=5000
    )
    links: list[AreaLink] = []
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for key in by_key:
        seen: dict[tuple[str, str, str], int] = {}
        frontier = [(p, 1) for p in parents.get(key, [])]
        while frontier:
            parent, depth = frontier.pop()
            if parent in seen and seen[parent] <= depth:
                continue
            seen[parent] = depth
            frontier.extend((p, depth + 1) for p in parents.get(parent, []))
        for parent, depth in seen.items():
            links.append(AreaLink(ancestor=by_key[parent], descendant=by_key[key], depth=depth))
            if key[0] == "lsoa" and key[2] == "2021":
                totals[parent] += by_key[key].population or 0
    AreaLink.objects.bulk_create(links, batch_size=5000)
    updates = []
    for key, total in totals.items():
        if key[0] != "country" and key[0] != "region":
            by_key[key].population = total
            updates.append(by_key[key])
    Area.objects.bulk_update(updates, ["population"], batch_size=2000)
    result: dict[str, Area] = {"england": by_key[england], "region": by_key[region]}
    for key, value in by_key.items():
        if key[0] in ("lad", "county"):
            result[key[1]] = value
        if key[0] == "place":
            result[key[1]] = value
            if key[1] == MID_NOTTS[0]:
                result["place"] = value
    return result
