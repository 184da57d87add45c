"""Candidates with known inputs, written straight to the database.

``candidate(name, share)`` makes every input of the rubric read ``share`` (0–1): four required
and four nice-to-have skills with verdicts worth ``share``, each screening sub-score at
``share`` of its maximum, eight evaluated interview answers whose six dimension means are
``1 + 3·share``, ``8·share`` genuine answers (the rest overconfident), ``32·share`` STAR
elements found, answer scores and the interview report total ``100·share``. So every sub-score
is ``1 + 4·share``, every dimension too, and the final score is ``100·share`` — whatever the
weights. ``share`` must be a multiple of 1/8.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from hrm2.jobs.models import Job
from hrm2.positions import services as position_services
from hrm2.positions.schemas import CriteriaIn
from hrm2.resumes import services as resume_services
from hrm2.resumes.models import ResumeGroup
from hrm2.screening.models import ScreeningReport, ScreeningTask

DIMS = (
    "technical_depth",
    "practical_experience",
    "answer_specificity",
    "logical_clarity",
    "honesty",
    "communication",
)
STAR = ("situation", "task", "action", "result")
REQUIRED = ("Python", "Django", "Kafka", "Redis")
OPTIONAL = ("Go", "Rust", "K8s", "Spark")
BREAKDOWN_MAX = {
    "technical.depth": 30,
    "hr.experience": 30,
    "hr.education": 25,
    "hr.stability": 25,
    "manager.projects": 35,
    "manager.teamwork": 30,
    "manager.leadership": 35,
}


@dataclass
class Spec:
    name: str
    share: float
    screening: bool = True
    interview: bool = True
    report_score: float | None = None  # default 100·share
    extra: dict = field(default_factory=dict)


def _verdicts(share: float) -> list[str]:
    """Four verdicts whose mean credit (pass 1, partial ½) is ``share``."""
    halves = round(share * 8)
    passes, partial = divmod(halves, 2)
    return ["pass"] * passes + ["partial"] * partial + ["fail"] * (4 - passes - partial)


def _spread(total: int, n: int, low: int, high: int) -> list[int]:
    base, extra = divmod(total, n)
    values = [base + 1] * extra + [base] * (n - extra)
    assert all(low <= v <= high for v in values), (total, values)
    return values


def screening_result(share: float) -> dict:
    criteria = []
    for kind, names in (("required_skill", REQUIRED), ("optional_skill", OPTIONAL)):
        for name, verdict in zip(names, _verdicts(share), strict=True):
            criteria.append(
                {
                    "criterion": {"kind": kind, "name": name},
                    "verdict": verdict,
                    "score": 10 * {"pass": 1, "partial": 0.5, "fail": 0}[verdict],
                    "max_score": 10,
                    "evidence": [],
                    "reason": "",
                }
            )
    breakdown = {key: maximum * share for key, maximum in BREAKDOWN_MAX.items()}
    breakdown["technical.required"] = 40 * share
    breakdown["technical.optional"] = 30 * share
    return {
        "engine": "embedded",
        "engine_version": "1.0.0",
        "criteria_results": criteria,
        "hr": 100 * share,
        "technical": 100 * share,
        "manager": 100 * share,
        "overall": 100 * share,
        "breakdown": breakdown,
        "recommendation": "interview",
        "recommendation_label": "推荐面试",
        "strengths": [],
        "weaknesses": [],
        "summary": "fixture",
        "facts": {"experience_years": 5, "education_level": "本科"},
    }


def answers(share: float, n: int = 8) -> list[dict]:
    means = _spread(round(n * (1 + 3 * share)), n, 1, 4)
    stars = _spread(round(4 * n * share), n, 0, 4)
    genuine = round(n * share)
    out = []
    for i in range(n):
        out.append(
            {
                "dimensions": {d: {"score": means[i], "reason": "", "evidence": []} for d in DIMS},
                "normalized_score": 100 * share,
                "confidence_level": "genuine" if i < genuine else "overconfident",
                "answer_type": "normal_answer",
                "star": {k: {"found": j < stars[i], "evidence": []} for j, k in enumerate(STAR)},
                "star_missing": [],
                "features": {"scorable": True},
                "matched_skills": [],
                "summary": "",
            }
        )
    return out


def make_group(user, specs: list[Spec], *, title: str = "后端工程师") -> ResumeGroup:
    from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord

    position, _created = position_services.save_criteria(
        criteria=CriteriaIn(
            position=title, required_skills=list(REQUIRED), optional_skills=list(OPTIONAL)
        ),
        user=user,
    )
    position.refresh_from_db()
    resumes = [
        resume_services.create_resume(
            position=position,
            content=f"{spec.name}\n{title} resume {i}",
            candidate_name=spec.name,
            user=user,
        )
        for i, spec in enumerate(specs)
    ]
    group = resume_services.create_group(
        group_name=f"{title} 终面", description="", resume_ids=[r.pk for r in resumes], user=user
    )
    job = Job.objects.create(kind="screening", status=Job.Status.COMPLETED)
    task = ScreeningTask.objects.create(
        job=job, position=position, criteria_version=position.latest_version, engine="embedded"
    )
    now = timezone.now()
    for resume, spec in zip(resumes, specs, strict=True):
        if spec.screening:
            ScreeningReport.objects.create(
                task=task,
                resume=resume,
                status=ScreeningReport.Status.COMPLETED,
                engine="embedded",
                overall_score=100 * spec.share,
                result=screening_result(spec.share),
                completed_at=now,
            )
        if spec.interview:
            session = InterviewSession.objects.create(
                resume=resume, position=position, interviewer_name="面试官", created_by=user
            )
            for round_number, evaluation in enumerate(answers(spec.share), start=1):
                QARecord.objects.create(
                    session=session,
                    round_number=round_number,
                    question={"content": "问题"},
                    answer="回答",
                    evaluated=True,
                    evaluation=evaluation,
                )
            score = 100 * spec.share if spec.report_score is None else spec.report_score
            InterviewReport.objects.create(
                session=session,
                result={
                    "overall_score": score,
                    "insufficient_evidence": False,
                    "highlights": [],
                    "red_flags": [],
                },
                overall_score=score,
                recommendation="hire",
            )
    return group
