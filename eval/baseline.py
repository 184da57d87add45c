"""Store an earlier engine's results on the labelled sets, for ``make eval`` to compare with.

    python -m eval.baseline --rev fa77be3 --out var/eval/embedded-fa77be3.json

Checks the revision out into a temporary git worktree and screens every resume there with
that revision's own ``EmbeddedEngine`` (as of the day each resume was received), so the old
figures come from the old code, not from a copy of it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from eval import sets

_RUNNER = """
import json, sys
from datetime import date
from hrm2.ai.embedded import EmbeddedEngine
jobs = json.load(sys.stdin)
out = {}
for name, items in jobs.items():
    out[name] = {}
    for item in items:
        engine = EmbeddedEngine(reference_date=date.fromisoformat(item["received"]))
        result = engine.screen(item["text"], item["criteria"])
        out[name][item["id"]] = result.model_dump(mode="json")
payload = {"engine": "embedded-" + EmbeddedEngine.version, "results": out}
json.dump(payload, sys.stdout, ensure_ascii=False, sort_keys=True)
"""


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.baseline")
    parser.add_argument("--rev", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write(args.rev, args.out)
    print(f"wrote {args.out}")
    return 0


def write(rev: str, out: Path) -> None:
    jobs = {
        name: [
            {"id": r["id"], "text": r["text"], "criteria": p["criteria"],
             "received": sets.received(r).isoformat()}
            for p in sets.load(name)
            for r in p["resumes"]
        ]
        for name in sets.SETS
    }  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--quiet", "--detach", str(tree), rev],
            check=True,
            cwd=sets.ROOT.parent,
        )
        try:
            done = subprocess.run(
                [sys.executable, "-c", _RUNNER],
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": str(tree / "src"), "PATH": "/usr/bin:/bin"},
            )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(tree)],
                check=True,
                cwd=sets.ROOT.parent,
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(done.stdout, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
