"""Reads on videos: the filtered list, one video with its job and reviewer, and what a video
or a resume can be linked to."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.resumes.models import Resume
from hrm2.videos.models import VideoAnalysis, VideoCorrection
from hrm2.videos.schemas import VideoFilters

# Lists never load the (large) analysis JSON.
HEAVY_FIELDS = ("features", "signals", "personality", "transcript", "timeline", "summary")


def video_list(*, filters: VideoFilters) -> QuerySet[VideoAnalysis]:
    videos = VideoAnalysis.objects.defer(*HEAVY_FIELDS).order_by("-created_at", "-id")
    if filters.candidate_name:
        videos = videos.filter(candidate_name__icontains=filters.candidate_name)
    if filters.position_applied:
        videos = videos.filter(position_applied__icontains=filters.position_applied)
    if filters.status:
        videos = videos.filter(status=filters.status)
    return videos


def get_video(*, video_id) -> VideoAnalysis:
    video = VideoAnalysis.objects.select_related("job", "reviewed_by").filter(pk=video_id).first()
    if video is None:
        raise NotFound(_("Video analysis not found"))
    return video


def linkable_resumes(*, video: VideoAnalysis) -> QuerySet[Resume]:
    """Resumes of the video's position (by title, as ``services.same_position``) that no other
    video is linked to, by candidate name; for the link control of the video page."""
    title = video.position_applied.strip()
    return (
        Resume.objects.filter(position__title__iexact=title)
        .filter(Q(video__isnull=True) | Q(video=video))
        .select_related("group")
        .only("id", "candidate_name", "created_at", "group__group_name")
        .order_by("candidate_name", "-created_at", "id")
    )


def linkable_videos(*, resume: Resume) -> QuerySet[VideoAnalysis]:
    """Videos uploaded for the resume's position and linked to no resume yet, newest first;
    for the link control of the candidate page."""
    return (
        VideoAnalysis.objects.filter(
            position_applied__iexact=resume.position.title.strip(), resume__isnull=True
        )
        .defer(*HEAVY_FIELDS)
        .order_by("-created_at", "-id")
    )


def linked_video(*, resume: Resume) -> VideoAnalysis | None:
    return VideoAnalysis.objects.defer(*HEAVY_FIELDS).filter(resume=resume).first()


def corrections(*, video: VideoAnalysis) -> QuerySet[VideoCorrection]:
    """The reviewers' corrections of a video, newest first."""
    return video.corrections.select_related("reviewer").order_by("-created_at", "-id")
