"""The estate demo: the real North Midlands estate plus labelled sample sites, idempotently."""

from __future__ import annotations

import io

import pytest

from placeworks.estate import demo
from placeworks.estate.models import Asset, CommunityService, LocationSource
from placeworks.partners import demo as partners_demo

pytestmark = pytest.mark.django_db


def test_demo_loads_the_real_estate_and_sample_sites_and_reruns_without_change(areas):
    partners_demo.load(io.StringIO(), password="x")
    out = io.StringIO()
    demo.load(out)
    assert Asset.objects.filter(source="gias").count() == 1055
    assert Asset.objects.filter(source="nhs_sites").count() == 41
    practices = Asset.objects.filter(source="ods_gp")
    assert practices.count() == 256
    assert practices.filter(location_source=LocationSource.NONE).count() == 255
    samples = Asset.objects.filter(is_sample=True)
    assert samples.count() == 43 and all("(sample)" in a.name for a in samples)
    assert samples.filter(visibility="organisation").count() >= 3
    assert samples.filter(status__in=["under_used", "surplus"]).count() >= 10
    assert CommunityService.objects.filter(is_sample=True).count() == 8
    assert "1395 assets (1140 placed, 255 not placed" in out.getvalue()
    # The sample sites in the hand-built Mansfield squares are placed in them.
    assert Asset.objects.filter(area_links__area=areas["lsoa_w"]).exists()

    again = io.StringIO()
    demo.load(again)
    steps = [line for line in again.getvalue().splitlines() if " rows, " in line]
    assert len(steps) == 7 and all("0 created, 0 updated" in line for line in steps)
    assert Asset.objects.count() == 1395
