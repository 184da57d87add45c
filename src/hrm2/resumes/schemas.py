"""Request and response shapes of /resume-screening/ resume data and groups."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, computed_field, field_validator, model_validator

from hrm2.api.validation_messages import field_errors, require_text, single_spaced
from hrm2.resumes.models import Resume, ResumeGroup
from hrm2.resumes.vocabulary import RECOMMENDATIONS, RESUME_STATUSES, REVIEW_STATES, label

MAX_RESUME_CHARS = 200_000

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "position_id": gettext_lazy("Position"),
    "position_title": gettext_lazy("Position title"),
    "position_details": gettext_lazy("Position details"),
    "candidate_name": gettext_lazy("Candidate name"),
    "resume_content": gettext_lazy("Resume text"),
    "resume_id": gettext_lazy("Resume"),
    "resume_data_id": gettext_lazy("Resume"),
    "resume_data_ids": gettext_lazy("Resumes"),
    "resume_ids": gettext_lazy("Resumes"),
    "group_id": gettext_lazy("Resume group"),
    "group_name": gettext_lazy("Group name"),
    "include_resumes": gettext_lazy("Include the resumes"),
    "status": gettext_lazy("Status"),
    "min_score": gettext_lazy("Minimum score"),
    "recommendation": gettext_lazy("Decision"),
    "min_machine_score": gettext_lazy("Minimum machine score"),
    "machine_recommendation": gettext_lazy("Machine decision"),
    "review_state": gettext_lazy("Review state"),
    "sort": gettext_lazy("Sort"),
    "files": gettext_lazy("Files"),
    "file": gettext_lazy("File"),
}


def _position_given(position_id, position_title) -> None:
    if position_id is None and not (position_title or "").strip():
        raise field_errors(("position_id", _("choose a saved position or give a position title")))


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ResumeCreateIn(Strict):
    """The seed's fields (``position_title`` + ``position_details``), or ``position_id``."""

    position_id: UUID | None = None
    position_title: str | None = Field(None, min_length=1, max_length=200)
    position_details: dict[str, Any] | None = None
    candidate_name: str | None = Field(None, max_length=200)
    resume_content: str = Field(..., min_length=1, max_length=MAX_RESUME_CHARS)

    _content = field_validator("resume_content")(require_text)

    @model_validator(mode="after")
    def _position(self):
        _position_given(self.position_id, self.position_title)
        return self


class ResumeOut(BaseModel):
    # A plain pydantic model, not a ninja Schema: lists validate plain rows (dicts) several
    # times faster without ninja's per-item attribute resolver; objects still work.
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    position_id: UUID
    position_title: str
    group_id: UUID | None
    candidate_name: str
    status: str
    latest_score: float | None
    confirmed_score: float | None
    latest_recommendation: str
    confirmed_recommendation: str = ""
    review_state: str = ""
    decision_score: float | None = None
    decision_recommendation: str = ""
    source_kind: str
    original_filename: str
    warnings: list[dict]
    content_length: int
    created_at: datetime
    updated_at: datetime

    # ``position_title`` and ``content_length`` are annotated by the selectors, so lists are
    # read as plain rows: no model instances, no join objects, no resume text.

    @computed_field
    def status_label(self) -> str:
        return label(RESUME_STATUSES, self.status)

    @computed_field
    def decision_label(self) -> str:
        """The decision in words; says whether a reviewer confirmed it."""
        return label(RECOMMENDATIONS, self.decision_recommendation)

    @computed_field
    def machine_recommendation_label(self) -> str:
        return label(RECOMMENDATIONS, self.latest_recommendation)

    @computed_field
    def review_state_label(self) -> str:
        return label(REVIEW_STATES, self.review_state)


class ResumeDetailOut(ResumeOut):
    content: str
    report: dict | None = None


class ResumeCreatedOut(Schema):
    id: UUID
    candidate_name: str
    position_id: UUID
    status: str
    warnings: list[dict]


class UploadFormIn(Strict):
    """Form fields sent with ``files``: the position, and a name if there is one file."""

    position_id: UUID | None = None
    position_title: str | None = Field(None, min_length=1, max_length=200)
    position_details: dict[str, Any] | None = None
    candidate_name: str | None = Field(None, max_length=200)

    @model_validator(mode="after")
    def _position(self):
        _position_given(self.position_id, self.position_title)
        return self


class UploadOutcomeOut(Schema):
    filename: str
    status: str  # accepted | duplicate | rejected
    code: int
    resume_id: UUID | None
    candidate_name: str | None = None
    reason: str
    warnings: list[dict]


class UploadOut(Schema):
    items: list[UploadOutcomeOut]
    accepted: int
    duplicates: int
    rejected: int


Recommendation = Literal["interview", "reserve", "reject"]
ReviewState = Literal["none", "pending", "confirmed"]
# newest first; or by score, highest first (unscreened last): the decision's or the machine's.
ResumeSort = Literal["newest", "score", "machine_score"]


class ResumeFilters(BaseModel):
    candidate_name: str | None = Field(None, max_length=200)
    position_title: str | None = Field(None, max_length=200)
    position_id: UUID | None = None
    group_id: UUID | None = None
    status: Resume.Status | None = None
    # The decision HR acts on: the reviewer's once confirmed, else the machine's.
    min_score: float | None = Field(None, ge=0, le=100)
    recommendation: Recommendation | None = None
    # The machine's own, whatever a reviewer decided.
    min_machine_score: float | None = Field(None, ge=0, le=100)
    machine_recommendation: Recommendation | None = None
    review_state: ReviewState | None = None
    sort: ResumeSort = "newest"


class GroupCreateIn(Strict):
    group_name: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    resume_data_ids: list[UUID] = Field(..., min_length=1, max_length=1000)

    _name = field_validator("group_name")(single_spaced)


class GroupMemberIn(Strict):
    group_id: UUID
    resume_data_id: UUID


class GroupStatusIn(Strict):
    group_id: UUID
    status: ResumeGroup.Status


class GroupFilters(Schema):
    position_title: str | None = Field(None, max_length=200)
    status: ResumeGroup.Status | None = None
    include_resumes: bool = False


class GroupOut(Schema):
    id: UUID
    group_name: str
    description: str
    status: str
    position_id: UUID
    position_title: str
    resume_count: int
    created_at: datetime
    updated_at: datetime
    resumes: list[ResumeOut] | None = None

    @staticmethod
    def resolve_position_title(obj: ResumeGroup) -> str:
        return obj.position.title

    @staticmethod
    def resolve_resumes(obj: ResumeGroup) -> list | None:
        return getattr(obj, "included_resumes", None)


class GroupSummaryOut(Schema):
    total_resumes: int
    status: str
    created_at: datetime


class GroupDetailOut(Schema):
    group: GroupOut
    summary: GroupSummaryOut


class GroupChangeOut(Schema):
    group_id: UUID
    group_name: str
    status: str
    resume_count: int
