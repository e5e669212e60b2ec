"""Plans from a CSV or XLSX table: one row per priority.

Columns (header names are matched ignoring case, spaces, underscores and hyphens; the aliases
are listed in ``COLUMNS``): ``area_code`` and/or ``area_name`` (a ward's GSS code or name),
``period`` (2025/26; or one period for the whole file), ``priority`` (the text), and optionally
``themes`` (slugs or names separated by semicolons), ``actions``, ``lead``, ``partners``
(organisation names separated by semicolons) and ``status`` (draft or published).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from placeworks.ingest import ImportReport, Progress, TableReader

from ..models import PlanStatus
from .core import PlansImporter, PriorityRow, load_area

# canonical name -> the header spellings read as it
COLUMNS: dict[str, tuple[str, ...]] = {
    "area_code": ("area code", "ward code", "code", "gss code", "wd24cd", "wd23cd", "wd22cd"),
    "area_name": ("area name", "area", "ward", "ward name", "wd24nm", "wd23nm", "wd22nm"),
    "period": ("period", "year", "financial year", "plan year"),
    "priority": ("priority", "priority text", "text", "local priority"),
    "themes": ("themes", "theme"),
    "actions": ("actions", "action", "what we will do"),
    "lead": ("lead", "leads", "lead contact", "lead contacts", "lead officer"),
    "partners": ("partners", "partner", "partner organisations", "partner organisation"),
    "status": ("status", "plan status"),
}
# Columns our own exports add: read past without a warning.
EXPORT_ONLY = {"owner", "themes confirmed", "aims", "sample data", "number", "plan id"}


def header_key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]+", " ", header.strip().lower()).split())


def map_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """``({canonical: header in the file}, [headers not used])``."""
    aliases = {alias: canonical for canonical, names in COLUMNS.items() for alias in names}
    found: dict[str, str] = {}
    unused = []
    for header in headers:
        canonical = aliases.get(header_key(header))
        if canonical and canonical not in found:
            found[canonical] = header
        elif header.strip() and header_key(header) not in EXPORT_ONLY:
            unused.append(header)
    return found, unused


class TableImporter(PlansImporter):
    name: ClassVar[str] = "plans (CSV/XLSX)"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        self.start(path, report)
        reader = TableReader(path, report.file_name)
        try:
            raw = list(reader.rows())
        except (UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
            self.problem(report, f"cannot read the file as a table ({exc.__class__.__name__}).")
            return []
        columns, unused = map_headers(reader.headers)
        if "priority" not in columns:
            self.problem(
                report,
                "no priority column: the header row needs a column named ‘priority’ "
                f"(found: {', '.join(h for h in reader.headers if h) or 'no headers'}).",
                1,
            )
        if "area_code" not in columns and "area_name" not in columns:
            self.problem(
                report,
                "no area column: add ‘area_code’ (the ward's GSS code, e.g. E05014610) "
                "or ‘area_name’ (the ward's name).",
                1,
            )
        if report.errors:
            return []
        for header in unused:
            self.problem(report, "column not used", 1, header, "warning")
        self.areas.load_codes(row.get(columns.get("area_code", ""), "") for _, row in raw)

        rows: list[PriorityRow] = []
        for number, values in raw:
            report.rows += 1

            def cell(name: str, values: dict[str, str] = values) -> str:
                return values.get(columns.get(name, ""), "") or ""

            where = f"row {number}"
            before = len(report.errors)
            text = cell("priority").strip()
            if not text:
                self.problem(report, "the priority is empty.", number, columns["priority"])
            code, name = cell("area_code"), cell("area_name")
            area = None
            if not code.strip() and not name.strip():
                self.problem(
                    report,
                    "no area: give the area code or name.",
                    number,
                    columns.get("area_code") or columns.get("area_name"),
                )
            else:
                area, message, kind = load_area(self.areas, code, name)
                if area is None:
                    column = columns["area_code" if kind == "code" else "area_name"]
                    self.problem(report, message[0].upper() + message[1:], number, column)
            period = self.resolve_period(cell("period"), report, number, columns.get("period"), "")
            themes = self.resolve_themes(cell("themes"), report, number, columns.get("themes"), "")
            status = cell("status").strip().lower() or None
            if status and status not in PlanStatus.values:
                self.problem(
                    report, "status must be draft or published.", number, columns["status"]
                )
            partners, others = self.partners(
                cell("partners"), report, number, columns.get("partners"), ""
            )
            if len(report.errors) > before or area is None or period is None:
                continue
            rows.append(
                PriorityRow(
                    where=where,
                    area=area,
                    period=period,
                    text=text,
                    themes=themes,
                    actions=cell("actions").strip(),
                    lead=cell("lead").strip(),
                    partners=partners,
                    other_partners=others,
                    status=status,
                )
            )
            if progress:
                progress(report.rows, None)
        if report.rows == 0 and not report.errors:
            self.problem(report, "the file has no priorities (only a header row, or empty).")
        self.check_duplicates(rows, report)
        return rows
