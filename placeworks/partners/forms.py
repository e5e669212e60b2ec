from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from . import ratelimit


class SignInForm(AuthenticationForm):
    """Django's sign-in form with a lock-out after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "locked": "Too many failed attempts to sign in. Wait %(minutes)s minutes and try again.",
    }

    def clean(self):  # type: ignore[no-untyped-def]
        username = self.data.get("username", "")
        ip = ratelimit.client_ip(self.request)
        if ratelimit.is_locked(username, ip):
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            ratelimit.register_failure(username, ip)
            raise
        ratelimit.clear(username, ip)
        return cleaned


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What will use it, for example ‘Monthly pipeline export script’.",
        error_messages={"required": "Enter a name for the token"},
    )
