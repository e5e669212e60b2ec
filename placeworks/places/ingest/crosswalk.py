"""Population-weighted crosswalks from counts of people in each pair of areas.

The model file is NHS Digital's "Patients registered at a GP practice" by LSOA
(``gp-reg-pat-prac-lsoa-all.csv``: ``PRACTICE_CODE``, ``PRACTICE_NAME``, ``LSOA_CODE``,
``SEX``, ``NUMBER_OF_PATIENTS``). From it two crosswalks are made:

- GP practice → LSOA: the share of each practice's registered patients living in each LSOA
  (apportion a practice's counts to neighbourhoods);
- LSOA → GP practice: the share of each LSOA's registered residents at each practice.

GP practices are created as areas (no boundary: a practice has patients, not a territory) when
they are not loaded. Rows whose LSOA is recorded as unknown (``NO2011``, ``UNKNOWN``, blank) or
is not loaded (patients living outside the region) are counted and reported, and left out of
the weights, which are shares of the patients that could be placed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from placeworks.ingest.core import BaseImporter, ImportReport, Progress, TableReader

from ..codes import code_problem
from ..models import VINTAGED_TYPES, Area, AreaType, Crosswalk
from ..store import AreaBook, chunks, save_weights
from .common import error, parse_count, warning

_UNKNOWN = {"", "NO2011", "NO2021", "UNKNOWN", "NULL", "NA"}
_DEFAULT_COLUMNS = {
    "source": ("practice_code", "source_code", "from_code"),
    "source_name": ("practice_name", "source_name", "from_name"),
    "target": ("lsoa_code", "lsoa11cd", "lsoa21cd", "target_code", "to_code"),
    "count": ("number_of_patients", "patients", "count", "population", "value"),
    "sex": ("sex", "gender"),
}


@dataclass
class ParsedCounts:
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    unplaced: dict[str, int] = field(default_factory=dict)  # source -> people not placed
    targets: dict[str, int] = field(default_factory=dict)  # target code -> area id


class CountCrosswalkImporter(BaseImporter):
    name = "places: population crosswalk"

    def __init__(
        self,
        *,
        source_type: str = AreaType.GP_PRACTICE,
        target_type: str = AreaType.LSOA,
        target_vintage: str = "2011",
        source_column: str | None = None,
        target_column: str | None = None,
        count_column: str | None = None,
        label: str = "registered patients",
        refresh: bool = True,
    ):
        self.source_type = source_type
        self.target_type = target_type
        self.target_vintage = target_vintage
        self.columns = {"source": source_column, "target": target_column, "count": count_column}
        self.label = label
        self.refresh = refresh

    def parse(
        self, path: Path, report: ImportReport, progress: Progress | None
    ) -> ParsedCounts | None:
        reader = TableReader(path, report.file_name)
        rows = reader.rows()
        first = next(rows, None)
        lowered = {h.strip().lower(): h for h in reader.headers}

        def find(role: str) -> str | None:
            chosen = self.columns.get(role)
            if chosen:
                return chosen if chosen in reader.headers else None
            return next((lowered[c] for c in _DEFAULT_COLUMNS[role] if c in lowered), None)

        source_col, target_col, count_col = find("source"), find("target"), find("count")
        name_col, sex_col = find("source_name"), find("sex")
        missing = [
            role
            for role, col in (
                ("source code", source_col),
                ("target code", target_col),
                ("count", count_col),
            )
            if col is None
        ]
        if missing:
            error(
                report,
                "cannot find the " + ", ".join(missing) + " column(s): expected e.g. "
                "PRACTICE_CODE, LSOA_CODE, NUMBER_OF_PATIENTS; found: " + ", ".join(reader.headers),
            )
            return None
        assert source_col and target_col and count_col
        if first is None:
            error(report, "the file has a header row but no data")
            return None
        parsed = ParsedCounts()
        all_rows: dict[bool, dict[tuple[str, str], int]] = {True: {}, False: {}}
        unplaced: dict[bool, dict[str, int]] = {True: defaultdict(int), False: defaultdict(int)}
        number_rows = 0
        for number, row in [first, *rows]:
            number_rows += 1
            if progress and number_rows % 5000 == 0:
                progress(number_rows, None)
            source = (row.get(source_col) or "").strip().upper()
            target = (row.get(target_col) or "").strip().upper()
            problem = code_problem(self.source_type, source)
            if problem:
                error(report, problem, number, source_col)
                continue
            count = parse_count(row.get(count_col) or "")
            if count is None or count < 0:
                error(
                    report,
                    f"‘{row.get(count_col, '')}’ is not a count (a whole number)",
                    number,
                    count_col,
                )
                continue
            if name_col and row.get(name_col):
                parsed.names.setdefault(source, (row.get(name_col) or "").strip())
            sex = (row.get(sex_col) or "") if sex_col else ""
            is_all = sex.strip().upper() in {
                "ALL",
                "PERSONS",
                "P",
            }
            if target in _UNKNOWN:
                unplaced[is_all][source] += count
                continue
            problem = code_problem(self.target_type, target)
            if problem:
                error(report, problem, number, target_col)
                continue
            key = (source, target)
            all_rows[is_all][key] = all_rows[is_all].get(key, 0) + count
        report.rows = number_rows
        if progress:
            progress(number_rows, number_rows)
        use_all = bool(all_rows[True])
        parsed.counts = all_rows[use_all]
        parsed.unplaced = dict(unplaced[use_all])
        targets = sorted({t for _, t in parsed.counts})
        query = Area.objects.filter(type=self.target_type)
        if self.target_type in VINTAGED_TYPES:
            query = query.filter(vintage=self.target_vintage)
        for chunk in chunks(targets):
            parsed.targets.update(query.filter(code__in=chunk).values_list("code", "id"))
        outside = [t for t in targets if t not in parsed.targets]
        if outside:
            for (source, target), count in list(parsed.counts.items()):
                if target not in parsed.targets:
                    parsed.unplaced[source] = parsed.unplaced.get(source, 0) + count
                    del parsed.counts[(source, target)]
            warning(
                report,
                f"{len(outside):,} {self.target_type} codes are not loaded (people living outside "
                "the loaded areas): their counts are left out of the weights",
            )
        return parsed

    def write(
        self, parsed: ParsedCounts | None, report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        from .. import services

        assert parsed is not None
        book = AreaBook({self.source_type})
        sources: dict[str, Area] = {}
        for code in sorted({s for s, _ in parsed.counts} | set(parsed.unplaced)):
            area, created = book.ensure(self.source_type, code, "", parsed.names.get(code))
            sources[code] = area
            report.created += created
        _, report.updated = book.flush()
        by_source: dict[str, int] = defaultdict(int)
        by_target: dict[str, int] = defaultdict(int)
        for (s, t), n in parsed.counts.items():
            by_source[s] += n
            by_target[t] += n
        forward = {
            (sources[s].pk, parsed.targets[t]): n / by_source[s]
            for (s, t), n in parsed.counts.items()
            if by_source[s] > 0
        }
        backward = {
            (parsed.targets[t], sources[s].pk): n / by_target[t]
            for (s, t), n in parsed.counts.items()
            if by_target[t] > 0
        }
        vintage = self.target_vintage if self.target_type in VINTAGED_TYPES else ""
        target_label = f"{self.target_type} {vintage}".strip()
        placed = sum(parsed.counts.values())
        unplaced = sum(parsed.unplaced.values())
        description = (
            f"From {report.file_name}: shares of {self.label}. {placed:,} placed in loaded "
            f"areas; {unplaced:,} not placed (unknown or not loaded), left out of the shares."
        )
        for name, pairs, (st, sv, tt, tv) in (
            (
                f"{self.source_type} to {target_label} ({self.label})",
                forward,
                (self.source_type, "", self.target_type, vintage),
            ),
            (
                f"{target_label} to {self.source_type} ({self.label})",
                backward,
                (self.target_type, vintage, self.source_type, ""),
            ),
        ):
            crosswalk, _ = Crosswalk.objects.update_or_create(
                name=name[:200],
                defaults={
                    "source_type": st,
                    "source_vintage": sv,
                    "target_type": tt,
                    "target_vintage": tv,
                    "method": Crosswalk.Method.POPULATION,
                    "description": description,
                },
            )
            counts = save_weights(crosswalk, pairs)
            report.notes.append(f"Crosswalk ‘{crosswalk.name}’: {counts}.")
        report.notes.append(description)
        report.unchanged = max(0, len(sources) - report.created - report.updated)
        if self.refresh:
            refreshed = services.refresh(by=by, touched=[a.pk for a in sources.values()])
            report.notes.extend(line[:1].upper() + line[1:] + "." for line in refreshed.lines())
