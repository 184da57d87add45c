"""/video-analysis/ (seed 000 §3.3) and the resume ↔ video links (seed 000 §3.2)."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.api.body import is_multipart, parse_json_body
from hrm2.api.errors import UnsupportedMediaType, collect_validation
from hrm2.videos import selectors, services, uploads
from hrm2.videos.models import VideoAnalysis
from hrm2.videos.schemas import (
    DeletedOut,
    LinkIn,
    LinkOut,
    ReanalyzeIn,
    UnlinkIn,
    UnlinkOut,
    VideoFilters,
    VideoOut,
    VideoStatusOut,
    VideoUpdateIn,
)

link_router = Router(tags=["resume-screening"], auth=require(Role.HR))
router = Router(tags=["video-analysis"], auth=require())
WRITERS = require(Role.HR)
REVIEWERS = require(Role.REVIEWER, Role.HR)

UPLOAD_BODY_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "candidate_name": {"type": "string"},
                        "position_applied": {"type": "string"},
                        "resume_data_id": {"type": "string", "format": "uuid"},
                        "video_name": {"type": "string"},
                        "consent": {
                            "type": "boolean",
                            "description": "the candidate consented to the analysis of face "
                            "and voice; without it the video is stored but not analysed",
                        },
                        "video_file": {"type": "string", "format": "binary"},
                    },
                    "required": ["candidate_name", "position_applied", "video_file"],
                }
            }
        }
    }
}


@router.post("/", response={201: VideoOut}, auth=WRITERS, openapi_extra=UPLOAD_BODY_DOC)
def upload_video(request):
    """Upload an interview video (multipart); it is analysed in the background when the
    candidate's consent is given."""
    if not is_multipart(request):
        raise UnsupportedMediaType(detail=_("Send the video as multipart/form-data"))
    form, upload = collect_validation(
        lambda: uploads.read_form(request), lambda: uploads.uploaded_video(request)
    )
    info = uploads.probe_upload(upload)
    video = services.upload_video(form=form, upload=upload, info=info, user=request.auth)
    request.success_message = (
        _("Video uploaded; analysis queued")
        if video.consent
        else _("Video uploaded; it will not be analysed until the candidate's consent is recorded")
    )
    return Status(201, video)


@router.get("/list/", response=list[VideoOut])
@paginate
def list_videos(request, filters: Query[VideoFilters]):
    return selectors.video_list(filters=filters)


def _results(video: VideoAnalysis) -> dict | None:
    if video.machine_results is None or video.status != VideoAnalysis.Status.COMPLETED:
        return None
    return {
        **{field: getattr(video, field) for field in video.machine_results},
        "machine": video.machine_results,
        "review": {
            "fields": video.reviewed_fields,
            "reviewer": video.reviewed_by.username if video.reviewed_by else None,
            "reviewed_at": video.reviewed_at,
        },
        "personality": video.personality,
        "features": video.features,
        "signals": video.signals,
        "transcript": video.transcript,
        "timeline": video.timeline,
        "model_version": video.model_version,
        "analysed_at": video.analysed_at,
        "analysis_seconds": video.analysis_seconds,
    }


def _status(video: VideoAnalysis) -> dict:
    return {
        "id": video.pk,
        "status": video.status,
        "status_reason": video.status_reason,
        "progress": video.progress,
        "error": video.error or None,
        "consent": video.consent,
        "job_id": video.job_id,
        "media": video.media_info,
        "results": _results(video),
    }


@router.get("/{uuid:video_id}/status/", response=VideoStatusOut)
def video_status(request, video_id: UUID):
    video = services.sync_with_job(selectors.get_video(video_id=video_id))
    return _status(video)


@router.post("/{uuid:video_id}/update/", response=VideoStatusOut, auth=REVIEWERS)
def update_video(request, video_id: UUID, payload: VideoUpdateIn):
    """A reviewer corrects the results; the machine's values are kept beside them."""
    services.correct(video_id=video_id, data=payload, reviewer=request.auth)
    request.success_message = _("Video analysis updated")
    return _status(selectors.get_video(video_id=video_id))


@router.post("/{uuid:video_id}/reanalyze/", response={202: VideoStatusOut}, auth=WRITERS)
def reanalyze_video(request, video_id: UUID):
    """Analyse again (after a model update, or once consent is recorded: ``{"consent": true}``)."""
    consent = parse_json_body(request, ReanalyzeIn).consent if request.body else None
    services.reanalyze(video_id=video_id, user=request.auth, consent=consent)
    request.success_message = _("Analysis queued")
    return Status(202, _status(selectors.get_video(video_id=video_id)))


@router.delete("/{uuid:video_id}/", response=DeletedOut, auth=WRITERS)
def delete_video(request, video_id: UUID):
    """Delete the video file and everything derived from it."""
    services.delete_video(video_id=video_id)
    request.success_message = _("Video analysis deleted")
    return {"id": video_id, "deleted": True}


@link_router.post("/link-resume-to-video/", response=LinkOut)
def link_resume_to_video(request, payload: LinkIn):
    video = services.link(resume_id=payload.resume_data_id, video_id=payload.video_analysis_id)
    request.success_message = _("Resume linked to the video analysis")
    return {
        "resume_data_id": video.resume_id,
        "video_analysis_id": video.pk,
        "candidate_name": video.resume.candidate_name,
        "video_name": video.video_name,
    }


@link_router.post("/unlink-resume-from-video/", response=UnlinkOut)
def unlink_resume_from_video(request, payload: UnlinkIn):
    video = services.unlink(resume_id=payload.resume_data_id)
    request.success_message = _("Resume unlinked from the video analysis")
    return {
        "resume_data_id": video.unlinked_resume.pk,
        "disconnected_video_id": video.pk,
        "candidate_name": video.unlinked_resume.candidate_name,
        "video_name": video.video_name,
    }
