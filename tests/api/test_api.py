"""The API's shared behaviour: OpenAPI, authentication, error shape."""

from __future__ import annotations

import pytest

from placeworks.partners.services import create_api_token
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db


def test_openapi_document_and_docs_page(client):
    document = client.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Placeworks API"
    assert "/api/me" in document["paths"]
    assert client.get("/api/docs").status_code == 200


def test_anonymous_requests_are_the_anonymous_user(client):
    body = client.get("/api/me").json()
    assert body == {
        "authenticated": False,
        "username": None,
        "platform_admin": False,
        "memberships": [],
    }


def test_session_authentication(client):
    user = member("editor", username="amina")
    client.force_login(user)
    body = client.get("/api/me").json()
    assert body["username"] == "amina"
    assert body["memberships"][0]["role"] == "editor"


def test_token_authentication(client):
    user = member("viewer", username="script-owner")
    _, secret = create_api_token(by=user, name="script")
    body = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["username"] == "script-owner"


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer pwk_not-a-real-token", "This API token is not valid or was revoked."),
        ("Basic dXNlcjpwYXNz", "Authorization header must be ‘Bearer <token>’"),
        ("Bearer ", "Authorization header must be ‘Bearer <token>’"),
    ],
)
def test_bad_credentials_are_401_with_a_json_detail(client, header, detail):
    response = client.get("/api/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith(detail)


def test_inactive_users_tokens_stop_working(client):
    user = UserFactory()
    _, secret = create_api_token(by=user, name="script")
    user.is_active = False
    user.save()
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_unknown_endpoint_is_a_json_404(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "No API endpoint at /api/no-such-thing."}


def test_organisations_endpoint(client):
    member("viewer")
    body = client.get("/api/organisations").json()
    assert len(body) == 1
    assert {"id", "name", "sector", "sector_label"} <= set(body[0])
