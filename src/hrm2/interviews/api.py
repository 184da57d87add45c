"""/interview-assist/: interview sessions, questions, answers and reports."""

from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from hrm2.api.auth import Role, require
from hrm2.api.downloads import attachment
from hrm2.interviews import reporting, selectors, services
from hrm2.interviews.schemas import (
    DownloadQuery,
    GenerateQuestionsIn,
    GenerateReportIn,
    QuestionsOut,
    RecordOut,
    RecordQAIn,
    ReportOut,
    SessionCreatedOut,
    SessionDetailOut,
    SessionFilters,
    SessionIn,
    SessionOut,
)

router = Router(tags=["interview-assist"], auth=require())
WRITERS = require(Role.HR, Role.INTERVIEWER)


def _language() -> str:
    return translation.get_language() or "zh-hans"


@router.post("/sessions/", response={201: SessionCreatedOut}, auth=WRITERS)
def create_session(request, payload: SessionIn):
    session = services.create_session(data=payload, user=request.auth)
    request.success_message = _("Interview session created")
    return Status(201, selectors.get_session(session_id=session.pk, user=request.auth))


@router.get("/sessions/", response=list[SessionOut])
@paginate
def list_sessions(request, filters: Query[SessionFilters]):
    return selectors.session_list(
        user=request.auth, resume_id=filters.resume_data_id, status=filters.status
    )


@router.get("/sessions/{uuid:session_id}/", response=SessionDetailOut)
def session_detail(request, session_id: UUID):
    return selectors.get_session(session_id=session_id, user=request.auth, detail=True)


@router.delete("/sessions/{uuid:session_id}/", response=SessionOut, auth=WRITERS)
def end_session(request, session_id: UUID):
    """Ends the session (seed: 结束会话); its data is kept."""
    session = selectors.get_session(session_id=session_id, user=request.auth)
    services.end_session(session=session)
    request.success_message = _("Interview session ended")
    return selectors.get_session(session_id=session_id, user=request.auth)


@router.post("/sessions/{uuid:session_id}/generate-questions/", response=QuestionsOut, auth=WRITERS)
def generate_questions(request, session_id: UUID, payload: GenerateQuestionsIn):
    session = selectors.get_session(session_id=session_id, user=request.auth)
    generated = services.generate_questions(session=session, data=payload, language=_language())
    request.success_message = generated.message
    highlights = [h.model_dump(mode="json") for h in generated.result.resume_highlights]
    return {
        "session_id": session.pk,
        "engine": generated.result.engine,
        "fallback_reason": generated.result.fallback_reason,
        "questions": generated.questions,
        "resume_highlights": highlights,
        "interest_points": [h["text"] for h in highlights],
        "total_in_pool": len(session.questions),
        "shortfalls": generated.shortfalls,
    }


@router.post("/sessions/{uuid:session_id}/record-qa/", response=RecordOut, auth=WRITERS)
def record_qa(request, session_id: UUID, payload: RecordQAIn):
    session = selectors.get_session(session_id=session_id, user=request.auth)
    record = services.record_qa(
        session=session, data=payload, user=request.auth, language=_language()
    )
    request.success_message = (
        _("Answer recorded and evaluated") if record.evaluated else _("Answer recorded")
    )
    return {
        "round_number": record.round_number,
        "qa_record_id": record.pk,
        "evaluation": record.evaluation,
        "followup_recommendation": record.followup_recommendation,
        "hr_action_hints": record.hr_action_hints,
        "engine": record.engine or None,
        "fallback_reason": record.fallback_reason or None,
    }


def _download_url(report_id, fmt: str) -> str:
    return f"/interview-assist/reports/{report_id}/download/?format={fmt}"


@router.post("/sessions/{uuid:session_id}/generate-report/", response=ReportOut, auth=WRITERS)
def generate_report(request, session_id: UUID, payload: GenerateReportIn):
    session = selectors.get_session(session_id=session_id, user=request.auth)
    report = services.generate_report(
        session=session, data=payload, user=request.auth, language=_language()
    )
    request.success_message = _("Interview report generated")
    return {
        "report_id": report.pk,
        "report": {"report_id": str(report.pk), **report.result},
        "report_file_url": _download_url(report.pk, "pdf"),
        "download_urls": {fmt: _download_url(report.pk, fmt) for fmt in ("md", "pdf", "docx")},
    }


@router.get("/reports/{uuid:report_id}/download/", response={200: None})
def download_report(request, report_id: UUID, query: Query[DownloadQuery]):
    """An interview report (by report id, or by session id for its latest) as md/pdf/docx/json."""
    report = selectors.report_for_download(report_or_session_id=report_id, user=request.auth)
    return attachment(reporting.export(report, fmt=query.format, language=_language()))
