"""Resume data and groups (seed 000 §3.2): creation, dedup per position, lists, groups."""

import pytest

from hrm2.resumes.naming import name_from_text
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

RESUME = "张伟\n电话：138\n2019.03-2022.06 某科技公司 后端工程师\n熟悉 Python、Django、PostgreSQL"


def _create(client, **fields):
    body = {"position_title": "后端工程师", "resume_content": RESUME, **fields}
    return client.post("/resume-screening/data/", body)


def test_create_with_seed_fields_creates_the_position(hr):
    data = assert_success(_create(hr, position_details={"required_skills": ["Python"]}), 201)
    assert data["candidate_name"] == "张伟" and data["status"] == "pending"
    position = assert_success(hr.get(f"/position-settings/{data['position_id']}/"))
    assert position["title"] == "后端工程师"
    assert position["criteria"]["required_skills"] == ["Python"]


def test_create_with_position_id(hr):
    position = assert_success(hr.post("/position-settings/", {"position": "数据分析师"}), 201)
    data = assert_success(
        hr.post(
            "/resume-screening/data/",
            {"position_id": position["id"], "resume_content": "Jane Doe\nSQL, Excel"},
        ),
        201,
    )
    assert data["position_id"] == position["id"] and data["candidate_name"] == "Jane Doe"


def test_invalid_position_details_are_422_with_location(hr):
    body = assert_error(_create(hr, position_details={"min_experience": -3}), 422)
    assert ["body", "position_details", "min_experience"] in [e["loc"] for e in body["errors"]]


@pytest.mark.parametrize(
    "body",
    [
        {"resume_content": RESUME},
        {"position_title": "X", "resume_content": "   "},
        {"position_title": "X"},
        {"position_title": "X", "resume_content": 123},
        {"position_title": "X", "resume_content": RESUME, "surprise": 1},
    ],
)
def test_bad_bodies_are_422(hr, body):
    assert_error(hr.post("/resume-screening/data/", body), 422)


def test_unknown_position_id_is_404(hr):
    assert_error(
        hr.post(
            "/resume-screening/data/",
            {"position_id": "00000000-0000-0000-0000-000000000001", "resume_content": RESUME},
        ),
        404,
    )


def test_dedup_is_per_position(hr):
    first = assert_success(_create(hr), 201)
    body = assert_error(_create(hr, resume_content=RESUME.replace("\n", "\n\n  ")), 409)
    assert body["errors"][0]["existing_id"] == first["id"]
    other = assert_success(_create(hr, position_title="架构师"), 201)
    assert other["id"] != first["id"]
    listed = assert_success(hr.get("/resume-screening/data/"))
    assert listed["total"] == 2


def test_list_filters_and_detail(hr):
    a = assert_success(_create(hr, candidate_name="李雷"), 201)
    assert_success(_create(hr, candidate_name="韩梅梅", resume_content="韩梅梅 Java"), 201)
    assert_success(_create(hr, position_title="产品经理", resume_content="王五 产品"), 201)
    assert assert_success(hr.get("/resume-screening/data/?candidate_name=李"))["total"] == 1
    by_title = assert_success(hr.get("/resume-screening/data/?position_title=后端"))
    assert by_title["total"] == 2
    pos = assert_success(hr.get(f"/resume-screening/data/?position_id={a['position_id']}"))
    assert pos["total"] == 2
    assert assert_success(hr.get("/resume-screening/data/?status=pending"))["total"] == 3
    assert assert_success(hr.get("/resume-screening/data/?min_score=50"))["total"] == 0
    assert_error(hr.get("/resume-screening/data/?status=nonsense"), 422)
    assert_error(hr.get("/resume-screening/data/?min_score=abc"), 422)
    detail = assert_success(hr.get(f"/resume-screening/reports/{a['id']}/detail/"))
    assert detail["content"] == RESUME and detail["report"] is None
    assert_error(
        hr.get("/resume-screening/reports/00000000-0000-0000-0000-000000000000/detail/"), 404
    )


def test_read_only_roles(client_for, hr):
    assert_success(_create(hr), 201)
    reviewer = client_for("reviewer")
    assert assert_success(reviewer.get("/resume-screening/data/"))["total"] == 1
    assert_error(_create(reviewer, position_title="Y"), 403)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("个人简历\n姓名：王小明\n电话", "王小明"),
        ("Name: John Smith\nEmail: j@x.com", "John Smith"),
        ("\n  李四 \n 求职意向：后端", "李四"),
        ("Curriculum Vitae\nMary Ann Jones\nSkills", "Mary Ann Jones"),
        ("熟练掌握 Python 与 Django 框架开发", None),
    ],
)
def test_name_extraction(text, name):
    assert name_from_text(text) == name


def _three_resumes(hr):
    return [
        assert_success(_create(hr, resume_content=f"候选人{i}\nPython {i}"), 201)["id"]
        for i in range(3)
    ]


def test_group_lifecycle(hr):
    ids = _three_resumes(hr)
    created = assert_success(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "第一批", "description": "校招", "resume_data_ids": ids[:2]},
        ),
        201,
    )
    assert created["resume_count"] == 2 and created["status"] == "pending"
    gid = created["group_id"]
    added = assert_success(
        hr.post("/resume-screening/groups/add-resume/", {"group_id": gid, "resume_data_id": ids[2]})
    )
    assert added["resume_count"] == 3
    assert_error(
        hr.post(
            "/resume-screening/groups/add-resume/", {"group_id": gid, "resume_data_id": ids[2]}
        ),
        409,
    )
    removed = assert_success(
        hr.post(
            "/resume-screening/groups/remove-resume/", {"group_id": gid, "resume_data_id": ids[0]}
        )
    )
    assert removed["resume_count"] == 2
    assert_error(
        hr.post(
            "/resume-screening/groups/remove-resume/", {"group_id": gid, "resume_data_id": ids[0]}
        ),
        404,
    )
    status = assert_success(
        hr.post(
            "/resume-screening/groups/set-status/",
            {"group_id": gid, "status": "interview_analysis"},
        )
    )
    assert status["status"] == "interview_analysis"
    assert_error(
        hr.post("/resume-screening/groups/set-status/", {"group_id": gid, "status": "bogus"}), 422
    )
    detail = assert_success(hr.get(f"/resume-screening/groups/{gid}/?include_resumes=true"))
    assert detail["summary"]["total_resumes"] == 2
    assert sorted(r["id"] for r in detail["group"]["resumes"]) == sorted(ids[1:])
    plain = assert_success(hr.get(f"/resume-screening/groups/{gid}/"))
    assert plain["group"]["resumes"] is None
    listed = assert_success(hr.get("/resume-screening/groups/?include_resumes=true"))
    assert listed["total"] == 1 and len(listed["items"][0]["resumes"]) == 2
    assert assert_success(hr.get("/resume-screening/groups/?status=completed"))["total"] == 0
    by_member = assert_success(hr.get(f"/resume-screening/data/?group_id={gid}"))
    assert by_member["total"] == 2


def test_group_rejects_resumes_of_another_position(hr):
    ids = _three_resumes(hr)
    other = assert_success(_create(hr, position_title="测试工程师"), 201)["id"]
    body = assert_error(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "混合", "resume_data_ids": [*ids, other]},
        ),
        422,
    )
    assert other in body["errors"][0]["msg"] and "属于其他岗位" in body["errors"][0]["msg"]
    gid = assert_success(
        hr.post(
            "/resume-screening/groups/create/", {"group_name": "A", "resume_data_ids": ids[:1]}
        ),
        201,
    )["group_id"]
    assert_error(
        hr.post("/resume-screening/groups/add-resume/", {"group_id": gid, "resume_data_id": other}),
        422,
    )


def test_group_with_unknown_resume_is_404(hr):
    ids = _three_resumes(hr)
    missing = "00000000-0000-0000-0000-00000000abcd"
    body = assert_error(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "A", "resume_data_ids": [ids[0], missing]},
        ),
        404,
    )
    assert body["errors"][0]["msg"] == f"简历 {missing} 不存在"
    assert_error(hr.get(f"/resume-screening/groups/{missing}/"), 404)
    assert_error(
        hr.post("/resume-screening/groups/create/", {"group_name": "A", "resume_data_ids": []}), 422
    )


def test_get_does_not_write(hr, django_assert_max_num_queries):
    ids = _three_resumes(hr)
    gid = assert_success(
        hr.post("/resume-screening/groups/create/", {"group_name": "A", "resume_data_ids": ids}),
        201,
    )["group_id"]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert_success(hr.get(f"/resume-screening/groups/{gid}/?include_resumes=true"))
        assert_success(hr.get("/resume-screening/groups/?include_resumes=true"))
        assert_success(hr.get("/resume-screening/data/"))
    writes = [
        q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert len(queries) <= 12  # no N+1: a handful of queries whatever the group size
