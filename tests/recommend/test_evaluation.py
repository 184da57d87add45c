"""Final recommendation (seed 000 §3.4): a group of fixture candidates with known inputs gives the
expected ranking and levels; a candidate with nothing to rank on is insufficient evidence, not a
made-up score (ranking on partial evidence: tests/recommend/test_partial_evidence.py); the job's
status, group status transitions, cancel and delete, and the reports."""

import io

import docx
import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from hrm2.jobs.models import Job
from hrm2.recommend.models import CandidateResult, GroupEvaluation, ReportFile
from hrm2.resumes.models import ResumeGroup
from tests.conftest import assert_error, assert_success

from .factory import Spec, make_group

pytestmark = pytest.mark.django_db

URL = "/final-recommend/interview-evaluation/"
SPECS = [
    Spec("甲", 0.875),  # 87.5 strong_recommend
    Spec("乙", 0.75),  # 75.0 recommend
    Spec("丙", 0.75, report_score=55),  # 74.5 recommend, tied with 乙 (within 2 points)
    Spec("丁", 0.625),  # 62.5 cautious
    Spec("戊", 0.25),  # 25.0 not_recommend
    Spec("己", 0.75, screening=False, interview=False),  # nothing: insufficient, not ranked
]


@pytest.fixture
def hr_user(make_user):
    return make_user("hr")


@pytest.fixture
def hr_client(client_for, hr_user):
    return client_for(hr_user)


@pytest.fixture
def group(hr_user):
    return make_group(hr_user, SPECS)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Submit and run the job in-process (eager Celery) as the worker would, after commit."""

    def _run(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, body)

    return _run


def _detail(client, task_id):
    return assert_success(client.get(f"{URL}?task_id={task_id}"))


def test_fixture_group_gives_expected_ranking_and_levels(hr_client, group, run):
    submitted = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)
    assert submitted["total"] == 6 and submitted["group_id"] == str(group.pk)
    detail = _detail(hr_client, submitted["task_id"])
    assert detail["status"] == "completed" and detail["progress"] == 100
    assert (detail["processed"], detail["succeeded"], detail["failed"]) == (6, 6, 0)
    result = detail["result"]
    assert result["recommended_order"] == "甲 > 乙 = 丙 > 丁 > 戊"
    ranking = [(e["rank"], e["name"], e["final_score"], e["level"]) for e in result["ranking"]]
    assert ranking == [
        (1, "甲", 87.5, "strong_recommend"),
        (2, "乙", 75.0, "recommend"),
        (2, "丙", 74.5, "recommend"),
        (4, "丁", 62.5, "cautious"),
        (5, "戊", 25.0, "not_recommend"),
    ]
    assert result["ranking"][1]["tied_with"] == ["丙"]
    assert [u["name"] for u in result["unranked"]] == ["己"]
    assert result["unranked"][0]["insufficient_dimensions"] == [
        "professional_competency",
        "work_experience",
        "soft_skills",
        "cultural_fit",
        "interview_performance",
    ]
    assert result["unranked"][0]["level_label"] == "证据不足"
    levels = {c["name"]: c["level"] for c in detail["candidates"]}
    assert levels["己"] == "insufficient_evidence"
    labels = {e["name"]: e["level_label"] for e in result["ranking"]}
    assert labels == {
        "甲": "强烈推荐",
        "乙": "推荐录用",
        "丙": "推荐录用",
        "丁": "谨慎考虑",
        "戊": "不推荐",
    }
    assert len(result["comparison"]["rows"]) == 6 and result["trade_offs"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "completed"
    assert {r["format"] for r in detail["reports"]} == {"md", "pdf", "docx"}


def test_nothing_to_rank_on_is_insufficient_evidence_not_a_made_up_score(hr_client, group, run):
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = _detail(hr_client, task_id)
    row = next(c for c in detail["candidates"] if c["name"] == "己")
    result = row["result"]
    assert row["final_score"] is None and result["final_score"] is None
    assert row["level"] == "insufficient_evidence" and row["level_label"] == "证据不足"
    assert (
        row["coverage"]["sources"] == []
        and row["coverage"]["text"] == "无任何评估依据（无筛选、无面试）"
    )
    for dim in result["dimensions"]:
        assert dim["status"] == "insufficient_evidence" and dim["score"] is None
        assert all(s["score"] is None for s in dim["sub_scores"])
    assert row["inputs"]["interview"] is None and row["inputs"]["screening"] is None
    # only 己: everyone else is ranked
    others = [c for c in detail["candidates"] if c["name"] != "己"]
    assert all(c["final_score"] is not None for c in others)


def test_every_number_traces_back_to_its_inputs(hr_client, group, run):
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    row = next(c for c in _detail(hr_client, task_id)["candidates"] if c["name"] == "甲")
    inputs, result = row["inputs"], row["result"]
    assert inputs["screening"]["breakdown"]["technical.depth"] == 26.25
    assert inputs["interview"]["answers"] == 8
    assert inputs["interview"]["dimension_means"]["technical_depth"] == 3.625
    pro = next(d for d in result["dimensions"] if d["key"] == "professional_competency")
    depth = next(s for s in pro["sub_scores"] if s["key"] == "skill_depth")
    assert depth["score"] == 4.5 and "technical.depth = 26.25/30" in depth["basis"]
    weights = {d["key"]: d["weight"] for d in result["dimensions"]}
    assert weights == {
        "professional_competency": 0.3,
        "work_experience": 0.25,
        "soft_skills": 0.2,
        "cultural_fit": 0.15,
        "interview_performance": 0.1,
    }
    recomputed = sum(d["weight"] * (d["score"] - 1) / 4 * 100 for d in result["dimensions"])
    assert round(recomputed, 1) == result["final_score"] == 87.5


def test_custom_weights_change_the_order(hr_client, hr_user, run):
    group = make_group(
        hr_user,
        [Spec("强面试", 0.5), Spec("弱面试", 0.5, report_score=0)],
        title="数据工程师",
    )
    body = {"group_id": str(group.pk), "weights": {"interview_performance": 1, "soft_skills": 0}}
    task_id = assert_success(run(hr_client, body), 202)["task_id"]
    detail = _detail(hr_client, task_id)
    assert detail["weights"]["interview_performance"] == pytest.approx(1 / 1.7, abs=1e-5)
    assert detail["result"]["recommended_order"] == "强面试 > 弱面试"
    bad = hr_client.post(URL, {"group_id": str(group.pk), "weights": {"charisma": 1}})
    assert assert_error(bad, 422)["errors"][0]["loc"] == ["body", "weights"]
    zero = {k: 0 for k in detail["weights"]}
    assert_error(hr_client.post(URL, {"group_id": str(group.pk), "weights": zero}), 422)


def test_group_status_transitions(hr_client, group, run, django_capture_on_commit_callbacks):
    assert group.status == "pending"
    # Submitted but not yet run: the group is being screened comprehensively.
    task_id = assert_success(hr_client.post(URL, {"group_id": str(group.pk)}), 202)["task_id"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "comprehensive_screening"
    # One unfinished evaluation per group.
    assert_error(hr_client.post(URL, {"group_id": str(group.pk)}), 409)
    # Deleting the pending evaluation cancels it and restores the earlier status.
    deleted = assert_success(hr_client.delete(f"{URL}?task_id={task_id}"))
    assert deleted["cancelled"] is True
    assert ResumeGroup.objects.get(pk=group.pk).status == "pending"
    # A completed one moves the group to completed ...
    done = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "completed"
    # ... a re-evaluation moves it back while it runs; cancelling it keeps "completed".
    again = assert_success(hr_client.post(URL, {"group_id": str(group.pk)}), 202)["task_id"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "comprehensive_screening"
    assert_success(hr_client.delete(f"{URL}{again}/"))
    assert ResumeGroup.objects.get(pk=group.pk).status == "completed"
    assert_success(hr_client.delete(f"{URL}{done}/"))
    assert ResumeGroup.objects.get(pk=group.pk).status == "pending"


def test_failed_job_restores_the_group_status(hr_client, group, run, monkeypatch):
    from hrm2.recommend import services

    def broken(evaluation):
        raise RuntimeError("ranking exploded")

    monkeypatch.setattr(services, "group_result", broken)
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = _detail(hr_client, task_id)
    assert detail["status"] == "failed" and "ranking exploded" in detail["error"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "pending"


def test_cancel_while_running_stops_and_delete_removes_files(
    hr_client, group, run, monkeypatch, django_capture_on_commit_callbacks
):
    """A worker running the job is asked to stop at its next step; deleting a finished
    evaluation removes its rows and report files."""
    from hrm2.recommend import tasks

    seen = {}
    original = tasks._report_progress

    def cancel_after_first_batch(ctx, evaluation):
        counts = original(ctx, evaluation)
        if not seen:
            seen["job"] = evaluation.pk
            Job.objects.filter(pk=evaluation.pk).update(cancel_requested=True)
        return counts

    monkeypatch.setattr(tasks, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "_report_progress", cancel_after_first_batch)
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = _detail(hr_client, task_id)
    assert detail["status"] == "cancelled" and detail["result"] is None
    statuses = sorted(c["status"] for c in detail["candidates"])
    assert statuses == ["cancelled"] * 4 + ["completed"] * 2
    assert ResumeGroup.objects.get(pk=group.pk).status == "pending"
    assert not ReportFile.objects.filter(evaluation_id=task_id).exists()

    monkeypatch.setattr(tasks, "_report_progress", original)
    done = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    names = list(ReportFile.objects.filter(evaluation_id=done).values_list("name", flat=True))
    assert len(names) == 3 and all(default_storage.exists(n) for n in names)
    assert all(n.startswith(f"reports/recommend/{done}/") for n in names)
    with django_capture_on_commit_callbacks(execute=True):
        deleted = assert_success(hr_client.delete(f"{URL}{done}/"))
    assert deleted == {"task_id": done, "cancelled": False, "deleted_files": 3}
    assert not any(default_storage.exists(n) for n in names)
    assert not GroupEvaluation.objects.filter(pk=done).exists()
    assert not CandidateResult.objects.filter(evaluation_id=done).exists()
    assert not Job.objects.filter(pk=done).exists()
    assert_error(hr_client.get(f"{URL}{done}/"), 404)
    assert_error(hr_client.delete(f"{URL}{done}/"), 404)


def test_list_by_group_is_paginated(hr_client, group, run):
    first = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    second = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    page = assert_success(hr_client.get(f"{URL}?group_id={group.pk}&page_size=1"))
    assert page["total"] == 2 and page["pages"] == 2 and page["page_size"] == 1
    assert [i["task_id"] for i in page["items"]] == [second]
    page2 = assert_success(hr_client.get(f"{URL}?group_id={group.pk}&page_size=1&page=2"))
    assert [i["task_id"] for i in page2["items"]] == [first]
    assert "result" not in page["items"][0]
    assert_error(hr_client.get(f"{URL}?group_id={group.pk}&page_size=0"), 422)
    assert_error(hr_client.get(f"{URL}?page=abc"), 422)
    assert_error(hr_client.get(f"{URL}?task_id=not-a-uuid"), 422)


def test_input_errors(hr_client, client_for, group, anon):
    assert_error(hr_client.post(URL, {}), 422)
    assert_error(hr_client.post(URL, {"group_id": str(group.pk), "surprise": 1}), 422)
    assert_error(hr_client.post(URL, {"group_id": str(group.pk), "engine": "magic"}), 422)
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(hr_client.post(URL, {"group_id": missing}), 404)
    assert_error(hr_client.get(f"{URL}?task_id={missing}"), 404)
    assert_error(anon.post(URL, {"group_id": str(group.pk)}), 401)
    assert_error(anon.get(URL), 401)
    assert_error(client_for("interviewer").post(URL, {"group_id": str(group.pk)}), 403)
    assert_error(client_for("reviewer").delete(f"{URL}?task_id={missing}"), 403)
    empty = ResumeGroup.objects.create(position=group.position, group_name="空组")
    assert_error(hr_client.post(URL, {"group_id": str(empty.pk)}), 409)


def test_reports_render_in_every_format(hr_client, group, run):
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    base = f"/final-recommend/reports/{task_id}/download/"
    md = hr_client.get(f"{base}?format=md")
    assert md.status_code == 200 and md["Content-Type"].startswith("text/markdown")
    text = md.content.decode()
    assert r"甲 \> 乙 = 丙 \> 丁 \> 戊" in text and "证据不足" in text  # ">" escaped
    pdf = hr_client.get(base)  # pdf by default
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    assert "甲" in "".join(p.extract_text() for p in pages)
    word = hr_client.get(f"{base}?format=docx")
    document = docx.Document(io.BytesIO(word.content))
    assert any("甲 > 乙 = 丙 > 丁 > 戊" in p.text for p in document.paragraphs)
    assert_error(hr_client.get(f"{base}?format=exe"), 422)
    # By one of its files' ids too.
    report_id = ReportFile.objects.filter(evaluation_id=task_id, format="md").get().pk
    by_file = hr_client.get(f"/final-recommend/reports/{report_id}/download/?format=md")
    assert by_file.content == md.content


def test_report_in_english(client_for, hr_user, group, run):
    english = client_for(hr_user, headers={"Accept-Language": "en"})
    task_id = assert_success(run(english, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = _detail(english, task_id)
    assert detail["result"]["ranking"][0]["level_label"] == "Strongly recommend"
    md = english.get(f"/final-recommend/reports/{task_id}/download/?format=md").content.decode()
    assert "Final recommendation report" in md and "Recommended order" in md


def test_video_is_excluded_until_a_reviewer_passes_it(hr_client, hr_user, group, run):
    from django.contrib.contenttypes.models import ContentType

    from hrm2.audit.models import AuditState, Document
    from hrm2.videos.models import VideoAnalysis

    first = group.resumes.get(candidate_name="甲")
    video = VideoAnalysis.objects.create(
        candidate_name="甲",
        position_applied="后端工程师",
        resume=first,
        status=VideoAnalysis.Status.COMPLETED,
        fraud_score=0.8,
        confidence_score=0.7,
        openness_score=0.6,
    )
    body = {"group_id": str(group.pk), "include_video": True}
    task_id = assert_success(run(hr_client, body), 202)["task_id"]
    detail = _detail(hr_client, task_id)
    row = next(c for c in detail["candidates"] if c["name"] == "甲")
    assert row["result"]["video"]["included"] is False
    assert "复核" in row["result"]["video"]["reason"]
    assert "openness" not in str(row["result"])  # no personality value anywhere
    assert any("未纳入视频" in n and "甲" in n for n in detail["result"]["notes"])
    assert row["coverage"]["text"] == "筛选 + 面试"
    assert row["final_score"] == 87.5

    Document.objects.create(
        kind="video_analysis",
        source_type=ContentType.objects.get_for_model(VideoAnalysis),
        source_id=str(video.pk),
        uploader=hr_user,
        audit_status=AuditState.CONFIRMED,
        final_passed=True,
    )
    task_id = assert_success(run(hr_client, body), 202)["task_id"]
    row = next(c for c in _detail(hr_client, task_id)["candidates"] if c["name"] == "甲")
    block = row["result"]["video"]
    assert block["included"] is True and block["traits"]["openness"] == 0.6
    assert row["final_score"] == 87.5  # advisory: never part of the score
    assert any("作弊风险" in w for w in row["result"]["weaknesses"])
    assert row["coverage"]["text"] == "筛选 + 面试 + 视频（人工已复核）"


def test_confirmed_screening_scores_replace_the_machine_ones(hr_client, hr_user, run):
    from django.contrib.contenttypes.models import ContentType

    from hrm2.audit.models import AuditState, Document
    from hrm2.screening.models import ScreeningReport

    group = make_group(hr_user, [Spec("复核", 0.5)], title="测试工程师")
    report = ScreeningReport.objects.get(resume__group=group)
    Document.objects.create(
        kind="resume_screening",
        source_type=ContentType.objects.get_for_model(ScreeningReport),
        source_id=str(report.pk),
        uploader=hr_user,
        audit_status=AuditState.CONFIRMED,
        final_total=90,
        final_passed=True,
    )
    task_id = assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)["task_id"]
    row = _detail(hr_client, task_id)["candidates"][0]
    assert row["inputs"]["screening"]["confirmed"] is True
    assert row["inputs"]["screening"]["overall"] == 90
    fit = next(d for d in row["result"]["dimensions"] if d["key"] == "cultural_fit")
    position_fit = fit["sub_scores"][0]
    assert position_fit["score"] == 4.6 and "reviewer-confirmed total 90" in position_fit["basis"]
    assert row["coverage"]["confirmed"] == ["screening"]
    assert row["coverage"]["text"].startswith("筛选（人工已确认）")


def test_list_query_count_does_not_grow_with_page_size(hr_client, group, run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        assert_success(run(hr_client, {"group_id": str(group.pk)}), 202)
    # One read first: the signed-in user is cached for a few seconds (hrm2.api.auth), and the
    # runs above may take longer than that on a busy machine.
    assert_success(hr_client.get(f"{URL}?group_id={group.pk}&page_size=1"))
    counts = []
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            page = assert_success(hr_client.get(f"{URL}?group_id={group.pk}&page_size={size}"))
        counts.append(len(queries))
        assert len(page["items"]) == min(size, 3)
    assert counts[0] == counts[1]


def test_messages_are_chinese_by_default(hr_client, group):
    missing = "00000000-0000-0000-0000-000000000000"
    assert assert_error(hr_client.get(f"{URL}{missing}/"), 404)["message"] == "评估任务不存在"
    body = assert_error(hr_client.get("/final-recommend/download-report/../../.env"), 404)
    assert body["message"] == "报告不存在"
    started = hr_client.post(URL, {"group_id": str(group.pk)})
    assert started.json()["message"] == "综合评估任务已启动，正在后台运行"


def test_job_given_up_by_the_reaper_restores_the_group_status(hr_client, group):
    """No runner is alive when the reaper fails a job: the app's hook settles the group."""
    from datetime import timedelta

    from django.utils import timezone

    from hrm2.jobs import services as job_services
    from hrm2.jobs.models import Job

    task_id = assert_success(hr_client.post(URL, {"group_id": str(group.pk)}), 202)["task_id"]
    assert ResumeGroup.objects.get(pk=group.pk).status == "comprehensive_screening"
    Job.objects.filter(pk=task_id).update(
        status="running",
        attempts=3,
        max_attempts=3,
        worker="dead:1",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert job_services.reap_stale_jobs()["failed"] == 1
    assert Job.objects.get(pk=task_id).status == "failed"
    assert ResumeGroup.objects.get(pk=group.pk).status == "pending"
