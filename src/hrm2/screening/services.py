"""Writes on screening: submit a task, screen a batch of resumes, cancel."""

import logging
import time

from django.db import transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hrm2.ai import UnknownEngineError, available_engines, get_engine
from hrm2.api.errors import Conflict, ValidationFailed, validated
from hrm2.audit import services as audit_services
from hrm2.jobs import services as job_services
from hrm2.positions import selectors as position_selectors
from hrm2.positions import services as position_services
from hrm2.positions.schemas import CriteriaIn
from hrm2.resumes import services as resume_services
from hrm2.resumes.models import Resume
from hrm2.resumes.vocabulary import criterion_label
from hrm2.screening import review
from hrm2.screening.models import ScreeningReport, ScreeningTask
from hrm2.screening.schemas import ScreeningIn

logger = logging.getLogger("hrm2.screening")
JOB_KIND = "screening"


def _position_for(data: ScreeningIn, user):
    if data.position_id is not None:
        position = position_selectors.get_position(position_id=data.position_id)
        if not position.is_active:
            raise Conflict(_("The position is archived; restore it before screening"))
        return position
    criteria = validated(CriteriaIn, data.position, loc_prefix=("body", "position"))
    position, _created = position_services.save_criteria(criteria=criteria, user=user)
    return position


def _resumes_for(data: ScreeningIn, position, user) -> list[Resume]:
    ids = list(dict.fromkeys(data.resume_data_ids))
    found = resume_services.resumes_by_ids(ids)
    resumes = [found[i] for i in ids]
    resume_services.require_position(
        resumes, position.pk, _("Resumes must belong to the screened position")
    )
    for inline in data.resumes:
        try:
            resume = resume_services.create_resume(
                position=position,
                content=inline.resume_content,
                candidate_name=inline.candidate_name,
                user=user,
            )
        except Conflict as exc:  # already submitted to this position: screen the stored one
            resume = Resume.objects.get(pk=exc.errors[0]["existing_id"])
        if resume not in resumes:
            resumes.append(resume)
    return resumes


@transaction.atomic
def submit_screening(*, data: ScreeningIn, user, language: str) -> ScreeningTask:
    engine = data.engine or "embedded"
    if engine not in available_engines():
        raise ValidationFailed.for_field(
            ["body", "engine"],
            _("Unknown engine; available: %(engines)s")
            % {"engines": ", ".join(available_engines())},
        )
    position = _position_for(data, user)
    resumes = _resumes_for(data, position, user)
    position.refresh_from_db(fields=["latest_version"])
    job = job_services.create_job(kind=JOB_KIND, owner=user, total=len(resumes))
    task = ScreeningTask.objects.create(
        job=job,
        position=position,
        criteria_version=position.latest_version,
        engine=engine,
        language=language,
        created_by=user,
    )
    ScreeningReport.objects.bulk_create(
        [ScreeningReport(task=task, resume=resume) for resume in resumes]
    )
    return task


def screen_one(engine, report: ScreeningReport, criteria: dict, task: ScreeningTask) -> dict:
    """Screen one resume; an engine failure becomes a failed report, never a failed job."""
    started = time.perf_counter()
    try:
        received = timezone.localtime(report.resume.created_at).date()  # "至今" counts to here
        result = engine.screen(
            report.resume.content, criteria, language=task.language, received=received
        )
    except Exception as exc:
        logger.warning("screening of resume %s failed: %s", report.resume_id, exc)
        return {
            "status": ScreeningReport.Status.FAILED,
            "error": f"{type(exc).__name__}: {exc}"[:2000],
            "engine": task.engine,
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
        }
    result.criteria_version = task.criteria_version.number
    return {
        "status": ScreeningReport.Status.COMPLETED,
        "engine": result.engine,
        "fallback_reason": result.fallback_reason or "",
        "overall_score": result.overall,
        "recommendation": result.recommendation,
        "result": result.model_dump(mode="json"),
        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
    }


# Hard requirements (hrm2.ai.scoring): failing one of these rejects the candidate as a whole.
VETO_CRITERIA = {"experience", "education", "team_lead"}


def _point_name(criterion: dict, language: str) -> str:
    """The point as the reviewer reads it, in the screening's language (points are shared by
    every document of a criteria version)."""
    with translation.override(language):
        return criterion_label(criterion["kind"], criterion["name"])


def _audit_evaluation(report: ScreeningReport) -> audit_services.MachineEvaluation:
    """A completed report as a machine evaluation: one point and one verdict per criterion.

    ``partial`` counts as a pass with its partial score (only ``fail``/``unknown`` fail), as in
    the scoring's hard requirements; the engine's own verdict is kept in ``rules_results``.
    """
    task = report.task
    points, verdicts = [], []
    items = (report.result or {}).get("criteria_results", [])
    # What the engine could not judge comes first: that is where a reviewer is needed.
    items = sorted(items, key=lambda item: item["verdict"] != "unknown")
    for item in items:
        criterion = item["criterion"]
        key = review.point_key(criterion)
        max_score = float(item["max_score"])
        score = float(item["score"])
        share = (
            score / max_score * 100
            if max_score > 0
            else (100.0 if item["verdict"] == "pass" else 0.0)
        )
        points.append(
            audit_services.PointSpec(
                key=key,
                name=_point_name(criterion, task.language),
                category=criterion["kind"],
                max_score=max_score,
                is_veto=criterion["kind"] in VETO_CRITERIA,
            )
        )
        verdicts.append(
            audit_services.MachineVerdict(
                point_key=key,
                result="fail" if item["verdict"] in ("fail", "unknown") else "pass",
                score=round(min(100.0, max(0.0, share)), 4),
                message=item.get("reason", ""),
                verdict=item["verdict"],
                extracted={"evidence": item.get("evidence", [])},
                rules={"verdict": item["verdict"], "score": score, "max_score": max_score},
            )
        )
    return audit_services.MachineEvaluation(
        kind=review.AUDIT_KIND,
        source=report,
        uploader=report.resume.uploaded_by_id or task.created_by_id,
        points=points,
        results=verdicts,
        title=f"{report.resume.candidate_name} · {task.position.title}",
        position_ref=str(task.position_id),
        checklist=str(task.criteria_version_id),
        totals=review.machine_totals(report.result or {}),
    )


def save_batch(outcomes: list[tuple[ScreeningReport, dict]]) -> None:
    """Store a batch of outcomes in one transaction. Only still-pending reports are written,
    so a batch replayed after a worker crash cannot write a resume's result twice. Every
    completed report becomes an audit document (recorded in bulk, in the same transaction)."""
    now = timezone.now()
    with transaction.atomic():
        completed = []
        for report, outcome in outcomes:
            written = ScreeningReport.objects.filter(
                pk=report.pk, status=ScreeningReport.Status.PENDING
            ).update(completed_at=now, **outcome)
            if written and outcome["status"] == ScreeningReport.Status.COMPLETED:
                completed.append(report.pk)
                Resume.objects.filter(pk=report.resume_id).update(
                    latest_score=outcome["overall_score"],
                    latest_recommendation=outcome["recommendation"],
                    # A new screening awaits its own review; until then the machine decides.
                    confirmed_score=None,
                    confirmed_recommendation="",
                    review_state="pending",
                    decision_score=outcome["overall_score"],
                    decision_recommendation=outcome["recommendation"],
                    updated_at=now,
                )
                Resume.objects.filter(pk=report.resume_id, status=Resume.Status.PENDING).update(
                    status=Resume.Status.SCREENED
                )
        if completed:
            reports = ScreeningReport.objects.filter(pk__in=completed).select_related(
                "resume", "task__position"
            )
            audit_services.record_machine_evaluations(
                evaluations=[_audit_evaluation(report) for report in reports]
            )


def cancel_task(*, task: ScreeningTask) -> ScreeningTask:
    job_services.request_cancel(job=task.job)
    task.job.refresh_from_db()
    if task.job.status == task.job.Status.CANCELLED:
        task.reports.filter(status=ScreeningReport.Status.PENDING).update(
            status=ScreeningReport.Status.CANCELLED
        )
    return task


def engine_for(task: ScreeningTask):
    try:
        return get_engine(task.engine)
    except UnknownEngineError as exc:
        raise RuntimeError(str(exc)) from exc


def status_counts(task: ScreeningTask) -> dict[str, int]:
    rows = task.reports.values("status").order_by().annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


# --- review assignment ---


def assign_for_review(
    *,
    user,
    reviewer_ids: list[int],
    screening_task_id=None,
    group_id=None,
    document_ids: list[int] | None = None,
):
    """Resolve the scope (a job, a group, or documents) to audit documents and assign them.

    Returns ``audit.services.AssignmentOutcome``; the rules (who may assign, who may be
    assigned, idempotence) are the audit module's.
    """
    from hrm2.screening import selectors

    if screening_task_id is not None:
        scope = selectors.screening_task_scope(task_id=screening_task_id)
    elif group_id is not None:
        scope = selectors.group_scope(group_id=group_id)
    else:
        scope = selectors.documents_scope(document_ids=list(document_ids or []))
    return audit_services.assign_reviewers(
        user=user,
        reviewer_ids=reviewer_ids,
        document_ids=scope.document_ids,
        scope=scope.key,
        title=scope.title,
    )
