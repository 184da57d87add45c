"""Console pages show times as people read them: local (TIME_ZONE), to the minute, the same
form in both languages — never UTC, never ISO 8601 with microseconds."""

import re
from datetime import UTC, datetime

import pytest

from hrm2.resumes.models import Resume
from hrm2.screening.models import ScreeningTask

pytestmark = pytest.mark.django_db

UTC_EVENING = datetime(2026, 12, 4, 17, 23, 54, 751538, tzinfo=UTC)
SHANGHAI = "2026-12-05 01:23"  # the same instant in Asia/Shanghai
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def visible(html: str) -> str:
    """The page without its tags (a ``<time datetime="…">`` attribute is for machines)."""
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_lists_and_detail_show_local_minutes(hr_console, screened, language):
    Resume.objects.update(created_at=UTC_EVENING)
    ScreeningTask.objects.update(created_at=UTC_EVENING)
    resume = Resume.objects.first()
    pages = {"/console/resumes/": True, "/console/screening/": True}
    pages[f"/console/resumes/{resume.pk}/"] = False  # shows other times, if any
    for url, shows_created in pages.items():
        response = hr_console.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        text = visible(response.content.decode())
        assert not ISO.search(text), (url, ISO.findall(text))
        assert "17:23" not in text, url  # not UTC
        assert (SHANGHAI in text) is shows_created, url
