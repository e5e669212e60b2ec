"""Sign in, sign out, lock-out, password reset, the account page and API tokens."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from placeworks.audit.models import AuditEvent
from placeworks.partners.models import ApiToken
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_sign_in_and_out(client, password):
    user = UserFactory(username="amina")
    response = client.post(reverse("login"), {"username": "amina", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    assert client.get(reverse("account")).context["user"] == user
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 302  # back to sign in


def test_wrong_password_shows_a_govuk_error_summary(client):
    UserFactory(username="amina")
    response = client.post(reverse("login"), {"username": "amina", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html


def test_repeated_failures_lock_the_account_out_even_with_the_right_password(
    client, password, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="amina")
    for _ in range(3):
        client.post(reverse("login"), {"username": "amina", "password": "guess"})
    response = client.post(reverse("login"), {"username": "amina", "password": password})
    assert response.status_code == 200
    assert "Too many failed attempts to sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_earlier_failures(client, password, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(username="amina")
    for _ in range(2):
        client.post(reverse("login"), {"username": "amina", "password": "guess"})
    client.post(reverse("login"), {"username": "amina", "password": password})
    client.post(reverse("logout"))
    for _ in range(2):
        client.post(reverse("login"), {"username": "amina", "password": "guess"})
    response = client.post(reverse("login"), {"username": "amina", "password": password})
    assert response.status_code == 302


def test_password_reset_sends_a_working_link(client):
    UserFactory(username="amina", email="amina@example.org")
    response = client.post(reverse("password_reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choose a new password" in response.content.decode()
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase-42", "new_password2": "a-new-long-passphrase-42"},
    )
    assert response.status_code == 302
    assert client.login(username="amina", password="a-new-long-passphrase-42")


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_account_page_lists_memberships_with_role_descriptions(client):
    user = member("editor", username="amina")
    client.force_login(user)
    html = client.get(reverse("account")).content.decode()
    membership = user.memberships.get()
    assert membership.organisation.name in html
    assert "Editor" in html
    assert "adds or changes their organisation" in html


def test_api_token_is_shown_once_stored_hashed_and_revocable(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("account-token-create"), {"name": "Pipeline export"})
    assert response.status_code == 302
    html = client.get(reverse("account")).content.decode()
    secret = re.search(r'id="new-token">(pwk_[^<]+)<', html).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == ApiToken.hash(secret)
    assert secret not in token.key_hash
    # Shown once only.
    assert secret not in client.get(reverse("account")).content.decode()
    # Works, then stops working when revoked.
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    client.post(reverse("account-token-revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    anonymous = type(client)()
    assert anonymous.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert AuditEvent.objects.filter(object_type="partners.apitoken", action="revoke").exists()


def test_token_needs_a_name(client):
    client.force_login(UserFactory())
    response = client.post(reverse("account-token-create"), {"name": ""})
    assert response.status_code == 400
    assert "Enter a name for the token" in response.content.decode()


def test_users_cannot_revoke_each_others_tokens(client):
    owner = UserFactory()
    from placeworks.partners.services import create_api_token

    token, _ = create_api_token(by=owner, name="mine")
    client.force_login(UserFactory())
    assert client.post(reverse("account-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
