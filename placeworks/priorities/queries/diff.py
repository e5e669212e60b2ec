"""What changed in a plan since the same area's plan for the year before."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from placeworks.themes.models import Theme

from ..models import Plan, Priority

# --- year on year --------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(text.lower().split())


@dataclass
class PlanDiff:
    previous: Plan
    kept: list[tuple[Priority, Priority]]  # (before, now) with the same text
    changed: list[tuple[Priority, Priority]]  # (before, now) reworded
    added: list[Priority]
    dropped: list[Priority]
    themes_added: list[Theme]
    themes_dropped: list[Theme]
    themes_kept: list[Theme]

    @property
    def unchanged(self) -> bool:
        return not (self.changed or self.added or self.dropped)

    def as_dict(self) -> dict[str, Any]:
        return {
            "previous_plan_id": self.previous.pk,
            "previous_period": self.previous.period,
            "kept": [now.pk for _, now in self.kept],
            "changed": [{"before": b.text, "now": n.text, "id": n.pk} for b, n in self.changed],
            "added": [p.pk for p in self.added],
            "dropped": [p.text for p in self.dropped],
            "themes_added": [t.slug for t in self.themes_added],
            "themes_dropped": [t.slug for t in self.themes_dropped],
            "themes_kept": [t.slug for t in self.themes_kept],
        }


SIMILAR = 0.6  # priorities this alike (difflib ratio) are the same priority reworded


def plan_diff(plan: Plan) -> PlanDiff | None:
    """What changed since the previous year's plan: priorities kept, reworded, added and
    dropped, and themes added and dropped (None when there is no previous plan)."""
    if plan.previous_id is None:
        return None
    previous = Plan.objects.select_related("area").get(pk=plan.previous_id)
    before = list(previous.priorities.prefetch_related("themes"))
    now = list(plan.priorities.prefetch_related("themes"))
    kept, changed = [], []
    remaining_before = list(before)
    remaining_now = []
    for priority in now:
        same = next((b for b in remaining_before if _plain(b.text) == _plain(priority.text)), None)
        if same is not None:
            kept.append((same, priority))
            remaining_before.remove(same)
        else:
            remaining_now.append(priority)
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, _plain(b.text), _plain(n.text)).ratio(), i, j)
            for i, b in enumerate(remaining_before)
            for j, n in enumerate(remaining_now)
        ),
        reverse=True,
    )
    used_before: set[int] = set()
    used_now: set[int] = set()
    for ratio, i, j in pairs:
        if ratio < SIMILAR:
            break
        if i in used_before or j in used_now:
            continue
        used_before.add(i)
        used_now.add(j)
        changed.append((remaining_before[i], remaining_now[j]))
    changed.sort(key=lambda pair: pair[1].number)
    added = [n for j, n in enumerate(remaining_now) if j not in used_now]
    dropped = [b for i, b in enumerate(remaining_before) if i not in used_before]

    def themes(priorities: list[Priority]) -> dict[int, Theme]:
        return {t.pk: t for p in priorities for t in p.themes.all()}

    old, new = themes(before), themes(now)

    def order(items: Iterable[Theme]) -> list[Theme]:
        return sorted(items, key=lambda t: (t.order, t.name))

    return PlanDiff(
        previous=previous,
        kept=kept,
        changed=changed,
        added=added,
        dropped=dropped,
        themes_added=order(t for pk, t in new.items() if pk not in old),
        themes_dropped=order(t for pk, t in old.items() if pk not in new),
        themes_kept=order(t for pk, t in new.items() if pk in old),
    )
