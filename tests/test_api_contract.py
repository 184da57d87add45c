"""The one API contract: envelope on success and on every error class, pagination, i18n."""

import pytest

from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

CRITERIA = {"position": "后端工程师", "required_skills": ["Python"]}


def test_success_envelope_and_request_id(hr):
    response = hr.get("/auth/me/", headers={"X-Request-ID": "abc-123"})
    data = assert_success(response)
    assert data["role"] == "hr"
    assert response["X-Request-ID"] == "abc-123"


def test_request_id_generated_when_missing_or_invalid(hr):
    generated = hr.get("/auth/me/")["X-Request-ID"]
    assert len(generated) == 32
    hostile = hr.get("/auth/me/", headers={"X-Request-ID": "bad id\nwith newline"})
    assert hostile["X-Request-ID"] != "bad id\nwith newline"


def test_unknown_url_is_json_404(hr):
    assert_error(hr.get("/no/such/endpoint/"), 404)


def test_malformed_uuid_in_path_is_json_404(hr):
    assert_error(hr.get("/position-settings/not-a-uuid/"), 404)


def test_wrong_method_is_json_405(hr):
    response = hr.put("/auth/me/", {})
    assert_error(response, 405)
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/auth/me", "/auth/me/"])
def test_paths_work_with_and_without_trailing_slash(hr, path):
    response = hr.get(path)
    assert_success(response)


def test_post_without_trailing_slash_is_not_redirected(admin):
    response = admin.post("/position-settings", CRITERIA)
    assert_success(response, 201)


def test_bad_json_is_400(admin):
    body = assert_error(admin.post("/position-settings/", "{not json"), 400)
    assert body["detail"]


def test_json_array_body_is_422(admin):
    body = assert_error(admin.post("/position-settings/", [1, 2, 3]), 422)
    assert body["errors"][0]["loc"] == ["body"]


def test_text_plain_body_is_415(admin):
    assert_error(admin.post("/position-settings/", "position=x", content_type="text/plain"), 415)


def test_ten_megabyte_body_is_413(admin):
    huge = '{"position": "' + "x" * (10 * 1024 * 1024) + '"}'
    assert_error(admin.post("/position-settings/", huge), 413)


def test_validation_error_lists_field_locations(admin):
    body = assert_error(admin.post("/position-settings/", {"min_experience": -1}), 422)
    locs = [tuple(e["loc"]) for e in body["errors"]]
    assert ("body", "position") in locs
    assert ("body", "min_experience") in locs
    assert all({"loc", "msg", "type"} == set(e) for e in body["errors"])


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page_size=0",
        "page_size=1000",
        "page_size=x",
        "page=99999999999",
    ],
)
def test_bad_pagination_is_422(hr, query):
    body = assert_error(hr.get(f"/position-settings/list/?{query}"), 422)
    assert body["errors"][0]["loc"][0] == "query"


def test_pagination_shape_and_totals(admin):
    for i in range(25):
        assert_success(admin.post("/position-settings/", {"position": f"岗位{i:02d}"}), 201)
    data = assert_success(admin.get("/position-settings/list/?page=2&page_size=10"))
    assert set(data) == {"items", "total", "page", "page_size", "pages"}
    assert (data["total"], data["page"], data["page_size"], data["pages"]) == (25, 2, 10, 3)
    assert len(data["items"]) == 10
    last = assert_success(admin.get("/position-settings/list/?page=3&page_size=10"))
    assert len(last["items"]) == 5
    beyond = assert_success(admin.get("/position-settings/list/?page=9&page_size=10"))
    assert beyond["items"] == [] and beyond["total"] == 25
    default = assert_success(admin.get("/position-settings/list/"))
    assert default["page_size"] == 20 and len(default["items"]) == 20


def test_messages_default_to_chinese_and_switch_to_english(hr):
    zh = hr.get("/position-settings/")
    en = hr.get("/position-settings/", headers={"Accept-Language": "en"})
    assert_error(zh, 404)
    assert_error(en, 404)
    assert zh.json()["message"] != en.json()["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh.json()["message"])
    assert en.json()["message"].isascii()


def test_unhandled_error_is_json_500_without_traceback(hr, monkeypatch):
    from hrm2.positions import selectors

    def explode(**kwargs):
        raise RuntimeError("secret-internal-detail /etc/passwd")

    monkeypatch.setattr(selectors, "current_position", explode)
    client = hr
    client.raise_request_exception = False
    body = assert_error(client.get("/position-settings/"), 500)
    assert "secret-internal-detail" not in str(body)
    assert "Traceback" not in str(body)


def test_openapi_documents_the_envelope(anon):
    response = anon.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "ErrorEnvelope" in schema["components"]["schemas"]
    login = schema["paths"]["/auth/login/"]["post"]["responses"]
    ok = login["200"]["content"]["application/json"]["schema"]
    assert set(ok["required"]) == {"success", "code", "message", "data"}
    assert "default" in login


def test_docs_served_from_local_static_files(anon):
    response = anon.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_path_aliases_and_slashes(settings):
    from hrm2.api.middleware import _spellings

    aliases = {"/admin/v2/evaluations/": "/admin/v2/evaluation/"}
    assert _spellings("/admin/v2/evaluations/results/5", aliases) == [
        "/admin/v2/evaluations/results/5/",
        "/admin/v2/evaluation/results/5/",
        "/admin/v2/evaluation/results/5",
    ]
    assert _spellings("/x/y/", aliases) == ["/x/y"]


def test_sessions_serve_the_session_pages_only(make_user, client):
    """The API signs in by JWT: Django's session, auth and messages middlewares run for the admin
    and console pages only, so an API request has no session to read or save, even with a
    signed-in console session cookie."""
    client.force_login(make_user("admin"))
    console = client.get("/console/")
    assert console.wsgi_request.session.get("_auth_user_id")
    assert console.wsgi_request.user.is_authenticated
    api = client.get("/resume-screening/data/")
    assert not hasattr(api.wsgi_request, "session")
    assert api.status_code == 401  # the session cookie does not sign in to the API
    assert "sessionid" not in api.cookies
