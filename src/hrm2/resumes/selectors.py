"""Reads on resumes and groups; list queries use indexed orderings and no N+1."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length
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
    "confirmed_recommendation",
    "review_state",
    "decision_score",
    "decision_recommendation",
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
# Highest score first, unscreened last; the newest first among equal scores.
SORTS = {
    "newest": NEWEST_FIRST,
    "score": ("-decision_score", *NEWEST_FIRST),
    "machine_score": ("-latest_score", *NEWEST_FIRST),
}
_sorted_rows = {
    "newest": _resume_rows,
    **{
        name: RowQuery(lambda: _resumes().values(*LIST_FIELDS), ordering=order, tallied=True)
        for name, order in SORTS.items()
        if name != "newest"
    },
}
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
        q &= Q(decision_score__gte=filters.min_score)
    if filters.recommendation:
        q &= Q(decision_recommendation=filters.recommendation)
    if filters.min_machine_score is not None:
        q &= Q(latest_score__gte=filters.min_machine_score)
    if filters.machine_recommendation:
        q &= Q(latest_recommendation=filters.machine_recommendation)
    if filters.review_state:
        q &= Q(review_state="" if filters.review_state == "none" else filters.review_state)
    return _sorted_rows[filters.sort].filter(q)


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
    # A correlated count, not JOIN + GROUP BY: evaluated for the returned groups only, and
    # COUNT(*) of the list never groups the resumes table.
    members = (
        Resume.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ResumeGroup.objects.select_related("position").annotate(
        resume_count=Coalesce(Subquery(members), 0)
    )


class _GroupsWithResumes:
    """A page of groups gets all its members in one compiled query (hrm2.api.rows), as rows."""

    def __init__(self, groups: QuerySet[ResumeGroup]) -> None:
        self.groups = groups

    def all(self) -> "_GroupsWithResumes":
        return self

    def count(self) -> int:
        return self.groups.count()

    def __getitem__(self, key: slice) -> list[ResumeGroup]:
        return _attach_members(list(self.groups[key]))

    def __iter__(self):
        return iter(_attach_members(list(self.groups)))


def _attach_members(groups: list[ResumeGroup]) -> list[ResumeGroup]:
    members: dict = {group.pk: [] for group in groups}
    if groups:
        for row in _resume_rows.filter(Q(group_id__in=list(members))):
            members[row["group_id"]].append(row)
    for group in groups:
        group.included_resumes = members[group.pk]
    return groups


def group_list(*, filters: GroupFilters) -> QuerySet[ResumeGroup] | _GroupsWithResumes:
    groups = _groups().order_by("-created_at")
    if filters.position_title:
        groups = groups.filter(position__title__icontains=filters.position_title)
    if filters.status:
        groups = groups.filter(status=filters.status)
    return _GroupsWithResumes(groups) if filters.include_resumes else groups


def get_group(*, group_id, include_resumes: bool = False) -> ResumeGroup:
    group = _groups().filter(pk=group_id).first()
    if group is None:
        raise NotFound(_("Resume group not found"))
    return _attach_members([group])[0] if include_resumes else group
