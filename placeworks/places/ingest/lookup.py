"""Lookup tables: which area lies in which (ONS best-fit lookups and their like).

Columns are recognised by their headings (``placeworks.places.codes.detect_columns``): each
area level is a code column with an optional name column, and the two digits give the
boundary vintage (``WD24CD`` = wards 2024). Each row is read along the official chains

    LSOA → ward → LAD → county → region → country
    LSOA → MSOA → LAD          LSOA → sub-ICB location → ICB          LAD → ICB

linking each level to the next one present in the row. A blank cell skips its level for that
row (a unitary authority with no county goes straight to its region); an ONS "county or
unitary" column holding a unitary's own district code is read the same way.

A level that skips another (LSOA → LAD in a file without wards) is only linked when the area
has no parent at the skipped level already (its ward leads to its district anyway).

When a file holds two vintages of one type (``F_LSOA11CD`` and ``LSOA21CD``) it is read as a
crosswalk from the older to the newer: unchanged and merged areas pass whole; an area split
between several is shared by the area of overlap of the newer boundaries when both are loaded,
and equally otherwise (the crosswalk's description says which).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from placeworks.ingest.core import BaseImporter, ImportReport, Progress, TableReader

from ..codes import LevelColumns, code_problem, detect_columns, is_unitary_code, vintage_key
from ..models import Area, AreaRelation, AreaType, Crosswalk
from ..store import AreaBook, chunks, load_geometries, save_weights, set_within_parents
from .common import allowed_codes, error, warning

CHAINS: tuple[tuple[str, ...], ...] = (
    (
        AreaType.LSOA,
        AreaType.WARD,
        AreaType.LAD,
        AreaType.COUNTY,
        AreaType.REGION,
        AreaType.COUNTRY,
    ),
    (AreaType.LSOA, AreaType.MSOA, AreaType.LAD),
    (AreaType.LSOA, AreaType.SICBL, AreaType.ICB),
    (AreaType.LAD, AreaType.ICB),
    (AreaType.GP_PRACTICE, AreaType.PCN, AreaType.SICBL),
)

# The levels that lie between two types on any chain (LSOA and LAD: ward, MSOA).
BETWEEN: dict[tuple[str, str], tuple[str, ...]] = {}
for _chain in CHAINS:
    for _i, _low in enumerate(_chain):
        for _j in range(_i + 1, len(_chain)):
            _known = BETWEEN.get((_low, _chain[_j]), ())
            BETWEEN[(_low, _chain[_j])] = tuple(dict.fromkeys(_known + _chain[_i + 1 : _j]))

_FINENESS: list[str] = [
    AreaType.LSOA,
    AreaType.GP_PRACTICE,
    AreaType.MSOA,
    AreaType.WARD,
    AreaType.PCN,
    AreaType.LAD,
    AreaType.SICBL,
    AreaType.COUNTY,
    AreaType.ICB,
    AreaType.REGION,
    AreaType.COUNTRY,
]
_CHANGE_COLUMNS = ("chgind", "change", "change_indicator")

Key = tuple[str, str, str]  # (type, vintage, code)


@dataclass
class ParsedLookup:
    levels: list[LevelColumns]
    names: dict[Key, str] = field(default_factory=dict)
    # child key -> {parent type: (parent key, row)}
    edges: dict[Key, dict[str, tuple[Key, int]]] = field(default_factory=dict)
    skips: dict[tuple[Key, str], tuple[str, ...]] = field(default_factory=dict)
    partial: dict[Key, int] = field(default_factory=dict)  # parent -> rows outside --within
    complete: set[Key] = field(default_factory=set)  # parents with every row of theirs kept
    # crosswalk mode
    crosswalk: tuple[LevelColumns, LevelColumns] | None = None
    pairs: list[tuple[str, str, str, int]] = field(default_factory=list)  # src, tgt, change, row
    sources: dict[str, int] = field(default_factory=dict)  # code -> area id
    targets: dict[str, int] = field(default_factory=dict)


class LookupImporter(BaseImporter):
    """An ONS-style lookup into the hierarchy (or a crosswalk; see the module docstring)."""

    name = "places: lookup"

    def __init__(
        self,
        *,
        within: Iterable[str] = (),
        vintages: dict[str, str] | None = None,
        ignore_columns: Iterable[str] = (),
        crosswalk_name: str | None = None,
        inactive: bool = False,
        refresh: bool = True,
    ):
        self.within = [c for c in within if c]
        self.vintages = dict(vintages or {})
        self.ignore = {c.strip().lower() for c in ignore_columns}
        self.crosswalk_name = crosswalk_name
        self.inactive = inactive
        self.refresh = refresh

    # --- parse ------------------------------------------------------------------------------

    def parse(
        self, path: Path, report: ImportReport, progress: Progress | None
    ) -> ParsedLookup | None:
        reader = TableReader(path, report.file_name)
        rows = reader.rows()
        first = next(rows, None)
        headers = [h for h in reader.headers if h.strip().lower() not in self.ignore]
        levels, other = detect_columns(headers)
        if not levels:
            error(
                report,
                "no area code columns found. Expected ONS-style headings such as LSOA21CD, "
                "WD24CD and WD24NM, LAD24CD (or lsoa11_code, ward17_code); found: "
                + (", ".join(reader.headers) or "no header row"),
            )
            return None
        levels = [
            LevelColumns(lv.type, self.vintages.get(lv.type, lv.vintage), lv.code, lv.name)
            for lv in levels
        ]
        change_column = next((h for h in other if h.strip().lower() in _CHANGE_COLUMNS), None)
        by_type: dict[str, list[LevelColumns]] = defaultdict(list)
        for level in levels:
            by_type[level.type].append(level)
        parsed = ParsedLookup(levels=levels)
        doubled = [t for t, lvls in by_type.items() if len(lvls) > 1]
        if doubled:
            if len(doubled) > 1 or len(by_type[doubled[0]]) > 2:
                error(
                    report,
                    "more than one pair of columns of the same type ("
                    + ", ".join(lv.code for t in doubled for lv in by_type[t])
                    + "): a lookup links one vintage of each type",
                )
                return None
            older, newer = sorted(by_type[doubled[0]], key=lambda lv: vintage_key(lv.vintage))
            if older.vintage == newer.vintage:
                error(report, f"columns {older.code} and {newer.code} are the same vintage")
                return None
            parsed.crosswalk = (older, newer)
            ignored = [lv.code for lv in levels if lv not in (older, newer)]
            if ignored:
                report.notes.append(
                    f"Read as a crosswalk from {older.label} to {newer.label}; columns "
                    f"{', '.join(ignored)} are not used."
                )
        if first is None:
            error(report, "the file has a header row but no data")
            return None

        allowed = allowed_codes(self.within) if self.within else None
        finest = min(levels, key=lambda lv: _rank(lv.type))
        seen_parents: dict[tuple[Key, str], dict[Key, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )
        dropped_parents: dict[Key, int] = defaultdict(int)
        kept_parents: set[Key] = set()

        def all_rows() -> Any:
            yield first
            yield from rows

        count = 0
        for number, row in all_rows():
            count += 1
            if progress and count % 5000 == 0:
                progress(count, None)
            present: dict[str, Key] = {}
            names_here: list[tuple[Key, str, str]] = []
            row_ok = True
            for level in levels:
                code = (row.get(level.code) or "").strip()
                if not code:
                    if level is finest or (parsed.crosswalk and level in parsed.crosswalk):
                        error(report, f"{level.label} code is empty", number, level.code)
                        row_ok = False
                    continue
                if level.type == AreaType.COUNTY and is_unitary_code(code):
                    continue  # a unitary authority in a "county or unitary" column
                problem = code_problem(level.type, code)
                if problem:
                    error(report, problem, number, level.code)
                    row_ok = False
                    continue
                present[
                    level.type
                    if not parsed.crosswalk or level not in parsed.crosswalk
                    else level.vintage
                ] = (
                    level.type,
                    level.vintage,
                    code,
                )
                name = (row.get(level.name) or "").strip() if level.name else ""
                if name and level.name:
                    names_here.append(((level.type, level.vintage, code), name, level.name))
            if not row_ok:
                continue
            keys = list(present.values())
            if allowed is not None and not any(k[2] in allowed for k in keys):
                for k in keys:
                    if k[0] != finest.type:
                        dropped_parents[k] += 1
                continue
            for key, name, name_column in names_here:
                known = parsed.names.get(key)
                if known is None:
                    parsed.names[key] = name
                elif known != name and len(report.warnings) < 200:
                    warning(
                        report,
                        f"{key[2]} is named ‘{known}’ earlier and ‘{name}’ here; the first "
                        "name is used",
                        number,
                        name_column,
                    )
            for k in keys:
                if k[0] != finest.type:
                    kept_parents.add(k)
            if parsed.crosswalk is not None:
                older, newer = parsed.crosswalk
                change = (row.get(change_column) or "").strip().upper() if change_column else ""
                parsed.pairs.append(
                    (present[older.vintage][2], present[newer.vintage][2], change, number)
                )
                continue
            for chain in CHAINS:
                steps = [present[t] for t in chain if t in present]
                for child, parent in zip(steps, steps[1:], strict=False):
                    seen_parents[(child, parent[0])][parent].append(number)
                    between = BETWEEN.get((child[0], parent[0]), ())
                    if chain.index(parent[0]) - chain.index(child[0]) > 1:
                        parsed.skips[(child, parent[0])] = between
        report.rows = count
        if progress:
            progress(count, count)

        # One parent per child and type; otherwise the child does not nest.
        for (child, parent_type), parents in seen_parents.items():
            if len(parents) == 1:
                parent_key, numbers = next(iter(parents.items()))
                parsed.edges.setdefault(child, {})[parent_type] = (parent_key, numbers[0])
                continue
            listing = "; ".join(
                f"{p[2]} (row{'s' if len(n) > 1 else ''} {', '.join(map(str, n[:3]))})"
                for p, n in sorted(parents.items())
            )
            level = next(lv for lv in levels if lv.type == child[0] and lv.vintage == child[1])
            if child[0] == finest.type:
                error(
                    report,
                    f"{child[2]} is given more than one {parent_type}: {listing}. A lookup gives "
                    "each area one parent; import areas that do not nest as a crosswalk",
                    min(n[0] for n in parents.values()),
                    level.code,
                )
            else:
                warning(
                    report,
                    f"{child[2]} lies in more than one {parent_type} ({listing}): it does not nest, "
                    f"so no {parent_type} is recorded for it",
                    min(n[0] for n in parents.values()),
                    level.code,
                )
        # A link that skips a level is redundant when the file gives that level (the LSOA's
        # ward leads to the same district).
        for (child, parent_type), between in list(parsed.skips.items()):
            own = parsed.edges.get(child, {})
            if parent_type in own and any(b in own for b in between):
                del own[parent_type]
                del parsed.skips[(child, parent_type)]
        parsed.partial = {k: n for k, n in dropped_parents.items() if k in kept_parents}
        parsed.complete = kept_parents - set(dropped_parents)
        if parsed.crosswalk is not None:
            self._check_crosswalk_areas(parsed, report)
        return parsed

    def _check_crosswalk_areas(self, parsed: ParsedLookup, report: ImportReport) -> None:
        """Both ends of a crosswalk must be loaded areas (it links areas, it makes none)."""
        assert parsed.crosswalk is not None
        older, newer = parsed.crosswalk
        for level, position, found in ((older, 0, parsed.sources), (newer, 1, parsed.targets)):
            codes = sorted({pair[position] for pair in parsed.pairs})
            for chunk in chunks(codes):
                found.update(
                    Area.objects.filter(
                        type=level.type, vintage=level.vintage, code__in=chunk
                    ).values_list("code", "id")
                )
            reported = 0
            for pair in parsed.pairs:
                code = pair[position]
                if code in found or reported >= 200:
                    continue
                error(
                    report,
                    f"{code} is not a loaded {level.label}: load the {level.label} areas "
                    "(their lookup or boundaries) first",
                    pair[3],
                    level.code,
                )
                reported += 1

    # --- write ------------------------------------------------------------------------------

    def write(
        self, parsed: ParsedLookup | None, report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        from .. import services

        assert parsed is not None
        if parsed.crosswalk is not None:
            self._write_crosswalk(parsed, report, by)
            return
        keys: set[Key] = set(parsed.names)
        for child, wanted in parsed.edges.items():
            keys.add(child)
            keys.update(parent for parent, _ in wanted.values())
        book = AreaBook({k[0] for k in keys})
        areas: dict[Key, Area] = {}
        new_keys: set[Key] = set()
        for key in sorted(keys, key=lambda k: (_rank(k[0]), k[2])):
            area_type, vintage, code = key
            area, is_new = book.ensure(
                area_type, code, vintage, parsed.names.get(key), is_active=not self.inactive
            )
            areas[key] = area
            if is_new:
                new_keys.add(key)
        changed_ids = set(book.changed_ids)
        created, _ = book.flush()

        # Links that skip a level: only for areas with no parent at the skipped level.
        blocked: set[tuple[int, str]] = set()
        skip_groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for (child, _), between in parsed.skips.items():
            skip_groups[between].append(areas[child].pk)
        for between, child_ids in skip_groups.items():
            for chunk in chunks(sorted(set(child_ids))):
                blocked.update(
                    AreaRelation.objects.filter(
                        child_id__in=chunk, kind=AreaRelation.Kind.WITHIN, parent__type__in=between
                    ).values_list("child_id", "parent__type")
                )
        parents: dict[int, dict[str, int]] = defaultdict(dict)
        skipped = 0
        for child, wanted in parsed.edges.items():
            child_id = areas[child].pk
            for parent_type, (parent_key, _) in wanted.items():
                between = parsed.skips.get((child, parent_type), ())
                if any((child_id, b) in blocked for b in between):
                    skipped += 1
                    continue
                parents[child_id][parent_type] = areas[parent_key].pk
        relations = set_within_parents(dict(parents), source=report.file_name)
        if skipped:
            report.notes.append(
                f"{skipped} links that skip a level were not added: those areas already have a "
                "parent at the skipped level, which leads to the same place."
            )
        for key, count in sorted(parsed.partial.items()):
            area = areas[key]
            note = (
                f"Only part of this area is loaded: {report.file_name} has {count} more "
                f"row{'s' if count != 1 else ''} inside it, outside the areas chosen with --within."
            )
            if not area.is_partial:  # an existing note (perhaps written by hand) is kept
                area.is_partial, area.coverage_note = True, note
                area.save(update_fields=["is_partial", "coverage_note"])
                changed_ids.add(area.pk)
        # A parent this file once loaded in part (an earlier, narrower --within) whose rows are
        # now all loaded is whole again. Marks written by hand or by other files are kept.
        ours = f"Only part of this area is loaded: {report.file_name} has "
        for key in sorted(parsed.complete):
            whole = areas.get(key)
            if whole is not None and whole.is_partial and whole.coverage_note.startswith(ours):
                whole.is_partial, whole.coverage_note = False, ""
                whole.save(update_fields=["is_partial", "coverage_note"])
                changed_ids.add(whole.pk)
        ids = {a.pk for a in areas.values()}
        new_ids = {areas[k].pk for k in new_keys}
        report.created = created
        report.updated = len(((changed_ids | relations.changed_children) & ids) - new_ids)
        report.unchanged = len(ids) - report.created - report.updated
        report.notes.append(_summary(areas))
        report.notes.append(str(relations).capitalize() + ".")
        if self.refresh:
            refreshed = services.refresh(by=by, touched=relations.touched | changed_ids | new_ids)
            report.notes.extend(_sentence(line) for line in refreshed.lines())

    def _write_crosswalk(self, parsed: ParsedLookup, report: ImportReport, by: Any) -> None:
        from .. import services

        assert parsed.crosswalk is not None
        older, newer = parsed.crosswalk
        sources = parsed.sources
        targets = parsed.targets
        by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for source_code, target_code, change, _ in parsed.pairs:
            if all(t != target_code for t, _ in by_source[source_code]):
                by_source[source_code].append((target_code, change))
        split = [s for s, rows in by_source.items() if len(rows) > 1]
        geometries = load_geometries(
            [sources[s] for s in split] + [targets[t] for s in split for t, _ in by_source[s]]
        )
        weights: dict[tuple[int, int], float] = {}
        by_overlap = equal = 0
        for source_code, rows in by_source.items():
            source_id = sources[source_code]
            if len(rows) == 1:
                weights[(source_id, targets[rows[0][0]])] = 1.0
                continue
            shares = _overlap_shares(source_id, [targets[t] for t, _ in rows], geometries)
            if shares is None:
                equal += 1
                shares = [1.0 / len(rows)] * len(rows)
            else:
                by_overlap += 1
            for (target_code, _), share in zip(rows, shares, strict=True):
                weights[(source_id, targets[target_code])] = share
        changes: dict[str, int] = defaultdict(int)
        for _, _, change, _ in parsed.pairs:
            changes[change or "none given"] += 1
        how = []
        if by_overlap:
            how.append(f"{by_overlap} by the area of overlap with the {newer.label} boundaries")
        if by_overlap and not equal:
            how = [f"by the area of overlap with the {newer.label} boundaries"]
        if equal:
            how.append(f"{equal} equally (boundaries not loaded)")
        name = self.crosswalk_name or f"{older.label} to {newer.label} (lookup)"
        description = (
            f"From {report.file_name}: each {older.label} area passes whole to the "
            f"{newer.label} area it became (unchanged or merged); {len(split)} were split "
            f"between several, and are shared {' and '.join(how) or '(none)'}. Change flags: "
            + ", ".join(f"{k} {v}" for k, v in sorted(changes.items()))
            + "."
        )
        crosswalk, _ = Crosswalk.objects.update_or_create(
            name=name[:200],
            defaults={
                "source_type": older.type,
                "source_vintage": older.vintage,
                "target_type": newer.type,
                "target_vintage": newer.vintage,
                "method": Crosswalk.Method.LOOKUP,
                "description": description,
            },
        )
        counts = save_weights(crosswalk, weights)
        report.created = counts.created
        report.updated = counts.updated + counts.deleted
        report.unchanged = counts.unchanged
        report.notes.append(f"Crosswalk ‘{crosswalk.name}’: {counts}. {description}")
        if self.refresh:
            refreshed = services.refresh(by=by, touched=[])
            report.notes.extend(_sentence(line) for line in refreshed.lines())


def _sentence(line: str) -> str:
    return line[:1].upper() + line[1:] + ("" if line.endswith(".") else ".")


def _rank(area_type: str) -> int:
    return _FINENESS.index(area_type) if area_type in _FINENESS else len(_FINENESS)


def _overlap_shares(
    source: int, targets: list[int], geometries: dict[int, Any]
) -> list[float] | None:
    import shapely

    from placeworks.geo import to_bng

    if source not in geometries or any(t not in geometries for t in targets):
        return None
    piece = to_bng(geometries[source])
    areas = [float(shapely.intersection(piece, to_bng(geometries[t])).area) for t in targets]
    total = sum(areas)
    if total <= 0:
        return None
    return [a / total for a in areas]


def _summary(areas: dict[Key, Area]) -> str:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for (area_type, vintage, _), area in areas.items():
        counts[(area_type, area.vintage or vintage)] += 1
    parts = [
        f"{n} {t}{' ' + v if v else ''}"
        for (t, v), n in sorted(counts.items(), key=lambda item: _rank(item[0][0]))
    ]
    return "Areas in the file: " + ", ".join(parts) + "."
