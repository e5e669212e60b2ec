"""Every role against every action: the permission table."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, CharField, Value, When

from placeworks.partners.models import Organisation, Visibility
from placeworks.partners.permissions import (
    PLATFORM_ONLY,
    ROLES,
    Permission,
    has_permission,
    visible,
)
from tests.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


class Record:
    """A stand-in owned object with a visibility (the protocol assets and projects follow)."""

    def __init__(self, owner: Organisation, visibility: str):
        self.owner = owner
        self.visibility = visibility

    def organisation_ids(self) -> set[int]:
        return {self.owner.pk}


ORG_ACTIONS = [
    Permission.EDIT_ASSET,
    Permission.EDIT_PROJECT,
    Permission.EDIT_PLAN,
    Permission.UPLOAD_EVIDENCE,
    Permission.MANAGE_MEMBERS,
    Permission.EDIT_ORGANISATION,
]

# role -> the organisation-scoped actions it grants on its own organisation's records
EXPECTED = {
    "viewer": set(),
    "editor": {
        Permission.EDIT_ASSET,
        Permission.EDIT_PROJECT,
        Permission.EDIT_PLAN,
        Permission.UPLOAD_EVIDENCE,
    },
    "admin": {
        Permission.EDIT_ASSET,
        Permission.EDIT_PROJECT,
        Permission.EDIT_PLAN,
        Permission.UPLOAD_EVIDENCE,
        Permission.MANAGE_MEMBERS,
        Permission.EDIT_ORGANISATION,
    },
}


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
@pytest.mark.parametrize("action", ORG_ACTIONS)
def test_role_table_on_own_organisation(role: str, action: Permission) -> None:
    org = OrganisationFactory()
    user = member(role, org)
    record = Record(org, Visibility.ORGANISATION)
    assert has_permission(user, action, record) is (action in EXPECTED[role])


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
@pytest.mark.parametrize("action", ORG_ACTIONS)
def test_no_role_grants_actions_on_another_organisations_records(
    role: str, action: Permission
) -> None:
    user = member(role)
    record = Record(OrganisationFactory(), Visibility.PARTNERS)
    assert has_permission(user, action, record) is False


@pytest.mark.parametrize("role", ["viewer", "editor", "admin"])
@pytest.mark.parametrize("action", sorted(PLATFORM_ONLY, key=lambda p: p.value))
def test_reference_data_is_for_platform_administrators_only(role: str, action: Permission) -> None:
    assert has_permission(member(role), action) is False
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert has_permission(admin, action) is True


@pytest.mark.parametrize(
    ("visibility", "anonymous", "other_partner", "owner_member"),
    [
        (Visibility.PUBLIC, True, True, True),
        (Visibility.PARTNERS, False, True, True),
        (Visibility.ORGANISATION, False, False, True),
    ],
)
def test_visibility_decides_who_can_view(
    visibility: str, anonymous: bool, other_partner: bool, owner_member: bool
) -> None:
    org = OrganisationFactory()
    record = Record(org, visibility)
    signed_in_without_membership = UserFactory()
    assert has_permission(AnonymousUser(), Permission.VIEW, record) is anonymous
    assert has_permission(member("viewer"), Permission.VIEW, record) is other_partner
    assert has_permission(member("viewer", org), Permission.VIEW, record) is owner_member
    # Signed in but in no partner organisation: public only.
    assert has_permission(signed_in_without_membership, Permission.VIEW, record) is (
        visibility == Visibility.PUBLIC
    )


def test_an_editor_cannot_change_a_record_they_cannot_see() -> None:
    org = OrganisationFactory()
    editor = member("editor")
    assert not has_permission(editor, Permission.EDIT_ASSET, Record(org, Visibility.ORGANISATION))


def test_inactive_users_may_do_nothing() -> None:
    org = OrganisationFactory()
    user = member("admin", org)
    user.is_active = False
    assert not has_permission(user, Permission.MANAGE_MEMBERS, org)


def test_visible_filters_in_the_query() -> None:
    """Organisations annotated with a visibility stand in for owned records (owner = itself)."""
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    shared = OrganisationFactory()
    qs = Organisation.objects.annotate(
        visibility=Case(
            When(pk=shared.pk, then=Value(Visibility.PARTNERS)),
            default=Value(Visibility.ORGANISATION),
            output_field=CharField(),
        )
    )
    assert set(visible(member("viewer", mine), qs, organisation_fields=("id",))) == {mine, shared}
    assert set(visible(AnonymousUser(), qs, organisation_fields=("id",))) == set()
    admin = UserFactory(is_superuser=True)
    assert set(visible(admin, qs, organisation_fields=("id",))) == {mine, theirs, shared}


def test_every_role_has_a_plain_english_description() -> None:
    for role in ROLES.values():
        assert len(role.description) > 40
