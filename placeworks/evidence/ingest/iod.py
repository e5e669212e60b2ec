"""English Indices of Deprivation files: File 7 (everything in one CSV) or the separate files
(1 IMD, 2 domains, 3 supplementary indices, 4 sub-domains, 5 scores, 6 population denominators,
8 underlying indicators), with their official headers or the snake_case headers of the
humaniverse/IMD and NHSRpopulation conversions. Several files of one release are imported
together and joined on the LSOA code.

National files and regional geography: a release covers every LSOA in England, the loaded
geography perhaps one region. The whole national file is validated and used — England's figures
and the districts' national ranks come from it — but observations are stored only for the LSOAs
that are loaded; the others are reported as a *warning*, with counts and examples. A file that
covers only part of England must name only loaded LSOAs: there an unknown code is an error.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from placeworks.ingest import BaseImporter, ImportReport, Problem, Progress
from placeworks.partners.permissions import Permission
from placeworks.places.models import AreaType
from placeworks.stats import la_summaries, weighted_mean

from .. import services
from ..aggregation import national_ranks
from ..catalogue import (
    MEASURE_BY_KEY,
    METHOD_POPULATION,
    METHOD_UNDERLYING,
    POPULATIONS,
    RELEASES,
    UNDERLYING,
    ColumnMeaning,
    IndicatorSpec,
    Release,
    iod_source,
    measure_column,
    measure_specs,
    underlying_spec,
)
from ..geography import Geography
from ..models import Basis, Indicator, Observation, Summary, ValueType
from .tables import Sheet, Unreadable, numbers, read_sheets, text

ENGLAND = "E92000001"
LSOA_CODE = re.compile(r"^E01\d{6}$")
NATIONAL_SHARE = 0.99  # a file with this share of England's LSOAs is a national file
RATE_MEASURES = {"income", "employment", "idaci", "idaopi"}


@dataclass
class Field:
    """One value column after the files are joined: values over the union of LSOA codes."""

    values: np.ndarray
    source: str  # "file, column" for messages


@dataclass
class IoDData:
    release: Release
    codes: np.ndarray
    fields: dict[tuple[str, str, str], Field]  # (role, measure or key, kind)
    lad: np.ndarray | None
    national: bool
    positions: np.ndarray  # geography positions of the LSOAs (-1: not loaded)
    geography: Geography
    files: list[str] = field(default_factory=list)

    def get(self, role: str, key: str, kind: str = "") -> np.ndarray | None:
        found = self.fields.get((role, key, kind))
        return None if found is None else found.values


@dataclass
class _Part:
    """What one sheet contributes before the join."""

    sheet: Sheet
    codes: np.ndarray
    fields: dict[tuple[str, str, str], tuple[np.ndarray, str]]
    lad: np.ndarray | None
    vintage: str


class IoDImporter(BaseImporter):
    """Import one release of the English Indices of Deprivation (one file or several)."""

    name: ClassVar[str] = "iod"
    permission: ClassVar[Permission] = Permission.MANAGE_INDICATORS
    bulk_tables: ClassVar[tuple[str, ...]] = (Observation._meta.db_table,)

    def __init__(self, release: str | None = None, companions: Sequence[str | Path] = ()):
        if release is not None and release not in RELEASES:
            raise ValueError(f"release must be one of {', '.join(RELEASES)}, not {release!r}")
        self.release = release
        self.companions = [Path(p) for p in companions]

    # --- parse ----------------------------------------------------------------------------------

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> IoDData | None:
        problems = report.problems
        parts: list[_Part] = []
        files = [path, *self.companions]
        for number, file in enumerate(files):
            display = report.file_name if number == 0 else file.name
            if not file.exists():
                problems.append(Problem(display, "file not found"))
                continue
            try:
                sheets = read_sheets(file, display)
            except Unreadable as exc:
                problems.append(Problem(display, str(exc)))
                continue
            # In a workbook, sheets without LSOA codes (notes, metadata) are passed over.
            optional = len(sheets) > 1
            found = [
                p for sheet in sheets if (p := self._part(sheet, problems, optional)) is not None
            ]
            if not found and not any(p.severity == "error" for p in problems):
                problems.append(
                    Problem(display, "no sheet of this workbook has an LSOA code column")
                )
            parts.extend(found)
            if progress:
                progress(number + 1, len(files) + 2)
        if report.errors or not parts:
            return None
        release = self._release(parts, report)
        if release is None:
            return None
        data = self._join(parts, release, report)
        if data is None or report.errors:
            return None
        report.rows = int(data.codes.size)
        self._check_national(data, report)
        self._match_areas(data, report)
        if progress:
            progress(len(files) + 2, len(files) + 2)
        return None if report.errors else data

    def _part(self, sheet: Sheet, problems: list[Problem], optional: bool = False) -> _Part | None:
        meanings: dict[str, ColumnMeaning | None] = {h: measure_column(h) for h in sheet.headers}
        lsoa = [h for h, m in meanings.items() if m and m.role == "lsoa"]
        if not lsoa and optional:
            return None
        if not lsoa:
            problems.append(
                Problem(
                    sheet.name,
                    "no LSOA code column: expected a header such as 'LSOA code (2021)', "
                    "'LSOA code (2011)', 'lsoa21_code' or 'lsoa_code'",
                    row=1,
                )
            )
            return None
        if len(lsoa) > 1:
            problems.append(
                Problem(sheet.name, f"more than one LSOA code column: {', '.join(lsoa)}", row=1)
            )
            return None
        code_column = lsoa[0]
        unknown = [h for h, m in meanings.items() if m is None and h]
        if unknown:
            problems.append(
                Problem(
                    sheet.name,
                    "columns not recognised as IoD measures, indicators or denominators were "
                    f"ignored: {', '.join(unknown[:12])}" + (" …" if len(unknown) > 12 else ""),
                    row=1,
                    severity="warning",
                )
            )
        raw_codes = text(sheet, code_column)
        codes = raw_codes.fill_null("").to_numpy().astype(object)
        valid = raw_codes.str.contains(LSOA_CODE.pattern).fill_null(False).to_numpy()
        bad = np.flatnonzero(~valid)
        for index in bad[:20]:
            shown = codes[index]
            problems.append(
                Problem(
                    sheet.name,
                    f"expected an English LSOA code like E01012345, found {shown!r}"
                    if shown
                    else "the LSOA code is empty",
                    row=sheet.row_number(int(index)),
                    column=code_column,
                )
            )
        if bad.size > 20:
            problems.append(
                Problem(sheet.name, f"{bad.size - 20} more invalid LSOA codes", column=code_column)
            )
        seen: dict[str, int] = {}
        duplicates = 0
        for index, code in enumerate(codes):
            if not code:
                continue
            if code in seen:
                duplicates += 1
                if duplicates <= 20:
                    problems.append(
                        Problem(
                            sheet.name,
                            f"LSOA {code} appears twice (also row {sheet.row_number(seen[code])})",
                            row=sheet.row_number(index),
                            column=code_column,
                        )
                    )
            else:
                seen[code] = index
        fields: dict[tuple[str, str, str], tuple[np.ndarray, str]] = {}
        lad = None
        for header, meaning in meanings.items():
            if meaning is None or meaning.role in ("lsoa", "ignored"):
                continue
            if meaning.role == "lad":
                lad = text(sheet, header).fill_null("").to_numpy().astype(object)
                continue
            key = (meaning.role, meaning.measure or meaning.key, meaning.kind)
            if key in fields:
                problems.append(
                    Problem(
                        sheet.name,
                        f"two columns hold the same measure: {fields[key][1]} and {header}",
                        row=1,
                        column=header,
                    )
                )
                continue
            fields[key] = (self._values(sheet, header, meaning, problems), header)
        if not fields:
            problems.append(
                Problem(
                    sheet.name,
                    "no column is an IoD score, rank, decile, underlying indicator or population "
                    "denominator; see docs/evidence.md for the headers recognised",
                    row=1,
                )
            )
            return None
        meaning = meanings[code_column]
        vintage = meaning.vintage if meaning is not None else ""
        return _Part(sheet, codes, fields, lad, vintage)

    def _values(
        self, sheet: Sheet, header: str, meaning: ColumnMeaning, problems: list[Problem]
    ) -> np.ndarray:
        if meaning.role == "measure":
            if meaning.kind == "rank":
                return numbers(
                    sheet,
                    header,
                    problems,
                    required=True,
                    integer=True,
                    minimum=1,
                    what="a whole-number rank",
                )
            if meaning.kind == "decile":
                return numbers(
                    sheet,
                    header,
                    problems,
                    required=True,
                    integer=True,
                    minimum=1,
                    maximum=10,
                    what="a decile",
                )
            if meaning.measure in RATE_MEASURES:
                return numbers(
                    sheet,
                    header,
                    problems,
                    required=True,
                    minimum=0,
                    maximum=1,
                    what="a rate",
                )
            return numbers(sheet, header, problems, required=True, what="a score")
        if meaning.role == "population":
            return numbers(
                sheet, header, problems, required=True, minimum=0, what="a population count"
            )
        spec = UNDERLYING[meaning.key]
        if spec.value_type == ValueType.COUNT:
            return numbers(sheet, header, problems, required=False, minimum=0, what="a count")
        return numbers(sheet, header, problems, required=False)

    def _release(self, parts: list[_Part], report: ImportReport) -> Release | None:
        vintages = {p.vintage for p in parts if p.vintage}
        guessed = {"2011": "2019", "2021": "2025"}
        if self.release is not None:
            release = RELEASES[self.release]
            for part in parts:
                if part.vintage and part.vintage != release.lsoa_vintage:
                    report.problems.append(
                        Problem(
                            part.sheet.name,
                            f"the LSOA codes are {part.vintage} LSOAs but IoD{release.period} "
                            f"is published on {release.lsoa_vintage} LSOAs: is this the right "
                            "release?",
                            row=1,
                        )
                    )
            return None if report.errors else release
        if len(vintages) == 1:
            return RELEASES[guessed[vintages.pop()]]
        if len(vintages) > 1:
            report.problems.append(
                Problem(
                    report.file_name,
                    "the files mix 2011 and 2021 LSOA codes: import each release separately",
                )
            )
            return None
        report.problems.append(
            Problem(
                report.file_name,
                "could not tell which release this file belongs to (its LSOA column does not "
                "say 2011 or 2021): pass --release 2019 or --release 2025",
                row=1,
            )
        )
        return None

    def _join(self, parts: list[_Part], release: Release, report: ImportReport) -> IoDData | None:
        codes = np.unique(np.concatenate([p.codes[p.codes != ""] for p in parts]))
        fields: dict[tuple[str, str, str], Field] = {}
        lad: np.ndarray | None = None
        for part in parts:
            ok = part.codes != ""
            index = np.searchsorted(codes, part.codes[ok])
            for key, (values, header) in part.fields.items():
                full = np.full(codes.size, np.nan)
                full[index] = values[ok]
                where = f"{part.sheet.name}, column {header}"
                if key not in fields:
                    fields[key] = Field(full, where)
                    continue
                before = fields[key].values
                both = ~np.isnan(before) & ~np.isnan(full)
                clash = np.flatnonzero(both & ~np.isclose(before, full, rtol=0, atol=1e-9))
                if clash.size:
                    code = codes[clash[0]]
                    row = int(np.flatnonzero(part.codes == code)[0])
                    report.problems.append(
                        Problem(
                            part.sheet.name,
                            f"LSOA {code}: {full[clash[0]]:g} here but {before[clash[0]]:g} in "
                            f"{fields[key].source} ({clash.size} LSOA(s) differ): the files are "
                            "not from the same release",
                            row=part.sheet.row_number(row),
                            column=header,
                        )
                    )
                    continue
                fields[key].values = np.where(np.isnan(before), full, before)
            if part.lad is not None:
                if lad is None:
                    lad = np.full(codes.size, "", dtype=object)
                lad[index] = np.where(part.lad[ok] != "", part.lad[ok], lad[index])
        if report.errors:
            return None
        return IoDData(
            release=release,
            codes=codes,
            fields=fields,
            lad=lad,
            national=codes.size >= NATIONAL_SHARE * release.lsoa_count,
            positions=np.full(codes.size, -1, dtype=np.int64),
            geography=Geography.empty(),
            files=[p.sheet.name for p in parts],
        )

    def _check_national(self, data: IoDData, report: ImportReport) -> None:
        """Ranks within England's range; deciles and scores that agree with the ranks."""
        total = data.release.lsoa_count
        name = report.file_name
        for (role, key, kind), found in data.fields.items():
            if role != "measure" or kind != "rank":
                continue
            ranks = found.values
            over = np.flatnonzero(ranks > total)
            if over.size:
                report.problems.append(
                    Problem(
                        name,
                        f"{found.source}: {over.size} rank(s) above {total:,}, the number of "
                        f"LSOAs in IoD{data.release.period} (e.g. LSOA {data.codes[over[0]]} "
                        f"has {ranks[over[0]]:,.0f}): is this the right release?",
                    )
                )
                continue
            deciles = data.get("measure", key, "decile")
            if deciles is not None:
                both = ~np.isnan(ranks) & ~np.isnan(deciles)
                expected = np.ceil(10 * ranks / total)
                wrong = np.flatnonzero(both & (expected != deciles))
                if wrong.size:
                    i = wrong[0]
                    report.problems.append(
                        Problem(
                            name,
                            f"{data.fields[('measure', key, 'decile')].source}: {wrong.size} "
                            f"decile(s) do not match their rank (LSOA {data.codes[i]}: rank "
                            f"{ranks[i]:,.0f} is decile {expected[i]:.0f}, the file says "
                            f"{deciles[i]:.0f})",
                        )
                    )
            scores = data.get("measure", key, "score")
            if scores is not None:
                both = ~np.isnan(ranks) & ~np.isnan(scores)
                order = np.argsort(ranks[both], kind="stable")
                ordered = scores[both][order]
                rising = np.flatnonzero(np.diff(ordered) > 1e-6)
                if rising.size > max(5, 0.001 * ordered.size):
                    report.problems.append(
                        Problem(
                            name,
                            f"{data.fields[('measure', key, 'score')].source}: the scores do not "
                            f"fall as the ranks in {found.source} rise ({rising.size} "
                            "inversions): are the score and rank columns of the same measure?",
                        )
                    )

    def _match_areas(self, data: IoDData, report: ImportReport) -> None:
        geography = Geography.load()
        data.geography = geography
        vintage = data.release.lsoa_vintage
        known = geography.codes_of(AreaType.LSOA, vintage)
        positions = np.array([known.get(code, -1) for code in data.codes], dtype=np.int64)
        data.positions = positions
        missing = np.flatnonzero(positions < 0)
        if missing.size == 0:
            return
        examples = ", ".join(str(data.codes[i]) for i in missing[:5])
        other = {"2011": "2021", "2021": "2011"}[vintage]
        elsewhere = geography.codes_of(AreaType.LSOA, other)
        hint = ""
        if not known and elsewhere:
            hint = (
                f" Only {other} LSOAs are loaded; IoD{data.release.period} is published on "
                f"{vintage} LSOAs: load that geography (or check --release)."
            )
        message = (
            f"{missing.size:,} of the {data.codes.size:,} LSOA codes are not in the loaded "
            f"geography ({vintage} LSOAs; {int((positions >= 0).sum()):,} are), e.g. {examples}."
        )
        if data.national:
            report.problems.append(
                Problem(
                    report.file_name,
                    message + " This is a national file: they are used for England's figures "
                    "and national ranks, and no values are stored for them." + hint,
                    severity="warning",
                )
            )
        else:
            report.problems.append(
                Problem(
                    report.file_name,
                    message + " A file that does not cover all of England may only name loaded "
                    "LSOAs: load their geography first or remove them." + hint,
                )
            )

    # --- write ----------------------------------------------------------------------------------

    def write(
        self, parsed: IoDData, report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        data = parsed
        period = data.release.period
        specs = self._specs(data)
        indicators = services.ensure_indicators(specs, **iod_source())
        geography = data.geography
        known = data.positions >= 0
        area_ids = geography.ids[data.positions[known]]
        population = data.get("population", "total")
        frames: list[tuple[Indicator, services.ObsFrame, str]] = []
        unstored: dict[int, services.ObsFrame] = {}
        total = data.release.lsoa_count
        for key in sorted({k for (role, k, _) in data.fields if role == "measure"}):
            measure = MEASURE_BY_KEY[key]
            scores = data.get("measure", key, "score")
            ranks = data.get("measure", key, "rank")
            deciles = data.get("measure", key, "decile")
            if deciles is None and ranks is not None:
                deciles = np.ceil(10 * ranks / total)
            rank_of = np.full(known.sum(), float(total))
            if scores is not None:
                frames.append(
                    (
                        indicators[measure.score_code],
                        services.ObsFrame(
                            area=area_ids,
                            value=scores[known],
                            rank=None if ranks is None else ranks[known],
                            rank_of=rank_of if ranks is not None else None,
                            decile=None if deciles is None else deciles[known],
                        ),
                        Basis.PUBLISHED,
                    )
                )
            if ranks is not None:
                rank_frame = services.ObsFrame(
                    area=area_ids,
                    value=ranks[known],
                    rank=ranks[known],
                    rank_of=rank_of,
                    decile=None if deciles is None else deciles[known],
                )
                if scores is not None:
                    # The LSOA's rank is stored on its score; the rank indicator holds the
                    # larger areas' average ranks, rolled up from these.
                    unstored[indicators[measure.rank_code].pk] = rank_frame
                else:
                    frames.append((indicators[measure.rank_code], rank_frame, Basis.PUBLISHED))
        for (role, key, _), found in data.fields.items():
            if role not in ("underlying", "population"):
                continue
            spec = UNDERLYING[key] if role == "underlying" else POPULATIONS[key][0]
            values = found.values[known]
            has = ~np.isnan(values)
            is_count = spec.value_type == ValueType.COUNT
            frames.append(
                (
                    indicators[spec.code],
                    services.ObsFrame(
                        area=area_ids[has],
                        value=values[has],
                        count=values[has] if is_count else None,
                    ),
                    Basis.PUBLISHED,
                )
            )
        if data.national:
            frames.extend(self._england(data, indicators, population, report))
            frames.extend(self._districts(data, indicators, population, report))
        rows = sum(len(frame) for _, frame, _ in frames)
        with services.bulk_load(rows):  # a national file: the area index is rebuilt once
            counts = services.Counts()
            steps = len(frames) + 1
            small_areas: dict[int, services.ObsFrame] = dict(unstored)
            for step, (indicator, frame, basis) in enumerate(frames):
                counts.add(
                    services.write_observations(indicator, period, frame, geography, basis=basis)
                )
                if basis == Basis.PUBLISHED:
                    small_areas[indicator.pk] = frame  # the LSOA values, for the roll-up
                if progress:
                    progress(step + 1, steps)
            report.created, report.updated, report.unchanged = (
                counts.created,
                counts.updated,
                counts.unchanged,
            )
            rolled = services.rollup_period(
                list(indicators.values()), period, geography, frames=small_areas
            )
        if progress:
            progress(steps, steps)
        report.notes.append(
            f"IoD{period} on {data.release.lsoa_vintage} LSOAs from {', '.join(data.files)}: "
            f"{int(known.sum()):,} loaded LSOAs stored"
            + (" (national file: England figures computed from all rows)" if data.national else "")
            + f"; aggregated to larger areas: {rolled.created} created, {rolled.updated} updated, "
            f"{rolled.unchanged} unchanged."
        )
        if population is None:
            report.notes.append(
                "This release's population denominators are not in these files: larger areas "
                "are weighted by the populations in the geography (see docs/evidence.md)."
            )

    def _specs(self, data: IoDData) -> list[IndicatorSpec]:
        specs: list[IndicatorSpec] = []
        measures = sorted({k for (role, k, _) in data.fields if role == "measure"})
        for key in measures:
            measure = MEASURE_BY_KEY[key]
            has_score = ("measure", key, "score") in data.fields
            has_rank = ("measure", key, "rank") in data.fields
            for spec in measure_specs(measure):
                if spec.code == measure.score_code and not has_score:
                    continue
                if spec.code != measure.score_code and not has_rank:
                    continue
                specs.append(spec)
        for role, key, _ in data.fields:
            if role == "underlying":
                specs.append(underlying_spec(UNDERLYING[key], METHOD_UNDERLYING))
            elif role == "population":
                specs.append(underlying_spec(POPULATIONS[key][0], METHOD_POPULATION))
        unique = {s.code: s for s in specs}
        return list(unique.values())

    def _weights(self, data: IoDData, population: np.ndarray | None) -> tuple[np.ndarray, str]:
        if population is not None and not np.isnan(population).any():
            return population, "weighted by the release's population denominators"
        return np.ones(data.codes.size), (
            "each LSOA weighted equally (this file has no population denominators)"
        )

    def _england(
        self,
        data: IoDData,
        indicators: dict[str, Indicator],
        population: np.ndarray | None,
        report: ImportReport,
    ) -> list[tuple[Indicator, services.ObsFrame, str]]:
        england = data.geography.find(AreaType.COUNTRY, ENGLAND)
        if not england:
            report.problems.append(
                Problem(
                    report.file_name,
                    f"England ({ENGLAND}) is not in the geography, so the England benchmark is "
                    "not stored; load the geography and import again",
                    severity="warning",
                )
            )
            return []
        ids = data.geography.ids[england]
        weights, how = self._weights(data, population)
        groups = np.zeros(data.codes.size, dtype=np.int64)
        frames: list[tuple[Indicator, services.ObsFrame, str]] = []

        def add(code: str, value: float, note: str, count: float | None = None) -> None:
            if np.isnan(value):
                return
            frames.append(
                (
                    indicators[code],
                    services.ObsFrame(
                        area=ids,
                        value=np.full(ids.size, value),
                        count=None if count is None else np.full(ids.size, count),
                        note=note,
                    ),
                    Basis.NATIONAL,
                )
            )

        for (role, key, kind), found in data.fields.items():
            values = found.values
            if role == "measure":
                if kind != "score":
                    continue
                _, mean = weighted_mean(values, weights, groups, skipna=True)
                add(
                    MEASURE_BY_KEY[key].score_code,
                    float(mean[0]),
                    f"Average of all {data.codes.size:,} LSOA scores in England, {how}.",
                )
                continue
            spec = UNDERLYING[key] if role == "underlying" else POPULATIONS[key][0]
            if spec.value_type == ValueType.COUNT:
                total = float(np.nansum(values))
                add(spec.code, total, "Sum over every LSOA in England.", count=total)
            else:
                _, mean = weighted_mean(values, weights, groups, skipna=True)
                add(spec.code, float(mean[0]), f"Average over England's LSOAs, {how}.")
        return frames

    def _districts(
        self,
        data: IoDData,
        indicators: dict[str, Indicator],
        population: np.ndarray | None,
        report: ImportReport,
    ) -> list[tuple[Indicator, services.ObsFrame, str]]:
        """MHCLG's district summaries from the national file, ranked among all districts."""
        if data.lad is None or population is None or np.isnan(population).any():
            report.notes.append(
                "District summaries are ranked within the loaded areas only: national district "
                "ranks need the LSOAs' districts and the population denominators (File 6 or 7) "
                "in the same import."
            )
            return []
        has_lad = data.lad != ""
        lads = np.unique(data.lad[has_lad])
        frames: list[tuple[Indicator, services.ObsFrame, str]] = []
        targets: list[tuple[int, int]] = []  # (lad index, geography position)
        for index, code in enumerate(lads):
            for position in data.geography.find(AreaType.LAD, str(code)):
                targets.append((index, position))
        if not targets:
            return []
        lad_index = np.array([t[0] for t in targets], dtype=np.int64)
        area_ids = data.geography.ids[np.array([t[1] for t in targets], dtype=np.int64)]
        total = data.release.lsoa_count
        note = (
            f"Computed by Placeworks from all {data.codes.size:,} LSOAs in England, ranked among "
            f"{lads.size} districts (1 = most deprived)."
        )
        for key in sorted(
            {k for (role, k, kind) in data.fields if role == "measure" and kind == "rank"}
        ):
            measure = MEASURE_BY_KEY[key]
            if not measure.summaries:
                continue
            ranks = data.get("measure", key, "rank")
            scores = data.get("measure", key, "score")
            assert ranks is not None
            ok = has_lad & ~np.isnan(ranks)
            found = la_summaries(
                ranks[ok],
                population[ok],
                data.lad[ok],
                total_areas=total,
                scores=None if scores is None else np.nan_to_num(scores[ok]),
            )
            if any(code not in found for code in lads):
                continue
            ordered = [found[code] for code in lads]
            series: dict[str, tuple[np.ndarray, bool]] = {
                measure.rank_code: (np.array([s.average_rank for s in ordered]), False),
                measure.summary_code(Summary.EXTENT): (np.array([s.extent for s in ordered]), True),
                measure.summary_code(Summary.LOCAL_CONCENTRATION): (
                    np.array([s.local_concentration for s in ordered]),
                    False,
                ),
                measure.summary_code(Summary.MOST_DEPRIVED_10PCT): (
                    np.array([s.proportion_most_deprived_10pct for s in ordered]),
                    True,
                ),
            }
            if scores is not None:
                series[measure.score_code] = (
                    np.array([s.average_score for s in ordered], dtype=np.float64),
                    True,
                )
            for code, (values, higher_is_worse) in series.items():
                if code not in indicators:
                    continue
                ranked = national_ranks(values, higher_is_worse=higher_is_worse)
                frames.append(
                    (
                        indicators[code],
                        services.ObsFrame(
                            area=area_ids,
                            value=values[lad_index],
                            rank=ranked[lad_index].astype(np.float64),
                            rank_of=np.full(area_ids.size, float(lads.size)),
                            note=note,
                        ),
                        Basis.NATIONAL,
                    )
                )
        if frames:
            report.notes.append(
                f"District summaries computed from the national file for {lads.size} districts "
                f"(stored for the {len(set(area_ids.tolist()))} loaded)."
            )
        return frames
