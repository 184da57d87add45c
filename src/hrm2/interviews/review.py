"""An evaluated interview answer as a person reviewed it: one score, computed one way.

The machine's answer score is :func:`hrm2.ai.interview.normalized_score` — the mean of the six
1–4 dimension scores × 25, minus a penalty for an overconfident answer. The audit records the six
dimensions as points; the reviewer-confirmed score is the same formula with the reviewer's
scores in place of the machine's (a dimension the reviewer passed without a score of their own
keeps the machine's score; failed without a score, it counts as 1 of 4, the lowest; a score the
reviewer gives, 0–100 % of the dimension, is ×4 and at least 1). Registered
as the audit scorer of interview answers (``InterviewsConfig.ready``).
"""

from hrm2.ai.interview import OVERCONFIDENCE_PENALTY
from hrm2.audit.scorers import Totals

AUDIT_KIND = "interview_answer"
PASS_FROM = 3  # a dimension scored 3 or 4 (of 4) is a "pass" for the audit reviewer


def _score(value: float) -> float:
    return round(min(100.0, max(0.0, value)), 1)


def machine_totals(evaluation: dict) -> Totals:
    score = evaluation.get("normalized_score")
    return Totals(score, None if score is None else score >= PASS_FROM * 25)


def reviewed_dimensions(results) -> dict[str, float]:
    """The 1–4 score per dimension with the reviewer's verdicts in place (the rule above)."""
    scores = {}
    for r in results:
        if r.status == "reviewed" and r.final_score is not None:
            scores[r.point.key] = max(1.0, r.final_score / 100 * 4)  # 1 is the lowest
        elif r.status == "reviewed" and r.final_result != r.machine_result:
            scores[r.point.key] = 4.0 if r.final_result == "pass" else 1.0
        else:
            scores[r.point.key] = r.machine_score / 100 * 4
    return scores


def audit_scorer(document, results) -> Totals:
    if not results:
        return Totals(document.machine_total, document.machine_passed)
    points = list(reviewed_dimensions(results).values())
    confidence = (results[0].rules_results or {}).get("confidence_level")
    penalty = OVERCONFIDENCE_PENALTY if confidence == "overconfident" else 0
    score = _score(sum(points) / len(points) * 25 - penalty)
    return Totals(score, score >= PASS_FROM * 25)
