"""Highest education level in a resume: 大专 < 本科 < 硕士 < 博士 (Chinese and English wording)."""

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


@dataclass(frozen=True)
class EducationHit:
    level: str
    start: int
    end: int


def find_levels(text: str) -> list[EducationHit]:
    hits = []
    for level, pattern in _COMPILED:
        for m in pattern.finditer(text):
            if _REQUIREMENT_TAIL.match(text, m.end()):
                continue
            hits.append(EducationHit(level, m.start(), m.end()))
    hits.sort(key=lambda h: (h.start, h.end))
    return hits


def highest(hits: list[EducationHit]) -> str | None:
    return max((h.level for h in hits), key=RANK.__getitem__, default=None)
