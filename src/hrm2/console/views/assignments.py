"""Review assignment in the console: the review queue (what waits for me), assigning reviewers
to a screening job's, a group's or listed documents, and the workload per reviewer.

A reviewer's work reaches them through cross-review tasks: HR assigns reviewers here, the audit
module records it (``audit.services.assign_reviewers``), and the queue lists the documents
assigned to the reviewer plus those they uploaded. Scopes are resolved to audit documents by the
screening app (``screening.selectors``), since audit never imports it.
"""

import uuid

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hrm2.accounts import selectors as account_selectors
from hrm2.api.auth import Role, has_role
from hrm2.api.errors import ApiError, Forbidden
from hrm2.audit import selectors as audit_selectors
from hrm2.audit.models import AuditState
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    page,
    paginate,
    query_without,
    safe_next,
)
from hrm2.resumes.vocabulary import RECOMMENDATIONS, label
from hrm2.screening import selectors as screening_selectors
from hrm2.screening import services as screening_services

ASSIGNERS = (Role.HR,)  # hr and admin
STATES = {"pending": AuditState.PENDING, "confirmed": AuditState.CONFIRMED, "all": None}


def _names(user_ids) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=[i for i in user_ids if i])
    return {u.pk: account_selectors.display_name(u) for u in users}


def _queue_rows(user, documents) -> list[dict]:
    ids = [d.pk for d in documents]
    summaries = screening_selectors.report_summaries(document_ids=ids)
    assigned = audit_selectors.assignment_details(user=user, document_ids=ids)
    names = _names({a["assigned_by_id"] for a in assigned.values()})
    rows = []
    for document in documents:
        summary = summaries.get(document.pk, {})
        assignment = assigned.get(document.pk)
        score = summary.get("score", document.machine_total)
        rows.append(
            {
                "document": document,
                "candidate": summary.get("candidate") or document.title or f"#{document.pk}",
                "position": summary.get("position", ""),
                "recommendation": label(RECOMMENDATIONS, summary.get("recommendation")),
                "score": score,
                # Once confirmed, the reviewer's decision (same overall, reviewer's verdicts).
                "decision": label(RECOMMENDATIONS, document.final_outcome)
                if document.is_confirmed and document.final_outcome
                else "",
                "assignment": assignment,
                "assigned_by": (
                    names.get(assignment["assigned_by_id"]) or assignment["assigned_by_name"]
                )
                if assignment
                else "",
                "uploaded_by_me": document.uploader_id == user.pk,
            }
        )
    return rows


@console_view(write=None)
def review_queue(request):
    """What waits for me: documents assigned to me (cross-review tasks) or uploaded by me."""
    user = request.user
    state = request.GET.get("state", "pending")
    if state not in STATES:
        state = "pending"
    source = request.GET.get("source", "all")
    if source not in audit_selectors.QUEUE_SOURCES:
        source = "all"
    documents = audit_selectors.queue_documents(
        user=user, source=source, audit_status=STATES[state]
    )
    page_obj = paginate(request, documents)
    return page(
        request,
        "console/assignments/queue.html",
        {
            "page_obj": page_obj,
            "rows": _queue_rows(user, list(page_obj.object_list)),
            "state": state,
            "source": source,
            "counts": audit_selectors.queue_counts(user=user, source=source),
            "assigned_counts": audit_selectors.queue_counts(user=user, source="assigned"),
            "can_assign": has_role(user, *ASSIGNERS),
            "query": query_without(request, "page"),
        },
    )


MAX_ID = 2**63 - 1


def _int_list(values) -> list[int]:
    """Positive database ids from form values; anything else is dropped."""
    ids = [int(v) for v in values if str(v).strip().isdigit() and len(str(v).strip()) < 20]
    return [i for i in ids if 1 <= i <= MAX_ID]


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


@console_view(read=ASSIGNERS, write=ASSIGNERS)
def assign(request):
    """POST from ``console/assignments/_assign_form.html``: reviewers and one scope."""
    back = safe_next(request, reverse("console:assignment_workload"))
    if request.method != "POST":
        return redirect(back)
    scope = request.POST.get("scope", "")
    reviewer_ids = _int_list(request.POST.getlist("reviewer_ids"))
    arguments: dict = {}
    if scope == "job" and _uuid(request.POST.get("job_id", "")):
        arguments["screening_task_id"] = _uuid(request.POST["job_id"])
    elif scope == "group" and _uuid(request.POST.get("group_id", "")):
        arguments["group_id"] = _uuid(request.POST["group_id"])
    elif scope == "documents" and _int_list(request.POST.getlist("document_ids")):
        arguments["document_ids"] = _int_list(request.POST.getlist("document_ids"))
    else:
        messages.error(request, _("Nothing to assign: the form did not say which documents."))
        return redirect(back)
    errors = FormErrors()
    try:
        outcome = screening_services.assign_for_review(
            user=request.user, reviewer_ids=reviewer_ids, **arguments
        )
    except Forbidden:
        raise
    except ApiError as exc:
        errors.add_api_error(exc)
    else:
        names = "、".join(account_selectors.display_name(u) for u in outcome.reviewers)
        count = len(outcome.document_ids)
        if outcome.added_reviewer_ids or outcome.added_document_ids:
            messages.success(
                request,
                ngettext(
                    "Assigned %(count)s document to %(names)s.",
                    "Assigned %(count)s documents to %(names)s.",
                    count,
                )
                % {"count": count, "names": names},
            )
        else:
            messages.info(
                request,
                _("%(names)s already had these documents; nothing changed.") % {"names": names},
            )
        return redirect(back)
    for message in errors.messages():
        messages.error(request, message)
    return redirect(back)


@console_view(read=ASSIGNERS)
def workload(request):
    """审核分配: per reviewer, the assigned documents that wait and those completed."""
    search = request.GET.get("search", "").strip()[:100]
    people = list(account_selectors.assignable_users(search=search or None))
    counts = audit_selectors.reviewer_workload(user_ids=[u.pk for u in people])
    rows = [
        {
            "user": person,
            "name": account_selectors.display_name(person),
            "role_label": account_selectors.role_label(person),
            "pending": counts.get(person.pk, {}).get("pending", 0),
            "confirmed": counts.get(person.pk, {}).get("confirmed", 0),
        }
        for person in people
    ]
    rows.sort(key=lambda r: (-r["pending"], -r["confirmed"], r["name"]))
    selected = None
    reviewer = request.GET.get("reviewer", "")
    if reviewer.isdigit():
        selected = next((r for r in rows if r["user"].pk == int(reviewer)), None)
    context = {
        "rows": rows,
        "search": search,
        "selected": selected,
        "total_pending": sum(r["pending"] for r in rows),
    }
    if selected is not None:
        state = request.GET.get("state", "pending")
        if state not in STATES:
            state = "pending"
        # Only what the viewer may see themselves (an admin sees all).
        visible = audit_selectors.visible_documents(user=request.user).values("pk")
        documents = audit_selectors.queue_documents(
            user=selected["user"], source="assigned", audit_status=STATES[state]
        ).filter(pk__in=visible)
        page_obj = paginate(request, documents)
        context.update(
            {
                "state": state,
                "page_obj": page_obj,
                "detail_rows": _queue_rows(selected["user"], list(page_obj.object_list)),
                "query": query_without(request, "page"),
            }
        )
    return page(request, "console/assignments/workload.html", context)
