"""Choropleth layers: an indicator's values for every area of one level, in deciles, as GeoJSON
with the same rows for the page's table.

Deciles: for IoD measures at LSOA level the published national decile (1 = the most deprived
10% in England); otherwise deciles of the areas shown (``placeworks.stats.quantiles``; 1 = the
worst tenth by the indicator's polarity, or the highest tenth when it has none). With fewer than
ten areas the classes are as many as the areas.

Geometry: the area's boundary (the places app's simplified shape when it has one); a grouping
without a boundary of its own (a PLACE area) is drawn as the union of its districts' or wards'.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import shapely

from placeworks.geo.io import geometry_to_geojson
from placeworks.places.models import Area, AreaLink, AreaShape, AreaType
from placeworks.stats import quantiles

from .models import Indicator, Observation, Polarity
from .services import period_year

LEVELS = [AreaType.LSOA, AreaType.WARD, AreaType.LAD, AreaType.PLACE, AreaType.COUNTY]
TOLERANCE: dict[str, float] = {
    AreaType.LSOA: 0.0002,
    AreaType.WARD: 0.0004,
    AreaType.LAD: 0.0008,
    AreaType.PLACE: 0.0008,
    AreaType.COUNTY: 0.001,
}
_SHAPES: dict[tuple[int, float], str | None] = {}


@dataclass
class MapRow:
    area: Area
    value: float | None
    lower: float | None
    upper: float | None
    decile: int | None
    national: bool


@dataclass
class MapLayer:
    indicator: Indicator
    level: str
    period: str
    rows: list[MapRow]
    classes: int
    national_deciles: bool
    periods: list[str]
    levels: list[str]

    def shade(self, number: int | None) -> int | None:
        """The colour (1..10, as deciles) of class ``number`` of ``classes``."""
        if number is None:
            return None
        if self.classes <= 1:
            return 1
        return round(1 + (number - 1) * 9 / (self.classes - 1))

    @property
    def legend(self) -> list[tuple[int, str, int | None]]:
        if self.national_deciles:
            words = "most deprived 10% in England", "least deprived 10% in England"
        elif self.indicator.polarity == Polarity.NO_JUDGEMENT:
            words = "highest tenth of the areas shown", "lowest tenth of the areas shown"
        else:
            words = "worst tenth of the areas shown", "best tenth of the areas shown"
        result = []
        for number in range(1, self.classes + 1):
            if number == 1:
                label = f"1 – {words[0]}"
            elif number == self.classes:
                label = f"{number} – {words[1]}"
            else:
                label = str(number)
            result.append((number, label, self.shade(number)))
        return result

    def feature_collection(self) -> dict[str, Any]:
        features = []
        for row in self.rows:
            shape = geometry(row.area)
            if shape is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "geometry": json.loads(shape),
                    "properties": {
                        "code": row.area.code,
                        "name": row.area.name,
                        "value": row.value,
                        "decile": row.decile,
                        "shade": self.shade(row.decile),
                        "url": f"/evidence/areas/{row.area.code}/?type={row.area.type}"
                        f"&vintage={row.area.vintage}",
                    },
                }
            )
        return {
            "type": "FeatureCollection",
            "features": features,
            "indicator": self.indicator.code,
            "period": self.period,
            "level": self.level,
            "classes": self.classes,
            "legend": self.legend,
        }


def levels_with_data(indicator: Indicator) -> list[str]:
    found = set(
        Observation.objects.filter(indicator=indicator, area__type__in=LEVELS)
        .values_list("area__type", flat=True)
        .distinct()
    )
    return [str(level) for level in LEVELS if level in found]


def map_layer(
    indicator: Indicator, level: str, period: str | None = None, within: Area | None = None
) -> MapLayer:
    rows = Observation.objects.filter(
        indicator=indicator, area__type=level, sex="Persons", age="All ages"
    )
    if within is not None:
        rows = rows.filter(area__ancestor_links__ancestor=within)
    periods = sorted(
        set(rows.values_list("period", flat=True).distinct()),
        key=lambda p: (-period_year(p), p),
    )
    chosen = period if period in periods else (periods[0] if periods else "")
    found = list(
        rows.filter(period=chosen, value__isnull=False)
        .select_related("area")
        .order_by("area__name")
    )
    national = bool(found) and level == AreaType.LSOA and all(o.decile for o in found)
    classes = 10
    deciles: list[int | None]
    if national:
        deciles = [o.decile for o in found]
    elif found:
        classes = min(10, len(found))
        deciles = list(
            quantiles(
                [float(o.value or 0) for o in found],
                classes,
                higher_is_worse=indicator.polarity != Polarity.HIGHER_IS_BETTER,
            )
        )
    else:
        deciles = []
    return MapLayer(
        indicator=indicator,
        level=level,
        period=chosen,
        rows=[
            MapRow(o.area, o.value, o.lower, o.upper, d, national)
            for o, d in zip(found, deciles, strict=True)
        ],
        classes=classes,
        national_deciles=national,
        periods=periods,
        levels=levels_with_data(indicator),
    )


def geometry(area: Area) -> str | None:
    """The area's boundary as GeoJSON text (simplified for a map of a region), cached."""
    tolerance = TOLERANCE.get(area.type, 0.0005)
    key = (area.pk, tolerance)
    if key in _SHAPES:
        return _SHAPES[key]
    if len(_SHAPES) > 20_000:
        _SHAPES.clear()
    shape = (
        AreaShape.objects.filter(area=area, zoom__lte=11)
        .order_by("-zoom")
        .values_list("geojson", flat=True)
        .first()
    )
    if shape is None:
        geom = _geometry(area)
        if geom is not None:
            shape = geometry_to_geojson(
                shapely.simplify(geom, tolerance, preserve_topology=True), precision=5
            )
    _SHAPES[key] = shape
    return shape


def _geometry(area: Area) -> Any:
    wkb = area.geometry_wkb
    if wkb:
        return shapely.from_wkb(bytes(wkb))
    for kind in (AreaType.LAD, AreaType.WARD, AreaType.LSOA):
        parts = [
            shapely.from_wkb(bytes(w))
            for w in AreaLink.objects.filter(
                ancestor=area, descendant__type=kind, descendant__geometry_wkb__isnull=False
            ).values_list("descendant__geometry_wkb", flat=True)
            if w
        ]
        if parts:
            return shapely.union_all(parts)
    return None
