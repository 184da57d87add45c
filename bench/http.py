"""HTTP benchmark of HRM2 against a framework-less baseline, on a realistic dataset.

    make bench                      (BENCH_ROWS=10000, BENCH_DURATION=15, BENCH_CONNECTIONS=16,64)

Starts ``hrm2 web`` the way production runs it (granian, SQLite WAL by default, PostgreSQL when
DATABASE_URL is set), warms up, then loads each endpoint with a real JWT and prints one table:
requests/s, p50/p99 latency, errors and peak RSS of the web worker, and HRM2 ÷ baseline.
"""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from bench import load, summary
from bench.processes import Stack, free_port

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
DURATION = float(os.environ.get("BENCH_DURATION", "15"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "16,64").split(",")]
# The layout ``hrm2 serve`` uses by default (2 processes × 2 threads: best on 2 cores).
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "2"))
WEB_THREADS = int(os.environ.get("BENCH_WEB_THREADS", "2"))
ONLY = [label for label in os.environ.get("BENCH_ONLY", "").split(",") if label]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakRss:
    """Sample the RSS of the web worker processes (children of the server) while loaded."""

    def __init__(self, master_pid: int) -> None:
        self.master_pid = master_pid
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(0.25):
            for pid in children(self.master_pid):
                self.peak = max(self.peak, rss_mib(pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def server_process(stack: Stack) -> int:
    """``hrm2 web`` execs the server, so the process we started is its main process."""
    return stack.procs[-1].pid


def start_baseline(stack: Stack) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--http",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(WEB_WORKERS),
            "--blocking-threads",
            str(WEB_THREADS),
            "--no-access-log",
            "bench.baseline:app",
        ],
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stack.procs.append(proc)
    time.sleep(1.5)
    return proc, f"http://127.0.0.1:{port}"


def measure(
    url: str,
    headers: dict,
    master_pid: int,
    connections: int,
    method: str = "GET",
    body: str | None = None,
) -> tuple[load.LoadResult, float]:
    load.run(
        url, method=method, body=body, headers=headers, connections=connections, duration=WARMUP
    )
    with PeakRss(master_pid) as rss:
        result = load.run(
            url,
            method=method,
            body=body,
            headers=headers,
            connections=connections,
            duration=DURATION,
        )
    return result, rss.peak


def create_body(position_id: str) -> str:
    """A create request; ``{n}`` is replaced per request so every resume is new."""
    return (
        '{"position_id": "' + position_id + '", "candidate_name": "压测{n}", '
        '"resume_content": "压测候选人 {n}\\n熟悉 Python、Django、PostgreSQL，五年经验。"}'
    )


def main() -> None:
    stack = Stack()
    try:
        subprocess.run(
            [sys.executable, "-m", "bench.dataset", "--rows", str(ROWS)], env=stack.env, check=True
        )
        stack.start_web(workers=WEB_WORKERS, threads=WEB_THREADS)
        token = stack.token()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        screened = stack.call(
            "GET", "/resume-screening/data/?status=screened&page_size=1", token=token
        )["items"][0]
        position_id = screened["position_id"]
        name = quote(screened["candidate_name"][:1])
        scenarios = [
            ("list page 1", "/resume-screening/data/?page=1&page_size=20", "GET", None, True),
            ("list page 400", "/resume-screening/data/?page=400&page_size=20", "GET", None, True),
            (
                "list candidate_name filter",
                f"/resume-screening/data/?page=1&page_size=20&candidate_name={name}",
                "GET",
                None,
                True,
            ),
            (
                "resume detail",
                f"/resume-screening/reports/{screened['id']}/detail/",
                "GET",
                None,
                True,
            ),
            ("tasks-history", "/resume-screening/tasks-history/", "GET", None, False),
            (
                "groups include_resumes",
                "/resume-screening/groups/?include_resumes=true",
                "GET",
                None,
                False,
            ),
            (
                "create resume",
                "/resume-screening/data/",
                "POST",
                create_body(position_id),
                False,
            ),
        ]
        if ONLY:
            scenarios = [s for s in scenarios if any(label in s[0] for label in ONLY)]
        rows = []
        master = server_process(stack)
        for label, path, method, body, _with_baseline in scenarios:
            for connections in CONNECTIONS:
                result, peak = measure(stack.url + path, headers, master, connections, method, body)
                rows.append((label, connections, result, peak, None))
        baseline_proc, baseline_url = start_baseline(stack)
        for index, (label, connections, result, peak, _) in enumerate(rows):
            path = next(s[1] for s in scenarios if s[0] == label)
            if next(s[4] for s in scenarios if s[0] == label):
                base, _peak = measure(baseline_url + path, headers, baseline_proc.pid, connections)
                rows[index] = (label, connections, result, peak, base)
        print_table(rows)
        record(rows)
    finally:
        stack.close()


TARGETS = {
    ("list page 1", 16): "≥ 800 req/s, p99 ≤ 50 ms, ≥ 0.5 of baseline",
    ("list page 400", 16): "within 20 % of page 1",
    ("resume detail", 16): "≥ 1,000 req/s",
    ("create resume", 16): "≥ 400 req/s, 0 errors",
}


def record(rows) -> None:
    for label, connections, result, peak, base in rows:
        summary.record(
            summary.Figure(
                measure=f"{label}, {connections} conns",
                value=result.requests_per_s,
                unit="req/s",
                p50_ms=result.p50_ms,
                p99_ms=result.p99_ms,
                errors=result.errors,
                rss_mib=peak,
                ratio=result.requests_per_s / base.requests_per_s if base else None,
                target=TARGETS.get((label, connections), ""),
            )
        )


def print_table(rows) -> None:
    database = (
        "PostgreSQL"
        if os.environ.get("DATABASE_URL", "").startswith("postgres")
        else "SQLite (WAL)"
    )
    print(
        f"\nHRM2 HTTP benchmark — {ROWS:,} resumes, {database}, load by {load.tool_name()}, "
        f"hrm2 web {WEB_WORKERS} worker × {WEB_THREADS} threads, {DURATION:g} s per row"
    )
    header = (
        f"{'endpoint':<28}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'errors':>8}{'RSS MiB':>9}{'base r/s':>10}{'÷ base':>8}"
    )
    print(header)
    print("-" * len(header))
    for label, connections, result, peak, base in rows:
        ratio = f"{result.requests_per_s / base.requests_per_s:.2f}" if base else "-"
        base_rps = f"{base.requests_per_s:.0f}" if base else "-"
        print(
            f"{label:<28}{connections:>6}{result.requests_per_s:>9.0f}{result.p50_ms:>9.1f}"
            f"{result.p99_ms:>9.1f}{result.errors:>8}{peak:>9.0f}{base_rps:>10}{ratio:>8}"
        )


if __name__ == "__main__":
    main()
