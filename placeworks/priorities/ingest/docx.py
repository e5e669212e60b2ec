"""Plans from a Word document: a heading per ward followed by its priorities.

Layout (see ``docs/priorities.md`` for an example):

- The document title (Title style, or any heading without an area name, e.g. "Ward plans
  2025/26") may give the period for the whole document.
- Each heading (Heading 1, 2, …) names an area — "Bancroft", "Bancroft ward" or
  "Bancroft 2025/26" — looked up by name within the chosen parent district. A heading that
  matches no area is reported with the closest name.
- Each paragraph after a heading (a list item or a plain paragraph) is a priority. Lines
  starting "Actions:", "Lead:", "Partners:" or "Themes:" belong to the priority above them.
- Paragraphs before the first heading (an introduction) and tables are not read.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from placeworks.ingest import ImportReport, Progress
from placeworks.places.models import Area

from ..areas import name_key
from ..periods import find_period
from .core import PlansImporter, PriorityRow

DETAIL = re.compile(
    r"^(actions?|lead(?: contacts?| officers?)?|leads|partners?(?: organisations?)?|themes?)"
    r"\s*[:\-–]\s*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
NUMBERING = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|[•·\-–*])\s+")


@dataclass
class _Draft:
    paragraph: int
    text: str
    details: dict[str, str] = field(default_factory=dict)


@dataclass
class _Section:
    paragraph: int
    heading: str
    area: Area | None
    period: str | None
    priorities: list[_Draft] = field(default_factory=list)


def _kind(label: str) -> str:
    label = label.lower()
    if label.startswith("action"):
        return "actions"
    if label.startswith("lead"):
        return "lead"
    if label.startswith("partner"):
        return "partners"
    return "themes"


class DocxImporter(PlansImporter):
    name: ClassVar[str] = "plans (Word)"

    def parse(self, path: Path, report: ImportReport, progress: Progress | None) -> Any:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError

        self.start(path, report)
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
            self.problem(report, "cannot read the file as a Word document (.docx).")
            return []
        if document.tables:
            self.problem(
                report,
                f"{len(document.tables)} table(s) not read: put each priority in its own "
                "paragraph under its ward's heading.",
                severity="warning",
            )
        document_period = self.period
        sections: list[_Section] = []
        preamble = 0
        for number, paragraph in enumerate(document.paragraphs, start=1):
            text = " ".join(paragraph.text.split())
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style == "Title" or style.startswith("Heading"):
                key = name_key(text)
                period = find_period(text)
                parent_key = name_key(self.parent.name) if self.parent is not None else None
                if style == "Title" or not key or key == parent_key:
                    if period and not self.period:
                        document_period = period
                    continue
                match = self.areas.by_name(text)
                if match.area is None:
                    self.problem(report, f"paragraph {number}, heading ‘{text}’: {match.message}")
                sections.append(_Section(number, text, match.area, period))
                continue
            if not sections:
                preamble += 1
                continue
            section = sections[-1]
            detail = DETAIL.match(text)
            if detail:
                if not section.priorities:
                    self.problem(
                        report,
                        f"paragraph {number}: ‘{detail.group(1)}:’ comes before any priority "
                        f"under ‘{section.heading}’.",
                    )
                    continue
                kind = _kind(detail.group(1))
                details = section.priorities[-1].details
                value = detail.group(2).strip()
                details[kind] = f"{details[kind]}\n{value}" if kind in details else value
                continue
            section.priorities.append(_Draft(number, NUMBERING.sub("", text)))
        if preamble:
            report.notes.append(
                f"{preamble} paragraph(s) before the first ward heading were not read."
            )
        if not sections and not report.errors:
            self.problem(
                report,
                "no ward headings found: give each ward a heading (Heading 1 or 2) followed "
                "by its priorities.",
            )

        rows: list[PriorityRow] = []
        for section in sections:
            if not section.priorities:
                self.problem(
                    report,
                    f"paragraph {section.paragraph}, heading ‘{section.heading}’: no priorities "
                    "follow this heading.",
                    severity="warning",
                )
                continue
            where = f"paragraph {section.paragraph}, heading ‘{section.heading}’: "
            period = section.period or document_period
            if period is None:
                self.problem(
                    report,
                    f"{where}no period: put it in the document title (e.g. ‘Ward plans "
                    "2025/26’) or choose the period for the whole file (--period).",
                )
            for draft in section.priorities:
                report.rows += 1
                at = f"paragraph {draft.paragraph}: "
                themes = self.resolve_themes(
                    draft.details.get("themes", ""), report, None, None, at
                )
                partners, others = self.partners(
                    draft.details.get("partners", ""), report, None, None, at
                )
                if section.area is None or period is None:
                    continue
                rows.append(
                    PriorityRow(
                        where=f"paragraph {draft.paragraph}",
                        area=section.area,
                        period=period,
                        text=draft.text,
                        themes=themes,
                        actions=draft.details.get("actions", ""),
                        lead=draft.details.get("lead", ""),
                        partners=partners,
                        other_partners=others,
                    )
                )
        self.check_duplicates(rows, report)
        return rows
