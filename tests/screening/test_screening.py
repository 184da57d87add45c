"""Screening tasks (seed 000 §3.2): submit → 202, status with per-resume results, history,
cancel, one poisoned resume, report detail and downloads."""

import io

import docx
import pytest
from pypdf import PdfReader

from hrm2.jobs.models import Job
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

CRITERIA = {
    "position": "后端工程师",
    "required_skills": ["Python", "Django"],
    "optional_skills": ["Redis"],
    "min_experience": 3,
    "education": ["本科"],
    "salary_range": [20000, 30000],
}
STRONG = (
    "张伟\n本科 计算机科学 2012-2016\n"
    "2016.07-2023.06 某科技公司 高级后端工程师，负责交易系统，带领 5 人团队\n"
    "精通 Python、Django、Redis、PostgreSQL\n项目经历：支付平台重构；订单中心"
)
WEAK = "李雷\n大专\n2022.01-2023.01 销售助理\n熟悉 Excel"


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Run what the request enqueued (eager Celery) as the worker would, after commit."""

    def _submit(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/resume-screening/screening/", body)

    return _submit


def _position(hr):
    return assert_success(hr.post("/position-settings/", CRITERIA), 201)


def _resume(hr, position_id, text):
    return assert_success(
        hr.post("/resume-screening/data/", {"position_id": position_id, "resume_content": text}),
        201,
    )["id"]


def test_submit_runs_and_reports_every_resume(hr, run_jobs):
    position = _position(hr)
    ids = [_resume(hr, position["id"], STRONG), _resume(hr, position["id"], WEAK)]
    submitted = assert_success(
        run_jobs(hr, {"position_id": position["id"], "resume_data_ids": ids}), 202
    )
    assert submitted["status"] == "submitted" and submitted["total"] == 2
    status = assert_success(hr.get(f"/resume-screening/tasks/{submitted['task_id']}/status/"))
    assert status["status"] == "completed" and status["progress"] == 100
    assert (status["total"], status["processed"], status["succeeded"], status["failed"]) == (
        2,
        2,
        2,
        0,
    )
    assert status["criteria_version"] == position["version"]
    by_resume = {r["resume_id"]: r for r in status["results"]}
    assert set(by_resume) == set(ids)
    strong, weak = by_resume[ids[0]], by_resume[ids[1]]
    assert strong["overall"] > weak["overall"]
    assert strong["recommendation"] == "interview" and weak["recommendation"] == "reject"
    assert Resume.objects.get(pk=ids[0]).status == "screened"
    listed = assert_success(hr.get("/resume-screening/data/?min_score=60"))
    assert [r["id"] for r in listed["items"]] == [ids[0]]


def test_detail_carries_the_latest_report_with_evidence(hr, run_jobs):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    assert_success(run_jobs(hr, {"position_id": position["id"], "resume_data_ids": [rid]}), 202)
    detail = assert_success(hr.get(f"/resume-screening/reports/{rid}/detail/"))
    report = detail["report"]
    assert report["engine"] == "embedded" and report["criteria_version"] == 1
    assert report["recommendation"] in {"interview", "reserve", "reject"}
    assert 20000 <= report["salary_suggestion"] <= 30000
    for item in report["criteria_results"]:
        for ev in item["evidence"]:
            assert detail["content"][ev["start"] : ev["end"]] == ev["quote"]
    python = next(c for c in report["criteria_results"] if c["criterion"]["name"] == "Python")
    assert python["verdict"] == "pass" and python["evidence"]


def test_inline_resumes_and_criteria_json(hr, run_jobs):
    body = {
        "position": CRITERIA,
        "resumes": [{"candidate_name": "王五", "resume_content": STRONG}, {"resume_content": WEAK}],
    }
    task = assert_success(run_jobs(hr, body), 202)
    status = assert_success(hr.get(f"/resume-screening/tasks/{task['task_id']}/status/"))
    assert status["succeeded"] == 2
    assert {r["candidate_name"] for r in status["results"]} == {"王五", "李雷"}
    again = assert_success(run_jobs(hr, body), 202)  # the same resumes are re-screened, not copied
    assert Resume.objects.count() == 2
    assert (
        assert_success(hr.get(f"/resume-screening/tasks/{again['task_id']}/status/"))["total"] == 2
    )


def test_one_poisoned_resume_does_not_fail_the_job(hr, run_jobs, monkeypatch):
    from hrm2.ai import embedded

    original = embedded.EmbeddedEngine.screen

    def poisoned(self, text, criteria, **kwargs):
        if "POISON" in text:
            raise ValueError("cannot parse this resume")
        return original(self, text, criteria, **kwargs)

    monkeypatch.setattr(embedded.EmbeddedEngine, "screen", poisoned)
    position = _position(hr)
    ids = [
        _resume(hr, position["id"], STRONG),
        _resume(hr, position["id"], "POISON 赵六"),
        _resume(hr, position["id"], WEAK),
    ]
    task = assert_success(
        run_jobs(hr, {"position_id": position["id"], "resume_data_ids": ids}), 202
    )
    status = assert_success(hr.get(f"/resume-screening/tasks/{task['task_id']}/status/"))
    assert status["status"] == "completed"
    assert (status["succeeded"], status["failed"]) == (2, 1)
    poisoned_row = next(r for r in status["results"] if r["resume_id"] == ids[1])
    assert poisoned_row["status"] == "failed" and "cannot parse" in poisoned_row["error"]
    assert Resume.objects.get(pk=ids[1]).status == "pending"


def test_submit_validation(hr, client_for):
    position = _position(hr)
    other = assert_success(hr.post("/position-settings/", {"position": "会计"}), 201)
    foreign = _resume(hr, other["id"], WEAK)
    missing = "00000000-0000-0000-0000-000000000009"
    url = "/resume-screening/screening/"
    assert_error(hr.post(url, {"resume_data_ids": [foreign]}), 422)  # no position
    assert_error(hr.post(url, {"position_id": position["id"]}), 422)  # no resumes
    body = assert_error(
        hr.post(url, {"position_id": position["id"], "resume_data_ids": [foreign]}), 422
    )
    assert body["errors"][0]["msg"] == f"李雷 的简历（ID {foreign}）属于其他岗位"
    assert_error(hr.post(url, {"position_id": position["id"], "resume_data_ids": [missing]}), 404)
    assert_error(
        hr.post(
            url, {"position_id": position["id"], "resume_data_ids": [foreign], "engine": "gpt-99"}
        ),
        422,
    )
    assert_error(hr.post(url, {"position_id": position["id"], "resume_data_ids": "abc"}), 422)
    too_many = [{"resume_content": f"r{i}"} for i in range(1001)]
    assert_error(hr.post(url, {"position_id": position["id"], "resumes": too_many}), 422)
    assert_error(
        client_for("reviewer").post(
            url, {"position_id": position["id"], "resume_data_ids": [foreign]}
        ),
        403,
    )
    assert Job.objects.count() == 0


def test_status_of_pending_task_and_unknown_task(hr):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    task = assert_success(
        hr.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": [rid]},
        ),
        202,
    )
    status = assert_success(hr.get(f"/resume-screening/tasks/{task['task_id']}/status/"))
    assert status["status"] == "pending" and status["progress"] == 0
    assert [r["status"] for r in status["results"]] == ["pending"]
    assert_error(
        hr.get("/resume-screening/tasks/00000000-0000-0000-0000-000000000000/status/"), 404
    )


def test_cancel_pending_task(hr):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    task = assert_success(
        hr.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": [rid]},
        ),
        202,
    )
    cancelled = assert_success(hr.post(f"/resume-screening/tasks/{task['task_id']}/cancel/"))
    assert cancelled["status"] == "cancelled"
    assert ScreeningReport.objects.get().status == "cancelled"
    assert_error(hr.post(f"/resume-screening/tasks/{task['task_id']}/cancel/"), 409)


def test_cancel_stops_the_remaining_work(hr):
    from hrm2.jobs import runner
    from hrm2.jobs import services as job_services
    from hrm2.screening import tasks

    position = _position(hr)
    ids = [_resume(hr, position["id"], f"候选人{i}\nPython Django {i}") for i in range(60)]
    task = assert_success(
        hr.post(
            "/resume-screening/screening/", {"position_id": position["id"], "resume_data_ids": ids}
        ),
        202,
    )
    original = tasks.services.save_batch

    def save_then_cancel(outcomes):
        original(outcomes)
        job_services.request_cancel(job=Job.objects.get(pk=task["task_id"]))

    tasks.services.save_batch = save_then_cancel
    try:
        assert runner.execute(task["task_id"]) == "cancelled"
    finally:
        tasks.services.save_batch = original
    counts = {
        s: ScreeningReport.objects.filter(status=s).count()
        for s in ("completed", "cancelled", "pending")
    }
    assert counts == {
        "completed": tasks.BATCH_SIZE,
        "cancelled": 60 - tasks.BATCH_SIZE,
        "pending": 0,
    }


def test_requeued_job_screens_each_resume_exactly_once(hr):
    from hrm2.jobs import runner
    from hrm2.screening import tasks

    position = _position(hr)
    ids = [_resume(hr, position["id"], f"候选人{i}\nPython {i}") for i in range(50)]
    task = assert_success(
        hr.post(
            "/resume-screening/screening/", {"position_id": position["id"], "resume_data_ids": ids}
        ),
        202,
    )
    original = tasks.services.save_batch

    def crash_after_first_batch(outcomes):
        original(outcomes)
        raise SystemExit("worker killed")  # not an Exception: the runner does not mark it failed

    tasks.services.save_batch = crash_after_first_batch
    try:
        with pytest.raises(SystemExit):
            runner.execute(task["task_id"])
    finally:
        tasks.services.save_batch = original
    Job.objects.filter(pk=task["task_id"]).update(status="pending")  # what the reaper does
    assert runner.execute(task["task_id"]) == "completed"
    assert ScreeningReport.objects.filter(status="completed").count() == 50
    job = Job.objects.get(pk=task["task_id"])
    assert (job.attempts, job.succeeded, job.progress) == (2, 50, 100)


def test_history_is_paginated_and_filtered(hr, run_jobs):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    for _ in range(3):
        assert_success(run_jobs(hr, {"position_id": position["id"], "resume_data_ids": [rid]}), 202)
    history = assert_success(hr.get("/resume-screening/tasks-history/?page_size=2"))
    assert (history["total"], len(history["items"]), history["pages"]) == (3, 2, 2)
    assert history["items"][0]["status"] == "completed"
    assert assert_success(hr.get("/resume-screening/tasks-history/?status=failed"))["total"] == 0
    assert_error(hr.get("/resume-screening/tasks-history/?status=weird"), 422)


@pytest.mark.parametrize("fmt", ["md", "pdf", "docx", "json"])
def test_report_downloads(hr, run_jobs, fmt, client_for, anon):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    assert_success(run_jobs(hr, {"position_id": position["id"], "resume_data_ids": [rid]}), 202)
    url = f"/resume-screening/reports/{rid}/download/?format={fmt}"
    response = hr.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = response.content
    if fmt == "md":
        assert "张伟" in content.decode() and "Python" in content.decode()
    elif fmt == "pdf":
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
        assert "张伟" in text and "简历筛选报告" in text
    elif fmt == "docx":
        document = docx.Document(io.BytesIO(content))
        assert any("张伟" in p.text for p in document.paragraphs)
    else:
        assert response.json()["engine"] == "embedded"
    report_id = ScreeningReport.objects.get().pk
    assert (
        hr.get(f"/resume-screening/reports/{report_id}/download/?format={fmt}").status_code == 200
    )
    assert client_for("reviewer").get(url).status_code == 200
    assert_error(anon.get(url), 401)


def test_download_errors(hr):
    assert_error(
        hr.get("/resume-screening/reports/00000000-0000-0000-0000-000000000000/download/"), 404
    )
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    assert_error(hr.get(f"/resume-screening/reports/{rid}/download/"), 404)  # not screened yet
    assert_error(hr.get(f"/resume-screening/reports/{rid}/download/?format=exe"), 422)


def test_english_request_gives_an_english_report(hr, django_capture_on_commit_callbacks):
    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    english = {"Accept-Language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        submitted = hr.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": [rid]},
            headers=english,
        )
    assert submitted.json()["message"].isascii()
    detail = assert_success(hr.get(f"/resume-screening/reports/{rid}/detail/"))
    assert detail["report"]["language"] == "en" and "recommendation" in detail["report"]["summary"]
    md = hr.get(f"/resume-screening/reports/{rid}/download/?format=md", headers=english)
    assert "Resume screening report" in md.content.decode()
    zh = hr.get(f"/resume-screening/reports/{rid}/download/?format=md")
    assert "简历筛选报告" in zh.content.decode()


def test_job_given_up_by_the_reaper_fails_its_pending_reports(hr):
    from datetime import timedelta

    from django.utils import timezone

    from hrm2.jobs import services as job_services

    position = _position(hr)
    rid = _resume(hr, position["id"], STRONG)
    task = assert_success(
        hr.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": [rid]},
        ),
        202,
    )
    Job.objects.filter(pk=task["task_id"]).update(
        status="running",
        attempts=3,
        max_attempts=3,
        worker="dead:1",
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert job_services.reap_stale_jobs()["failed"] == 1
    status = assert_success(hr.get(f"/resume-screening/tasks/{task['task_id']}/status/"))
    assert status["status"] == "failed"
    assert [r["status"] for r in status["results"]] == ["failed"]
    assert "stopped responding" in status["results"][0]["error"] or status["results"][0]["error"]
