"""Console forms on error: every message at once, in words naming the field, next to its field,
and nothing the user typed or ticked is lost."""

import re

import pytest
from django.test import Client

from hrm2.positions.models import Position
from hrm2.resumes.models import ResumeGroup
from hrm2.screening.models import ScreeningTask

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def field_error(page: str, element_id: str) -> str:
    """The text of the error shown under the form element ``element_id``."""
    found = re.findall(rf'<p class="field-error" id="{element_id}-error">([^<]*)</p>', page)
    assert found, f"no error next to #{element_id}"
    return " ".join(found)


def checked_ids(page: str) -> set[str]:
    return set(re.findall(r'name="resume_ids" value="([^"]+)"[^>]*\bchecked\b', page))


def test_invalid_group_keeps_the_ticked_resumes_and_shows_errors_by_their_fields(
    hr_console, resumes
):
    alice = resumes[0]
    back = "/console/resumes/?candidate_name=Alice"
    response = hr_console.post(
        "/console/groups/create/",
        {"group_name": "   ", "resume_ids": [str(alice.pk)], "next": back},
    )
    assert response.status_code == 422 and not ResumeGroup.objects.exists()
    page = html(response)
    assert checked_ids(page) == {str(alice.pk)}
    assert "Bob Li" not in page  # the list the form was on: same filters
    assert field_error(page, "a-group") == "「组名」不能为空"
    assert 'id="a-group" name="group_name" maxlength="200" value="   "' in page
    assert f'name="next" value="{back}"' in page  # the next try returns to the same list
    assert "String should" not in page and "Value error" not in page

    nothing_ticked = html(
        hr_console.post("/console/groups/create/", {"group_name": "短名单", "next": back})
    )
    assert field_error(nothing_ticked, "a-resumes") == "「简历」至少需要 1 项"
    assert 'value="短名单"' in nothing_ticked


def test_group_of_resumes_of_two_positions_names_the_candidate(hr_console, resumes, position):
    from hrm2.positions import services as position_services
    from hrm2.positions.schemas import CriteriaIn
    from hrm2.resumes import services as resume_services

    other, _created = position_services.save_criteria(
        criteria=CriteriaIn(position="会计"), user=hr_console.user
    )
    carol = resume_services.create_resume(
        position=other, content="Carol Wu\n会计，5 年经验\n", user=hr_console.user
    )
    ticked = [str(resumes[0].pk), str(carol.pk)]
    response = hr_console.post(
        "/console/groups/create/",
        {"group_name": "混合", "resume_ids": ticked, "next": "/console/resumes/"},
    )
    assert response.status_code == 422
    page = html(response)
    assert checked_ids(page) == set(ticked)
    assert "Carol Wu 的简历" in field_error(page, "a-resumes")
    assert "属于其他岗位" in field_error(page, "a-resumes")


def test_group_errors_in_english(console_for, resumes):
    client = console_for("hr", headers={"Accept-Language": "en"})
    page = html(
        client.post("/console/groups/create/", {"group_name": "", "next": "/console/resumes/"})
    )
    assert field_error(page, "a-group") == "Group name must not be empty"
    assert field_error(page, "a-resumes") == "Resumes needs at least 1 item"


def test_screening_without_resumes_keeps_the_chosen_position(hr_console, position, resumes):
    response = hr_console.post(
        "/console/screening/submit/",
        {"position_id": str(position.pk), "group_name": "稍后建组", "next": "/console/resumes/"},
    )
    assert response.status_code == 422 and not ScreeningTask.objects.exists()
    page = html(response)
    assert field_error(page, "a-resumes") == "「简历」：请至少选择一份要筛选的简历"
    assert f'<option value="{position.pk}" selected>' in page
    assert 'value="稍后建组"' in page


def test_position_form_reports_every_error_at_once(hr_console):
    response = hr_console.post(
        "/console/positions/new/",
        {
            "position": "  ",
            "min_experience": "abc",
            "salary_min": "30000",
            "salary_max": "10000",
            "weights.skills": "2",
            "project_requirements.min_projects": "many",
        },
    )
    assert response.status_code == 422 and not Position.objects.exists()
    page = html(response)
    assert field_error(page, "id_position") == "「岗位」不能为空"
    assert field_error(page, "id_min_experience") == "「最低工作年限」应为数字"
    assert field_error(page, "id_salary") == "「薪资范围」：最低值不能大于最高值"
    assert field_error(page, "skills") == "「技能权重」不能大于 1"
    assert field_error(page, "id_min_projects") == "「最少项目数」应为整数"
    assert 'value="abc"' in page and 'value="many"' in page  # what was typed stays


def test_video_upload_reports_the_form_and_the_missing_file_together(hr_console):
    response = Client.post(
        hr_console, "/console/videos/upload/", {"candidate_name": "", "position_applied": "后端"}
    )
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "id_candidate_name") == "「候选人姓名」为必填项"
    assert field_error(page, "id_video_file") == "未上传视频文件"
    assert 'value="后端"' in page
