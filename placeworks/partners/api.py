"""API for the signed-in user and the partnership's organisations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from .models import Organisation
from .permissions import is_platform_admin, memberships

router = Router(tags=["partners"])


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str
    sector: str
    sector_label: str
    ods_code: str
    urn: str


class MembershipOut(Schema):
    organisation: OrganisationOut
    role: str
    role_description: str


class MeOut(Schema):
    authenticated: bool
    username: str | None
    platform_admin: bool
    memberships: list[MembershipOut]


def _organisation(org: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=org.pk,
        name=org.name,
        slug=org.slug,
        sector=org.sector,
        sector_label=org.get_sector_display(),
        ods_code=org.ods_code,
        urn=org.urn,
    )


@router.get("/me", response=MeOut, summary="Who the request is made as")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    roles = memberships(user)
    orgs = Organisation.objects.filter(pk__in=roles).order_by("name")
    return MeOut(
        authenticated=user.is_authenticated,
        username=user.get_username() if user.is_authenticated else None,
        platform_admin=is_platform_admin(user),
        memberships=[
            MembershipOut(
                organisation=_organisation(org),
                role=roles[org.pk].slug,
                role_description=roles[org.pk].description,
            )
            for org in orgs
        ],
    )


@router.get("/organisations", response=list[OrganisationOut], summary="Partner organisations")
def organisations(request: HttpRequest) -> list[OrganisationOut]:
    return [_organisation(org) for org in Organisation.objects.all()]
