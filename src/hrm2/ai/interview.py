"""The interview capabilities shared by every engine: schemas, the engine interface and registry.

An interview engine has ``name``, ``version`` and three calls:

- ``generate_questions(resume_text, criteria, *, categories, level, focus_on_resume,
  count_per_category, language, exclude) -> QuestionSet``: questions grounded in the resume (each
  resume-based question cites the passage it comes from) and the position's criteria; questions
  whose text is in ``exclude`` (already asked) are not repeated.
- ``evaluate_answer(question, answer, *, criteria, covered, language) -> AnswerAssessment``:
  six dimensions (1–4) with reasons and the answer passage each rests on, STAR completeness,
  answer type, confidence, a follow-up recommendation and short hints for the interviewer.
- ``write_report(session, *, language) -> InterviewReport``: the session's evidence aggregated.

Scores are computed in code from the dimension scores (:func:`normalized_score`), never read
from a model. Evidence invariant: ``quote == text[start:end]`` of the resume (questions,
highlights) or of the answer (dimensions, STAR). ``embedded`` is the default engine; ``llm``
falls back to it visibly (``engine="embedded"``, ``fallback_reason``).
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

from hrm2.ai.registry import EngineRegistry
from hrm2.ai.screening import Evidence, LLMCall

Level = Literal["junior", "mid", "senior", "expert"]
CategoryKey = Literal["resume", "technical", "behavioral"]
Source = Literal["resume", "skill", "behavioral"]
ConfidenceLevel = Literal["genuine", "uncertain", "overconfident"]
AnswerType = Literal["normal_answer", "clarification_request", "counter_question", "off_topic"]

DIMENSIONS: tuple[str, ...] = (
    "technical_depth",
    "practical_experience",
    "answer_specificity",
    "logical_clarity",
    "honesty",
    "communication",
)
LEVEL_BANDS: dict[str, tuple[int, int]] = {
    "junior": (3, 5),
    "mid": (5, 7),
    "senior": (7, 9),
    "expert": (8, 10),
}
OVERCONFIDENCE_PENALTY = 10


class Question(BaseModel):
    id: str
    question: str
    category: str = Field(description="the category as requested (e.g. 简历相关)")
    category_key: CategoryKey
    difficulty: int = Field(ge=1, le=10)
    expected_skills: list[str] = Field(default_factory=list)
    evaluation_points: list[str] = Field(default_factory=list)
    star_prompts: list[str] = Field(default_factory=list)
    source: Source
    evidence: list[Evidence] = Field(default_factory=list, description="resume passages cited")
    bank_id: str | None = None


class Highlight(BaseModel):
    """Something in the resume worth asking about (an interest point)."""

    kind: Literal["skill", "project", "employer", "gap", "claim", "leadership"]
    text: str
    evidence: list[Evidence] = Field(default_factory=list)


class QuestionSet(BaseModel):
    engine: str
    engine_version: str
    bank_version: str = ""
    fallback_reason: str | None = None
    questions: list[Question]
    resume_highlights: list[Highlight] = Field(default_factory=list)
    llm_calls: list[LLMCall] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)


class QuestionInput(BaseModel):
    """The question an answer responds to (from the pool, or asked ad hoc)."""

    id: str | None = None
    content: str
    expected_skills: list[str] = Field(default_factory=list)
    difficulty: int = Field(5, ge=1, le=10)
    category_key: CategoryKey | None = None
    evaluation_points: list[str] = Field(default_factory=list)


class DimensionScore(BaseModel):
    score: int = Field(ge=1, le=4)
    reason: str
    evidence: list[Evidence] = Field(default_factory=list, description="answer passages")


class StarElement(BaseModel):
    found: bool
    evidence: list[Evidence] = Field(default_factory=list)


class Star(BaseModel):
    situation: StarElement
    task: StarElement
    action: StarElement
    result: StarElement

    @property
    def missing(self) -> list[str]:
        return [k for k in ("situation", "task", "action", "result") if not getattr(self, k).found]


class Evaluation(BaseModel):
    dimensions: dict[str, DimensionScore]
    normalized_score: float = Field(ge=0, le=100)
    confidence_level: ConfidenceLevel
    answer_type: AnswerType
    star: Star
    star_missing: list[str] = Field(default_factory=list)
    features: dict[str, float | int | bool] = Field(default_factory=dict)
    matched_skills: list[str] = Field(default_factory=list)
    summary: str = ""


class Followup(BaseModel):
    should_followup: bool
    reason: str = ""
    reason_codes: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list, max_length=3)
    alternative_questions: list[str] = Field(default_factory=list)


class AnswerAssessment(BaseModel):
    engine: str
    engine_version: str
    fallback_reason: str | None = None
    evaluation: Evaluation
    followup_recommendation: Followup
    hr_action_hints: list[str] = Field(default_factory=list)
    llm_calls: list[LLMCall] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)


class SessionRecord(BaseModel):
    """One recorded question/answer as the report writer reads it."""

    round_number: int
    question: QuestionInput
    answer: str
    duration_seconds: float | None = None
    evaluation: Evaluation | None = None
    followup: Followup | None = None


class SessionData(BaseModel):
    candidate_name: str
    position_title: str
    interviewer_name: str = ""
    resume_text: str = ""
    criteria: dict = Field(default_factory=dict)
    records: list[SessionRecord] = Field(default_factory=list)
    hr_notes: str = ""
    include_conversation_log: bool = True


class DimensionSummary(BaseModel):
    dimension: str
    label: str
    average: float | None = Field(None, description="mean of the 1–4 scores")
    level: str
    comment: str


class SkillAssessment(BaseModel):
    skill: str
    required: bool
    asked: bool
    demonstrated: bool
    average_score: float | None = None
    evidence: list[str] = Field(default_factory=list, description="round: quote")
    resume_evidence: list[Evidence] = Field(default_factory=list)


class InterviewReport(BaseModel):
    engine: str
    engine_version: str
    language: str
    insufficient_evidence: bool
    overall_score: float | None = Field(None, ge=0, le=100)
    recommendation: Literal["strong_hire", "hire", "undecided", "no_hire"]
    recommendation_label: str
    summary: str
    evaluated_answers: int
    total_answers: int
    dimension_analysis: list[DimensionSummary]
    skill_assessment: list[SkillAssessment]
    highlights: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)
    overconfidence: dict = Field(default_factory=dict)
    suggested_next_steps: list[str] = Field(default_factory=list)
    coverage: dict = Field(default_factory=dict)
    conversation_log: list[dict] | None = None
    hr_notes: str = ""


class InterviewEngine(Protocol):
    name: str
    version: str

    def generate_questions(
        self,
        resume_text: str,
        criteria: dict,
        *,
        categories: list[str],
        level: Level = "senior",
        focus_on_resume: bool = True,
        count_per_category: int = 2,
        language: str = "zh-hans",
        exclude: list[str] | None = None,
    ) -> QuestionSet: ...

    def evaluate_answer(
        self,
        question: QuestionInput,
        answer: str,
        *,
        criteria: dict | None = None,
        covered: list[str] | None = None,
        language: str = "zh-hans",
    ) -> AnswerAssessment: ...

    def write_report(
        self, session: SessionData, *, language: str = "zh-hans"
    ) -> InterviewReport: ...


def normalized_score(dimensions: dict[str, DimensionScore], *, overconfident: bool) -> float:
    """Mean of the six 1–4 scores × 25, minus 10 when the answer is overconfident (0–100)."""
    mean = sum(d.score for d in dimensions.values()) / len(dimensions)
    value = mean * 25 - (OVERCONFIDENCE_PENALTY if overconfident else 0)
    return round(min(100.0, max(0.0, value)), 1)


def check_answer_evidence(evaluation: Evaluation, answer: str) -> None:
    """Raise ``ValueError`` unless every quote of the evaluation equals its slice of the answer."""
    spans = [e for d in evaluation.dimensions.values() for e in d.evidence]
    for name in ("situation", "task", "action", "result"):
        spans += getattr(evaluation.star, name).evidence
    for ev in spans:
        if not (0 <= ev.start < ev.end <= len(answer)) or answer[ev.start : ev.end] != ev.quote:
            raise ValueError(f"answer evidence differs from the text: {ev}")


class UnknownInterviewEngineError(ValueError):
    pass


ENGINES = EngineRegistry(
    "interview",
    {
        "embedded": "hrm2.ai.interview_embedded:EmbeddedInterviewEngine",
        "llm": "hrm2.ai.interview_llm:LLMInterviewEngine",
    },
    error=UnknownInterviewEngineError,
)
DEFAULT_ENGINE = ENGINES.default
register_interview_engine = ENGINES.register
available_interview_engines = ENGINES.available
get_interview_engine = ENGINES.get
