"""The ``embedded`` interview engine: offline, deterministic, explainable, milliseconds per call.

Questions come from the versioned question bank (``data/question_bank.json``) combined with what
the screening analysis finds in the resume — skills (lexicon), projects, employers, leadership,
gaps between dated jobs and experience claims the dates do not support — and every
resume-based question cites its resume passage (offsets into the resume).

Answers are evaluated from measurable features of the answer text: its length against the
question's difficulty, numbers, technology names matching the expected skills, first-person
ownership ("我"/"I" against "我们"/"we"), STAR markers, hedging and overclaiming words,
structure markers and lexical overlap with the question. Each of the six dimensions gets a 1–4
score, a reason built from those counts, and the answer passages it rests on.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from hrm2.ai import experience, signals
from hrm2.ai.interview import (
    DIMENSIONS,
    LEVEL_BANDS,
    AnswerAssessment,
    DimensionScore,
    DimensionSummary,
    Evaluation,
    Followup,
    Highlight,
    InterviewReport,
    Question,
    QuestionInput,
    QuestionSet,
    SessionData,
    SkillAssessment,
    Star,
    StarElement,
    check_answer_evidence,
    normalized_score,
)
from hrm2.ai.interview_text import (
    confidence_label,
    dimension_label,
    join,
    lang,
    star_label,
    t,
)
from hrm2.ai.lexicon import Lexicon, default_lexicon
from hrm2.ai.screening import Criteria, Evidence
from hrm2.ai.sections import Sections
from hrm2.ai.textindex import CJK, Doc, jieba_tokenizer

BANK_FILE = Path(__file__).resolve().parent / "data" / "question_bank.json"
MAX_EVIDENCE = 3
MIN_GAP_MONTHS = 6


# -- the question bank --------------------------------------------------------------------------


@dataclass(frozen=True)
class Bank:
    version: str
    categories: dict
    resume_templates: dict[str, dict]
    skill_templates: dict[str, dict]
    skill_points: dict[str, list[str]]
    items: list[dict]

    def category_key(self, label: str) -> str | None:
        wanted = " ".join(str(label).split()).casefold()
        for key, info in self.categories.items():
            names = [key, info["zh"], info["en"], *info.get("aliases", [])]
            if wanted in {n.casefold() for n in names}:
                return key
        return None

    def items_for(self, category: str) -> list[dict]:
        return [i for i in self.items if i["category"] == category]


@cache
def question_bank(path: Path = BANK_FILE) -> Bank:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Bank(
        version=str(raw["version"]),
        categories=raw["categories"],
        resume_templates={tpl["kind"]: tpl for tpl in raw["resume_templates"]},
        skill_templates=raw["skill_templates"],
        skill_points=raw["skill_evaluation_points"],
        items=raw["items"],
    )


# -- resume analysis (shared with screening) ---------------------------------------------------


@dataclass
class ResumeAnalysis:
    skills: dict[str, tuple[int, int]] = field(default_factory=dict)  # name → first strong hit
    projects: list[tuple[int, int]] = field(default_factory=list)
    employers: list[tuple[int, int]] = field(default_factory=list)
    leadership: list[tuple[int, int]] = field(default_factory=list)
    gaps: list[tuple[str, str, int, tuple[int, int], tuple[int, int]]] = field(
        default_factory=list
    )  # start label, end label, months, evidence span before, evidence span after
    claim: tuple[float, float, tuple[int, int]] | None = None  # claimed, ranges, span


def _month_label(index: int) -> str:
    return f"{index // 12}.{index % 12 + 1:02d}"


def _line_span(text: str, sections: Sections, offset: int, limit: int = 80) -> tuple[int, int]:
    """The trimmed line around ``offset``; a window of ``limit`` characters on long lines."""
    line = sections.line_at(offset)
    start, end = line.start, line.end
    if end - start > limit:
        start = max(start, offset - limit // 3)
        end = min(end, start + limit)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def analyse_resume(text: str, lexicon: Lexicon, *, ref: date) -> ResumeAnalysis:
    analysis = ResumeAnalysis()
    if not text.strip():
        return analysis
    doc = Doc(text)
    sections = Sections(text)
    exp = experience.analyse(text, sections, ref=ref)
    sig = signals.analyse(text, sections, [r.start for r in exp.ranges])
    for name, category in doc.lexicon_skills(lexicon).items():
        if category == "certification":
            continue
        entry = lexicon.lookup(name)
        hits = [h for h in doc.find(entry.forms) if h.strong] if entry else []
        if hits:
            analysis.skills[name] = _line_span(text, sections, hits[0].start)
    analysis.projects = [s for s in sig.project_lines if s[1] > s[0]]
    seen_lines: set[int] = set()
    for job in sorted(exp.jobs, key=lambda r: -r.start_month):  # most recent first
        line = sections.line_at(job.start)
        if line.start not in seen_lines:
            seen_lines.add(line.start)
            analysis.employers.append(_line_span(text, sections, job.start))
    spans = [(s, e) for s, e, _ in sig.team_sizes] + list(sig.lead_titles)
    analysis.leadership = [_line_span(text, sections, s) for s, _ in sorted(spans)[:2]]
    dated = sorted(exp.ranges, key=lambda r: (r.start_month, r.end_month))
    covered_until, last = None, None
    for r in dated:
        if covered_until is not None and r.start_month - covered_until >= MIN_GAP_MONTHS:
            analysis.gaps.append(
                (
                    _month_label(covered_until),
                    _month_label(r.start_month),
                    r.start_month - covered_until,
                    _line_span(text, sections, last.start),
                    _line_span(text, sections, r.start),
                )
            )
        if covered_until is None or r.end_month > covered_until:
            covered_until, last = r.end_month, r
    if exp.unsupported_claim and exp.claims:
        start, end, _ = max(exp.claims, key=lambda c: c[2])
        analysis.claim = (exp.claimed_years, exp.range_years, (start, end))
    return analysis


def _ev(text: str, span: tuple[int, int]) -> Evidence:
    return Evidence(start=span[0], end=span[1], quote=text[span[0] : span[1]])


# -- answer features ---------------------------------------------------------------------------

_I = re.compile(  # ownership: "I think / I guess" is hedging, not ownership
    r"我(?!们|觉得|猜|想应该)|(?<![A-Za-z'])I(?![A-Za-z])(?!\s+(?:think|guess|believe|suppose))"
    r"|\b(?:my|me|myself)\b",
    re.I,
)
_WE = re.compile(r"我们|咱们|大家一起|\b(?:we|our|us|ourselves)\b|\bthe team\b", re.I)
_NUMBER = re.compile(
    r"\d+(?:[.,]\d+)?\s*(?:%|％|倍|万|千|百|亿|ms|毫秒|秒|分钟|小时|天|周|个月|月|年|人|台|次|条|"
    r"个|QPS|TPS|RPS|GB|MB|TB|[kKmMx×](?![A-Za-z]))?"
    r"|百分之[一二三四五六七八九十\d]+|[一二两三四五六七八九十]+(?:倍|成)"
    r"|\b(?:doubled|tripled|halved|twice|half)\b",
    re.I,
)
_ACTION = re.compile(
    r"我(?:自己|亲自|主要|独立|先|还|又|最后|当时|就)?(?:负责|设计|实现|编写|开发|主导|推动|搭建|重构|优化|引入|"
    r"排查|定位|分析|提出|带领|写了|做了|改了|用了|采用|决定|牵头|协调|组织|建立|制定|上线|迁移|压测|"
    r"梳理|说服|沟通|跟进|修复|加了|拆分|调整|部署|监控|复盘|总结)"
    r"|\bI\s+(?:personally\s+|then\s+|also\s+|first\s+|finally\s+)?(?:designed|built|implemented|"
    r"wrote|led|drove|introduced|refactored|optimi[sz]ed|profiled|debugged|traced|proposed|"
    r"migrated|set up|created|added|decided|owned|rewrote|benchmarked|measured|found|fixed|"
    r"split|moved|changed|deployed|ran|organi[sz]ed|convinced|talked|negotiated|wrote|"
    r"coordinated|analy[sz]ed|reviewed|mentored|started|pushed|worked)\b",
)
_SITUATION = re.compile(
    r"当时|那时|那次|背景是|项目背景|之前|在上一家|在.{0,10}?公司|在.{0,10}?项目(?:中|里)|线上|有一次|遇到|出现了"
    r"|\b(?:the situation|at the time|back then|when I was|at my (?:last|previous)|"
    r"in my (?:last|previous)|one time|once|our (?:system|service|team|product)|there was|"
    r"we had|context)\b",
    re.I,
)
_TASK = re.compile(
    r"负责|任务|目标|需要|要求|职责|我的工作是|目的是|为了"
    r"|\b(?:my (?:task|job|goal|role)|responsible for|was asked|needed to|had to|the goal|"
    r"goal was|in order to|aim(?:ed)? to)\b",
    re.I,
)
_ACTION_GENERIC = re.compile(
    r"采用|通过|引入|使用了|设计了|实现了|改成|改为|加了|增加了|拆分|重写|首先|然后|接着"
    r"|\b(?:implemented|introduced|used|built|added|replaced|switched|designed|rewrote|"
    r"first|then|next)\b",
    re.I,
)
_RESULT = re.compile(
    r"上线后|提升|提高|降低|减少|缩短|节省|增长|达到|降到|降至|提升到|从.{0,12}?(?:降|提|减|缩|增)|拿到|获得|挽回"
    r"|\b(?:reduced|improved|increased|cut|saved|decreased|dropped|grew|went from|which led to|"
    r"achieved|won|shipped|launched)\b",
    re.I,
)
_RESULT_WEAK = re.compile(  # an outcome word; it counts only with a number in the answer
    r"结果|最终|最后|效果|\b(?:result(?:ed|s)?|as a result|outcome|in the end|eventually)\b", re.I
)
_HEDGE = re.compile(
    r"可能|大概|应该是|也许|好像|似乎|不太确定|不确定|不太清楚|记不清|差不多吧|或许|估计"
    r"|\b(?:maybe|probably|perhaps|i think|i guess|not sure|i believe|kind of|sort of|"
    r"might|i suppose)\b",
    re.I,
)
_OVERCLAIM = re.compile(
    r"精通|完全掌握|全部都|所有的?问题|肯定没问题|绝对|从来没有|从没|从不出|没有任何问题|百分之百|一定能|"
    r"最好的|最强|无所不|都能解决|没有我解决不了|轻而易举|非常简单|太简单了|都懂|全都会"
    r"|\b(?:always|never fail(?:ed)?|never had|perfect(?:ly)?|flawless(?:ly)?|the best|expert in|"
    r"master(?:ed)? (?:all|every)|everything|guarantee[ds]?|no problem at all|trivial|any problem|"
    r"all of them|know it all|100 ?percent)\b",
    re.I,
)
_ADMIT = re.compile(  # the candidate admitting a gap; _own_gap() drops other people's gaps
    r"不(?:太|是很|是特别|怎么)?清楚|不(?:太|是很|是特别|怎么)?了解|不(?:太|是很|怎么)?熟悉?|不(?:太|是很)?懂"
    r"|没(?:有)?(?:真正)?(?:接触|用|做|碰|学|搞|写)过|没有(?:相关|这方面的?)?经验|说不上来|说不清楚?"
    r"|记不(?:太|大)?清(?:楚)?|记不得|不知道|答不上来"
    r"|(?:这个|这块|这方面|这部分|这个问题|这题)我?(?:真的|确实|暂时)?不会"
    r"|我(?:真的|确实|暂时)?不会(?=\s*(?:[，。！？,.!?；;…]|$))"
    r"|\b(?:I[’']m|I\s+am)\s+not\s+(?:really\s+|quite\s+|entirely\s+|too\s+|very\s+|that\s+)?"
    r"(?:sure|certain|familiar)\b"
    r"|\bnot\s+(?:really\s+|too\s+|very\s+|that\s+)?familiar\s+with\b"
    r"|\bnot\s+(?:really\s+|quite\s+|entirely\s+|too\s+)?sure\b"
    r"|\bI\s+(?:don[’']?t|do\s+not|didn[’']?t|did\s+not)\s+(?:really\s+)?know\b|\bno\s+idea\b"
    r"|\bI\s+(?:don[’']?t|do\s+not|can[’']?t|cannot|couldn[’']?t)\s+(?:really\s+)?"
    r"(?:remember|recall|say|explain|answer)\b"
    r"|\b(?:I(?:[’']ve|\s+have)?\s+)?never\s+(?:really\s+|actually\s+)?(?:worked|used|done|touched|"
    r"tried|dealt|written|built|had\s+(?:the\s+)?chance)\b"
    r"|\bI\s*(?:haven[’']?t|have\s+not)\s+(?:really\s+|actually\s+|yet\s+)?(?:used|worked|done|"
    r"tried|touched|dealt|learn(?:ed|t)|studied|had\s+(?:the\s+)?chance|come\s+across|"
    r"got(?:ten)?\s+to)\b"
    r"|\b(?:no|little|zero)\s+(?:real\s+|hands-on\s+|practical\s+|production\s+)?experience\s+"
    r"(?:with|in|of)\b",
    re.I,
)
# Someone else's gap, or one overcome: "我们团队之前没做过…", "the team was not familiar with…",
# "一开始原因不清楚，后来…", "需求不清楚的时候…", "I had never used Go … two months later".
_OTHER_SUBJECT = re.compile(
    r"我们|咱们|他们|她们|团队|大家|同事|客户|用户|对方|领导|别人|他|她|原因|根因|需求|产品经理|经理|老板"
    r"|\b(?:we|our|they|their|the team|team|users?|customers?|clients?|he|she|people|nobody|"
    r"colleagues?|everyone)\b",
    re.I,
)
_ME = re.compile(r"我(?!们)|\bI\b|\bI[’']", re.I)
_OVERCOME = re.compile(
    r"一开始|起初|刚开始|最初|后来|于是|学会|上手|掌握了"
    r"|\b(?:at first|initially|in the beginning|until|later|eventually|since then|by then)\b",
    re.I,
)
_PAST_PERFECT = re.compile(r"\bhad\s+$", re.I)  # "I had never used it" (and then learned it)
# "记不清", "can't remember", "not sure": the candidate is unsure of the details rather than
# without the knowledge, which the interviewer should still probe; the other admissions are
# gaps in what they know or did ("不了解", "never used"), with nothing to dig into.
_UNSURE = re.compile(r"记不|记得不|\b(?:remember|recall|sure|certain)\b", re.I)
_CLAUSE = re.compile(r"[。！？!?；;，,：:\n]|\.(?:\s|$)|\b(?:so|but|and)\b")


def _own_gap(text: str, start: int, end: int) -> bool:
    """Whether the admission at ``start:end`` is the candidate's own, current gap."""
    cuts = [m.end() for m in _CLAUSE.finditer(text, 0, start)]
    prefix = text[cuts[-1] if cuts else 0 : start]
    nxt = _CLAUSE.search(text, end)
    clause = prefix + text[start : nxt.start() if nxt else len(text)]
    if text[end : end + 1] == "的" and not _ME.search(prefix):
        return False  # attributive: 不清楚的地方/需求 (what is unclear, not who)
    if _OVERCOME.search(clause) or _OVERCOME.search(text[end : end + 40]):
        return False
    if _PAST_PERFECT.search(prefix):
        return False
    return not (_OTHER_SUBJECT.search(prefix) and not _ME.search(prefix))


_STRUCTURE = re.compile(
    r"首先|其次|然后|接着|最后|第一|第二|第三|一方面|另一方面|另外|此外|总结|总的来说|因此|所以|因为|由于"
    r"|\b(?:first(?:ly)?|second(?:ly)?|third|then|next|finally|lastly|in summary|overall|"
    r"because|therefore|so that|however|on the other hand)\b",
    re.I,
)
_MECHANISM = re.compile(
    r"原理|底层|机制|源码|内部|权衡|取舍|瓶颈|复杂度|一致性|并发|加锁|锁|索引|分片|副本|事务|隔离级别|序列化|调度|"
    r"内存|垃圾回收|协议|算法|幂等|重试|超时|回滚|限流|熔断|降级|异步|批量|预热|过期|淘汰|持久化|主从"
    r"|\b(?:because|under the hood|internally|mechanism|trade-?offs?|bottlenecks?|complexity|"
    r"consistency|concurrency|locks?|locking|index(?:es)?|shards?|sharding|replicas?|"
    r"transactions?|isolation|latency|throughput|memory|algorithms?|protocols?|"
    r"idempot\w+|retr(?:y|ies)|timeouts?|rollback|rate limit\w*|circuit breaker|async\w*|"
    r"batch\w*|eviction|expir\w+|persistence|GC|garbage collect\w*|profil\w+)\b",
    re.I,
)
_WORK_VOCAB = re.compile(  # an answer about work at all (off-topic needs none of these)
    r"工作|项目|公司|团队|同事|上级|领导|经理|技术|系统|服务|代码|客户|用户|需求|上线|产品|开发|测试|平台|数据|性能|"
    r"优化|缓存|接口|线上|故障|问题|分歧|冲突|意见|沟通|学习|负责|任务|方案"
    r"|\b(?:work|job|project|company|team|colleague|manager|boss|code|system|service|customer|"
    r"user|product|feature|release|deploy\w*|data|database|performance|optimi\w+|faster|slower|"
    r"cache|bug|incident|issue|problem|conflict|disagree\w*|learn\w*|task|deadline)\b",
    re.I,
)
_REASONING = re.compile(
    r"因为|所以|原因|根因|分析|反思|复盘|学到|意识到|教训|权衡|考虑到"
    r"|\b(?:because|root cause|analy[sz]\w+|reflect\w*|learn(?:ed|t)|lesson|realised|realized|"
    r"considered|trade-?off)\b",
    re.I,
)
_FILLER = re.compile(r"嗯+|呃+|那个那个|就是说|怎么说呢|\b(?:um+|uh+|you know|basically)\b", re.I)
_CLARIFY = re.compile(
    r"是指|什么意思|能再说|可以再说|再说一遍|能具体说一下问题|能解释一下问题|没听清|重复一下|指的是哪|您是问|你是问"
    r"|\b(?:could you (?:clarify|repeat|rephrase)|what do you mean|do you mean|can you repeat|"
    r"could you explain the question|not sure what you(?:'re| are) asking|which one do you mean)\b",
    re.I,
)
_COUNTER = re.compile(
    r"贵公司|你们公司|你们团队|团队规模|薪资|加班|这个岗位|技术栈是|你们用|你们的"
    r"|\b(?:your (?:company|team|stack)|the team size|this role|salary|overtime|do you use|"
    r"does your)\b",
    re.I,
)
_QUESTION_END = re.compile(r"[?？]\s*$|吗\s*$|呢\s*$")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]*")
_SENTENCE = re.compile(r"[。！？!?；;\n]|\.(?:\s|$)")


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP_EN = _word_set(
    "the a an and or of to in on for with is are was were be been it this that what how why "
    "when which who you your me my i we our do did does have has had can could would should "
    "will about please tell describe give example time from at as by if so then there their "
    "they them one any some"
)
_STOP_ZH = _word_set(
    "的 了 是 在 和 与 或 你 我 我们 请 一个 一下 什么 怎么 如何 为什么 哪些 这个 那个 时候 以及 "
    "有 没有 吗 呢 讲讲 说说 谈谈 介绍 举 例子 具体 一次 经历"
)


def _spans(pattern: re.Pattern, text: str, limit: int = MAX_EVIDENCE) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()][:limit]


def _count(pattern: re.Pattern, text: str) -> int:
    return sum(1 for m in pattern.finditer(text) if m.end() > m.start())


def _units(text: str) -> int:
    """Answer length in "words": CJK characters plus 1.5 × Latin words."""
    return len(CJK.findall(text)) + round(1.5 * len(_LATIN_WORD.findall(text)))


def _content_words(text: str) -> set[str]:
    words = {w for w in re.findall(r"[a-z][a-z0-9+#]{2,}", text.lower()) if w not in _STOP_EN}
    if CJK.search(text):
        for token in jieba_tokenizer().lcut(text, HMM=False):
            token = token.strip()
            if len(token) >= 2 and CJK.search(token) and token not in _STOP_ZH:
                words.add(token)
    return words


def _sentence_span(text: str, start: int, end: int, limit: int = 60) -> tuple[int, int]:
    """The clause around ``start:end`` (cut at sentence marks), at most ``limit`` characters."""
    left = max(
        (m.end() for m in _SENTENCE.finditer(text, max(0, start - limit), start)),
        default=max(0, start - limit // 2),
    )
    right_match = _SENTENCE.search(text, end, min(len(text), end + limit))
    right = right_match.start() if right_match else min(len(text), end + limit // 2)
    if right - left > limit:
        left, right = (
            max(left, start - limit // 3),
            min(right, max(end, start - limit // 3 + limit)),
        )
    while right > left and text[right - 1].isspace():
        right -= 1
    while left < right and text[left].isspace():
        left += 1
    return left, right


@dataclass
class Features:
    units: int
    target: int
    numbers: list[tuple[int, int]]
    first_person: int
    we: int
    actions: list[tuple[int, int]]
    hedges: list[tuple[int, int]]
    overclaims: list[tuple[int, int]]
    admissions: list[tuple[int, int]]  # every admitted gap (knowledge or memory)
    knowledge_gaps: list[tuple[int, int]]  # "不了解", "never used": nothing to dig into
    structure: list[tuple[int, int]]
    mechanism: list[tuple[int, int]]
    reasoning: list[tuple[int, int]]
    fillers: list[tuple[int, int]]
    skill_hits: dict[str, tuple[int, int]]  # expected skill → first hit in the answer
    tech_names: dict[str, tuple[int, int]]  # any lexicon skill named in the answer
    relevance: float
    sentences: int

    @property
    def length_ratio(self) -> float:
        return self.units / self.target if self.target else 1.0


def _skill_hit(doc: Doc, lexicon: Lexicon, name: str) -> tuple[int, int] | None:
    hits = doc.find(lexicon.forms_for(name))
    return (hits[0].start, hits[0].end) if hits else None


def extract_features(question: QuestionInput, answer: str, lexicon: Lexicon) -> Features:
    doc = Doc(answer)
    skill_hits = {}
    for name in question.expected_skills:
        hit = _skill_hit(doc, lexicon, name)
        if hit:
            skill_hits[name] = hit
    tech = {}
    for name in doc.lexicon_skills(lexicon):
        entry = lexicon.lookup(name)
        hit = _skill_hit(doc, lexicon, name) if entry else None
        if hit:
            tech[name] = hit
    q_words = _content_words(question.content)
    a_words = _content_words(answer)
    relevance = len(q_words & a_words) / len(q_words) if q_words else 1.0
    admissions = [
        m.span() for m in _ADMIT.finditer(answer) if _own_gap(answer, m.start(), m.end())
    ][:10]
    hedges = [  # an admitted gap is not also counted as hedging
        span
        for span in _spans(_HEDGE, answer, 20)
        if not any(span[0] < e and s < span[1] for s, e in admissions)
    ][:10]
    return Features(
        units=_units(answer),
        target=40 + 12 * question.difficulty,
        numbers=[m.span() for m in _NUMBER.finditer(answer)],
        first_person=_count(_I, answer),
        we=_count(_WE, answer),
        actions=_spans(_ACTION, answer, 10),
        hedges=hedges,
        overclaims=_spans(_OVERCLAIM, answer, 10),
        admissions=admissions,
        knowledge_gaps=[(a, b) for a, b in admissions if not _UNSURE.search(answer[a:b])],
        structure=_spans(_STRUCTURE, answer, 10),
        mechanism=_spans(_MECHANISM, answer, 20),
        reasoning=_spans(_REASONING, answer, 10),
        fillers=_spans(_FILLER, answer, 10),
        skill_hits=skill_hits,
        tech_names=tech,
        relevance=round(relevance, 3),
        sentences=max(1, len([s for s in _SENTENCE.split(answer) if s.strip()])),
    )


_CODE_KEYS = {"clarification_request": "clarification"}


def _clamp(value: int, low: int = 1, high: int = 4) -> int:
    return max(low, min(high, value))


# -- the engine --------------------------------------------------------------------------------


class EmbeddedInterviewEngine:
    name = "embedded"
    version = "1.0.0"

    def __init__(self, *, reference_date: date | None = None, lexicon: Lexicon | None = None):
        self.reference_date = reference_date
        self.lexicon = lexicon or default_lexicon()
        self.bank = question_bank()

    def warm_up(self) -> None:
        jieba_tokenizer()

    # -- questions --------------------------------------------------------------------------

    def analyse_resume(self, resume_text: str) -> ResumeAnalysis:
        return analyse_resume(
            resume_text or "", self.lexicon, ref=self.reference_date or date.today()
        )

    def highlights(self, text: str, analysis: ResumeAnalysis, language: str) -> list[Highlight]:
        out: list[Highlight] = []
        for span in analysis.projects[:3]:
            out.append(
                Highlight(
                    kind="project",
                    text=t("hl_project", language, quote=text[span[0] : span[1]]),
                    evidence=[_ev(text, span)],
                )
            )
        for span in analysis.employers[:3]:
            out.append(
                Highlight(
                    kind="employer",
                    text=t("hl_employer", language, quote=text[span[0] : span[1]]),
                    evidence=[_ev(text, span)],
                )
            )
        for span in analysis.leadership[:1]:
            out.append(
                Highlight(
                    kind="leadership",
                    text=t("hl_leadership", language, quote=text[span[0] : span[1]]),
                    evidence=[_ev(text, span)],
                )
            )
        for start, end, months, before, after in analysis.gaps[:2]:
            out.append(
                Highlight(
                    kind="gap",
                    text=t("hl_gap", language, start=start, end=end, months=months),
                    evidence=[_ev(text, before), _ev(text, after)],
                )
            )
        if analysis.claim:
            claimed, ranges, span = analysis.claim
            out.append(
                Highlight(
                    kind="claim",
                    text=t("hl_claim", language, claim=_num(claimed), ranges=ranges),
                    evidence=[_ev(text, span)],
                )
            )
        for name, span in list(analysis.skills.items())[:8]:
            out.append(
                Highlight(
                    kind="skill",
                    text=t("hl_skill", language, name=name),
                    evidence=[_ev(text, span)],
                )
            )
        return out

    def generate_questions(
        self,
        resume_text: str,
        criteria: dict,
        *,
        categories: list[str],
        level: str = "senior",
        focus_on_resume: bool = True,
        count_per_category: int = 2,
        language: str = "zh-hans",
        exclude: list[str] | None = None,
    ) -> QuestionSet:
        t0 = time.perf_counter()
        text = resume_text or ""
        crit = (
            criteria if isinstance(criteria, Criteria) else Criteria.model_validate(criteria or {})
        )
        analysis = self.analyse_resume(text)
        low, high = LEVEL_BANDS[level]
        lg = lang(language)
        questions: list[Question] = []
        seen: set[str] = set(exclude or ())  # questions already in the session's pool

        def add(label, key, content, difficulty, skills, points, stars, source, evidence, bank_id):
            if content in seen:
                return False
            seen.add(content)
            questions.append(
                Question(
                    id=f"q{len(questions) + 1}",
                    question=content,
                    category=label,
                    category_key=key,
                    difficulty=max(low, min(high, difficulty)),
                    expected_skills=skills,
                    evaluation_points=points,
                    star_prompts=stars,
                    source=source,
                    evidence=evidence,
                    bank_id=bank_id,
                )
            )
            return True

        for label in categories:
            key = self.bank.category_key(label)
            if key is None:
                raise ValueError(f"unknown question category: {label!r}")
            made = 0
            for candidate in self._candidates(
                key, text, crit, analysis, level, focus_on_resume, lg
            ):
                if made >= count_per_category:
                    break
                content, diff_offset, base, skills, points, stars, source, evidence, bank_id = (
                    candidate
                )
                difficulty = base if base else (low + high) // 2 + diff_offset
                if add(
                    label,
                    key,
                    content,
                    difficulty,
                    skills,
                    points,
                    stars,
                    source,
                    evidence,
                    bank_id,
                ):
                    made += 1
        return QuestionSet(
            engine=self.name,
            engine_version=self.version,
            bank_version=self.bank.version,
            questions=questions,
            resume_highlights=self.highlights(text, analysis, language),
            timings_ms={"total": round((time.perf_counter() - t0) * 1000, 3)},
        )

    def _candidates(self, key, text, crit, analysis, level, focus, lg):
        """Candidate questions of one category, best first (a generator; duplicates skipped).

        Questions written for the level come first; when those are used up (the session asked
        them already), questions of the neighbouring levels, their difficulty clamped into this
        level's band; never a question two levels away (a junior question for an expert).
        """
        if key == "resume":
            if focus:
                yield from self._resume_candidates(text, crit, analysis, lg)
            for item in self._by_level(self.bank.items_for("resume"), level):
                yield self._from_item(item, lg, "behavioral")
        elif key == "technical":
            skills = self._skills_to_ask(crit, analysis, focus)
            for skill in skills:  # one question per skill first
                yield self._skill_question(skill, text, analysis, level, focus, lg)
            for skill in skills:  # then the skill's other questions at this level
                yield from self._more_skill_questions(skill, text, analysis, level, focus, lg)
            position_skills = bool(crit.required_skills + crit.optional_skills)
            items = self._by_level(self.bank.items_for("technical"), level)
            general = [i for i in items if not i["skills"]]
            specific = [] if position_skills else [i for i in items if i["skills"]]
            for item in sorted(general + specific, key=lambda i: level not in i["levels"]):
                yield self._from_item(item, lg, "skill")
        else:
            for item in self._by_level(self.bank.items_for("behavioral"), level):
                yield self._from_item(item, lg, "behavioral")

    def _by_level(self, items: list[dict], level: str) -> list[dict]:
        """The items written for ``level``, then those of the neighbouring levels."""
        rank = {name: n for n, name in enumerate(LEVEL_BANDS)}
        near = {name for name, n in rank.items() if abs(n - rank[level]) == 1}
        return [i for i in items if level in i["levels"]] + [
            i for i in items if level not in i["levels"] and near & set(i["levels"])
        ]

    def _from_item(self, item: dict, lg: str, source: str, skill: str | None = None, evidence=None):
        stars = item.get("star_prompts", {}).get(lg, [])
        return (
            item["text"][lg],
            0,
            item["difficulty"],
            list(item["skills"]) if skill is None else [skill],
            list(item["evaluation_points"][lg]),
            list(stars),
            source,
            evidence or [],
            item["id"],
        )

    def _template(self, kind: str, lg: str, skills: list[str], evidence: list[Evidence], **fill):
        tpl = self.bank.resume_templates[kind]
        return (
            tpl["text"][lg].format(**fill),
            tpl["difficulty"],
            0,
            skills,
            [p.format(**fill) for p in tpl["evaluation_points"][lg]],
            list(tpl.get("star_prompts", {}).get(lg, [])),
            "resume",
            evidence,
            tpl["id"],
        )

    def _resume_candidates(self, text, crit, analysis: ResumeAnalysis, lg):
        wanted = [*crit.required_skills, *crit.optional_skills]
        for span in analysis.projects:
            quote = text[span[0] : span[1]]
            skills = [s for s in wanted if _skill_hit(Doc(quote), self.lexicon, s)]
            yield self._template("project", lg, skills, [_ev(text, span)], quote=quote)
        for span in analysis.leadership[:1]:
            yield self._template(
                "leadership", lg, [], [_ev(text, span)], quote=text[span[0] : span[1]]
            )
        if analysis.claim:
            _claimed, ranges, span = analysis.claim
            yield self._template(
                "claim", lg, [], [_ev(text, span)], quote=text[span[0] : span[1]], ranges=ranges
            )
        for start, end, months, before, after in analysis.gaps[:2]:
            yield self._template(
                "gap",
                lg,
                [],
                [_ev(text, before), _ev(text, after)],
                start=start,
                end=end,
                months=months,
            )
        for span in analysis.employers:
            yield self._template(
                "employer", lg, [], [_ev(text, span)], quote=text[span[0] : span[1]]
            )
        for skill in self._resume_skills_ordered(crit, analysis):
            span = analysis.skills[skill]
            yield self._template(
                "skill", lg, [skill], [_ev(text, span)], quote=text[span[0] : span[1]], skill=skill
            )

    def _resume_skills_ordered(self, crit, analysis: ResumeAnalysis) -> list[str]:
        wanted = [self._canonical(s) for s in [*crit.required_skills, *crit.optional_skills]]
        first = [s for s in wanted if s in analysis.skills]
        return first + [s for s in analysis.skills if s not in first]

    def _canonical(self, name: str) -> str:
        entry = self.lexicon.lookup(name)
        return entry.name if entry else name

    def _skills_to_ask(self, crit, analysis: ResumeAnalysis, focus: bool) -> list[str]:
        required = list(crit.required_skills)
        optional = list(crit.optional_skills)
        if not focus:
            return list(dict.fromkeys(required + optional))
        found = set(analysis.skills)
        ordered = [s for s in required if self._canonical(s) in found]
        ordered += [s for s in required if self._canonical(s) not in found]
        ordered += [s for s in optional if self._canonical(s) in found]
        ordered += [s for s in optional if self._canonical(s) not in found]
        ordered += [s for s in analysis.skills if s not in {self._canonical(o) for o in ordered}]
        return list(dict.fromkeys(ordered))

    def _skill_evidence(self, skill, text, analysis, focus) -> list[Evidence]:
        canonical = self._canonical(skill)
        if focus and canonical in analysis.skills:
            return [_ev(text, analysis.skills[canonical])]
        return []

    def _skill_items(self, skill: str, level: str) -> list[dict]:
        """The bank's questions on ``skill`` written for ``level``."""
        canonical = self._canonical(skill)
        return [
            i
            for i in self.bank.items_for("technical")
            if level in i["levels"] and any(self._canonical(s) == canonical for s in i["skills"])
        ]

    def _skill_template(self, skill, level, lg, evidence):
        tpl = self.bank.skill_templates[level][lg]
        points = [p.format(skill=skill) for p in self.bank.skill_points[lg]]
        return (tpl.format(skill=skill), 0, 0, [skill], points, [], "skill", evidence, f"S-{level}")

    def _skill_question(self, skill, text, analysis, level, focus, lg):
        """The first question on ``skill`` at ``level``: the bank's, else the level's template."""
        evidence = self._skill_evidence(skill, text, analysis, focus)
        items = self._skill_items(skill, level)
        if items:
            return self._from_item(items[0], lg, "skill", skill=skill, evidence=evidence)
        return self._skill_template(skill, level, lg, evidence)

    def _more_skill_questions(self, skill, text, analysis, level, focus, lg):
        """The other questions on ``skill`` at ``level`` (bank items, then the template)."""
        evidence = self._skill_evidence(skill, text, analysis, focus)
        for item in self._skill_items(skill, level):
            yield self._from_item(item, lg, "skill", skill=skill, evidence=evidence)
        yield self._skill_template(skill, level, lg, evidence)

    # -- answers ----------------------------------------------------------------------------

    def evaluate_answer(
        self,
        question: QuestionInput,
        answer: str,
        *,
        criteria: dict | None = None,
        covered: list[str] | None = None,
        language: str = "zh-hans",
    ) -> AnswerAssessment:
        t0 = time.perf_counter()
        f = extract_features(question, answer, self.lexicon)
        star = self._star(answer, f)
        answer_type = self._answer_type(question, answer, f, star)
        dims = self._dimensions(question, answer, f, star, answer_type, language)
        over = len(f.overclaims) >= 2 or (
            len(f.overclaims) >= 1 and dims["answer_specificity"].score <= 2
        )
        hedge_density = len(f.hedges) / max(1.0, f.units / 50)
        confidence = (
            "overconfident"
            if over
            else "uncertain"
            if f.admissions or (len(f.hedges) >= 2 and hedge_density >= 1)
            else "genuine"
        )
        score = normalized_score(dims, overconfident=confidence == "overconfident")
        matched = sorted(set(f.skill_hits) | set(f.tech_names))
        evaluation = Evaluation(
            dimensions=dims,
            normalized_score=score,
            confidence_level=confidence,
            answer_type=answer_type,
            star=star,
            star_missing=star.missing,
            features={
                "length_units": f.units,
                "expected_units": f.target,
                "numbers": len(f.numbers),
                "first_person": f.first_person,
                "we": f.we,
                "actions": len(f.actions),
                "hedges": len(f.hedges),
                "overclaims": len(f.overclaims),
                "admissions": len(f.admissions),
                "knowledge_gaps": len(f.knowledge_gaps),
                "structure_markers": len(f.structure),
                "mechanism_terms": len(f.mechanism),
                "expected_skills_matched": len(f.skill_hits),
                "relevance": f.relevance,
                "scorable": answer_type in ("normal_answer", "off_topic"),
            },
            matched_skills=matched,
            summary=t(
                "eval_summary",
                language,
                score=score,
                confidence=confidence_label(confidence, language),
                missing=join([star_label(p, language) for p in star.missing], language)
                or t("none", language),
            ),
        )
        check_answer_evidence(evaluation, answer)
        followup = self.followup(question, answer, evaluation, f, criteria, covered, language)
        uncovered = self.uncovered_skills(criteria, [*(covered or []), *matched])
        hints = self.hints(evaluation, followup, uncovered, language)
        return AnswerAssessment(
            engine=self.name,
            engine_version=self.version,
            evaluation=evaluation,
            followup_recommendation=followup,
            hr_action_hints=hints,
            timings_ms={"total": round((time.perf_counter() - t0) * 1000, 3)},
        )

    def _star(self, answer: str, f: Features) -> Star:
        def element(spans: list[tuple[int, int]]) -> StarElement:
            return StarElement(found=bool(spans), evidence=[_ev(answer, s) for s in spans[:2]])

        # an outcome verb, or an outcome word backed by numbers ("效果还不错" is not a result)
        result = _spans(_RESULT, answer) or (_spans(_RESULT_WEAK, answer) if f.numbers else [])
        return Star(
            situation=element(_spans(_SITUATION, answer)),
            task=element(_spans(_TASK, answer)),
            action=element(f.actions or _spans(_ACTION_GENERIC, answer)),
            result=element(result),
        )

    def _answer_type(self, question, answer, f: Features, star: Star) -> str:
        stripped = answer.strip()
        short = f.units <= 40
        if short and _CLARIFY.search(stripped):
            return "clarification_request"
        if short and _QUESTION_END.search(stripped) and _COUNTER.search(stripped):
            return "counter_question"
        found = sum(1 for k in ("situation", "task", "action", "result") if getattr(star, k).found)
        if (
            f.units >= 8
            and f.relevance < 0.1
            and not f.skill_hits
            and not (f.tech_names and question.expected_skills == [])
            and not f.mechanism
            and found < 2
            and not f.admissions
            and not f.overclaims
            and not _WORK_VOCAB.search(answer)
        ):
            return "off_topic"
        return "normal_answer"

    def _dimensions(self, question, answer, f: Features, star, answer_type, language):
        ev = lambda spans: [_ev(answer, s) for s in spans[:MAX_EVIDENCE]]  # noqa: E731
        lg = language
        star_found = 4 - len(star.missing)
        technical = bool(question.expected_skills) or question.category_key == "technical"
        skill_spans = sorted(f.skill_hits.values())
        if technical:
            depth = 1 + (
                1 if f.skill_hits or (not question.expected_skills and f.tech_names) else 0
            )
            depth += 1 if f.mechanism else 0
            depth += 1 if len(f.mechanism) >= 3 or (f.numbers and f.mechanism) else 0
            expected = join(question.expected_skills, lg) or t("none", lg)
            reason = (
                t("depth_skills", lg, skills=join(list(f.skill_hits), lg), mech=len(f.mechanism))
                if f.skill_hits
                else t("depth_no_skills", lg, expected=expected, mech=len(f.mechanism))
            )
            depth_ev = ev(skill_spans + f.mechanism[:2])
        else:
            depth = 1 + min(2, len(f.reasoning)) + (1 if f.numbers and f.reasoning else 0)
            reason = t("depth_reasoning", lg, mech=len(f.reasoning), numbers=len(f.numbers))
            depth_ev = ev(f.reasoning)
        practical = 1 + (1 if f.actions else 0)
        practical += 1 if len(f.actions) >= 2 or (f.actions and star.situation.found) else 0
        practical += 1 if f.actions and (f.numbers or star.result.found) else 0
        if f.we and not f.first_person:
            practical = min(practical, 2)
        techs = len(set(f.skill_hits) | set(f.tech_names))
        specific = 1 + (1 if f.numbers else 0)
        specific += 1 if len(f.numbers) >= 2 or techs >= 2 else 0
        specific += 1 if f.length_ratio >= 0.6 else 0
        clarity = 1 + (1 if f.structure else 0)
        clarity += 1 if len(f.structure) >= 2 or star_found >= 3 else 0
        clarity += 1 if f.sentences >= 2 and 0.4 <= f.length_ratio <= 3 else 0
        honesty = 4 - min(3, len(f.overclaims))
        communication = 4
        communication -= 1 if f.length_ratio < 0.3 else 0
        communication -= 1 if f.length_ratio < 0.15 else 0
        communication -= 1 if f.length_ratio > 3 else 0
        communication -= 1 if len(f.fillers) >= 2 else 0
        communication -= 1 if len(f.hedges) >= 3 else 0
        if answer_type == "off_topic":
            depth, practical, specific, clarity = (
                1,
                min(practical, 2),
                min(specific, 2),
                min(clarity, 2),
            )
            communication = 1
            reason += t("off_topic_note", lg)
        ratio = round(100 * f.length_ratio)
        return {
            "technical_depth": DimensionScore(
                score=_clamp(depth), reason=reason, evidence=depth_ev
            ),
            "practical_experience": DimensionScore(
                score=_clamp(practical),
                reason=t("practical", lg, actions=len(f.actions), i=f.first_person, we=f.we),
                evidence=ev(f.actions),
            ),
            "answer_specificity": DimensionScore(
                score=_clamp(specific),
                reason=t("specificity", lg, numbers=len(f.numbers), techs=techs, ratio=ratio),
                evidence=ev(f.numbers),
            ),
            "logical_clarity": DimensionScore(
                score=_clamp(clarity),
                reason=t("clarity", lg, structure=len(f.structure), star=star_found),
                evidence=ev(f.structure),
            ),
            "honesty": DimensionScore(
                score=_clamp(honesty),
                reason=t("honesty", lg, over=len(f.overclaims), admit=len(f.admissions)),
                evidence=ev(f.overclaims or f.admissions),
            ),
            "communication": DimensionScore(
                score=_clamp(communication),
                reason=t(
                    "communication",
                    lg,
                    units=f.units,
                    target=f.target,
                    fillers=len(f.fillers),
                    hedges=len(f.hedges),
                ),
                evidence=ev(f.fillers + f.hedges),
            ),
        }

    # -- follow-ups and hints ---------------------------------------------------------------

    def followup(
        self, question, answer, evaluation: Evaluation, f: Features, criteria, covered, language
    ):
        codes: list[str] = []
        kind = evaluation.answer_type
        if kind != "normal_answer":
            codes.append(kind)
        else:
            if not evaluation.star.result.found and not f.knowledge_gaps:
                codes.append("no_result")
            if f.we and not f.first_person:
                codes.append("we_not_i")
            if (
                (f.skill_hits or f.tech_names)
                and not f.mechanism
                and not f.knowledge_gaps  # "Kafka 我不了解" is not jargon to dig into
                and (evaluation.dimensions["technical_depth"].score <= 2)
            ):
                codes.append("jargon")
            if evaluation.dimensions["answer_specificity"].score <= 2 and not f.knowledge_gaps:
                codes.append("vague")
            if evaluation.confidence_level == "overconfident":
                codes.append("overconfident")
            if f.length_ratio < 0.3 and not f.knowledge_gaps:
                codes.append("too_short")
        questions: list[str] = []
        for code in codes:
            key = _CODE_KEYS.get(code, code)
            if code in ("off_topic", "clarification_request", "counter_question"):
                questions.append(t(f"f_{key}", language, question=question.content))
            elif code == "jargon":
                names = list(f.skill_hits) or list(f.tech_names)
                questions.append(
                    t("f_jargon", language, skill=names[0])
                    if names
                    else t("f_jargon_generic", language)
                )
            elif code == "overconfident":
                s, e = f.overclaims[0]
                questions.append(t("f_overconfident", language, claim=f"“{answer[s:e]}”"))
            else:
                questions.append(t(f"f_{key}", language))
        reason = join([t(f"r_{_CODE_KEYS.get(c, c)}", language) for c in codes], language)
        return Followup(
            should_followup=bool(codes),
            reason=reason,
            reason_codes=codes,
            questions=list(dict.fromkeys(questions))[:3],
            alternative_questions=self.alternatives(criteria, covered, evaluation, language),
        )

    def uncovered_skills(self, criteria: dict | None, covered: list[str] | None) -> list[str]:
        crit = Criteria.model_validate(criteria or {})
        done = {self._canonical(s).casefold() for s in covered or []}
        wanted = [*crit.required_skills, *crit.optional_skills]
        return [s for s in dict.fromkeys(wanted) if self._canonical(s).casefold() not in done]

    def alternatives(self, criteria, covered, evaluation: Evaluation, language) -> list[str]:
        done = list(covered or []) + list(evaluation.matched_skills)
        out = []
        for skill in self.uncovered_skills(criteria, done)[:3]:
            item = self._skill_question(skill, "", ResumeAnalysis(), "mid", False, lang(language))
            out.append(t("alt_skill", language, skill=skill, question=item[0]))
        return out

    def hints(
        self, evaluation: Evaluation, followup: Followup, uncovered: list[str], language: str
    ) -> list[str]:
        hints: list[str] = []
        admitted = evaluation.features.get("admissions", 0) and not evaluation.features.get(
            "overclaims", 0
        )
        honesty = evaluation.dimensions["honesty"].evidence
        if admitted and honesty:
            quote = honesty[0].quote
            key = "h_admits_unsure" if _UNSURE.search(quote) else "h_admits_gap"
            hints.append(t(key, language, quote=_short(quote, 30)))
        for code in followup.reason_codes:
            key = "vague" if code == "too_short" else _CODE_KEYS.get(code, code)
            hint = t(f"h_{key}", language)
            if hint not in hints:
                hints.append(hint)
        if evaluation.confidence_level == "uncertain" and not (admitted and honesty):
            hints.append(t("h_uncertain", language))
        if not followup.should_followup and evaluation.normalized_score >= 75:
            hints.append(t("h_strong", language))
        if uncovered:
            hints.append(t("h_cover", language, skills=join(uncovered[:3], language)))
        return hints[:4]

    # -- report -----------------------------------------------------------------------------

    def write_report(self, session: SessionData, *, language: str = "zh-hans") -> InterviewReport:
        return _Report(self, session, language).build()


class _Report:
    """Aggregates the evaluated answers of a session (deterministic; shared by every engine)."""

    def __init__(self, engine: EmbeddedInterviewEngine, session: SessionData, language: str):
        self.engine = engine
        self.s = session
        self.lg = language
        self.crit = Criteria.model_validate(session.criteria or {})
        self.scored = [
            r
            for r in session.records
            if r.evaluation is not None and r.evaluation.features.get("scorable", True)
        ]

    def build(self) -> InterviewReport:
        lg, s = self.lg, self.s
        scored = self.scored
        if scored:
            weights = [r.question.difficulty for r in scored]
            overall = round(
                sum(r.evaluation.normalized_score * w for r, w in zip(scored, weights, strict=True))
                / sum(weights),
                1,
            )
            rec = (
                "strong_hire"
                if overall >= 80
                else "hire"
                if overall >= 65
                else "undecided"
                if overall >= 50
                else "no_hire"
            )
        else:
            overall, rec = None, "undecided"
        dims = self._dimensions()
        label = t(f"rec_{rec}", lg)
        if scored:
            ranked = sorted((d for d in dims if d.average is not None), key=lambda d: -d.average)
            summary = t(
                "report_summary",
                lg,
                name=s.candidate_name,
                position=s.position_title,
                total=len(s.records),
                evaluated=len(scored),
                score=overall,
                label=label,
                strong=join([d.label for d in ranked[:2]], lg),
                weak=join([d.label for d in ranked[-2:]], lg),
            )
            if len(scored) < 3:
                summary += (" " if lang(lg) == "en" else "") + t("report_few", lg, n=len(scored))
        else:
            summary = t(
                "report_insufficient",
                lg,
                name=s.candidate_name,
                position=s.position_title,
                total=len(s.records),
            )
        skills = self._skills()
        coverage = self._coverage(skills)
        over_rounds = [
            r.round_number for r in scored if r.evaluation.confidence_level == "overconfident"
        ]
        return InterviewReport(
            engine=self.engine.name,
            engine_version=self.engine.version,
            language=lg,
            insufficient_evidence=not scored,
            overall_score=overall,
            recommendation=rec,
            recommendation_label=label,
            summary=summary,
            evaluated_answers=len(scored),
            total_answers=len(s.records),
            dimension_analysis=dims,
            skill_assessment=skills,
            highlights=self._highlights(),
            red_flags=self._red_flags(skills),
            overconfidence={
                "count": len(over_rounds),
                "rounds": over_rounds,
                "penalty_per_answer": 10,
            },
            suggested_next_steps=self._next_steps(rec, coverage),
            coverage=coverage,
            conversation_log=self._log() if s.include_conversation_log else None,
            hr_notes=s.hr_notes,
        )

    def _dimensions(self) -> list[DimensionSummary]:
        out = []
        for name in DIMENSIONS:
            rows = [(r.round_number, r.evaluation.dimensions[name].score) for r in self.scored]
            if not rows:
                out.append(
                    DimensionSummary(
                        dimension=name,
                        label=dimension_label(name, self.lg),
                        average=None,
                        level=t("lvl_unknown", self.lg),
                        comment=t("dim_comment_none", self.lg),
                    )
                )
                continue
            avg = round(sum(v for _, v in rows) / len(rows), 2)
            level = (
                "excellent"
                if avg >= 3.5
                else "good"
                if avg >= 2.75
                else "fair"
                if avg >= 2
                else "weak"
            )
            best = max(rows, key=lambda x: (x[1], -x[0]))
            worst = min(rows, key=lambda x: (x[1], x[0]))
            out.append(
                DimensionSummary(
                    dimension=name,
                    label=dimension_label(name, self.lg),
                    average=avg,
                    level=t(f"lvl_{level}", self.lg),
                    comment=t(
                        "dim_comment",
                        self.lg,
                        best=best[1],
                        best_round=best[0],
                        worst=worst[1],
                        worst_round=worst[0],
                    ),
                )
            )
        return out

    def _skills(self) -> list[SkillAssessment]:
        lex = self.engine.lexicon
        required = list(self.crit.required_skills)
        names = list(dict.fromkeys([*required, *self.crit.optional_skills]))
        for r in self.s.records:
            names += [n for n in r.question.expected_skills if n not in names]
        resume_doc = Doc(self.s.resume_text) if self.s.resume_text else None
        out = []
        for name in names:
            canonical = self.engine._canonical(name).casefold()
            asked = [
                r
                for r in self.s.records
                if any(
                    self.engine._canonical(x).casefold() == canonical
                    for x in r.question.expected_skills
                )
            ]
            shown, quotes = [], []
            for r in self.s.records:
                hits = Doc(r.answer).find(lex.forms_for(name))
                if hits:
                    shown.append(r)
                    a, b = _sentence_span(r.answer, hits[0].start, hits[0].end)
                    quotes.append(f"#{r.round_number}: {r.answer[a:b]}")
            scores = [
                r.evaluation.normalized_score
                for r in {id(x): x for x in asked + shown}.values()
                if r.evaluation is not None and r.evaluation.features.get("scorable", True)
            ]
            resume_ev = []
            if resume_doc is not None:
                hits = [h for h in resume_doc.find(lex.forms_for(name)) if h.strong][:1]
                resume_ev = [_ev(self.s.resume_text, (h.start, h.end)) for h in hits]
            out.append(
                SkillAssessment(
                    skill=name,
                    required=name in required,
                    asked=bool(asked),
                    demonstrated=bool(shown),
                    average_score=round(sum(scores) / len(scores), 1) if scores else None,
                    evidence=quotes[:3],
                    resume_evidence=resume_ev,
                )
            )
        return out

    def _coverage(self, skills: list[SkillAssessment]) -> dict:
        criteria = [
            s.skill
            for s in skills
            if s.skill in [*self.crit.required_skills, *self.crit.optional_skills]
        ]
        covered = [s.skill for s in skills if s.skill in criteria and (s.asked or s.demonstrated)]
        return {
            "criteria": criteria,
            "covered": covered,
            "uncovered": [c for c in criteria if c not in covered],
            "ratio": round(len(covered) / len(criteria), 2) if criteria else None,
        }

    def _highlights(self) -> list[str]:
        out = []
        for r in sorted(
            self.scored, key=lambda r: (-r.evaluation.normalized_score, r.round_number)
        ):
            if r.evaluation.normalized_score < 75 or len(out) >= 5:
                break
            spans = r.evaluation.dimensions["answer_specificity"].evidence or (
                r.evaluation.dimensions["practical_experience"].evidence
            )
            quote = r.answer[:60]
            if spans:
                a, b = _sentence_span(r.answer, spans[0].start, spans[0].end)
                quote = r.answer[a:b]
            out.append(
                t(
                    "highlight",
                    self.lg,
                    round=r.round_number,
                    question=_short(r.question.content, 30),
                    score=r.evaluation.normalized_score,
                    quote=quote,
                )
            )
        return out

    def _red_flags(self, skills: list[SkillAssessment]) -> list[str]:
        out = []
        for r in self.s.records:
            e = r.evaluation
            if e is None:
                continue
            if e.answer_type == "off_topic":
                out.append(t("flag_off_topic", self.lg, round=r.round_number))
            if e.confidence_level == "overconfident":
                spans = e.dimensions["honesty"].evidence
                quote = spans[0].quote if spans else ""
                out.append(t("flag_overconfident", self.lg, round=r.round_number, quote=quote))
            elif e.dimensions["honesty"].score <= 2:
                out.append(t("flag_honesty", self.lg, round=r.round_number))
        missing = [s.skill for s in skills if s.required and s.asked and not s.demonstrated]
        if missing:
            out.append(t("flag_not_shown", self.lg, skills=join(missing, self.lg)))
        analysis = self.engine.analyse_resume(self.s.resume_text)
        if analysis.claim:
            claimed, ranges, _ = analysis.claim
            out.append(t("flag_claim", self.lg, claim=_num(claimed), ranges=ranges))
        for start, end, months, _, _ in analysis.gaps[:2]:
            out.append(t("flag_gap", self.lg, start=start, end=end, months=months))
        return out

    def _next_steps(self, rec: str, coverage: dict) -> list[str]:
        steps = [t("next_insufficient" if not self.scored else f"next_{rec}", self.lg)]
        if coverage["uncovered"]:
            steps.append(t("next_cover", self.lg, skills=join(coverage["uncovered"], self.lg)))
        pending = [
            r
            for r in self.scored
            if r.followup and r.followup.should_followup and r.followup.questions
        ]
        for r in sorted(pending, key=lambda r: r.evaluation.normalized_score)[:2]:
            steps.append(t("next_followup", self.lg, question=r.followup.questions[0]))
        return steps

    def _log(self) -> list[dict]:
        return [
            {
                "round_number": r.round_number,
                "question": r.question.content,
                "answer": r.answer,
                "duration_seconds": r.duration_seconds,
                "normalized_score": r.evaluation.normalized_score if r.evaluation else None,
                "answer_type": r.evaluation.answer_type if r.evaluation else None,
            }
            for r in self.s.records
        ]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)
