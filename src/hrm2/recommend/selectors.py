"""Reads for the final recommendation: evaluations, the access rule, and each candidate's inputs.

Access rule (object level, checked here for every read):

- ``admin`` and ``hr`` may read and write the evaluations of every group;
- an ``interviewer`` or ``reviewer`` may only read, and only the evaluations (and report files)
  of a group they take part in: they created the group, or started an interview session for
  one of its resumes, or take part in a cross-review task holding the audit document of one of
  its resumes' screening reports. Anyone else gets 403.

Inputs (:func:`candidate_inputs`) are read in a few queries per batch of resumes: the latest
completed screening report (with the reviewer's per-criterion scores and total when its audit
document is confirmed: the document's ``final_total``, the reviewer-confirmed overall on the
same 0–100 scale as the report's ``overall``), the evaluated interview answers and the latest
interview report, and the linked video, whose values are included only when ``include_video``
was asked for and a person reviewed it: a reviewer corrected it (``reviewed_fields`` not empty,
see ``videos.services.correct``) or passed its audit document.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrm2.ai.recommend import (
    CandidateInput,
    CriterionInput,
    InterviewInput,
    ScreeningInput,
    VideoInput,
)
from hrm2.ai.scoring import CREDIT
from hrm2.ai.screening import CriterionResult
from hrm2.api.auth import Role, has_role
from hrm2.api.errors import Forbidden, NotFound
from hrm2.audit.models import AuditState, Document, TaskDocument
from hrm2.interviews import review as interview_review
from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord
from hrm2.jobs.models import Job
from hrm2.recommend.models import CandidateResult, GroupEvaluation, ReportFile
from hrm2.resumes.models import Resume, ResumeGroup
from hrm2.screening import review
from hrm2.screening.models import ScreeningReport
from hrm2.videos.models import TRAITS, VideoAnalysis

# --- access -------------------------------------------------------------------------------------


def sees_all(user) -> bool:
    return has_role(user, Role.HR)


def _report_ids_of(group_ids) -> list[str]:
    return [
        str(pk)
        for pk in ScreeningReport.objects.filter(resume__group_id__in=group_ids).values_list(
            "pk", flat=True
        )
    ]


def readable_group_ids(user) -> set:
    """The groups a user who does not see all takes part in (see the module docstring)."""
    created = set(ResumeGroup.objects.filter(created_by=user).values_list("pk", flat=True))
    interviewed = set(
        InterviewSession.objects.filter(created_by=user, resume__group__isnull=False).values_list(
            "resume__group_id", flat=True
        )
    )
    reviewed_docs = TaskDocument.objects.filter(
        task__participants__user=user,
        document__source_type=ContentType.objects.get_for_model(ScreeningReport),
    ).values_list("document__source_id", flat=True)
    reviewed = set(
        ScreeningReport.objects.filter(
            pk__in=list(reviewed_docs), resume__group__isnull=False
        ).values_list("resume__group_id", flat=True)
    )
    return created | interviewed | reviewed


def can_read_group(*, user, group: ResumeGroup) -> bool:
    if sees_all(user) or group.created_by_id == user.pk:
        return True
    return group.pk in readable_group_ids(user)


def check_read(*, user, group: ResumeGroup) -> None:
    if not can_read_group(user=user, group=group):
        raise Forbidden(_("You do not take part in this resume group"))


def get_group(*, group_id) -> ResumeGroup:
    group = ResumeGroup.objects.select_related("position").filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Resume group not found"))
    return group


# --- evaluations --------------------------------------------------------------------------------


def _evaluations() -> QuerySet[GroupEvaluation]:
    return GroupEvaluation.objects.select_related("job", "group", "group__position")


def get_evaluation(*, evaluation_id, user, detail: bool = False) -> GroupEvaluation:
    evaluations = _evaluations().filter(pk=evaluation_id)
    if detail:
        evaluations = evaluations.prefetch_related("report_files")
    evaluation = evaluations.first()
    if evaluation is None:
        raise NotFound(_("Evaluation task not found"))
    check_read(user=user, group=evaluation.group)
    if detail:
        evaluation.candidate_rows = list(
            evaluation.candidates.order_by("-final_score", "candidate_name", "id")
        )
    return evaluation


def evaluation_list(*, user, group_id=None) -> QuerySet[GroupEvaluation]:
    evaluations = _evaluations().order_by("-created_at")
    if group_id is not None:
        check_read(user=user, group=get_group(group_id=group_id))
        evaluations = evaluations.filter(group_id=group_id)
    elif not sees_all(user):
        evaluations = evaluations.filter(group_id__in=readable_group_ids(user))
    return evaluations


def unfinished_for_group(*, group_id, exclude=None) -> QuerySet[GroupEvaluation]:
    evaluations = GroupEvaluation.objects.filter(group_id=group_id).exclude(
        job__status__in=Job.FINISHED
    )
    return evaluations.exclude(pk=exclude) if exclude is not None else evaluations


def report_file_by_name(*, name: str, user) -> ReportFile:
    """The registered report stored under exactly ``name``; 404 for anything else."""
    report = (
        ReportFile.objects.select_related("evaluation__group", "evaluation__job")
        .filter(name=name)
        .first()
        # Stored names are printable (generated by us); a NUL or control character can only be
        # an attack, and PostgreSQL would refuse to even compare it.
        if 0 < len(name) <= 255 and name.isprintable()
        else None
    )
    if report is None:
        raise NotFound(_("Report not found"))
    check_read(user=user, group=report.evaluation.group)
    return report


def report_file_for(*, evaluation_or_report_id, fmt: str, user) -> ReportFile:
    """The ``fmt`` report of an evaluation (by its id, or by the id of one of its files)."""
    files = ReportFile.objects.select_related("evaluation__group", "evaluation__job")
    evaluation = GroupEvaluation.objects.select_related("group", "job").filter(
        pk=evaluation_or_report_id
    ).first() or getattr(files.filter(pk=evaluation_or_report_id).first(), "evaluation", None)
    if evaluation is None:
        raise NotFound(_("Report not found"))
    check_read(user=user, group=evaluation.group)
    report = files.filter(evaluation=evaluation, format=fmt).first()
    if report is None:
        raise NotFound(_("Report not found"), detail=_("The evaluation has no report yet"))
    return report


def pending_candidates(evaluation: GroupEvaluation) -> QuerySet[CandidateResult]:
    return evaluation.candidates.filter(status=CandidateResult.Status.PENDING)


# --- inputs -------------------------------------------------------------------------------------

INTERVIEW_DIMENSIONS = (
    "technical_depth",
    "practical_experience",
    "answer_specificity",
    "logical_clarity",
    "honesty",
    "communication",
)
VIDEO_EXCLUDED_NOT_REQUESTED = "not requested (include_video is false)"
VIDEO_EXCLUDED_NOT_REVIEWED = (
    "not reviewed yet: no reviewer corrected this video analysis on its page or passed it in "
    "the audit module, so its values are excluded"
)


def _latest_reports(resume_ids) -> dict:
    latest: dict = {}
    reports = (
        ScreeningReport.objects.filter(
            resume_id__in=resume_ids, status=ScreeningReport.Status.COMPLETED
        )
        .order_by("resume_id", "-completed_at")
        .select_related("task__criteria_version")
        .only(
            "id",
            "resume_id",
            "result",
            "overall_score",
            "completed_at",
            "task__criteria_version__criteria",
        )
    )
    for report in reports:
        latest.setdefault(report.resume_id, report)
    return latest


def _confirmed_documents(source_type, source_ids: list[str]) -> dict[str, Document]:
    documents = Document.objects.filter(
        source_type=source_type, source_id__in=source_ids, audit_status=AuditState.CONFIRMED
    ).prefetch_related("results__point")
    return {d.source_id: d for d in documents}


def _screening_input(report: ScreeningReport, document: Document | None) -> ScreeningInput:
    """The screening as a person confirmed it (``hrm2.screening.review.as_reviewed``: the
    reviewer's verdicts rescored by the engine's formulas), or the machine's."""
    result = report.result or {}
    breakdown = dict(result.get("breakdown", {}))
    items = [CriterionResult.model_validate(item) for item in result.get("criteria_results", [])]
    rescored = None
    if document is not None:
        rescored = review.as_reviewed(
            result, report.task.criteria_version.criteria, list(document.results.all())
        )
    if rescored is not None:
        items, breakdown = rescored.results, dict(rescored.breakdown)
    criteria = [
        CriterionInput(
            kind=item.criterion.kind,
            name=item.criterion.name,
            verdict=item.verdict,
            share=min(1.0, max(0.0, item.score / item.max_score))
            if item.max_score > 0
            else CREDIT.get(item.verdict, 0.0),
        )
        for item in items
    ]
    machine = float(result.get("overall", report.overall_score or 0.0))
    confirmed = document is not None and document.final_total is not None
    facts = result.get("facts", {})
    return ScreeningInput(
        report_id=str(report.pk),
        confirmed=confirmed,
        overall=min(100.0, float(document.final_total)) if confirmed else machine,
        machine_overall=machine,
        breakdown=breakdown,
        criteria=criteria,
        strengths=result.get("strengths", [])[:5],
        weaknesses=result.get("weaknesses", [])[:5],
        experience_years=facts.get("experience_years"),
        education_level=facts.get("education_level"),
    )


def _as_reviewed_answer(evaluation: dict, document: Document) -> dict:
    """An evaluated answer with the reviewer's dimension scores and confirmed score."""
    scores = interview_review.reviewed_dimensions(list(document.results.all()))
    dimensions = {
        key: {**dim, "score": round(scores.get(key, dim["score"]), 3)}
        for key, dim in (evaluation.get("dimensions") or {}).items()
    }
    normalized = evaluation.get("normalized_score")
    if document.final_total is not None:
        normalized = document.final_total
    return {**evaluation, "dimensions": dimensions, "normalized_score": normalized}


def _interview_inputs(resume_ids) -> dict:
    sessions = defaultdict(list)
    for session_id, resume_id in InterviewSession.objects.filter(
        resume_id__in=resume_ids
    ).values_list("pk", "resume_id"):
        sessions[resume_id].append(str(session_id))
    rows = list(
        QARecord.objects.filter(
            session__resume_id__in=resume_ids, evaluated=True, evaluation__isnull=False
        )
        .order_by("session__created_at", "round_number")
        .values_list("pk", "session__resume_id", "evaluation")
    )
    reviewed = _confirmed_documents(
        ContentType.objects.get_for_model(QARecord), [str(pk) for pk, _r, _e in rows]
    )
    records, confirmed = defaultdict(list), defaultdict(int)
    for pk, resume_id, evaluation in rows:
        if not (evaluation.get("features") or {}).get("scorable", True):
            continue
        document = reviewed.get(str(pk))
        if document is not None:  # the answer as a reviewer confirmed it
            evaluation = _as_reviewed_answer(evaluation, document)
            confirmed[resume_id] += 1
        records[resume_id].append(evaluation)
    reports: dict = {}
    for report in (
        InterviewReport.objects.filter(session__resume_id__in=resume_ids)
        .order_by("session__resume_id", "-created_at")
        .values("id", "session__resume_id", "result", "overall_score")
    ):
        reports.setdefault(report["session__resume_id"], report)
    out = {}
    for resume_id in resume_ids:
        if not sessions.get(resume_id):
            continue
        evaluations = records.get(resume_id, [])
        report = reports.get(resume_id)
        result = (report or {}).get("result") or {}
        means = {}
        for dim in INTERVIEW_DIMENSIONS:
            scores = [e["dimensions"][dim]["score"] for e in evaluations if dim in e["dimensions"]]
            if scores:
                means[dim] = round(sum(scores) / len(scores), 3)
        levels: dict[str, int] = defaultdict(int)
        for e in evaluations:
            levels[e.get("confidence_level", "uncertain")] += 1
        stars = [
            sum(1 for k in ("situation", "task", "action", "result") if e["star"][k]["found"]) / 4
            for e in evaluations
            if e.get("star")
        ]
        normalized = [e["normalized_score"] for e in evaluations if "normalized_score" in e]
        out[resume_id] = InterviewInput(
            session_ids=sessions[resume_id],
            answers=len(evaluations),
            confirmed_answers=confirmed.get(resume_id, 0),
            dimension_means=means,
            mean_normalized_score=round(sum(normalized) / len(normalized), 2)
            if normalized
            else None,
            star_share=round(sum(stars) / len(stars), 3) if stars else None,
            confidence_levels=dict(levels),
            report_id=str(report["id"]) if report else None,
            report_score=None
            if not report or result.get("insufficient_evidence")
            else report["overall_score"],
            highlights=result.get("highlights", [])[:5],
            red_flags=result.get("red_flags", [])[:5],
        )
    return out


def _video_inputs(resume_ids, include_video: bool) -> dict:
    videos = {v.resume_id: v for v in VideoAnalysis.objects.filter(resume_id__in=resume_ids)}
    if not videos:
        return {}
    passed = {
        d.source_id
        for d in Document.objects.filter(
            source_type=ContentType.objects.get_for_model(VideoAnalysis),
            source_id__in=[str(v.pk) for v in videos.values()],
            audit_status=AuditState.CONFIRMED,
            final_passed=True,
        ).only("source_id")
    }
    out = {}
    for resume_id, video in videos.items():
        reason, code = "", ""
        if not include_video:
            reason, code = VIDEO_EXCLUDED_NOT_REQUESTED, "not_requested"
        elif video.status != VideoAnalysis.Status.COMPLETED:
            reason = f"the video analysis is {video.status}, not completed"
            code = "not_completed"
        elif str(video.pk) not in passed and not video.reviewed_fields:
            reason, code = VIDEO_EXCLUDED_NOT_REVIEWED, "not_reviewed"
        if reason:
            out[resume_id] = VideoInput(
                video_id=str(video.pk), included=False, reason=reason, reason_code=code
            )
            continue
        reviewed = list(video.reviewed_fields)
        out[resume_id] = VideoInput(
            video_id=str(video.pk),
            included=True,
            reason="reviewed in the audit module" if str(video.pk) in passed else "",
            fraud_score=video.fraud_score,
            confidence_score=video.confidence_score,
            traits={t: getattr(video, f"{t}_score") for t in TRAITS},
            reviewed_fields=reviewed,
        )
    return out


def candidate_inputs(resumes: list[Resume], *, include_video: bool) -> dict:
    """``{resume_id: CandidateInput}`` for a batch of resumes (a fixed number of queries)."""
    ids = [r.pk for r in resumes]
    reports = _latest_reports(ids)
    documents = _confirmed_documents(
        ContentType.objects.get_for_model(ScreeningReport), [str(r.pk) for r in reports.values()]
    )
    interviews = _interview_inputs(ids)
    videos = _video_inputs(ids, include_video)
    out = {}
    for resume in resumes:
        report = reports.get(resume.pk)
        out[resume.pk] = CandidateInput(
            candidate_id=str(resume.pk),
            name=resume.candidate_name,
            screening=_screening_input(report, documents.get(str(report.pk))) if report else None,
            interview=interviews.get(resume.pk),
            video=videos.get(resume.pk),
        )
    return out


def group_resumes(group: ResumeGroup) -> list[Resume]:
    return list(group.resumes.defer("content").order_by("created_at", "id"))
