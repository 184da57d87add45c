"""The words for the job codes a person sees: statuses and kinds.

Statuses are the job model's choices; kinds are named by the domain app that registers each
(``register(kind, label=...)`` in its ``tasks.py``), since this ground-floor app imports none.
"""

from hrm2.jobs import registry
from hrm2.jobs.models import Job

JOB_STATUSES = dict(Job.Status.choices)


def job_status_label(code: str | None) -> str:
    """``running`` → 运行中; an unknown status is shown as a dash, never as itself."""
    return str(JOB_STATUSES[code]) if code in JOB_STATUSES else "—"


def job_kind_label(kind: str | None) -> str:
    """``screening`` → 简历筛选 (the registering app's words); unknown → a dash."""
    words = registry.labels().get(kind or "")
    return "—" if words is None else str(words)
