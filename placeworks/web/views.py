"""Home page, data sources page, health check and error pages."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from placeworks.audit.models import ImportRun

from .sources import data_sources


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


def about_data(request: HttpRequest) -> HttpResponse:
    runs = ImportRun.objects.filter(status=ImportRun.Status.COMMITTED)[:50]
    return render(
        request,
        "web/about_data.html",
        {"page_title": "Data sources and licences", "sources": data_sources(), "runs": runs},
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the database status when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        return JsonResponse(
            {"status": "error", "database": "unavailable", "detail": type(exc).__name__},
            status=503,
        )
    return JsonResponse(
        {"status": "ok", "database": "ok", "engine": settings.DATABASES["default"]["ENGINE"]}
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/404.html", {"page_title": "Page not found"}, status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return render(
        request,
        "web/403.html",
        {"page_title": "You do not have permission", "message": message},
        status=403,
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", {"page_title": "Sorry, there is a problem"}, status=500)
