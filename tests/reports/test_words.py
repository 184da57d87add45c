"""Reports name codes in words (issue 16): the engine, and education levels in English —
"Education: bachelor's degree", "below bachelor's degree", never "本科" outside the quotes."""

import re

import pytest

from tests.reports.test_pdf_text import screen_weak_resume

pytestmark = pytest.mark.django_db
LEVELS = re.compile(r"大专|本科|硕士|博士")


def _screened_md(client, capture) -> str:
    resume_id = screen_weak_resume(client, capture)
    response = client.get(f"/resume-screening/reports/{resume_id}/download/?format=md")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def test_english_report_names_education_levels_and_the_engine_in_english(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("hr", headers={"Accept-Language": "en"})
    md = _screened_md(client, django_capture_on_commit_callbacks)
    assert "Education: bachelor's degree" in md
    assert "associate degree, below bachelor's degree" in md
    assert "Built-in engine (offline)" in md and "embedded" not in md
    # the resume's own words ("大专") appear only as quoted evidence (its table cell)
    assert "| 大专 |" in md
    assert not LEVELS.search(md.replace("| 大专 |", "|  |")), LEVELS.findall(md)


def test_chinese_report_keeps_the_levels_and_names_the_engine_in_chinese(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for("hr", headers={"Accept-Language": "zh-hans"})
    md = _screened_md(client, django_capture_on_commit_callbacks)
    assert "学历：本科" in md and "低于要求（本科）" in md
    assert "内置引擎（离线）" in md and "embedded" not in md
