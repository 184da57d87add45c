"""Reads on videos: the filtered list and one video with its job and reviewer."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
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


def corrections(*, video: VideoAnalysis) -> QuerySet[VideoCorrection]:
    """The reviewers' corrections of a video, newest first."""
    return video.corrections.select_related("reviewer").order_by("-created_at", "-id")
