"""The recruitment criteria schema (validated, unknown keys rejected) and position outputs."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator, model_validator

from hrm2.ai.criteria import matching_plan
from hrm2.api.validation_messages import field_errors, single_spaced

EducationLevel = Literal["大专", "本科", "硕士", "博士"]
SkillList = list[str]
MAX_LIST_ITEMS = 100
MAX_TERM_CHARS = 100

# The words validation messages use for these fields (registered in apps.py).
FIELD_LABELS = {
    "position": gettext_lazy("Position"),
    "id": pgettext_lazy("field", "ID"),
    "department": gettext_lazy("Department"),
    "description": pgettext_lazy("field", "Description"),
    "required_skills": gettext_lazy("Required skills"),
    "optional_skills": gettext_lazy("Optional skills"),
    "min_experience": gettext_lazy("Minimum years of experience"),
    "education": gettext_lazy("Education"),
    "certifications": gettext_lazy("Certifications"),
    "salary_range": gettext_lazy("Salary range"),
    "salary_min": gettext_lazy("Minimum salary"),
    "salary_max": gettext_lazy("Maximum salary"),
    "project_requirements": gettext_lazy("Project requirements"),
    "min_projects": gettext_lazy("Minimum projects"),
    "team_lead_experience": gettext_lazy("Team lead experience required"),
    "weights": gettext_lazy("Weights"),
    "weights.skills": gettext_lazy("Skills weight"),
    "weights.experience": gettext_lazy("Experience weight"),
    "weights.education": gettext_lazy("Education weight"),
    "weights.certifications": gettext_lazy("Certifications weight"),
    "weights.projects": gettext_lazy("Projects weight"),
    "weights.leadership": gettext_lazy("Leadership weight"),
    "is_active": gettext_lazy("Active"),
    "keyword": gettext_lazy("Keyword"),
}


def _clean_terms(values: list[str]) -> list[str]:
    """Strip, drop empties, and de-duplicate case-insensitively keeping the first spelling."""
    seen: set[str] = set()
    cleaned = []
    for value in values:
        term = " ".join(value.split())
        if not term:
            continue
        if len(term) > MAX_TERM_CHARS:
            raise ValueError(
                _("each item must be at most %(count)d characters") % {"count": MAX_TERM_CHARS}
            )
        if term.casefold() not in seen:
            seen.add(term.casefold())
            cleaned.append(term)
    return cleaned


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ProjectRequirements(Strict):
    min_projects: int = Field(0, ge=0, le=100)
    team_lead_experience: bool = False


class Weights(Strict):
    skills: float | None = Field(None, ge=0, le=1)
    experience: float | None = Field(None, ge=0, le=1)
    education: float | None = Field(None, ge=0, le=1)
    certifications: float | None = Field(None, ge=0, le=1)
    projects: float | None = Field(None, ge=0, le=1)
    leadership: float | None = Field(None, ge=0, le=1)

    @model_validator(mode="after")
    def _some_weight(self):
        given = [v for v in self.model_dump().values() if v is not None]
        if given and sum(given) <= 0:
            raise ValueError(_("at least one weight must be greater than 0"))
        return self


class CriteriaFields(Strict):
    """Everything of the criteria except the title; shared by create and partial update."""

    department: str = Field("", max_length=200)
    description: str = Field("", max_length=20000)
    required_skills: SkillList = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    optional_skills: SkillList = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    min_experience: float = Field(0, ge=0, le=60)
    education: list[EducationLevel] = Field(default_factory=list, max_length=4)
    certifications: SkillList = Field(default_factory=list, max_length=MAX_LIST_ITEMS)
    salary_range: tuple[int, int] | None = None
    project_requirements: ProjectRequirements = Field(default_factory=ProjectRequirements)
    weights: Weights | None = None

    @field_validator("required_skills", "optional_skills", "certifications")
    @classmethod
    def _clean(cls, values: list[str]) -> list[str]:
        return _clean_terms(values)

    @field_validator("education")
    @classmethod
    def _unique_education(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    @field_validator("salary_range")
    @classmethod
    def _salary_order(cls, value):
        if value is not None:
            low, high = value
            if low < 0 or high < 0:
                raise ValueError(_("a salary must not be negative"))
            if low > high:
                raise ValueError(_("the minimum must not be greater than the maximum"))
        return value

    @model_validator(mode="after")
    def _skills_disjoint(self):
        required = {s.casefold() for s in self.required_skills}
        both = [s for s in self.optional_skills if s.casefold() in required]
        if both:
            listed = _("already listed as required: %(skills)s") % {"skills": ", ".join(both)}
            raise field_errors(("optional_skills", listed))
        return self


class CriteriaIn(CriteriaFields):
    id: UUID | None = None
    position: str = Field(..., min_length=1, max_length=200)

    @field_validator("position")
    @classmethod
    def _title(cls, value: str) -> str:
        return single_spaced(value)


class CriteriaPatch(Strict):
    """PATCH: any subset of the criteria fields, and ``is_active`` to restore an archived one."""

    position: str | None = Field(None, min_length=1, max_length=200)
    department: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=20000)
    required_skills: SkillList | None = Field(None, max_length=MAX_LIST_ITEMS)
    optional_skills: SkillList | None = Field(None, max_length=MAX_LIST_ITEMS)
    min_experience: float | None = Field(None, ge=0, le=60)
    education: list[EducationLevel] | None = Field(None, max_length=4)
    certifications: SkillList | None = Field(None, max_length=MAX_LIST_ITEMS)
    salary_range: tuple[int, int] | None = None
    project_requirements: ProjectRequirements | None = None
    weights: Weights | None = None
    is_active: bool | None = None


class PositionOut(Schema):
    id: UUID
    title: str
    department: str
    is_active: bool
    version: int
    version_id: UUID
    criteria: dict
    matching: list[dict] = Field(
        default_factory=list,
        description="per skill and certificate: how the screening engine will match it "
        "(strategy, parts, depth) and a warning where it can only be matched loosely",
    )
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    saved_at: datetime
    archived_at: datetime | None

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.latest_version.number

    @staticmethod
    def resolve_version_id(obj):
        return obj.latest_version.id

    @staticmethod
    def resolve_criteria(obj) -> dict:
        return obj.latest_version.criteria

    @staticmethod
    def resolve_matching(obj) -> list[dict]:
        return matching_plan(obj.latest_version.criteria, get_language() or "zh-hans")

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.username if obj.created_by else None


class PositionSummaryOut(Schema):
    id: UUID
    title: str
    department: str
    is_active: bool
    version: int
    required_skills: list[str]
    min_experience: float
    created_at: datetime
    saved_at: datetime

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.latest_version.number

    @staticmethod
    def resolve_required_skills(obj) -> list[str]:
        return obj.latest_version.criteria.get("required_skills", [])

    @staticmethod
    def resolve_min_experience(obj) -> float:
        return obj.latest_version.criteria.get("min_experience", 0)


class CriteriaVersionOut(Schema):
    id: UUID
    number: int
    criteria: dict
    created_by: str | None
    created_at: datetime

    @staticmethod
    def resolve_created_by(obj) -> str | None:
        return obj.created_by.username if obj.created_by else None


class PositionListFilters(Schema):
    is_active: bool | None = None
    keyword: str | None = Field(None, max_length=200)
