"""The ``llm`` interview engine: questions and answer evaluations from an OpenAI-compatible model.

It reuses the screening LLM engine's configuration (``HRM2_LLM_*``), HTTP client (bounded
concurrency, timeouts), answer parsing and call records (:mod:`hrm2.ai.llm`), with its own
versioned prompts (``prompts/interview_v1.*``). Trust rules are the same:

- answers are JSON validated by pydantic; an invalid answer gets one repair message and is
  retried, transient HTTP failures are retried with backoff, within ``HRM2_LLM_MAX_RETRIES``;
- the resume and the candidate's answer are sent between markers as untrusted text (marker
  look-alikes neutralised); quotes must be found in that text, other quotes are dropped, and a
  "resume" question without a found quote is downgraded to a skill/behavioral question;
- scores are never read from the model: the normalised score is computed from the six
  dimension scores, follow-up alternatives and interviewer hints are computed in code, and the
  report is the embedded aggregation of the stored evaluations;
- when the model fails (not configured, refused, timeouts, unrepairable output) the result is
  the embedded engine's, with ``engine="embedded"`` and ``fallback_reason`` set.
"""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hrm2.ai.interview import (
    DIMENSIONS,
    LEVEL_BANDS,
    AnswerAssessment,
    AnswerType,
    ConfidenceLevel,
    DimensionScore,
    Evaluation,
    Followup,
    InterviewReport,
    Question,
    QuestionInput,
    QuestionSet,
    SessionData,
    Source,
    Star,
    StarElement,
    check_answer_evidence,
    normalized_score,
)
from hrm2.ai.interview_embedded import EmbeddedInterviewEngine
from hrm2.ai.llm import (
    LLMConfig,
    LLMError,
    _Client,
    _neutralise,
    prompt,
    structured_call,
)
from hrm2.ai.messages import lang
from hrm2.ai.quotes import QuoteLocator
from hrm2.ai.screening import Criteria, Evidence, LLMCall

PROMPT_VERSION = "interview_v1"
MAX_TEXT = 600


def _text(value: Any) -> Any:
    return "" if value is None else str(value)[:MAX_TEXT]


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class LLMQuestion(_Loose):
    category: str
    question: str = Field(min_length=4, max_length=MAX_TEXT)
    difficulty: int = 5  # clamped into the level's band in code
    expected_skills: list[str] = Field(default_factory=list, max_length=10)
    evaluation_points: list[str] = Field(default_factory=list, max_length=8)
    source: Source = "skill"
    evidence_quote: str = ""

    @field_validator("evidence_quote", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return _text(value)


class QuestionsAnswer(_Loose):
    questions: list[LLMQuestion] = Field(min_length=1, max_length=120)


class LLMDimension(_Loose):
    score: int = Field(ge=1, le=4)
    reason: str = ""
    evidence_quote: str = ""

    @field_validator("reason", "evidence_quote", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return _text(value)


class LLMStarElement(_Loose):
    found: bool
    quote: str = ""

    @field_validator("quote", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return _text(value)


class LLMFollowup(_Loose):
    should_followup: bool
    reason: str = ""
    questions: list[str] = Field(default_factory=list)

    @field_validator("questions", mode="before")
    @classmethod
    def _three(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_text(v) for v in value if isinstance(v, str) and v.strip()][:3]
        return value


class EvaluationAnswer(_Loose):
    dimensions: dict[str, LLMDimension]
    confidence_level: ConfidenceLevel
    answer_type: AnswerType
    star: dict[str, LLMStarElement]
    followup: LLMFollowup

    @field_validator("dimensions")
    @classmethod
    def _six(cls, value: dict) -> dict:
        missing = [d for d in DIMENSIONS if d not in value]
        if missing:
            raise ValueError(f"missing dimensions: {', '.join(missing)}")
        return {d: value[d] for d in DIMENSIONS}

    @field_validator("star")
    @classmethod
    def _four(cls, value: dict) -> dict:
        missing = [k for k in ("situation", "task", "action", "result") if k not in value]
        if missing:
            raise ValueError(f"missing STAR elements: {', '.join(missing)}")
        return value


class LLMInterviewEngine:
    name = "llm"
    version = "1.0.0"
    prompt_version = PROMPT_VERSION

    def __init__(
        self,
        *,
        embedded: EmbeddedInterviewEngine | None = None,
        backoff_s: float = 0.25,
        reference_date: date | None = None,
        **config: Any,
    ):
        self.config = LLMConfig.load(**config)
        self.embedded = embedded or EmbeddedInterviewEngine(reference_date=reference_date)
        self.backoff_s = backoff_s
        self.client = _Client(self.config) if self.config.configured else None

    # -- questions --------------------------------------------------------------------------

    def generate_questions(
        self,
        resume_text: str,
        criteria: dict,
        *,
        categories: list[str],
        level: str = "senior",
        focus_on_resume: bool = True,
        count_per_category: int = 2,
        language: str = "zh-hans",
        exclude: list[str] | None = None,
    ) -> QuestionSet:
        t0 = time.perf_counter()
        base = self.embedded.generate_questions(
            resume_text,
            criteria,
            categories=categories,
            level=level,
            focus_on_resume=focus_on_resume,
            count_per_category=count_per_category,
            language=language,
            exclude=exclude,
        )
        if self.client is None:
            return _fallback(base, "LLM not configured", [], t0)
        calls: list[LLMCall] = []
        try:
            questions = self._questions(
                resume_text or "",
                criteria,
                categories,
                level,
                focus_on_resume,
                count_per_category,
                language,
                base,
                calls,
            )
        except LLMError as exc:
            return _fallback(base, f"LLM failed: {exc}", calls, t0)
        return QuestionSet(
            engine=self.name,
            engine_version=self.version,
            bank_version=base.bank_version,
            questions=questions,
            resume_highlights=base.resume_highlights,
            llm_calls=calls,
            timings_ms={"total": round((time.perf_counter() - t0) * 1000, 3)},
        )

    def _questions(self, text, criteria, categories, level, focus, count, language, base, calls):
        crit = Criteria.model_validate(criteria or {})
        low, high = LEVEL_BANDS[level]
        labels = list(dict.fromkeys(categories))
        keys = {label: self.embedded.bank.category_key(label) for label in labels}
        neutral = _neutralise(text)
        resume_block = (
            f"<<<RESUME>>>\n{neutral}\n<<<END RESUME>>>"
            if focus
            else "(The resume is not shown: ask no resume-based questions.)"
        )
        user = prompt("questions", PROMPT_VERSION).substitute(
            position=crit.position or "-",
            required=", ".join(crit.required_skills) or "-",
            optional=", ".join(crit.optional_skills) or "-",
            level=level,
            low=low,
            high=high,
            language_name=_language_name(language),
            count=count,
            categories_json=json.dumps(labels, ensure_ascii=False),
            focus_rule=(
                "Ground the questions in the resume where you can."
                if focus
                else 'Do not use "resume" as a source.'
            ),
            resume_block=resume_block,
        )

        def complete(answer: QuestionsAnswer) -> None:
            short = [
                label
                for label in labels
                if sum(1 for q in answer.questions if q.category.strip() == label) < count
            ]
            if short:
                raise ValueError(f"fewer than {count} question(s) for: {', '.join(short)}")

        answer = self._structured("questions", user, QuestionsAnswer, complete, calls)
        locator = QuoteLocator(neutral)
        out: list[Question] = []
        for label in labels:
            for item in [q for q in answer.questions if q.category.strip() == label][:count]:
                evidence: list[Evidence] = []
                source = item.source
                if source == "resume":
                    found = locator.find(item.evidence_quote) if focus else None
                    if found is None:
                        source = "skill" if item.expected_skills else "behavioral"
                    else:
                        evidence = [
                            Evidence(
                                start=found.start,
                                end=found.end,
                                quote=text[found.start : found.end],
                            )
                        ]
                out.append(
                    Question(
                        id=f"q{len(out) + 1}",
                        question=" ".join(item.question.split()),
                        category=label,
                        category_key=keys[label],
                        difficulty=max(low, min(high, item.difficulty)),
                        expected_skills=[s[:100] for s in item.expected_skills],
                        evaluation_points=[p[:200] for p in item.evaluation_points],
                        source=source,
                        evidence=evidence,
                    )
                )
        return out

    # -- answers ----------------------------------------------------------------------------

    def evaluate_answer(
        self,
        question: QuestionInput,
        answer: str,
        *,
        criteria: dict | None = None,
        covered: list[str] | None = None,
        language: str = "zh-hans",
    ) -> AnswerAssessment:
        t0 = time.perf_counter()
        base = self.embedded.evaluate_answer(
            question, answer, criteria=criteria, covered=covered, language=language
        )
        if self.client is None:
            return _fallback(base, "LLM not configured", [], t0)
        calls: list[LLMCall] = []
        user = prompt("evaluate", PROMPT_VERSION).substitute(
            question=" ".join(question.content.split()),
            difficulty=question.difficulty,
            expected=", ".join(question.expected_skills) or "-",
            language_name=_language_name(language),
            answer=_neutralise(answer),
        )
        try:
            got = self._structured("evaluation", user, EvaluationAnswer, None, calls)
        except LLMError as exc:
            return _fallback(base, f"LLM failed: {exc}", calls, t0)
        locator = QuoteLocator(_neutralise(answer))

        def evidence(quote: str) -> list[Evidence]:
            found = locator.find(quote) if quote else None
            if found is None:
                return []
            return [
                Evidence(start=found.start, end=found.end, quote=answer[found.start : found.end])
            ]

        dims = {
            name: DimensionScore(
                score=item.score,
                reason=item.reason or base.evaluation.dimensions[name].reason,
                evidence=evidence(item.evidence_quote),
            )
            for name, item in got.dimensions.items()
        }
        star = Star(
            **{
                k: StarElement(found=v.found, evidence=evidence(v.quote) if v.found else [])
                for k, v in got.star.items()
                if k in ("situation", "task", "action", "result")
            }
        )
        features = dict(base.evaluation.features)
        features["scorable"] = got.answer_type in ("normal_answer", "off_topic")
        evaluation = Evaluation(
            dimensions=dims,
            normalized_score=normalized_score(
                dims, overconfident=got.confidence_level == "overconfident"
            ),
            confidence_level=got.confidence_level,
            answer_type=got.answer_type,
            star=star,
            star_missing=star.missing,
            features=features,
            matched_skills=base.evaluation.matched_skills,
            summary=got.followup.reason or base.evaluation.summary,
        )
        check_answer_evidence(evaluation, answer)
        followup = Followup(
            should_followup=got.followup.should_followup,
            reason=got.followup.reason,
            reason_codes=base.followup_recommendation.reason_codes,
            questions=got.followup.questions
            or (base.followup_recommendation.questions if got.followup.should_followup else []),
            alternative_questions=base.followup_recommendation.alternative_questions,
        )
        uncovered = self.embedded.uncovered_skills(
            criteria, [*(covered or []), *evaluation.matched_skills]
        )
        return AnswerAssessment(
            engine=self.name,
            engine_version=self.version,
            evaluation=evaluation,
            followup_recommendation=followup,
            hr_action_hints=self.embedded.hints(evaluation, followup, uncovered, language),
            llm_calls=calls,
            timings_ms={"total": round((time.perf_counter() - t0) * 1000, 3)},
        )

    def write_report(self, session: SessionData, *, language: str = "zh-hans") -> InterviewReport:
        """The report aggregates stored evaluations in code, whichever engine made them."""
        return self.embedded.write_report(session, language=language)

    # -- one validated call -----------------------------------------------------------------

    def _structured(self, task, user, schema, extra_check, calls):
        return structured_call(
            self,
            label=task,
            system=prompt("system", PROMPT_VERSION).substitute(task=task),
            user=user,
            schema=schema,
            extra_check=extra_check,
            calls=calls,
            repair=prompt("repair", PROMPT_VERSION),
        )


def _language_name(language: str) -> str:
    return "English" if lang(language) == "en" else "简体中文"


def _fallback(base, reason: str, calls: list[LLMCall], t0: float):
    base.fallback_reason = reason
    base.llm_calls = calls
    base.timings_ms = {**base.timings_ms, "total": round((time.perf_counter() - t0) * 1000, 3)}
    return base
