"""Coverage of themes and aims by a set of plans, the alignment matrix, gaps and
unrecognised need.

Definitions (also in ``docs/priorities.md``):

- A plan **references a theme** when at least one of its priorities has that theme, or a
  theme under it in the hierarchy, among its *confirmed* themes (suggestions awaiting a
  person's confirmation do not count).
- A priority **serves an aim** when one of its confirmed themes, or a theme above one of them,
  is linked to the aim — unless a person chose the priority's aims by hand, which then count
  instead. A plan **takes up an aim** when at least one of its priorities serves it.
- **Coverage** of a theme or aim: how many plans of the set reference it, out of all plans in
  the set (those the reader may see).
- **Gaps**: aims (and themes) that no plan in the set takes up.
- **Unrecognised need**: a plan's area whose need index for a theme is in the highest-need
  deciles of its comparison set (decile 1 or 2 by default) while no priority of the plan
  references that theme, a theme under it or a theme above it.

Coverage runs a fixed handful of queries whatever the number of plans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from placeworks.places.models import AreaType
from placeworks.themes.models import Aim, Strategy, Theme

from .. import need as need_source
from ..models import Plan, Priority
from .plans import Selection, select_plans
from .themes import AimIndex, ThemeTree, effective_aims

# --- coverage ------------------------------------------------------------------------------


@dataclass
class Row:
    """One theme or aim in a coverage report."""

    key: str  # theme slug, or aim id
    label: str
    plans: int  # plans that reference it
    of: int  # plans in the set
    priorities: int  # priorities that reference it
    plan_ids: list[int]
    group: str = ""  # the strategy of an aim
    depth: int = 0  # a theme's depth in the hierarchy

    @property
    def percent(self) -> float:
        return round(100 * self.plans / self.of, 1) if self.of else 0.0

    @property
    def percent_int(self) -> int:
        """The bar length in whole percent (for CSS classes)."""
        return round(self.percent)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "group": self.group,
            "depth": self.depth,
            "plans": self.plans,
            "of": self.of,
            "percent": self.percent,
            "priorities": self.priorities,
            "plan_ids": self.plan_ids,
        }


@dataclass
class Unrecognised:
    """A plan's area whose need for a theme is high while the plan does not name the theme."""

    plan: Plan
    theme_slug: str
    theme_name: str
    need: need_source.NeedEntry

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.pk,
            "area_code": self.plan.area.code,
            "area_name": self.plan.area.name,
            "theme": self.theme_slug,
            "theme_name": self.theme_name,
            "decile": self.need.decile,
            "rank": self.need.rank,
            "of": self.need.of,
            "comparison": self.need.comparison,
            "score": self.need.score,
            "components": self.need.components,
        }


@dataclass
class Coverage:
    plans: list[Plan]
    unit: str  # "wards" when each plan is a different ward; otherwise "plans"
    themes: list[Row]
    aims: list[Row]
    matrix: list[tuple[Plan, list[int]]]  # per plan, priorities serving each aim (aims order)
    priorities: int
    unconfirmed: int  # priorities whose themes await confirmation
    need_available: bool
    need_areas: int  # areas of the set for which the need index has figures
    need_decile: int
    unrecognised: list[Unrecognised]
    strategies: list[Strategy]

    @property
    def unit_singular(self) -> str:
        return self.unit[:-1]

    @property
    def aim_gaps(self) -> list[Row]:
        return [row for row in self.aims if row.plans == 0]

    @property
    def theme_gaps(self) -> list[Row]:
        return [row for row in self.themes if row.plans == 0]

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.plans) or any(s.is_sample for s in self.strategies)

    def rows(self, by: str) -> list[Row]:
        return self.aims if by == "aim" else self.themes


def _unit(plans: list[Plan]) -> str:
    types = {p.area.type for p in plans}
    areas = {p.area_id for p in plans}
    if len(types) == 1 and len(areas) == len(plans):
        return {
            AreaType.WARD: "wards",
            AreaType.NEIGHBOURHOOD: "neighbourhoods",
            AreaType.PLACE: "PLACE areas",
            AreaType.LAD: "districts",
        }.get(AreaType(next(iter(types))), "plans")
    return "plans"


def coverage(user: Any, selection: Selection) -> Coverage:
    """Coverage of themes and aims, the alignment matrix, gaps and unrecognised need for the
    plans of ``selection`` that ``user`` may see."""
    plans = list(select_plans(user, selection))
    plan_ids = [p.pk for p in plans]
    plan_query = select_plans(user, selection).order_by().values("pk")
    tree = ThemeTree()
    index = AimIndex(tree, selection.strategy)

    priority_rows = list(
        Priority.objects.filter(plan__in=plan_query).values_list(
            "pk", "plan_id", "themes_confirmed_at", "aims_overridden"
        )
    )
    plan_of = {pk: plan_id for pk, plan_id, _, _ in priority_rows}
    overridden = {pk for pk, _, _, flag in priority_rows if flag}
    themes_of: dict[int, set[int]] = defaultdict(set)
    for priority_id, theme_id in Priority.themes.through.objects.filter(
        priority__plan__in=plan_query
    ).values_list("priority_id", "theme_id"):
        themes_of[priority_id].add(theme_id)
    chosen_aims: dict[int, set[int]] = defaultdict(set)
    if overridden:
        for priority_id, aim_id in Priority.aims.through.objects.filter(
            priority__plan__in=plan_query, priority__aims_overridden=True
        ).values_list("priority_id", "aim_id"):
            chosen_aims[priority_id].add(aim_id)

    # Per plan: themes referenced (rolled up the hierarchy) and priorities per theme and aim.
    plan_themes: dict[int, set[int]] = defaultdict(set)
    theme_priorities: dict[int, int] = defaultdict(int)
    aim_plans: dict[int, set[int]] = defaultdict(set)
    aim_priorities: dict[int, int] = defaultdict(int)
    cell: dict[tuple[int, int], int] = defaultdict(int)
    for priority_id, plan_id in plan_of.items():
        confirmed = themes_of.get(priority_id, set())
        expanded = tree.expand_up(confirmed)
        plan_themes[plan_id] |= expanded
        for theme_id in expanded:
            theme_priorities[theme_id] += 1
        if priority_id in overridden:
            aims = chosen_aims.get(priority_id, set())
        else:
            aims = {aim.pk for aim in index.aims if index.theme_ids[aim.pk] & expanded}
        for aim_id in aims:
            aim_plans[aim_id].add(plan_id)
            aim_priorities[aim_id] += 1
            cell[(plan_id, aim_id)] += 1

    total = len(plans)
    theme_rows = []
    for theme, depth in tree.ordered():
        referencing = sorted(p for p in plan_ids if theme.pk in plan_themes.get(p, ()))
        theme_rows.append(
            Row(
                theme.slug,
                theme.name,
                len(referencing),
                total,
                theme_priorities.get(theme.pk, 0),
                referencing,
                depth=depth,
            )
        )
    aim_rows = [
        Row(
            str(aim.pk),
            f"{aim.number}. {aim.text}",
            len(aim_plans.get(aim.pk, ())),
            total,
            aim_priorities.get(aim.pk, 0),
            sorted(aim_plans.get(aim.pk, ())),
            group=aim.strategy.name,
        )
        for aim in index.aims
    ]
    matrix = [(plan, [cell.get((plan.pk, aim.pk), 0) for aim in index.aims]) for plan in plans]

    unrecognised: list[Unrecognised] = []
    by_area = need_source.need_by_area({p.area_id: p.area for p in plans}.values(), tree.by_slug)
    if by_area is not None:
        for plan in plans:
            named = plan_themes.get(plan.pk, set())
            for slug, need in by_area.get(plan.area_id, {}).items():
                if need.decile is None or need.decile > selection.need_decile:
                    continue
                known = tree.by_slug.get(slug)
                if known is not None:
                    related = set(tree.ancestors(known.pk)) | set(tree.descendants(known.pk))
                    if related & named:
                        continue
                name = known.name if known is not None else slug.replace("-", " ")
                unrecognised.append(Unrecognised(plan, slug, name, need))
        unrecognised.sort(
            key=lambda u: (u.need.decile or 11, -(u.need.score or 0), u.plan.area.name)
        )

    strategies = list({aim.strategy_id: aim.strategy for aim in index.aims}.values())
    if selection.strategy is not None and selection.strategy not in strategies:
        strategies.append(selection.strategy)
    return Coverage(
        plans=plans,
        unit=_unit(plans),
        themes=theme_rows,
        aims=aim_rows,
        matrix=matrix,
        priorities=len(priority_rows),
        unconfirmed=sum(1 for _, _, confirmed, _ in priority_rows if confirmed is None),
        need_available=by_area is not None,
        need_areas=sum(1 for found in (by_area or {}).values() if found),
        need_decile=selection.need_decile,
        unrecognised=unrecognised,
        strategies=strategies,
    )


def priorities_for_theme(user: Any, selection: Selection, theme: Theme) -> QuerySet[Priority]:
    """Drill-down: the priorities of the selected plans that reference ``theme`` (or a theme
    under it), with their plans."""
    tree = ThemeTree()
    return (
        Priority.objects.filter(
            plan__in=select_plans(user, selection).order_by().values("pk"),
            themes__in=tree.descendants(theme.pk),
        )
        .distinct()
        .select_related("plan__area", "plan__owner")
        .prefetch_related("themes")
        .order_by("plan__area__name", "plan__period", "number")
    )


def priorities_for_aim(user: Any, selection: Selection, aim: Aim) -> list[Priority]:
    """Drill-down: the priorities of the selected plans that serve ``aim``."""
    index = AimIndex(ThemeTree())
    candidates = list(
        Priority.objects.filter(plan__in=select_plans(user, selection).order_by().values("pk"))
        .select_related("plan__area", "plan__owner")
        .prefetch_related("themes", "aims")
        .order_by("plan__area__name", "plan__period", "number")
    )
    aims = effective_aims(candidates, index)
    return [p for p in candidates if any(a.pk == aim.pk for a in aims[p.pk])]
