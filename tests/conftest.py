"""Shared fixtures: users of every role and HTTP clients that carry a real JWT."""

import pytest
from django.test import Client

from hrm2.accounts.services import create_user
from hrm2.api.auth import issue_tokens

PASSWORD = "Sup3r-secret-pw"


class ApiClient(Client):
    """Django's test client through the full middleware stack, JSON by default."""

    def __init__(self, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        super().__init__(headers=headers, **kwargs)

    def _json(self, method, path, data=None, **kwargs):
        kwargs.setdefault("content_type", "application/json")
        return getattr(super(), method)(path, data, **kwargs)

    def post(self, path, data=None, **kwargs):
        return self._json("post", path, data, **kwargs)

    def patch(self, path, data=None, **kwargs):
        return self._json("patch", path, data, **kwargs)

    def put(self, path, data=None, **kwargs):
        return self._json("put", path, data, **kwargs)


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def _make(role: str = "hr", username: str | None = None):
        counter["n"] += 1
        return create_user(
            username=username or f"{role}{counter['n']}", password=PASSWORD, role=role
        )

    return _make


@pytest.fixture
def client_for(make_user):
    def _client(role_or_user="hr", **kwargs):
        user = make_user(role_or_user) if isinstance(role_or_user, str) else role_or_user
        return ApiClient(token=issue_tokens(user).access, **kwargs)

    return _client


@pytest.fixture
def anon():
    return ApiClient()


@pytest.fixture
def hr(client_for):
    return client_for("hr")


@pytest.fixture
def admin(client_for):
    return client_for("admin")


def assert_success(response, status=200):
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is True and body["code"] == status
    assert isinstance(body["message"], str) and body["message"]
    return body["data"]


def assert_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and body["code"] == status
    assert set(body) == {"success", "code", "message", "detail", "errors"}
    assert isinstance(body["errors"], list)
    return body


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login throttling counts live in the cache; no test may inherit another's failures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
