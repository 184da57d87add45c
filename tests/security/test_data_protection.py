"""Data protection: erase a candidate (API and retention purge) and export everything held.

One candidate's resume is uploaded as a file to two positions. The copy for position A gets
everything HRM2 can derive: a screening report and its audit document (reviewed, in a
cross-review task), an interview session with an evaluated answer (its own audit document) and a
report, a linked video with a stored file and a reviewer's correction, and a row in a group
evaluation next to another candidate's. The copy for position B is screened and interviewed too.
Erasing A must remove all of A's rows and files, write one audit event, and leave B and the
other candidate untouched.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.utils import timezone

from hrm2.audit.models import AuditEvent, AuditStatus, Document, EvaluationResult, TaskDocument
from hrm2.cli import main, parse_age
from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord
from hrm2.jobs.models import Job
from hrm2.privacy import ERASED, KINDS
from hrm2.recommend.models import CandidateResult, GroupEvaluation
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport
from hrm2.videos.models import SCORE_FIELDS, VideoAnalysis, VideoCorrection
from tests.conftest import assert_error, assert_success
from tests.security.world import ANSWER, CRITERIA, RESUME

pytestmark = pytest.mark.django_db

OTHER_RESUME = "李娜\n硕士 软件工程\n2015-2025 某公司 后端工程师\n精通 Python、Django\n"


def _upload(client, position_id, name, content: bytes) -> str:
    response = Client.post(
        client,
        "/resume-screening/data/",
        {"position_id": position_id, "files": [SimpleUploadedFile(name, content)]},
    )
    data = assert_success(response, 201)
    assert data["accepted"] == 1, data
    return data["items"][0]["resume_id"]


def _screen(client, position_id, resume_ids):
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert_success(
            client.post(
                "/resume-screening/screening/",
                {"position_id": position_id, "resume_data_ids": resume_ids},
            ),
            202,
        )


def _interview(client, resume_id) -> str:
    sid = assert_success(
        client.post("/interview-assist/sessions/", {"resume_data_id": resume_id}), 201
    )["session_id"]
    questions = assert_success(
        client.post(f"/interview-assist/sessions/{sid}/generate-questions/", {})
    )["questions"]
    assert_success(
        client.post(
            f"/interview-assist/sessions/{sid}/record-qa/",
            {"question": {"id": questions[0]["id"]}, "answer": {"content": ANSWER}},
        )
    )
    assert_success(client.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))
    return sid


def _screening_document(resume_id) -> Document:
    report = ScreeningReport.objects.get(resume_id=resume_id)
    return Document.objects.get(
        source_type=ContentType.objects.get_for_model(ScreeningReport), source_id=str(report.pk)
    )


@pytest.fixture
def candidate(make_user, client_for):
    """Build the world of the module docstring; return the ids and clients involved."""
    hr_user = make_user("hr")
    hr = client_for(hr_user)
    pos_a = assert_success(hr.post("/position-settings/", CRITERIA), 201)["id"]
    pos_b = assert_success(
        hr.post("/position-settings/", {**CRITERIA, "position": "数据工程师"}), 201
    )["id"]
    file_bytes = RESUME.encode()
    resume_a = _upload(hr, pos_a, "zhangwei.txt", file_bytes)
    resume_b = _upload(hr, pos_b, "zhangwei.txt", file_bytes)
    other = assert_success(
        hr.post("/resume-screening/data/", {"position_id": pos_a, "resume_content": OTHER_RESUME}),
        201,
    )["id"]
    _screen(hr, pos_a, [resume_a, other])
    _screen(hr, pos_b, [resume_b])
    session_a, session_b = _interview(hr, resume_a), _interview(hr, resume_b)

    document = _screening_document(resume_a)
    result = document.results.order_by("pk").first()
    assert_success(
        hr.post(
            "/admin/v2/evaluation/tasks/",
            {"name": "cross review", "participants": [], "document_ids": [document.pk]},
        ),
        201,
    )
    assert_success(
        hr.post(
            "/admin/v2/evaluation/audit-status/",
            {
                "document_id": document.pk,
                "evaluation_point_id": result.point_id,
                "evaluation_result_id": result.pk,
                "edit_audit_status": 1,
                "message": "ok",
            },
        )
    )

    video = VideoAnalysis(
        candidate_name="张伟",
        position_applied="后端工程师",
        consent=True,
        status=VideoAnalysis.Status.COMPLETED,
        fraud_score=0.3,
        machine_results={**dict.fromkeys(SCORE_FIELDS, 0.3), "summary": "ok"},
        features={"faces": {"mean": 1.0}},
    )
    video.video_file.save("interview.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42" * 64))
    video.resume_id = resume_a
    video.save()
    reviewer = client_for("reviewer")
    assert_success(
        reviewer.post(f"/video-analysis/{video.pk}/update/", {"fraud_score": 0.125}),
    )

    group = assert_success(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "backend", "resume_data_ids": [resume_a, other]},
        ),
        201,
    )["group_id"]
    job = Job.objects.create(kind="group_evaluation", status=Job.Status.COMPLETED)
    evaluation = GroupEvaluation.objects.create(job=job, group_id=group, engine="embedded")
    for rid, name in ((resume_a, "张伟"), (other, "李娜")):
        CandidateResult.objects.create(
            evaluation=evaluation, resume_id=rid, candidate_name=name, final_score=80.0
        )
    resume = Resume.objects.get(pk=resume_a)
    return {
        "hr": hr,
        "hr_user": hr_user,
        "resume_a": resume_a,
        "resume_b": resume_b,
        "other": other,
        "session_a": session_a,
        "session_b": session_b,
        "video_id": video.pk,
        "files_a": [resume.original_file.name, video.video_file.name],
        "file_b": Resume.objects.get(pk=resume_b).original_file.name,
        "document_a": document.pk,
    }


def _snapshot_b(world) -> dict:
    rid = world["resume_b"]
    document = _screening_document(rid)
    return {
        "resume": Resume.objects.filter(pk=rid).values().get(),
        "reports": list(ScreeningReport.objects.filter(resume_id=rid).values()),
        "document": Document.objects.filter(pk=document.pk).values().get(),
        "results": list(EvaluationResult.objects.filter(document=document).values()),
        "sessions": list(InterviewSession.objects.filter(resume_id=rid).values()),
        "records": list(QARecord.objects.filter(session__resume_id=rid).values()),
        "reports_i": list(InterviewReport.objects.filter(session__resume_id=rid).values()),
    }


def test_export_holds_everything_about_the_candidate(candidate, client_for):
    hr = candidate["hr"]
    data = assert_success(hr.get(f"/resume-screening/data/{candidate['resume_a']}/export/"))
    assert set(data) == {
        "exported_at",
        "resume",
        "screening_reports",
        "audit",
        "interview_sessions",
        "video_analyses",
        "group_evaluation_results",
    }
    assert data["resume"]["id"] == candidate["resume_a"]
    assert data["resume"]["content"] == RESUME.strip()
    assert data["resume"]["original_file"] == candidate["files_a"][0]
    (report,) = data["screening_reports"]
    assert report["overall_score"] is not None
    criteria = report["result"]["criteria_results"]
    assert any(item["evidence"] for item in criteria), "AI evidence is exported"
    documents = data["audit"]["documents"]
    assert len(documents) == 2  # the screening report's and the interview answer's
    screening_doc = next(d for d in documents if d["id"] == candidate["document_a"])
    assert screening_doc["results"] and screening_doc["audit_statuses"]
    assert {"machine_score", "machine_result", "point"} <= set(screening_doc["results"][0])
    actions = {event["action"] for event in data["audit"]["events"]}
    assert {"document.recorded", "audit_status.created", "video.corrected"} <= actions
    (session,) = data["interview_sessions"]
    assert session["id"] == candidate["session_a"]
    assert session["qa_records"][0]["answer"] == ANSWER
    assert session["qa_records"][0]["evaluation"]["dimensions"]
    assert session["reports"][0]["result"]
    (video,) = data["video_analyses"]
    assert video["fraud_score"] == 0.125 and video["corrections"]
    (row,) = data["group_evaluation_results"]
    assert row["candidate_name"] == "张伟" and row["final_score"] == 80.0
    # Nothing of position B's copy leaks into A's export.
    assert candidate["resume_b"] not in str(data)
    assert candidate["session_b"] not in str(data)

    for role in ("interviewer", "reviewer"):
        url = f"/resume-screening/data/{candidate['resume_a']}/export/"
        assert_error(client_for(role).get(url), 403)
    assert_error(hr.get("/resume-screening/data/00000000-0000-0000-0000-00000000dead/export/"), 404)


def test_erasure_removes_rows_and_files_and_leaves_one_event(candidate):
    hr, rid = candidate["hr"], candidate["resume_a"]
    for name in [*candidate["files_a"], candidate["file_b"]]:
        assert default_storage.exists(name)
    reports = ScreeningReport.objects.filter(resume_id=rid)
    report_ids = [str(pk) for pk in reports.values_list("pk", flat=True)]
    answers = QARecord.objects.filter(session__resume_id=rid)
    qa_ids = [str(pk) for pk in answers.values_list("pk", flat=True)]
    documents = Document.objects.filter(source_id__in=report_ids + qa_ids)
    docs = list(documents.values_list("pk", flat=True))
    assert len(docs) == 2
    events_before = AuditEvent.objects.count()
    b_before = _snapshot_b(candidate)
    other_row = CandidateResult.objects.get(resume_id=candidate["other"])

    with TestCase.captureOnCommitCallbacks(execute=True):
        data = assert_success(hr.delete(f"/resume-screening/data/{rid}/"))
    deleted = data["deleted"]
    assert set(deleted) == set(KINDS)
    assert deleted == {
        "resumes": 1,
        "resume_files": 1,
        "screening_reports": 1,
        "audit_documents": 2,
        "audit_results": deleted["audit_results"],
        "audit_statuses": 1,
        "cross_review_links": 1,
        "interview_sessions": 1,
        "qa_records": 1,
        "interview_reports": 1,
        "video_analyses": 1,
        "video_corrections": 1,
        "video_files": 1,
        "group_evaluation_results": 1,
    }
    assert deleted["audit_results"] >= 7  # one per criterion + six interview dimensions

    # Rows: nothing of A is left.
    assert not Resume.objects.filter(pk=rid).exists()
    assert not ScreeningReport.objects.filter(pk__in=report_ids).exists()
    assert not Document.objects.filter(pk__in=docs).exists()
    assert not EvaluationResult.objects.filter(document_id__in=docs).exists()
    assert not AuditStatus.objects.filter(document_id__in=docs).exists()
    assert not TaskDocument.objects.filter(document_id__in=docs).exists()
    assert not InterviewSession.objects.filter(pk=candidate["session_a"]).exists()
    assert not QARecord.objects.filter(pk__in=qa_ids).exists()
    assert not InterviewReport.objects.filter(session_id=candidate["session_a"]).exists()
    assert not VideoAnalysis.objects.filter(pk=candidate["video_id"]).exists()
    assert not VideoCorrection.objects.filter(video_id=candidate["video_id"]).exists()
    assert not CandidateResult.objects.filter(candidate_name="张伟").exists()
    # Files: gone from the storage; B's copy of the same file is still there.
    for name in candidate["files_a"]:
        assert not default_storage.exists(name), name
    assert default_storage.exists(candidate["file_b"])
    # B and the other candidate are untouched.
    assert _snapshot_b(candidate) == b_before
    other_row.refresh_from_db()  # raises if it was deleted
    assert Resume.objects.filter(pk=candidate["other"]).exists()

    # Exactly one new event: what was deleted, by whom; the older events are kept.
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == events_before + 1
    assert event.action == ERASED and event.object_id == rid
    assert event.actor_id == candidate["hr_user"].pk
    assert event.actor_name == candidate["hr_user"].username
    assert event.after == {"reason": "request", "deleted": deleted}
    assert "张伟" not in str(event.before) + str(event.after)  # the log names no candidate
    assert AuditEvent.objects.filter(document_id__in=docs).exists()

    assert_error(hr.delete(f"/resume-screening/data/{rid}/"), 404)
    assert_error(hr.get(f"/resume-screening/data/{rid}/export/"), 404)


def test_erasure_is_refused_to_other_roles_and_changes_nothing(candidate, client_for):
    rid = candidate["resume_a"]
    for role in ("interviewer", "reviewer"):
        assert_error(client_for(role).delete(f"/resume-screening/data/{rid}/"), 403)
    assert_error(Client().delete(f"/resume-screening/data/{rid}/"), 401)
    assert Resume.objects.filter(pk=rid).exists()
    assert all(default_storage.exists(name) for name in candidate["files_a"])


def test_erasure_rolls_back_and_keeps_files_when_it_fails(candidate, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr("hrm2.privacy.audit_services.record_event", broken)
    from hrm2.privacy import erase_resume

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        erase_resume(resume_id=candidate["resume_a"], actor=None)
    assert Resume.objects.filter(pk=candidate["resume_a"]).exists()
    assert VideoAnalysis.objects.filter(pk=candidate["video_id"]).exists()
    assert all(default_storage.exists(name) for name in candidate["files_a"])


def test_purge_applies_the_retention_period(candidate, capsys):
    old = timezone.now() - timedelta(days=200)
    Resume.objects.filter(pk__in=[candidate["resume_a"], candidate["other"]]).update(created_at=old)
    events_before = AuditEvent.objects.count()

    assert main(["purge", "--older-than", "180d", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("would erase 2 resume(s) created more than 180d ago")
    assert "video_files 1" in out and "screening_reports 2" in out
    assert Resume.objects.count() == 3 and AuditEvent.objects.count() == events_before

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert main(["purge", "--older-than", "180d"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("erased 2 resume(s)"), out
    assert list(Resume.objects.values_list("pk", flat=True)) == [
        Resume.objects.get(pk=candidate["resume_b"]).pk
    ]
    events = AuditEvent.objects.filter(action=ERASED)
    assert events.count() == 2
    assert all(e.actor_id is None and e.after["reason"] == "retention" for e in events)
    for name in candidate["files_a"]:
        assert not default_storage.exists(name)
    assert default_storage.exists(candidate["file_b"])

    assert main(["purge", "--older-than", "180d"]) == 0
    assert capsys.readouterr().out.startswith("erased 0 resume(s)")


@pytest.mark.parametrize(
    ("text", "days"), [("180d", 180), ("180", 180), ("26w", 182), ("12h", 0.5), (" 30D ", 30)]
)
def test_parse_age(text, days):
    assert parse_age(text) == timedelta(days=days)


@pytest.mark.parametrize("text", ["", "d", "-5d", "0", "nan", "inf", "1e99d", "six months"])
def test_parse_age_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_age(text)


def test_purge_refuses_a_bad_age(capsys):
    assert main(["purge", "--older-than", "soon"]) == 2
    assert "not an age" in capsys.readouterr().err
