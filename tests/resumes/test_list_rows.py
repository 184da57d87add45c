"""The resume list's compiled reader (hrm2.api.rows) and its tally (hrm2.api.tally).

The reader must give exactly what the ORM gives for the same filters, and ``total`` must stay
exact through every kind of write, whatever the tally and its count cache do.
"""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from hrm2.api.models import TableTally
from hrm2.api.rows import RowQuery
from hrm2.positions.models import Position
from hrm2.resumes import selectors
from hrm2.resumes.models import Resume, ResumeGroup
from hrm2.resumes.schemas import ResumeFilters
from tests.conftest import assert_success

pytestmark = pytest.mark.django_db

NAMES = ["张伟", "张敏", "李娜", "Anna_Lee", "100%王", "Bob"]


@pytest.fixture
def resumes(admin):
    now = timezone.now()
    backend = Position.objects.create(title="后端开发工程师", saved_at=now)
    analyst = Position.objects.create(title="Data Analyst", saved_at=now)
    group = ResumeGroup.objects.create(position=backend, group_name="组")
    base = timezone.now()
    rows = []
    for index, name in enumerate(NAMES * 3):
        rows.append(
            Resume(
                position=backend if index % 2 else analyst,
                group=group if index % 3 == 0 else None,
                candidate_name=name,
                content=f"{name} 简历 {index}",
                content_hash=uuid.uuid4().hex,
                status=Resume.Status.SCREENED if index % 4 == 0 else Resume.Status.PENDING,
                latest_score=float(index * 5) if index % 4 == 0 else None,
                # Every other screened resume was confirmed by a reviewer, who changed its score.
                review_state=("confirmed" if index % 8 == 0 else "pending")
                if index % 4 == 0
                else "",
                decision_score=(float(100 - index) if index % 8 == 0 else float(index * 5))
                if index % 4 == 0
                else None,
                decision_recommendation="interview" if index % 8 == 0 else "",
                warnings=[{"code": "w", "index": index}] if index % 5 == 0 else [],
            )
        )
    Resume.objects.bulk_create(rows)
    # Two rows share a timestamp: the id must break the tie the same way in both readers.
    for offset, resume in enumerate(Resume.objects.order_by("content_hash")):
        moment = base - timedelta(seconds=offset // 2)
        Resume.objects.filter(pk=resume.pk).update(created_at=moment, updated_at=moment)
    return {"backend": backend, "analyst": analyst, "group": group}


def orm_rows(filters: ResumeFilters) -> list[dict]:
    """The same list through the plain ORM, as the reference."""
    order = [
        F(name.lstrip("-")).desc(nulls_last=True) if name.startswith("-") else F(name).asc()
        for name in selectors.SORTS[filters.sort]
    ]
    resumes = selectors._resumes().order_by(*order)
    if filters.candidate_name:
        resumes = resumes.filter(candidate_name__icontains=filters.candidate_name)
    if filters.position_title:
        resumes = resumes.filter(position__title__icontains=filters.position_title)
    if filters.position_id:
        resumes = resumes.filter(position_id=filters.position_id)
    if filters.group_id:
        resumes = resumes.filter(group_id=filters.group_id)
    if filters.status:
        resumes = resumes.filter(status=filters.status)
    if filters.min_score is not None:
        resumes = resumes.filter(decision_score__gte=filters.min_score)
    if filters.recommendation:
        resumes = resumes.filter(decision_recommendation=filters.recommendation)
    if filters.min_machine_score is not None:
        resumes = resumes.filter(latest_score__gte=filters.min_machine_score)
    if filters.review_state:
        state = "" if filters.review_state == "none" else filters.review_state
        resumes = resumes.filter(review_state=state)
    return list(resumes.values(*selectors.LIST_FIELDS))


def filter_cases(fixture) -> list[ResumeFilters]:
    return [
        ResumeFilters(),
        ResumeFilters(candidate_name="张"),
        ResumeFilters(candidate_name="anna"),  # case-insensitive
        ResumeFilters(candidate_name="_"),  # a LIKE wildcard, matched literally
        ResumeFilters(candidate_name="%"),
        ResumeFilters(candidate_name="无此人"),
        ResumeFilters(position_title="后端"),
        ResumeFilters(position_id=fixture["analyst"].pk),
        ResumeFilters(group_id=fixture["group"].pk),
        ResumeFilters(status="screened", min_score=20),
        ResumeFilters(candidate_name="张", position_title="后端", status="pending"),
        ResumeFilters(sort="score"),
        ResumeFilters(sort="machine_score", candidate_name="张"),
        ResumeFilters(sort="score", recommendation="interview"),
        ResumeFilters(sort="score", review_state="confirmed", min_score=10),
        ResumeFilters(review_state="none"),
        ResumeFilters(min_machine_score=20, review_state="pending"),
    ]


def test_rows_equal_the_orm_for_every_filter(resumes):
    for filters in filter_cases(resumes):
        expected = orm_rows(filters)
        rows = selectors.resume_list(filters=filters)
        assert rows.count() == len(expected), filters
        assert list(rows) == expected, filters
        assert rows[0:5] == expected[0:5], filters
        assert rows[3:7] == expected[3:7], filters
        assert rows[100:120] == [], filters


def test_total_is_exact_after_every_kind_of_write(resumes):
    everyone = selectors.resume_list(filters=ResumeFilters())
    zhang = ResumeFilters(candidate_name="张")
    screened = ResumeFilters(status="screened")

    def assert_counts_exact():
        assert selectors.resume_list(filters=ResumeFilters()).count() == Resume.objects.count()
        for filters in (zhang, screened):
            assert selectors.resume_list(filters=filters).count() == len(orm_rows(filters))

    assert_counts_exact()
    assert everyone.count() == 18
    Resume.objects.create(
        position=resumes["backend"], candidate_name="张三", content="x", content_hash="a"
    )
    assert_counts_exact()
    Resume.objects.filter(candidate_name="Bob").update(status=Resume.Status.SCREENED)
    assert_counts_exact()  # an update changes filtered totals: the cached count is dropped
    Resume.objects.filter(candidate_name__startswith="张").delete()
    assert_counts_exact()
    with connection.cursor() as cursor:  # a writer that bypasses the ORM
        cursor.execute("DELETE FROM resumes_resume WHERE candidate_name = %s", ["李娜"])
    assert_counts_exact()
    tally = TableTally.objects.get(table_name="resumes_resume")
    assert tally.row_count == Resume.objects.count()


def test_total_falls_back_to_counting_without_a_tally_row(resumes):
    TableTally.objects.filter(table_name="resumes_resume").delete()
    assert selectors.resume_list(filters=ResumeFilters()).count() == 18
    Resume.objects.filter(candidate_name="Bob").delete()
    assert selectors.resume_list(filters=ResumeFilters()).count() == 15
    assert selectors.resume_list(filters=ResumeFilters(candidate_name="张")).count() == 6


def test_unfiltered_total_does_not_count_the_table(resumes, django_assert_num_queries):
    rows = selectors.resume_list(filters=ResumeFilters())
    with django_assert_num_queries(1) as captured:
        assert rows.count() == 18
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_filters_must_not_join():
    query = RowQuery(lambda: Resume.objects.values("id"), ordering=("-created_at",))
    with pytest.raises(ValueError, match="must not join"):
        query.filter(Q(position__title="x"))


def test_the_api_list_reports_the_same_total(resumes, admin):
    page = assert_success(admin.get("/resume-screening/data/?page=2&page_size=5"))
    assert page["total"] == 18
    assert page["pages"] == 4
    expected = orm_rows(ResumeFilters())[5:10]
    assert [item["id"] for item in page["items"]] == [str(row["id"]) for row in expected]
    filtered = assert_success(admin.get("/resume-screening/data/?candidate_name=张"))
    assert filtered["total"] == 6


def test_plain_equalities_equal_the_orm(resumes):
    """``Q(a=x)`` and ``Q(a__in=[…])`` on the table's own columns skip the ORM's lookup building
    (a cached clause, values prepared like the ORM's); the rows must be the ORM's."""
    query = RowQuery(lambda: Resume.objects.values("id", "candidate_name"), ordering=("-id",))
    some = list(Resume.objects.order_by("id").values_list("pk", flat=True)[:3])
    cases = [
        Q(pk=some[0]),
        Q(id=str(some[1])),  # a string key is prepared as the ORM prepares it
        Q(position_id=resumes["analyst"].pk, status=Resume.Status.SCREENED),
        Q(group_id=resumes["group"].pk),
        Q(candidate_name__exact="Bob"),
        Q(pk__in=[some[0], some[2], some[2], None]),  # repeats and None dropped, as by the ORM
        Q(pk__in=[str(some[1])], candidate_name="无此人"),
        # Not plain: the ORM builds them, with the same result.
        Q(group_id=None),
        Q(warnings=[]),  # JSON's exact compares JSON values
        Q(warnings__in=[[], [{"code": "w", "index": 0}]]),
        Q(pk__in=[]),
        ~Q(pk__in=[]),
        Q(position=resumes["backend"]),
        Q(candidate_name="Bob") | Q(candidate_name="李娜"),
        ~Q(candidate_name="Bob"),
        Q(pk__in=Resume.objects.filter(candidate_name="Bob").values("pk")),
    ]
    for q in cases:
        expected = list(Resume.objects.filter(q).order_by("-id").values("id", "candidate_name"))
        rows = query.filter(q)
        assert list(rows) == expected, q
        assert rows.count() == len(expected), q
    plain = [shape for shape, entry in query.compiled().equalities.items() if entry]
    assert len(plain) == 7  # each plain case has its own shape


def test_uuid_columns_read_as_uuid_would_parse_them():
    from hrm2.api.converters import _uuid_from_text

    for value in [uuid.uuid4() for _ in range(50)] + [uuid.UUID(int=0), uuid.UUID(int=2**128 - 1)]:
        parsed = _uuid_from_text(value.hex)
        assert type(parsed) is uuid.UUID
        assert parsed == value and hash(parsed) == hash(value) and str(parsed) == str(value)
        assert parsed.is_safe is uuid.SafeUUID.unknown and parsed.version == value.version
    assert _uuid_from_text(str(value)) == value  # dashed text goes through UUID()
    assert _uuid_from_text(None) is None
    with pytest.raises(ValueError):
        _uuid_from_text("z" * 32)
