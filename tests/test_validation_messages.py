"""Validation errors through HTTP with real JWTs: sentences in the request's language that name
the field by its label, every error of the request at once, codes only in ``loc``/``type``."""

import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db

PYDANTIC_ENGLISH = (
    "String should",
    "Input should",
    "List should",
    "Tuple should",
    "Value error",
    "Assertion failed",
    "Field required",
    "Extra inputs",
    "valid integer",
)
EN = {"Accept-Language": "en"}


def texts(body: dict) -> list[str]:
    return [body["message"], body["detail"], *(e["msg"] for e in body["errors"])]


def chinese_errors(response, status=422) -> dict[str, str]:
    """The body's sentences by dotted location; each is Chinese and free of pydantic's words."""
    body = assert_error(response, status)
    for text in texts(body):
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not any(words in text for words in PYDANTIC_ENGLISH), text
    return {".".join(map(str, e["loc"])): e["msg"] for e in body["errors"]}


def english_errors(response, status=422) -> dict[str, str]:
    body = assert_error(response, status)
    for text in texts(body):
        words = text.replace("大专, 本科, 硕士, 博士", "")  # the accepted values, as sent
        assert not re.search(r"[\u4e00-\u9fff「」]", words), text
        assert not any(words in text for words in PYDANTIC_ENGLISH), text
    return {".".join(map(str, e["loc"])): e["msg"] for e in body["errors"]}


BAD_POSITION = {
    "position": "   ",
    "min_experience": 100,
    "salary_range": [9000, 5000],
    "education": ["小学"],
    "weights": {"skills": "heavy"},
    "colour": "blue",
}


def test_position_errors_name_each_field_all_at_once_in_chinese(hr):
    errors = chinese_errors(hr.post("/position-settings/", BAD_POSITION))
    assert errors == {
        "body.position": "「岗位」不能为空",
        "body.min_experience": "「最低工作年限」不能大于 60",
        "body.salary_range": "「薪资范围」：最低值不能大于最高值",
        "body.education.0": "「学历（第 1 项）」只能是以下之一：大专、本科、硕士、博士",
        "body.weights.skills": "「技能权重」应为数字",
        "body.colour": "不支持的字段「colour」",
    }
    body = hr.post("/position-settings/", BAD_POSITION).json()
    sentences = [e["msg"] for e in body["errors"]]
    assert body["message"] == body["detail"] == "；".join(sentences[:5]) + "（另有 1 处）"
    assert {e["type"] for e in body["errors"]} == {
        "string_too_short",
        "less_than_equal",
        "value_error",
        "literal_error",
        "float_parsing",
        "extra_forbidden",
    }


def test_position_errors_in_english(hr):
    errors = english_errors(hr.post("/position-settings/", BAD_POSITION, headers=EN))
    assert errors["body.position"] == "Position must not be empty"
    assert errors["body.min_experience"] == "Minimum years of experience must be at most 60"
    assert errors["body.salary_range"] == (
        "Salary range: the minimum must not be greater than the maximum"
    )
    assert errors["body.weights.skills"] == "Skills weight must be a number"
    assert errors["body.colour"] == "colour is not an accepted field"


def test_skills_listed_twice_are_reported_at_the_optional_skills(hr):
    body = {"position": "后端", "required_skills": ["Python"], "optional_skills": ["python"]}
    errors = chinese_errors(hr.post("/position-settings/", body))
    assert errors == {"body.optional_skills": "「加分技能」：已列为必备技能：python"}


def test_screening_reports_the_missing_position_and_resumes_together(hr):
    errors = chinese_errors(hr.post("/resume-screening/screening/", {}))
    assert errors == {
        "body.position_id": "「岗位」：请选择已保存的岗位，或提供新的岗位标准",
        "body.resume_data_ids": "「简历」：请至少选择一份要筛选的简历",
    }
    english = english_errors(hr.post("/resume-screening/screening/", {}, headers=EN))
    assert english["body.resume_data_ids"] == "Resumes: choose at least one resume to screen"


def test_inline_criteria_errors_are_located_under_position(hr):
    body = {"position": {"position": "测试", "min_experience": -1}, "resumes": [{"x": 1}]}
    errors = chinese_errors(hr.post("/resume-screening/screening/", body))
    assert errors == {
        "body.resumes.0.resume_content": "「简历原文（第 1 项）」为必填项",
        "body.resumes.0.x": "不支持的字段「x」",
    }
    del body["resumes"]
    body["resume_data_ids"] = ["00000000-0000-0000-0000-000000000001"]
    errors = chinese_errors(hr.post("/resume-screening/screening/", body))
    assert errors == {"body.position.min_experience": "「最低工作年限」不能小于 0"}


def test_group_form_errors(hr):
    errors = chinese_errors(
        hr.post("/resume-screening/groups/create/", {"group_name": "", "resume_data_ids": []})
    )
    assert errors == {
        "body.group_name": "「组名」不能为空",
        "body.resume_data_ids": "「简历」至少需要 1 项",
    }
    english = english_errors(
        hr.post(
            "/resume-screening/groups/create/",
            {"group_name": "x" * 201, "resume_data_ids": ["nope"]},
            headers=EN,
        )
    )
    assert english == {
        "body.group_name": "Group name must be at most 200 characters long",
        "body.resume_data_ids.0": "Resumes (item 1) must be a valid id (UUID)",
    }


def test_query_parameters_are_checked_together(hr):
    errors = chinese_errors(hr.get("/position-settings/list/?page=abc&page_size=1000"))
    assert errors == {
        "query.page": "「页码」应为整数",
        "query.page_size": "「每页条数」不能大于 100",
    }
    english = english_errors(hr.get("/resume-screening/data/?min_score=101&sort=best", headers=EN))
    assert english == {
        "query.min_score": "Minimum score must be at most 100",
        "query.sort": "Sort must be one of: newest, score, machine_score",
    }


def test_empty_body_and_missing_seed_field(hr):
    errors = chinese_errors(hr.post("/resume-screening/groups/create/"))
    assert errors == {
        "body.group_name": "「组名」为必填项",
        "body.resume_data_ids": "「简历」为必填项",
    }
    body = {"evaluation_point_id": 1, "evaluation_result_id": 1, "edit_audit_status": 1}
    errors = chinese_errors(hr.post("/admin/v2/evaluation/audit-status", body))
    assert errors == {"body.document_id": "「文档」为必填项"}


def test_interview_answer_of_spaces_is_empty(hr):
    position = assert_success(hr.post("/position-settings/", {"position": "后端工程师"}), 201)
    resume = assert_success(
        hr.post(
            "/resume-screening/data/",
            {"position_id": position["id"], "resume_content": "张伟\n精通 Python"},
        ),
        201,
    )
    session = assert_success(
        hr.post("/interview-assist/sessions/", {"resume_data_id": resume["id"]}), 201
    )
    url = f"/interview-assist/sessions/{session['session_id']}/record-qa/"
    errors = chinese_errors(hr.post(url, {"question": {}, "answer": {"content": "   "}}))
    assert errors == {
        "body.question": "「问题」：请选择一道已生成的问题，或填写问题内容",
        "body.answer.content": "「回答内容」不能为空",
    }
    english = english_errors(
        hr.post(url, {"question": {"content": "?"}, "answer": {"content": ""}}, headers=EN)
    )
    assert english == {"body.answer.content": "Answer text must not be empty"}


def test_evaluation_weights_in_words(hr):
    body = {"group_id": "00000000-0000-0000-0000-000000000001", "weights": {"luck": 1}}
    errors = chinese_errors(hr.post("/final-recommend/interview-evaluation/", body))
    assert list(errors) == ["body.weights"]
    assert errors["body.weights"].startswith("「权重」：未知的维度 luck；可用的维度：")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_video_form_and_file_errors_come_together_and_an_image_is_named(hr):
    errors = chinese_errors(Client.post(hr, "/video-analysis/", {"candidate_name": " "}))
    assert errors == {
        "form.candidate_name": "「候选人姓名」不能为空",
        "form.position_applied": "「应聘职位」为必填项",
        "form.video_file": "未上传视频文件",
    }
    image = SimpleUploadedFile("photo.mp4", _png())
    fields = {"candidate_name": "张伟", "position_applied": "后端工程师", "video_file": image}
    body = assert_error(Client.post(hr, "/video-analysis/", fields), 415)
    assert body["detail"] == "文件格式（png_pipe）不是音频或视频格式"
