"""Pieces shared by the row-by-row evidence importers (Fingertips exports, the tidy format)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from placeworks.ingest import ImportReport, Problem
from placeworks.places.models import AreaType

from .. import services
from ..geography import Geography
from ..models import Basis, Indicator


def number(text: str) -> float | None:
    """A cell as a number: None when empty; raises ValueError when not a number."""
    cleaned = text.replace(",", "").strip()
    if cleaned == "":
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def yes(text: str) -> bool:
    return text.strip().lower() in {"yes", "y", "true", "1", "x"}


@dataclass
class Row:
    """One observation read from a file, with where it came from."""

    row: int
    indicator: str
    area_code: str
    period: str
    sex: str
    age: str
    value: float | None
    count: float | None = None
    denominator: float | None = None
    lower: float | None = None
    upper: float | None = None
    confidence: float | None = None
    suppressed: bool = False
    provisional: bool = False
    note: str = ""
    area_type: str = ""
    verdict: str = ""  # a source's own comparison with England ("better", "higher"…)


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    positions: dict[int, list[int]] = field(default_factory=dict)  # row → geography positions
    geography: Geography = field(default_factory=Geography.empty)
    indicators: dict[str, Any] = field(default_factory=dict)


def match_areas(
    parsed: Parsed,
    report: ImportReport,
    *,
    column: str,
    unknown_is_error: bool,
    why: str,
) -> None:
    """Find each row's area (by code, any type unless the row names one); report unknown codes
    with counts and examples — as errors, or as one warning when ``unknown_is_error`` is False."""
    geography = Geography.load()
    parsed.geography = geography
    unknown: Counter[str] = Counter()
    first_row: dict[str, int] = {}
    for item in parsed.rows:
        kinds = [item.area_type] if item.area_type else _types_for(item.area_code)
        found: list[int] = []
        for kind in kinds:
            found = geography.find(kind, item.area_code)
            if found:
                break
        if not found:
            unknown[item.area_code] += 1
            first_row.setdefault(item.area_code, item.row)
            continue
        if len(found) > 1:
            # An LSOA code in two vintages: the newest boundaries.
            found = [max(found, key=lambda p: str(geography.vintages[p]))]
        parsed.positions[item.row] = found
    if not unknown:
        return
    examples = ", ".join(f"{code} (row {first_row[code]})" for code, _ in unknown.most_common(5))
    total_rows = sum(unknown.values())
    message = (
        f"{len(unknown):,} area code(s) in {total_rows:,} row(s) are not in the loaded "
        f"geography, e.g. {examples}."
    )
    if unknown_is_error:
        report.problems.append(Problem(report.file_name, message + " " + why, column=column))
        for code in list(first_row)[:20]:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"unknown area code {code!r}",
                    row=first_row[code],
                    column=column,
                )
            )
    else:
        report.problems.append(Problem(report.file_name, message + " " + why, severity="warning"))


_PREFIXES: dict[str, str] = {
    "E01": AreaType.LSOA,
    "W01": AreaType.LSOA,
    "E02": AreaType.MSOA,
    "E05": AreaType.WARD,
    "E06": AreaType.LAD,
    "E07": AreaType.LAD,
    "E08": AreaType.LAD,
    "E09": AreaType.LAD,
    "E10": AreaType.COUNTY,
    "E11": AreaType.COUNTY,
    "E12": AreaType.REGION,
    "E92": AreaType.COUNTRY,
    "E54": AreaType.ICB,
    "E38": AreaType.SICBL,
}


def _types_for(code: str) -> list[str]:
    """Area types a code may be: by GSS prefix (a unitary authority is both a district and a
    county), else every type."""
    kind = _PREFIXES.get(code[:3])
    if kind == AreaType.LAD and code[:3] == "E06":
        return [AreaType.LAD, AreaType.COUNTY]
    if kind is not None:
        return [kind]
    return [str(t) for t in AreaType]


def check_duplicates(parsed: Parsed, report: ImportReport, column: str) -> None:
    seen: dict[tuple[str, str, str, str, str], int] = {}
    for item in parsed.rows:
        key = (item.indicator, item.area_code, item.period, item.sex, item.age)
        if key in seen:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"the same indicator, area, period, sex and age as row {seen[key]}",
                    row=item.row,
                    column=column,
                )
            )
        else:
            seen[key] = item.row


def write_rows(
    parsed: Parsed,
    indicators: dict[str, Indicator],
    report: ImportReport,
    *,
    basis: str = Basis.PUBLISHED,
    progress: Any = None,
) -> None:
    """Write the rows (grouped by indicator and period) and roll each period up."""
    geography = parsed.geography
    groups: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for item in parsed.rows:
        if item.row in parsed.positions:
            groups[(item.indicator, item.period)].append(item)
    # A national export: the area index is rebuilt once at the end (see services.bulk_load).
    with services.bulk_load(len(parsed.rows)):
        counts = services.Counts()
        steps = len(groups) + 1
        touched: dict[str, list[Indicator]] = defaultdict(list)  # period → indicators written
        for step, ((code, period), items) in enumerate(sorted(groups.items())):
            area_ids: list[int] = []
            chosen: list[Row] = []
            for item in items:
                for position in parsed.positions[item.row]:
                    area_ids.append(int(geography.ids[position]))
                    chosen.append(item)
            frame = services.ObsFrame(
                area=np.array(area_ids, dtype=np.int64),
                value=_column(chosen, "value"),
                count=_column(chosen, "count"),
                denominator=_column(chosen, "denominator"),
                lower=_column(chosen, "lower"),
                upper=_column(chosen, "upper"),
                confidence=_column(chosen, "confidence"),
                suppressed=np.array([r.suppressed for r in chosen], dtype=bool),
                provisional=np.array([r.provisional for r in chosen], dtype=bool),
                sex=[r.sex for r in chosen],
                age=[r.age for r in chosen],
                note=[r.note for r in chosen],
            )
            indicator = indicators[code]
            counts.add(
                services.write_observations(indicator, period, frame, geography, basis=basis)
            )
            if indicator not in touched[period]:
                touched[period].append(indicator)
            if progress:
                progress(step + 1, steps)
        report.created, report.updated, report.unchanged = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        rolled = services.Counts()
        for period, written in touched.items():
            rolled.add(services.rollup_period(written, period, geography))
        if rolled.created or rolled.updated:
            report.notes.append(
                f"Aggregated to larger areas: {rolled.created} created, {rolled.updated} updated."
            )


def _column(rows: Sequence[Row], name: str) -> np.ndarray:
    return np.array(
        [np.nan if getattr(r, name) is None else getattr(r, name) for r in rows], dtype=np.float64
    )
