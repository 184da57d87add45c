"""The single Celery task behind every job kind."""

from celery import shared_task

from hrm2.jobs import runner


@shared_task(
    name="hrm2.jobs.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def run_job(job_id: str) -> str:
    return runner.execute(job_id)
