"""Exports of the pipeline: XLSX in a pipeline-return layout, CSV and GeoJSON.

One row per project with the One Public Estate benefit columns (forecast, then achieved). Every
export is made from the projects the user may see (``queries.ranked``), and every text cell is
escaped against spreadsheet formula injection: text beginning with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it instead of running
it. Numbers stay numbers and dates stay dates.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from placeworks import exports

from .models import BENEFITS, Project
from .scoring import COMPONENTS, LABELS, Score, Weights

SAMPLE_NOTICE = "Contains illustrative SAMPLE DATA loaded by the demo: these are not real projects."


def safe_cell(value: Any) -> Any:
    """A cell for the return: text a spreadsheet would run is escaped, None is an empty cell."""
    return exports.safe_cell(value, none=None)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str = "text"  # text, money, number, decimal, date


COLUMNS: list[Column] = [
    Column("rank", "Rank", "number"),
    Column("score", "Score (0–100)", "decimal"),
    Column("reference", "Reference"),
    Column("title", "Project"),
    Column("lead", "Lead organisation"),
    Column("partners", "Partner organisations (role)"),
    Column("places", "Places served"),
    Column("themes", "Themes"),
    Column("type", "Project type"),
    Column("stage", "Stage"),
    Column("stage_since", "Stage since", "date"),
    Column("rag", "RAG status"),
    Column("open_risks", "Open risks", "number"),
    Column("capital_cost", "Capital cost (£)", "money"),
    Column("revenue_cost", "Revenue cost (£ a year)", "money"),
    Column("funding_sought", "Funding sought (£)", "money"),
    Column("funding_secured", "Funding secured (£)", "money"),
    Column("funders", "Funders"),
    *[
        Column(
            f"{b.key}_{when}",
            f"{b.label} {when} ({b.unit})",
            "money" if b.money else ("decimal" if b.key == "land_released_ha" else "number"),
        )
        for when in ("forecast", "achieved")
        for b in BENEFITS
    ],
    Column("service_outcomes_forecast", "Service outcomes forecast"),
    Column("service_outcomes_achieved", "Service outcomes achieved"),
    Column("start_date", "Start date", "date"),
    Column("end_date", "Completion date", "date"),
    Column("visibility", "Visibility"),
    Column("sample", "Sample data"),
]
HEADER_ROW = 4  # rows 1–3: title, how it was made, sample-data notice


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def row(project: Project, score: Score | None) -> dict[str, Any]:
    """One project as export values (``COLUMNS`` keys); relations must be prefetched."""
    funding = list(project.funding.all())
    values: dict[str, Any] = {
        "rank": score.rank or None if score else None,  # complete and withdrawn: not ranked
        "score": round(score.total, 1) if score else None,
        "reference": project.reference,
        "title": project.title,
        "lead": project.lead.name,
        "partners": "; ".join(
            f"{p.organisation.name} ({p.get_role_display()})" for p in project.partners.all()
        ),
        "places": "; ".join(a.name for a in project.places.all()),
        "themes": "; ".join(t.name for t in project.themes.all()),
        "type": project.get_project_type_display(),
        "stage": project.get_stage_display(),
        "stage_since": timezone.localtime(project.stage_changed_at).date(),
        "rag": project.get_rag_status_display(),
        "open_risks": sum(1 for r in project.risks.all() if r.is_open),
        "capital_cost": _number(project.capital_cost),
        "revenue_cost": _number(project.revenue_cost),
        "funding_sought": sum(float(f.amount_sought or 0) for f in funding) if funding else None,
        "funding_secured": sum(float(f.amount_secured or 0) for f in funding) if funding else None,
        "funders": "; ".join(sorted({f.funder for f in funding})),
        "service_outcomes_forecast": project.service_outcomes_forecast,
        "service_outcomes_achieved": project.service_outcomes_achieved,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "visibility": project.get_visibility_display().split(":")[0],
        "sample": project.is_sample,
    }
    for benefit in BENEFITS:
        for when in ("forecast", "achieved"):
            name = f"{benefit.key}_{when}"
            values[name] = _number(getattr(project, name))
    return values


def _text(value: Any) -> str:
    """A CSV cell: escaped text, numbers as written, dates as ISO, nothing as empty."""
    safe = safe_cell(value)
    if safe is None:
        return ""
    if isinstance(safe, datetime | date):
        return safe.isoformat()
    if isinstance(safe, float) and safe.is_integer():
        return str(int(safe))
    return str(safe)


def to_csv(rows: Sequence[tuple[Project, Score | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.header for c in COLUMNS])
    for project, score in rows:
        values = row(project, score)
        writer.writerow([_text(values[c.key]) for c in COLUMNS])
    return buffer.getvalue()


FORMATS = {"money": "#,##0", "number": "0", "decimal": "0.0#", "date": "yyyy-mm-dd"}


def to_xlsx(
    rows: Sequence[tuple[Project, Score | None]],
    *,
    generated_for: str,
    filters: str,
    weights: Weights,
) -> bytes:
    """A workbook: the pipeline return (one row per project), the score breakdown and notes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Pipeline return"
    sample = any(project.is_sample for project, _ in rows)
    now = timezone.localtime()
    sheet.cell(row=1, column=1, value="Placeworks pipeline return").font = Font(bold=True, size=14)
    sheet.cell(
        row=2,
        column=1,
        value=safe_cell(
            f"Made {now:%d %B %Y %H:%M} for {generated_for}; {filters}; "
            f"{len(rows)} project{'s' if len(rows) != 1 else ''} you may see."
        ),
    )
    if sample:
        notice = sheet.cell(row=3, column=1, value=SAMPLE_NOTICE)
        notice.font = Font(bold=True, color="9C0006")
        notice.fill = PatternFill("solid", fgColor="FFEB9C")
    header_font = Font(bold=True)
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = header_font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = (
            40 if column.key in ("title", "partners", "service_outcomes_forecast") else 16
        )
    for offset, (project, score) in enumerate(rows, start=1):
        values = row(project, score)
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(
                row=HEADER_ROW + offset, column=index, value=safe_cell(values[column.key])
            )
            if column.kind in FORMATS and cell.value is not None:
                cell.number_format = FORMATS[column.kind]
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=5)
    sheet.auto_filter.ref = (
        f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{HEADER_ROW + max(len(rows), 1)}"
    )

    breakdown = workbook.create_sheet("Score breakdown")
    headers = (
        ["Rank", "Reference", "Project", "Total"]
        + [f"{LABELS[name]} ({weights.share(name) * 100:.0f}%)" for name in COMPONENTS]
        + [f"Why: {LABELS[name].lower()}" for name in COMPONENTS]
    )
    for index, header in enumerate(headers, start=1):
        breakdown.cell(row=1, column=index, value=header).font = header_font
    for offset, (project, score) in enumerate(rows, start=2):
        if score is None:
            continue
        cells: list[Any] = [
            score.rank or None,
            project.reference,
            project.title,
            round(score.total, 1),
        ]
        cells += [round(score.component(name).score, 1) for name in COMPONENTS]
        cells += [score.component(name).reason for name in COMPONENTS]
        for index, value in enumerate(cells, start=1):
            breakdown.cell(row=offset, column=index, value=safe_cell(value))

    notes = workbook.create_sheet("Notes")
    lines = [
        "How this return was made",
        "One row per project the person who downloaded it may see; confidential projects of "
        "other organisations are not included.",
        "Benefits are the One Public Estate measures: capital receipts (£), running cost "
        "savings (£ a year), land released (hectares), homes enabled and jobs created, each "
        "forecast and achieved.",
        "Score: a weighted sum of need, alignment, collaboration, deliverability and value for "
        "money, each 0–100 (docs/pipeline.md). Weights used: "
        + ", ".join(f"{LABELS[n].lower()} {weights.share(n) * 100:.0f}%" for n in COMPONENTS)
        + ".",
        "Text cells that begin with = + - @ are prefixed with an apostrophe so that they are "
        "shown, not run, by a spreadsheet.",
    ]
    if sample:
        lines.append(SAMPLE_NOTICE)
    for index, line in enumerate(lines, start=1):
        cell = notes.cell(row=index, column=1, value=line)
        if index == 1:
            cell.font = Font(bold=True)
    notes.column_dimensions["A"].width = 120

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def feature_collection(
    rows: Sequence[tuple[Project, Score | None]],
    locations: dict[int, tuple[float, float, str]],
    *,
    escape: bool,
) -> dict[str, Any]:
    """GeoJSON: a point per project (the centre of its assets, else of its places); projects
    with neither have a null geometry. ``escape`` applies ``safe_cell`` to text (for the
    downloadable export)."""
    features = []
    unlocated = 0
    for project, score in rows:
        values = row(project, score)
        properties: dict[str, Any] = {"id": project.pk}
        for key, value in values.items():
            if isinstance(value, date):
                value = value.isoformat()
            elif escape:
                value = safe_cell(value)
            properties[key] = value
        properties["stage_code"] = project.stage
        properties["rag_code"] = project.rag_status
        properties["url"] = f"/pipeline/{project.pk}/"
        where = locations.get(project.pk)
        if where is None:
            unlocated += 1
        properties["located_by"] = where[2] if where else None
        features.append(
            {
                "type": "Feature",
                "id": project.pk,
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(where[0], 6), round(where[1], 6)],
                }
                if where
                else None,
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features, "unlocated": unlocated}


def to_geojson(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False)
