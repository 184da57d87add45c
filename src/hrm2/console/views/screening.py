"""Screening jobs: submit one for the selected resumes, watch its progress (htmx polling of a
fragment), the history of jobs."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.errors import ApiError
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    is_htmx,
    page,
    paginate,
    query_without,
    safe_next,
)
from hrm2.console.views.resumes import resume_list_with_errors
from hrm2.jobs.models import Job
from hrm2.screening import selectors, services
from hrm2.screening.schemas import ScreeningIn


@console_view()
def task_list(request):
    status = request.GET.get("status", "")
    if status not in Job.Status.values:
        status = ""
    tasks = selectors.task_history(status=status or None)
    return page(
        request,
        "console/screening/list.html",
        {
            "page_obj": paginate(request, tasks),
            "status": status,
            "statuses": Job.Status.choices,
            "query": query_without(request, "page"),
        },
    )


@console_view()
def task_submit(request):
    """POST from the resume list: the chosen position and the ticked resumes; on error the
    list again, with the resumes still ticked and the errors next to the fields."""
    if request.method != "POST":
        return redirect(safe_next(request, reverse("console:resume_list")))
    errors = FormErrors()
    data = {
        "position_id": request.POST.get("position_id") or None,
        "resume_data_ids": request.POST.getlist("resume_ids"),
    }
    try:
        task = services.submit_screening(
            data=ScreeningIn.model_validate(data),
            user=request.user,
            language=translation.get_language() or "zh-hans",
        )
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
    except ApiError as exc:
        errors.add_api_error(exc)
    else:
        messages.success(request, _("Screening task submitted; it runs in the background"))
        return redirect("console:task_detail", task_id=task.pk)
    return resume_list_with_errors(request, errors)


def _task_context(task_id) -> dict:
    task = selectors.get_task(task_id=task_id)
    return {
        "task": task,
        "job": task.job,
        "counts": services.status_counts(task),
        "reports": task.reports.select_related("resume").order_by("created_at", "id"),
    }


@console_view()
def task_detail(request, task_id):
    return page(request, "console/screening/detail.html", _task_context(task_id))


@console_view()
def task_progress(request, task_id):
    """The fragment htmx polls; it stops polling itself once the job has finished. The poll
    that sees the job finish reloads the page, so what depends on the results (the reviewer
    assignment form) appears without the user reloading."""
    context = _task_context(task_id)
    response = page(request, "console/screening/_progress.html", context)
    if is_htmx(request) and context["job"].is_finished:
        response["HX-Refresh"] = "true"
    return response


@console_view()
def task_cancel(request, task_id):
    if request.method == "POST":
        services.cancel_task(task=selectors.get_task(task_id=task_id))
        messages.info(request, _("Cancellation requested"))
    if is_htmx(request):
        return page(request, "console/screening/_progress.html", _task_context(task_id))
    return redirect("console:task_detail", task_id=task_id)
