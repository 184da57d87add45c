"""Writes on interview sessions: start, end, generate questions, record answers, write reports.

Each use case is one transaction; the session row is locked while the question pool or the
round numbers change, so concurrent calls cannot lose questions or reuse a round number. The
engines compute outside the transaction (they touch no database).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from hrm2.ai.interview import (
    DIMENSIONS,
    QuestionInput,
    SessionData,
    SessionRecord,
    UnknownInterviewEngineError,
    available_interview_engines,
    get_interview_engine,
)
from hrm2.ai.interview_text import dimension_label, level_label
from hrm2.ai.screening import Criteria
from hrm2.api.errors import Conflict, ValidationFailed, validated
from hrm2.audit import services as audit_services
from hrm2.interviews import review
from hrm2.interviews.models import InterviewReport, InterviewSession, QARecord
from hrm2.interviews.schemas import GenerateQuestionsIn, GenerateReportIn, RecordQAIn, SessionIn
from hrm2.resumes import selectors as resume_selectors
from hrm2.resumes.models import Resume

AUDIT_CHECKLIST = "interview:v1"


def _engine(name: str):
    try:
        return get_interview_engine(name)
    except UnknownInterviewEngineError as exc:
        raise RuntimeError(str(exc)) from exc


def _criteria(resume: Resume, job_config: dict) -> dict:
    position = resume.position
    version = position.latest_version
    criteria = dict(version.criteria) if version else {}
    criteria.setdefault("position", position.title)
    for key, value in job_config.items():
        criteria["position" if key == "title" else key] = value
    validated(Criteria, criteria, loc_prefix=("body", "job_config"))
    return criteria


def _resume_summary(resume: Resume, criteria: dict) -> dict:
    analysis = get_interview_engine("embedded").analyse_resume(resume.content)
    wanted = [*criteria.get("required_skills", []), *criteria.get("optional_skills", [])]
    found = set(analysis.skills)
    text = resume.content
    return {
        "candidate_name": resume.candidate_name,
        "skills": list(analysis.skills),
        "criteria_skills_found": [s for s in wanted if s in found],
        "projects": [text[s:e] for s, e in analysis.projects[:5]],
        "employers": [text[s:e] for s, e in analysis.employers[:5]],
        "gaps": [{"from": a, "to": b, "months": m} for a, b, m, _x, _y in analysis.gaps],
        "latest_score": resume.latest_score,
        "latest_recommendation": resume.latest_recommendation,
    }


@transaction.atomic
def create_session(*, data: SessionIn, user) -> InterviewSession:
    default = settings.INTERVIEW_ENGINE or "embedded"
    engine = data.engine or default
    if engine not in available_interview_engines():
        raise ValidationFailed.for_field(
            ["body", "engine"],
            _("Unknown engine; available: %(engines)s")
            % {"engines": ", ".join(available_interview_engines())},
        )
    resume = resume_selectors.get_resume(resume_id=data.resume_data_id)
    criteria = _criteria(resume, data.job_config)
    session = InterviewSession.objects.create(
        resume=resume,
        position=resume.position,
        criteria_version=resume.position.latest_version,
        interviewer_name=data.interviewer_name,
        job_config=data.job_config,
        company_config=data.company_config,
        criteria=criteria,
        engine=engine,
        resume_summary=_resume_summary(resume, criteria),
        created_by=user,
    )
    Resume.objects.filter(
        pk=resume.pk, status__in=[Resume.Status.PENDING, Resume.Status.SCREENED]
    ).update(status=Resume.Status.INTERVIEWING, updated_at=timezone.now())
    return session


def _locked(session: InterviewSession) -> InterviewSession:
    """The session row, locked for this transaction, and still active."""
    locked = InterviewSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == InterviewSession.Status.ENDED:
        raise Conflict(_("The interview session has ended"))
    return locked


def _require_active(session: InterviewSession) -> None:
    if session.status == InterviewSession.Status.ENDED:
        raise Conflict(_("The interview session has ended"))


def end_session(*, session: InterviewSession) -> InterviewSession:
    """End the session (idempotent); its questions, answers and reports are kept."""
    InterviewSession.objects.filter(pk=session.pk, status=InterviewSession.Status.ACTIVE).update(
        status=InterviewSession.Status.ENDED, ended_at=timezone.now(), updated_at=timezone.now()
    )
    return session


@dataclass(frozen=True)
class GeneratedQuestions:
    """What one generation added: the new questions, the engine's result, the categories that
    got fewer than asked for, and the message that says so."""

    questions: list[dict]
    result: object
    shortfalls: list[dict]
    message: str


def category_labels(language: str) -> list[str]:
    """The question categories by their names in ``language`` (简历相关… / Resume…)."""
    bank = get_interview_engine("embedded").bank
    key = "en" if language.startswith("en") else "zh"
    return [info[key] for info in bank.categories.values()]


def generate_questions(
    *, session: InterviewSession, data: GenerateQuestionsIn, language: str
) -> GeneratedQuestions:
    """Generate questions and append the new ones to the session's pool (ids continue).

    Without ``categories`` in the request, all categories, named in the request's language.
    """
    _require_active(session)
    if "categories" not in data.model_fields_set:
        data = data.model_copy(update={"categories": category_labels(language)})
    engine = _engine(session.engine)
    bank = get_interview_engine("embedded").bank
    unknown = [c for c in data.categories if bank.category_key(c) is None]
    if unknown:
        known = [info["zh"] for info in bank.categories.values()]
        known += [info["en"] for info in bank.categories.values()]
        raise ValidationFailed.for_field(
            ["body", "categories"],
            _("Unknown question category: %(names)s; known: %(known)s")
            % {"names": ", ".join(unknown), "known": ", ".join(known)},
        )
    result = engine.generate_questions(
        session.resume.content,
        session.criteria,
        categories=data.categories,
        level=data.candidate_level,
        focus_on_resume=data.focus_on_resume,
        count_per_category=data.count_per_category,
        language=language,
        exclude=[q["question"] for q in session.questions or []],
    )
    with transaction.atomic():
        locked = _locked(session)
        pool = list(locked.questions or [])
        asked_before = {q["question"] for q in pool}
        new = []
        for question in result.questions:
            item = question.model_dump(mode="json")
            if item["question"] in asked_before:
                continue
            item["id"] = f"q{len(pool) + 1}"
            item["level"] = data.candidate_level
            item["engine"] = result.engine
            pool.append(item)
            new.append(item)
        locked.questions = pool
        locked.resume_highlights = [h.model_dump(mode="json") for h in result.resume_highlights]
        locked.save(update_fields=["questions", "resume_highlights", "updated_at"])
    session.questions = pool
    shortfalls = _shortfalls(data, new)
    return GeneratedQuestions(new, result, shortfalls, _message(data, new, shortfalls, language))


def _shortfalls(data: GenerateQuestionsIn, new: list[dict]) -> list[dict]:
    """The categories that got fewer new questions than asked for, with how many there were.

    The bank has at least the maximum count for every category and level, so this happens only
    when the session has already been given the level's questions (and its neighbours').
    """
    return [
        {"category": label, "requested": data.count_per_category, "available": made}
        for label in data.categories
        if (made := sum(q["category"] == label for q in new)) < data.count_per_category
    ]


def _message(data: GenerateQuestionsIn, new: list[dict], shortfalls: list[dict], language) -> str:
    """ "Generated N questions", and for each category short of the count, how many were left."""
    parts = [
        ngettext("Generated %(count)d question", "Generated %(count)d questions", len(new))
        % {"count": len(new)}
    ]
    level = level_label(data.candidate_level, language)
    for short in shortfalls:
        parts.append(
            ngettext(
                "only %(available)d new question left in “%(category)s” at level %(level)s "
                "(%(requested)d asked for): this session has already been given the others",
                "only %(available)d new questions left in “%(category)s” at level %(level)s "
                "(%(requested)d asked for): this session has already been given the others",
                short["available"],
            )
            % {**short, "level": level}
        )
    return pgettext("sentence separator", "; ").join(parts)


def _question_for(session: InterviewSession, data: RecordQAIn) -> QuestionInput:
    ref = data.question
    if ref.id:
        found = next((q for q in session.questions or [] if q["id"] == ref.id), None)
        if found is None:
            raise ValidationFailed.for_field(
                ["body", "question", "id"], _("No generated question has this id"), "not_found"
            )
        return QuestionInput(
            id=found["id"],
            content=found["question"],
            expected_skills=found.get("expected_skills", []),
            difficulty=found.get("difficulty", 5),
            category_key=found.get("category_key"),
            evaluation_points=found.get("evaluation_points", []),
        )
    return QuestionInput(
        content=ref.content,
        expected_skills=[" ".join(s.split()) for s in ref.expected_skills if s.strip()],
        difficulty=ref.difficulty or 5,
    )


def covered_skills(session: InterviewSession) -> list[str]:
    """Skills the session has asked about or seen demonstrated so far."""
    covered: list[str] = []
    for record in session.records.all():
        covered += record.question.get("expected_skills", [])
        covered += (record.evaluation or {}).get("matched_skills", [])
    return list(dict.fromkeys(covered))


def record_qa(*, session: InterviewSession, data: RecordQAIn, user, language: str) -> QARecord:
    _require_active(session)
    question = _question_for(session, data)
    assessment = None
    if not data.skip_evaluation:
        assessment = _engine(session.engine).evaluate_answer(
            question,
            data.answer.content,
            criteria=session.criteria,
            covered=covered_skills(session),
            language=language,
        )
    with transaction.atomic():
        locked = _locked(session)
        last = locked.records.aggregate(n=Max("round_number"))["n"] or 0
        record = QARecord.objects.create(
            session=locked,
            round_number=last + 1,
            question=question.model_dump(mode="json"),
            answer=data.answer.content,
            duration_seconds=data.answer.duration_seconds,
            evaluated=assessment is not None,
            engine=assessment.engine if assessment else "",
            fallback_reason=(assessment.fallback_reason or "") if assessment else "",
            normalized_score=assessment.evaluation.normalized_score if assessment else None,
            evaluation=assessment.evaluation.model_dump(mode="json") if assessment else None,
            followup_recommendation=(
                assessment.followup_recommendation.model_dump(mode="json") if assessment else None
            ),
            hr_action_hints=assessment.hr_action_hints if assessment else [],
            llm_calls=[c.model_dump(mode="json") for c in assessment.llm_calls]
            if assessment
            else [],
            created_by=user,
        )
        if assessment is not None:
            record_audit_evaluation(session=locked, record=record)
        InterviewSession.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
    return record


def record_audit_evaluation(*, session: InterviewSession, record: QARecord) -> None:
    """The evaluated answer as an audit document: one point and one verdict per dimension.

    ``hrm2.audit`` records one document per source object, so the source is the QA record
    (every answer of a session is its own document, titled with the session and the round);
    the six dimensions are the points of the shared ``interview:v1`` checklist, a score of 3 or
    4 (of 4) is a machine "pass", and the score share is ``score / 4``.
    """
    evaluation = record.evaluation or {}
    points, verdicts = [], []
    for name in DIMENSIONS:
        dim = evaluation["dimensions"][name]
        points.append(
            audit_services.PointSpec(
                key=name,
                name=dimension_label(name, "zh-hans"),
                category="interview",
                max_score=4,
            )
        )
        verdicts.append(
            audit_services.MachineVerdict(
                point_key=name,
                result="pass" if dim["score"] >= review.PASS_FROM else "fail",
                score=round(dim["score"] / 4 * 100, 4),
                message=dim.get("reason", "")[:2000],
                verdict=str(dim["score"]),
                extracted={"evidence": dim.get("evidence", []), "answer": record.answer[:2000]},
                rules={
                    "score": dim["score"],
                    "max_score": 4,
                    "normalized_score": evaluation.get("normalized_score"),
                    "confidence_level": evaluation.get("confidence_level"),
                    "question": record.question.get("content", "")[:500],
                },
            )
        )
    audit_services.record_machine_evaluation(
        kind=review.AUDIT_KIND,
        source=record,
        uploader=session.created_by_id,
        points=points,
        results=verdicts,
        title=" · ".join(
            [session.resume.candidate_name, session.position_title, f"#{record.round_number}"]
        ),
        position_ref=str(session.position_id),
        checklist=AUDIT_CHECKLIST,
        totals=review.machine_totals(evaluation),
    )


def generate_report(
    *, session: InterviewSession, data: GenerateReportIn, user, language: str
) -> InterviewReport:
    records = list(session.records.order_by("round_number"))
    session_data = SessionData(
        candidate_name=session.resume.candidate_name,
        position_title=session.position_title,
        interviewer_name=session.interviewer_name,
        resume_text=session.resume.content,
        criteria=session.criteria,
        hr_notes=data.hr_notes,
        include_conversation_log=data.include_conversation_log,
        records=[
            SessionRecord(
                round_number=r.round_number,
                question=QuestionInput.model_validate(r.question),
                answer=r.answer,
                duration_seconds=r.duration_seconds,
                evaluation=r.evaluation,
                followup=r.followup_recommendation,
            )
            for r in records
        ],
    )
    report = _engine(session.engine).write_report(session_data, language=language)
    return InterviewReport.objects.create(
        session=session,
        result=report.model_dump(mode="json"),
        overall_score=report.overall_score,
        recommendation=report.recommendation,
        language=language,
        created_by=user,
    )
