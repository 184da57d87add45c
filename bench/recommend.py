"""Group evaluation (final recommendation) of 100 candidates with the embedded engine.

    .venv/bin/python -m bench.recommend [--candidates 100] [--runs 3]

Target (issue 7): a group of 100 candidates is evaluated in < 30 s with the embedded engine.
Runs in process on a fresh SQLite database in a temporary var dir: the candidates have a
screening report and eight evaluated interview answers each (tests/recommend/factory.py), and
the job runs exactly as a worker runs it (claim, inputs, engine, ranking, md/pdf/docx reports).
Prints the whole job's wall time and its parts.
"""

import argparse
import os
import statistics
import tempfile
import time

from bench import summary


def _setup() -> None:
    os.environ["HRM2_VAR_DIR"] = tempfile.mkdtemp(prefix="hrm2-bench-rec-")
    os.environ["HRM2_CELERY_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    _setup()

    from unittest import mock

    from django.db import transaction
    from tests.recommend.factory import Spec, make_group

    from hrm2.accounts.services import create_user
    from hrm2.ai.recommend import CandidateInput, get_recommend_engine, rank_group
    from hrm2.documents.reports import render
    from hrm2.jobs import runner
    from hrm2.jobs.models import Job
    from hrm2.recommend import reporting, selectors, services
    from hrm2.recommend.models import GroupEvaluation
    from hrm2.recommend.schemas import EvaluationIn

    user = create_user(username="bench", password="Bench-pw-12345", role="hr")
    shares = [(i % 9) / 8 for i in range(args.candidates)]
    specs = [Spec(f"候选人{i:03d}", share, interview=i % 10 != 0) for i, share in enumerate(shares)]
    t0 = time.perf_counter()
    group = make_group(user, specs)
    print(f"fixture: {args.candidates} candidates in {time.perf_counter() - t0:.1f} s")

    # The parts, measured alone.
    resumes = selectors.group_resumes(group)
    t0 = time.perf_counter()
    inputs = selectors.candidate_inputs(resumes, include_video=True)
    read_s = time.perf_counter() - t0
    engine = get_recommend_engine("embedded")
    weights = services.normalise_weights(None)
    t0 = time.perf_counter()
    evaluations = [
        engine.evaluate(CandidateInput.model_validate(c), weights=weights) for c in inputs.values()
    ]
    engine_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    ranking = rank_group(evaluations)
    rank_s = time.perf_counter() - t0

    totals, reports = [], []
    for run in range(args.runs):
        # enqueue is patched out: the job is run below, in this process, as a worker runs it
        with mock.patch("hrm2.jobs.services.enqueue"), transaction.atomic():
            evaluation = services.submit_evaluation(
                data=EvaluationIn(group_id=group.pk, include_video=True),
                user=user,
                language="zh-hans",
            )
        t0 = time.perf_counter()
        status = runner.execute(str(evaluation.pk))
        totals.append(time.perf_counter() - t0)
        job = Job.objects.get(pk=evaluation.pk)
        assert status == "completed", (status, job.error)
        done = GroupEvaluation.objects.get(pk=evaluation.pk)
        assert len(done.result["ranking"]) + len(done.result["unranked"]) == args.candidates
        sizes = {f.format: f.size for f in done.report_files.all()}
        reports.append(sizes)
        print(
            f"run {run + 1}: {totals[-1]:.2f} s  ({len(done.result['ranking'])} ranked, "
            f"{len(done.result['unranked'])} insufficient evidence; report sizes "
            + ", ".join(f"{k} {v // 1024} KiB" for k, v in sorted(sizes.items()))
            + ")"
        )

    render_s = {}
    for fmt in ("md", "pdf", "docx"):
        t0 = time.perf_counter()
        render(reporting.build_report(done), fmt)
        render_s[fmt] = time.perf_counter() - t0

    print()
    print(f"{'measure':<58} {'value':>9}  target")
    print(f"{'read inputs, 100 candidates (s)':<58} {read_s:>9.3f}")
    print(f"{'embedded engine, 100 candidates (s)':<58} {engine_s:>9.3f}")
    print(f"{'ranking, comparison, trade-offs (s)':<58} {rank_s:>9.3f}")
    for fmt, seconds in render_s.items():
        print(f"{'report ' + fmt + ' (build + render) (s)':<58} {seconds:>9.3f}")
    print(
        f"{'whole job incl. md/pdf/docx reports, median (s)':<58} "
        f"{statistics.median(totals):>9.2f}  < 30"
    )
    print(f"{'whole job, worst of ' + str(args.runs) + ' runs (s)':<58} {max(totals):>9.2f}  < 30")
    print(f"recommended order starts: {ranking.recommended_order[:80]}…")
    summary.record(
        summary.Figure(
            f"group evaluation: {args.candidates} candidates + reports (median)",
            statistics.median(totals),
            "s",
            target="< 30 s",
        )
    )


if __name__ == "__main__":
    main()
