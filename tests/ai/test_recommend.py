"""The recommendation rubric and ranking (embedded engine; no database)."""

import pytest

from hrm2.ai.recommend import (
    DEFAULT_WEIGHTS,
    CandidateInput,
    InterviewInput,
    ScreeningInput,
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


def test_no_interview_is_insufficient_not_three_of_five(engine):
    result = engine.evaluate(candidate("x", 0.75, interview=False), weights=WEIGHTS)
    assert result.level == "insufficient_evidence" and result.final_score is None
    assert result.insufficient_dimensions == ["interview_performance"]
    performance = result.dimension("interview_performance")
    assert performance.score is None and {s.status for s in performance.sub_scores} == {"missing"}
    assert result.partial_score == pytest.approx(75.0)
    assert 3.0 not in [s.score for d in result.dimensions for s in d.sub_scores]


def test_no_screening_leaves_resume_dimensions_without_evidence(engine):
    result = engine.evaluate(candidate("x", 0.75, screening=False), weights=WEIGHTS)
    assert set(result.insufficient_dimensions) == {"professional_competency", "work_experience"}


def test_ranking_ties_within_margin_and_unranked(engine):
    evaluations = [
        engine.evaluate(candidate(n, s, interview=i), weights=WEIGHTS)
        for n, s, i in (
            ("A", 0.9, True),
            ("B", 0.75, True),
            ("C", 0.74, True),
            ("D", 0.72, True),  # 2.0 below C but 3 below B, the tier's leader: not tied
            ("E", 0.5, False),
        )
    ]
    ranking = rank_group(evaluations)
    assert ranking.recommended_order == "A > B = C > D"
    assert [(r.rank, r.name) for r in ranking.ranking] == [(1, "A"), (2, "B"), (2, "C"), (4, "D")]
    assert [u.name for u in ranking.unranked] == ["E"]
    assert ranking.comparison["rows"][-1][0] == "E"
    assert len(ranking.comparison["rows"]) == 5


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
