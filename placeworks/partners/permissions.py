"""The one permission layer: named permissions, roles, and ``has_permission``.

Every view, API endpoint, service and importer asks ``has_permission(user, permission, obj)``;
list pages and API collections filter with ``visible(user, queryset)`` so that confidential rows
are removed in the database query, never after fetching.

Objects that carry permissions implement two small methods (a protocol, not a base class):

``organisation_ids() -> set[int]``
    the owning and partner organisations whose members may see or change the object;
``visibility`` (attribute)
    a ``Visibility`` value (objects without it are treated as public to read).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from .models import Membership, Visibility


class Permission(enum.Enum):
    VIEW = "view"
    EDIT_ASSET = "edit_asset"
    EDIT_PROJECT = "edit_project"
    EDIT_PLAN = "edit_plan"
    UPLOAD_EVIDENCE = "upload_evidence"
    MANAGE_MEMBERS = "manage_members"
    EDIT_ORGANISATION = "edit_organisation"
    # Partnership-wide reference data: only platform administrators.
    IMPORT_GEOGRAPHY = "import_geography"
    MANAGE_INDICATORS = "manage_indicators"
    MANAGE_THEMES = "manage_themes"
    MANAGE_FUNDING = "manage_funding"
    MANAGE_ORGANISATIONS = "manage_organisations"


@dataclass(frozen=True)
class Role:
    slug: str
    name: str
    description: str
    permissions: frozenset[Permission]


_VIEWER = frozenset({Permission.VIEW})
_EDITOR = _VIEWER | {
    Permission.EDIT_ASSET,
    Permission.EDIT_PROJECT,
    Permission.EDIT_PLAN,
    Permission.UPLOAD_EVIDENCE,
}
_ADMIN = _EDITOR | {Permission.MANAGE_MEMBERS, Permission.EDIT_ORGANISATION}

ROLES: dict[str, Role] = {
    Membership.Role.VIEWER: Role(
        "viewer",
        "Viewer",
        "Sees everything shared with the partnership and their own organisation's confidential "
        "records; changes nothing.",
        _VIEWER,
    ),
    Membership.Role.EDITOR: Role(
        "editor",
        "Editor",
        "Everything a viewer can do, and adds or changes their organisation's assets, projects, "
        "plans and evidence.",
        _EDITOR,
    ),
    Membership.Role.ADMIN: Role(
        "admin",
        "Administrator",
        "Everything an editor can do, and manages their organisation's details and members.",
        _ADMIN,
    ),
}
PLATFORM_ADMIN = Role(
    "platform_admin",
    "Platform administrator",
    "Runs the platform: loads geography and indicators, manages themes, funding rounds and "
    "organisations, and may do anything any role may do.",
    frozenset(Permission),
)

# Permissions that act on partnership-wide reference data rather than an organisation's records.
PLATFORM_ONLY = frozenset(
    {
        Permission.IMPORT_GEOGRAPHY,
        Permission.MANAGE_INDICATORS,
        Permission.MANAGE_THEMES,
        Permission.MANAGE_FUNDING,
        Permission.MANAGE_ORGANISATIONS,
    }
)


class Owned(Protocol):
    def organisation_ids(self) -> set[int]: ...


def memberships(user: Any) -> dict[int, Role]:
    """The user's role in each organisation (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, "_placeworks_roles", None)
    if cached is None:
        cached = {
            org_id: ROLES[role]
            for org_id, role in Membership.objects.filter(user=user).values_list(
                "organisation_id", "role"
            )
        }
        user._placeworks_roles = cached
    return cached


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def is_partner(user: Any) -> bool:
    """A signed-in member of any partner organisation (or a platform administrator)."""
    return is_platform_admin(user) or bool(memberships(user))


def can_see(user: Any, obj: Any) -> bool:
    visibility = getattr(obj, "visibility", Visibility.PUBLIC)
    if visibility == Visibility.PUBLIC or is_platform_admin(user):
        return True
    if visibility == Visibility.PARTNERS:
        return is_partner(user)
    return bool(set(memberships(user)) & obj.organisation_ids())


def has_permission(user: Any, permission: Permission, obj: Any = None) -> bool:
    """May ``user`` do ``permission`` (on ``obj`` when given)?

    - Platform administrators may do anything.
    - ``VIEW`` follows the object's visibility.
    - Other permissions need a role that grants it in one of the object's organisations; with no
      object, in any organisation (e.g. "may this user create an asset at all?").
    - Partnership-wide reference data (geography, indicators, themes, funding) is for platform
      administrators only.
    """
    if user is None:
        return False
    if getattr(user, "is_authenticated", False) and not user.is_active:
        return False
    if is_platform_admin(user):
        return True
    if permission is Permission.VIEW:
        return obj is None or can_see(user, obj)
    if permission in PLATFORM_ONLY:
        return False
    roles = memberships(user)
    if obj is None:
        return any(permission in role.permissions for role in roles.values())
    if not can_see(user, obj):
        return False
    return any(
        permission in roles[org_id].permissions
        for org_id in obj.organisation_ids()
        if org_id in roles
    )


def organisations_where(user: Any, permission: Permission) -> list[int]:
    """Ids of organisations in which the user's role grants ``permission``."""
    return [org for org, role in memberships(user).items() if permission in role.permissions]


def visible(
    user: Any,
    queryset: QuerySet[Any],
    *,
    organisation_fields: Iterable[str] = ("owner",),
    visibility_field: str = "visibility",
) -> QuerySet[Any]:
    """Filter ``queryset`` to the rows ``user`` may see, in the database query.

    ``organisation_fields`` are the lookups to the owning/partner organisations, e.g.
    ``("lead", "partners__organisation")`` for projects.
    """
    if is_platform_admin(user):
        return queryset
    condition = Q(**{visibility_field: Visibility.PUBLIC})
    orgs = list(memberships(user))
    if orgs:
        condition |= Q(**{visibility_field: Visibility.PARTNERS})
        for field in organisation_fields:
            condition |= Q(**{visibility_field: Visibility.ORGANISATION, f"{field}__in": orgs})
    return queryset.filter(condition).distinct()
