"""The job machinery: claiming, monotonic progress, outcomes, cancellation, the reaper."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hrm2.jobs import registry, runner, services
from hrm2.jobs.models import Job, WorkerHeartbeat
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    """Capture what would go to the broker instead of running it."""
    calls = []
    monkeypatch.setattr(services, "enqueue", lambda job_id: calls.append(job_id) or True)
    return calls


@registry.register("test.count")
def _count_runner(ctx):
    for i in range(ctx.params.get("steps", 3)):
        ctx.check_cancelled()
        ctx.progress(processed=i + 1, progress=(i + 1) * 100 // ctx.params.get("steps", 3))
    return {"counted": ctx.params.get("steps", 3)}


@registry.register("test.boom")
def _boom_runner(ctx):
    raise ValueError("bad input row 7")


def test_claim_is_exclusive(sent):
    job = services.create_job(kind="test.count")
    assert services.claim(job.pk, worker="a") is not None
    assert services.claim(job.pk, worker="b") is None
    job.refresh_from_db()
    assert (job.status, job.worker, job.attempts) == ("running", "a", 1)


def test_progress_never_goes_backwards(sent):
    job = services.create_job(kind="test.count")
    _, lease = services.claim(job.pk, worker="a")
    services.report_progress(lease, progress=60, processed=6)
    services.report_progress(lease, progress=40, processed=7)
    services.report_progress(lease, progress=250)
    job.refresh_from_db()
    assert job.progress == 100 and job.processed == 7


def test_runner_completes_with_result(sent):
    job = services.create_job(kind="test.count", params={"steps": 4})
    assert runner.execute(str(job.pk)) == "completed"
    job.refresh_from_db()
    assert (job.status, job.progress, job.processed, job.result) == (
        "completed",
        100,
        4,
        {"counted": 4},
    )
    assert job.finished_at is not None
    assert runner.execute(str(job.pk)) == "skipped"  # a duplicate delivery does nothing


def test_runner_failure_is_recorded(sent):
    job = services.create_job(kind="test.boom")
    assert runner.execute(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "bad input row 7" in job.error


def test_unknown_kind_fails_cleanly(sent):
    job = services.create_job(kind="no.such.kind")
    assert runner.execute(str(job.pk)) == "failed"
    assert "no runner" in Job.objects.get(pk=job.pk).error


def test_cancel_pending_and_running(sent):
    pending = services.create_job(kind="test.count")
    assert services.request_cancel(job=pending).status == "cancelled"
    running = services.create_job(kind="test.count", params={"steps": 5})
    services.claim(running.pk, worker="a")
    services.request_cancel(job=running)
    Job.objects.filter(pk=running.pk).update(status="pending")  # let the runner claim it again
    assert runner.execute(str(running.pk)) == "cancelled"


def test_a_paused_worker_cannot_touch_a_job_taken_over(sent):
    job = services.create_job(kind="test.count")
    _, old_lease = services.claim(job.pk, worker="paused")
    Job.objects.filter(pk=job.pk).update(status="pending")  # what the reaper does
    _, new_lease = services.claim(job.pk, worker="fresh")
    assert services.heartbeat(old_lease) is False
    assert services.report_progress(old_lease, progress=90) is False
    assert services.complete(old_lease, result={"stale": True}) is False
    assert services.report_progress(new_lease, progress=10) is True
    job.refresh_from_db()
    assert (job.status, job.worker, job.progress, job.result) == ("running", "fresh", 10, None)


def test_completed_job_drops_the_reapers_note(sent, settings):
    job = services.create_job(kind="test.count")
    Job.objects.filter(pk=job.pk).update(error="Worker x stopped responding")
    assert runner.execute(str(job.pk)) == "completed"
    assert Job.objects.get(pk=job.pk).error == ""


def test_reaper_requeues_a_job_whose_worker_died(sent, settings):
    job = services.create_job(kind="test.count")
    services.claim(job.pk, worker="dead:1")
    fresh = services.reap_stale_jobs()
    assert fresh["requeued"] == 0
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS + 1)
    )
    sent.clear()
    counts = services.reap_stale_jobs()
    assert counts["requeued"] == 1 and sent == [job.pk]
    job.refresh_from_db()
    assert job.status == "pending" and "dead:1" in job.error
    assert runner.execute(str(job.pk)) == "completed"
    job.refresh_from_db()
    assert (job.attempts, job.error) == (2, "")


def test_reaper_fails_a_job_after_max_attempts(sent, settings):
    job = services.create_job(kind="test.count")
    Job.objects.filter(pk=job.pk).update(
        status="running",
        attempts=job.max_attempts,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert services.reap_stale_jobs()["failed"] == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None


def test_reaper_resends_pending_jobs_whose_message_was_lost(sent, settings):
    job = services.create_job(kind="test.count")
    Job.objects.filter(pk=job.pk).update(
        enqueued_at=timezone.now() - timedelta(seconds=settings.JOB_PENDING_REQUEUE_SECONDS + 1)
    )
    assert services.reap_stale_jobs()["resent"] == 1 and sent == [job.pk]


def test_enqueue_with_broker_down_keeps_job_pending(settings, monkeypatch):
    from hrm2.jobs import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(tasks.run_job, "apply_async", broker_down)
    job = Job.objects.create(kind="test.count")
    assert services.enqueue(job.pk) is False
    job.refresh_from_db()
    assert job.status == "pending" and job.enqueued_at is not None


def test_job_status_endpoint_is_owner_only(client_for, make_user, sent):
    owner = make_user("hr")
    job = services.create_job(kind="test.count", owner=owner)
    data = assert_success(client_for(owner).get(f"/jobs/{job.pk}/"))
    assert data["status"] == "pending" and data["progress"] == 0
    assert_error(client_for("hr").get(f"/jobs/{job.pk}/"), 404)
    assert_success(client_for("admin").get(f"/jobs/{job.pk}/"))
    cancelled = assert_success(client_for(owner).post(f"/jobs/{job.pk}/cancel/"))
    assert cancelled["status"] == "cancelled"
    assert_error(client_for(owner).post(f"/jobs/{job.pk}/cancel/"), 409)


def test_health_reports_each_dependency(anon, settings):
    body = assert_error(anon.get("/health/"), 503)
    assert [e["loc"] for e in body["errors"]] == [["worker"]]
    WorkerHeartbeat.objects.create(
        hostname="w@test", pid=1, started_at=timezone.now(), last_seen=timezone.now()
    )
    data = assert_success(anon.get("/health/"))
    assert data["status"] == "ok"
    assert data["database"]["ok"] and data["broker"]["ok"] and data["worker"]["ok"]


def test_health_when_worker_heartbeat_is_old(anon, settings):
    old = timezone.now() - timedelta(seconds=settings.WORKER_ALIVE_SECONDS + 5)
    WorkerHeartbeat.objects.create(hostname="w@old", pid=1, started_at=old, last_seen=old)
    assert_error(anon.get("/health/"), 503)


def test_dead_worker_heartbeats_are_forgotten():
    old = timezone.now() - timedelta(hours=2)
    WorkerHeartbeat.objects.create(hostname="gone@x", pid=1, started_at=old, last_seen=old)
    WorkerHeartbeat.objects.create(
        hostname="alive@x", pid=2, started_at=old, last_seen=timezone.now()
    )
    assert services.forget_dead_workers() == 1
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["alive@x"]


def test_consumed_broker_messages_are_purged(settings, tmp_path):
    import sqlite3

    db = tmp_path / "broker.sqlite3"
    settings.CELERY_BROKER_URL = f"sqla+sqlite:///{db}"
    with sqlite3.connect(db) as conn:
        conn.execute(
            "CREATE TABLE kombu_message (id INTEGER PRIMARY KEY, visible BOOLEAN, "
            "timestamp DATETIME, payload TEXT, version SMALLINT, queue_id INTEGER)"
        )
        conn.executemany(
            "INSERT INTO kombu_message (visible, timestamp, payload, version) VALUES (?,?,?,1)",
            [
                (0, "2000-01-01 00:00:00", "old consumed"),
                (1, "2000-01-01 00:00:00", "waiting"),
                (0, "2999-01-01 00:00:00", "just consumed"),
            ],
        )
    from hrm2.jobs.broker import purge_consumed_messages

    assert purge_consumed_messages() == 1
    with sqlite3.connect(db) as conn:
        left = sorted(row[0] for row in conn.execute("SELECT payload FROM kombu_message"))
    assert left == ["just consumed", "waiting"]
