"""The ``llm`` screening engine: any OpenAI-compatible chat-completions endpoint.

Per resume the embedded engine runs first (milliseconds): it fixes the criteria list, the
facts, the sub-scores that are not criteria and every fallback. Then one small call per
criterion, run concurrently, asks the model for a verdict (pass/partial/fail/unknown), the
numbers of the sentences that support it — chosen from a short numbered list of candidate
sentences of the resume (:mod:`hrm2.ai.llm_evidence`) — and a short reason. A last call
writes the summary, strengths, weaknesses and interview focus from the decided verdicts.

Trust rules:

- Evidence is chosen, never written: it is the chosen sentences' spans, so every quote is a
  slice of the resume by construction. Numbers outside the list are dropped. A ``pass`` or
  ``partial`` with no valid sentence cannot stand; a ``pass`` whose sentences cannot show the
  criterion (a skill or certificate never named, no degree for education, no date range or
  years statement for experience) counts as ``partial``.
- Per item, not per resume: a criterion the model could not judge (timeout, service down,
  no valid answer after the repairs, no supporting sentence) keeps the embedded verdict and
  says so in its reason. Where the two engines disagree, both verdicts are on the criterion
  (``engine_verdicts``, ``disagreement``), in its reason, and in the interview focus; counts
  are in ``ScreeningResult.llm_coverage``. Only when no criterion could be judged is the
  result the embedded engine's, with ``engine="embedded"`` and ``fallback_reason`` set.
- After a refused request (authentication, unknown model), or after a second call that failed
  on the transport (or a first one before any call succeeded), the resume's remaining calls
  are not sent: they fall back at once instead of each waiting out its deadline.
- Scores are never read from the model: points follow from the verdicts
  (:func:`hrm2.ai.scoring.criterion_points`), the other sub-scores come from the embedded
  engine, and overall, recommendation and salary are computed by :mod:`hrm2.ai.scoring`.
- The resume is sent between ``<<<RESUME>>>`` markers as untrusted data (marker look-alikes in
  the text are neutralised with same-length characters, so offsets are unchanged); lines that
  address the AI and contact lines are never offered as evidence.

The shared instructions and the resume come first in every prompt, so a server's prompt cache
is reused by all the calls of a resume. HTTP, schemas, repairs, deadlines and call records are
in :mod:`hrm2.ai.llm_client` (configuration: ``HRM2_LLM_*``, see :class:`LLMConfig`).
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from hrm2.ai import education as edu
from hrm2.ai import messages, scoring
from hrm2.ai.embedded import EmbeddedEngine
from hrm2.ai.llm_answers import MAX_ITEMS, CriterionAnswer, NarrativeAnswer
from hrm2.ai.llm_client import (  # re-exported: the interview and recommendation engines
    Completion,
    LLMConfig,
    LLMError,
    _Client,
    _error_text,
    _parse,
    _Transient,
    answer_schema,
    forget_detected_formats,
    process_semaphore,
    structured_call,
)
from hrm2.ai.llm_evidence import Candidates, SentencePicker, requirement
from hrm2.ai.messages import join, t
from hrm2.ai.screening import (
    Criteria,
    CriterionResult,
    Evidence,
    LLMCall,
    LLMCoverage,
    ScreeningResult,
    check_evidence,
)

__all__ = [
    "Completion",
    "LLMConfig",
    "LLMEngine",
    "LLMError",
    "_Client",
    "_Transient",
    "_error_text",
    "_neutralise",
    "_parse",
    "answer_schema",
    "forget_detected_formats",
    "process_semaphore",
    "prompt",
    "structured_call",
]

PROMPT_VERSION = "screening_v2"
SUMMARY_LABEL = "summary"


@cache
def prompt(part: str, version: str = PROMPT_VERSION) -> Template:
    """A versioned prompt file shipped in ``hrm2/ai/prompts`` (``$name`` placeholders)."""
    path = resources.files("hrm2.ai").joinpath("prompts", f"{version}.{part}.txt")
    return Template(path.read_text(encoding="utf-8"))


# -- wording ------------------------------------------------------------------------------------

_NOTES = {
    "not_shown": (
        "（所选句子未直接体现该项，按部分满足计）",
        " (the chosen sentences do not show it directly; counted as partial)",
    ),
    "fallback": (
        "（模型未能判断此项：{cause}；沿用内置引擎的判断）",
        " (the model could not judge this: {cause}; the embedded engine's verdict is kept)",
    ),
    "disagree": (
        "（内置引擎判断为「{other}」，两者不一致，请核实）",
        " (the embedded engine says {other}; the engines disagree, please check)",
    ),
    "model_says": ("模型判断：{verdict}", "the model's verdict: {verdict}"),
    "focus_disagree": (
        "核实模型与内置引擎判断不一致的项：{names}",
        "check where the model and the embedded engine disagree: {names}",
    ),
    "focus_recommendation": (
        "内置引擎的建议为「{label}」（{overall} 分），与本结果不同，请人工复核",
        "the embedded engine recommends {label} ({overall}); the engines disagree, please review",
    ),
    "injection": (
        "简历中含有针对 AI 的指令或自评分内容（已忽略，不作为证据）",
        "the resume contains instructions or self-scores aimed at the AI (ignored, not evidence)",
    ),
}
_CAUSES = {
    "timeout": ("模型调用超时", "the call timed out"),
    "busy": ("等待空闲的模型调用名额超时", "no free model slot in time"),
    "unavailable": ("模型服务不可用", "the model service was unavailable"),
    "refused": ("模型服务拒绝了请求", "the model service refused the request"),
    "invalid": ("模型的回答无法使用", "the model's answer could not be used"),
    "no_evidence": ("模型未选出支持其判断的句子", "the model chose no sentence to support it"),
    "skipped": ("模型服务出错，未再调用", "not asked: the model service was failing"),
}
_VERDICT_LABELS = {
    "pass": ("满足", "pass"),
    "partial": ("部分满足", "partial"),
    "fail": ("不满足", "fail"),
    "unknown": ("无法判断", "unknown"),
}
_KIND_LABELS = {
    "experience": ("工作年限", "experience"),
    "education": ("学历", "education"),
    "projects": ("项目经历", "projects"),
    "team_lead": ("团队管理", "team leadership"),
}


def _say(table: dict[str, tuple[str, str]], key: str, language: str, **kwargs: Any) -> str:
    zh, en = table[key]
    return (en if messages.lang(language) == "en" else zh).format(**kwargs)


def _criterion_label(r: CriterionResult, language: str) -> str:
    kind = r.criterion.kind
    return _say(_KIND_LABELS, kind, language) if kind in _KIND_LABELS else r.criterion.name


def _cause(exc: LLMError) -> str:
    text = str(exc)
    if exc.kind == "skipped":
        return "skipped"
    if exc.kind == "client":
        return "refused"
    if exc.kind == "answer":
        return "invalid"
    if "no free LLM slot" in text:
        return "busy"
    return "timeout" if "timeout" in text else "unavailable"


def _neutralise(text: str) -> str:
    """Same-length copy of ``text`` in which the prompt's block markers cannot be forged."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


# -- one resume -------------------------------------------------------------------------------


@dataclass
class _Judged:
    """One criterion after its call. ``verdict`` is None when the model could not judge it:
    ``cause`` says why (a key of ``_CAUSES``) and ``error`` what happened."""

    base: CriterionResult
    verdict: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    reason: str = ""
    not_shown: bool = False  # a pass on sentences that cannot show it, counted as partial
    numbers_dropped: int = 0  # sentence numbers outside the list
    cause: str | None = None
    error: str | None = None


class _Breaker:
    """Stops a resume's remaining calls once its endpoint looks down (see the module doc)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.first_error: str | None = None
        self._lock = threading.Lock()
        self._succeeded = 0
        self._transport_failures = 0

    def succeeded(self) -> None:
        with self._lock:
            self._succeeded += 1

    def failed(self, exc: LLMError) -> None:
        with self._lock:
            if exc.kind != "skipped" and self.first_error is None:
                self.first_error = str(exc)
            if exc.kind == "client":
                self.stop.set()
            elif exc.kind == "transport":
                self._transport_failures += 1
                if self._transport_failures >= 2 or not self._succeeded:
                    self.stop.set()


class _NothingJudged(Exception):
    pass


class LLMEngine:
    name = "llm"
    version = "2.0.0"
    prompt_version = PROMPT_VERSION

    def __init__(
        self,
        *,
        embedded: EmbeddedEngine | None = None,
        backoff_s: float = 0.25,
        reference_date: date | None = None,
        **config: Any,
    ):
        self.config = LLMConfig.load(**config)
        self.embedded = embedded or EmbeddedEngine(reference_date=reference_date)
        self.reference_date = reference_date
        self.backoff_s = backoff_s
        self.client = _Client(self.config) if self.config.configured else None
        # Resumes a caller may screen at once: each sends its criteria's calls concurrently.
        self.parallelism = max(1, 2 * self.config.max_concurrency)

    # public API

    def screen(
        self,
        resume_text: str,
        criteria: dict,
        *,
        language: str = "zh-hans",
        received: date | None = None,
    ) -> ScreeningResult:
        t0 = time.perf_counter()
        crit = criteria if isinstance(criteria, Criteria) else Criteria.model_validate(criteria)
        text = resume_text or ""
        base = self.embedded.screen(text, crit, language=language, received=received)
        if self.client is None:
            return _fallback(base, "LLM not configured", [], t0)
        calls: list[LLMCall] = []
        today = self.reference_date or received or date.today()
        try:
            result = self._screen_llm(text, crit, base, language, today, calls)
        except _NothingJudged as exc:
            return _fallback(base, f"LLM failed: {exc}", calls, t0)
        result.llm_calls = _ordered(calls, base)
        result.timings_ms = {
            "embedded": base.timings_ms.get("total", 0.0),
            "llm_queue": round(sum(c.queue_ms for c in calls), 1),
            "total": round((time.perf_counter() - t0) * 1000, 3),
        }
        return result

    def screen_many(
        self,
        resume_texts: list[str],
        criteria: dict,
        *,
        language: str = "zh-hans",
        workers: int | None = None,
    ) -> list[ScreeningResult]:
        """Screen several resumes concurrently (in order); keeps the HTTP semaphore busy."""
        criteria = criteria if isinstance(criteria, Criteria) else Criteria.model_validate(criteria)
        workers = workers or self.parallelism
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hrm2-llm") as pool:
            return list(
                pool.map(lambda r: self.screen(r, criteria, language=language), resume_texts)
            )

    # the pipeline

    def _screen_llm(self, text, crit, base, language, today, calls) -> ScreeningResult:
        neutral = _neutralise(text)
        picker = SentencePicker(text, self.embedded.lexicon, reference_date=today)
        language_name = "English" if messages.lang(language) == "en" else "简体中文"
        head = prompt("resume").substitute(
            position=crit.position or "-",
            today=today.isoformat(),
            language_name=language_name,
            resume=neutral,
        )
        system = prompt("system").template
        breaker = _Breaker()
        items = base.criteria_results
        # Sentences are picked and answers checked here; the threads only wait on HTTP.
        offers = [picker.candidates(r) for r in items]

        def ask(r: CriterionResult, candidates: Candidates) -> CriterionAnswer | LLMError:
            user = head + prompt("criterion").substitute(
                kind=r.criterion.kind,
                name=r.criterion.name,
                meaning=requirement(
                    r.criterion.kind, r.criterion.name, picker.aliases(r.criterion.name)
                ),
                sentences=candidates.numbered(neutral),
                language_name=language_name,
            )
            try:
                answer = structured_call(
                    self,
                    label=f"{r.criterion.kind}:{r.criterion.name}",
                    system=system,
                    user=user,
                    schema=CriterionAnswer,
                    extra_check=None,
                    calls=calls,
                    repair=prompt("repair"),
                    max_tokens=self.config.max_tokens,
                    stop=breaker.stop,
                )
            except LLMError as exc:
                breaker.failed(exc)
                return exc
            breaker.succeeded()
            return answer

        workers = max(1, min(len(items), self.config.max_concurrency))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hrm2-llm-crit") as pool:
            answers = list(pool.map(ask, items, offers))
        judged = [
            _judged(r, candidates, answer, picker)
            for r, candidates, answer in zip(items, offers, answers, strict=True)
        ]
        if items and all(j.verdict is None for j in judged):
            errors = [j.error for j in judged if j.error]
            raise _NothingJudged(breaker.first_error or (errors[0] if errors else "no answer"))
        results = [_criterion_result(j, text, language) for j in judged]
        narrative = None
        if not breaker.stop.is_set():
            narrative = self._narrate(results, system, head, language_name, breaker, calls)
        result = self._result(text, crit, base, results, narrative, language)
        result.llm_coverage.sentence_numbers_dropped = sum(j.numbers_dropped for j in judged)
        if picker.flagged:
            result.weaknesses.insert(0, _say(_NOTES, "injection", language))
        return result

    def _narrate(self, results, system, head, language_name, breaker, calls):
        lines = [
            f"- {requirement(r.criterion.kind, r.criterion.name)}: {r.verdict} — "
            f"{' '.join(r.reason.split())[:160]}"
            for r in results
        ]
        user = head + prompt("summary").substitute(
            verdicts="\n".join(lines) or "(no criteria)", language_name=language_name
        )
        try:
            return structured_call(
                self,
                label=SUMMARY_LABEL,
                system=system,
                user=user,
                schema=NarrativeAnswer,
                extra_check=None,
                calls=calls,
                repair=prompt("repair"),
                max_tokens=self.config.max_tokens,
                stop=breaker.stop,
            )
        except LLMError:
            return None  # recorded in calls; the narrative is then the embedded engine's

    def _result(self, text, crit, base, results, narrative, language) -> ScreeningResult:
        breakdown = scoring.rescore_breakdown(base.breakdown, results)
        dims = {k: _r1(min(100.0, v)) for k, v in scoring.dimensions(breakdown).items()}
        overall = _r1(min(100.0, scoring.overall(breakdown, crit)))
        recommendation = scoring.recommend(overall, results)
        source = narrative if narrative is not None else base
        focus = list(source.interview_focus)
        disagreed = [r for r in results if r.disagreement]
        if disagreed:
            names = join([_criterion_label(r, language) for r in disagreed], language)
            focus.insert(0, _say(_NOTES, "focus_disagree", language, names=names))
        if recommendation != base.recommendation:
            focus.insert(
                0,
                _say(
                    _NOTES,
                    "focus_recommendation",
                    language,
                    label=base.recommendation_label,
                    overall=base.overall,
                ),
            )
        result = ScreeningResult(
            engine=self.name,
            engine_version=self.version,
            language=language,
            criteria_results=results,
            hr=dims["hr"],
            technical=dims["technical"],
            manager=dims["manager"],
            overall=overall,
            breakdown=breakdown,
            recommendation=recommendation,
            recommendation_label=t(f"rec_{recommendation}", language),
            strengths=_distinct(source.strengths),
            weaknesses=_distinct(source.weaknesses),
            interview_focus=_distinct(focus),
            salary_suggestion=scoring.salary(overall, crit.salary_range),
            summary="",
            facts=base.facts,
            llm_coverage=LLMCoverage(
                criteria=len(results),
                judged_by_llm=sum(1 for r in results if r.judged_by == "llm"),
                fallen_back=sum(1 for r in results if r.judged_by == "embedded"),
                disagreements=len(disagreed),
                narrative_by_llm=narrative is not None,
                embedded_overall=base.overall,
                embedded_recommendation=base.recommendation,
            ),
        )
        result.summary = _summary(result, base, narrative, language)
        check_evidence(result, text)
        return result


# -- helpers ----------------------------------------------------------------------------------


def _judged(r, candidates: Candidates, answer, picker: SentencePicker) -> _Judged:
    """The model's answer for one criterion checked: its sentences as evidence, a ``pass`` or
    ``partial`` without any as not judged, a ``pass`` they cannot show as ``partial``."""
    if isinstance(answer, LLMError):
        return _Judged(r, cause=_cause(answer), error=str(answer))
    kind, name = r.criterion.kind, r.criterion.name
    spans, dropped = candidates.chosen(answer.sentences)
    verdict, reason = answer.verdict, answer.reason.strip()
    if verdict in ("pass", "partial") and not spans:
        error = f"{kind}:{name}: {verdict} without a listed sentence"
        return _Judged(r, cause="no_evidence", error=error, numbers_dropped=dropped)
    not_shown = verdict == "pass" and not any(picker.shows(kind, name, s) for s in spans)
    verdict = "partial" if not_shown else verdict
    return _Judged(r, verdict, spans, reason, not_shown=not_shown, numbers_dropped=dropped)


def _criterion_result(j: _Judged, text: str, language: str) -> CriterionResult:
    base = j.base
    if j.verdict is None:
        cause = _say(_CAUSES, j.cause or "unavailable", language)
        return base.model_copy(
            update={
                "reason": base.reason + _say(_NOTES, "fallback", language, cause=cause),
                "judged_by": "embedded",
                "engine_verdicts": {"embedded": base.verdict},
            }
        )
    verdict = j.verdict
    reason = j.reason or _say(
        _NOTES, "model_says", language, verdict=_say(_VERDICT_LABELS, verdict, language)
    )
    if j.not_shown:
        reason += _say(_NOTES, "not_shown", language)
    disagreement = verdict != base.verdict
    if disagreement:
        other = _say(_VERDICT_LABELS, base.verdict, language)
        reason += _say(_NOTES, "disagree", language, other=other)
    return CriterionResult(
        criterion=base.criterion,
        verdict=verdict,
        score=scoring.criterion_points(base, verdict),
        max_score=base.max_score,
        evidence=[Evidence(start=s, end=e, quote=text[s:e]) for s, e in j.spans],
        reason=reason,
        judged_by="llm",
        engine_verdicts={"llm": verdict, "embedded": base.verdict},
        disagreement=disagreement,
    )


def _distinct(items: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = " ".join(item.split())
        if item:
            seen.setdefault(item, None)
    return list(seen)[: 2 * MAX_ITEMS + 2]


def _summary(result: ScreeningResult, base: ScreeningResult, narrative, language: str) -> str:
    required = [r for r in result.criteria_results if r.criterion.kind == "required_skill"]
    years = base.facts.experience_years
    level = base.facts.education_level
    head = t(
        "summary",
        language,
        name=base.facts.candidate_name or t("unknown_name", language),
        overall=result.overall,
        hr=result.hr,
        technical=result.technical,
        manager=result.manager,
        label=result.recommendation_label,
        years=t("years", language, years=years) if years is not None else t("none", language),
        education=(level if messages.lang(language) == "zh" else edu.ENGLISH[level])
        if level
        else t("none", language),
        hit=sum(1 for r in required if r.verdict == "pass"),
        total=len(required),
    )
    if narrative is None:
        return head
    return f"{head}\n{' '.join(narrative.summary.split())}"


def _ordered(calls: list[LLMCall], base: ScreeningResult) -> list[LLMCall]:
    """Calls in criteria order, then the summary (attempts of one item stay in order)."""
    order = {
        f"{r.criterion.kind}:{r.criterion.name}": i for i, r in enumerate(base.criteria_results)
    }
    return sorted(calls, key=lambda c: order.get(c.dimension, len(order)))


def _fallback(base: ScreeningResult, reason: str, calls: list[LLMCall], t0: float):
    base.fallback_reason = reason
    base.llm_calls = _ordered(calls, base)
    n = len(base.criteria_results)
    base.llm_coverage = LLMCoverage(
        criteria=n,
        fallen_back=n,
        embedded_overall=base.overall,
        embedded_recommendation=base.recommendation,
    )
    base.timings_ms = {**base.timings_ms, "total": round((time.perf_counter() - t0) * 1000, 3)}
    return base


def _r1(value: float) -> float:
    return round(value + 0.0, 1)
