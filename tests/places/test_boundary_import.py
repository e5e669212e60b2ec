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
