"""Highest education level in a resume: 大专 < 本科 < 硕士 < 博士 (Chinese and English wording).

Only degrees actually obtained count: a mention whose clause says the degree was not obtained
(``本科肄业``, ``未取得学位证书``, ``did not complete``, ``dropped out``) or is still under way
(``在读``, ``expected 2027``, ``PhD candidate``) is kept as a hit but marked, and is not the
candidate's level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEVELS = ("大专", "本科", "硕士", "博士")
RANK = {level: i + 1 for i, level in enumerate(LEVELS)}
ENGLISH = {"大专": "associate degree", "本科": "bachelor's degree", "硕士": "master's degree",
           "博士": "doctorate"}  # fmt: skip

_PATTERNS = {
    "博士": r"博士(?!伦)|(?<![A-Za-z])Ph\.?\s?D\b\.?|Doctor(?:ate)?\s+(?:of|in|degree)\b"
    r"|Doctorate|Doctoral\s+degree|D\.Phil\b",
    "硕士": r"硕士|研究生(?!院)|(?<![A-Za-z])E?MBA\b|MPAcc|(?<!Scrum )(?<!Scrum)"
    r"Master(?:'s|’s|s)?(?=\s+(?:of|in|degree)\b|\s*[,，(（]|\s+\w+\s+(?:in|of)\b)"
    r"|(?<![A-Za-z])(?:M\.S\.|M\.Sc\.?|MSc|M\.Eng\.?|MEng|M\.A\.)(?![A-Za-z])"
    r"|(?<![A-Za-z])MS(?=\s+in\b|\s*,)",
    "本科": r"本科|学士|Bachelor(?:'s|’s|s)?\b|(?<![A-Za-z])(?:B\.S\.|B\.Sc\.?|BSc|B\.Eng\.?"
    r"|BEng|B\.A\.|B\.E\.)(?![A-Za-z])|(?<![A-Za-z])B[SA](?=\s+in\b|\s*,)|Undergraduate",
    "大专": r"大专|专科|高职|Associate(?:'s|’s)?\s+(?:degree|of|in)\b|Junior College"
    r"|College Diploma|Higher National Diploma",
}
_COMPILED = [(level, re.compile(pattern, re.I)) for level, pattern in _PATTERNS.items()]
# "本科及以上", "硕士优先" describe a requirement, not the candidate.
_REQUIREMENT_TAIL = re.compile(r"\s*(?:及以上|以上|优先|或以上)")


_NOT_OBTAINED = re.compile(
    r"肄业|结业|未取得|未获得|没有取得|未能取得|未拿到|无学位|未毕业|辍学|退学|中途退出|在读|就读中|攻读中|预计\s*\d{4}"
    r"|预计毕业|待毕业|did\s+not\s+(?:complete|finish|graduate|obtain)|not\s+completed|incomplete"
    r"|withdrew|dropped\s+out|left\s+the\s+program|unfinished|no\s+degree|in\s+progress|ongoing"
    r"|expected\s+(?:in\s+)?(?:\w+\s+)?\d{4}|candidate\b|\(expected|currently\s+(?:pursuing|enrolled)",
    re.I,
)
_CLAUSE_END = re.compile(r"[。；;\n•●▪■◆|｜\u200b-\u200d\u2060\ufeff]")


@dataclass(frozen=True)
class EducationHit:
    level: str
    start: int
    end: int
    obtained: bool = True


def _obtained(text: str, start: int, end: int) -> bool:
    stop = _CLAUSE_END.search(text, end, min(len(text), end + 70))
    after = text[end : stop.start() if stop else min(len(text), end + 70)]
    lo = max(0, start - 12)
    before = text[lo:start]
    cut = max((before.rfind(c) for c in "。；;\n•●\u200b\u200c\u200d\u2060\ufeff"), default=-1)
    before = before[cut + 1 :]
    return not (_NOT_OBTAINED.search(after) or _NOT_OBTAINED.search(before))


def find_levels(text: str) -> list[EducationHit]:
    hits = []
    for level, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if _REQUIREMENT_TAIL.match(text, m.end()):
                continue
            hits.append(EducationHit(level, m.start(), m.end(), _obtained(text, *m.span())))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def highest(hits: list[EducationHit]) -> str | None:
    return max((h.level for h in hits if h.obtained), key=RANK.__getitem__, default=None)


def unfinished(hits: list[EducationHit]) -> list[EducationHit]:
    """Degrees mentioned but not obtained (above the highest obtained one)."""
    top = highest(hits)
    floor = RANK[top] if top else 0
    return [h for h in hits if not h.obtained and RANK[h.level] > floor]
