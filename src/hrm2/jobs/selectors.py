"""Reads on jobs."""

from django.utils import timezone

from hrm2.api.auth import Role, has_role
from hrm2.api.errors import NotFound
from hrm2.jobs.models import Job, WorkerHeartbeat


def job_for_user(*, job_id, user) -> Job:
    """A job is visible to its owner and to admins."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not (job.owner_id == user.pk or has_role(user, Role.ADMIN)):
        raise NotFound()
    return job


def live_workers(*, within_seconds: int) -> list[WorkerHeartbeat]:
    since = timezone.now() - timezone.timedelta(seconds=within_seconds)
    return list(WorkerHeartbeat.objects.filter(last_seen__gte=since))
