"""The single Celery task behind every job kind."""

from celery import shared_task
from django.db import close_old_connections

from hrm2.jobs import runner


@shared_task(
    bind=True,
    name="hrm2.jobs.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def run_job(self, job_id: str) -> str:
    if self.request.is_eager:  # run inside the caller (tests): its connection is not ours
        return runner.execute(job_id)
    close_old_connections()  # a long-lived worker may hold a connection the server dropped
    try:
        return runner.execute(job_id)
    finally:
        close_old_connections()
