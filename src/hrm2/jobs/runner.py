"""Run one claimed job inside a worker: a heartbeat thread, a context for progress, an outcome."""

import logging
import threading
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection

from hrm2.jobs import registry, services
from hrm2.jobs.models import Job
from hrm2.jobs.services import JobCancelled

logger = logging.getLogger("hrm2.jobs")


class JobContext:
    """What a runner gets: the job, and ways to report progress and notice cancellation."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = job.params

    @property
    def attempt(self) -> int:
        return self.job.attempts

    def progress(self, **counts: int) -> None:
        services.report_progress(self.job.pk, **counts)

    def check_cancelled(self) -> None:
        if services.cancel_requested(self.job.pk):
            raise JobCancelled()


@contextmanager
def _heartbeat(job_id):
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    services.heartbeat(job_id)
                except Exception:  # a missed beat is not fatal; the next one may succeed
                    logger.exception("heartbeat for job %s failed", job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def execute(job_id: str) -> str:
    """Claim and run the job; returns the final status (or 'skipped' if not ours to run)."""
    job = services.claim(job_id, worker=services.worker_name())
    if job is None:
        logger.info("job %s not claimable (already taken, finished or unknown)", job_id)
        return "skipped"
    runner = registry.get_runner(job.kind)
    if runner is None:
        services.fail(job.pk, error=f"no runner registered for job kind {job.kind!r}")
        return Job.Status.FAILED
    logger.info("job %s (%s) started, attempt %s", job.pk, job.kind, job.attempts)
    with _heartbeat(job.pk):
        try:
            result = runner(JobContext(job))
        except JobCancelled:
            services.mark_cancelled(job.pk)
            logger.info("job %s cancelled", job.pk)
            return Job.Status.CANCELLED
        except Exception as exc:
            logger.exception("job %s failed", job.pk)
            services.fail(job.pk, error=f"{type(exc).__name__}: {exc}")
            return Job.Status.FAILED
    services.complete(job.pk, result=result)
    logger.info("job %s completed", job.pk)
    return Job.Status.COMPLETED
