"""Writes on videos: upload, queue and store an analysis, reviewer corrections, re-analysis,
deletion; and linking a resume to its interview video."""

import logging
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrm2 import media
from hrm2.api.errors import Conflict, NotFound, ValidationFailed
from hrm2.audit import services as audit_services
from hrm2.jobs import services as job_services
from hrm2.jobs.models import Job
from hrm2.resumes.models import Resume
from hrm2.videos import conf
from hrm2.videos.models import (
    SCORE_FIELDS,
    TRAITS,
    VideoAnalysis,
    VideoCorrection,
)
from hrm2.videos.schemas import UploadFormIn, VideoUpdateIn

logger = logging.getLogger("hrm2.videos")
JOB_KIND = "video_analysis"
_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
Status, Reason = VideoAnalysis.Status, VideoAnalysis.Reason


def _resume(resume_id) -> Resume:
    resume = Resume.objects.select_for_update().filter(pk=resume_id).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    return resume


def _video_for_update(video_id) -> VideoAnalysis:
    video = VideoAnalysis.objects.select_for_update().filter(pk=video_id).first()
    if video is None:
        raise NotFound(_("Video analysis not found"))
    return video


# --- upload and analysis ----------------------------------------------------------------------


def _queue(video: VideoAnalysis, *, user) -> None:
    """Create the analysis job (sent to the broker when the transaction commits)."""
    video.job = job_services.create_job(
        kind=JOB_KIND, params={"video_id": str(video.pk)}, owner=user, total=1
    )
    video.status, video.status_reason = Status.PENDING, Reason.QUEUED
    video.progress, video.error = 0, ""


@transaction.atomic
def upload_video(*, form: UploadFormIn, upload, info: "media.MediaInfo", user) -> VideoAnalysis:
    """Store the (already probed) upload; queue the analysis only with the candidate's consent."""
    resume = None
    if form.resume_data_id is not None:
        resume = _resume(form.resume_data_id)
        if VideoAnalysis.objects.filter(resume=resume).exists():
            raise Conflict(_("The resume is already linked to another video"))
    video = VideoAnalysis(
        candidate_name=form.candidate_name,
        position_applied=form.position_applied,
        resume=resume,
        video_name=(form.video_name or upload.name or "")[:255],
        file_size=upload.size,
        media_info=info.as_dict(),
        consent=form.consent,
        consent_at=timezone.now() if form.consent else None,
        uploaded_by=user,
    )
    suffix = PurePath(upload.name or "").suffix.lower()
    # The stored name is ours (the id): a client's file name never becomes a path.
    video.video_file.save(
        f"{video.pk}{suffix if _SAFE_SUFFIX.match(suffix) else ''}", upload, save=False
    )
    if form.consent:
        _queue(video, user=user)
    else:
        video.status_reason = Reason.CONSENT_MISSING
    try:
        video.save()
    except Exception:
        video.video_file.delete(save=False)
        raise
    return video


def analysis_options() -> "media.Options":
    return media.Options(
        sample_fps=conf.sample_fps(),
        personality=conf.personality_enabled(),
        asr_model_dir=conf.asr_model_dir(),
    )


@contextmanager
def local_copy(video: VideoAnalysis) -> Iterator[str]:
    """A local path to the video: the file itself on local storage, else a temporary copy."""
    storage, name = video.video_file.storage, video.video_file.name
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="hrm2-video-") as folder:
        target = Path(folder) / (PurePath(name).name or "video")
        with storage.open(name, "rb") as source, target.open("wb") as sink:
            shutil.copyfileobj(source, sink, 1024 * 1024)
        yield str(target)


def start(*, video_id, job_id) -> VideoAnalysis | None:
    """Mark the video processing for this job; None if it was deleted or re-queued since."""
    updated = VideoAnalysis.objects.filter(pk=video_id, job_id=job_id).update(
        status=Status.PROCESSING, status_reason=Reason.NONE, error="", updated_at=timezone.now()
    )
    return VideoAnalysis.objects.filter(pk=video_id).first() if updated else None


def report_progress(*, video_id, job_id, progress: int) -> None:
    VideoAnalysis.objects.filter(pk=video_id, job_id=job_id).update(
        progress=Greatest(F("progress"), min(99, progress))
    )


def finish_failed(*, video_id, job_id, error: str) -> None:
    VideoAnalysis.objects.filter(pk=video_id, job_id=job_id).update(
        status=Status.FAILED, error=error[:4000], updated_at=timezone.now()
    )


def finish_cancelled(*, video_id, job_id) -> None:
    VideoAnalysis.objects.filter(pk=video_id, job_id=job_id).update(
        status=Status.PENDING, status_reason=Reason.CANCELLED, updated_at=timezone.now()
    )


def _machine_values(result: dict[str, Any]) -> dict[str, Any]:
    traits = (result["personality"].get("traits") or {}) if result["personality"] else {}
    values: dict[str, Any] = {
        "fraud_score": result["fraud"]["fraud_score"],
        "confidence_score": result["confidence"]["confidence_score"],
        "summary": result["summary"],
    }
    for trait in TRAITS:
        values[f"{trait}_score"] = traits[trait]["score"] if trait in traits else None
    return values


@transaction.atomic
def save_analysis(*, video_id, job_id, analysis: "media.Analysis") -> VideoAnalysis | None:
    """Store a finished analysis; the reviewer's corrections stay the effective values."""
    video = VideoAnalysis.objects.select_for_update().filter(pk=video_id, job_id=job_id).first()
    if video is None:
        return None
    result = analysis.result
    machine = _machine_values(result)
    video.machine_results = machine
    for field, value in machine.items():
        if field not in video.reviewed_fields:
            setattr(video, field, value)
    video.features = result["features"] | {"media": result["media"]}
    video.signals = {"events": result["signals"], **result["fraud"]}
    video.personality = result["personality"] | {"confidence": result["confidence"]}
    video.transcript = result["transcript"]
    video.timeline = result["timeline"]
    video.model_version = "/".join(
        v
        for v in (
            result["pipeline_version"],
            result["fraud"]["version"],
            result["personality"].get("version", ""),
        )
        if v
    )
    video.analysed_at = timezone.now()
    video.analysis_seconds = analysis.timings.get("total")
    if "status" not in video.reviewed_fields:
        video.status = Status.COMPLETED
    video.status_reason, video.progress, video.error = Reason.NONE, 100, ""
    video.save()
    return video


def sync_with_job(video: VideoAnalysis) -> VideoAnalysis:
    """A job the reaper failed (its worker died too often) leaves the video failed, not stuck."""
    job = video.job
    if video.status in (Status.PENDING, Status.PROCESSING) and job is not None:
        if job.status == Job.Status.FAILED:
            finish_failed(video_id=video.pk, job_id=job.pk, error=job.error)
            video.refresh_from_db()
        elif job.status == Job.Status.CANCELLED and video.status_reason == Reason.QUEUED:
            finish_cancelled(video_id=video.pk, job_id=job.pk)
            video.refresh_from_db()
    return video


@transaction.atomic
def reanalyze(*, video_id, user, consent: bool | None = None) -> VideoAnalysis:
    video = _video_for_update(video_id)
    if not video.video_file:
        raise Conflict(_("The video has no file to analyse"))
    if video.job_id and not video.job.is_finished and video.status_reason != Reason.CONSENT_MISSING:
        raise Conflict(_("The video is already being analysed"))
    if consent:
        video.consent, video.consent_at = True, timezone.now()
    if not video.consent:
        raise Conflict(
            _("The candidate's consent is missing; send consent=true once it is recorded"),
            errors=[{"loc": ["body", "consent"], "msg": "consent_missing", "type": "consent"}],
        )
    _queue(video, user=user)
    video.save()
    return video


@transaction.atomic
def correct(*, video_id, data: VideoUpdateIn, reviewer) -> VideoAnalysis:
    """Apply a reviewer's corrections and record who changed what from which value.

    The machine's values stay in ``machine_results``. When the audit module's event log lands,
    this is where each correction is also recorded there (one event per correction, with the
    reviewer, ``before`` and ``after``, linked to the video)."""
    video = _video_for_update(video_id)
    changes = data.model_dump(include=data.model_fields_set)
    scores = set(changes) & {*SCORE_FIELDS, "summary"}
    if scores and video.machine_results is None:
        raise Conflict(_("The video has no analysis results to correct yet"))
    before, after = {}, {}
    for field, value in changes.items():
        if value is None and field == "status":
            continue
        if getattr(video, field) != value:
            before[field], after[field] = getattr(video, field), value
            setattr(video, field, value)
    if after:
        video.reviewed_fields = sorted(set(video.reviewed_fields) | set(after))
        video.reviewed_by, video.reviewed_at = reviewer, timezone.now()
        video.save()
        VideoCorrection.objects.create(video=video, reviewer=reviewer, before=before, after=after)
        audit_services.record_event(
            actor=reviewer,
            action="video.corrected",
            obj=video,
            before=_jsonable(before),
            after=_jsonable(after),
        )
    return video


def _jsonable(values: dict) -> dict:
    return {
        k: (str(v) if not isinstance(v, (int, float, str, bool, type(None))) else v)
        for k, v in values.items()
    }


@transaction.atomic
def delete_video(*, video_id) -> None:
    """Delete the video, its file and everything derived from it (features, signals,
    transcript, corrections); a running analysis is asked to stop."""
    video = _video_for_update(video_id)
    if video.job_id and not video.job.is_finished:
        with suppress(Conflict):  # finished meanwhile
            job_services.request_cancel(job=video.job)
    file = video.video_file
    storage, name = file.storage, file.name
    video.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- resume ↔ video links ---------------------------------------------------------------------


def same_position(video: VideoAnalysis, resume: Resume) -> bool:
    """A video belongs to the position it was uploaded for (``position_applied``, compared with
    the resume's position title without case or surrounding spaces)."""
    return video.position_applied.strip().casefold() == resume.position.title.strip().casefold()


@transaction.atomic
def link(*, resume_id, video_id) -> VideoAnalysis:
    """Link a resume to a video of the same position (one to one; linking twice is a no-op).

    422 when the video was uploaded for another position, 409 when either side is taken."""
    resume = _resume(resume_id)
    video = _video_for_update(video_id)
    if video.resume_id == resume.pk:
        return video
    if not same_position(video, resume):
        raise ValidationFailed(
            _(
                "The video was uploaded for the position “%(video_position)s”, the resume "
                "belongs to “%(resume_position)s”: link a video of the same position"
            )
            % {"video_position": video.position_applied, "resume_position": resume.position.title},
            errors=[
                {
                    "loc": ["body", "video_analysis_id"],
                    "msg": _("The video belongs to another position"),
                    "type": "position_mismatch",
                }
            ],
        )
    if video.resume_id is not None:
        raise Conflict(_("The video is already linked to another resume"))
    if VideoAnalysis.objects.filter(resume=resume).exists():
        raise Conflict(_("The resume is already linked to another video"))
    video.resume = resume
    video.save(update_fields=["resume", "updated_at"])
    return video


@transaction.atomic
def unlink_video(*, video_id) -> VideoAnalysis:
    """Unlink a video from its resume (the console's unlink, by video); 404 when not linked."""
    video = _video_for_update(video_id)
    if video.resume_id is None:
        raise NotFound(_("The video is not linked to a resume"))
    return unlink(resume_id=video.resume_id)


@transaction.atomic
def unlink(*, resume_id) -> VideoAnalysis:
    resume = _resume(resume_id)
    video = VideoAnalysis.objects.select_for_update().filter(resume=resume).first()
    if video is None:
        raise NotFound(_("No video is linked to this resume"))
    video.resume = None
    video.save(update_fields=["resume", "updated_at"])
    video.unlinked_resume = resume
    return video
