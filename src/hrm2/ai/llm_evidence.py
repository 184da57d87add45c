"""Evidence the ``llm`` screening engine offers the model: a few resume sentences per criterion.

The model never writes a quote: for each criterion it gets a short numbered list of candidate
sentences and answers with the numbers of those that support its verdict, so every piece of
evidence is an exact span of the resume by construction. The candidates are what the embedded
engine would look at for that criterion:

- the sentences holding the embedded engine's own evidence for it;
- the sentences naming it (the skill or certificate by any lexicon form, a degree, a date
  range or years statement) and, for what can only be described (a descriptive skill such as
  ``熟悉分布式系统架构设计``, leading a team), the best sentences by key words and meaning
  (:mod:`hrm2.ai.matcher`, :mod:`hrm2.ai.semantic`; static embeddings, so only clear
  similarities count);
- the sentences of the section it belongs to (education for a degree, work for experience…);

at most ``MAX_CANDIDATES``, in text order. Lines with contact details and lines addressing the
AI (:mod:`hrm2.ai.injection`) are never offered. A sentence longer than
``MAX_SENTENCE_CHARS`` is cut to a window around what made it relevant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from hrm2.ai import education as edu
from hrm2.ai import experience, injection, semantic
from hrm2.ai.criteria import compile_criterion
from hrm2.ai.lexicon import Lexicon
from hrm2.ai.matcher import CONTACT, ResumeView, keywords
from hrm2.ai.screening import CriterionResult
from hrm2.ai.sections import is_heading
from hrm2.ai.textindex import Doc

MAX_CANDIDATES = 8
MAX_SENTENCE_CHARS = 200
MIN_SCORE = 0.3  # below this a sentence is not worth the model's attention
TERM_KINDS = ("required_skill", "optional_skill", "certification")

SEMANTIC_FLOOR = 0.45  # static embeddings: weaker similarities are mostly noise
# What team leadership sounds like (key words and meaning); the other kinds are found by name:
# a skill or certificate by its forms, a degree, a date range or years statement, a section.
_LEADERSHIP = "带领团队 管理团队 团队成员 下属 led a team managed people reports"
# Sections whose sentences bear on a kind, and how much that counts (≥ MIN_SCORE: offered
# even when nothing else points at them).
_SECTIONS = {
    "required_skill": ({"skills"}, 0.3),
    "optional_skill": ({"skills"}, 0.3),
    "certification": ({"certs"}, 0.5),
    "experience": ({"work"}, 0.6),
    "education": ({"education"}, 1.0),
    "projects": ({"project"}, 1.0),
    "team_lead": ({"work", "project"}, 0.1),
}


def requirement(kind: str, name: str, aliases: tuple[str, ...] = ()) -> str:
    """The criterion in plain words for the prompt."""
    also = f" (also written as: {', '.join(aliases)})" if aliases else ""
    return {
        "required_skill": f"a required skill: {name}{also}",
        "optional_skill": f"a nice-to-have skill: {name}{also}",
        "certification": f"holds the certification: {name}{also}",
        "experience": f"relevant work experience of {name.replace('≥', 'at least ')} years",
        "education": f"highest degree is at least one of: {name}",
        "projects": f"project experience: {name.replace('≥', 'at least ')} projects",
        "team_lead": "has led or managed a team of people",
    }[kind]


@dataclass(frozen=True)
class Candidates:
    """The sentences offered for one criterion: ``spans[i]`` is sentence number ``i + 1``."""

    spans: tuple[tuple[int, int], ...]

    def numbered(self, text: str) -> str:
        if not self.spans:
            return "(none: no sentence of the resume seems to bear on it)"
        return "\n".join(
            f"[{n}] {' '.join(text[s:e].split())}" for n, (s, e) in enumerate(self.spans, 1)
        )

    def chosen(self, numbers: list[int]) -> tuple[list[tuple[int, int]], int]:
        """The spans of the valid numbers (in text order, no repeats) and how many were not."""
        valid = sorted({self.spans[n - 1] for n in numbers if 1 <= n <= len(self.spans)})
        dropped = sum(1 for n in numbers if not 1 <= n <= len(self.spans))
        return valid, dropped


class SentencePicker:
    """Picks the candidate sentences of every criterion of one resume."""

    def __init__(self, text: str, lexicon: Lexicon, *, reference_date: date | None = None):
        self.text = text
        self.lexicon = lexicon
        self.reference_date = reference_date or date.today()
        self.view = ResumeView(text)
        self.flagged = injection.suspicious_lines(text)
        self._usable = [i for i, (s, e) in enumerate(self.view.sentences) if self._offerable(s, e)]

    def aliases(self, name: str) -> tuple[str, ...]:
        entry = self.lexicon.lookup(name)
        if entry is None:
            return ()
        return tuple(f for f in (entry.name, *entry.aliases) if f.casefold() != name.casefold())[:4]

    def candidates(self, result: CriterionResult) -> Candidates:
        kind, name = result.criterion.kind, result.criterion.name
        scores: dict[tuple[int, int], float] = {}
        focus: dict[tuple[int, int], int] = {}

        def credit(span: tuple[int, int], points: float) -> None:
            unit = self._unit_around(span)
            if unit is not None:
                scores[unit] = scores.get(unit, 0.0) + points
                focus.setdefault(unit, span[0])

        for ev in result.evidence:  # what the embedded engine itself cited
            credit((ev.start, ev.end), 3.0)
        for span in self._named(kind, name):
            credit(span, 2.0)
        sentences = self.view.sentences
        if self._usable:
            query = self._description(kind, name)
            if query:
                for i, score in zip(self._usable, self._related(query), strict=True):
                    if score > 0:
                        unit = sentences[i]
                        scores[unit] = scores.get(unit, 0.0) + score
            sections, bonus = _SECTIONS[kind]
            for i in self._usable:
                if self.view.sections.section_at(sentences[i][0]) in sections:
                    unit = sentences[i]
                    scores[unit] = scores.get(unit, 0.0) + bonus
        best = sorted(
            (u for u, score in scores.items() if score >= MIN_SCORE),
            key=lambda u: (-scores[u], u),
        )[:MAX_CANDIDATES]
        spans = sorted({self._clip(u, focus.get(u, u[0])) for u in best})
        return Candidates(tuple(spans))

    def shows(self, kind: str, name: str, span: tuple[int, int]) -> bool:
        """Whether a sentence can show the criterion at all (the model judges the rest): a
        skill or certificate by name or alias (or a key word of a descriptive one), a degree
        for education, a date range or years statement for experience."""
        quote = self.text[span[0] : span[1]]
        if kind in TERM_KINDS:
            compiled = compile_criterion(name, self.lexicon)
            doc = Doc(quote)
            for group in compiled.groups:
                for part in (*group.parts, *group.support):
                    if part.kind != "phrase" and doc.find(part.forms):
                        return True
                    folded = quote.casefold()
                    if part.kind == "phrase" and any(w in folded for w in keywords(part.text)):
                        return True
            return False
        if kind == "education":
            return bool(edu.find_levels(quote))
        if kind == "experience":
            return bool(experience._RANGE.search(quote) or experience.find_claims(quote))
        return True

    # -- helpers ------------------------------------------------------------------------------

    def _description(self, kind: str, name: str) -> str:
        """What to look for by key words and meaning: the descriptive parts of a skill or
        certificate (``熟悉分布式系统架构设计``), or what leadership sounds like."""
        if kind == "team_lead":
            return _LEADERSHIP
        if kind not in TERM_KINDS:
            return ""
        compiled = compile_criterion(name, self.lexicon)
        return " ".join(p.text for p in compiled.parts if p.kind == "phrase")

    def _named(self, kind: str, name: str) -> list[tuple[int, int]]:
        """Spans that name the criterion outright."""
        text = self.text
        if kind in TERM_KINDS:
            compiled = compile_criterion(name, self.lexicon)
            forms = tuple(
                f
                for group in compiled.groups
                for part in (*group.parts, *group.support)
                if part.kind != "phrase"
                for f in part.forms
            )
            return [(h.start, h.end) for h in self.view.doc.find(forms)] if forms else []
        if kind == "education":
            return [(h.start, h.end) for h in edu.find_levels(text)]
        if kind == "experience":
            ranges = experience.find_ranges(text, self.view.sections, ref=self.reference_date)
            return [(r.start, r.end) for r in ranges] + [
                (s, e) for s, e, _ in experience.find_claims(text)
            ]
        return []

    def _related(self, query: str) -> np.ndarray:
        """Per usable sentence: the share of the query's key words it uses plus, when the
        semantic model is installed, its similarity in meaning."""
        sentences = self.view.sentences
        words = keywords(query)
        folded = self.view.folded
        coverage = np.array(
            [
                sum(1 for w in words if w in folded[sentences[i][0] : sentences[i][1]]) / len(words)
                if words
                else 0.0
                for i in self._usable
            ],
            dtype=np.float32,
        )
        if not semantic.available():
            return coverage
        sims = self.view.vectors[self._usable] @ semantic.encode_one(query)
        return coverage + np.where(sims >= SEMANTIC_FLOOR, sims, 0.0)

    def _unit_around(self, span: tuple[int, int]) -> tuple[int, int] | None:
        """The usable sentence holding ``span``, else its layout line when that holds no
        contact details and no instruction to the AI (short bullet items are not sentences)."""
        sentences = self.view.sentences
        for i in self._usable:
            s, e = sentences[i]
            if s <= span[0] < e:
                return sentences[i]
        line = self.view.sections.line_at(span[0])
        start, end = line.start, line.end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if end <= start or not start <= span[0] < end or not self._offerable(start, end):
            return None
        return (start, end)

    def _offerable(self, start: int, end: int) -> bool:
        """Not contact details, not a line addressing the AI, not a bare section heading."""
        return not (
            CONTACT.search(self.text, start, end)
            or injection.overlaps(self.flagged, start, end)
            or is_heading(self.text[start:end])
        )

    def _clip(self, unit: tuple[int, int], anchor: int) -> tuple[int, int]:
        start, end = unit
        if end - start <= MAX_SENTENCE_CHARS:
            return unit
        lo = max(start, min(anchor - MAX_SENTENCE_CHARS // 3, end - MAX_SENTENCE_CHARS))
        return (lo, lo + MAX_SENTENCE_CHARS)
