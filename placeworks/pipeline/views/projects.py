"""Views of one project: its page (score breakdown, readiness, full change history), adding and
changing it (with the "changed by … since you opened it" check), moving its stage, managing its
partners, assets, risks, funding, dates, inequalities and documents, and a draft from an estate
opportunity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from placeworks.estate.models import Asset
from placeworks.partners.permissions import is_partner, visible

from .. import forms as pipeline_forms
from .. import queries, services
from ..models import (
    BENEFITS,
    EvidenceDocument,
    FundingLine,
    FundingOpportunity,
    KeyDate,
    Project,
    ProjectAsset,
    ProjectIndicator,
    ProjectPartner,
    Risk,
)
from .common import editable_project, may_edit, visible_project, weights_of, weights_query
from .pipeline import board_context


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """Everything about a project, its score breakdown and its full change history."""
    project = get_object_or_404(
        queries.with_related(queries.visible_projects(request.user)), pk=project_id
    )
    weights, _ = weights_of(request)
    score = queries.project_score(project, weights, request.user)
    opportunities = FundingOpportunity.objects.all()
    readiness = None
    chosen = request.GET.get("opportunity", "")
    if chosen.isdigit():
        opportunity = opportunities.filter(pk=int(chosen)).prefetch_related("themes").first()
        if opportunity is not None:
            readiness = (opportunity, queries.readiness([project], opportunity)[0][1])
    links = list(project.asset_links.select_related("asset", "asset__owner"))
    seen = set(
        visible(
            request.user,
            Asset.objects.filter(pk__in=[link.asset_id for link in links if link.asset_id]),
        ).values_list("pk", flat=True)
    )
    editable = may_edit(request, project)
    return render(
        request,
        "pipeline/detail.html",
        {
            "page_title": project.title,
            "project": project,
            "score": score,
            "weights_query": weights_query(weights),
            "benefits": [
                (b, getattr(project, f"{b.key}_forecast"), getattr(project, f"{b.key}_achieved"))
                for b in BENEFITS
            ],
            "asset_links": [
                link for link in links if link.asset_id is None or link.asset_id in seen
            ],
            "hidden_assets": sum(
                1 for link in links if link.asset_id and link.asset_id not in seen
            ),
            "stage_history": project.stage_history.select_related("by"),
            "history": queries.history(project, request.user),
            "opportunities": opportunities,
            "readiness": readiness,
            "may_edit": editable,
            "stage_form": pipeline_forms.StageForm(
                initial={"stage": project.stage, "version": project.version}
            )
            if editable
            else None,
            "documents": project.documents.all() if is_partner(request.user) else [],
            "may_download": is_partner(request.user),
            "location": queries.locations(request.user, [project]).get(project.pk),
        },
    )


def _render_form(
    request: HttpRequest,
    form: pipeline_forms.ProjectForm,
    project: Project | None,
    *,
    status: int = 200,
    conflict: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "pipeline/form.html",
        {
            "page_title": f"Change {project.title}" if project else "Add a project",
            "form": form,
            "project": project,
            "conflict": conflict,
        },
        status=status,
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not services.may_create(request.user):
        raise PermissionDenied("Only editors of a partner organisation can add projects.")
    form = pipeline_forms.ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.model_values()
        try:
            project = services.create_project(by=request.user, **values)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{project.title} has been added to the pipeline.")
            return redirect("pipeline:detail", project_id=project.pk)
    return _render_form(request, form, None, status=400 if form.errors else 200)


@login_required
def edit(request: HttpRequest, project_id: int) -> HttpResponse:
    """Change a project. When someone else saved it since the form was opened nothing is
    written: the form comes back with their changes merged in and the editor's own input kept,
    saying who changed what and when."""
    project = editable_project(request, project_id)
    if request.method != "POST":
        initial = pipeline_forms.initial_from(services.snapshot(project))
        initial["version"] = project.version
        form = pipeline_forms.ProjectForm(initial=initial, user=request.user, project=project)
        return _render_form(request, form, project)
    form = pipeline_forms.ProjectForm(request.POST, user=request.user, project=project)
    if not form.is_valid():
        return _render_form(request, form, project, status=400)
    expected = form.cleaned_data.get("version") or project.version
    try:
        saved = services.update_project(
            by=request.user, project=project, expected_version=expected, **form.model_values()
        )
    except services.ConflictError as conflict:
        current = Project.objects.get(pk=project.pk)
        rebased = services.rebase(current, conflict, form.plain_values())
        initial = pipeline_forms.initial_from(rebased.values)
        initial["version"] = rebased.version
        describer = queries.Describer(request.user)
        merged = pipeline_forms.ProjectForm(initial=initial, user=request.user, project=current)
        return _render_form(
            request,
            merged,
            current,
            status=409,
            conflict={
                "message": str(conflict),
                "theirs": queries.describe_changes(conflict.changes, describer),
                "clashes": [
                    {
                        "label": describer.label(name),
                        "theirs": describer.value(name, pair["theirs"]),
                        "yours": describer.value(name, pair["yours"]),
                    }
                    for name, pair in rebased.clashes.items()
                ],
            },
        )
    except ValidationError as exc:
        _form_errors(form, exc)
        return _render_form(request, form, project, status=400)
    messages.success(request, f"{saved.title} has been updated.")
    return redirect("pipeline:detail", project_id=saved.pk)


def _htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_return(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("return_to", "")
    if target.startswith("/pipeline/") and "//" not in target and "\\" not in target:
        return target
    return fallback


@require_POST
def move(request: HttpRequest, project_id: int) -> HttpResponse:
    """Move a project to another stage (from its page or a card on the board)."""
    from_board = request.POST.get("from") == "board"
    project = visible_project(request, project_id)
    form = pipeline_forms.StageForm(request.POST)
    error = ""
    status = 200
    try:
        editable_project(request, project_id)
        if not form.is_valid():
            raise ValidationError(
                "; ".join(str(e) for errors in form.errors.values() for e in errors)
            )
        moved = services.change_stage(
            by=request.user,
            project=project,
            stage=form.cleaned_data["stage"],
            reason=form.cleaned_data.get("reason") or "",
            expected_version=form.cleaned_data["version"],
        )
    except services.ConflictError as conflict:
        error, status = (
            f"{project.title} was not moved. {conflict} Its stage is now {Project.objects.get(pk=project.pk).get_stage_display()}.",
            409,
        )
    except PermissionDenied as exc:
        error, status = str(exc), 403
    except ValidationError as exc:
        error, status = " ".join(exc.messages), 400
    else:
        if not _htmx(request):
            messages.success(
                request, f"{moved.title} is now at {moved.get_stage_display().lower()} stage."
            )
        target = _safe_return(
            request,
            reverse("pipeline:board")
            if from_board
            else reverse("pipeline:detail", args=[project.pk]),
        )
        return redirect(target)
    if from_board:
        # Re-render the board with the message; htmx swaps 2xx responses only.
        return_to = _safe_return(request, "")
        params = QueryDict(return_to.split("?", 1)[1] if "?" in return_to else "")
        context = board_context(request, params=params, error=error)
        return render(
            request, "pipeline/board.html", context, status=200 if _htmx(request) else status
        )
    if status == 403:
        raise PermissionDenied(error)
    messages.error(request, error)
    return redirect("pipeline:detail", project_id=project.pk)


# --- managing the rows that hang off a project ----------------------------------------------


def _manage_forms(
    project: Project, user: Any, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    forms: dict[str, Any] = {
        "partner_form": pipeline_forms.PartnerForm(project=project),
        "asset_form": pipeline_forms.AssetLinkForm(project=project, user=user),
        "risk_form": pipeline_forms.RiskForm(),
        "funding_form": pipeline_forms.FundingLineForm(),
        "date_form": pipeline_forms.KeyDateForm(),
        "indicator_form": pipeline_forms.IndicatorForm(project=project),
        "document_form": pipeline_forms.DocumentForm(),
    }
    forms.update(bound or {})
    return forms


def _render_manage(
    request: HttpRequest, project: Project, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    links = list(project.asset_links.select_related("asset", "asset__owner"))
    seen = set(
        visible(
            request.user,
            Asset.objects.filter(pk__in=[link.asset_id for link in links if link.asset_id]),
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "pipeline/manage.html",
        {
            "page_title": f"Partners, assets, risks and evidence of {project.title}",
            "project": project,
            "partners": project.partners.select_related("organisation"),
            "asset_links": [
                link for link in links if link.asset_id is None or link.asset_id in seen
            ],
            "hidden_assets": sum(
                1 for link in links if link.asset_id and link.asset_id not in seen
            ),
            "risks": project.risks.all(),
            "funding": project.funding.select_related("opportunity"),
            "key_dates": project.key_dates.all(),
            "indicators": project.indicators.select_related("area"),
            "documents": project.documents.all(),
            **_manage_forms(project, request.user, bound),
        },
        status=status,
    )


@login_required
def manage(request: HttpRequest, project_id: int) -> HttpResponse:
    return _render_manage(request, editable_project(request, project_id))


def _child_post(
    request: HttpRequest,
    project_id: int,
    form_name: str,
    make_form: Callable[[Project], Any],
    act: Callable[[Project, dict[str, Any]], str],
) -> HttpResponse:
    if request.method != "POST":
        return redirect("pipeline:manage", project_id=project_id)
    project = editable_project(request, project_id)
    form = make_form(project)
    if form.is_valid():
        try:
            message = act(project, form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, message)
            return redirect(
                reverse("pipeline:manage", args=[project.pk]) + f"#{form_name.split('_')[0]}s"
            )
    return _render_manage(request, project, {form_name: form}, status=400)


@login_required
def partner_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        services.add_partner(
            by=request.user, project=project, organisation=data["organisation"], role=data["role"]
        )
        return f"{data['organisation']} is a partner."

    return _child_post(
        request,
        project_id,
        "partner_form",
        lambda p: pipeline_forms.PartnerForm(request.POST, project=p),
        act,
    )


@login_required
def asset_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        link = services.link_asset(
            by=request.user,
            project=project,
            asset=data.get("asset"),
            role=data["role"],
            description=data.get("description", ""),
        )
        return f"{link} linked."

    return _child_post(
        request,
        project_id,
        "asset_form",
        lambda p: pipeline_forms.AssetLinkForm(request.POST, project=p, user=request.user),
        act,
    )


@login_required
def risk_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        services.add_risk(by=request.user, project=project, **data)
        return "The risk has been added."

    return _child_post(
        request, project_id, "risk_form", lambda p: pipeline_forms.RiskForm(request.POST), act
    )


@login_required
def funding_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        line = services.add_funding(by=request.user, project=project, **data)
        return f"Funding from {line.funder} has been added."

    return _child_post(
        request,
        project_id,
        "funding_form",
        lambda p: pipeline_forms.FundingLineForm(request.POST),
        act,
    )


@login_required
def date_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        services.add_key_date(by=request.user, project=project, **data)
        return f"{data['label']} has been added to the key dates."

    return _child_post(
        request, project_id, "date_form", lambda p: pipeline_forms.KeyDateForm(request.POST), act
    )


@login_required
def indicator_add(request: HttpRequest, project_id: int) -> HttpResponse:
    def act(project: Project, data: dict[str, Any]) -> str:
        linked = services.link_indicator(by=request.user, project=project, **data)
        return f"{linked[0].indicator_name} is linked with its baseline for {len(linked)} place{'s' if len(linked) != 1 else ''}."

    return _child_post(
        request,
        project_id,
        "indicator_form",
        lambda p: pipeline_forms.IndicatorForm(request.POST, project=p),
        act,
    )


@login_required
def document_add(request: HttpRequest, project_id: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("pipeline:manage", project_id=project_id)
    project = editable_project(request, project_id)
    form = pipeline_forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_document(
                by=request.user,
                project=project,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data.get("title") or "",
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, f"{document.title} has been added.")
            return redirect(reverse("pipeline:manage", args=[project.pk]) + "#documents")
    return _render_manage(request, project, {"document_form": form}, status=400)


def document_download(request: HttpRequest, project_id: int, document_id: int) -> FileResponse:
    """A document, only for signed-in partners who may see the project (never served
    publicly: files are outside the static and media URLs)."""
    project = visible_project(request, project_id)
    if not is_partner(request.user):
        raise Http404("Not found.")
    document = get_object_or_404(EvidenceDocument, pk=document_id, project=project)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- removing (or closing) one row: the same steps for every kind of row ------------------------


def _remover(
    model: type[Model],
    url_kwarg: str,
    remove: Callable[[Any, Any], object],
    message: str,
    *,
    field: str = "pk",
) -> Callable[..., HttpResponse]:
    """A view that removes the ``model`` row named by ``url_kwarg`` from a project: POST only,
    for editors of the project (404 when they cannot see it, 403 when they cannot change it;
    404 for a row of another project), through the service ``remove(user, row)``, then back to
    the manage page saying ``message`` (formatted with ``row``)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, project_id: int, **ids: int) -> HttpResponse:
        project = editable_project(request, project_id)
        row = get_object_or_404(model, project=project, **{field: ids[url_kwarg]})
        remove(request.user, row)
        messages.success(request, message.format(row=row))
        return redirect("pipeline:manage", project_id=project.pk)

    return view


partner_remove = _remover(
    ProjectPartner,
    "organisation_id",
    lambda by, partner: services.remove_partner(
        by=by, project=partner.project, organisation=partner.organisation
    ),
    "{row.organisation} is no longer a partner.",
    field="organisation_id",
)
asset_remove = _remover(
    ProjectAsset,
    "link_id",
    lambda by, link: services.unlink_asset(by=by, link=link),
    "The asset is no longer linked.",
)
risk_close = _remover(
    Risk,
    "risk_id",
    lambda by, risk: services.close_risk(by=by, risk=risk),
    "The risk has been closed.",
)
funding_remove = _remover(
    FundingLine,
    "line_id",
    lambda by, line: services.remove_funding(by=by, line=line),
    "Funding from {row.funder} has been removed.",
)
date_remove = _remover(
    KeyDate,
    "date_id",
    lambda by, key_date: services.remove_key_date(by=by, key_date=key_date),
    "{row.label} has been removed.",
)
indicator_remove = _remover(
    ProjectIndicator,
    "link_id",
    lambda by, link: services.unlink_indicator(by=by, link=link),
    "{row.indicator_name} is no longer linked.",
)
document_delete = _remover(
    EvidenceDocument,
    "document_id",
    lambda by, document: services.delete_document(by=by, document=document),
    "{row.title} has been removed.",
)


@login_required
@require_POST
def from_opportunity(request: HttpRequest) -> HttpResponse:
    """A draft project from an opportunity of the estate's finder (posted as its key)."""
    key = request.POST.get("opportunity", "")
    try:
        project = services.project_from_opportunity(by=request.user, key=key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("estate:opportunities")
    messages.success(
        request,
        f"Draft project made from the opportunity, with {project.asset_links.count()} assets, "
        f"{project.partners.count() + 1} organisations and {project.places.count()} places. "
        "Check the details and save.",
    )
    return redirect("pipeline:edit", project_id=project.pk)
