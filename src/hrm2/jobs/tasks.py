"""The single Celery task behind every job kind."""

from celery import shared_task
from django.db import close_old_connections

from hrm2.jobs import runner


@shared_task(
    name="hrm2.jobs.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def run_job(job_id: str) -> str:
    close_old_connections()  # a long-lived worker may hold a connection the server dropped
    try:
        return runner.execute(job_id)
    finally:
        close_old_connections()
