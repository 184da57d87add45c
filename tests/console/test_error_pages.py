"""Console errors are HTML pages in the console's look and the reader's language; the API's
errors stay JSON envelopes (unknown URL, refused request, server fault)."""

import pytest

from hrm2.positions import selectors as position_selectors
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

UNKNOWN = "/console/no/such/page/"


def console_page(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert body.startswith("<!doctype html>") and 'class="topbar"' in body  # the console layout
    assert '"success": false' not in body and '"success":false' not in body
    return body


def test_unknown_console_url_is_a_chinese_page_by_default(hr_console):
    body = console_page(hr_console.get(UNKNOWN), 404)
    assert 'lang="zh-Hans"' in body and "页面不存在" in body and "返回控制台" in body
    assert 'aria-current="page"' not in body and "职位" in body  # navigation, nothing current


def test_unknown_console_url_in_english(hr_console):
    body = console_page(hr_console.get(UNKNOWN, HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert 'lang="en"' in body and "Page not found" in body and "Back to the console" in body
    hr_console.post("/console/language/", {"language": "en", "next": "/console/"})  # the switch
    assert "Page not found" in console_page(hr_console.get(UNKNOWN), 404)


def test_signed_out_reader_gets_the_page_too(client):
    body = console_page(client.get(UNKNOWN), 404)
    assert "页面不存在" in body and "退出登录" not in body


def test_expired_form_is_a_403_page(console_for):
    client = console_for("hr", enforce_csrf_checks=True)
    body = console_page(client.post("/console/positions/new/", {"position": "X"}), 403)
    assert "表单已过期" in body


def test_server_fault_is_a_500_page_without_details(console_for, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(position_selectors, "position_list", broken)
    client = console_for("hr", raise_request_exception=False)
    body = console_page(client.get("/console/positions/", HTTP_ACCEPT_LANGUAGE="en"), 500)
    assert "Internal server error" in body and "secret-internal-detail" not in body
    assert "Traceback" not in body


def test_api_errors_stay_json(hr, client_for):
    assert_error(hr.get("/no/such/endpoint/"), 404)
    assert_error(hr.get("/console-like/no/such/page/"), 404)
    interviewer = client_for("interviewer")
    assert_error(interviewer.post("/position-settings/", {"position": "X"}), 403)


def test_wrong_method_is_a_405_page_in_chinese_and_english(hr_console, client):
    body = console_page(hr_console.get("/console/logout/"), 405)
    assert "不支持该请求方法" in body and "此地址不接受这种请求方式" in body
    assert "退出登录" in body  # signed in: navigation
    response = hr_console.get("/console/logout/", HTTP_ACCEPT_LANGUAGE="en")
    body = console_page(response, 405)
    assert response["Allow"] == "POST"
    assert "Method not allowed" in body and "does not accept this kind of request" in body
    assert "此地址" in console_page(client.get("/console/logout/"), 405)  # signed out too


def test_api_wrong_method_stays_json(hr):
    body = assert_error(hr.get("/auth/login/"), 405)
    assert body["success"] is False
