"""The ``llm`` recommendation engine: one structured call per dimension, run concurrently.

It reuses the screening LLM engine's configuration (``HRM2_LLM_*``), HTTP client (process-wide
bounded concurrency, timeouts), answer parsing and call records (:mod:`hrm2.ai.llm`), with its
own versioned prompts (``prompts/recommend_v1.*``). Per candidate:

- the embedded rubric runs first: it decides which sub-scores have evidence, gives the model
  each input value as a reference, and is the fallback;
- dimensions without enough evidence are not sent (they stay ``insufficient_evidence``); the
  others are sent concurrently, one call each, asking for the four sub-scores (1–5), reasons,
  strengths, weaknesses and an analysis as JSON validated by pydantic (one repair message for an
  invalid answer, backoff retries for transient HTTP failures, within ``HRM2_LLM_MAX_RETRIES``);
- a score for a sub-score without evidence is ignored (it stays missing); dimension scores,
  the final score and the level are computed in code (:func:`hrm2.ai.recommend.finish`);
- the evidence text is sent between markers as untrusted data (marker look-alikes neutralised);
- when any dimension fails (not configured, refused, timeouts, unrepairable output) the whole
  candidate is the embedded engine's, with ``engine="embedded"`` and ``fallback_reason`` set.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hrm2.ai.llm import (
    LLMConfig,
    LLMError,
    _Client,
    _neutralise,
    prompt,
    structured_call,
)
from hrm2.ai.recommend import CandidateEvaluation, CandidateInput, DimensionResult, lang
from hrm2.ai.recommend_embedded import EmbeddedRecommendEngine, explain
from hrm2.ai.screening import LLMCall

PROMPT_VERSION = "recommend_v1"
MAX_TEXT = 400
MAX_ITEMS = 3


def _text(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())[:MAX_TEXT]


class LLMSubScore(BaseModel):
    model_config = ConfigDict(extra="ignore")
    score: float | None = Field(None, ge=1, le=5)
    reason: str = ""

    @field_validator("reason", mode="before")
    @classmethod
    def _clean(cls, value: Any) -> str:
        return _text(value)


class DimensionAnswer(BaseModel):
    model_config = ConfigDict(extra="ignore")
    sub_scores: dict[str, LLMSubScore]
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    analysis: str = ""

    @field_validator("strengths", "weaknesses", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            return [_text(v) for v in value if isinstance(v, (str, int, float)) and str(v).strip()][
                :MAX_ITEMS
            ]
        return value

    @field_validator("analysis", mode="before")
    @classmethod
    def _analysis(cls, value: Any) -> str:
        return _text(value)


class LLMRecommendEngine:
    name = "llm"
    version = "1.0.0"
    prompt_version = PROMPT_VERSION

    def __init__(
        self,
        *,
        embedded: EmbeddedRecommendEngine | None = None,
        backoff_s: float = 0.25,
        **config: Any,
    ):
        self.config = LLMConfig.load(**config)
        self.embedded = embedded or EmbeddedRecommendEngine()
        self.backoff_s = backoff_s
        self.client = _Client(self.config) if self.config.configured else None
        # Candidates a caller may evaluate at once (each sends up to five calls).
        self.parallelism = max(1, self.config.max_concurrency)

    def evaluate(
        self, candidate: CandidateInput, *, weights: dict[str, float], language: str = "zh-hans"
    ) -> CandidateEvaluation:
        base = self.embedded.evaluate(candidate, weights=weights, language=language)
        if self.client is None:
            return _fallback(base, "LLM not configured", [])
        calls: list[LLMCall] = []
        asked = [d for d in base.dimensions if d.score is not None]
        evidence = _neutralise(_evidence(candidate))
        try:
            with ThreadPoolExecutor(
                max_workers=max(1, len(asked)), thread_name_prefix="hrm2-llm-rec"
            ) as pool:
                futures = {
                    d.key: pool.submit(self._dimension, d, evidence, language, calls) for d in asked
                }
                answers = {key: f.result() for key, f in futures.items()}  # first error wins
        except LLMError as exc:
            return _fallback(base, f"LLM failed: {exc}", calls)
        dimensions = [
            _apply(d, answers[d.key]) if d.key in answers else d.model_copy(deep=True)
            for d in base.dimensions
        ]
        evaluation = CandidateEvaluation(
            candidate_id=candidate.candidate_id,
            name=candidate.name,
            engine=self.name,
            engine_version=self.version,
            dimensions=dimensions,
            level="insufficient_evidence",
            level_label="",
            video=base.video,
            llm_calls=_ordered(calls),
        )
        explain(evaluation, candidate, weights=weights, language=language, keep_text=True)
        for dim in evaluation.dimensions:
            if dim.key not in answers:  # insufficient: the embedded wording
                source = base.dimension(dim.key)
                dim.analysis, dim.strengths, dim.weaknesses = (
                    source.analysis,
                    source.strengths,
                    source.weaknesses,
                )
        extra = [s for a in answers.values() for s in a.strengths]
        evaluation.strengths = list(dict.fromkeys([*evaluation.strengths, *extra]))[:10]
        extra = [w for a in answers.values() for w in a.weaknesses]
        evaluation.weaknesses = list(dict.fromkeys([*evaluation.weaknesses, *extra]))[:10]
        return evaluation

    def _dimension(self, dim: DimensionResult, evidence: str, language: str, calls):
        lines = []
        for s in dim.sub_scores:
            if s.status == "not_applicable":
                continue
            reading = "MISSING" if s.score is None else f"{s.score:.2f}/5"
            lines.append(f"- {s.key}: {s.label} — {_neutralise(s.basis)} — {reading}")
        wanted = {s.key for s in dim.sub_scores if s.status == "scored"}

        def complete(answer: DimensionAnswer) -> None:
            absent = sorted(
                k
                for k in wanted
                if k not in answer.sub_scores or answer.sub_scores[k].score is None
            )
            if absent:
                raise ValueError(f"missing scores for: {', '.join(absent)}")

        system = prompt("system", PROMPT_VERSION).substitute(
            dimension=dim.key, dimension_label=dim.label
        )
        user = prompt("dimension", PROMPT_VERSION).substitute(
            dimension=dim.key,
            dimension_label=dim.label,
            language_name="English" if lang(language) == "en" else "简体中文",
            sub_scores="\n".join(lines),
            evidence=evidence,
        )
        return self._structured(dim.key, system, user, DimensionAnswer, complete, calls)

    def _structured(self, dimension, system, user, schema, extra_check, calls):
        return structured_call(
            self,
            label=dimension,
            system=system,
            user=user,
            schema=schema,
            extra_check=extra_check,
            calls=calls,
            repair=prompt("repair", PROMPT_VERSION),
        )


def _apply(base: DimensionResult, answer: DimensionAnswer) -> DimensionResult:
    """The model's sub-scores where the rubric found evidence; missing stays missing."""
    dim = base.model_copy(deep=True)
    for sub in dim.sub_scores:
        got = answer.sub_scores.get(sub.key)
        if sub.status != "scored" or got is None or got.score is None:
            continue
        sub.score = round(got.score, 2)
        sub.reason = got.reason
    dim.strengths = answer.strengths
    dim.weaknesses = answer.weaknesses
    dim.analysis = answer.analysis or base.analysis
    return dim


def _evidence(c: CandidateInput) -> str:
    """The candidate's narrative inputs (untrusted: they quote the resume and answers)."""
    lines = [f"candidate: {c.name}"]
    if c.screening:
        s = c.screening
        lines.append(f"screening total: {s.overall:g}/100 (confirmed: {s.confirmed})")
        if s.experience_years is not None:
            lines.append(f"years of experience: {s.experience_years:g}")
        if s.education_level:
            lines.append(f"education: {s.education_level}")
        lines += [f"screening strength: {x}" for x in s.strengths[:5]]
        lines += [f"screening weakness: {x}" for x in s.weaknesses[:5]]
    if c.interview and c.interview.answers:
        i = c.interview
        means = ", ".join(f"{k} {v:.2f}/4" for k, v in sorted(i.dimension_means.items()))
        lines.append(f"interview: {i.answers} evaluated answer(s); means: {means}")
        lines += [f"interview highlight: {x}" for x in i.highlights[:5]]
        lines += [f"interview red flag: {x}" for x in i.red_flags[:5]]
    return "\n".join(_text(line) for line in lines)


def _ordered(calls: list[LLMCall]) -> list[LLMCall]:
    order = {"professional_competency": 0, "work_experience": 1, "soft_skills": 2}
    order |= {"cultural_fit": 3, "interview_performance": 4}
    return sorted(calls, key=lambda c: (order.get(c.dimension, 9), c.attempt))


def _fallback(base: CandidateEvaluation, reason: str, calls: list[LLMCall]) -> CandidateEvaluation:
    base.fallback_reason = reason
    base.llm_calls = _ordered(calls)
    return base
