"""Exceptions that services raise, and the single path that turns any failure into an envelope.

Services raise ``ApiError`` subclasses (``NotFound``, ``Conflict``, ...) with a translated
message; ``register_exception_handlers`` maps those, ninja's own errors, Django's errors and
anything unexpected to the error envelope. A 500 never shows a traceback or a secret.
Validation errors, pydantic's or ninja's, become sentences in the request's language that name
the field (:mod:`hrm2.api.validation_messages`).
"""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.db import DatabaseError, DataError, InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.envelope import error_response
from hrm2.api.validation_messages import summary, translate_errors

logger = logging.getLogger("hrm2.api")
T = TypeVar("T", bound=BaseModel)


class ApiError(Exception):
    """An error with an HTTP status that reaches the client in the envelope."""

    status = 400
    default_message = gettext_lazy("Bad request")

    def __init__(
        self,
        message: Any = None,
        *,
        detail: Any = None,
        errors: list[dict] | None = None,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.detail = str(detail) if detail is not None else self.message
        self.errors = errors or []
        self.headers = headers or {}
        if status is not None:
            self.status = status
        super().__init__(self.message)


class BadRequest(ApiError):
    status = 400
    default_message = gettext_lazy("Bad request")


class Unauthorized(ApiError):
    status = 401
    default_message = gettext_lazy("Authentication required")


class Forbidden(ApiError):
    status = 403
    default_message = gettext_lazy("You do not have permission to do this")


class NotFound(ApiError):
    status = 404
    default_message = gettext_lazy("Not found")


class Conflict(ApiError):
    status = 409
    default_message = gettext_lazy("Conflict with the current state")


class PayloadTooLarge(ApiError):
    status = 413
    default_message = gettext_lazy("Request body too large")


class UnsupportedMediaType(ApiError):
    status = 415
    default_message = gettext_lazy("Unsupported content type")


class ValidationFailed(ApiError):
    """422; without a message of its own, the message is the errors' sentences."""

    status = 422
    default_message = gettext_lazy("Validation failed")

    def __init__(
        self, message: Any = None, *, detail: Any = None, errors: list[dict] | None = None, **kw
    ) -> None:
        if errors:
            sentences = summary(errors)
            message = sentences if message is None else message
            detail = sentences if detail is None else detail
        super().__init__(message, detail=detail, errors=errors, **kw)

    @classmethod
    def for_field(cls, loc: list[Any] | tuple[Any, ...], msg: Any, type_: str = "value_error"):
        """One error in our own words (already a sentence) at ``loc``."""
        return cls(errors=[{"loc": list(loc), "msg": str(msg), "type": type_}])

    @classmethod
    def from_pydantic(cls, exc, *, loc_prefix: tuple[Any, ...] = ()) -> "ValidationFailed":
        """Errors of a schema validated inside a service, located under ``loc_prefix``."""
        return cls(errors=translate_errors(exc.errors(), loc_prefix=loc_prefix))


def validated(schema: type[T], data: Any, *, loc_prefix: tuple[Any, ...] = ()) -> T:
    """``schema.model_validate(data)``, its errors raised as one ``ValidationFailed`` in words
    (located under ``loc_prefix``: where the data came from)."""
    try:
        return schema.model_validate(data)
    except PydanticValidationError as exc:
        raise ValidationFailed.from_pydantic(exc, loc_prefix=loc_prefix) from exc


def collect_validation(*steps: Callable[[], Any]) -> list[Any]:
    """Run every step and return their results; if some fail validation, raise one
    ``ValidationFailed`` with all their errors (a form's fields and its file, say, at once).
    Any other error stops at once."""
    results, errors = [], []
    for step in steps:
        try:
            results.append(step())
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return results


class TooManyRequests(ApiError):
    status = 429
    default_message = gettext_lazy("Too many requests, try again later")


class ServiceUnavailable(ApiError):
    status = 503
    default_message = gettext_lazy("Service temporarily unavailable")


def handle_exception(request, exc: Exception):
    """Map any exception raised while serving an API request to an error envelope."""
    if isinstance(exc, HttpError) and isinstance(exc.__cause__, ApiError):
        # ninja wraps any body-parser failure in HttpError(400); ours says what really failed.
        exc = exc.__cause__
    if isinstance(exc, ApiError):
        response = error_response(exc.status, exc.message, exc.detail, exc.errors)
        for name, value in exc.headers.items():
            response[name] = value
        return response
    if isinstance(exc, NinjaValidationError):
        exc = ValidationFailed(errors=translate_errors(exc.errors))
        return error_response(exc.status, exc.message, exc.detail, exc.errors)
    if isinstance(exc, Throttled):
        response = error_response(429, _("Too many requests, try again later"))
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait) + 1)
        return response
    if isinstance(exc, AuthenticationError):
        return error_response(
            401, _("Authentication required"), _("A valid Bearer token is required")
        )
    if isinstance(exc, AuthorizationError | PermissionDenied):
        return error_response(403, _("You do not have permission to do this"))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return error_response(404, _("Not found"))
    if isinstance(exc, RequestDataTooBig):
        return error_response(413, _("Request body too large"))
    if isinstance(exc, HttpError):
        # ninja raises HttpError(400, ...) when the body is not parseable.
        if exc.status_code == 400:
            return error_response(400, _("Malformed request body"), str(exc))
        return error_response(exc.status_code, str(exc))
    if isinstance(exc, SuspiciousOperation):
        return error_response(400, _("Bad request"))
    if isinstance(exc, MultiPartParserError):
        # e.g. "multipart/form-data" without a boundary, or a truncated body.
        return error_response(400, _("Malformed request body"), str(exc))
    if isinstance(exc, OperationalError | InterfaceError):
        logger.warning("database unavailable: %s", exc)
        response = error_response(
            503, _("Service temporarily unavailable"), _("Database unavailable")
        )
        response["Retry-After"] = "5"
        return response
    if isinstance(exc, DataError):
        # Input the database cannot store or compare (e.g. a NUL in a PostgreSQL text filter).
        logger.warning("data error on %s %s: %s", request.method, request.path, exc)
        return error_response(400, _("Bad request"), _("The request contains invalid data"))
    if isinstance(exc, DatabaseError):
        logger.exception("database error")
        return error_response(500, _("Internal server error"))
    logger.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, _("Internal server error"))


def register_exception_handlers(api) -> None:
    api.add_exception_handler(Exception, handle_exception)
