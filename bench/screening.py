"""Screening throughput: the embedded engine alone, and end to end through web + worker.

    .venv/bin/python -m bench.screening [--resumes 1000]

Targets (issue 3): engine ≥ 200 resumes/s; end to end (submit 1,000 resumes → job completed,
one worker, SQLite and the SQLite broker) ≥ 50 resumes/s.
"""

import argparse
import os
import time

from bench import summary
from bench.processes import Stack
from bench.resumes import BACKEND_CRITERIA, make_resumes


def engine_only(resumes: list[str]) -> float:
    from hrm2.ai.embedded import EmbeddedEngine

    engine = EmbeddedEngine()
    engine.screen(resumes[0], BACKEND_CRITERIA)  # warm-up: jieba dictionary, lexicon
    started = time.perf_counter()
    for text in resumes:
        engine.screen(text, BACKEND_CRITERIA)
    return len(resumes) / (time.perf_counter() - started)


def end_to_end(resumes: list[str]) -> tuple[float, float]:
    stack = Stack()
    try:
        stack.start_web(workers=1)
        stack.start("worker", "--concurrency", "1")
        token = stack.token()
        position = stack.call("POST", "/position-settings/", BACKEND_CRITERIA, token)
        started = time.perf_counter()
        ids = [
            stack.call(
                "POST",
                "/resume-screening/data/",
                {"position_id": position["id"], "resume_content": text},
                token,
            )["id"]
            for text in resumes
        ]
        upload_rate = len(ids) / (time.perf_counter() - started)
        started = time.perf_counter()
        task = stack.call(
            "POST",
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": ids},
            token,
        )
        while True:
            status = stack.call(
                "GET", f"/resume-screening/tasks/{task['task_id']}/status/", token=token
            )
            if status["status"] in ("completed", "failed", "cancelled"):
                break
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        assert status["status"] == "completed" and status["succeeded"] == len(ids), status
        return upload_rate, len(ids) / elapsed
    finally:
        stack.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resumes", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")
    resumes = make_resumes(args.resumes)
    engine_rate = engine_only(resumes)
    upload_rate, e2e_rate = end_to_end(resumes)
    figures = [
        summary.Figure(
            "screening: embedded engine alone", engine_rate, "resumes/s", target="≥ 200"
        ),
        summary.Figure("screening: create via API, 1 client", upload_rate, "resumes/s"),
        summary.Figure("screening: end to end, 1 worker", e2e_rate, "resumes/s", target="≥ 50"),
    ]
    for figure in figures:
        summary.record(figure)
    print(summary.table(figures))


if __name__ == "__main__":
    main()
