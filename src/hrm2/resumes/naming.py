"""Find the candidate's name: from the request, else from the resume text, else the file name."""

import re
from pathlib import PurePath

_LABELLED = re.compile(
    r"^\s*(?:姓\s*名|Name|名字)\s*[:：]\s*([^\s,，;；|/]{1,40}(?: [A-Za-z][A-Za-z.'-]+){0,3})",
    re.IGNORECASE | re.MULTILINE,
)
_CJK_NAME_LINE = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})\s*$")
_ENGLISH_NAME_LINE = re.compile(r"^\s*([A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,2})\s*$")
# Lines that look like names but are section headings.
_HEADINGS = {
    "个人简历",
    "简历",
    "个人信息",
    "基本信息",
    "工作经历",
    "教育背景",
    "项目经历",
    "求职意向",
    "自我评价",
    "专业技能",
    "技能",
    "联系方式",
    "Curriculum Vitae",
    "Personal Information",
    "Work Experience",
    "Professional Experience",
    "Education",
    "Skills",
    "Summary",
    "Projects",
}
MAX_HEAD_LINES = 8


def name_from_text(text: str) -> str | None:
    labelled = _LABELLED.search(text[:2000])
    if labelled:
        return labelled.group(1).strip()
    for line in text.strip().splitlines()[:MAX_HEAD_LINES]:
        candidate = line.strip()
        if not candidate or candidate in _HEADINGS:
            continue
        match = _CJK_NAME_LINE.match(candidate) or _ENGLISH_NAME_LINE.match(candidate)
        if match:
            return match.group(1)
    return None


def candidate_name(*, given: str | None, text: str, filename: str = "") -> str:
    if given and given.strip():
        return " ".join(given.split())[:200]
    found = name_from_text(text)
    if found:
        return found
    if filename:
        return PurePath(filename).stem[:200] or filename[:200]
    return ""
