"""What the pipeline reads from the rooms below it: need, local priorities, strategy aims,
indicator baselines and the geography of the places served.

Need comes from ``placeworks.evidence.queries`` (``need_loaded``, ``need_index``), priorities
from ``placeworks.priorities.queries.visible_priorities(user)`` — so a confidential or draft
plan never shows up in the explanation of a project's score — and baselines from the evidence
``Indicator`` model and ``latest_value``. Each reader answers "nothing loaded" when that data is
absent, so the pipeline works (and says what it is missing) on any installation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from placeworks.evidence import queries as evidence
from placeworks.evidence.models import Indicator
from placeworks.places.models import Area, AreaLink
from placeworks.priorities.queries import visible_priorities
from placeworks.themes.models import Aim

# --- need ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedReading:
    """A place's need on the pipeline's 0–100 scale: 100 = the highest need in its comparison
    set (every loaded area of the same type and boundary vintage — the evidence app ranks
    within that set, not across England), ``100 × (1 − (rank − 1) ÷ total)``."""

    score: float
    decile: int | None  # 1 = the highest-need tenth of the comparison set (None: under ten areas)
    label: str  # e.g. "Overall need: decile 1 among 10 districts (2024)"
    comparison: str = ""  # e.g. "among 10 districts (2024)"


def need_available() -> bool:
    return evidence.need_loaded()


def reading(entry: evidence.NeedEntry | None) -> NeedReading | None:
    """An evidence need-index entry on the 0–100 scale (None when the area is not ranked)."""
    if entry is None or entry.rank is None or not entry.total:
        return None
    score = 100 * (1 - (entry.rank - 1) / entry.total)
    # Without a decile (a set of fewer than ten areas) the label is just the theme's name.
    label = entry.label if entry.decile else f"{entry.name}: rank {entry.rank} {entry.comparison}"
    return NeedReading(round(score, 2), entry.decile, label, entry.comparison)


class NeedReader:
    """Reads need once per (area, theme) and remembers it for the request."""

    def __init__(self) -> None:
        self.available = evidence.need_loaded()
        self._cache: dict[tuple[int, str | None], NeedReading | None] = {}

    def get(self, area: Area, theme: str | None) -> NeedReading | None:
        """``area``'s need on ``theme`` (a theme slug; None: overall need)."""
        key = (area.pk, theme)
        if key not in self._cache:
            found = evidence.need_index(area, theme=theme) if self.available else None
            self._cache[key] = reading(found)
        return self._cache[key]


# --- local priorities and strategy aims -----------------------------------------------------


def local_areas(area_ids: Iterable[int]) -> set[int]:
    """The areas served, the areas within them and the areas containing them (not LSOAs):
    a ward plan counts for its district and a district plan for the wards in it."""
    ids = set(area_ids)
    if not ids:
        return set()
    down = AreaLink.objects.filter(ancestor_id__in=ids).exclude(descendant__type="lsoa")
    up = AreaLink.objects.filter(descendant_id__in=ids)
    return (
        ids
        | set(down.values_list("descendant_id", flat=True))
        | set(up.values_list("ancestor_id", flat=True))
    )


def priorities_loaded(user: Any) -> bool:
    """Whether any local plan priority that ``user`` may see is loaded."""
    return visible_priorities(user).exists()


def priority_themes(user: Any, area_ids: Iterable[int]) -> dict[str, list[str]]:
    """``{theme slug: [priority text, …]}`` of the local plans for these areas that ``user`` may
    see (``visible_priorities``: drafts and confidential plans only for their owners)."""
    found: dict[str, list[str]] = defaultdict(list)
    rows = (
        visible_priorities(user)
        .filter(plan__area__in=local_areas(area_ids))
        .values_list("themes__slug", "text")
    )
    for slug, text in rows:
        if slug:  # a priority without confirmed themes
            found[slug].append(str(text))
    return dict(found)


def aim_themes() -> dict[str, list[str]]:
    """``{theme slug: [aim text (strategy), …]}`` of all partnership strategies."""
    found: dict[str, list[str]] = defaultdict(list)
    for aim in Aim.objects.select_related("strategy").prefetch_related("themes"):
        for theme in aim.themes.all():
            found[theme.slug].append(f"‘{aim.text}’ in {aim.strategy.name}")
    return dict(found)


# --- indicator baselines ----------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    code: str
    name: str
    value: float | None
    period: str
    unit: str
    source: str


def indicators() -> list[tuple[str, str]]:
    """``[(code, name)]`` of the indicators in the evidence catalogue (empty if none)."""
    return list(Indicator.objects.order_by("order", "name").values_list("code", "name"))


def baseline(code: str, area: Area | None) -> Baseline | None:
    """The latest observation of indicator ``code`` for ``area`` (None when none is loaded)."""
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        return None
    observation = evidence.latest_value(code, area) if area is not None else None
    if observation is None:
        return Baseline(code, indicator.name, None, "", indicator.unit, indicator.source)
    return Baseline(
        code,
        indicator.name,
        observation.value,
        observation.period,
        indicator.unit,
        indicator.source,
    )


# --- geography of the places served -----------------------------------------------------------


def districts_of(areas: Iterable[Area]) -> dict[int, set[str]]:
    """``{area id: {district name}}``: a district is itself, a ward or LSOA its district, a
    PLACE area or county the districts within it."""
    areas = list(areas)
    result: dict[int, set[str]] = {a.pk: set() for a in areas}
    for area in areas:
        if area.type == "lad":
            result[area.pk].add(area.name)
    others = [a.pk for a in areas if a.type != "lad"]
    if others:
        links = AreaLink.objects.filter(ancestor_id__in=others, descendant__type="lad").values_list(
            "ancestor_id", "descendant__name"
        )
        for area_id, name in links:
            result[area_id].add(name)
        links = AreaLink.objects.filter(descendant_id__in=others, ancestor__type="lad").values_list(
            "descendant_id", "ancestor__name"
        )
        for area_id, name in links:
            result[area_id].add(name)
    for area in areas:
        if not result[area.pk]:
            result[area.pk].add(area.name)  # nothing known above or below: the area itself
    return result


def centroids(areas: Iterable[Area]) -> dict[int, tuple[float, float]]:
    """``{area id: (lon, lat)}``: the area's centroid, or for a grouping without a boundary (a
    PLACE area) the mean centroid of the districts or wards within it."""
    areas = list(areas)
    found = {
        a.pk: (a.centroid_lon, a.centroid_lat)
        for a in areas
        if a.centroid_lon is not None and a.centroid_lat is not None
    }
    missing = [a.pk for a in areas if a.pk not in found]
    if missing:
        points: dict[int, list[tuple[float, float]]] = defaultdict(list)
        rows = AreaLink.objects.filter(
            ancestor_id__in=missing,
            descendant__type__in=["lad", "ward"],
            descendant__centroid_lon__isnull=False,
        ).values_list(
            "ancestor_id",
            "descendant__type",
            "descendant__centroid_lon",
            "descendant__centroid_lat",
        )
        by_type: dict[int, dict[str, list[tuple[float, float]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for area_id, area_type, lon, lat in rows:
            if lon is not None and lat is not None:
                by_type[area_id][area_type].append((float(lon), float(lat)))
        for area_id, kinds in by_type.items():
            points[area_id] = kinds.get("lad") or kinds.get("ward") or []
        for area_id, pts in points.items():
            if pts:
                found[area_id] = (
                    sum(p[0] for p in pts) / len(pts),
                    sum(p[1] for p in pts) / len(pts),
                )
    return {k: (float(v[0]), float(v[1])) for k, v in found.items()}


def related_area_ids(area: Area) -> set[int]:
    """The area, the areas within it and the areas containing it: a project serving any of
    them serves ``area`` (filtering to Mid-Nottinghamshire finds a Mansfield project)."""
    ids = {area.pk}
    ids |= set(AreaLink.objects.filter(ancestor=area).values_list("descendant_id", flat=True))
    ids |= set(AreaLink.objects.filter(descendant=area).values_list("ancestor_id", flat=True))
    return ids


def place_groups(areas: Iterable[Area]) -> dict[int, list[Area]]:
    """``{area id: [PLACE areas it lies in or is]}`` for the dashboard's totals by place."""
    areas = list(areas)
    result: dict[int, list[Area]] = {a.pk: [a] if a.type == "place" else [] for a in areas}
    ids = [a.pk for a in areas if a.type != "place"]
    if ids:
        up = AreaLink.objects.filter(descendant_id__in=ids, ancestor__type="place").select_related(
            "ancestor"
        )
        for link in up:
            result[link.descendant_id].append(link.ancestor)
        down = AreaLink.objects.filter(
            ancestor_id__in=ids, descendant__type="place"
        ).select_related("descendant")
        for link in down:
            result[link.ancestor_id].append(link.descendant)
    return result
