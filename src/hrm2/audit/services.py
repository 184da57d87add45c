"""Writes on the audit module: record machine evaluations, review them, confirm and reopen
documents, and manage cross-review tasks.

Every use case is one transaction that checks access (``selectors.document_for``) on the locked
document row, and writes exactly one ``AuditEvent`` per changed object in that transaction.
Producers (screening, later interviews and videos) call ``record_machine_evaluations``; this
module never imports them.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrm2.accounts.selectors import display_name
from hrm2.api.errors import Conflict, Forbidden, NotFound, ValidationFailed
from hrm2.audit import scorers, selectors, signals
from hrm2.audit.models import (
    AuditEvent,
    AuditState,
    AuditStatus,
    CrossReviewTask,
    Document,
    EvaluationPoint,
    EvaluationResult,
    TaskDocument,
    TaskParticipant,
    Verdict,
)

MACHINE_ACTOR = "machine"


# --- the event log ----------------------------------------------------------------------------


def _event(
    *,
    actor,
    action: str,
    obj: models.Model,
    document_id: int | None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """An unsaved event: callers save it (or bulk-create many) inside their transaction."""
    return AuditEvent(
        actor_id=getattr(actor, "pk", None),
        actor_name=getattr(actor, "username", "") if actor is not None else MACHINE_ACTOR,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        document_id=document_id,
        before=before,
        after=after,
    )


def _log(**kwargs) -> AuditEvent:
    event = _event(**kwargs)
    event.save()
    return event


def record_event(
    *, actor, action: str, obj: models.Model, before: Any = None, after: Any = None
) -> AuditEvent:
    """Log a change made outside the audit documents (e.g. a reviewer correcting a video
    analysis). Call it inside the transaction of the change it records."""
    return _log(actor=actor, action=action, obj=obj, document_id=None, before=before, after=after)


def _result_state(result: EvaluationResult) -> dict:
    return {
        "status": result.status,
        "evaluated_results": result.evaluated_results,
        "final_result": result.final_result,
        "final_score": result.final_score,
        "version": result.version,
    }


def _document_state(document: Document) -> dict:
    return {
        "audit_status": document.audit_status,
        "final_total": document.final_total,
        "final_passed": document.final_passed,
        "final_outcome": document.final_outcome,
        "version": document.version,
    }


def _audit_status_state(record: AuditStatus) -> dict:
    return {"edit_audit_status": record.edit_audit_status, "message": record.message}


# --- recording machine evaluations ------------------------------------------------------------


@dataclass(frozen=True)
class PointSpec:
    """One checklist item; ``key`` is unique within its checklist."""

    key: str
    name: str
    category: str
    max_score: float
    is_veto: bool = False


@dataclass(frozen=True)
class MachineVerdict:
    """The machine's judgement of one point; ``score`` is a percentage (0–100) of the point."""

    point_key: str
    result: str  # "pass" | "fail"
    score: float
    message: str = ""
    verdict: str = ""  # the engine's own verdict word (e.g. "partial"), kept for reference
    extracted: Any = field(default_factory=dict)
    rules: Any = field(default_factory=dict)


@dataclass(frozen=True)
class MachineEvaluation:
    """One source object evaluated by a machine: becomes one ``Document``.

    ``checklist`` names the set the points belong to (e.g. a criteria version id); documents of
    the same checklist share their ``EvaluationPoint`` rows, so statistics compare like with like.
    """

    kind: str
    source: models.Model | None
    uploader: Any  # a user, a user id, or None
    points: Sequence[PointSpec]
    results: Sequence[MachineVerdict]
    title: str = ""
    position_ref: str = ""
    checklist: str = ""
    # The producer's own overall and decision, when it has them (see hrm2.audit.scorers);
    # otherwise the weighted mean of the point scores.
    totals: scorers.Totals | None = None


def _validate(evaluation: MachineEvaluation) -> None:
    keys = [p.key for p in evaluation.points]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate evaluation point keys")
    for point in evaluation.points:
        if point.max_score < 0:
            raise ValueError(f"negative max_score for {point.key}")
    seen = set()
    for verdict in evaluation.results:
        if verdict.point_key not in keys or verdict.point_key in seen:
            raise ValueError(f"result for an unknown or repeated point: {verdict.point_key}")
        if verdict.result not in Verdict.values or not 0 <= verdict.score <= 100:
            raise ValueError(f"invalid machine verdict for {verdict.point_key}")
        seen.add(verdict.point_key)


def _points_for(evaluations: Sequence[MachineEvaluation]) -> dict[tuple[str, str], EvaluationPoint]:
    wanted: dict[tuple[str, str], EvaluationPoint] = {}
    for evaluation in evaluations:
        checklist = evaluation.checklist or evaluation.kind
        for order, spec in enumerate(evaluation.points):
            wanted.setdefault(
                (checklist, spec.key),
                EvaluationPoint(
                    checklist=checklist,
                    key=spec.key,
                    name=spec.name[:255],
                    category=spec.category[:32],
                    max_score=spec.max_score,
                    is_veto=spec.is_veto,
                    order=order,
                ),
            )
    if not wanted:
        return {}
    EvaluationPoint.objects.bulk_create(wanted.values(), ignore_conflicts=True)
    query = models.Q()
    for checklist in {c for c, _k in wanted}:
        keys = [k for c, k in wanted if c == checklist]
        query |= models.Q(checklist=checklist, key__in=keys)
    return {(p.checklist, p.key): p for p in EvaluationPoint.objects.filter(query)}


def record_machine_evaluations(*, evaluations: Sequence[MachineEvaluation]) -> list[Document]:
    """Store machine evaluations in bulk (a handful of queries for any batch size).

    A source that already has a document is skipped, so a replayed batch records nothing twice.
    Runs in the caller's transaction when there is one.
    """
    for evaluation in evaluations:
        _validate(evaluation)
    with transaction.atomic():
        sources = {}
        for evaluation in evaluations:
            if evaluation.source is not None:
                content_type = ContentType.objects.get_for_model(evaluation.source)
                sources[id(evaluation)] = (content_type, str(evaluation.source.pk))
        existing = set()
        for content_type in {ct for ct, _sid in sources.values()}:
            ids = [sid for ct, sid in sources.values() if ct == content_type]
            existing |= {
                (content_type.pk, sid)
                for sid in Document.objects.filter(
                    source_type=content_type, source_id__in=ids
                ).values_list("source_id", flat=True)
            }
        todo = [
            e
            for e in evaluations
            if id(e) not in sources or (sources[id(e)][0].pk, sources[id(e)][1]) not in existing
        ]
        if not todo:
            return []
        points = _points_for(todo)
        documents, pending_results = [], []
        for evaluation in todo:
            checklist = evaluation.checklist or evaluation.kind
            by_key = {spec.key: points[(checklist, spec.key)] for spec in evaluation.points}
            rows = [(by_key[v.point_key], v.result, v.score) for v in evaluation.results]
            totals = evaluation.totals or scorers.weighted_totals(rows)
            content_type, source_id = sources.get(id(evaluation), (None, ""))
            documents.append(
                Document(
                    kind=evaluation.kind,
                    title=evaluation.title[:255],
                    source_type=content_type,
                    source_id=source_id,
                    position_ref=evaluation.position_ref,
                    uploader_id=getattr(evaluation.uploader, "pk", evaluation.uploader),
                    machine_total=totals.total,
                    machine_passed=totals.passed,
                    machine_outcome=totals.outcome,
                    final_total=totals.total,
                    final_passed=totals.passed,
                    final_outcome=totals.outcome,
                )
            )
            pending_results.append([(by_key[v.point_key], v) for v in evaluation.results])
        Document.objects.bulk_create(documents)
        results = [
            EvaluationResult(
                document=document,
                point=point,
                extracted_results=verdict.extracted,
                rules_results=verdict.rules,
                evaluated_results={"result": verdict.result, "message": verdict.message},
                machine_result=verdict.result,
                machine_message=verdict.message,
                machine_verdict=verdict.verdict[:16],
                machine_score=verdict.score,
                final_result=verdict.result,
            )
            for document, rows in zip(documents, pending_results, strict=True)
            for point, verdict in rows
        ]
        EvaluationResult.objects.bulk_create(results)
        AuditEvent.objects.bulk_create(
            [
                _event(
                    actor=None,
                    action="document.recorded",
                    obj=document,
                    document_id=document.pk,
                    after={
                        "kind": document.kind,
                        "points": len(rows),
                        "machine_total": document.machine_total,
                        "machine_passed": document.machine_passed,
                        "machine_outcome": document.machine_outcome,
                    },
                )
                for document, rows in zip(documents, pending_results, strict=True)
            ]
        )
    return documents


def record_machine_evaluation(
    *,
    kind: str,
    source: models.Model | None,
    uploader,
    points: Sequence[PointSpec],
    results: Sequence[MachineVerdict],
    title: str = "",
    position_ref: str = "",
    checklist: str = "",
    totals: scorers.Totals | None = None,
) -> Document | None:
    """One machine evaluation; ``None`` when ``source`` already has its document."""
    documents = record_machine_evaluations(
        evaluations=[
            MachineEvaluation(
                kind=kind,
                source=source,
                uploader=uploader,
                points=points,
                results=results,
                title=title,
                position_ref=position_ref,
                checklist=checklist,
                totals=totals,
            )
        ]
    )
    return documents[0] if documents else None


# --- reviewing --------------------------------------------------------------------------------


def _check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise Conflict(
            _("This record was changed by someone else; reload it and try again"),
            detail=_("Stale version %(sent)s; the current version is %(current)s")
            % {"sent": expected, "current": current},
            errors=[{"loc": ["body", "version"], "msg": str(current), "type": "stale_version"}],
        )


def _check_open(document: Document) -> None:
    if document.is_confirmed:
        raise Conflict(_("The document is confirmed; reopen it before changing its review"))


def _refresh_totals(document: Document) -> None:
    results = list(EvaluationResult.objects.filter(document=document).select_related("point"))
    totals = scorers.human_totals(document, results)
    document.final_total, document.final_passed = totals.total, totals.passed
    document.final_outcome = totals.outcome
    document.save(update_fields=["final_total", "final_passed", "final_outcome", "updated_at"])


def _change_result(
    *, user, result_id: int, changes: dict, expected_version: int | None
) -> tuple[Document, EvaluationResult, dict, list[str]]:
    """Apply ``changes`` to one result (locked, checked) without logging: the callers log
    the one event of the reviewer's action. Returns the document, the result, its state
    before, and the names of the changed fields."""
    denied = _("You may not modify this evaluation result")
    found = selectors.get_result(result_id=result_id)
    document = selectors.document_for(
        user=user, document_id=found.document_id, denied=denied, lock=True
    )
    result = selectors.get_result(result_id=result_id, lock=True)
    _check_open(document)
    _check_version(result.version, expected_version)
    before = _result_state(result)
    updated = []
    if "result" in changes or "message" in changes:
        evaluated = dict(result.evaluated_results or {})
        if "result" in changes:
            evaluated["result"] = changes["result"]
            result.final_result = changes["result"]
        if "message" in changes:
            evaluated["message"] = changes["message"]
        result.evaluated_results = evaluated
        updated.append("evaluated_results")
    if "final_score" in changes:
        result.final_score = changes["final_score"]
        updated.append("final_score")
    if not updated:
        return document, result, before, []
    result.status = EvaluationResult.Status.REVIEWED
    result.reviewed_by = user
    result.reviewed_at = timezone.now()
    result.version += 1
    result.save(
        update_fields=[
            "evaluated_results",
            "final_result",
            "final_score",
            "status",
            "reviewed_by",
            "reviewed_at",
            "version",
            "updated_at",
        ]
    )
    _refresh_totals(document)
    return document, result, before, updated


def _update_result(
    *, user, result_id: int, changes: dict, expected_version: int | None
) -> tuple[EvaluationResult, list[str]]:
    document, result, before, updated = _change_result(
        user=user, result_id=result_id, changes=changes, expected_version=expected_version
    )
    if updated:
        _log(
            actor=user,
            action="result.updated",
            obj=result,
            document_id=document.pk,
            before=before,
            after=_result_state(result),
        )
    return result, updated


@transaction.atomic
def update_result(
    *, user, result_id: int, changes: dict, expected_version: int | None = None
) -> tuple[EvaluationResult, list[str]]:
    """Seed §3.1: change the human verdict, message and/or final score of one result."""
    return _update_result(
        user=user, result_id=result_id, changes=changes, expected_version=expected_version
    )


def _create_audit_status(
    *,
    user,
    document: Document,
    result: EvaluationResult,
    edit_audit_status: int,
    message: str,
    log: bool = True,
) -> AuditStatus:
    record = AuditStatus.objects.create(
        user=user,
        document=document,
        point_id=result.point_id,
        result=result,
        edit_audit_status=edit_audit_status,
        message=message,
    )
    if not log:  # the caller logs the reviewer's action as one event
        return record
    _log(
        actor=user,
        action="audit_status.created",
        obj=record,
        document_id=document.pk,
        after={**_audit_status_state(record), "result_id": result.pk},
    )
    return record


@transaction.atomic
def create_audit_status(
    *,
    user,
    document_id: int,
    evaluation_point_id: int,
    evaluation_result_id: int,
    edit_audit_status: int,
    message: str = "",
) -> AuditStatus:
    """Seed §3.2: record a review action; the three ids must belong together."""
    document = selectors.document_for(
        user=user,
        document_id=document_id,
        denied=_("You may not change the audit status of this document"),
        lock=True,
    )
    result = EvaluationResult.objects.filter(pk=evaluation_result_id).first()
    if result is None or result.document_id != document.pk:
        raise ValidationFailed.for_field(
            ["body", "evaluation_result_id"],
            _("The evaluation result does not belong to this document"),
            "mismatch",
        )
    if result.point_id != evaluation_point_id:
        raise ValidationFailed.for_field(
            ["body", "evaluation_point_id"],
            _("The evaluation point does not match the evaluation result"),
            "mismatch",
        )
    _check_open(document)
    return _create_audit_status(
        user=user,
        document=document,
        result=result,
        edit_audit_status=edit_audit_status,
        message=message,
    )


@transaction.atomic
def update_audit_status(*, user, audit_status_id: int, changes: dict) -> list[str]:
    """Seed §3.3: its creator, or anyone with access to its document, may change it."""
    found = selectors.get_audit_status(audit_status_id=audit_status_id)
    denied = _("You may not change the audit status of this document")
    document = Document.objects.select_for_update().filter(pk=found.document_id).first()
    if found.user_id != user.pk and not selectors.can_access(user=user, document=document):
        raise Forbidden(denied)
    record = selectors.get_audit_status(audit_status_id=audit_status_id, lock=True)
    _check_open(document)
    updated = [name for name in ("edit_audit_status", "message") if name in changes]
    if not updated:
        return []
    before = _audit_status_state(record)
    for name in updated:
        setattr(record, name, changes[name])
    record.save(update_fields=[*updated, "updated_at"])
    _log(
        actor=user,
        action="audit_status.updated",
        obj=record,
        document_id=document.pk,
        before=before,
        after=_audit_status_state(record),
    )
    return updated


def _reviewed_state(result: EvaluationResult, record: AuditStatus) -> dict:
    return {
        **_result_state(result),
        "result_id": result.pk,
        "audit_status_id": record.pk,
        "edit_audit_status": record.edit_audit_status,
        "audit_message": record.message,
    }


@transaction.atomic
def review_result(
    *,
    user,
    result_id: int,
    changes: dict,
    edit_audit_status: int,
    audit_message: str,
    expected_version: int | None = None,
) -> tuple[EvaluationResult, AuditStatus]:
    """The seed's two calls (update the result, record the audit status) as one transaction,
    logged as ONE ``result.reviewed`` event: one reviewer action, one line of history."""
    document, result, before, _updated = _change_result(
        user=user, result_id=result_id, changes=changes, expected_version=expected_version
    )
    record = _create_audit_status(
        user=user,
        document=document,
        result=result,
        edit_audit_status=edit_audit_status,
        message=audit_message,
        log=False,
    )
    _log(
        actor=user,
        action="result.reviewed",
        obj=result,
        document_id=document.pk,
        before={**before, "result_id": result.pk},
        after=_reviewed_state(result, record),
    )
    return result, record


@transaction.atomic
def pass_remaining(*, user, document_id: int, expected_version: int | None = None) -> list[int]:
    """Pass every result of the document that no person has reviewed yet, in one transaction.

    Each passed result gets its audit-status record and its own ``result.reviewed`` event
    (marked ``"bulk": true``), as if reviewed one by one. ``expected_version`` is the
    document's. Returns the ids of the passed results.
    """
    document = selectors.document_for(
        user=user,
        document_id=document_id,
        denied=_("You may not modify this evaluation result"),
        lock=True,
    )
    _check_version(document.version, expected_version)
    _check_open(document)
    results = list(
        EvaluationResult.objects.select_for_update(of=("self",))
        .filter(document=document, status=EvaluationResult.Status.MACHINE)
        .order_by("point__order", "id")
    )
    if not results:
        return []
    now = timezone.now()
    befores = {}
    for result in results:
        befores[result.pk] = _result_state(result)
        result.evaluated_results = {
            **(result.evaluated_results or {}),
            "result": Verdict.PASS,
            "message": "",
        }
        result.final_result = Verdict.PASS
        result.status = EvaluationResult.Status.REVIEWED
        result.reviewed_by = user
        result.reviewed_at = now
        result.version += 1
        result.updated_at = now
    EvaluationResult.objects.bulk_update(
        results,
        [
            "evaluated_results",
            "final_result",
            "status",
            "reviewed_by",
            "reviewed_at",
            "version",
            "updated_at",
        ],
    )
    records = AuditStatus.objects.bulk_create(
        [
            AuditStatus(
                user=user,
                document=document,
                point_id=result.point_id,
                result=result,
                edit_audit_status=1,
                message="",
            )
            for result in results
        ]
    )
    _refresh_totals(document)
    AuditEvent.objects.bulk_create(
        [
            _event(
                actor=user,
                action="result.reviewed",
                obj=result,
                document_id=document.pk,
                before={**befores[result.pk], "result_id": result.pk},
                after={**_reviewed_state(result, record), "bulk": True},
            )
            for result, record in zip(results, records, strict=True)
        ]
    )
    return [result.pk for result in results]


@transaction.atomic
def confirm_document(*, user, document_id: int, expected_version: int | None = None) -> Document:
    """Seed §3.4: freeze the human-checked totals; result edits are refused until reopened."""
    document = selectors.document_for(
        user=user,
        document_id=document_id,
        denied=_("You may not confirm the audit status of this document"),
        lock=True,
    )
    _check_version(document.version, expected_version)
    if document.is_confirmed:
        return document
    before = _document_state(document)
    _refresh_totals(document)
    document.audit_status = AuditState.CONFIRMED
    document.confirmed_by = user
    document.confirmed_at = timezone.now()
    document.version += 1
    document.save(
        update_fields=["audit_status", "confirmed_by", "confirmed_at", "version", "updated_at"]
    )
    _log(
        actor=user,
        action="document.confirmed",
        obj=document,
        document_id=document.pk,
        before=before,
        after=_document_state(document),
    )
    signals.document_confirmed.send(sender=Document, document=document)
    return document


@transaction.atomic
def reopen_document(
    *, user, document_id: int, reason: str, expected_version: int | None = None
) -> Document:
    document = selectors.document_for(
        user=user,
        document_id=document_id,
        denied=_("You may not reopen this document"),
        lock=True,
    )
    _check_version(document.version, expected_version)
    if not document.is_confirmed:
        raise Conflict(_("The document is not confirmed"))
    before = _document_state(document)
    document.audit_status = AuditState.PENDING
    document.confirmed_by = None
    document.confirmed_at = None
    document.version += 1
    document.save(
        update_fields=["audit_status", "confirmed_by", "confirmed_at", "version", "updated_at"]
    )
    _log(
        actor=user,
        action="document.reopened",
        obj=document,
        document_id=document.pk,
        before=before,
        after={**_document_state(document), "reason": reason},
    )
    signals.document_reopened.send(sender=Document, document=document)
    return document


# --- cross-review tasks -----------------------------------------------------------------------


def _users(ids: list[int]) -> dict[int, Any]:
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationFailed(
            _("User not found"),
            errors=[
                {
                    "loc": ["body", "user_id"],
                    "msg": _("User %(id)s does not exist.") % {"id": i},
                    "type": "not_found",
                }
                for i in missing
            ],
        )
    return found


def _shareable_documents(*, user, ids: list[int]) -> list[Document]:
    """Only a document's uploader (or an admin) may share it through a task."""
    found = {d.pk: d for d in Document.objects.filter(pk__in=ids)}
    admin = selectors.is_admin(user)
    for document_id in ids:
        document = found.get(document_id)
        if document is None and admin:
            raise NotFound(_("Document %(id)s does not exist") % {"id": document_id})
        if document is None or not (admin or document.uploader_id == user.pk):
            raise Forbidden(_("You may not share this document in a cross-review task"))
    return [found[i] for i in dict.fromkeys(ids)]


def _add_participant(*, actor, task: CrossReviewTask, member, role: str) -> bool:
    participant, created = TaskParticipant.objects.get_or_create(
        task=task, user=member, defaults={"role": role}
    )
    if not created and participant.role == role:
        return False
    before = None if created else {"user_id": member.pk, "role": participant.role}
    if not created:
        participant.role = role
        participant.save(update_fields=["role"])
    _log(
        actor=actor,
        action="task.participant_added" if created else "task.participant_changed",
        obj=task,
        document_id=None,
        before=before,
        after={"user_id": member.pk, "role": role},
    )
    return True


def _add_documents(*, actor, task: CrossReviewTask, documents: list[Document]) -> list[int]:
    present = set(
        TaskDocument.objects.filter(task=task, document__in=documents).values_list(
            "document_id", flat=True
        )
    )
    new = [d for d in documents if d.pk not in present]
    TaskDocument.objects.bulk_create([TaskDocument(task=task, document=d) for d in new])
    AuditEvent.objects.bulk_create(
        [
            _event(
                actor=actor,
                action="task.document_added",
                obj=task,
                document_id=d.pk,
                after={"task_id": task.pk, "document_id": d.pk},
            )
            for d in new
        ]
    )
    return [d.pk for d in new]


@transaction.atomic
def create_task(
    *, user, name: str, description: str, participants: list[dict], document_ids: list[int]
) -> CrossReviewTask:
    members = _users([p["user_id"] for p in participants])
    documents = _shareable_documents(user=user, ids=document_ids)
    task = CrossReviewTask.objects.create(name=name, description=description, created_by=user)
    _log(
        actor=user,
        action="task.created",
        obj=task,
        document_id=None,
        after={"name": name, "description": description},
    )
    for item in participants:
        _add_participant(actor=user, task=task, member=members[item["user_id"]], role=item["role"])
    _add_documents(actor=user, task=task, documents=documents)
    return task


@transaction.atomic
def update_task(*, user, task_id: int, changes: dict) -> CrossReviewTask:
    task = selectors.task_for(user=user, task_id=task_id, manage=True)
    fields = [name for name in ("name", "description", "status") if name in changes]
    if fields:
        before = {name: getattr(task, name) for name in fields}
        for name in fields:
            setattr(task, name, changes[name])
        task.save(update_fields=[*fields, "updated_at"])
        _log(
            actor=user,
            action="task.updated",
            obj=task,
            document_id=None,
            before=before,
            after={name: getattr(task, name) for name in fields},
        )
    return task


@transaction.atomic
def add_participant(*, user, task_id: int, member_id: int, role: str) -> CrossReviewTask:
    task = selectors.task_for(user=user, task_id=task_id, manage=True)
    member = _users([member_id])[member_id]
    _add_participant(actor=user, task=task, member=member, role=role)
    return task


@transaction.atomic
def remove_participant(*, user, task_id: int, member_id: int) -> CrossReviewTask:
    task = selectors.task_for(user=user, task_id=task_id, manage=True)
    participant = TaskParticipant.objects.filter(task=task, user_id=member_id).first()
    if participant is None:
        raise NotFound(_("This user is not a participant of the task"))
    participant.delete()
    _log(
        actor=user,
        action="task.participant_removed",
        obj=task,
        document_id=None,
        before={"user_id": member_id, "role": participant.role},
    )
    return task


@transaction.atomic
def add_documents(*, user, task_id: int, document_ids: list[int]) -> list[int]:
    task = selectors.task_for(user=user, task_id=task_id, manage=True)
    documents = _shareable_documents(user=user, ids=document_ids)
    return _add_documents(actor=user, task=task, documents=documents)


@transaction.atomic
def remove_document(*, user, task_id: int, document_id: int) -> CrossReviewTask:
    task = selectors.task_for(user=user, task_id=task_id, manage=True)
    removed, _detail = TaskDocument.objects.filter(task=task, document_id=document_id).delete()
    if not removed:
        raise NotFound(_("The document is not part of this task"))
    _log(
        actor=user,
        action="task.document_removed",
        obj=task,
        document_id=document_id,
        before={"task_id": task.pk, "document_id": document_id},
    )
    return task


# --- assignment -------------------------------------------------------------------------------
# HR (or an admin) assigns reviewers to a set of documents. Underneath it is a cross-review task
# per scope (a screening job, a resume group, a hand-picked set of documents): the first
# assignment creates it, later ones extend it, and re-assigning the same person or document adds
# nothing. The scope key is kept in the task's description, so the language a task's name was
# written in never splits one scope into two tasks.

ASSIGNABLE_ROLES = ("reviewer", "hr", "admin")
ASSIGNMENT_MARK = "assignment:"


@dataclass(frozen=True)
class AssignmentOutcome:
    task: CrossReviewTask
    task_created: bool
    added_reviewer_ids: list[int]
    added_document_ids: list[int]
    reviewers: list[Any]
    document_ids: list[int]


def assignment_description(scope: str) -> str:
    return f"{ASSIGNMENT_MARK}{scope}"


def _assignees(*, reviewer_ids: Sequence[int]) -> list[Any]:
    """Active users with a review-capable role, in the order given; otherwise a 422 in words."""
    from hrm2.api.auth import user_role

    ids = list(dict.fromkeys(reviewer_ids))
    if not ids:
        raise ValidationFailed.for_field(
            ["body", "reviewer_ids"], _("Choose at least one reviewer."), "missing"
        )
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    errors = []
    for index, user_id in enumerate(ids):
        member = found.get(user_id)
        if member is None:
            msg = _("User %(id)s does not exist.") % {"id": user_id}
        elif not member.is_active:
            msg = _("%(name)s is deactivated and cannot be assigned.") % {"name": member.username}
        elif user_role(member) not in ASSIGNABLE_ROLES:
            msg = _(
                "%(name)s cannot be assigned: only reviewers, HR and administrators review "
                "documents."
            ) % {"name": display_name(member)}
        else:
            continue
        errors.append({"loc": ["body", "reviewer_ids", index], "msg": msg, "type": "value_error"})
    if errors:
        raise ValidationFailed(detail=errors[0]["msg"], errors=errors)
    return [found[i] for i in ids]


def _assignable_documents(*, user, document_ids: Sequence[int]) -> list[Document]:
    """Documents the assigner may access (uploader, participant, admin), locked for the change."""
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        raise ValidationFailed.for_field(
            ["body", "document_ids"], _("There are no screened documents to assign yet."), "missing"
        )
    found = {d.pk: d for d in Document.objects.select_for_update(of=("self",)).filter(pk__in=ids)}
    admin = selectors.is_admin(user)
    allowed = set(
        selectors.visible_documents(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for document_id in ids:
        if document_id not in found and admin:
            raise NotFound(_("Document %(id)s does not exist") % {"id": document_id})
        if document_id not in found or document_id not in allowed:
            raise Forbidden(_("You may only assign documents you may access"))
    return [found[i] for i in ids]


@transaction.atomic
def assign_reviewers(
    *,
    user,
    reviewer_ids: Sequence[int],
    document_ids: Sequence[int],
    scope: str,
    title: str,
) -> AssignmentOutcome:
    """Share ``document_ids`` with ``reviewer_ids`` through the open task of ``scope``.

    Only HR and admins assign (403 otherwise), and only documents they may access. Each
    assignee must be an active reviewer, HR or admin (422 with the reason otherwise).
    """
    from hrm2.api.auth import has_role

    if not has_role(user, "hr"):
        raise Forbidden(_("Only HR and administrators assign reviewers"))
    reviewers = _assignees(reviewer_ids=reviewer_ids)
    documents = _assignable_documents(user=user, document_ids=document_ids)
    description = assignment_description(scope)
    task = (
        CrossReviewTask.objects.select_for_update()
        .filter(description=description, status=CrossReviewTask.Status.OPEN)
        .order_by("created_at", "id")
        .first()
    )
    created = task is None
    if created:
        name = (_("Review: %(title)s") % {"title": title})[:200]
        task = CrossReviewTask.objects.create(name=name, description=description, created_by=user)
        _log(
            actor=user,
            action="task.created",
            obj=task,
            document_id=None,
            after={"name": name, "description": description},
        )
    present = set(
        TaskParticipant.objects.filter(task=task, user__in=reviewers).values_list(
            "user_id", flat=True
        )
    )
    added_reviewers = []
    for member in reviewers:
        if member.pk in present:
            continue  # already in the task, whatever their role there: nothing to add
        _add_participant(actor=user, task=task, member=member, role=TaskParticipant.Role.REVIEWER)
        added_reviewers.append(member.pk)
    added_documents = _add_documents(actor=user, task=task, documents=documents)
    return AssignmentOutcome(
        task=task,
        task_created=created,
        added_reviewer_ids=added_reviewers,
        added_document_ids=added_documents,
        reviewers=reviewers,
        document_ids=[d.pk for d in documents],
    )
