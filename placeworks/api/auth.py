"""API authentication: the browser session, or a personal token for scripts.

Every API request passes through ``PlaceworksAuth``. Anonymous requests are let through as the
anonymous user (public data is public); each endpoint then asks the permission layer. A request
with an ``Authorization: Bearer`` header must carry a valid, unrevoked token or it is refused
with 401. Session-authenticated writes are CSRF-checked; token requests are not (no cookies).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.errors import AuthenticationError, HttpError
from ninja.utils import check_csrf

from placeworks.partners.services import user_for_token

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class PlaceworksAuth:
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, secret = header.partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise AuthenticationError(
                    message="Authorization header must be ‘Bearer <token>’ with a Placeworks token."
                )
            user = user_for_token(secret.strip())
            if user is None:
                raise AuthenticationError(message="This API token is not valid or was revoked.")
            request.user = user
            return user
        user = getattr(request, "user", None) or AnonymousUser()
        unsafe = request.method not in SAFE_METHODS
        if user.is_authenticated and unsafe and check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed. Reload the page and try again.")
        return user
