"""The screening interface shared by every engine: result schema, criteria model and registry.

An engine is any object with ``name``, ``version`` and
``screen(resume_text, criteria, *, language="zh-hans", received=None) -> ScreeningResult``
(``received``: the date the resume arrived, up to which "至今/present" counts). Engines are
registered by dotted path and imported lazily, so adding an engine is adding one module plus
one ``register_engine`` line here.

Evidence invariant: every ``Evidence.quote`` equals ``resume_text[start:end]``; engines must
check it with :func:`check_evidence` before returning (the LLM engine rejects quotes it cannot
find). How the scores are computed from the per-criterion verdicts is in
:mod:`hrm2.ai.scoring`.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from hrm2.ai.registry import EngineRegistry

Verdict = Literal["pass", "fail", "partial", "unknown"]
CriterionKind = Literal[
    "required_skill",
    "optional_skill",
    "experience",
    "education",
    "certification",
    "projects",
    "team_lead",
]
Recommendation = Literal["interview", "reserve", "reject"]
EducationLevel = Literal["大专", "本科", "硕士", "博士"]


class Evidence(BaseModel):
    """A span of the resume text: ``quote == resume_text[start:end]``."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str


class Criterion(BaseModel):
    kind: CriterionKind
    name: str


class CriterionResult(BaseModel):
    criterion: Criterion
    verdict: Verdict
    score: float = Field(ge=0)
    max_score: float = Field(ge=0)
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str = ""
    judged_by: Literal["llm", "embedded"] | None = Field(
        None,
        description="llm engine only: who gave this verdict (embedded when the model could not)",
    )
    engine_verdicts: dict[str, Verdict] = Field(
        default_factory=dict,
        description="llm engine only: each engine's verdict, e.g. {'llm': 'pass', 'embedded': "
        "'fail'} ('llm' missing when the model could not judge)",
    )
    disagreement: bool = Field(
        False, description="the model and the embedded engine gave different verdicts"
    )


class Facts(BaseModel):
    """What the engine extracted from the resume, independent of the criteria."""

    candidate_name: str | None = None
    experience_years: float | None = None
    education_level: EducationLevel | None = None
    project_count: int = 0
    team_size: int | None = None
    skills_found: list[str] = Field(default_factory=list)


class LLMCall(BaseModel):
    """One HTTP call of an ``llm`` engine (each retry or repair attempt is its own record)."""

    model: str
    prompt_version: str
    dimension: str = Field(
        description="what the call was for: a criterion (kind:name) or summary for screening; "
        "the task or dimension for the other engines"
    )
    attempt: int = 1
    latency_ms: float = Field(
        0, description="from sending the request to the end of the answer (no queueing)"
    )
    queue_ms: float = Field(0, description="waiting for a free concurrency slot")
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    outcome: Literal["ok", "retry", "error"]
    error: str | None = None
    response_format: str | None = Field(
        None, description="json_schema, json_object or none (prompt only)"
    )
    answer_valid: bool | None = Field(
        None, description="whether the answer validated (None: no answer was received)"
    )


class LLMCoverage(BaseModel):
    """How much of a result the ``llm`` screening engine's model judged."""

    criteria: int = 0
    judged_by_llm: int = 0
    fallen_back: int = Field(0, description="criteria that kept the embedded verdict")
    disagreements: int = Field(0, description="criteria where model and embedded verdicts differ")
    sentence_numbers_dropped: int = Field(
        0, description="evidence numbers the model gave that were not in the offered list"
    )
    narrative_by_llm: bool = False
    embedded_overall: float | None = None
    embedded_recommendation: str | None = None


class ScreeningResult(BaseModel):
    """One resume screened against one position's criteria (same schema for every engine)."""

    engine: str
    engine_version: str
    language: str = "zh-hans"
    criteria_version: int | None = None
    fallback_reason: str | None = None
    criteria_results: list[CriterionResult]
    hr: float = Field(ge=0, le=100)
    technical: float = Field(ge=0, le=100)
    manager: float = Field(ge=0, le=100)
    overall: float = Field(ge=0, le=100)
    breakdown: dict[str, float] = Field(
        default_factory=dict, description="points per sub-score, e.g. hr.experience (of 30)"
    )
    recommendation: Recommendation
    recommendation_label: str
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    interview_focus: list[str] = Field(default_factory=list)
    salary_suggestion: int | None = None
    summary: str
    facts: Facts = Field(default_factory=Facts)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    llm_calls: list[LLMCall] = Field(
        default_factory=list, description="calls made by the llm engine (also on fallback)"
    )
    llm_coverage: LLMCoverage | None = Field(
        None, description="llm engine only: criteria judged by the model vs fallen back"
    )


class ProjectRequirements(BaseModel):
    model_config = ConfigDict(extra="ignore")
    min_projects: int = 0
    team_lead_experience: bool = False


class Weights(BaseModel):
    model_config = ConfigDict(extra="ignore")
    skills: float | None = None
    experience: float | None = None
    education: float | None = None
    certifications: float | None = None
    projects: float | None = None
    leadership: float | None = None


class Criteria(BaseModel):
    """The part of a position's criteria the engines read (tolerant: unknown keys ignored)."""

    model_config = ConfigDict(extra="ignore")
    position: str = ""
    required_skills: list[str] = Field(default_factory=list)
    optional_skills: list[str] = Field(default_factory=list)
    min_experience: float = 0
    education: list[EducationLevel] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    salary_range: tuple[int, int] | None = None
    project_requirements: ProjectRequirements = Field(default_factory=ProjectRequirements)
    weights: Weights | None = None


class ScreeningEngine(Protocol):
    """``parallelism`` (optional, default 1): resumes a caller may screen concurrently —
    more than one only for engines that wait on I/O, such as the LLM engine."""

    name: str
    version: str

    def screen(
        self,
        resume_text: str,
        criteria: dict,
        *,
        language: str = "zh-hans",
        received: date | None = None,
    ) -> ScreeningResult: ...


class UnknownEngineError(ValueError):
    pass


def check_evidence(result: ScreeningResult, resume_text: str) -> None:
    """Raise ``ValueError`` unless every quote equals its slice of ``resume_text``."""
    for item in result.criteria_results:
        for ev in item.evidence:
            if not (0 <= ev.start < ev.end <= len(resume_text)):
                raise ValueError(f"evidence offsets out of range: {ev}")
            if resume_text[ev.start : ev.end] != ev.quote:
                raise ValueError(f"evidence quote differs from the text: {ev}")


ENGINES = EngineRegistry(
    "screening",
    {"embedded": "hrm2.ai.embedded:EmbeddedEngine", "llm": "hrm2.ai.llm:LLMEngine"},
    error=UnknownEngineError,
)
DEFAULT_ENGINE = ENGINES.default
register_engine = ENGINES.register  # ("name", "package.module:Class"), built without arguments
available_engines = ENGINES.available
get_engine = ENGINES.get  # the shared instance of an engine (default "embedded")
