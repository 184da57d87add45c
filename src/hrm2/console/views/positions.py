"""Positions: list, create and edit the criteria (validated by the API's schema and saved by
its service), archive and restore, and the criteria version history (every field of each
version and what changed from the one before, :mod:`hrm2.positions.history`)."""

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect
from pydantic import ValidationError as PydanticValidationError

from hrm2.ai.criteria import matching_plan
from hrm2.api.errors import ApiError
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    page,
    paginate,
    query_without,
)
from hrm2.positions import history, selectors, services
from hrm2.positions.schemas import CriteriaIn, CriteriaPatch
from hrm2.positions.vocabulary import WEIGHTS, education_choices

WEIGHT_NAMES = tuple(WEIGHTS)
HISTORY_PAGE_SIZE = 10
RECENT_VERSIONS = 5  # the latest versions listed on the position page
LIST_FIELDS = ("required_skills", "optional_skills", "certifications")


def _terms(raw: str) -> list[str]:
    """One term per line or comma (both ASCII and Chinese commas)."""
    return [t for t in raw.replace("，", ",").replace("\n", ",").split(",") if t.strip()]


def _number(form, name: str) -> str | None:
    """A number field as typed, None when empty: the schema parses it, so a word typed into a
    number field is reported with every other error at once."""
    return form.get(name, "").strip() or None


def criteria_from_form(form) -> dict[str, Any]:
    """The form's fields as the criteria JSON of the API (the schema validates it after)."""
    project: dict[str, Any] = {
        "team_lead_experience": form.get("project_requirements.team_lead_experience") == "on",
    }
    min_projects = _number(form, "project_requirements.min_projects")
    if min_projects is not None:
        project["min_projects"] = min_projects
    data: dict[str, Any] = {
        "position": form.get("position", ""),
        "department": form.get("department", ""),
        "description": form.get("description", ""),
        "education": form.getlist("education"),
        "project_requirements": project,
    }
    for name in LIST_FIELDS:
        data[name] = _terms(form.get(name, ""))
    min_experience = _number(form, "min_experience")
    if min_experience is not None:
        data["min_experience"] = min_experience
    low, high = _number(form, "salary_min"), _number(form, "salary_max")
    if low is not None or high is not None:
        data["salary_range"] = [low or 0, high or 0]
    weights = {name: _number(form, f"weights.{name}") for name in WEIGHT_NAMES}
    if any(v is not None for v in weights.values()):
        data["weights"] = weights
    return data


def form_from_criteria(criteria: dict[str, Any]) -> dict[str, Any]:
    """What the form shows for stored criteria (the inverse of ``criteria_from_form``)."""
    salary = criteria.get("salary_range") or [None, None]
    project = criteria.get("project_requirements") or {}
    weights = criteria.get("weights") or {}
    values = {
        "position": criteria.get("position", ""),
        "department": criteria.get("department", ""),
        "description": criteria.get("description", ""),
        "education": criteria.get("education", []),
        "min_experience": criteria.get("min_experience", 0),
        "salary_min": "" if salary[0] is None else salary[0],
        "salary_max": "" if salary[1] is None else salary[1],
        "project_requirements.min_projects": project.get("min_projects", 0),
        "project_requirements.team_lead_experience": project.get("team_lead_experience", False),
    }
    for name in LIST_FIELDS:
        values[name] = "\n".join(criteria.get(name, []))
    for name in WEIGHT_NAMES:
        value = weights.get(name)
        values[f"weights.{name}"] = "" if value is None else value
    return values


def _typed_values(form) -> dict[str, Any]:
    """What the user typed, to show it again next to the errors (nothing is lost)."""
    values = {key: form.get(key, "") for key in form}
    values["education"] = form.getlist("education")
    values["project_requirements.team_lead_experience"] = (
        form.get("project_requirements.team_lead_experience") == "on"
    )
    return values


@console_view()
def position_list(request):
    status = request.GET.get("status", "active")
    is_active = {"active": True, "archived": False}.get(status)
    keyword = request.GET.get("keyword", "").strip()[:200]
    positions = selectors.position_list(is_active=is_active, keyword=keyword or None)
    return page(
        request,
        "console/positions/list.html",
        {
            "page_obj": paginate(request, positions),
            "status": status,
            "keyword": keyword,
            "query": query_without(request, "page"),
        },
    )


def _save(request, position=None):
    errors = FormErrors()
    data = criteria_from_form(request.POST)
    if position is not None:
        data["id"] = str(position.pk)
    try:
        criteria = CriteriaIn.model_validate(data)
        saved, _created = services.save_criteria(criteria=criteria, user=request.user)
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
    except ApiError as exc:
        errors.add_api_error(exc)
    else:
        return redirect("console:position_detail", position_id=saved.pk)
    return errors


@console_view()
def position_create(request):
    errors, values = FormErrors(), form_from_criteria({})
    if request.method == "POST":
        outcome = _save(request)
        if not isinstance(outcome, FormErrors):
            return outcome
        errors, values = outcome, _typed_values(request.POST)
    return page(
        request,
        "console/positions/form.html",
        {
            "errors": errors,
            "values": values,
            "education_levels": education_choices(),
            "weight_names": WEIGHT_NAMES,
        },
        status=422 if errors else 200,
    )


@console_view()
def position_detail(request, position_id):
    position = selectors.get_position(position_id=position_id)
    errors, values = FormErrors(), form_from_criteria(position.latest_version.criteria)
    if request.method == "POST":
        outcome = _save(request, position)
        if not isinstance(outcome, FormErrors):
            return outcome
        errors, values = outcome, _typed_values(request.POST)
    versions = selectors.criteria_versions(position=position)
    recent = list(versions[: RECENT_VERSIONS + 1])
    matching = matching_plan(position.latest_version.criteria, request.LANGUAGE_CODE or "zh-hans")
    return page(
        request,
        "console/positions/detail.html",
        {
            "position": position,
            "errors": errors,
            "values": values,
            "education_levels": education_choices(),
            "weight_names": WEIGHT_NAMES,
            "recent_versions": history.version_views(
                recent[:RECENT_VERSIONS],
                recent[RECENT_VERSIONS] if len(recent) > RECENT_VERSIONS else None,
            ),
            "version_count": position.latest_version.number,
            "separator": history.separator(),
            "matching": matching,
            "matching_loose": any(item["loose"] for item in matching),
        },
        status=422 if errors else 200,
    )


@console_view()
def position_history(request, position_id):
    """Every version of the criteria, newest first: all its fields and what changed."""
    position = selectors.get_position(position_id=position_id)
    versions = paginate(
        request,
        selectors.criteria_versions(position=position),
        param="vpage",
        per_page=HISTORY_PAGE_SIZE,
    )
    shown = list(versions.object_list)
    previous = (
        selectors.criteria_version_before(position=position, number=shown[-1].number)
        if shown
        else None
    )
    return page(
        request,
        "console/positions/history.html",
        {
            "position": position,
            "versions": versions,
            "views": history.version_views(shown, previous),
            "separator": history.separator(),
        },
    )


@console_view()
def position_archive(request, position_id):
    """POST only: archive, or restore with ``restore=1`` (the API's PATCH is_active: true)."""
    position = selectors.get_position(position_id=position_id)
    if request.method == "POST":
        try:
            if request.POST.get("restore"):
                services.update_criteria(
                    position=position, patch=CriteriaPatch(is_active=True), user=request.user
                )
            else:
                services.archive(position=position, user=request.user)
        except ApiError as exc:
            messages.error(request, exc.message)
    return redirect("console:position_detail", position_id=position.pk)
