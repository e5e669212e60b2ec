"""The JSON API, assembled from each app's router (declared in its contributions module)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from placeworks import __version__
from placeworks.contributions import collect, resolve

from .auth import PlaceworksAuth

api = NinjaAPI(
    title="Placeworks API",
    version="1.0.0",
    description=(
        "Read and write Placeworks data. Browsers use their signed-in session; scripts send "
        "`Authorization: Bearer <token>` with a token from their account page. Errors are JSON "
        '`{"detail": "..."}` with the HTTP status that fits. Confidential records are only '
        "returned to users allowed to see them."
    ),
    auth=PlaceworksAuth(),
    urls_namespace="api-1.0.0",
)


def _error(request: HttpRequest, detail: str, status: int, **extra: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    messages = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
        messages.append(
            f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg"))
        )
    return _error(request, "; ".join(messages) or "Invalid request.", 422, errors=exc.errors)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, exc.message, 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, str(exc.message), exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return _error(request, str(exc) or "Sign in or send an API token to do this.", 401)
    return _error(request, str(exc) or "You do not have permission to do this.", 403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    message = str(exc)
    if not message or message.startswith("No ") and "matches the given query" in message:
        message = "Not found."
    return _error(request, message, 404)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return _error(request, " ".join(exc.messages), 400)


@api.get("/", summary="About this API", tags=["meta"])
def index(request: HttpRequest) -> dict[str, str]:
    return {"name": "Placeworks API", "version": __version__, "openapi": "/api/openapi.json"}


for prefix, dotted in collect("API_ROUTER"):
    api.add_router(prefix, resolve(dotted))
