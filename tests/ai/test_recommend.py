"""The recommendation rubric and ranking (embedded engine; no database)."""

import pytest

from hrm2.ai.recommend import (
    DEFAULT_WEIGHTS,
    CandidateInput,
    InterviewInput,
    ScreeningInput,
    VideoInput,
    available_recommend_engines,
    get_recommend_engine,
    level_for,
    normalise_weights,
    rank_group,
    weighted_score,
)
from hrm2.ai.recommend_embedded import EmbeddedRecommendEngine

WEIGHTS = normalise_weights(None)


def candidate(name: str, share: float, *, interview: bool = True, screening: bool = True):
    """Every rubric input at ``share`` (see tests/recommend/factory.py for the same idea)."""
    breakdown = {
        "technical.depth": 30 * share,
        "hr.experience": 30 * share,
        "hr.education": 25 * share,
        "hr.stability": 25 * share,
        "manager.projects": 35 * share,
        "manager.teamwork": 30 * share,
        "manager.leadership": 35 * share,
    }
    mean = 1 + 3 * share
    return CandidateInput(
        candidate_id=name,
        name=name,
        screening=ScreeningInput(
            report_id="r",
            confirmed=False,
            overall=100 * share,
            machine_overall=100 * share,
            breakdown=breakdown,
            criteria=[
                {"kind": "required_skill", "name": "Python", "verdict": "pass", "share": share}
            ],
        )
        if screening
        else None,
        interview=InterviewInput(
            session_ids=["s"],
            answers=4,
            dimension_means={
                d: mean
                for d in (
                    "technical_depth",
                    "practical_experience",
                    "answer_specificity",
                    "logical_clarity",
                    "honesty",
                    "communication",
                )
            },
            mean_normalized_score=100 * share,
            star_share=share,
            confidence_levels={"genuine": round(4 * share), "overconfident": 4 - round(4 * share)},
            report_id="rep",
            report_score=100 * share,
        )
        if interview
        else None,
    )


@pytest.fixture(scope="module")
def engine():
    return EmbeddedRecommendEngine()


def test_uniform_inputs_give_that_final_score(engine):
    for share, level in ((1.0, "strong_recommend"), (0.75, "recommend"), (0.5, "not_recommend")):
        result = engine.evaluate(candidate("x", share), weights=WEIGHTS)
        assert result.final_score == pytest.approx(100 * share)
        assert result.level == level
        assert all(d.score == pytest.approx(1 + 4 * share) for d in result.dimensions)
        assert all(len(d.sub_scores) == 4 for d in result.dimensions)


def test_levels_and_weights():
    assert [level_for(s) for s in (85, 84.9, 70, 55, 54.9)] == [
        "strong_recommend",
        "recommend",
        "recommend",
        "cautious",
        "not_recommend",
    ]
    assert sum(DEFAULT_WEIGHTS.values()) == pytest.approx(1)
    assert normalise_weights({"soft_skills": 0.4})["soft_skills"] == pytest.approx(
        0.4 / 1.2, abs=1e-6
    )
    for bad in ({"x": 1}, {"soft_skills": -1}, dict.fromkeys(DEFAULT_WEIGHTS, 0)):
        with pytest.raises(ValueError):
            normalise_weights(bad)
    # Σ w·(s−1)/4·100
    assert weighted_score({"soft_skills": 5.0, "cultural_fit": 1.0}, WEIGHTS) == pytest.approx(
        round(0.2 / 0.35 * 100, 1)
    )


def test_no_interview_ranks_on_the_evidence_that_exists_never_three_of_five(engine):
    result = engine.evaluate(candidate("x", 0.75, interview=False), weights=WEIGHTS)
    # the four dimensions with evidence, weights renormalised over them (0.30+0.25+0.20+0.15)
    assert result.final_score == pytest.approx(75.0) and result.level == "recommend"
    assert result.insufficient_dimensions == ["interview_performance"]
    assert result.effective_weights == pytest.approx(
        {
            "professional_competency": 0.3 / 0.9,
            "work_experience": 0.25 / 0.9,
            "soft_skills": 0.2 / 0.9,
            "cultural_fit": 0.15 / 0.9,
        },
        abs=1e-4,
    )
    assert sum(result.effective_weights.values()) == pytest.approx(1, abs=1e-3)
    performance = result.dimension("interview_performance")
    assert performance.score is None and {s.status for s in performance.sub_scores} == {"missing"}
    assert 3.0 not in [s.score for d in result.dimensions for s in d.sub_scores]
    assert result.coverage.text == "筛选，无面试"
    assert result.coverage.sources == ["screening"] and result.coverage.missing == ["interview"]


def test_renormalised_weights_follow_the_weights_not_a_plain_mean(engine):
    """Only the present dimensions' weights matter, in their ratio."""
    c = candidate("x", 0.75, interview=False)
    c.screening.breakdown["technical.depth"] = 30  # skill depth 5/5: competency up
    heavy = normalise_weights({"professional_competency": 0.9})
    light = normalise_weights({"professional_competency": 0.01})
    assert (
        engine.evaluate(c, weights=heavy).final_score
        > engine.evaluate(c, weights=WEIGHTS).final_score
        > engine.evaluate(c, weights=light).final_score
    )


def test_no_strong_recommend_without_an_interview_and_the_reasons_say_so(engine):
    for language, words in (("zh-hans", "尚无面试"), ("en", "No interview yet")):
        result = engine.evaluate(
            candidate("x", 1.0, interview=False), weights=WEIGHTS, language=language
        )
        assert result.final_score == pytest.approx(100.0)
        assert result.level == "recommend" and result.coverage.capped is True
        assert result.coverage.level_cap == "recommend"
        assert words in result.weaknesses[0] and words in result.analysis
    full = engine.evaluate(candidate("y", 1.0), weights=WEIGHTS)
    assert full.level == "strong_recommend" and full.coverage.level_cap is None
    assert full.coverage.text == "筛选 + 面试" and not full.coverage.note


def test_no_screening_leaves_resume_dimensions_without_evidence(engine):
    result = engine.evaluate(candidate("x", 1.0, screening=False), weights=WEIGHTS, language="en")
    assert set(result.insufficient_dimensions) == {"professional_competency", "work_experience"}
    assert result.final_score == pytest.approx(100.0) and result.level == "recommend"
    assert result.coverage.text == "interview, no screening"


def test_nothing_to_rank_on_is_insufficient_evidence(engine):
    result = engine.evaluate(
        candidate("x", 0.75, interview=False, screening=False), weights=WEIGHTS
    )
    assert result.level == "insufficient_evidence" and result.final_score is None
    assert result.level_label == "证据不足" and result.effective_weights == {}
    assert result.coverage.sources == [] and result.coverage.level_cap is None


def test_confirmed_and_reviewed_inputs_are_named(engine):
    c = candidate("x", 0.75, interview=False)
    c.screening.confirmed = True
    c.video = VideoInput(video_id="v", included=True, fraud_score=0.1, reviewed_fields=["summary"])
    result = engine.evaluate(c, weights=WEIGHTS)
    assert result.coverage.text == "筛选（人工已确认） + 视频（人工已复核），无面试"
    assert result.coverage.confirmed == ["screening", "video"]
    en = engine.evaluate(c, weights=WEIGHTS, language="en").coverage.text
    assert en == "screening (confirmed by a person) + video (reviewed by a person), no interview"
    c.video.included = False
    assert engine.evaluate(c, weights=WEIGHTS).coverage.text == "筛选（人工已确认），无面试"


def test_ranking_ties_within_margin_and_partial_evidence(engine):
    evaluations = [
        engine.evaluate(candidate(n, s, interview=i, screening=sc), weights=WEIGHTS)
        for n, s, i, sc in (
            ("A", 0.9, True, True),
            ("B", 0.75, True, True),
            ("C", 0.74, True, True),
            ("D", 0.72, True, True),  # 2.0 below C but 3 below B, the tier's leader: not tied
            ("E", 0.5, False, True),  # screening only: ranked on it
            ("F", 0.5, False, False),  # nothing: not ranked
        )
    ]
    ranking = rank_group(evaluations)
    assert ranking.recommended_order == "A > B = C > D > E"
    assert [(r.rank, r.name) for r in ranking.ranking] == [
        (1, "A"),
        (2, "B"),
        (2, "C"),
        (4, "D"),
        (5, "E"),
    ]
    assert ranking.ranking[-1].coverage == "筛选，无面试"
    assert [u.name for u in ranking.unranked] == ["F"]
    assert ranking.unranked[0].level_label == "证据不足"
    assert ranking.comparison["rows"][-1][0] == "F"
    assert ranking.comparison["rows"][-2][-1] == "筛选，无面试"
    assert len(ranking.comparison["rows"]) == 6


def test_trade_offs_name_the_dimensions(engine):
    strong_interview = candidate("面试强", 0.6)
    strong_interview.interview.report_score = 100
    strong_interview.interview.mean_normalized_score = 100
    strong_interview.interview.star_share = 1
    strong_resume = candidate("简历强", 0.7)
    strong_resume.interview.report_score = 0
    evaluations = [
        engine.evaluate(c, weights=WEIGHTS, language="en")
        for c in (strong_interview, strong_resume)
    ]
    lines = rank_group(evaluations, language="en").trade_offs
    assert lines and "面试强 is stronger in Interview performance" in lines[0]
    assert "简历强 is stronger in Cultural fit" in lines[0]


def test_registry():
    assert available_recommend_engines() == ["embedded", "llm"]
    assert get_recommend_engine().name == "embedded"
    with pytest.raises(ValueError):
        get_recommend_engine("nope")
