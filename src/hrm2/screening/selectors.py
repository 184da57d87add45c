"""Reads on screening tasks and reports, shaped for the API."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.api.rows import RowQuery
from hrm2.audit import selectors as audit_selectors
from hrm2.screening.models import ScreeningReport, ScreeningTask
from hrm2.screening.outcome import review_outcome


def _tasks() -> QuerySet[ScreeningTask]:
    return ScreeningTask.objects.select_related("job", "position", "criteria_version")


def get_task(*, task_id) -> ScreeningTask:
    task = _tasks().filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Screening task not found"))
    return task


def task_history(*, status: str | None = None) -> QuerySet[ScreeningTask]:
    tasks = _tasks().order_by("-created_at")
    if status:
        tasks = tasks.filter(job__status=status)
    return tasks


def latest_report(*, resume_id) -> ScreeningReport | None:
    return (
        ScreeningReport.objects.filter(resume_id=resume_id, status=ScreeningReport.Status.COMPLETED)
        .select_related("task__criteria_version", "task__position", "resume")
        .order_by("-completed_at")
        .first()
    )


# Read on every resume detail: compiled once (hrm2.api.rows).
_latest_reports = RowQuery(
    lambda: ScreeningReport.objects.values("id", "task_id", "completed_at", "result"),
    ordering=("-completed_at",),
)


def latest_report_view(*, resume_id) -> dict | None:
    """The resume's latest screening result, with its audit document's machine and
    reviewer-confirmed totals (``audit``: None until the report is recorded for review) and the
    review (``review``: see :func:`hrm2.screening.outcome.review_outcome`)."""
    latest = _latest_reports.filter(
        Q(resume_id=resume_id, status=ScreeningReport.Status.COMPLETED)
    ).first()
    if latest is None:
        return None
    report_id = str(latest["id"])
    audit = audit_selectors.scores_for_sources(
        source_type=ContentType.objects.get_for_model(ScreeningReport), source_ids=[report_id]
    ).get(report_id)
    result = latest["result"] or {}
    stored = ScreeningReport(
        pk=latest["id"],
        overall_score=result.get("overall"),
        recommendation=result.get("recommendation", ""),
    )
    return {
        "report_id": report_id,
        "task_id": str(latest["task_id"]),
        "completed_at": latest["completed_at"].isoformat(),
        "audit": audit,
        "review": review_outcome(stored),
        **result,
    }


def report_for_download(*, report_or_resume_id) -> ScreeningReport:
    """A report by its id, or the latest completed report of a resume by the resume's id."""
    report = (
        ScreeningReport.objects.filter(
            pk=report_or_resume_id, status=ScreeningReport.Status.COMPLETED
        )
        .select_related("task__criteria_version", "task__position", "resume")
        .first()
    ) or latest_report(resume_id=report_or_resume_id)
    if report is None:
        raise NotFound(_("Screening report not found"))
    return report
