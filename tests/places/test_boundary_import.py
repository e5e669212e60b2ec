"""The boundary importer: any CRS (British National Grid converted), GeoJSON, zipped Shapefile
and GeoPackage, invalid geometry repaired or reported, all or nothing, re-runs unchanged."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pyogrio.raw
import pytest
import shapely

from placeworks.places.ingest import BoundaryImporter
from placeworks.places.models import Area, AreaShape

from .conftest import FIXTURES, area


def _geometry(a: Area):
    return shapely.from_wkb(bytes(a.geometry_wkb))


def test_british_national_grid_is_converted_to_wgs84(geography):
    lsoa = area("E01028224", type="lsoa", vintage="2021")
    original = _geometry(lsoa)
    report = BoundaryImporter(area_type="lsoa").run(
        FIXTURES / "boundaries_mansfield_lsoa21_bng.geojson", commit=True
    )
    assert report.committed, [str(p) for p in report.problems]
    assert "Boundaries in EPSG:27700, stored in WGS84" in " ".join(report.notes)
    lsoa.refresh_from_db()
    imported = _geometry(lsoa)
    # Same place (within a couple of metres after the round trip through the grid).
    assert imported.centroid.distance(original.centroid) < 0.0001  # about 7 metres
    assert imported.symmetric_difference(original).area < 0.02 * original.area
    assert lsoa.vintage == "2021"  # read from the LSOA21CD heading
    assert "boundaries_mansfield_lsoa21_bng.geojson" in lsoa.boundary_source


def test_invalid_polygon_is_repaired_and_reported(geography):
    report = BoundaryImporter(area_type="lsoa", vintage="2021").run(
        FIXTURES / "boundaries_bowtie.geojson", commit=True
    )
    assert report.committed
    (warning,) = report.warnings
    assert warning.row == 1 and warning.column == "code"
    assert "Self-intersection" in warning.message and "repaired with make_valid" in warning.message
    geometry = _geometry(area("E01028224", type="lsoa", vintage="2021"))
    assert geometry.is_valid and geometry.geom_type == "MultiPolygon"


def test_unusable_geometry_rejects_the_whole_file(geography):
    lsoa = area("E01028224", type="lsoa", vintage="2021")
    before = bytes(lsoa.geometry_wkb)
    report = BoundaryImporter(area_type="lsoa", vintage="2021").run(
        FIXTURES / "boundaries_invalid.geojson", commit=True
    )
    assert not report.committed
    assert [(p.row, p.column) for p in report.errors] == [(2, "code")]
    assert "geometry is a LineString, not a polygon" in report.errors[0].message
    lsoa.refresh_from_db()
    assert bytes(lsoa.geometry_wkb) == before  # the good feature was not written either


def test_malformed_code_is_reported_by_feature_and_column(db):
    report = BoundaryImporter(area_type="lsoa", vintage="2021").run(
        FIXTURES / "boundaries_bad_code.geojson"
    )
    (problem,) = report.errors
    assert str(problem).startswith("boundaries_bad_code.geojson, row 2, column code: 'E0102825'")


def test_vintage_is_required_when_the_file_does_not_say(db):
    report = BoundaryImporter(area_type="lsoa").run(FIXTURES / "boundaries_bowtie.geojson")
    assert "say which boundary vintage this is (--vintage" in str(report.errors[0])


def test_not_a_boundary_file_is_rejected_in_plain_words(db, tmp_path):
    path = tmp_path / "boundaries.geojson"
    path.write_text("this is not json")
    report = BoundaryImporter(area_type="lad", vintage="2019").run(path)
    assert len(report.errors) == 1
    assert "boundaries.geojson" in str(report.errors[0])
    assert "Traceback" not in str(report.errors[0])


def _write(path, driver, features, crs="EPSG:27700"):
    geometries = np.array([shapely.to_wkb(g) for _, g in features], dtype=object)
    codes = np.array([c for c, _ in features], dtype=object)
    pyogrio.raw.write(
        str(path),
        geometries,
        [codes],
        ["LAD19CD"],
        driver=driver,
        geometry_type="Polygon",
        crs=crs,
    )


def _mansfield_in_bng():
    from placeworks.geo import to_bng

    return to_bng(_geometry(area("E07000174")))


def test_zipped_shapefile_in_british_national_grid(geography, tmp_path):
    geometry = _mansfield_in_bng()
    polygon = (
        max(geometry.geoms, key=lambda g: g.area) if geometry.geom_type != "Polygon" else geometry
    )
    folder = tmp_path / "shp"
    folder.mkdir()
    _write(folder / "lad.shp", "ESRI Shapefile", [("E07000174", polygon)])
    archive = tmp_path / "lad.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for part in folder.iterdir():
            handle.write(part, part.name)
    report = BoundaryImporter(area_type="lad", existing_only=True).run(archive, commit=True)
    assert report.committed, [str(p) for p in report.problems]
    mansfield = area("E07000174")
    assert mansfield.vintage == "2024"  # a 2019 boundary for a code still current in 2024
    assert "lad.zip" in mansfield.boundary_source
    assert "the code is unchanged in 2024" in mansfield.boundary_source
    assert 7000 < mansfield.area_hectares < 8000


def test_geopackage_and_existing_only(geography, tmp_path):
    polygon = shapely.box(455000, 360000, 456000, 361000)
    path = tmp_path / "lads.gpkg"
    _write(path, "GPKG", [("E07000174", polygon), ("E07000171", polygon)])
    report = BoundaryImporter(area_type="lad", existing_only=True).run(path, commit=True)
    assert report.committed
    assert "1 boundaries were not loaded because their areas are not" in " ".join(report.notes)
    assert not Area.objects.filter(code="E07000171").exists()
    assert area("E07000174").area_hectares == pytest.approx(100, rel=0.01)


def test_reloading_the_same_boundaries_changes_nothing(geography):
    from placeworks.places.demo import data_dir

    shapes = AreaShape.objects.count()
    report = BoundaryImporter(area_type="ward", vintage="2021", existing_only=True).run(
        data_dir() / "geography" / "boundaries_wards21_north_midlands.geojson", commit=True
    )
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 50
    assert AreaShape.objects.count() == shapes


def test_shapes_are_simplified_for_the_zoom(geography):
    lsoa = area("E01028224", type="lsoa", vintage="2021")
    sizes = {s.zoom: len(json.loads(s.geojson)["coordinates"][0][0]) for s in lsoa.shapes.all()}
    assert set(sizes) == {6, 9, 12}
    assert sizes[6] <= sizes[9] <= sizes[12]


def _real_feature(file_name: str, code: str) -> dict:
    from placeworks.places.demo import data_dir

    data = json.loads((data_dir() / "geography" / file_name).read_text())
    return next(f for f in data["features"] if f["properties"]["code"] == code)


def test_geojson_in_metres_without_a_crs_is_refused_saying_how_to_fix_it(db, tmp_path):
    from placeworks.geo import to_bng

    feature = _real_feature("boundaries_lsoa21_north_midlands.geojson", "E01028224")
    in_metres = to_bng(shapely.geometry.shape(feature["geometry"]))
    path = tmp_path / "lsoa21_bng_no_crs.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"LSOA21CD": "E01028224"},
                        "geometry": shapely.geometry.mapping(in_metres),
                    }
                ],
            }
        )
    )
    before = Area.objects.count()
    report = BoundaryImporter(area_type="lsoa").run(path, commit=True)
    assert not report.committed
    (problem,) = report.errors
    message = str(problem)
    assert message.startswith("lsoa21_bng_no_crs.geojson: coordinates reach")
    assert "they look like metres" in message and "EPSG::27700" in message
    assert Area.objects.count() == before


def test_two_features_with_one_code_are_merged_with_a_warning(geography, tmp_path):
    feature = _real_feature("boundaries_lad19_uk.geojson", "E07000174")
    mansfield = shapely.geometry.shape(feature["geometry"])
    min_x, min_y, max_x, max_y = mansfield.bounds
    middle = (min_x + max_x) / 2
    west = mansfield.intersection(shapely.box(min_x - 1, min_y - 1, middle, max_y + 1))
    east = mansfield.intersection(shapely.box(middle, min_y - 1, max_x + 1, max_y + 1))
    path = tmp_path / "mansfield_halves.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"code": "E07000174", "name": "Mansfield"},
                        "geometry": shapely.geometry.mapping(half),
                    }
                    for half in (west, east)
                ],
            }
        )
    )
    report = BoundaryImporter(area_type="lad", vintage="2019", existing_only=True).run(
        path, commit=True
    )
    assert report.committed, [str(p) for p in report.problems]
    (warning,) = report.warnings
    assert (warning.row, warning.column) == (2, "code")
    assert "E07000174 is also feature 1: the parts are merged into one area" in warning.message
    merged = _geometry(area("E07000174"))
    assert merged.symmetric_difference(mansfield).area < 0.001 * mansfield.area
    assert Area.objects.filter(type="lad", code="E07000174").count() == 1


def test_a_feature_without_geometry_rejects_the_file(geography, tmp_path):
    good = _real_feature("boundaries_lad19_uk.geojson", "E07000174")
    path = tmp_path / "lads.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    good,
                    {"type": "Feature", "properties": {"code": "E07000170"}, "geometry": None},
                ],
            }
        )
    )
    before = bytes(area("E07000174").geometry_wkb)
    report = BoundaryImporter(area_type="lad", vintage="2019").run(path, commit=True)
    assert not report.committed
    assert [str(p) for p in report.errors] == ["lads.geojson, row 2, column code: has no geometry"]
    assert bytes(area("E07000174").geometry_wkb) == before


def test_geopackage_with_several_layers_needs_layer(geography, tmp_path):
    path = tmp_path / "boundaries.gpkg"
    polygon = shapely.box(455000, 360000, 456000, 361000)
    for layer in ("lad", "ward"):
        geometries = np.array([shapely.to_wkb(polygon)], dtype=object)
        pyogrio.raw.write(
            str(path),
            geometries,
            [np.array(["E07000174"], dtype=object)],
            ["LAD19CD"],
            driver="GPKG",
            layer=layer,
            geometry_type="Polygon",
            crs="EPSG:27700",
            append=path.exists(),
        )
    report = BoundaryImporter(area_type="lad", existing_only=True).run(path)
    (problem,) = report.errors
    assert "has several layers (lad, ward); choose one with --layer" in str(problem)
    chosen = BoundaryImporter(area_type="lad", existing_only=True, layer="lad").run(
        path, commit=True
    )
    assert chosen.committed, [str(p) for p in chosen.problems]
    assert area("E07000174").area_hectares == pytest.approx(100, rel=0.01)
