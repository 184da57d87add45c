"""/resume-screening/: screening tasks, their status and history, and report downloads."""

from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.api.downloads import attachment
from hrm2.resumes import selectors as resume_selectors
from hrm2.resumes.schemas import ResumeDetailOut
from hrm2.screening import reporting, selectors, services
from hrm2.screening.schemas import (
    DownloadQuery,
    ScreeningIn,
    SubmittedOut,
    TaskDetailOut,
    TaskFilters,
    TaskOut,
)

router = Router(tags=["resume-screening"], auth=require())
WRITERS = require(Role.HR)


@router.post("/screening/", response={202: SubmittedOut}, auth=WRITERS)
def submit_screening(request, payload: ScreeningIn):
    task = services.submit_screening(
        data=payload, user=request.auth, language=translation.get_language() or "zh-hans"
    )
    request.success_message = _("Screening task submitted; it runs in the background")
    return Status(202, {"task_id": task.pk, "status": "submitted", "total": task.job.total})


@router.get("/tasks/{uuid:task_id}/status/", response=TaskDetailOut)
def task_status(request, task_id: UUID):
    return selectors.get_task(task_id=task_id)


@router.post("/tasks/{uuid:task_id}/cancel/", response=TaskOut, auth=WRITERS)
def cancel_task(request, task_id: UUID):
    task = services.cancel_task(task=selectors.get_task(task_id=task_id))
    request.success_message = _("Cancellation requested")
    return selectors.get_task(task_id=task.pk)


@router.get("/tasks-history/", response=list[TaskOut])
@paginate
def task_history(request, filters: Query[TaskFilters]):
    return selectors.task_history(status=filters.status)


@router.get("/reports/{uuid:resume_id}/detail/", response=ResumeDetailOut)
def resume_detail(request, resume_id: UUID):
    """The resume (seed: ``resume_id`` in the path) with its latest screening report."""
    resume = resume_selectors.resume_row(resume_id=resume_id)
    resume["report"] = selectors.latest_report_view(resume_id=resume["id"])
    return resume


@router.get("/reports/{uuid:report_id}/download/", response={200: None})
def download_report(request, report_id: UUID, query: Query[DownloadQuery]):
    """The screening report of one resume (by report id, or by resume id for its latest)."""
    report = selectors.report_for_download(report_or_resume_id=report_id)
    language = translation.get_language() or "zh-hans"
    return attachment(reporting.export(report, fmt=query.format, language=language))
