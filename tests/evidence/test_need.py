"""The need index: z-scores across the comparison set, weights, ranks, components; and the
names other apps call."""

from __future__ import annotations

import numpy as np
import pytest

from placeworks.evidence import need, queries
from placeworks.evidence.models import Observation
from placeworks.places.models import Area


def test_config_file_is_valid_and_has_the_required_themes():
    keys = {t.key for t in need.config()}
    assert {"overall", "housing", "education-skills", "health-wellbeing"} <= keys
    housing = need.theme_config("housing")
    assert housing is not None and housing.theme == "housing"
    assert need.theme_config(None).key == "overall"
    assert need.theme_config("planning") is None


def test_a_bad_config_says_what_to_fix(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "need.yaml"
    path.write_text("themes:\n  overall:\n    components:\n      - {indicator: x, weight: -1}\n")
    with pytest.raises(need.NeedConfigError, match="weight must be a number above 0"):
        need.config(path)
    path.write_text("themes:\n  housing:\n    components:\n      - {indicator: x}\n")
    with pytest.raises(need.NeedConfigError, match="must define the 'overall' theme"):
        need.config(path)


def test_ward_need_is_the_weighted_mean_of_z_scores(data):  # type: ignore[no-untyped-def]
    ward = Area.objects.filter(type="ward", vintage="2024", name="Oak Tree").first()
    entry = queries.need_index(ward, "health-wellbeing")
    assert entry is not None and entry.theme == "health-wellbeing"
    assert entry.period == "2025" and entry.total > 50
    # recompute one component's z-score by hand over every 2024 ward
    component = entry.components[0]
    values = np.array(
        Observation.objects.filter(
            indicator__code=component.indicator,
            area__type="ward",
            area__vintage="2024",
            period="2025",
        ).values_list("value", flat=True)
    )
    expected = (component.value - values.mean()) / values.std()
    assert component.z == pytest.approx(expected)
    weights = sum(c.weight for c in entry.components if c.z is not None)
    score = sum(c.weight * c.z for c in entry.components if c.z is not None) / weights
    assert entry.score == pytest.approx(score)
    assert sum(c.contribution for c in entry.components) == pytest.approx(score)
    # the 2019-only component is reported missing for the 2025 comparison set
    assert "iod-mood-anxiety-disorders" in entry.missing


def test_overall_entry_carries_every_theme_and_ranks_are_consistent(data):  # type: ignore[no-untyped-def]
    wards = Area.objects.filter(type="ward", vintage="2024")
    entries = queries.need_index_for_areas(list(wards.values_list("pk", flat=True)))
    ranks = sorted(e.rank for e in entries.values())
    assert ranks == list(range(1, len(ranks) + 1))
    best = min(entries.values(), key=lambda e: e.rank)
    assert best.decile == 1 and best.percentile == 100
    one = queries.need_index(wards.get(pk=next(iter(entries))))
    assert one.theme is None and {
        "overall",
        "housing",
        "education-skills",
        "health-wellbeing",
    } <= set(one.themes)
    assert one.as_dict()["components"]


def test_highest_need_wards_of_a_place(data):  # type: ignore[no-untyped-def]
    found = queries.highest_need(data["areas"]["place"], "ward", limit=3)
    assert len(found) == 3
    assert [e.rank for _, e in found] == sorted(e.rank for _, e in found)
    assert all(a.vintage == "2024" for a, _ in found)
    assert found[0][1].top_reasons()


def test_pipeline_and_estate_read_the_need_index(data):  # type: ignore[no-untyped-def]
    from placeworks.estate.need import need_for_areas
    from placeworks.pipeline.sources import NeedReader

    place = data["areas"]["place"]
    reader = NeedReader()
    assert reader.available
    overall = reader.get(place, None)
    housing = reader.get(place, "housing")
    assert overall is not None and housing is not None
    assert 0 <= overall.score <= 100 and housing.label
    assert reader.get(place, "planning") is None  # no need index for that theme
    lsoa = Area.objects.filter(type="lsoa", vintage="2021").first()
    needs = need_for_areas([lsoa.pk])
    assert lsoa.pk in needs and 0 <= needs[lsoa.pk].value <= 1


def test_need_loaded_only_when_the_overall_index_has_data(geography):  # type: ignore[no-untyped-def]
    from placeworks.evidence import catalogue, services
    from placeworks.evidence.geography import Geography

    specs = {s.code: s for m in catalogue.MEASURES for s in catalogue.measure_specs(m)}
    specs |= {
        u.code: catalogue.underlying_spec(u, catalogue.METHOD_UNDERLYING)
        for u in catalogue.UNDERLYING.values()
    }
    lsoas = list(Area.objects.filter(type="lsoa", vintage="2021").order_by("code")[:3])
    frame = services.ObsFrame(area=np.array([a.pk for a in lsoas]), value=np.array([3.0, 2, 1]))

    def write(code: str) -> None:
        indicator = services.ensure_indicators([specs[code]])[code]
        services.write_observations(indicator, "2025", frame, Geography.load())

    assert not queries.need_loaded()
    overall = {c.indicator for c in need.theme_config(None).components}
    assert "iod-homelessness" not in overall
    write("iod-homelessness")  # a housing component only
    assert not queries.need_loaded()
    assert "iod-crime-score" in overall
    write("iod-crime-score")
    assert queries.need_loaded()
