"""Request body parsing: JSON only when the client says it is JSON, parsed strictly by orjson."""

import orjson
from django.utils.translation import gettext as _
from ninja.parser import Parser

from hrm2.api.errors import BadRequest, UnsupportedMediaType


class JsonParser(Parser):
    def parse_body(self, request):
        content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise UnsupportedMediaType(
                _("Unsupported content type"),
                detail=_("Send the body as application/json"),
            )
        try:
            return orjson.loads(request.body)
        except orjson.JSONDecodeError as exc:
            where = {"line": exc.lineno, "column": exc.colno}
            raise BadRequest(
                _("Malformed request body"),
                detail=_("The body is not valid JSON (line %(line)d, column %(column)d)") % where,
            ) from exc
