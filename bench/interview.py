"""Interview assistant latency: embedded question generation and answer evaluation.

    .venv/bin/python -m bench.interview [--rounds 200]

Target (issue 6): each call < 200 ms with the embedded engine. Prints p50/p95/max per call.
"""

import argparse
import statistics
import time

from bench import summary
from bench.load import percentile


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = percentile(ordered, 0.95)
    return (
        f"p50 {statistics.median(ordered):7.2f} ms   p95 {p95:7.2f} ms   max {ordered[-1]:7.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()

    from tests.ai.fixtures.interview_labelled import CASES
    from tests.ai.test_interview_embedded import CRITERIA, RESUME

    from bench.resumes import make_resumes
    from hrm2.ai.interview import QuestionInput
    from hrm2.ai.interview_embedded import EmbeddedInterviewEngine

    resumes = [RESUME, *make_resumes(20)]  # the test resume plus generated zh/en resumes

    engine = EmbeddedInterviewEngine()
    started = time.perf_counter()
    engine.warm_up()
    engine.generate_questions(RESUME, CRITERIA, categories=["简历相关"])
    warm = (time.perf_counter() - started) * 1000
    print(f"warm-up (jieba dictionary, lexicon, bank): {warm:.0f} ms")

    generation = []
    for n in range(args.rounds):
        t0 = time.perf_counter()
        engine.generate_questions(
            resumes[n % len(resumes)],
            CRITERIA,
            categories=["简历相关", "专业能力", "行为面试"],
            level=("junior", "mid", "senior", "expert")[n % 4],
            count_per_category=2 + n % 3,
        )
        generation.append((time.perf_counter() - t0) * 1000)

    evaluation = []
    for n in range(args.rounds):
        _id, question, skills, difficulty, answer, _band, _reasons = CASES[n % len(CASES)]
        q = QuestionInput(content=question, expected_skills=skills, difficulty=difficulty)
        t0 = time.perf_counter()
        engine.evaluate_answer(q, answer, criteria=CRITERIA, covered=["Python"])
        evaluation.append((time.perf_counter() - t0) * 1000)

    print(f"question generation ({args.rounds} calls over {len(resumes)} resumes, 6–12 questions):")
    print(f"    {_percentiles(generation)}")
    print(f"answer evaluation ({args.rounds} calls over {len(CASES)} labelled answers):")
    print(f"    {_percentiles(evaluation)}")
    worst = max(max(generation), max(evaluation))
    for label, timings in (("question generation", generation), ("answer evaluation", evaluation)):
        summary.record(
            summary.Figure(
                f"interview: {label} (p50)",
                statistics.median(timings),
                "ms",
                p50_ms=statistics.median(timings),
                p99_ms=percentile(sorted(timings), 0.99),
                target="< 200 ms per call",
            )
        )
    print(f"target < 200 ms per call: {'met' if worst < 200 else 'NOT met'} (worst {worst:.1f} ms)")


if __name__ == "__main__":
    main()
