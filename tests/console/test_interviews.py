"""Console interview assistant: start from the candidate page, generate the question pool,
record answers (htmx) with their evaluation, follow-ups and HR hints, end the session, write
and download the report; roles (interviewer: own sessions, hr: all, reviewer: read-only) and
CSRF."""

import pytest
from django.test import Client

from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord

pytestmark = pytest.mark.django_db

ANSWER = (
    "在上一家公司我负责订单系统的重构（情境），目标是把延迟降到 100ms 以内（任务）。"
    "我用 Django 和 Redis 做了缓存并拆分了 PostgreSQL 查询（行动），最终延迟下降了 60%（结果）。"
)


def html(response) -> str:
    return response.content.decode()


def start(client, resume) -> InterviewSession:
    response = client.post(
        "/console/interviews/start/", {"resume_id": str(resume.pk), "interviewer_name": "王面试"}
    )
    session = InterviewSession.objects.filter(created_by=client.user).latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == f"/console/interviews/{session.pk}/"
    return session


def generate(client, session, **data):
    return client.post(
        f"/console/interviews/{session.pk}/questions/",
        {"categories": ["专业能力", "行为面试"], "candidate_level": "mid", **data},
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def interviewer(console_for):
    return console_for("interviewer")


def test_candidate_page_starts_a_session(interviewer, resumes):
    page = html(interviewer.get(f"/console/resumes/{resumes[0].pk}/"))
    assert 'id="start-interview-form"' in page and "csrfmiddlewaretoken" in page
    session = start(interviewer, resumes[0])
    assert session.interviewer_name == "王面试" and session.status == "active"
    page = html(interviewer.get(f"/console/resumes/{resumes[0].pk}/"))
    assert f"/console/interviews/{session.pk}/" in page
    detail = interviewer.get(f"/console/interviews/{session.pk}/")
    assert detail.status_code == 200
    page = html(detail)
    assert 'id="questions-form"' in page and 'id="answer-form"' in page
    assert "还没有题目" in page  # the empty state says what to do (Chinese by default)


def test_pool_answers_evaluation_end_and_report(interviewer, resumes):
    session = start(interviewer, resumes[0])
    response = generate(interviewer, session)
    assert response.status_code == 200
    fragment = html(response)
    assert "<html" not in fragment and 'id="interview-live"' in fragment
    session.refresh_from_db()
    assert session.questions and {q["category"] for q in session.questions} <= {
        "专业能力",
        "行为面试",
    }
    assert "<h3>专业能力</h3>" in fragment and "/10" in fragment
    first = session.questions[0]
    assert f'value="{first["id"]}"' in fragment

    answered = interviewer.post(
        f"/console/interviews/{session.pk}/answer/",
        {"question_id": first["id"], "answer": ANSWER},
        HTTP_HX_REQUEST="true",
    )
    assert answered.status_code == 200
    page = html(answered)
    record = QARecord.objects.get(session=session)
    assert record.evaluated and 'data-round="1"' in page
    assert 'class="qa-score"' in page and "STAR" in page and 'class="chart"' in page
    assert page.count("data-dimension=") == 6
    assert record.hr_action_hints[0] in page or not record.hr_action_hints
    assert 'id="id_answer"' in page and ANSWER not in page.split('id="id_answer"')[1][:200]

    free = interviewer.post(
        f"/console/interviews/{session.pk}/answer/",
        {"question_content": "你如何做代码评审？", "answer": "我会先看测试，再看设计。"},
    )
    assert free.status_code == 302
    assert QARecord.objects.filter(session=session).count() == 2

    ended = interviewer.post(f"/console/interviews/{session.pk}/end/")
    assert ended.status_code == 302
    session.refresh_from_db()
    assert session.status == "ended"
    page = html(interviewer.get(f"/console/interviews/{session.pk}/"))
    assert 'id="answer-form"' not in page and 'id="report-form"' in page

    report = interviewer.post(f"/console/interviews/{session.pk}/report/", {"hr_notes": "沟通好"})
    assert report.status_code == 302
    assert InterviewReport.objects.filter(session=session).count() == 1
    page = html(interviewer.get(f"/console/interviews/{session.pk}/"))
    assert 'id="report-downloads"' in page
    pdf = interviewer.get(f"/console/interviews/{session.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    md = interviewer.get(f"/console/interviews/{session.pk}/report.md")
    assert md.status_code == 200 and "attachment" in md["Content-Disposition"]
    docx = interviewer.get(f"/console/interviews/{session.pk}/report.docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert interviewer.get(f"/console/interviews/{session.pk}/report.exe").status_code == 404


def test_errors_are_shown_next_to_fields_and_keep_input(interviewer, resumes):
    session = start(interviewer, resumes[0])
    response = interviewer.post(
        f"/console/interviews/{session.pk}/answer/",
        {"question_content": "谈谈你的项目", "answer": "   "},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    page = html(response)
    assert 'id="id_answer-error"' in page and "谈谈你的项目" in page
    unknown = interviewer.post(
        f"/console/interviews/{session.pk}/answer/", {"question_id": "q99", "answer": "好的"}
    )
    assert unknown.status_code == 422 and 'id="id_question-error"' in html(unknown)
    assert "好的" in html(unknown)
    bad = generate(interviewer, session, categories=["火星"], answer="正在输入的回答")
    assert bad.status_code == 422 and 'id="id_categories-error"' in html(bad)
    assert "正在输入的回答" in html(bad)  # the answer being typed survives
    assert not QARecord.objects.exists()
    interviewer.post(f"/console/interviews/{session.pk}/end/")
    late = interviewer.post(
        f"/console/interviews/{session.pk}/answer/", {"question_content": "Q", "answer": "A"}
    )
    assert late.status_code == 422 and 'class="errors"' in html(late)
    report = interviewer.get(f"/console/interviews/{session.pk}/report.pdf")
    assert report.status_code == 404  # no report written yet


def test_roles_and_object_permissions(console_for, interviewer, resumes):
    mine = start(interviewer, resumes[0])
    other = console_for("interviewer")
    theirs = start(other, resumes[1])
    listing = html(interviewer.get("/console/interviews/"))
    assert str(mine.pk) in listing and str(theirs.pk) not in listing
    assert interviewer.get(f"/console/interviews/{theirs.pk}/").status_code == 403
    assert interviewer.post(f"/console/interviews/{theirs.pk}/end/").status_code == 403
    assert generate(interviewer, theirs).status_code == 403
    assert interviewer.get(f"/console/interviews/{theirs.pk}/report.pdf").status_code == 403

    hr = console_for("hr")
    listing = html(hr.get("/console/interviews/"))
    assert str(mine.pk) in listing and str(theirs.pk) in listing
    assert hr.get(f"/console/interviews/{theirs.pk}/").status_code == 200

    reviewer = console_for("reviewer")
    page = html(reviewer.get(f"/console/interviews/{mine.pk}/"))
    assert 'id="answer-form"' not in page and 'id="end-session"' not in page
    assert 'id="start-interview-form"' not in html(
        reviewer.get(f"/console/resumes/{resumes[0].pk}/")
    )
    assert reviewer.post(f"/console/interviews/{mine.pk}/end/").status_code == 403
    assert (
        reviewer.post("/console/interviews/start/", {"resume_id": str(resumes[0].pk)}).status_code
        == 403
    )
    mine.refresh_from_db()
    assert mine.status == "active"
    assert Client().get(f"/console/interviews/{mine.pk}/").status_code == 302  # sign in first


def test_csrf_is_required(console_for, resumes):
    client = console_for("interviewer", enforce_csrf_checks=True)
    response = client.post("/console/interviews/start/", {"resume_id": str(resumes[0].pk)})
    assert response.status_code == 403 and not InterviewSession.objects.exists()


# --- words, not codes; HR notes kept ---------------------------------------------------------


def _answered_page(client, session, **data) -> str:
    generate(client, session, candidate_level="expert", **data)
    session.refresh_from_db()
    client.post(
        f"/console/interviews/{session.pk}/answer/",
        {"question_id": session.questions[0]["id"], "answer": ANSWER},
    )
    return html(client.get(f"/console/interviews/{session.pk}/"))


def test_levels_star_and_credibility_in_words(interviewer, resumes):
    session = start(interviewer, resumes[0])
    page = _answered_page(interviewer, session)
    for word in ("初级", "中级", "高级", "专家"):
        assert f">{word}</option>" in page
    for code in ("junior", "mid", "senior", "expert"):
        assert f">{code}</option>" not in page
    assert 'data-level="expert" title="候选人级别">专家</span>' in page
    for part, word in (
        ("situation", "情境"),
        ("task", "任务"),
        ("action", "行动"),
        ("result", "结果"),
    ):
        assert f'data-star="{part}">{word} ' in page
    assert "回答可信度" in page and "置信度" not in page and ">真实<" not in page
    record = QARecord.objects.get(session=session)
    words = {
        "genuine": "较高（说法确定，没有夸大）",
        "uncertain": "一般（候选人没有把握，或坦承不了解）",
        "overconfident": "存疑（有夸大或绝对化的说法）",
    }
    assert words[record.evaluation["confidence_level"]] in page
    assert "situation" not in record.evaluation["summary"]  # the summary names parts in words


def test_levels_star_and_credibility_in_english(interviewer, resumes):
    interviewer.post("/console/language/", {"language": "en", "next": "/console/"})
    session = start(interviewer, resumes[0])
    page = _answered_page(interviewer, session, categories=["Technical", "Behavioral"])
    for word in ("Junior", "Mid-level", "Senior", "Expert"):
        assert f">{word}</option>" in page
    assert 'data-level="expert" title="Candidate level">Expert</span>' in page
    assert 'data-star="situation">Situation ' in page and 'data-star="result">Result ' in page
    for name in ("Resume", "Technical", "Behavioral"):  # the categories in English too
        assert f'name="categories" value="{name}"' in page
    assert "<h3>Technical</h3>" in page and "专业能力" not in page
    assert '<option value="expert" selected>Expert</option>' in page  # the last level stays
    assert "Answer credibility" in page
    assert any(
        words in page
        for words in (
            "High (assured, no overclaiming)",
            "Moderate (the candidate is unsure or admits not knowing)",
            "Doubtful (overclaiming or absolute claims)",
        )
    )


def test_hr_notes_are_kept_after_the_report(interviewer, resumes):
    session = start(interviewer, resumes[0])
    notes = "沟通清楚，薪资期望 30k，下周可到岗"
    written = interviewer.post(f"/console/interviews/{session.pk}/report/", {"hr_notes": notes})
    assert written.status_code == 302
    page = html(interviewer.get(f"/console/interviews/{session.pk}/"))
    assert f">{notes}</textarea>" in page  # the box shows the notes of the latest report
    assert page.count(notes) >= 2  # and the report shows them
    again = interviewer.post(f"/console/interviews/{session.pk}/report/", {"hr_notes": ""})
    assert again.status_code == 302  # emptied on purpose: the latest report has no notes
    assert notes not in html(interviewer.get(f"/console/interviews/{session.pk}/"))


def test_fewer_questions_than_asked_for_are_announced(interviewer, resumes):
    session = start(interviewer, resumes[0])
    data = {"categories": ["行为面试"], "candidate_level": "junior", "count_per_category": "10"}
    for _ in range(6):
        fragment = html(generate(interviewer, session, **data))
        if 'class="flash warning"' in fragment:
            break
    assert "「行为面试」在初级只剩" in fragment and "（要求 10 道）" in fragment
