"""The ``hrm2`` command: createuser, check, and ``serve`` as a real supervised process tree."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hrm2.cli import main
from tests.live import wait_for_http

HRM2 = str(Path(sys.executable).with_name("hrm2"))


@pytest.mark.django_db
def test_createuser_reads_password_from_stdin(monkeypatch, capsys):
    from io import StringIO

    from hrm2.accounts.models import User

    monkeypatch.setattr("sys.stdin", StringIO("Str0ng-enough-pw\n"))
    assert (
        main(["createuser", "--username", "ivy", "--password", "-", "--role", "interviewer"]) == 0
    )
    user = User.objects.get(username="ivy")
    assert user.role == "interviewer" and user.check_password("Str0ng-enough-pw")
    assert main(["createuser", "--username", "ivy", "--password", "x" * 12, "--role", "hr"]) == 1
    assert "ivy" in capsys.readouterr().err


@pytest.mark.django_db
def test_createuser_rejects_weak_password(capsys):
    assert main(["createuser", "--username", "w", "--password", "123", "--role", "hr"]) == 1


@pytest.mark.django_db
def test_admin_role_gets_django_admin_access():
    from hrm2.accounts.models import User

    assert (
        main(["createuser", "--username", "root", "--password", "Adm1n-pass-wd", "--role", "admin"])
        == 0
    )
    user = User.objects.get(username="root")
    assert user.is_superuser and user.is_staff


def _run_check(env_overrides: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrm2.settings", "HRM2_VAR_DIR": str(tmp_path)}
    env.pop("HRM2_SECRET_KEY", None)
    env.update(env_overrides)
    return subprocess.run([HRM2, "check"], env=env, capture_output=True, text=True, timeout=60)


def test_check_refuses_insecure_secret_in_production(tmp_path):
    result = _run_check(
        {"HRM2_ENV": "production", "HRM2_ALLOWED_HOSTS": "hr.example.com"}, tmp_path
    )
    assert result.returncode == 1
    assert "HRM2_SECRET_KEY" in result.stderr
    weak = _run_check(
        {
            "HRM2_ENV": "production",
            "HRM2_SECRET_KEY": "changeme",
            "HRM2_ALLOWED_HOSTS": "hr.example.com",
        },
        tmp_path,
    )
    assert weak.returncode == 1


def test_check_accepts_a_production_configuration(tmp_path):
    result = _run_check(
        {
            "HRM2_ENV": "production",
            "HRM2_SECRET_KEY": "q8Vz-3kLm_P0wX7rT2yN9bJc4hF6dS1aE5gU8iO0pQ3tR7vW2xZ",
            "HRM2_ALLOWED_HOSTS": "hr.example.com",
        },
        tmp_path,
    )
    assert result.returncode == 0, result.stderr


def test_check_in_development_accepts_generated_key(tmp_path):
    assert _run_check({}, tmp_path).returncode == 0
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            children |= {child} | _descendants(child)
    return children


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.e2e
def test_serve_starts_web_and_worker_and_stops_cleanly_on_ctrl_c(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrm2.settings",
        "HRM2_VAR_DIR": str(tmp_path),
        "HRM2_WORKER_HEARTBEAT_SECONDS": "1",
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [HRM2, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _status, raw = wait_for_http(
            f"http://127.0.0.1:{port}/health/",
            timeout=60,
            proc=serve,
            log_path=tmp_path / "serve.log",
        )
        body = json.loads(raw)
        assert body["data"]["worker"]["ok"] and body["data"]["database"]["detail"] == "sqlite"
        assert (tmp_path / "hrm2.sqlite3").exists()
        assert (tmp_path / "celery-broker.sqlite3").exists()
        children = _descendants(serve.pid)
        assert len(children) >= 3  # gunicorn master + worker, celery main + pool

        serve.send_signal(signal.SIGINT)
        assert serve.wait(timeout=30) == 0
        time.sleep(0.5)
        assert not [pid for pid in children if _alive(pid)], "orphan processes left behind"
    finally:
        if serve.poll() is None:
            serve.kill()
        log.close()


HEAVY_MODULES = (
    "numpy",
    "cv2",
    "av",
    "parselmouth",
    "webrtcvad",
    "jieba",
    "fpdf",
    "docx",
    "pdfplumber",
    "pypdf",
    "fontTools",
    "PIL",
)


def test_web_process_does_not_load_ai_or_media_libraries(tmp_path):
    """The URL table imports every app; none may pull in the heavy libraries at start-up."""
    code = (
        "import sys, django; django.setup(); import hrm2.urls; "
        f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrm2.settings", "HRM2_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.strip() == ""
