"""Request and response shapes of screening tasks and reports."""

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict, StrictInt, model_validator

from hrm2.api.validation_messages import field_errors
from hrm2.jobs.models import Job

MAX_RESUMES_PER_TASK = 1000

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "resumes": gettext_lazy("Resumes"),
    "engine": gettext_lazy("Engine"),
    "task_id": gettext_lazy("Task"),
    "report_id": gettext_lazy("Report"),
    "format": gettext_lazy("Format"),
    "screening_task_id": gettext_lazy("Screening job"),
    "reviewer_ids": gettext_lazy("Reviewers"),
    "document_ids": gettext_lazy("Documents"),
}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class InlineResume(Strict):
    candidate_name: str | None = Field(None, max_length=200)
    resume_content: str = Field(..., min_length=1, max_length=200_000)


class ScreeningIn(Strict):
    """A position (``position_id`` or criteria JSON ``position``) and the resumes to screen."""

    position_id: UUID | None = None
    position: dict[str, Any] | None = None
    resume_data_ids: list[UUID] = Field(default_factory=list, max_length=MAX_RESUMES_PER_TASK)
    resumes: list[InlineResume] = Field(default_factory=list, max_length=MAX_RESUMES_PER_TASK)
    engine: str | None = Field(None, max_length=32)

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        if self.position_id is None and self.position is None:
            problems.append(("position_id", _("choose a saved position or give new criteria")))
        elif self.position_id is not None and self.position is not None:
            problems.append(("position_id", _("give a saved position or new criteria, not both")))
        count = len(set(self.resume_data_ids)) + len(self.resumes)
        if count == 0:
            problems.append(("resume_data_ids", _("choose at least one resume to screen")))
        elif count > MAX_RESUMES_PER_TASK:
            problems.append(
                (
                    "resume_data_ids",
                    _("at most %(count)d resumes per task") % {"count": MAX_RESUMES_PER_TASK},
                )
            )
        if problems:
            raise field_errors(*problems)
        return self


class SubmittedOut(Schema):
    task_id: UUID
    status: Literal["submitted"]
    total: int


class ReportSummaryOut(Schema):
    report_id: UUID = Field(alias="id")
    resume_id: UUID
    candidate_name: str = Field(alias="resume.candidate_name")
    status: str
    engine: str
    fallback_reason: str
    overall: float | None = Field(alias="overall_score")
    recommendation: str
    error: str


class TaskOut(Schema):
    """A screening task read straight from the model (its job carries status and counts)."""

    task_id: UUID = Field(alias="job_id")
    status: str = Field(alias="job.status")
    progress: int = Field(alias="job.progress")
    total: int = Field(alias="job.total")
    processed: int = Field(alias="job.processed")
    succeeded: int = Field(alias="job.succeeded")
    failed: int = Field(alias="job.failed")
    error: str = Field(alias="job.error")
    engine: str
    position_id: UUID
    position_title: str = Field(alias="position.title")
    criteria_version: int = Field(alias="criteria_version.number")
    created_at: datetime
    started_at: datetime | None = Field(alias="job.started_at")
    finished_at: datetime | None = Field(alias="job.finished_at")


class TaskDetailOut(TaskOut):
    results: list[ReportSummaryOut]

    @staticmethod
    def resolve_results(obj) -> list:
        return list(obj.reports.select_related("resume").order_by("created_at", "id"))


class TaskFilters(Schema):
    status: Job.Status | None = None


class DownloadQuery(Schema):
    format: Literal["md", "pdf", "docx", "json"] = "pdf"


# --- review assignment ---


AssignId = Annotated[StrictInt, Field(ge=1, le=2**63 - 1)]


class AssignmentIn(Schema):
    """Assign reviewers to one scope: a screening job, a resume group, or listed documents."""

    model_config = ConfigDict(extra="forbid")

    reviewer_ids: list[AssignId] = Field(..., min_length=1, max_length=50)
    screening_task_id: UUID | None = None
    group_id: UUID | None = None
    document_ids: list[AssignId] | None = Field(None, min_length=1, max_length=500)

    @model_validator(mode="after")
    def _one_scope(self):
        given = [
            name
            for name in ("screening_task_id", "group_id", "document_ids")
            if getattr(self, name) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                _("Choose exactly one of a screening job, a resume group or documents to assign.")
            )
        return self


class AssignedReviewerOut(Schema):
    id: int
    name: str


class AssignmentOut(Schema):
    task_id: int
    task_name: str
    task_created: bool
    reviewers: list[AssignedReviewerOut]
    document_ids: list[int]
    added_reviewer_ids: list[int]
    added_document_ids: list[int]
