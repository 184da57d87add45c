"""Whether a dated entry of a resume is about the position, to weigh years of experience.

An entry (a job or project from its date range to the next one) is relevant when it holds
evidence of one of the position's skill criteria (named or matched in meaning), names a word
of the position's title that is not a generic role word ("护士" in "ICU主管护师", not "主管"),
or reads like the position (semantic similarity of its sentences to the title and criteria
≥ ``ENTRY_SIMILAR``). An internship counts half. Soft-skill criteria ("沟通协调能力") never
make an entry relevant: every job has them. A position with neither title nor skills makes
every entry relevant.
"""

from __future__ import annotations

import re

import numpy as np

from hrm2.ai import semantic
from hrm2.ai.criteria import compile_criterion
from hrm2.ai.matcher import Judgement, ResumeView

ENTRY_SIMILAR = 0.72
_INTERN = re.compile(r"实习|见习|intern(?:ship)?\b|trainee|co-?op\b", re.I)
_GENERIC_ROLE = frozenset(
    [
        "主管",
        "经理",
        "专员",
        "助理",
        "高级",
        "资深",
        "初级",
        "中级",
        "工程师",
        "总监",
        "负责人",
        "岗位",
        "职位",
        "人员",
        "研究",
        "管理",
        "开发",
        "分析",
        "协调员",
        "顾问",
        "senior",
        "junior",
        "lead",
        "manager",
        "specialist",
        "associate",
        "staff",
        "head",
        "principal",
        "assistant",
        "officer",
        "director",
    ]
)
_SOFT = re.compile(r"沟通|协调|团队|合作|抗压|责任心|学习能力|表达|执行力|communication|teamwork"
                   r"|collaborat|interpersonal|stakeholder", re.I)  # fmt: skip


def _title_words(title: str) -> list[str]:
    """Latin words and Chinese character pairs of the title, without generic role words
    (a segmenter splits unknown titles badly: 后端 → 后/端)."""
    folded = title.casefold()
    for word in sorted(_GENERIC_ROLE, key=len, reverse=True):
        folded = folded.replace(word, " ")
    words = [w for w in re.findall(r"[a-z][a-z0-9+#.]+", folded) if w not in _GENERIC_ROLE]
    for run in re.findall(r"[\u4e00-\u9fff]+", folded):
        words += [run] if len(run) <= 2 else [run[i : i + 2] for i in range(len(run) - 1)]
    return list(dict.fromkeys(words))


class Relevance:
    """``relevance(start, end) -> 1 | 0.5 | 0`` for the entry ``text[start:end]``."""

    def __init__(self, view: ResumeView, criteria, judgements: dict[str, Judgement]):
        self.view = view
        self.spans = sorted(
            span
            for key, judged in judgements.items()
            if judged.verdict in ("pass", "partial")
            and judged.how == "name"
            and not key.startswith("certification:")
            and not _SOFT.search(key.split(":", 1)[1])
            for span in judged.spans
        )
        title = criteria.position or ""
        self.title_words = _title_words(title)
        profile = [title] if title.strip() else []
        profile += [
            compile_criterion(s).core
            for s in (*criteria.required_skills, *criteria.optional_skills)
            if not _SOFT.search(s)
        ]
        self.judge_all = not profile
        self.profile = semantic.encode(profile) if profile and semantic.available() else None

    def __call__(self, start: int, end: int) -> float:
        if self.judge_all:
            return 1.0
        text = self.view.text[start:end]
        half = 0.5 if _INTERN.search(text) else 1.0
        if any(start <= s < end for s, _ in self.spans):
            return half
        folded = text.casefold()
        if any(w in folded for w in self.title_words):
            return half
        if self.profile is not None:
            sentences = [(s, e) for s, e in self.view.sentences if start <= s < end]
            if sentences:
                index = {span: i for i, span in enumerate(self.view.sentences)}
                vectors = self.view.vectors[[index[s] for s in sentences]]
                if float(np.max(vectors @ self.profile.T)) >= ENTRY_SIMILAR:
                    return half
        return 0.0
