"""Resumes: upload many files with per-file outcomes, the filtered list (the decision HR acts
on — the reviewer's once confirmed, else the machine's — next to the machine's), the candidate
page (highlighted evidence, report chart, the human review) and report downloads."""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.downloads import attachment
from hrm2.api.errors import ApiError, NotFound, collect_validation, validated
from hrm2.audit import selectors as audit_selectors
from hrm2.audit.models import Document
from hrm2.console.presenters import bar_chart, evidence_segments
from hrm2.console.views import interviews
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    page,
    paginate,
    query_without,
    safe_next,
)
from hrm2.positions import selectors as position_selectors
from hrm2.resumes import selectors, services, uploads
from hrm2.resumes.models import Resume
from hrm2.resumes.schemas import ResumeFilters, UploadFormIn
from hrm2.resumes.vocabulary import (
    RECOMMENDATIONS,
    RESUME_STATUSES,
    REVIEW_STATES,
    VERDICTS,
    criterion_label,
)
from hrm2.screening import reporting
from hrm2.screening import selectors as screening_selectors

FILTER_NAMES = (
    "candidate_name",
    "position_id",
    "status",
    "min_score",
    "group_id",
    "recommendation",
    "review_state",
    "sort",
)
DOWNLOAD_FORMATS = ("md", "pdf", "docx", "json")


SORT_LABELS = [
    ("newest", _lazy("Newest first")),
    ("score", _lazy("Decision score, highest first")),
    ("machine_score", _lazy("Machine score, highest first")),
]


def _active_positions():
    return position_selectors.position_list(is_active=True)[:200]


def _list_page(request, query, *, bulk: dict | None = None, bulk_errors=None, list_url=""):
    """The filtered list for the filters in ``query``; ``bulk``/``bulk_errors``: what the
    selection form (screen / group the ticked resumes) sent and why it failed."""
    errors = FormErrors()
    raw = {name: query.get(name, "").strip() for name in FILTER_NAMES}
    try:
        filters = ResumeFilters.model_validate({k: v for k, v in raw.items() if v})
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
        filters = ResumeFilters()
    resumes = selectors.resume_list(filters=filters)
    bulk_errors = bulk_errors or FormErrors()
    return page(
        request,
        "console/resumes/list.html",
        {
            "page_obj": paginate(request, resumes, query=query),
            "filters": raw,
            "errors": errors,
            "bulk": bulk or {"position_id": raw["position_id"], "resume_ids": []},
            "bulk_errors": bulk_errors,
            "list_url": list_url or request.get_full_path(),
            "positions": _active_positions(),
            "statuses": Resume.Status.choices,
            "recommendations": list(RECOMMENDATIONS.items()),
            "status_words": RESUME_STATUSES,
            "review_states": [(code or "none", word) for code, word in REVIEW_STATES.items()],
            "sorts": SORT_LABELS,
            "query": query_without(request, "page", query=query),
        },
        status=422 if errors or bulk_errors else 200,
    )


@console_view()
def resume_list(request):
    return _list_page(request, request.GET)


def resume_list_with_errors(request, errors: FormErrors):
    """The list the selection form was posted from (its ``next``: same filters, same page),
    shown again with the resumes still ticked, the words typed kept, and each error next to
    its field (422). Used by the views the form posts to (create a group, start screening)."""
    back = safe_next(request, reverse("console:resume_list"))
    bulk = {
        "resume_ids": request.POST.getlist("resume_ids"),
        "group_name": request.POST.get("group_name", ""),
        "position_id": request.POST.get("position_id", ""),
    }
    query = QueryDict(urlsplit(back).query)
    return _list_page(request, query, bulk=bulk, bulk_errors=errors, list_url=back)


@console_view()
def resume_upload(request):
    """Multipart upload of many files: each file is accepted, a duplicate, or rejected."""
    errors, outcomes, counts, too_large = FormErrors(), None, {}, False
    position_id = request.POST.get("position_id") or request.GET.get("position_id", "")
    if request.method == "POST":
        try:
            form, files = collect_validation(
                lambda: validated(UploadFormIn, {"position_id": position_id or None}),
                lambda: uploads.uploaded_files(request),
            )
            position = services.resolve_position(position_id=form.position_id, user=request.user)
        except ApiError as exc:
            errors.add_api_error(exc)
            too_large = exc.status == 413
        else:
            outcomes = services.upload_resumes(position=position, files=files, user=request.user)
            counts = {
                status: sum(o["status"] == status for o in outcomes)
                for status in ("accepted", "duplicate", "rejected")
            }
    return page(
        request,
        "console/resumes/upload.html",
        {
            "errors": errors,
            "outcomes": outcomes,
            "counts": counts,
            "positions": _active_positions(),
            "position_id": position_id,
        },
        status=(413 if too_large else 422) if errors else 200,
    )


@console_view()
def resume_detail(request, resume_id):
    resume = selectors.get_resume(resume_id=resume_id)
    report = screening_selectors.latest_report_view(resume_id=resume.pk)
    criteria_results = (report or {}).get("criteria_results", [])
    context = {
        "resume": resume,
        "report": report,
        "criteria_results": criteria_results,
        "segments": evidence_segments(resume.content, criteria_results),
        "formats": DOWNLOAD_FORMATS,
        "can_interview": interviews.can_interview(request.user),
        "interview_sessions": interviews.sessions_for_resume(request.user, resume.pk),
    }
    if report:
        for item in criteria_results:
            item["verdict_label"] = VERDICTS.get(item["verdict"], "—")
            item["label"] = criterion_label(item["criterion"]["kind"], item["criterion"]["name"])
        context["dimension_chart"] = bar_chart(
            [
                (_("HR"), report.get("hr"), 100),
                (_("Technical"), report.get("technical"), 100),
                (_("Manager"), report.get("manager"), 100),
                (_("Overall"), report.get("overall"), 100),
            ]
        )
        context["criteria_chart"] = bar_chart(
            [(c["label"], c["score"], c["max_score"]) for c in criteria_results]
        )
        review = report.get("review")  # read once, with the report (latest_report_view)
        context["review"] = review
        if review is not None:
            document = Document.objects.get(pk=review["document_id"])
            context["can_review"] = audit_selectors.can_access(user=request.user, document=document)
            context["review_document"] = document
    return page(request, "console/resumes/detail.html", context)


@console_view()
def report_download(request, resume_id, fmt):
    """The latest screening report of the resume, rendered as the API renders it."""
    if fmt not in DOWNLOAD_FORMATS:
        raise NotFound()
    report = screening_selectors.report_for_download(report_or_resume_id=resume_id)
    language = translation.get_language() or "zh-hans"
    return attachment(reporting.export(report, fmt=fmt, language=language))
