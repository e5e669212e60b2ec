"""The theme hierarchy and the strategy aims a priority serves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from placeworks.themes.models import Aim, Strategy, Theme

from ..models import Priority

# --- the theme hierarchy and strategy aims ----------------------------------------------------


class ThemeTree:
    """Every theme, with its ancestors and descendants (one query)."""

    def __init__(self) -> None:
        self.themes: list[Theme] = list(Theme.objects.order_by("order", "name"))
        self.by_id = {t.pk: t for t in self.themes}
        self.by_slug = {t.slug: t for t in self.themes}
        self.children: dict[int | None, list[Theme]] = defaultdict(list)
        for theme in self.themes:
            self.children[theme.parent_id].append(theme)

    def ancestors(self, theme_id: int) -> list[int]:
        """The theme and those above it."""
        found, current = [], self.by_id.get(theme_id)
        while current is not None and current.pk not in found:
            found.append(current.pk)
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return found

    def descendants(self, theme_id: int) -> list[int]:
        """The theme and those under it."""
        found, stack = [], [theme_id]
        while stack:
            current = stack.pop()
            if current in found:
                continue
            found.append(current)
            stack.extend(t.pk for t in self.children.get(current, []))
        return found

    def ordered(self) -> list[tuple[Theme, int]]:
        """Themes in tree order with their depth (top-level themes have depth 0)."""
        result: list[tuple[Theme, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for theme in self.children.get(parent, []):
                result.append((theme, depth))
                walk(theme.pk, depth + 1)

        walk(None, 0)
        return result

    def expand_up(self, theme_ids: Iterable[int]) -> set[int]:
        return {a for t in theme_ids for a in self.ancestors(t)}


class AimIndex:
    """Strategy aims with their themes, for deriving a priority's aims (two queries)."""

    def __init__(self, tree: ThemeTree, strategy: Strategy | None = None):
        self.tree = tree
        aims = Aim.objects.select_related("strategy").prefetch_related("themes")
        if strategy is not None:
            aims = aims.filter(strategy=strategy)
        self.aims: list[Aim] = list(aims.order_by("strategy__name", "number", "pk"))
        self.theme_ids = {aim.pk: {t.pk for t in aim.themes.all()} for aim in self.aims}

    def for_themes(self, theme_ids: Iterable[int]) -> list[Aim]:
        """Aims served by priorities with these confirmed themes (themes above them count)."""
        expanded = self.tree.expand_up(theme_ids)
        return [aim for aim in self.aims if self.theme_ids[aim.pk] & expanded]


def effective_aims(priorities: list[Priority], index: AimIndex) -> dict[int, list[Aim]]:
    """``{priority id: aims}``: the chosen aims when overridden, else those derived from the
    confirmed themes. Expects ``themes`` and ``aims`` prefetched."""
    known = {aim.pk for aim in index.aims}
    result = {}
    for priority in priorities:
        if priority.aims_overridden:
            result[priority.pk] = [a for a in priority.aims.all() if a.pk in known]
        else:
            result[priority.pk] = index.for_themes(t.pk for t in priority.themes.all())
    return result
