"""/resume-screening/link-resume-to-video/ and …/unlink-resume-from-video/ (seed 000 §3.2)."""

from django.utils.translation import gettext as _
from ninja import Router

from hrm2.api.auth import Role, require
from hrm2.videos import services
from hrm2.videos.schemas import LinkIn, LinkOut, UnlinkIn, UnlinkOut

link_router = Router(tags=["resume-screening"], auth=require(Role.HR))
router = Router(tags=["video-analysis"], auth=require())


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
