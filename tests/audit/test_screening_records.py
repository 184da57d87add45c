"""A screened resume becomes an audit document: one evaluation point and result per criterion,
recorded in the screening batch's transaction, never twice, and reviewable by its uploader."""

import pytest

from hrm2.audit.models import AuditEvent, Document, EvaluationResult
from hrm2.screening import services as screening_services
from hrm2.screening.models import ScreeningReport
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

CRITERIA = {
    "position": "后端工程师",
    "required_skills": ["Python", "Django"],
    "optional_skills": ["Redis"],
    "min_experience": 3,
    "education": ["本科"],
    "project_requirements": {"min_projects": 2, "team_lead_experience": True},
}
STRONG = (
    "张伟\n本科 计算机科学 2012-2016\n"
    "2016.07-2023.06 某科技公司 高级后端工程师，负责交易系统，带领 5 人团队\n"
    "精通 Python、Django、Redis、PostgreSQL\n项目经历：支付平台重构；订单中心"
)
WEAK = "李雷\n大专\n2022.01-2023.01 销售助理\n熟悉 Excel"


def _screen(client, django_capture_on_commit_callbacks):
    position = assert_success(client.post("/position-settings/", CRITERIA), 201)
    ids = [
        assert_success(
            client.post(
                "/resume-screening/data/", {"position_id": position["id"], "resume_content": text}
            ),
            201,
        )["id"]
        for text in (STRONG, WEAK)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        task = assert_success(
            client.post(
                "/resume-screening/screening/",
                {"position_id": position["id"], "resume_data_ids": ids},
            ),
            202,
        )
    return position, task


def test_screening_records_one_document_per_resume(
    make_user, client_for, django_capture_on_commit_callbacks
):
    hr_user = make_user("hr")
    hr = client_for(hr_user)
    position, _task = _screen(hr, django_capture_on_commit_callbacks)
    reports = list(ScreeningReport.objects.filter(status="completed"))
    assert len(reports) == 2
    documents = list(Document.objects.order_by("id"))
    assert len(documents) == 2
    for report in reports:
        document = next(d for d in documents if d.source_id == str(report.pk))
        assert document.kind == "resume_screening" and document.uploader_id == hr_user.pk
        assert document.position_ref == position["id"]
        criteria = report.result["criteria_results"]
        results = list(EvaluationResult.objects.filter(document=document).select_related("point"))
        assert len(results) == len(criteria)
        by_key = {r.point.key: r for r in results}
        for item in criteria:
            result = by_key[f"{item['criterion']['kind']}:{item['criterion']['name']}"]
            assert result.point.category == item["criterion"]["kind"]
            assert result.point.max_score == item["max_score"]
            assert result.machine_score == pytest.approx(item["score"] / item["max_score"] * 100)
            assert result.machine_verdict == item["verdict"]
            assert result.evaluated_results["message"] == item["reason"]
            assert result.extracted_results["evidence"] == item["evidence"]
            assert result.point.is_veto == (
                item["criterion"]["kind"] in {"experience", "education", "team_lead"}
            )
    # both documents of the same criteria version share their evaluation points
    assert {r.point_id for r in EvaluationResult.objects.filter(document=documents[0])} == {
        r.point_id for r in EvaluationResult.objects.filter(document=documents[1])
    }
    assert AuditEvent.objects.filter(action="document.recorded").count() == 2
    # the uploader reviews it through the seed's API; a stranger may not
    weak = next(d for d in documents if d.machine_passed is False)
    result = EvaluationResult.objects.filter(document=weak).first()
    assert_success(hr.patch(f"/admin/v2/evaluations/results/{result.pk}", {"result": "pass"}))
    assert_error(
        client_for("hr").patch(f"/admin/v2/evaluation/results/{result.pk}", {"result": "fail"}),
        403,
    )


def test_replayed_batch_records_nothing_twice(
    make_user, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    _screen(client_for(make_user("hr")), django_capture_on_commit_callbacks)
    reports = list(ScreeningReport.objects.select_related("resume"))
    count = Document.objects.count()
    # a crashed worker's batch replayed: nothing is pending, so nothing is recorded again
    outcomes = [(r, {"status": "completed", "result": r.result}) for r in reports]
    screening_services.save_batch(outcomes)
    assert Document.objects.count() == count
    # recording itself is idempotent per source as well
    from hrm2.audit import services as audit_services

    evaluation = screening_services._audit_evaluation(
        ScreeningReport.objects.select_related("resume", "task__position").first()
    )
    assert audit_services.record_machine_evaluations(evaluations=[evaluation]) == []
    assert Document.objects.count() == count


def test_recording_a_batch_takes_a_constant_number_of_queries(
    make_user, django_assert_max_num_queries
):
    from hrm2.audit import services as audit_services
    from tests.audit.conftest import POINTS, VERDICTS

    user = make_user("hr")
    evaluations = [
        audit_services.MachineEvaluation(
            kind="test",
            source=None,
            uploader=user,
            points=POINTS,
            results=VERDICTS,
            checklist="bulk",
        )
        for _ in range(25)
    ]
    with django_assert_max_num_queries(8):
        documents = audit_services.record_machine_evaluations(evaluations=evaluations)
    assert len(documents) == 25
    assert EvaluationResult.objects.count() == 75


def test_confirmed_human_score_is_shown_next_to_the_machine_score(
    hr, django_capture_on_commit_callbacks
):
    """Confirming the audit document shows the reviewer's total on the resume; reopening hides it
    again (the machine score always stays)."""
    client = hr
    _screen(client, django_capture_on_commit_callbacks)
    report = ScreeningReport.objects.select_related("resume").get(resume__candidate_name="张伟")
    resume_id = str(report.resume_id)
    document_id = Document.objects.get(source_id=str(report.pk)).pk
    detail = client.get(f"/resume-screening/reports/{resume_id}/detail/").json()["data"]
    machine = detail["latest_score"]
    assert detail["confirmed_score"] is None
    assert detail["report"]["audit"]["document_id"] == document_id
    assert detail["report"]["audit"]["confirmed_total"] is None
    results = client.get(f"/admin/v2/evaluation/documents/{document_id}").json()["data"]["results"]
    for result in results:
        response = client.patch(
            f"/admin/v2/evaluation/results/{result['id']}", {"result": "pass", "final_score": 100}
        )
        assert response.status_code == 200, response.content
    assert (
        client.patch(f"/admin/v2/evaluation/documents/{document_id}/confirm", {}).status_code == 200
    )
    detail = client.get(f"/resume-screening/reports/{resume_id}/detail/").json()["data"]
    # One overall per stage: the audit's machine total is the report's overall, and the human
    # total is the same formula with every criterion passed — not a mean of the points (100).
    assert detail["report"]["audit"]["machine_total"] == machine
    human = detail["report"]["audit"]["confirmed_total"]
    assert machine < human < 100
    assert detail["confirmed_score"] == human and detail["latest_score"] == machine
    listed = client.get(f"/resume-screening/data/?candidate_name={detail['candidate_name']}")
    assert listed.json()["data"]["items"][0]["confirmed_score"] == human
    reopened = client.patch(
        f"/admin/v2/evaluation/documents/{document_id}/reopen", {"reason": "复核"}
    )
    assert reopened.status_code == 200, reopened.content
    detail = client.get(f"/resume-screening/reports/{resume_id}/detail/").json()["data"]
    assert detail["confirmed_score"] is None
