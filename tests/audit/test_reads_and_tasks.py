"""Beyond the seed: document reads, history, difference, statistics, cross-review tasks, and the
append-only event log."""

import pytest

from hrm2.audit.models import AuditEvent
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

BASE = "/admin/v2/evaluation"


@pytest.fixture
def owner(make_user):
    return make_user("hr")


@pytest.fixture
def mine(client_for, owner):
    return client_for(owner)


def test_list_documents_shows_only_what_the_caller_may_review(
    owner, mine, make_document, make_user, client_for, django_assert_max_num_queries
):
    own = [make_document(owner) for _ in range(3)]
    other_owner = make_user("hr")
    foreign = make_document(other_owner, position_ref="position-2")
    listed = assert_success(mine.get(f"{BASE}/documents/"))
    assert listed["total"] == 3 and {d["id"] for d in listed["items"]} == {d.pk for d in own}
    stranger = assert_success(client_for("reviewer").get(f"{BASE}/documents/"))
    assert stranger["total"] == 0
    admin = assert_success(client_for("admin").get(f"{BASE}/documents/?page_size=2"))
    assert admin["total"] == 4 and admin["pages"] == 2 and len(admin["items"]) == 2
    # shared through a task: the participant sees it, filtered by task too
    member = make_user("reviewer")
    task = assert_success(
        client_for(other_owner).post(
            f"{BASE}/tasks/",
            {"name": "t", "participants": [{"user_id": member.pk}], "document_ids": [foreign.pk]},
        ),
        201,
    )
    reviewer = client_for(member)
    seen = assert_success(reviewer.get(f"{BASE}/documents/?task_id={task['id']}"))
    assert [d["id"] for d in seen["items"]] == [foreign.pk]
    assert assert_success(reviewer.get(f"{BASE}/documents/?mine=true"))["total"] == 0
    assert assert_success(mine.get(f"{BASE}/documents/?position=position-2"))["total"] == 0
    assert assert_success(mine.get(f"{BASE}/documents/?audit_status=1"))["total"] == 0
    assert assert_success(mine.get(f"{BASE}/documents/?kind=test"))["total"] == 3
    assert_error(mine.get(f"{BASE}/documents/?audit_status=5"), 422)
    assert_error(mine.get(f"{BASE}/documents/?page=0"), 422)
    for _ in range(10):
        make_document(owner)
    with django_assert_max_num_queries(6):
        assert assert_success(mine.get(f"{BASE}/documents/"))["total"] == 13


def test_document_detail_points_difference_and_history(owner, mine, make_document):
    doc = make_document(owner)
    detail = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/"))
    assert detail["uploader_id"] == owner.pk and detail["audit_status"] == 0
    assert [r["point"]["name"] for r in detail["results"]] == ["Python", "≥3", "本科"]
    experience = detail["results"][1]
    assert experience["machine_result"] == "fail" and experience["point"]["is_veto"] is True
    assert experience["evaluated_results"] == {"result": "fail", "message": "工作经验不足"}
    points = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/points"))
    assert [p["max_score"] for p in points] == [20, 30, 25]
    assert_success(
        mine.patch(f"{BASE}/results/{experience['id']}", {"result": "pass", "final_score": 90})
    )
    diff = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/difference"))
    changed = [p for p in diff["points"] if p["result_changed"]]
    assert len(changed) == 1 and changed[0]["result_id"] == experience["id"]
    assert changed[0]["machine_score"] == 40 and changed[0]["score_delta"] == 50
    history = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/history"))["items"]
    assert [e["action"] for e in history] == ["document.recorded", "result.updated"]
    update = history[1]
    assert update["actor_id"] == owner.pk and update["before"]["final_result"] == "fail"
    assert update["after"]["final_result"] == "pass" and update["after"]["final_score"] == 90
    statuses = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/audit-status"))
    assert statuses["total"] == 0


def test_statistics_agreement_per_point(owner, mine, make_document, client_for):
    docs = [make_document(owner) for _ in range(3)]
    make_document(owner, position_ref="elsewhere")
    for doc in docs[:2]:
        detail = assert_success(mine.get(f"{BASE}/documents/{doc.pk}"))
        skill, experience, _education = detail["results"]
        assert_success(mine.patch(f"{BASE}/results/{skill['id']}", {"result": "pass"}))  # agrees
        assert_success(mine.patch(f"{BASE}/results/{experience['id']}", {"result": "pass"}))
    assert_success(mine.patch(f"{BASE}/documents/{docs[0].pk}/confirm", {}))
    stats = assert_success(mine.get(f"{BASE}/statistics/?position=position-1"))
    assert (stats["documents"], stats["confirmed_documents"]) == (3, 1)
    assert (stats["results"], stats["reviewed"], stats["agreed"], stats["overridden"]) == (
        9,
        4,
        2,
        2,
    )
    assert stats["agreement_rate"] == 0.5
    by_name = {p["name"]: p for p in stats["points"]}
    assert by_name["Python"]["agreement_rate"] == 1.0 and by_name["Python"]["overridden"] == 0
    assert by_name["≥3"]["agreement_rate"] == 0.0 and by_name["≥3"]["overridden"] == 2
    assert by_name["本科"]["reviewed"] == 0 and by_name["本科"]["agreement_rate"] is None
    # statistics cover only documents the caller may see
    assert (
        assert_success(client_for("hr").get(f"{BASE}/statistics?position=position-1"))["documents"]
        == 0
    )
    assert_error(mine.get(f"{BASE}/statistics/"), 422)


def test_cross_review_task_lifecycle(owner, mine, make_document, make_user, client_for, events):
    doc = make_document(owner)
    reviewer_user, lead_user = make_user("reviewer"), make_user("interviewer")
    before = events()
    task = assert_success(
        mine.post(
            f"{BASE}/tasks",
            {
                "name": "二季度交叉评查",
                "participants": [
                    {"user_id": reviewer_user.pk},
                    {"user_id": lead_user.pk, "role": "lead"},
                ],
                "document_ids": [doc.pk],
            },
        ),
        201,
    )
    assert task["document_ids"] == [doc.pk] and task["participant_count"] == 2
    assert {p["user_id"]: p["role"] for p in task["participants"]} == {
        reviewer_user.pk: "reviewer",
        lead_user.pk: "lead",
    }
    assert events() == before + 4  # created, two participants, one document
    reviewer, lead = client_for(reviewer_user), client_for(lead_user)
    assert [t["id"] for t in assert_success(reviewer.get(f"{BASE}/tasks/"))["items"]] == [
        task["id"]
    ]
    assert assert_success(client_for("hr").get(f"{BASE}/tasks/"))["total"] == 0
    assert_error(client_for("hr").get(f"{BASE}/tasks/{task['id']}"), 403)
    # a reviewer may work on the documents but not manage the task
    assert_error(reviewer.patch(f"{BASE}/tasks/{task['id']}", {"name": "x"}), 403)
    assert_error(
        reviewer.post(f"{BASE}/tasks/{task['id']}/participants", {"user_id": owner.pk}), 403
    )
    # a lead manages participants, but may only share documents they uploaded
    newcomer = make_user("reviewer")
    assert_success(lead.post(f"{BASE}/tasks/{task['id']}/participants", {"user_id": newcomer.pk}))
    second = make_document(owner)
    assert_error(
        lead.post(f"{BASE}/tasks/{task['id']}/documents", {"document_ids": [second.pk]}), 403
    )
    assert_error(mine.post(f"{BASE}/tasks/{task['id']}/documents", {"document_ids": [9999]}), 403)
    added = assert_success(
        mine.post(f"{BASE}/tasks/{task['id']}/documents", {"document_ids": [second.pk]})
    )
    assert added["document_ids"] == [doc.pk, second.pk]
    assert assert_success(client_for(newcomer).get(f"{BASE}/documents/{second.pk}"))["id"] == (
        second.pk
    )
    removed = assert_success(mine.delete(f"{BASE}/tasks/{task['id']}/documents/{second.pk}"))
    assert removed["document_ids"] == [doc.pk]
    assert_error(client_for(newcomer).get(f"{BASE}/documents/{second.pk}"), 403)
    assert_error(mine.delete(f"{BASE}/tasks/{task['id']}/documents/{second.pk}"), 404)
    closed = assert_success(mine.patch(f"{BASE}/tasks/{task['id']}", {"status": "closed"}))
    assert closed["status"] == "closed"
    assert_error(mine.post(f"{BASE}/tasks", {"name": "x", "participants": [{"user_id": 999}]}), 422)
    assert_error(mine.post(f"{BASE}/tasks", {"name": ""}), 422)
    assert_error(client_for("reviewer").post(f"{BASE}/tasks", {"name": "x"}), 403)
    assert_error(mine.get(f"{BASE}/tasks/9999"), 404)


def test_event_log_is_append_only(owner, make_document):
    make_document(owner)
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(action="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().action == "document.recorded"


def test_openapi_documents_the_audit_operations(anon):
    schema = anon.get("/api/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/admin/v2/evaluation/")]
    assert "/admin/v2/evaluation/results/{result_id}/" in paths
    assert "/admin/v2/evaluation/documents/{document_id}/confirm/" in paths


def test_django_admin_shows_audit_records_read_only(owner, make_document, make_user):
    from django.test import Client

    doc = make_document(owner)
    browser = Client()
    browser.force_login(make_user("admin"))
    assert browser.get("/django-admin/audit/document/").status_code == 200
    assert browser.get(f"/django-admin/audit/document/{doc.pk}/change/").status_code == 200
    assert browser.get("/django-admin/audit/auditevent/").status_code == 200
    assert browser.post(f"/django-admin/audit/document/{doc.pk}/delete/").status_code == 403


def test_history_items_carry_a_sentence(owner, mine, make_document):
    doc = make_document(owner)
    detail = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/"))
    skill = detail["results"][0]
    assert_success(
        mine.post(
            f"{BASE}/results/{skill['id']}/review",
            {"result": "fail", "message": "没有项目经历", "audit_message": "没有项目经历"},
        )
    )
    history = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/history"))["items"]
    assert [e["action"] for e in history] == ["document.recorded", "result.reviewed"]
    assert history[0]["summary"] == "系统 记录了机器评估"
    assert history[1]["summary"] == f"{owner.username} 将「Python」改为不通过：没有项目经历"
    english = assert_success(
        mine.get(f"{BASE}/documents/{doc.pk}/history", HTTP_ACCEPT_LANGUAGE="en")
    )["items"]
    assert english[1]["summary"] == f"{owner.username} failed “Python”: 没有项目经历"
