"""Console group evaluation: start from the group page, progress, ranking with ties, the final
score chart, dimension scores with insufficient evidence, report downloads of registered files
only; roles, group access and CSRF."""

import pytest

from hrm2.recommend.models import GroupEvaluation, ReportFile
from tests.recommend.factory import Spec, make_group

pytestmark = pytest.mark.django_db
SPECS = [
    Spec("甲", 0.875),
    Spec("乙", 0.75),
    Spec("丙", 0.75, report_score=55),  # tied with 乙
    Spec("己", 0.75, screening=False, interview=False),  # nothing: insufficient evidence
]


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def group(hr_console):
    return make_group(hr_console.user, SPECS)


@pytest.fixture
def evaluated(hr_console, group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_console.post(f"/console/groups/{group.pk}/evaluate/", {})
    evaluation = GroupEvaluation.objects.get()
    assert response["Location"] == f"/console/groups/evaluations/{evaluation.pk}/"
    return evaluation


def test_start_from_the_group_page_and_see_the_ranking(hr_console, group, evaluated):
    page = html(hr_console.get(f"/console/groups/{group.pk}/"))
    assert page.count('id="evaluation-start"') == 1 and str(evaluated.pk)[:8] in page
    detail = html(hr_console.get(f"/console/groups/evaluations/{evaluated.pk}/"))
    assert 'data-status="completed"' in detail and "hx-trigger" not in detail
    assert "甲 &gt; 乙 = 丙" in detail  # the tie
    assert detail.count('data-rank="2"') == 2 and 'data-rank="unranked"' in detail
    assert 'id="final-scores-title"' in detail and detail.count('class="chart-bar"') == 3
    assert 'data-dimension="interview_performance"><span class="badge warn"' in detail
    for fmt in ("md", "pdf", "docx"):
        assert f"/console/groups/evaluations/{evaluated.pk}/report.{fmt}" in detail
    progress = hr_console.get(
        f"/console/groups/evaluations/{evaluated.pk}/progress/", HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Refresh"] == "true" and "<html" not in html(progress)


def test_running_evaluation_polls(hr_console, group):
    hr_console.post(f"/console/groups/{group.pk}/evaluate/", {})  # not run: stays pending
    evaluation = GroupEvaluation.objects.get()
    page = html(hr_console.get(f"/console/groups/evaluations/{evaluation.pk}/"))
    assert 'hx-trigger="every 1s"' in page and 'data-status="pending"' in page
    again = hr_console.post(f"/console/groups/{group.pk}/evaluate/", {}, follow=True)
    assert 'class="flash error"' in html(again) and GroupEvaluation.objects.count() == 1


def test_report_downloads_serve_registered_files_only(hr_console, evaluated):
    base = f"/console/groups/evaluations/{evaluated.pk}/"
    for fmt in ("md", "pdf", "docx"):
        response = hr_console.get(f"{base}report.{fmt}")
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
    pdf = ReportFile.objects.get(evaluation=evaluated, format="pdf")
    assert hr_console.get(f"{base}report.pdf").content[:4] == b"%PDF"
    for bad in ("report.exe", "report.json", "report.pdf/../../settings.py", "report..%2fx"):
        assert hr_console.get(f"{base}{bad}").status_code == 404
    by_file_id = hr_console.get(f"/console/groups/evaluations/{pdf.pk}/report.pdf")
    assert by_file_id.status_code == 404  # only evaluation ids in the console URL
    pdf.sha256 = "0" * 64  # the stored bytes no longer match what was registered
    pdf.save()
    assert hr_console.get(f"{base}report.pdf").status_code == 404


def test_roles_and_group_access(console_for, group, evaluated):
    reviewer = console_for("reviewer")  # takes no part in the group
    url = f"/console/groups/evaluations/{evaluated.pk}/"
    assert reviewer.get(url).status_code == 403
    assert reviewer.get(f"{url}report.pdf").status_code == 403
    page = html(reviewer.get(f"/console/groups/{group.pk}/"))
    assert 'id="evaluation-start"' not in page and str(evaluated.pk)[:8] not in page
    assert reviewer.post(f"/console/groups/{group.pk}/evaluate/", {}).status_code == 403
    creator = console_for("interviewer")
    group.created_by = creator.user
    group.save(update_fields=["created_by"])
    readable = creator.get(url)
    assert readable.status_code == 200 and 'id="ranking"' in html(readable)
    assert 'id="evaluation-start"' not in html(creator.get(f"/console/groups/{group.pk}/"))
    assert creator.post(f"/console/groups/{group.pk}/evaluate/", {}).status_code == 403
    assert GroupEvaluation.objects.count() == 1


def test_anonymous_and_csrf(client, console_for, group, evaluated):
    for url in (
        f"/console/groups/evaluations/{evaluated.pk}/",
        f"/console/groups/evaluations/{evaluated.pk}/report.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    strict = console_for("hr", enforce_csrf_checks=True)
    assert strict.post(f"/console/groups/{group.pk}/evaluate/", {}).status_code == 403
    assert GroupEvaluation.objects.count() == 1


def test_group_without_interviews_is_ranked_with_coverage_and_level_words(
    hr_console, django_capture_on_commit_callbacks
):
    group = make_group(
        hr_console.user, [Spec("满分", 1.0, interview=False), Spec("一般", 0.5, interview=False)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        hr_console.post(f"/console/groups/{group.pk}/evaluate/", {})
    evaluation = GroupEvaluation.objects.get(group=group)
    detail = html(hr_console.get(f"/console/groups/evaluations/{evaluation.pk}/"))
    assert 'id="recommended-order">满分 &gt; 一般<' in detail
    assert 'data-rank="1"' in detail and 'data-rank="2"' in detail
    assert 'data-rank="unranked"' not in detail
    assert detail.count('class="coverage partial" data-coverage>筛选，无面试<') == 2
    assert "推荐录用" in detail and "不推荐" in detail and "尚无面试" in detail
    for code in ("strong_recommend", "not_recommend", "insufficient_evidence", ">recommend<"):
        assert code not in detail
    english = console_for_language(hr_console, "en")
    page = html(english.get(f"/console/groups/evaluations/{evaluation.pk}/"))
    assert "Evidence used" in page and "on the evidence that exists" in page


def console_for_language(client, language):
    """The same signed-in client asking for another language (the console's cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client
