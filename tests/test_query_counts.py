"""Every list endpoint issues the same number of SQL queries whatever the page size: no N+1."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import assert_success

pytestmark = pytest.mark.django_db

LISTS = [
    "/position-settings/list/",
    "/resume-screening/data/",
    "/resume-screening/groups/?include_resumes=true",
    "/resume-screening/groups/",
    "/resume-screening/tasks-history/",
    "/video-analysis/list/",
    "/interview-assist/sessions/",
    "/admin/v2/evaluation/documents/",
    "/admin/v2/evaluation/tasks/",
    "/final-recommend/interview-evaluation/",
]


@pytest.fixture
def populated(admin, django_capture_on_commit_callbacks):
    """Several of everything: positions, resumes in groups, screened (so audited), sessions."""
    from hrm2.videos.models import VideoAnalysis

    for p in range(3):
        position = assert_success(
            admin.post(
                "/position-settings/", {"position": f"岗位{p}", "required_skills": ["Python"]}
            ),
            201,
        )
        ids = [
            assert_success(
                admin.post(
                    "/resume-screening/data/",
                    {
                        "position_id": position["id"],
                        "resume_content": f"候选人{p}{i}\nPython {p} {i}",
                    },
                ),
                201,
            )["id"]
            for i in range(4)
        ]
        assert_success(
            admin.post(
                "/resume-screening/groups/create/", {"group_name": f"组{p}", "resume_data_ids": ids}
            ),
            201,
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert_success(
                admin.post(
                    "/resume-screening/screening/",
                    {"position_id": position["id"], "resume_data_ids": ids},
                ),
                202,
            )
        for rid in ids[:2]:
            assert_success(admin.post("/interview-assist/sessions/", {"resume_data_id": rid}), 201)
        for i in range(3):
            VideoAnalysis.objects.create(candidate_name=f"v{p}{i}", position_applied=f"岗位{p}")
    return admin


def _count(client, url: str, page_size: int) -> int:
    sep = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as queries:
        data = assert_success(client.get(f"{url}{sep}page_size={page_size}"))
    assert data["total"] == 0 or data["items"], url
    return len(queries)


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_the_page(populated, url):
    assert _count(populated, url, 1) == _count(populated, url, 50)
