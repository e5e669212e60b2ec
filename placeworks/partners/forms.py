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

    def clean(self):
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


class MemberForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        label="Username",
        help_text="The person must already have a Placeworks account.",
        error_messages={"required": "Enter the username of the person to add"},
    )
    role = forms.ChoiceField(
        choices=[
            ("viewer", "Viewer – sees shared and organisation records"),
            ("editor", "Editor – also adds and changes the organisation's records"),
            ("admin", "Administrator – also manages members"),
        ],
        label="Role",
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def clean_username(self) -> object:
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise forms.ValidationError(
                f"There is no active account with the username ‘{username}’"
            ) from None
