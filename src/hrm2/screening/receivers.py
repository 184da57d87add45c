"""Show the reviewer-confirmed screening score on the resume (the machine score stays too)."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver

from hrm2.audit.signals import document_confirmed, document_reopened
from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningReport


def _resume_of(document) -> Resume | None:
    if document.source_type_id != ContentType.objects.get_for_model(ScreeningReport).pk:
        return None
    report = ScreeningReport.objects.filter(pk=document.source_id).only("resume_id").first()
    if report is None:
        return None
    latest = (
        ScreeningReport.objects.filter(resume_id=report.resume_id, status="completed")
        .order_by("-completed_at")
        .values_list("pk", flat=True)
        .first()
    )
    # Only the resume's latest screening decides the score shown with it.
    return Resume(pk=report.resume_id) if latest == report.pk else None


@receiver(document_confirmed)
def show_confirmed_score(sender, document, **kwargs) -> None:
    resume = _resume_of(document)
    if resume is not None:
        Resume.objects.filter(pk=resume.pk).update(confirmed_score=document.final_total)


@receiver(document_reopened)
def hide_confirmed_score(sender, document, **kwargs) -> None:
    resume = _resume_of(document)
    if resume is not None:
        Resume.objects.filter(pk=resume.pk).update(confirmed_score=None)
