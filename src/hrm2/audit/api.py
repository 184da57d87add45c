"""/admin/v2/evaluation/ (also spelled /admin/v2/evaluations/): the evaluation-audit API.

The four operations of seed 002 (results, audit-status, confirm) keep its fields, response data
and error texts; the rest (reads, the one-call review, reopen, cross-review tasks, statistics)
goes beyond the seed. Access is checked in ``services``/``selectors`` for every id.
"""

from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.api.errors import ValidationFailed
from hrm2.api.field_labels import field_label
from hrm2.audit import selectors, services
from hrm2.audit.schemas import (
    MAX_ID,
    AuditStatusIn,
    AuditStatusOut,
    AuditStatusPatchIn,
    AuditStatusUpdatedOut,
    ConfirmIn,
    ConfirmOut,
    DocumentDetailOut,
    DocumentDifferenceOut,
    DocumentFilters,
    DocumentOut,
    EventOut,
    ParticipantIn,
    PointOut,
    ReopenIn,
    ResultPatchIn,
    ResultUpdatedOut,
    ReviewIn,
    ReviewOut,
    StatisticsOut,
    StatisticsQuery,
    TaskCreateIn,
    TaskDetailOut,
    TaskDocumentsIn,
    TaskOut,
    TaskPatchIn,
)

router = Router(tags=["evaluation-audit"], auth=require())
TASK_MANAGERS = require(Role.HR)


def _check_id(value: int, name: str) -> int:
    if value > MAX_ID:
        loc = ["path", name]
        raise ValidationFailed.for_field(
            loc, _("%(field)s is not a valid id") % {"field": field_label(loc)}, "too_large"
        )
    return value


def _expected_version(payload_version: int | None, if_match: str | None) -> int | None:
    """``version`` in the body wins; else an ``If-Match: "3"`` (or ``W/"3"``, ``3``) header."""
    if payload_version is not None or not if_match:
        return payload_version
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 18:
        raise ValidationFailed.for_field(
            ["header", "If-Match"], _("If-Match must carry a version number"), "invalid"
        )
    return int(tag)


def _sent(payload, *names: str) -> dict:
    return {name: getattr(payload, name) for name in names if name in payload.model_fields_set}


# --- the seed's four operations ---------------------------------------------------------------


@router.patch("/results/{int:result_id}/", response=ResultUpdatedOut)
def update_result(
    request, result_id: int, payload: ResultPatchIn, if_match: str | None = Header(None)
):
    """Seed §3.1: change the human verdict (``result``, ``message``) and/or ``final_score``."""
    result, updated = services.update_result(
        user=request.auth,
        result_id=_check_id(result_id, "result_id"),
        changes=_sent(payload, "result", "message", "final_score"),
        expected_version=_expected_version(payload.version, if_match),
    )
    request.success_message = _("Evaluation result updated")
    return {"result_id": result.pk, "updated_fields": updated, "version": result.version}


@router.post("/audit-status/", response=AuditStatusOut)
def create_audit_status(request, payload: AuditStatusIn):
    """Seed §3.2: record a review action by the caller (``user_id``)."""
    record = services.create_audit_status(user=request.auth, **payload.model_dump())
    request.success_message = _("Audit status recorded")
    return record


@router.patch("/audit-status/{int:audit_status_id}/", response=AuditStatusUpdatedOut)
def update_audit_status(request, audit_status_id: int, payload: AuditStatusPatchIn):
    """Seed §3.3: its creator, or anyone with access to the document, may change it."""
    updated = services.update_audit_status(
        user=request.auth,
        audit_status_id=_check_id(audit_status_id, "audit_status_id"),
        changes=_sent(payload, "edit_audit_status", "message"),
    )
    request.success_message = _("Audit status updated")
    return {"audit_status_id": audit_status_id, "updated_fields": updated}


@router.patch("/documents/{int:document_id}/confirm/", response=ConfirmOut)
def confirm_document(
    request,
    document_id: int,
    payload: ConfirmIn | None = None,
    if_match: str | None = Header(None),
):
    """Seed §3.4: the body may be empty (``audit_status`` defaults to 1)."""
    payload = payload or ConfirmIn()
    document = services.confirm_document(
        user=request.auth,
        document_id=_check_id(document_id, "document_id"),
        expected_version=_expected_version(payload.version, if_match),
    )
    request.success_message = _("Document review confirmed")
    return {
        "document_id": document.pk,
        "audit_status": document.audit_status,
        "version": document.version,
        "final_total": document.final_total,
        "final_passed": document.final_passed,
    }


# --- beyond the seed: review in one call, reopen ----------------------------------------------


@router.post("/results/{int:result_id}/review/", response=ReviewOut)
def review_result(request, result_id: int, payload: ReviewIn, if_match: str | None = Header(None)):
    """Update the result and record the audit status in one transaction."""
    result, record = services.review_result(
        user=request.auth,
        result_id=_check_id(result_id, "result_id"),
        changes=_sent(payload, "result", "message", "final_score"),
        edit_audit_status=payload.edit_audit_status,
        audit_message=payload.audit_message,
        expected_version=_expected_version(payload.version, if_match),
    )
    request.success_message = _("Review recorded")
    return {"result": selectors.result_with_point(result_id=result.pk), "audit_status": record}


@router.patch("/documents/{int:document_id}/reopen/", response=DocumentOut)
def reopen_document(
    request, document_id: int, payload: ReopenIn, if_match: str | None = Header(None)
):
    """Undo a confirmation (the reason is recorded); results become editable again."""
    document = services.reopen_document(
        user=request.auth,
        document_id=_check_id(document_id, "document_id"),
        reason=payload.reason,
        expected_version=_expected_version(payload.version, if_match),
    )
    request.success_message = _("Document reopened")
    return document


# --- reads ------------------------------------------------------------------------------------


def _document(request, document_id: int):
    return selectors.document_for(
        user=request.auth,
        document_id=_check_id(document_id, "document_id"),
        denied=_("You may not view this document"),
    )


@router.get("/documents/", response=list[DocumentOut])
@paginate
def list_documents(request, filters: Query[DocumentFilters]):
    """Documents the caller may review (uploaded, or shared through a cross-review task)."""
    return selectors.document_list(user=request.auth, **filters.model_dump())


@router.get("/documents/{int:document_id}/", response=DocumentDetailOut)
def document_detail(request, document_id: int):
    document = _document(request, document_id)
    document.results_list = selectors.document_results(document=document)
    return document


@router.get("/documents/{int:document_id}/points/", response=list[PointOut])
def document_points(request, document_id: int):
    return selectors.document_points(document=_document(request, document_id))


@router.get("/documents/{int:document_id}/difference/", response=DocumentDifferenceOut)
def document_difference(request, document_id: int):
    """Machine verdict and score next to the human ones, per evaluation point."""
    return selectors.document_difference(document=_document(request, document_id))


@router.get("/documents/{int:document_id}/history/", response=list[EventOut])
@paginate
def document_history(request, document_id: int):
    """The audit events of the document, oldest first."""
    return selectors.document_history(document=_document(request, document_id))


@router.get("/documents/{int:document_id}/audit-status/", response=list[AuditStatusOut])
@paginate
def document_audit_statuses(request, document_id: int):
    return selectors.document_audit_statuses(document=_document(request, document_id))


@router.get("/statistics/", response=StatisticsOut)
def position_statistics(request, query: Query[StatisticsQuery]):
    """Machine/human agreement per evaluation point for one position (documents you may see)."""
    return selectors.position_statistics(user=request.auth, position=query.position)


# --- cross-review tasks -----------------------------------------------------------------------


def _task_detail(request, task_id: int):
    task = selectors.task_for(user=request.auth, task_id=_check_id(task_id, "task_id"))
    return selectors.task_detail(task=task)


@router.get("/tasks/", response=list[TaskOut])
@paginate
def my_tasks(request, status: str | None = None):
    """Tasks the caller created or takes part in (all of them for an admin)."""
    return selectors.my_tasks(user=request.auth, status=status)


@router.post("/tasks/", response={201: TaskDetailOut}, auth=TASK_MANAGERS)
def create_task(request, payload: TaskCreateIn):
    task = services.create_task(
        user=request.auth,
        name=payload.name,
        description=payload.description,
        participants=[p.model_dump() for p in payload.participants],
        document_ids=payload.document_ids,
    )
    request.success_message = _("Cross-review task created")
    return Status(201, _task_detail(request, task.pk))


@router.get("/tasks/{int:task_id}/", response=TaskDetailOut)
def task_detail(request, task_id: int):
    return _task_detail(request, task_id)


@router.patch("/tasks/{int:task_id}/", response=TaskDetailOut)
def update_task(request, task_id: int, payload: TaskPatchIn):
    services.update_task(
        user=request.auth,
        task_id=_check_id(task_id, "task_id"),
        changes=_sent(payload, "name", "description", "status"),
    )
    return _task_detail(request, task_id)


@router.post("/tasks/{int:task_id}/participants/", response=TaskDetailOut)
def add_participant(request, task_id: int, payload: ParticipantIn):
    services.add_participant(
        user=request.auth,
        task_id=_check_id(task_id, "task_id"),
        member_id=payload.user_id,
        role=payload.role,
    )
    request.success_message = _("Participant added")
    return _task_detail(request, task_id)


@router.delete("/tasks/{int:task_id}/participants/{int:user_id}/", response=TaskDetailOut)
def remove_participant(request, task_id: int, user_id: int):
    services.remove_participant(
        user=request.auth,
        task_id=_check_id(task_id, "task_id"),
        member_id=_check_id(user_id, "user_id"),
    )
    request.success_message = _("Participant removed")
    return _task_detail(request, task_id)


@router.post("/tasks/{int:task_id}/documents/", response=TaskDetailOut)
def add_documents(request, task_id: int, payload: TaskDocumentsIn):
    services.add_documents(
        user=request.auth, task_id=_check_id(task_id, "task_id"), document_ids=payload.document_ids
    )
    request.success_message = _("Documents added")
    return _task_detail(request, task_id)


@router.delete("/tasks/{int:task_id}/documents/{int:document_id}/", response=TaskDetailOut)
def remove_document(request, task_id: int, document_id: int):
    services.remove_document(
        user=request.auth,
        task_id=_check_id(task_id, "task_id"),
        document_id=_check_id(document_id, "document_id"),
    )
    request.success_message = _("Document removed")
    return _task_detail(request, task_id)
