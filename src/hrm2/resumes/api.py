"""/resume-screening/: resume data and resume groups (the seed's paths)."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.resumes import selectors, services
from hrm2.resumes.schemas import (
    GroupChangeOut,
    GroupCreateIn,
    GroupDetailOut,
    GroupFilters,
    GroupMemberIn,
    GroupOut,
    GroupStatusIn,
    ResumeCreatedOut,
    ResumeCreateIn,
    ResumeDetailOut,
    ResumeFilters,
    ResumeOut,
)

router = Router(tags=["resume-screening"], auth=require())
WRITERS = require(Role.HR)


@router.post("/data/", response={201: ResumeCreatedOut}, auth=WRITERS)
def create_resume(request, payload: ResumeCreateIn):
    position = services.resolve_position(
        position_id=payload.position_id,
        title=payload.position_title,
        details=payload.position_details,
        user=request.auth,
    )
    resume = services.create_resume(
        position=position,
        content=payload.resume_content,
        candidate_name=payload.candidate_name,
        user=request.auth,
    )
    request.success_message = _("Resume data created")
    return Status(201, resume)


@router.get("/data/", response=list[ResumeOut])
@paginate
def list_resumes(request, filters: Query[ResumeFilters]):
    return selectors.resume_list(filters=filters)


@router.get("/reports/{uuid:resume_id}/detail/", response=ResumeDetailOut)
def resume_detail(request, resume_id: UUID):
    return selectors.get_resume(resume_id=resume_id)


@router.get("/groups/", response=list[GroupOut])
@paginate
def list_groups(request, filters: Query[GroupFilters]):
    return selectors.group_list(filters=filters)


@router.get("/groups/{uuid:group_id}/", response=GroupDetailOut)
def group_detail(request, group_id: UUID, include_resumes: bool = False):
    group = selectors.get_group(group_id=group_id, include_resumes=include_resumes)
    summary = {
        "total_resumes": group.resume_count,
        "status": group.status,
        "created_at": group.created_at,
    }
    return {"group": group, "summary": summary}


def _change(group_id: UUID) -> dict:
    group = selectors.get_group(group_id=group_id)
    return {
        "group_id": group.pk,
        "group_name": group.group_name,
        "status": group.status,
        "resume_count": group.resume_count,
    }


@router.post("/groups/create/", response={201: GroupChangeOut}, auth=WRITERS)
def create_group(request, payload: GroupCreateIn):
    group = services.create_group(
        group_name=payload.group_name,
        description=payload.description,
        resume_ids=payload.resume_data_ids,
        user=request.auth,
    )
    request.success_message = _("Resume group created")
    return Status(201, _change(group.pk))


@router.post("/groups/add-resume/", response=GroupChangeOut, auth=WRITERS)
def add_resume(request, payload: GroupMemberIn):
    group = selectors.get_group(group_id=payload.group_id)
    services.add_resume(group=group, resume_id=payload.resume_data_id)
    request.success_message = _("Resume added to the group")
    return _change(group.pk)


@router.post("/groups/remove-resume/", response=GroupChangeOut, auth=WRITERS)
def remove_resume(request, payload: GroupMemberIn):
    group = selectors.get_group(group_id=payload.group_id)
    services.remove_resume(group=group, resume_id=payload.resume_data_id)
    request.success_message = _("Resume removed from the group")
    return _change(group.pk)


@router.post("/groups/set-status/", response=GroupChangeOut, auth=WRITERS)
def set_group_status(request, payload: GroupStatusIn):
    group = selectors.get_group(group_id=payload.group_id)
    services.set_group_status(group=group, status=payload.status)
    request.success_message = _("Resume group status updated")
    return _change(group.pk)
