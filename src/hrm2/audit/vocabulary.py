"""The words for the audit codes a person sees: a document's review state.

One table for every place that shows whether a person has checked the machine's result: the
review panel and queue, the candidate page, resume lists, reports and the API's
``review_state_label``. (``AuditState`` keeps the seed's 0/1 for the API's ``audit_status``.)
Audit events are shown as sentences, written by :mod:`hrm2.audit.history`.
"""

from django.utils.translation import gettext_lazy as _

REVIEW_STATES = {
    "pending": _("Awaiting review"),
    "confirmed": _("Confirmed by a reviewer"),
}


def review_state(document) -> str:
    """The review state code of an audit document: ``pending`` or ``confirmed``."""
    return "confirmed" if document.is_confirmed else "pending"


def review_state_label(code: str | None) -> str:
    """``pending`` → 待审核; an unknown state is shown as a dash, never as itself."""
    return str(REVIEW_STATES[code]) if code in REVIEW_STATES else "—"
