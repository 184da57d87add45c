"""Position settings (seed 000 §3.1): criteria CRUD, validation, versions, roles."""

import pytest

from hrm2.positions.models import CriteriaVersion
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

FULL = {
    "position": "后端开发工程师",
    "department": "技术部",
    "description": "负责核心交易系统的后端开发",
    "required_skills": ["Python", "Django", " PostgreSQL "],
    "optional_skills": ["Redis", "Kubernetes"],
    "min_experience": 3,
    "education": ["本科", "硕士"],
    "certifications": ["PMP"],
    "salary_range": [20000, 35000],
    "project_requirements": {"min_projects": 2, "team_lead_experience": True},
    "weights": {"skills": 0.4, "experience": 0.3, "education": 0.1},
}


def test_create_then_current_returns_it(hr):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    assert created["title"] == "后端开发工程师"
    assert created["version"] == 1
    criteria = created["criteria"]
    assert criteria["position"] == "后端开发工程师"
    assert criteria["required_skills"] == ["Python", "Django", "PostgreSQL"]
    assert criteria["salary_range"] == [20000, 35000]
    assert criteria["project_requirements"] == {"min_projects": 2, "team_lead_experience": True}
    current = assert_success(hr.get("/position-settings/"))
    assert current["id"] == created["id"]


def test_current_is_the_most_recently_saved(hr):
    first = assert_success(hr.post("/position-settings/", {"position": "A"}), 201)
    second = assert_success(hr.post("/position-settings/", {"position": "B"}), 201)
    assert assert_success(hr.get("/position-settings/"))["id"] == second["id"]
    assert_success(hr.post("/position-settings/", {"position": "A", "min_experience": 1}))
    assert assert_success(hr.get("/position-settings/"))["id"] == first["id"]
    by_id = assert_success(hr.get(f"/position-settings/?position_id={second['id']}"))
    assert by_id["title"] == "B"


def test_no_position_yet_is_404(hr):
    assert_error(hr.get("/position-settings/"), 404)


def test_update_by_title_and_by_id_creates_versions(hr):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    updated = assert_success(hr.post("/position-settings/", {**FULL, "min_experience": 5}), 200)
    assert updated["id"] == created["id"] and updated["version"] == 2
    renamed = assert_success(
        hr.post("/position-settings/", {**FULL, "id": created["id"], "position": "高级后端工程师"})
    )
    assert renamed["title"] == "高级后端工程师" and renamed["version"] == 3
    versions = assert_success(hr.get(f"/position-settings/{created['id']}/versions/"))
    assert [v["number"] for v in versions["items"]] == [3, 2, 1]
    assert versions["items"][2]["criteria"]["min_experience"] == 3
    assert versions["items"][1]["criteria"]["min_experience"] == 5


def test_saving_identical_criteria_does_not_add_a_version(hr):
    assert_success(hr.post("/position-settings/", FULL), 201)
    again = assert_success(hr.post("/position-settings/", FULL), 200)
    assert again["version"] == 1


def test_versions_are_immutable():
    version = CriteriaVersion.objects.none().model(number=1, criteria={})
    version._state.adding = False
    with pytest.raises(ValueError):
        version.save()
    with pytest.raises(ValueError):
        version.delete()


@pytest.mark.parametrize(
    ("patch", "loc"),
    [
        ({"unknown_key": 1}, ["body", "unknown_key"]),
        ({"min_experience": -1}, ["body", "min_experience"]),
        ({"education": ["小学"]}, ["body", "education", 0]),
        ({"salary_range": [30000, 10000]}, ["body", "salary_range"]),
        ({"salary_range": [1, 2, 3]}, ["body", "salary_range"]),
        (
            {"project_requirements": {"min_projects": -2}},
            ["body", "project_requirements", "min_projects"],
        ),
        ({"project_requirements": {"foo": 1}}, ["body", "project_requirements", "foo"]),
        ({"weights": {"skills": 2}}, ["body", "weights", "skills"]),
        ({"weights": {"charm": 0.5}}, ["body", "weights", "charm"]),
        ({"position": "   "}, ["body", "position"]),
        ({"required_skills": "Python"}, ["body", "required_skills"]),
    ],
)
def test_criteria_validation(hr, patch, loc):
    body = assert_error(hr.post("/position-settings/", {**FULL, **patch}), 422)
    assert loc in [e["loc"] for e in body["errors"]], body["errors"]


def test_skill_both_required_and_optional_is_rejected(hr):
    body = assert_error(
        hr.post("/position-settings/", {**FULL, "optional_skills": ["python"]}), 422
    )
    assert "python" in body["detail"].lower()


def test_unknown_id_is_404(hr):
    assert_error(
        hr.post("/position-settings/", {**FULL, "id": "00000000-0000-0000-0000-000000000000"}),
        404,
    )


def test_rename_onto_existing_title_is_409(hr):
    assert_success(hr.post("/position-settings/", {"position": "A"}), 201)
    b = assert_success(hr.post("/position-settings/", {"position": "B"}), 201)
    assert_error(hr.post("/position-settings/", {"id": b["id"], "position": "a"}), 409)


def test_patch_merges_and_validates(hr):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    url = f"/position-settings/{created['id']}/"
    patched = assert_success(hr.patch(url, {"min_experience": 4, "department": "平台部"}))
    assert patched["criteria"]["min_experience"] == 4
    assert patched["criteria"]["required_skills"] == ["Python", "Django", "PostgreSQL"]
    assert patched["department"] == "平台部" and patched["version"] == 2
    assert_error(hr.patch(url, {"salary_range": [9, 1]}), 422)
    assert_error(hr.patch(url, {"optional_skills": ["Django"]}), 422)
    assert_error(hr.patch(url, {"bogus": True}), 422)


def test_delete_archives_and_keeps_history(hr):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    url = f"/position-settings/{created['id']}/"
    archived = assert_success(hr.delete(url))
    assert archived["is_active"] is False and archived["archived_at"]
    assert assert_success(hr.get(url))["criteria"]["position"] == FULL["position"]
    assert_error(hr.get("/position-settings/"), 404)  # no active position remains
    assert_error(hr.patch(url, {"min_experience": 1}), 409)
    assert_error(hr.post("/position-settings/", {**FULL, "id": created["id"]}), 409)
    # the title is free again for a new active position
    fresh = assert_success(hr.post("/position-settings/", FULL), 201)
    assert fresh["id"] != created["id"]
    listed = assert_success(hr.get("/position-settings/list/?is_active=false"))
    assert [p["id"] for p in listed["items"]] == [created["id"]]


def test_restore_archived_position(hr):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    url = f"/position-settings/{created['id']}/"
    assert_success(hr.delete(url))
    restored = assert_success(hr.patch(url, {"is_active": True}))
    assert restored["is_active"] is True and restored["archived_at"] is None


def test_list_filters(hr):
    assert_success(
        hr.post("/position-settings/", {"position": "Java 工程师", "department": "支付"}), 201
    )
    assert_success(
        hr.post("/position-settings/", {"position": "产品经理", "department": "产品"}), 201
    )
    data = assert_success(hr.get("/position-settings/list/?keyword=java"))
    assert [p["title"] for p in data["items"]] == ["Java 工程师"]
    data = assert_success(hr.get("/position-settings/list/?keyword=产品"))
    assert data["total"] == 1
    data = assert_success(hr.get("/position-settings/list/?is_active=true"))
    assert data["total"] == 2


@pytest.mark.parametrize("role", ["interviewer", "reviewer"])
def test_read_only_roles_cannot_write(client_for, hr, role):
    created = assert_success(hr.post("/position-settings/", FULL), 201)
    client = client_for(role)
    assert_success(client.get("/position-settings/"))
    assert_success(client.get("/position-settings/list/"))
    assert_success(client.get(f"/position-settings/{created['id']}/"))
    assert_error(client.post("/position-settings/", {"position": "X"}), 403)
    assert_error(client.patch(f"/position-settings/{created['id']}/", {"min_experience": 1}), 403)
    assert_error(client.delete(f"/position-settings/{created['id']}/"), 403)


def test_admin_can_write(admin):
    assert_success(admin.post("/position-settings/", FULL), 201)


def test_anonymous_cannot_read(anon):
    assert_error(anon.get("/position-settings/"), 401)


def test_saving_shows_how_each_criterion_will_be_matched(hr):
    """Before any resume is screened, the position says which criteria can only be matched
    loosely (by meaning) and how the others are matched."""
    body = {
        "position": "Java后端开发工程师",
        "required_skills": ["Java/Kotlin", "熟悉分布式系统架构设计"],
        "certifications": ["PMP"],
    }
    created = assert_success(hr.post("/position-settings/", body), 201)
    plan = {item["text"]: item for item in created["matching"]}
    assert (
        plan["Java/Kotlin"]["strategy"] == "alternatives" and plan["Java/Kotlin"]["warning"] is None
    )
    assert "任一即可" in plan["Java/Kotlin"]["how"]
    loose = plan["熟悉分布式系统架构设计"]
    assert loose["loose"] is True and loose["depth"] == "working"
    assert "宽松" in loose["warning"]
    assert plan["PMP"]["kind"] == "certification"
    english = assert_success(
        hr.get(f"/position-settings/{created['id']}/", HTTP_ACCEPT_LANGUAGE="en")
    )
    assert (
        "loosely"
        in {i["text"]: i for i in english["matching"]}["熟悉分布式系统架构设计"]["warning"]
    )
