"""A compiled criterion (:mod:`hrm2.ai.criteria`) judged against one resume, with evidence.

Named parts (lexicon terms and literal names) are found as exact spans; each hit is read in
its clause, so ``了解Kubernetes``/``familiar with Spark``/``Kubernetes（学习中）`` count as
``partial`` and ``没有Go经验``/``no experience with Go`` do not count at all. Descriptive
phrases are judged on the resume's sentences by key-word coverage and semantic similarity
(:mod:`hrm2.ai.semantic`); the evidence is always the whole sentence that matched.

How a phrase is judged (engine 2.1), calibrated on the development sets ``eval/dev`` and
``eval/dev2`` (never on ``eval/blind``) and documented in the README:

- pass when the resume uses at least ``MENTIONED_PASS`` of the phrase's key words anywhere
  (``全流程招聘经验`` → 招聘, 流程, …); the evidence is the sentence that names most of them;
- otherwise partial when a sentence is close in meaning (static-embedding cosine ≥
  ``RELATED_PARTIAL``): related work, a reviewer confirms the depth;
- otherwise fail — except across languages (an English phrase on a Chinese resume or the
  reverse), where key words cannot be found and the verdict is ``unknown`` for a person.

Measured on the two development sets (328 labelled verdicts of descriptive criteria): the key
words the resume uses separate what the labellers passed from what they failed (area under the
curve 0.79), the best sentence's similarity does not (0.66, its medians for pass and fail
differ by 0.01), so similarity only finds related sentences and never passes on its own.

Certificates are never passed on meaning alone (a similar certificate is not the one asked
for): at most ``unknown``, so a person checks. Without the semantic model (not installed),
phrases are judged by key words only and what cannot be judged is ``unknown``, never ``fail``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from hrm2.ai import semantic
from hrm2.ai.criteria import CompiledCriterion, Group, Part
from hrm2.ai.sections import Sections
from hrm2.ai.textindex import Doc, Hit, jieba_tokenizer

PHRASE_PARTIAL = 0.40  # a certificate this close in meaning is for a person to check
MENTIONED_PASS = 0.3
RELATED_PARTIAL = 0.7
KEYWORD_BONUS = 0.25  # added at full key-word coverage of a sentence
MAX_EVIDENCE = 5
RANK = {"pass": 3, "partial": 2, "unknown": 1, "fail": 0}

_CLAUSE_END = re.compile(r"[。；;！？!?\n\r\u200b-\u200d\u2060\ufeff•●▪■◆]|\.\s|:\s*$")
_HEDGE = (
    r"了解|接触过|接触|初步|入门|学习中|正在学习|自学|略懂|基础|一般|familiar\s+with|familiarity"
    r"|basic(?:\s+knowledge)?|exposure|introductory|coursework|currently\s+learning|learning"
    r"|beginner|some\s+knowledge"
)
_STRONG = (
    r"熟悉|精通|熟练|掌握|擅长|使用|运用|负责|主导|开发|搭建|设计|实现|独立|proficient|expert"
    r"|experienced|extensive|advanced|strong|built|developed|designed|implemented|led|using|used"
    r"|deployed|shipped|owned|maintained"
)
_NEGATION = (
    r"不熟悉|不会|不懂|没有|无相关|未接触|未使用|未曾|缺乏|尚未|no\s+(?:experience|exposure|knowledge)"
    r"|not\s+familiar|never\s+used|without|lack(?:s|ing)?"
)
_MARKER = re.compile(rf"(?P<neg>{_NEGATION})|(?P<hedge>{_HEDGE})|(?P<strong>{_STRONG})", re.I)
_HEDGE_AFTER = re.compile(
    r"\s*[（(]?\s*(?:了解|入门|学习中|初级|基础|basic|beginner|learning)", re.I
)
_NEG_AFTER = re.compile(r"[^。；;\n]{0,6}?(?:经验)?(?:欠缺|不足|较少)", re.I)
# Contact details: an e-mail address, a mobile or phone number (a date range such as
# "2017 - 2019" is not one), or the words that introduce them. Such lines are never evidence.
CONTACT = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|(?<!\d)1[3-9]\d{9}(?!\d)"
    r"|(?<![\d.])\+?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{4}(?!\d)"
    r"|电话|手机|邮箱|微信|联系方式|\bphone\b|\be-?mail\b|\btel\b|\bwechat\b",
    re.I,
)
_SENTENCE_END = re.compile(r"[。；;！？!?]|\.(?=\s|$)")
_STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "以及",
        "等",
        "或",
        "相关",
        "能力",
        "经验",
        "经历",
        "具备",
        "良好",
        "优秀",
        "较强",
        "熟悉",
        "精通",
        "掌握",
        "了解",
        "有",
        "具有",
        "工作",
        "进行",
        "能够",
        "可以",
        "较好",
        "一定",
        "丰富",
        "扎实",
        "优先",
        "者",
        "并",
        "对",
        "在",
        "中",
        "上",
        "以上",
        "岗位",
        "要求",
        "and",
        "or",
        "of",
        "the",
        "to",
        "in",
        "with",
        "for",
        "a",
        "an",
        "experience",
        "ability",
        "strong",
        "good",
        "excellent",
        "skills",
        "skill",
        "knowledge",
    ]
)


@dataclass
class Judgement:
    verdict: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    how: str = "name"  # name | alias | phrase | semantic | none
    similarity: float | None = None


class ResumeView:
    """A resume prepared once for every criterion: hits, sentences and their vectors."""

    def __init__(self, text: str, doc: Doc | None = None, sections: Sections | None = None):
        self.text = text
        self.doc = doc or Doc(text)
        self.sections = sections or Sections(text)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans = []
        text = self.text
        for line in self.sections.lines:
            start = line.start
            for m in _SENTENCE_END.finditer(text, line.start, line.end):
                spans.append((start, m.end()))
                start = m.end()
            spans.append((start, line.end))
        trimmed = []
        for s, e in spans:
            while s < e and text[s] in " \t\u3000,，、:：-–—*#>":
                s += 1
            while e > s and text[e - 1] in " \t\u3000":
                e -= 1
            if e - s >= 6 and not CONTACT.search(text, s, e):
                trimmed.append((s, e))
        return trimmed

    @cached_property
    def vectors(self) -> np.ndarray:
        return semantic.encode([self.text[s:e][:300] for s, e in self.sentences])

    @cached_property
    def mostly_chinese(self) -> bool:
        cjk = len(_CJK.findall(self.text))
        return cjk > 0.3 * (cjk + len(_LATIN.findall(self.text)))

    @cached_property
    def folded(self) -> str:
        return self.text.casefold()

    def qualifier(self, start: int, end: int) -> str:
        """``negated``, ``hedged`` or ``strong``: how the clause around a hit speaks of it."""
        text = self.text
        lo = max(0, start - 40)
        clause_start = lo
        for m in _CLAUSE_END.finditer(text, lo, start):
            clause_start = m.end()
        last = None
        for m in _MARKER.finditer(text, clause_start, start):
            last = m
        if _NEG_AFTER.match(text, end, min(len(text), end + 12)):
            return "negated"
        if last is not None and last.lastgroup == "neg":
            return "negated"
        if _HEDGE_AFTER.match(text, end, min(len(text), end + 8)):
            return "hedged"
        if last is not None and last.lastgroup == "hedge":
            return "hedged"
        return "strong"


def _named(view: ResumeView, part: Part, depth: str | None) -> Judgement:
    hits: list[Hit] = view.doc.find(part.forms)
    if not hits and part.kind == "literal":
        hits = _words_near(view, part.text)
    strong, weak = [], []
    for hit in hits:
        how = view.qualifier(hit.start, hit.end)
        if how == "negated":
            continue
        if hit.strong and (how == "strong" or depth == "basic"):
            strong.append(hit)
        else:
            weak.append(hit)
    if strong:
        return Judgement("pass", [(h.start, h.end) for h in strong], "name")
    if weak:
        return Judgement("partial", [(h.start, h.end) for h in weak], "name")
    return Judgement("fail", [], "none")


@lru_cache(maxsize=1024)
def _near_pattern(name: str) -> re.Pattern | None:
    """``SAP MM`` also as ``SAP S/4HANA MM``: the words of a name of two or three Latin words,
    in order, a few characters apart on one line."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(w.isascii() for w in words):
        return None
    gap = r"[^\n。；;]{0,20}?"
    body = gap.join(rf"(?<![A-Za-z0-9]){re.escape(w)}(?![A-Za-z0-9])" for w in words)
    return re.compile(body, re.I)


def _words_near(view: ResumeView, name: str) -> list[Hit]:
    pattern = _near_pattern(name)
    if pattern is None:
        return []
    return [Hit(m.start(), m.end()) for m in pattern.finditer(view.text)]


@lru_cache(maxsize=4096)
def keywords(phrase: str) -> tuple[str, ...]:
    """Content words of a descriptive phrase (jieba for Chinese, words for Latin)."""
    words = []
    for token in jieba_tokenizer().lcut(phrase, HMM=False):
        token = token.strip().casefold()
        if not token or token in _STOP or not any(ch.isalnum() for ch in token):
            continue
        if len(token) == 1 and not token.isascii():
            continue
        words.append(token)
    return tuple(dict.fromkeys(words))


def _phrase(view: ResumeView, part: Part, certificate: bool) -> Judgement:
    folded_phrase = part.text.casefold()
    start = view.folded.find(folded_phrase)
    if start != -1 and len(folded_phrase) >= 2:
        end = start + len(part.text)
        how = view.qualifier(start, end)
        if how != "negated":
            return Judgement("pass" if how == "strong" else "partial", [(start, end)], "phrase")
    sentences = view.sentences
    if not sentences:
        return Judgement("unknown", [], "none")
    words = keywords(part.text)
    coverage = np.zeros(len(sentences), dtype=np.float32)
    if words:
        for i, (s, e) in enumerate(sentences):
            chunk = view.folded[s:e]
            coverage[i] = sum(1 for w in words if w in chunk) / len(words)
    if semantic.available():
        sims = view.vectors @ semantic.encode_one(part.text)
    else:
        sims = np.zeros(len(sentences), dtype=np.float32)
    scores = sims + KEYWORD_BONUS * coverage
    best = int(np.argmax(scores))
    score = float(scores[best])
    span = sentences[best]
    if not semantic.available():
        # Key words only: all of them in one sentence is a match, some is related, none is
        # something a person must judge — never a failure the engine cannot back.
        covered = float(coverage[best])
        verdict = "pass" if covered >= 0.99 else "partial" if covered >= 0.5 else "unknown"
        if certificate and verdict != "unknown":
            verdict = "unknown"
    elif certificate:
        verdict = "unknown" if score >= PHRASE_PARTIAL else "fail"
    elif words and _mentioned(view, words) >= MENTIONED_PASS:
        verdict = "pass"
        best = int(np.argmax(coverage * 4 + sims))  # the sentence that names most of them
        span = sentences[best]
    elif _other_language(view, part.text):
        # Key words cannot be found across languages and the embeddings are weak there: a
        # person judges an English criterion on a Chinese resume (and the reverse).
        verdict = "partial" if float(sims.max()) >= RELATED_PARTIAL else "unknown"
        best = int(np.argmax(sims))
        span = sentences[best]
        if verdict == "unknown":
            return Judgement("unknown", [], "semantic", similarity=round(float(sims.max()), 3))
    elif float(sims.max()) >= RELATED_PARTIAL:
        verdict = "partial"
        best = int(np.argmax(sims))
        span = sentences[best]
    else:
        verdict = "fail"
    if verdict == "pass" and view.qualifier(span[0], span[0] + 1) == "hedged":
        verdict = "partial"
    if verdict == "pass":
        line_hedge = _MARKER.search(view.text, span[0], span[1])
        if line_hedge is not None and line_hedge.lastgroup == "hedge":
            verdict = "partial"
    spans = [span] if verdict != "fail" else []
    return Judgement(verdict, spans, "semantic", similarity=round(score, 3))


_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _other_language(view: ResumeView, phrase: str) -> bool:
    """A Chinese phrase on a resume written in English, or an English phrase on a Chinese one."""
    return bool(_CJK.search(phrase)) != view.mostly_chinese


def _mentioned(view: ResumeView, words: tuple[str, ...]) -> float:
    """The share of a phrase's key words that the resume uses anywhere."""
    return sum(1 for w in words if w in view.folded) / len(words)


def _group(view: ResumeView, group: Group, depth: str | None, certificate: bool) -> Judgement:
    judged = [
        _phrase(view, p, certificate) if p.kind == "phrase" else _named(view, p, depth)
        for p in group.parts
    ]
    best = max(judged, key=lambda j: RANK[j.verdict])
    if best.verdict == "pass" or not group.support:
        return best
    backing = [_named(view, p, depth) for p in group.support]
    found = [(p, j) for p, j in zip(group.support, backing, strict=True) if j.verdict == "pass"]
    if not found:
        return best
    part, hit = max(found, key=lambda pj: len(pj[0].text))
    phrase = max((p.text for p in group.parts if p.kind == "phrase"), key=len, default="")
    spans = best.spans + hit.spans
    # The named term is most of the phrase (性能优化 in 前端性能优化): that is the skill itself.
    if phrase and len(part.text) * 2 >= len(phrase.replace(" ", "")):
        return Judgement("pass", spans, "alias")
    return Judgement("partial", spans, "alias")


def judge(
    view: ResumeView, criterion: CompiledCriterion, *, certificate: bool = False
) -> Judgement:
    """The verdict of one criterion with its evidence spans."""
    if not view.text.strip():
        return Judgement("unknown", [], "none")
    judged = [_group(view, g, criterion.depth, certificate) for g in criterion.groups]
    if len(judged) == 1:
        return judged[0]
    spans = [s for j in judged for s in j.spans]
    passed = sum(1 for j in judged if j.verdict == "pass")
    how = "semantic" if any(j.how == "semantic" for j in judged) else "name"
    if passed * 3 >= len(judged) * 2:
        return Judgement("pass", spans, how)
    if any(j.verdict in ("pass", "partial") for j in judged):
        return Judgement("partial", spans, how)
    if all(j.verdict == "unknown" for j in judged):
        return Judgement("unknown", [], "none")
    return Judgement("fail", [], "none")
