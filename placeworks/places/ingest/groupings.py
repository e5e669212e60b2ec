"""Groupings: PLACE areas and neighbourhoods, each a named set of loaded areas, from an editable
YAML or CSV file.

YAML (``data/groupings/north_midlands_places.yaml`` is an example)::

    groupings:
      - code: PLACE-MID-NOTTS        # optional: generated from the name when left out
        name: Mid-Nottinghamshire
        type: place                  # place (default) or neighbourhood
        description: Ashfield, Mansfield, and Newark and Sherwood
        members: [E07000170, E07000174, E07000175]

A member is a code, or ``{code: E01028330, type: lsoa, vintage: "2021"}`` when a code alone is
ambiguous (without a vintage, the current one is used).

CSV: one row per member, with columns ``grouping_code`` (optional), ``grouping_name``,
``grouping_type`` (optional), ``member_code``, and optionally ``member_type``,
``member_vintage``, ``description``.

Groupings may overlap (an area may be in several). Re-importing a file updates each grouping in
place: its name, description and exactly the members listed. Groupings not in the file are left
as they are. Problems are reported with the line (YAML) or row (CSV) and the field.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from placeworks.ingest.core import BaseImporter, ImportReport, Progress, TableReader

from ..codes import code_problem, vintage_key
from ..models import GROUPING_TYPES, Area, AreaType
from ..store import chunks
from .common import error, warning


@dataclass
class MemberRef:
    code: str
    type: str | None
    vintage: str | None
    row: int
    column: str


@dataclass
class GroupingSpec:
    code: str
    name: str
    type: str
    description: str
    row: int
    members: list[MemberRef] = field(default_factory=list)


@dataclass
class ParsedGroupings:
    groupings: list[GroupingSpec] = field(default_factory=list)
    resolved: dict[tuple[str, int], int] = field(default_factory=dict)  # (grouping, i) -> id


class GroupingImporter(BaseImporter):
    name = "places: groupings"

    def __init__(self, *, refresh: bool = True):
        self.refresh = refresh

    # --- reading ----------------------------------------------------------------------------

    def parse(
        self, path: Path, report: ImportReport, progress: Progress | None
    ) -> ParsedGroupings | None:
        suffix = path.suffix.lower()
        if suffix in {".yaml", ".yml"} or (
            suffix not in {".csv", ".gz", ".xlsx"} and _looks_like_yaml(path)
        ):
            specs = self._read_yaml(path, report)
        else:
            specs = self._read_table(path, report)
        if specs is None:
            return None
        report.rows = len(specs)
        parsed = ParsedGroupings(groupings=specs)
        self._check(parsed, report)
        return parsed

    def _read_yaml(self, path: Path, report: ImportReport) -> list[GroupingSpec] | None:
        try:
            root = yaml.compose(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            error(
                report,
                f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
                mark.line + 1 if mark else None,
            )
            return None
        except UnicodeDecodeError:
            error(report, "not a text file (expected YAML or CSV)")
            return None
        if root is None:
            error(report, "the file is empty")
            return None
        items = root
        if isinstance(root, yaml.MappingNode):
            found = {k.value: v for k, v in root.value if isinstance(k, yaml.ScalarNode)}
            if "groupings" not in found:
                error(report, "expected a list under ‘groupings:’", root.start_mark.line + 1)
                return None
            items = found["groupings"]
        if not isinstance(items, yaml.SequenceNode):
            error(report, "‘groupings’ must be a list", items.start_mark.line + 1, "groupings")
            return None
        specs = []
        for position, item in enumerate(items.value, start=1):
            line = item.start_mark.line + 1
            where = f"groupings (item {position})"
            if not isinstance(item, yaml.MappingNode):
                error(report, "each grouping must have name and members", line, where)
                continue
            fields = {k.value: v for k, v in item.value if isinstance(k, yaml.ScalarNode)}
            unknown = sorted(set(fields) - {"code", "name", "type", "description", "members"})
            if unknown:
                warning(report, f"unknown fields ignored: {', '.join(unknown)}", line, where)
            spec = GroupingSpec(
                code=_scalar(fields.get("code")).upper(),
                name=_scalar(fields.get("name")),
                type=_scalar(fields.get("type")).lower() or AreaType.PLACE,
                description=_scalar(fields.get("description")),
                row=line,
            )
            members = fields.get("members")
            if members is None:
                error(report, f"{spec.name or 'a grouping'} has no members", line, "members")
            elif not isinstance(members, yaml.SequenceNode):
                error(
                    report,
                    "members must be a list of area codes",
                    members.start_mark.line + 1,
                    "members",
                )
            else:
                for index, node in enumerate(members.value, start=1):
                    column = f"members (item {index})"
                    member_line = node.start_mark.line + 1
                    if isinstance(node, yaml.ScalarNode):
                        spec.members.append(
                            MemberRef(str(node.value).strip(), None, None, member_line, column)
                        )
                    elif isinstance(node, yaml.MappingNode):
                        m = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
                        spec.members.append(
                            MemberRef(
                                _scalar(m.get("code")),
                                _scalar(m.get("type")).lower() or None,
                                _scalar(m.get("vintage")) or None,
                                member_line,
                                column,
                            )
                        )
                    else:
                        error(report, "a member is an area code", member_line, column)
            specs.append(spec)
        return specs

    def _read_table(self, path: Path, report: ImportReport) -> list[GroupingSpec] | None:
        reader = TableReader(path, report.file_name)
        try:
            rows = list(reader.rows())
        except UnicodeDecodeError:
            error(report, "not a text file (expected YAML or CSV)")
            return None
        headers = {h.strip().lower(): h for h in reader.headers}

        def column(*names: str) -> str | None:
            return next((headers[n] for n in names if n in headers), None)

        code_col = column("grouping_code", "code")
        name_col = column("grouping_name", "name")
        type_col = column("grouping_type", "type")
        member_col = column("member_code", "member", "area_code")
        member_type_col = column("member_type")
        member_vintage_col = column("member_vintage")
        description_col = column("description", "grouping_description")
        missing = [
            label
            for label, col in (("grouping_name", name_col), ("member_code", member_col))
            if col is None
        ]
        if missing:
            error(
                report,
                "missing column(s) "
                + ", ".join(missing)
                + "; found: "
                + (", ".join(reader.headers) or "no header row"),
            )
            return None
        assert name_col is not None and member_col is not None
        specs: dict[str, GroupingSpec] = {}
        for number, row in rows:
            name = (row.get(name_col) or "").strip()
            code = (row.get(code_col) or "").strip().upper() if code_col else ""
            if not name:
                error(report, "the grouping has no name", number, name_col)
                continue
            key = code or name.lower()
            spec = specs.get(key)
            if spec is None:
                spec = GroupingSpec(
                    code=code,
                    name=name,
                    type=((row.get(type_col) or "").strip().lower() if type_col else "")
                    or AreaType.PLACE,
                    description=(row.get(description_col) or "").strip() if description_col else "",
                    row=number,
                )
                specs[key] = spec
            elif spec.name != name:
                error(
                    report,
                    f"{code} is named ‘{spec.name}’ at row {spec.row} and ‘{name}’ here",
                    number,
                    name_col,
                )
            spec.members.append(
                MemberRef(
                    (row.get(member_col) or "").strip(),
                    ((row.get(member_type_col) or "").strip().lower() or None)
                    if member_type_col
                    else None,
                    ((row.get(member_vintage_col) or "").strip() or None)
                    if member_vintage_col
                    else None,
                    number,
                    member_col,
                )
            )
        if not rows:
            error(report, "the file has no groupings")
        return list(specs.values())

    # --- checking ---------------------------------------------------------------------------

    def _check(self, parsed: ParsedGroupings, report: ImportReport) -> None:
        from ..queries import current_vintages
        from ..services import generate_code

        seen_codes: dict[str, int] = {}
        for spec in parsed.groupings:
            if spec.type not in GROUPING_TYPES:
                error(
                    report,
                    f"type ‘{spec.type}’ is not a grouping type (use place or neighbourhood)",
                    spec.row,
                    "type",
                )
            if not spec.name:
                error(report, "the grouping has no name", spec.row, "name")
            if not spec.code and spec.name:
                existing = Area.objects.filter(type=spec.type, name=spec.name, vintage="").first()
                spec.code = existing.code if existing else generate_code(spec.type, spec.name)
            problem = code_problem(spec.type, spec.code) if spec.type in GROUPING_TYPES else None
            if problem:
                error(report, problem, spec.row, "code")
            elif spec.code[:1] in "EWSNK" and spec.code[1:].isdigit():
                error(
                    report,
                    f"‘{spec.code}’ looks like an ONS code; give groupings codes of their own "
                    "(e.g. PLACE-MID-NOTTS)",
                    spec.row,
                    "code",
                )
            if spec.code in seen_codes:
                error(
                    report,
                    f"{spec.code} is defined twice (also at {seen_codes[spec.code]})",
                    spec.row,
                    "code",
                )
            seen_codes.setdefault(spec.code, spec.row)
            if not spec.members:
                error(report, f"{spec.name or spec.code} has no members", spec.row, "members")

        # Resolve every member in one pass.
        codes = sorted({m.code for s in parsed.groupings for m in s.members if m.code})
        candidates: dict[str, list[Area]] = defaultdict(list)
        for chunk in chunks(codes):
            for area in Area.objects.filter(code__in=chunk, is_active=True).only(
                "id", "code", "type", "vintage", "name"
            ):
                candidates[area.code].append(area)
        current = current_vintages()
        file_codes = {s.code for s in parsed.groupings}
        for spec in parsed.groupings:
            seen: set[int] = set()
            for index, member in enumerate(spec.members):
                if not member.code:
                    error(report, "the member code is empty", member.row, member.column)
                    continue
                if member.code == spec.code:
                    error(
                        report,
                        f"{spec.code} cannot be a member of itself",
                        member.row,
                        member.column,
                    )
                    continue
                found = [
                    a
                    for a in candidates.get(member.code, [])
                    if (member.type is None or a.type == member.type)
                    and (member.vintage is None or a.vintage == member.vintage)
                ]
                if member.code in file_codes and not found:
                    error(
                        report,
                        f"{member.code} is a grouping in this file: import it first, then list "
                        "it as a member",
                        member.row,
                        member.column,
                    )
                    continue
                if not found:
                    described = member.type or "area"
                    error(
                        report,
                        f"{member.code} is not a loaded {described}"
                        f"{' (' + member.vintage + ')' if member.vintage else ''}: check the code "
                        "or load the area first",
                        member.row,
                        member.column,
                    )
                    continue
                area = max(
                    found,
                    key=lambda a: (
                        a.vintage == current.get(a.type),
                        vintage_key(a.vintage),
                        -len(a.type),
                    ),
                )
                if area.pk in seen:
                    warning(report, f"{member.code} is listed twice", member.row, member.column)
                    continue
                seen.add(area.pk)
                parsed.resolved[(spec.code, index)] = area.pk
        # No grouping may end up inside itself.
        from .. import services

        grouping_ids = dict(
            Area.objects.filter(type__in=GROUPING_TYPES, code__in=list(file_codes)).values_list(
                "code", "id"
            )
        )
        for spec in parsed.groupings:
            own = grouping_ids.get(spec.code)
            if own is None:
                continue
            containing = services.containers(own)
            for i, member in enumerate(spec.members):
                if parsed.resolved.get((spec.code, i)) in containing:
                    error(
                        report,
                        f"{member.code} contains {spec.code}, so it cannot also be its member",
                        member.row,
                        member.column,
                    )

    # --- writing ----------------------------------------------------------------------------

    def write(
        self,
        parsed: ParsedGroupings | None,
        report: ImportReport,
        by: Any,
        progress: Progress | None,
    ) -> None:
        from .. import services

        assert parsed is not None
        ids = sorted(set(parsed.resolved.values()))
        areas: dict[int, Area] = {}
        for chunk in chunks(ids):
            areas.update((a.pk, a) for a in Area.objects.filter(pk__in=chunk))
        touched: set[int] = set()
        for done, spec in enumerate(parsed.groupings):
            if progress:
                progress(done, len(parsed.groupings))
            existing = Area.objects.filter(type=spec.type, code=spec.code, vintage="").first()
            before = None
            if existing is not None:
                before = services._grouping_snapshot(existing)
            members = [
                areas[parsed.resolved[(spec.code, i)]]
                for i in range(len(spec.members))
                if (spec.code, i) in parsed.resolved
            ]
            area = services.save_grouping(
                by=by,
                name=spec.name,
                members=members,
                type=spec.type,
                code=spec.code,
                description=spec.description,
                source=report.file_name,
                area=existing,
                refresh_after=False,
            )
            after = services._grouping_snapshot(area)
            touched.add(area.pk)
            touched.update(m.pk for m in members)
            if before is None:
                report.created += 1
            elif before != after:
                report.updated += 1
            else:
                report.unchanged += 1
        if progress:
            progress(len(parsed.groupings), len(parsed.groupings))
        others = (
            Area.objects.filter(type__in={s.type for s in parsed.groupings}, vintage="")
            .exclude(code__in=[s.code for s in parsed.groupings])
            .values_list("name", flat=True)
        )
        if others:
            report.notes.append(
                f"{len(others)} other grouping(s) not in this file were left as they are: "
                + ", ".join(sorted(others)[:10])
            )
        if self.refresh:
            refreshed = services.refresh(by=by, touched=touched)
            report.notes.extend(line[:1].upper() + line[1:] + "." for line in refreshed.lines())


def _scalar(node: Any) -> str:
    if node is None:
        return ""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value).strip()
    return ""


def _looks_like_yaml(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8-sig")[:2000]
    except (UnicodeDecodeError, OSError):
        return False
    return "groupings:" in head or head.lstrip().startswith("- ")
