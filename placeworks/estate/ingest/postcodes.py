"""Postcode centroids: the lookup that places records that come with a postcode only.

Accepts the ONS Postcode Directory (``pcds``, ``lat``, ``long``; ONSPD's ``99.999999`` "no grid
reference" rows are skipped and counted), any file with ``postcode`` and ``latitude``/``longitude``,
or ``postcode`` with British National Grid ``easting``/``northing`` (as the schools' postcode file
in ``data/schools/`` has). After the write, every asset not placed by its own coordinates is
placed again, so practices whose postcodes were missing find their place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from placeworks.ingest.core import BaseImporter, ImportReport, Problem, Progress
from placeworks.partners.permissions import Permission

from .. import services
from ..models import PostcodeCentroid
from .common import (
    LAT_RANGE,
    LON_RANGE,
    POSTCODE_RE,
    Cells,
    Utf8OrWindowsReader,
    bng_to_wgs84,
    map_columns,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "postcode": ("pcds", "pcd", "pcd2", "post code"),
    "latitude": ("lat",),
    "longitude": ("long", "lon", "lng"),
    "easting": ("oseast1m", "x"),
    "northing": ("osnrth1m", "y"),
}
ONSPD_NO_LOCATION = 99.999999


class PostcodeImporter(BaseImporter):
    name = "postcode centroids"
    permission = Permission.IMPORT_GEOGRAPHY

    def __init__(self, *, source: str = ""):
        self.source = source

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        reader = Utf8OrWindowsReader(path, report.file_name)
        rows = reader.rows()
        first = next(rows, None)
        columns, _ = map_columns(reader.headers, COLUMNS)
        has_latlon = {"latitude", "longitude"} <= set(columns)
        has_grid = {"easting", "northing"} <= set(columns)
        if "postcode" not in columns:
            report.problems.append(
                Problem(report.file_name, "missing column: postcode (or pcds)", 1)
            )
        if not has_latlon and not has_grid:
            report.problems.append(
                Problem(
                    report.file_name,
                    "missing columns: latitude and longitude (lat/long), or easting and northing",
                    1,
                )
            )
        parsed: dict[str, tuple[str, float, float]] = {}
        grid: list[tuple[str, str, float, float]] = []
        if report.errors or first is None:
            return parsed
        no_location = 0
        for number, values in [first, *rows]:
            report.rows += 1
            cells = Cells(number, values, report.file_name, report.problems, columns)
            display = " ".join(cells.raw("postcode").upper().split())
            key = PostcodeCentroid.normalise(display)
            if not display:
                cells.problem("postcode", "is empty")
                continue
            if not POSTCODE_RE.match(display if " " in display else f"{key[:-3]} {key[-3:]}"):
                cells.problem("postcode", f"‘{display}’ is not a UK postcode")
                continue
            if " " not in display:
                display = f"{key[:-3]} {key[-3:]}"
            if has_latlon and cells.raw("latitude"):
                lat, lon = cells.number("latitude"), cells.number("longitude")
                if lat is None or lon is None:
                    continue
                if lat == ONSPD_NO_LOCATION:
                    no_location += 1
                    continue
                if not (
                    LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]
                ):
                    cells.problem("latitude", f"{lat:g}, {lon:g} is outside the UK")
                    continue
                parsed[key] = (display, round(lon, 6), round(lat, 6))
            elif has_grid and cells.raw("easting"):
                easting, northing = cells.number("easting", low=0), cells.number("northing", low=0)
                if easting is None or northing is None:
                    continue
                grid.append((key, display, easting, northing))
            else:
                no_location += 1
            if progress and report.rows % 50_000 == 0:
                progress(report.rows, None)
        lons, lats = bng_to_wgs84([g[2] for g in grid], [g[3] for g in grid])
        for (key, display, _, _), lon, lat in zip(grid, lons, lats, strict=True):
            parsed[key] = (display, round(lon, 6), round(lat, 6))
        if no_location:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"{no_location} postcode(s) have no location in the file: skipped",
                    severity="warning",
                )
            )
        return parsed

    def write(
        self,
        parsed: dict[str, tuple[str, float, float]],
        report: ImportReport,
        by: Any,
        progress: Progress | None,
    ) -> None:
        result = services.upsert_postcodes(by=by, centroids=parsed, source=self.source)
        report.created, report.updated, report.unchanged = (
            result.created,
            result.updated,
            result.unchanged,
        )
        if result.located is not None:
            report.notes.append(f"Assets placed again by postcode: {result.located}")
