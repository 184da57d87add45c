"""Review assignment through the HTTP API: HR looks reviewers up by name
(``GET /users/assignable/``) and assigns a screening job's, a resume group's or listed documents
to them (``POST /resume-screening/review-assignments/``); the assignee may then review."""

import pytest

from hrm2.audit.models import AuditEvent, CrossReviewTask, Document, TaskParticipant
from hrm2.audit.selectors import reviewer_workload
from tests.audit.test_screening_records import _screen
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

ASSIGN = "/resume-screening/review-assignments/"
USERS = "/users/assignable/"


def _named(make_user, role, first="", last="", username=None):
    user = make_user(role, username=username)
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def screened(make_user, client_for, django_capture_on_commit_callbacks):
    """An HR user who screened two resumes: (hr user, hr client, position, task)."""
    hr_user = make_user("hr")
    hr = client_for(hr_user)
    position, task = _screen(hr, django_capture_on_commit_callbacks)
    return hr_user, hr, position, task


# --- who may be assigned --------------------------------------------------------------------


def test_assignable_users_fields_roles_and_no_personal_data(make_user, client_for):
    wang = _named(make_user, "reviewer", "Wei", "Wang")
    wang.email = "wang@example.com"
    wang.save()
    plain = make_user("reviewer", username="rev-plain")
    hr_user = make_user("hr", username="hr-anna")
    make_user("interviewer", username="int-ivan")
    gone = make_user("reviewer", username="rev-gone")
    gone.is_active = False
    gone.save()
    admin = make_user("admin", username="boss")
    chinese = _named(make_user, "reviewer", "敏", "赵")  # family name first: 赵敏

    data = assert_success(client_for(admin).get(USERS))
    rows = {row["id"]: row for row in data["items"]}
    # no interviewer, no inactive user
    assert set(rows) == {wang.pk, plain.pk, hr_user.pk, admin.pk, chinese.pk}
    assert rows[chinese.pk]["name"] == "赵敏"
    for row in data["items"]:
        assert set(row) == {"id", "name", "role", "role_label"}
    assert rows[wang.pk]["name"] == "Wei Wang"  # full name when set
    assert rows[plain.pk]["name"] == "rev-plain"  # else the username
    assert rows[wang.pk]["role"] == "reviewer" and rows[wang.pk]["role_label"] == "评审人"
    assert rows[admin.pk]["role"] == "admin" and rows[admin.pk]["role_label"] == "管理员"
    assert "wang@example.com" not in str(data)
    english = assert_success(client_for(admin).get(USERS, headers={"Accept-Language": "en"}))
    labels = {row["id"]: row["role_label"] for row in english["items"]}
    assert labels[wang.pk] == "Reviewer" and labels[admin.pk] == "Administrator"


def test_assignable_users_only_for_hr_and_admin(client_for):
    assert_success(client_for("hr").get(USERS))
    assert_success(client_for("admin").get(USERS))
    for role in ("reviewer", "interviewer"):
        body = assert_error(client_for(role).get(USERS), 403)
        assert body["message"]


def test_assignable_users_filters_and_pagination(make_user, client_for):
    for n in range(5):
        _named(make_user, "reviewer", "Reviewer", f"No{n}", username=f"r{n}")
    _named(make_user, "hr", "Li", "Na", username="li-na")
    hr = client_for("hr")
    page = assert_success(hr.get(USERS, {"role": "reviewer", "page_size": 2, "page": 2}))
    assert page["total"] == 5 and page["pages"] == 3 and page["page"] == 2
    assert len(page["items"]) == 2
    assert {row["role"] for row in page["items"]} == {"reviewer"}
    found = assert_success(hr.get(USERS, {"search": "li"}))
    assert [row["name"] for row in found["items"]] == ["Li Na"]
    assert assert_success(hr.get(USERS, {"search": "no3"}))["total"] == 1
    assert_error(hr.get(USERS, {"role": "interviewer"}), 422)
    assert_error(hr.get(USERS, {"page_size": 101}), 422)


# --- assigning --------------------------------------------------------------------------------


def test_assign_a_screening_job_creates_one_task_and_is_idempotent(screened, make_user, client_for):
    hr_user, hr, _position, task = screened
    reviewer = _named(make_user, "reviewer", "Min", "Zhao")
    documents = sorted(Document.objects.values_list("id", flat=True))
    assert len(documents) == 2
    reviewer_client = client_for(reviewer)
    doc = documents[0]
    assert_error(reviewer_client.get(f"/admin/v2/evaluation/documents/{doc}/"), 403)

    data = assert_success(
        hr.post(ASSIGN, {"reviewer_ids": [reviewer.pk], "screening_task_id": task["task_id"]})
    )
    assert data["task_created"] is True
    assert sorted(data["document_ids"]) == documents
    assert sorted(data["added_document_ids"]) == documents
    assert data["added_reviewer_ids"] == [reviewer.pk]
    assert data["reviewers"] == [{"id": reviewer.pk, "name": "Min Zhao"}]
    assert data["task_name"].startswith("审核：后端工程师")
    # the reviewer may now open and review the documents
    assert_success(reviewer_client.get(f"/admin/v2/evaluation/documents/{doc}/"))
    events = AuditEvent.objects.filter(
        object_type="audit.crossreviewtask", object_id=str(data["task_id"])
    )
    assert events.filter(action="task.created", actor_id=hr_user.pk).count() == 1
    assert events.filter(action="task.participant_added").count() == 1
    assert events.filter(action="task.document_added").count() == 2

    again = assert_success(
        hr.post(ASSIGN, {"reviewer_ids": [reviewer.pk], "screening_task_id": task["task_id"]})
    )
    assert again["task_id"] == data["task_id"] and again["task_created"] is False
    assert again["added_reviewer_ids"] == [] and again["added_document_ids"] == []
    assert CrossReviewTask.objects.count() == 1
    assert TaskParticipant.objects.filter(user=reviewer).count() == 1
    assert events.count() == 4  # nothing logged twice
    assert reviewer_workload(user_ids=[reviewer.pk]) == {
        reviewer.pk: {"pending": 2, "confirmed": 0}
    }

    # a second reviewer joins the same task
    other = make_user("reviewer")
    more = assert_success(
        hr.post(
            ASSIGN, {"reviewer_ids": [reviewer.pk, other.pk], "screening_task_id": task["task_id"]}
        )
    )
    assert more["task_id"] == data["task_id"] and more["added_reviewer_ids"] == [other.pk]


def test_assign_a_group_takes_the_latest_report_of_each_member(screened, make_user):
    _hr_user, hr, position, _task = screened
    resumes = assert_success(hr.get("/resume-screening/data/", {"position_id": position["id"]}))
    first = resumes["items"][0]
    group = assert_success(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "短名单", "resume_data_ids": [first["id"]]},
        ),
        201,
    )
    reviewer = make_user("reviewer")
    data = assert_success(
        hr.post(ASSIGN, {"reviewer_ids": [reviewer.pk], "group_id": group["group_id"]})
    )
    assert len(data["document_ids"]) == 1
    document = Document.objects.get(pk=data["document_ids"][0])
    assert first["candidate_name"] in document.title
    assert data["task_name"].startswith("审核：短名单")


def test_assign_listed_documents_and_hr_may_be_assigned(screened, make_user, client_for):
    _hr_user, hr, _position, _task = screened
    document = Document.objects.order_by("id").first()
    colleague = make_user("hr")
    data = assert_success(
        hr.post(ASSIGN, {"reviewer_ids": [colleague.pk], "document_ids": [document.pk]})
    )
    assert data["document_ids"] == [document.pk]
    assert_success(client_for(colleague).get(f"/admin/v2/evaluation/documents/{document.pk}/"))


def test_invalid_assignee_is_a_422_in_chinese(screened, make_user):
    _hr_user, hr, _position, task = screened
    interviewer = _named(make_user, "interviewer", "Jun", "Qian")
    gone = make_user("reviewer")
    gone.is_active = False
    gone.save()
    body = assert_error(
        hr.post(ASSIGN, {"reviewer_ids": [interviewer.pk], "screening_task_id": task["task_id"]}),
        422,
    )
    assert "Jun Qian" in body["detail"] and "不能" in body["detail"], body
    assert body["errors"][0]["loc"] == ["body", "reviewer_ids", 0]
    body = assert_error(
        hr.post(ASSIGN, {"reviewer_ids": [gone.pk], "screening_task_id": task["task_id"]}), 422
    )
    assert "停用" in body["detail"], body
    body = assert_error(
        hr.post(ASSIGN, {"reviewer_ids": [999999], "screening_task_id": task["task_id"]}), 422
    )
    assert "999999" in body["detail"] and "不存在" in body["detail"], body
    english = assert_error(
        hr.post(
            ASSIGN,
            {"reviewer_ids": [interviewer.pk], "screening_task_id": task["task_id"]},
            headers={"Accept-Language": "en"},
        ),
        422,
    )
    assert "cannot be assigned" in english["detail"]
    assert CrossReviewTask.objects.count() == 0  # nothing half-done


def test_who_may_assign(screened, make_user, client_for):
    _hr_user, _hr, _position, task = screened
    reviewer = make_user("reviewer")
    document = Document.objects.order_by("id").first()
    payload = {"reviewer_ids": [reviewer.pk], "screening_task_id": task["task_id"]}
    # reviewers and interviewers: the role check
    for role in ("reviewer", "interviewer"):
        assert_error(client_for(role).post(ASSIGN, payload), 403)
    # another HR who may not access these documents
    body = assert_error(client_for("hr").post(ASSIGN, payload), 403)
    assert body["detail"]
    assert_error(
        client_for("hr").post(
            ASSIGN, {"reviewer_ids": [reviewer.pk], "document_ids": [document.pk]}
        ),
        403,
    )
    # an admin may
    assert_success(client_for("admin").post(ASSIGN, payload))


def test_a_scope_without_screened_documents_and_bad_bodies(make_user, client_for):
    hr = client_for("hr")
    reviewer = make_user("reviewer")
    assert_error(hr.post(ASSIGN, {"reviewer_ids": [reviewer.pk]}), 422)  # no scope
    assert_error(
        hr.post(ASSIGN, {"reviewer_ids": [reviewer.pk], "group_id": "x", "document_ids": [1]}), 422
    )
    assert_error(hr.post(ASSIGN, {"reviewer_ids": [], "document_ids": [1]}), 422)
    assert_error(
        hr.post(
            ASSIGN,
            {"reviewer_ids": [reviewer.pk], "group_id": "00000000-0000-0000-0000-000000000000"},
        ),
        404,
    )


def test_out_of_range_ids_are_422_not_500(make_user, client_for):
    hr = client_for("hr")
    reviewer = make_user("reviewer")
    for body in (
        {"reviewer_ids": [2**64], "document_ids": [1]},
        {"reviewer_ids": [reviewer.pk], "document_ids": [2**64]},
        {"reviewer_ids": [0], "document_ids": [1]},
        {"reviewer_ids": [reviewer.pk], "document_ids": [1], "extra": 1},
    ):
        assert_error(hr.post(ASSIGN, body), 422)
    assert_error(hr.get(USERS, {"search": "x" * 101}), 422)
