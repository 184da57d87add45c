"""Validation errors as sentences a person reads, in the active language, naming the field.

pydantic reports problems as codes with English text ("String should have at least 1
character"). Every validation error the API or the console shows goes through
``translate_errors`` instead: one gettext sentence per pydantic error type, with the field's
label (:mod:`hrm2.api.field_labels`), e.g. 「最低工作年限」不能大于 60 / "Minimum years of
experience must be at most 60". ``loc`` and ``type`` stay codes for programs.

Schemas use the helpers at the bottom so their own checks read the same way: ``blank_error``
and ``single_spaced`` for text that is only spaces, ``field_errors`` for a model validator that
finds several problems at once and places each next to its field.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext
from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticKnownError

from hrm2.api.field_labels import HIDDEN_PARTS, field_label, field_names

MAX_SENTENCES_IN_SUMMARY = 5


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as a list in the active language (a、b、c)."""
    items = [item.strip().strip("'\"") for item in re.split(r", | or ", expected or "")]
    return pgettext("list separator", ", ").join(item for item in items if item)


def _field_text(loc: Sequence[Any]) -> str:
    """The field's label, with the item number when the error is about one item of a list."""
    label = field_label(loc)
    index = next((part for part in reversed(loc) if isinstance(part, int)), None)
    if index is None:
        return label
    return _("%(label)s (item %(number)d)") % {"label": label, "number": index + 1}


def _plain(message) -> Callable[[str, dict], str]:
    return lambda field, ctx: message % {"field": field}


def _counted(message, key: str) -> Callable[[str, dict], str]:
    return lambda field, ctx: message % {"field": field, "count": ctx.get(key, 0)}


def _bounded(message, key: str) -> Callable[[str, dict], str]:
    return lambda field, ctx: message % {"field": field, "limit": _number(ctx.get(key))}


def _text_too_short(field: str, ctx: dict) -> str:
    if ctx.get("min_length", 1) <= 1:
        return _("%(field)s must not be empty") % {"field": field}
    return _counted(STRING_TOO_SHORT, "min_length")(field, ctx)


def _one_of(field: str, ctx: dict) -> str:
    return _("%(field)s must be one of: %(choices)s") % {
        "field": field,
        "choices": _choices(str(ctx.get("expected", ""))),
    }


STRING_TOO_SHORT = ngettext_lazy(
    "%(field)s must be at least %(count)d character long",
    "%(field)s must be at least %(count)d characters long",
    "count",
)
WHOLE_NUMBER = gettext_lazy("%(field)s must be a whole number")
NUMBER = gettext_lazy("%(field)s must be a number")
TRUE_OR_FALSE = gettext_lazy("%(field)s must be true or false")
A_LIST = gettext_lazy("%(field)s must be a list")
AN_OBJECT = gettext_lazy("%(field)s must be an object")
A_DATE = gettext_lazy("%(field)s must be a date (YYYY-MM-DD)")
A_DATETIME = gettext_lazy("%(field)s must be a date and time (ISO 8601)")
AN_ID = gettext_lazy("%(field)s must be a valid id (UUID)")
TEXT = gettext_lazy("%(field)s must be text")

# One sentence per pydantic error type that our schemas can produce (tests sweep them).
SENTENCES: dict[str, Callable[[str, dict], str]] = {
    "missing": _plain(gettext_lazy("%(field)s is required")),
    "extra_forbidden": _plain(gettext_lazy("%(field)s is not an accepted field")),
    "string_type": _plain(TEXT),
    "string_sub_type": _plain(TEXT),
    "string_unicode": _plain(TEXT),
    "string_too_short": _text_too_short,
    "string_too_long": _counted(
        ngettext_lazy(
            "%(field)s must be at most %(count)d character long",
            "%(field)s must be at most %(count)d characters long",
            "count",
        ),
        "max_length",
    ),
    "string_pattern_mismatch": _plain(gettext_lazy("%(field)s is not in the expected format")),
    "greater_than": _bounded(gettext_lazy("%(field)s must be greater than %(limit)s"), "gt"),
    "greater_than_equal": _bounded(gettext_lazy("%(field)s must be at least %(limit)s"), "ge"),
    "less_than": _bounded(gettext_lazy("%(field)s must be less than %(limit)s"), "lt"),
    "less_than_equal": _bounded(gettext_lazy("%(field)s must be at most %(limit)s"), "le"),
    "multiple_of": _bounded(
        gettext_lazy("%(field)s must be a multiple of %(limit)s"), "multiple_of"
    ),
    "int_type": _plain(WHOLE_NUMBER),
    "int_parsing": _plain(WHOLE_NUMBER),
    "int_parsing_size": _plain(gettext_lazy("%(field)s is too large a number")),
    "int_from_float": _plain(WHOLE_NUMBER),
    "float_type": _plain(NUMBER),
    "float_parsing": _plain(NUMBER),
    "finite_number": _plain(gettext_lazy("%(field)s must be a finite number")),
    "bool_type": _plain(TRUE_OR_FALSE),
    "bool_parsing": _plain(TRUE_OR_FALSE),
    "enum": _one_of,
    "literal_error": _one_of,
    "too_short": _counted(
        ngettext_lazy(
            "%(field)s needs at least %(count)d item",
            "%(field)s needs at least %(count)d items",
            "count",
        ),
        "min_length",
    ),
    "too_long": _counted(
        ngettext_lazy(
            "%(field)s allows at most %(count)d item",
            "%(field)s allows at most %(count)d items",
            "count",
        ),
        "max_length",
    ),
    "list_type": _plain(A_LIST),
    "tuple_type": _plain(A_LIST),
    "set_type": _plain(A_LIST),
    "iterable_type": _plain(A_LIST),
    "dict_type": _plain(AN_OBJECT),
    "model_type": _plain(AN_OBJECT),
    "model_attributes_type": _plain(AN_OBJECT),
    "json_invalid": _plain(gettext_lazy("%(field)s is not valid JSON")),
    "json_type": _plain(gettext_lazy("%(field)s must be JSON text")),
    "date_type": _plain(A_DATE),
    "date_parsing": _plain(A_DATE),
    "date_from_datetime_parsing": _plain(A_DATE),
    "date_from_datetime_inexact": _plain(A_DATE),
    "datetime_type": _plain(A_DATETIME),
    "datetime_parsing": _plain(A_DATETIME),
    "datetime_from_date_parsing": _plain(A_DATETIME),
    "uuid_type": _plain(AN_ID),
    "uuid_parsing": _plain(AN_ID),
    "uuid_version": _plain(AN_ID),
}
# Checks written in our schemas: their message is already a sentence (or a phrase to follow
# the field's label).
OWN_MESSAGE_TYPES = {"value_error": "Value error, ", "assertion_error": "Assertion failed, "}
TRANSLATED_TYPES = frozenset(SENTENCES) | frozenset(OWN_MESSAGE_TYPES)


def _own_message(error: dict, kind: str) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if cause is not None and str(cause):
        return str(cause)
    return str(error.get("msg", "")).removeprefix(OWN_MESSAGE_TYPES[kind])


def error_sentence(error: dict) -> str:
    """One pydantic error (``type``, ``loc``, ``ctx``, ``msg``) as a sentence naming its field."""
    loc = list(error.get("loc") or ())
    kind = str(error.get("type", ""))
    if kind in OWN_MESSAGE_TYPES:
        message = _own_message(error, kind)
        if not field_names(loc):
            return message
        return _("%(field)s: %(message)s") % {"field": _field_text(loc), "message": message}
    if kind == "extra_forbidden":  # an unknown name has no label: say it as it was sent
        names = field_names(loc)
        return SENTENCES[kind](names[-1] if names else field_label(loc), {})
    sentence = SENTENCES.get(kind)
    if sentence is None:
        return _("%(field)s is not valid") % {"field": _field_text(loc)}
    return sentence(_field_text(loc), error.get("ctx") or {})


def translate_errors(raw: Iterable[dict], *, loc_prefix: Sequence[Any] = ()) -> list[dict]:
    """pydantic's (or ninja's) error dicts as the envelope's ``{"loc", "msg", "type"}`` items."""
    errors = []
    for item in raw:
        loc = [*loc_prefix, *(p for p in item.get("loc", ()) if p not in HIDDEN_PARTS)]
        kind = str(item.get("type", "value_error"))
        errors.append(
            {"loc": loc, "msg": error_sentence({**item, "loc": loc, "type": kind}), "type": kind}
        )
    return errors


def summary(errors: Sequence[dict]) -> str:
    """The sentences of all errors as one text (the envelope's ``message`` and ``detail``)."""
    sentences = list(dict.fromkeys(str(e["msg"]) for e in errors if e.get("msg")))
    if not sentences:
        return _("Validation failed")
    shown = sentences[:MAX_SENTENCES_IN_SUMMARY]
    text = pgettext("sentence separator", "; ").join(shown)
    hidden = len(sentences) - len(shown)
    if hidden:
        text += _(" (and %(count)d more)") % {"count": hidden}
    return text


# --- for the schemas' own checks --------------------------------------------------------------


def blank_error() -> PydanticKnownError:
    """Text of spaces only is empty text: the same error and sentence as an empty string."""
    return PydanticKnownError("string_too_short", {"min_length": 1})


def single_spaced(value: str) -> str:
    """One line with runs of whitespace collapsed; ``blank_error`` if nothing is left."""
    text = " ".join(value.split())
    if not text:
        raise blank_error()
    return text


def require_text(value: str) -> str:
    """The text unchanged, unless it is only whitespace (``blank_error``)."""
    if not value.strip():
        raise blank_error()
    return value


def field_errors(*problems: tuple[str | tuple, Any]) -> ValidationError:
    """Raise from a model validator: each ``(field, message)`` reported at its field, all at once.

    The message is a phrase that follows the field's label (「加分技能」：已列为必备技能：Python).
    """
    return ValidationError.from_exception_data(
        "validation",
        [
            InitErrorDetails(
                type="value_error",
                loc=(field,) if isinstance(field, str) else tuple(field),
                input=None,
                ctx={"error": ValueError(str(message))},
            )
            for field, message in problems
        ],
    )
