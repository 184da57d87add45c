"""Request and response shapes of the resume ↔ video links and of /video-analysis/."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator

from hrm2.api.validation_messages import single_spaced
from hrm2.videos.models import VideoAnalysis

# The words validation messages (and the console's correction form) use for these fields
# (registered in apps.py).
FIELD_LABELS = {
    "video_id": gettext_lazy("Video"),
    "video_analysis_id": gettext_lazy("Video"),
    "video_file": gettext_lazy("Video file"),
    "video_name": gettext_lazy("Video name"),
    "position_applied": gettext_lazy("Position applied for"),
    "consent": gettext_lazy("Consent"),
    "fraud_score": gettext_lazy("Fraud score"),
    "openness_score": gettext_lazy("Openness"),
    "conscientiousness_score": gettext_lazy("Conscientiousness"),
    "extraversion_score": gettext_lazy("Extraversion"),
    "agreeableness_score": gettext_lazy("Agreeableness"),
    "neuroticism_score": gettext_lazy("Neuroticism"),
    "confidence_score": gettext_lazy("Confidence"),
    "summary": gettext_lazy("Summary"),
}


class LinkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    resume_data_id: UUID
    video_analysis_id: UUID


class UnlinkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    resume_data_id: UUID


class LinkOut(Schema):
    resume_data_id: UUID
    video_analysis_id: UUID
    candidate_name: str
    video_name: str


class UnlinkOut(Schema):
    resume_data_id: UUID
    disconnected_video_id: UUID
    candidate_name: str
    video_name: str


# --- /video-analysis/ ---------------------------------------------------------------------

Score = Annotated[float, Field(ge=0.0, le=1.0)]
StatusName = Literal["pending", "processing", "completed", "failed"]


class UploadFormIn(Schema):
    """The multipart form fields of an upload (the file itself is ``video_file``)."""

    model_config = ConfigDict(extra="forbid")
    candidate_name: str = Field(..., min_length=1, max_length=200)
    position_applied: str = Field(..., min_length=1, max_length=200)
    resume_data_id: UUID | None = None
    video_name: str | None = Field(None, max_length=255)
    consent: bool = False

    _not_blank = field_validator("candidate_name", "position_applied")(single_spaced)


class VideoFilters(Schema):
    candidate_name: str | None = Field(None, max_length=200)
    position_applied: str | None = Field(None, max_length=200)
    status: StatusName | None = None


class VideoUpdateIn(Schema):
    """A reviewer's correction; every field optional, at least one given."""

    model_config = ConfigDict(extra="forbid")
    fraud_score: Score | None = None
    openness_score: Score | None = None
    conscientiousness_score: Score | None = None
    extraversion_score: Score | None = None
    agreeableness_score: Score | None = None
    neuroticism_score: Score | None = None
    confidence_score: Score | None = None
    summary: str | None = Field(None, max_length=20_000)
    status: StatusName | None = None

    @model_validator(mode="after")
    def _something(self):
        if not self.model_fields_set:
            raise ValueError(_("Give at least one value to correct."))
        return self


class ReanalyzeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    consent: bool | None = None


class VideoOut(Schema):
    id: UUID
    candidate_name: str
    position_applied: str
    resume_data_id: UUID | None = Field(None, alias="resume_id")
    video_name: str
    file_size: int
    duration: float | None
    status: str
    status_reason: str
    progress: int
    consent: bool
    job_id: UUID | None
    fraud_score: float | None
    openness_score: float | None
    conscientiousness_score: float | None
    extraversion_score: float | None
    agreeableness_score: float | None
    neuroticism_score: float | None
    confidence_score: float | None
    reviewed: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_duration(obj: VideoAnalysis) -> float | None:
        return (obj.media_info or {}).get("duration")

    @staticmethod
    def resolve_reviewed(obj: VideoAnalysis) -> bool:
        return bool(obj.reviewed_fields)


class ReviewOut(Schema):
    fields: list[str]
    reviewer: str | None
    reviewed_at: datetime | None


class ResultsOut(Schema):
    fraud_score: float | None
    openness_score: float | None
    conscientiousness_score: float | None
    extraversion_score: float | None
    agreeableness_score: float | None
    neuroticism_score: float | None
    confidence_score: float | None
    summary: str
    machine: dict[str, Any]
    review: ReviewOut
    personality: dict[str, Any]
    features: dict[str, Any]
    signals: dict[str, Any]
    transcript: dict[str, Any]
    timeline: dict[str, Any]
    model_version: str
    analysed_at: datetime | None
    analysis_seconds: float | None


class VideoStatusOut(Schema):
    id: UUID
    status: str
    status_reason: str
    progress: int
    error: str | None
    consent: bool
    job_id: UUID | None
    media: dict[str, Any]
    results: ResultsOut | None


class DeletedOut(Schema):
    id: UUID
    deleted: bool
