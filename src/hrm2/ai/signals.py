"""Project entries, leadership and teamwork signals, and the candidate's name.

Leadership is read from what was done, not from titles: a team size ("带领5人", "leads 9
engineers") or leading people ("带领研发团队", "managed the sales team") is leadership; a
people-leading title alone ("技术负责人", "Team Lead"), leading a project ("主导…项目") or
mentoring is a weaker signal (``partial``). Projects are project entries (headed, numbered or
dated lines of a project section, ``项目一：``, ``### …``, ``Project:``), counted claims ("主导
5个项目"), or — when the resume has no project entries — delivered pieces of work described in
its experience ("负责订单系统重构并上线", "Built the fraud-scoring pipeline").
"""

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
# Numbered or named entries anywhere in a line ("项目一：支付网关 项目二：风控" on one PDF line).
_PROJECT_INLINE = re.compile(
    r"(?:项目名称|项目名|项目\s*[一二三四五六七八九十\d]{1,2}|Project\s*Name|Project\s*\d{1,2})\s*[:：】]",
    re.I,
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
        r"(?:带领|领导|管理|负责|率领|统筹|管理着|带)(?:了|着)?\s*(?:一支|一个)?\s*(?:由)?\s*"
        rf"(?P<n>{_NUM})\s*(?:余|多|\+)?\s*(?:人|名)"
    ),
    re.compile(
        r"(?:带领|领导|管理|负责)(?:的)?[\u4e00-\u9fff、]{0,10}?(?:团队|小组)\s*[（(]?\s*"
        rf"(?:共)?\s*(?P<n>{_NUM})\s*(?:余|多)?\s*(?:人|名)"
    ),
    re.compile(
        r"\b(?:led|lead|leading|managed|managing|manage|supervised|supervising|mentored|headed"
        r"|oversaw|built and led|ran)\s+(?:a\s+|an\s+)?(?:[\w\-]+\s+){0,2}?(?:team|group|squad)"
        rf"\s+of\s+(?P<n>{_EN_NUM})\b",
        re.I,
    ),
    re.compile(
        r"\b(?:lead|leads|led|leading|head|heads|headed|manager|managed|manages|managing|ran"
        rf"|runs|running)\b[^.;\n]{{0,20}}?(?P<n>{_EN_NUM})[- ](?:person|people|member|strong)\s+"
        r"(?:[\w\-]+\s+)?(?:team|pod|squad|group|crew|unit)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?:led|leads?|leading|managed|manages|managing|supervised|supervises|supervising"
        rf"|oversaw|oversees|headed|heads|directed|directs)\s+(?:a\s+team\s+of\s+)?(?P<n>{_EN_NUM})"
        r"\+?\s+(?:[\w\-]+\s+)?(?:engineers|developers|people|staff|analysts|accountants|designers"
        r"|members|direct reports|reports|testers|product managers|specialists|employees)\b",
        re.I,
    ),
]
_LEADS_PEOPLE = re.compile(
    r"(?:带领|领导|率领|统筹管理|管理|带)(?:了)?\s*(?:一支|一个|整个)?\s*[\u4e00-\u9fffA-Za-z]{0,8}?"
    r"(?:团队|小组|部门|下属|组员|成员|科室|班组|护理组|销售组)"
    r"|\b(?:led|leads?|leading|managed|manages|managing|supervised|supervises|supervising|oversaw"
    r"|oversees|headed|heads|built\s+and\s+led|directed|directs)\s+(?:a|an|the|our|my)?\s*"
    r"(?:[\w\-]+\s+){0,3}?(?:team|teams|group|squad|department|staff|unit|direct\s+reports)\b"
    r"|\bdirect\s+reports\b|下属\s*\d+\s*人",
    re.I,
)
_LEAD_TITLE = re.compile(
    r"团队负责人|技术负责人|研发负责人|小组长|组长|团队\s*leader|部门经理|研发经理|技术经理|财务经理"
    r"|开发经理|数据负责人|财务主管|主管|总监|\bteam\s+lead(?:er)?\b|\btech(?:nical)?\s+lead\b"
    r"|\bengineering\s+manager\b|\bhead\s+of\b|\bdirector\b|\bsupervisor\b|\blead\s+engineer\b"
    r"|\bfinance\s+manager\b|\bgroup\s+lead(?:er)?\b",
    re.I,
)
_WEAK_LEAD = re.compile(
    r"项目负责人|项目经理|指导新人|带新人|培养新人|带教|主导|牵头|mentor(?:ed|ing|s)?\b|coached"
    r"|onboarded new|\bproject\s+lead\b|spearheaded|drove\b",
    re.I,
)
_DELIVERABLE = re.compile(
    r"(?:负责|主导|参与|独立|完成|设计|开发|搭建|实施|推进|落地|上线|交付|建立|策划|组织|重构|优化)[^。；;\n]{0,24}?"
    r"(?:项目|系统|平台|模块|服务|产品|方案|活动|课题|流程|体系|中台|引擎|工具|小程序|网站|APP|模型)"
    r"|\b(?:led|built|developed|designed|launched|delivered|implemented|migrated|shipped|created"
    r"|rolled\s+out|introduced|established|ran|organized|automated)\b[^.;\n]{0,40}?"
    r"\b(?:project|system|platform|service|pipeline|model|app|application|tool|dashboard|program"
    r"|campaign|process|initiative|study|trial|framework|engine)s?\b",
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
    leads_people: list[tuple[int, int]] = field(default_factory=list)
    deliverables: list[tuple[int, int]] = field(default_factory=list)
    section_items: list[tuple[int, int]] = field(default_factory=list)
    weak_lead: list[tuple[int, int]] = field(default_factory=list)
    teamwork: list[tuple[int, int]] = field(default_factory=list)

    @property
    def project_count(self) -> int:
        claimed = max((n for _, _, n in self.project_claims), default=0)
        entries = len(self.project_lines) or len(self.section_items) or len(self.deliverables)
        return max(entries, claimed)

    @property
    def lead_verdict(self) -> str:
        if self.team_sizes or self.leads_people:
            return "pass"
        return "partial" if self.lead_titles or self.weak_lead else "fail"

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
    for line in sections.lines:
        if _PROJECT_LINE.match(text, line.start, line.end):
            lines.setdefault(line.start, _trimmed(text, line.start, line.end))
    for m in _PROJECT_INLINE.finditer(text):
        line = sections.line_at(m.start())
        head = text[line.start : m.start()].strip(" \t-*•·●▪■◆>【（(0123456789.、)）")
        key = m.start() if head else line.start  # not at its line's start: an entry of its own
        lines.setdefault(key, _trimmed(text, key, line.end))
    for offset in range_starts:  # dated lines inside the project section are project headers
        line = sections.line_at(offset)
        if line.section == "project":
            lines.setdefault(line.start, _trimmed(text, line.start, line.end))
    for line in sections.lines:
        if line.section == "project" and _HEADER_MARK.match(text, line.start, line.end):
            heading = text[line.start : line.end]
            if not heading.strip(" \t#【】■◆▶"):
                continue  # a bare Markdown mark left in front of the next section's heading
            if not re.search(r"项目经|项目经历|projects?\s*$", heading, re.I):
                lines.setdefault(line.start, _trimmed(text, line.start, line.end))
    sig.project_lines = [span for _, span in sorted(lines.items()) if span[0] < span[1]]
    # Without headed or dated entries, each item of a project section is one project.
    for line in sections.lines:
        body = text[line.start : line.end].strip(" \t-*•·●▪■◆>#")
        if line.section == "project" and len(body) >= 4 and not _is_heading(body):
            sig.section_items.append(_trimmed(text, line.start, line.end))
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
    sig.leads_people = [m.span() for m in _LEADS_PEOPLE.finditer(text) if not _negated(text, m)]
    for m in _DELIVERABLE.finditer(text):  # one per sentence
        if sections.line_at(m.start()).section in ("skills", "certs", "education", "profile"):
            continue
        prev = sig.deliverables[-1][1] if sig.deliverables else None
        if prev is None or _SENTENCE_BREAK.search(text, prev, m.start()):
            sig.deliverables.append(m.span())
    sig.weak_lead = [m.span() for m in _WEAK_LEAD.finditer(text)]
    sig.teamwork = [m.span() for m in _TEAMWORK.finditer(text)]
    return sig


_SENTENCE_BREAK = re.compile(r"[。；;!?！？\n•●▪■◆]|\.\s")
_NO_LEAD = re.compile(r"(?:没有|无|未|no|without|not)\s*\S{0,4}$", re.I)
# A name at the very start of flattened text: "张伟 男 28岁 …", "王芳｜138…", "Jane Doe jane@…".
_NAME_AT_START = re.compile(
    r"^[\s\u200b-\u200d\ufeff#*]*(?:姓\s*名\s*[:：]?\s*)?(?P<name>[\u4e00-\u9fff]{2,4}"
    r"|[A-Z][a-z]+(?: [A-Z]\.)?(?: [A-Z][a-z]+){1,2})"
    r"(?=\s|[|｜,，/·•]|$|男|女|\d|电话|手机|邮箱|Tel|Phone|Email|[A-Za-z0-9._%+-]+@)"
)


def _is_heading(body: str) -> bool:
    return bool(
        re.fullmatch(
            r"(?:项目经[历验]|主要项目|代表项目|重点项目|主要业绩|项目|projects?|project experience"
            r"|key projects|selected (?:projects|work)|key deals|case studies)\s*[:：]?",
            body,
            re.I,
        )
    )


def _negated(text: str, m: re.Match) -> bool:
    return bool(_NO_LEAD.search(text[max(0, m.start() - 8) : m.start()]))


def candidate_name(text: str) -> str | None:
    for pattern in _NAME:
        m = pattern.search(text)
        if m:
            return m.group("name")
    for raw in text.splitlines()[:3]:
        m = _NAME_LINE.match(raw)
        if m and not _NOT_NAME.search(m.group("name")):
            return m.group("name")
    m = _NAME_AT_START.match(text)
    if m and not _NOT_NAME.search(m.group("name")):
        return m.group("name")
    return None
