"""Plans by area and year, a plan, and adding, changing and confirming its priorities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from placeworks.partners.permissions import (
    Permission,
    has_permission,
    is_platform_admin,
    organisations_where,
)
from placeworks.places import queries as places
from placeworks.places.models import AreaType
from placeworks.themes.models import Theme

from .. import queries, services
from ..forms import PlanCreateForm, PlanEditForm, PriorityForm
from ..ingest.core import OrganisationMatcher
from ..models import Plan, Priority
from ..suggestions import Suggestion
from ..suggestions import suggest as suggest_themes
from .common import selection_context, strength


def index(request: HttpRequest) -> HttpResponse:
    """Plans by area and year."""
    selection = queries.parse_selection(request.GET)
    plans = queries.plan_list(request.user, selection)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    context = selection_context(request, selection)
    context.update(
        {
            "page_title": "Ward and place plans",
            "page": page,
            "any_sample": any(p.is_sample for p in page),
            "may_add": has_permission(request.user, Permission.EDIT_PLAN),
        }
    )
    return render(
        request, "priorities/index.html", context, status=400 if selection.errors else 200
    )


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_object_or_404(
        queries.visible_plans(request.user).select_related("area", "owner", "previous"),
        pk=plan_id,
    )


def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    priorities = list(plan.priorities.prefetch_related("themes", "partners", "aims__strategy"))
    index = queries.AimIndex(queries.ThemeTree())
    aims = queries.effective_aims(priorities, index)
    items = [{"priority": p, "aims": aims[p.pk]} for p in priorities]
    following = queries.visible_plans(request.user).filter(previous=plan).first()
    district = next(
        (a for a in places.ancestors(plan.area) if a.type in (AreaType.LAD, AreaType.PLACE)),
        None,
    )
    diff = queries.plan_diff(plan)
    if diff is not None and not has_permission(request.user, Permission.VIEW, diff.previous):
        diff = None
    return render(
        request,
        "priorities/plan.html",
        {
            "page_title": plan.name,
            "plan": plan,
            "items": items,
            "diff": diff,
            "following": following,
            "district": district,
            "may_edit": has_permission(request.user, Permission.EDIT_PLAN, plan),
            "unconfirmed": sum(1 for p in priorities if not p.themes_confirmed),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not has_permission(request.user, Permission.EDIT_PLAN):
        raise PermissionDenied("Only editors of a partner organisation can add plans.")
    form = PlanCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                by=request.user,
                owner=data["owner"],
                area=data["area"],
                period=data["period"],
                title=data["title"],
                sharing=data["sharing"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{plan.name} added as a draft.")
            return redirect("priorities:plan", plan_id=plan.pk)
    return render(
        request,
        "priorities/plan_form.html",
        {"page_title": "Add a plan", "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    if not has_permission(request.user, Permission.EDIT_PLAN, plan):
        raise PermissionDenied(f"Only editors of {plan.owner.name} can change this plan.")
    initial = {k: getattr(plan, k) for k in ("title", "summary", "status", "sharing")}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_plan(by=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, "Plan saved.")
        return redirect("priorities:plan", plan_id=plan.pk)
    return render(
        request,
        "priorities/plan_form.html",
        {"page_title": f"Change {plan.name}", "form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def plan_publish(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan(request, plan_id)
    services.publish_plan(by=request.user, plan=plan)
    messages.success(request, f"{plan.name} is published.")
    return redirect("priorities:plan", plan_id=plan.pk)


# --- priorities --------------------------------------------------------------------------------


def theme_options(
    checked: set[str], suggestions: list[Suggestion], tree: queries.ThemeTree | None = None
) -> list[dict[str, Any]]:
    """The theme checkboxes in tree order, ticked and annotated with suggestions."""
    suggested = {s.slug: s for s in suggestions}
    tree = tree or queries.ThemeTree()
    return [
        {
            "theme": theme,
            "depth": depth,
            "checked": theme.slug in checked,
            "suggestion": suggested.get(theme.slug),
        }
        for theme, depth in tree.ordered()
    ]


def _suggestion_items(suggestions: list[Suggestion]) -> list[dict[str, Any]]:
    return [{"s": s, "strength": strength(s.score)} for s in suggestions]


def _priority_page(
    request: HttpRequest,
    plan: Plan,
    form: PriorityForm,
    priority: Priority | None,
    text: str,
    checked: set[str],
    status: int = 200,
) -> HttpResponse:
    suggestions = suggest_themes(text)
    tree = queries.ThemeTree()
    index = queries.AimIndex(tree)
    derived = index.for_themes(tree.by_slug[slug].pk for slug in checked if slug in tree.by_slug)
    chosen_aims = {str(v) for v in (form["aims"].value() or [])}
    return render(
        request,
        "priorities/priority_form.html",
        {
            "page_title": "Change a priority" if priority else f"Add a priority to {plan.name}",
            "plan": plan,
            "priority": priority,
            "form": form,
            "theme_options": theme_options(checked, suggestions, tree),
            "suggestions": _suggestion_items(suggestions),
            "derived_aims": derived,
            "aim_options": [
                {"aim": aim, "checked": str(aim.pk) in chosen_aims} for aim in index.aims
            ],
        },
        status=status,
    )


def _partners_text(priority: Priority) -> str:
    return "\n".join([o.name for o in priority.partners.all()] + priority.other_partner_names())


def _save(request: HttpRequest, plan: Plan, form: PriorityForm, priority: Priority | None) -> None:
    data = form.cleaned_data
    themes = list(Theme.objects.filter(slug__in=data["themes"]))
    partners, others = OrganisationMatcher().split(data["partners"])
    with transaction.atomic():
        if priority is None:
            priority = services.add_priority(
                by=request.user,
                plan=plan,
                text=data["text"],
                themes=themes,
                actions=data["actions"],
                lead=data["lead"],
                partners=partners,
                other_partners="\n".join(others),
            )
        else:
            services.update_priority(
                by=request.user,
                priority=priority,
                text=data["text"],
                actions=data["actions"],
                lead=data["lead"],
                other_partners="\n".join(others),
                partners=partners,
            )
            services.confirm_themes(by=request.user, priority=priority, themes=themes)
        aims = list(data["aims"]) if data["override_aims"] else None
        if aims is not None or priority.aims_overridden:
            services.set_aims(by=request.user, priority=priority, aims=aims)


def _edit(request: HttpRequest, plan: Plan, priority: Priority | None) -> HttpResponse:
    if not has_permission(request.user, Permission.EDIT_PLAN, plan):
        raise PermissionDenied(f"Only editors of {plan.owner.name} can change this plan.")
    if request.method != "POST":
        if priority is None:
            return _priority_page(request, plan, PriorityForm(), None, "", set())
        confirmed = priority.themes_confirmed
        checked = (
            {t.slug for t in priority.themes.all()}
            if confirmed
            else set(priority.suggested_slugs())
        )
        form = PriorityForm(
            initial={
                "text": priority.text,
                "themes": sorted(checked),
                "actions": priority.actions,
                "lead": priority.lead,
                "partners": _partners_text(priority),
                "override_aims": priority.aims_overridden,
                "aims": [a.pk for a in priority.aims.all()],
            }
        )
        return _priority_page(request, plan, form, priority, priority.text, checked)
    form = PriorityForm(request.POST)
    text = request.POST.get("text", "")
    checked = set(request.POST.getlist("themes"))
    action = request.POST.get("action", "save")
    if action == "apply":  # without JavaScript: tick the suggestions
        checked |= {s.slug for s in suggest_themes(text)}
        data = request.POST.copy()
        data.setlist("themes", sorted(checked))
        form = PriorityForm(data)
    if action in {"suggest", "apply"}:
        return _priority_page(request, plan, form, priority, text, checked)
    if not form.is_valid():
        return _priority_page(request, plan, form, priority, text, checked, status=400)
    try:
        _save(request, plan, form, priority)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _priority_page(request, plan, form, priority, text, checked, status=400)
    messages.success(request, "Priority saved and its themes confirmed.")
    return redirect(reverse("priorities:plan", kwargs={"plan_id": plan.pk}) + "#priorities")


@login_required
def priority_create(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _edit(request, _plan(request, plan_id), None)


def _priority(request: HttpRequest, priority_id: int) -> Priority:
    return get_object_or_404(
        queries.visible_priorities(request.user).select_related("plan__area", "plan__owner"),
        pk=priority_id,
    )


@login_required
def priority_edit(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = _priority(request, priority_id)
    return _edit(request, priority.plan, priority)


@login_required
def priority_delete(request: HttpRequest, priority_id: int) -> HttpResponse:
    priority = _priority(request, priority_id)
    plan = priority.plan
    if not has_permission(request.user, Permission.EDIT_PLAN, plan):
        raise PermissionDenied(f"Only editors of {plan.owner.name} can change this plan.")
    if request.method == "POST":
        services.delete_priority(by=request.user, priority=priority)
        messages.success(request, "Priority deleted.")
        return redirect("priorities:plan", plan_id=plan.pk)
    return render(
        request,
        "priorities/priority_delete.html",
        {"page_title": "Delete a priority", "priority": priority, "plan": plan},
    )


@require_POST
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: the suggested themes for the text being typed, with their explanations."""
    suggestions = suggest_themes(request.POST.get("text", ""))
    return render(
        request,
        "priorities/includes/suggestions.html",
        {"suggestions": _suggestion_items(suggestions)},
    )


@require_POST
def apply_suggestions(request: HttpRequest) -> HttpResponse:
    """htmx: the theme checkboxes with the suggested themes ticked as well."""
    suggestions = suggest_themes(request.POST.get("text", ""))
    checked = set(request.POST.getlist("themes")) | {s.slug for s in suggestions}
    return render(
        request,
        "priorities/includes/theme_checkboxes.html",
        {"theme_options": theme_options(checked, suggestions)},
    )


# --- confirming suggested themes in bulk ----------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    """Priorities whose themes await confirmation, with the suggestions ticked: a person
    checks them and confirms a page at a time."""
    selection = queries.parse_selection(request.GET)
    pending = queries.awaiting_confirmation(request.user, selection)
    if not is_platform_admin(request.user):
        pending = pending.filter(
            plan__owner__in=organisations_where(request.user, Permission.EDIT_PLAN)
        )
    if request.method == "POST":
        wanted = [int(v) for v in request.POST.getlist("priority") if v.isdigit()]
        themes = {t.slug: t for t in Theme.objects.all()}
        done = 0
        with transaction.atomic():
            for priority in pending.filter(pk__in=wanted):
                chosen = request.POST.getlist(f"themes-{priority.pk}")
                services.confirm_themes(
                    by=request.user,
                    priority=priority,
                    themes=[themes[s] for s in chosen if s in themes],
                )
                done += 1
        messages.success(
            request, f"Themes confirmed for {done} priorit{'y' if done == 1 else 'ies'}."
        )
        return redirect(request.get_full_path())
    page = list(pending[:25])
    tree = queries.ThemeTree()
    context = selection_context(request, selection)
    context.update(
        {
            "page_title": "Confirm suggested themes",
            "items": [
                {
                    "priority": p,
                    "options": theme_options(
                        set(p.suggested_slugs()),
                        [
                            Suggestion(s["slug"], s["label"], s["score"], tuple(s["matched"]))
                            for s in p.suggestions
                        ],
                        tree,
                    ),
                }
                for p in page
            ],
            "remaining": pending.count(),
            "any_sample": any(p.plan.is_sample for p in page),
        }
    )
    return render(request, "priorities/review.html", context)
