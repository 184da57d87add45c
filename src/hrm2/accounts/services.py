"""Writes for accounts: creating users and signing in (with per-address throttling)."""

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from hrm2.accounts.models import User
from hrm2.api.auth import ALL_ROLES, REFRESH, Role, TokenPair, issue_tokens, user_from_token
from hrm2.api.errors import Conflict, TooManyRequests, Unauthorized, ValidationFailed


def _failure_key(address: str) -> str:
    return f"hrm2:login-failures:{address}"


def login(*, username: str, password: str, address: str) -> TokenPair:
    """Check the password and issue tokens; too many failures from one address → 429."""
    key = _failure_key(address)
    failures = cache.get(key, 0)
    if failures >= settings.LOGIN_FAILURE_LIMIT:
        raise TooManyRequests(
            detail=_("Too many failed sign-in attempts; try again later"),
            headers={"Retry-After": str(settings.LOGIN_FAILURE_WINDOW_SECONDS)},
        )
    user = authenticate(username=username, password=password)
    if user is None:
        cache.set(key, failures + 1, timeout=settings.LOGIN_FAILURE_WINDOW_SECONDS)
        raise Unauthorized(_("Invalid username or password"))
    cache.delete(key)
    return issue_tokens(user)


def refresh(*, refresh_token: str) -> TokenPair:
    user = user_from_token(refresh_token, REFRESH)
    return issue_tokens(user)


@transaction.atomic
def create_user(
    *, username: str, password: str, role: str, email: str = "", name: str = ""
) -> User:
    """``name``: the name people see (kept whole as the first name: 王芳, Anna Lee)."""
    if role not in ALL_ROLES:
        raise ValidationFailed.for_field(["role"], _("Unknown role: %(role)s") % {"role": role})
    if User.objects.filter(username=username).exists():
        raise Conflict(_("User %(username)s already exists") % {"username": username})
    user = User(
        username=username,
        email=email,
        first_name=name.strip()[:150],
        role=role,
        is_superuser=role == Role.ADMIN,
        is_staff=role == Role.ADMIN,
    )
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            detail="; ".join(exc.messages),
            errors=[{"loc": ["password"], "msg": m, "type": "password"} for m in exc.messages],
        ) from exc
    user.set_password(password)
    user.save()
    return user
