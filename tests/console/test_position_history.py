"""The position history: every field of each criteria version, and what changed from the
version before — criteria added and removed, numbers before → after — in Chinese and English."""

import re

import pytest

from hrm2.positions import history
from hrm2.positions import services as position_services
from hrm2.positions.schemas import CriteriaPatch

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def edited(position, hr_console):
    """v1 (the conftest position), then v2: a skill swapped, numbers, education, weights."""
    position_services.update_criteria(
        position=position,
        patch=CriteriaPatch(
            required_skills=["Python", "Kafka"],
            min_experience=5,
            education=["本科", "硕士"],
            salary_range=(20000, 30000),
            weights={"skills": 0.6, "experience": 0.4},
            description="负责交易系统",
        ),
        user=hr_console.user,
    )
    position.refresh_from_db()
    return position


def _version(page: str, number: int) -> str:
    start = page.index(f'id="v{number}"')
    end = page.find('<li class="version"', start + 1)
    return page[start : end if end > 0 else len(page)]


def test_changes_between_versions():
    older = {"required_skills": ["Python", "Django"], "min_experience": 3, "education": ["本科"]}
    newer = {"required_skills": ["python", "Kafka"], "min_experience": 5, "education": ["本科"]}
    found = {c.key: c for c in history.changes(older, newer)}
    assert set(found) == {"required_skills", "min_experience"}
    assert found["required_skills"].added == ["Kafka"]  # "python" is still "Python"
    assert found["required_skills"].removed == ["Django"]
    assert (found["min_experience"].before, found["min_experience"].after) == ("3", "5")
    assert history.changes(newer, newer) == []


def test_history_page_lists_every_field_and_the_differences_in_chinese(hr_console, edited):
    page = html(hr_console.get(f"/console/positions/{edited.pk}/history/"))
    v2, v1 = _version(page, 2), _version(page, 1)
    assert "第一个版本" in v1 and "第一个版本" not in v2
    changes = v2[v2.index('class="changes"') : v2.index("</ul>")]
    assert re.search(r"必备技能</strong>:\s*<span class=\"added\">新增 <ins>Kafka</ins>", changes)
    assert "删除 <del>Django</del>" in changes
    assert "<del>3</del> → <ins>5</ins>" in changes  # minimum years
    assert "新增 <ins>硕士</ins>" in changes
    assert "<del>—</del> → <ins>20000–30000</ins>" in changes
    assert "技能权重</strong>: <del>—</del> → <ins>0.6</ins>" in changes
    assert "职位描述" in changes and "负责交易系统" in changes
    assert "Department" not in changes and "部门" not in changes  # unchanged fields stay out
    fields = v2[v2.index('<dl class="criteria">') :]
    for label in ("职位名称", "部门", "必备技能", "加分技能", "证书", "最低工作年限", "学历",
                  "薪资范围", "最少项目数", "要求团队管理经验", "领导力权重"):  # fmt: skip
        assert f"<dt>{label}</dt>" in fields, label
    assert "<dd>本科、硕士</dd>" in fields and "<dd>Python、Kafka</dd>" in fields
    detail = html(hr_console.get(f"/console/positions/{edited.pk}/"))
    assert 'id="full-history"' in detail and "新增 <ins>Kafka</ins>" in detail


def test_history_page_in_english_names_levels_and_weights_in_english(hr_console, edited):
    page = html(
        hr_console.get(f"/console/positions/{edited.pk}/history/", HTTP_ACCEPT_LANGUAGE="en")
    )
    v2 = _version(page, 2)
    assert "added <ins>master&#x27;s degree</ins>" in v2
    assert "<dd>bachelor&#x27;s degree, master&#x27;s degree</dd>" in v2
    assert "Skills weight</strong>: <del>—</del> → <ins>0.6</ins>" in v2
    visible = re.sub(r"<[^>]+>", " ", v2)  # data-field="min_experience" is for machines
    assert not re.search(r"本科|硕士|weights\.|min_experience", visible)
    assert "<ins>Python</ins>" not in v2 and "<dd>Python, Kafka</dd>" in v2


def test_reviewer_reads_the_history(reviewer_console, edited):
    response = reviewer_console.get(f"/console/positions/{edited.pk}/history/")
    assert response.status_code == 200 and 'id="v2"' in html(response)
