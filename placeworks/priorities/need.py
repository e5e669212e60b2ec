"""Need by theme from the evidence app, for "unrecognised need".

``placeworks.evidence.queries.need_index_for_areas(area_ids, theme)`` gives, per area, a need
score on a theme, its rank and decile within the area's comparison set (every loaded area of the
same type and boundary vintage, e.g. all 2024 wards of the loaded districts — not England) and
the components the score was made from. This module turns those into ``NeedEntry`` values for
the coverage report.

Decile 1 is the tenth of the comparison set with the highest need. When no need index is loaded
(``evidence.need_loaded()`` is false) ``available()`` is false and the coverage report says that
unrecognised need cannot be shown, rather than showing none.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from placeworks.evidence import queries as evidence
from placeworks.places.models import Area


@dataclass(frozen=True)
class NeedEntry:
    theme: str
    score: float | None
    decile: int | None  # 1 = the highest-need tenth of the comparison set
    rank: int | None = None  # 1 = the highest need
    of: int | None = None  # size of the comparison set
    components: list[dict[str, Any]] = field(default_factory=list)
    comparison: str = ""  # e.g. "among 58 wards (2024)"

    def describe(self) -> str:
        """The figures in words.

        >>> NeedEntry("housing", 1.234, 1, 2, 58, comparison="among 58 wards (2024)").describe()
        'decile 1 among 58 wards (2024), rank 2 of 58, score 1.23'
        """
        parts = []
        if self.decile is not None:
            parts.append(f"decile {self.decile} {self.comparison}".strip())
        if self.rank is not None and self.of:
            parts.append(f"rank {self.rank} of {self.of}")
        if self.score is not None:
            parts.append(f"score {self.score:.2f}")
        return ", ".join(parts) or "no figure"


def available() -> bool:
    return evidence.need_loaded()


def entry(theme: str, found: evidence.NeedEntry) -> NeedEntry | None:
    """One evidence need-index entry as a ``NeedEntry`` (None when the area is not ranked)."""
    if found.score is None:
        return None
    return NeedEntry(
        theme=theme,
        score=found.score,
        decile=found.decile,
        rank=found.rank,
        of=found.total,
        components=[dataclasses.asdict(c) for c in found.components],
        comparison=found.comparison,
    )


def need_by_area(
    areas: Iterable[Area], themes: Iterable[str]
) -> dict[int, dict[str, NeedEntry]] | None:
    """``{area id: {theme slug: NeedEntry}}`` for ``themes`` (those the need index has), or None
    when no need index is loaded. One computation per theme and comparison set, whatever the
    number of areas."""
    if not available():
        return None
    ids = [area.pk for area in areas]
    found: dict[int, dict[str, NeedEntry]] = {area_id: {} for area_id in ids}
    for slug in themes:
        if slug == "overall":
            continue
        for area_id, raw in evidence.need_index_for_areas(ids, theme=slug).items():
            need = entry(slug, raw)
            if need is not None:
                found[area_id][slug] = need
    return found
