"""Years of experience and job stability from date ranges and explicit statements.

Date ranges (``2019.03-2022.06``, ``2019/3 – 2021/12``, ``2019年3月 - 至今``, ``Mar 2019 –
Present``, ``03/2019 - 05/2021``, ``2018 - 2020``) are turned into month intervals
``[start, end)`` and merged, so overlapping jobs and projects are not counted twice. A date
without a month means January. "至今/现在/Present/now" is the injected reference date. Ranges in
the education section (or, outside work/project sections, on a line naming a school or degree)
are not experience — in flattened text a "line" can hold a school and a job, so the words right
after a range (up to the next range) decide. Statements (``5年经验``, ``三年工作经验``,
``5+ years of experience``) are claims.

Relevance: each dated entry (a range and its text up to the next range) is weighed by a
``relevance(start, end)`` callback from the engine — 1 when the entry is about the position
(its skills, its title, or similar in meaning), ½ for an internship about it, 0 otherwise — so
eight years as a shop manager do not count for a nursing post. The value used is the relevant
merged history, or the largest relevant claim when that is larger; a generic claim ("5年工作经验")
counts only when the resume has no dated entries. A claim that exceeds the dated history by
more than a year is reported so an interviewer can check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from hrm2.ai.sections import Sections, is_heading

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_PRESENT = r"至今|现在|目前|今|present|now|current|today|till now|to date"


def _date(p: str) -> str:
    return (
        rf"(?:(?P<{p}y>(?:19|20)\d{{2}})(?:\s*(?:[./\-]|年)\s*(?P<{p}m>1[0-2]|0?[1-9])(?!\d)(?:\s*月)?)?"
        rf"(?:\s*年)?(?!\d)"
        rf"|(?P<{p}mn>{_MONTH_NAME})\.?,?\s+(?P<{p}y2>(?:19|20)\d{{2}})(?!\d)"
        rf"|(?P<{p}m3>1[0-2]|0?[1-9])\s*/\s*(?P<{p}y3>(?:19|20)\d{{2}})(?!\d))"
    )


_RANGE = re.compile(
    r"(?<![\d.])"
    + _date("a")
    + r"\s*(?:-|–|—|―|~|～|〜|－|‐|至|到|to|until)\s*"
    + rf"(?:(?P<present>{_PRESENT})|{_date('b')})",
    re.I,
)
_CN_NUM = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
           "九": 9, "十": 10}  # fmt: skip
_EN_NUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
}  # fmt: skip
_STATEMENTS = [
    re.compile(
        r"(?P<n>\d{1,2}(?:\.\d)?|[一二两三四五六七八九十]{1,3})\s*(?:\+|多|余)?\s*年(?:以上|多)?"
        r"(?:的)?[\u4e00-\u9fffA-Za-z/+#]{0,10}?(?:经验|经历)"
    ),
    re.compile(r"(?:工作年限|从业年限|工作经验)\s*[:：]?\s*(?P<n>\d{1,2}(?:\.\d)?)\s*\+?\s*年"),
    re.compile(
        r"(?P<n>\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
        r"|twelve|fifteen|twenty)\s*\+?\s*(?:years?|yrs?)\.?(?:['’]s?)?\s+(?:of\s+)?"
        r"(?:[A-Za-z/+#.\-]+\s+){0,3}?(?:experience|exp\b)",
        re.I,
    ),
]
_EDU_LINE = re.compile(
    r"大学|学院|学校|中学|本科|硕士|博士|学士|专科|大专|研究生|university|college|school"
    r"|institute|bachelor|master|ph\.?d|b\.sc|m\.sc|degree",
    re.I,
)


_WORK_WORDS = re.compile(
    r"公司|有限|集团|医院|诊所|银行|事务所|工作室|研究所|研究院|门店|中心|工程师|经理|专员|主管|助理|护士|护师"
    r"|实习|顾问|分析师|会计|销售|运营|\b(?:inc|ltd|llc|corp|co\.|company|hospital|clinic|bank|group"
    r"|engineer|manager|analyst|intern|associate|specialist|consultant|nurse|scientist|developer)\b",
    re.I,
)
_GENERIC_CLAIM = re.compile(
    r"^[\d.一二两三四五六七八九十+多余年以上的\s]*(?:工作|相关工作|相关|行业|从业|社会|职场)?(?:经验|经历)$"
    r"|^\S+\s*\+?\s*(?:years?|yrs?)\.?\s+(?:of\s+)?(?:professional\s+|work\s+|working\s+|industry\s+"
    r"|total\s+|relevant\s+)?(?:experience|exp)$",
    re.I,
)


@dataclass(frozen=True)
class DateRange:
    start: int  # offsets into the text
    end: int
    start_month: int  # months since year 0, inclusive
    end_month: int  # exclusive
    section: str
    entry_end: int = 0  # where the entry this range dates ends (the next range or +400)
    weight: float = 1.0  # relevance to the position: 1, ½ (internship) or 0
    entry_start: int = -1  # where the entry begins (its title may precede the dates)


@dataclass
class ExperienceFacts:
    years: float | None = None
    range_years: float | None = None
    claimed_years: float | None = None
    ranges: list[DateRange] = field(default_factory=list)
    claims: list[tuple[int, int, float]] = field(default_factory=list)
    jobs: list[DateRange] = field(default_factory=list)
    total_years: float | None = None  # every dated entry, relevant or not

    @property
    def avg_tenure_months(self) -> float | None:
        if not self.jobs:
            return None
        return sum(j.end_month - j.start_month for j in self.jobs) / len(self.jobs)

    @property
    def short_stints(self) -> int:
        return sum(1 for j in self.jobs if j.end_month - j.start_month < 12)

    @property
    def unsupported_claim(self) -> bool:
        return (
            self.claimed_years is not None
            and self.range_years is not None
            and self.claimed_years > self.range_years + 1
        )


def _month_index(m: re.Match, p: str, *, ref: date) -> int | None:
    year = m.group(f"{p}y") or m.group(f"{p}y2") or m.group(f"{p}y3")
    if year is None:
        return None
    if m.group(f"{p}mn"):
        month = _MONTHS[m.group(f"{p}mn")[:3].lower()]
    else:
        month = int(m.group(f"{p}m") or m.group(f"{p}m3") or 1)
    return int(year) * 12 + month - 1


def parse_number(raw: str) -> float | None:
    raw = raw.lower()
    if raw in _EN_NUM:
        return float(_EN_NUM[raw])
    if raw[0].isdigit():
        return float(raw)
    if raw == "十":
        return 10.0
    if raw.startswith("十"):
        return 10.0 + _CN_NUM.get(raw[1:], 0)
    if raw.endswith("十"):
        return 10.0 * _CN_NUM.get(raw[0], 0)
    if "十" in raw:
        tens, ones = raw.split("十", 1)
        return 10.0 * _CN_NUM.get(tens, 0) + _CN_NUM.get(ones, 0)
    return float(_CN_NUM[raw]) if raw in _CN_NUM else None


def find_ranges(text: str, sections: Sections, *, ref: date) -> list[DateRange]:
    """Every work or project date range in the text (education ranges left out)."""
    now = ref.year * 12 + ref.month - 1
    found = []
    for m in _RANGE.finditer(text):
        start = _month_index(m, "a", ref=ref)
        end = now if m.group("present") else _month_index(m, "b", ref=ref)
        if start is None or end is None or end > now + 1:
            continue
        end = min(end, now)
        if not 0 < end - start <= 50 * 12:
            continue
        line = sections.line_at(m.start())
        if line.section == "education":
            continue
        if line.section not in ("work", "project") and _names_school(text, m, line):
            continue
        found.append(DateRange(m.start(), m.end(), start, end, line.section))
    starts = [_entry_start(text, sections, r) for r in found]
    ends = [
        min(max(n_start, r.end), r.end + 400) for r, n_start in zip(found, starts[1:], strict=False)
    ]
    ends += [min(len(text), found[-1].end + 400)] if found else []
    ends = [_section_end(sections, r, end) for r, end in zip(found, ends, strict=True)]
    return [
        DateRange(r.start, r.end, r.start_month, r.end_month, r.section, end, entry_start=start)
        for r, start, end in zip(found, starts, ends, strict=True)
    ]


def _entry_start(text: str, sections: Sections, r: DateRange) -> int:
    """Where the entry a range dates begins: the title and employer written before the dates
    on the same line ("Procurement Manager, Gulfstar LLC, Apr 2017 – Present"), or on the
    line just above when the dates stand alone ("Senior Buyer — Crescent\nAug 2011 – 2017")."""
    line = sections.line_at(r.start)
    before = text[line.start : r.start].rstrip()
    if before:
        # a title and employer end with a separator before the dates; anything else is the
        # previous entry's last sentence run into this one by a flattened layout
        return line.start if before[-1] in "|｜,，-–—:：(（" and len(before) <= 120 else r.start
    index = sections.lines.index(line)
    if index > 0:
        above = sections.lines[index - 1]
        words = text[above.start : above.end].strip()
        if (
            above.section == line.section
            and 0 < len(words) <= 80
            and not _RANGE.search(words)
            and not is_heading(words)
        ):
            return above.start
    return r.start


def _section_end(sections: Sections, r: DateRange, end: int) -> int:
    """An entry stops where its section does: the last job of a work history must not take
    in the projects, skills and certificates that follow it."""
    for line in sections.lines:
        if line.start > r.end and line.start < end and line.section != r.section:
            return line.start
    return end


def _names_school(text: str, m: re.Match, line) -> bool:
    """Whether the words around a range (same line, up to the next range) name a school."""
    after = _RANGE.search(text, m.end(), line.end)
    window_end = min(after.start() if after else line.end, m.end() + 60)
    window_start = max(line.start, m.start() - 30)
    before = _RANGE.search(text, window_start, m.start())
    if before is not None:
        window_start = before.end()
    window = text[window_start:window_end]
    return bool(_EDU_LINE.search(window)) and not _WORK_WORDS.search(window)


def merged_months(ranges: list[DateRange]) -> int:
    total, cur_start, cur_end = 0, None, None
    for r in sorted(ranges, key=lambda r: (r.start_month, r.end_month)):
        if cur_end is None or r.start_month > cur_end:
            if cur_end is not None:
                total += cur_end - cur_start
            cur_start, cur_end = r.start_month, r.end_month
        else:
            cur_end = max(cur_end, r.end_month)
    if cur_end is not None:
        total += cur_end - cur_start
    return total


def find_claims(text: str) -> list[tuple[int, int, float]]:
    claims = []
    for pattern in _STATEMENTS:
        for m in pattern.finditer(text):
            value = parse_number(m.group("n"))
            if value is not None and 0 < value <= 50:
                claims.append((m.start(), m.end(), value))
    claims.sort()
    return claims


def analyse(text: str, sections: Sections, *, ref: date, relevance=None) -> ExperienceFacts:
    """``relevance(start, end) -> 0 | 0.5 | 1`` weighs each dated entry (all 1 without it)."""
    facts = ExperienceFacts()
    ranges = find_ranges(text, sections, ref=ref)
    if relevance is not None:
        ranges = [
            DateRange(r.start, r.end, r.start_month, r.end_month, r.section, r.entry_end,
                      relevance(r.entry_start, r.entry_end), r.entry_start)
            for r in ranges
        ]  # fmt: skip
    facts.ranges = ranges
    facts.claims = find_claims(text)
    facts.jobs = [r for r in ranges if r.section != "project"]
    if ranges:
        facts.total_years = round(merged_months(ranges) / 12, 1)
        full = merged_months([r for r in ranges if r.weight >= 1])
        some = merged_months([r for r in ranges if r.weight > 0])
        facts.range_years = round((full + 0.5 * (some - full)) / 12, 1)
    relevant_claims = []
    for start, end, value in facts.claims:
        generic = bool(_GENERIC_CLAIM.match(text[start:end]))
        specific_and_relevant = not generic and (relevance is None or relevance(start, end))
        if (generic and not ranges) or specific_and_relevant:
            relevant_claims.append(value)
    if facts.claims:
        facts.claimed_years = max(value for _, _, value in facts.claims)
    candidates = [
        v for v in (facts.range_years, max(relevant_claims, default=None)) if v is not None
    ]
    facts.years = max(candidates) if candidates else None
    return facts
