"""Reading boundary files in any CRS and format, reporting problems by file, feature and code."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import numpy as np
import pyogrio.raw
import pytest
import shapely

from placeworks.geo import (
    BNG,
    BoundaryFileError,
    BoundaryProblem,
    Feature,
    read_boundaries,
    to_bng,
    to_feature_collection,
    to_geojson,
    to_wgs84,
    write_geojson,
)

from .conftest import GEOGRAPHY, LSOA21, MANSFIELD_LAD

BNG_CRS_MEMBER = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}


def write_json(path, features, crs=None):
    collection = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        collection["crs"] = crs
    path.write_text(json.dumps(collection))
    return path


def feature(geometry, **properties):
    geojson = None if geometry is None else json.loads(shapely.to_geojson(geometry))
    return {"type": "Feature", "properties": properties, "geometry": geojson}


@pytest.fixture(scope="module")
def sample(lsoas):
    """Ten real LSOAs, and the same in British National Grid."""
    chosen = lsoas.features[:10]
    wgs = np.array([f.geometry for f in chosen], dtype=object)
    return [f.properties for f in chosen], wgs, to_bng(wgs)


def assert_same_places(read, properties, geometries):
    assert [f.properties["code"] for f in read.features] == [p["code"] for p in properties]
    for got, expected in zip(read.features, geometries, strict=True):
        assert shapely.hausdorff_distance(got.geometry, expected) < 1e-6  # about 0.1 m


# --- the real files ---------------------------------------------------------------------------


def test_reads_the_uk_district_file(lads):
    assert len(lads.features) == 382
    assert lads.problems == [] and lads.crs == "EPSG:4326" and lads.code_field == "code"
    codes = lads.codes()
    assert len(set(codes)) == 382 and MANSFIELD_LAD in codes
    assert sum(code.startswith("E") for code in codes) == 317
    mansfield = lads.features[codes.index(MANSFIELD_LAD)]
    assert mansfield.properties == {"code": MANSFIELD_LAD, "name": "Mansfield"}
    assert all(f.geometry.is_valid for f in lads.features)
    assert {f.geometry.geom_type for f in lads.features} == {"Polygon", "MultiPolygon"}


def test_reads_the_north_midlands_lsoas_and_wards(lsoas, wards):
    assert (len(lsoas.features), len(wards.features)) == (1335, 376)
    assert lsoas.problems == [] and wards.problems == []
    assert [f.number for f in lsoas.features] == list(range(1, 1336))
    assert lsoas.features[0].properties == {"code": "E01013453", "name": "Derby 013A"}


def test_reads_uploaded_bytes_under_the_name_given():
    read = read_boundaries(LSOA21.read_bytes(), name="lsoas.geojson")
    assert read.name == "lsoas.geojson" and len(read.features) == 1335
    assert read.layer == "lsoas"


# --- CRS detection ----------------------------------------------------------------------------


def test_geojson_declaring_british_national_grid_is_read_in_wgs84(tmp_path, sample):
    properties, wgs, bng = sample
    path = write_json(
        tmp_path / "bng.geojson",
        [feature(g, **p) for g, p in zip(bng, properties, strict=True)],
        crs=BNG_CRS_MEMBER,
    )
    read = read_boundaries(path)
    assert read.crs == "EPSG:27700" and read.problems == []
    assert_same_places(read, properties, wgs)


def test_geojson_in_metres_without_a_crs_is_refused_with_advice(tmp_path, sample):
    properties, _, bng = sample
    path = write_json(
        tmp_path / "metres.geojson", [feature(g, **p) for g, p in zip(bng, properties, strict=True)]
    )
    with pytest.raises(BoundaryFileError) as error:
        read_boundaries(path)
    message = str(error.value)
    assert message.startswith("metres.geojson: coordinates reach")
    assert "cannot be longitude and latitude" in message and "EPSG::27700" in message


def test_degrees_in_a_file_declaring_metres_are_refused(tmp_path, sample):
    properties, wgs, _ = sample
    path = write_json(
        tmp_path / "mislabelled.geojson",
        [feature(g, **p) for g, p in zip(wgs, properties, strict=True)],
        crs=BNG_CRS_MEMBER,
    )
    with pytest.raises(BoundaryFileError, match="look like longitude and latitude"):
        read_boundaries(path)


def test_zipped_shapefile_in_bng_is_read_in_wgs84(tmp_path, sample):
    properties, wgs, bng = sample
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.raw.write(
        str(folder / "lsoa.shp"),
        shapely.to_wkb(bng),
        [np.array([p["code"] for p in properties], dtype=object)],
        ["LSOA21CD"],
        crs=BNG,
        geometry_type="Polygon",
        driver="ESRI Shapefile",
    )
    archive = tmp_path / "lsoa.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            zipped.write(part, part.name)
    read = read_boundaries(archive)
    assert read.crs == "EPSG:27700" and read.code_field == "LSOA21CD" and read.problems == []
    assert read.codes() == [p["code"] for p in properties]
    for got, expected in zip(read.features, wgs, strict=True):
        assert shapely.hausdorff_distance(got.geometry, expected) < 1e-6
    again = read_boundaries(archive.read_bytes(), name="upload.zip")
    assert again.codes() == read.codes()


def test_shapefile_without_its_prj_is_refused(tmp_path, sample):
    _, _, bng = sample
    folder = tmp_path / "shp"
    folder.mkdir()
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        pyogrio.raw.write(
            str(folder / "a.shp"),
            shapely.to_wkb(bng),
            [np.arange(len(bng))],
            ["n"],
            geometry_type="Polygon",
            driver="ESRI Shapefile",
        )
    archive = tmp_path / "noprj.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.iterdir():
            if part.suffix != ".prj":
                zipped.write(part, part.name)
    with pytest.raises(BoundaryFileError, match=r"noprj\.zip: declares no coordinate reference"):
        read_boundaries(archive)


def test_geopackage_in_bng_is_read_and_layers_must_be_chosen(tmp_path, sample):
    properties, wgs, bng = sample
    path = tmp_path / "areas.gpkg"
    codes = np.array([p["code"] for p in properties], dtype=object)
    for layer in ("lsoa", "copy"):
        pyogrio.raw.write(
            str(path),
            shapely.to_wkb(bng),
            [codes, np.array([p["name"] for p in properties], dtype=object)],
            ["code", "name"],
            crs=BNG,
            geometry_type="Polygon",
            driver="GPKG",
            layer=layer,
        )
    with pytest.raises(BoundaryFileError, match=r"several layers \(lsoa, copy\)"):
        read_boundaries(path)
    read = read_boundaries(path, layer="lsoa")
    assert read.layer == "lsoa" and read.crs == "EPSG:27700" and read.problems == []
    assert_same_places(read, properties, wgs)
    assert read_boundaries(path, layer=1).layer == "copy"
    with pytest.raises(BoundaryFileError, match="has no layer 'ward'"):
        read_boundaries(path, layer="ward")


# --- problems with features -------------------------------------------------------------------


def test_bowtie_is_repaired_and_reported(tmp_path):
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    path = write_json(
        tmp_path / "boundaries.geojson",
        [feature(shapely.box(2, 2, 3, 3), code="A"), feature(bowtie, code="E01000001")],
    )
    read = read_boundaries(path)
    assert [f.properties["code"] for f in read.features] == ["A", "E01000001"]
    assert read.errors == [] and len(read.warnings) == 1
    warning = read.warnings[0]
    assert str(warning) == (
        "boundaries.geojson, feature 2 (code E01000001): geometry is invalid "
        "(Self-intersection at (0.5, 0.5)): repaired with make_valid"
    )
    repaired = read.features[1].geometry
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert repaired.area == pytest.approx(0.5)
    assert warning.as_dict() == {
        "file": "boundaries.geojson",
        "feature": 2,
        "code": "E01000001",
        "severity": "warning",
        "message": "geometry is invalid (Self-intersection at (0.5, 0.5)): repaired with make_valid",
    }


def test_features_that_are_not_polygons_are_rejected_by_name(tmp_path):
    square = shapely.box(0, 0, 1, 1)
    path = write_json(
        tmp_path / "mixed.geojson",
        [
            feature(square, code="A"),
            {"type": "Feature", "properties": {"code": "B"}, "geometry": None},
            {
                "type": "Feature",
                "properties": {"code": "C"},
                "geometry": {"type": "Polygon", "coordinates": []},
            },
            feature(shapely.Point(0.5, 0.5), code="D"),
            feature(shapely.LineString([(0, 0), (1, 1)]), code="E"),
            feature(shapely.Polygon([(0, 0), (1, 1), (2, 2), (0, 0)]), code="F"),  # no area
            feature(shapely.GeometryCollection([shapely.Point(0, 0), square]), code="G"),
            feature(
                shapely.GeometryCollection([square, shapely.box(3, 3, 4, 4)]), code="H"
            ),  # polygons only: merged
        ],
    )
    read = read_boundaries(path)
    assert [f.properties["code"] for f in read.features] == ["A", "H"]
    assert read.features[1].geometry.geom_type == "MultiPolygon"
    assert [str(p) for p in read.errors] == [
        "mixed.geojson, feature 2 (code B): has no geometry",
        "mixed.geojson, feature 3 (code C): geometry is empty",
        "mixed.geojson, feature 4 (code D): geometry is a Point, not a polygon",
        "mixed.geojson, feature 5 (code E): geometry is a LineString, not a polygon",
        "mixed.geojson, feature 6 (code F): geometry is invalid (Self-intersection at (1, 1)) "
        "and has no area left to repair",
        "mixed.geojson, feature 7 (code G): geometry is a GeometryCollection of Point, "
        "Polygon, not polygons",
    ]
    assert [str(p) for p in read.warnings] == [
        "mixed.geojson, feature 8 (code H): geometry collection of polygons: merged into a "
        "MultiPolygon"
    ]


def test_duplicate_and_missing_codes_are_warned(tmp_path):
    path = write_json(
        tmp_path / "dupes.geojson",
        [
            feature(shapely.box(0, 0, 1, 1), code="A"),
            feature(shapely.box(1, 0, 2, 1), code="A"),
            feature(shapely.box(2, 0, 3, 1), code=None),
        ],
    )
    read = read_boundaries(path)
    assert len(read.features) == 3 and read.errors == []
    assert [str(p) for p in read.warnings] == [
        "dupes.geojson, feature 2 (code A): code A is also used by feature 1",
        "dupes.geojson, feature 3: has no code",
    ]


def test_a_named_code_column_must_exist(tmp_path):
    path = write_json(tmp_path / "a.geojson", [feature(shapely.box(0, 0, 1, 1), id="A")])
    assert read_boundaries(path).code_field is None
    assert read_boundaries(path, code_field="id").codes() == ["A"]
    with pytest.raises(BoundaryFileError, match=r"has no column 'code' \(columns: id\)"):
        read_boundaries(path, code_field="code")


# --- files that are not boundary files --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.md", b"# Not geography\n", "notes.md: not a boundary file (expected GeoJSON"),
        ("random.geojson", bytes(range(256)), "random.geojson: not a boundary file"),
        ("empty.geojson", b"", "empty.geojson: not a boundary file"),
        ("table.csv", b"code,value\nE01000001,3\n", "table.csv: has no geometry column"),
        (
            "nothing.geojson",
            b'{"type": "FeatureCollection", "features": []}',
            "nothing.geojson: contains no features",
        ),
        ("broken.zip", b"PK\x03\x04 truncated", "broken.zip: not a boundary file"),
    ],
)
def test_files_that_are_not_boundaries_give_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BoundaryFileError) as error:
        read_boundaries(path)
    assert str(error.value).startswith(message)
    assert str(tmp_path) not in str(error.value)


def test_real_non_boundary_files_and_missing_files_give_a_clear_error(tmp_path):
    with pytest.raises(BoundaryFileError, match="^SOURCE.md: not a boundary file"):
        read_boundaries(GEOGRAPHY / "SOURCE.md")
    with pytest.raises(BoundaryFileError, match="^lookup_lsoa11_ward17.csv.gz: not a boundary"):
        read_boundaries(GEOGRAPHY / "lookup_lsoa11_ward17.csv.gz")
    with pytest.raises(BoundaryFileError, match="^missing.geojson: file not found$"):
        read_boundaries(tmp_path / "missing.geojson")


def test_problem_without_a_feature_names_only_the_file():
    assert str(BoundaryProblem("a.zip", "something")) == "a.zip: something"


# --- GeoJSON out ------------------------------------------------------------------------------


def test_geojson_output_is_rounded_oriented_and_reads_back(tmp_path, lsoas):
    features = lsoas.features[:50]
    text = to_geojson(features, id_field="code")
    collection = json.loads(text)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 50
    first = collection["features"][0]
    assert first["id"] == "E01013453" and first["properties"]["name"] == "Derby 013A"
    ring = first["geometry"]["coordinates"][0]
    assert all(len(str(v).split(".")[-1]) <= 6 for point in ring for v in point)
    assert shapely.LinearRing(ring).is_ccw  # RFC 7946: exterior rings counter-clockwise
    noisy = [(to_wgs84(to_bng(f.geometry), BNG), f.properties) for f in features]
    assert len(to_geojson(noisy)) < 0.75 * len(to_geojson(noisy, precision=15))
    path = tmp_path / "out.geojson"
    write_geojson(path, features)
    again = read_boundaries(path)
    assert again.codes() == [f.properties["code"] for f in features]
    for got, original in zip(again.features, features, strict=True):
        assert shapely.hausdorff_distance(got.geometry, original.geometry) < 1e-6
    assert not (tmp_path / "out.geojson.partial").exists()


def test_geojson_output_handles_pairs_nulls_and_python_values():
    text = to_geojson(
        [
            (shapely.Point(-1.123456789, 53.0), {"when": dt.date(2025, 4, 1), "n": np.int64(3)}),
            Feature(None, {"code": "X"}),
        ],
        precision=3,
    )
    collection = json.loads(text)
    assert collection["features"][0]["geometry"]["coordinates"] == [-1.123, 53.0]
    assert collection["features"][0]["properties"] == {"when": "2025-04-01", "n": 3}
    assert collection["features"][1]["geometry"] is None
    assert to_feature_collection([]) == {"type": "FeatureCollection", "features": []}


def test_malformed_rings_are_closed_or_rejected_and_gdal_warnings_kept(tmp_path):
    path = tmp_path / "rings.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": code},
                        "geometry": {"type": "Polygon", "coordinates": [ring]},
                    }
                    for code, ring in [
                        ("OPEN", [[0, 0], [1, 1], [1, 0]]),
                        ("DOT", [[0, 0]]),
                        ("OK", [[0, 0], [1, 0], [1, 1], [0, 0]]),
                    ]
                ],
            }
        )
    )
    read = read_boundaries(path)
    assert read.codes() == ["OPEN", "OK"]
    assert read.features[0].geometry.area == pytest.approx(0.5)
    assert [str(p) for p in read.problems] == [
        "rings.geojson: GDAL: Non closed ring detected. To avoid accepting it, set the "
        "OGR_GEOMETRY_ACCEPT_UNCLOSED_RING configuration option to NO",
        "rings.geojson, feature 1 (code OPEN): a ring was not closed: closed it",
        "rings.geojson, feature 2 (code DOT): geometry cannot be read (point array must "
        "contain 0 or >1 elements)",
    ]
    assert [p.severity for p in read.problems] == ["warning", "warning", "error"]


def test_property_values_come_back_as_python_values(tmp_path):
    path = write_json(
        tmp_path / "values.geojson",
        [
            feature(shapely.box(0, 0, 1, 1), code="A", people=1500.5, households=600),
            feature(shapely.box(1, 0, 2, 1), code="B", people=None, households=None),
        ],
    )
    read = read_boundaries(path)
    assert [f.properties for f in read.features] == [
        {"code": "A", "people": 1500.5, "households": 600},
        {"code": "B", "people": None, "households": None},
    ]
    bare = write_json(tmp_path / "bare.geojson", [feature(shapely.box(0, 0, 1, 1))])
    read = read_boundaries(bare)
    assert read.features[0].properties == {} and read.code_field is None and read.codes() == [""]
