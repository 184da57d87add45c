"""The screening job: screen the task's pending reports in batches until none is left.

Idempotent: only pending reports are screened and written, so a job requeued after its worker
died continues where it stopped and every resume gets exactly one result.
"""

from hrm2.jobs.registry import register
from hrm2.jobs.services import JobCancelled
from hrm2.screening import services
from hrm2.screening.models import ScreeningReport, ScreeningTask

BATCH_SIZE = 25


@register(services.JOB_KIND)
def run_screening(ctx) -> dict:
    task = ScreeningTask.objects.select_related("criteria_version", "job").get(pk=ctx.job.pk)
    engine = services.engine_for(task)
    criteria = task.criteria_version.criteria
    pending = task.reports.filter(status=ScreeningReport.Status.PENDING)
    try:
        while True:
            ctx.check_cancelled()
            batch = list(pending.select_related("resume").order_by("created_at", "id")[:BATCH_SIZE])
            if not batch:
                break
            services.save_batch(
                [(report, services.screen_one(engine, report, criteria, task)) for report in batch]
            )
            _report_progress(ctx, task)
    except JobCancelled:
        pending.update(status=ScreeningReport.Status.CANCELLED)
        raise
    counts = services.status_counts(task)
    return {"completed": counts.get("completed", 0), "failed": counts.get("failed", 0)}


def _report_progress(ctx, task: ScreeningTask) -> None:
    counts = services.status_counts(task)
    total = sum(counts.values())
    done = counts.get("completed", 0) + counts.get("failed", 0)
    ctx.progress(
        processed=done,
        succeeded=counts.get("completed", 0),
        failed=counts.get("failed", 0),
        progress=done * 100 // total if total else 100,
    )
