"""Start and stop real ``hrm2`` processes for benchmarks (same way production runs them)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """A var dir, a migrated database, an admin user, and web/worker processes on demand."""

    def __init__(self, **env: str) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="hrm2-bench-"))
        self.env = {
            **os.environ,
            "HRM2_VAR_DIR": str(self.var),
            "DJANGO_SETTINGS_MODULE": "hrm2.settings",
            "HRM2_LOG_LEVEL": "WARNING",
            **env,
        }
        self.procs: list[subprocess.Popen] = []
        self.port = free_port()
        self.run("migrate")
        self.run(
            "createuser", "--username", "bench", "--password", "bench-Passw0rd!", "--role", "admin"
        )

    def run(self, *args: str) -> None:
        subprocess.run(
            [str(BIN / "hrm2"), *args], env=self.env, check=True, stdout=subprocess.DEVNULL
        )

    def start(self, *args: str) -> subprocess.Popen:
        log = (self.var / f"{args[0]}-{len(self.procs)}.log").open("w")
        proc = subprocess.Popen(
            [str(BIN / "hrm2"), *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def start_web(self, workers: int = 1, threads: int = 2) -> None:
        self.start(
            "web", "--port", str(self.port), "--workers", str(workers), "--threads", str(threads)
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/openapi.json", timeout=2).read()
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError("web server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def token(self) -> str:
        return self.call(
            "POST", "/auth/login/", {"username": "bench", "password": "bench-Passw0rd!"}
        )["access"]

    def call(self, method: str, path: str, body=None, token: str | None = None):
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {token}"} if token else {}),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["data"]

    def close(self) -> None:
        """Stop the processes and delete the var dir (a 1,000,000-row database is 4.5 GB)."""
        self.stop()
        shutil.rmtree(self.var, ignore_errors=True)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
