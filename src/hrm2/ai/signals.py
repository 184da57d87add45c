"""Project entries, leadership and teamwork signals, and the candidate's name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hrm2.ai.experience import parse_number
from hrm2.ai.sections import Sections

_NUM = r"\d{1,4}|[一二两三四五六七八九十]{1,3}"
_EN_NUM = r"\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"

_PROJECT_LINE = re.compile(
    r"^[ \t]*(?:[-*•·●▪■◆>]|\d{1,2}[.、)]|[（(]\d{1,2}[)）])?[ \t]*(?:【[ \t]*)?"
    r"(?:项目名称|项目名|项目[一二三四五六七八九十\d]{1,2}|项目|Project\s*Name|Project\s*\d{0,2})"
    r"[ \t]*[:：】]",
    re.I | re.M,
)
_PROJECT_COUNT = [
    re.compile(
        r"(?:主导|负责|参与|完成|交付|落地|主持)[^\n。；;，,]{0,8}?"
        rf"(?P<n>{_NUM})\s*(?:个|项)(?:余|多)?\s*[\u4e00-\u9fffA-Za-z]{{0,8}}?项目"
    ),
    re.compile(
        r"(?:led|delivered|managed|completed|shipped|owned|launched|ran)\s+"
        r"(?:over\s+|more than\s+)?"
        rf"(?P<n>{_EN_NUM})\+?\s+(?:[A-Za-z\-]+\s+){{0,2}}?projects\b",
        re.I,
    ),
]
_HEADER_MARK = re.compile(r"^[ \t]*(?:【|#{1,4}\s|■|◆|▶|\d{1,2}[.、)](?!\d))", re.M)

_TEAM_SIZE = [
    re.compile(
        r"(?:带领|领导|管理|负责|率领|统筹|管理着|带)(?:了)?\s*(?:一支|一个)?\s*(?:由)?\s*"
        rf"(?P<n>{_NUM})\s*(?:余|多|\+)?\s*(?:人|名)"
    ),
    re.compile(
        r"(?:带领|领导|管理|负责)(?:的)?[\u4e00-\u9fff]{0,4}?(?:团队|小组)\s*[（(]?\s*"
        rf"(?:共)?\s*(?P<n>{_NUM})\s*(?:余|多)?\s*(?:人|名)"
    ),
    re.compile(
        r"\b(?:led|lead|leading|managed|managing|manage|supervised|supervising|mentored|headed"
        r"|oversaw|built and led|ran)\s+(?:a\s+|an\s+)?(?:[\w\-]+\s+){0,2}?(?:team|group|squad)"
        rf"\s+of\s+(?P<n>{_EN_NUM})\b",
        re.I,
    ),
    re.compile(
        rf"\b(?:led|managed|supervised|mentored|oversaw|headed)\s+(?:a\s+team\s+of\s+)?(?P<n>{_EN_NUM})"
        r"\+?\s+(?:[\w\-]+\s+)?(?:engineers|developers|people|staff|analysts|accountants|designers"
        r"|members|direct reports|reports|testers|product managers|specialists|employees)\b",
        re.I,
    ),
]
_LEAD_TITLE = re.compile(
    r"团队负责人|技术负责人|研发负责人|小组长|组长|团队\s*leader|部门经理|研发经理|技术经理|财务经理"
    r"|开发经理|数据负责人|财务主管|主管|总监|\bteam\s+lead(?:er)?\b|\btech(?:nical)?\s+lead\b"
    r"|\bengineering\s+manager\b|\bhead\s+of\b|\bdirector\b|\bsupervisor\b|\blead\s+engineer\b"
    r"|\bfinance\s+manager\b|\bgroup\s+lead(?:er)?\b",
    re.I,
)
_WEAK_LEAD = re.compile(
    r"项目负责人|项目经理|指导新人|带新人|培养新人|mentor(?:ed|ing)?\b|coached|onboarded new"
    r"|\bproject\s+lead\b",
    re.I,
)
_TEAMWORK = re.compile(
    r"协作|协同|配合|沟通|跨部门|跨团队|团队合作|对接|cross[- ]functional"
    r"|collaborat\w*|stakeholders?|partnered|coordinat\w*|worked closely|teamwork",
    re.I,
)
_NAME = [
    re.compile(
        r"(?:姓\s*名|Name)\s*[:：]\s*"
        r"(?P<name>[\u4e00-\u9fff·]{2,5}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})"
    ),
]
_NAME_LINE = re.compile(r"^\s*(?P<name>[\u4e00-\u9fff]{2,4}|[A-Z][a-z]+(?: [A-Z][a-z]+){1,2})\s*$")
_NOT_NAME = re.compile(
    r"简历|个人|求职|信息|经历|背景|技能|resume|curriculum|vitae|profile|summary|experience"
    r"|education|skills|projects?|engineer|analyst|manager|developer|accountant|工程师|经理",
    re.I,
)


@dataclass
class Signals:
    project_lines: list[tuple[int, int]] = field(default_factory=list)
    project_claims: list[tuple[int, int, int]] = field(default_factory=list)
    team_sizes: list[tuple[int, int, int]] = field(default_factory=list)
    lead_titles: list[tuple[int, int]] = field(default_factory=list)
    weak_lead: list[tuple[int, int]] = field(default_factory=list)
    teamwork: list[tuple[int, int]] = field(default_factory=list)

    @property
    def project_count(self) -> int:
        claimed = max((n for _, _, n in self.project_claims), default=0)
        return max(len(self.project_lines), claimed)

    @property
    def team_size(self) -> int | None:
        return max((n for _, _, n in self.team_sizes), default=None)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    end = min(end, start + 80)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def analyse(text: str, sections: Sections, range_starts: list[int]) -> Signals:
    sig = Signals()
    lines: dict[int, tuple[int, int]] = {}
    for m in _PROJECT_LINE.finditer(text):
        line = sections.line_at(m.start())
        lines[line.start] = _trimmed(text, line.start, line.end)
    for offset in range_starts:  # dated lines inside the project section are project headers
        line = sections.line_at(offset)
        if line.section == "project":
            lines.setdefault(line.start, _trimmed(text, line.start, line.end))
    for line in sections.lines:
        if line.section == "project" and _HEADER_MARK.match(text, line.start, line.end):
            heading = text[line.start : line.end]
            if not re.search(r"项目经|项目经历|projects?\s*$", heading, re.I):
                lines.setdefault(line.start, _trimmed(text, line.start, line.end))
    sig.project_lines = [span for _, span in sorted(lines.items()) if span[0] < span[1]]
    for pattern in _PROJECT_COUNT:
        for m in pattern.finditer(text):
            n = parse_number(m.group("n"))
            if n:
                sig.project_claims.append((m.start(), m.end(), int(n)))
    for pattern in _TEAM_SIZE:
        for m in pattern.finditer(text):
            n = parse_number(m.group("n"))
            if n and 2 <= n <= 5000:
                sig.team_sizes.append((m.start(), m.end(), int(n)))
    sig.team_sizes.sort()
    sig.lead_titles = [m.span() for m in _LEAD_TITLE.finditer(text)]
    sig.weak_lead = [m.span() for m in _WEAK_LEAD.finditer(text)]
    sig.teamwork = [m.span() for m in _TEAMWORK.finditer(text)]
    return sig


def candidate_name(text: str) -> str | None:
    for pattern in _NAME:
        m = pattern.search(text)
        if m:
            return m.group("name")
    for raw in text.splitlines()[:3]:
        m = _NAME_LINE.match(raw)
        if m and not _NOT_NAME.search(m.group("name")):
            return m.group("name")
    return None
