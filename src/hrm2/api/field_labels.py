"""Field labels: the words a person reads for an input field (``min_experience`` → 最低工作年限).

Validation messages name the field by its label, never by its code. The API layer knows no
domain, so each domain app registers the labels of its own input fields here when it starts
(``register_field_labels`` in its ``AppConfig.ready``). A key is a field name, or a dotted path
of the last names of a location when one name means different things in different places
(``weights.education`` is a weight, ``education`` the required degrees).
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Where a value came from (the first parts of a location); not fields themselves.
SOURCES: dict[str, Promise] = {
    "body": _("Request body"),
    "form": _("Form"),
    "query": _("Query parameters"),
    "path": _("URL"),
    "header": _("Request header"),
}
# ninja's name of the view argument that receives the body: meaningless to a person.
HIDDEN_PARTS = frozenset({"payload"})

# The API's own fields (pagination, headers); the domain apps add theirs.
_labels: dict[str, Promise] = {
    "page": _("Page"),
    "page_size": _("Page size"),
    "If-Match": _("If-Match header"),
    "if_match": _("If-Match header"),
}


def _msgid(label: Promise) -> str:
    with translation.override(None):
        return str(label)


def register_field_labels(labels: Mapping[str, Promise]) -> None:
    """Add labels; the same key may be registered twice only with the same words."""
    for key, label in labels.items():
        known = _labels.get(key)
        if known is not None and _msgid(known) != _msgid(label):
            raise ImproperlyConfigured(
                f"field label {key!r} registered as {_msgid(known)!r} and {_msgid(label)!r}"
            )
        _labels[key] = label


def registered_labels() -> dict[str, Promise]:
    return dict(_labels)


def field_names(loc: Sequence[Any]) -> list[str]:
    """The field names of a location: no source prefix, no list index, no view argument."""
    names = [part for part in loc if isinstance(part, str) and part not in HIDDEN_PARTS]
    while names and names[0] in SOURCES:
        names = names[1:]
    return names


def _lookup(names: Sequence[str]) -> Promise | None:
    """The label of the longest registered dotted suffix of ``names``."""
    for start in range(len(names)):
        label = _labels.get(".".join(names[start:]))
        if label is not None:
            return label
    return None


def field_label(loc: Iterable[Any]) -> str:
    """The label of the field at ``loc`` in the active language.

    A name without a label (a key inside a free-form object) takes its nearest labelled
    parent's label; a location with no field at all names where it came from (请求体).
    """
    loc = list(loc)
    names = field_names(loc)
    for end in range(len(names), 0, -1):
        label = _lookup(names[:end])
        if label is not None:
            return str(label)
    if names:
        return names[-1]
    source = next((part for part in loc if part in SOURCES), None)
    return str(SOURCES[source]) if source else str(_("Input"))
