"""The ``embedded`` screening engine: offline, deterministic, explainable.

It reads the resume text with the skill lexicon (jieba for Chinese), extracts experience,
education, certifications, projects and leadership signals, gives each criterion of the
position a verdict with evidence (offsets into the original text), and scores with
:mod:`hrm2.ai.scoring`. It never reads instructions or scores written in the resume: only
the facts above move the result.
"""

from __future__ import annotations

import time
from datetime import date

from hrm2.ai import education as edu
from hrm2.ai import experience, messages, scoring, semantic, signals
from hrm2.ai.criteria import compile_criterion
from hrm2.ai.lexicon import Lexicon, default_lexicon
from hrm2.ai.matcher import Judgement, ResumeView, judge, keywords
from hrm2.ai.messages import join, t
from hrm2.ai.relevance import Relevance
from hrm2.ai.screening import (
    Criteria,
    Criterion,
    CriterionResult,
    Evidence,
    Facts,
    ScreeningResult,
    check_evidence,
)
from hrm2.ai.sections import Sections
from hrm2.ai.textindex import Doc, jieba_tokenizer

MAX_EVIDENCE = 5


def _ev(text: str, start: int, end: int) -> Evidence:
    return Evidence(start=start, end=end, quote=text[start:end])


def _r1(value: float) -> float:
    return round(value + 0.0, 1)


class EmbeddedEngine:
    name = "embedded"
    version = "2.1.0"

    def __init__(self, *, reference_date: date | None = None, lexicon: Lexicon | None = None):
        self.reference_date = reference_date
        self.lexicon = lexicon or default_lexicon()

    def warm_up(self) -> None:
        """Load the segmenter and the semantic model now (worker start), not on a first resume."""
        jieba_tokenizer()
        semantic.warm_up()
        keywords("系统性能优化")

    def screen(
        self,
        resume_text: str,
        criteria: dict,
        *,
        language: str = "zh-hans",
        received: date | None = None,
    ) -> ScreeningResult:
        """``received``: the date the resume arrived; "至今/present" counts up to it."""
        t0 = time.perf_counter()
        crit = criteria if isinstance(criteria, Criteria) else Criteria.model_validate(criteria)
        text = resume_text or ""
        ref = self.reference_date or received or date.today()
        doc = Doc(text)
        if doc.has_cjk:
            doc.boundaries  # noqa: B018 - segment once, timed separately
        t1 = time.perf_counter()
        sections = Sections(text)
        view = ResumeView(text, doc, sections)
        results: list[CriterionResult] = []
        breakdown: dict[str, float] = {}

        skill_judgements: dict[str, Judgement] = {}
        for kind, names, points, key in (
            ("required_skill", crit.required_skills, 40, "technical.required"),
            ("optional_skill", crit.optional_skills, 30, "technical.optional"),
            ("certification", crit.certifications, 20, "hr.certificates"),
        ):
            got = 0.0
            for name in names:
                compiled = compile_criterion(name, self.lexicon)
                judged = judge(view, compiled, certificate=kind == "certification")
                skill_judgements[f"{kind}:{name}"] = judged
                res = self._term_result(
                    text, kind, name, compiled, judged, points / len(names), language
                )
                got += res.score
                results.append(res)
            breakdown[key] = got if names else float(points)

        relevance = Relevance(view, crit, skill_judgements)
        exp = experience.analyse(text, sections, ref=ref, relevance=relevance)
        edu_hits = edu.find_levels(text)
        sig = signals.analyse(text, sections, [r.start for r in exp.ranges])
        results_exp = self._experience(text, crit, exp, language)
        breakdown["hr.experience"] = results_exp.score if results_exp else 30.0
        results_edu = self._education(text, crit, edu_hits, language)
        breakdown["hr.education"] = results_edu.score if results_edu else 25.0
        breakdown["hr.stability"] = scoring.stability_points(
            exp.avg_tenure_months, exp.short_stints
        )
        breakdown["technical.depth"] = self._depth(results)
        count = sig.project_count
        need = crit.project_requirements.min_projects
        breakdown["manager.projects"] = scoring.project_points(count, need)
        breakdown["manager.teamwork"] = 30 * min(1.0, len(sig.teamwork) / 3)
        lead_verdict = sig.lead_verdict
        breakdown["manager.leadership"] = scoring.leadership_points(
            lead_verdict, required=crit.project_requirements.team_lead_experience
        )
        for extra in (
            results_exp,
            results_edu,
            self._projects(text, crit, sig, breakdown["manager.projects"], language),
            self._leadership(text, crit, sig, lead_verdict, language),
        ):
            if extra is not None:
                results.append(extra)
        breakdown = {k: _r1(v) for k, v in sorted(breakdown.items())}
        dims = {k: _r1(min(100.0, v)) for k, v in scoring.dimensions(breakdown).items()}
        overall = _r1(min(100.0, scoring.overall(breakdown, crit)))
        recommendation = scoring.recommend(overall, results)
        level = edu.highest(edu_hits)
        facts = Facts(
            candidate_name=signals.candidate_name(text),
            experience_years=exp.years,
            education_level=level,
            project_count=count,
            team_size=sig.team_size,
            skills_found=self._skills_found(doc),
        )
        t2 = time.perf_counter()
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
            salary_suggestion=scoring.salary(overall, crit.salary_range),
            summary="",
            facts=facts,
        )
        self._narrate(result, crit, exp, language)
        check_evidence(result, text)
        result.timings_ms = {
            "segmentation": _r3((t1 - t0) * 1000),
            "analysis": _r3((t2 - t1) * 1000),
            "total": _r3((time.perf_counter() - t0) * 1000),
        }
        return result

    # -- per-criterion verdicts -------------------------------------------------------------

    def _term_result(self, text, kind, name, compiled, judged, max_score, language):
        cert = kind == "certification"
        verdict = judged.verdict
        quote = text[judged.spans[0][0] : judged.spans[0][1]][:40] if judged.spans else ""
        if verdict == "pass":
            if judged.how == "semantic":
                reason = t("skill_similar", language, name=name, quote=quote)
            else:
                found = join(list(dict.fromkeys(text[s:e] for s, e in judged.spans)), language)
                reason = t(
                    "cert_found" if cert else "skill_found",
                    language,
                    name=name,
                    found=found,
                    count=len(judged.spans),
                )
        elif verdict == "partial":
            key = "skill_related" if judged.how in ("semantic", "alias") else "skill_weak"
            reason = t(key, language, name=name, quote=quote)
        elif verdict == "unknown":
            reason = t("skill_check" if text.strip() else "skill_no_text", language, name=name)
        else:
            reason = t("cert_missing" if cert else "skill_missing", language, name=name)
        return CriterionResult(
            criterion=Criterion(kind=kind, name=name),
            verdict=verdict,
            score=_r1(max_score * scoring.CREDIT[verdict]),
            max_score=_r1(max_score),
            evidence=[_ev(text, s, e) for s, e in judged.spans[:MAX_EVIDENCE]],
            reason=reason,
        )

    def _experience(self, text, crit, exp, language) -> CriterionResult | None:
        if crit.min_experience <= 0:
            return None
        need = crit.min_experience
        if exp.years is None:
            verdict, score, reason = "unknown", 0.0, t("exp_unknown", language)
        else:
            verdict = (
                "pass" if exp.years >= need else "partial" if exp.years >= 0.75 * need else "fail"
            )
            score = 30 * min(1.0, exp.years / need)
            reason = t(f"exp_{verdict}", language, years=exp.years, min=_num(need))
            if exp.total_years is not None and exp.total_years - (exp.range_years or 0) >= 1:
                reason += t("exp_unrelated", language, total=exp.total_years)
        evidence = [_ev(text, r.start, r.end) for r in exp.ranges if r.weight > 0][
            :MAX_EVIDENCE
        ] + [_ev(text, s, e) for s, e, _ in exp.claims[:2]]
        return CriterionResult(
            criterion=Criterion(kind="experience", name=f"≥{_num(need)}"),
            verdict=verdict,
            score=_r1(score),
            max_score=30,
            evidence=sorted(evidence, key=lambda e: e.start),
            reason=reason,
        )

    def _education(self, text, crit, hits, language) -> CriterionResult | None:
        if not crit.education:
            return None
        need = min(crit.education, key=edu.RANK.__getitem__)
        req = "/".join(crit.education)
        english = messages.lang(language) == "en"
        # The reason is read in the screening's language: English names the levels in English.
        req_shown = " / ".join(edu.ENGLISH[x] for x in crit.education) if english else req
        level = edu.highest(hits)
        unfinished = edu.unfinished(hits)
        if level is None and unfinished:
            verdict, score = "fail", 0.0
            reason = t("edu_unfinished", language, req=req_shown)
        elif level is None:
            verdict, score, reason = "unknown", 0.0, t("edu_unknown", language)
        else:
            gap = edu.RANK[need] - edu.RANK[level]
            verdict = "pass" if gap <= 0 else "fail"
            score = 25.0 if gap <= 0 else 10.0 if gap == 1 else 0.0
            shown = edu.ENGLISH[level] if english else level
            reason = t(f"edu_{verdict}", language, level=shown, req=req_shown)
        cited = ([h for h in hits if h.level == level and h.obtained] + unfinished)[:MAX_EVIDENCE]
        return CriterionResult(
            criterion=Criterion(kind="education", name=req),
            verdict=verdict,
            score=score,
            max_score=25,
            evidence=[_ev(text, h.start, h.end) for h in cited],
            reason=reason,
        )

    def _projects(self, text, crit, sig, points, language) -> CriterionResult | None:
        need = crit.project_requirements.min_projects
        if need <= 0:
            return None
        count = sig.project_count
        verdict = "pass" if count >= need else "partial" if count else "fail"
        spans = [(s, e) for s, e in sig.project_lines] + [(s, e) for s, e, _ in sig.project_claims]
        return CriterionResult(
            criterion=Criterion(kind="projects", name=f"≥{need}"),
            verdict=verdict,
            score=_r1(points),
            max_score=35,
            evidence=[_ev(text, s, e) for s, e in sorted(spans)[: MAX_EVIDENCE + 3]],
            reason=t(f"proj_{verdict}", language, count=count, min=need),
        )

    def _leadership(self, text, crit, sig, verdict, language) -> CriterionResult | None:
        if not crit.project_requirements.team_lead_experience:
            return None
        if verdict == "pass":
            spans = [(s, e) for s, e, _ in sig.team_sizes] + sig.leads_people
        else:
            spans = sig.lead_titles + sig.weak_lead
        size = t("team_size", language, n=sig.team_size) if sig.team_size else ""
        return CriterionResult(
            criterion=Criterion(kind="team_lead", name="team_lead_experience"),
            verdict=verdict,
            score=35 * scoring.CREDIT[verdict],
            max_score=35,
            evidence=[_ev(text, s, e) for s, e in sorted(spans)[:MAX_EVIDENCE]],
            reason=t(f"lead_{verdict}", language, size=size),
        )

    # -- technical depth and the lexicon-wide skill list -------------------------------------

    def _skills_found(self, doc: Doc) -> list[str]:
        return [
            name
            for name, category in doc.lexicon_skills(self.lexicon).items()
            if category != "certification"
        ]

    def _depth(self, results: list[CriterionResult]) -> float:
        """30 points: how well the skill criteria are backed — repeated, unhedged evidence."""
        skills = [r for r in results if r.criterion.kind in ("required_skill", "optional_skill")]
        if not skills:
            return 20.0
        credit = {"pass": 1.0, "partial": 0.4, "unknown": 0.3, "fail": 0.0}
        backed = sum(
            credit[r.verdict] * (0.75 + 0.25 * min(len(r.evidence), 2) / 2) for r in skills
        )
        return 30 * backed / len(skills)

    # -- strengths, weaknesses, focus and summary ------------------------------------------

    def _narrate(self, result: ScreeningResult, crit: Criteria, exp, language: str) -> None:
        by_kind: dict[str, list[CriterionResult]] = {}
        for r in result.criteria_results:
            by_kind.setdefault(r.criterion.kind, []).append(r)
        required = by_kind.get("required_skill", [])
        missing = [r.criterion.name for r in required if r.verdict in ("fail", "unknown")]
        present = [r.criterion.name for r in required if r.verdict == "pass"]
        s, w, f = result.strengths, result.weaknesses, result.interview_focus
        if required and not missing:
            s.append(t("s_skills", language, names=join(present, language)))
        if exp.years is not None and crit.min_experience and exp.years >= crit.min_experience + 2:
            s.append(t("s_exp", language, years=exp.years))
        level = result.facts.education_level
        if level in ("硕士", "博士"):
            shown = level if messages.lang(language) == "zh" else edu.ENGLISH[level]
            s.append(t("s_edu", language, level=shown))
        if any(
            r.criterion.kind == "team_lead" and r.verdict == "pass" for r in result.criteria_results
        ) or (result.facts.team_size):
            size = (
                t("team_size", language, n=result.facts.team_size) if result.facts.team_size else ""
            )
            s.append(t("s_lead", language, size=size))
        certs = [r.criterion.name for r in by_kind.get("certification", []) if r.verdict == "pass"]
        if certs:
            s.append(t("s_certs", language, names=join(certs, language)))
        if exp.avg_tenure_months is not None and exp.avg_tenure_months >= 36:
            s.append(t("s_stable", language, months=round(exp.avg_tenure_months)))
        if missing:
            w.append(t("w_missing", language, names=join(missing, language)))
        for r in result.criteria_results:
            if r.criterion.kind not in ("required_skill", "optional_skill") and r.verdict in (
                "fail",
                "unknown",
            ):
                w.append(r.reason)
        if exp.short_stints >= 2:
            w.append(t("w_unstable", language, n=exp.short_stints))
        if present:
            f.append(t("f_verify", language, names=join(present[:3], language)))
        for r in result.criteria_results:
            if r.verdict == "unknown":
                f.insert(0, t("f_unknown", language, reason=r.reason))
            elif r.verdict == "partial":
                f.append(t("f_partial", language, reason=r.reason))
        if exp.unsupported_claim:
            f.append(t("f_claim", language, claim=_num(exp.claimed_years), ranges=exp.range_years))
        if exp.short_stints >= 2:
            f.append(t("f_tenure", language))
        optional = [
            r.criterion.name for r in by_kind.get("optional_skill", []) if r.verdict != "pass"
        ]
        if optional:
            f.append(t("f_optional", language, names=join(optional[:3], language)))
        name = result.facts.candidate_name or t("unknown_name", language)
        years = (
            t("years", language, years=exp.years) if exp.years is not None else t("none", language)
        )
        edu_text = t("none", language)
        if level:
            edu_text = level if messages.lang(language) == "zh" else edu.ENGLISH[level]
        result.summary = t(
            "summary",
            language,
            name=name,
            overall=result.overall,
            hr=result.hr,
            technical=result.technical,
            manager=result.manager,
            label=result.recommendation_label,
            years=years,
            education=edu_text,
            hit=len(present),
            total=len(required),
        )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _r3(value: float) -> float:
    return round(value, 3)
