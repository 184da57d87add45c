"""The group evaluation job: evaluate the pending candidates in batches, then rank and report.

Idempotent: only pending candidates are evaluated and written, and only report formats not yet
registered are rendered, so a job requeued after its worker died continues where it stopped.
Candidates' inputs are read in the worker (a few queries per batch); engines only compute.
"""

from concurrent.futures import ThreadPoolExecutor

from django.utils.translation import gettext_lazy as _

from hrm2.jobs.registry import register
from hrm2.jobs.services import JobLost
from hrm2.recommend import reporting, selectors, services
from hrm2.recommend.models import GroupEvaluation

BATCH_SIZE = 50
EVALUATION_SHARE = 90  # progress 0–90 while evaluating, the rest for the reports


def _abandoned(job) -> None:
    evaluation = GroupEvaluation.objects.filter(pk=job.pk).first()
    if evaluation is not None:
        services.stopped(evaluation)


@register(services.JOB_KIND, label=_("Group evaluation"), on_abandoned=_abandoned)
def run_group_evaluation(ctx) -> dict:
    evaluation = GroupEvaluation.objects.select_related("group__position", "job").get(pk=ctx.job.pk)
    try:
        return _run(ctx, evaluation)
    except JobLost:
        raise  # another worker owns the job now (or it was deleted): touch nothing
    except BaseException:
        services.stopped(evaluation)
        raise


def _run(ctx, evaluation: GroupEvaluation) -> dict:
    engine = services.engine_for(evaluation)
    pending = selectors.pending_candidates(evaluation)
    parallelism = getattr(engine, "parallelism", 1)
    pool = ThreadPoolExecutor(parallelism, "hrm2-recommend") if parallelism > 1 else None
    try:
        while True:
            ctx.check_cancelled()
            batch = list(pending.select_related("resume").order_by("created_at", "id")[:BATCH_SIZE])
            if not batch:
                break
            inputs = selectors.candidate_inputs(
                [row.resume for row in batch if row.resume is not None],
                include_video=evaluation.include_video,
            )
            work = [inputs.get(row.resume_id) for row in batch]

            def evaluate(candidate):
                if candidate is None:  # the resume was deleted since the submission
                    return {"status": "failed", "error": "the resume no longer exists"}
                return services.evaluate_one(engine, evaluation, candidate)

            outcomes = list(pool.map(evaluate, work)) if pool else [evaluate(w) for w in work]
            services.save_batch(list(zip(batch, outcomes, strict=True)))
            _report_progress(ctx, evaluation)
    finally:
        if pool:
            pool.shutdown(wait=True)
    counts = _report_progress(ctx, evaluation)
    ctx.check_cancelled()
    result = services.group_result(evaluation)
    evaluation.result = result
    services.store_reports(evaluation, lambda: reporting.build_report(evaluation))
    ctx.check_cancelled()
    services.complete(evaluation, result)
    return {
        "completed": counts.get("completed", 0),
        "failed": counts.get("failed", 0),
        "recommended_order": result["recommended_order"],
    }


def _report_progress(ctx, evaluation: GroupEvaluation) -> dict[str, int]:
    counts = services.status_counts(evaluation)
    total = sum(counts.values())
    done = counts.get("completed", 0) + counts.get("failed", 0)
    ctx.progress(
        processed=done,
        succeeded=counts.get("completed", 0),
        failed=counts.get("failed", 0),
        progress=done * EVALUATION_SHARE // total if total else EVALUATION_SHARE,
    )
    return counts
