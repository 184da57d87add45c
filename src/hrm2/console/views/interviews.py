"""The interview assistant: start a session from the candidate page, the question pool by
category with difficulty, answers typed or pasted and evaluated (htmx), follow-up suggestions
and HR hints, end the session, write the report and download it.

Who may do what is the API's rule (``/interview-assist/``): ``hr`` and ``interviewer`` write,
an interviewer sees the sessions they started, ``hr``, reviewers and admins see all of them,
reviewers only read. The object rule is the selectors' (``get_session``).
"""

import uuid

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.ai.interview import DIMENSIONS
from hrm2.ai.interview_text import (
    LEVEL_LABELS,
    STAR_LABELS,
    confidence_label,
    confidence_title,
    dimension_label,
    level_label,
    star_label,
)
from hrm2.api.auth import Role, has_role
from hrm2.api.downloads import attachment
from hrm2.api.errors import ApiError, NotFound
from hrm2.audit import selectors as audit_selectors
from hrm2.console.presenters import bar_chart
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    is_htmx,
    page,
    paginate,
    query_without,
)
from hrm2.interviews import reporting, selectors, services
from hrm2.interviews.models import InterviewSession, QARecord
from hrm2.interviews.schemas import (
    GenerateQuestionsIn,
    GenerateReportIn,
    RecordQAIn,
    SessionIn,
)

INTERVIEWERS = (Role.HR, Role.INTERVIEWER)  # the API's WRITERS of /interview-assist/
DOWNLOAD_FORMATS = ("md", "pdf", "docx")
ANSWER_FIELDS = ("question_id", "question_content", "answer", "duration_seconds")
LIVE = "console/interviews/_live.html"
DETAIL = "console/interviews/detail.html"


def _language() -> str:
    return translation.get_language() or "zh-hans"


def can_interview(user) -> bool:
    return has_role(user, *INTERVIEWERS)


def sessions_for_resume(user, resume_id) -> list[InterviewSession]:
    """The candidate page's list: the sessions of this resume the user may see."""
    return list(selectors.session_list(user=user, resume_id=resume_id)[:20])


@console_view(write=INTERVIEWERS)
def session_list(request):
    status = request.GET.get("status", "")
    status = status if status in InterviewSession.Status.values else ""
    sessions = selectors.session_list(user=request.user, status=status or None)
    return page(
        request,
        "console/interviews/list.html",
        {
            "page_obj": paginate(request, sessions),
            "status": status,
            "statuses": InterviewSession.Status.choices,
            "query": query_without(request, "page"),
            "can_interview": can_interview(request.user),
        },
    )


@console_view(write=INTERVIEWERS)
def session_start(request):
    """POST from the candidate page: a new session for the resume, then its page."""
    if request.method != "POST":
        return redirect("console:interview_list")
    resume_id = request.POST.get("resume_id", "").strip()
    back = (
        reverse("console:resume_detail", args=[resume_id])
        if _is_uuid(resume_id)
        else reverse("console:interview_list")
    )
    data = {"resume_data_id": resume_id}
    name = request.POST.get("interviewer_name", "").strip()
    if name:
        data["interviewer_name"] = name
    try:
        session = services.create_session(data=SessionIn.model_validate(data), user=request.user)
    except PydanticValidationError as exc:
        errors = FormErrors()
        errors.add_pydantic(exc)  # each message names its field
        for message in errors.messages():
            messages.error(request, message)
        return redirect(back)
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Interview session created"))
    return redirect("console:interview_detail", session_id=session.pk)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _pool(session: InterviewSession) -> list[dict]:
    """The question pool grouped by category, in the order the categories first appear; each
    question with its level in words."""
    language = _language()
    groups: dict[str, list[dict]] = {}
    for question in session.questions or []:
        item = {**question, "level_label": level_label(question.get("level"), language)}
        groups.setdefault(question.get("category") or "—", []).append(item)
    return [{"category": name, "questions": items} for name, items in groups.items()]


def record_view(record) -> dict:
    """One answered question with its evaluation, ready for the template."""
    evaluation = record.evaluation or {}
    dimensions = evaluation.get("dimensions") or {}
    language = _language()
    rows = [
        {
            "key": name,
            "label": dimension_label(name, language),
            "score": dimensions[name]["score"],
            "reason": dimensions[name].get("reason", ""),
        }
        for name in DIMENSIONS
        if name in dimensions
    ]
    star = evaluation.get("star") or {}
    return {
        "record": record,
        "evaluation": evaluation,
        "confidence_title": confidence_title(language),
        "confidence": confidence_label(evaluation.get("confidence_level"), language),
        "dimensions": rows,
        "chart": bar_chart([(r["label"], r["score"], 4) for r in rows]) if rows else None,
        "star": [
            {
                "part": part,
                "label": star_label(part, language),
                "found": (star.get(part) or {}).get("found"),
            }
            for part in STAR_LABELS
        ]
        if star
        else [],
        "followup": record.followup_recommendation or {},
        "hints": record.hr_action_hints or [],
    }


def _with_reviews(request, items: list[dict]) -> list[dict]:
    """Each answer's audit review: the reviewer-confirmed score is the one shown first."""
    records = {str(item["record"].pk): item for item in items}
    reviews = audit_selectors.scores_for_sources(
        source_type=ContentType.objects.get_for_model(QARecord), source_ids=list(records)
    )
    for record_id, review in reviews.items():
        records[record_id]["review"] = review
    return items


def _context(request, session_id, **extra) -> dict:
    session = selectors.get_session(session_id=session_id, user=request.user, detail=True)
    writable = can_interview(request.user)
    report = getattr(session, "latest_report_data", None)
    last_level = (session.questions or [{}])[-1].get("level", "")
    return {
        "session": session,
        "active": session.status == InterviewSession.Status.ACTIVE,
        "can_interview": writable,
        "pool": _pool(session),
        "records": _with_reviews(
            request, [record_view(r) for r in reversed(list(session.records.all()))]
        ),
        "report": report,
        "formats": DOWNLOAD_FORMATS,
        "levels": [(code, level_label(code, _language())) for code in LEVEL_LABELS],
        "default_categories": services.category_labels(_language()),
        "question_errors": FormErrors(),
        "answer_errors": FormErrors(),
        "typed": {},
        # the level of the last questions generated stays chosen
        "chosen": {"candidate_level": last_level} if last_level else {},
        # the notes box shows the latest report's notes, so writing the report again keeps them
        "notes": (report or {}).get("hr_notes", ""),
        **extra,
    }


@console_view(write=INTERVIEWERS)
def session_detail(request, session_id):
    return page(request, DETAIL, _context(request, session_id))


@console_view(write=INTERVIEWERS)
def generate_questions(request, session_id):
    if request.method != "POST":
        return redirect("console:interview_detail", session_id=session_id)
    session = selectors.get_session(session_id=session_id, user=request.user)
    errors = FormErrors()
    chosen = {
        "categories": request.POST.getlist("categories"),
        "candidate_level": request.POST.get("candidate_level", "senior"),
        "count_per_category": request.POST.get("count_per_category", "2").strip(),
    }
    typed = {name: request.POST.get(name, "") for name in ANSWER_FIELDS}  # kept while typing
    with errors.collecting():
        data = GenerateQuestionsIn.model_validate(
            {
                "categories": chosen["categories"],
                "candidate_level": chosen["candidate_level"],
                "count_per_category": chosen["count_per_category"] or 2,
            }
        )
        generated = services.generate_questions(session=session, data=data, language=_language())
    if errors:
        context = _context(request, session_id, question_errors=errors, chosen=chosen, typed=typed)
        return page(request, LIVE if is_htmx(request) else DETAIL, context, status=422)
    notice = generated.message
    level = "warning" if generated.shortfalls else "success"  # fewer than asked for: say so
    if is_htmx(request):
        context = _context(
            request, session_id, chosen=chosen, notice=notice, notice_level=level, typed=typed
        )
        return page(request, LIVE, context)
    (messages.warning if generated.shortfalls else messages.success)(request, notice)
    return redirect("console:interview_detail", session_id=session_id)


@console_view(write=INTERVIEWERS)
def record_answer(request, session_id):
    """One answer to a pooled question (by id) or a free question; evaluated at once."""
    if request.method != "POST":
        return redirect("console:interview_detail", session_id=session_id)
    session = selectors.get_session(session_id=session_id, user=request.user)
    errors = FormErrors()
    typed = {name: request.POST.get(name, "") for name in ANSWER_FIELDS}
    question = (
        {"id": typed["question_id"]}
        if typed["question_id"]
        else {"content": typed["question_content"]}
    )
    answer: dict = {"content": typed["answer"]}
    if typed["duration_seconds"].strip():
        answer["duration_seconds"] = typed["duration_seconds"].strip()
    with errors.collecting():
        data = RecordQAIn.model_validate({"question": question, "answer": answer})
        record = services.record_qa(
            session=session, data=data, user=request.user, language=_language()
        )
    if errors:
        # ``question`` errors belong next to the question picker
        for key in [k for k in errors.fields if k.startswith("question")]:
            errors.fields.setdefault("question", []).extend(errors.fields.pop(key))
        context = _context(request, session_id, answer_errors=errors, typed=typed)
        return page(request, LIVE if is_htmx(request) else DETAIL, context, status=422)
    notice = _("Answer recorded and evaluated") if record.evaluated else _("Answer recorded")
    if is_htmx(request):
        context = _context(request, session_id, notice=notice)
        return page(request, LIVE, context)
    messages.success(request, notice)
    return redirect("console:interview_detail", session_id=session_id)


@console_view(write=INTERVIEWERS)
def end_session(request, session_id):
    if request.method == "POST":
        session = selectors.get_session(session_id=session_id, user=request.user)
        services.end_session(session=session)
        messages.success(request, _("Interview session ended"))
    return redirect("console:interview_detail", session_id=session_id)


@console_view(write=INTERVIEWERS)
def generate_report(request, session_id):
    if request.method != "POST":
        return redirect("console:interview_detail", session_id=session_id)
    session = selectors.get_session(session_id=session_id, user=request.user)
    errors = FormErrors()
    notes = request.POST.get("hr_notes", "")
    with errors.collecting():
        data = GenerateReportIn.model_validate(
            {"hr_notes": notes, "include_conversation_log": True}
        )
        services.generate_report(
            session=session, data=data, user=request.user, language=_language()
        )
    if errors:
        context = _context(request, session_id, report_errors=errors, notes=notes)
        return page(request, DETAIL, context, status=422)
    messages.success(request, _("Interview report generated"))
    return redirect(reverse("console:interview_detail", args=[session_id]) + "#report")


@console_view(write=INTERVIEWERS)
def report_download(request, session_id, fmt):
    """The session's latest report, rendered as the API renders it."""
    if fmt not in DOWNLOAD_FORMATS:
        raise NotFound()
    selectors.get_session(session_id=session_id, user=request.user)  # 403 before "no report"
    report = selectors.report_for_download(report_or_session_id=session_id, user=request.user)
    if report.session_id != session_id:  # the id of a report, not of a session
        raise NotFound()
    return attachment(reporting.export(report, fmt=fmt, language=_language()))
