"""The embedded interview engine: labelled answers, questions from the resume, report, speed."""

import time
from datetime import date

import pytest

from hrm2.ai.interview import DIMENSIONS, QuestionInput, SessionData, SessionRecord
from hrm2.ai.interview_embedded import EmbeddedInterviewEngine

from .fixtures.interview_labelled import CASES, HIGH_MIN, LOW_MAX

RESUME = (
    "张伟\n本科 计算机科学 2012-2016\n工作经历\n"
    "2016.07-2019.06 某科技公司 后端工程师，负责订单系统\n"
    "2020.03-2025.05 星云数据有限公司 高级后端工程师，负责交易系统，带领 5 人团队\n"
    "精通 Python、Django、Redis、PostgreSQL，10年工作经验\n"
    "项目经历\n项目一：支付平台重构\n项目二：订单中心拆分\n"
)
CRITERIA = {"position": "后端工程师", "required_skills": ["Python", "Django", "Kafka"]}


@pytest.fixture(scope="module")
def iengine():
    engine = EmbeddedInterviewEngine(reference_date=date(2025, 6, 1))
    engine.warm_up()
    return engine


def test_labelled_set_is_big_enough_and_bilingual():
    assert len(CASES) >= 30
    assert sum(1 for c in CASES if c[0].startswith("zh")) >= 10
    assert sum(1 for c in CASES if c[0].startswith("en")) >= 10
    assert {c[5] for c in CASES} == {"high", "low"}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_labelled_answers_score_in_band_with_reasons(iengine, case):
    _id, question, skills, difficulty, answer, band, reasons = case
    language = "en" if _id.startswith("en") else "zh-hans"
    q = QuestionInput(content=question, expected_skills=skills, difficulty=difficulty)
    result = iengine.evaluate_answer(q, answer, criteria=CRITERIA, language=language)
    evaluation = result.evaluation
    score = evaluation.normalized_score
    if band == "high":
        assert score >= HIGH_MIN, (score, evaluation.dimensions)
        assert evaluation.confidence_level == "genuine"
        assert evaluation.answer_type == "normal_answer"
    else:
        assert score <= LOW_MAX, (score, evaluation.dimensions)
        assert result.followup_recommendation.should_followup
    codes = result.followup_recommendation.reason_codes
    assert set(reasons) <= set(codes), codes
    assert 1 <= len(result.followup_recommendation.questions) <= 3 or not codes
    for dim in DIMENSIONS:
        for ev in evaluation.dimensions[dim].evidence:
            assert answer[ev.start : ev.end] == ev.quote
    mean = sum(d.score for d in evaluation.dimensions.values()) / 6
    penalty = 10 if evaluation.confidence_level == "overconfident" else 0
    assert score == round(max(0, mean * 25 - penalty), 1)


def test_deterministic(iengine):
    q = QuestionInput(content=CASES[0][1], expected_skills=["Redis"], difficulty=6)
    first = iengine.evaluate_answer(q, CASES[0][4]).model_dump(exclude={"timings_ms"})
    assert iengine.evaluate_answer(q, CASES[0][4]).model_dump(exclude={"timings_ms"}) == first
    a = iengine.generate_questions(RESUME, CRITERIA, categories=["简历相关", "专业能力"])
    b = iengine.generate_questions(RESUME, CRITERIA, categories=["简历相关", "专业能力"])
    assert a.model_dump(exclude={"timings_ms"}) == b.model_dump(exclude={"timings_ms"})


def test_questions_use_the_resume_analysis(iengine):
    qs = iengine.generate_questions(
        RESUME, CRITERIA, categories=["简历相关"], count_per_category=6, level="mid"
    )
    kinds = {q.bank_id for q in qs.questions}
    assert {"R-project", "R-leadership", "R-claim", "R-gap", "R-employer"} <= kinds
    gap = next(q for q in qs.questions if q.bank_id == "R-gap")
    assert "2019.06" in gap.question and "2020.03" in gap.question
    for q in qs.questions:
        assert q.source == "resume" and q.evidence and 5 <= q.difficulty <= 7
        for ev in q.evidence:
            assert RESUME[ev.start : ev.end] == ev.quote
    technical = iengine.generate_questions(
        RESUME, CRITERIA, categories=["专业能力"], count_per_category=3
    ).questions
    assert [q.expected_skills for q in technical] == [["Python"], ["Django"], ["Kafka"]]
    assert technical[0].evidence and not technical[2].evidence  # Kafka is not in the resume


def test_report_with_and_without_evidence(iengine):
    empty = iengine.write_report(
        SessionData(candidate_name="张伟", position_title="后端", criteria=CRITERIA)
    )
    assert empty.insufficient_evidence and empty.overall_score is None
    assert empty.recommendation == "undecided" and "证据不足" in empty.summary
    records = []
    for n, case in enumerate(CASES[:3], start=1):
        q = QuestionInput(content=case[1], expected_skills=case[2], difficulty=case[3])
        result = iengine.evaluate_answer(q, case[4], criteria=CRITERIA)
        records.append(
            SessionRecord(
                round_number=n,
                question=q,
                answer=case[4],
                evaluation=result.evaluation,
                followup=result.followup_recommendation,
            )
        )
    report = iengine.write_report(
        SessionData(
            candidate_name="张伟",
            position_title="后端",
            resume_text=RESUME,
            criteria=CRITERIA,
            records=records,
        ),
        language="en",
    )
    assert report.overall_score >= 70 and report.recommendation in {"hire", "strong_hire"}
    assert report.highlights and all(d.average is not None for d in report.dimension_analysis)
    assert "Kafka" in report.coverage["uncovered"]
    assert any("gap" in flag.lower() for flag in report.red_flags)


def test_under_200_ms_per_call(iengine):
    q = QuestionInput(content=CASES[0][1], expected_skills=["Redis"], difficulty=6)
    started = time.perf_counter()
    for _ in range(10):
        iengine.generate_questions(
            RESUME, CRITERIA, categories=["简历相关", "专业能力", "行为面试"]
        )
        iengine.evaluate_answer(q, CASES[0][4], criteria=CRITERIA)
    assert (time.perf_counter() - started) / 10 < 0.2
