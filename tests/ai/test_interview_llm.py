"""The llm interview engine against the loopback OpenAI-compatible server (tests/ai/fake_llm.py)."""

import json

import pytest

from hrm2.ai import interview as engines
from hrm2.ai.interview import QuestionInput
from hrm2.ai.interview_llm import LLMInterviewEngine
from tests.ai.fake_llm import FakeLLM, Reply, answer
from tests.conftest import assert_success
from tests.interviews.test_api import RESUME, STRONG, VAGUE, _session, resume_id  # noqa: F401

CRITERIA = {"position": "后端工程师", "required_skills": ["Python", "Kafka"]}
DIMS = (
    "technical_depth",
    "practical_experience",
    "answer_specificity",
    "logical_clarity",
    "honesty",
    "communication",
)


def _questions(request) -> dict:
    user = request.messages[1]["content"]
    labels = json.loads(user.split("(copy the category text unchanged):\n", 1)[1].split("\n", 1)[0])
    out = []
    for label in labels:
        out.append(
            {
                "category": label,
                "question": "请讲讲支付平台重构中你负责的部分",
                "difficulty": 12,  # outside the band: clamped
                "expected_skills": ["Python"],
                "evaluation_points": ["个人职责"],
                "source": "resume",
                "evidence_quote": "项目一：支付平台重构",
            }
        )
        out.append(
            {
                "category": label,
                "question": "请讲讲你在火星的工作经历",
                "difficulty": 7,
                "source": "resume",
                "evidence_quote": "火星基地首席工程师",  # not in the resume: downgraded
            }
        )
    return {"questions": out}


def _evaluation(request) -> dict:
    text = (
        request.messages[1]["content"].split("<<<ANSWER>>>\n", 1)[1].split("\n<<<END ANSWER>>>")[0]
    )
    quote = text[:12]
    return {
        "dimensions": {
            d: {"score": 3, "reason": "具体", "evidence_quote": quote if d != "honesty" else "编造"}
            for d in DIMS
        },
        "confidence_level": "genuine",
        "answer_type": "normal_answer",
        "star": {
            k: {"found": True, "quote": quote} for k in ("situation", "task", "action", "result")
        },
        "followup": {
            "should_followup": True,
            "reason": "缺少个人贡献",
            "questions": ["你具体做了什么？"],
        },
        "overall_score": 100,  # ignored: scores are computed in code
    }


def _respond(request):
    system = request.messages[0]["content"]
    if "TASK: questions" in system:
        return answer(_questions(request))
    return answer(_evaluation(request))


def _engine(base_url, **kw):
    return LLMInterviewEngine(
        base_url=base_url, model="fake", timeout=5, max_retries=1, backoff_s=0.01, **kw
    )


def test_llm_questions_validated_and_grounded():
    with FakeLLM() as fake:
        fake.respond = _respond
        result = _engine(fake.base_url).generate_questions(
            RESUME, CRITERIA, categories=["简历相关", "专业能力"], level="mid"
        )
    assert result.engine == "llm" and result.fallback_reason is None
    assert len(result.questions) == 4 and result.llm_calls[0].prompt_version == "interview_v1"
    grounded, invented = result.questions[0], result.questions[1]
    assert grounded.source == "resume" and grounded.difficulty == 7
    assert RESUME[grounded.evidence[0].start : grounded.evidence[0].end] == "项目一：支付平台重构"
    assert invented.source == "behavioral" and invented.evidence == []
    assert "<<<RESUME>>>" in fake.requests[0].messages[1]["content"]


def test_llm_focus_false_sends_no_resume():
    with FakeLLM() as fake:
        fake.respond = _respond
        result = _engine(fake.base_url).generate_questions(
            RESUME, CRITERIA, categories=["专业能力"], focus_on_resume=False
        )
    assert all(q.source != "resume" for q in result.questions)
    assert "张伟" not in fake.requests[0].messages[1]["content"]


def test_llm_evaluation_scores_in_code_and_checks_quotes():
    with FakeLLM() as fake:
        fake.respond = _respond
        q = QuestionInput(content="缓存如何设计？", expected_skills=["Redis"], difficulty=6)
        result = _engine(fake.base_url).evaluate_answer(q, STRONG, criteria=CRITERIA)
    ev = result.evaluation
    assert result.engine == "llm" and ev.normalized_score == 75.0
    assert ev.dimensions["honesty"].evidence == []  # invented quote dropped
    quote = ev.dimensions["technical_depth"].evidence[0]
    assert STRONG[quote.start : quote.end] == quote.quote
    assert result.followup_recommendation.questions == ["你具体做了什么？"]
    assert any("Kafka" in a for a in result.followup_recommendation.alternative_questions)
    assert "<<<ANSWER>>>" in fake.requests[0].messages[1]["content"]


def test_llm_invalid_output_is_repaired_then_falls_back():
    with FakeLLM() as fake:
        fake.respond = lambda request: Reply(content="not json")
        q = QuestionInput(content="缓存如何设计？", difficulty=6)
        result = _engine(fake.base_url).evaluate_answer(q, VAGUE)
    assert len(fake.requests) == 2 and fake.requests[1].repairs == 1
    assert result.engine == "embedded" and "invalid answer" in result.fallback_reason
    assert [c.outcome for c in result.llm_calls] == ["retry", "error"]


def test_llm_down_falls_back_visibly():
    q = QuestionInput(content="缓存如何设计？", difficulty=6)
    result = _engine("http://127.0.0.1:9").evaluate_answer(q, VAGUE)
    assert result.engine == "embedded" and "connection refused" in result.fallback_reason
    assert (
        LLMInterviewEngine(base_url="", model="")
        .generate_questions(RESUME, CRITERIA, categories=["行为面试"])
        .fallback_reason
        == "LLM not configured"
    )


@pytest.mark.django_db
def test_llm_session_through_http(hr, resume_id, monkeypatch):  # noqa: F811
    with FakeLLM() as fake:
        fake.respond = _respond
        monkeypatch.setitem(engines.ENGINES.instances, "llm", _engine(fake.base_url))
        sid = _session(hr, resume_id, engine="llm")["session_id"]
        data = assert_success(
            hr.post(
                f"/interview-assist/sessions/{sid}/generate-questions/",
                {"categories": ["专业能力"]},
            )
        )
        assert data["engine"] == "llm" and len(data["questions"]) == 2
        body = {"question": {"id": data["questions"][0]["id"]}, "answer": {"content": STRONG}}
        rec = assert_success(hr.post(f"/interview-assist/sessions/{sid}/record-qa/", body))
    assert rec["engine"] == "llm" and rec["evaluation"]["normalized_score"] == 75.0
    report = assert_success(hr.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))
    assert report["report"]["overall_score"] == 75.0
