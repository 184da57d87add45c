"""Request and response shapes of group evaluations and their reports."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from hrm2.ai.recommend import DIMENSIONS, WeightsError, normalise_weights
from hrm2.api.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE, MAX_PAGE_SIZE

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "include_video": gettext_lazy("Include video analyses"),
    "file_path": gettext_lazy("Report file"),
}
WEIGHT_PROBLEMS = {
    "unknown_dimension": gettext_lazy("unknown dimension %(key)s; known: %(known)s"),
    "negative": gettext_lazy("the weight of %(key)s must not be negative"),
    "all_zero": gettext_lazy("the weights must not all be zero"),
}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class EvaluationIn(Strict):
    group_id: UUID
    include_video: bool = False
    weights: dict[str, float] | None = Field(
        None, description="per dimension, ≥ 0; missing ones keep their default; normalised"
    )
    engine: str | None = Field(None, max_length=32)

    @field_validator("weights")
    @classmethod
    def _normalisable(cls, value: dict[str, float] | None) -> dict[str, float] | None:
        try:
            normalise_weights(value)
        except WeightsError as exc:
            problem = WEIGHT_PROBLEMS[exc.reason]
            raise ValueError(problem % {"key": exc.key, "known": ", ".join(DIMENSIONS)}) from exc
        return value


class SubmittedOut(Schema):
    task_id: UUID
    status: str
    group_id: UUID
    total: int


class EvaluationQuery(Schema):
    task_id: UUID | None = None
    group_id: UUID | None = None
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class TaskIdQuery(Schema):
    task_id: UUID


class EvaluationOut(Schema):
    """A group evaluation read straight from the model (its job carries status and counts)."""

    task_id: UUID = Field(alias="job_id")
    status: str = Field(alias="job.status")
    progress: int = Field(alias="job.progress")
    total: int = Field(alias="job.total")
    processed: int = Field(alias="job.processed")
    succeeded: int = Field(alias="job.succeeded")
    failed: int = Field(alias="job.failed")
    error: str = Field(alias="job.error")
    group_id: UUID
    group_name: str = Field(alias="group.group_name")
    group_status: str = Field(alias="group.status")
    position_title: str = Field(alias="group.position.title")
    engine: str
    include_video: bool
    weights: dict[str, float]
    created_at: datetime
    started_at: datetime | None = Field(alias="job.started_at")
    finished_at: datetime | None = Field(alias="job.finished_at")


class CoverageOut(Schema):
    """Which inputs the result rests on (see ``hrm2.ai.recommend.Coverage``)."""

    sources: list[str] = Field(description="inputs with evidence: screening, interview, video")
    missing: list[str] = Field(description="scored inputs without evidence")
    confirmed: list[str] = Field(description="inputs a person confirmed or reviewed")
    text: str = Field(description="in words, e.g. 筛选（人工已确认） + 视频（人工已复核），无面试")
    level_cap: str | None = Field(description="best level reachable with this coverage")
    capped: bool = Field(description="the score's level was lowered to the cap")
    note: str = Field(description="the cap in words")


class CandidateOut(Schema):
    candidate_id: UUID = Field(alias="id")
    resume_id: UUID | None
    name: str = Field(alias="candidate_name")
    status: str
    final_score: float | None
    level: str
    level_label: str = Field("", description="the level in words, in the evaluation's language")
    coverage: CoverageOut | None = None
    effective_weights: dict[str, float] = Field(
        default_factory=dict, description="weights renormalised over the scored dimensions"
    )
    engine: str
    fallback_reason: str
    error: str
    result: dict[str, Any] | None
    inputs: dict[str, Any] | None = Field(description="the input snapshot the result rests on")

    @staticmethod
    def resolve_level_label(obj) -> str:
        return (obj.result or {}).get("level_label") or ""

    @staticmethod
    def resolve_coverage(obj) -> dict | None:
        return (obj.result or {}).get("coverage")

    @staticmethod
    def resolve_effective_weights(obj) -> dict:
        return (obj.result or {}).get("effective_weights") or {}


class ReportFileOut(Schema):
    id: UUID
    format: str
    name: str
    size: int
    download_url: str
    created_at: datetime

    @staticmethod
    def resolve_download_url(obj) -> str:
        return f"/final-recommend/download-report/{obj.name}"


class EvaluationDetailOut(EvaluationOut):
    result: dict[str, Any] | None
    candidates: list[CandidateOut]
    reports: list[ReportFileOut]

    @staticmethod
    def resolve_candidates(obj) -> list:
        return obj.candidate_rows

    @staticmethod
    def resolve_reports(obj) -> list:
        return list(obj.report_files.all())


class EvaluationPageOut(Schema):
    items: list[EvaluationOut]
    total: int
    page: int
    page_size: int
    pages: int


class DeletedOut(Schema):
    task_id: UUID
    cancelled: bool
    deleted_files: int


class DownloadQuery(Schema):
    format: Literal["md", "pdf", "docx"] = "pdf"
