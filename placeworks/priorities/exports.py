"""Exports: priorities (in the import layout, so a file can go out and come back) and coverage,
as CSV or XLSX.

Every text cell is escaped against spreadsheet formula injection (OWASP "CSV injection"): text
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe so
that a spreadsheet shows it rather than running it. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from placeworks.exports import safe_cell

from .models import Priority
from .queries import Coverage

SAMPLE_NOTICE = (
    "Contains illustrative SAMPLE DATA loaded by the demo: these are not real ward plans."
)

PRIORITY_HEADERS = [
    "area_code",
    "area_name",
    "period",
    "number",
    "priority",
    "themes",
    "themes_confirmed",
    "aims",
    "actions",
    "lead",
    "partners",
    "status",
    "owner",
    "sample_data",
]


def priority_rows(priorities: Iterable[Priority], aims: dict[int, list[Any]]) -> list[list[Any]]:
    """One row per priority (``themes``, ``partners``, ``aims`` prefetched)."""
    rows = []
    for p in priorities:
        partners = [o.name for o in p.partners.all()] + p.other_partner_names()
        rows.append(
            [
                p.plan.area.code,
                p.plan.area.name,
                p.plan.period,
                p.number,
                p.text,
                "; ".join(t.slug for t in p.themes.all()),
                p.themes_confirmed,
                "; ".join(f"{a.strategy.name}: {a.number}. {a.text}" for a in aims.get(p.pk, [])),
                p.actions,
                p.lead,
                "; ".join(partners),
                p.plan.status,
                p.plan.owner.name,
                p.plan.is_sample,
            ]
        )
    return rows


def coverage_rows(result: Coverage) -> tuple[list[str], list[list[Any]]]:
    """Themes then aims: how many plans reference each, of how many."""
    headers = ["kind", "key", "name", "strategy", "plans", "of", "percent", "priorities"]
    rows: list[list[Any]] = []
    for row in result.themes:
        rows.append(
            ["theme", row.key, row.label, "", row.plans, row.of, row.percent, row.priorities]
        )
    for row in result.aims:
        rows.append(
            ["aim", row.key, row.label, row.group, row.plans, row.of, row.percent, row.priorities]
        )
    return headers, rows


def matrix_rows(result: Coverage) -> tuple[list[str], list[list[Any]]]:
    aims = [row.label for row in result.aims]
    headers = ["area_code", "area_name", "period", *aims]
    rows = [[p.area.code, p.area.name, p.period, *counts] for p, counts in result.matrix]
    return headers, rows


def need_rows(result: Coverage) -> tuple[list[str], list[list[Any]]]:
    headers = ["area_code", "area_name", "period", "theme", "need_decile", "need_rank", "of"]
    rows = [
        [
            u.plan.area.code,
            u.plan.area.name,
            u.plan.period,
            u.theme_name,
            u.need.decile,
            u.need.rank,
            u.need.of,
        ]
        for u in result.unrecognised
    ]
    return headers, rows


def csv_response(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str
) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
    filename: str,
    *,
    notice: str = "",
) -> HttpResponse:
    """A workbook with one sheet per ``(title, headers, rows)``; a notice (e.g. that the data
    are sample data) goes on a last sheet of its own, so that the first sheet stays importable."""
    workbook = Workbook()
    for index, (title, headers, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append([safe_cell(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    if notice:
        about = workbook.create_sheet("About")
        about.append([safe_cell(notice)])
        about["A1"].font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
