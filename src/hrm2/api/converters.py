"""Column converters for ``hrm2.api.rows``: what Django's converters give, for a fraction.

Django converts each value through generic converters (type checks, settings lookups,
``make_aware``, the stdlib JSON decoder, ``UUID()`` re-validating its text): a few microseconds
per value, and a page of 20 resumes has over a hundred values, a page of groups with their
members about 1,500. For the column types of the lists (UUIDs and datetimes that SQLite stores
as text, JSON) this gives the same values cheaper; any other column keeps Django's own chain.
"""

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
from django.conf import settings
from django.db.models import JSONField
from django.utils.dateparse import parse_datetime


def column_converter(converters: list, expression, connection) -> Callable[[Any], Any]:
    """One callable giving what Django's ``converters`` give for this column."""
    field = expression.output_field
    kind = field.get_internal_type()
    if connection.vendor == "sqlite" and kind == "UUIDField":
        return _uuid_from_text
    if connection.vendor == "sqlite" and kind == "DateTimeField":
        return _aware_datetime(connection.timezone) if settings.USE_TZ else _naive_datetime
    if type(field) is JSONField and field.decoder is None:
        return _json_decoder(_chain(converters, expression, connection))
    return _chain(converters, expression, connection)


def _chain(converters: list, expression, connection) -> Callable[[Any], Any]:
    def convert(value):
        for converter in converters:
            value = converter(value, expression, connection)
        return value

    return convert


def _uuid_from_text(value):
    if value is None:
        return None
    if len(value) != 32:  # not the 32 hex digits Django writes: let UUID() judge it
        return uuid.UUID(value)
    # What uuid.UUID(value) builds, without re-validating the text (a third of the cost; a page
    # of groups converts ~800 of these). UUID.__init__ ends with these two assignments.
    parsed = _new_uuid(uuid.UUID)
    _set_attribute(parsed, "int", int(value, 16))
    _set_attribute(parsed, "is_safe", _UNKNOWN_SAFETY)
    return parsed


_new_uuid = object.__new__
_set_attribute = object.__setattr__
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown  # an enum member: a property lookup on every access


def _naive_datetime(value):
    if value is None or isinstance(value, datetime):
        return value
    return parse_datetime(value)


def _aware_datetime(zone) -> Callable[[Any], Any]:
    def convert(value):
        if value is None:
            return None
        if not isinstance(value, datetime):  # an annotation: text, not a declared column
            value = parse_datetime(value)
        return value.replace(tzinfo=zone) if value.tzinfo is None else value

    return convert


def _json_decoder(django_chain: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def convert(value):
        if isinstance(value, (str, bytes)):
            try:
                return orjson.loads(value)
            except orjson.JSONDecodeError:
                pass  # NaN, Infinity or not JSON at all: Django's json.loads decides
        return django_chain(value)

    return convert
