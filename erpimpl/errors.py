"""Domain errors raised by services, and how the API answers them.

Services raise these; views turn them into form errors, the API into JSON:
``DomainError`` → 400 with a message (and field messages when known),
``ConflictError`` → 409 (a stale ``version``), ``PayloadTooLarge`` → 413, Django's ``ValidationError`` → 400 with
field messages, so the API, the forms and the imports give the same answer.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A business rule refused the operation. ``field`` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(DomainError):
    """The record changed since the caller read it (optimistic concurrency)."""


class PayloadTooLarge(DomainError):
    """An uploaded file is over its size limit (the API answers 413 on the field)."""


STALE_VERSION = (
    "This record was changed by someone else (now at version {current}). Reload it and apply your change again."
)


def api_exception_handler(exc, context):
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
