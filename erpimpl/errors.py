"""Domain errors raised by services, and how the API answers them.

Services raise these; views turn them into form errors, the API into JSON:
``DomainError`` → 400 with a message (and field messages when known),
``ConflictError`` → 409 (a stale ``version``), ``PayloadTooLarge`` → 413, Django's ``ValidationError`` → 400 with
field messages, so the API, the forms and the imports give the same answer.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A business rule refused the operation. ``field`` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """The record changed since the caller read it (optimistic concurrency), or other rows
    still depend on it (a delete they block): the API answers 409."""


class PayloadTooLarge(DomainError):
    """An uploaded file is over its size limit (the API answers 413 on the field)."""


STALE_VERSION = (
    "This record was changed by someone else (now at version {current}). Reload it and apply your change again."
)
DELETE_BLOCKED = N_("This cannot be deleted: {blockers} still refer to it.")


def row_name(row) -> str:
    return f"{row._meta.verbose_name} “{row}”"


def blockers_of(exc: ProtectedError | RestrictedError, *, limit: int = 5, name=row_name) -> str:
    """The rows that block a delete, named for a user: ``requirement “REQ-001”, ...``."""
    rows = list(getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", None) or ())
    names = [name(row) for row in rows[:limit]]
    if len(rows) > limit:
        names.append(_("%(count)d more") % {"count": len(rows) - limit})
    return ", ".join(names)


def api_exception_handler(exc, context):
    response = _error_response(exc, context)
    request = context.get("request")
    if response is not None and request is not None:
        _answer_in_json(request)
    return response


def _answer_in_json(request) -> None:
    """An error is JSON whatever the endpoint's renderers (a CSV/XLSX download's 404 included)."""
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is None or renderer.format not in ("json", "api"):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type


def _error_response(exc, context):
    if isinstance(exc, ProtectedError | RestrictedError):
        exc = ConflictError(_(DELETE_BLOCKED).format(blockers=blockers_of(exc)))
    if isinstance(exc, ConflictError):
        return Response({"detail": exc.message, "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, PayloadTooLarge):
        return Response({exc.field or "detail": [exc.message]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DomainError):
        body = {exc.field: [exc.message]} if exc.field else {"detail": exc.message}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            if "__all__" in body:
                body["non_field_errors"] = body.pop("__all__")
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return exception_handler(exc, context)


# --- errors raised outside DRF (no route matched, a crash) ----------------------------------
# ``erpimpl/urls.py`` installs these as handler400/403/404/500: under ``/api/`` the answer is
# JSON like every other API error; elsewhere Django's pages.


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _json_error(exc_class: type[exceptions.APIException], status_code: int) -> JsonResponse:
    """The body DRF gives the same error inside a view: ``{"detail": ...}``."""
    return JsonResponse({"detail": str(exc_class.default_detail)}, status=status_code)


def bad_request(request, exception):
    if _is_api(request):
        return _json_error(exceptions.ParseError, status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return _json_error(exceptions.PermissionDenied, status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return _json_error(exceptions.NotFound, status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred.")}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
