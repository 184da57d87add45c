"""Cases the fuzzing and hostile-input suites found, kept as ordinary tests."""

import jwt
import pytest
from django.conf import settings

from tests.conftest import ApiClient, assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/resume-screening/data/", "/video-analysis/"])
def test_multipart_without_boundary_is_400_not_500(hr, path):
    # schemathesis: `Content-Type: multipart/form-data` without a boundary returned 500.
    body = b'{"resume_content": "0"}'
    response = hr.generic("POST", path, body, content_type="multipart/form-data")
    assert_error(response, 400)
    response = hr.generic("POST", path, body, content_type="multipart/form-data; boundary=")
    assert 400 <= response.status_code < 500


def test_signed_token_whose_sub_is_no_user_id_is_401(make_user):
    # hostile input: a correctly signed token with sub="abc" raised ValueError → 500.
    from tests.security.test_hostile_input import _claims

    user = make_user("hr")
    for sub in ("abc", "1.5", "", "1 OR 1=1", "9" * 40):
        token = jwt.encode(_claims(user, sub=sub), settings.JWT_SIGNING_KEY, "HS256")
        assert_error(ApiClient(token=token).get("/auth/me/"), 401)


@pytest.mark.django_db
def test_nul_in_a_text_filter_is_a_client_error_on_every_database(hr):
    """PostgreSQL refuses NUL in text comparisons (DataError): a 400, never a 500."""
    response = hr.get("/resume-screening/data/?candidate_name=a%00b")
    assert response.status_code in (200, 400), response.content
    assert response.json()["code"] == response.status_code
