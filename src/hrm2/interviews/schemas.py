"""Request and response shapes of interview sessions, questions, answers and reports."""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator

from hrm2.api.validation_messages import blank_error, require_text, single_spaced

DEFAULT_CATEGORIES = ["简历相关", "专业能力", "行为面试"]
MAX_CONFIG_KEYS = 50

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "session_id": gettext_lazy("Interview session"),
    "interviewer_name": gettext_lazy("Interviewer name"),
    "job_config": gettext_lazy("Job configuration"),
    "company_config": gettext_lazy("Company configuration"),
    "categories": gettext_lazy("Question categories"),
    "candidate_level": gettext_lazy("Candidate level"),
    "focus_on_resume": gettext_lazy("Ask about the resume"),
    "count_per_category": gettext_lazy("Questions per category"),
    "question": gettext_lazy("Question"),
    "question.id": gettext_lazy("Generated question"),
    "question.content": gettext_lazy("Question text"),
    "expected_skills": gettext_lazy("Expected skills"),
    "difficulty": gettext_lazy("Difficulty"),
    "answer": gettext_lazy("Answer"),
    "answer.content": gettext_lazy("Answer text"),
    "duration_seconds": gettext_lazy("Answer duration (seconds)"),
    "skip_evaluation": gettext_lazy("Skip the evaluation"),
    "include_conversation_log": gettext_lazy("Include the conversation log"),
    "hr_notes": gettext_lazy("HR notes"),
}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


def _small_dict(value: dict[str, Any]) -> dict[str, Any]:
    if len(value) > MAX_CONFIG_KEYS:
        raise ValueError(_("at most %(count)d keys") % {"count": MAX_CONFIG_KEYS})
    return value


class SessionIn(Strict):
    resume_data_id: UUID
    interviewer_name: str = Field("面试官", min_length=1, max_length=100)
    job_config: dict[str, Any] = Field(default_factory=dict)
    company_config: dict[str, Any] = Field(default_factory=dict)
    engine: str | None = Field(None, max_length=32)

    _small = field_validator("job_config", "company_config")(_small_dict)
    _name = field_validator("interviewer_name")(single_spaced)


class SessionFilters(Schema):
    resume_data_id: UUID | None = None
    status: Literal["active", "ended"] | None = None


class GenerateQuestionsIn(Strict):
    categories: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CATEGORIES), min_length=1, max_length=10
    )
    candidate_level: Literal["junior", "mid", "senior", "expert"] = "senior"
    focus_on_resume: bool = True
    count_per_category: int = Field(2, ge=1, le=10)

    @field_validator("categories")
    @classmethod
    def _categories(cls, values: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(" ".join(v.split()) for v in values if v.strip()))
        if not cleaned:
            raise blank_error()
        return cleaned


class QuestionRefIn(Strict):
    id: str | None = Field(None, max_length=32)
    content: str | None = Field(None, max_length=2000)
    expected_skills: list[str] = Field(default_factory=list, max_length=20)
    difficulty: int | None = Field(None, ge=1, le=10)

    @model_validator(mode="after")
    def _one(self):
        if self.content is not None:
            self.content = self.content.strip()
        if not self.id and not self.content:
            raise ValueError(_("choose a generated question or write one"))
        return self


class AnswerIn(Strict):
    content: str = Field(..., max_length=20000)
    duration_seconds: float | None = Field(None, ge=0, le=36000)

    _not_empty = field_validator("content")(require_text)


class RecordQAIn(Strict):
    question: QuestionRefIn
    answer: AnswerIn
    skip_evaluation: bool = False


class GenerateReportIn(Strict):
    include_conversation_log: bool = True
    hr_notes: str = Field("", max_length=5000)


class DownloadQuery(Schema):
    format: Literal["md", "pdf", "docx", "json"] = "pdf"


class SessionCreatedOut(Schema):
    session_id: UUID = Field(alias="id")
    candidate_name: str = Field(alias="resume.candidate_name")
    position_title: str
    status: str
    created_at: datetime
    resume_summary: dict
    interviewer_name: str
    engine: str


class SessionOut(SessionCreatedOut):
    resume_data_id: UUID = Field(alias="resume_id")
    position_id: UUID
    job_config: dict
    company_config: dict
    ended_at: datetime | None
    question_count: int
    record_count: int

    @staticmethod
    def resolve_question_count(obj) -> int:
        return len(obj.questions or [])

    @staticmethod
    def resolve_record_count(obj) -> int:
        count = getattr(obj, "record_count", None)
        return count if count is not None else obj.records.count()


class QARecordOut(Schema):
    qa_record_id: UUID = Field(alias="id")
    round_number: int
    question: dict
    answer: str
    duration_seconds: float | None
    evaluated: bool
    engine: str
    fallback_reason: str
    normalized_score: float | None
    evaluation: dict | None
    followup_recommendation: dict | None
    hr_action_hints: list[str]
    created_at: datetime


class SessionDetailOut(SessionOut):
    criteria: dict
    questions: list[dict]
    resume_highlights: list[dict]
    qa_records: list[QARecordOut]
    report: dict | None

    @staticmethod
    def resolve_qa_records(obj) -> list:
        return list(obj.records.all())

    @staticmethod
    def resolve_report(obj) -> dict | None:
        return getattr(obj, "latest_report_data", None)


class QuestionShortfall(Schema):
    category: str
    requested: int
    available: int


class QuestionsOut(Schema):
    session_id: UUID
    engine: str
    fallback_reason: str | None
    questions: list[dict]
    resume_highlights: list[dict]
    interest_points: list[str]
    total_in_pool: int
    shortfalls: list[QuestionShortfall] = Field(
        default_factory=list,
        description="categories that got fewer new questions than asked for "
        "(the session has already been given the others)",
    )


class RecordOut(Schema):
    round_number: int
    qa_record_id: UUID
    evaluation: dict | None
    followup_recommendation: dict | None
    hr_action_hints: list[str]
    engine: str | None
    fallback_reason: str | None


class ReportOut(Schema):
    report_id: UUID
    report: dict
    report_file_url: str
    download_urls: dict[str, str]
