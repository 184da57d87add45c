"""Authorization matrix: every operation of the URL table × every role, plus object-level checks.

The operations come from the NinjaAPI itself (its bound routers: the auth that really runs), so a
new endpoint without a line in ``EXPECTED`` fails ``test_every_operation_has_a_rule``, and an
operation whose declared ``require(...)`` roles differ from its line fails too. Each rule is then
exercised over HTTP: anonymous → 401, a role outside the rule → 403 from the role check, a role
inside it passes the role check (whatever the operation then answers: 200, 404, 422, ...).

Object-level rules (own object vs. someone else's) are tested below for the objects that have
owners: audit documents (uploader / cross-review participant), interview sessions and their
reports (the interviewer who started them), jobs (their owner).
"""

import re
import uuid

import pytest

import hrm2.urls  # noqa: F401 (mounts every router on the API before we read it)
from hrm2.api.auth import ALL_ROLES, JWTAuth
from hrm2.api.main import api
from tests.conftest import assert_error, assert_success
from tests.security.world import build_world, path_ids

PUBLIC = "public"
ANY = ("admin", "hr", "interviewer", "reviewer")
HR = ("admin", "hr")
HR_INTERVIEWER = ("admin", "hr", "interviewer")
HR_REVIEWER = ("admin", "hr", "reviewer")
ROLES = (*ALL_ROLES, "anonymous")

# Who may call each operation at all (the role check). Admin is in every non-public rule.
EXPECTED: dict[str, str | tuple[str, ...]] = {
    "POST /auth/login/": PUBLIC,
    "POST /auth/refresh/": PUBLIC,
    "GET /auth/me/": ANY,
    # Review assignment: HR picks reviewers by name and assigns a job's, group's or documents.
    "GET /users/assignable/": HR,
    "POST /resume-screening/review-assignments/": HR,
    "GET /health/": PUBLIC,
    "GET /jobs/{job_id}/": ANY,  # owner or admin: object level
    "POST /jobs/{job_id}/cancel/": ANY,  # owner or admin: object level
    "GET /position-settings/": ANY,
    "POST /position-settings/": HR,
    "GET /position-settings/list/": ANY,
    "GET /position-settings/{position_id}/": ANY,
    "PATCH /position-settings/{position_id}/": HR,
    "DELETE /position-settings/{position_id}/": HR,
    "GET /position-settings/{position_id}/versions/": ANY,
    "POST /resume-screening/data/": HR,
    "GET /resume-screening/data/": ANY,
    "GET /resume-screening/groups/": ANY,
    "GET /resume-screening/groups/{group_id}/": ANY,
    "POST /resume-screening/groups/create/": HR,
    "POST /resume-screening/groups/add-resume/": HR,
    "POST /resume-screening/groups/remove-resume/": HR,
    "POST /resume-screening/groups/set-status/": HR,
    "POST /resume-screening/screening/": HR,
    "GET /resume-screening/tasks/{task_id}/status/": ANY,
    "POST /resume-screening/tasks/{task_id}/cancel/": HR,
    "GET /resume-screening/tasks-history/": ANY,
    "GET /resume-screening/reports/{resume_id}/detail/": ANY,
    "GET /resume-screening/reports/{report_id}/download/": ANY,
    "POST /resume-screening/link-resume-to-video/": HR,
    "POST /resume-screening/unlink-resume-from-video/": HR,
    # Data protection: erase a candidate, export everything held about them.
    "DELETE /resume-screening/data/{resume_id}/": HR,
    "GET /resume-screening/data/{resume_id}/export/": HR,
    "POST /video-analysis/": HR,
    "GET /video-analysis/list/": ANY,
    "GET /video-analysis/{video_id}/status/": ANY,
    "POST /video-analysis/{video_id}/update/": HR_REVIEWER,
    "POST /video-analysis/{video_id}/reanalyze/": HR,
    "DELETE /video-analysis/{video_id}/": HR,
    # Audit: any role reaches the operation; the document's uploader, a participant of a
    # cross-review task holding it, or an admin may act (object level, below).
    "PATCH /admin/v2/evaluation/results/{result_id}/": ANY,
    "POST /admin/v2/evaluation/audit-status/": ANY,
    "PATCH /admin/v2/evaluation/audit-status/{audit_status_id}/": ANY,
    "PATCH /admin/v2/evaluation/documents/{document_id}/confirm/": ANY,
    "POST /admin/v2/evaluation/results/{result_id}/review/": ANY,
    "PATCH /admin/v2/evaluation/documents/{document_id}/reopen/": ANY,
    "GET /admin/v2/evaluation/documents/": ANY,
    "GET /admin/v2/evaluation/documents/{document_id}/": ANY,
    "GET /admin/v2/evaluation/documents/{document_id}/points/": ANY,
    "GET /admin/v2/evaluation/documents/{document_id}/difference/": ANY,
    "GET /admin/v2/evaluation/documents/{document_id}/history/": ANY,
    "GET /admin/v2/evaluation/documents/{document_id}/audit-status/": ANY,
    "GET /admin/v2/evaluation/statistics/": ANY,
    "GET /admin/v2/evaluation/tasks/": ANY,
    "POST /admin/v2/evaluation/tasks/": HR,
    "GET /admin/v2/evaluation/tasks/{task_id}/": ANY,
    "PATCH /admin/v2/evaluation/tasks/{task_id}/": ANY,  # its creator or admin: object level
    "POST /admin/v2/evaluation/tasks/{task_id}/participants/": ANY,
    "DELETE /admin/v2/evaluation/tasks/{task_id}/participants/{user_id}/": ANY,
    "POST /admin/v2/evaluation/tasks/{task_id}/documents/": ANY,
    "DELETE /admin/v2/evaluation/tasks/{task_id}/documents/{document_id}/": ANY,
    "POST /interview-assist/sessions/": HR_INTERVIEWER,
    "GET /interview-assist/sessions/": ANY,  # interviewers see their own: object level
    "GET /interview-assist/sessions/{session_id}/": ANY,
    "DELETE /interview-assist/sessions/{session_id}/": HR_INTERVIEWER,
    "POST /interview-assist/sessions/{session_id}/generate-questions/": HR_INTERVIEWER,
    "POST /interview-assist/sessions/{session_id}/record-qa/": HR_INTERVIEWER,
    "POST /interview-assist/sessions/{session_id}/generate-report/": HR_INTERVIEWER,
    "GET /interview-assist/reports/{report_id}/download/": ANY,
    # Final recommendation: hr writes; readers limited to the groups they take part in.
    "POST /final-recommend/interview-evaluation/": HR,
    "GET /final-recommend/interview-evaluation/": ANY,
    "GET /final-recommend/interview-evaluation/{task_id}/": ANY,
    "DELETE /final-recommend/interview-evaluation/": HR,
    "DELETE /final-recommend/interview-evaluation/{task_id}/": HR,
    "GET /final-recommend/download-report/{file_path}/": ANY,
    "GET /final-recommend/reports/{report_id}/download/": ANY,
}

# The route-level refusal (JWTAuth); object-level refusals say which object they refuse.
ROLE_DENIED = "You do not have permission to do this"
_CONVERTER = re.compile(r"\{(?:\w+:)?(\w+)\}")


def url_table() -> dict[str, object]:
    """``"METHOD /path/{param}/"`` → the operation, for every operation the API serves."""
    operations = {}
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = _CONVERTER.sub(r"{\1}", "/" + (bound.prefix + path).strip("/") + "/")
            full = re.sub("/+", "/", full)
            for operation in path_view.operations:
                for method in operation.methods:
                    operations[f"{method} {full}"] = operation
    return operations


def declared_rule(operation) -> str | tuple[str, ...]:
    callbacks = list(operation.auth_callbacks)
    if not callbacks:
        return PUBLIC
    assert len(callbacks) == 1 and isinstance(callbacks[0], JWTAuth), callbacks
    roles = callbacks[0].roles or ANY
    return tuple(sorted({"admin", *roles}, key=ROLES.index))


OPERATIONS = url_table()


def test_every_operation_has_a_rule():
    served, listed = set(OPERATIONS), set(EXPECTED)
    assert not served - listed, f"operations without a rule in EXPECTED: {sorted(served - listed)}"
    assert not listed - served, f"rules for operations that do not exist: {sorted(listed - served)}"
    assert len(OPERATIONS) >= 60


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_declared_auth_matches_the_rule(key):
    rule = EXPECTED[key]
    expected = rule if rule == PUBLIC else tuple(sorted(set(rule), key=ROLES.index))
    assert declared_rule(OPERATIONS[key]) == expected


def fill(path: str, ids: dict | None = None) -> str:
    """Path parameters from ``ids``, else ids that exist nowhere (audit ids are integers)."""

    def value(match) -> str:
        name = match.group(1)
        if ids is not None:
            return str(ids[name])
        return "999999" if path.startswith("/admin/v2/") else str(uuid.UUID(int=0xDEAD))

    return _CONVERTER.sub(value, path)


def _call(client, method: str, url: str):
    if method in ("POST", "PATCH", "PUT"):
        return getattr(client, method.lower())(url, {})
    return getattr(client, method.lower())(url)


@pytest.fixture
def clients(client_for, anon):
    made = {role: client_for(role, headers={"Accept-Language": "en"}) for role in ALL_ROLES}
    made["anonymous"] = anon
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_role_matrix(key, clients):
    method, path = key.split(" ", 1)
    url = fill(path)
    rule = EXPECTED[key]
    for role in ROLES:
        response = _call(clients[role], method, url)
        assert response["Content-Type"].startswith("application/json"), (role, response)
        body = response.json()
        assert body["code"] == response.status_code
        if rule == PUBLIC:
            assert response.status_code not in (401, 403), (role, body)
        elif role == "anonymous":
            assert_error(response, 401)
        elif role in rule:
            assert response.status_code != 401, (role, body)
            assert not (response.status_code == 403 and body["message"] == ROLE_DENIED), (
                role,
                body,
            )
        else:
            body = assert_error(response, 403)
            assert body["message"] == ROLE_DENIED, (role, body)


# --- object level: own object vs. someone else's -------------------------------------------------


@pytest.fixture
def people(make_user):
    return {
        "owner": make_user("hr", "owner-hr"),
        "other_hr": make_user("hr", "other-hr"),
        "interviewer": make_user("interviewer", "interviewer-1"),
        "other_interviewer": make_user("interviewer", "interviewer-2"),
        "reviewer": make_user("reviewer", "reviewer-1"),
        "admin": make_user("admin", "admin-1"),
    }


@pytest.fixture
def as_(people, client_for):
    made = {name: client_for(user) for name, user in people.items()}
    return lambda name: made[name]


@pytest.fixture
def world(people, as_):
    return build_world(as_("owner"), people["owner"], interviewer_client=as_("interviewer"))


def _request(client, key: str, ids: dict, body=None):
    method, path = key.split(" ", 1)
    url = fill(path, path_ids(ids, path))
    if method in ("POST", "PATCH"):
        return getattr(client, method.lower())(url, {} if body is None else body)
    return getattr(client, method.lower())(url)


AUDIT_READS = [
    "GET /admin/v2/evaluation/documents/{document_id}/",
    "GET /admin/v2/evaluation/documents/{document_id}/points/",
    "GET /admin/v2/evaluation/documents/{document_id}/difference/",
    "GET /admin/v2/evaluation/documents/{document_id}/history/",
    "GET /admin/v2/evaluation/documents/{document_id}/audit-status/",
]


def _audit_writes(world) -> list[tuple[str, dict]]:
    return [
        ("PATCH /admin/v2/evaluation/results/{result_id}/", {"result": "fail", "message": "x"}),
        ("POST /admin/v2/evaluation/results/{result_id}/review/", {"result": "fail"}),
        (
            "POST /admin/v2/evaluation/audit-status/",
            {
                "document_id": world["document_id"],
                "evaluation_point_id": world["point_id"],
                "evaluation_result_id": world["result_id"],
                "edit_audit_status": 1,
            },
        ),
        ("PATCH /admin/v2/evaluation/audit-status/{audit_status_id}/", {"message": "x"}),
        ("PATCH /admin/v2/evaluation/documents/{document_id}/confirm/", {}),
        ("PATCH /admin/v2/evaluation/documents/{document_id}/reopen/", {"reason": "x"}),
    ]


@pytest.mark.django_db
def test_audit_document_is_only_for_its_uploader_participants_and_admin(world, as_, people):
    from hrm2.audit.models import AuditEvent

    events_before = AuditEvent.objects.count()
    strangers = ["other_hr", "interviewer", "other_interviewer", "reviewer"]
    for name in strangers:
        for key in AUDIT_READS:
            assert_error(_request(as_(name), key, world), 403)
        for key, body in _audit_writes(world):
            assert_error(_request(as_(name), key, world, body), 403)
        listed = assert_success(as_(name).get("/admin/v2/evaluation/documents/"))
        assert world["document_id"] not in [d["id"] for d in listed["items"]], name
        for key in (
            "GET /admin/v2/evaluation/tasks/{task_id}/",
            "POST /admin/v2/evaluation/tasks/{task_id}/participants/",
        ):
            assert_error(_request(as_(name), key, world, {"user_id": people[name].pk}), 403)
    assert AuditEvent.objects.count() == events_before  # nothing a stranger sent was applied
    for name in ("owner", "admin"):
        for key in AUDIT_READS:
            assert_success(_request(as_(name), key, world))
    # A cross-review participant gets access; the others still do not.
    _request(
        as_("owner"),
        "POST /admin/v2/evaluation/tasks/{task_id}/participants/",
        world,
        {"user_id": people["reviewer"].pk},
    )
    for key in AUDIT_READS:
        assert_success(_request(as_("reviewer"), key, world))
        assert_error(_request(as_("other_hr"), key, world), 403)


SESSION_OPS = [
    ("GET /interview-assist/sessions/{session_id}/", None),
    ("POST /interview-assist/sessions/{session_id}/generate-questions/", {}),
    ("POST /interview-assist/sessions/{session_id}/record-qa/", None),
    ("POST /interview-assist/sessions/{session_id}/generate-report/", {}),
    ("GET /interview-assist/reports/{report_id}/download/", None),
    ("DELETE /interview-assist/sessions/{session_id}/", None),
]


@pytest.mark.django_db
def test_interview_session_is_only_for_its_interviewer(world, as_):
    record = {"question": {"content": "自我介绍"}, "answer": {"content": "我叫张伟"}}
    by_session = dict(world, interview_report_id=world["session_id"])  # latest report of it
    for ids in (world, by_session):
        for key, body in SESSION_OPS:
            body = record if key.endswith("record-qa/") else body
            assert_error(_request(as_("other_interviewer"), key, ids, body), 403)
    listed = assert_success(as_("other_interviewer").get("/interview-assist/sessions/"))
    assert listed["total"] == 0
    # Its interviewer, HR and admins may; reviewers may read.
    for name in ("interviewer", "other_hr", "admin"):
        assert_success(_request(as_(name), SESSION_OPS[0][0], world))
        assert _request(as_(name), SESSION_OPS[4][0], world).status_code == 200  # a PDF
    assert_success(_request(as_("reviewer"), SESSION_OPS[0][0], world))
    assert assert_success(as_("interviewer").get("/interview-assist/sessions/"))["total"] == 1


@pytest.mark.django_db
def test_job_is_only_for_its_owner_and_admin(world, as_):
    from hrm2.jobs.models import Job

    for name in ("other_hr", "interviewer", "reviewer"):
        assert_error(_request(as_(name), "GET /jobs/{job_id}/", world), 404)
        assert_error(_request(as_(name), "POST /jobs/{job_id}/cancel/", world), 404)
    assert Job.objects.get(pk=world["job_id"]).cancel_requested is False
    for name in ("owner", "admin"):
        assert (
            assert_success(_request(as_(name), "GET /jobs/{job_id}/", world))["id"]
            == (world["job_id"])
        )


@pytest.mark.django_db
def test_final_recommendation_is_only_for_the_groups_people(world, as_):
    if "POST /final-recommend/interview-evaluation/" not in OPERATIONS:
        pytest.skip("no final-recommend endpoints yet")
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        task = assert_success(
            as_("owner").post(
                "/final-recommend/interview-evaluation/", {"group_id": world["group_id"]}
            ),
            202,
        )
    detail = f"/final-recommend/interview-evaluation/{task['task_id']}/"
    download = f"/final-recommend/reports/{task['task_id']}/download/"
    for name in ("other_interviewer", "reviewer"):
        assert_error(as_(name).get(detail), 403)
        assert_error(as_(name).get(download), 403)
        listed = assert_success(as_(name).get("/final-recommend/interview-evaluation/"))
        assert listed["total"] == 0, name
    # The group's interviewer (a session on one of its resumes), HR and admin may read.
    for name in ("interviewer", "other_hr", "admin"):
        assert assert_success(as_(name).get(detail))["task_id"] == task["task_id"]
    assert_error(as_("interviewer").delete(detail), 403)
