"""Reads on resumes and groups; list queries use indexed orderings and no N+1."""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from hrm2.api.errors import NotFound
from hrm2.api.rows import RowQuery, RowSet
from hrm2.positions.models import Position
from hrm2.resumes.models import Resume, ResumeGroup
from hrm2.resumes.schemas import GroupFilters, ResumeFilters

LIST_FIELDS = (
    "id",
    "position_id",
    "position_title",
    "group_id",
    "candidate_name",
    "status",
    "latest_score",
    "confirmed_score",
    "latest_recommendation",
    "source_kind",
    "original_filename",
    "warnings",
    "content_length",
    "created_at",
    "updated_at",
)
NEWEST_FIRST = ("-created_at", "-id")  # the id breaks ties so pages never overlap


def _resumes() -> QuerySet[Resume]:
    # The title as a correlated subquery, not a join: SQL evaluates it for the rows returned
    # only, so COUNT(*) and deep pages (OFFSET 8000) never touch the positions table.
    title = Position.objects.filter(pk=OuterRef("position_id")).values("title")[:1]
    return Resume.objects.annotate(position_title=Subquery(title), content_length=Length("content"))


# Lists and the detail are the hottest reads: their SELECT is compiled once (hrm2.api.rows).
_resume_rows = RowQuery(
    lambda: _resumes().values(*LIST_FIELDS), ordering=NEWEST_FIRST, tallied=True
)
_resume_detail_rows = RowQuery(lambda: _resumes().values(*LIST_FIELDS, "content"), ordering=())


def resume_list(*, filters: ResumeFilters) -> RowSet:
    """Resumes matching ``filters`` as plain rows (dicts), newest first; count() and slicing."""
    q = Q()
    if filters.candidate_name:
        q &= Q(candidate_name__icontains=filters.candidate_name)
    if filters.position_title:
        q &= Q(position__in=Position.objects.filter(title__icontains=filters.position_title))
    if filters.position_id:
        q &= Q(position_id=filters.position_id)
    if filters.group_id:
        q &= Q(group_id=filters.group_id)
    if filters.status:
        q &= Q(status=filters.status)
    if filters.min_score is not None:
        q &= Q(latest_score__gte=filters.min_score)
    return _resume_rows.filter(q)


def get_resume(*, resume_id) -> Resume:
    resume = _resumes().filter(pk=resume_id).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    return resume


def resume_row(*, resume_id) -> dict:
    """One resume as a plain row (dict) with its text, for the API detail; or 404."""
    resume = _resume_detail_rows.filter(Q(pk=resume_id)).first()
    if resume is None:
        raise NotFound(_("Resume not found"))
    return resume


def _groups() -> QuerySet[ResumeGroup]:
    return ResumeGroup.objects.select_related("position").annotate(resume_count=Count("resumes"))


def _with_resumes(groups: QuerySet[ResumeGroup]) -> QuerySet[ResumeGroup]:
    members = _resumes().defer("content").order_by(*NEWEST_FIRST)
    return groups.prefetch_related(
        Prefetch("resumes", queryset=members, to_attr="included_resumes")
    )


def group_list(*, filters: GroupFilters) -> QuerySet[ResumeGroup]:
    groups = _groups().order_by("-created_at")
    if filters.position_title:
        groups = groups.filter(position__title__icontains=filters.position_title)
    if filters.status:
        groups = groups.filter(status=filters.status)
    return _with_resumes(groups) if filters.include_resumes else groups


def get_group(*, group_id, include_resumes: bool = False) -> ResumeGroup:
    groups = _groups().filter(pk=group_id)
    group = (_with_resumes(groups) if include_resumes else groups).first()
    if group is None:
        raise NotFound(_("Resume group not found"))
    return group
