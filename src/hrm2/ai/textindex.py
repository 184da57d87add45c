"""Term matching on the ORIGINAL resume text, with offsets usable as evidence.

Latin forms ("Go", "C++", ".NET", "Node.js", "Spring Boot") are matched by regular expressions
with custom boundaries, so ``Go`` does not match "going"/"Google" and ``C`` does not match
"C++", "C#", "R&D" or "C端". Pure Chinese forms are found by substring search and checked
against jieba token boundaries (every lexicon term is a jieba word): a hit on token boundaries
is *strong*, a hit inside a longer word (会计 in 会计师事务所) is *weak* (verdict ``partial``).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import warnings
from dataclasses import dataclass
from functools import cached_property, lru_cache

from hrm2.ai.lexicon import Form, Lexicon, default_lexicon

CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_HEAD = re.compile(r"[A-Za-z0-9.]")
_LATIN_TAIL = re.compile(r"[A-Za-z0-9+#]")
_WORDS = re.compile(r"[a-z0-9]+")

_jieba = None
_jieba_lock = threading.Lock()


def jieba_tokenizer():
    """jieba, initialised once (thread-safe) with every lexicon term as a word."""
    global _jieba
    if _jieba is not None:
        return _jieba
    with _jieba_lock:
        if _jieba is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # jieba imports the deprecated pkg_resources
                import jieba
            jieba.setLogLevel(logging.WARNING)
            cache_dir = os.environ.get("HRM2_JIEBA_CACHE_DIR") or os.path.join(
                tempfile.gettempdir(), "hrm2-jieba"
            )
            os.makedirs(cache_dir, exist_ok=True)
            jieba.dt.tmp_dir = cache_dir
            jieba.initialize()
            for term in default_lexicon().all_terms():
                jieba.add_word(term, freq=20000, tag="skill")
            _jieba = jieba
    return _jieba


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    strong: bool = True


class Doc:
    """A resume text with lazily computed indexes (token boundaries, Latin word set)."""

    def __init__(self, text: str):
        self.text = text
        self.has_cjk = CJK.search(text) is not None

    @cached_property
    def boundaries(self) -> frozenset[int]:
        if not self.has_cjk:
            return frozenset()
        tokens = jieba_tokenizer().tokenize(self.text, HMM=False)
        cuts = set()
        for _, start, end in tokens:
            cuts.add(start)
            cuts.add(end)
        return frozenset(cuts)

    @cached_property
    def words(self) -> frozenset[str]:
        return frozenset(_WORDS.findall(self.text.lower()))

    def lexicon_skills(self, lexicon: Lexicon) -> dict[str, str]:
        """Canonical name → category of every lexicon entry with a strong hit (computed once)."""
        cached = self.__dict__.get("_lexicon_skills")
        if cached is not None and cached[0] is lexicon:
            return cached[1]
        text, words, found = self.text, self.words, {}
        for entry, word_sets, cjk in _scan_plan(lexicon):
            maybe = any(ws <= words for ws in word_sets) or any(f in text for f in cjk)
            if maybe and any(h.strong for h in self.find(entry.forms)):
                found[entry.name] = entry.category
        self.__dict__["_lexicon_skills"] = (lexicon, found)
        return found

    def find(self, forms: tuple[Form, ...]) -> list[Hit]:
        """All non-overlapping hits of any of ``forms``, sorted by position."""
        hits: list[Hit] = []
        latin = tuple(f for f in forms if not _is_pure_cjk(f.text))
        if latin and any(_words_present(f.text, self.words) for f in latin):
            pattern = _compile(latin)
            hits.extend(Hit(m.start(), m.end()) for m in pattern.finditer(self.text))
        for form in forms:
            if _is_pure_cjk(form.text):
                hits.extend(self._find_cjk(form.text))
        return _dedupe(hits)

    def _find_cjk(self, term: str) -> list[Hit]:
        found = []
        start = self.text.find(term)
        while start != -1:
            end = start + len(term)
            strong = start in self.boundaries and end in self.boundaries
            found.append(Hit(start, end, strong))
            start = self.text.find(term, end)
        return found


@lru_cache(maxsize=8)
def _scan_plan(lexicon: Lexicon):
    plan = []
    for entry in lexicon.entries:
        latin = tuple(f for f in entry.forms if not _is_pure_cjk(f.text))
        word_sets = tuple(frozenset(_WORDS.findall(f.text.lower())) for f in latin)
        cjk = tuple(f.text for f in entry.forms if _is_pure_cjk(f.text))
        plan.append((entry, word_sets, cjk))
    return plan


def _is_pure_cjk(text: str) -> bool:
    return CJK.search(text) is not None and _LATIN_HEAD.search(text) is None


def _words_present(form: str, words: frozenset[str]) -> bool:
    return all(w in words for w in _WORDS.findall(form.lower()))


def _dedupe(hits: list[Hit]) -> list[Hit]:
    """Keep the longest hit where hits overlap; prefer strong hits."""
    hits.sort(key=lambda h: (h.start, -(h.end - h.start), not h.strong))
    kept: list[Hit] = []
    for hit in hits:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept


def _form_pattern(form: Form) -> str:
    text = form.text
    body = r"\s+".join(re.escape(word) for word in text.split())
    if form.case_sensitive:
        variants = dict.fromkeys([text, text.upper()])
        body = "(?:" + "|".join(r"\s+".join(map(re.escape, v.split())) for v in variants) + ")"
    else:
        body = f"(?i:{body})"
    lead = tail = ""
    if _LATIN_HEAD.match(text[0]):
        lead = r"(?<![A-Za-z0-9_])" if text[0] == "." else r"(?<![A-Za-z0-9_])(?<![A-Za-z0-9]\.)"
    if _LATIN_TAIL.match(text[-1]):
        tail = r"(?![A-Za-z0-9_+#])(?!\.[A-Za-z0-9])"
    if len(text) == 1:  # C, R: not in R&D, C-level, C端, C轮, A类 ...
        lead += r"(?<![&\-'’])"
        tail += r"(?![&\-'’端轮类级盘位座区])"
    return lead + body + tail


@lru_cache(maxsize=4096)
def _compile(forms: tuple[Form, ...]) -> re.Pattern:
    ordered = sorted(forms, key=lambda f: -len(f.text))
    return re.compile("|".join(f"(?:{_form_pattern(f)})" for f in ordered))
