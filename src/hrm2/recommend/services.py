"""Writes on the final recommendation: submit a group evaluation, store candidate results, finish
with the ranking and report files, cancel and delete; and the group status that follows them.

Group status: submitting moves the group to ``comprehensive_screening`` (remembering the status
it had); a completed evaluation moves it to ``completed``; a cancelled, failed or deleted one
puts back what the group's other evaluations imply (``completed`` when one completed, else the
remembered status). One unfinished evaluation per group at a time (409 otherwise).

Report files are stored with ``default_storage`` under generated names
(``reports/recommend/<evaluation>/<random>.<ext>``) and registered in ``ReportFile`` with that
exact name, its size and SHA-256; the download endpoint serves only registered names and
checks the stored bytes against the hash, so nothing else can ever be read through it.
"""

import hashlib
import logging
import uuid
from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from hrm2.ai.recommend import (
    LEVEL_CAP_WITHOUT,
    CandidateEvaluation,
    UnknownRecommendEngineError,
    available_recommend_engines,
    get_recommend_engine,
    normalise_weights,
    rank_group,
)
from hrm2.api.downloads import ExportedFile
from hrm2.api.errors import Conflict, NotFound, ValidationFailed
from hrm2.documents.reports import CONTENT_TYPES, render
from hrm2.jobs import services as job_services
from hrm2.jobs.models import Job
from hrm2.jobs.services import JobLost
from hrm2.recommend import selectors
from hrm2.recommend.models import CandidateResult, GroupEvaluation, ReportFile
from hrm2.recommend.schemas import EvaluationIn
from hrm2.resumes.models import ResumeGroup

logger = logging.getLogger("hrm2.recommend")
JOB_KIND = "group_evaluation"
REPORT_FORMATS = ("md", "pdf", "docx")
REPORT_DIR = "reports/recommend"
Status = ResumeGroup.Status


@transaction.atomic
def submit_evaluation(*, data: EvaluationIn, user, language: str) -> GroupEvaluation:
    engine = data.engine or settings.RECOMMEND_ENGINE or "embedded"
    if engine not in available_recommend_engines():
        raise ValidationFailed.for_field(
            ["body", "engine"],
            _("Unknown engine; available: %(engines)s")
            % {"engines": ", ".join(available_recommend_engines())},
        )
    weights = normalise_weights(data.weights)  # EvaluationIn checked that they normalise
    group = ResumeGroup.objects.select_for_update().filter(pk=data.group_id).first()
    if group is None:
        raise NotFound(_("Resume group not found"))
    resumes = selectors.group_resumes(group)
    if not resumes:
        raise Conflict(_("The resume group has no resumes to evaluate"))
    if selectors.unfinished_for_group(group_id=group.pk).exists():
        raise Conflict(_("An evaluation of this group is already running"))
    job = job_services.create_job(kind=JOB_KIND, owner=user, total=len(resumes))
    evaluation = GroupEvaluation.objects.create(
        job=job,
        group=group,
        engine=engine,
        include_video=data.include_video,
        weights=weights,
        language=language,
        previous_group_status=group.status,
        created_by=user,
    )
    CandidateResult.objects.bulk_create(
        [
            CandidateResult(evaluation=evaluation, resume=r, candidate_name=r.candidate_name)
            for r in resumes
        ]
    )
    _set_group_status(group.pk, Status.COMPREHENSIVE_SCREENING)
    return evaluation


def _set_group_status(group_id, status: str) -> None:
    ResumeGroup.objects.filter(pk=group_id).update(status=status, updated_at=timezone.now())


def settle_group_status(*, group_id, previous: str, exclude=None) -> None:
    """The group's status after an evaluation stopped (cancelled, failed or deleted)."""
    others = GroupEvaluation.objects.filter(group_id=group_id)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exclude(job__status__in=Job.FINISHED).exists():
        return  # another evaluation is under way: still comprehensive_screening
    if others.filter(job__status=Job.Status.COMPLETED).exists():
        _set_group_status(group_id, Status.COMPLETED)
    elif previous:
        _set_group_status(group_id, previous)


# --- the job's steps ----------------------------------------------------------------------------


def engine_for(evaluation: GroupEvaluation):
    try:
        return get_recommend_engine(evaluation.engine)
    except UnknownRecommendEngineError as exc:
        raise RuntimeError(str(exc)) from exc


def evaluate_one(engine, evaluation: GroupEvaluation, inputs) -> dict:
    """Evaluate one candidate; an engine failure becomes a failed row, never a failed job."""
    try:
        result = engine.evaluate(inputs, weights=evaluation.weights, language=evaluation.language)
    except Exception as exc:
        logger.warning("evaluation of candidate %s failed: %s", inputs.candidate_id, exc)
        return {
            "status": CandidateResult.Status.FAILED,
            "inputs": inputs.model_dump(mode="json"),
            "error": f"{type(exc).__name__}: {exc}"[:2000],
            "engine": evaluation.engine,
        }
    return {
        "status": CandidateResult.Status.COMPLETED,
        "inputs": inputs.model_dump(mode="json"),
        "result": result.model_dump(mode="json"),
        "final_score": result.final_score,
        "level": result.level,
        "engine": result.engine,
        "fallback_reason": result.fallback_reason or "",
    }


def save_batch(outcomes: list[tuple[CandidateResult, dict]]) -> None:
    """Store outcomes; only still-pending rows are written (a replayed batch writes nothing)."""
    now = timezone.now()
    with transaction.atomic():
        for row, outcome in outcomes:
            CandidateResult.objects.filter(pk=row.pk, status=CandidateResult.Status.PENDING).update(
                completed_at=now, **outcome
            )


def status_counts(evaluation: GroupEvaluation) -> dict[str, int]:
    rows = evaluation.candidates.values("status").order_by().annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def group_notes(evaluation: GroupEvaluation, rows: list[CandidateResult]) -> list[str]:
    zh = not evaluation.language.startswith("en")
    notes = []
    excluded = [
        r.candidate_name
        for r in rows
        if r.result and not (r.result.get("video") or {}).get("included")
    ]
    if not evaluation.include_video:
        notes.append(
            "本次评估未选择纳入视频分析：人格印象等视频结果未纳入。"
            if zh
            else "This evaluation did not include video analyses: personality impressions "
            "and other video results are excluded."
        )
    else:
        included = [
            r.candidate_name
            for r in rows
            if r.result and (r.result.get("video") or {}).get("included")
        ]
        notes.append(
            "已关联且经人工复核（在视频页修正过，或在审核模块通过）的视频分析纳入评估，"
            "计入评估依据并随结果展示；视频结果是外在印象，仅供参考，从不计入得分，也不作为筛选条件。"
            if zh
            else "Linked video analyses that a person reviewed (corrected on the video page, or "
            "passed in the audit module) are included: they count in the evidence and are shown "
            "with the result. Video results are apparent impressions, advisory: they never "
            "change a score and are never a filter."
        )
        if included:
            notes.append(
                f"已纳入视频：{'、'.join(included[:20])}。"
                if zh
                else f"Video included for: {', '.join(included[:20])}."
            )
        if excluded:
            notes.append(
                f"未纳入视频（未关联、未完成或尚未复核）：{'、'.join(excluded[:20])}。"
                if zh
                else "Video not included (none linked, not completed or not reviewed yet): "
                f"{', '.join(excluded[:20])}."
            )
    partial = [
        r.candidate_name
        for r in rows
        if r.result
        and r.result.get("final_score") is not None
        and ((r.result.get("coverage") or {}).get("missing"))
    ]
    if partial:
        notes.append(
            "以下候选人按现有依据排名（缺少的维度不计分，权重按已有维度重新归一；无面试时等级最高为“推荐录用”）："
            f"{'、'.join(partial[:20])}。"
            if zh
            else "Ranked on the evidence they have (dimensions without evidence are left out and "
            "the weights renormalised over the others; without an interview the level is at "
            f'most "Recommend"): {", ".join(partial[:20])}.'
        )
    failed = [r.candidate_name for r in rows if r.status == CandidateResult.Status.FAILED]
    if failed:
        notes.append(
            f"评估失败的候选人：{'、'.join(failed)}"
            if zh
            else f"Evaluation failed for: {', '.join(failed)}"
        )
    fallbacks = {r.fallback_reason for r in rows if r.fallback_reason}
    if fallbacks:
        notes.append(
            ("LLM 未使用，已回退到内置规则引擎：" if zh else "LLM not used, embedded fallback: ")
            + "; ".join(sorted(fallbacks))[:500]
        )
    return notes


def group_result(evaluation: GroupEvaluation) -> dict:
    """The ranking across the group, from the stored candidate results (computed in code)."""
    rows = list(evaluation.candidates.order_by("candidate_name", "id"))
    evaluations = [
        CandidateEvaluation.model_validate(r.result)
        for r in rows
        if r.status == CandidateResult.Status.COMPLETED and r.result
    ]
    ranking = rank_group(evaluations, language=evaluation.language)
    return {
        "group_id": str(evaluation.group_id),
        "engine": evaluation.engine,
        "weights": evaluation.weights,
        "include_video": evaluation.include_video,
        "formula": "final_score = Σ_{d∈D} (w_d/Σ_{e∈D} w_e)·(s_d−1)/4·100, "
        "D = the dimensions with evidence",
        "level_caps": LEVEL_CAP_WITHOUT,
        "levels": {"strong_recommend": 85, "recommend": 70, "cautious": 55},
        **ranking.model_dump(mode="json"),
        "notes": group_notes(evaluation, rows),
        "evaluated_at": timezone.now().isoformat(),
    }


def store_reports(evaluation: GroupEvaluation, build) -> list[ReportFile]:
    """Render and register each format not registered yet (idempotent on a requeued job)."""
    done = set(evaluation.report_files.values_list("format", flat=True))
    stored, report = [], None
    for fmt in REPORT_FORMATS:
        if fmt in done:
            continue
        report = report or build()
        body, _content_type, extension = render(report, fmt)
        stored.append(register_report(evaluation=evaluation, fmt=fmt, body=body, ext=extension))
    return stored


def register_report(*, evaluation: GroupEvaluation, fmt: str, body: bytes, ext: str) -> ReportFile:
    name = default_storage.save(
        f"{REPORT_DIR}/{evaluation.pk}/{uuid.uuid4().hex}.{ext}", ContentFile(body)
    )
    with transaction.atomic():
        alive = GroupEvaluation.objects.select_for_update().filter(pk=evaluation.pk).exists()
        if alive:
            return ReportFile.objects.create(
                evaluation=evaluation,
                format=fmt,
                name=name,
                size=len(body),
                sha256=hashlib.sha256(body).hexdigest(),
            )
    default_storage.delete(name)  # deleted while rendering: leave nothing behind
    raise JobLost()


@transaction.atomic
def complete(evaluation: GroupEvaluation, result: dict) -> None:
    GroupEvaluation.objects.filter(pk=evaluation.pk).update(result=result)
    _set_group_status(evaluation.group_id, Status.COMPLETED)


def stopped(evaluation: GroupEvaluation) -> None:
    """After a cancel or a failure: pending rows are cancelled, the group status settled."""
    with transaction.atomic():
        evaluation.candidates.filter(status=CandidateResult.Status.PENDING).update(
            status=CandidateResult.Status.CANCELLED
        )
        settle_group_status(
            group_id=evaluation.group_id,
            previous=evaluation.previous_group_status,
            exclude=evaluation.pk,
        )


# --- cancel and delete --------------------------------------------------------------------------


@transaction.atomic
def delete_evaluation(*, evaluation: GroupEvaluation) -> dict:
    """Cancel the job if it still runs, then delete it, its results and its report files.

    A running worker notices at its next step that its job is gone and stops (``JobLost``);
    a report it was just storing is removed again (:func:`register_report`)."""
    job = Job.objects.select_for_update().get(pk=evaluation.pk)
    was_running = not job.is_finished
    if was_running:
        with suppress(Conflict):  # finished meanwhile
            job_services.request_cancel(job=job)
    names = list(evaluation.report_files.values_list("name", flat=True))
    group_id, previous = evaluation.group_id, evaluation.previous_group_status
    job.delete()  # cascades to the evaluation, its candidate rows and report rows
    settle_group_status(group_id=group_id, previous=previous)
    transaction.on_commit(lambda: _delete_files(names))
    return {"task_id": str(evaluation.pk), "cancelled": was_running, "deleted_files": len(names)}


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as exc:  # logged; the row is gone, so the file can no longer be served
            logger.warning("could not delete report file %s: %s", name, exc)


# --- reading a registered file ------------------------------------------------------------------


def export_report(report: ReportFile) -> ExportedFile:
    """A registered report file, verified by ``read_report``, ready to download."""
    content_type, extension = CONTENT_TYPES[report.format]
    name = f"{_('final-recommendation')}-{report.evaluation.group.group_name}.{extension}"
    return ExportedFile(read_report(report), content_type, name)


def read_report(report: ReportFile) -> bytes:
    """The bytes of a registered report, or 404 if the stored file is not exactly what was
    registered (missing, replaced, a symlink, or outside the report directory)."""
    name = report.name  # from the database, never from the request
    try:
        path = Path(default_storage.path(name))
    except NotImplementedError:  # remote storage: no local path, no symlinks to follow
        path = None
    if path is not None:
        root = (Path(settings.MEDIA_ROOT) / REPORT_DIR).resolve()
        if path.is_symlink() or not path.resolve().is_relative_to(root):
            logger.warning("report %s is not a regular file in the report store", name)
            raise NotFound(_("Report not found"))
    try:
        with default_storage.open(name, "rb") as handle:
            body = handle.read()
    except (FileNotFoundError, OSError) as exc:
        logger.warning("report %s cannot be read: %s", name, exc)
        raise NotFound(_("Report not found")) from exc
    if len(body) != report.size or hashlib.sha256(body).hexdigest() != report.sha256:
        logger.warning("report %s differs from what was registered", name)
        raise NotFound(_("Report not found"))
    return body
