"""/position-settings/: the current criteria, saving them, listing, editing, archiving."""

from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.positions import selectors, services
from hrm2.positions.schemas import (
    CriteriaIn,
    CriteriaPatch,
    CriteriaVersionOut,
    PositionListFilters,
    PositionOut,
    PositionSummaryOut,
)

router = Router(tags=["position-settings"], auth=require())
WRITERS = require(Role.HR)


@router.get("/", response=PositionOut)
def current_criteria(request, position_id: UUID | None = None):
    return selectors.current_position(position_id=position_id)


@router.post("/", response={200: PositionOut, 201: PositionOut}, auth=WRITERS)
def save_criteria(request, payload: CriteriaIn):
    position, created = services.save_criteria(criteria=payload, user=request.auth)
    request.success_message = _("Position created") if created else _("Position updated")
    return Status(201 if created else 200, selectors.get_position(position_id=position.pk))


@router.get("/list/", response=list[PositionSummaryOut])
@paginate
def list_positions(request, filters: Query[PositionListFilters]):
    return selectors.position_list(is_active=filters.is_active, keyword=filters.keyword)


@router.get("/{uuid:position_id}/", response=PositionOut)
def position_detail(request, position_id: UUID):
    return selectors.get_position(position_id=position_id)


@router.patch("/{uuid:position_id}/", response=PositionOut, auth=WRITERS)
def update_position(request, position_id: UUID, payload: CriteriaPatch):
    position = selectors.get_position(position_id=position_id)
    services.update_criteria(position=position, patch=payload, user=request.auth)
    return selectors.get_position(position_id=position_id)


@router.delete("/{uuid:position_id}/", response=PositionOut, auth=WRITERS)
def archive_position(request, position_id: UUID):
    position = selectors.get_position(position_id=position_id)
    services.archive(position=position, user=request.auth)
    request.success_message = _("Position archived")
    return selectors.get_position(position_id=position_id)


@router.get("/{uuid:position_id}/versions/", response=list[CriteriaVersionOut])
@paginate
def position_versions(request, position_id: UUID):
    position = selectors.get_position(position_id=position_id)
    return selectors.criteria_versions(position=position)
