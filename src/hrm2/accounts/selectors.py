"""Reads on accounts: who may be assigned to review documents (shown by name, never by e-mail).

Review-capable roles are ``reviewer``, ``hr`` and ``admin`` (a superuser counts as admin): they
are the roles the audit module lets review a document once it is shared with them. Interviewers
are left out on purpose; they work on interviews, not on screening verdicts. Only active users
are listed.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from hrm2.api.auth import Role, user_role

REVIEW_ROLES: tuple[str, ...] = (Role.REVIEWER, Role.HR, Role.ADMIN)


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def display_name(user) -> str:
    """Full name when set, else the username. Chinese names read family name first (赵敏)."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last and _is_cjk(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip() or user.username


def role_label(user) -> str:
    """The user's role in the current language (e.g. 管理员), never the raw code."""
    role = user_role(user)
    return str(Role(role).label) if role in Role.values else role


def _role_filter(role: str) -> Q:
    if role == Role.ADMIN:
        return Q(is_superuser=True) | Q(role=Role.ADMIN)
    return Q(role=role, is_superuser=False)


def assignable_users(*, search: str | None = None, role: str | None = None) -> QuerySet:
    """Active users with a review-capable role, by name; ``search`` matches any name part."""
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role__in=REVIEW_ROLES))
    )
    if role:
        users = users.filter(_role_filter(role))
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    return users.order_by("first_name", "last_name", "username", "id")


def is_assignable(user) -> bool:
    return bool(user.is_active) and user_role(user) in REVIEW_ROLES
