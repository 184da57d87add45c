"""Writes on videos: linking a resume to its interview video and unlinking it."""

from django.db import transaction
from django.utils.translation import gettext as _

from hrm2.api.errors import Conflict, NotFound
from hrm2.resumes.models import Resume
from hrm2.videos.models import VideoAnalysis


def _resume(resume_id) -> Resume:
    resume = Resume.objects.select_for_update().filter(pk=resume_id).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    return resume


@transaction.atomic
def link(*, resume_id, video_id) -> VideoAnalysis:
    resume = _resume(resume_id)
    video = VideoAnalysis.objects.select_for_update().filter(pk=video_id).first()
    if video is None:
        raise NotFound(_("Video analysis not found"))
    if video.resume_id == resume.pk:
        return video
    if video.resume_id is not None:
        raise Conflict(_("The video is already linked to another resume"))
    if VideoAnalysis.objects.filter(resume=resume).exists():
        raise Conflict(_("The resume is already linked to another video"))
    video.resume = resume
    video.save(update_fields=["resume", "updated_at"])
    return video


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
