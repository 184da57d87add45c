"""Cold start of ``hrm2 web``: from starting the process to the first 200 of the resume list
with a real JWT (issue target ≤ 1.5 s). Three runs; the median is the figure.

    python -m bench.coldstart
"""

import statistics
import subprocess
import time
import urllib.error
import urllib.request

from bench import summary
from bench.processes import BIN, Stack, free_port

RUNS = 3


def first_ok(stack: Stack, token: str) -> float:
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "hrm2"), "web", "--port", str(port), "--workers", "1"],
        env=stack.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stack.procs.append(proc)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/resume-screening/data/?page_size=1",
        headers={"Authorization": f"Bearer {token}"},
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
            if time.perf_counter() - started > 30:
                raise RuntimeError("hrm2 web did not answer within 30 s")
    finally:
        stack.stop()
        stack.procs.clear()


def main() -> None:
    stack = Stack()
    stack.start_web()
    token = stack.token()
    stack.stop()
    stack.procs.clear()
    try:
        times = [first_ok(stack, token) for _ in range(RUNS)]
    finally:
        stack.close()
    summary.record(
        summary.Figure(
            "cold start, hrm2 web to the first 200 (median)",
            statistics.median(times),
            "s",
            target="≤ 1.5 s",
        )
    )
    print(
        f"cold start of hrm2 web to the first 200: median {statistics.median(times):.2f} s "
        f"({', '.join(f'{t:.2f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
