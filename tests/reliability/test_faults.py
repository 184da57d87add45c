"""Faults with real processes: a worker or the web server killed with SIGKILL, the broker down.

Built on ``tests/e2e/conftest.py`` (fresh var dir and database per test, workers in their own
process group). Each test is bounded in time and prints its figures.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import time
from contextlib import suppress
from pathlib import Path

import pytest

from tests.e2e.conftest import E2E, HRM2, PYTHON, wait_for

pytestmark = pytest.mark.e2e

RESUMES = 500
PASSWORD = "Fault-pass-123"

# Run in a subprocess against the test's database: an hr user, a position, N resumes, and
# (argv[2] == "submit") a screening task over them; prints one JSON line.
SETUP_CODE = """
import json, sys
import django
django.setup()
from django.db import transaction
from hrm2.accounts.services import create_user
from hrm2.positions.schemas import CriteriaIn
from hrm2.positions.services import save_criteria
from hrm2.resumes.services import create_resume
from hrm2.screening.schemas import ScreeningIn
from hrm2.screening.services import submit_screening

count, submit = int(sys.argv[1]), sys.argv[2] == "submit"
user = create_user(username="fault-hr", password=sys.argv[3], role="hr")
criteria = CriteriaIn(
    position="Backend", required_skills=["Python", "Django"], optional_skills=["Redis"],
    min_experience=3,
)
position, _ = save_criteria(criteria=criteria, user=user)
filler = "Worked on order, payment and search services with Python, Django and Redis. " * 60
ids = [
    str(create_resume(
        position=position, user=user, candidate_name=f"Candidate {i}",
        content=f"Candidate {i}\\n2015-2024 backend engineer, {i % 9 + 1} years\\n{filler}",
    ).pk)
    for i in range(count)
]
task_id = None
if submit:
    with transaction.atomic():
        task = submit_screening(
            data=ScreeningIn(position_id=position.pk, resume_data_ids=ids), user=user,
            language="en",
        )
    task_id = str(task.pk)
print(json.dumps({"position_id": str(position.pk), "resume_ids": ids, "task_id": task_id}))
"""

# Counts straight from the database (Django, in a subprocess): rows per resume for a task.
COUNT_CODE = """
import json, sys
import django
django.setup()
from django.db.models import Count
from hrm2.audit.models import Document
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport

task = sys.argv[1] if sys.argv[1] != "-" else None
reports = ScreeningReport.objects.filter(task_id=task)
per_resume = reports.values("resume_id").annotate(n=Count("id")).values_list("n", flat=True)
print(json.dumps({
    "reports": reports.count(),
    "per_resume": sorted(set(per_resume)),
    "statuses": sorted(set(reports.values_list("status", flat=True))),
    "documents": Document.objects.count(),
    "resumes": Resume.objects.count(),
    "resume_files": Resume.objects.exclude(original_file="").count(),
}))
"""


def _json_out(e2e_env: E2E, code: str, *args: str, timeout: float = 120) -> dict:
    result = e2e_env.run([PYTHON, "-c", code, *args], timeout=timeout)
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Web:
    """``hrm2 web`` (gunicorn) on a free loopback port, in its own process group."""

    def __init__(self, e2e_env: E2E, env: dict | None = None) -> None:
        self.port = free_port()
        self.log_path = e2e_env.tmp_path / f"web-{self.port}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                [HRM2, "web", "--host", "127.0.0.1", "--port", str(self.port), "--workers", "1"],
                env={**e2e_env.env, **(env or {})},
                cwd=e2e_env.tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self._up, timeout=40, what="hrm2 web to answer")

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"hrm2 web exited: {self.log_path.read_text(errors='replace')}")
        with suppress(OSError):
            socket.create_connection(("127.0.0.1", self.port), 0.5).close()
            return True
        return False

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            payload = json.dumps(body).encode() if body is not None else None
            all_headers = {"Content-Type": "application/json", **(headers or {})}
            conn.request(method, path, payload, all_headers)
            response = conn.getresponse()
            return response.status, json.loads(response.read() or b"null")
        finally:
            conn.close()

    def token(self) -> str:
        status, body = self.request(
            "POST", "/auth/login/", {"username": "fault-hr", "password": PASSWORD}
        )
        assert status == 200, body
        return body["data"]["access"]

    def kill(self) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)


@pytest.fixture
def webs():
    started: list[Web] = []
    yield started
    for web in started:
        web.kill()


def test_worker_sigkill_mid_screening_of_500_resumes(e2e):
    setup = _json_out(e2e, SETUP_CODE, str(RESUMES), "submit", PASSWORD)
    task_id = setup["task_id"]
    worker_a = e2e.start_worker("A")
    # Kill as soon as some, not all, resumes are done.
    job = wait_for(
        lambda: (j := e2e.read_job(task_id))["processed"] > 0 and j,
        timeout=60,
        what="the screening job to make progress on worker A",
        interval=0.02,
    )
    worker_a.kill()
    done_by_a = e2e.read_job(task_id)["processed"]
    assert job["status"] == "running" and 0 < done_by_a < RESUMES, (job, done_by_a)
    killed_at = time.monotonic()
    e2e.start_worker("B")
    final = wait_for(
        lambda: (j := e2e.read_job(task_id))["status"] in ("completed", "failed") and j,
        timeout=120,
        what="worker B to finish the screening job",
        interval=0.2,
    )
    counts = _json_out(e2e, COUNT_CODE, task_id)
    assert final["status"] == "completed" and final["attempts"] == 2, final
    assert final["processed"] == RESUMES and final["progress"] == 100, final
    assert counts["reports"] == RESUMES and counts["per_resume"] == [1], counts
    assert counts["statuses"] == ["completed"], counts
    # One audit document per screened resume: no step was recorded twice.
    assert counts["documents"] == RESUMES, counts
    print(
        f"faults: worker killed after {done_by_a}/{RESUMES} resumes; recovered in "
        f"{time.monotonic() - killed_at:.1f}s; {counts['reports']} reports, 1 per resume"
    )


def test_web_sigkill_during_multipart_upload(e2e, webs):
    _json_out(e2e, SETUP_CODE, "0", "-", PASSWORD)
    web = Web(e2e, env={"TMPDIR": str(e2e.tmp_path)})
    webs.append(web)
    token = web.token()
    boundary = "hrm2fault"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="position_title"\r\n\r\nDev\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="cv.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    file_size = 8 * 1024 * 1024
    tail = f"\r\n--{boundary}--\r\n".encode()
    sock = socket.create_connection(("127.0.0.1", web.port), 10)
    request = (
        "POST /resume-screening/data/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {len(head) + file_size + len(tail)}\r\n\r\n"
    ).encode()
    sock.sendall(request + head)
    line = b"Python developer with Django and Redis experience.\n"
    sent = 0
    while sent < file_size // 2:  # half the file, then the server dies
        sock.sendall(line * 1000)
        sent += len(line) * 1000
    time.sleep(0.5)
    web.kill()
    sock.close()
    counts = _json_out(e2e, COUNT_CODE, "-")
    assert counts["resumes"] == 0, counts
    media = Path(e2e.var_dir) / "media"
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert stored == [], stored
    # A new web process serves normally afterwards.
    web2 = Web(e2e)
    webs.append(web2)
    assert web2.request("GET", "/auth/me/", headers={"Authorization": f"Bearer {token}"})[0] == 200
    print(f"faults: web killed after {sent} of {file_size} file bytes; 0 resumes, 0 files")


def test_broker_down_then_back(e2e, webs, tmp_path):
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    e2e.env["CELERY_BROKER_URL"] = broker
    e2e.env["HRM2_JOB_PENDING_REQUEUE_AFTER"] = "2"
    setup = _json_out(e2e, SETUP_CODE, "5", "-", PASSWORD)
    web = Web(e2e)
    webs.append(web)
    token = web.token()
    started = time.monotonic()
    status, body = web.request(
        "POST",
        "/resume-screening/screening/",
        {"position_id": setup["position_id"], "resume_data_ids": setup["resume_ids"]},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    elapsed = time.monotonic() - started
    assert status in (202, 503), body
    assert body["code"] == status and elapsed < 10, (elapsed, body)
    if status == 503:
        print(f"faults: broker down → 503 in {elapsed:.2f}s")
        return
    task_id = body["data"]["task_id"]
    assert e2e.read_job(task_id)["status"] == "pending"
    # The broker comes back on the same port; a worker starts; the pending job is re-sent.
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        wait_for(
            lambda: not socket.socket().connect_ex(("127.0.0.1", port)),
            timeout=10,
            what="redis to listen",
        )
        back_at = time.monotonic()
        e2e.start_worker("A")
        final = wait_for(
            lambda: (j := e2e.read_job(task_id))["status"] in ("completed", "failed") and j,
            timeout=60,
            what="the re-sent job to complete",
            interval=0.2,
        )
        assert final["status"] == "completed" and final["processed"] == 5, final
        print(
            f"faults: broker down → 202 in {elapsed:.2f}s; job completed "
            f"{time.monotonic() - back_at:.1f}s after the broker came back"
        )
    finally:
        redis.kill()
        redis.wait(timeout=10)


def test_database_down_answers_503(e2e, webs):
    _json_out(e2e, SETUP_CODE, "0", "-", PASSWORD)
    web = Web(e2e)
    webs.append(web)
    token = web.token()
    closed = free_port()
    down = Web(
        e2e,
        env={
            "DATABASE_URL": f"postgres://hrm2:x@127.0.0.1:{closed}/hrm2",
            "HRM2_DB_CONNECT_TIMEOUT": "2",
        },
    )
    webs.append(down)
    for path in ("/auth/me/", "/resume-screening/data/", "/health/"):
        started = time.monotonic()
        status, body = down.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        elapsed = time.monotonic() - started
        assert status == 503 and body["code"] == 503 and body["success"] is False, (path, body)
        assert elapsed < 10, (path, elapsed)
    assert web.request("GET", "/auth/me/", headers={"Authorization": f"Bearer {token}"})[0] == 200
    print("faults: database unreachable → 503 in the envelope")
