"""Find a model's quote in the resume text and turn it into evidence offsets.

A quote is looked up as an exact substring first; failing that, in a *folded* copy of the text
(runs of whitespace collapsed to one space, each character NFKC-normalised and lower-cased when
that keeps it one character) whose positions map back to offsets in the original text. The
evidence quote is always the ORIGINAL slice, so ``quote == text[start:end]`` holds by
construction. Quotes that are not found, or are too short to mean anything, are rejected.
"""

from __future__ import annotations

import unicodedata
from functools import cached_property

from hrm2.ai.screening import Evidence

MIN_QUOTE_CHARS = 2


def _fold_char(c: str) -> str:
    folded = unicodedata.normalize("NFKC", c)
    if len(folded) != 1:
        return c
    lowered = folded.lower()
    return lowered if len(lowered) == 1 else folded


class QuoteLocator:
    def __init__(self, text: str):
        self.text = text

    @cached_property
    def _folded(self) -> tuple[str, list[int]]:
        out: list[str] = []
        where: list[int] = []
        in_space = False
        for i, c in enumerate(self.text):
            if c.isspace():
                if not in_space and out:
                    out.append(" ")
                    where.append(i)
                in_space = True
                continue
            in_space = False
            out.append(_fold_char(c))
            where.append(i)
        return "".join(out), where

    @staticmethod
    def fold(quote: str) -> str:
        return " ".join("".join(_fold_char(c) for c in quote).split())

    def find(self, quote: str) -> Evidence | None:
        """The evidence for ``quote``, or ``None`` when it is not in the text."""
        if not isinstance(quote, str):
            return None
        stripped = quote.strip()
        if len("".join(stripped.split())) < MIN_QUOTE_CHARS:
            return None
        start = self.text.find(stripped)
        if start >= 0:
            end = start + len(stripped)
            return Evidence(start=start, end=end, quote=self.text[start:end])
        folded, where = self._folded
        needle = self.fold(stripped)
        pos = folded.find(needle)
        if not needle or pos < 0:
            return None
        start, end = where[pos], where[pos + len(needle) - 1] + 1
        return Evidence(start=start, end=end, quote=self.text[start:end])

    def evidence(self, quotes: list[str], limit: int = 5) -> tuple[list[Evidence], int]:
        """Valid, de-duplicated evidence for ``quotes`` (in text order) and the number dropped."""
        found: dict[tuple[int, int], Evidence] = {}
        dropped = 0
        for q in quotes:
            ev = self.find(q)
            if ev is None:
                dropped += 1
            else:
                found.setdefault((ev.start, ev.end), ev)
        return sorted(found.values(), key=lambda e: (e.start, e.end))[:limit], dropped
