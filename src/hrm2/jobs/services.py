"""Writes on jobs: create and enqueue, claim, progress, finish, cancel, and reap dead workers.

Every state change is a conditional UPDATE so that two workers (or a worker and the reaper)
can never both own a job, and ``progress`` never goes backwards.
"""

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from hrm2.api.errors import Conflict
from hrm2.jobs.models import Job, WorkerHeartbeat

logger = logging.getLogger("hrm2.jobs")


class JobCancelled(Exception):
    """Raised inside a runner when someone asked for the job to stop."""


class JobLost(Exception):
    """Raised inside a runner whose lease was taken over (the reaper requeued the job)."""


@dataclass(frozen=True)
class Lease:
    """Who runs a job: its id, the worker that claimed it and the attempt number.

    Every write of a running job filters on the lease, so a worker that was only paused (not
    dead) cannot overwrite a job another worker took over after the reaper requeued it.
    """

    job_id: Any
    worker: str
    attempt: int

    def running(self):
        return Job.objects.filter(
            pk=self.job_id, status=Job.Status.RUNNING, worker=self.worker, attempts=self.attempt
        )


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def create_job(
    *, kind: str, params: dict[str, Any] | None = None, owner=None, total: int = 0
) -> Job:
    """Create a pending job and enqueue it once the surrounding transaction commits."""
    job = Job.objects.create(
        kind=kind,
        params=params or {},
        owner=owner,
        total=total,
        max_attempts=settings.JOB_MAX_ATTEMPTS,
    )
    transaction.on_commit(lambda: enqueue(job.id))
    return job


def enqueue(job_id) -> bool:
    """Send the job to the broker. If the broker is down the job stays pending and the
    monitor re-sends it later (``JOB_PENDING_REQUEUE_SECONDS``): nothing is lost."""
    from hrm2.jobs.tasks import run_job

    Job.objects.filter(pk=job_id).update(enqueued_at=timezone.now())
    try:
        run_job.apply_async(args=[str(job_id)], retry=False)
    except Exception as exc:
        logger.warning("could not enqueue job %s (will retry): %s", job_id, exc)
        return False
    return True


def claim(job_id, *, worker: str) -> tuple[Job, Lease] | None:
    """Move a pending job to running for this worker; None if someone else has it or it ended."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING).update(
        status=Job.Status.RUNNING,
        worker=worker,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        updated_at=now,
    )
    if not claimed:
        return None
    job = Job.objects.get(pk=job_id)
    return job, Lease(job.pk, job.worker, job.attempts)


def heartbeat(lease: Lease) -> bool:
    return bool(lease.running().update(heartbeat_at=timezone.now()))


def report_progress(
    lease: Lease,
    *,
    progress: int | None = None,
    processed: int | None = None,
    succeeded: int | None = None,
    failed: int | None = None,
    total: int | None = None,
) -> bool:
    """Update counts; ``progress`` (0–100) only ever moves forward. False: lease lost."""
    now = timezone.now()
    changes: dict[str, Any] = {"heartbeat_at": now, "updated_at": now}
    if progress is not None:
        changes["progress"] = Greatest(F("progress"), max(0, min(100, int(progress))))
    for field, value in (
        ("processed", processed),
        ("succeeded", succeeded),
        ("failed", failed),
        ("total", total),
    ):
        if value is not None:
            changes[field] = value
    return bool(lease.running().update(**changes))


def cancel_requested(job_id) -> bool:
    return Job.objects.filter(pk=job_id, cancel_requested=True).exists()


def _finish(lease: Lease, status: str, **fields: Any) -> bool:
    now = timezone.now()
    return bool(lease.running().update(status=status, finished_at=now, updated_at=now, **fields))


def complete(lease: Lease, *, result: Any = None) -> bool:
    # Clears the note a reaper may have left while requeueing an earlier attempt.
    return _finish(lease, Job.Status.COMPLETED, result=result, progress=100, error="")


def fail(lease: Lease, *, error: str) -> bool:
    return _finish(lease, Job.Status.FAILED, error=error[:4000])


def mark_cancelled(lease: Lease) -> bool:
    return _finish(lease, Job.Status.CANCELLED, error=_("Cancelled on request"))


@transaction.atomic
def request_cancel(*, job: Job) -> Job:
    """Cancel a pending job at once; ask a running one to stop at its next step."""
    if job.is_finished:
        raise Conflict(_("The job has already finished"))
    now = timezone.now()
    Job.objects.filter(pk=job.pk, status=Job.Status.PENDING).update(
        status=Job.Status.CANCELLED,
        cancel_requested=True,
        finished_at=now,
        updated_at=now,
        error=_("Cancelled on request"),
    )
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
        cancel_requested=True, updated_at=now
    )
    job.refresh_from_db()
    return job


def reap_stale_jobs() -> dict[str, int]:
    """Requeue running jobs whose worker stopped heart-beating; fail them after max attempts.

    Also re-sends pending jobs whose message may have been lost (broker down at submit time,
    or a worker killed between fetching the message and claiming the job).
    """
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    stale = Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=stale_before)
    for job in stale.only("id", "kind", "attempts", "max_attempts", "worker"):
        note = _("Worker %(worker)s stopped responding") % {"worker": job.worker or "?"}
        if job.attempts >= job.max_attempts:
            if Job.objects.filter(
                pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=stale_before
            ).update(status=Job.Status.FAILED, error=note, finished_at=now, updated_at=now):
                counts["failed"] += 1
                logger.warning("job %s failed: %s (attempt %s)", job.pk, note, job.attempts)
                _abandoned(job.pk)
            continue
        if Job.objects.filter(
            pk=job.pk, status=Job.Status.RUNNING, heartbeat_at__lt=stale_before
        ).update(status=Job.Status.PENDING, error=note, worker="", updated_at=now):
            counts["requeued"] += 1
            logger.warning("job %s requeued: %s", job.pk, note)
            enqueue(job.pk)
    resend_before = now - timedelta(seconds=settings.JOB_PENDING_REQUEUE_SECONDS)
    lost = Job.objects.filter(status=Job.Status.PENDING, enqueued_at__lt=resend_before)
    for job_id in lost.values_list("pk", flat=True):
        counts["resent"] += 1
        enqueue(job_id)
    return counts


def _abandoned(job_id) -> None:
    """Let the job's app settle its own state after the reaper gave the job up."""
    from hrm2.jobs import registry

    job = Job.objects.get(pk=job_id)
    hook = registry.get_abandoned_hook(job.kind)
    if hook is None:
        return
    try:
        hook(job)
    except Exception:  # the job stays failed either way; the hook's failure is only logged
        logger.exception("clean-up after abandoned job %s failed", job_id)


def record_worker_heartbeat(*, hostname: str, pid: int, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname,
        defaults={"pid": pid, "started_at": started_at, "last_seen": timezone.now()},
    )


def forget_worker(*, hostname: str) -> None:
    WorkerHeartbeat.objects.filter(hostname=hostname).delete()


def forget_dead_workers(*, older_than: timedelta = timedelta(hours=1)) -> int:
    """Drop heartbeats of workers killed without a clean shutdown (each start has a new name)."""
    deleted, _rows = WorkerHeartbeat.objects.filter(
        last_seen__lt=timezone.now() - older_than
    ).delete()
    return deleted
