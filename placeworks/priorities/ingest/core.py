"""The shared core of the plan importers: rows of priorities in, plans and priorities out.

A format module (``csv_xlsx``, ``docx``) reads its file into ``PriorityRow`` values through the
helpers here — area by code or by name within a parent district, period, themes by slug or name,
partner organisations by name — reporting every problem with where it is. ``write`` then applies
the rows plan by plan through the services, inside the one transaction of
``BaseImporter.run``: all or nothing.

Idempotent: importing a file again matches each plan by (owner, area, period) and each priority
by its text, so nothing is duplicated; a priority no longer in the file is removed from its plan,
one whose details changed is updated, and confirmed themes are kept unless the file names
themes.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from django.core.exceptions import PermissionDenied

from placeworks.ingest import BaseImporter, ImportReport, Problem, Progress
from placeworks.partners.models import Organisation
from placeworks.partners.permissions import Permission, has_permission
from placeworks.places.models import Area
from placeworks.themes.models import Theme

from .. import services
from ..areas import AreaMatcher, name_key
from ..models import PLAN_AREA_TYPES, Plan, PlanStatus
from ..periods import normalise_period
from ..suggestions import suggest_many

LIST_SEPARATORS = re.compile(r"\s*[;|\n]\s*")


def split_list(value: str) -> list[str]:
    """Items of a list cell: separated by semicolons, vertical bars or new lines (not commas:
    theme and organisation names contain commas).

    >>> split_list("Environment; community-safety |  Housing and tenancies")
    ['Environment', 'community-safety', 'Housing and tenancies']
    """
    return [item for item in LIST_SEPARATORS.split(value or "") if item]


@dataclass
class PriorityRow:
    """One priority read from a file, resolved against the database."""

    where: str  # "row 4" or "paragraph 12", for messages
    area: Area
    period: str
    text: str
    themes: list[Theme] | None = None  # None: the file names no themes for it
    actions: str = ""
    lead: str = ""
    partners: list[Organisation] = field(default_factory=list)
    other_partners: list[str] = field(default_factory=list)
    status: str | None = None


class ThemeMatcher:
    """Themes named by slug or by name (case and punctuation ignored)."""

    def __init__(self) -> None:
        self.themes = list(Theme.objects.all())
        self.lookup: dict[str, Theme] = {}
        for theme in self.themes:
            self.lookup[theme.slug.lower()] = theme
            self.lookup[name_key(theme.name)] = theme
            self.lookup[name_key(theme.slug.replace("-", " "))] = theme

    def find(self, value: str) -> Theme | None:
        return self.lookup.get(value.strip().lower()) or self.lookup.get(name_key(value))

    def suggestion(self, value: str) -> str:
        close = difflib.get_close_matches(name_key(value), list(self.lookup), n=1, cutoff=0.6)
        if close:
            theme = self.lookup[close[0]]
            return f"; did you mean ‘{theme.name}’ ({theme.slug})?"
        return "; use a theme's name or slug (listed in docs/priorities.md)."


class OrganisationMatcher:
    """Partner organisations by name or slug; unknown names are kept as text."""

    def __init__(self) -> None:
        self.lookup: dict[str, Organisation] = {}
        for organisation in Organisation.objects.all():
            self.lookup[name_key(organisation.name)] = organisation
            self.lookup[organisation.slug.lower()] = organisation

    def split(self, value: str) -> tuple[list[Organisation], list[str]]:
        found: list[Organisation] = []
        others: list[str] = []
        for name in split_list(value):
            organisation = self.lookup.get(name.lower()) or self.lookup.get(name_key(name))
            if organisation is None:
                others.append(name)
            elif organisation not in found:
                found.append(organisation)
        return found, others


class PlansImporter(BaseImporter):
    """Base of the plan importers (set up with the owning organisation and options).

    ``period`` is used for rows that give none; ``parent`` (a district or PLACE area) is where
    area names are looked up; new plans get ``status`` unless a row gives one; ``is_sample``
    marks the plans as illustrative sample data.
    """

    name: ClassVar[str] = "plans"
    permission: ClassVar[Permission] = Permission.EDIT_PLAN

    def __init__(
        self,
        *,
        owner: Organisation,
        period: str | None = None,
        parent: Area | None = None,
        status: str = PlanStatus.DRAFT,
        is_sample: bool = False,
        area_types: tuple[str, ...] = PLAN_AREA_TYPES,
    ):
        self.owner = owner
        self.period = normalise_period(period) if period else None
        if period and self.period is None:
            raise ValueError(f"‘{period}’ is not a financial year written like 2025/26.")
        self.parent = parent
        self.status = status
        self.is_sample = is_sample
        self.area_types = area_types
        self.file_name = ""

    def check_permission(self, by: Any) -> None:
        if by is not None and not has_permission(by, Permission.EDIT_PLAN, self.owner):
            raise PermissionDenied(f"Only editors of {self.owner.name} can import its plans.")

    # helpers for the format modules ------------------------------------------------------

    def start(self, path: Path, report: ImportReport) -> None:
        self.file_name = report.file_name
        self.areas = AreaMatcher(self.area_types, self.parent)
        self.theme_matcher = ThemeMatcher()
        self.organisations = OrganisationMatcher()

    def problem(
        self,
        report: ImportReport,
        message: str,
        row: int | None = None,
        column: str | None = None,
        severity: str = "error",
    ) -> None:
        report.problems.append(Problem(self.file_name, message, row, column, severity))

    def resolve_themes(
        self, value: str, report: ImportReport, row: int | None, column: str | None, where: str
    ) -> list[Theme] | None:
        """Themes named in a cell (None when the cell is empty)."""
        names = split_list(value)
        if not names:
            return None
        themes: list[Theme] = []
        for name in names:
            theme = self.theme_matcher.find(name)
            if theme is None:
                self.problem(
                    report,
                    f"{where}unknown theme ‘{name}’{self.theme_matcher.suggestion(name)}",
                    row,
                    column,
                )
            elif theme not in themes:
                themes.append(theme)
        return themes

    def resolve_period(
        self, value: str, report: ImportReport, row: int | None, column: str | None, where: str
    ) -> str | None:
        if value.strip():
            period = normalise_period(value)
            if period is None:
                self.problem(
                    report,
                    f"{where}‘{value}’ is not a financial year written like 2025/26.",
                    row,
                    column,
                )
            return period
        if self.period:
            return self.period
        self.problem(
            report,
            f"{where}no period: add a period column (like 2025/26) or choose the period "
            "for the whole file (--period).",
            row,
            column,
        )
        return None

    def partners(
        self, value: str, report: ImportReport, row: int | None, column: str | None, where: str
    ) -> tuple[list[Organisation], list[str]]:
        """Registered partner organisations, and the other names (kept as text, with a
        warning so that a misspelt organisation can be corrected)."""
        found, others = self.organisations.split(value)
        for name in others:
            self.problem(
                report,
                f"{where}partner ‘{name}’ is not a registered organisation; kept as text.",
                row,
                column,
                "warning",
            )
        return found, others

    def check_duplicates(self, rows: list[PriorityRow], report: ImportReport) -> None:
        seen: dict[tuple[int, str, str], str] = {}
        for row in rows:
            key = (row.area.pk, row.period, " ".join(row.text.lower().split()))
            if key in seen:
                self.problem(
                    report,
                    f"{row.where}: the same priority for {row.area.name} {row.period} is "
                    f"already at {seen[key]}; give each priority once.",
                )
            else:
                seen[key] = row.where

    # writing ---------------------------------------------------------------------------

    def write(
        self, parsed: list[PriorityRow], report: ImportReport, by: Any, progress: Progress | None
    ) -> None:
        groups: dict[tuple[int, str], list[PriorityRow]] = defaultdict(list)
        for row in parsed:
            groups[(row.area.pk, row.period)].append(row)
        existing = {
            (plan.area_id, plan.period): plan
            for plan in Plan.objects.filter(
                owner=self.owner, area_id__in={k[0] for k in groups}
            ).select_related("area", "owner")
        }
        # Suggestions for every text at once (one theme query, not one per priority).
        texts = list(dict.fromkeys(row.text for row in parsed))
        self.suggested = {
            text: [s.as_dict() for s in found]
            for text, found in zip(texts, suggest_many(texts), strict=True)
        }
        plans_created = plans_updated = removed = 0
        done = 0
        for (area_id, period), rows in groups.items():
            statuses = {row.status for row in rows if row.status}
            status = statuses.pop() if len(statuses) == 1 else None
            plan = existing.get((area_id, period))
            if plan is None:
                plan = services.create_plan(
                    by=by,
                    owner=self.owner,
                    area=rows[0].area,
                    period=period,
                    status=status or self.status,
                    source=self.file_name,
                    is_sample=self.is_sample,
                )
                plans_created += 1
            else:
                changes: dict[str, Any] = {}
                if status and status != plan.status:
                    changes["status"] = status
                if self.is_sample and not plan.is_sample:
                    changes["is_sample"] = True
                if changes:
                    services.update_plan(by=by, plan=plan, **changes)
                    plans_updated += 1
            removed += self._write_priorities(plan, rows, report, by)
            done += len(rows)
            if progress:
                progress(done, len(parsed))
        report.notes.append(
            f"Plans: {plans_created} new, {plans_updated} changed, "
            f"{len(groups) - plans_created - plans_updated} already up to date; "
            f"{removed} priorit{'y' if removed == 1 else 'ies'} no longer in the file removed."
        )

    def _write_priorities(
        self, plan: Plan, rows: list[PriorityRow], report: ImportReport, by: Any
    ) -> int:
        current = list(plan.priorities.prefetch_related("themes", "partners"))
        by_text = {" ".join(p.text.lower().split()): p for p in current}
        kept: set[int] = set()
        for number, row in enumerate(rows, start=1):
            priority = by_text.get(" ".join(row.text.lower().split()))
            other = "\n".join(row.other_partners)
            if priority is None:
                services.add_priority(
                    by=by,
                    plan=plan,
                    text=row.text,
                    themes=row.themes,
                    actions=row.actions,
                    lead=row.lead,
                    partners=row.partners,
                    other_partners=other,
                    number=number,
                    suggestions=self.suggested.get(row.text),
                )
                report.created += 1
                continue
            kept.add(priority.pk)
            changed = False
            fields = {
                "number": number,
                "text": row.text,
                "actions": row.actions,
                "lead": row.lead,
                "other_partners": other,
            }
            different = {k: v for k, v in fields.items() if getattr(priority, k) != v}
            partners_differ = {o.pk for o in row.partners} != {
                o.pk for o in priority.partners.all()
            }
            if different or partners_differ:
                services.update_priority(
                    by=by,
                    priority=priority,
                    partners=row.partners if partners_differ else None,
                    **different,
                )
                changed = True
            if row.themes is not None and (
                not priority.themes_confirmed
                or {t.pk for t in row.themes} != {t.pk for t in priority.themes.all()}
            ):
                services.confirm_themes(by=by, priority=priority, themes=row.themes)
                changed = True
            if changed:
                report.updated += 1
            else:
                report.unchanged += 1
        removed = [p for p in current if p.pk not in kept]
        for priority in removed:
            services.delete_priority(by=by, priority=priority)
        return len(removed)


def load_area(matcher: AreaMatcher, code: str, name: str) -> tuple[Area | None, str, str]:
    """The area for a code and/or a name: ``(area, message, column)`` where ``message`` says
    why none was found."""
    if code.strip():
        match = matcher.by_code(code)
        if match.area is None and name.strip():
            by_name = matcher.by_name(name)
            if by_name.area is not None:
                return (
                    None,
                    f"{match.message[0].upper()}{match.message[1:]} The name ‘{name}’ is "
                    f"{by_name.area.code}.",
                    "code",
                )
        return match.area, match.message, "code"
    match = matcher.by_name(name)
    return match.area, match.message, "name"


__all__ = [
    "OrganisationMatcher",
    "PlansImporter",
    "PriorityRow",
    "ThemeMatcher",
    "load_area",
    "split_list",
]
