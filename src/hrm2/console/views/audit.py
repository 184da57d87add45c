"""The audit panel (seed 002's flow) and the review queue: per criterion the machine verdict,
pass / fail with a reason, a final score, confirm and reopen, and the audit history.

Access is the audit module's own rule (uploader, cross-review participant, or admin), checked
by its selectors and services for every document and result id.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.errors import ApiError
from hrm2.audit import selectors, services
from hrm2.audit.models import Document
from hrm2.audit.schemas import ReviewIn
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    is_htmx,
    page,
    paginate,
)

HISTORY_SIZE = 10


def _denied() -> str:
    return _("You may not view this document")


def audit_panel_context(request, document_id: int, **extra) -> dict:
    document = selectors.document_for(user=request.user, document_id=document_id, denied=_denied())
    history = selectors.document_history(document=document).order_by("-created_at", "-id")
    return {
        "document": document,
        "audit_results": selectors.document_results(document=document),
        "history": paginate(request, history, param="hpage", per_page=HISTORY_SIZE),
        "result_errors": {},
        "panel_errors": [],
        **extra,
    }


def _candidate_url(document: Document) -> str | None:
    """The candidate page of a screening document (its source is a ScreeningReport)."""
    if document.source_type and document.source_type.model == "screeningreport":
        from hrm2.screening.models import ScreeningReport

        resume_id = (
            ScreeningReport.objects.filter(pk=document.source_id)
            .values_list("resume_id", flat=True)
            .first()
        )
        if resume_id:
            return reverse("console:resume_detail", args=[resume_id])
    return None


def _panel(request, document_id: int, status: int = 200, **extra):
    """The panel alone for htmx; a full page (the review page) otherwise."""
    context = audit_panel_context(request, document_id, **extra)
    if is_htmx(request):
        return page(request, "console/reviews/_panel.html", context, status=status)
    if status == 200 and request.method == "POST":
        return redirect("console:review_detail", document_id=document_id)
    context["candidate_url"] = _candidate_url(context["document"])
    return page(request, "console/reviews/detail.html", context, status=status)


@console_view(write=None)
def review_detail(request, document_id: int):
    return _panel(request, document_id)


@console_view(write=None)
def review_result(request, document_id: int, result_id: int):
    """通过 / 不通过 (a reason is required to fail) and an optional final score."""
    if request.method != "POST":
        return redirect("console:review_detail", document_id=document_id)
    errors, status = FormErrors(), 422
    verdict = request.POST.get("result", "")
    reason = request.POST.get("message", "").strip()
    data = {"result": verdict, "message": reason, "edit_audit_status": 1}
    raw_score = request.POST.get("final_score", "").strip()
    if raw_score:
        try:
            data["final_score"] = float(raw_score)
        except ValueError:
            errors.add("final_score", _("Enter a number."))
    if request.POST.get("version", "").isdigit():
        data["version"] = int(request.POST["version"])
    if verdict == "fail" and not reason:
        errors.add("message", _("Give the reason why the criterion fails."))
    if not errors:
        try:
            payload = ReviewIn.model_validate(data)
            changes = {
                name: getattr(payload, name)
                for name in ("result", "message", "final_score")
                if name in payload.model_fields_set
            }
            services.review_result(
                user=request.user,
                result_id=result_id,
                changes=changes,
                edit_audit_status=payload.edit_audit_status,
                audit_message=reason[:255],
                expected_version=payload.version,
            )
        except PydanticValidationError as exc:
            errors.add_pydantic(exc)
        except ApiError as exc:
            if exc.status in (403, 404):
                raise
            errors.add_api_error(exc)
            status = exc.status
    if errors:
        return _panel(
            request,
            document_id,
            status=status,
            result_errors={result_id: errors},
            typed={result_id: {"message": reason, "final_score": raw_score}},
        )
    return _panel(request, document_id)


@console_view(write=None)
def review_confirm(request, document_id: int):
    """确认完成 (freeze the human-checked score), or reopen with a reason."""
    if request.method != "POST":
        return redirect("console:review_detail", document_id=document_id)
    version = request.POST.get("version", "")
    expected = int(version) if version.isdigit() else None
    try:
        if request.POST.get("action") == "reopen":
            reason = request.POST.get("reason", "").strip()
            if not reason:
                return _panel(
                    request,
                    document_id,
                    status=422,
                    panel_errors=[_("Give the reason for reopening.")],
                )
            services.reopen_document(
                user=request.user,
                document_id=document_id,
                reason=reason[:500],
                expected_version=expected,
            )
        else:
            services.confirm_document(
                user=request.user, document_id=document_id, expected_version=expected
            )
    except ApiError as exc:
        if exc.status in (403, 404):
            raise
        return _panel(request, document_id, status=exc.status, panel_errors=[exc.message])
    return _panel(request, document_id)
