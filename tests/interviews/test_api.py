"""Interview assistant endpoints (seed 000 §3.5) through HTTP with real JWTs."""

import io

import docx
import pytest
from pypdf import PdfReader

from hrm2.interviews.models import InterviewSession, QARecord
from hrm2.resumes.models import Resume
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

CRITERIA = {
    "position": "后端工程师",
    "required_skills": ["Python", "Django", "Kafka"],
    "optional_skills": ["Redis", "Kubernetes"],
    "min_experience": 3,
    "education": ["本科"],
}
RESUME = (
    "张伟\n本科 计算机科学 2012-2016\n工作经历\n"
    "2016.07-2019.06 某科技公司 后端工程师，负责订单系统\n"
    "2020.03-2025.05 星云数据有限公司 高级后端工程师，负责交易系统，带领 5 人团队\n"
    "精通 Python、Django、Redis、PostgreSQL，10年工作经验\n"
    "项目经历\n项目一：支付平台重构\n项目二：订单中心拆分\n"
)
STRONG = (
    "当时我们的交易系统高峰期 QPS 达到 2 万，数据库压力很大。我负责缓存层的改造：首先我设计了基于 "
    "Redis 的二级缓存，因为热点数据集中，所以用本地缓存挡住 80% 的读；然后我引入了过期时间随机化和"
    "互斥锁防止击穿。最终数据库 QPS 从 2 万降到 3000，P99 延迟从 800ms 降到 120ms。"
)
VAGUE = "我们用了 Python 和 Django，效果还不错，大家一起做的。"


@pytest.fixture
def resume_id(hr):
    position = assert_success(hr.post("/position-settings/", CRITERIA), 201)
    return assert_success(
        hr.post(
            "/resume-screening/data/",
            {"position_id": position["id"], "resume_content": RESUME},
        ),
        201,
    )["id"]


def _session(client, resume_id, **extra):
    return assert_success(
        client.post("/interview-assist/sessions/", {"resume_data_id": resume_id, **extra}), 201
    )


def test_create_session_with_seed_fields_and_defaults(hr, resume_id):
    data = _session(hr, resume_id)
    assert {"session_id", "candidate_name", "position_title", "status", "created_at"} <= set(data)
    assert data["candidate_name"] == "张伟" and data["position_title"] == "后端工程师"
    assert data["status"] == "active" and data["interviewer_name"] == "面试官"
    summary = data["resume_summary"]
    assert "Python" in summary["skills"] and summary["gaps"][0]["months"] == 9
    assert Resume.objects.get(pk=resume_id).status == "interviewing"
    custom = _session(hr, resume_id, interviewer_name="李面", job_config={"title": "平台工程师"})
    assert custom["position_title"] == "平台工程师" and custom["interviewer_name"] == "李面"


def test_create_session_invalid_input(hr, client_for, resume_id):
    assert_error(hr.post("/interview-assist/sessions/", {}), 422)
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(hr.post("/interview-assist/sessions/", {"resume_data_id": missing}), 404)
    body = {"resume_data_id": resume_id, "engine": "nope"}
    assert_error(hr.post("/interview-assist/sessions/", body), 422)
    body = {"resume_data_id": resume_id, "job_config": {"min_experience": "lots"}}
    errors = assert_error(hr.post("/interview-assist/sessions/", body), 422)["errors"]
    assert errors[0]["loc"][:2] == ["body", "job_config"]
    reviewer = client_for("reviewer")
    assert_error(reviewer.post("/interview-assist/sessions/", {"resume_data_id": resume_id}), 403)


def test_unknown_session_and_anonymous(hr, anon):
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(hr.get(f"/interview-assist/sessions/{missing}/"), 404)
    assert_error(hr.post(f"/interview-assist/sessions/{missing}/generate-questions/", {}), 404)
    body = {"question": {"content": "q"}, "answer": {"content": "a"}}
    assert_error(hr.post(f"/interview-assist/sessions/{missing}/record-qa/", body), 404)
    assert_error(hr.post(f"/interview-assist/sessions/{missing}/generate-report/", {}), 404)
    assert_error(hr.delete(f"/interview-assist/sessions/{missing}/"), 404)
    assert_error(anon.get("/interview-assist/sessions/"), 401)


def test_generate_questions_defaults_cite_the_resume(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    data = assert_success(hr.post(f"/interview-assist/sessions/{sid}/generate-questions/", {}))
    questions = data["questions"]
    assert len(questions) == 6 and data["total_in_pool"] == 6
    assert [q["id"] for q in questions] == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert [q["category"] for q in questions] == ["简历相关"] * 2 + ["专业能力"] * 2 + [
        "行为面试"
    ] * 2
    for q in questions:
        assert 7 <= q["difficulty"] <= 9  # senior band
        assert q["source"] in {"resume", "skill", "behavioral"}
        assert {"expected_skills", "evaluation_points", "evidence"} <= set(q)
        for ev in q["evidence"]:
            assert RESUME[ev["start"] : ev["end"]] == ev["quote"]
    resume_based = [q for q in questions if q["source"] == "resume"]
    assert resume_based and all(q["evidence"] for q in resume_based)
    assert any(h["kind"] == "gap" for h in data["resume_highlights"]) and data["interest_points"]
    # generating again appends only new questions, ids continue
    more = assert_success(
        hr.post(
            f"/interview-assist/sessions/{sid}/generate-questions/",
            {"categories": ["专业能力"], "count_per_category": 4},
        )
    )
    assert [q["id"] for q in more["questions"]] == ["q7", "q8", "q9", "q10"]
    assert {q["question"] for q in more["questions"]}.isdisjoint(q["question"] for q in questions)
    assert more["total_in_pool"] == 10


def test_generate_questions_honours_false_and_zero(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/generate-questions/"
    for falsy in (False, 0):
        data = assert_success(hr.post(url, {"focus_on_resume": falsy, "candidate_level": "junior"}))
        assert all(q["source"] != "resume" and not q["evidence"] for q in data["questions"])
        assert all(3 <= q["difficulty"] <= 5 for q in data["questions"])
    errors = assert_error(hr.post(url, {"count_per_category": 0}), 422)["errors"]
    assert errors[0]["loc"] == ["body", "count_per_category"]
    assert_error(hr.post(url, {"count_per_category": 11}), 422)
    assert_error(hr.post(url, {"candidate_level": "guru"}), 422)
    assert_error(hr.post(url, {"categories": []}), 422)
    assert_error(hr.post(url, {"categories": ["占星术"]}), 422)
    data = assert_success(hr.post(url, {"categories": ["Behavioral"], "count_per_category": 1}))
    assert len(data["questions"]) == 1 and data["questions"][0]["source"] == "behavioral"


def test_english_questions_and_hints(client_for, resume_id):
    hr_en = client_for("hr", headers={"Accept-Language": "en"})
    sid = _session(hr_en, resume_id)["session_id"]
    data = assert_success(
        hr_en.post(
            f"/interview-assist/sessions/{sid}/generate-questions/", {"categories": ["Technical"]}
        )
    )
    assert data["questions"][0]["question"].isascii()
    default = assert_success(
        hr_en.post(f"/interview-assist/sessions/{sid}/generate-questions/", {})
    )  # all categories, by their English names
    assert {q["category"] for q in default["questions"]} == {"Resume", "Technical", "Behavioral"}
    body = {"question": {"id": data["questions"][0]["id"]}, "answer": {"content": VAGUE}}
    rec = assert_success(hr_en.post(f"/interview-assist/sessions/{sid}/record-qa/", body))
    assert any("'we'" in hint for hint in rec["hr_action_hints"])


def test_record_qa_evaluates_and_numbers_rounds(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    pool = assert_success(hr.post(f"/interview-assist/sessions/{sid}/generate-questions/", {}))
    technical = next(q for q in pool["questions"] if q["category"] == "专业能力")
    url = f"/interview-assist/sessions/{sid}/record-qa/"
    strong = assert_success(
        hr.post(
            url,
            {
                "question": {"id": technical["id"]},
                "answer": {"content": STRONG, "duration_seconds": 95},
            },
        )
    )
    assert strong["round_number"] == 1 and strong["qa_record_id"]
    evaluation = strong["evaluation"]
    assert set(evaluation["dimensions"]) == {
        "technical_depth",
        "practical_experience",
        "answer_specificity",
        "logical_clarity",
        "honesty",
        "communication",
    }
    for dim in evaluation["dimensions"].values():
        assert 1 <= dim["score"] <= 4 and dim["reason"]
        for ev in dim["evidence"]:
            assert STRONG[ev["start"] : ev["end"]] == ev["quote"]
    mean = sum(d["score"] for d in evaluation["dimensions"].values()) / 6
    assert evaluation["normalized_score"] == round(mean * 25, 1)
    assert evaluation["confidence_level"] == "genuine"
    assert evaluation["answer_type"] == "normal_answer"
    assert evaluation["star"]["result"]["found"] is True
    assert isinstance(strong["hr_action_hints"], list) and strong["hr_action_hints"]
    vague = assert_success(
        hr.post(
            url,
            {
                "question": {
                    "content": "请讲讲你在项目中如何使用 Django",
                    "expected_skills": ["Django"],
                },
                "answer": {"content": VAGUE},
            },
        )
    )
    assert vague["round_number"] == 2
    assert vague["evaluation"]["normalized_score"] < evaluation["normalized_score"]
    follow = vague["followup_recommendation"]
    assert follow["should_followup"] is True and 1 <= len(follow["questions"]) <= 3
    assert "we_not_i" in follow["reason_codes"] and "no_result" in follow["reason_codes"]
    assert any("Kafka" in q for q in follow["alternative_questions"])  # criteria not covered yet
    assert any("我们" in h for h in vague["hr_action_hints"])
    skipped = assert_success(
        hr.post(
            url,
            {
                "question": {"content": "自我介绍"},
                "answer": {"content": "我叫张伟"},
                "skip_evaluation": True,
            },
        )
    )
    assert skipped["round_number"] == 3 and skipped["evaluation"] is None
    assert QARecord.objects.filter(session_id=sid).count() == 3


def test_record_qa_invalid_input(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/record-qa/"
    q = {"content": "请介绍一个项目"}
    assert_error(hr.post(url, {"question": q, "answer": {"content": "   "}}), 422)
    assert_error(hr.post(url, {"question": q, "answer": {}}), 422)
    assert_error(hr.post(url, {"question": {}, "answer": {"content": "答"}}), 422)
    errors = assert_error(
        hr.post(url, {"question": {"id": "q99"}, "answer": {"content": "答"}}), 422
    )
    assert errors["errors"][0]["loc"] == ["body", "question", "id"]
    assert_error(hr.post(url, {"question": q, "answer": {"content": "a"}, "extra": 1}), 422)


def test_end_session_keeps_data_and_rejects_writes(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    body = {"question": {"content": "请介绍一个项目"}, "answer": {"content": STRONG}}
    assert_success(hr.post(f"/interview-assist/sessions/{sid}/record-qa/", body))
    ended = assert_success(hr.delete(f"/interview-assist/sessions/{sid}/"))
    assert ended["status"] == "ended" and ended["ended_at"] and ended["record_count"] == 1
    assert assert_success(hr.delete(f"/interview-assist/sessions/{sid}/"))["status"] == "ended"
    assert_error(hr.post(f"/interview-assist/sessions/{sid}/record-qa/", body), 409)
    assert_error(hr.post(f"/interview-assist/sessions/{sid}/generate-questions/", {}), 409)
    assert InterviewSession.objects.get(pk=sid).records.count() == 1
    # a report can still be written for an ended session
    assert_success(hr.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))


def test_roles_and_object_access(client_for, hr, resume_id):
    interviewer = client_for("interviewer")
    other = client_for("interviewer")
    reviewer = client_for("reviewer")
    sid = _session(interviewer, resume_id)["session_id"]
    assert_success(interviewer.get(f"/interview-assist/sessions/{sid}/"))
    assert_success(hr.get(f"/interview-assist/sessions/{sid}/"))
    assert_success(reviewer.get(f"/interview-assist/sessions/{sid}/"))
    assert_error(other.get(f"/interview-assist/sessions/{sid}/"), 403)
    assert_error(other.delete(f"/interview-assist/sessions/{sid}/"), 403)
    assert_error(reviewer.post(f"/interview-assist/sessions/{sid}/generate-questions/", {}), 403)
    assert_error(reviewer.delete(f"/interview-assist/sessions/{sid}/"), 403)
    assert assert_success(other.get("/interview-assist/sessions/"))["total"] == 0
    assert assert_success(interviewer.get("/interview-assist/sessions/"))["total"] == 1


def test_list_sessions_filters_and_paginates(hr, resume_id):
    for _ in range(3):
        _session(hr, resume_id)
    listed = assert_success(
        hr.get(f"/interview-assist/sessions/?resume_data_id={resume_id}&page_size=2")
    )
    assert listed["total"] == 3 and listed["pages"] == 2 and len(listed["items"]) == 2
    other = "00000000-0000-0000-0000-000000000000"
    assert (
        assert_success(hr.get(f"/interview-assist/sessions/?resume_data_id={other}"))["total"] == 0
    )
    assert_error(hr.get("/interview-assist/sessions/?page=abc"), 422)
    assert_error(hr.get("/interview-assist/sessions/?resume_data_id=nope"), 422)


def test_report_without_evaluations_says_not_enough_evidence(hr, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    data = assert_success(hr.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))
    report = data["report"]
    assert report["insufficient_evidence"] is True and report["overall_score"] is None
    assert report["recommendation_label"] == "待定" and "证据不足" in report["summary"]
    assert data["report_file_url"].endswith("format=pdf")
    pdf = hr.get(data["report_file_url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "面试评估报告" in text and "证据不足" in text


def test_report_with_evaluations_and_downloads(hr, client_for, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/record-qa/"
    for content, skills in ((STRONG, ["Redis"]), (VAGUE, ["Django"]), (STRONG, ["Python"])):
        body = {
            "question": {"content": "请讲讲缓存设计", "expected_skills": skills, "difficulty": 7},
            "answer": {"content": content},
        }
        assert_success(hr.post(url, body))
    data = assert_success(
        hr.post(
            f"/interview-assist/sessions/{sid}/generate-report/",
            {"hr_notes": "沟通顺畅", "include_conversation_log": False},
        )
    )
    report = data["report"]
    assert report["insufficient_evidence"] is False and 0 <= report["overall_score"] <= 100
    assert report["recommendation_label"] in {"强烈推荐", "推荐", "待定", "不推荐"}
    assert len(report["dimension_analysis"]) == 6 and report["hr_notes"] == "沟通顺畅"
    assert report["conversation_log"] is None
    skills = {s["skill"]: s for s in report["skill_assessment"]}
    assert skills["Redis"]["demonstrated"] and skills["Kafka"]["asked"] is False
    assert "Kafka" in report["coverage"]["uncovered"] and report["coverage"]["ratio"] < 1
    assert report["highlights"] and report["suggested_next_steps"]
    assert any("空档" in flag for flag in report["red_flags"])
    detail = assert_success(hr.get(f"/interview-assist/sessions/{sid}/"))
    assert detail["report"]["report_id"] == data["report_id"] and len(detail["qa_records"]) == 3

    rid = data["report_id"]
    md = hr.get(f"/interview-assist/reports/{rid}/download/?format=md")
    assert md.status_code == 200 and md["Content-Type"].startswith("text/markdown")
    assert "# 面试评估报告" in md.content.decode() and "沟通顺畅" in md.content.decode()
    word = hr.get(f"/interview-assist/reports/{rid}/download/?format=docx")
    texts = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert "面试评估报告" in texts
    pdf = hr.get(f"/interview-assist/reports/{sid}/download/")  # by session id: latest report
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "技术深度" in text and "张伟" in text
    assert hr.get(f"/interview-assist/reports/{rid}/download/?format=json").json()["summary"]
    assert_error(hr.get(f"/interview-assist/reports/{rid}/download/?format=html"), 422)
    assert_error(client_for("interviewer").get(f"/interview-assist/reports/{rid}/download/"), 403)
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(hr.get(f"/interview-assist/reports/{missing}/download/"), 404)


def test_report_in_english(client_for, resume_id):
    hr_en = client_for("hr", headers={"Accept-Language": "en"})
    sid = _session(hr_en, resume_id)["session_id"]
    body = {
        "question": {"content": "Tell me about caching", "expected_skills": ["Redis"]},
        "answer": {"content": STRONG},
    }
    assert_success(hr_en.post(f"/interview-assist/sessions/{sid}/record-qa/", body))
    report = assert_success(hr_en.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))
    assert report["report"]["recommendation_label"] in {
        "Strongly recommend",
        "Recommend",
        "Undecided",
        "Not recommended",
    }
    md = hr_en.get(f"/interview-assist/reports/{report['report_id']}/download/?format=md")
    assert "# Interview assessment report" in md.content.decode()


# -- enough questions for every level; an explicit word when a session has used them up ----------

LEVELS = ("junior", "mid", "senior", "expert")


def test_three_per_category_at_senior_then_expert_gives_six_each_time(hr, resume_id):
    """The reported case: 3 per category in 2 categories, senior then expert in one session."""
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/generate-questions/"
    asked = []
    for level in ("senior", "expert"):
        body = {"categories": ["专业能力", "行为面试"], "count_per_category": 3}
        data = assert_success(hr.post(url, {**body, "candidate_level": level}))
        questions = data["questions"]
        assert len(questions) == 6 and data["shortfalls"] == []
        for category in ("专业能力", "行为面试"):
            assert sum(q["category"] == category for q in questions) == 3
        assert all(q["level"] == level for q in questions)
        asked += [q["question"] for q in questions]
    assert len(set(asked)) == 12


@pytest.mark.parametrize("level", LEVELS)
def test_the_maximum_count_in_every_category_at_every_level(hr, resume_id, level):
    sid = _session(hr, resume_id)["session_id"]
    body = {
        "categories": ["简历相关", "专业能力", "行为面试"],
        "count_per_category": 10,
        "candidate_level": level,
    }
    response = hr.post(f"/interview-assist/sessions/{sid}/generate-questions/", body)
    data = assert_success(response)
    assert response.json()["message"] == "已生成 30 个问题"
    questions = data["questions"]
    assert len(questions) == 30 and len({q["question"] for q in questions}) == 30
    for category in body["categories"]:
        assert sum(q["category"] == category for q in questions) == 10
    assert data["shortfalls"] == []


def test_a_session_that_used_up_a_level_says_how_many_were_available(hr, client_for, resume_id):
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/generate-questions/"
    body = {"categories": ["行为面试"], "count_per_category": 10, "candidate_level": "junior"}
    counts = []
    for _ in range(6):
        response = hr.post(url, body)
        data = assert_success(response)
        counts.append(len(data["questions"]))
        if counts[-1] < 10:
            break
    assert counts[0] == 10 and counts[-1] < 10, counts
    short = counts[-1]
    assert data["shortfalls"] == [{"category": "行为面试", "requested": 10, "available": short}]
    message = response.json()["message"]
    assert f"已生成 {short} 个问题" in message
    assert f"「行为面试」在初级只剩 {short} 道新题（要求 10 道）" in message
    # in English too
    hr_en = client_for("hr", headers={"Accept-Language": "en"})
    sid_en = _session(hr_en, resume_id)["session_id"]
    url_en = f"/interview-assist/sessions/{sid_en}/generate-questions/"
    body_en = {**body, "categories": ["Behavioral"]}
    for _ in range(6):
        response = hr_en.post(url_en, body_en)
        if len(assert_success(response)["questions"]) < 10:
            break
    message = response.json()["message"]
    assert "Behavioral" in message and "Junior" in message and "10 asked for" in message
