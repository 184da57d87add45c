"""Parse a JSON body into a schema by hand, for operations that also accept multipart uploads.

ninja binds one body type per operation; an endpoint that takes either JSON or files reads the
JSON through here so the errors are the same as everywhere else (415, 400, 422 under "body").
"""

from typing import TypeVar

from pydantic import BaseModel

from hrm2.api.errors import validated
from hrm2.api.parser import JsonParser

T = TypeVar("T", bound=BaseModel)


def parse_json_body(request, schema: type[T]) -> T:
    data = JsonParser().parse_body(request) if request.body else None
    return validated(schema, data, loc_prefix=("body",))


def is_multipart(request) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/form-data")
