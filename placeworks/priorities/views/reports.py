"""The coverage report with its drill-downs, exports, and the plan upload."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from placeworks.ingest.web import render_import_page, run_form_upload
from placeworks.partners.permissions import Permission, has_permission
from placeworks.themes.models import Aim, Theme

from .. import exports, queries
from ..forms import ImportForm
from ..ingest import importer_for
from ..models import Priority
from .common import selection_context


def _selection(request: HttpRequest) -> queries.Selection:
    """The selection in the query string; with none, the latest period's plans."""
    selection = queries.parse_selection(request.GET)
    if not request.GET:
        latest = queries.periods(request.user)
        if latest:
            selection.period = latest[0]
    return selection


def coverage(request: HttpRequest) -> HttpResponse:
    """How many plans reference each theme and aim; gaps; unrecognised need."""
    selection = _selection(request)
    result = queries.coverage(request.user, selection)
    context = selection_context(request, selection)
    context.update(
        {
            "page_title": "Coverage of themes and strategy aims",
            "result": result,
            "theme_rows": [row for row in result.themes if row.plans or row.depth == 0],
            "aim_columns": result.aims,
            "aim_groups": _groups(result.aims),
        }
    )
    return render(
        request, "priorities/coverage.html", context, status=400 if selection.errors else 200
    )


def _groups(rows: list[queries.Row]) -> list[tuple[str, list[queries.Row]]]:
    groups: dict[str, list[queries.Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    return list(groups.items())


def coverage_theme(request: HttpRequest, slug: str) -> HttpResponse:
    """Drill-down: the priorities that reference a theme."""
    theme = get_object_or_404(Theme, slug=slug)
    selection = _selection(request)
    priorities = queries.priorities_for_theme(request.user, selection, theme)
    return _drill_down(request, selection, f"Priorities about {theme.name}", list(priorities))


def coverage_aim(request: HttpRequest, aim_id: int) -> HttpResponse:
    """Drill-down: the priorities that serve an aim."""
    aim = get_object_or_404(Aim.objects.select_related("strategy"), pk=aim_id)
    selection = _selection(request)
    priorities = queries.priorities_for_aim(request.user, selection, aim)
    title = f"Priorities serving ‘{aim.text}’"
    return _drill_down(request, selection, title, priorities, aim=aim)


def _drill_down(
    request: HttpRequest,
    selection: queries.Selection,
    title: str,
    priorities: list[Priority],
    aim: Aim | None = None,
) -> HttpResponse:
    plans = {p.plan_id for p in priorities}
    context = selection_context(request, selection)
    context.update(
        {
            "page_title": title,
            "priorities": priorities,
            "plan_count": len(plans),
            "total": queries.select_plans(request.user, selection).count(),
            "aim": aim,
            "any_sample": any(p.plan.is_sample for p in priorities),
        }
    )
    return render(request, "priorities/coverage_detail.html", context)


def _format(fmt: str) -> str:
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Exports are .csv or .xlsx.")
    return fmt


def export_priorities(request: HttpRequest, fmt: str) -> HttpResponse:
    """The priorities of the selected plans, in the import layout."""
    fmt = _format(fmt)
    selection = queries.parse_selection(request.GET)
    priorities = list(queries.priorities_of(queries.select_plans(request.user, selection)))
    aims = queries.effective_aims(priorities, queries.AimIndex(queries.ThemeTree()))
    rows = exports.priority_rows(priorities, aims)
    if fmt == "csv":
        return exports.csv_response(exports.PRIORITY_HEADERS, rows, "priorities.csv")
    sample = any(p.plan.is_sample for p in priorities)
    return exports.xlsx_response(
        [("Priorities", exports.PRIORITY_HEADERS, rows)],
        "priorities.xlsx",
        notice=exports.SAMPLE_NOTICE if sample else "",
    )


def export_coverage(request: HttpRequest, fmt: str) -> HttpResponse:
    """Coverage by theme and aim (CSV), or with the alignment matrix and unrecognised need on
    further sheets (XLSX)."""
    fmt = _format(fmt)
    result = queries.coverage(request.user, _selection(request))
    headers, rows = exports.coverage_rows(result)
    if fmt == "csv":
        return exports.csv_response(headers, rows, "coverage.csv")
    matrix_headers, matrix = exports.matrix_rows(result)
    need_headers, need = exports.need_rows(result)
    return exports.xlsx_response(
        [
            ("Coverage", headers, rows),
            ("Alignment matrix", matrix_headers, matrix),
            ("Unrecognised need", need_headers, need),
        ],
        "coverage.xlsx",
        notice=exports.SAMPLE_NOTICE if result.is_sample else "",
    )


@login_required
def import_plans(request: HttpRequest) -> HttpResponse:
    """The web front door of the same importers as ``import_plans``."""
    if not has_permission(request.user, Permission.EDIT_PLAN):
        raise PermissionDenied("Only editors of a partner organisation can import plans.")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            importer = importer_for(
                upload.name,
                data["format"],
                owner=data["owner"],
                period=data["period"] or None,
                parent=data["parent"],
                status=data["status"],
            )
        except ValueError as exc:
            form.add_error("file", str(exc))
        else:
            report = run_form_upload(request, form, importer)
    return render_import_page(
        request,
        "priorities/import.html",
        {"page_title": "Import plans", "form": form, "report": report},
    )
