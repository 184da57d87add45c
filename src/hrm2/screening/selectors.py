"""Reads on screening tasks and reports, shaped for the API."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.api.rows import RowQuery
from hrm2.audit import selectors as audit_selectors
from hrm2.documents.reports import local_time
from hrm2.screening.models import ScreeningReport, ScreeningTask
from hrm2.screening.outcome import review_outcome


def _tasks() -> QuerySet[ScreeningTask]:
    return ScreeningTask.objects.select_related("job", "position", "criteria_version")


def get_task(*, task_id) -> ScreeningTask:
    task = _tasks().filter(pk=task_id).first()
    if task is None:
        raise NotFound(_("Screening task not found"))
    return task


def task_history(*, status: str | None = None) -> QuerySet[ScreeningTask]:
    tasks = _tasks().order_by("-created_at")
    if status:
        tasks = tasks.filter(job__status=status)
    return tasks


def latest_report(*, resume_id) -> ScreeningReport | None:
    return (
        ScreeningReport.objects.filter(resume_id=resume_id, status=ScreeningReport.Status.COMPLETED)
        .select_related("task__criteria_version", "task__position", "resume")
        .order_by("-completed_at")
        .first()
    )


# Read on every resume detail: compiled once (hrm2.api.rows).
_latest_reports = RowQuery(
    lambda: ScreeningReport.objects.values("id", "task_id", "completed_at", "result"),
    ordering=("-completed_at",),
)


def latest_report_view(*, resume_id) -> dict | None:
    """The resume's latest screening result, with its audit document's machine and
    reviewer-confirmed totals (``audit``: None until the report is recorded for review) and the
    review (``review``: see :func:`hrm2.screening.outcome.review_outcome`)."""
    latest = _latest_reports.filter(
        Q(resume_id=resume_id, status=ScreeningReport.Status.COMPLETED)
    ).first()
    if latest is None:
        return None
    report_id = str(latest["id"])
    audit = audit_selectors.scores_for_sources(
        source_type=ContentType.objects.get_for_model(ScreeningReport), source_ids=[report_id]
    ).get(report_id)
    result = latest["result"] or {}
    stored = ScreeningReport(
        pk=latest["id"],
        overall_score=result.get("overall"),
        recommendation=result.get("recommendation", ""),
    )
    return {
        "report_id": report_id,
        "task_id": str(latest["task_id"]),
        "completed_at": latest["completed_at"].isoformat(),
        "audit": audit,
        "review": review_outcome(stored),
        **result,
    }


def report_for_download(*, report_or_resume_id) -> ScreeningReport:
    """A report by its id, or the latest completed report of a resume by the resume's id."""
    report = (
        ScreeningReport.objects.filter(
            pk=report_or_resume_id, status=ScreeningReport.Status.COMPLETED
        )
        .select_related("task__criteria_version", "task__position", "resume")
        .first()
    ) or latest_report(resume_id=report_or_resume_id)
    if report is None:
        raise NotFound(_("Screening report not found"))
    return report


# --- review assignment: scopes → audit documents ----------------------------------------------
# What HR assigns to reviewers, resolved to audit documents here (audit never imports screening):
# a screening job's documents (its completed reports), a resume group's (the latest completed
# report per resume), or hand-picked documents. Each scope has a stable key and a title.


def scope_key(*, job_id=None, group_id=None, document_ids=None) -> str:
    if job_id is not None:
        return f"screening-task:{job_id}"
    if group_id is not None:
        return f"group:{group_id}"
    return "documents:" + ",".join(str(i) for i in sorted(set(document_ids or [])))


class AssignmentScope:
    """``key`` identifies the scope across requests and languages; ``title`` names it."""

    def __init__(self, *, key: str, title: str, document_ids: list[int]) -> None:
        self.key = key
        self.title = title
        self.document_ids = document_ids


def _report_documents(report_ids: list[str]) -> list[int]:
    from hrm2.audit.models import Document

    report_type = ContentType.objects.get_for_model(ScreeningReport)
    return list(
        Document.objects.filter(source_type=report_type, source_id__in=report_ids)
        .order_by("id")
        .values_list("id", flat=True)
    )


def screening_task_scope(*, task_id) -> AssignmentScope:
    """The audit documents of a screening job's completed reports."""
    task = get_task(task_id=task_id)
    report_ids = [
        str(pk)
        for pk in task.reports.filter(status=ScreeningReport.Status.COMPLETED).values_list(
            "pk", flat=True
        )
    ]
    when = local_time(task.created_at)
    return AssignmentScope(
        key=scope_key(job_id=task.pk),
        title=f"{task.position.title} · {when}",
        document_ids=_report_documents(report_ids),
    )


def group_scope(*, group_id) -> AssignmentScope:
    """The audit documents of the latest completed report of each resume in a group."""
    from hrm2.resumes.models import ResumeGroup

    group = ResumeGroup.objects.select_related("position").filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Resume group not found"))
    latest: dict = {}
    reports = (
        ScreeningReport.objects.filter(resume__group=group, status=ScreeningReport.Status.COMPLETED)
        .order_by("resume_id", "-completed_at", "-created_at")
        .values_list("resume_id", "pk")
    )
    for resume_id, report_id in reports:
        latest.setdefault(resume_id, str(report_id))
    return AssignmentScope(
        key=scope_key(group_id=group.pk),
        title=f"{group.group_name} · {group.position.title}",
        document_ids=_report_documents(list(latest.values())),
    )


def documents_scope(*, document_ids: list[int]) -> AssignmentScope:
    """Hand-picked documents (e.g. one candidate's); unknown ids are left to the service."""
    from hrm2.audit.models import Document

    ids = sorted(set(document_ids))
    titles = dict(Document.objects.filter(pk__in=ids).values_list("id", "title"))
    first = next((titles[i] for i in ids if titles.get(i)), "")
    title = first or ", ".join(f"#{i}" for i in ids[:3])
    if len(ids) > 1 and first:
        title = _("%(title)s and %(n)s more") % {"title": first, "n": len(ids) - 1}
    return AssignmentScope(key=scope_key(document_ids=ids), title=title, document_ids=ids)


def report_summaries(*, document_ids: list[int]) -> dict[int, dict]:
    """Per screening document: candidate, position, machine recommendation code and score."""
    from hrm2.audit.models import Document

    report_type = ContentType.objects.get_for_model(ScreeningReport)
    sources = dict(
        Document.objects.filter(pk__in=document_ids, source_type=report_type).values_list(
            "source_id", "id"
        )
    )
    reports = ScreeningReport.objects.filter(pk__in=list(sources)).values(
        "pk",
        "resume_id",
        "resume__candidate_name",
        "task__position__title",
        "recommendation",
        "overall_score",
    )
    return {
        sources[str(row["pk"])]: {
            "resume_id": row["resume_id"],
            "candidate": row["resume__candidate_name"],
            "position": row["task__position__title"],
            "recommendation": row["recommendation"],
            "score": row["overall_score"],
        }
        for row in reports
    }
