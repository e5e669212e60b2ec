"""Funding opportunities and the readiness of the pipeline against one of them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from placeworks.partners.permissions import Permission, has_permission

from .. import queries, services
from ..forms import FundingOpportunityForm
from ..models import ACTIVE_STAGES, FundingOpportunity
from .pipeline import _choices


def funding_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pipeline/funding_list.html",
        {
            "page_title": "Funding opportunities",
            "opportunities": FundingOpportunity.objects.prefetch_related("themes"),
            "may_manage": has_permission(request.user, Permission.MANAGE_FUNDING),
        },
    )


def funding_detail(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    """The readiness of every active project the user may see against one opportunity."""
    opportunity = get_object_or_404(
        FundingOpportunity.objects.prefetch_related("themes"), pk=opportunity_id
    )
    filters = queries.parse_filters(request.GET)
    projects = queries.with_related(queries.pipeline(request.user, filters)).filter(
        stage__in=ACTIVE_STAGES
    )
    results = queries.readiness(projects, opportunity)
    return render(
        request,
        "pipeline/funding_detail.html",
        {
            "page_title": f"Readiness for {opportunity.name}",
            "opportunity": opportunity,
            "criteria": queries.criteria_of(opportunity),
            "results": results,
            "ready_count": sum(1 for _, r in results if r.ready),
            "filters": filters,
            "may_manage": has_permission(request.user, Permission.MANAGE_FUNDING),
            **_choices(request),
        },
        status=400 if filters.errors else 200,
    )


def _save(request: HttpRequest, opportunity: FundingOpportunity | None) -> HttpResponse:
    if not has_permission(request.user, Permission.MANAGE_FUNDING):
        raise PermissionDenied("Only platform administrators can manage funding opportunities.")
    form = FundingOpportunityForm(request.POST or None, instance=opportunity)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        fresh = FundingOpportunity.objects.get(pk=opportunity.pk) if opportunity else None
        try:
            saved = services.save_funding_opportunity(
                by=request.user, opportunity=fresh, themes=themes, **data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.name} has been saved.")
            return redirect("pipeline:funding-detail", opportunity_id=saved.pk)
    return render(
        request,
        "pipeline/funding_form.html",
        {
            "page_title": f"Change {opportunity.name}"
            if opportunity
            else "Add a funding opportunity",
            "form": form,
            "opportunity": opportunity,
        },
        status=400 if form.errors else 200,
    )


@login_required
def funding_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@login_required
def funding_edit(request: HttpRequest, opportunity_id: int) -> HttpResponse:
    return _save(request, get_object_or_404(FundingOpportunity, pk=opportunity_id))
