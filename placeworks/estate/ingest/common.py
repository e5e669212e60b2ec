"""Shared parts of the estate importers: reading, cell parsing, owners, the write step.

Each format module turns its file into ``ParsedAsset`` records (validating every row and
reporting every problem with its row and column), and ``AssetImporter.write`` resolves owners and
hands the rows to ``services.upsert_assets``: all or nothing, keyed by identifier, so a re-run of
the same file changes nothing.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from placeworks.geo import crs
from placeworks.ingest.core import BaseImporter, ImportReport, Problem, Progress, TableReader
from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import (
    Permission,
    has_permission,
    is_platform_admin,
)

from .. import services
from ..models import Asset

# The UK's extent, generously: coordinates outside it are almost always swapped or mistyped.
LAT_RANGE = (49.0, 61.5)
LON_RANGE = (-9.0, 2.5)
EASTING_RANGE = (0.0, 700_000.0)
NORTHING_RANGE = (0.0, 1_300_000.0)
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


def bng_to_wgs84(
    eastings: Sequence[float], northings: Sequence[float]
) -> tuple[list[float], list[float]]:
    """British National Grid (EPSG:27700) to longitude/latitude (EPSG:4326), as lists."""
    if not eastings:
        return [], []
    lons, lats = crs.bng_to_wgs84(list(eastings), list(northings))
    return lons.tolist(), lats.tolist()


class Utf8OrWindowsReader(TableReader):
    """``TableReader`` that also reads Windows-1252 CSV (as GIAS and many council files are)."""

    def _csv_rows(self, gzipped: bool) -> Iterator[tuple[int, dict[str, str]]]:
        if gzipped:
            yield from super()._csv_rows(gzipped)
            return
        raw = self.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            return
        self.headers = [h.strip() for h in header]
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            yield number, dict(zip(self.headers, (v.strip() for v in values), strict=False))


def header_key(name: str) -> str:
    """Compare headers loosely: case, spaces, underscores and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass
class Cells:
    """One row's cells with typed accessors that record problems instead of raising."""

    row: int
    values: dict[str, str]
    file: str
    problems: list[Problem]
    columns: dict[str, str] = field(default_factory=dict)  # canonical name -> header in file

    def raw(self, name: str) -> str:
        header = self.columns.get(name)
        value = self.values.get(header, "") if header else ""
        return "" if value.upper() in {"NA", "N/A", "NULL"} else value.strip()

    def problem(self, name: str, message: str, severity: str = "error") -> None:
        self.problems.append(
            Problem(self.file, message, self.row, self.columns.get(name, name), severity)
        )

    def text(self, name: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.raw(name)
        if required and not value:
            self.problem(name, "is empty; it is required")
        if max_length and len(value) > max_length:
            self.problem(name, f"is {len(value)} characters long; at most {max_length} fit")
            value = value[:max_length]
        return value

    def number(
        self, name: str, *, low: float | None = None, high: float | None = None
    ) -> float | None:
        value = self.raw(name).replace(",", "").replace("£", "").rstrip("%").strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.problem(name, f"‘{self.raw(name)}’ is not a number")
            return None
        if not math.isfinite(number):
            self.problem(name, f"‘{self.raw(name)}’ is not a number")
            return None
        if low is not None and number < low:
            self.problem(name, f"{value} is below the lowest allowed value, {low:g}")
            return None
        if high is not None and number > high:
            self.problem(name, f"{value} is above the highest allowed value, {high:g}")
            return None
        return number

    def integer(self, name: str, *, low: int = 0) -> int | None:
        number = self.number(name, low=low)
        if number is None:
            return None
        if number != int(number):
            self.problem(name, f"{number:g} is not a whole number")
            return None
        return int(number)

    def money(self, name: str) -> Decimal | None:
        number = self.number(name, low=0)
        if number is None:
            return None
        try:
            return Decimal(str(round(number, 2)))
        except InvalidOperation:  # pragma: no cover - float() accepted it
            self.problem(name, "is not an amount of money")
            return None

    def choice(self, name: str, choices: Any, default: str = "") -> str:
        """A value of ``choices`` (a TextChoices class) matched by value or label."""
        value = self.raw(name)
        if not value:
            return default
        wanted = header_key(value)
        for choice_value, label in choices.choices:
            if wanted in {header_key(str(choice_value)), header_key(str(label))}:
                return str(choice_value)
            # Labels like "A – as new": the letter alone matches too.
            if header_key(str(label).split(" – ")[0]) == wanted:
                return str(choice_value)
        allowed = ", ".join(str(v) for v in choices.values)
        self.problem(name, f"‘{value}’ is not one of: {allowed}")
        return default

    def yes_no(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in {"", "no", "n", "false", "0"}:
            return False
        if value in {"yes", "y", "true", "1"}:
            return True
        self.problem(name, f"‘{self.raw(name)}’ should be yes or no")
        return False

    def postcode(self, name: str) -> str:
        value = " ".join(self.raw(name).upper().split())
        if value and not POSTCODE_RE.match(value):
            self.problem(name, f"‘{value}’ is not a UK postcode", severity="warning")
        return value


def map_columns(
    headers: Sequence[str], aliases: Mapping[str, Sequence[str]]
) -> tuple[dict[str, str], list[str]]:
    """Match file headers to canonical names; returns (canonical -> header, unused headers)."""
    by_key = {header_key(h): h for h in headers if h}
    columns: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            header = by_key.get(header_key(name))
            if header is not None:
                columns[canonical] = header
                break
    used = set(columns.values())
    return columns, [h for h in headers if h and h not in used]


@dataclass(frozen=True)
class OwnerSpec:
    """Who owns a row's asset: an existing organisation, or one to create if missing."""

    name: str
    sector: str
    match: tuple[tuple[str, str], ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()
    existing_id: int | None = None
    slug: str = ""


@dataclass
class ParsedAsset:
    row: int
    identifier: str
    owner: OwnerSpec
    fields: dict[str, Any]
    easting: float | None = None
    northing: float | None = None


class AssetImporter(BaseImporter):
    """Base for the asset formats: owner resolution, permission per owner, identifiers."""

    permission = Permission.EDIT_ASSET
    label = "assets"

    def __init__(
        self,
        *,
        owner: Organisation | None = None,
        is_sample: bool = False,
        default_visibility: str | None = None,
    ):
        self.owner = owner
        self.is_sample = is_sample
        self.default_visibility = default_visibility
        self.by: Any = None

    def run(self, path: str | Path, *, by: Any = None, **kwargs: Any) -> ImportReport:
        self.by = by
        return super().run(path, by=by, **kwargs)

    # --- helpers for subclasses ---------------------------------------------------------------

    def check_owner_permission(self, owner: OwnerSpec, cells: Cells, column: str) -> None:
        """Report (as a problem) an owner the importing user may not write assets for."""
        if self.by is None or is_platform_admin(self.by):
            return
        if owner.existing_id is None:
            cells.problem(
                column,
                f"{owner.name} is not a partner organisation yet; a platform administrator "
                "must import this file, or add the organisation first",
            )
            return
        probe = Asset(owner_id=owner.existing_id, visibility=Visibility.PUBLIC)
        if not has_permission(self.by, Permission.EDIT_ASSET, probe):
            cells.problem(column, f"you are not an editor of {owner.name}")

    def check_duplicates(self, parsed: list[ParsedAsset], report: ImportReport) -> None:
        seen: dict[str, int] = {}
        for item in parsed:
            first = seen.setdefault(item.identifier, item.row)
            if first != item.row:
                report.problems.append(
                    Problem(
                        report.file_name,
                        f"duplicate: identifier {item.identifier} is also on row {first}",
                        item.row,
                        None,
                    )
                )

    def convert_grid_references(self, parsed: list[ParsedAsset]) -> None:
        grid = [p for p in parsed if p.easting is not None and p.northing is not None]
        lons, lats = bng_to_wgs84(
            [p.easting or 0.0 for p in grid], [p.northing or 0.0 for p in grid]
        )
        for item, lon, lat in zip(grid, lons, lats, strict=True):
            item.fields["lon"], item.fields["lat"] = round(lon, 7), round(lat, 7)

    # --- the write step -------------------------------------------------------------------------

    def write(
        self, parsed: list[ParsedAsset], report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        owners: dict[OwnerSpec, Organisation] = {}
        new_owners = 0
        rows = []
        for item in parsed:
            org = owners.get(item.owner)
            if org is None:
                if item.owner.existing_id is not None:
                    org = Organisation.objects.get(pk=item.owner.existing_id)
                else:
                    org, created = services.ensure_organisation(
                        by=by,
                        name=item.owner.name,
                        sector=item.owner.sector,
                        match=dict(item.owner.match),
                        **dict(item.owner.identifiers),
                    )
                    new_owners += created
                owners[item.owner] = org
            fields = dict(item.fields)
            if self.is_sample:
                fields["is_sample"] = True
            rows.append({**fields, "owner": org, "identifier": item.identifier})
        result = services.upsert_assets(by=by, rows=rows)
        report.created, report.updated, report.unchanged = (
            result.created,
            result.updated,
            result.unchanged,
        )
        if new_owners:
            report.notes.append(f"{new_owners} owning organisation(s) added to the partnership.")
        if result.located is not None and result.located.total:
            report.notes.append(f"Location of new or moved assets: {result.located}")
        if progress:
            progress(len(parsed), len(parsed))


def owner_lookup() -> dict[str, tuple[int, str]]:
    """Existing organisations, as (id, slug), by slug, lower-case name and ODS code."""
    found: dict[str, tuple[int, str]] = {}
    for pk, name, slug, ods in Organisation.objects.values_list("pk", "name", "slug", "ods_code"):
        found[f"slug:{slug}"] = (pk, slug)
        found[f"name:{name.lower()}"] = (pk, slug)
        if ods:
            found[f"ods:{ods.upper()}"] = (pk, slug)
    return found


SMALL_WORDS = {"and", "of", "the", "at", "in", "on", "for"}
KEEP_UPPER = {"NHS", "GP", "CIC", "UK", "PCN", "HMP", "YMCA", "UTC"}


def tidy_name(name: str) -> str:
    """Title case for the ALL-CAPS names of NHS files, keeping acronyms: ‘THE PARK SURGERY’."""
    if not name.isupper():
        return name
    words = []
    for i, word in enumerate(name.split()):
        if word in KEEP_UPPER:
            words.append(word)
        elif i and word.lower() in SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(re.sub(r"'S\b", "'s", word.capitalize()))
    return " ".join(words)
