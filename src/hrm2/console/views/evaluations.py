"""Group evaluation (the final recommendation): start it from the group page, watch its progress
(htmx polling), the ranking with ties and a bar chart of the final scores, each candidate's
dimension scores, and the report downloads.

Reads follow the recommend module's group access rule (its selectors raise 403); starting needs
``hr``. Downloads serve only report files registered for the evaluation, looked up by the
evaluation's id and a format from a fixed list: nothing from the request becomes a path.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.ai.recommend import coverage_text
from hrm2.ai.recommend import label as recommend_label
from hrm2.api.downloads import attachment
from hrm2.api.errors import ApiError, NotFound
from hrm2.console.presenters import bar_chart, dimension_matrix
from hrm2.console.views.common import FormErrors, console_view, is_htmx, page, paginate
from hrm2.recommend import selectors, services
from hrm2.recommend.models import ReportFile
from hrm2.recommend.schemas import EvaluationIn


@console_view()
def evaluation_start(request, group_id):
    if request.method != "POST":
        return redirect("console:group_detail", group_id=group_id)
    errors = FormErrors()
    try:
        evaluation = services.submit_evaluation(
            data=EvaluationIn.model_validate(
                {"group_id": group_id, "include_video": request.POST.get("include_video") == "true"}
            ),
            user=request.user,
            language=translation.get_language() or "zh-hans",
        )
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
    except ApiError as exc:
        if exc.status == 404:
            raise
        errors.add_api_error(exc)
    else:
        messages.success(request, _("Group evaluation started; it runs in the background"))
        return redirect("console:evaluation_detail", evaluation_id=evaluation.pk)
    for message in errors.messages():
        messages.error(request, message)
    return redirect("console:group_detail", group_id=group_id)


def _in_words(entry: dict, coverage: dict) -> dict:
    """A ranking entry with its level and evidence in the reader's language (the stored
    words are in the evaluation's)."""
    language = translation.get_language() or "zh-hans"
    covered = coverage.get(entry["candidate_id"]) or {}
    words = {**entry, "partial": bool(covered.get("missing"))}
    if entry.get("level"):
        words["level_label"] = recommend_label(entry["level"], language)
    if "sources" in covered:
        words["coverage"] = coverage_text(
            covered["sources"], covered.get("missing", []), covered.get("confirmed", []), language
        )
    return words


def _context(request, evaluation_id) -> dict:
    evaluation = selectors.get_evaluation(
        evaluation_id=evaluation_id, user=request.user, detail=True
    )
    rows = evaluation.candidate_rows
    result = evaluation.result or {}
    columns, matrix = dimension_matrix(rows)
    coverage = {
        str(r.result.get("candidate_id")): r.result.get("coverage") or {} for r in rows if r.result
    }
    context = {
        "evaluation": evaluation,
        "job": evaluation.job,
        "group": evaluation.group,
        "counts": services.status_counts(evaluation),
        "result": evaluation.result,
        "columns": columns,
        "matrix": matrix,
        "reports": list(evaluation.report_files.all()),
        "ranking": [_in_words(entry, coverage) for entry in result.get("ranking") or []],
        "unranked": [_in_words(entry, coverage) for entry in result.get("unranked") or []],
    }
    if result.get("ranking"):
        context["score_chart"] = bar_chart(
            [(entry["name"], entry["final_score"], 100) for entry in result["ranking"]]
        )
    return context


@console_view()
def evaluation_detail(request, evaluation_id):
    return page(request, "console/evaluations/detail.html", _context(request, evaluation_id))


@console_view()
def evaluation_progress(request, evaluation_id):
    """The fragment htmx polls; once the job has finished the page reloads with the results."""
    context = _context(request, evaluation_id)
    response = page(request, "console/evaluations/_progress.html", context)
    if is_htmx(request) and context["job"].is_finished:
        response["HX-Refresh"] = "true"
    return response


@console_view()
def evaluation_report(request, evaluation_id, fmt):
    """A registered report file of the evaluation, checked against its stored hash."""
    if fmt not in ReportFile.Format.values:
        raise NotFound(_("Report not found"))
    report = selectors.report_file_for(
        evaluation_or_report_id=evaluation_id, fmt=fmt, user=request.user
    )
    if report.evaluation_id != evaluation_id:  # the id of a report file, not an evaluation
        raise NotFound(_("Report not found"))
    return attachment(services.export_report(report))


def group_evaluations(request, group) -> dict:
    """The evaluations of a group for its page, or why they are hidden from this user."""
    try:
        evaluations = selectors.evaluation_list(user=request.user, group_id=group.pk)
    except ApiError as exc:
        return {"evaluations_denied": exc.message}
    return {"evaluations": paginate(request, evaluations, param="epage", per_page=10)}
