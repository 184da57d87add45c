"""Latency at one connection on a large table (issue target: 1,000,000 resumes, list page 1 and
a ``candidate_name`` filter each ≤ 20 ms median).

    BENCH_ROWS=1000000 python -m bench.large      (about 8 minutes to build on SQLite)

Builds the dataset, starts ``hrm2 web`` (1 worker), and sends sequential requests over one
keep-alive connection: the first request of each kind is reported on its own (a filtered total
is counted then, and cached until the table changes), then the median and p99 of the next ones.
A resume created between two rounds shows what a write costs the next filtered request.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import quote

from bench.load import percentile
from bench.processes import Stack

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
REQUESTS = int(os.environ.get("BENCH_LARGE_REQUESTS", "200"))


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def timed(self, method: str, path: str, body: dict | None = None) -> tuple[float, dict]:
        started = time.perf_counter()
        payload = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, body=payload, headers=self.headers)
        response = self.connection.getresponse()
        data = json.loads(response.read())
        elapsed = (time.perf_counter() - started) * 1000
        if response.status >= 400:
            raise RuntimeError(f"{method} {path}: {response.status} {data}")
        return elapsed, data["data"]


def main() -> None:
    stack = Stack()
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.dataset", "--rows", str(ROWS)], env=stack.env, check=True
        )
        build_seconds = time.perf_counter() - started
        stack.start_web(workers=1, threads=2)
        client = Client(stack.port, stack.token())
        _, first = client.timed("GET", "/resume-screening/data/?status=screened&page_size=1")
        sample = first["items"][0]
        name = quote(sample["candidate_name"][:2])
        scenarios = [
            ("list page 1", "/resume-screening/data/?page=1&page_size=20"),
            (
                f"candidate_name={sample['candidate_name'][:2]}",
                f"/resume-screening/data/?page=1&page_size=20&candidate_name={name}",
            ),
            ("list page 400", "/resume-screening/data/?page=400&page_size=20"),
            ("resume detail", f"/resume-screening/reports/{sample['id']}/detail/"),
        ]
        print(
            f"\nHRM2 at one connection — {ROWS:,} resumes (built in {build_seconds:.0f} s), "
            f"{'PostgreSQL' if os.environ.get('DATABASE_URL') else 'SQLite (WAL)'}, "
            f"{REQUESTS} requests per row after the first"
        )
        print(f"{'request':<32}{'first ms':>10}{'p50 ms':>9}{'p99 ms':>9}{'total':>10}")
        for round_name in ("", " (after a write)"):
            for label, path in scenarios:
                first_ms, data = client.timed("GET", path)
                times = [client.timed("GET", path)[0] for _ in range(REQUESTS)]
                total = data.get("total", "") if isinstance(data, dict) else ""
                print(
                    f"{label + round_name:<32}{first_ms:>10.1f}{statistics.median(times):>9.1f}"
                    f"{percentile(sorted(times), 0.99):>9.1f}{total:>10}"
                )
            if not round_name:
                client.timed(
                    "POST",
                    "/resume-screening/data/",
                    {
                        "position_id": sample["position_id"],
                        "candidate_name": "新候选人",
                        "resume_content": f"新候选人 {time.time()}\nPython",
                    },
                )
    finally:
        stack.close()


if __name__ == "__main__":
    main()
