"""Criteria compiled into matchers: how each skill or certificate of a position is looked for.

Recruiters write criteria as they write job ads — ``Java/Kotlin``, ``SPSS、SAS、Stata之一``,
``大语言模型（LLM）``, ``熟悉分布式系统架构设计``, ``具备良好的沟通协调能力`` — not as lexicon
terms. :func:`compile_criterion` turns one such text into:

- the required *depth* from proficiency words (``了解``/``familiar with`` → basic, ``熟悉``/
  ``熟练``/``掌握`` → working, ``精通``/``expert in`` → expert), removed from the text;
- *alternatives* (``A/B``, ``A或B``, ``A、B之一``, ``A or B``, a parenthesised alias): any one
  of them meets the criterion; a *list* (``A、B``, ``A和B``, ``A及B``, ``A and B``): each part is
  looked for and the criterion passes when most are found;
- for each part, the lexicon entry with its aliases when there is one (*exact*), the literal
  term when it is a short name (*literal*), otherwise a *phrase*: key words plus the semantic
  matcher (:mod:`hrm2.ai.semantic`), which can only judge loosely — the position API shows
  that as a warning before any resume is screened.

Compiling is pure text work (no model, no segmenter), so the web process can show the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from hrm2.ai.lexicon import Form, Lexicon, default_lexicon
from hrm2.ai.messages import join, lang, t

Depth = str  # "basic" | "working" | "expert"

_DEPTH_WORDS = [
    (
        "expert",
        r"精通|深入理解|深刻理解|expert(?:ise)?\s+(?:in|with)|mastery\s+of|deep\s+expertise\s+in",
    ),
    (
        "working",
        r"熟练掌握|熟练使用|熟练运用|熟练|熟悉|掌握|能够熟练|会使用|擅长|具备|具有|拥有"
        r"|有(?=.*(?:经验|经历|能力|背景|基础)$)"
        r"|proficient\s+(?:in|with)|proficiency\s+(?:in|with)|strong|solid|hands-on"
        r"|experience\s+(?:in|with)|experienced\s+(?:in|with)|working\s+knowledge\s+of"
        r"|knowledge\s+of|skilled\s+in|ability\s+to|fluent(?:\s+in)?|流利的?",
    ),
    (
        "basic",
        r"了解|接触过|初步了解|基本了解|familiar(?:ity)?\s+with|basic\s+(?:knowledge\s+of|understanding\s+of)"
        r"|exposure\s+to|awareness\s+of",
    ),
]
_DEPTH_RE = re.compile(
    r"^\s*(?:(?P<expert>{})|(?P<working>{})|(?P<basic>{}))\s*".format(
        *(p for _, p in _DEPTH_WORDS)
    ),
    re.I,
)
# Words that describe a requirement rather than name it ("良好的…能力", "…经验", "相关…").
_FILLER_HEAD = re.compile(
    r"^(?:较强的|良好的|优秀的|出色的|丰富的|扎实的|一定的|相关的?|较好的|很强的|强烈的|"
    r"a\s+|an\s+|the\s+|good\s+|excellent\s+|strong\s+|solid\s+|proven\s+|demonstrated\s+)+",
    re.I,
)
_FILLER_TAIL = re.compile(
    r"(?:的?(?:能力|经验|经历|基础|知识|背景|技能|意识|者优先|优先)|等(?:相关)?(?:技术|工具|框架)?"
    r"|\s+(?:skills?|experience|knowledge|abilit(?:y|ies)|background))+\s*$",
    re.I,
)
_ONE_OF = re.compile(
    r"(?:中的?)?(?:之一|任一|其一|任意一种|至少一种|至少一项|至少一门|其中一种|等)[\u4e00-\u9fff]{0,8}\s*$"
    r"|^(?:any\s+of|one\s+of|at\s+least\s+one\s+of)\s+",
    re.I,
)
_PAREN = re.compile(r"^(?P<main>[^（(]+?)\s*[（(](?P<inner>[^）)]+)[）)]\s*(?P<rest>.*)$")
_ALT_SPLIT = re.compile(r"\s*(?:/|／|或者|或|\bor\b|\|)\s*", re.I)
_LIST_SPLIT = re.compile(
    r"\s*(?:、|，|,|；|;|及|以及|和|与|\band\b|(?<![A-Za-z])&(?![A-Za-z])|\+)\s*", re.I
)
_LATIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+#/&\- ]{0,24}$")
# "SolidWorks/Creo三维建模", "Prometheus/Grafana monitoring and alerting": named alternatives
# followed by words that say what they are used for.
_NAMED_ALTERNATIVES = re.compile(
    r"^(?P<alts>[A-Za-z][A-Za-z0-9.+#&\-]*(?:\s*[/／]\s*[A-Za-z][A-Za-z0-9.+#&\-]*)+)"
    r"(?P<tail>\s*[\u4e00-\u9fff].*|\s+[a-z].*)$"
)
_TAIL_NAME = re.compile(r"(?<![A-Za-z])[A-Z][A-Za-z0-9.+#&\-]+")


@dataclass(frozen=True)
class Part:
    """One thing to look for: a lexicon entry, a literal name or a descriptive phrase."""

    text: str
    kind: str  # "exact" | "literal" | "phrase"
    forms: tuple[Form, ...]
    canonical: str | None = None


@dataclass(frozen=True)
class Group:
    """Alternatives: any one of ``parts`` meets the group. ``support`` are lexicon terms named
    inside a descriptive phrase: found alone, they show the phrase is at least partly met."""

    parts: tuple[Part, ...]
    support: tuple[Part, ...] = ()


@dataclass(frozen=True)
class CompiledCriterion:
    text: str
    core: str
    depth: Depth | None
    groups: tuple[Group, ...]  # every group is looked for; most must be met

    @property
    def parts(self) -> tuple[Part, ...]:
        return tuple(p for g in self.groups for p in g.parts)

    @property
    def mode(self) -> str:
        if len(self.groups) > 1:
            return "most"
        return "any" if len(self.groups[0].parts) > 1 else "single"

    @property
    def loose(self) -> bool:
        """True when some group can only be judged by key words and meaning, not by name."""
        return any(all(p.kind == "phrase" for p in g.parts) for g in self.groups)

    @property
    def strategy(self) -> str:
        if self.loose:
            return "semantic" if all(p.kind == "phrase" for p in self.parts) else "mixed"
        if self.mode == "any":
            return "alternatives"
        if self.mode == "most":
            return "list"
        return "exact" if self.parts[0].kind == "exact" else "literal"

    def describe(self) -> dict:
        """The plan as data (position API, console)."""
        return {
            "text": self.text,
            "strategy": self.strategy,
            "depth": self.depth,
            "mode": self.mode,
            "loose": self.loose,
            "groups": [
                {
                    "any_of": [
                        {
                            "text": p.text,
                            "kind": p.kind,
                            "canonical": p.canonical,
                            "forms": [f.text for f in p.forms][:12],
                        }
                        for p in g.parts
                    ],
                    "supported_by": [p.canonical or p.text for p in g.support],
                }
                for g in self.groups
            ],
        }


def _depth(text: str) -> tuple[Depth | None, str]:
    depth = None
    while True:
        m = _DEPTH_RE.match(text)
        if not m or m.end() == 0 or m.end() >= len(text):
            break
        if text[m.end() - 1].isascii() and text[m.end() - 1].isalpha() and text[m.end()].isalpha():
            break  # "Solid" in "SolidWorks" is a name, not a depth word
        depth = depth or m.lastgroup
        text = text[m.end() :]
    return depth, text.strip()


def _strip_filler(text: str) -> str:
    stripped = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", text)).strip(" ，,。.;；:：")
    return stripped or text.strip()


def _part(term: str, lexicon: Lexicon) -> Part:
    term = " ".join(term.split()).strip(" ，,。.;；:：")
    entry = lexicon.lookup(term)
    if entry is not None:
        return Part(term, "exact", entry.forms, entry.name)
    cleaned = _strip_filler(term)
    entry = lexicon.lookup(cleaned)
    if entry is not None:
        return Part(term, "exact", entry.forms, entry.name)
    words = cleaned.split()
    # a name ("Stata", "TCP/IP", "Power Query"), not a description ("statistical inference")
    capitalised = all(w[0].isupper() or w[0].isdigit() for w in words)
    if _LATIN_NAME.match(cleaned) and (len(words) == 1 or (len(words) <= 3 and capitalised)):
        return Part(term, "literal", lexicon.forms_for(cleaned))
    return Part(cleaned, "phrase", lexicon.forms_for(cleaned))


def _split(text: str, pattern: re.Pattern, lexicon: Lexicon) -> list[str]:
    """Split on ``pattern`` unless the whole text is a lexicon term (``A/B测试``, ``C/C++``)."""
    if lexicon.lookup(text) is not None or lexicon.lookup(_strip_filler(text)) is not None:
        return [text]
    pieces = [p.strip() for p in pattern.split(text) if p and p.strip()]
    if len(pieces) <= 1:
        return [text]
    # "TCP/IP", "CI/CD": names the lexicon does not know, with a short Latin piece, stay whole.
    if (
        pattern is _ALT_SPLIT
        and all(p.isascii() for p in pieces)
        and any(len(p) <= 2 for p in pieces)
        and not any(lexicon.lookup(p) for p in pieces)
    ):
        return [text]
    return pieces


def _group(text: str, lexicon: Lexicon, extra: str | None = None) -> Group:
    """One group from ``A/B/C`` (alternatives) or a single term; ``extra``: a parenthesis."""
    names = _split(text, _ALT_SPLIT, lexicon)
    if extra:
        names += [
            piece
            for item in _split(extra, _LIST_SPLIT, lexicon)
            for piece in _split(item, _ALT_SPLIT, lexicon)
        ]
    parts = tuple(dict.fromkeys(_part(n, lexicon) for n in names if n.strip()))
    named = {p.canonical for p in parts if p.canonical}
    support = [
        Part(e.name, "exact", e.forms, e.name)
        for p in parts
        if p.kind == "phrase"
        for e in _lexicon_terms_in(p.text, lexicon)
        if e.name not in named
    ]
    return Group(parts, tuple(dict.fromkeys(support)))


_SHORT_ITEM = 12  # a list item longer than this is a sentence, not an item of a list


@lru_cache(maxsize=4096)
def _compile(text: str, lexicon: Lexicon) -> CompiledCriterion:
    raw = " ".join(text.split())
    depth, core = _depth(raw)
    one_of = bool(_ONE_OF.search(core))
    core = _ONE_OF.sub("", core).strip() or core
    if lexicon.lookup(core) or lexicon.lookup(_strip_filler(core)):
        return CompiledCriterion(raw, core, depth, (_group(core, lexicon),))
    m = _PAREN.match(core)
    if m and not m.group("rest"):
        # 大语言模型（LLM）, 单元测试（Jest/Vitest）, SQL (joins, window functions): the
        # parenthesis names the same thing or examples of it — any of them will do.
        return CompiledCriterion(
            raw, core, depth, (_group(m.group("main"), lexicon, extra=m.group("inner")),)
        )
    named = _named_alternatives(core, lexicon)
    if named is not None:
        return CompiledCriterion(raw, core, depth, named)
    if m:
        # 推荐算法（CTR预估）原理与应用: the parenthesis narrows; match the text without it.
        core = (m.group("main") + " " + m.group("rest")).strip()
    items = _split(core, _LIST_SPLIT, lexicon)
    if len(items) > 1:
        groups = [_group(item, lexicon) for item in items]
        all_named = all(p.kind != "phrase" for g in groups for p in g.parts)
        short = not re.search(r"[，,；;]", core) and all(
            3 <= len(i) <= _SHORT_ITEM or i.isascii() for i in items
        )
        if one_of and all_named:
            merged = tuple(dict.fromkeys(p for g in groups for p in g.parts))
            return CompiledCriterion(raw, core, depth, (Group(merged),))
        if all_named or (short and len(items) <= 4):
            return CompiledCriterion(raw, core, depth, tuple(groups))
    return CompiledCriterion(raw, core, depth, (_group(core, lexicon),))


def _named_alternatives(core: str, lexicon: Lexicon) -> tuple[Group, ...] | None:
    """``A/B<what they are for>``: the named alternatives are the criterion; the words after
    them describe their use and are not looked for. Names in capitals inside those words
    (``…填写及EDC系统数据录入``) are required as well."""
    m = _NAMED_ALTERNATIVES.match(core)
    if m is None or len(_split(m.group("alts"), _ALT_SPLIT, lexicon)) < 2:
        return None
    if any(
        core.casefold().startswith(e.casefold()) and len(e) > len(m.group("alts"))
        for e in _leading_terms(core, lexicon)
    ):
        return None  # "A/B testing …" is a term of its own
    groups = [_group(m.group("alts"), lexicon)]
    tail_names = _TAIL_NAME.findall(m.group("tail"))
    if tail_names:
        groups.append(_group("/".join(dict.fromkeys(tail_names)), lexicon))
    return tuple(groups)


def _leading_terms(text: str, lexicon: Lexicon) -> list[str]:
    """Lexicon forms the text starts with."""
    folded = text.casefold()
    return [f for f in lexicon.all_terms() if folded.startswith(f.casefold())]


def _lexicon_terms_in(text: str, lexicon: Lexicon):
    """Lexicon entries whose name or alias appears in ``text`` (longest first, no overlaps)."""
    found = []
    taken: list[tuple[int, int]] = []
    folded = text.casefold()
    for form, entry in sorted(
        ((f, e) for e in lexicon.entries for f in (e.name, *e.aliases)), key=lambda x: -len(x[0])
    ):
        if len(form) < 2 or entry.category == "soft":
            continue
        key = form.casefold()
        start = folded.find(key)
        while start != -1:
            end = start + len(key)
            latin_ok = not form[0].isascii() or (
                (start == 0 or not folded[start - 1].isalnum())
                and (end == len(folded) or not folded[end].isalnum())
            )
            if latin_ok and not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append(entry)
                break
            start = folded.find(key, end)
    return found


def compile_criterion(text: str, lexicon: Lexicon | None = None) -> CompiledCriterion:
    return _compile(text, lexicon or default_lexicon())


def matching_plan(
    criteria: dict, language: str = "zh-hans", lexicon: Lexicon | None = None
) -> list[dict]:
    """Per skill/certificate criterion: how it will be matched, in words, with a warning where
    it can only be matched loosely (the position API and the console show it on save)."""
    plan = []
    for field, kind in (
        ("required_skills", "required_skill"),
        ("optional_skills", "optional_skill"),
        ("certifications", "certification"),
    ):
        for text in criteria.get(field) or []:
            compiled = compile_criterion(text, lexicon)
            item = compiled.describe()
            item["kind"] = kind
            names = join(
                [p.canonical or p.text for p in compiled.parts]
                + [s.text for g in compiled.groups for s in g.support],
                language,
            )
            item["how"] = t(f"match_{compiled.strategy}", language, names=names)
            if compiled.depth and not compiled.loose:
                item["how"] += "；" if lang(language) == "zh" else "; "
                item["how"] += t(f"depth_{compiled.depth}", language)
            item["warning"] = t("match_loose", language) if compiled.loose else None
            plan.append(item)
    return plan
