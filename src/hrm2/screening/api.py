"""/resume-screening/: screening tasks, their status and history, and report downloads."""

from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.accounts.selectors import display_name
from hrm2.api.auth import Role, require
from hrm2.api.downloads import attachment
from hrm2.resumes import selectors as resume_selectors
from hrm2.resumes.schemas import ResumeDetailOut
from hrm2.screening import reporting, selectors, services
from hrm2.screening.schemas import (
    AssignmentIn,
    AssignmentOut,
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


@router.post("/review-assignments/", response=AssignmentOut, auth=WRITERS)
def assign_for_review(request, payload: AssignmentIn):
    """Assign reviewers to a screening job's, a group's, or listed audit documents.

    Creates (or extends) the open cross-review task of that scope; idempotent.
    """
    outcome = services.assign_for_review(
        user=request.auth,
        reviewer_ids=payload.reviewer_ids,
        screening_task_id=payload.screening_task_id,
        group_id=payload.group_id,
        document_ids=payload.document_ids,
    )
    request.success_message = _("Reviewers assigned")
    return {
        "task_id": outcome.task.pk,
        "task_name": outcome.task.name,
        "task_created": outcome.task_created,
        "reviewers": [{"id": u.pk, "name": display_name(u)} for u in outcome.reviewers],
        "document_ids": outcome.document_ids,
        "added_reviewer_ids": outcome.added_reviewer_ids,
        "added_document_ids": outcome.added_document_ids,
    }
