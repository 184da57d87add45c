"""The video analysis job: analyse the file, store the results on the video.

Idempotent: every write is conditioned on the video still belonging to this job, and the
results are computed from the file alone and written in one transaction, so a job requeued
after its worker died simply analyses again; a video deleted or re-queued meanwhile is left
alone.
"""

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrm2 import media
from hrm2.jobs.registry import register
from hrm2.jobs.services import JobCancelled, JobLost
from hrm2.videos import services

logger = logging.getLogger("hrm2.videos")


@register(services.JOB_KIND, label=gettext_lazy("Video analysis"))
def run_video_analysis(ctx) -> dict:
    video_id, job_id = ctx.params["video_id"], ctx.job.pk
    video = services.start(video_id=video_id, job_id=job_id)
    if video is None:
        return {"video_id": video_id, "skipped": "deleted_or_requeued"}

    def progress(percent: int) -> None:
        ctx.check_cancelled()
        ctx.progress(progress=percent)
        services.report_progress(video_id=video_id, job_id=job_id, progress=percent)

    try:
        with services.local_copy(video) as path:
            analysis = media.analyse(path, services.analysis_options(), progress=progress)
    except (JobCancelled, JobLost) as exc:
        if isinstance(exc, JobCancelled):
            services.finish_cancelled(video_id=video_id, job_id=job_id)
        raise
    except media.MediaError as exc:
        services.finish_failed(
            video_id=video_id, job_id=job_id, error=_("Analysis failed: %(error)s") % {"error": exc}
        )
        raise
    except Exception as exc:
        logger.exception("video %s: analysis failed", video_id)
        services.finish_failed(
            video_id=video_id,
            job_id=job_id,
            error=_("Analysis failed: internal error (%(kind)s)") % {"kind": type(exc).__name__},
        )
        raise
    saved = services.save_analysis(video_id=video_id, job_id=job_id, analysis=analysis)
    if saved is None:
        return {"video_id": video_id, "skipped": "deleted_or_requeued"}
    return {
        "video_id": video_id,
        "fraud_score": saved.machine_results["fraud_score"],
        "confidence_score": saved.machine_results["confidence_score"],
        "timings": analysis.timings,
    }
