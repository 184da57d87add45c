"""Build the success and error bodies of the API contract (DESIGN.md, "The API contract")."""

from typing import Any

import orjson
from django.http import HttpResponse
from django.utils.translation import gettext as _

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def default_success_message(status: int) -> str:
    if status == 201:
        return _("Created")
    if status == 202:
        return _("Accepted")
    return _("Success")


def success_body(status: int, data: Any, message: str | None = None) -> dict[str, Any]:
    return {
        "success": True,
        "code": status,
        "message": message or default_success_message(status),
        "data": data,
    }


def error_body(
    status: int, message: str, detail: str | None = None, errors: list[dict] | None = None
) -> dict[str, Any]:
    return {
        "success": False,
        "code": status,
        "message": message,
        "detail": detail if detail is not None else message,
        "errors": errors or [],
    }


def _default(obj: Any) -> Any:
    # Lazy translation strings and other str-like objects.
    return str(obj)


def dumps(body: Any) -> bytes:
    return orjson.dumps(body, default=_default, option=orjson.OPT_NON_STR_KEYS)


def json_response(body: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(dumps(body), status=status, content_type=JSON_CONTENT_TYPE)


def error_response(
    status: int, message: str, detail: str | None = None, errors: list[dict] | None = None
) -> HttpResponse:
    return json_response(error_body(status, message, detail, errors), status)
