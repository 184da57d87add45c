"""Every evaluated answer becomes an audit document: points = the six dimensions."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from hrm2.audit.models import Document
from hrm2.interviews.models import QARecord
from hrm2.interviews.review import AUDIT_KIND
from tests.conftest import assert_success
from tests.interviews.test_api import STRONG, VAGUE, _session, resume_id  # noqa: F401

pytestmark = pytest.mark.django_db


def test_evaluated_answers_are_recorded_for_audit(hr, resume_id):  # noqa: F811
    sid = _session(hr, resume_id)["session_id"]
    url = f"/interview-assist/sessions/{sid}/record-qa/"
    question = {"content": "请讲讲缓存设计", "expected_skills": ["Redis"]}
    strong = assert_success(hr.post(url, {"question": question, "answer": {"content": STRONG}}))
    assert_success(
        hr.post(url, {"question": question, "answer": {"content": VAGUE}, "skip_evaluation": True})
    )
    documents = Document.objects.filter(kind=AUDIT_KIND)
    assert documents.count() == 1  # the skipped answer has no machine evaluation to audit
    document = documents.get()
    record = QARecord.objects.get(pk=strong["qa_record_id"])
    assert document.source_type == ContentType.objects.get_for_model(QARecord)
    assert document.source_id == str(record.pk) and "#1" in document.title
    results = {r.point.key: r for r in document.results.select_related("point")}
    assert set(results) == set(strong["evaluation"]["dimensions"])
    for key, dim in strong["evaluation"]["dimensions"].items():
        assert results[key].machine_score == dim["score"] * 25
        assert results[key].machine_result == ("pass" if dim["score"] >= 3 else "fail")


def test_reviewed_answer_score_is_the_engine_formula_and_shows_first(
    make_user,
    client_for,
    resume_id,  # noqa: F811
):
    """The audit's machine total of an answer is its normalized score; a reviewer who lowers
    a dimension changes the confirmed score by the same formula, and the session page shows
    the confirmed score first with the machine's next to it."""
    user = make_user("hr")
    hr = client_for(user)
    sid = _session(hr, resume_id)["session_id"]
    question = {"content": "请讲讲缓存设计", "expected_skills": ["Redis"]}
    assert_success(
        hr.post(
            f"/interview-assist/sessions/{sid}/record-qa/",
            {"question": question, "answer": {"content": STRONG}},
        )
    )
    record = QARecord.objects.get(session_id=sid)
    document = Document.objects.get(kind=AUDIT_KIND, source_id=str(record.pk))
    assert document.machine_total == record.normalized_score
    results = list(document.results.select_related("point").order_by("id"))
    first = results[0]
    assert_success(
        hr.patch(
            f"/admin/v2/evaluation/results/{first.pk}",
            {"result": "fail", "final_score": 0, "message": "答案没有具体例子"},
        )
    )
    assert_success(hr.patch(f"/admin/v2/evaluation/documents/{document.pk}/confirm", {}))
    document.refresh_from_db()
    dims = [r.machine_score / 100 * 4 for r in results[1:]] + [1.0]  # 1 of 4, the lowest
    penalty = 10 if record.evaluation["confidence_level"] == "overconfident" else 0
    expected = round(max(0.0, sum(dims) / 6 * 25 - penalty), 1)
    assert document.final_total == expected < record.normalized_score
    console = Client()
    console.force_login(user)
    page = console.get(f"/console/interviews/{sid}/").content.decode()
    assert f"{expected:.1f}" in page and "人工已确认" in page

    # The group evaluation reads the answer as the reviewer confirmed it.
    from hrm2.recommend.selectors import candidate_inputs
    from hrm2.resumes.models import Resume

    resume = Resume.objects.get(pk=resume_id)
    interview = candidate_inputs([resume], include_video=False)[resume.pk].interview
    assert interview.answers == interview.confirmed_answers == 1
    assert interview.mean_normalized_score == expected
    assert interview.dimension_means[first.point.key] == 1.0
