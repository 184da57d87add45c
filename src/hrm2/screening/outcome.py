"""What a person decided about a screening report, shaped for every place that shows it.

The candidate page, the report downloads (md, pdf, docx, json) and the API read the same
:func:`review_outcome`: the review state, the machine's decision, the reviewer's decision (live
while the review is open, final once confirmed), who confirmed it and when, and each criterion a
reviewer changed with the reason given. Overall scores are explained in
:mod:`hrm2.screening.review`.
"""

from django.contrib.contenttypes.models import ContentType

from hrm2.accounts.selectors import display_name
from hrm2.audit.models import Document, EvaluationResult
from hrm2.resumes.vocabulary import DECISIONS, RECOMMENDATIONS, REVIEW_STATES, VERDICTS, label
from hrm2.screening.models import ScreeningReport
from hrm2.screening.review import point_label


def person_name(user) -> str:
    return "" if user is None else display_name(user)


def _changed(result: EvaluationResult) -> bool:
    """A person changed the machine's verdict or gave a score of their own."""
    return result.status == EvaluationResult.Status.REVIEWED and (
        result.final_result != result.machine_result or result.final_score is not None
    )


def _point(result: EvaluationResult) -> dict:
    return {
        "criterion": point_label(result.point),
        "kind": result.point.category,
        "machine_verdict": result.machine_verdict or result.machine_result,
        "machine_verdict_label": label(VERDICTS, result.machine_verdict or result.machine_result),
        "decision": result.final_result,
        "decision_label": label(DECISIONS, result.final_result),
        "final_score": result.final_score,
        "reason": (result.evaluated_results or {}).get("message", "") or "",
        "reviewer": person_name(result.reviewed_by),
        "reviewed_at": result.reviewed_at.isoformat() if result.reviewed_at else None,
    }


def _decision(score, recommendation: str) -> dict:
    return {
        "score": score,
        "recommendation": recommendation,
        "recommendation_label": label(RECOMMENDATIONS, recommendation),
    }


def review_outcome(report: ScreeningReport) -> dict | None:
    """The review of ``report`` (None when the report was never recorded for review)."""
    document = (
        Document.objects.select_related("confirmed_by")
        .filter(
            source_type=ContentType.objects.get_for_model(ScreeningReport),
            source_id=str(report.pk),
        )
        .first()
    )
    if document is None:
        return None
    results = list(
        EvaluationResult.objects.filter(document=document)
        .select_related("point", "reviewed_by")
        .order_by("point__order", "id")
    )
    state = "confirmed" if document.is_confirmed else "pending"
    reviewed = [r for r in results if r.status == EvaluationResult.Status.REVIEWED]
    return {
        "document_id": document.pk,
        "state": state,
        "state_label": label(REVIEW_STATES, state),
        "machine": _decision(
            report.overall_score, report.recommendation or document.machine_outcome
        ),
        "human": _decision(document.final_total, document.final_outcome),
        "confirmed_by": person_name(document.confirmed_by) if document.is_confirmed else "",
        "confirmed_at": document.confirmed_at.isoformat() if document.is_confirmed else None,
        "points_total": len(results),
        "points_reviewed": len(reviewed),
        "changes": [_point(r) for r in reviewed if _changed(r)],
    }
