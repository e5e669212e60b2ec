"""Account pages: sign in, the account page (memberships, API tokens)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm, SignInForm
from .models import ApiToken
from .permissions import ROLES, is_platform_admin


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "partners/login.html"
    redirect_authenticated_user = True


def _account_context(request: HttpRequest, token_form: ApiTokenForm) -> dict[str, Any]:
    user = cast(Any, request.user)  # signed in: the views below are login_required
    return {
        "memberships": [
            (m, ROLES[m.role]) for m in user.memberships.select_related("organisation")
        ],
        "tokens": ApiToken.objects.filter(user=user),
        "token_form": token_form,
        "is_platform_admin": is_platform_admin(user),
    }


@login_required
def account(request: HttpRequest) -> HttpResponse:
    context = _account_context(request, ApiTokenForm())
    context["new_token"] = request.session.pop("new_api_token", None)
    return render(request, "partners/account.html", context)


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _, secret = services.create_api_token(by=request.user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc)
        else:
            # Shown once on the next page, then gone: only its hash is stored.
            request.session["new_api_token"] = secret
            return redirect("account")
    return render(request, "partners/account.html", _account_context(request, form), status=400)


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(by=request.user, token=token)
    messages.success(request, f"API token ‘{token.name}’ has been revoked.")
    return redirect("account")


def organisation_list(request: HttpRequest) -> HttpResponse:
    from .models import Organisation

    return render(
        request,
        "partners/organisation_list.html",
        {"page_title": "Partner organisations", "organisations": Organisation.objects.all()},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    from .models import Organisation
    from .permissions import Permission, has_permission, memberships

    organisation = get_object_or_404(Organisation, slug=slug)
    # Who belongs to an organisation is for its own members and platform administrators.
    may_see_members = is_platform_admin(request.user) or organisation.pk in memberships(
        request.user
    )
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "page_title": organisation.name,
            "organisation": organisation,
            "members": organisation.memberships.select_related("user") if may_see_members else None,
            "may_manage": has_permission(request.user, Permission.MANAGE_MEMBERS, organisation),
        },
    )


@login_required
def organisation_members(request: HttpRequest, slug: str) -> HttpResponse:
    from django.core.exceptions import PermissionDenied

    from .forms import MemberForm
    from .models import Organisation
    from .permissions import Permission, has_permission

    organisation = get_object_or_404(Organisation, slug=slug)
    if not has_permission(request.user, Permission.MANAGE_MEMBERS, organisation):
        raise PermissionDenied(
            f"Only administrators of {organisation.name} can add members or change their roles."
        )
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.set_membership(
            by=request.user,
            organisation=organisation,
            user=form.cleaned_data["username"],
            role=form.cleaned_data["role"],
        )
        messages.success(
            request, f"{membership.user.get_username()} is now {membership.get_role_display()}."
        )
        return redirect("organisation-detail", slug=organisation.slug)
    return render(
        request,
        "partners/organisation_members.html",
        {
            "page_title": f"Members of {organisation.name}",
            "organisation": organisation,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
