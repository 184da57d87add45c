"""Confirming or reopening a screening document changes the decision shown with the resume.

Confirmed: the reviewer's overall and recommendation become the resume's decision (the machine's
stay next to them). Reopened: the resume is awaiting review again and the machine's decision is
shown until the next confirmation. Only the resume's latest screening decides.
"""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from hrm2.audit.signals import document_confirmed, document_reopened
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport


def _latest_report_of(document) -> ScreeningReport | None:
    if document.source_type_id != ContentType.objects.get_for_model(ScreeningReport).pk:
        return None
    report = ScreeningReport.objects.filter(pk=document.source_id).first()
    if report is None:
        return None
    latest = (
        ScreeningReport.objects.filter(resume_id=report.resume_id, status="completed")
        .order_by("-completed_at")
        .values_list("pk", flat=True)
        .first()
    )
    return report if latest == report.pk else None


@receiver(document_confirmed)
def show_confirmed_decision(sender, document, **kwargs) -> None:
    report = _latest_report_of(document)
    if report is not None:
        recommendation = document.final_outcome or report.recommendation
        Resume.objects.filter(pk=report.resume_id).update(
            confirmed_score=document.final_total,
            confirmed_recommendation=recommendation,
            review_state="confirmed",
            decision_score=document.final_total,
            decision_recommendation=recommendation,
        )


@receiver(document_reopened)
def show_machine_decision(sender, document, **kwargs) -> None:
    report = _latest_report_of(document)
    if report is not None:
        Resume.objects.filter(pk=report.resume_id).update(
            confirmed_score=None,
            confirmed_recommendation="",
            review_state="pending",
            decision_score=report.overall_score,
            decision_recommendation=report.recommendation,
        )
