"""One table for ``make bench``: every benchmark records its headline figures here, and
``python -m bench`` prints them together after running them all.

Each benchmark runs in its own process (servers, var dirs and Django settings differ), so the
figures travel through a JSON-lines file named by ``BENCH_SUMMARY``; without it ``record`` does
nothing and each benchmark only prints its own detail, as when it is run alone.
"""

import json
import os
from dataclasses import asdict, dataclass


@dataclass
class Figure:
    measure: str
    value: float
    unit: str  # "req/s", "resumes/s", "ms", "s", "MiB", "x real time"
    p50_ms: float | None = None
    p99_ms: float | None = None
    errors: int | None = None
    rss_mib: float | None = None
    ratio: float | None = None  # HRM2 ÷ baseline
    target: str = ""


def record(figure: Figure) -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")


def read(path: str) -> list[Figure]:
    try:
        with open(path, encoding="utf-8") as source:
            return [Figure(**json.loads(line)) for line in source if line.strip()]
    except FileNotFoundError:
        return []


def _cell(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def table(figures: list[Figure]) -> str:
    header = (
        f"{'measure':<52}{'value':>10} {'unit':<12}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}"
        f"{'RSS MiB':>8}{'÷ base':>7}  target"
    )
    lines = [header, "-" * (len(header) + 8)]
    for f in figures:
        digits = 0 if f.unit == "req/s" or f.value >= 100 else 2 if f.value < 10 else 1
        lines.append(
            f"{f.measure:<52}{_cell(f.value, digits):>10} {f.unit:<12}{_cell(f.p50_ms):>8}"
            f"{_cell(f.p99_ms):>8}{_cell(f.errors):>7}{_cell(f.rss_mib, 0):>8}"
            f"{_cell(f.ratio, 2):>7}  {f.target}"
        )
    return "\n".join(lines)
