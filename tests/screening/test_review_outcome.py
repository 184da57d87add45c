"""A confirmed review is the decision everywhere: the resume list (filter and sort by the
reviewer's or the machine's), the report detail, every report download, the candidate export;
reopening reverts all of them to "awaiting review". One overall per stage, computed one way."""

import io

import orjson
import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader

from hrm2.ai import scoring
from hrm2.ai.screening import Criterion, CriterionResult
from hrm2.audit.models import Document, EvaluationResult
from hrm2.screening.models import ScreeningReport
from tests.audit.test_screening_records import CRITERIA, STRONG, WEAK
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

AUDIT = "/admin/v2/evaluation"
REASON = "七年经历中后四年为售前支持，不是开发"


@pytest.fixture
def screened(make_user, client_for, django_capture_on_commit_callbacks):
    """Two screened resumes; a reviewer assigned (by cross-review task) to 张伟's document."""
    hr_user = make_user("hr")
    hr = client_for(hr_user)
    position = assert_success(hr.post("/position-settings/", CRITERIA), 201)
    ids = {}
    for text in (STRONG, WEAK):
        created = hr.post(
            "/resume-screening/data/", {"position_id": position["id"], "resume_content": text}
        )
        ids[text[:2]] = assert_success(created, 201)["id"]
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": list(ids.values())},
        )
    report = ScreeningReport.objects.get(resume_id=ids["张伟"])
    document = Document.objects.get(source_id=str(report.pk))
    reviewer_user = make_user("reviewer", username="wangfang")
    reviewer_user.first_name = "王芳"
    reviewer_user.save()
    task = {
        "name": "复核",
        "participants": [{"user_id": reviewer_user.pk, "role": "reviewer"}],
        "document_ids": [document.pk],
    }
    assert_success(hr.post(f"{AUDIT}/tasks/", task), 201)
    return {
        "hr": hr,
        "reviewer": client_for(reviewer_user),
        "resume_id": ids["张伟"],
        "weak_id": ids["李雷"],
        "report": report,
        "document": document,
        "position_id": position["id"],
    }


def _result(document, key: str) -> EvaluationResult:
    return EvaluationResult.objects.select_related("point").get(document=document, point__key=key)


def _overturn_and_confirm(s) -> Document:
    """The reviewer fails the experience criterion the machine passed, with a reason."""
    experience = _result(s["document"], "experience:≥3")
    assert experience.machine_result == "pass"
    response = s["reviewer"].post(
        f"{AUDIT}/results/{experience.pk}/review/",
        {"result": "fail", "message": REASON, "edit_audit_status": 1, "audit_message": REASON},
    )
    assert response.status_code in (200, 201), response.content
    confirmed = s["reviewer"].patch(f"{AUDIT}/documents/{s['document'].pk}/confirm", {})
    assert confirmed.status_code == 200, confirmed.content
    s["document"].refresh_from_db()
    return s["document"]


def _listed(client, **query) -> list[dict]:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return assert_success(client.get(f"/resume-screening/data/?{params}"))["items"]


def test_one_overall_per_stage(screened):
    report, document = screened["report"], screened["document"]
    # The audit's machine total is the report's overall; nothing else is called a total.
    assert document.machine_total == report.overall_score
    assert document.machine_outcome == report.recommendation
    assert document.final_total == report.overall_score
    # A reviewer who passes every point the machine passed changes nothing.
    for result in EvaluationResult.objects.filter(document=document, machine_result="pass"):
        screened["reviewer"].patch(f"{AUDIT}/results/{result.pk}", {"result": "pass"})
    document.refresh_from_db()
    assert document.final_total == report.overall_score
    assert document.final_outcome == report.recommendation
    assert 0 <= document.final_total <= 100


def test_confirmed_review_is_the_decision_in_list_and_detail(screened):
    hr = screened["hr"]
    before = next(r for r in _listed(hr) if r["id"] == screened["resume_id"])
    assert before["review_state"] == "pending" and before["review_state_label"] == "待审核"
    assert before["decision_score"] == before["latest_score"]
    assert before["decision_recommendation"] == before["latest_recommendation"] == "interview"

    document = _overturn_and_confirm(screened)
    machine = screened["report"]
    assert document.final_outcome in ("reserve", "reject")
    assert document.final_total < machine.overall_score

    row = next(r for r in _listed(hr) if r["id"] == screened["resume_id"])
    assert row["review_state"] == "confirmed" and row["review_state_label"] == "人工已确认"
    assert row["decision_score"] == row["confirmed_score"] == document.final_total
    assert row["decision_recommendation"] == document.final_outcome
    assert row["decision_label"] in ("备选", "不匹配")
    # The machine's decision stays next to it, unchanged.
    assert row["latest_score"] == machine.overall_score
    assert row["latest_recommendation"] == "interview"
    assert row["machine_recommendation_label"] == "推荐面试"

    # Filter by either decision.
    by_human = _listed(hr, recommendation=document.final_outcome)
    assert screened["resume_id"] in [r["id"] for r in by_human]
    assert screened["resume_id"] not in [r["id"] for r in _listed(hr, recommendation="interview")]
    by_machine = _listed(hr, machine_recommendation="interview")
    assert screened["resume_id"] in [r["id"] for r in by_machine]
    assert [r["id"] for r in _listed(hr, review_state="confirmed")] == [screened["resume_id"]]
    assert screened["resume_id"] not in [r["id"] for r in _listed(hr, review_state="pending")]
    assert_error(hr.get("/resume-screening/data/?recommendation=maybe"), 422)
    assert_error(hr.get("/resume-screening/data/?sort=random"), 422)

    # Sort by either score: highest first.
    scores = [r["decision_score"] for r in _listed(hr, sort="score")]
    assert scores == sorted(scores, reverse=True)
    machine_scores = [r["latest_score"] for r in _listed(hr, sort="machine_score")]
    assert machine_scores == sorted(machine_scores, reverse=True)

    detail = assert_success(hr.get(f"/resume-screening/reports/{screened['resume_id']}/detail/"))
    review = detail["report"]["review"]
    assert review["state"] == "confirmed" and review["confirmed_by"] == "王芳"
    assert review["human"]["score"] == document.final_total
    assert review["machine"]["recommendation"] == "interview"
    [change] = review["changes"]
    assert change["criterion"] == "工作经验 ≥ 3 年" and change["machine_verdict_label"] == "符合"
    assert change["decision"] == "fail" and change["reason"] == REASON
    assert change["decision_label"] == "不通过" and change["reviewer"] == "王芳"


def test_report_downloads_carry_the_human_review(screened):
    hr = screened["hr"]
    url = f"/resume-screening/reports/{screened['resume_id']}/download/"
    pending_md = hr.get(f"{url}?format=md").content.decode()
    assert "人工审核" in pending_md and "待审核" in pending_md
    document = _overturn_and_confirm(screened)
    human = f"{document.final_total:.1f}"

    md = hr.get(f"{url}?format=md").content.decode()
    assert "人工审核" in md and REASON in md and "王芳" in md and human in md
    assert "结论（人工已确认）" in md and "机器建议" in md
    for raw in ("| pass", "| fail", "unknown", "reserve"):
        assert raw not in md

    data = orjson.loads(hr.get(f"{url}?format=json").content)
    assert data["overall"] == screened["report"].overall_score  # the machine result, unchanged
    review = data["human_review"]
    assert review["state"] == "confirmed" and review["human"]["score"] == document.final_total
    assert review["changes"][0]["reason"] == REASON

    docx = DocxDocument(io.BytesIO(hr.get(f"{url}?format=docx").content))
    text = "\n".join(p.text for p in docx.paragraphs) + "\n".join(
        cell.text for table in docx.tables for row in table.rows for cell in row.cells
    )
    assert "人工审核" in text and REASON in text and human in text

    pdf = hr.get(f"{url}?format=pdf").content
    pages = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "人工审核" in pages and "王芳" in pages and human in pages

    english = hr.get(f"{url}?format=md", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Human review" in english and "Confirmed by" in english and REASON in english


def test_reopen_reverts_to_awaiting_review_everywhere(screened):
    hr = screened["hr"]
    document = _overturn_and_confirm(screened)
    reopened = screened["reviewer"].patch(
        f"{AUDIT}/documents/{document.pk}/reopen", {"reason": "需要再看项目经历"}
    )
    assert reopened.status_code == 200, reopened.content
    row = next(r for r in _listed(hr) if r["id"] == screened["resume_id"])
    assert row["review_state"] == "pending" and row["confirmed_score"] is None
    assert row["decision_score"] == row["latest_score"]
    assert row["decision_recommendation"] == "interview"
    detail = assert_success(hr.get(f"/resume-screening/reports/{screened['resume_id']}/detail/"))
    assert detail["report"]["review"]["state"] == "pending"
    assert detail["report"]["review"]["confirmed_by"] == ""
    md = hr.get(
        f"/resume-screening/reports/{screened['resume_id']}/download/?format=md"
    ).content.decode()
    assert "待审核" in md and "结论（人工已确认）" not in md
    export = assert_success(hr.get(f"/resume-screening/data/{screened['resume_id']}/export/"))
    assert export["resume"]["review_state"] == "pending"


def test_candidate_export_holds_the_review(screened):
    document = _overturn_and_confirm(screened)
    export = assert_success(
        screened["hr"].get(f"/resume-screening/data/{screened['resume_id']}/export/")
    )
    assert export["resume"]["review_state"] == "confirmed"
    assert export["resume"]["decision_score"] == document.final_total
    [report] = export["screening_reports"]
    assert report["human_review"]["state"] == "confirmed"
    assert report["human_review"]["changes"][0]["reason"] == REASON


# --- the rule, unit by unit -------------------------------------------------------------------


def _item(kind: str, verdict: str, score: float, max_score: float) -> CriterionResult:
    return CriterionResult(
        criterion=Criterion(kind=kind, name="x"), verdict=verdict, score=score, max_score=max_score
    )


@pytest.mark.parametrize(
    ("verdict", "score", "decision", "share", "expected"),
    [
        ("partial", 10.0, "pass", None, ("partial", 10.0)),  # agreed with the machine
        ("unknown", 0.0, "pass", None, ("pass", 20.0)),  # the reviewer found it
        ("pass", 20.0, "fail", None, ("fail", 0.0)),  # overturned
        ("fail", 0.0, "fail", None, ("fail", 0.0)),
        ("pass", 20.0, "pass", 50.0, ("partial", 10.0)),  # a score of their own
        ("fail", 0.0, "pass", 100.0, ("pass", 20.0)),
        ("pass", 20.0, "fail", 30.0, ("fail", 6.0)),
    ],
)
def test_reviewed_verdicts(verdict, score, decision, share, expected):
    result = scoring.reviewed(_item("required_skill", verdict, score, 20), decision, share)
    assert (result.verdict, result.score) == expected


def test_group_evaluation_input_is_the_reviewers_screening(screened):
    """The group evaluation reads the screening through the same rule: a criterion the
    reviewer failed (without a score of their own) earns nothing, and the overall is the
    human-confirmed one."""
    from hrm2.recommend.selectors import candidate_inputs
    from hrm2.resumes.models import Resume

    document = _overturn_and_confirm(screened)
    resume = Resume.objects.get(pk=screened["resume_id"])
    screening = candidate_inputs([resume], include_video=False)[resume.pk].screening
    assert screening.confirmed and screening.overall == document.final_total
    assert screening.machine_overall == screened["report"].overall_score
    [experience] = [c for c in screening.criteria if c.kind == "experience"]
    assert experience.verdict == "fail" and experience.share == 0
    assert screening.breakdown["hr.experience"] == 0
