"""``make bench``: run every benchmark in turn, each in its own process, then print one table of
their headline figures (``bench.summary``). Each benchmark's own detail is printed as it runs.

    python -m bench                 (the same environment variables as each benchmark)
"""

import os
import subprocess
import sys
import tempfile
import time

from bench import summary

BENCHMARKS = ("http", "leak", "coldstart", "screening", "interview", "recommend", "video")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hrm2-bench-summary-") as scratch:
        path = os.path.join(scratch, "figures.jsonl")
        env = {**os.environ, "BENCH_SUMMARY": path}
        failed = []
        started = time.perf_counter()
        for name in BENCHMARKS:
            print(f"\n=== bench.{name} ===", flush=True)
            if subprocess.run([sys.executable, "-m", f"bench.{name}"], env=env).returncode:
                failed.append(name)
        print(f"\nHRM2 benchmarks — all figures ({time.perf_counter() - started:.0f} s in all)")
        print(summary.table(summary.read(path)))
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
