"""The ``llm`` screening engine: any OpenAI-compatible chat-completions endpoint.

Per resume: the embedded engine runs first (milliseconds; it fixes the criteria list, the facts,
the fact-based sub-scores and the fallback), then three reviewer calls — ``hr``, ``technical``,
``manager`` — run concurrently, each returning per-criterion verdicts with quotes for the criteria
of its dimension, and one ``critic`` call consolidates them (summary + verdict corrections).

Trust rules:

- Every answer is JSON validated by pydantic; an invalid answer gets one repair message with the
  validation error and is retried, HTTP errors and timeouts are retried with a small backoff,
  both within ``HRM2_LLM_MAX_RETRIES``.
- Every quote must be in the resume (:mod:`hrm2.ai.quotes`) and outside the lines that address
  the AI (:mod:`hrm2.ai.injection`); other quotes are dropped. A ``pass``/``partial`` without
  valid evidence becomes ``unknown``; a ``pass`` whose quotes cannot show the criterion (a skill
  or certification never named, by name or alias; no degree for education; no date range or
  years statement for experience) becomes ``partial``.
- Scores are never read from the model: per-criterion points follow from the verdicts
  (:func:`hrm2.ai.scoring.criterion_points`), sub-scores that are not criteria (stability,
  depth, teamwork, and projects/leadership when the position does not ask for them) come from
  the embedded engine's facts, and overall, recommendation and salary are computed by
  :mod:`hrm2.ai.scoring`.
- The resume is sent between ``<<<RESUME>>>`` markers as untrusted data (marker look-alikes in
  the text are neutralised with same-length characters, so offsets are unchanged).
- When the reviewers fail (not configured, connection refused, timeouts, unrepairable output)
  the result is the embedded engine's, with ``engine="embedded"`` and ``fallback_reason`` set.
  A failed critic only loses the narrative: the summary is then written in code.

Every HTTP attempt is recorded in ``ScreeningResult.llm_calls``.

Configuration (read when the engine is constructed; a non-empty Django setting of the same name
overrides the environment; keyword arguments override both): ``HRM2_LLM_BASE_URL``,
``HRM2_LLM_API_KEY``, ``HRM2_LLM_MODEL``, ``HRM2_LLM_MAX_CONCURRENCY`` (4; one process-wide
semaphore per value bounds the HTTP calls in flight across all threads), ``HRM2_LLM_TIMEOUT``
(seconds, 30) and ``HRM2_LLM_MAX_RETRIES`` (2).
"""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hrm2.ai import education as edu
from hrm2.ai import experience, injection, messages, scoring
from hrm2.ai.embedded import EmbeddedEngine
from hrm2.ai.messages import t
from hrm2.ai.quotes import QuoteLocator
from hrm2.ai.screening import (
    Criteria,
    CriterionResult,
    Evidence,
    LLMCall,
    ScreeningResult,
    Verdict,
    check_evidence,
)
from hrm2.ai.textindex import Doc

PROMPT_VERSION = "screening_v1"
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "hr": ("experience", "education", "certification"),
    "technical": ("required_skill", "optional_skill"),
    "manager": ("projects", "team_lead"),
}
ROLE_DESCRIPTIONS = {
    "hr": "experience, education, certifications and career stability",
    "technical": "required and optional technical skills and their depth",
    "manager": "projects, teamwork and team leadership",
    "critic": "you review the three reviewers' drafts and consolidate them",
}
TERM_KINDS = ("required_skill", "optional_skill", "certification")
MAX_EVIDENCE = 5
MAX_ITEMS = 5
MAX_TEXT = 400


# -- configuration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMConfig:
    base_url: str = ""
    api_key: str = ""
    model: str = ""
    max_concurrency: int = 4
    timeout: float = 30.0
    max_retries: int = 2

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    @classmethod
    def load(cls, **overrides: Any) -> LLMConfig:
        """From ``HRM2_LLM_*`` (environment, then Django settings, then ``overrides``)."""

        def raw(name: str) -> Any:
            key = f"HRM2_LLM_{name.upper()}"
            value: Any = os.environ.get(key, "")
            try:
                from django.conf import settings

                if settings.configured:
                    setting = getattr(settings, key, None)
                    if setting not in (None, ""):
                        value = setting
            except ImportError:  # pragma: no cover - Django is a dependency of hrm2
                pass
            if overrides.get(name) is not None:
                value = overrides[name]
            return value

        def number(name: str, kind: type, default: float, low: float) -> Any:
            value = raw(name)
            try:
                return max(kind(low), kind(value)) if value not in (None, "") else kind(default)
            except (TypeError, ValueError):
                raise ValueError(f"HRM2_LLM_{name.upper()} must be a number: {value!r}") from None

        base_url = str(raw("base_url") or "").strip().rstrip("/")
        if base_url and not base_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"HRM2_LLM_BASE_URL must be an http(s) URL: {base_url!r}")
        return cls(
            base_url=base_url,
            api_key=str(raw("api_key") or "").strip(),
            model=str(raw("model") or "").strip(),
            max_concurrency=number("max_concurrency", int, 4, 1),
            timeout=number("timeout", float, 30.0, 0.1),
            max_retries=number("max_retries", int, 2, 0),
        )


_SEMAPHORES: dict[int, threading.BoundedSemaphore] = {}
_SEMAPHORES_LOCK = threading.Lock()


def process_semaphore(limit: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore bounding in-flight LLM calls at ``limit``."""
    with _SEMAPHORES_LOCK:
        return _SEMAPHORES.setdefault(limit, threading.BoundedSemaphore(limit))


@cache
def prompt(part: str, version: str = PROMPT_VERSION) -> Template:
    """A versioned prompt file shipped in ``hrm2/ai/prompts`` (``$name`` placeholders)."""
    path = resources.files("hrm2.ai").joinpath("prompts", f"{version}.{part}.txt")
    return Template(path.read_text(encoding="utf-8"))


# -- the answers' schema ----------------------------------------------------------------------


def _short_list(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [str(v)[:MAX_TEXT] for v in value if isinstance(v, (str, int, float))][:MAX_ITEMS]
    return value


class VerdictItem(BaseModel):
    model_config = ConfigDict(extra="ignore")
    kind: str
    name: str
    verdict: Verdict
    evidence_quotes: list[str] = Field(default_factory=list)
    reason: str = ""

    @field_validator("verdict", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("evidence_quotes", mode="before")
    @classmethod
    def _quotes(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        return value

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, value: Any) -> Any:
        return "" if value is None else str(value)[:MAX_TEXT]


class _Narrative(BaseModel):
    model_config = ConfigDict(extra="ignore")
    strengths: list[str] = Field(default_factory=list)
    weaknesses: list[str] = Field(default_factory=list)
    interview_focus: list[str] = Field(default_factory=list)

    @field_validator("strengths", "weaknesses", "interview_focus", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return [] if value is None else _short_list(value)


class ReviewerAnswer(_Narrative):
    criteria: list[VerdictItem]


class CriticAnswer(_Narrative):
    summary: str = Field(min_length=1)
    corrections: list[VerdictItem] = Field(default_factory=list)


def _key(kind: str, name: str) -> tuple[str, str]:
    return kind.strip(), " ".join(name.split()).casefold()


# -- HTTP -------------------------------------------------------------------------------------


class LLMError(Exception):
    """The LLM could not give a usable answer; ``str(exc)`` is a short human-readable reason."""


class _Transient(Exception):
    pass


class _Client:
    def __init__(self, config: LLMConfig):
        self.config = config
        self.url = f"{config.base_url}/chat/completions"
        self.semaphore = process_semaphore(config.max_concurrency)

    def chat(self, chat_messages: list[dict]) -> tuple[str, dict]:
        """One completion: ``(content, usage)``; raises ``_Transient`` or ``LLMError``."""
        body = json.dumps(
            {
                "model": self.config.model,
                "messages": chat_messages,
                "temperature": 0,
                "response_format": {"type": "json_object"},
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        # the scheme is checked to be http(s) in LLMConfig.load
        request = urllib.request.Request(  # noqa: S310
            self.url, data=body, headers=headers, method="POST"
        )
        with self.semaphore:
            try:
                with urllib.request.urlopen(  # noqa: S310
                    request, timeout=self.config.timeout
                ) as response:
                    raw = response.read()
            except urllib.error.HTTPError as exc:
                detail = f"HTTP {exc.code}"
                if exc.code in (408, 409, 425, 429) or exc.code >= 500:
                    raise _Transient(detail) from None
                raise LLMError(detail) from None
            except urllib.error.URLError as exc:
                reason = exc.reason
                if isinstance(reason, TimeoutError):
                    raise _Transient("timeout") from None
                if isinstance(reason, ConnectionRefusedError):
                    raise _Transient("connection refused") from None
                raise _Transient(f"connection error: {reason}") from None
            except TimeoutError:
                raise _Transient("timeout") from None
            except (ConnectionError, OSError) as exc:
                raise _Transient(f"connection error: {exc.__class__.__name__}") from None
        try:
            payload = json.loads(raw)
            content = payload["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise _Transient("malformed completion response") from None
        usage = payload.get("usage") if isinstance(payload.get("usage"), dict) else {}
        return content if isinstance(content, str) else "", usage


def _parse(content: str, schema: type[BaseModel]) -> BaseModel:
    text = content.strip()
    if text.startswith("```"):  # tolerate a fenced block; the repair path handles the rest
        text = text.strip("`").removeprefix("json").strip()
    return schema.model_validate_json(text)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = [
            f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}"
            for e in exc.errors()[:5]
        ]
        return "; ".join(parts)[:600]
    return str(exc)[:600]


# -- the engine -------------------------------------------------------------------------------


class LLMEngine:
    name = "llm"
    version = "1.0.0"
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
        # How many resumes a caller may screen at once to keep the HTTP semaphore busy.
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
        try:
            result = self._screen_llm(text, crit, base, language, calls)
        except LLMError as exc:
            return _fallback(base, f"LLM failed: {exc}", calls, t0)
        result.llm_calls = _ordered(calls)
        result.timings_ms = {
            "embedded": base.timings_ms.get("total", 0.0),
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
        workers = workers or max(1, 2 * self.config.max_concurrency)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="hrm2-llm") as pool:
            return list(
                pool.map(lambda r: self.screen(r, criteria, language=language), resume_texts)
            )

    # the pipeline

    def _screen_llm(self, text, crit, base, language, calls) -> ScreeningResult:
        neutral = _neutralise(text)
        locator = QuoteLocator(neutral)
        flagged = injection.suspicious_lines(text)
        wanted = {_key(r.criterion.kind, r.criterion.name): r for r in base.criteria_results}
        groups = {
            dim: [r for r in base.criteria_results if r.criterion.kind in kinds]
            for dim, kinds in DIMENSIONS.items()
        }
        common = {
            "position": crit.position or "-",
            "today": (self.reference_date or date.today()).isoformat(),
            "language_name": "English" if messages.lang(language) == "en" else "简体中文",
            "resume": neutral,
        }
        with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="hrm2-llm-dim") as ex:
            futures = {
                dim: ex.submit(self._review, dim, group, common, calls)
                for dim, group in groups.items()
            }
            drafts = {dim: f.result() for dim, f in futures.items()}  # first LLMError wins

        judged: dict[tuple[str, str], dict] = {}
        for dim, answer in drafts.items():
            for item in answer.criteria:
                key = _key(item.kind, item.name)
                if key in wanted and key not in judged:
                    judged[key] = self._check(item, wanted[key], text, locator, flagged) | {
                        "by": dim
                    }
        critic = self._critique(drafts, judged, base, common, calls)
        if critic is not None:
            for item in critic.corrections:
                key = _key(item.kind, item.name)
                if key in wanted:
                    judged[key] = self._check(item, wanted[key], text, locator, flagged) | {
                        "by": "critic"
                    }
        result = self._result(text, crit, base, judged, drafts, critic, language)
        if flagged:
            zh, en = _NOTES["injection"]
            result.weaknesses.insert(0, en if messages.lang(language) == "en" else zh)
        return result

    def _review(self, dim, group, common, calls) -> ReviewerAnswer:
        names = {_key(r.criterion.kind, r.criterion.name) for r in group}

        def complete(answer: ReviewerAnswer) -> None:
            got = {_key(i.kind, i.name) for i in answer.criteria}
            missing = [f"{k}:{n}" for k, n in sorted(names - got)]
            if missing:
                raise ValueError(f"missing criteria: {', '.join(missing)}")

        system = prompt("system").substitute(role=dim, role_description=ROLE_DESCRIPTIONS[dim])
        user = prompt("reviewer").substitute(common, role=dim, criteria_json=_criteria_json(group))
        return self._structured(dim, system, user, ReviewerAnswer, complete, calls)

    def _critique(self, drafts, judged, base, common, calls) -> CriticAnswer | None:
        cleaned = {
            dim: {
                "criteria": [
                    {
                        "kind": r.criterion.kind,
                        "name": r.criterion.name,
                        "verdict": j["verdict"],
                        "evidence_quotes": [e.quote for e in j["evidence"]],
                        "reason": j["reason"],
                        **({"quotes_rejected": j["dropped"]} if j["dropped"] else {}),
                    }
                    for r in base.criteria_results
                    if (j := judged.get(_key(r.criterion.kind, r.criterion.name)))
                    and j["by"] == dim
                ],
                "strengths": answer.strengths,
                "weaknesses": answer.weaknesses,
                "interview_focus": answer.interview_focus,
            }
            for dim, answer in drafts.items()
        }
        system = prompt("system").substitute(
            role="critic", role_description=ROLE_DESCRIPTIONS["critic"]
        )
        user = prompt("critic").substitute(
            common,
            criteria_json=_criteria_json(base.criteria_results),
            drafts_json=json.dumps(cleaned, ensure_ascii=False, indent=1),
        )
        try:
            return self._structured("critic", system, user, CriticAnswer, None, calls)
        except LLMError:
            return None  # recorded in calls; the verdicts stand, the summary is written in code

    def _structured(self, dim, system, user, schema, extra_check, calls):
        return structured_call(
            self,
            label=dim,
            system=system,
            user=user,
            schema=schema,
            extra_check=extra_check,
            calls=calls,
            repair=prompt("repair"),
        )

    def _check(self, item: VerdictItem, base: CriterionResult, text, locator, flagged) -> dict:
        """The verdict with validated evidence (quotes not in the text are dropped)."""
        found, dropped = locator.evidence(item.evidence_quotes, limit=MAX_EVIDENCE)
        kept = [e for e in found if not injection.overlaps(flagged, e.start, e.end)]
        dropped += len(found) - len(kept)
        evidence = [Evidence(start=e.start, end=e.end, quote=text[e.start : e.end]) for e in kept]
        verdict, reason = item.verdict, item.reason.strip()
        if verdict in ("pass", "partial") and not evidence:
            verdict = "unknown"
            reason = _note(reason, "no_evidence")
        elif verdict == "pass" and not any(self._relevant(base, e.quote) for e in evidence):
            verdict = "partial"
            reason = _note(reason, "not_quoted")
        return {"verdict": verdict, "evidence": evidence, "reason": reason, "dropped": dropped}

    def _relevant(self, base: CriterionResult, quote: str) -> bool:
        """Whether a quote can show the criterion at all (the model judges the rest)."""
        kind = base.criterion.kind
        if kind in TERM_KINDS:
            return bool(Doc(quote).find(self.embedded.lexicon.forms_for(base.criterion.name)))
        if kind == "education":
            return bool(edu.find_levels(quote))
        if kind == "experience":
            return bool(experience._RANGE.search(quote) or experience.find_claims(quote))
        return True

    def _result(self, text, crit, base, judged, drafts, critic, language) -> ScreeningResult:
        results: list[CriterionResult] = []
        for r in base.criteria_results:
            j = judged.get(_key(r.criterion.kind, r.criterion.name))
            if j is None:  # cannot happen after validation; keep the criterion, credit nothing
                j = {"verdict": "unknown", "evidence": [], "reason": ""}
            results.append(
                CriterionResult(
                    criterion=r.criterion,
                    verdict=j["verdict"],
                    score=scoring.criterion_points(r, j["verdict"]),
                    max_score=r.max_score,
                    evidence=j["evidence"],
                    reason=j["reason"] or r.reason,
                )
            )
        breakdown = scoring.rescore_breakdown(base.breakdown, results)
        dims = {k: _r1(min(100.0, v)) for k, v in scoring.dimensions(breakdown).items()}
        overall = _r1(min(100.0, scoring.overall(breakdown, crit)))
        recommendation = scoring.recommend(overall, results)
        narrative = [critic] if critic is not None else []
        narrative += list(drafts.values())
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
            strengths=_merge(n.strengths for n in narrative),
            weaknesses=_merge(n.weaknesses for n in narrative),
            interview_focus=_merge(n.interview_focus for n in narrative),
            salary_suggestion=scoring.salary(overall, crit.salary_range),
            summary="",
            facts=base.facts,
        )
        result.summary = _summary(result, base, critic, language)
        check_evidence(result, text)
        return result


# -- helpers ----------------------------------------------------------------------------------


_NOTES = {
    "no_evidence": ("（模型未给出可在简历中找到的证据）", " (no evidence found in the resume)"),
    "not_quoted": ("（引用未直接体现该项）", " (the quotes do not show it)"),
    "injection": (
        "简历中含有针对 AI 的指令或自评分内容（已忽略，不作为证据）",
        "the resume contains instructions or self-scores aimed at the AI (ignored, not evidence)",
    ),
}


def _note(reason: str, key: str) -> str:
    zh, en = _NOTES[key]
    return (reason or "").strip() + (zh if any("\u3400" <= c <= "\u9fff" for c in reason) else en)


def _neutralise(text: str) -> str:
    """Same-length copy of ``text`` in which the prompt's block markers cannot be forged."""
    return text.replace("<<<", "‹‹‹").replace(">>>", "›››")


def _criteria_json(results: list[CriterionResult]) -> str:
    return json.dumps(
        [
            {"kind": r.criterion.kind, "name": r.criterion.name, "requirement": _requirement(r)}
            for r in results
        ],
        ensure_ascii=False,
    )


def _requirement(r: CriterionResult) -> str:
    kind, name = r.criterion.kind, r.criterion.name
    return {
        "required_skill": f"required skill: {name}",
        "optional_skill": f"nice-to-have skill: {name}",
        "certification": f"holds the certification: {name}",
        "experience": f"work experience {name.replace('≥', 'at least ')} years",
        "education": f"highest degree is at least one of: {name}",
        "projects": f"project experience: {name.replace('≥', 'at least ')} projects",
        "team_lead": "has led or managed a team",
    }[kind]


def _merge(lists) -> list[str]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            item = " ".join(item.split())
            if item and item not in seen:
                seen[item] = None
    return list(seen)[: 2 * MAX_ITEMS]


def _summary(result: ScreeningResult, base: ScreeningResult, critic, language: str) -> str:
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
    if critic is None:
        return head
    return f"{head}\n{' '.join(critic.summary.split())[:800]}"


def _call(record: dict, t0: float, usage: dict | None, outcome: str, error: str | None) -> LLMCall:
    usage = usage or {}

    def tokens(name: str) -> int | None:
        value = usage.get(name)
        return int(value) if isinstance(value, (int, float)) else None

    return LLMCall(
        **record,
        latency_ms=round((time.perf_counter() - t0) * 1000, 1),
        prompt_tokens=tokens("prompt_tokens"),
        completion_tokens=tokens("completion_tokens"),
        outcome=outcome,
        error=error,
    )


def _ordered(calls: list[LLMCall]) -> list[LLMCall]:
    order = {"hr": 0, "technical": 1, "manager": 2, "critic": 3}
    return sorted(calls, key=lambda c: (order.get(c.dimension, 9), c.attempt))


def _fallback(base: ScreeningResult, reason: str, calls: list[LLMCall], t0: float):
    base.fallback_reason = reason
    base.llm_calls = _ordered(calls)
    base.timings_ms = {**base.timings_ms, "total": round((time.perf_counter() - t0) * 1000, 3)}
    return base


def _r1(value: float) -> float:
    return round(value + 0.0, 1)


def structured_call(engine, *, label, system, user, schema, extra_check, calls, repair):
    """One validated JSON answer from ``engine.client``: HTTP retries with backoff, repair
    messages for invalid output, every attempt recorded in ``calls``. Shared by every LLM
    engine (screening, interview, recommendation); ``engine`` supplies ``client``,
    ``config``, ``prompt_version`` and ``backoff_s``."""
    assert engine.client is not None
    chat = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    attempts = 1 + engine.config.max_retries
    last = "no answer"
    for attempt in range(1, attempts + 1):
        final = attempt == attempts
        t0 = time.perf_counter()
        record = {
            "model": engine.config.model,
            "prompt_version": engine.prompt_version,
            "dimension": label,
            "attempt": attempt,
        }
        try:
            content, usage = engine.client.chat(chat)
        except _Transient as exc:
            last = str(exc)
            calls.append(_call(record, t0, None, "error" if final else "retry", last))
            if not final:
                time.sleep(engine.backoff_s * attempt)
            continue
        except LLMError as exc:
            calls.append(_call(record, t0, None, "error", str(exc)))
            raise LLMError(f"{label}: {exc}") from None
        try:
            answer = _parse(content, schema)
            if extra_check is not None:
                extra_check(answer)
        except (ValidationError, ValueError) as exc:
            last = f"invalid answer ({_error_text(exc)[:120]})"
            calls.append(_call(record, t0, usage, "error" if final else "retry", last))
            chat = [
                *chat,
                {"role": "assistant", "content": content[:4000]},
                {"role": "user", "content": repair.substitute(error=_error_text(exc))},
            ]
            continue
        calls.append(_call(record, t0, usage, "ok", None))
        return answer
    raise LLMError(f"{label}: {last} after {attempts} attempt(s)")
