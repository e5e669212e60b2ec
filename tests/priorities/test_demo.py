"""The demo loads a sample strategy and sample ward plans through the real importers,
idempotently, with the tagger's themes confirmed and everything labelled as sample data."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser

from placeworks.audit.models import ImportRun
from placeworks.partners import demo as partners_demo
from placeworks.priorities import demo, queries
from placeworks.priorities.models import Plan, PlanStatus, Priority
from placeworks.themes.models import Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(geo):
    partners_demo.load(io.StringIO(), password="demo-password-123")
    out = io.StringIO()
    demo.load(out, password="demo-password-123")
    return out.getvalue()


def test_the_demo_loads_sample_plans_for_mansfield_and_ashfield(loaded):
    assert Plan.objects.filter(owner__name="Mansfield District Council").count() == 70
    assert Plan.objects.filter(owner__name="Ashfield District Council").count() == 8
    assert not Plan.objects.filter(is_sample=False).exists()
    assert set(Plan.objects.values_list("status", flat=True)) == {PlanStatus.PUBLISHED}
    assert ImportRun.objects.filter(status=ImportRun.Status.COMMITTED).count() == 2
    assert "mansfield_ward_plans.csv: 70 sample plans" in loaded


def test_the_demo_confirms_the_taggers_suggestions(loaded):
    assert not Priority.objects.filter(themes_confirmed_at__isnull=True).exists()
    priority = Priority.objects.filter(text__icontains="fly-tipping").first()
    assert [t.slug for t in priority.themes.all()] == priority.suggested_slugs()


def test_the_demo_strategy_is_labelled_as_sample_data_and_has_four_aims(loaded):
    strategy = Strategy.objects.get(name=demo.STRATEGY_NAME)
    assert strategy.is_sample and "illustrative" in strategy.name
    assert [a.number for a in strategy.aims.all()] == [1, 2, 3, 4]
    assert all(a.themes.exists() for a in strategy.aims.all())


def test_the_demo_coverage_report_reads_like_the_issue_asks(loaded):
    selection = queries.parse_selection({"parent": "E07000174", "period": "2025/26"})
    result = queries.coverage(AnonymousUser(), selection)
    assert len(result.plans) == 35 and result.unit == "wards" and result.is_sample
    themes = {row.key: row.plans for row in result.themes}
    assert themes["community-safety"] >= 25
    assert themes["older-people"] <= 5
    ashfield = queries.coverage(
        AnonymousUser(), queries.parse_selection({"parent": "E07000170", "period": "2025/26"})
    )
    assert [row.label for row in ashfield.aim_gaps] == [
        "2. The best possible mental health and wellbeing"
    ]


def test_loading_the_demo_again_changes_nothing(loaded):
    before = (Plan.objects.count(), Priority.objects.count())
    out = io.StringIO()
    demo.load(out, password="demo-password-123")
    assert (Plan.objects.count(), Priority.objects.count()) == before
    assert "0 priorities added" in out.getvalue() and "themes confirmed for 0" in out.getvalue()


def test_without_the_wards_the_demo_says_what_it_needs(db):
    out = io.StringIO()
    demo.load(out, password="x")
    assert "skipped mansfield_ward_plans.csv" in out.getvalue()
    assert not Plan.objects.exists()
