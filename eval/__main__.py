"""``make eval``: screen every labelled set with the current engine, compare with the stored
figures of the previous engine, and print them side by side.

    python -m eval                 # every set, the current engine next to the earlier ones
    python -m eval --details dev   # also list every disagreement of a development set
    python -m eval --save FILE     # store the current engine's results (for a later comparison)

Sets: ``dev`` (calibrated on), ``dev2`` (written later by another helper, a second development
set) and ``blind`` (measured, never read for tuning: disagreements are listed only for the
development sets). The earlier engines' figures are made by their own code (:mod:`eval.baseline`)
and cached in ``var/eval`` under a digest of the set files, so a changed set is re-screened.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from eval import sets
from eval.metrics import spearman

# Earlier engines, each run from its own revision (eval.baseline): 1.0 before the rewrite, 2.0.
BASELINE_REVS = ("fa77be3", "ba8611c")
CACHE = sets.ROOT.parent / "var" / "eval"
DECISION_RANK = {"interview": 2, "reserve": 1, "reject": 0}


def screen_all(engine_factory) -> dict:
    """``{set: {resume id: result dict}}`` for every resume of every set."""
    out: dict[str, dict] = {}
    for name in sets.SETS:
        out[name] = {}
        for position in sets.load(name):
            for resume in position["resumes"]:
                engine = engine_factory(sets.received(resume))
                result = engine.screen(resume["text"], position["criteria"])
                out[name][resume["id"]] = result.model_dump(mode="json")
    return out


def measure(name: str, results: dict, *, details: bool = False) -> dict:
    total = correct = decisions = agreed = 0
    interview_rejected = 0
    rhos = []
    misses = []
    for position in sets.load(name):
        predicted_scores, expected_scores = [], []
        order = {rid: i for i, rid in enumerate(position["expected_order"])}
        for resume in position["resumes"]:
            result = results.get(resume["id"])
            if result is None:
                continue
            want = sets.expected_labels(resume)
            got = sets.predicted_labels(result)
            reasons = sets.predicted_reasons(result)
            for key, verdict in want.items():
                total += 1
                if got.get(key) == verdict:
                    correct += 1
                else:
                    misses.append(
                        f"{resume['id']:<22} {key[:44]:<44} want {verdict:<8} got "
                        f"{got.get(key)!s:<8} {reasons.get(key, '')[:90]}"
                    )
            decisions += 1
            if result["recommendation"] == resume["decision"]:
                agreed += 1
            elif details:
                misses.append(
                    f"{resume['id']:<28} DECISION want {resume['decision']} got "
                    f"{result['recommendation']} ({result['overall']})"
                )
            if resume["decision"] == "interview" and result["recommendation"] == "reject":
                interview_rejected += 1
            predicted_scores.append(
                DECISION_RANK[result["recommendation"]] * 1000 + result["overall"]
            )
            expected_scores.append(-order[resume["id"]])
        if len(predicted_scores) >= 3:
            rhos.append((position["slug"], spearman(predicted_scores, expected_scores)))
    if details:
        print("\n".join(misses))
    return {
        "verdict_accuracy": correct / total if total else 0.0,
        "verdicts": f"{correct}/{total}",
        "decision_agreement": agreed / decisions if decisions else 0.0,
        "decisions": f"{agreed}/{decisions}",
        "interview_rejected": interview_rejected,
        "spearman_mean": sum(r for _, r in rhos) / len(rhos) if rhos else 0.0,
        "spearman": rhos,
    }


def _row(label: str, values: list) -> str:
    show = lambda v: "—" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))  # noqa: E731
    return f"  {label:<34}" + "".join(f"{show(v):>15}" for v in values)


def _baseline(rev: str) -> dict:
    """An earlier engine's results on the current set files (screened once, then cached)."""
    digest = hashlib.sha256()
    for name in sets.SETS:
        for path in sorted((sets.ROOT / name).glob("*.json")):
            digest.update(path.read_bytes())
    path = CACHE / f"embedded-{rev}-{digest.hexdigest()[:12]}.json"
    if not path.exists():
        from eval import baseline

        baseline.write(rev, path)
    return json.loads(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval")
    parser.add_argument(
        "--details", choices=["dev", "dev2"], help="list the disagreements of a development set"
    )
    parser.add_argument("--save", type=Path, help="write the current engine's results here")
    args = parser.parse_args(argv)

    from hrm2.ai.embedded import EmbeddedEngine

    started = time.perf_counter()
    engine = EmbeddedEngine()
    current = screen_all(lambda received: _Dated(engine, received))
    elapsed = time.perf_counter() - started
    if args.save:
        args.save.parent.mkdir(parents=True, exist_ok=True)
        args.save.write_text(
            json.dumps(
                {"engine": f"embedded-{engine.version}", "results": current},
                ensure_ascii=False,
                sort_keys=True,
            ),
            encoding="utf-8",
        )
    baselines = [_baseline(rev) for rev in BASELINE_REVS]
    count = sum(len(v) for v in current.values())
    print(f"screened {count} resumes with embedded {engine.version} in {elapsed:.1f} s")
    targets = {
        "verdict_accuracy": "≥ 0.90",
        "decision_agreement": "≥ 0.80",
        "spearman_mean": "≥ 0.70",
        "interview_rejected": "0",
    }
    titles = [old["engine"] for old in baselines] + [f"embedded-{engine.version}"]
    for name in sets.SETS:
        columns = [measure(name, old["results"].get(name, {})) for old in baselines]
        columns.append(measure(name, current[name], details=args.details == name))
        resumes = columns[-1]["decisions"].split("/")[1]
        print(f"\n{name} set ({resumes} resumes)".ljust(36) + "".join(f"{t:>15}" for t in titles)
              + "   target (blind)")  # fmt: skip
        for key, label in (
            ("verdict_accuracy", "per-criterion verdict accuracy"),
            ("decision_agreement", "decision agreement"),
            ("spearman_mean", "mean Spearman per position"),
            ("interview_rejected", "'interview' resumes rejected"),
        ):
            print(_row(label, [c[key] for c in columns]) + f"   {targets[key]}")
        print(_row("verdicts right", [c["verdicts"] for c in columns]))
        print(_row("decisions agreed", [c["decisions"] for c in columns]))
        for slug, _ in columns[-1]["spearman"]:
            rhos = [dict(c["spearman"]).get(slug) for c in columns]
            print(_row(f"  Spearman {slug[:22]}", rhos))
    return 0


class _Dated:
    """The shared engine, screening as of the day each resume was received."""

    def __init__(self, engine, received):
        self.engine, self.received = engine, received

    def screen(self, text, criteria):
        return self.engine.screen(text, criteria, received=self.received)


if __name__ == "__main__":
    sys.exit(main())
