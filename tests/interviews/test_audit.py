"""Every evaluated answer becomes an audit document: points = the six dimensions."""

import pytest
from django.contrib.contenttypes.models import ContentType

from hrm2.audit.models import Document
from hrm2.interviews.models import QARecord
from hrm2.interviews.services import AUDIT_KIND
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
