"""JWT bearer authentication and role checks for every business endpoint.

Access and refresh tokens are HS256 JWTs signed with ``JWT_SIGNING_KEY``; the ``typ`` claim
keeps a refresh token from being used as an access token. ``require(...)`` returns the auth
object a router or operation declares: 401 without a valid token, 403 with the wrong role.
"""

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.security import HttpBearer

from hrm2.api.errors import Forbidden, Unauthorized

MAX_TOKEN_LENGTH = 4096
ACCESS = "access"
REFRESH = "refresh"


class Role(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Administrator")
    HR = "hr", gettext_lazy("HR")
    INTERVIEWER = "interviewer", gettext_lazy("Interviewer")
    REVIEWER = "reviewer", gettext_lazy("Reviewer")


ALL_ROLES = tuple(Role.values)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 (the scheme name, not a secret)


def _encode(user, token_type: str, ttl_seconds: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk),
        "typ": token_type,
        "role": user_role(user),
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl_seconds),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.JWT_SIGNING_KEY, algorithm=settings.JWT_ALGORITHM)


def issue_tokens(user) -> TokenPair:
    return TokenPair(
        access=_encode(user, ACCESS, settings.JWT_ACCESS_TTL_SECONDS),
        refresh=_encode(user, REFRESH, settings.JWT_REFRESH_TTL_SECONDS),
        expires_in=settings.JWT_ACCESS_TTL_SECONDS,
    )


def issue_access_token(user) -> str:
    return _encode(user, ACCESS, settings.JWT_ACCESS_TTL_SECONDS)


def user_from_token(token: str, expected_type: str):
    """Verify signature, algorithm, time claims and type; return the active user or raise 401."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise Unauthorized(detail=_("Invalid token"))
    user_id = _verified_tokens.subject(token, expected_type)
    if user_id is None:
        user_id = _verify(token, expected_type)
    user = _active_users.get(user_id)
    if user is None:
        raise Unauthorized(detail=_("User not found or inactive"))
    return user


LEEWAY_SECONDS = 5


def _verify(token: str, expected_type: str) -> str:
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SIGNING_KEY,
            algorithms=[settings.JWT_ALGORITHM],
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "iat", "nbf", "sub", "typ", "iss"]},
            leeway=LEEWAY_SECONDS,
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized(detail=_("Token has expired")) from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized(detail=_("Invalid token")) from exc
    if claims.get("typ") != expected_type:
        raise Unauthorized(detail=_("Wrong token type"))
    try:  # a signed token may still carry a ``sub`` that is no user id at all
        user_id = str(get_user_model()._meta.pk.to_python(claims["sub"]))
    except (ValidationError, TypeError, ValueError) as exc:
        raise Unauthorized(detail=_("Invalid token")) from exc
    _verified_tokens.remember(token, expected_type, user_id, claims["nbf"], claims["exp"])
    return user_id


class _VerifiedTokenCache:
    """Tokens whose signature and claims were verified in this process, until they expire.

    A token is immutable and signed, so verifying the same string again can only change its
    answer through time: the cache keeps ``nbf``/``exp`` and checks them on every hit. An
    expired token misses and goes through full verification, which gives the precise error.
    """

    MAX_ENTRIES = 4_096

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[str, float, float]] = {}

    def subject(self, token: str, token_type: str) -> str | None:
        entry = self._entries.get((token, token_type))
        if entry is None:
            return None
        user_id, not_before, expires = entry
        now = time.time()
        if not_before - LEEWAY_SECONDS <= now < expires + LEEWAY_SECONDS:
            return user_id
        self._entries.pop((token, token_type), None)
        return None

    def remember(self, token: str, token_type: str, user_id: str, nbf, exp) -> None:
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        self._entries[(token, token_type)] = (user_id, float(nbf), float(exp))


_verified_tokens = _VerifiedTokenCache()


class _ActiveUserCache:
    """Active users by id for a few seconds, so a burst of requests costs one query per user.

    A user saved or deleted in this process is dropped at once; other processes notice a
    deactivation within ``JWT_USER_CACHE_SECONDS`` (0 turns the cache off).
    """

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, object]] = {}

    def get(self, user_id: str):
        ttl = settings.JWT_USER_CACHE_SECONDS
        now = time.monotonic()
        entry = self._entries.get(user_id)
        if entry is not None and now - entry[0] < ttl:
            return entry[1]
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if user is not None and ttl > 0:
            if len(self._entries) >= self.MAX_ENTRIES:
                self._entries.clear()
            self._entries[user_id] = (now, user)
        else:
            self._entries.pop(user_id, None)
        return user

    def forget(self, user_id) -> None:
        self._entries.pop(str(user_id), None)


_active_users = _ActiveUserCache()


def forget_cached_user(sender, instance, **kwargs) -> None:
    _active_users.forget(instance.pk)


def user_role(user) -> str:
    if user.is_superuser:
        return Role.ADMIN
    return getattr(user, "role", "") or ""


def has_role(user, *roles: str) -> bool:
    """Admins may do everything; everyone else needs one of ``roles``."""
    role = user_role(user)
    return role == Role.ADMIN or role in roles


class JWTAuth(HttpBearer):
    """Bearer token auth; ``roles`` empty means any signed-in role."""

    def __init__(self, roles: tuple[str, ...] = ()) -> None:
        self.roles = tuple(roles)
        super().__init__()

    def authenticate(self, request, token: str):
        user = user_from_token(token, ACCESS)
        if self.roles and not has_role(user, *self.roles):
            raise Forbidden()
        request.user = user
        return user


def require(*roles: str) -> JWTAuth:
    """The auth object for an operation: ``require()`` any role, ``require("hr")`` hr or admin."""
    unknown = set(roles) - set(ALL_ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    return JWTAuth(roles=roles)
