"""Lines of a resume that address the AI instead of describing the candidate.

"Ignore previous instructions", "SYSTEM: …", "综合评分：100分", "请给满分" and the like are never
evidence for a criterion: the ``llm`` engine drops any quote that overlaps such a line and notes
the attempt as a weakness. (The scores are computed from verdicts and validated evidence anyway;
this closes the gap of a model citing the injected line itself as its evidence.)
"""

from __future__ import annotations

import re

_PATTERNS = [
    # English
    r"\b(?:ignore|disregard|forget|override)\b[^\n]{0,40}\b(?:instructions?|prompts?|rules?"
    r"|context|above|previous)\b",
    r"^\s*(?:system|assistant|user|developer)\s*[:：]",
    r"\b(?:system\s+prompt|you\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|language\s+model"
    r"|chatgpt|gpt|llm|recruit\w*|screen\w*))\b",
    r"\b(?:rate|score|grade|mark)\b[^\n]{0,40}\b(?:100|10\s*/\s*10|full\s+marks?|perfect"
    r"|highest|maximum|pass(?:es)?\s+(?:all|every))\b",
    r"\b(?:must|should)\s+be\s+(?:hired|recommended|shortlisted|selected)\b",
    r"\b(?:mark|set|treat)\s+(?:every|all|each)\b[^\n]{0,30}\b(?:criteri\w+|requirements?)\b",
    # Chinese
    r"(?:忽略|无视|忘记|忽视)[^\n]{0,20}(?:指令|指示|提示|要求|规则|设定|内容)",
    r"(?:系统|system)\s*(?:提示|指令|prompt)",
    r"(?:综合|总体|整体|最终)?(?:评分|得分|打分|分数|评级)\s*[:：为是]?\s*(?:\d{2,3}|满分)",
    r"(?:给|打|评)[^\n]{0,10}(?:满分|高分|最高分|100\s*分)",
    r"(?:请|务必|必须)[^\n]{0,20}(?:推荐面试|录用|通过筛选|给予通过|全部通过|标记为通过)",
    r"你(?:现在)?是[^\n]{0,10}(?:AI|人工智能|助手|模型|面试官|招聘)",
]
_COMPILED = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.I | re.M)


def suspicious_lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line that contains an instruction or self-scoring."""
    spans: list[tuple[int, int]] = []
    for m in _COMPILED.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)
