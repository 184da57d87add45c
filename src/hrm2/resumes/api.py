"""/resume-screening/: resume data and resume groups (the seed's paths)."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.api.body import is_multipart, parse_json_body
from hrm2.api.errors import collect_validation
from hrm2.resumes import selectors, services, uploads
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
    ResumeFilters,
    ResumeOut,
    UploadOut,
)

router = Router(tags=["resume-screening"], auth=require())
WRITERS = require(Role.HR)


UPLOAD_BODY_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": ResumeCreateIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "position_id": {"type": "string", "format": "uuid"},
                        "position_title": {"type": "string"},
                        "position_details": {"type": "string", "description": "criteria JSON"},
                        "candidate_name": {"type": "string"},
                    },
                    "required": ["files"],
                }
            },
        }
    }
}


@router.post(
    "/data/",
    response={201: UploadOut | ResumeCreatedOut},
    auth=WRITERS,
    openapi_extra=UPLOAD_BODY_DOC,
)
def create_resume(request):
    """JSON (the seed's fields, or ``position_id``) creates one resume; multipart ``files``
    (PDF, DOCX, TXT, MD) creates one per file and reports each file's outcome."""
    if is_multipart(request):
        form, files = collect_validation(
            lambda: uploads.read_upload_form(request), lambda: uploads.uploaded_files(request)
        )
        position = services.resolve_position(
            position_id=form.position_id,
            title=form.position_title,
            details=form.position_details,
            user=request.auth,
        )
        outcomes = services.upload_resumes(
            position=position, files=files, user=request.auth, candidate_name=form.candidate_name
        )
        request.success_message = _("Resumes uploaded")
        return Status(201, uploads.summarise(outcomes))
    payload = parse_json_body(request, ResumeCreateIn)
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
