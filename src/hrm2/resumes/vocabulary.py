"""The words for the screening codes a person sees: recommendations, verdicts, review states.

One table per set of codes; templates, reports and API labels all read them here, so a code such
as ``reserve`` or ``unknown`` never reaches a person.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

RECOMMENDATIONS = {
    "interview": pgettext_lazy("screening recommendation", "Interview"),
    "reserve": pgettext_lazy("screening recommendation", "Reserve"),
    "reject": pgettext_lazy("screening recommendation", "Not a match"),
}

VERDICTS = {
    "pass": pgettext_lazy("criterion verdict", "Met"),
    "partial": pgettext_lazy("criterion verdict", "Partly met"),
    "fail": pgettext_lazy("criterion verdict", "Not met"),
    "unknown": pgettext_lazy("criterion verdict", "Cannot judge"),
}

# What a person decided on one criterion (the audit's pass / fail).
DECISIONS = {
    "pass": pgettext_lazy("review decision", "Pass"),
    "fail": pgettext_lazy("review decision", "Fail"),
}

REVIEW_STATES = {
    "": _("Not screened"),
    "pending": _("Awaiting review"),
    "confirmed": _("Confirmed by a reviewer"),
}


def label(table: dict, code: str | None) -> str:
    """The word for ``code``; an unknown code is shown as a dash, never as itself."""
    code = code or ""
    return str(table[code]) if code in table else "—"


def criterion_label(kind: str, name: str) -> str:
    """A criterion as a person reads it: skills and certificates by their name; the others
    (stored as ``≥3``, ``本科``, ``team_lead_experience``) with what they measure."""
    need = name.lstrip("≥").strip()
    if kind == "experience":
        return str(_("Work experience ≥ %(years)s years") % {"years": need})
    if kind == "projects":
        return str(_("Projects ≥ %(count)s") % {"count": need})
    if kind == "education":
        return str(_("Education: %(level)s") % {"level": name})
    if kind == "team_lead":
        return str(_("Team leadership experience"))
    return name
