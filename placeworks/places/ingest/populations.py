"""Population estimates for loaded areas (LSOAs usually), from CSV or XLSX.

The code column is found by its heading (``lsoa_code``, ``LSOA11CD``, ``LSOA code (2011)``,
``code``, ``area_code``). The population is a single column (``population``, ``total``,
``All Ages``, ``Total population: mid 2015 …``) or, failing that, the sum of single-year age
columns (``age_0`` … ``age_90``, as in ONS SAPE files). Several rows for one area (one per sex)
are summed; if a sex column has a persons/all row, only that row is used.

The year comes from ``--year`` or from the heading ("mid 2015") or file name ("mid2019"). Every
code must be a loaded area of the type and vintage given; anything else is an error naming its
row and column. After the import, populations are apportioned to other vintages through their
crosswalks and summed up the hierarchy.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from placeworks.ingest.core import BaseImporter, ImportReport, Progress, TableReader

from ..codes import code_problem, read_heading
from ..models import VINTAGED_TYPES, Area, AreaType
from ..store import chunks, update_rows
from .common import error, parse_count

_CODE_HEADINGS = ("code", "area_code", "areacode", "geography code", "gss_code")
_VALUE_HEADINGS = ("population", "total", "all ages", "all_ages", "persons", "count", "value")
_SEX_HEADINGS = ("sex", "gender")
_ALL_SEXES = {"persons", "all", "p", "t", "total", "people", "0"}
_AGE = re.compile(r"^(?:age[_ ]?)(\d{1,3})(?:\+|_plus)?$", re.IGNORECASE)
_YEAR = re.compile(r"mid[ _-]?(\d{4})", re.IGNORECASE)


@dataclass
class ParsedPopulations:
    values: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # code -> first row
    year: int = 0
    source: str = ""
    areas: dict[str, int] = field(default_factory=dict)  # code -> area id


class PopulationImporter(BaseImporter):
    name = "places: populations"

    def __init__(
        self,
        *,
        area_type: str = AreaType.LSOA,
        vintage: str | None = None,
        year: int | None = None,
        source: str | None = None,
        existing_only: bool = False,
        refresh: bool = True,
    ):
        self.existing_only = existing_only
        self.area_type = area_type
        self.vintage = vintage
        self.year = year
        self.source = source
        self.refresh = refresh

    def parse(
        self, path: Path, report: ImportReport, progress: Progress | None
    ) -> ParsedPopulations | None:
        reader = TableReader(path, report.file_name)
        rows = reader.rows()
        first = next(rows, None)
        headers = reader.headers
        code_column, vintage = self._code_column(headers)
        if code_column is None:
            error(
                report,
                f"no column of {self.area_type} codes: expected a heading such as "
                f"{self.area_type}_code, {self.area_type.upper()}21CD or code; found: "
                + ", ".join(headers),
            )
            return None
        vintage = self.vintage or vintage
        if vintage is None and self.area_type in VINTAGED_TYPES:
            error(
                report,
                f"say which {self.area_type.upper()} vintage the codes are (--vintage 2011 or "
                f"2021): the column {code_column} does not say",
            )
            return None
        lowered = {h.strip().lower(): h for h in headers}
        value_column = next((lowered[h] for h in _VALUE_HEADINGS if h in lowered), None)
        if value_column is None:
            value_column = next(
                (h for h in headers if h.strip().lower().startswith("total population")), None
            )
        age_columns = [h for h in headers if _AGE.match(h.strip())]
        if value_column is None and not age_columns:
            error(
                report,
                "no population column: expected population, total or All Ages, or single-year "
                "age columns age_0 … age_90; found: " + ", ".join(headers),
            )
            return None
        year = self.year or _year_from(value_column or "") or _year_from(report.file_name)
        if year is None:
            error(report, "say which year the estimates are for (--year, e.g. 2019)")
            return None
        sex_column = next((lowered[h] for h in _SEX_HEADINGS if h in lowered), None)
        parsed = ParsedPopulations(year=year)
        parsed.source = self.source or f"{report.file_name}, mid-{year} estimates"
        if first is None:
            error(report, "the file has a header row but no data")
            return None
        by_sex: dict[str, dict[bool, int]] = defaultdict(lambda: defaultdict(int))
        count = 0
        for number, row in _chain(first, rows):
            count += 1
            if progress and count % 5000 == 0:
                progress(count, None)
            code = (row.get(code_column) or "").strip()
            problem = code_problem(self.area_type, code)
            if problem:
                error(report, problem, number, code_column)
                continue
            total = 0
            bad = False
            for column in [value_column] if value_column else age_columns:
                value = parse_count(row.get(column) or "")
                if value is None or value < 0:
                    error(
                        report,
                        f"‘{row.get(column, '')}’ is not a population (a whole number, 0 or more)",
                        number,
                        column,
                    )
                    bad = True
                    break
                total += value
            if bad:
                continue
            is_all = bool(sex_column) and (row.get(sex_column) or "").strip().lower() in _ALL_SEXES
            by_sex[code][is_all] += total
            parsed.rows.setdefault(code, number)
        report.rows = count
        if progress:
            progress(count, count)
        for code, totals in by_sex.items():
            parsed.values[code] = totals[True] if True in totals else totals[False]
        # Every code must be a loaded area of this type and vintage.
        areas = Area.objects.filter(type=self.area_type)
        if vintage is not None and self.area_type in VINTAGED_TYPES:
            areas = areas.filter(vintage=vintage)
        codes = sorted(parsed.values)
        for chunk in chunks(codes):
            parsed.areas.update(areas.filter(code__in=chunk).values_list("code", "id"))
        missing = [c for c in codes if c not in parsed.areas]
        if self.existing_only and missing:
            for code in missing:
                parsed.values.pop(code)
            report.notes.append(
                f"{len(missing):,} codes in the file are not loaded areas and were left out "
                "(--existing-only)."
            )
            missing = []
        label = f"{self.area_type.upper() if len(self.area_type) == 4 else self.area_type}"
        for code in missing[:200]:
            error(
                report,
                f"{code} is not a loaded {label}{' (' + vintage + ')' if vintage else ''}: load "
                "its lookup or boundaries first, or check the code",
                parsed.rows[code],
                code_column,
            )
        if len(missing) > 200:
            error(report, f"… and {len(missing) - 200} more codes that are not loaded")
        return parsed

    def _code_column(self, headers: list[str]) -> tuple[str | None, str | None]:
        for header in headers:
            heading = read_heading(header)
            if heading and heading.kind == "code" and heading.type == self.area_type:
                return header, heading.vintage
        lowered = {h.strip().lower(): h for h in headers}
        for candidate in (f"{self.area_type}_code", f"{self.area_type}code", *_CODE_HEADINGS):
            if candidate in lowered:
                return lowered[candidate], None
        return None, None

    def write(
        self,
        parsed: ParsedPopulations | None,
        report: ImportReport,
        by: Any,
        progress: Progress | None,
    ) -> None:
        from .. import services

        assert parsed is not None
        current = {
            pk: (pop, year, method, source)
            for chunk in chunks(list(parsed.areas.values()))
            for pk, pop, year, method, source in Area.objects.filter(pk__in=chunk).values_list(
                "id", "population", "population_year", "population_method", "population_source"
            )
        }
        changed = []
        source = parsed.source[:200]
        for code, value in parsed.values.items():
            pk = parsed.areas[code]
            wanted = (value, parsed.year, "direct", source)
            if current[pk] == wanted:
                report.unchanged += 1
                continue
            area = Area(pk=pk)
            area.population, area.population_year = value, parsed.year
            area.population_method, area.population_source = "direct", source
            changed.append(area)
            if current[pk][0] is None:
                report.created += 1
            else:
                report.updated += 1
        update_rows(
            Area,
            changed,
            ["population", "population_year", "population_method", "population_source"],
        )
        report.notes.append(
            f"Total population in the file: {sum(parsed.values.values()):,} "
            f"({len(parsed.values):,} areas, mid-{parsed.year})."
        )
        if self.refresh:
            refreshed = services.refresh(by=by, touched=[])
            report.notes.extend(line[:1].upper() + line[1:] + "." for line in refreshed.lines())


def _chain(first: Any, rest: Any) -> Any:
    yield first
    yield from rest


def _year_from(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None
