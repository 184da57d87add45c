"""Reads on interview sessions and reports, with the object-level access rule.

HR, reviewers and admins see every session; an interviewer sees the sessions they started.
"""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.auth import Role, has_role
from hrm2.api.errors import Forbidden, NotFound
from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord


def _sessions() -> QuerySet[InterviewSession]:
    return InterviewSession.objects.select_related("resume", "position").annotate(
        record_count=Count("records")
    )


def sees_all(user) -> bool:
    return has_role(user, Role.HR, Role.REVIEWER)


def check_access(session: InterviewSession, user) -> None:
    if not sees_all(user) and session.created_by_id != user.pk:
        raise Forbidden(_("This interview session belongs to another interviewer"))


def session_list(*, user, resume_id=None, status: str | None = None) -> QuerySet[InterviewSession]:
    # ``questions`` stays: the list shows how many there are.
    sessions = _sessions().defer("resume_highlights", "criteria", "resume__content")
    if not sees_all(user):
        sessions = sessions.filter(created_by=user)
    if resume_id:
        sessions = sessions.filter(resume_id=resume_id)
    if status:
        sessions = sessions.filter(status=status)
    return sessions.order_by("-created_at")


def get_session(*, session_id, user, detail: bool = False) -> InterviewSession:
    sessions = _sessions().filter(pk=session_id)
    if detail:
        sessions = sessions.prefetch_related(
            Prefetch("records", queryset=QARecord.objects.order_by("round_number"))
        )
    session = sessions.first()
    if session is None:
        raise NotFound(_("Interview session not found"))
    check_access(session, user)
    if detail:
        latest = session.reports.order_by("-created_at").first()
        session.latest_report_data = (
            {
                "report_id": str(latest.pk),
                "created_at": latest.created_at.isoformat(),
                **latest.result,
            }
            if latest
            else None
        )
    return session


def records(*, session: InterviewSession) -> list[QARecord]:
    return list(session.records.order_by("round_number"))


def report_for_download(*, report_or_session_id, user) -> InterviewReport:
    """A report by its id, or the latest report of a session by the session's id."""
    reports = InterviewReport.objects.select_related("session__resume", "session__position")
    report = (
        reports.filter(pk=report_or_session_id).first()
        or reports.filter(session_id=report_or_session_id).order_by("-created_at").first()
    )
    if report is None:
        raise NotFound(_("Interview report not found"))
    check_access(report.session, user)
    return report
