"""Small template helpers of the console: field errors, dictionary lookups, times as people read
them (:func:`hrm2.documents.reports.local_time`, as in the reports) and the words for codes,
each from the vocabulary of the app that owns the code (``hrm2.<app>.vocabulary``)."""

from django import template

from hrm2.accounts.selectors import display_name
from hrm2.ai.vocabulary import education_label, engine_label
from hrm2.audit.vocabulary import review_state, review_state_label
from hrm2.documents.reports import local_time as format_local_time
from hrm2.positions.vocabulary import weight_label
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
def engine_word(code: str | None) -> str:
    """``{{ report.engine|engine_word }}`` → 内置引擎（离线） (never ``embedded``)."""
    return engine_label(code)


@register.filter
def review_state_word(document_or_code) -> str:
    """``{{ document|review_state_word }}`` or ``{{ "pending"|review_state_word }}`` → 待审核."""
    if not isinstance(document_or_code, str) and document_or_code is not None:
        document_or_code = review_state(document_or_code)
    return review_state_label(document_or_code)


@register.filter
def weight_word(name: str | None) -> str:
    """``{{ "skills"|weight_word }}`` → 技能."""
    return weight_label(name)


@register.filter
def education_word(level: str | None) -> str:
    """``{{ "本科"|education_word }}`` → 本科, or "bachelor's degree" in English."""
    return education_label(level or "")


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
