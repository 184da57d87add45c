"""A job survives ``kill -9`` of the worker running it, and its progress never goes backwards.

Real processes: ``hrm2 migrate``, ``hrm2 worker`` (Celery prefork, concurrency 1) and a small
Python helper that creates jobs through ``hrm2.jobs.services.create_job``. Job state is read
straight from the database.
"""

import itertools
import os
import re
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_for

pytestmark = pytest.mark.e2e

KIND = "e2e.steps"  # registered by tests/e2e/jobkinds.py, which only the worker imports
STEPS = 8
LOG_LINE = re.compile(r"^step=(\d+) attempt=(\d+) pid=(\d+)$")


def log_lines(marker_dir: Path) -> list[str]:
    try:
        return (marker_dir / "log.txt").read_text().splitlines()
    except FileNotFoundError:
        return []


def markers(marker_dir: Path) -> set[str]:
    if not marker_dir.exists():
        return set()
    return {p.name for p in marker_dir.iterdir() if p.name.startswith("step-")}


def assert_monotonic(history: list[dict], field: str) -> None:
    values = [job[field] for job in history if job is not None]
    drops = [(a, b) for a, b in itertools.pairwise(values) if b < a]
    assert not drops, f"{field} went backwards: {drops} in {values}"


def test_job_survives_sigkill_of_its_worker(e2e, tmp_path):
    marker_dir = tmp_path / "markers"
    history: list[dict] = []

    def poll() -> dict:
        job = e2e.read_job(job_id)
        history.append(job)
        return job

    worker_a = e2e.start_worker("A")
    job_id = e2e.create_job(
        KIND, {"steps": STEPS, "step_seconds": 1, "marker_dir": str(marker_dir)}
    )

    # Wait for two *completed* steps: a step writes its marker, then its log line, so waiting
    # for log lines (not just markers) never kills the worker between those two writes.
    wait_for(
        lambda: len(log_lines(marker_dir)) >= 2 and poll()["progress"] > 0,
        timeout=30,
        what="the job to finish two steps on worker A",
    )
    job = poll()
    assert job["status"] == "running"
    assert job["attempts"] == 1
    # The process running the job belongs to the group we are about to kill.
    job_pid = int(job["worker"].rsplit(":", 1)[1])
    assert job_pid in worker_a.processes(), (job["worker"], worker_a.processes())

    killed_at = time.monotonic()
    worker_a.kill()
    assert not worker_a.alive(), f"worker A survived SIGKILL: {worker_a.processes()}"
    done_by_a = markers(marker_dir)
    assert 2 <= len(done_by_a) < STEPS
    job = poll()
    assert job["status"] == "running", job  # nobody is left to notice yet
    assert job["attempts"] == 1

    worker_b = e2e.start_worker("B")
    job = wait_for(
        lambda: (j := poll())["status"] in ("completed", "failed", "cancelled") and j,
        timeout=60,
        what="worker B to finish the job",
        interval=0.2,
    )
    recovery_seconds = time.monotonic() - killed_at

    assert job["status"] == "completed", job
    assert job["attempts"] == 2
    assert job["progress"] == 100
    assert job["processed"] == STEPS and job["total"] == STEPS
    assert job["result"] == {"steps": STEPS}
    assert job_pid != int(job["worker"].rsplit(":", 1)[1])

    # Every step ran exactly once: one marker each, one log line each, and the steps finished
    # before the kill were not redone by the second attempt.
    assert markers(marker_dir) == {f"step-{i}" for i in range(STEPS)}
    lines = log_lines(marker_dir)
    assert len(lines) == STEPS, lines
    parsed = [LOG_LINE.match(line) for line in lines]
    assert all(parsed), lines
    steps = [int(m.group(1)) for m in parsed]
    assert steps == list(range(STEPS)), lines
    attempts = {int(m.group(1)): int(m.group(2)) for m in parsed}
    first_attempt = {int(name.split("-")[1]) for name in done_by_a}
    assert {s for s, a in attempts.items() if a == 1} == first_attempt, lines
    assert {s for s, a in attempts.items() if a == 2} == set(range(STEPS)) - first_attempt

    # Worker B's reaper is what brought the job back.
    assert "requeued" in worker_b.log()
    assert_monotonic(history, "progress")
    print(
        f"recovered {recovery_seconds:.1f}s after SIGKILL; "
        f"worker A did steps {sorted(first_attempt)}"
    )


def test_progress_never_decreases_while_polling(e2e, tmp_path):
    marker_dir = tmp_path / "markers"
    steps = 6
    e2e.start_worker("A")
    job_id = e2e.create_job(
        KIND, {"steps": steps, "step_seconds": 0.5, "marker_dir": str(marker_dir)}
    )
    history: list[dict] = []

    def finished() -> bool:
        job = e2e.read_job(job_id)
        history.append(job)
        return job["status"] in ("completed", "failed", "cancelled")

    wait_for(finished, timeout=30, what="the job to finish", interval=0.05)

    final = history[-1]
    assert final["status"] == "completed", final
    assert final["progress"] == 100 and final["attempts"] == 1
    assert final["result"] == {"steps": steps}
    assert_monotonic(history, "progress")
    assert_monotonic(history, "processed")
    # Status only moves forward: pending -> running -> completed.
    order = {"pending": 0, "running": 1, "completed": 2}
    assert_monotonic([{"s": order[j["status"]]} for j in history], "s")
    seen = sorted({j["progress"] for j in history})
    assert len([p for p in seen if 0 < p < 100]) >= 3, seen  # we really watched it move
    assert len(log_lines(marker_dir)) == steps
    assert os.path.exists(marker_dir / f"step-{steps - 1}")
