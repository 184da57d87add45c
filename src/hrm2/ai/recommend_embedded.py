"""The ``embedded`` recommendation engine: a fixed rubric over the structured inputs.

Each dimension has four sub-scores; each sub-score reads one input value and maps its share
(0–1) onto 1–5 (``1 + 4·share``), recording the value in ``basis``:

================  ===========================================================================
dimension         sub-scores (source)
================  ===========================================================================
professional      required skills, nice-to-have skills (credit of the screening's criteria:
competency        pass 1, partial ½, or the reviewer's score when confirmed), skill depth
                  (screening ``technical.depth``/30), technical depth in interview (mean 1–4)
work experience   years (``hr.experience``/30), education (``hr.education``/25), projects
                  (``manager.projects``/35), practical experience in interview (mean 1–4)
soft skills       teamwork (``manager.teamwork``/30), leadership (``manager.leadership``/35),
                  communication and logical clarity in interview (means 1–4)
cultural fit      fit with the position (screening total, the reviewer-confirmed one when
                  confirmed), career stability (``hr.stability``/25), honesty in interview,
                  confidence calibration (genuine 1, uncertain ½, overconfident 0)
interview         answer quality (mean normalised answer score), specificity (mean 1–4), STAR
performance       completeness (share of elements found), the interview report's total
================  ===========================================================================

Interview means map 1–4 onto 1–5 as ``(m − 1)/3``. A sub-score without its input is
``missing`` (never a default 3/5); a criterion list the position does not have is
``not_applicable``. Dimension and final scores are computed in :mod:`hrm2.ai.recommend`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hrm2.ai.recommend import (
    DIMENSIONS,
    CandidateEvaluation,
    CandidateInput,
    DimensionResult,
    SubScore,
    finish,
    label,
    lang,
    to_five,
)

STRONG_SUB = 4.2
WEAK_SUB = 2.2
STRONG_DIMENSION = 4.0
WEAK_DIMENSION = 2.5
FRAUD_FLAG = 0.5


@dataclass(frozen=True)
class Reading:
    """What a sub-score reads: a share 0–1, or why there is none."""

    share: float | None
    basis: str
    status: str = "scored"  # or missing / not_applicable


def _missing(basis: str) -> Reading:
    return Reading(None, basis, "missing")


NO_SCREENING = "no completed screening report"
NO_INTERVIEW = "no evaluated interview answers"


def _criteria(kind: str) -> Callable[[CandidateInput], Reading]:
    def read(c: CandidateInput) -> Reading:
        if c.screening is None:
            return _missing(NO_SCREENING)
        items = [i for i in c.screening.criteria if i.kind == kind]
        if not items:
            return Reading(None, f"the position lists no {kind.replace('_', ' ')}s", "n/a")
        share = sum(i.share for i in items) / len(items)
        listed = ", ".join(f"{i.name} {i.verdict} {i.share:g}" for i in items[:8])
        source = "confirmed" if c.screening.confirmed else "machine"
        return Reading(share, f"screening {kind} credit {share:.2f} ({source}: {listed})")

    return read


def _breakdown(key: str, maximum: float) -> Callable[[CandidateInput], Reading]:
    def read(c: CandidateInput) -> Reading:
        if c.screening is None:
            return _missing(NO_SCREENING)
        if key not in c.screening.breakdown:
            return _missing(f"screening breakdown has no {key}")
        value = c.screening.breakdown[key]
        return Reading(value / maximum, f"screening {key} = {value:g}/{maximum:g}")

    return read


def _position_fit(c: CandidateInput) -> Reading:
    if c.screening is None:
        return _missing(NO_SCREENING)
    s = c.screening
    source = (
        f"reviewer-confirmed total {s.overall:g} (machine {s.machine_overall:g})"
        if s.confirmed
        else f"machine total {s.overall:g} (not yet confirmed by a reviewer)"
    )
    return Reading(s.overall / 100, f"screening {source}/100")


def _interview_mean(dimension: str) -> Callable[[CandidateInput], Reading]:
    def read(c: CandidateInput) -> Reading:
        if c.interview is None or c.interview.answers == 0:
            return _missing(NO_INTERVIEW)
        mean = c.interview.dimension_means.get(dimension)
        if mean is None:
            return _missing(f"no interview score for {dimension}")
        return Reading(
            (mean - 1) / 3,
            f"interview {dimension} mean {mean:.2f}/4 over {c.interview.answers} answer(s)",
        )

    return read


def _calibration(c: CandidateInput) -> Reading:
    if c.interview is None or c.interview.answers == 0:
        return _missing(NO_INTERVIEW)
    levels = c.interview.confidence_levels
    total = sum(levels.values())
    if not total:
        return _missing("no confidence level recorded")
    share = (levels.get("genuine", 0) + 0.5 * levels.get("uncertain", 0)) / total
    counts = ", ".join(f"{k} {v}" for k, v in sorted(levels.items()))
    return Reading(share, f"interview confidence levels: {counts}")


def _answer_quality(c: CandidateInput) -> Reading:
    if c.interview is None or c.interview.answers == 0:
        return _missing(NO_INTERVIEW)
    if c.interview.mean_normalized_score is None:
        return _missing("no normalised answer score")
    value = c.interview.mean_normalized_score
    return Reading(value / 100, f"interview mean answer score {value:.1f}/100")


def _star(c: CandidateInput) -> Reading:
    if c.interview is None or c.interview.answers == 0:
        return _missing(NO_INTERVIEW)
    if c.interview.star_share is None:
        return _missing("no STAR analysis")
    return Reading(
        c.interview.star_share, f"interview STAR elements found {c.interview.star_share:.2f}"
    )


def _report(c: CandidateInput) -> Reading:
    if c.interview is None or c.interview.answers == 0:
        return _missing(NO_INTERVIEW)
    if c.interview.report_score is None:
        return _missing("no interview report with a total")
    return Reading(
        c.interview.report_score / 100,
        f"interview report {c.interview.report_id} total {c.interview.report_score:g}/100",
    )


RUBRIC: dict[str, tuple[tuple[str, str, Callable[[CandidateInput], Reading]], ...]] = {
    "professional_competency": (
        ("required_skills", "screening", _criteria("required_skill")),
        ("optional_skills", "screening", _criteria("optional_skill")),
        ("skill_depth", "screening", _breakdown("technical.depth", 30)),
        ("technical_answers", "interview", _interview_mean("technical_depth")),
    ),
    "work_experience": (
        ("experience_years", "screening", _breakdown("hr.experience", 30)),
        ("education", "screening", _breakdown("hr.education", 25)),
        ("projects", "screening", _breakdown("manager.projects", 35)),
        ("practical_experience", "interview", _interview_mean("practical_experience")),
    ),
    "soft_skills": (
        ("teamwork", "screening", _breakdown("manager.teamwork", 30)),
        ("leadership", "screening", _breakdown("manager.leadership", 35)),
        ("communication", "interview", _interview_mean("communication")),
        ("logical_clarity", "interview", _interview_mean("logical_clarity")),
    ),
    "cultural_fit": (
        ("position_fit", "screening", _position_fit),
        ("stability", "screening", _breakdown("hr.stability", 25)),
        ("honesty", "interview", _interview_mean("honesty")),
        ("confidence_calibration", "interview", _calibration),
    ),
    "interview_performance": (
        ("answer_quality", "interview", _answer_quality),
        ("answer_specificity", "interview", _interview_mean("answer_specificity")),
        ("star_completeness", "interview", _star),
        ("interview_report", "interview", _report),
    ),
}
assert tuple(RUBRIC) == DIMENSIONS


def rubric_sub_scores(candidate: CandidateInput, dimension: str, language: str) -> list[SubScore]:
    """The dimension's four sub-scores as the rubric reads them from the inputs."""
    out = []
    for key, source, read in RUBRIC[dimension]:
        reading = read(candidate)
        status = {"n/a": "not_applicable"}.get(reading.status, reading.status)
        out.append(
            SubScore(
                key=key,
                label=label(key, language),
                source=source,  # type: ignore[arg-type]
                status=status,  # type: ignore[arg-type]
                score=to_five(reading.share) if reading.share is not None else None,
                basis=reading.basis,
            )
        )
    return out


VIDEO_REASONS = {
    "zh": {
        "not_requested": "本次评估未选择纳入视频分析",
        "not_completed": "视频分析尚未完成",
        "not_reviewed": "视频分析尚未经人工复核（未在视频页修正，也未在审核模块通过），"
        "其数值不纳入",
    },
    "en": {
        "not_requested": "video analyses were not requested for this evaluation",
        "not_completed": "the video analysis has not completed",
        "not_reviewed": "the video analysis has not been reviewed by a person (not corrected on "
        "its page nor passed in the audit module), so its values are excluded",
    },
}


def video_block(candidate: CandidateInput, language: str) -> dict:
    """The advisory video part: included only when a reviewer passed it; never scored."""
    zh = lang(language) == "zh"
    video = candidate.video
    if video is None:
        return {"included": False, "reason": "未关联面试视频" if zh else "no video linked"}
    if not video.included:
        reason = VIDEO_REASONS["zh" if zh else "en"].get(video.reason_code) or video.reason
        return {"included": False, "video_id": video.video_id, "reason": reason}
    return {
        "included": True,
        "video_id": video.video_id,
        "fraud_score": video.fraud_score,
        "confidence_score": video.confidence_score,
        "traits": video.traits,
        "reviewed_fields": video.reviewed_fields,
        "reviewed": True,
        "note": (
            "已经人工复核；外在印象，仅供参考，不计入任何得分"
            if zh
            else "reviewed by a person; apparent impressions, advisory; not part of any score"
        ),
    }


def _sub_line(sub: SubScore) -> str:
    return f"{sub.label} {sub.score:.1f}" if sub.score is not None else f"{sub.label} —"


def describe_dimension(dim: DimensionResult, language: str) -> None:
    """Strengths, weaknesses and a one-line analysis of a scored or insufficient dimension."""
    zh = lang(language) == "zh"
    dim.strengths = [
        f"{s.label} {s.score:.1f}/5" for s in dim.sub_scores if (s.score or 0) >= STRONG_SUB
    ]
    dim.weaknesses = [
        f"{s.label} {s.score:.1f}/5"
        for s in dim.sub_scores
        if s.score is not None and s.score <= WEAK_SUB
    ]
    dim.missing = [f"{s.label}: {s.basis}" for s in dim.sub_scores if s.status == "missing"]
    parts = "、".join(_sub_line(s) for s in dim.sub_scores if s.status != "not_applicable")
    if dim.score is None:
        dim.analysis = (
            f"{dim.label}证据不足（评分项不足两项）：{parts}"
            if zh
            else f"{dim.label}: insufficient evidence (fewer than two sub-scores): {parts}"
        )
    else:
        dim.analysis = (
            f"{dim.label} {dim.score:.1f}/5：{parts}"
            if zh
            else f"{dim.label} {dim.score:.1f}/5: {parts}"
        )


def describe_candidate(evaluation: CandidateEvaluation, candidate: CandidateInput, language: str):
    """Candidate-level strengths, weaknesses and analysis from the computed scores and inputs."""
    zh = lang(language) == "zh"
    strengths = [
        f"{d.label} {d.score:.1f}/5"
        for d in evaluation.dimensions
        if d.score is not None and d.score >= STRONG_DIMENSION
    ]
    weaknesses = [
        f"{d.label} {d.score:.1f}/5"
        for d in evaluation.dimensions
        if d.score is not None and d.score <= WEAK_DIMENSION
    ]
    if candidate.screening:
        strengths += candidate.screening.strengths[:2]
        weaknesses += candidate.screening.weaknesses[:2]
    if candidate.interview:
        strengths += candidate.interview.highlights[:2]
        weaknesses += candidate.interview.red_flags[:2]
    video = evaluation.video
    if video.get("included") and (video.get("fraud_score") or 0) >= FRAUD_FLAG:
        weaknesses.append(
            f"视频分析提示作弊风险（{video['fraud_score']:.2f}），需人工复核"
            if zh
            else f"the video analysis flags a fraud risk ({video['fraud_score']:.2f}); "
            "check it in person"
        )
    for dim in evaluation.dimensions:
        if dim.score is None:
            weaknesses.append(
                f"{dim.label}证据不足" if zh else f"{dim.label}: insufficient evidence"
            )
    coverage = evaluation.coverage
    if coverage is not None and coverage.note:
        weaknesses.insert(0, coverage.note)
    evaluation.strengths = list(dict.fromkeys(strengths))[:8]
    evaluation.weaknesses = list(dict.fromkeys(weaknesses))[:8]
    best = max(
        (d for d in evaluation.dimensions if d.score is not None),
        key=lambda d: d.score or 0,
        default=None,
    )
    worst = min(
        (d for d in evaluation.dimensions if d.score is not None),
        key=lambda d: d.score or 0,
        default=None,
    )
    basis = coverage.text if coverage is not None else ""
    if evaluation.final_score is not None:
        head = (
            f"{evaluation.name}：综合得分 {evaluation.final_score:.1f}，{evaluation.level_label}"
            f"（依据：{basis}）。"
            if zh
            else f"{evaluation.name}: final score {evaluation.final_score:.1f}, "
            f"{evaluation.level_label} (based on: {basis})."
        )
        if evaluation.insufficient_dimensions:
            names = "、".join(label(k, language) for k in evaluation.insufficient_dimensions)
            head += (
                f"{names}无证据，权重按已有维度重新归一。"
                if zh
                else f" No evidence for {names}: the weights are renormalised over the "
                "other dimensions."
            )
        if coverage is not None and coverage.note:
            head += f"{coverage.note}。" if zh else f" {coverage.note}."
    else:
        head = (
            f"{evaluation.name}：{basis}，不给出综合得分，不参与排名。"
            if zh
            else f"{evaluation.name}: {basis}; no final score, not ranked."
        )
    tail = ""
    if best is not None and worst is not None and best is not worst:
        tail = (
            f"最强：{best.label}（{best.score:.1f}/5）；最弱：{worst.label}（{worst.score:.1f}/5）。"
            if zh
            else f" Strongest: {best.label} ({best.score:.1f}/5); weakest: {worst.label} "
            f"({worst.score:.1f}/5)."
        )
    evaluation.analysis = head + tail


class EmbeddedRecommendEngine:
    name = "embedded"
    version = "1.0.0"
    parallelism = 1

    def evaluate(
        self, candidate: CandidateInput, *, weights: dict[str, float], language: str = "zh-hans"
    ) -> CandidateEvaluation:
        dimensions = [
            DimensionResult(
                key=key,
                label=label(key, language),
                weight=weights[key],
                status="insufficient_evidence",
                sub_scores=rubric_sub_scores(candidate, key, language),
            )
            for key in DIMENSIONS
        ]
        evaluation = CandidateEvaluation(
            candidate_id=candidate.candidate_id,
            name=candidate.name,
            engine=self.name,
            engine_version=self.version,
            dimensions=dimensions,
            level="insufficient_evidence",
            level_label="",
            video=video_block(candidate, language),
        )
        return explain(evaluation, candidate, weights=weights, language=language)


def explain(
    evaluation: CandidateEvaluation,
    candidate: CandidateInput,
    *,
    weights: dict[str, float],
    language: str,
    keep_text: bool = False,
) -> CandidateEvaluation:
    """Scores in code, then the words (``keep_text``: an engine already wrote the dimensions')."""
    finish(evaluation, candidate=candidate, weights=weights, language=language)
    for dim in evaluation.dimensions:
        if keep_text:
            dim.missing = [f"{s.label}: {s.basis}" for s in dim.sub_scores if s.status == "missing"]
        else:
            describe_dimension(dim, language)
    describe_candidate(evaluation, candidate, language)
    return evaluation
