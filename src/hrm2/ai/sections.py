"""Split a resume into sections (education, work, projects, ...) from its heading lines."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_HEADINGS = [
    ("education", r"教育背景|教育经历|学历背景|教育|学习经历|education|academic background"),
    ("project", r"项目经历|项目经验|主要项目|项目|projects?|project experience|key projects"),
    (
        "work",
        r"工作经历|工作经验|职业经历|实习经历|任职经历|work experience|experience|employment"
        r"|employment history|professional experience|work history|career history|internships?",
    ),
    ("skills", r"专业技能|技能特长|技能|技术栈|skills|technical skills|core skills|技能清单"),
    ("certs", r"证书|资格证书|证书与荣誉|荣誉奖项|certifications?|certificates|licenses?|awards"),
    (
        "profile",
        r"个人信息|基本信息|求职意向|自我评价|个人总结|个人简介|summary|profile|about me"
        r"|objective|personal information",
    ),
]
_HEADING_RES = [
    (name, re.compile(rf"^[\s#*【\[■◆●•=\-]*(?:{pat})[\s】\]:：*=\-]*$", re.I))
    for name, pat in _HEADINGS
]


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    section: str


class Sections:
    """Each line of the text with the section it belongs to ("other" before any heading)."""

    def __init__(self, text: str):
        self.lines: list[Line] = []
        section = "other"
        pos = 0
        for raw in text.splitlines(keepends=True):
            body = raw.rstrip("\r\n")
            stripped = body.strip()
            if 0 < len(stripped) <= 30:
                for name, pattern in _HEADING_RES:
                    if pattern.match(stripped):
                        section = name
                        break
            self.lines.append(Line(pos, pos + len(body), section))
            pos += len(raw)
        self._starts = [line.start for line in self.lines]

    def line_at(self, offset: int) -> Line:
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.lines[index] if self.lines else Line(0, 0, "other")

    def section_at(self, offset: int) -> str:
        return self.line_at(offset).section
