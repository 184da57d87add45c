"""JWT sign-in, refresh and rejection of every kind of bad token; throttling; roles."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from django.conf import settings

from hrm2.api.auth import issue_tokens
from tests.conftest import PASSWORD, ApiClient, assert_error, assert_success

pytestmark = pytest.mark.django_db


def _login(client, username, password=PASSWORD):
    return client.post("/auth/login/", {"username": username, "password": password})


def _claims(user, **overrides):
    now = datetime.now(UTC)
    claims = {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk),
        "typ": "access",
        "role": user.role,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": "x",
    }
    claims.update(overrides)
    return claims


def _sign(claims, key=None):
    return jwt.encode(claims, key or settings.JWT_SIGNING_KEY, algorithm="HS256")


def test_login_refresh_me(anon, make_user):
    user = make_user("reviewer", username="rita")
    tokens = assert_success(_login(anon, "rita"))
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == settings.JWT_ACCESS_TTL_SECONDS
    me = assert_success(ApiClient(token=tokens["access"]).get("/auth/me/"))
    assert me == {
        "id": user.pk,
        "username": "rita",
        "email": "",
        "role": "reviewer",
        "roles": ["reviewer"],
        "is_active": True,
    }
    refreshed = assert_success(anon.post("/auth/refresh/", {"refresh": tokens["refresh"]}))
    assert_success(ApiClient(token=refreshed["access"]).get("/auth/me/"))


def test_wrong_password_is_401(anon, make_user):
    make_user("hr", username="harry")
    assert_error(_login(anon, "harry", "wrong-password"), 401)
    assert_error(_login(anon, "nobody"), 401)


def test_repeated_failures_are_throttled(anon, make_user):
    make_user("hr", username="henry")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert_error(_login(anon, "henry", "bad"), 401)
    throttled = _login(anon, "henry")  # even the right password waits now
    assert_error(throttled, 429)
    assert int(throttled["Retry-After"]) > 0


def test_missing_token_is_401(anon):
    assert_error(anon.get("/auth/me/"), 401)
    assert_error(anon.get("/position-settings/list/"), 401)


def test_refresh_token_cannot_be_used_as_access(make_user):
    user = make_user("hr")
    refresh = issue_tokens(user).refresh
    assert_error(ApiClient(token=refresh).get("/auth/me/"), 401)


def test_access_token_cannot_be_used_to_refresh(anon, make_user):
    access = issue_tokens(make_user("hr")).access
    assert_error(anon.post("/auth/refresh/", {"refresh": access}), 401)


def test_expired_token_is_401(make_user):
    user = make_user("hr")
    past = datetime.now(UTC) - timedelta(hours=1)
    token = _sign(_claims(user, iat=past, nbf=past, exp=past + timedelta(minutes=1)))
    body = assert_error(ApiClient(token=token).get("/auth/me/"), 401)
    assert body["detail"]


def test_not_yet_valid_token_is_401(make_user):
    user = make_user("hr")
    future = datetime.now(UTC) + timedelta(hours=1)
    assert_error(ApiClient(token=_sign(_claims(user, nbf=future))).get("/auth/me/"), 401)


def test_tampered_token_is_401(make_user):
    user = make_user("reviewer")
    header, payload, signature = issue_tokens(user).access.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"], claims["sub"] = "admin", "1"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert_error(ApiClient(token=f"{header}.{forged}.{signature}").get("/auth/me/"), 401)


def test_wrong_signing_key_is_401(make_user):
    token = _sign(_claims(make_user("hr")), key="another-key-of-sufficient-length-1234567890")
    assert_error(ApiClient(token=token).get("/auth/me/"), 401)


def test_alg_none_is_401(make_user):
    user = make_user("admin")
    claims = {
        k: (int(v.timestamp()) if isinstance(v, datetime) else v) for k, v in _claims(user).items()
    }

    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
    assert_error(ApiClient(token=token).get("/auth/me/"), 401)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "x" * 100_000])
def test_garbage_tokens_are_401(token):
    assert_error(ApiClient(token=token).get("/auth/me/"), 401)


def test_inactive_user_is_rejected(make_user):
    user = make_user("hr")
    token = issue_tokens(user).access
    user.is_active = False
    user.save()
    assert_error(ApiClient(token=token).get("/auth/me/"), 401)


def test_django_admin_is_mounted(anon):
    response = anon.get("/django-admin/login/")
    assert response.status_code == 200
    assert b"<html" in response.content.lower()


def test_deactivated_user_is_rejected_even_after_a_cached_request(make_user):
    user = make_user("hr")
    client = ApiClient(token=issue_tokens(user).access)
    assert_success(client.get("/auth/me/"))  # now cached
    user.is_active = False
    user.save()  # saving drops the cached entry in this process
    assert_error(client.get("/auth/me/"), 401)


def test_user_lookups_are_cached_briefly(make_user, django_assert_num_queries):
    client = ApiClient(token=issue_tokens(make_user("hr")).access)
    assert_success(client.get("/auth/me/"))
    with django_assert_num_queries(0):
        assert_success(client.get("/auth/me/"))
