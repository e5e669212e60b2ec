"""The web front door of every importer: the same importer the command line runs, on a file
uploaded through a form (``file`` and ``commit`` fields), with its report shown on the page
(``web/includes/import_report.html``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .core import BaseImporter, ImportReport


def run_form_upload(
    request: HttpRequest, form: Any, importer: BaseImporter, **options: Any
) -> ImportReport | None:
    """Check (or import, when the form's ``commit`` is ticked) the form's ``file``. A refusal of
    permission becomes a form error; a committed import says what it did."""
    try:
        report = importer.run_upload(
            form.cleaned_data["file"],
            by=request.user,
            commit=form.cleaned_data["commit"],
            **options,
        )
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return None
    if report.committed:
        messages.success(request, report.summary().splitlines()[1])
    return report


def render_import_page(
    request: HttpRequest, template: str, context: dict[str, Any]
) -> HttpResponse:
    """The page, answering 400 when the form or the file was refused."""
    report = context.get("report")
    refused = context["form"].errors or (report is not None and report.errors)
    return render(request, template, context, status=400 if refused else 200)
