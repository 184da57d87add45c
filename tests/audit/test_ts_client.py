"""Seed 002 §4.3: its own TypeScript/axios client, unmodified except for the base URL, against a
live ``hrm2 web`` (gunicorn) on a free port with a temporary SQLite var dir.

Needs ``node`` and ``npm`` (skipped cleanly without them); ``npm ci`` runs once into
``tests/audit/ts_client`` (its node_modules and dist are git-ignored).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CLIENT_DIR = Path(__file__).parent / "ts_client"
HRM2 = str(Path(sys.executable).with_name("hrm2"))

# Runs inside ``hrm2 manage shell`` against the server's database: users, one screened-like
# document with three points, and tokens. Prints one JSON line.
SETUP = """
import json
from hrm2.accounts.services import create_user
from hrm2.api.auth import issue_tokens
from hrm2.audit import services as s
owner = create_user(username="uploader", password="Str0ng-enough-pw", role="hr")
stranger = create_user(username="stranger", password="Str0ng-enough-pw", role="hr")
points = [s.PointSpec(key=k, name=k, category="skill", max_score=m) for k, m in
          (("Python", 20), ("Django", 20), ("PMP", 10))]
verdicts = [s.MachineVerdict(point_key=k, result=r, score=v, message="machine") for k, r, v in
            (("Python", "fail", 0), ("Django", "fail", 50), ("PMP", "pass", 100))]
doc = s.record_machine_evaluation(kind="ts", source=None, uploader=owner, points=points,
                                  results=verdicts, checklist="ts")
results = [{"id": r.pk, "point_id": r.point_id} for r in doc.results.order_by("point__order")]
print(json.dumps({"document_id": doc.pk, "results": results,
                  "token": issue_tokens(owner).access,
                  "stranger_token": issue_tokens(stranger).access}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture(scope="module")
def compiled_client():
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to run the seed's TypeScript client")
    installed = CLIENT_DIR / "node_modules" / ".package-lock.json"
    lock = CLIENT_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"],
            cwd=CLIENT_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            pytest.skip(f"npm ci failed (registry unreachable?): {result.stderr[-800:]}")
    tsc = subprocess.run(
        [node, str(CLIENT_DIR / "node_modules" / "typescript" / "bin" / "tsc"), "-p", "."],
        cwd=CLIENT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert tsc.returncode == 0, tsc.stdout + tsc.stderr  # the seed's code type-checks (strict)
    return node


@pytest.fixture
def hrm2_web(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "hrm2.settings", "HRM2_VAR_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "HRM2_ENV"):
        env.pop(name, None)
    subprocess.run([HRM2, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    setup = subprocess.run(
        [HRM2, "manage", "shell", "-c", SETUP],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr
    fixture = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    log_path = tmp_path / "web.log"
    with log_path.open("w") as log:
        web = subprocess.Popen(
            [HRM2, "web", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    status, _body = _get(f"{base}/health/")
                    if status in (200, 503):
                        break
                except (urllib.error.URLError, ConnectionError):
                    pass
                if web.poll() is not None:
                    break
                time.sleep(0.3)
            else:
                pytest.fail(f"web did not start: {log_path.read_text()[-3000:]}")
            assert web.poll() is None, log_path.read_text()[-3000:]
            yield base, fixture
        finally:
            web.terminate()
            try:
                web.wait(timeout=30)
            except subprocess.TimeoutExpired:
                web.kill()
                web.wait(timeout=10)


def test_seed_typescript_client_against_a_hrm2_web(compiled_client, hrm2_web):
    base, fixture = hrm2_web
    run = subprocess.run(
        [compiled_client, "run.cjs"],
        cwd=CLIENT_DIR,
        env={
            **os.environ,
            "HRM2_BASE_URL": base,
            "HRM2_TOKEN": fixture["token"],
            "HRM2_STRANGER_TOKEN": fixture["stranger_token"],
            "HRM2_FIXTURE": json.dumps(fixture),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    first, second, third = fixture["results"]

    # the four functions get the seed's response shapes
    assert out["update"]["success"] is True and out["update"]["message"] == "评查结果更新成功"
    assert out["update"]["data"]["result_id"] == first["id"]
    assert out["update"]["data"]["updated_fields"] == ["evaluated_results", "final_score"]
    created = out["create"]["data"]
    assert created["evaluation_result_id"] == first["id"] and created["edit_audit_status"] == 1
    assert created["document_id"] == fixture["document_id"]
    assert out["updateStatus"]["data"] == {
        "audit_status_id": created["id"],
        "updated_fields": ["edit_audit_status", "message"],
    }
    # the three business scenarios log success, never failure
    assert out["logs"] == [["log", "审核成功"], ["log", "审核成功"], ["log", "文档审核确认成功"]]
    # §6.2: axios sees the seed's statuses and ``detail`` texts
    assert out["missing"] == {"status": 404, "detail": "评查结果 999999 不存在"}
    assert out["forbidden"] == {"status": 403, "detail": "无权修改此评查结果"}

    # and the server really holds what the scenarios did
    status, body = _get(
        f"{base}/admin/v2/evaluations/documents/{fixture['document_id']}", fixture["token"]
    )
    assert status == 200, body
    document = body["data"]
    assert document["audit_status"] == 1
    results = {r["id"]: r for r in document["results"]}
    assert results[second["id"]]["evaluated_results"] == {
        "result": "pass",
        "message": "人工审核通过",
    }
    assert results[second["id"]]["final_score"] == 100
    assert results[third["id"]]["evaluated_results"] == {"result": "fail", "message": "证书缺失"}
    assert (
        results[third["id"]]["final_score"] == 0
        and results[third["id"]]["machine_result"] == "pass"
    )
    status, body = _get(
        f"{base}/admin/v2/evaluation/documents/{fixture['document_id']}/audit-status",
        fixture["token"],
    )
    messages = sorted(item["message"] for item in body["data"]["items"])
    assert messages == sorted(["重新审核后确认通过", "用户确认通过", "用户确认不通过: 证书缺失"])
