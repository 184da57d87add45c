"""Job kinds used only by the end-to-end tests; the worker loads them with ``--include``.

``e2e.steps`` runs ``steps`` idempotent steps. Step ``i`` is done once the marker file
``step-i`` exists in ``marker_dir``; a retried attempt skips finished steps, so if a worker is
killed mid-job, the next attempt resumes where the last one stopped. ``log.txt`` gets one line
per executed step: any step that ran twice shows up as a duplicate line (or as a
``FileExistsError`` when creating its marker).
"""

import os
import time
from pathlib import Path

from hrm2.jobs.registry import register

KIND = "e2e.steps"


@register(KIND)
def run_steps(ctx) -> dict:
    steps = int(ctx.params.get("steps", 8))
    step_seconds = float(ctx.params.get("step_seconds", 1.0))
    marker_dir = Path(ctx.params["marker_dir"])
    marker_dir.mkdir(parents=True, exist_ok=True)
    for i in range(steps):
        ctx.check_cancelled()
        marker = marker_dir / f"step-{i}"
        if not marker.exists():
            time.sleep(step_seconds)
            # O_EXCL: if another attempt already did this step, fail loudly instead of redoing it.
            fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w") as handle:
                handle.write(f"attempt={ctx.attempt} pid={os.getpid()}\n")
            with open(marker_dir / "log.txt", "a") as log:
                log.write(f"step={i} attempt={ctx.attempt} pid={os.getpid()}\n")
        ctx.progress(processed=i + 1, total=steps, progress=(i + 1) * 100 // steps)
    return {"steps": steps}
