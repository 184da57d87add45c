"""From per-criterion verdicts to dimension scores, overall score, recommendation and salary.

Shared by every engine so the numbers never come from model prose.

Dimension points (each dimension sums to 100):

- ``hr``: experience 30 (30·min(1, years/min_experience); full when no minimum), education 25
  (pass 25, one level below 10, otherwise 0; full when not required), certificates 20 (share of
  the required certifications held; full when none required), stability 25 (average tenure:
  ≥36 months 100 %, ≥24 85 %, ≥18 70 %, ≥12 55 %, below 35 %, minus 8 % per extra job under a
  year; 60 % when the resume has no dated jobs).
- ``technical``: required skills 40 and optional skills 30 (share of credit: pass 1, partial ½;
  ``unknown`` earns no points — nothing was shown — but is never a failed requirement; full when
  the list is empty), depth 30 (engine-specific: how well the skills are backed by unhedged,
  repeated evidence).
- ``manager``: projects 35, teamwork 30, leadership 35. Where the position requires projects
  (``min_projects``) or team leadership, these count in full: projects 35·min(1, count/need),
  leadership pass 35, partial 17.5. Where it does not, they are a bonus on a base of 70 %, so a
  candidate is not marked down for what the position does not ask for.

Overall: ``0.3·hr + 0.4·technical + 0.3·manager``. When the criteria carry ``weights``, the
overall is instead the weighted mean (missing weights count as 0) of six component scores, each
0–100: skills = technical; experience = (experience + stability)/55; education = education/25;
certifications = certificates/20; projects = projects/35; leadership = (teamwork +
leadership)/65.

Recommendation (推荐面试/备选/不匹配): ``reject`` when overall < REJECT_BELOW or two hard
requirements fail (education ``fail``, experience ``fail`` i.e. below 75 % of the minimum, a
required certificate ``fail``, required team-lead experience ``fail``, or less than half of the
credit of the required skills the engine could judge); ``unknown`` is never a failed hard
requirement. ``interview`` when overall ≥ INTERVIEW_AT, no hard requirement fails and at most a
quarter of the required skills failed; ``reserve`` otherwise — one failed hard requirement is a
clear gap a person weighs, not a rejection. The thresholds were recalibrated on the two
development sets (``eval/dev``, ``eval/dev2``) with engine 2.1, never on ``eval/blind``.

Reviewed results (:func:`reviewed`, :func:`rescore`): a person's pass / fail of a criterion
replaces the engine's verdict and the same formulas run again, so the human-confirmed overall and
recommendation are computed exactly like the machine's. A pass of a criterion the engine passed
or half-passed keeps the engine's verdict and points (the reviewer agreed); a pass of a failed or
unjudged one earns full points; a fail earns none and counts as a failed requirement. A score the
reviewer gives (0–100 % of the criterion) replaces the points; with a pass it is ``pass`` at
100 % and ``partial`` below. Sub-scores that are not criteria (stability, depth, teamwork) stay
as measured.

Salary suggestion: ``low + (high − low)·clamp((overall − 50)/50, 0, 1)`` rounded to 100 (to 1
for small ranges) and kept inside the range; ``None`` without a range.
"""

from __future__ import annotations

from dataclasses import dataclass

from hrm2.ai.screening import Criteria, CriterionResult, ScreeningResult

CREDIT = {"pass": 1.0, "partial": 0.5, "fail": 0.0, "unknown": 0.0}
INTERVIEW_AT = 78.0
REJECT_BELOW = 58.0
NOT_REQUIRED_BASE = 0.7
DEFAULT_MIX = {"hr": 0.3, "technical": 0.4, "manager": 0.3}


def stability_points(avg_tenure_months: float | None, short_stints: int) -> float:
    if avg_tenure_months is None:
        return 25 * 0.6
    share = next(
        (
            s
            for floor, s in ((36, 1.0), (24, 0.85), (18, 0.7), (12, 0.55))
            if avg_tenure_months >= floor
        ),
        0.35,
    )
    return 25 * max(0.0, share - 0.08 * max(0, short_stints - 1))


def project_points(count: int, need: int) -> float:
    share = min(1.0, count / need) if need > 0 else min(1.0, count / 2)
    return 35 * (share if need > 0 else NOT_REQUIRED_BASE + (1 - NOT_REQUIRED_BASE) * share)


def leadership_points(verdict: str, *, required: bool) -> float:
    credit = {"pass": 1.0, "partial": 0.5}.get(verdict, 0.0)
    return 35 * (credit if required else NOT_REQUIRED_BASE + (1 - NOT_REQUIRED_BASE) * credit)


def dimensions(b: dict[str, float]) -> dict[str, float]:
    return {
        "hr": b["hr.experience"] + b["hr.education"] + b["hr.certificates"] + b["hr.stability"],
        "technical": b["technical.required"] + b["technical.optional"] + b["technical.depth"],
        "manager": b["manager.projects"] + b["manager.teamwork"] + b["manager.leadership"],
    }


def overall(b: dict[str, float], criteria: Criteria) -> float:
    dims = dimensions(b)
    weights = criteria.weights.model_dump() if criteria.weights else {}
    given = {k: v for k, v in weights.items() if v is not None}
    if not given or sum(given.values()) <= 0:
        return sum(DEFAULT_MIX[k] * v for k, v in dims.items())
    component = {
        "skills": dims["technical"],
        "experience": (b["hr.experience"] + b["hr.stability"]) / 55 * 100,
        "education": b["hr.education"] / 25 * 100,
        "certifications": b["hr.certificates"] / 20 * 100,
        "projects": b["manager.projects"] / 35 * 100,
        "leadership": (b["manager.teamwork"] + b["manager.leadership"]) / 65 * 100,
    }
    total = sum(given.values())
    return sum(component[k] * w for k, w in given.items()) / total


HARD = frozenset({"education", "experience", "team_lead", "certification"})


def hard_failures(results: list[CriterionResult]) -> int:
    """Failed hard requirements; less than half the credit of the judged required skills
    counts as one. ``unknown`` never fails."""
    failed = sum(1 for r in results if r.criterion.kind in HARD and r.verdict == "fail")
    judged = [r for r in results if r.criterion.kind == "required_skill" and r.verdict != "unknown"]
    if judged and sum(CREDIT[r.verdict] for r in judged) / len(judged) < 0.5:
        failed += 1
    return failed


def hard_failure(results: list[CriterionResult]) -> bool:
    return hard_failures(results) > 0


def recommend(score: float, results: list[CriterionResult]) -> str:
    """A candidate who misses exactly one hard requirement is kept (``reserve``) for a person
    to weigh — recruiters keep a candidate with one clear gap rather than reject them."""
    failed = hard_failures(results)
    if score < REJECT_BELOW or failed > 1:
        return "reject"
    required = [r for r in results if r.criterion.kind == "required_skill"]
    failed_skills = sum(1 for r in required if r.verdict == "fail")
    required_ok = failed_skills * 4 <= len(required)
    if failed == 0 and score >= INTERVIEW_AT and required_ok:
        return "interview"
    return "reserve"


def salary(score: float, salary_range: tuple[int, int] | None) -> int | None:
    if not salary_range:
        return None
    low, high = salary_range
    share = min(1.0, max(0.0, (score - 50) / 50))
    value = low + (high - low) * share
    step = 100 if high - low >= 1000 else 1
    return int(min(high, max(low, round(value / step) * step)))


def _r1(value: float) -> float:
    return round(value + 0.0, 1)


def criterion_points(base: CriterionResult, verdict: str) -> float:
    """Points of one criterion from the verdict: ``max_score · CREDIT[verdict]``.

    For experience, education and projects (whose embedded points come from measured facts:
    years, degree gap, project count), the embedded points are kept when the verdict agrees
    with the embedded verdict.
    """
    if base.criterion.kind in ("experience", "education", "projects") and verdict == base.verdict:
        return base.score
    return _r1(base.max_score * CREDIT[verdict])


def rescore_breakdown(base: dict[str, float], results: list[CriterionResult]) -> dict[str, float]:
    """The breakdown with every criterion-backed sub-score recomputed from ``results``.

    Sub-scores that are not criteria (stability, depth, teamwork; projects and leadership when
    the position does not require them) stay as measured by the embedded engine.
    """
    out = dict(base)
    by_kind: dict[str, list[CriterionResult]] = {}
    for r in results:
        by_kind.setdefault(r.criterion.kind, []).append(r)
    for kind, key in (
        ("required_skill", "technical.required"),
        ("optional_skill", "technical.optional"),
        ("certification", "hr.certificates"),
        ("experience", "hr.experience"),
        ("education", "hr.education"),
        ("projects", "manager.projects"),
        ("team_lead", "manager.leadership"),
    ):
        if by_kind.get(kind):
            out[key] = sum(r.score for r in by_kind[kind])
    return {k: _r1(v) for k, v in sorted(out.items())}


def reviewed(base: CriterionResult, decision: str, share: float | None = None) -> CriterionResult:
    """``base`` as a person judged it: ``decision`` is "pass" or "fail"; ``share`` an optional
    score in percent of the criterion (see the module docstring)."""
    if share is not None:
        share = min(100.0, max(0.0, share))
        verdict = "fail" if decision == "fail" else "pass" if share >= 100 else "partial"
        score = _r1(base.max_score * share / 100)
    elif decision == "pass":
        verdict = base.verdict if base.verdict in ("pass", "partial") else "pass"
        score = base.score if verdict == base.verdict else base.max_score
    else:
        verdict, score = "fail", (base.score if base.verdict == "fail" else 0.0)
    return base.model_copy(update={"verdict": verdict, "score": score})


@dataclass(frozen=True)
class Rescored:
    overall: float
    recommendation: str
    breakdown: dict[str, float]
    results: list[CriterionResult]


def rescore(
    result: ScreeningResult, criteria: Criteria, results: list[CriterionResult]
) -> Rescored:
    """The overall and recommendation of ``result`` with ``results`` in place of its
    per-criterion results (same formulas as the engines)."""
    breakdown = rescore_breakdown(result.breakdown, results)
    total = _r1(min(100.0, overall(breakdown, criteria)))
    return Rescored(total, recommend(total, results), breakdown, results)
