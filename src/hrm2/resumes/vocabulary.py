"""The words for the screening codes a person sees: recommendations, verdicts, review states,
resume statuses, and criteria as a person reads them.

One table per set of codes; templates, reports and API labels all read them here (or, for codes
of another app, from that app's ``vocabulary``), so a code such as ``reserve`` or ``unknown``
never reaches a person.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hrm2.ai.vocabulary import education_label
from hrm2.audit.vocabulary import REVIEW_STATES as DOCUMENT_REVIEW_STATES
from hrm2.resumes.models import Resume

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

# A resume's review state is its latest screening document's (hrm2.audit), "" before any.
REVIEW_STATES = {"": _("Not screened"), **DOCUMENT_REVIEW_STATES}

# A resume's status words are its model's choices (the console list and the API's status_label).
RESUME_STATUSES = dict(Resume.Status.choices)


def label(table: dict, code: str | None) -> str:
    """The word for ``code``; an unknown code is shown as a dash, never as itself."""
    code = code or ""
    return str(table[code]) if code in table else "—"


def criterion_label(kind: str, name: str) -> str:
    """A criterion as a person reads it: skills and certificates by their name; the others
    (stored as ``≥3``, ``本科``, ``team_lead_experience``) with what they measure, education
    levels in the active language ("Education: bachelor's degree")."""
    need = name.lstrip("≥").strip()
    if kind == "experience":
        return str(_("Work experience ≥ %(years)s years") % {"years": need})
    if kind == "projects":
        return str(_("Projects ≥ %(count)s") % {"count": need})
    if kind == "education":
        return str(_("Education: %(level)s") % {"level": education_label(name)})
    if kind == "team_lead":
        return str(_("Team leadership experience"))
    return name
