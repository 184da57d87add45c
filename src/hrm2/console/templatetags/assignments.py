"""``{% assignment_form ... as form %}``: what the reviewer-assignment include needs.

Kept apart from the page views so any page can include ``console/assignments/_assign_form.html``
without preparing a context: the reviewers to choose from (by name and role), who is already
assigned in this scope, and how many screened documents the scope holds.
"""

from django import template

from hrm2.accounts import selectors as account_selectors
from hrm2.api.errors import ApiError
from hrm2.audit import selectors as audit_selectors
from hrm2.audit.services import assignment_description
from hrm2.screening import selectors as screening_selectors

register = template.Library()


def _ids(value) -> list[int]:
    if value in (None, ""):
        return []
    values = value if isinstance(value, list | tuple | set) else [value]
    ids = [int(v) for v in values if str(v).strip().isdigit() and len(str(v).strip()) < 20]
    return [i for i in ids if 1 <= i <= 2**63 - 1]


@register.simple_tag
def assignment_form(scope="documents", job_id=None, group_id=None, document_ids=None):
    ids = _ids(document_ids)
    try:
        if scope == "job" and job_id:
            resolved = screening_selectors.screening_task_scope(task_id=job_id)
        elif scope == "group" and group_id:
            resolved = screening_selectors.group_scope(group_id=group_id)
        else:
            scope = "documents"
            resolved = screening_selectors.documents_scope(document_ids=ids)
    except ApiError:
        return {"scope": scope, "reviewers": [], "document_count": 0, "document_ids": ids}
    assigned = set(
        audit_selectors.scope_reviewer_ids(description=assignment_description(resolved.key))
    )
    reviewers = [
        {
            "id": user.pk,
            "name": account_selectors.display_name(user),
            "role_label": account_selectors.role_label(user),
            "assigned": user.pk in assigned,
        }
        for user in account_selectors.assignable_users()
    ]
    return {
        "scope": scope,
        "job_id": job_id,
        "group_id": group_id,
        "document_ids": resolved.document_ids if scope == "documents" else ids,
        "document_count": len(resolved.document_ids),
        "reviewers": reviewers,
        "assigned_names": [r["name"] for r in reviewers if r["assigned"]],
    }


@register.filter
def role_label(code) -> str:
    """A role code in words (评审人, 管理员, ...)."""
    from hrm2.api.auth import Role

    return str(Role(code).label) if code in Role.values else (code or "")
