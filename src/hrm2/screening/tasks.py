"""The screening job: screen the task's pending reports in batches until none is left.

Idempotent: only pending reports are screened and written, so a job requeued after its worker
died continues where it stopped and every resume gets exactly one result.
"""

from concurrent.futures import ThreadPoolExecutor

from django.utils.translation import gettext_lazy as _

from hrm2.jobs.registry import register
from hrm2.jobs.services import JobCancelled
from hrm2.screening import services
from hrm2.screening.models import ScreeningReport, ScreeningTask

BATCH_SIZE = 32


def _abandoned(job) -> None:
    """The reaper gave the job up: its unscreened resumes failed with it."""
    ScreeningReport.objects.filter(task_id=job.pk, status=ScreeningReport.Status.PENDING).update(
        status=ScreeningReport.Status.FAILED, error=job.error
    )


@register(services.JOB_KIND, label=_("Resume screening"), on_abandoned=_abandoned)
def run_screening(ctx) -> dict:
    task = ScreeningTask.objects.select_related("criteria_version", "job").get(pk=ctx.job.pk)
    engine = services.engine_for(task)
    criteria = task.criteria_version.criteria
    pending = task.reports.filter(status=ScreeningReport.Status.PENDING)
    parallelism = getattr(engine, "parallelism", 1)
    pool = ThreadPoolExecutor(parallelism, "hrm2-screen") if parallelism > 1 else None

    def screen(report: ScreeningReport) -> dict:
        return services.screen_one(engine, report, criteria, task)

    try:
        while True:
            ctx.check_cancelled()
            batch = list(pending.select_related("resume").order_by("created_at", "id")[:BATCH_SIZE])
            if not batch:
                break
            # Engines only compute: the threads touch no database, the batch is saved here.
            outcomes = list(pool.map(screen, batch)) if pool else [screen(r) for r in batch]
            services.save_batch(list(zip(batch, outcomes, strict=True)))
            _report_progress(ctx, task)
    except JobCancelled:
        pending.update(status=ScreeningReport.Status.CANCELLED)
        raise
    finally:
        if pool:
            pool.shutdown(wait=True)
    counts = _report_progress(ctx, task)  # also when a requeued run found nothing left to do
    return {"completed": counts.get("completed", 0), "failed": counts.get("failed", 0)}


def _report_progress(ctx, task: ScreeningTask) -> dict[str, int]:
    counts = services.status_counts(task)
    total = sum(counts.values())
    done = counts.get("completed", 0) + counts.get("failed", 0)
    ctx.progress(
        processed=done,
        succeeded=counts.get("completed", 0),
        failed=counts.get("failed", 0),
        progress=done * 100 // total if total else 100,
    )
    return counts
