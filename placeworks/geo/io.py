"""Reading boundary files (GeoJSON, zipped Shapefile, GeoPackage) and writing GeoJSON.

``read_boundaries`` reads one layer through GDAL (pyogrio's raw interface: WKB and field
arrays, no geopandas), detects the coordinate reference system from the file, checks every
feature and returns the usable features in WGS84 with a list of problems, each naming the file,
the feature's number and its code:

- **repaired** (a warning; the feature is kept): an invalid polygon (self-intersection, a
  bow-tie, a ring touching itself) mended with GEOS ``make_valid`` and only its polygonal part
  kept; a geometry collection made only of polygons, merged into a MultiPolygon;
- **rejected** (an error; the feature is left out): no geometry, an empty geometry, a point or a
  line rather than a polygon, an invalid geometry with no area left after repair, coordinates
  the declared CRS cannot place on the Earth.

A file that cannot be read as boundaries at all raises ``BoundaryFileError`` with a sentence
saying why, never GDAL's traceback: not a vector format GDAL recognises, no geometry column,
several layers and none chosen, no CRS, or coordinates that contradict the declared CRS.

CRS detection: GeoJSON without a ``crs`` member is WGS84 (RFC 7946). Coordinates beyond ±180 or
±90 cannot be longitude and latitude; they are treated as British National Grid (or any other
CRS) only when the file says so (a GeoJSON ``crs`` member, a Shapefile's ``.prj``, a
GeoPackage's spatial reference) — guessing would place a file in the wrong CRS silently, so the
reader stops and says how to fix the file. Z coordinates are dropped.

GeoJSON out: coordinates rounded to ``precision`` decimal places (6 dp of a degree is about
0.1 m, ample for boundaries, and a third shorter than full precision) and polygon rings
oriented counter-clockwise as RFC 7946 asks.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray
from shapely import Geometry

from placeworks.geo.crs import WGS84, to_wgs84

Severity = Literal["error", "warning"]

GEOJSON_PRECISION = 6
"""Decimal places of a degree kept in GeoJSON output: 1e-6° is about 0.11 m of latitude."""

POLYGON = 3
MULTIPOLYGON = 6
GEOMETRYCOLLECTION = 7

_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}

# ONS GSS code columns: LSOA21CD, WD21CD, LAD19CD, CTYUA23CD, ...
_ONS_CODE_FIELD = re.compile(r"^[a-z]{2,8}\d{2}cd$", re.IGNORECASE)
_FORMATS = "GeoJSON, a zipped Shapefile (.zip) or a GeoPackage (.gpkg)"


class BoundaryFileError(Exception):
    """A file that cannot be read as boundaries at all; the message says why in plain words."""


@dataclass(frozen=True)
class BoundaryProblem:
    """One problem with one feature of a boundary file (or, with no feature, the whole file)."""

    file: str
    message: str
    feature: int | None = None  # 1-based position of the feature in its layer
    code: str | None = None  # the feature's code, when the file has a code column
    code_field: str | None = None
    severity: Severity = "error"  # "error": the feature is left out; "warning": kept, repaired

    def __str__(self) -> str:
        where = self.file
        if self.feature is not None:
            where += f", feature {self.feature}"
            if self.code is not None:
                where += f" ({self.code_field or 'code'} {self.code})"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as plain data (for JSON responses and import logs)."""
        return {
            "file": self.file,
            "feature": self.feature,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class Feature(NamedTuple):
    """A boundary: its geometry (WGS84 for features read from files) and properties."""

    geometry: Geometry
    properties: dict[str, Any]
    number: int = 0  # 1-based position in the file it came from (0 when not read from a file)


@dataclass
class BoundaryFile:
    """What ``read_boundaries`` found: usable features in WGS84, and every problem."""

    name: str
    crs: str  # the CRS the file declared (features have been reprojected to WGS84)
    layer: str
    code_field: str | None
    features: list[Feature] = field(default_factory=list)
    problems: list[BoundaryProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[BoundaryProblem]:
        """Problems that left a feature out."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[BoundaryProblem]:
        """Problems that were repaired; the feature was kept."""
        return [p for p in self.problems if p.severity == "warning"]

    def codes(self) -> list[str]:
        """Each usable feature's code, as text ("" when it has none or the file has no codes)."""
        if self.code_field is None:
            return ["" for _ in self.features]
        return [_text(f.properties.get(self.code_field)) for f in self.features]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _find_code_field(fields: Sequence[str], wanted: str | None, name: str) -> str | None:
    if wanted is not None:
        if wanted not in fields:
            listed = ", ".join(fields) or "none"
            raise BoundaryFileError(f"{name}: has no column {wanted!r} (columns: {listed})")
        return wanted
    lowered = {f.lower(): f for f in fields}
    for candidate in ("code", "gss_code", "gsscode", "areacode", "area_code"):
        if candidate in lowered:
            return lowered[candidate]
    for f in fields:
        if _ONS_CODE_FIELD.match(f):
            return f
    return None


def _unreadable(name: str, source: str | None, error: Exception) -> BoundaryFileError:
    reason = str(error).split("; It might help")[0].strip()
    if source:
        reason = reason.replace(f"'{source}'", name).replace(source, name)
    if "not recognized as" in reason or "not recognised as" in reason:
        return BoundaryFileError(f"{name}: not a boundary file (expected {_FORMATS})")
    if "No such file" in reason:
        return BoundaryFileError(f"{name}: file not found")
    return BoundaryFileError(f"{name}: cannot be read as a boundary file ({reason})")


def _choose_layer(layers: NDArray[Any], wanted: str | int | None, name: str) -> int:
    """The position of the layer to read."""
    names = [str(row[0]) for row in layers]
    if not names:
        raise BoundaryFileError(f"{name}: contains no layers (expected {_FORMATS})")
    if isinstance(wanted, int):
        if not 0 <= wanted < len(names):
            raise BoundaryFileError(f"{name}: has no layer {wanted} (it has {len(names)})")
        return wanted
    if wanted is not None:
        if wanted not in names:
            raise BoundaryFileError(f"{name}: has no layer {wanted!r} (layers: {', '.join(names)})")
        return names.index(wanted)
    with_geometry = [i for i, row in enumerate(layers) if row[1] is not None]
    if len(names) == 1 or len(with_geometry) == 1:
        return with_geometry[0] if with_geometry else 0
    raise BoundaryFileError(
        f"{name}: has several layers ({', '.join(names)}); choose one with layer=..."
    )


def _python_values(column: NDArray[Any]) -> list[Any]:
    values: list[Any] = column.tolist()
    if column.dtype.kind == "f":
        return [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    return values


def _reason(geometry: Geometry) -> str:
    """GEOS's reason, with its location written out: "Self-intersection at (-1.2, 53.1)"."""
    text = str(shapely.is_valid_reason(geometry))
    match = re.fullmatch(r"(.*)\[(\S+) (\S+)\]", text)
    if match is None:
        return text
    what, x, y = match.groups()
    return f"{what} at ({float(x):.7g}, {float(y):.7g})"


def polygonal_part(geometry: Geometry) -> Geometry | None:
    """The polygons of a geometry as a Polygon or MultiPolygon; None when it has no area.

    >>> from shapely import GeometryCollection, LineString, box
    >>> polygonal_part(GeometryCollection([box(0, 0, 1, 1), LineString([(2, 2), (3, 3)])])).wkt
    'POLYGON ((1 0, 1 1, 0 1, 0 0, 1 0))'
    >>> polygonal_part(LineString([(0, 0), (1, 1)])) is None
    True
    """
    parts = shapely.get_parts(shapely.get_parts(geometry))
    polygons = [p for p in parts if shapely.get_type_id(p) == POLYGON and not p.is_empty]
    if not polygons:
        return None
    result: Geometry = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    return result


def _check(geometry: Geometry | None) -> tuple[Geometry | None, str, Severity | None]:
    """(usable geometry or None, message, severity) for one feature; severity None when fine."""
    if geometry is None:
        return None, "has no geometry", "error"
    if geometry.is_empty:
        return None, "geometry is empty", "error"
    type_id = int(shapely.get_type_id(geometry))
    message = ""
    severity: Severity | None = None
    if type_id == GEOMETRYCOLLECTION:
        parts = shapely.get_parts(geometry)
        kinds = {int(k) for k in shapely.get_type_id(parts)}
        if not kinds <= {POLYGON, MULTIPOLYGON}:
            found = ", ".join(sorted(_TYPE_NAMES.get(k, str(k)) for k in kinds))
            return None, f"geometry is a GeometryCollection of {found}, not polygons", "error"
        geometry = polygonal_part(geometry)
        message, severity = "geometry collection of polygons: merged into a MultiPolygon", "warning"
    elif type_id not in (POLYGON, MULTIPOLYGON):
        return None, f"geometry is a {_TYPE_NAMES.get(type_id, '?')}, not a polygon", "error"
    if geometry is not None and not geometry.is_valid:
        reason = _reason(geometry)
        repaired = polygonal_part(shapely.make_valid(geometry))
        if repaired is None or repaired.area <= 0:
            return None, f"geometry is invalid ({reason}) and has no area left to repair", "error"
        geometry = repaired
        message, severity = f"geometry is invalid ({reason}): repaired with make_valid", "warning"
    return geometry, message, severity


def _check_coordinates(crs: pyproj.CRS, bounds: NDArray[np.float64], name: str) -> None:
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        return
    looks_like_degrees = max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90
    declared = crs.to_string()
    if crs.is_geographic and not looks_like_degrees:
        reach = max(abs(minx), abs(maxx), abs(miny), abs(maxy))
        raise BoundaryFileError(
            f"{name}: coordinates reach {reach:,.0f}, which cannot be longitude and latitude "
            f"({declared}{', the GeoJSON default' if declared == WGS84 else ''}); they look "
            "like metres. If they are British National Grid, say so in the file (a GeoJSON "
            '"crs" member naming urn:ogc:def:crs:EPSG::27700, or a Shapefile\'s .prj) '
            "or convert the file to WGS84."
        )
    if crs.is_projected and looks_like_degrees:
        raise BoundaryFileError(
            f"{name}: coordinates lie within ±180/±90 and look like longitude and latitude, "
            f"but the file declares {declared}; correct the file's CRS."
        )


@dataclass
class _Report:
    """Collects problems for one file, naming each feature by number and code."""

    name: str
    properties: list[dict[str, Any]]
    code_field: str | None
    problems: list[BoundaryProblem] = field(default_factory=list)

    def add(self, index: int, message: str, severity: Severity) -> None:
        code = self.properties[index].get(self.code_field) if self.code_field else None
        self.problems.append(
            BoundaryProblem(
                file=self.name,
                message=message,
                feature=index + 1,
                code=None if code is None else str(code),
                code_field=self.code_field,
                severity=severity,
            )
        )


def _read_layer(
    source: str | os.PathLike[str] | bytes, path: str | None, name: str, layer: str | int | None
) -> tuple[str, dict[str, Any], NDArray[np.object_], list[NDArray[Any]], list[str]]:
    """GDAL's view of one layer: its name, metadata, WKB, field columns and any warnings."""
    # Imported here: pyogrio imports geopandas when it is installed (a second of start-up that
    # workers using only the index or reprojection should not pay).
    import pyogrio
    import pyogrio.errors
    import pyogrio.raw

    read_errors = (
        pyogrio.errors.DataSourceError,
        pyogrio.errors.DataLayerError,
        pyogrio.errors.FieldError,
        pyogrio.errors.GeometryError,
        pyogrio.errors.CRSError,
        pyogrio.errors.FeatureError,
    )
    try:
        # GDAL's warnings arrive as Python warnings: they are kept as problems with the file.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            layers = pyogrio.list_layers(source)
            position = _choose_layer(layers, layer, name)
            # By position: bytes are copied to a fresh in-memory file on every call.
            meta, _fids, wkb, columns = pyogrio.raw.read(source, layer=position)
    except read_errors as error:
        raise _unreadable(name, path, error) from None
    if wkb is None or meta.get("geometry_type") is None:
        raise BoundaryFileError(
            f"{name}: has no geometry column (a table, not a boundary file; expected {_FORMATS})"
        )
    if len(wkb) == 0:
        raise BoundaryFileError(f"{name}: contains no features")
    chosen = str(layers[position][0])
    if path is None and chosen.startswith("pyogrio_"):
        chosen = Path(name).stem  # a single-layer upload: GDAL names it after a temporary file
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    return chosen, meta, wkb, list(columns), messages


def _declared_crs(meta: dict[str, Any], name: str) -> pyproj.CRS:
    if meta.get("crs") is None:
        raise BoundaryFileError(
            f"{name}: declares no coordinate reference system (a Shapefile needs its .prj "
            "file inside the .zip)"
        )
    try:
        return pyproj.CRS.from_user_input(meta["crs"])
    except pyproj.exceptions.CRSError:
        raise BoundaryFileError(
            f"{name}: declares a coordinate reference system PROJ does not know"
        ) from None


def _parse(wkb: NDArray[np.object_], report: _Report) -> NDArray[np.object_]:
    """Geometries from WKB (None where missing or unreadable), in two dimensions."""
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    for index in np.flatnonzero(shapely.is_missing(geometries)).tolist():
        if wkb[index] is None:
            continue  # no geometry at all: reported with the other checks
        fixed = shapely.from_wkb(wkb[index], on_invalid="fix")
        if fixed is not None:
            geometries[index] = fixed
            report.add(index, "a ring was not closed: closed it", "warning")
            continue
        try:
            shapely.from_wkb(wkb[index])
            reason = "unreadable"
        except shapely.errors.GEOSException as error:
            reason = str(error).strip().removeprefix("IllegalArgumentException: ")
        report.add(index, f"geometry cannot be read ({reason})", "error")
    parsed: NDArray[np.object_] = shapely.force_2d(geometries)
    return parsed


def _usable(
    geometries: NDArray[np.object_], unreadable: NDArray[np.bool_], report: _Report
) -> tuple[NDArray[np.object_], NDArray[np.intp]]:
    """Checked (and where possible repaired) geometries, and the positions of those to keep."""
    # Vectorised pre-check; only features that need a closer look go one by one.
    fine = (
        ~shapely.is_missing(geometries)
        & ~shapely.is_empty(geometries)
        & np.isin(shapely.get_type_id(geometries), (POLYGON, MULTIPOLYGON))
        & shapely.is_valid(geometries)
    )
    usable = geometries.copy()
    keep = fine.copy()
    for index in np.flatnonzero(~fine & ~unreadable).tolist():
        checked, message, severity = _check(geometries[index])
        if severity is not None:
            report.add(index, message, severity)
        if checked is not None:
            usable[index] = checked
            keep[index] = True
    return usable, np.flatnonzero(keep)


def _check_codes(features: list[Feature], report: _Report) -> None:
    column = report.code_field
    if column is None:
        return
    first: dict[str, int] = {}
    for feature in features:
        code = _text(feature.properties.get(column))
        if not code:
            report.add(feature.number - 1, f"has no {column}", "warning")
        elif code in first:
            message = f"{column} {code} is also used by feature {first[code]}"
            report.add(feature.number - 1, message, "warning")
        else:
            first[code] = feature.number


def read_boundaries(
    source: str | os.PathLike[str] | bytes,
    *,
    name: str | None = None,
    layer: str | int | None = None,
    code_field: str | None = None,
) -> BoundaryFile:
    """Read one layer of polygons from GeoJSON, a zipped Shapefile or a GeoPackage, to WGS84.

    ``source`` is a path (a ``.zip`` holding a Shapefile is read in place) or the file's bytes
    (an upload; give ``name`` for messages). ``layer`` is needed only when a file holds several
    layers with geometry. ``code_field`` names the column identifying each area in messages;
    by default ``code``, ``gss_code`` or an ONS column such as ``LSOA21CD``.

    >>> import placeworks
    >>> data = Path(placeworks.__file__).parents[1] / "data" / "geography"
    >>> boundaries = read_boundaries(data / "boundaries_lad19_uk.geojson")
    >>> len(boundaries.features), boundaries.crs, boundaries.code_field, boundaries.problems
    (382, 'EPSG:4326', 'code', [])
    >>> boundaries.features[0].properties
    {'code': 'E06000001', 'name': 'Hartlepool'}
    """
    path = None if isinstance(source, bytes) else os.fspath(source)
    if name is None:
        name = Path(path).name if path is not None else "uploaded file"
    if path is not None and not path.startswith("/vsi") and not Path(path).exists():
        raise BoundaryFileError(f"{name}: file not found")
    chosen, meta, wkb, columns, gdal_warnings = _read_layer(source, path, name, layer)
    crs = _declared_crs(meta, name)

    fields = [str(f) for f in meta["fields"]]
    values = [_python_values(column) for column in columns]
    properties = [dict(zip(fields, row, strict=True)) for row in zip(*values, strict=True)]
    if not fields:
        properties = [{} for _ in range(len(wkb))]
    report = _Report(name, properties, _find_code_field(fields, code_field, name))
    report.problems.extend(
        BoundaryProblem(file=name, message=f"GDAL: {message}", severity="warning")
        for message in gdal_warnings
    )

    geometries = _parse(wkb, report)
    unreadable = shapely.is_missing(geometries) & np.array([w is not None for w in wkb])
    usable, kept = _usable(geometries, unreadable, report)

    boundaries = BoundaryFile(
        name=name, crs=crs.to_string(), layer=chosen, code_field=report.code_field
    )
    if len(kept):
        _check_coordinates(crs, shapely.total_bounds(usable[kept]), name)
        usable[kept] = to_wgs84(usable[kept], crs)
        placed = np.isfinite(shapely.bounds(usable)).all(axis=1)
        valid = shapely.is_valid(usable)
        for index in kept.tolist():
            geometry = usable[index]
            if not placed[index]:
                message = f"coordinates cannot be transformed from {crs.to_string()} to WGS84"
                report.add(index, message, "error")
                continue
            if not valid[index]:
                # Reprojection bends edges slightly; a polygon that was just valid can cross.
                geometry = polygonal_part(shapely.make_valid(geometry))
                if geometry is None:
                    report.add(index, "geometry collapsed when reprojected to WGS84", "error")
                    continue
                report.add(index, "geometry became invalid when reprojected: repaired", "warning")
            boundaries.features.append(Feature(geometry, properties[index], index + 1))

    _check_codes(boundaries.features, report)
    boundaries.problems = sorted(report.problems, key=lambda p: (p.feature or 0, p.severity))
    return boundaries


# --- GeoJSON out ------------------------------------------------------------------------------

FeatureLike = Feature | tuple[Geometry | None, Mapping[str, Any]]
"""A ``Feature`` or a (geometry, properties) pair."""


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _prepare(geometries: NDArray[np.object_], precision: int) -> NDArray[np.object_]:
    rounded = shapely.transform(geometries, lambda coords: np.round(coords, precision))
    oriented: NDArray[np.object_] = shapely.orient_polygons(rounded, exterior_cw=False)
    return oriented


def geometry_to_geojson(geometry: Geometry, *, precision: int = GEOJSON_PRECISION) -> str:
    """A geometry as compact GeoJSON text, coordinates rounded, rings oriented per RFC 7946.

    >>> from shapely import box
    >>> geometry_to_geojson(box(-1.1234567, 53.0, -1.0, 53.1))
    '{"type":"Polygon","coordinates":[[[-1.0,53.0],[-1.0,53.1],[-1.123457,53.1],[-1.123457,53.0],[-1.0,53.0]]]}'
    """
    array = np.empty(1, dtype=object)
    array[0] = geometry
    return str(shapely.to_geojson(_prepare(array, precision)[0]))


def to_geojson(
    features: Iterable[FeatureLike],
    *,
    precision: int = GEOJSON_PRECISION,
    id_field: str | None = None,
) -> str:
    """A FeatureCollection as compact GeoJSON text (vectorised: fast for thousands of areas).

    ``id_field`` copies that property into each feature's ``id`` member.

    >>> from shapely import Point
    >>> to_geojson([(Point(-1.19671234, 53.1435), {"code": "E07000174"})], id_field="code")
    '{"type":"FeatureCollection","features":[{"type":"Feature","id":"E07000174","properties":{"code":"E07000174"},"geometry":{"type":"Point","coordinates":[-1.196712,53.1435]}}]}'
    """
    items = list(features)
    geometries = np.empty(len(items), dtype=object)
    geometries[:] = [item[0] for item in items]
    texts = shapely.to_geojson(_prepare(geometries, precision)) if items else []
    parts = []
    for item, text in zip(items, texts, strict=True):
        properties = item[1]
        head = '{"type":"Feature",'
        if id_field is not None and properties.get(id_field) is not None:
            head += f'"id":{json.dumps(properties[id_field], default=_json_default)},'
        body = json.dumps(dict(properties), separators=(",", ":"), default=_json_default)
        parts.append(f'{head}"properties":{body},"geometry":{text or "null"}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def to_feature_collection(
    features: Iterable[FeatureLike],
    *,
    precision: int = GEOJSON_PRECISION,
    id_field: str | None = None,
) -> dict[str, Any]:
    """A FeatureCollection as a dict (for composing into larger JSON responses).

    >>> from shapely import box
    >>> collection = to_feature_collection([(box(0, 0, 1, 1), {"code": "A"})])
    >>> collection["features"][0]["geometry"]["type"], collection["features"][0]["properties"]
    ('Polygon', {'code': 'A'})
    """
    collection: dict[str, Any] = json.loads(
        to_geojson(features, precision=precision, id_field=id_field)
    )
    return collection


def write_geojson(
    path: str | os.PathLike[str],
    features: Iterable[FeatureLike],
    *,
    precision: int = GEOJSON_PRECISION,
    id_field: str | None = None,
) -> None:
    """Write a GeoJSON FeatureCollection (UTF-8), replacing the file only once it is complete.

    >>> import tempfile, pathlib
    >>> from shapely import box
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "areas.geojson"
    ...     write_geojson(target, [(box(0, 0, 1, 1), {"code": "A"})])
    ...     len(read_boundaries(target).features)
    1
    """
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(
        to_geojson(features, precision=precision, id_field=id_field), encoding="utf-8"
    )
    partial.replace(target)
