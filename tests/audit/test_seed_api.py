"""The four operations of seed 002 through HTTP with a real JWT: success shapes, every error of
its §6 table, both path spellings, the permission rule, id consistency, and one event per change.
"""

from datetime import datetime

import pytest

from hrm2.audit.models import AuditStatus, Document, EvaluationResult
from tests.audit.conftest import VERDICTS
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

BASE = "/admin/v2/evaluation"
SPELLINGS = [
    ("/admin/v2/evaluation", ""),
    ("/admin/v2/evaluation", "/"),
    ("/admin/v2/evaluations", ""),
    ("/admin/v2/evaluations", "/"),
]


@pytest.fixture
def owner(make_user):
    return make_user("hr")


@pytest.fixture
def doc(owner, make_document):
    return make_document(owner)


@pytest.fixture
def mine(client_for, owner):
    return client_for(owner)


def _results(document):
    return list(EvaluationResult.objects.filter(document=document).order_by("point__order"))


def _participant(client_for, make_user, owner, document, role="reviewer"):
    """A user who takes part in a cross-review task containing ``document``."""
    member = make_user(role)
    body = {
        "name": "交叉评查",
        "participants": [{"user_id": member.pk}],
        "document_ids": [document.pk],
    }
    assert_success(client_for(owner).post(f"{BASE}/tasks/", body), 201)
    return member


# --- 3.1 update result ------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "slash"), SPELLINGS)
def test_update_result_seed_example(mine, doc, events, prefix, slash):
    result = _results(doc)[1]
    before = events()
    response = mine.patch(
        f"{prefix}/results/{result.pk}{slash}",
        {"result": "pass", "message": "经人工审核,该评查点符合要求", "final_score": 100.0},
    )
    data = assert_success(response)
    assert response.json()["message"] == "评查结果更新成功"
    assert data == {
        "result_id": result.pk,
        "updated_fields": ["evaluated_results", "final_score"],
        "version": 2,
    }
    result.refresh_from_db()
    assert result.evaluated_results == {"result": "pass", "message": "经人工审核,该评查点符合要求"}
    assert result.final_score == 100.0 and result.final_result == "pass"
    assert result.status == "reviewed"
    # the machine's own verdict is untouched
    assert (result.machine_result, result.machine_score, result.machine_message) == (
        "fail",
        40,
        VERDICTS[1].message,
    )
    assert events() == before + 1


def test_update_result_changes_only_the_fields_sent(mine, doc):
    result = _results(doc)[0]
    url = f"{BASE}/results/{result.pk}"
    data = assert_success(mine.patch(url, {"final_score": 55.5}))
    assert data["updated_fields"] == ["final_score"]
    result.refresh_from_db()
    assert result.evaluated_results == {"result": "pass", "message": VERDICTS[0].message}
    data = assert_success(mine.patch(url, {"message": "备注"}))
    assert data["updated_fields"] == ["evaluated_results"]
    result.refresh_from_db()
    assert result.evaluated_results == {"result": "pass", "message": "备注"}
    assert result.final_score == 55.5
    data = assert_success(mine.patch(url, {"result": "fail"}))
    result.refresh_from_db()
    assert result.evaluated_results == {"result": "fail", "message": "备注"}
    nothing = assert_success(mine.patch(url, {}))
    assert nothing["updated_fields"] == [] and nothing["version"] == 4


def test_update_result_404_and_403_texts(mine, doc, client_for):
    body = assert_error(mine.patch(f"{BASE}/results/123456", {"result": "pass"}), 404)
    assert body["detail"] == "评查结果 123456 不存在"
    english = mine.patch(
        f"{BASE}/results/123456", {"result": "pass"}, headers={"Accept-Language": "en"}
    )
    assert assert_error(english, 404)["detail"] == "Evaluation result 123456 does not exist"
    result = _results(doc)[0]
    stranger = client_for("hr")
    body = assert_error(stranger.patch(f"{BASE}/results/{result.pk}", {"result": "fail"}), 403)
    assert body["detail"] == "无权修改此评查结果"
    assert str(doc.pk) not in body["message"] + body["detail"]
    result.refresh_from_db()
    assert result.final_result == "pass" and result.version == 1


@pytest.mark.parametrize(
    "body",
    [
        {"result": "maybe"},
        {"result": None},
        {"final_score": 101},
        {"final_score": -0.5},
        {"final_score": "100"},
        {"final_score": True},
        {"message": None},
        {"unknown": 1},
        {"result": "pass", "user_id": 5},
    ],
)
def test_update_result_validation(mine, doc, body, events):
    result = _results(doc)[0]
    before = events()
    assert_error(mine.patch(f"{BASE}/results/{result.pk}", body), 422)
    assert events() == before


def test_update_result_requires_a_token(anon, doc):
    result = _results(doc)[0]
    assert_error(anon.patch(f"{BASE}/results/{result.pk}", {"result": "pass"}), 401)


def test_huge_and_non_numeric_ids_are_not_500(mine):
    assert_error(mine.patch(f"{BASE}/results/{2**70}", {"result": "pass"}), 422)
    assert_error(mine.patch(f"{BASE}/results/abc", {"result": "pass"}), 404)
    assert_error(mine.patch(f"{BASE}/documents/{2**70}/confirm", {}), 422)


# --- 3.2 create audit status ------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "slash"), SPELLINGS)
def test_create_audit_status_returns_the_record(mine, owner, doc, events, prefix, slash):
    result = _results(doc)[0]
    before = events()
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 1,
        "message": "已完成人工审核,确认通过",
    }
    data = assert_success(mine.post(f"{prefix}/audit-status{slash}", body))
    assert set(data) == {
        "id",
        "user_id",
        "document_id",
        "evaluation_point_id",
        "evaluation_result_id",
        "edit_audit_status",
        "message",
        "created_at",
        "updated_at",
    }
    assert data["user_id"] == owner.pk
    assert {k: data[k] for k in body} == body
    assert datetime.fromisoformat(data["created_at"]).utcoffset() is not None
    assert AuditStatus.objects.get(pk=data["id"]).user_id == owner.pk
    assert events() == before + 1


@pytest.mark.parametrize(
    "missing", ["document_id", "evaluation_point_id", "evaluation_result_id", "edit_audit_status"]
)
def test_create_audit_status_required_fields(mine, doc, missing):
    result = _results(doc)[0]
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 1,
    }
    del body[missing]
    error = assert_error(mine.post(f"{BASE}/audit-status", body), 422)
    label = {
        "document_id": "文档",
        "evaluation_point_id": "评查点",
        "evaluation_result_id": "评查结果",
        "edit_audit_status": "审核状态",
    }[missing]
    assert error["detail"] == f"「{label}」为必填项"
    assert error["errors"][0]["loc"] == ["body", missing]
    assert error["errors"][0]["type"] == "missing"


@pytest.mark.parametrize(
    "change",
    [
        {"edit_audit_status": 2},
        {"edit_audit_status": True},
        {"edit_audit_status": "1"},
        {"message": "长" * 256},
        {"user_id": 1},
        {"document_id": "abc"},
    ],
)
def test_create_audit_status_validation(mine, doc, change):
    result = _results(doc)[0]
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 1,
        **change,
    }
    assert_error(mine.post(f"{BASE}/audit-status", body), 422)
    assert not AuditStatus.objects.exists()


def test_message_limit_counts_characters(mine, doc):
    result = _results(doc)[0]
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 0,
        "message": "审" * 255,
    }
    assert assert_success(mine.post(f"{BASE}/audit-status", body))["message"] == "审" * 255


def test_create_audit_status_ids_must_belong_together(mine, owner, doc, make_document):
    other = make_document(owner, checklist="other-checklist")
    mine_results, other_results = _results(doc), _results(other)
    url = f"{BASE}/audit-status"
    base = {"document_id": doc.pk, "edit_audit_status": 1}
    cases = [
        # a result of another document
        {
            "evaluation_point_id": other_results[0].point_id,
            "evaluation_result_id": other_results[0].pk,
        },
        # the right result with another point of the same document
        {
            "evaluation_point_id": mine_results[1].point_id,
            "evaluation_result_id": mine_results[0].pk,
        },
        # a result that does not exist
        {"evaluation_point_id": mine_results[0].point_id, "evaluation_result_id": 99999},
    ]
    for case in cases:
        assert_error(mine.post(url, {**base, **case}), 422)
    assert not AuditStatus.objects.exists()


def test_create_audit_status_forbidden(doc, client_for, make_user):
    result = _results(doc)[0]
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 1,
    }
    stranger = client_for("reviewer")
    error = assert_error(stranger.post(f"{BASE}/audit-status", body), 403)
    assert error["detail"] == "无权操作此文档的审核状态"
    # a document that does not exist looks the same to a non-admin ...
    missing = assert_error(
        stranger.post(f"{BASE}/audit-status", {**body, "document_id": 9999}), 403
    )
    assert missing["detail"] == error["detail"]
    # ... while an admin, who may see everything, is told it does not exist
    admin = client_for("admin")
    gone = assert_error(admin.post(f"{BASE}/audit-status", {**body, "document_id": 9999}), 404)
    assert gone["detail"] == "文档 9999 不存在"


# --- 3.3 update audit status ------------------------------------------------------------------


def _audit_status(client, document, result, **extra):
    body = {
        "document_id": document.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 0,
        **extra,
    }
    return assert_success(client.post(f"{BASE}/audit-status", body))["id"]


@pytest.mark.parametrize(("prefix", "slash"), SPELLINGS)
def test_update_audit_status(mine, doc, events, prefix, slash):
    record_id = _audit_status(mine, doc, _results(doc)[0])
    before = events()
    response = mine.patch(
        f"{prefix}/audit-status/{record_id}{slash}",
        {"edit_audit_status": 1, "message": "重新审核后确认通过"},
    )
    data = assert_success(response)
    assert response.json()["message"] == "审核状态更新成功"
    assert data["audit_status_id"] == record_id
    assert data["updated_fields"] == ["edit_audit_status", "message"]
    record = AuditStatus.objects.get(pk=record_id)
    assert (record.edit_audit_status, record.message) == (1, "重新审核后确认通过")
    assert record.updated_at > record.created_at
    assert events() == before + 1
    only = assert_success(mine.patch(f"{BASE}/audit-status/{record_id}", {"message": "x"}))
    assert only["updated_fields"] == ["message"]
    assert AuditStatus.objects.get(pk=record_id).edit_audit_status == 1


def test_update_audit_status_errors(mine, doc, client_for):
    error = assert_error(mine.patch(f"{BASE}/audit-status/1", {"message": "x"}), 404)
    assert error["detail"] == "审核状态记录 1 不存在"
    record_id = _audit_status(mine, doc, _results(doc)[0])
    stranger = client_for("hr")
    assert_error(stranger.patch(f"{BASE}/audit-status/{record_id}", {"message": "x"}), 403)
    assert_error(mine.patch(f"{BASE}/audit-status/{record_id}", {"edit_audit_status": 3}), 422)
    assert_error(mine.patch(f"{BASE}/audit-status/{record_id}", {"other": 3}), 422)
    assert AuditStatus.objects.get(pk=record_id).message == ""


def test_creator_may_update_own_record_after_losing_access(owner, doc, client_for, make_user):
    member = _participant(client_for, make_user, owner, doc)
    participant = client_for(member)
    record_id = _audit_status(participant, doc, _results(doc)[0])
    task_id = doc.tasks.get().pk
    assert_success(client_for(owner).delete(f"{BASE}/tasks/{task_id}/participants/{member.pk}"))
    # no longer a participant: the document is closed to them ...
    assert_error(participant.patch(f"{BASE}/results/{_results(doc)[0].pk}", {"message": "x"}), 403)
    # ... but the record they created is still theirs (seed §3.3)
    assert_success(participant.patch(f"{BASE}/audit-status/{record_id}", {"message": "更正"}))
    # and the uploader (access to the document) may update someone else's record
    assert_success(client_for(owner).patch(f"{BASE}/audit-status/{record_id}", {"message": "y"}))


# --- 3.4 confirm ------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "slash"), SPELLINGS)
@pytest.mark.parametrize("body", ["none", {}, {"audit_status": 1}])
def test_confirm_document(mine, doc, events, prefix, slash, body):
    before = events()
    url = f"{prefix}/documents/{doc.pk}/confirm{slash}"
    response = mine.generic("PATCH", url) if body == "none" else mine.patch(url, body)
    data = assert_success(response)
    assert response.json()["message"] == "文档审核确认成功"
    assert data["document_id"] == doc.pk and data["audit_status"] == 1
    doc.refresh_from_db()
    assert doc.audit_status == 1 and doc.confirmed_at is not None
    assert events() == before + 1
    again = assert_success(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {}))
    assert again["audit_status"] == 1 and events() == before + 1  # idempotent, no new event


def test_confirm_errors(mine, doc, client_for):
    error = assert_error(client_for("hr").patch(f"{BASE}/documents/{doc.pk}/confirm", {}), 403)
    assert error["detail"] == "无权确认此文档的审核状态"
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {"audit_status": 0}), 422)
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {"extra": 1}), 422)
    assert Document.objects.get(pk=doc.pk).audit_status == 0


# --- the permission rule over all four operations ---------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("uploader", True), ("participant", True), ("stranger", False), ("admin", True)],
)
def test_permission_rule(who, allowed, owner, doc, client_for, make_user):
    if who == "uploader":
        client = client_for(owner)
    elif who == "participant":
        client = client_for(_participant(client_for, make_user, owner, doc))
    elif who == "stranger":
        client = client_for("hr")
    else:
        client = client_for("admin")
    result = _results(doc)[0]
    status = 200 if allowed else 403
    responses = [
        client.patch(f"{BASE}/results/{result.pk}", {"result": "fail", "final_score": 0}),
        client.post(
            f"{BASE}/audit-status",
            {
                "document_id": doc.pk,
                "evaluation_point_id": result.point_id,
                "evaluation_result_id": result.pk,
                "edit_audit_status": 1,
            },
        ),
        client.get(f"{BASE}/documents/{doc.pk}"),
        client.get(f"{BASE}/documents/{doc.pk}/history"),
        client.patch(f"{BASE}/documents/{doc.pk}/confirm", {}),
    ]
    for response in responses:
        assert response.status_code == status, response.content
    if not allowed:
        other_id = _audit_status(client_for(owner), doc, result)
        assert client.patch(f"{BASE}/audit-status/{other_id}", {"message": "x"}).status_code == 403
        assert Document.objects.get(pk=doc.pk).audit_status == 0
        assert EvaluationResult.objects.get(pk=result.pk).version == 1


# --- optimistic concurrency, the confirm lock, reopen -----------------------------------------


def test_stale_version_is_refused_and_changes_nothing(mine, doc, events):
    result = _results(doc)[0]
    url = f"{BASE}/results/{result.pk}"
    assert assert_success(mine.patch(url, {"final_score": 90, "version": 1}))["version"] == 2
    before = events()
    stale = assert_error(mine.patch(url, {"final_score": 10, "version": 1}), 409)
    assert stale["errors"][0]["type"] == "stale_version"
    assert_error(mine.patch(url, {"final_score": 10}, headers={"If-Match": '"1"'}), 409)
    assert_error(mine.patch(url, {"final_score": 10}, headers={"If-Match": "W/1"}), 409)
    assert_error(mine.patch(url, {"final_score": 10}, headers={"If-Match": "abc"}), 422)
    result.refresh_from_db()
    assert result.final_score == 90 and result.version == 2
    assert events() == before
    assert_success(mine.patch(url, {"final_score": 10}, headers={"If-Match": '"2"'}))
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {"version": 7}), 409)
    assert Document.objects.get(pk=doc.pk).audit_status == 0


def test_confirmed_document_is_locked_until_reopened(mine, doc, events):
    result = _results(doc)[0]
    assert_success(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {}))
    before = events()
    assert_error(mine.patch(f"{BASE}/results/{result.pk}", {"result": "fail"}), 409)
    body = {
        "document_id": doc.pk,
        "evaluation_point_id": result.point_id,
        "evaluation_result_id": result.pk,
        "edit_audit_status": 1,
    }
    assert_error(mine.post(f"{BASE}/audit-status", body), 409)
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/reopen", {}), 422)  # reason required
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/reopen", {"reason": ""}), 422)
    assert events() == before
    reopened = assert_success(
        mine.patch(f"{BASE}/documents/{doc.pk}/reopen", {"reason": "候选人补充了材料"})
    )
    assert reopened["audit_status"] == 0 and reopened["confirmed_at"] is None
    history = assert_success(mine.get(f"{BASE}/documents/{doc.pk}/history"))["items"]
    assert history[-1]["action"] == "document.reopened"
    assert history[-1]["after"]["reason"] == "候选人补充了材料"
    assert_success(mine.patch(f"{BASE}/results/{result.pk}", {"result": "fail"}))
    assert_error(mine.patch(f"{BASE}/documents/{doc.pk}/reopen", {"reason": "x"}), 409)
    assert events() == before + 2


def test_totals_weight_points_by_max_score_and_veto_fails(mine, doc):
    # machine: 20×100 + 30×40 + 25×100 over 75 → 76; experience (veto) fails
    assert round(doc.machine_total, 2) == 76.0 and doc.machine_passed is False
    skill, experience, _education = _results(doc)
    assert_success(mine.patch(f"{BASE}/results/{skill.pk}", {"result": "fail", "final_score": 0}))
    assert_success(
        mine.patch(f"{BASE}/results/{experience.pk}", {"result": "pass", "final_score": 100})
    )
    confirmed = assert_success(mine.patch(f"{BASE}/documents/{doc.pk}/confirm", {}))
    # human: 20×0 + 30×100 + 25×100 over 75 → 73.33; no veto point fails
    assert round(confirmed["final_total"], 2) == 73.33 and confirmed["final_passed"] is True
    doc.refresh_from_db()
    assert round(doc.machine_total, 2) == 76.0 and doc.machine_passed is False


# --- the one-call review ----------------------------------------------------------------------


def test_review_endpoint_does_both_steps(mine, owner, doc, events):
    result = _results(doc)[1]
    before = events()
    data = assert_success(
        mine.post(
            f"{BASE}/results/{result.pk}/review",
            {
                "result": "pass",
                "message": "人工审核通过",
                "final_score": 100,
                "audit_message": "用户确认通过",
            },
        )
    )
    assert data["result"]["final_result"] == "pass" and data["result"]["version"] == 2
    assert data["result"]["machine_result"] == "fail"
    assert data["audit_status"]["user_id"] == owner.pk
    assert data["audit_status"]["evaluation_result_id"] == result.pk
    assert data["audit_status"]["evaluation_point_id"] == result.point_id
    assert data["audit_status"]["edit_audit_status"] == 1
    assert events() == before + 1  # one reviewer action, one event (result + audit record)


def test_review_fault_between_the_steps_leaves_nothing(mine, doc, events, monkeypatch):
    from hrm2.audit import services

    def explode(**kwargs):
        raise RuntimeError("injected fault after the result update")

    monkeypatch.setattr(services, "_create_audit_status", explode)
    result = _results(doc)[1]
    before = events()
    response = mine.post(
        f"{BASE}/results/{result.pk}/review", {"result": "pass", "final_score": 100}
    )
    body = assert_error(response, 500)
    assert "injected" not in response.content.decode()
    assert body["detail"]
    result.refresh_from_db()
    assert result.final_result == "fail" and result.final_score is None and result.version == 1
    assert result.status == "machine"
    assert not AuditStatus.objects.exists()
    assert events() == before
    assert Document.objects.get(pk=doc.pk).final_total == doc.final_total
