"""Writes through the services: permission, audit, the previous year's plan and its diff, and
who sees drafts."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from placeworks.audit.models import AuditEvent
from placeworks.partners.models import Visibility
from placeworks.partners.permissions import Permission, has_permission
from placeworks.priorities import queries, services
from placeworks.priorities.models import PlanStatus

from .helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(geo, orgs):
    return make_plan(
        geo["wards"]["Bancroft"],
        orgs["mansfield"],
        priorities=[("Reduce anti-social behaviour", ["community-safety"])],
        status=PlanStatus.DRAFT,
    )


# Every role against every write: only editors (and administrators) of the owner may write.
ROLE_TABLE = [
    ("editor", True),
    ("viewer", False),
    ("other_editor", False),
    ("police", False),
]


@pytest.mark.parametrize(("who", "allowed"), ROLE_TABLE)
def test_who_may_change_a_plan_and_its_priorities(plan, users, themes, who, allowed):
    user = users[who]
    priority = plan.priorities.get()
    writes = [
        lambda: services.add_priority(by=user, plan=plan, text="Tackle fly-tipping"),
        lambda: services.update_priority(by=user, priority=priority, text="Reduce ASB"),
        lambda: services.confirm_themes(by=user, priority=priority, themes=[themes["housing"]]),
        lambda: services.set_aims(by=user, priority=priority, aims=[]),
        lambda: services.update_plan(by=user, plan=plan, title="Bancroft ward plan"),
        lambda: services.publish_plan(by=user, plan=plan),
        lambda: services.delete_priority(by=user, priority=priority),
    ]
    for write in writes:
        if allowed:
            write()
        else:
            with pytest.raises(PermissionDenied):
                write()
    assert has_permission(user, Permission.EDIT_PLAN, plan) is allowed


def test_an_anonymous_user_cannot_write(plan):
    with pytest.raises(PermissionDenied):
        services.add_priority(by=AnonymousUser(), plan=plan, text="Reduce litter")


def test_only_editors_of_an_organisation_can_add_its_plans(geo, orgs, users):
    with pytest.raises(PermissionDenied, match="Only editors of Mansfield District Council"):
        services.create_plan(
            by=users["other_editor"],
            owner=orgs["mansfield"],
            area=geo["wards"]["Oakham"],
            period="2025/26",
        )
    plan = services.create_plan(
        by=users["editor"], owner=orgs["mansfield"], area=geo["wards"]["Oakham"], period="2025-26"
    )
    assert plan.period == "2025/26" and plan.status == PlanStatus.DRAFT


def test_plans_are_for_wards_and_places_not_neighbourhood_statistics_areas(geo, orgs):
    with pytest.raises(ValidationError, match="plans are for wards"):
        services.create_plan(by=None, owner=orgs["mansfield"], area=geo["lsoa"], period="2025/26")
    with pytest.raises(ValidationError, match="not a financial year"):
        services.create_plan(
            by=None, owner=orgs["mansfield"], area=geo["wards"]["Oakham"], period="2025/27"
        )


def test_every_change_is_audited(plan, users, themes):
    priority = plan.priorities.get()
    services.update_priority(by=users["editor"], priority=priority, text="Reduce ASB at night")
    services.confirm_themes(
        by=users["editor"],
        priority=priority,
        themes=[themes["community-safety"], themes["housing"]],
    )
    events = AuditEvent.objects.filter(object_type="priorities.priority", object_id=priority.pk)
    actions = list(events.order_by("id").values_list("action", "actor__username"))
    assert actions == [
        ("create", None),
        ("update", "mansfield.editor"),
        ("confirm_themes", "mansfield.editor"),
    ]
    confirm = events.get(action="confirm_themes")
    assert confirm.changes["themes"] == [["community-safety"], ["community-safety", "housing"]]
    update = events.get(action="update")
    assert update.changes["text"] == ["Reduce anti-social behaviour", "Reduce ASB at night"]


def test_a_new_text_gets_new_suggestions_and_keeps_its_confirmed_themes(plan):
    priority = plan.priorities.get()
    services.update_priority(by=None, priority=priority, text="Tackle fly-tipping and litter")
    assert priority.suggested_slugs() == ["environment"]
    assert [t.slug for t in priority.themes.all()] == ["community-safety"]


# --- who sees what -----------------------------------------------------------------------------


def test_drafts_are_seen_only_by_members_of_the_owning_organisation(plan, users):
    for who, sees in [
        ("editor", True),
        ("viewer", True),
        ("other_editor", False),
        ("police", False),
    ]:
        assert queries.visible_plans(users[who]).filter(pk=plan.pk).exists() is sees, who
        assert has_permission(users[who], Permission.VIEW, plan) is sees, who
    assert not queries.visible_plans(AnonymousUser()).filter(pk=plan.pk).exists()
    assert not queries.visible_priorities(AnonymousUser()).exists()


def test_published_plans_follow_their_visibility(plan, users):
    services.publish_plan(by=None, plan=plan)
    assert queries.visible_plans(AnonymousUser()).filter(pk=plan.pk).exists()
    services.update_plan(by=None, plan=plan, sharing=Visibility.PARTNERS)
    assert not queries.visible_plans(AnonymousUser()).filter(pk=plan.pk).exists()
    assert queries.visible_plans(users["police"]).filter(pk=plan.pk).exists()
    services.update_plan(by=None, plan=plan, sharing=Visibility.ORGANISATION)
    assert not queries.visible_plans(users["police"]).filter(pk=plan.pk).exists()
    assert queries.visible_plans(users["viewer"]).filter(pk=plan.pk).exists()


# --- year on year --------------------------------------------------------------------------------


def test_a_plan_links_to_the_previous_years_plan_whichever_is_added_first(geo, orgs):
    ward = geo["wards"]["Bancroft"]
    later = make_plan(ward, orgs["mansfield"], period="2025/26")
    earlier = make_plan(ward, orgs["mansfield"], period="2024/25")
    later.refresh_from_db()
    assert later.previous == earlier
    after = make_plan(ward, orgs["mansfield"], period="2026/27")
    assert after.previous == later
    other_owner = make_plan(ward, orgs["police"], period="2026/27")
    assert other_owner.previous is None


def test_the_year_on_year_diff_shows_kept_reworded_new_and_dropped_priorities(geo, orgs):
    ward = geo["wards"]["Bancroft"]
    make_plan(
        ward,
        orgs["mansfield"],
        period="2024/25",
        priorities=[
            ("Reduce anti-social behaviour around the shops", ["community-safety"]),
            ("Tackle fly-tipping and litter hotspots", ["environment"]),
            ("Support the food bank", ["cost-of-living"]),
        ],
    )
    now = make_plan(
        ward,
        orgs["mansfield"],
        period="2025/26",
        priorities=[
            ("Reduce anti-social behaviour around the shops", ["community-safety"]),
            ("Tackle fly-tipping and litter hot spots in the ward", ["environment"]),
            ("Improve mental health support", ["mental-health"]),
        ],
    )
    diff = queries.plan_diff(now)
    assert diff is not None and diff.previous.period == "2024/25"
    assert [n.text for _, n in diff.kept] == ["Reduce anti-social behaviour around the shops"]
    assert [(b.text, n.text) for b, n in diff.changed] == [
        (
            "Tackle fly-tipping and litter hotspots",
            "Tackle fly-tipping and litter hot spots in the ward",
        )
    ]
    assert [p.text for p in diff.added] == ["Improve mental health support"]
    assert [p.text for p in diff.dropped] == ["Support the food bank"]
    assert [t.slug for t in diff.themes_added] == ["mental-health"]
    assert [t.slug for t in diff.themes_dropped] == ["cost-of-living"]
    assert queries.plan_diff(diff.previous) is None
