"""A candidate's personal data as a whole: erase it (on request or by retention) and export it.

A resume is one candidate applying for one position; everything HRM2 derives from it hangs off
it in several apps, so this project-level module (like ``urls.py``) is the one place allowed to
import them all (the apps themselves depend on each other in one direction only).

Erasing a resume deletes, in one transaction: the resume, its screening reports, the audit
documents recorded from those reports and from its interview answers (with their results,
review records and cross-review links), its interview sessions with their answers and reports,
the linked video analysis (features, signals, transcript, corrections; a running analysis is
asked to stop) and its rows in group evaluations; and writes one audit event that counts what
was deleted and says by whom — never the candidate's name or text. The stored files (the
uploaded original, the video) are deleted after the transaction commits, so a rollback never
leaves a row pointing at a missing file. The append-only audit events already written stay;
they hold ids and review states, not the resume. Another position's copy of the same resume is
a separate record and is not touched.

Known residue: a group evaluation's group-level ranking (and its rendered report files) was
computed over all its candidates and still names an erased one until it is re-run or deleted.
"""

import logging
import uuid
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from hrm2.api.auth import Role, require
from hrm2.api.errors import Conflict, NotFound
from hrm2.audit import services as audit_services
from hrm2.audit.models import AuditEvent, AuditStatus, Document, EvaluationResult, TaskDocument
from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord
from hrm2.jobs import services as job_services
from hrm2.recommend.models import CandidateResult
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport
from hrm2.screening.outcome import review_outcome
from hrm2.videos.models import VideoAnalysis, VideoCorrection

logger = logging.getLogger("hrm2.privacy")
ERASED = "resume.erased"

# The kinds counted in an erasure, in the order they are reported.
KINDS = (
    "resumes",
    "resume_files",
    "screening_reports",
    "audit_documents",
    "audit_results",
    "audit_statuses",
    "cross_review_links",
    "interview_sessions",
    "qa_records",
    "interview_reports",
    "video_analyses",
    "video_corrections",
    "video_files",
    "group_evaluation_results",
)


# --- what a resume's data is ---------------------------------------------------------------


@dataclass
class Holdings:
    """Querysets over everything derived from one resume (read inside the caller's transaction)."""

    resume: Resume
    screening_reports: models.QuerySet
    interview_sessions: models.QuerySet
    qa_records: models.QuerySet
    interview_reports: models.QuerySet
    documents: models.QuerySet
    videos: models.QuerySet
    group_results: models.QuerySet

    def counts(self) -> dict[str, int]:
        videos = list(self.videos)
        documents = self.documents
        return {
            "resumes": 1,
            "resume_files": 1 if self.resume.original_file else 0,
            "screening_reports": self.screening_reports.count(),
            "audit_documents": documents.count(),
            "audit_results": EvaluationResult.objects.filter(document__in=documents).count(),
            "audit_statuses": AuditStatus.objects.filter(document__in=documents).count(),
            "cross_review_links": TaskDocument.objects.filter(document__in=documents).count(),
            "interview_sessions": self.interview_sessions.count(),
            "qa_records": self.qa_records.count(),
            "interview_reports": self.interview_reports.count(),
            "video_analyses": len(videos),
            "video_corrections": VideoCorrection.objects.filter(video__in=videos).count(),
            "video_files": sum(1 for video in videos if video.video_file),
            "group_evaluation_results": self.group_results.count(),
        }


def holdings(resume: Resume) -> Holdings:
    report_ids = [str(pk) for pk in resume.screening_reports.values_list("pk", flat=True)]
    answers = QARecord.objects.filter(session__resume=resume)
    qa_ids = [str(pk) for pk in answers.values_list("pk", flat=True)]
    documents = Document.objects.filter(
        Q(source_type=ContentType.objects.get_for_model(ScreeningReport), source_id__in=report_ids)
        | Q(source_type=ContentType.objects.get_for_model(QARecord), source_id__in=qa_ids)
    )
    return Holdings(
        resume=resume,
        screening_reports=ScreeningReport.objects.filter(resume=resume),
        interview_sessions=InterviewSession.objects.filter(resume=resume),
        qa_records=QARecord.objects.filter(session__resume=resume),
        interview_reports=InterviewReport.objects.filter(session__resume=resume),
        documents=documents,
        videos=VideoAnalysis.objects.filter(resume=resume).select_related("job"),
        group_results=CandidateResult.objects.filter(resume=resume),
    )


def _locked_resume(resume_id) -> Resume:
    resume = Resume.objects.select_for_update().filter(pk=resume_id).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    return resume


# --- erasure ----------------------------------------------------------------------------------


def erase_resume(*, resume_id, actor, reason: str = "request") -> dict[str, Any]:
    """Delete the resume and everything derived from it; one audit event says what and by whom.

    ``actor`` is the user who asked (``None`` for the retention purge). Returns
    ``{"resume_id", "deleted": {kind: count}, "event_id"}``."""
    with transaction.atomic():
        resume = _locked_resume(resume_id)
        held = holdings(resume)
        counts = held.counts()
        files = [resume.original_file] if resume.original_file else []
        for video in VideoAnalysis.objects.select_for_update().filter(resume=resume):
            if video.job_id and not video.job.is_finished:
                with suppress(Conflict):  # finished meanwhile
                    job_services.request_cancel(job=video.job)
            if video.video_file:
                files.append(video.video_file)
        stored = [(file.storage, file.name) for file in files]
        event = audit_services.record_event(
            actor=actor,
            action=ERASED,
            obj=resume,
            before={
                "position_id": str(resume.position_id),
                "source_kind": resume.source_kind,
                "created_at": resume.created_at.isoformat(),
            },
            after={"reason": reason, "deleted": counts},
        )
        held.documents.delete()  # results, review records and cross-review links cascade
        held.videos.delete()  # corrections cascade
        held.group_results.delete()
        # Screening reports, interview sessions, answers and reports cascade from the resume.
        Resume.objects.filter(pk=resume.pk).delete()
        transaction.on_commit(lambda: _delete_files(stored))
    logger.info("resume %s erased (%s) by %s", resume_id, reason, getattr(actor, "pk", "system"))
    return {"resume_id": str(resume_id), "deleted": counts, "event_id": event.pk}


def _delete_files(stored: list) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError as exc:  # logged; no row refers to the file any more
            logger.warning("could not delete file %s: %s", name, exc)


def expired_resume_ids(*, older_than: timedelta, now: datetime | None = None) -> list:
    cutoff = (now or timezone.now()) - older_than
    return list(
        Resume.objects.filter(created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )


def purge(*, older_than: timedelta, dry_run: bool = False) -> dict[str, Any]:
    """The retention period: erase every resume created more than ``older_than`` ago, each in its
    own transaction with its own audit event. ``dry_run`` only counts."""
    totals = dict.fromkeys(KINDS, 0)
    erased = 0
    for resume_id in expired_resume_ids(older_than=older_than):
        if dry_run:
            resume = Resume.objects.filter(pk=resume_id).first()
            counts = holdings(resume).counts() if resume is not None else {}
        else:
            try:
                counts = erase_resume(resume_id=resume_id, actor=None, reason="retention")[
                    "deleted"
                ]
            except NotFound:  # erased by someone else meanwhile
                continue
        erased += 1 if counts else 0
        for kind, n in counts.items():
            totals[kind] += n
    return {"resumes": erased, "deleted": totals, "dry_run": dry_run}


# --- export (a data subject access request) ------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored column of ``obj`` (foreign keys as ids), JSON-ready."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        out[field.attname] = _value(getattr(obj, field.attname))
    return out


def export_resume(*, resume_id) -> dict[str, Any]:
    """Everything HRM2 holds about the candidate of one resume, AI scores and evidence included."""
    resume = Resume.objects.select_related("position", "group").filter(pk=resume_id).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    held = holdings(resume)
    documents = list(
        held.documents.prefetch_related("results__point", "audit_statuses").order_by("pk")
    )
    videos = list(held.videos.prefetch_related("corrections"))
    document_ids = [d.pk for d in documents]
    event_filter = Q(document_id__in=document_ids) | Q(
        object_type=Resume._meta.label_lower, object_id=str(resume.pk)
    )
    if videos:
        event_filter |= Q(
            object_type=VideoAnalysis._meta.label_lower,
            object_id__in=[str(v.pk) for v in videos],
        )
    events = AuditEvent.objects.filter(event_filter).order_by("created_at", "id")
    sessions = held.interview_sessions.prefetch_related("records", "reports").order_by("created_at")
    return {
        "exported_at": timezone.now().isoformat(),
        "resume": {
            **_row(resume),
            "position_title": resume.position.title,
            "group_name": resume.group.group_name if resume.group_id else None,
        },
        # Each report with the human review in words: the decision that counts, who confirmed
        # it and each criterion a reviewer changed, next to the machine's.
        "screening_reports": [
            {**_row(report), "human_review": review_outcome(report)}
            for report in held.screening_reports.order_by("created_at", "id")
        ],
        "audit": {
            "documents": [
                {
                    **_row(document),
                    "results": [
                        {**_row(result), "point": _row(result.point)}
                        for result in document.results.all()
                    ],
                    "audit_statuses": [_row(status) for status in document.audit_statuses.all()],
                }
                for document in documents
            ],
            "events": [_row(event) for event in events],
        },
        "interview_sessions": [
            {
                **_row(session),
                "qa_records": [_row(record) for record in session.records.all()],
                "reports": [_row(report) for report in session.reports.all()],
            }
            for session in sessions
        ],
        "video_analyses": [
            {
                **_row(video),
                "corrections": [_row(correction) for correction in video.corrections.all()],
            }
            for video in videos
        ],
        "group_evaluation_results": [
            {**_row(row), "group_id": str(row.evaluation.group_id)}
            for row in held.group_results.select_related("evaluation").order_by("created_at")
        ],
    }


# --- the API ----------------------------------------------------------------------------------

router = Router(tags=["privacy"], auth=require(Role.HR))


@router.delete("/data/{uuid:resume_id}/", response=dict[str, Any])
def delete_resume(request, resume_id: uuid.UUID):
    """Erase the candidate of this resume: the stored file and every derived item (reports,
    audit documents, interview sessions, the linked video and its analysis, group-evaluation
    rows); one audit event records what was deleted and by whom."""
    result = erase_resume(resume_id=resume_id, actor=request.auth)
    request.success_message = _("Resume and all data derived from it deleted")
    return result


@router.get("/data/{uuid:resume_id}/export/", response=dict[str, Any])
def export_resume_data(request, resume_id: uuid.UUID):
    """Everything HRM2 holds about the candidate of this resume (a data subject access request):
    the resume, screening reports with scores and evidence, audit documents and events,
    interview sessions, video analysis and corrections, group-evaluation results."""
    return export_resume(resume_id=resume_id)
