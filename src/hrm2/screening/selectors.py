"""Reads on screening tasks and reports, shaped for the API."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.screening.models import ScreeningReport, ScreeningTask


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
