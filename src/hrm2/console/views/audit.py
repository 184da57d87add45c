"""The audit panel (seed 002's flow) and the review queue: per criterion the machine verdict,
pass / fail with a reason, a final score, confirm and reopen, and the audit history.

Access is the audit module's own rule (uploader, cross-review participant, or admin), checked
by its selectors and services for every document and result id.
"""

from dataclasses import dataclass

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.errors import ApiError
from hrm2.api.validation_messages import error_sentence
from hrm2.audit import history, selectors, services
from hrm2.audit.models import Document, EvaluationResult
from hrm2.audit.schemas import ReviewIn
from hrm2.console.presenters import evidence_segments
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    is_htmx,
    page,
    paginate,
)
from hrm2.resumes.vocabulary import VERDICTS, label
from hrm2.screening import review as screening_review

HISTORY_SIZE = 10

# The engine's own verdict (``machine_verdict``; older documents only have the pass/fail
# ``machine_result``): its sort rank — what the engine could not tell first — and its colour.
# The words are the screening vocabulary's (hrm2.resumes.vocabulary.VERDICTS).
MACHINE_VERDICTS = {
    "unknown": (0, "unknown"),
    "fail": (1, "bad"),
    "partial": (2, "warn"),
    "pass": (2, "ok"),
}


def _denied() -> str:
    return _("You may not view this document")


@dataclass
class ReviewRow:
    """One evaluation point as the review page shows it."""

    result: EvaluationResult
    name: str  # the point as the reader reads it (screening points: in the active language)
    verdict_word: str
    verdict_css: str
    rank: int
    evidence: list[dict]  # the spans, highlighted in the resume
    quotes: list[str]  # their distinct quotes, listed in the row

    @property
    def pk(self) -> int:
        return self.result.pk

    @property
    def reviewed(self) -> bool:
        return self.result.status == EvaluationResult.Status.REVIEWED


def review_rows(results: list[EvaluationResult]) -> list[ReviewRow]:
    """Unknown first, then failed, then the rest (each group in checklist order)."""
    rows = []
    for result in results:
        code = result.machine_verdict or result.machine_result
        if code not in MACHINE_VERDICTS:
            code = result.machine_result
        rank, css = MACHINE_VERDICTS[code]
        if code == "partial" and result.machine_result == "fail":
            rank = 1  # a partial match that failed counts with the failures
        evidence = (result.extracted_results or {}).get("evidence") or []
        evidence = [e for e in evidence if isinstance(e, dict) and e.get("quote")]
        rows.append(
            ReviewRow(
                result=result,
                name=result.point.name,
                verdict_word=label(VERDICTS, code),
                verdict_css=css,
                rank=rank,
                evidence=evidence,
                quotes=list(dict.fromkeys(str(e["quote"]) for e in evidence)),
            )
        )
    rows.sort(key=lambda row: row.rank)  # stable: checklist order within a group
    return rows


def _focus(rows: list[ReviewRow], wanted: str | int | None, after: int | None = None) -> int | None:
    """The point in focus: the one asked for, else the next unreviewed one (after ``after``,
    wrapping round), else the first."""
    ids = [row.pk for row in rows]
    if wanted is not None and str(wanted).isdigit() and int(wanted) in ids:
        return int(wanted)
    if not rows:
        return None
    start = ids.index(after) + 1 if after in ids else 0
    ordered = rows[start:] + rows[:start]
    for row in ordered:
        if not row.reviewed:
            return row.pk
    return after if after in ids else ids[0]


def audit_panel_context(request, document_id: int, **extra) -> dict:
    document = selectors.document_for(user=request.user, document_id=document_id, denied=_denied())
    events = selectors.document_history(document=document).order_by("-created_at", "-id")
    history_page = paginate(request, events, param="hpage", per_page=HISTORY_SIZE)
    rows = review_rows(selectors.document_results(document=document))
    if document.kind == screening_review.AUDIT_KIND:
        for row in rows:
            row.name = screening_review.point_label(row.result.point)
    focus = _focus(
        rows, extra.pop("focus", None) or request.GET.get("focus"), extra.pop("after", None)
    )
    return {
        "document": document,
        "audit_results": [row.result for row in rows],
        "rows": rows,
        "focus": focus,
        "remaining": sum(1 for row in rows if not row.reviewed),
        "history": history_page,
        "history_lines": history.describe(history_page.object_list),
        "result_errors": {},
        "panel_errors": [],
        **extra,
    }


def _screened_resume(document: Document):
    """The resume a screening document judged (its source is a ScreeningReport), or None.

    The one place the review pages reach into the screening app: the audit app itself never
    imports its producers."""
    if not (document.source_type and document.source_type.model == "screeningreport"):
        return None
    from hrm2.screening.models import ScreeningReport

    report = (
        ScreeningReport.objects.select_related("resume")
        .only("resume__id", "resume__content", "resume__candidate_name")
        .filter(pk=document.source_id)
        .first()
    )
    return report.resume if report else None


def _resume_segments(text: str, rows: list[ReviewRow], focus: int | None) -> list[dict]:
    """The resume cut at every evidence boundary; each piece knows the points citing it."""
    pieces = evidence_segments(text, [{"evidence": row.evidence} for row in rows])
    segments = []
    for piece in pieces:
        ids = [rows[i].pk for i in piece.criteria]
        segments.append({"text": piece.text, "ids": " ".join(map(str, ids)), "focus": focus in ids})
    first = next((s for s in segments if s["focus"]), None)
    if first:
        first["first"] = True
    return segments


def _detail_url(document_id: int, focus: int | None) -> str:
    url = reverse("console:review_detail", args=[document_id])
    return f"{url}?focus={focus}#point-{focus}" if focus else url


def _panel(request, document_id: int, status: int = 200, **extra):
    """The panel alone for htmx; a full page (the review page) otherwise."""
    context = audit_panel_context(request, document_id, **extra)
    if is_htmx(request):
        return page(request, "console/reviews/_panel.html", context, status=status)
    if status == 200 and request.method == "POST":
        return redirect(_detail_url(document_id, context["focus"]))
    resume = _screened_resume(context["document"])
    if resume is not None:
        context["candidate_url"] = reverse("console:resume_detail", args=[resume.pk])
        context["segments"] = _resume_segments(resume.content, context["rows"], context["focus"])
    return page(request, "console/reviews/detail.html", context, status=status)


@console_view(write=None)
def review_detail(request, document_id: int):
    return _panel(request, document_id)


@console_view(write=None)
def review_result(request, document_id: int, result_id: int):
    """通过 / 不通过 (a reason is required to fail) and an optional final score."""
    if request.method != "POST":
        return redirect(_detail_url(document_id, result_id))
    errors, status = FormErrors(), 422
    verdict = request.POST.get("result", "")
    reason = request.POST.get("message", "").strip()
    data = {"result": verdict, "message": reason, "edit_audit_status": 1}
    raw_score = request.POST.get("final_score", "").strip()
    if raw_score:
        try:  # ReviewIn takes numbers only (strict, as the seed's JSON)
            data["final_score"] = float(raw_score)
        except ValueError:
            errors.add(
                "final_score", error_sentence({"type": "float_parsing", "loc": ["final_score"]})
            )
    if request.POST.get("version", "").isdigit():
        data["version"] = int(request.POST["version"])
    if verdict == "fail" and not reason:
        errors.add("message", _("Give the reason why the criterion fails."))
    try:
        payload = ReviewIn.model_validate(data)
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
    if not errors:
        try:
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
            focus=result_id,
            result_errors={result_id: errors},
            typed={result_id: {"message": reason, "final_score": raw_score}},
        )
    return _panel(request, document_id, after=result_id)


@console_view(write=None)
def review_pass_remaining(request, document_id: int):
    """全部通过: every point no person has reviewed yet, after a confirmation step (GET shows
    what would pass; the POST must carry ``confirm=1``)."""
    if request.method == "POST" and request.POST.get("confirm") == "1":
        version = request.POST.get("version", "")
        try:
            services.pass_remaining(
                user=request.user,
                document_id=document_id,
                expected_version=int(version) if version.isdigit() else None,
            )
        except ApiError as exc:
            if exc.status in (403, 404):
                raise
            return _panel(request, document_id, status=exc.status, panel_errors=[exc.message])
        return _panel(request, document_id)
    context = audit_panel_context(request, document_id)
    context["pending_rows"] = [row for row in context["rows"] if not row.reviewed]
    template = "console/reviews/_pass_remaining.html"
    if not is_htmx(request):
        template = "console/reviews/pass_remaining.html"
    return page(request, template, context)


@console_view(write=None)
def review_confirm(request, document_id: int):
    """Confirm the review (freeze the human-checked score), or reopen it with a reason."""
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
