"""The shared theme vocabulary: the agreed slugs in the database, the hierarchy, strategies
and aims linked to themes, and administrators editing themes without changing slugs."""

from __future__ import annotations

import pytest
from django.test import Client

from placeworks.priorities.tagging import THEMES
from placeworks.themes.models import Aim, Strategy, Theme
from placeworks.themes.services import ensure_default_themes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AGREED = [
    "environment",
    "community-safety",
    "community-resilience",
    "cost-of-living",
    "children-young-people",
    "transport-road-safety",
    "health-wellbeing",
    "mental-health",
    "older-people",
    "loneliness-isolation",
    "employment-economy",
    "housing",
    "planning",
    "culture-leisure-sport",
    "community-groups",
    "covid-recovery",
    "education-skills",
]


def test_the_database_holds_the_seventeen_agreed_slugs_after_migrating():
    top_level = list(Theme.objects.filter(parent=None).values_list("slug", flat=True))
    assert top_level == AGREED
    assert list(THEMES) == AGREED
    # one sub-theme, under cost of living
    assert Theme.objects.get(slug="income").parent.slug == "cost-of-living"
    assert ensure_default_themes() == 0  # idempotent


def test_strategy_aims_are_linked_to_themes(strategy):
    aim = Aim.objects.get(strategy=strategy["strategy"], number=2)
    assert aim.text == "The best possible mental health and wellbeing"
    assert list(aim.themes.values_list("slug", flat=True)) == ["mental-health"]
    assert list(Theme.objects.get(slug="mental-health").aims.all()) == [aim]
    assert Strategy.objects.get().aims.count() == 4


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_an_administrator_adds_a_sub_theme_with_its_slug_and_keywords(admin_client):
    environment = Theme.objects.get(slug="environment")
    response = admin_client.post(
        "/admin/themes/theme/add/",
        {
            "slug": "dark-skies",
            "name": "Dark skies",
            "description": "",
            "parent": environment.pk,
            "order": 40,
            "keywords": "dark skies | 3\nlight pollution",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Theme.objects.get(slug="dark-skies")
    assert added.parent == environment and "light pollution" in added.keywords


def test_an_administrator_renames_a_theme_but_cannot_change_its_slug(admin_client):
    theme = Theme.objects.get(slug="community-safety")
    page = admin_client.get(f"/admin/themes/theme/{theme.pk}/change/").content.decode()
    assert 'name="slug"' not in page  # shown, not editable
    response = admin_client.post(
        f"/admin/themes/theme/{theme.pk}/change/",
        {
            "slug": "crime",
            "name": "Crime and safety",
            "description": theme.description,
            "parent": "",
            "order": theme.order,
            "keywords": "",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.slug, theme.name) == ("community-safety", "Crime and safety")
