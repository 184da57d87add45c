"""Small template helpers of the console: field errors, dictionary lookups, times as people read
them (:func:`hrm2.documents.reports.local_time`, as in the reports) and the words for screening
codes (from :mod:`hrm2.resumes.vocabulary`)."""

from django import template

from hrm2.accounts.selectors import display_name
from hrm2.documents.reports import local_time as format_local_time
from hrm2.resumes.vocabulary import RECOMMENDATIONS, label

register = template.Library()


@register.filter
def field_errors(errors, name: str) -> list[str]:
    """``{{ errors|field_errors:"salary_range" }}``: the messages for one form field."""
    return errors.get(name) if errors else []


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def local_time(value, part: str = "") -> str:
    """``{{ resume.created_at|local_time }}`` → 2026-12-04 17:23 in the server's zone;
    ``|local_time:"date"`` → 2026-12-04."""
    return format_local_time(value, date_only=part == "date")


@register.filter
def percent(value, maximum=100) -> float:
    try:
        return max(0.0, min(100.0, float(value) / float(maximum) * 100)) if maximum else 0.0
    except (TypeError, ValueError):
        return 0.0


@register.filter
def recommendation_word(code: str | None) -> str:
    """``{{ resume.decision_recommendation|recommendation_word }}`` → 推荐面试 (never the code)."""
    return label(RECOMMENDATIONS, code)


@register.filter
def linked_video(resume):
    """``{{ resume|linked_video }}``: the video linked to a resume, or None (one query)."""
    from hrm2.videos import selectors as video_selectors

    return video_selectors.linked_video(resume=resume) if resume is not None else None


@register.filter
def linkable_videos(resume) -> list:
    """``{{ resume|linkable_videos }}``: unlinked videos of the resume's position (one query);
    used by the reusable include ``console/videos/_link_form.html``."""
    from hrm2.videos import selectors as video_selectors

    return list(video_selectors.linkable_videos(resume=resume)[:100]) if resume is not None else []


@register.filter
def person(user) -> str:
    """``{{ result.reviewed_by|person }}``: the name people see (display_name)."""
    return display_name(user) if user is not None else "—"
