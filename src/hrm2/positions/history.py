"""A position's criteria history as a person reads it: every field of each version, and what
changed from the version before (criteria added and removed, numbers changed).

Versions store the criteria JSON as the API accepted it; this module only reads it. Field names
are the API's validation labels (:data:`hrm2.positions.schemas.FIELD_LABELS`), weight names and
education levels come from :mod:`hrm2.positions.vocabulary`, so the page says "技能权重" and
"bachelor's degree", never ``weights.skills`` or ``本科`` in English.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from hrm2.ai.vocabulary import education_label
from hrm2.positions.schemas import FIELD_LABELS
from hrm2.positions.vocabulary import WEIGHTS

LIST_FIELDS = ("required_skills", "optional_skills", "certifications", "education")
# Every field of the criteria, in the order the form shows them.
FIELDS = (
    "position",
    "department",
    "description",
    "required_skills",
    "optional_skills",
    "certifications",
    "min_experience",
    "education",
    "salary_range",
    "project_requirements.min_projects",
    "project_requirements.team_lead_experience",
    *(f"weights.{name}" for name in WEIGHTS),
)
_LABEL_KEYS = {
    "project_requirements.min_projects": "min_projects",
    "project_requirements.team_lead_experience": "team_lead_experience",
}


@dataclass
class FieldView:
    key: str
    label: str
    value: str  # as a person reads it; "—" when not set
    long: bool = False  # free text (the description): shown as a block


@dataclass
class Change:
    key: str
    label: str
    added: list[str] = field(default_factory=list)  # list fields: terms added …
    removed: list[str] = field(default_factory=list)  # … and removed
    before: str = ""  # other fields: the value before and after
    after: str = ""
    long: bool = False


@dataclass
class VersionView:
    version: Any  # the CriteriaVersion
    fields: list[FieldView]
    changes: list[Change]
    first: bool  # no earlier version to compare with


def _raw(criteria: dict, key: str) -> Any:
    value: Any = criteria
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _number(value: Any) -> str:
    if value is None or value == "":
        return "—"
    number = float(value)
    return f"{number:g}"


def _terms(criteria: dict, key: str) -> list[str]:
    values = [str(v) for v in _raw(criteria, key) or []]
    return [education_label(v) for v in values] if key == "education" else values


def separator() -> str:
    """Between the terms of a list: 、 in Chinese, a comma in English."""
    return ", " if (get_language() or "").startswith("en") else "、"


def _display(criteria: dict, key: str) -> str:
    value = _raw(criteria, key)
    if key in LIST_FIELDS:
        return separator().join(_terms(criteria, key)) or "—"
    if key == "salary_range":
        return f"{value[0]}–{value[1]}" if value else "—"
    if key == "project_requirements.team_lead_experience":
        return _("Yes") if value else _("No")
    if key in ("min_experience", "project_requirements.min_projects") or key.startswith("weights."):
        if value is None and not key.startswith("weights."):
            value = 0
        return _number(value)
    return str(value).strip() if value not in (None, "") else "—"


def _label(key: str) -> str:
    if key == "position":  # the form's words for the title and the description
        return _("Position title")
    if key == "description":
        return _("Description")
    return str(FIELD_LABELS.get(_LABEL_KEYS.get(key, key), key))


def version_fields(criteria: dict) -> list[FieldView]:
    """Every field of one version, in the form's order."""
    return [
        FieldView(
            key=key, label=_label(key), value=_display(criteria, key), long=key == "description"
        )
        for key in FIELDS
    ]


def changes(older: dict, newer: dict) -> list[Change]:
    """What changed from ``older`` to ``newer``: for lists the terms added and removed (compared
    case-insensitively, as the schema de-duplicates them), for the rest the value before and
    after."""
    found = []
    for key in FIELDS:
        if key in LIST_FIELDS:
            before, after = _terms(older, key), _terms(newer, key)
            had = {term.casefold() for term in before}
            has = {term.casefold() for term in after}
            added = [term for term in after if term.casefold() not in had]
            removed = [term for term in before if term.casefold() not in has]
            if added or removed:
                found.append(Change(key=key, label=_label(key), added=added, removed=removed))
            continue
        before, after = _display(older, key), _display(newer, key)
        if before != after:
            found.append(
                Change(
                    key=key,
                    label=_label(key),
                    before=before,
                    after=after,
                    long=key == "description",
                )
            )
    return found


def version_views(versions: list, previous: Any = None) -> list[VersionView]:
    """``versions`` newest first (one page of them); ``previous`` is the version just older
    than the last of them (None when the page ends with version 1)."""
    views = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else previous
        views.append(
            VersionView(
                version=version,
                fields=version_fields(version.criteria),
                changes=changes(older.criteria, version.criteria) if older else [],
                first=older is None,
            )
        )
    return views
