"""Configuration: ``hrm2 check --deploy``, security headers, and no secret in any log line.

``hrm2 check --deploy`` is run for real (a subprocess with its own environment) for a good
production configuration and each way of getting it wrong; the CORS rule is checked in process
(HRM2 ships no CORS middleware). Security headers are checked on successful and error
responses. The log tests capture every record at DEBUG while requests carry a JWT, a password
login, a failed login, a refresh, a forged token, a validation error and a 500, and grep the
records (formatted as text and as JSON, with their tracebacks) and the web server's log for
the tokens, the passwords, the secret key and a candidate's name sent in a query string.
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hrm2.api.logging import JsonFormatter
from hrm2.checks import configuration_problems
from hrm2.cli import web_argv
from tests.conftest import PASSWORD, ApiClient, assert_error, assert_success
from tests.e2e.conftest import e2e, e2e_database_url  # noqa: F401 (fixtures)

HRM2 = str(Path(sys.executable).with_name("hrm2"))
GOOD_SECRET = "q8Vz-3kLm_P0wX7rT2yN9bJc4hF6dS1aE5gU8iO0pQ3tR7vW2xZ"
PRODUCTION = {
    "HRM2_ENV": "production",
    "HRM2_SECRET_KEY": GOOD_SECRET,
    "HRM2_ALLOWED_HOSTS": "hr.example.com",
    "HRM2_BEHIND_TLS_PROXY": "true",
}


def _check_deploy(overrides: dict[str, str | None], tmp_path) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("HRM2_") and k != "DJANGO_SETTINGS_MODULE"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "hrm2.settings", "HRM2_VAR_DIR": str(tmp_path)})
    for key, value in {**PRODUCTION, **overrides}.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [HRM2, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_accepts_a_secure_production_configuration(tmp_path):
    result = _check_deploy({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Deployment configuration OK" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"HRM2_SECRET_KEY": None}, "HRM2_SECRET_KEY"),  # the generated development key
        ({"HRM2_SECRET_KEY": "changeme"}, "HRM2_SECRET_KEY"),
        ({"HRM2_DEBUG": "true"}, "HRM2_DEBUG"),
        ({"HRM2_ALLOWED_HOSTS": "*"}, "HRM2_ALLOWED_HOSTS"),
        ({"HRM2_SECURE_SSL_REDIRECT": "false"}, "HRM2_SECURE_SSL_REDIRECT"),
        ({"HRM2_SESSION_COOKIE_SECURE": "false"}, "HRM2_SESSION_COOKIE_SECURE"),
        ({"HRM2_CSRF_COOKIE_SECURE": "false"}, "HRM2_CSRF_COOKIE_SECURE"),
        ({"HRM2_HSTS_SECONDS": "0"}, "HRM2_HSTS_SECONDS"),
        ({"HRM2_BEHIND_TLS_PROXY": None}, "HRM2_BEHIND_TLS_PROXY"),
        ({"HRM2_ENV": None}, "HRM2_ENV must be production"),
    ],
    ids=lambda value: str(value) if isinstance(value, str) else None,
)
def test_check_deploy_refuses(overrides, expected, tmp_path):
    result = _check_deploy(overrides, tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr


def test_plain_check_still_passes_in_development(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HRM2_")}
    env.update({"DJANGO_SETTINGS_MODULE": "hrm2.settings", "HRM2_VAR_DIR": str(tmp_path)})
    result = subprocess.run([HRM2, "check"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Configuration OK" in result.stdout


def test_wildcard_cors_with_credentials_is_refused(settings):
    settings.HRM2_ENV = "production"
    settings.SECRET_KEY = settings.JWT_SIGNING_KEY = GOOD_SECRET
    settings.ALLOWED_HOSTS = ["hr.example.com"]
    settings.SECURE_SSL_REDIRECT = settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert configuration_problems(deploy=True) == []  # no CORS middleware: nothing to refuse
    settings.CORS_ALLOW_CREDENTIALS = True
    settings.CORS_ALLOWED_ORIGINS = ["https://hr.example.com"]
    assert configuration_problems(deploy=True) == []
    settings.CORS_ALLOWED_ORIGINS = ["*"]
    assert any("CORS" in p for p in configuration_problems(deploy=True))
    settings.CORS_ALLOWED_ORIGINS = []
    settings.CORS_ALLOW_ALL_ORIGINS = True
    assert any("CORS" in p for p in configuration_problems(deploy=True))


# --- security headers ---------------------------------------------------------------------------

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.mark.django_db
def test_security_headers_on_api_responses(client_for, anon, monkeypatch):
    hr = client_for("hr")
    monkeypatch.setattr(
        "hrm2.resumes.api.selectors.resume_list",
        lambda **kwargs: (_ for _ in ()).throw(RuntimeError("boom")),
    )
    responses = {
        "health": anon.get("/health/"),
        "me": hr.get("/auth/me/"),
        "openapi": anon.get("/api/openapi.json"),
        "401": anon.get("/auth/me/"),
        "403": client_for("reviewer").post("/position-settings/", {}),
        "404": hr.get("/no/such/path/"),
        "405": hr.put("/auth/me/", {}),
        "413": anon.post("/auth/login/", "x" * (3 * 1024 * 1024), content_type="text/plain"),
        "422": anon.post("/auth/login/", {}),
        "500": hr.get("/resume-screening/data/"),
    }
    for name, response in responses.items():
        if name[0].isdigit():
            assert response.status_code == int(name), (name, response.content[:200])
        for header, value in HEADERS.items():
            assert response.get(header) == value, (name, header, dict(response.headers))


# --- no secret in the logs ----------------------------------------------------------------------


@pytest.mark.django_db
def test_secrets_and_tokens_never_reach_the_logs(caplog, make_user, settings, monkeypatch):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.db.backends", "hrm2", "celery"):
        caplog.set_level(logging.DEBUG, logger=name)
    make_user("hr", username="logcheck")
    anon = ApiClient()
    wrong = "Wr0ng-password-77"
    tokens = assert_success(
        anon.post("/auth/login/", {"username": "logcheck", "password": PASSWORD})
    )
    access, refresh = tokens["access"], tokens["refresh"]
    assert_error(anon.post("/auth/login/", {"username": "logcheck", "password": wrong}), 401)
    assert_error(anon.post("/auth/login/", {"username": ["x"], "password": wrong}), 422)
    client = ApiClient(token=access)
    assert_success(client.get("/auth/me/"))
    assert_success(client.get("/resume-screening/data/", {"candidate_name": "张伟"}))
    assert_success(anon.post("/auth/refresh/", {"refresh": refresh}))
    assert_error(ApiClient(token=access[:-6] + "AAAAAA").get("/auth/me/"), 401)
    assert_error(ApiClient(token=refresh).get("/auth/me/"), 401)  # wrong token type
    monkeypatch.setattr(
        "hrm2.resumes.api.selectors.resume_list",
        lambda **kwargs: (_ for _ in ()).throw(RuntimeError("database exploded")),
    )
    error = client.get("/resume-screening/data/")
    assert_error(error, 500)

    assert caplog.records, "the requests logged something"
    assert any(r.exc_info for r in caplog.records), "the 500 was logged with its traceback"
    formatter = JsonFormatter()
    lines = [caplog.text]
    for record in caplog.records:
        lines.append(formatter.format(record))
        lines.append(repr(record.__dict__))
    logged = "\n".join(lines)
    secrets = {
        "access token": access,
        "access signature": access.rsplit(".", 1)[1],
        "refresh token": refresh,
        "password": PASSWORD,
        "wrong password": wrong,
        "SECRET_KEY": settings.SECRET_KEY,
        "JWT signing key": settings.JWT_SIGNING_KEY,
    }
    leaked = [name for name, value in secrets.items() if value in logged]
    assert not leaked, f"found in the logs: {leaked}"
    assert PASSWORD not in error.content.decode() and wrong not in error.content.decode()
    print(f"logs: {len(caplog.records)} records grepped for {len(secrets)} secrets; 0 found")


@pytest.mark.django_db
def test_access_log_has_method_path_status_and_no_query_or_headers(hr, caplog):
    argv = web_argv("127.0.0.1", 8000, 1, 1)
    assert "--no-access-log" in argv  # the server's own log could hold the query string
    token = hr.defaults["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    with caplog.at_level(logging.INFO, logger="hrm2.access"):
        assert_success(hr.get("/resume-screening/data/?candidate_name=Zhang-Wei-7f3a"))
    [record] = [r for r in caplog.records if r.name == "hrm2.access"]
    line = record.getMessage()
    assert '"GET /resume-screening/data/ ' in line and '" 200 ' in line, line
    assert "Zhang-Wei-7f3a" not in line and token not in line and "candidate_name" not in line


@pytest.mark.e2e
def test_real_web_logs_hold_no_secret(e2e):  # noqa: F811 (the e2e fixture)
    from tests.reliability.test_faults import PASSWORD as FAULT_PASSWORD
    from tests.reliability.test_faults import SETUP_CODE, Web, _json_out

    _json_out(e2e, SETUP_CODE, "0", "no", FAULT_PASSWORD)
    web = Web(e2e)
    try:
        access = web.token()
        status, _ = web.request(
            "POST", "/auth/login/", {"username": "fault-hr", "password": "Wr0ng-password-77"}
        )
        assert status == 401
        marker = "Zhang-Wei-7f3a"
        auth = {"Authorization": f"Bearer {access}"}
        assert (
            web.request("GET", f"/resume-screening/data/?candidate_name={marker}", None, auth)[0]
            == 200
        )
        assert web.request("GET", "/auth/me/", None, auth)[0] == 200
    finally:
        web.kill()
    log = web.log_path.read_text(errors="replace")
    assert '"GET /resume-screening/data/ HTTP/1.1" 200' in log, log[-2000:]
    secret_key = (e2e.var_dir / "secret_key").read_text().strip()
    for name, value in {
        "access token": access,
        "password": FAULT_PASSWORD,
        "wrong password": "Wr0ng-password-77",
        "SECRET_KEY": secret_key,
        "query string": marker,
    }.items():
        assert value not in log, f"{name} found in the web log"
