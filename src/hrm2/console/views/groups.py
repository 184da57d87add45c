"""Resume groups: create from the ticked resumes, add and remove members, set the status."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.errors import ApiError
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    page,
    paginate,
    query_without,
    safe_next,
)
from hrm2.console.views.evaluations import group_evaluations
from hrm2.console.views.resumes import resume_list_with_errors
from hrm2.resumes import selectors, services
from hrm2.resumes.models import ResumeGroup
from hrm2.resumes.schemas import GroupCreateIn, GroupFilters, ResumeFilters


def _flash(request, errors: FormErrors) -> None:
    for message in errors.messages():
        messages.error(request, message)


@console_view()
def group_list(request):
    status = request.GET.get("status", "")
    if status not in ResumeGroup.Status.values:
        status = ""
    title = request.GET.get("position_title", "").strip()[:200]
    filters = GroupFilters.model_validate(
        {"status": status or None, "position_title": title or None}
    )
    return page(
        request,
        "console/groups/list.html",
        {
            "page_obj": paginate(request, selectors.group_list(filters=filters)),
            "status": status,
            "position_title": title,
            "statuses": ResumeGroup.Status.choices,
            "query": query_without(request, "page"),
        },
    )


@console_view()
def group_create(request):
    """POST from the resume list: a group of the ticked resumes; on error the list again."""
    if request.method != "POST":
        return redirect(safe_next(request, reverse("console:resume_list")))
    errors = FormErrors()
    try:
        payload = GroupCreateIn.model_validate(
            {
                "group_name": request.POST.get("group_name", ""),
                "description": request.POST.get("description", ""),
                "resume_data_ids": request.POST.getlist("resume_ids"),
            }
        )
        group = services.create_group(
            group_name=payload.group_name,
            description=payload.description,
            resume_ids=payload.resume_data_ids,
            user=request.user,
        )
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
    except ApiError as exc:
        errors.add_api_error(exc)
    else:
        messages.success(request, _("Resume group created"))
        return redirect("console:group_detail", group_id=group.pk)
    return resume_list_with_errors(request, errors)


@console_view()
def group_detail(request, group_id):
    group = selectors.get_group(group_id=group_id)
    if request.method == "POST":
        errors = FormErrors()
        action = request.POST.get("action")
        try:
            if action == "status":
                status = request.POST.get("status", "")
                if status not in ResumeGroup.Status.values:
                    errors.add("status", _("Unknown status"))
                else:
                    services.set_group_status(group=group, status=status)
            elif action in ("add", "remove"):
                change = services.add_resume if action == "add" else services.remove_resume
                change(group=group, resume_id=_uuid(request.POST.get("resume_id", "")))
        except (ApiError, ValueError) as exc:
            if isinstance(exc, ApiError):
                errors.add_api_error(exc)
            else:
                errors.add("resume_id", _("Choose a resume."))
        if errors:
            _flash(request, errors)
        else:
            messages.success(request, _("Resume group updated"))
        return redirect("console:group_detail", group_id=group.pk)
    members = selectors.resume_list(filters=ResumeFilters(group_id=group.pk))
    candidates = [
        r
        for r in selectors.resume_list(filters=ResumeFilters(position_id=group.position_id))[:200]
        if r["group_id"] is None
    ]
    return page(
        request,
        "console/groups/detail.html",
        {
            "group": group,
            "members": paginate(request, members),
            "candidates": candidates,
            "statuses": ResumeGroup.Status.choices,
            **group_evaluations(request, group),
        },
    )


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)
