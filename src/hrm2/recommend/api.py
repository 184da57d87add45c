"""/final-recommend/: group evaluation jobs, their results, and report downloads.

Writes (start, cancel/delete) need ``hr`` (or admin); reads follow the group access rule in
:mod:`hrm2.recommend.selectors`. ``download-report/<path>`` serves only report files registered
in the database, matched by their exact stored name: every other path is 404, whatever it
spells, and no path from the request is ever opened.
"""

from uuid import UUID

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from hrm2.api.auth import Role, require
from hrm2.api.downloads import attachment
from hrm2.api.pagination import PageNumberPagination
from hrm2.recommend import selectors, services
from hrm2.recommend.models import ReportFile
from hrm2.recommend.schemas import (
    DeletedOut,
    DownloadQuery,
    EvaluationDetailOut,
    EvaluationIn,
    EvaluationPageOut,
    EvaluationQuery,
    SubmittedOut,
    TaskIdQuery,
)

router = Router(tags=["final-recommend"], auth=require())
WRITERS = require(Role.HR)


@router.post("/interview-evaluation/", response={202: SubmittedOut}, auth=WRITERS)
def start_evaluation(request, payload: EvaluationIn):
    evaluation = services.submit_evaluation(
        data=payload, user=request.auth, language=translation.get_language() or "zh-hans"
    )
    request.success_message = _("Group evaluation started; it runs in the background")
    return Status(
        202,
        {
            "task_id": evaluation.pk,
            "status": evaluation.job.status,
            "group_id": evaluation.group_id,
            "total": evaluation.job.total,
        },
    )


@router.get("/interview-evaluation/", response=EvaluationDetailOut | EvaluationPageOut)
def evaluation_status_or_list(request, query: Query[EvaluationQuery]):
    """``?task_id=``: that evaluation (status, progress, and the result when done); otherwise
    the evaluations (of ``?group_id=``), paginated."""
    if query.task_id is not None:
        return selectors.get_evaluation(evaluation_id=query.task_id, user=request.auth, detail=True)
    evaluations = selectors.evaluation_list(user=request.auth, group_id=query.group_id)
    return PageNumberPagination().paginate_queryset(
        evaluations,
        PageNumberPagination.Input(page=query.page, page_size=query.page_size),
        request,
    )


@router.get("/interview-evaluation/{uuid:task_id}/", response=EvaluationDetailOut)
def evaluation_detail(request, task_id: UUID):
    return selectors.get_evaluation(evaluation_id=task_id, user=request.auth, detail=True)


def _delete(request, task_id: UUID) -> dict:
    evaluation = selectors.get_evaluation(evaluation_id=task_id, user=request.auth)
    outcome = services.delete_evaluation(evaluation=evaluation)
    request.success_message = (
        _("Evaluation cancelled and deleted") if outcome["cancelled"] else _("Evaluation deleted")
    )
    return outcome


@router.delete("/interview-evaluation/", response=DeletedOut, auth=WRITERS)
def delete_evaluation_by_query(request, query: Query[TaskIdQuery]):
    return _delete(request, query.task_id)


@router.delete("/interview-evaluation/{uuid:task_id}/", response=DeletedOut, auth=WRITERS)
def delete_evaluation(request, task_id: UUID):
    return _delete(request, task_id)


def _file_response(report: ReportFile) -> HttpResponse:
    return attachment(services.export_report(report))


@router.get("/download-report/{path:file_path}", response={200: None})
def download_registered_report(request, file_path: str):
    """A registered report by its exact stored name (as listed in the evaluation's ``reports``)."""
    return _file_response(selectors.report_file_by_name(name=file_path, user=request.auth))


@router.get("/reports/{uuid:report_id}/download/", response={200: None})
def download_report(request, report_id: UUID, query: Query[DownloadQuery]):
    """The report of an evaluation (by the evaluation's id or one of its files' ids)."""
    return _file_response(
        selectors.report_file_for(
            evaluation_or_report_id=report_id, fmt=query.format, user=request.auth
        )
    )
