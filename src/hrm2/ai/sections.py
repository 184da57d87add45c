"""Split a resume into lines and sections, whatever its layout.

Resumes reach HRM2 as well-formatted text, as Markdown, or as a PDF extractor's output, where
everything may sit on one line with bullets, column gaps and zero-width separators inline and
the headings running into the text. The rules downstream (date ranges, project entries, the
candidate's name) work on *lines*, so a line here is a layout unit, not only a ``\\n`` span:
the text is also cut at bullets, zero-width characters, ``|`` separators, wide column gaps and
in front of a recognised section heading found inside a line (``…a@b.com 工作经历 2019.03-至今``,
``… EXPERIENCE Senior Engineer …``). Offsets always refer to the original text, so evidence
stays an exact slice of it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_HEADINGS = [
    ("education", r"教育背景|教育经历|学历背景|教育|学习经历|education|academic background"),
    (
        "project",
        r"项目经历|项目经验|主要项目|项目|projects?|project experience|key projects"
        r"|selected projects|research projects|research experience|publications|selected work"
        r"|代表项目|重点项目|主要业绩|项目业绩|key deals|case studies",
    ),
    (
        "work",
        r"工作经历|工作经验|职业经历|实习经历|任职经历|工作履历|work experience|experience"
        r"|employment"
        r"|employment history|professional experience|work history|career history|internships?"
        r"|relevant experience|clinical experience",
    ),
    (
        "skills",
        r"专业技能|技能特长|技能|技术栈|个人技能|skills|technical skills|core skills|技能清单"
        r"|core competencies|skills & tools|skills and tools",
    ),
    (
        "certs",
        r"证书|资格证书|证书与荣誉|荣誉奖项|执业资格|certifications?|certificates|licenses?"
        r"|licensure|awards|licenses & certifications|licenses and certifications",
    ),
    (
        "profile",
        r"个人信息|基本信息|求职意向|自我评价|个人总结|个人简介|个人优势|summary|profile|about me"
        r"|objective|personal information|professional summary|contact",
    ),
]
_HEADING_RES = [
    (name, re.compile(rf"^[\s#*【\[■◆●•=\-]*(?:{pat})[\s】\]:：*=\-]*$", re.I))
    for name, pat in _HEADINGS
]
# A unit that opens with a heading and a colon ("技能：Linux、Shell…", "项目：容器化改造…") starts
# that section even when the rest of the unit is content.
_LEAD_HEADING_RES = [
    (name, re.compile(rf"^[\s#*【\[■◆●•=\-]*(?:{pat})\s*[:：】]", re.I)) for name, pat in _HEADINGS
]
# Headings recognised inside a line: only spellings that are not ordinary words in a sentence
# (multi-character Chinese headings; English ones in capitals or ending in a colon).
_INLINE_ZH = (
    ("education", "教育背景|教育经历|学历背景"),
    ("project", "项目经历|项目经验|主要项目|项目介绍|代表项目|重点项目|主要业绩"),
    ("work", "工作经历|工作经验|职业经历|实习经历|任职经历|工作履历"),
    ("skills", "专业技能|技能特长|技能清单|个人技能"),
    ("certs", "资格证书|证书与荣誉|荣誉奖项|执业资格|所获证书"),
    ("profile", "个人信息|基本信息|求职意向|自我评价|个人总结|个人简介|个人优势"),
)
_INLINE_EN = (
    ("education", "EDUCATION|ACADEMIC BACKGROUND"),
    (
        "project",
        "PROJECTS|PROJECT EXPERIENCE|KEY PROJECTS|SELECTED PROJECTS|RESEARCH EXPERIENCE"
        "|PUBLICATIONS|SELECTED WORK|KEY DEALS|CASE STUDIES",
    ),
    (
        "work",
        "WORK EXPERIENCE|PROFESSIONAL EXPERIENCE|EXPERIENCE|EMPLOYMENT HISTORY|EMPLOYMENT"
        "|WORK HISTORY|CAREER HISTORY|INTERNSHIPS?|CLINICAL EXPERIENCE|RELEVANT EXPERIENCE|WORK",
    ),
    ("skills", "TECHNICAL SKILLS|CORE SKILLS|SKILLS|CORE COMPETENCIES"),
    ("certs", "CERTIFICATIONS?|CERTIFICATES|LICENSES?(?: (?:&|AND) CERTIFICATIONS)?|AWARDS"),
    ("profile", "PROFESSIONAL SUMMARY|SUMMARY|PROFILE|OBJECTIVE|CONTACT"),
)
_BEFORE = r"(?:(?<=^)|(?<=[\s\u200b-\u200d\u2060\ufeff•●▪■◆◇○▶➢★|｜:：;；。,，、】\]\)）]))"
_INLINE_HEADING = re.compile(
    "|".join(
        [
            rf"{_BEFORE}(?P<{name}_zh>(?:{pat}))(?=\s*[:：】]|\s|[\u200b-\u200d\u2060\ufeff]"
            rf"|[0-9A-Za-z\u4e00-\u9fff●•▪■◆]|$)"
            for name, pat in _INLINE_ZH
        ]
        + [
            rf"{_BEFORE}(?P<{name}_en>(?:{pat}))(?=\s*[:：]|\s|[\u200b-\u200d\u2060\ufeff]|$)"
            for name, pat in _INLINE_EN
        ]
    ),
    re.M,
)
_TITLE_HEADING = re.compile(
    r"(?:(?<=^)|(?<=\s))(?P<word>Education|Experience|Work Experience|Professional Experience"
    r"|Projects|Skills|Technical Skills|Certifications|Licenses|Summary|Profile)\s*:",
    re.M,
)
_TITLE_SECTION = {
    "education": "education",
    "experience": "work",
    "work experience": "work",
    "professional experience": "work",
    "projects": "project",
    "skills": "skills",
    "technical skills": "skills",
    "certifications": "certs",
    "licenses": "certs",
    "summary": "profile",
    "profile": "profile",
}
# Where one layout unit ends and the next begins inside a physical line.
_CUT = re.compile(
    r"[\u200b-\u200d\u2060\ufeff]+|\s*[•●▪■◆◇○▶➢★✦]\s*|\s+[|｜]\s+|\s[·・]\s|\t+|[ \u3000]{3,}"
)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    section: str


def _units(text: str) -> list[tuple[int, int, str | None]]:
    """Layout units ``(start, end, heading section or None)`` in text order."""
    cuts: dict[int, int] = {}  # unit start → end of the separator before it
    headings: dict[int, tuple[int, str]] = {}
    pos = 0
    for raw in text.splitlines(keepends=True):
        cuts.setdefault(pos, pos)
        pos += len(raw)
    for m in _CUT.finditer(text):
        cuts[m.end()] = m.start()
    for m in _INLINE_HEADING.finditer(text):
        section = m.lastgroup.rsplit("_", 1)[0]
        start, end = m.span()
        headings[start] = (end, section)
        cuts.setdefault(start, start)
        after = end
        while after < len(text) and text[after] in " \t:：】" + ZERO_WIDTH:
            after += 1
        cuts.setdefault(after, after)
    for m in _TITLE_HEADING.finditer(text):
        start, end = m.span()
        headings.setdefault(start, (end, _TITLE_SECTION[m.group("word").lower()]))
        cuts.setdefault(start, start)
        cuts.setdefault(end, end)
    starts = sorted(cuts)
    units = []
    for i, start in enumerate(starts):
        nxt = starts[i + 1] if i + 1 < len(starts) else len(text)
        end = cuts.get(nxt, nxt) if i + 1 < len(starts) else len(text)
        end = max(start, min(end, nxt))
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        head = headings.get(start)
        units.append((start, end, head[1] if head and head[0] <= end + 1 else None))
    return units


def is_heading(unit: str) -> bool:
    """Whether a unit is a section heading and nothing else ("工作经历", "EXPERIENCE:")."""
    return any(pattern.match(unit.strip()) for _, pattern in _HEADING_RES)


def _lead_heading(unit: str) -> str | None:
    for name, pattern in _LEAD_HEADING_RES:
        if pattern.match(unit):
            return name
    return None


class Sections:
    """Each layout line of the text with the section it belongs to ("other" before any)."""

    def __init__(self, text: str):
        self.text = text
        self.lines: list[Line] = []
        section = "other"
        for start, end, heading in _units(text):
            if heading is not None:
                section = heading
            else:
                stripped = text[start:end].strip()
                if 0 < len(stripped) <= 30:
                    for name, pattern in _HEADING_RES:
                        if pattern.match(stripped):
                            section = name
                            break
                    else:
                        section = _lead_heading(stripped) or section
                elif stripped:
                    section = _lead_heading(stripped) or section
            self.lines.append(Line(start, end, section))
        self._starts = [line.start for line in self.lines]

    def line_at(self, offset: int) -> Line:
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return self.lines[index] if self.lines else Line(0, 0, "other")

    def section_at(self, offset: int) -> str:
        return self.line_at(offset).section

    def has(self, section: str) -> bool:
        return any(line.section == section for line in self.lines)
