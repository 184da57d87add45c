"""Load with accounting: 64 concurrent clients against real processes, then count every row.

A real ``hrm2 web`` (gunicorn) and ``hrm2 worker`` run on a fresh database. 64 asyncio clients,
each on its own keep-alive connection, mix reads and writes for ``HRM2_LOAD_SECONDS`` (20 s by
default): create a resume with unique content, submit a one-resume screening job, record an
interview answer, and read lists, jobs and sessions. Every acknowledged write (a 2xx with its id)
is remembered. Afterwards: zero 5xx and no connection errors, and the database holds exactly the
acknowledged resumes, screening tasks (one report each) and answers — nothing lost, nothing
doubled. A closing line prints the counts.
"""

import asyncio
import json
import os
import time
import uuid
from collections import Counter

import pytest

from tests.reliability.test_faults import PASSWORD, SETUP_CODE, Web, _json_out

pytestmark = pytest.mark.e2e

CLIENTS = 64
SECONDS = float(os.environ.get("HRM2_LOAD_SECONDS", "20"))
ANSWER = "我负责缓存层的改造：首先设计了基于 Redis 的二级缓存，最终数据库 QPS 从 2 万降到 3000。"

# Rows in the database (Django, in a subprocess): ids of resumes, tasks, answers; reports per task.
ROWS_CODE = """
import json
import django
django.setup()
from django.db.models import Count
from hrm2.interviews.models import InterviewSession, QARecord
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport, ScreeningTask

per_task = ScreeningReport.objects.values("task_id").annotate(n=Count("id"))
print(json.dumps({
    "resumes": [str(pk) for pk in Resume.objects.values_list("pk", flat=True)],
    "tasks": [str(pk) for pk in ScreeningTask.objects.values_list("pk", flat=True)],
    "sessions": [str(pk) for pk in InterviewSession.objects.values_list("pk", flat=True)],
    "answers": [str(pk) for pk in QARecord.objects.values_list("pk", flat=True)],
    "reports_per_task": sorted({row["n"] for row in per_task}),
}))
"""


class Client:
    """One keep-alive HTTP/1.1 connection speaking JSON."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body=None) -> tuple[int, dict]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        self.writer.write(head.encode() + payload)
        raw = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 60)
        status = int(raw.split(b" ", 2)[1])
        length = 0
        for line in raw.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        data = await asyncio.wait_for(self.reader.readexactly(length), 60)
        return status, json.loads(data or b"null")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(port: int, token: str, position_id: str) -> dict:
    acked = {"resumes": set(), "tasks": set(), "sessions": set(), "answers": set()}
    statuses: Counter = Counter()
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS

    async def call(client, method, path, body=None):
        status, data = await client.request(method, path, body)
        statuses[f"{status // 100}xx"] += 1
        if status >= 500:
            errors.append(f"{method} {path} → {status}: {data}")
        return status, data

    async def create_resume(client) -> str | None:
        marker = uuid.uuid4().hex
        status, body = await call(
            client,
            "POST",
            "/resume-screening/data/",
            {
                "position_id": position_id,
                "candidate_name": f"Load {marker[:8]}",
                "resume_content": f"Load {marker}\n2016-2024 backend engineer\nPython, Django\n",
            },
        )
        if status == 201:
            acked["resumes"].add(body["data"]["id"])
            return body["data"]["id"]
        return None

    async def run_client(n: int) -> None:
        client = Client(port, token)
        try:
            resume = await create_resume(client)
            session, question = None, None
            if resume:
                status, body = await call(
                    client, "POST", "/interview-assist/sessions/", {"resume_data_id": resume}
                )
                if status == 201:
                    session = body["data"]["session_id"]
                    acked["sessions"].add(session)
                    status, body = await call(
                        client,
                        "POST",
                        f"/interview-assist/sessions/{session}/generate-questions/",
                        {},
                    )
                    if status == 200:
                        question = body["data"]["questions"][0]["id"]
            step = n
            while time.monotonic() < deadline:
                step += 1
                kind = step % 6
                if kind == 0:
                    resume = await create_resume(client) or resume
                elif kind == 1 and resume:
                    status, body = await call(
                        client,
                        "POST",
                        "/resume-screening/screening/",
                        {"position_id": position_id, "resume_data_ids": [resume]},
                    )
                    if status == 202:
                        acked["tasks"].add(body["data"]["task_id"])
                elif kind == 2 and session and question:
                    status, body = await call(
                        client,
                        "POST",
                        f"/interview-assist/sessions/{session}/record-qa/",
                        {"question": {"id": question}, "answer": {"content": ANSWER}},
                    )
                    if status == 200:
                        acked["answers"].add(body["data"]["qa_record_id"])
                elif kind == 3:
                    await call(client, "GET", "/resume-screening/data/?page=1&page_size=20")
                elif kind == 4 and acked["tasks"]:
                    task = next(iter(acked["tasks"]))
                    await call(client, "GET", f"/resume-screening/tasks/{task}/status/")
                elif session:
                    await call(client, "GET", f"/interview-assist/sessions/{session}/")
        except (OSError, asyncio.IncompleteReadError, TimeoutError) as exc:
            errors.append(f"client {n}: {type(exc).__name__}: {exc}")
        finally:
            client.close()

    started = time.monotonic()
    await asyncio.gather(*(run_client(n) for n in range(CLIENTS)))
    return {
        "acked": acked,
        "statuses": statuses,
        "errors": errors,
        "seconds": time.monotonic() - started,
    }


def test_load_with_accounting(e2e):
    setup = _json_out(e2e, SETUP_CODE, "0", "no", PASSWORD)
    e2e.start_worker("load")
    web = Web(e2e, env={"HRM2_WEB_THREADS": "8"})
    try:
        token = web.token()
        outcome = asyncio.run(_load(web.port, token, setup["position_id"]))
    finally:
        web.kill()
    rows = _json_out(e2e, ROWS_CODE)
    acked, statuses = outcome["acked"], outcome["statuses"]
    requests = sum(statuses.values())
    writes = sum(len(ids) for ids in acked.values())
    lost = {kind: len(acked[kind] - set(rows[kind])) for kind in acked}
    unacked = {kind: len(set(rows[kind]) - acked[kind]) for kind in acked}
    doubled = {kind: len(rows[kind]) - len(set(rows[kind])) for kind in acked}
    print(
        f"load: {CLIENTS} clients, {outcome['seconds']:.1f} s, {requests} requests "
        f"({requests / outcome['seconds']:.0f}/s; "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        + f"); {writes} acknowledged writes ({len(acked['resumes'])} resumes, "
        f"{len(acked['tasks'])} screening jobs, {len(acked['answers'])} answers, "
        f"{len(acked['sessions'])} sessions); lost {sum(lost.values())}, "
        f"unacknowledged {sum(unacked.values())}, doubled {sum(doubled.values())}; "
        f"{len(outcome['errors'])} errors"
    )
    assert not outcome["errors"], outcome["errors"][:10]
    assert statuses["5xx"] == 0
    assert acked["resumes"] and acked["tasks"] and acked["answers"]
    assert lost == unacked == doubled == dict.fromkeys(acked, 0), (lost, unacked, doubled)
    assert rows["reports_per_task"] == [1]  # one resume per job, never doubled
