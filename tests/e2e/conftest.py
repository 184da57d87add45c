"""Fixtures that run REAL ``hrm2`` processes against a throwaway database.

Each test gets a fresh ``HRM2_VAR_DIR`` (and therefore a fresh SQLite database and SQLite Celery
broker), migrated with ``hrm2 migrate``. With ``HRM2_TEST_DATABASE_URL`` set, a uniquely named
PostgreSQL database is created on that server for the test and dropped afterwards; with
``HRM2_TEST_BROKER_URL`` set, that broker (e.g. Redis) is used.

The subprocesses run with ``DJANGO_SETTINGS_MODULE=hrm2.settings`` (production settings, no
eager Celery) and the repository root on ``PYTHONPATH`` so that the worker can import
``tests.e2e.jobkinds``. Workers run in their own session / process group so that a test can
``SIGKILL`` a worker together with its pool children; every process is killed at teardown.
A failing test gets each worker's output attached to its report.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
_VENV_BIN = REPO_ROOT / ".venv" / "bin"
BIN = _VENV_BIN if (_VENV_BIN / "hrm2").exists() else Path(sys.executable).parent
HRM2 = str(BIN / "hrm2")
PYTHON = str(BIN / "python")

# Short timings so that a dead worker's job is reaped within seconds.
TIMINGS = {
    "HRM2_JOB_HEARTBEAT_SECONDS": "1",
    "HRM2_JOB_STALE_AFTER": "4",
    "HRM2_WORKER_HEARTBEAT_SECONDS": "1",
}
WORKER_READY_TIMEOUT = 40.0
JOB_COLUMNS = ("status", "progress", "processed", "total", "attempts", "worker", "error", "result")

# `hrm2 worker` hands everything after its own options to Celery through an argparse.REMAINDER
# positional. A leading "--" is passed through verbatim and Celery then rejects the options
# after it ("Unable to parse extra configuration"), and options before any positional are
# rejected by argparse. What works is starting the extra arguments with a Celery
# "key=value" setting (a positional, so REMAINDER takes everything from there on); we use one
# that repeats the value hrm2.celery already sets.
WORKER_EXTRA_ARGS = ["--", "--include", "tests.e2e.jobkinds"]

# Run inside a subprocess (same env as the worker): create the job in a transaction so that
# on_commit enqueues it, fail if enqueueing logged a problem, print the job id.
CREATE_JOB_CODE = """
import json, logging, sys
import django
django.setup()
from django.db import transaction
from hrm2.jobs.services import create_job

problems = []

class _Catch(logging.Handler):
    def emit(self, record):
        problems.append(record.getMessage())

logging.getLogger("hrm2.jobs").addHandler(_Catch(level=logging.WARNING))
with transaction.atomic():
    job = create_job(kind=sys.argv[1], params=json.loads(sys.argv[2]))
if problems:
    sys.exit("enqueue problem: " + "; ".join(problems))
print(job.id)
"""


def wait_for(
    predicate: Callable[[], Any], *, timeout: float, what: str, interval: float = 0.1
) -> Any:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


def _group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ... ; comm may contain spaces, so split after ')'
        fields = stat[stat.rfind(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


class Worker:
    """One ``hrm2 worker`` process, leader of its own process group."""

    def __init__(self, name: str, proc: subprocess.Popen, log_path: Path) -> None:
        self.name = name
        self.proc = proc
        self.pgid = proc.pid  # start_new_session=True: the child is its group's leader
        self.log_path = log_path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def processes(self) -> list[int]:
        return _group_members(self.pgid)

    def alive(self) -> bool:
        return bool(self.processes())

    def wait_ready(self, timeout: float = WORKER_READY_TIMEOUT) -> None:
        def ready() -> bool:
            if self.proc.poll() is not None:
                pytest.fail(
                    f"worker {self.name} exited with code {self.proc.returncode} "
                    f"before it was ready:\n{self.log()}"
                )
            return " ready." in self.log()

        wait_for(ready, timeout=timeout, what=f"worker {self.name} to be ready")

    def kill(self, timeout: float = 10.0) -> None:
        """SIGKILL the whole process group (main process and pool children) and reap it."""
        with suppress(ProcessLookupError):
            os.killpg(self.pgid, signal.SIGKILL)
        with suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=timeout)
        # Orphaned pool children are reparented and reaped by init; don't fail if that is slow.
        deadline = time.monotonic() + timeout
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.05)


class E2E:
    """A migrated var dir / database plus helpers to run hrm2 processes against it."""

    def __init__(self, tmp_path: Path, database_url: str | None, broker_url: str | None) -> None:
        self.tmp_path = tmp_path
        self.var_dir = tmp_path / "var"
        self.var_dir.mkdir()
        self.database_url = database_url
        self.workers: list[Worker] = []
        self._pg = None
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("HRM2_", "CELERY_"))
            and k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(TIMINGS)
        env.update(
            {
                "HRM2_VAR_DIR": str(self.var_dir),
                "DJANGO_SETTINGS_MODULE": "hrm2.settings",
                "PYTHONPATH": os.pathsep.join(
                    [str(REPO_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
                ),
                "PYTHONUNBUFFERED": "1",
                "HRM2_LOG_LEVEL": "INFO",
            }
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        if broker_url:
            env["CELERY_BROKER_URL"] = broker_url
        self.env = env

    # --- processes -------------------------------------------------------------------------

    def run(self, argv: list[str], timeout: float = 60.0) -> subprocess.CompletedProcess:
        result = subprocess.run(
            argv,
            env=self.env,
            cwd=self.tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(
                f"{' '.join(argv[:3])} ... exited with {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def migrate(self) -> None:
        self.run([HRM2, "migrate"], timeout=120)

    def start_worker(self, name: str, *, wait: bool = True) -> Worker:
        log_path = self.tmp_path / f"worker-{name}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(
                [HRM2, "worker", "--concurrency", "1", *WORKER_EXTRA_ARGS],
                env=self.env,
                cwd=self.tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(name, proc, log_path)
        self.workers.append(worker)
        if wait:
            worker.wait_ready()
        return worker

    def cleanup(self) -> None:
        for worker in self.workers:
            worker.kill()
        if self._pg is not None:
            self._pg.close()
            self._pg = None

    def log_sections(self) -> list[tuple[str, str]]:
        return [
            (f"hrm2 worker {w.name} (pgid {w.pgid}) output", w.log() or "<empty>")
            for w in self.workers
        ]

    # --- jobs ------------------------------------------------------------------------------

    def create_job(self, kind: str, params: dict) -> str:
        """Create and enqueue a job the way the API does; returns its id."""
        result = self.run([PYTHON, "-c", CREATE_JOB_CODE, kind, json.dumps(params)])
        return str(uuid.UUID(result.stdout.strip().splitlines()[-1]))

    def read_job(self, job_id: str) -> dict | None:
        """The job row, read straight from the database (no Django in this process)."""
        columns = ", ".join(JOB_COLUMNS)
        if self.database_url:
            import psycopg

            if self._pg is None:
                self._pg = psycopg.connect(self.database_url, autocommit=True)
            row = self._pg.execute(
                f"SELECT {columns} FROM jobs_job WHERE id = %s",  # noqa: S608
                (uuid.UUID(job_id),),
            ).fetchone()
            return dict(zip(JOB_COLUMNS, row, strict=True)) if row else None
        path = self.var_dir / "hrm2.sqlite3"
        with closing(sqlite3.connect(path, timeout=20)) as db:
            # Django stores UUIDField as 32 hex digits on SQLite.
            row = db.execute(
                f"SELECT {columns} FROM jobs_job WHERE id = ?",  # noqa: S608
                (uuid.UUID(job_id).hex,),
            ).fetchone()
        if row is None:
            return None
        job = dict(zip(JOB_COLUMNS, row, strict=True))
        job["result"] = json.loads(job["result"]) if job["result"] is not None else None
        return job


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def e2e_database_url():
    """None for SQLite (in the var dir), else the URL of a fresh PostgreSQL database."""
    base = os.environ.get("HRM2_TEST_DATABASE_URL")
    if not base:
        yield None
        return
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"hrm2_e2e_{uuid.uuid4().hex[:12]}"
    params = conninfo_to_dict(base)
    params["dbname"] = "postgres"
    admin_conninfo = make_conninfo(**params)
    with psycopg.connect(admin_conninfo, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(base)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_conninfo, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def e2e(request, tmp_path, e2e_database_url):
    env = E2E(tmp_path, e2e_database_url, os.environ.get("HRM2_TEST_BROKER_URL") or None)
    request.node._hrm2_e2e = env
    try:
        env.migrate()
        yield env
    finally:
        env.cleanup()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    env = getattr(item, "_hrm2_e2e", None)
    if env is not None and report.failed:
        for title, text in env.log_sections():
            report.sections.append((title, text))
    return report
