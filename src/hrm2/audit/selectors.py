"""Reads on the audit module, and the one access rule of seed 002.

A person may see and act on a document when they uploaded it or take part in a cross-review task
that contains it; ``admin`` always may. Everyone else gets 403. To a non-admin, a document id
that does not exist looks like one they may not see (403 as well), so ids cannot be probed; the
seed itself specifies 404 for unknown result and audit-status ids, which we keep.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.auth import has_role
from hrm2.api.errors import Forbidden, NotFound
from hrm2.api.rows import RowQuery
from hrm2.audit.models import (
    AuditEvent,
    AuditStatus,
    CrossReviewTask,
    Document,
    EvaluationPoint,
    EvaluationResult,
    TaskDocument,
    TaskParticipant,
)


def is_admin(user) -> bool:
    return has_role(user)  # no role listed: only admin passes


def _participating(user) -> QuerySet[TaskDocument]:
    return TaskDocument.objects.filter(task__participants__user=user)


def can_access(*, user, document: Document) -> bool:
    if is_admin(user) or (document.uploader_id is not None and document.uploader_id == user.pk):
        return True
    return _participating(user).filter(document_id=document.pk).exists()


def visible_documents(*, user) -> QuerySet[Document]:
    documents = Document.objects.select_related("source_type")
    if is_admin(user):
        return documents
    shared = _participating(user).filter(document_id=OuterRef("pk"))
    return documents.filter(Q(uploader=user) | Exists(shared))


def document_for(*, user, document_id: int, denied: str, lock: bool = False) -> Document:
    """The document if ``user`` may act on it; ``denied`` is the seed's 403 text for the action."""
    documents = Document.objects.select_related("source_type")
    if lock:
        documents = documents.select_for_update(of=("self",))
    document = documents.filter(pk=document_id).first()
    if document is None:
        if is_admin(user):
            raise NotFound(_("Document %(id)s does not exist") % {"id": document_id})
        raise Forbidden(denied)
    if not can_access(user=user, document=document):
        raise Forbidden(denied)
    return document


def get_result(*, result_id: int, lock: bool = False) -> EvaluationResult:
    results = EvaluationResult.objects.select_related("point")
    if lock:
        results = results.select_for_update(of=("self",))
    result = results.filter(pk=result_id).first()
    if result is None:
        raise NotFound(_("Evaluation result %(id)s does not exist") % {"id": result_id})
    return result


def get_audit_status(*, audit_status_id: int, lock: bool = False) -> AuditStatus:
    statuses = AuditStatus.objects.all()
    if lock:
        statuses = statuses.select_for_update()
    record = statuses.filter(pk=audit_status_id).first()
    if record is None:
        raise NotFound(_("Audit status record %(id)s does not exist") % {"id": audit_status_id})
    return record


# --- documents --------------------------------------------------------------------------------


def document_list(
    *,
    user,
    audit_status: int | None = None,
    task_id: int | None = None,
    position: str | None = None,
    kind: str | None = None,
    mine: bool = False,
) -> QuerySet[Document]:
    documents = visible_documents(user=user).order_by("-created_at", "-id")
    if audit_status is not None:
        documents = documents.filter(audit_status=audit_status)
    if task_id is not None:
        documents = documents.filter(
            Exists(TaskDocument.objects.filter(task_id=task_id, document_id=OuterRef("pk")))
        )
    if position:
        documents = documents.filter(position_ref=position)
    if kind:
        documents = documents.filter(kind=kind)
    if mine:
        documents = documents.filter(uploader=user)
    return documents


def _results() -> QuerySet[EvaluationResult]:
    return EvaluationResult.objects.select_related("point").order_by("point__order", "id")


def document_results(*, document: Document) -> list[EvaluationResult]:
    return list(_results().filter(document=document))


def result_with_point(*, result_id: int) -> EvaluationResult:
    return _results().get(pk=result_id)


def document_points(*, document: Document) -> QuerySet[EvaluationPoint]:
    return EvaluationPoint.objects.filter(results__document=document).order_by("order", "id")


def document_difference(*, document: Document) -> dict:
    points = []
    for result in document_results(document=document):
        points.append(
            {
                "result_id": result.pk,
                "evaluation_point_id": result.point_id,
                "point_name": result.point.name,
                "category": result.point.category,
                "max_score": result.point.max_score,
                "is_veto": result.point.is_veto,
                "status": result.status,
                "machine_result": result.machine_result,
                "final_result": result.final_result,
                "result_changed": result.final_result != result.machine_result,
                "machine_score": result.machine_score,
                "final_score": result.final_score,
                "score_delta": None
                if result.final_score is None
                else round(result.final_score - result.machine_score, 4),
            }
        )
    return {
        "document_id": document.pk,
        "machine_total": document.machine_total,
        "final_total": document.final_total,
        "machine_passed": document.machine_passed,
        "final_passed": document.final_passed,
        "points": points,
    }


def document_history(*, document: Document) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(document_id=document.pk).order_by("created_at", "id")


def document_audit_statuses(*, document: Document) -> QuerySet[AuditStatus]:
    return AuditStatus.objects.filter(document=document).order_by("-created_at", "-id")


# --- cross-review tasks -----------------------------------------------------------------------


def _tasks() -> QuerySet[CrossReviewTask]:
    return CrossReviewTask.objects.annotate(
        document_count=Count("documents", distinct=True),
        participant_count=Count("participants", distinct=True),
    )


def my_tasks(*, user, status: str | None = None) -> QuerySet[CrossReviewTask]:
    tasks = _tasks().order_by("-created_at", "-id")
    if not is_admin(user):
        joined = TaskParticipant.objects.filter(task_id=OuterRef("pk"), user=user)
        tasks = tasks.filter(Q(created_by=user) | Exists(joined))
    if status:
        tasks = tasks.filter(status=status)
    return tasks


def task_for(*, user, task_id: int, manage: bool = False) -> CrossReviewTask:
    """A task the user takes part in (or, with ``manage``, may change: creator, lead, admin)."""
    task = _tasks().filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Cross-review task %(id)s does not exist") % {"id": task_id})
    if is_admin(user) or task.created_by_id == user.pk:
        allowed = True
    else:
        roles = set(task.participants.filter(user=user).values_list("role", flat=True))
        allowed = bool(roles) and (not manage or TaskParticipant.Role.LEAD in roles)
    if not allowed:
        raise Forbidden(_("You may not change this cross-review task") if manage else None)
    return task


def task_detail(*, task: CrossReviewTask) -> CrossReviewTask:
    task.participants_list = list(task.participants.select_related("user").order_by("added_at"))
    task.document_ids = list(
        TaskDocument.objects.filter(task=task)
        .order_by("added_at", "id")
        .values_list("document_id", flat=True)
    )
    return task


# --- statistics -------------------------------------------------------------------------------


def _rate(agreed: int, reviewed: int) -> float | None:
    return round(agreed / reviewed, 4) if reviewed else None


def position_statistics(*, user, position: str) -> dict:
    """Machine/human agreement per evaluation point over the documents ``user`` may see."""
    documents = visible_documents(user=user).filter(position_ref=position)
    results = EvaluationResult.objects.filter(document__in=documents.values("pk"))
    reviewed = Q(status=EvaluationResult.Status.REVIEWED)
    same = Q(final_result=F("machine_result"))
    rows = (
        results.values("point_id", "point__name", "point__category", "point__checklist")
        .order_by("point__checklist", "point__order", "point_id")
        .annotate(
            total=Count("id"),
            reviewed=Count("id", filter=reviewed),
            agreed=Count("id", filter=reviewed & same),
            overridden=Count("id", filter=reviewed & ~same),
            score_changed=Count(
                "id",
                filter=reviewed & Q(final_score__isnull=False) & ~Q(final_score=F("machine_score")),
            ),
        )
    )
    points = [
        {
            "evaluation_point_id": row["point_id"],
            "name": row["point__name"],
            "category": row["point__category"],
            "checklist": row["point__checklist"],
            "total": row["total"],
            "reviewed": row["reviewed"],
            "agreed": row["agreed"],
            "overridden": row["overridden"],
            "score_changed": row["score_changed"],
            "agreement_rate": _rate(row["agreed"], row["reviewed"]),
        }
        for row in rows
    ]
    counts = documents.aggregate(
        documents=Count("id"), confirmed=Count("id", filter=Q(audit_status=1))
    )
    totals = {key: sum(p[key] for p in points) for key in ("total", "reviewed", "agreed")}
    return {
        "position": position,
        "documents": counts["documents"],
        "confirmed_documents": counts["confirmed"],
        "results": totals["total"],
        "reviewed": totals["reviewed"],
        "agreed": totals["agreed"],
        "overridden": sum(p["overridden"] for p in points),
        "agreement_rate": _rate(totals["agreed"], totals["reviewed"]),
        "points": points,
    }


# --- for producers ----------------------------------------------------------------------------


# Read on every resume detail: compiled once (hrm2.api.rows).
_document_scores = RowQuery(
    lambda: Document.objects.values(
        "source_id", "id", "audit_status", "machine_total", "final_total", "final_passed"
    ),
    ordering=(),
)


def scores_for_sources(*, source_type, source_ids: list[str]) -> dict[str, dict]:
    """Machine and human-confirmed totals per source id (for apps that show a screening score)."""
    rows = _document_scores.filter(Q(source_type_id=source_type.pk, source_id__in=source_ids))
    return {
        row["source_id"]: {
            "document_id": row["id"],
            "machine_total": row["machine_total"],
            "confirmed_total": row["final_total"] if row["audit_status"] == 1 else None,
            "confirmed_passed": row["final_passed"] if row["audit_status"] == 1 else None,
        }
        for row in rows
    }


# --- assignment -------------------------------------------------------------------------------
# Reads for review assignment: a person's queue (assigned to them through cross-review tasks, or
# uploaded by them), who assigned each document and when, and the open work per reviewer.

QUEUE_SOURCES = ("all", "assigned", "uploaded")


def assigned_documents(*, user) -> QuerySet[Document]:
    """Documents shared with ``user`` in a cross-review task (not everything an admin sees)."""
    return Document.objects.filter(Exists(_participating(user).filter(document_id=OuterRef("pk"))))


def queue_documents(*, user, source: str = "all", audit_status: int | None = None):
    """``user``'s own work, newest first: assigned to them, uploaded by them, or both."""
    assigned = Exists(_participating(user).filter(document_id=OuterRef("pk")))
    if source == "assigned":
        where = assigned
    elif source == "uploaded":
        where = Q(uploader=user)
    else:
        where = Q(uploader=user) | assigned
    documents = Document.objects.select_related("source_type").filter(where)
    if audit_status is not None:
        documents = documents.filter(audit_status=audit_status)
    return documents.order_by("-created_at", "-id")


def queue_counts(*, user, source: str = "all") -> dict[str, int]:
    counts = queue_documents(user=user, source=source).aggregate(
        pending=Count("id", filter=Q(audit_status=0)),
        confirmed=Count("id", filter=Q(audit_status=1)),
    )
    return {"pending": counts["pending"] or 0, "confirmed": counts["confirmed"] or 0}


def assignment_details(*, user, document_ids: list[int]) -> dict[int, dict]:
    """For each document shared with ``user``: when it was assigned to them and by whom.

    A document reaches a reviewer when both they and it are in one task; the later of the two
    additions is the moment of assignment, and its actor (from the event log) the assigner.
    """
    joined = {
        row["task_id"]: row["added_at"]
        for row in TaskParticipant.objects.filter(user=user).values("task_id", "added_at")
    }
    if not joined or not document_ids:
        return {}
    rows = TaskDocument.objects.filter(
        task_id__in=list(joined), document_id__in=document_ids
    ).values("task_id", "document_id", "added_at")
    chosen: dict[int, dict] = {}
    for row in rows:
        joined_at = joined[row["task_id"]]
        via_document = row["added_at"] >= joined_at
        at = row["added_at"] if via_document else joined_at
        current = chosen.get(row["document_id"])
        if current is None or at < current["assigned_at"]:
            chosen[row["document_id"]] = {
                "task_id": row["task_id"],
                "assigned_at": at,
                "via_document": via_document,
            }
    task_ids = {str(item["task_id"]) for item in chosen.values()}
    events = AuditEvent.objects.filter(
        object_type=CrossReviewTask._meta.label_lower,
        object_id__in=task_ids,
        action__in=("task.document_added", "task.participant_added", "task.created"),
    ).values("object_id", "action", "document_id", "after", "actor_id", "actor_name")
    by_document: dict[tuple[str, int], dict] = {}
    by_member: dict[str, dict] = {}
    created: dict[str, dict] = {}
    for event in events:
        if event["action"] == "task.document_added":
            by_document.setdefault((event["object_id"], event["document_id"]), event)
        elif event["action"] == "task.participant_added":
            if (event["after"] or {}).get("user_id") == user.pk:
                by_member.setdefault(event["object_id"], event)
        else:
            created.setdefault(event["object_id"], event)
    for document_id, item in chosen.items():
        task_key = str(item["task_id"])
        event = (
            by_document.get((task_key, document_id))
            if item["via_document"]
            else by_member.get(task_key)
        ) or created.get(task_key)
        item["assigned_by_id"] = event["actor_id"] if event else None
        item["assigned_by_name"] = event["actor_name"] if event else ""
    return chosen


def reviewer_workload(*, user_ids: list[int] | None = None) -> dict[int, dict[str, int]]:
    """Per reviewer: distinct documents assigned to them that wait (pending) or are confirmed."""
    rows = TaskDocument.objects.values("task__participants__user_id").annotate(
        pending=Count("document_id", filter=Q(document__audit_status=0), distinct=True),
        confirmed=Count("document_id", filter=Q(document__audit_status=1), distinct=True),
    )
    rows = rows.filter(task__participants__user_id__isnull=False)
    if user_ids is not None:
        rows = rows.filter(task__participants__user_id__in=user_ids)
    return {
        row["task__participants__user_id"]: {
            "pending": row["pending"],
            "confirmed": row["confirmed"],
        }
        for row in rows.order_by()
    }


def scope_reviewer_ids(*, description: str) -> list[int]:
    """Who is already assigned in the open task of an assignment scope (for the form)."""
    return list(
        TaskParticipant.objects.filter(
            task__description=description, task__status=CrossReviewTask.Status.OPEN
        )
        .order_by("added_at", "id")
        .values_list("user_id", flat=True)
        .distinct()
    )
