"""Reads on positions."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.positions.models import CriteriaVersion, Position


def _positions() -> QuerySet[Position]:
    return Position.objects.select_related("latest_version", "created_by")


def get_position(*, position_id, with_relations: bool = True) -> Position:
    """The position or 404; ``with_relations=False`` skips the joins a write does not need."""
    positions = _positions() if with_relations else Position.objects.all()
    position = positions.filter(pk=position_id).first()
    if position is None:
        raise NotFound(_("Position not found"))
    return position


def current_position(*, position_id=None) -> Position:
    """The given position, or else the most recently saved active one."""
    if position_id is not None:
        return get_position(position_id=position_id)
    position = _positions().filter(is_active=True).order_by("-saved_at").first()
    if position is None:
        raise NotFound(_("No position has been configured yet"))
    return position


def position_list(
    *, is_active: bool | None = None, keyword: str | None = None
) -> QuerySet[Position]:
    positions = _positions().order_by("-saved_at")
    if is_active is not None:
        positions = positions.filter(is_active=is_active)
    if keyword:
        positions = positions.filter(Q(title__icontains=keyword) | Q(department__icontains=keyword))
    return positions


def criteria_versions(*, position: Position) -> QuerySet[CriteriaVersion]:
    return position.versions.select_related("created_by").order_by("-number")


def criteria_version_before(*, position: Position, number: int) -> CriteriaVersion | None:
    """The version just older than ``number`` (None for the first)."""
    return position.versions.filter(number__lt=number).order_by("-number").first()
