"""Waiting for a real server process (``hrm2 serve``/``hrm2 web``) to answer, on a busy machine.

One helper for every test that starts a server: it retries on every transient failure — a
timeout, a refused or reset connection, a torn response, a 5xx (a worker not yet reporting) —
until its deadline, and fails with the server's log when the deadline passes or the process dies.
"""

import http.client
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

# OSError covers URLError, socket timeouts, refused and reset connections.
TRANSIENT = (OSError, http.client.HTTPException, ValueError)


def fetch(url: str, timeout: float = 5) -> tuple[int, bytes]:
    """GET ``url``: its status and body, an HTTP error status included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def wait_for_http(
    url: str,
    *,
    timeout: float = 60,
    proc: subprocess.Popen | None = None,
    log_path: Path | None = None,
    interval: float = 0.5,
) -> tuple[int, bytes]:
    """GET ``url`` until it answers 2xx; return its status and body."""
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while True:
        try:
            status, body = fetch(url, timeout=max(0.5, min(5.0, deadline - time.monotonic())))
        except TRANSIENT as exc:  # busy machine: try again until the deadline
            last = f"{type(exc).__name__}: {exc}"
        else:
            if 200 <= status < 300:
                return status, body
            last = f"HTTP {status}: {body[:300]!r}"
        if proc is not None and proc.poll() is not None:
            _fail(f"the server exited ({proc.returncode}); last answer: {last}", log_path)
        if time.monotonic() >= deadline:
            _fail(f"{url} did not answer 2xx within {timeout:.0f}s; last: {last}", log_path)
        time.sleep(interval)


def _fail(message: str, log_path: Path | None) -> None:
    log = log_path.read_text(errors="replace")[-3000:] if log_path and log_path.exists() else ""
    pytest.fail(f"{message}\n{log}")
