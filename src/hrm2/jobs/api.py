"""/jobs/: the status of any background job, and cancelling it."""

from uuid import UUID

from ninja import Router

from hrm2.api.auth import require
from hrm2.jobs import selectors, services
from hrm2.jobs.schemas import JobOut

router = Router(tags=["jobs"], auth=require())


@router.get("/{uuid:job_id}/", response=JobOut)
def job_status(request, job_id: UUID):
    return selectors.job_for_user(job_id=job_id, user=request.auth)


@router.post("/{uuid:job_id}/cancel/", response=JobOut)
def cancel_job(request, job_id: UUID):
    job = selectors.job_for_user(job_id=job_id, user=request.auth)
    return services.request_cancel(job=job)
