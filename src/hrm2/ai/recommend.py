"""Group evaluation (final recommendation): schemas, the rubric's arithmetic, ranking, registry.

A recommendation engine has ``name``, ``version`` and one call:

- ``evaluate(candidate: CandidateInput, *, weights, language) -> CandidateEvaluation``: five
  dimensions scored 1–5, each from four sub-scores with the input value it rests on
  (``basis``), strengths, weaknesses and an analysis.

Everything a person compares is computed here in code, whichever engine scored the dimensions
(both engines end in :func:`finish`), so the rule below exists once:

- a dimension's score is the mean of its scored sub-scores; a dimension with fewer than
  :data:`MIN_SCORED_SUBSCORES` scored sub-scores has no evidence (``insufficient_evidence``);
- **final score on the evidence that exists**: with ``D`` the dimensions that have evidence
  and ``w`` the group's weights,

      final_score = Σ_{d∈D} (w_d / Σ_{e∈D} w_e) · (s_d − 1)/4 · 100

  i.e. the weights are renormalised over the dimensions present (``effective_weights``); with
  all five present this is the plain ``Σ w·(s − 1)/4·100``;
- the level follows from the final score (≥85 ``strong_recommend``, ≥70 ``recommend``, ≥55
  ``cautious``, else ``not_recommend``), then is **capped** when a scored source is missing: no
  interview (or no screening) → at most ``recommend`` (:data:`LEVEL_CAP_WITHOUT`); the
  candidate's reasons say so;
- ``coverage`` says per candidate, in words, which inputs the score rests on and which are
  missing ("筛选（人工已确认） + 视频（人工已复核），无面试"), and which inputs a person
  confirmed: a screening whose audit document is confirmed, a video a reviewer corrected or
  passed;
- ``insufficient_evidence`` only when no dimension has evidence at all: such a candidate has
  no final score and is listed after the ranking, never ranked among the others.

:func:`rank_group` ranks every candidate with a final score, ties inside :data:`TIE_MARGIN`.

No score is made up: a sub-score whose input is missing stays ``None`` (``missing``).

Video impressions are advisory (apparent impressions, never a filter): a linked video enters
the evaluation only when it was asked for (``include_video``) and a person reviewed it
(corrected it in the console, or passed it in the audit module); it then shows in the coverage,
its values are reported and a high fraud score is flagged, but it never changes a score.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from hrm2.ai.registry import EngineRegistry
from hrm2.ai.screening import LLMCall

DIMENSIONS: tuple[str, ...] = (
    "professional_competency",
    "work_experience",
    "soft_skills",
    "cultural_fit",
    "interview_performance",
)
DEFAULT_WEIGHTS: dict[str, float] = {
    "professional_competency": 0.30,
    "work_experience": 0.25,
    "soft_skills": 0.20,
    "cultural_fit": 0.15,
    "interview_performance": 0.10,
}
LEVEL_THRESHOLDS: tuple[tuple[float, str], ...] = (
    (85.0, "strong_recommend"),
    (70.0, "recommend"),
    (55.0, "cautious"),
)
LEVEL_ORDER: tuple[str, ...] = ("not_recommend", "cautious", "recommend", "strong_recommend")
# The best level a candidate can reach while a scored source is missing.
LEVEL_CAP_WITHOUT: dict[str, str] = {"interview": "recommend", "screening": "recommend"}
SCORED_SOURCES: tuple[str, ...] = ("screening", "interview")  # video is advisory, never scored
TIE_MARGIN = 2.0  # final scores within this many points of a tier's leader are tied with it
MIN_SCORED_SUBSCORES = 2

Level = Literal[
    "strong_recommend", "recommend", "cautious", "not_recommend", "insufficient_evidence"
]
Source = Literal["screening", "interview", "video"]

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "professional_competency": "专业能力",
        "work_experience": "工作经验",
        "soft_skills": "软技能",
        "cultural_fit": "文化匹配",
        "interview_performance": "面试表现",
        "strong_recommend": "强烈推荐",
        "recommend": "推荐录用",
        "cautious": "谨慎考虑",
        "not_recommend": "不推荐",
        "insufficient_evidence": "证据不足",
        "required_skills": "必备技能",
        "optional_skills": "加分技能",
        "skill_depth": "技能深度",
        "technical_answers": "面试技术深度",
        "experience_years": "工作年限",
        "education": "学历",
        "projects": "项目经历",
        "practical_experience": "面试实践经验",
        "teamwork": "团队协作",
        "leadership": "领导力",
        "communication": "沟通表达",
        "logical_clarity": "逻辑清晰",
        "position_fit": "岗位匹配度",
        "stability": "职业稳定性",
        "honesty": "诚信度",
        "confidence_calibration": "自信校准",
        "answer_quality": "回答质量",
        "answer_specificity": "回答具体性",
        "star_completeness": "STAR 完整度",
        "interview_report": "面试报告总评",
        "screening": "筛选",
        "interview": "面试",
        "video": "视频",
        "screening_confirmed": "筛选（人工已确认）",
        "interview_confirmed": "面试（人工已确认）",
        "video_confirmed": "视频（人工已复核）",
    },
    "en": {
        "professional_competency": "Professional competency",
        "work_experience": "Work experience",
        "soft_skills": "Soft skills",
        "cultural_fit": "Cultural fit",
        "interview_performance": "Interview performance",
        "strong_recommend": "Strongly recommend",
        "recommend": "Recommend",
        "cautious": "Consider with caution",
        "not_recommend": "Not recommended",
        "insufficient_evidence": "Insufficient evidence",
        "required_skills": "Required skills",
        "optional_skills": "Nice-to-have skills",
        "skill_depth": "Skill depth",
        "technical_answers": "Technical depth in interview",
        "experience_years": "Years of experience",
        "education": "Education",
        "projects": "Projects",
        "practical_experience": "Practical experience in interview",
        "teamwork": "Teamwork",
        "leadership": "Leadership",
        "communication": "Communication",
        "logical_clarity": "Logical clarity",
        "position_fit": "Fit with the position",
        "stability": "Career stability",
        "honesty": "Honesty",
        "confidence_calibration": "Confidence calibration",
        "answer_quality": "Answer quality",
        "answer_specificity": "Answer specificity",
        "star_completeness": "STAR completeness",
        "interview_report": "Interview report overall",
        "screening": "screening",
        "interview": "interview",
        "video": "video",
        "screening_confirmed": "screening (confirmed by a person)",
        "interview_confirmed": "interview (confirmed by a person)",
        "video_confirmed": "video (reviewed by a person)",
    },
}


def lang(language: str) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh"


def label(key: str, language: str) -> str:
    return LABELS[lang(language)].get(key, key)


# -- inputs (stored with the result as its snapshot) ---------------------------------------------


class CriterionInput(BaseModel):
    kind: str
    name: str
    verdict: str
    share: float = Field(ge=0, le=1, description="credit 0–1 (machine verdict or reviewer score)")


class ScreeningInput(BaseModel):
    report_id: str
    confirmed: bool = Field(description="a reviewer confirmed the audit document")
    overall: float = Field(ge=0, le=100, description="the confirmed total when confirmed")
    machine_overall: float = Field(ge=0, le=100)
    breakdown: dict[str, float] = Field(default_factory=dict)
    criteria: list[CriterionInput] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    experience_years: float | None = None
    education_level: str | None = None


class InterviewInput(BaseModel):
    session_ids: list[str] = Field(default_factory=list)
    answers: int = Field(0, description="evaluated, scorable answers")
    confirmed_answers: int = Field(0, description="of them, confirmed by a reviewer in the audit")
    dimension_means: dict[str, float] = Field(
        default_factory=dict, description="mean 1–4 score per interview dimension"
    )
    mean_normalized_score: float | None = Field(None, ge=0, le=100)
    star_share: float | None = Field(None, ge=0, le=1)
    confidence_levels: dict[str, int] = Field(default_factory=dict)
    report_id: str | None = None
    report_score: float | None = Field(None, ge=0, le=100)
    highlights: list[str] = Field(default_factory=list)
    red_flags: list[str] = Field(default_factory=list)


class VideoInput(BaseModel):
    video_id: str
    included: bool
    reason: str = ""
    reason_code: Literal["", "not_requested", "not_completed", "not_reviewed"] = ""
    fraud_score: float | None = None
    confidence_score: float | None = None
    traits: dict[str, float | None] | None = None
    reviewed_fields: list[str] = Field(default_factory=list)


class CandidateInput(BaseModel):
    candidate_id: str
    name: str
    screening: ScreeningInput | None = None
    interview: InterviewInput | None = None
    video: VideoInput | None = None


# -- results -------------------------------------------------------------------------------------


class SubScore(BaseModel):
    key: str
    label: str
    source: Source
    status: Literal["scored", "missing", "not_applicable"]
    score: float | None = Field(None, ge=1, le=5)
    basis: str = Field(description="the input value(s) the score is computed from")
    reason: str = ""


class DimensionResult(BaseModel):
    key: str
    label: str
    weight: float
    status: Literal["scored", "insufficient_evidence"]
    score: float | None = Field(None, ge=1, le=5)
    sub_scores: list[SubScore]
    missing: list[str] = Field(default_factory=list, description="why sub-scores have no data")
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    analysis: str = ""


class Coverage(BaseModel):
    """Which inputs a candidate's result rests on, in words and as lists."""

    sources: list[Source] = Field(description="inputs with evidence")
    missing: list[Source] = Field(description="scored inputs without evidence")
    confirmed: list[Source] = Field(
        default_factory=list, description="inputs a person confirmed or reviewed"
    )
    text: str = Field(description="e.g. 筛选（人工已确认） + 视频（人工已复核），无面试")
    level_cap: Level | None = Field(None, description="best level reachable with this coverage")
    capped: bool = Field(False, description="the score's level was lowered to the cap")
    note: str = Field("", description="the cap in words, for the candidate's reasons")


class CandidateEvaluation(BaseModel):
    candidate_id: str
    name: str
    engine: str
    engine_version: str
    fallback_reason: str | None = None
    dimensions: list[DimensionResult]
    final_score: float | None = Field(None, ge=0, le=100)
    partial_score: float | None = Field(None, ge=0, le=100)
    level: Level
    level_label: str
    insufficient_dimensions: list[str] = Field(default_factory=list)
    effective_weights: dict[str, float] = Field(
        default_factory=dict, description="the weights renormalised over the scored dimensions"
    )
    coverage: Coverage | None = None
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    analysis: str = ""
    video: dict = Field(default_factory=dict, description="advisory; never part of a score")
    llm_calls: list[LLMCall] = Field(default_factory=list)

    def dimension(self, key: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.key == key)


class RankEntry(BaseModel):
    rank: int
    tier: int
    candidate_id: str
    name: str
    final_score: float
    level: Level
    level_label: str
    coverage: str = ""
    confirmed: list[Source] = Field(default_factory=list)
    tied_with: list[str] = Field(default_factory=list)


class UnrankedEntry(BaseModel):
    candidate_id: str
    name: str
    level: Level = "insufficient_evidence"
    level_label: str = ""
    coverage: str = ""
    insufficient_dimensions: list[str]
    partial_score: float | None = None


class GroupRanking(BaseModel):
    tie_margin: float
    ranking: list[RankEntry]
    unranked: list[UnrankedEntry]
    recommended_order: str
    comparison: dict
    trade_offs: list[str]


class RecommendEngine(Protocol):
    name: str
    version: str

    def evaluate(
        self, candidate: CandidateInput, *, weights: dict[str, float], language: str = "zh-hans"
    ) -> CandidateEvaluation: ...


# -- arithmetic ----------------------------------------------------------------------------------


class WeightsError(ValueError):
    """Weights that cannot be normalised. ``reason`` (``unknown_dimension``, ``negative`` or
    ``all_zero``) and ``key`` let callers say it in their own words and language."""

    def __init__(self, reason: str, key: str = "") -> None:
        self.reason, self.key = reason, key
        super().__init__(f"{reason}: {key}" if key else reason)


def normalise_weights(weights: dict[str, float] | None) -> dict[str, float]:
    """The five weights summing to 1; missing keys keep their default before normalising.

    Raises ``WeightsError`` for an unknown key, a negative weight or a zero total.
    """
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in DEFAULT_WEIGHTS:
            raise WeightsError("unknown_dimension", key)
        if value is None or value < 0:
            raise WeightsError("negative", key)
        merged[key] = float(value)
    total = sum(merged.values())
    if total <= 0:
        raise WeightsError("all_zero")
    return {k: round(merged[k] / total, 6) for k in DIMENSIONS}


def to_five(share: float) -> float:
    """A share 0–1 on the 1–5 scale: ``1 + 4·share``."""
    return round(1 + 4 * min(1.0, max(0.0, share)), 2)


def dimension_score(sub_scores: list[SubScore]) -> float | None:
    """Mean of the scored sub-scores; None with fewer than ``MIN_SCORED_SUBSCORES``."""
    scored = [s.score for s in sub_scores if s.status == "scored" and s.score is not None]
    if len(scored) < MIN_SCORED_SUBSCORES:
        return None
    return round(sum(scored) / len(scored), 2)


def weighted_score(scores: dict[str, float], weights: dict[str, float]) -> float:
    """``Σ w·(s − 1)/4·100`` over ``scores`` with their weights renormalised to sum 1."""
    total = sum(weights[k] for k in scores)
    if total <= 0:
        return 0.0
    value = sum(weights[k] / total * (s - 1) / 4 * 100 for k, s in scores.items())
    return round(min(100.0, max(0.0, value)), 1)


def level_for(score: float) -> str:
    return next((level for floor, level in LEVEL_THRESHOLDS if score >= floor), "not_recommend")


def coverage_text(present, missing, confirmed, language: str) -> str:
    """ "筛选（人工已确认） + 视频，无面试" / "screening (…) + video, no interview"."""
    zh = lang(language) == "zh"
    names = [label(f"{s}_confirmed" if s in confirmed else s, language) for s in present]
    absent = ("、" if zh else ", ").join(
        ("无" if zh else "no ") + label(s, language) for s in missing
    )
    if not present:
        return f"无任何评估依据（{absent}）" if zh else f"no evidence ({absent})"
    return " + ".join(names) + (("，" if zh else ", ") + absent if missing else "")


def coverage_of(candidate: CandidateInput, language: str) -> Coverage:
    """The inputs with evidence, the scored ones missing, the confirmed ones, and the cap."""
    present: list[str] = []
    confirmed: list[str] = []
    if candidate.screening is not None:
        present.append("screening")
        if candidate.screening.confirmed:
            confirmed.append("screening")
    if candidate.interview is not None and candidate.interview.answers > 0:
        present.append("interview")
        if candidate.interview.confirmed_answers >= candidate.interview.answers:
            confirmed.append("interview")
    if candidate.video is not None and candidate.video.included:
        present.append("video")
        confirmed.append("video")  # only a reviewed video is included
    missing = [s for s in SCORED_SOURCES if s not in present]
    text = coverage_text(present, missing, confirmed, language)
    cap = None
    caps = [LEVEL_CAP_WITHOUT[s] for s in missing if s in LEVEL_CAP_WITHOUT]
    if caps and present:
        cap = min(caps, key=LEVEL_ORDER.index)
    return Coverage(
        sources=present,  # type: ignore[arg-type]
        missing=missing,  # type: ignore[arg-type]
        confirmed=confirmed,  # type: ignore[arg-type]
        text=text,
        level_cap=cap,  # type: ignore[arg-type]
    )


def _cap_note(coverage: Coverage, uncapped: str, language: str) -> str:
    zh = lang(language) == "zh"
    absent = (
        "、".join(label(s, language) for s in coverage.missing)
        if zh
        else " or ".join(coverage.missing)
    )
    cap = label(coverage.level_cap or "", language)
    if coverage.capped:
        return (
            f"尚无{absent}：等级最高为“{cap}”（按得分本为“{label(uncapped, language)}”）"
            if zh
            else f'No {absent} yet: the level is capped at "{cap}" '
            f'(the score alone would give "{label(uncapped, language)}")'
        )
    return (
        f"尚无{absent}：等级最高为“{cap}”"
        if zh
        else f'No {absent} yet: the level can be at most "{cap}"'
    )


def finish(
    evaluation: CandidateEvaluation,
    *,
    candidate: CandidateInput,
    weights: dict[str, float],
    language: str,
) -> CandidateEvaluation:
    """Dimension scores, final score on the evidence that exists, coverage and the capped level
    (every engine ends here; see the module docstring for the rule)."""
    for dim in evaluation.dimensions:
        dim.weight = weights[dim.key]
        dim.score = dimension_score(dim.sub_scores)
        dim.status = "scored" if dim.score is not None else "insufficient_evidence"
    scored = {d.key: d.score for d in evaluation.dimensions if d.score is not None}
    evaluation.insufficient_dimensions = [d.key for d in evaluation.dimensions if d.score is None]
    coverage = coverage_of(candidate, language)
    evaluation.partial_score = None
    if not scored:
        coverage.level_cap = None
        evaluation.final_score = None
        evaluation.effective_weights = {}
        evaluation.level = "insufficient_evidence"
    else:
        total = sum(weights[k] for k in scored)
        evaluation.effective_weights = (
            {k: round(weights[k] / total, 4) for k in DIMENSIONS if k in scored} if total else {}
        )
        evaluation.final_score = weighted_score(scored, weights)
        level = level_for(evaluation.final_score)
        if coverage.level_cap and LEVEL_ORDER.index(level) > LEVEL_ORDER.index(coverage.level_cap):
            coverage.capped = True
            evaluation.level = coverage.level_cap
        else:
            evaluation.level = level  # type: ignore[assignment]
        if coverage.level_cap:
            coverage.note = _cap_note(coverage, level, language)
    evaluation.coverage = coverage
    evaluation.level_label = label(evaluation.level, language)
    return evaluation


# -- the group -----------------------------------------------------------------------------------


def rank_group(
    evaluations: list[CandidateEvaluation],
    *,
    language: str = "zh-hans",
    tie_margin: float = TIE_MARGIN,
) -> GroupRanking:
    """Rank every candidate with a final score (on the evidence it has); a candidate within
    ``tie_margin`` points of its tier's leader shares the tier (competition ranking: 1, 2, 2,
    4). Ties in order are broken by name only for display. Candidates with no evidence at
    all are listed as unranked."""
    complete = sorted(
        (e for e in evaluations if e.final_score is not None),
        key=lambda e: (-(e.final_score or 0), e.name, e.candidate_id),
    )
    tiers: list[list[CandidateEvaluation]] = []
    for evaluation in complete:
        if tiers and (tiers[-1][0].final_score or 0) - (evaluation.final_score or 0) <= tie_margin:
            tiers[-1].append(evaluation)
        else:
            tiers.append([evaluation])
    ranking: list[RankEntry] = []
    position = 1
    for number, tier in enumerate(tiers, start=1):
        for evaluation in tier:
            ranking.append(
                RankEntry(
                    rank=position,
                    tier=number,
                    candidate_id=evaluation.candidate_id,
                    name=evaluation.name,
                    final_score=evaluation.final_score or 0.0,
                    level=evaluation.level,
                    level_label=evaluation.level_label,
                    coverage=_coverage_text(evaluation),
                    confirmed=evaluation.coverage.confirmed if evaluation.coverage else [],
                    tied_with=[o.name for o in tier if o is not evaluation],
                )
            )
        position += len(tier)
    unranked = [
        UnrankedEntry(
            candidate_id=e.candidate_id,
            name=e.name,
            level_label=e.level_label or label("insufficient_evidence", language),
            coverage=_coverage_text(e),
            insufficient_dimensions=e.insufficient_dimensions,
            partial_score=e.partial_score,
        )
        for e in sorted(evaluations, key=lambda e: (e.name, e.candidate_id))
        if e.final_score is None
    ]
    order = " > ".join(" = ".join(e.name for e in tier) for tier in tiers)
    return GroupRanking(
        tie_margin=tie_margin,
        ranking=ranking,
        unranked=unranked,
        recommended_order=order,
        comparison=comparison_table([*complete, *_by_name(evaluations, unranked)], language),
        trade_offs=trade_offs(tiers, language),
    )


def _coverage_text(evaluation: CandidateEvaluation) -> str:
    return evaluation.coverage.text if evaluation.coverage else ""


def _by_name(evaluations, unranked) -> list[CandidateEvaluation]:
    ids = [u.candidate_id for u in unranked]
    by_id = {e.candidate_id: e for e in evaluations}
    return [by_id[i] for i in ids]


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def comparison_table(evaluations: list[CandidateEvaluation], language: str) -> dict:
    zh = lang(language) == "zh"
    columns = [
        "候选人" if zh else "Candidate",
        *(label(k, language) for k in DIMENSIONS),
        "综合得分" if zh else "Final score",
        "等级" if zh else "Level",
        "评估依据" if zh else "Evidence",
    ]
    rows = [
        [
            e.name,
            *(_fmt(e.dimension(k).score) for k in DIMENSIONS),
            _fmt(e.final_score),
            e.level_label,
            _coverage_text(e),
        ]
        for e in evaluations
    ]
    return {"columns": columns, "rows": rows}


TRADE_OFF_GAP = 0.5  # dimension points (1–5 scale) worth mentioning
MAX_TRADE_OFFS = 20


def trade_offs(tiers: list[list[CandidateEvaluation]], language: str) -> list[str]:
    """In words, for each neighbouring pair in the order: where the lower-placed candidate is
    better, and what the higher-placed one gives for it."""
    zh = lang(language) == "zh"
    ordered = [e for tier in tiers for e in tier]
    tier_of = {id(e): number for number, tier in enumerate(tiers) for e in tier}
    lines: list[str] = []
    for upper, lower in pairwise(ordered):
        ahead, behind = [], []
        for key in DIMENSIONS:
            a, b = upper.dimension(key).score, lower.dimension(key).score
            if a is None or b is None:
                continue
            if a - b >= TRADE_OFF_GAP:
                ahead.append(f"{label(key, language)} (+{a - b:.1f})")
            elif b - a >= TRADE_OFF_GAP:
                behind.append(f"{label(key, language)} (+{b - a:.1f})")
        tied = tier_of[id(upper)] == tier_of[id(lower)]
        gap = (upper.final_score or 0) - (lower.final_score or 0)
        if not ahead and not behind:
            continue
        if zh:
            head = f"{upper.name} 与 {lower.name} 分差 {gap:.1f} 分" + (
                "（在并列范围内）" if tied else ""
            )
            parts = [head]
            if ahead:
                parts.append(f"{upper.name} 胜在：{'、'.join(ahead)}")
            if behind:
                parts.append(f"{lower.name} 胜在：{'、'.join(behind)}")
            lines.append("；".join(parts) + "。")
        else:
            head = f"{upper.name} vs {lower.name}: {gap:.1f} points apart" + (
                " (within the tie margin)" if tied else ""
            )
            parts = [head]
            if ahead:
                parts.append(f"{upper.name} is stronger in {', '.join(ahead)}")
            if behind:
                parts.append(f"{lower.name} is stronger in {', '.join(behind)}")
            lines.append("; ".join(parts) + ".")
        if len(lines) >= MAX_TRADE_OFFS:
            break
    return lines


# -- registry ------------------------------------------------------------------------------------


class UnknownRecommendEngineError(ValueError):
    pass


ENGINES = EngineRegistry(
    "recommendation",
    {
        "embedded": "hrm2.ai.recommend_embedded:EmbeddedRecommendEngine",
        "llm": "hrm2.ai.recommend_llm:LLMRecommendEngine",
    },
    error=UnknownRecommendEngineError,
)
DEFAULT_ENGINE = ENGINES.default
register_recommend_engine = ENGINES.register
available_recommend_engines = ENGINES.available
get_recommend_engine = ENGINES.get
