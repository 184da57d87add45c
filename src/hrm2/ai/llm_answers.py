"""What the ``llm`` screening engine accepts from the model: one judgement per criterion and
one assessment per resume, as pydantic models (their JSON schemas are what is sent as
``response_format``; :mod:`hrm2.ai.llm_client`).

They are lenient where small models are predictable — a verdict in capitals or in Chinese
(``PASS``, ``满足``), sentence numbers as strings (``"[3]"``, ``"1, 4"``), the judgement wrapped
in a copy of the criteria (``{"criteria": [{...}]}``), a list given as one string — and strict
where it matters: the verdict is one of four words, evidence is sentence numbers only. Lists
and texts longer than allowed are cut to size before validation, never fatal.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from hrm2.ai.screening import Verdict

MAX_CHOSEN = 3  # sentence numbers per criterion
MAX_REASON = 200
MAX_ITEMS = 3  # items per narrative list
MAX_ITEM = 100
MAX_SUMMARY = 400

_VERDICT_WORDS = {
    "pass": "pass", "passed": "pass", "met": "pass", "yes": "pass", "满足": "pass",
    "通过": "pass", "符合": "pass", "partial": "partial", "partially met": "partial",
    "部分满足": "partial", "部分符合": "partial", "部分": "partial", "fail": "fail",
    "failed": "fail", "not met": "fail", "no": "fail", "不满足": "fail", "不通过": "fail",
    "不符合": "fail", "unknown": "unknown", "n/a": "unknown", "未知": "unknown",
    "无法判断": "unknown", "未提及": "unknown",
}  # fmt: skip
_NUMBER = re.compile(r"\d+")


class CriterionAnswer(BaseModel):
    """The model's judgement of one criterion."""

    model_config = ConfigDict(extra="ignore")
    verdict: Verdict
    sentences: list[int] = Field(default_factory=list, max_length=MAX_CHOSEN)
    reason: str = Field("", max_length=MAX_REASON)

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, value: Any) -> Any:
        """``{"criteria": [{...}]}`` or ``{"answer": {...}}``: the one judgement inside."""
        if isinstance(value, dict) and "verdict" not in value and len(value) == 1:
            inner = next(iter(value.values()))
            if isinstance(inner, list) and len(inner) == 1:
                inner = inner[0]
            if isinstance(inner, dict) and "verdict" in inner:
                return inner
        return value

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, value: Any) -> Any:
        if isinstance(value, str):
            word = " ".join(value.strip().strip("\"'。.").lower().split())
            return _VERDICT_WORDS.get(word, word)
        return value

    @field_validator("sentences", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        """Numbers however written (``3``, ``"3"``, ``"[3]"``, ``"1, 4"``); the rest dropped."""
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        numbers: list[int] = []
        for item in items:
            if isinstance(item, bool):
                continue
            if isinstance(item, int):
                numbers.append(item)
            elif isinstance(item, float) and item.is_integer():
                numbers.append(int(item))
            elif isinstance(item, str):
                numbers.extend(int(n) for n in _NUMBER.findall(item)[:MAX_CHOSEN])
        return numbers[:MAX_CHOSEN]  # also inside a wrapper, where the schema did not cut

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> Any:
        return "" if value is None else " ".join(str(value).split())


def _short_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [" ".join(str(v).split()) for v in value if isinstance(v, (str, int, float))]
    return value


class NarrativeAnswer(BaseModel):
    """The model's assessment of the candidate from the decided verdicts."""

    model_config = ConfigDict(extra="ignore")
    summary: str = Field(min_length=1, max_length=MAX_SUMMARY)
    strengths: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    weaknesses: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)
    interview_focus: list[str] = Field(default_factory=list, max_length=MAX_ITEMS)

    @field_validator("strengths", "weaknesses", "interview_focus", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        items = _short_list(value)
        return [item[:MAX_ITEM] for item in items] if isinstance(items, list) else items
