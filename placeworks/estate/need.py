"""Need of the areas assets stand in, from the evidence app's need index.

The opportunity finder and the map want one number per LSOA on a common scale: ``value`` in
[0, 1] where 1 is the highest need *in the area's comparison set* (every loaded LSOA of the same
boundary vintage, e.g. the LSOAs of the loaded region — not England), ``1 − (rank − 1) / total``,
with the evidence app's label saying which set that is ("Overall need: decile 1 among 1,335
neighbourhoods (LSOAs) (2021)"). Without a need index loaded this returns nothing and the finder
ranks without need (and says so).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from placeworks.evidence import queries as evidence


@dataclass(frozen=True)
class Need:
    value: float  # 0..1, 1 = highest need in the comparison set
    label: str  # e.g. "Overall need: decile 1 among 1,335 neighbourhoods (LSOAs) (2021)"
    decile: int | None = None  # 1 = the highest-need tenth of the comparison set


def from_entry(entry: evidence.NeedEntry) -> Need | None:
    """One need-index entry on the common scale (None when the area is not ranked)."""
    if entry.rank is None or not entry.total:
        return None
    value = 1.0 - (entry.rank - 1) / entry.total
    # Without a decile (a set of fewer than ten areas) the label is just the theme's name.
    label = entry.label if entry.decile else f"{entry.name}: rank {entry.rank} {entry.comparison}"
    return Need(value, label, entry.decile)


def need_available() -> bool:
    return evidence.need_loaded()


def need_for_areas(area_ids: Iterable[int], theme: str | None = None) -> dict[int, Need]:
    """``{area id: Need}`` for the areas the need index ranks (empty when none is loaded)."""
    found = {}
    for area_id, entry in evidence.need_index_for_areas(area_ids, theme=theme).items():
        need = from_entry(entry)
        if need is not None:
            found[area_id] = need
    return found
