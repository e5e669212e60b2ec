"""Organisation pages and member management."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from placeworks.audit.models import AuditEvent
from placeworks.partners import services
from placeworks.partners.models import Membership
from tests.factories import OrganisationFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_organisations_are_listed_publicly_but_members_only_to_members(client):
    org = OrganisationFactory(name="Mansfield District Council")
    viewer = member("viewer", org, username="insider")
    response = client.get(reverse("organisation-list"))
    assert "Mansfield District Council" in response.content.decode()
    html = client.get(reverse("organisation-detail", args=[org.slug])).content.decode()
    assert "insider" not in html
    client.force_login(viewer)
    html = client.get(reverse("organisation-detail", args=[org.slug])).content.decode()
    assert "insider" in html


def test_admin_adds_a_member_and_it_is_audited(client):
    org = OrganisationFactory()
    admin = member("admin", org)
    newcomer = UserFactory(username="newcomer")
    client.force_login(admin)
    url = reverse("organisation-members", args=[org.slug])
    response = client.post(url, {"username": "newcomer", "role": "editor"})
    assert response.status_code == 302
    assert Membership.objects.get(user=newcomer, organisation=org).role == "editor"
    event = AuditEvent.objects.get(action="set_role")
    assert event.actor == admin
    assert event.changes == {"role": [None, "editor"]}


def test_viewer_is_refused_member_management_with_a_clear_message(client):
    org = OrganisationFactory(name="Ashfield District Council")
    client.force_login(member("viewer", org))
    url = reverse("organisation-members", args=[org.slug])
    for response in (client.get(url), client.post(url, {"username": "x", "role": "admin"})):
        assert response.status_code == 403
        assert (
            "Only administrators of Ashfield District Council can add members"
            in response.content.decode()
        )
    assert Membership.objects.count() == 1


def test_admin_of_one_organisation_cannot_manage_another():
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(PermissionDenied):
        services.set_membership(
            by=member("admin", mine), organisation=theirs, user=UserFactory(), role="admin"
        )


def test_unknown_username_is_reported_on_the_field(client):
    org = OrganisationFactory()
    client.force_login(member("admin", org))
    response = client.post(
        reverse("organisation-members", args=[org.slug]), {"username": "ghost", "role": "viewer"}
    )
    assert response.status_code == 400
    assert "There is no active account with the username ‘ghost’" in response.content.decode()


def test_member_names_are_escaped(client):
    OrganisationFactory(name="<script>alert(1)</script> Trust")
    html = client.get(reverse("organisation-list")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_creating_organisations_needs_a_platform_administrator_and_gets_unique_slugs():
    editor = member("admin", OrganisationFactory())
    with pytest.raises(PermissionDenied):
        services.create_organisation(by=editor, name="The Surgery", sector="gp_practice")
    admin = UserFactory(is_superuser=True)
    first = services.create_organisation(by=admin, name="St Mary's Surgery", sector="gp_practice")
    # The command-line operator (importers, the demo loader) is by=None.
    second = services.create_organisation(
        by=None, name="St Marys Surgery", sector="gp_practice", ods_code="C84001"
    )
    assert (first.slug, second.slug) == ("st-marys-surgery", "st-marys-surgery-2")
    assert second.ods_code == "C84001"
    events = AuditEvent.objects.filter(action="create", object_type="partners.organisation")
    assert [e.actor for e in events.order_by("pk")] == [admin, None]
