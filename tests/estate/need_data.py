"""Real need-index data for the tests of the apps that read it (estate, pipeline, priorities).

``load_need({area: value, …})`` creates the catalogue's IoD indicators that make up a need-index
theme (``placeworks/evidence/need_index.yaml``; the overall index by default) through
``evidence.services.ensure_indicators`` and writes ``value`` for every one of them through
``evidence.services.write_observations`` (negated where higher is better). Every component then
has the same z-scores, so the evidence app's ``need_index`` ranks the areas by ``value`` (highest
= rank 1) within their comparison set — the areas of the same type and vintage given values —
with real labels and deciles (ten or more areas).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

import numpy as np

from placeworks.evidence import services
from placeworks.evidence.catalogue import (
    MEASURES,
    METHOD_UNDERLYING,
    UNDERLYING,
    IndicatorSpec,
    iod_source,
    measure_specs,
    underlying_spec,
)
from placeworks.evidence.geography import Geography
from placeworks.evidence.models import Polarity
from placeworks.evidence.need import theme_config
from placeworks.places.models import Area


@cache
def _specs() -> dict[str, IndicatorSpec]:
    specs = {spec.code: spec for measure in MEASURES for spec in measure_specs(measure)}
    specs.update({u.code: underlying_spec(u, METHOD_UNDERLYING) for u in UNDERLYING.values()})
    return specs


def components(theme: str | None = None) -> list[str]:
    """The indicator codes of a need-index theme (None: overall)."""
    item = theme_config(theme)
    assert item is not None, theme
    return [c.indicator for c in item.components]


def load_need(
    values: Mapping[Area, float], codes: Iterable[str] | None = None, period: str = "2025"
) -> None:
    """Write ``values`` (higher = more need) for each indicator in ``codes`` (default: the
    components of the overall need index)."""
    codes = list(components(None) if codes is None else codes)
    indicators = services.ensure_indicators([_specs()[c] for c in codes], **iod_source())
    areas = np.array([a.pk for a in values], dtype=np.int64)
    figures = np.array(list(values.values()), dtype=float)
    geography = Geography.load()
    for code in codes:
        # "Higher is better" components count lower values as more need: write them negated.
        sign = -1.0 if indicators[code].polarity == Polarity.HIGHER_IS_BETTER else 1.0
        frame = services.ObsFrame(area=areas, value=sign * figures)
        services.write_observations(indicators[code], period, frame, geography)
