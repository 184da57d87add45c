"""Run one claimed job inside a worker: a heartbeat thread, a context for progress, an outcome."""

import logging
import threading
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection

from hrm2.jobs import registry, services
from hrm2.jobs.models import Job
from hrm2.jobs.services import JobCancelled, JobLost, Lease

logger = logging.getLogger("hrm2.jobs")


class JobContext:
    """What a runner gets: the job, and ways to report progress and notice cancellation.

    Both raise when the runner should stop: ``JobCancelled`` on request, ``JobLost`` when the
    job was taken over by another worker (this one was presumed dead).
    """

    def __init__(self, job: Job, lease: Lease) -> None:
        self.job = job
        self.lease = lease
        self.params: dict[str, Any] = job.params

    @property
    def attempt(self) -> int:
        return self.lease.attempt

    def progress(self, **counts: int) -> None:
        if not services.report_progress(self.lease, **counts):
            raise JobLost()

    def check_cancelled(self) -> None:
        if services.cancel_requested(self.job.pk):
            raise JobCancelled()
        if not self.lease.running().exists():
            raise JobLost()


@contextmanager
def _heartbeat(lease: Lease):
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    if not services.heartbeat(lease):
                        return  # the lease is gone; the runner notices at its next step
                except Exception:  # a missed beat is not fatal; the next one may succeed
                    logger.exception("heartbeat for job %s failed", lease.job_id)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{lease.job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def execute(job_id: str) -> str:
    """Claim and run the job; returns the final status (or 'skipped' if not ours to run)."""
    claimed = services.claim(job_id, worker=services.worker_name())
    if claimed is None:
        logger.info("job %s not claimable (already taken, finished or unknown)", job_id)
        return "skipped"
    job, lease = claimed
    runner = registry.get_runner(job.kind)
    if runner is None:
        services.fail(lease, error=f"no runner registered for job kind {job.kind!r}")
        return Job.Status.FAILED
    logger.info("job %s (%s) started, attempt %s", job.pk, job.kind, lease.attempt)
    with _heartbeat(lease):
        try:
            result = runner(JobContext(job, lease))
        except JobCancelled:
            services.mark_cancelled(lease)
            logger.info("job %s cancelled", job.pk)
            return Job.Status.CANCELLED
        except JobLost:
            logger.warning("job %s was taken over by another worker; stopping", job.pk)
            return "lost"
        except Exception as exc:
            logger.exception("job %s failed", job.pk)
            services.fail(lease, error=f"{type(exc).__name__}: {exc}")
            return Job.Status.FAILED
    if not services.complete(lease, result=result):
        logger.warning("job %s finished but was taken over meanwhile; result dropped", job.pk)
        return "lost"
    logger.info("job %s completed", job.pk)
    return Job.Status.COMPLETED
