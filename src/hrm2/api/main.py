"""The NinjaAPI instance: every successful result is wrapped in the envelope here, once.

Operations return plain data (or ``Status(code, data)``); ``Hrm2API.create_response`` wraps it,
and ``get_openapi_schema`` documents the same wrapping so the OpenAPI matches the wire.
"""

from copy import deepcopy
from typing import Any

from ninja import NinjaAPI
from ninja.renderers import BaseRenderer

from hrm2.api.envelope import dumps, success_body
from hrm2.api.errors import register_exception_handlers
from hrm2.api.parser import JsonParser

ERROR_ENVELOPE_SCHEMA = {
    "title": "ErrorEnvelope",
    "type": "object",
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "code": {"type": "integer"},
        "message": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {
                        "type": "array",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
                "required": ["loc", "msg", "type"],
            },
        },
    },
    "required": ["success", "code", "message", "detail", "errors"],
}


def _success_envelope_schema(data_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "code": {"type": "integer"},
            "message": {"type": "string"},
            "data": data_schema,
        },
        "required": ["success", "code", "message", "data"],
    }


class EnvelopeRenderer(BaseRenderer):
    media_type = "application/json"
    charset = "utf-8"

    def render(self, request, data, *, response_status):
        return dumps(data)


class Hrm2API(NinjaAPI):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(renderer=EnvelopeRenderer(), parser=JsonParser(), **kwargs)

    def set_default_exception_handlers(self) -> None:
        register_exception_handlers(self)

    def create_response(self, request, data, *, status=None, temporal_response=None):
        if temporal_response is not None:
            status = temporal_response.status_code
        message = getattr(request, "success_message", None)
        body = success_body(status or 200, data, message)
        return super().create_response(
            request, body, status=status, temporal_response=temporal_response
        )

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema = deepcopy(super().get_openapi_schema(*args, **kwargs))
        schema.setdefault("components", {}).setdefault("schemas", {})["ErrorEnvelope"] = (
            ERROR_ENVELOPE_SCHEMA
        )
        error_ref = {"$ref": "#/components/schemas/ErrorEnvelope"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, response in responses.items():
                    content = response.get("content", {}).get("application/json")
                    if content and str(code).startswith("2"):
                        content["schema"] = _success_envelope_schema(content["schema"])
                responses["default"] = {
                    "description": "Error envelope",
                    "content": {"application/json": {"schema": error_ref}},
                }
        return schema


api = Hrm2API(
    title="HRM2 API",
    version="1.0.0",
    description="AI-assisted recruitment with human review. Every response uses one envelope.",
    openapi_url="/api/openapi.json",
    docs_url="/api/docs",
    urls_namespace="api",
)
