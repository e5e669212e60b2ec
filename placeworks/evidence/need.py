"""The need index: a transparent composite of chosen indicators per theme (``need_index.yaml``).

Method (docs/evidence.md, "The need index"):

1. The comparison set is every loaded area of the same type and boundary vintage as the area
   asked about (all wards of 2024, all districts, all PLACE areas…).
2. The theme's period is the latest period in which any of its indicators has values for that
   set; components without values in that period are left out (and listed as missing).
3. Each component becomes a z-score across the set, ``(x − mean) / standard deviation``, signed so
   that positive means more need (higher values count as more need unless the indicator's
   polarity is "higher is better").
4. An area's score is the weighted mean of its components' z-scores (over the components it has
   values for, if they carry at least half the weight); areas are ranked on it (1 = highest need)
   and given a decile (1 = the highest-need tenth of the set).

Each component's contribution (weight × z-score ÷ total weight) is returned, so a page can say
*why* an area scores high. The table for a comparison set is computed once and cached until the
data or the configuration change.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from django.db.models import Max

from placeworks.places.models import Area

from .models import Indicator, Observation, Polarity
from .services import period_year

CONFIG = Path(__file__).with_name("need_index.yaml")
OVERALL = "overall"
MIN_WEIGHT_SHARE = 0.5


class NeedConfigError(Exception):
    """The need-index configuration file is not valid; the message says what to fix."""


@dataclass(frozen=True)
class ComponentConfig:
    indicator: str
    weight: float


@dataclass(frozen=True)
class ThemeConfig:
    key: str
    name: str
    theme: str | None
    description: str
    components: tuple[ComponentConfig, ...]


@dataclass(frozen=True)
class Component:
    indicator: str
    name: str
    short_name: str
    unit: str
    decimals: int
    value: float | None
    z: float | None
    weight: float
    contribution: float | None  # weight × z ÷ total weight of the components present


@dataclass
class NeedEntry:
    """One area's need on one theme (``theme`` None: overall), within its comparison set."""

    theme: str | None
    key: str
    name: str
    label: str
    score: float | None
    rank: int | None
    total: int
    decile: int | None
    period: str
    comparison: str
    components: list[Component] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    themes: dict[str, NeedEntry] | None = None  # on the overall entry: every theme, by key

    @property
    def percentile(self) -> float | None:
        """100 = the highest need in the comparison set."""
        if self.rank is None or not self.total:
            return None
        return 100.0 * (1 - (self.rank - 1) / self.total)

    def top_reasons(self, n: int = 3) -> list[Component]:
        """The components that push the score up most."""
        ranked = [c for c in self.components if c.contribution is not None and c.contribution > 0]
        return sorted(ranked, key=lambda c: -(c.contribution or 0))[:n]

    def as_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme,
            "key": self.key,
            "name": self.name,
            "score": _round(self.score),
            "rank": self.rank,
            "total": self.total,
            "decile": self.decile,
            "percentile": _round(self.percentile, 1),
            "period": self.period,
            "comparison": self.comparison,
            "components": [
                {
                    "indicator": c.indicator,
                    "name": c.name,
                    "value": c.value,
                    "unit": c.unit,
                    "z": _round(c.z),
                    "weight": c.weight,
                    "contribution": _round(c.contribution),
                }
                for c in self.components
            ],
            "missing": self.missing,
        }


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@cache
def _load(path: str, mtime: float) -> tuple[ThemeConfig, ...]:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise NeedConfigError(f"{path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("themes"), dict):
        raise NeedConfigError(f"{path} must have a 'themes' mapping")
    themes = []
    for key, body in raw["themes"].items():
        if not isinstance(body, dict):
            raise NeedConfigError(f"{path}: theme {key!r} must be a mapping")
        components = []
        for item in body.get("components") or []:
            if not isinstance(item, dict) or "indicator" not in item:
                raise NeedConfigError(f"{path}: theme {key!r}: each component needs an indicator")
            weight = item.get("weight", 1)
            if not isinstance(weight, int | float) or weight <= 0:
                raise NeedConfigError(
                    f"{path}: theme {key!r}, {item['indicator']}: weight must be a number above 0"
                )
            components.append(ComponentConfig(str(item["indicator"]), float(weight)))
        if not components:
            raise NeedConfigError(f"{path}: theme {key!r} has no components")
        theme = body.get("theme")
        themes.append(
            ThemeConfig(
                key=str(key),
                name=str(body.get("name") or key),
                theme=None if key == OVERALL else str(theme or key),
                description=str(body.get("description") or ""),
                components=tuple(components),
            )
        )
    if not any(t.key == OVERALL for t in themes):
        raise NeedConfigError(f"{path} must define the '{OVERALL}' theme")
    return tuple(themes)


def config(path: Path | None = None) -> tuple[ThemeConfig, ...]:
    """The themes of the need index, from ``need_index.yaml`` (re-read when it changes)."""
    target = path or CONFIG
    return _load(str(target), target.stat().st_mtime)


def theme_config(theme: str | None) -> ThemeConfig | None:
    wanted = OVERALL if theme in (None, OVERALL) else theme
    for item in config():
        if item.key == wanted or (item.theme is not None and item.theme == wanted):
            return item
    return None


_TYPE_WORDS = {
    "lsoa": "neighbourhoods (LSOAs)",
    "ward": "wards",
    "lad": "districts",
    "county": "counties",
    "place": "PLACE areas",
    "region": "regions",
}


@dataclass
class _Table:
    entries: dict[int, NeedEntry]


_CACHE: dict[tuple[Any, ...], _Table] = {}


def _version() -> tuple[Any, ...]:
    latest = Indicator.objects.aggregate(latest=Max("updated_at"))["latest"]
    return (latest, CONFIG.stat().st_mtime)


def table(area_type: str, vintage: str, item: ThemeConfig) -> _Table:
    """Need entries of every area in the comparison set (cached per data version)."""
    key = (area_type, vintage, item, _version())
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 64:
            _CACHE.clear()
        found = _CACHE[key] = _compute(area_type, vintage, item)
    return found


def _compute(area_type: str, vintage: str, item: ThemeConfig) -> _Table:
    codes = [c.indicator for c in item.components]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    rows = list(
        Observation.objects.filter(
            indicator__code__in=codes,
            area__type=area_type,
            area__vintage=vintage,
            sex="Persons",
            age="All ages",
            value__isnull=False,
        ).values_list("indicator__code", "period", "area_id", "value")
    )
    comparison_word = _TYPE_WORDS.get(area_type, area_type)
    if not rows:
        return _Table({})
    period = max({r[1] for r in rows}, key=lambda p: (period_year(p), p))
    rows = [r for r in rows if r[1] == period]
    area_ids = sorted({r[2] for r in rows})
    index = {a: i for i, a in enumerate(area_ids)}
    present = [c for c in item.components if c.indicator in indicators]
    present = [c for c in present if any(r[0] == c.indicator for r in rows)]
    missing = [c.indicator for c in item.components if c not in present]
    values = np.full((len(area_ids), len(present)), np.nan)
    column = {c.indicator: j for j, c in enumerate(present)}
    for code, _, area_id, value in rows:
        if code in column:
            values[index[area_id], column[code]] = value
    weights = np.array([c.weight for c in present])
    signs = np.array(
        [
            -1.0 if indicators[c.indicator].polarity == Polarity.HIGHER_IS_BETTER else 1.0
            for c in present
        ]
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.nanmean(values, axis=0) if values.size else np.zeros(0)
        sds = np.nanstd(values, axis=0, ddof=0) if values.size else np.zeros(0)
        z = np.where(sds > 0, (values - means) / np.where(sds > 0, sds, 1.0), 0.0) * signs
    z = np.where(np.isnan(values), np.nan, z)
    has = ~np.isnan(z)
    weight_present = (has * weights).sum(axis=1)
    enough = (
        weight_present >= MIN_WEIGHT_SHARE * weights.sum() if weights.size else np.zeros(0, bool)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(enough, np.nansum(z * weights, axis=1) / weight_present, np.nan)
    ranked = ~np.isnan(scores)
    total = int(ranked.sum())
    order = np.argsort(-np.where(ranked, scores, -np.inf), kind="stable")
    ranks = np.zeros(len(area_ids), dtype=np.int64)
    ranks[order] = np.arange(1, len(area_ids) + 1)
    comparison = f"among {total} {comparison_word}" + (f" ({vintage})" if vintage else "")
    entries: dict[int, NeedEntry] = {}
    for i, area_id in enumerate(area_ids):
        score = float(scores[i]) if ranked[i] else None
        rank = int(ranks[i]) if ranked[i] else None
        components = []
        for j, c in enumerate(present):
            indicator = indicators[c.indicator]
            zij = None if np.isnan(z[i, j]) else float(z[i, j])
            components.append(
                Component(
                    indicator=c.indicator,
                    name=indicator.name,
                    short_name=indicator.short_name,
                    unit=indicator.unit,
                    decimals=indicator.decimals,
                    value=None if np.isnan(values[i, j]) else float(values[i, j]),
                    z=zij,
                    weight=c.weight,
                    contribution=None
                    if zij is None or not weight_present[i]
                    else c.weight * zij / float(weight_present[i]),
                )
            )
        # Deciles of fewer than ten areas would be misleading: the rank says it all.
        decile = math.ceil(10 * rank / total) if rank is not None and total >= 10 else None
        label = f"{item.name}: decile {decile} {comparison}" if decile else item.name
        entries[area_id] = NeedEntry(
            theme=item.theme,
            key=item.key,
            name=item.name,
            label=label,
            score=score,
            rank=rank,
            total=total,
            decile=decile,
            period=period,
            comparison=comparison,
            components=components,
            missing=missing,
        )
    return _Table(entries)


def need_loaded() -> bool:
    """Whether the overall need index has data: an observation (persons, all ages) of any of its
    components exists, for any area. One indexed ``EXISTS`` query; it does not compute the
    index."""
    item = theme_config(OVERALL)
    if item is None:
        return False
    return Observation.objects.filter(
        indicator__code__in=[c.indicator for c in item.components],
        sex="Persons",
        age="All ages",
        value__isnull=False,
    ).exists()


def need_index(area: Area, theme: str | None = None) -> NeedEntry | None:
    """The need of ``area`` on ``theme`` (a theme slug; None or "overall": overall need).

    The overall entry carries every theme's entry in ``themes`` (keyed by the config key, with
    "overall" itself). Returns None when the theme has no need index or the area no data.
    """
    item = theme_config(theme)
    if item is None:
        return None
    entry = table(area.type, area.vintage, item).entries.get(area.pk)
    if entry is None or item.key != OVERALL:
        return entry
    themes: dict[str, NeedEntry] = {OVERALL: entry}
    for other in config():
        if other.key == OVERALL:
            continue
        found = table(area.type, area.vintage, other).entries.get(area.pk)
        if found is not None:
            themes[other.key] = found
    entry.themes = themes
    return entry


def need_index_for_areas(area_ids: Iterable[int], theme: str | None = None) -> dict[int, NeedEntry]:
    """``{area id: NeedEntry}`` for many areas at once (one computation per comparison set)."""
    item = theme_config(theme)
    ids = sorted(set(area_ids))
    if item is None or not ids:
        return {}
    result: dict[int, NeedEntry] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for start in range(0, len(ids), 500):
        for pk, kind, vintage in Area.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "pk", "type", "vintage"
        ):
            groups.setdefault((kind, vintage), []).append(pk)
    for (kind, vintage), members in groups.items():
        entries = table(kind, vintage, item).entries
        for pk in members:
            if pk in entries:
                result[pk] = entries[pk]
    return result


def highest_need(
    within: Area, area_type: str, theme: str | None = None, limit: int = 5
) -> list[tuple[Area, NeedEntry]]:
    """The areas of ``area_type`` inside ``within`` with the highest need (rank 1 first)."""
    from placeworks.places.models import AreaLink

    item = theme_config(theme)
    if item is None:
        return []
    inside = list(
        AreaLink.objects.filter(ancestor=within, descendant__type=area_type).select_related(
            "descendant"
        )
    )
    scored: dict[str, list[tuple[Area, NeedEntry]]] = {}
    for link in inside:
        area = link.descendant
        entry = table(area.type, area.vintage, item).entries.get(area.pk)
        if entry is not None and entry.rank is not None:
            scored.setdefault(area.vintage, []).append((area, entry))
    if not scored:
        return []
    latest = scored[max(scored)]  # the newest boundaries (wards of 2024 before those of 2019)
    latest.sort(key=lambda pair: (pair[1].rank or 0, pair[0].name))
    return latest[:limit]
