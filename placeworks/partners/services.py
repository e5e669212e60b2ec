"""Writes for organisations, memberships and API tokens. Views, the API and commands call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from placeworks.audit.services import record

from .models import ApiToken, Membership, Organisation
from .permissions import Permission, has_permission


def unique_slug(name: str) -> str:
    """A slug for ``name`` no organisation has yet (``the-surgery``, ``the-surgery-2``, …)."""
    base = slugify(name)[:190] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_organisation(*, by: Any, name: str, sector: str, **identifiers: str) -> Organisation:
    """Add an organisation. ``by=None`` is the trusted operator at the command line (importers,
    the demo loader); anyone else must be a platform administrator. A slug is made from the
    name unless one is given."""
    if by is not None and not has_permission(by, Permission.MANAGE_ORGANISATIONS):
        raise PermissionDenied("Only platform administrators can add organisations.")
    org = Organisation(name=name, sector=sector, **identifiers)
    if not org.slug:
        org.slug = unique_slug(name)
    org.full_clean()
    with transaction.atomic():
        org.save()
        record(by=by, action="create", obj=org, changes={"name": [None, name]})
    return org


def set_membership(*, by: Any, organisation: Organisation, user: Any, role: str) -> Membership:
    """Add ``user`` to ``organisation`` with ``role``, or change their role."""
    if not has_permission(by, Permission.MANAGE_MEMBERS, organisation):
        raise PermissionDenied(
            f"You need to be an administrator of {organisation} to change its members."
        )
    if role not in Membership.Role.values:
        raise ValidationError(f"Role must be one of {', '.join(Membership.Role.values)}.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )
        old = None if created else membership.role
        if old != role:
            membership.role = role
            membership.save(update_fields=["role"])
            record(by=by, action="set_role", obj=membership, changes={"role": [old, role]})
    return membership


def create_api_token(*, by: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``by``; returns the token record and the secret (shown once only)."""
    if not getattr(by, "is_authenticated", False):
        raise PermissionDenied("Sign in to create an API token.")
    name = name.strip()
    if not name:
        raise ValidationError("Enter a name for the token, such as the script that will use it.")
    if len(name) > 100:
        raise ValidationError("Token name must be 100 characters or fewer.")
    secret = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=by, name=name, key_hash=ApiToken.hash(secret), hint=secret[:8]
        )
        record(by=by, action="create", obj=token)
    return token, secret


def revoke_api_token(*, by: Any, token: ApiToken) -> ApiToken:
    if token.user_id != by.pk and not by.is_superuser:
        raise PermissionDenied("You can only revoke your own API tokens.")
    if token.revoked_at is None:
        with transaction.atomic():
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record(by=by, action="revoke", obj=token)
    return token


def user_for_token(secret: str) -> Any | None:
    """The active user behind an API token secret, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    token.touch()
    return token.user
