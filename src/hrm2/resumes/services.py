"""Writes on resumes and groups."""

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.errors import Conflict, NotFound, ValidationFailed
from hrm2.positions import selectors as position_selectors
from hrm2.positions import services as position_services
from hrm2.positions.models import Position
from hrm2.positions.schemas import CriteriaIn
from hrm2.resumes import naming
from hrm2.resumes.models import Resume, ResumeGroup


def content_hash(text: str) -> str:
    """Hash of the text with whitespace collapsed: re-flowed copies of one resume collide."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def resolve_position(
    *, position_id=None, title: str | None = None, details: dict[str, Any] | None = None, user
) -> Position:
    """The active position by id or title; a title not seen before creates the position."""
    if position_id is not None:
        position = position_selectors.get_position(position_id=position_id)
        if not position.is_active:
            raise Conflict(_("The position is archived; restore it before adding resumes"))
        return position
    title = " ".join((title or "").split())
    existing = Position.objects.filter(title__iexact=title, is_active=True).first()
    if existing is not None:
        return existing
    try:
        criteria = CriteriaIn.model_validate({**(details or {}), "position": title})
    except PydanticValidationError as exc:
        errors = [
            {"loc": ["body", "position_details", *e["loc"]], "msg": e["msg"], "type": e["type"]}
            for e in exc.errors()
        ]
        raise ValidationFailed(detail=errors[0]["msg"], errors=errors) from exc
    position, _created = position_services.save_criteria(criteria=criteria, user=user)
    return position


def _duplicate(existing: Resume) -> Conflict:
    return Conflict(
        _("This resume was already submitted to this position"),
        detail=_("Existing resume id: %(id)s") % {"id": existing.pk},
        errors=[
            {
                "loc": ["body", "resume_content"],
                "msg": str(existing.pk),
                "type": "duplicate",
                "existing_id": str(existing.pk),
            }
        ],
    )


def create_resume(
    *,
    position: Position,
    content: str,
    user,
    candidate_name: str | None = None,
    source_kind: str = "text",
    original_filename: str = "",
    original_file=None,
    warnings: list[dict] | None = None,
    text_hash: str | None = None,
) -> Resume:
    """Store a resume for a position; the same content for the same position → 409."""
    digest = text_hash or content_hash(content)
    existing = Resume.objects.filter(position=position, content_hash=digest).first()
    if existing is not None:
        raise _duplicate(existing)
    resume = Resume(
        position=position,
        content=content,
        content_hash=digest,
        uploaded_by=user,
        candidate_name=naming.candidate_name(
            given=candidate_name, text=content, filename=original_filename
        )
        or _("Unknown candidate"),
        source_kind=source_kind,
        original_filename=original_filename[:255],
        warnings=warnings or [],
    )
    try:
        with transaction.atomic():
            if original_file is not None:
                resume.original_file.save(original_filename or "resume", original_file, save=False)
            resume.save()
    except IntegrityError as exc:  # a concurrent submission of the same resume won the race
        if resume.original_file:
            resume.original_file.delete(save=False)
        existing = Resume.objects.filter(position=position, content_hash=digest).first()
        if existing is None:
            raise
        raise _duplicate(existing) from exc
    return resume


def _resumes_by_id(ids) -> dict:
    found = {r.pk: r for r in Resume.objects.filter(pk__in=ids).select_for_update()}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound(
            _("Resume not found"),
            detail=", ".join(missing),
            errors=[
                {"loc": ["body", "resume_data_ids"], "msg": m, "type": "not_found"} for m in missing
            ],
        )
    return found


@transaction.atomic
def create_group(*, group_name: str, description: str, resume_ids: list, user) -> ResumeGroup:
    """A group holds resumes of one position; a resume is in at most one group."""
    ids = list(dict.fromkeys(resume_ids))
    resumes = _resumes_by_id(ids)
    position_id = resumes[ids[0]].position_id
    mismatched = [str(i) for i in ids if resumes[i].position_id != position_id]
    if mismatched:
        raise ValidationFailed(
            _("All resumes of a group must belong to the same position"),
            detail=", ".join(mismatched),
            errors=[
                {"loc": ["body", "resume_data_ids"], "msg": m, "type": "position_mismatch"}
                for m in mismatched
            ],
        )
    grouped = [str(i) for i in ids if resumes[i].group_id is not None]
    if grouped:
        raise Conflict(_("Some resumes already belong to a group"), detail=", ".join(grouped))
    group = ResumeGroup.objects.create(
        position_id=position_id,
        group_name=group_name.strip(),
        description=description,
        created_by=user,
    )
    Resume.objects.filter(pk__in=ids).update(group=group)
    return group


@transaction.atomic
def add_resume(*, group: ResumeGroup, resume_id) -> None:
    resume = _resumes_by_id([resume_id])[resume_id]
    if resume.position_id != group.position_id:
        raise ValidationFailed.for_field(
            ["body", "resume_data_id"],
            _("The resume belongs to another position than the group"),
            "position_mismatch",
        )
    if resume.group_id == group.pk:
        raise Conflict(_("The resume is already in this group"))
    if resume.group_id is not None:
        raise Conflict(_("The resume already belongs to another group"))
    Resume.objects.filter(pk=resume.pk).update(group=group)


@transaction.atomic
def remove_resume(*, group: ResumeGroup, resume_id) -> None:
    resume = _resumes_by_id([resume_id])[resume_id]
    if resume.group_id != group.pk:
        raise NotFound(_("The resume is not in this group"))
    Resume.objects.filter(pk=resume.pk).update(group=None)


def set_group_status(*, group: ResumeGroup, status: str) -> ResumeGroup:
    ResumeGroup.objects.filter(pk=group.pk).update(status=status)
    group.status = status
    return group
