"""Memory of a web worker under sustained load: RSS after 10,000 requests, and its growth over a
further 100,000 (issue target: ≤ 120 MiB, no growth).

    python -m bench.leak            (BENCH_LEAK_REQUESTS=100000 to change the second phase)
"""

import os
import subprocess
import sys

from bench import load, summary
from bench.http import PeakRss, children, rss_mib
from bench.processes import Stack

SECOND_PHASE = int(os.environ.get("BENCH_LEAK_REQUESTS", "100000"))
PATHS = ["/resume-screening/data/?page=1&page_size=20", "/auth/me/", "/position-settings/list/"]


def drive(stack: Stack, headers: dict, requests: int) -> int:
    done = 0
    while done < requests:
        for path in PATHS:
            result = load.run(stack.url + path, headers=headers, connections=16, duration=5)
            done += result.requests
    return done


def main() -> None:
    stack = Stack()
    try:
        subprocess.run(
            [sys.executable, "-m", "bench.dataset", "--rows", "2000"], env=stack.env, check=True
        )
        stack.start_web(workers=1, threads=2)
        headers = {"Authorization": f"Bearer {stack.token()}"}
        master = stack.procs[-1].pid
        first = drive(stack, headers, 10_000)
        after_first = max(rss_mib(pid) for pid in children(master))
        with PeakRss(master) as peak:
            second = drive(stack, headers, SECOND_PHASE)
        after_second = max(rss_mib(pid) for pid in children(master))
        summary.record(
            summary.Figure(
                f"web worker RSS after {first:,} requests", after_first, "MiB", target="≤ 120 MiB"
            )
        )
        summary.record(
            summary.Figure(
                f"RSS growth over a further {second:,}",
                after_second - after_first,
                "MiB",
                target="no growth",
            )
        )
        print(
            f"web worker RSS after {first:,} requests: {after_first:.1f} MiB; after a further "
            f"{second:,}: {after_second:.1f} MiB (peak {peak.peak:.1f}); growth "
            f"{after_second - after_first:+.1f} MiB"
        )
    finally:
        stack.close()


if __name__ == "__main__":
    main()
