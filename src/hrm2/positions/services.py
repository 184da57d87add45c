"""Writes on positions: save criteria (creating a version when they change), edit, archive."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrm2.api.errors import Conflict, NotFound, validated
from hrm2.positions.models import CriteriaVersion, Position
from hrm2.positions.schemas import CriteriaIn, CriteriaPatch


def _new_version_if_changed(position: Position, criteria: dict[str, Any], user) -> CriteriaVersion:
    latest = position.latest_version
    if latest is not None and latest.criteria == criteria:
        return latest
    number = (latest.number if latest else 0) + 1
    return CriteriaVersion.objects.create(
        position=position, number=number, criteria=criteria, created_by=user
    )


def _ensure_title_free(title: str, *, except_id=None) -> None:
    clash = Position.objects.filter(title__iexact=title, is_active=True)
    if except_id is not None:
        clash = clash.exclude(pk=except_id)
    if clash.exists():
        raise Conflict(_("An active position titled %(title)s already exists") % {"title": title})


def _store(position: Position, criteria: CriteriaIn, user) -> Position:
    data = criteria.model_dump(mode="json", exclude={"id"})
    position.title = criteria.position
    position.department = criteria.department
    position.saved_at = timezone.now()
    if position._state.adding:
        position.created_by = user
    try:
        with transaction.atomic():
            position.save()
            position.latest_version = _new_version_if_changed(position, data, user)
            position.save(update_fields=["latest_version", "updated_at"])
    except IntegrityError as exc:  # two saves of the same new title at once
        raise Conflict(
            _("An active position titled %(title)s already exists") % {"title": criteria.position}
        ) from exc
    return position


@transaction.atomic
def save_criteria(*, criteria: CriteriaIn, user) -> tuple[Position, bool]:
    """Create or update a position's criteria (by id if given, else by title); make it current."""
    if criteria.id is not None:
        position = Position.objects.select_for_update().filter(pk=criteria.id).first()
        if position is None:
            raise NotFound(_("Position not found"))
        if not position.is_active:
            raise Conflict(_("The position is archived; restore it before editing"))
        _ensure_title_free(criteria.position, except_id=position.pk)
    else:
        position = (
            Position.objects.select_for_update()
            .filter(title__iexact=criteria.position, is_active=True)
            .first()
        )
    created = position is None
    if created:
        position = Position()
    return _store(position, criteria, user), created


@transaction.atomic
def update_criteria(*, position: Position, patch: CriteriaPatch, user) -> Position:
    """Apply a partial change; ``is_active: true`` restores, archived ones are not edited."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    changes = patch.model_dump(exclude_unset=True, exclude={"is_active"})
    restore = patch.is_active is True and not position.is_active
    if patch.is_active is False:
        archive(position=position, user=user)
        position.refresh_from_db()
        return position
    if not position.is_active and not restore:
        raise Conflict(_("The position is archived; restore it before editing"))
    merged = dict(position.latest_version.criteria if position.latest_version else {})
    merged.update(changes)
    merged.setdefault("position", position.title)
    criteria = validated(CriteriaIn, merged)
    _ensure_title_free(criteria.position, except_id=position.pk)
    if restore:
        position.is_active = True
        position.archived_at = None
    return _store(position, criteria, user)


@transaction.atomic
def archive(*, position: Position, user) -> Position:
    """Archive instead of deleting: the position and all its versions stay for history."""
    if position.is_active:
        position.is_active = False
        position.archived_at = timezone.now()
        position.save(update_fields=["is_active", "archived_at", "updated_at"])
    return position
