"""A screening report as a person reviewed it: the human-confirmed overall and recommendation.

The audit module records one point per criterion. When a reviewer passes or fails points, the
report's own formulas (:func:`hrm2.ai.scoring.rescore`) run again with the reviewer's verdicts in
place of the engine's, so there is one overall per stage, computed one way:

- machine overall: the engine's overall, from the engine's verdicts
  (``ScreeningReport.overall_score``, ``Document.machine_total``);
- human-confirmed overall: the same computation with the reviewer's verdicts
  (``Document.final_total``; on the resume once the document is confirmed).

Registered as the audit scorer of screening documents (``ScreeningConfig.ready``).
"""

from hrm2.ai.scoring import Rescored, rescore, reviewed
from hrm2.ai.screening import Criteria, CriterionResult, ScreeningResult
from hrm2.audit.scorers import Totals
from hrm2.resumes.vocabulary import criterion_label
from hrm2.screening.models import ScreeningReport

AUDIT_KIND = "resume_screening"


def point_key(criterion: dict) -> str:
    """The audit point key of a criterion (unique within its criteria version)."""
    return f"{criterion['kind']}:{criterion['name']}"


def point_label(point) -> str:
    """A screening point as the reader reads it, in the active language: its stored name is in
    the screening's language ("学历：本科"); its key still holds the criterion, so an English
    reader gets "Education: bachelor's degree". Other points keep their name."""
    kind, colon, name = (point.key or "").partition(":")
    if not colon or kind != point.category:
        return point.name
    return criterion_label(kind, name)


def machine_totals(result: dict) -> Totals:
    return Totals(
        total=result.get("overall"),
        passed=result.get("recommendation") != "reject",
        outcome=result.get("recommendation", ""),
    )


def as_reviewed(stored: dict, criteria: dict, audit_results) -> Rescored | None:
    """The stored screening result with the reviewed audit results (``status == "reviewed"``)
    in place of the engine's verdicts, rescored; None when no point was reviewed. The one
    place that turns a reviewer's pass / fail into criterion results (the audit total, the
    group evaluation and the reports all read it)."""
    by_key = {r.point.key: r for r in audit_results if r.status == "reviewed"}
    if not by_key:
        return None
    result = ScreeningResult.model_validate(stored)
    results: list[CriterionResult] = []
    for item in result.criteria_results:
        audited = by_key.get(point_key(item.criterion.model_dump()))
        if audited is None:
            results.append(item)
        else:
            results.append(reviewed(item, audited.final_result, audited.final_score))
    return rescore(result, Criteria.model_validate(criteria), results)


def human_totals_for(report: ScreeningReport, audit_results) -> Totals:
    """Totals of ``report`` with the reviewed audit results applied."""
    stored = report.result or {}
    rescored = as_reviewed(stored, report.task.criteria_version.criteria, audit_results)
    if rescored is None:
        return machine_totals(stored)
    return Totals(
        total=rescored.overall,
        passed=rescored.recommendation != "reject",
        outcome=rescored.recommendation,
    )


def audit_scorer(document, results) -> Totals:
    """The audit scorer of screening documents (see :mod:`hrm2.audit.scorers`)."""
    report = (
        ScreeningReport.objects.select_related("task__criteria_version")
        .filter(pk=document.source_id)
        .first()
    )
    if report is None:  # the report was deleted with its resume; nothing to recompute
        return Totals(document.machine_total, document.machine_passed, document.machine_outcome)
    return human_totals_for(report, results)
