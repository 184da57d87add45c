"""API fuzzing: schemathesis drives every operation of /api/openapi.json through the WSGI app.

Checks per generated request: no 5xx, the response matches the documented schema (which
includes the envelope, see ``hrm2.api.main``), the documented content type, and the envelope
itself (``code`` equals the HTTP status; errors carry ``detail`` and ``errors``). Bounded:
``MAX_EXAMPLES`` per operation, derandomised (a fixed seed), no deadline.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from schemathesis import checks

from hrm2.accounts.services import create_user
from hrm2.api.auth import issue_tokens
from hrm2.jobs.models import WorkerHeartbeat
from tests import wsgi

MAX_EXAMPLES = 25
# Figures for the closing line (tests/security/conftest.py): cases tried per HTTP status class.
TRIED: Counter = Counter()
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())

CHECKS = [
    checks.not_a_server_error,
    checks.response_schema_conformance,
    checks.content_type_conformance,
]


def assert_envelope(response) -> None:
    if not response.headers.get("Content-Type", [""])[0].startswith("application/json"):
        return  # report downloads (pdf/docx/md) are documented as non-JSON
    body = response.json()
    assert body["code"] == response.status_code, body
    if response.status_code >= 400:
        assert body["success"] is False
        assert set(body) == {"success", "code", "message", "detail", "errors"}, body
    else:
        assert body["success"] is True and "data" in body, body


@pytest.fixture
def token(db):
    now = timezone.now()
    # /health/ answers 503 without a live worker; one is "alive" for the run.
    WorkerHeartbeat.objects.create(hostname="fuzz@test", started_at=now, last_seen=now)
    user = create_user(username="fuzz-admin", password="Fuzz-pass-123", role="admin")
    return issue_tokens(user).access


@pytest.mark.django_db
@schema.parametrize()
@hsettings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
)
def test_every_operation(case, token):
    with wsgi.keep_test_connection():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
    TRIED[f"{response.status_code // 100}xx"] += 1
    case.validate_response(response, checks=CHECKS)
    assert_envelope(response)
