"""Account pages: sign in, the account page (memberships, API tokens)."""

from __future__ import annotations

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


@login_required
def account(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("organisation")  # type: ignore[union-attr]
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "partners/account.html",
        {
            "memberships": [(m, ROLES[m.role]) for m in memberships],
            "tokens": tokens,
            "token_form": ApiTokenForm(),
            "is_platform_admin": is_platform_admin(request.user),
            "new_token": request.session.pop("new_api_token", None),
        },
    )


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
    memberships = request.user.memberships.select_related("organisation")  # type: ignore[union-attr]
    return render(
        request,
        "partners/account.html",
        {
            "memberships": [(m, ROLES[m.role]) for m in memberships],
            "tokens": ApiToken.objects.filter(user=request.user),
            "token_form": form,
            "is_platform_admin": is_platform_admin(request.user),
        },
        status=400,
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_api_token(by=request.user, token=token)
    messages.success(request, f"API token ‘{token.name}’ has been revoked.")
    return redirect("account")
