"""Writes on resumes and groups."""

from pathlib import PurePath
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hrm2.api.errors import ApiError, Conflict, NotFound, ValidationFailed, validated
from hrm2.documents import extract_resume
from hrm2.documents.text import content_hash, normalise_text
from hrm2.positions import selectors as position_selectors
from hrm2.positions import services as position_services
from hrm2.positions.models import Position
from hrm2.positions.schemas import CriteriaIn
from hrm2.resumes import naming
from hrm2.resumes.models import Resume, ResumeGroup


def resolve_position(
    *, position_id=None, title: str | None = None, details: dict[str, Any] | None = None, user
) -> Position:
    """The active position by id or title; a title not seen before creates the position."""
    if position_id is not None:
        position = position_selectors.get_position(position_id=position_id, with_relations=False)
        if not position.is_active:
            raise Conflict(_("The position is archived; restore it before adding resumes"))
        return position
    title = " ".join((title or "").split())
    existing = Position.objects.filter(title__iexact=title, is_active=True).first()
    if existing is not None:
        return existing
    criteria = validated(
        CriteriaIn, {**(details or {}), "position": title}, loc_prefix=("body", "position_details")
    )
    position, _created = position_services.save_criteria(criteria=criteria, user=user)
    return position


def _existing_id(position: Position, digest: str):
    """The id of the resume with this content for this position, if there is one."""
    return (
        Resume.objects.filter(position=position, content_hash=digest)
        .values_list("pk", flat=True)
        .first()
    )


def _duplicate(existing_id) -> Conflict:
    return Conflict(
        _("This resume was already submitted to this position"),
        detail=_("Existing resume id: %(id)s") % {"id": existing_id},
        errors=[
            {
                "loc": ["body", "resume_content"],
                "msg": str(existing_id),
                "type": "duplicate",
                "existing_id": str(existing_id),
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
    content = normalise_text(content)
    if not content:
        raise ValidationFailed.for_field(["body", "resume_content"], _("The resume is empty"))
    digest = text_hash or content_hash(content)
    existing_id = _existing_id(position, digest)
    if existing_id is not None:
        raise _duplicate(existing_id)
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
                # Stored under a generated name: the client's file name is only displayed.
                stored_name = f"{resume.pk}.{source_kind}"
                resume.original_file.save(stored_name, original_file, save=False)
            resume.save()
    except IntegrityError as exc:  # a concurrent submission of the same resume won the race
        if resume.original_file:
            resume.original_file.delete(save=False)
        existing_id = _existing_id(position, digest)
        if existing_id is None:
            raise
        raise _duplicate(existing_id) from exc
    return resume


def resumes_by_ids(ids, *, for_update: bool = False) -> dict:
    """The resumes with these ids, or 404 naming every id that does not exist."""
    resumes = Resume.objects.filter(pk__in=ids)
    found = {r.pk: r for r in (resumes.select_for_update() if for_update else resumes)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise NotFound(
            _("Resume not found"),
            detail=", ".join(missing),
            errors=[
                {
                    "loc": ["body", "resume_data_ids"],
                    "msg": _("Resume %(id)s does not exist") % {"id": m},
                    "type": "not_found",
                }
                for m in missing
            ],
        )
    return found


def require_position(resumes: list[Resume], position_id, message) -> None:
    """422 naming every resume that belongs to another position than ``position_id``."""
    foreign = [r for r in resumes if r.position_id != position_id]
    if foreign:
        raise ValidationFailed(
            message,
            errors=[
                {
                    "loc": ["body", "resume_data_ids"],
                    "msg": _("The resume of %(name)s (id %(id)s) belongs to another position")
                    % {"name": r.candidate_name, "id": r.pk},
                    "type": "position_mismatch",
                }
                for r in foreign
            ],
        )


@transaction.atomic
def create_group(*, group_name: str, description: str, resume_ids: list, user) -> ResumeGroup:
    """A group holds resumes of one position; a resume is in at most one group."""
    ids = list(dict.fromkeys(resume_ids))
    resumes = resumes_by_ids(ids, for_update=True)
    position_id = resumes[ids[0]].position_id
    require_position(
        [resumes[i] for i in ids],
        position_id,
        _("All resumes of a group must belong to the same position"),
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
    resume = resumes_by_ids([resume_id], for_update=True)[resume_id]
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
    resume = resumes_by_ids([resume_id], for_update=True)[resume_id]
    if resume.group_id != group.pk:
        raise NotFound(_("The resume is not in this group"))
    Resume.objects.filter(pk=resume.pk).update(group=None)


def set_group_status(*, group: ResumeGroup, status: str) -> ResumeGroup:
    ResumeGroup.objects.filter(pk=group.pk).update(status=status)
    group.status = status
    return group


def safe_display_name(filename: str) -> str:
    """The client's file name without any path, control characters or excess length."""
    name = PurePath(filename.replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:255]


def upload_resumes(
    *, position: Position, files: list, user, candidate_name: str | None = None
) -> list[dict[str, Any]]:
    """Parse and store each file on its own: one bad file never rejects the others.

    Returns one outcome per file: ``accepted`` (with the resume), ``duplicate`` (with the
    existing id) or ``rejected`` (with the HTTP status and reason it would have had alone).
    """
    outcomes = []
    for upload in files:
        filename = safe_display_name(upload.name or "")
        try:
            parsed = extract_resume(upload.read(), filename)
            if not parsed.text:
                raise ValidationFailed.for_field(
                    ["files"], _("No text could be extracted from the file"), "no_text"
                )
            upload.seek(0)
            resume = create_resume(
                position=position,
                content=parsed.text,
                text_hash=parsed.content_hash,
                user=user,
                candidate_name=candidate_name if len(files) == 1 else None,
                source_kind=parsed.kind,
                original_filename=filename,
                original_file=upload,
                warnings=parsed.warnings,
            )
        except Conflict as exc:
            existing = exc.errors[0].get("existing_id") if exc.errors else None
            outcomes.append(
                {
                    "filename": filename,
                    "status": "duplicate",
                    "code": 409,
                    "resume_id": existing,
                    "reason": exc.message,
                    "warnings": [],
                }
            )
        except ApiError as exc:
            outcomes.append(
                {
                    "filename": filename,
                    "status": "rejected",
                    "code": exc.status,
                    "resume_id": None,
                    "reason": exc.detail,
                    "warnings": [],
                }
            )
        else:
            outcomes.append(
                {
                    "filename": filename,
                    "status": "accepted",
                    "code": 201,
                    "resume_id": str(resume.pk),
                    "candidate_name": resume.candidate_name,
                    "reason": "",
                    "warnings": resume.warnings,
                }
            )
    return outcomes
