from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path

from .api import api


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    return JsonResponse({"detail": f"No API endpoint at {request.path}."}, status=404)


urlpatterns = [path("", api.urls), re_path(r"^(?P<rest>.*)$", not_found)]
