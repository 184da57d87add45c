"""Interview videos: upload with the candidate's consent (htmx upload progress), the filtered
list, the status page (live while the analysis runs), the fraud-signal timeline, the Big Five
impressions with their limits, machine values beside reviewed ones, and the reviewer's
correction form.

Linking a video to a candidate (a resume of the same position) and unlinking it: from the video
page (choose the candidate by name) or from the candidate page through the reusable include
``console/videos/_link_form.html`` (see its header); both post to :func:`video_link` /
:func:`video_unlink`, which call the same services as the API's link endpoints.

Who may do what is the API's rule: everyone signed in reads, ``hr`` uploads, re-analyses, links
and unlinks, ``reviewer`` and ``hr`` correct.
"""

import uuid

from django.contrib import messages
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from pydantic import ValidationError as PydanticValidationError

from hrm2.api.auth import Role, has_role
from hrm2.api.errors import ApiError, Forbidden, NotFound, collect_validation, validated
from hrm2.api.field_labels import field_label
from hrm2.console.presenters import TraitChart, signal_timeline, trait_rows
from hrm2.console.views.common import (
    FormErrors,
    console_view,
    error_page,
    is_htmx,
    page,
    paginate,
    query_without,
    safe_next,
)
from hrm2.resumes import selectors as resume_selectors
from hrm2.videos import selectors, services, streaming, uploads
from hrm2.videos.models import CORRECTABLE_FIELDS, SCORE_FIELDS, VideoAnalysis
from hrm2.videos.schemas import UploadFormIn, VideoFilters, VideoUpdateIn

REVIEWERS = (Role.REVIEWER, Role.HR)  # the API's REVIEWERS of /video-analysis/<id>/update/
FILTER_NAMES = ("candidate_name", "position_applied", "status")
UPLOAD_FIELDS = ("candidate_name", "position_applied", "video_name", "resume_data_id")
SIGNAL_LABELS = {
    "multiple_faces": gettext_lazy("More than one face in the frame"),
    "second_voice": gettext_lazy("A possible second voice"),
    "no_face_while_speaking": gettext_lazy("Speech while no face is visible"),
    "reading_cadence": gettext_lazy("Reading cadence"),
    "duration_mismatch": gettext_lazy("Audio and video durations disagree"),
    "gaze_away": gettext_lazy("Gaze away from the screen"),
    "silent_face": gettext_lazy("Face present, long silence"),
}
TRAIT_LABELS = {
    "openness": gettext_lazy("Openness"),
    "conscientiousness": gettext_lazy("Conscientiousness"),
    "extraversion": gettext_lazy("Extraversion"),
    "agreeableness": gettext_lazy("Agreeableness"),
    "neuroticism": gettext_lazy("Neuroticism"),
}

# What the impressions model says it is (``kind`` in media/data/big_five_*.json, English): the
# msgid is that text, so English pages show it as written and Chinese pages its translation.
PERSONALITY_KINDS = frozenset(
    {
        gettext_noop(
            "apparent impressions (how observers tend to perceive a speaker from these cues), "
            "not personality measurement"
        ),
    }
)


def _personality_kind(kind: str) -> str:
    """The method's statement in the reader's language; an unknown one as the model wrote it."""
    return _(kind) if kind in PERSONALITY_KINDS else kind


def _polling(video: VideoAnalysis) -> bool:
    """True while an analysis is queued or running (the status fragment keeps polling)."""
    return video.status == VideoAnalysis.Status.PROCESSING or (
        video.status == VideoAnalysis.Status.PENDING
        and video.status_reason == VideoAnalysis.Reason.QUEUED
    )


@console_view()
def video_list(request):
    errors = FormErrors()
    raw = {name: request.GET.get(name, "").strip() for name in FILTER_NAMES}
    try:
        filters = VideoFilters.model_validate({k: v for k, v in raw.items() if v})
    except PydanticValidationError as exc:
        errors.add_pydantic(exc)
        filters = VideoFilters()
    return page(
        request,
        "console/videos/list.html",
        {
            "page_obj": paginate(request, selectors.video_list(filters=filters)),
            "filters": raw,
            "errors": errors,
            "statuses": VideoAnalysis.Status.choices,
            "query": query_without(request, "page"),
        },
        status=422 if errors else 200,
    )


def _upload_initial(request) -> dict:
    """The form's initial values; from the candidate page, the resume's name and position."""
    values = {name: request.POST.get(name, "").strip() for name in UPLOAD_FIELDS}
    resume_id = request.GET.get("resume_id", "").strip()
    if request.method != "POST" and resume_id:
        try:
            resume = resume_selectors.get_resume(resume_id=uuid.UUID(resume_id))
        except (ValueError, NotFound):  # a bad or unknown id just leaves the form empty
            return values
        values.update(
            candidate_name=resume.candidate_name,
            position_applied=resume.position_title,
            resume_data_id=str(resume.pk),
        )
    return values


@console_view()
def video_upload(request):
    """One video with its form fields; analysed in the background only with consent."""
    errors, values, too_large = FormErrors(), _upload_initial(request), False
    consent = request.POST.get("consent") == "true"
    if request.method == "POST":
        try:
            typed = {**{k: v for k, v in values.items() if v}, "consent": consent}
            form, upload = collect_validation(
                lambda: validated(UploadFormIn, typed), lambda: uploads.uploaded_video(request)
            )
            info = uploads.probe_upload(upload)
            video = services.upload_video(form=form, upload=upload, info=info, user=request.user)
        except ApiError as exc:
            errors.add_api_error(exc)
            too_large = exc.status == 413
        else:
            messages.success(
                request,
                _("Video uploaded; analysis queued")
                if video.consent
                else _(
                    "Video uploaded; it will not be analysed until the candidate's consent "
                    "is recorded"
                ),
            )
            target = reverse("console:video_detail", args=[video.pk])
            if is_htmx(request):
                response = HttpResponse(status=200)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    return page(
        request,
        "console/videos/upload.html",
        {"errors": errors, "values": values, "consent": consent},
        status=(413 if too_large else 422) if errors else 200,
    )


def _comparison(video: VideoAnalysis) -> list[dict]:
    machine = video.machine_results or {}
    return [
        {
            "field": name,
            "label": field_label([name]),
            "machine": machine.get(name),
            "value": getattr(video, name),
            "reviewed": name in video.reviewed_fields,
            "score": name in SCORE_FIELDS,
        }
        for name in CORRECTABLE_FIELDS
        if name != "status"
    ]


def _detail_context(request, video: VideoAnalysis, **extra) -> dict:
    completed = video.status == VideoAnalysis.Status.COMPLETED and video.machine_results
    context = {
        "video": video,
        "polling": _polling(video),
        "duration": (video.media_info or {}).get("duration"),
        "can_review": has_role(request.user, *REVIEWERS),
        "statuses": VideoAnalysis.Status.choices,
        "correction_errors": FormErrors(),
        "link_errors": FormErrors(),
        "typed": {},
        # The player plays whatever was stored, analysed or not.
        "media_url": reverse("console:video_media", args=[video.pk]) if video.video_file else "",
        "linkable_resumes": list(selectors.linkable_resumes(video=video)[:200])
        if not video.resume_id
        else [],
        **extra,
    }
    if completed:
        signals = video.signals or {}
        context.update(
            results=True,
            timeline=signal_timeline(
                duration=context["duration"] or (video.features or {}).get("duration") or 0,
                events=signals.get("events") or [],
                speech=(video.timeline or {}).get("speech") or [],
                labels={k: str(v) for k, v in SIGNAL_LABELS.items()},
                speech_label=_("Speech"),
            ),
            events=[
                {**e, "label": SIGNAL_LABELS.get(e.get("type"), e.get("type"))}
                for e in signals.get("events") or []
            ],
            contributions=[
                {**c, "label": SIGNAL_LABELS.get(c.get("type"), c.get("type"))}
                for c in signals.get("contributions") or []
            ],
            personality_enabled=bool((video.personality or {}).get("enabled")),
            personality_kind=_personality_kind((video.personality or {}).get("kind", "")),
            traits=TraitChart(
                trait_rows(
                    personality=video.personality or {},
                    effective={f: getattr(video, f) for f in SCORE_FIELDS},
                    reviewed=video.reviewed_fields,
                    labels={k: str(v) for k, v in TRAIT_LABELS.items()},
                )
            ),
            comparison=_comparison(video),
            corrections=paginate(request, selectors.corrections(video=video), param="cpage"),
            transcript=video.transcript or {},
        )
    return context


@console_view()
def video_detail(request, video_id):
    video = services.sync_with_job(selectors.get_video(video_id=video_id))
    return page(request, "console/videos/detail.html", _detail_context(request, video))


def video_media(request, video_id):
    """The stored recording for the page's player, with byte ranges so it can seek. Whoever may
    open the video page may play it; signed out: 403 (a player cannot follow a sign-in page)."""
    if not request.user.is_authenticated:
        return error_page(request, Forbidden())
    return _video_media(request, video_id)


@console_view()
def _video_media(request, video_id):
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    video = selectors.get_video(video_id=video_id)
    if not video.video_file or not video.video_file.storage.exists(video.video_file.name):
        raise NotFound(_("The video file is not stored"))
    return streaming.media_response(request, video)


@console_view()
def video_status(request, video_id):
    """The fragment htmx polls; once the analysis is over the whole page reloads with results."""
    video = services.sync_with_job(selectors.get_video(video_id=video_id))
    polling = _polling(video)
    response = page(request, "console/videos/_status.html", {"video": video, "polling": polling})
    if is_htmx(request) and not polling:
        response["HX-Refresh"] = "true"
    return response


def _correction_data(request) -> dict:
    """The fields the reviewer filled in, as typed: the schema parses and checks them all at
    once. Empty ones keep their current value."""
    typed = {name: request.POST.get(name, "").strip() for name in (*SCORE_FIELDS, "summary")}
    typed["status"] = request.POST.get("status", "")
    return {name: value for name, value in typed.items() if value}


@console_view(write=REVIEWERS)
def video_correct(request, video_id):
    if request.method != "POST":
        return redirect("console:video_detail", video_id=video_id)
    errors = FormErrors()
    with errors.collecting():
        payload = VideoUpdateIn.model_validate(_correction_data(request))
        services.correct(video_id=video_id, data=payload, reviewer=request.user)
    if not errors:
        messages.success(request, _("Video analysis updated"))
        return redirect("console:video_detail", video_id=video_id)
    video = selectors.get_video(video_id=video_id)
    typed = {name: request.POST.get(name, "") for name in CORRECTABLE_FIELDS}
    context = _detail_context(request, video, correction_errors=errors, typed=typed)
    return page(request, "console/videos/detail.html", context, status=422)


@console_view()
def video_reanalyze(request, video_id):
    """Analyse again; with the consent box ticked, the consent is recorded first."""
    if request.method == "POST":
        try:
            services.reanalyze(
                video_id=video_id,
                user=request.user,
                consent=True if request.POST.get("consent") == "true" else None,
            )
        except ApiError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Analysis queued"))
    return redirect("console:video_detail", video_id=video_id)


# --- linking a video to a candidate --------------------------------------------------------------


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID((raw or "").strip())
    except ValueError:
        return None


def _link_failed(request, video_id, errors: FormErrors):
    """The video page again with the link error (422); 404 for an unknown video."""
    video = selectors.get_video(video_id=video_id)
    return page(
        request,
        "console/videos/detail.html",
        _detail_context(request, video, link_errors=errors),
        status=422,
    )


@console_view()
def video_link(request):
    """POST ``video_id``, ``resume_id`` and optionally ``next`` (a page of this site to return
    to; default the video page): link the video to the candidate. Only ``hr`` (and admin)."""
    if request.method != "POST":
        return redirect("console:video_list")
    video_id = _uuid(request.POST.get("video_id", ""))
    if video_id is None:
        raise NotFound(_("Video analysis not found"))
    selectors.get_video(video_id=video_id)  # 404 page for an unknown video
    errors = FormErrors()
    resume_id = _uuid(request.POST.get("resume_id", ""))
    if resume_id is None:
        errors.add("resume_id", _("Choose a candidate to link the video to."))
    else:
        try:
            video = services.link(resume_id=resume_id, video_id=video_id)
        except ApiError as exc:  # unknown resume, taken (409), another position (422)
            errors.general.append(exc.message)
        else:
            messages.success(
                request,
                _("The video is linked to %(name)s") % {"name": video.resume.candidate_name},
            )
            return redirect(safe_next(request, reverse("console:video_detail", args=[video_id])))
    return _link_failed(request, video_id, errors)


@console_view()
def video_unlink(request):
    """POST ``video_id`` and optionally ``next``: unlink the video from its candidate."""
    if request.method != "POST":
        return redirect("console:video_list")
    video_id = _uuid(request.POST.get("video_id", ""))
    if video_id is None:
        raise NotFound(_("Video analysis not found"))
    video = selectors.get_video(video_id=video_id)  # 404 page for an unknown video
    if video.resume_id is None:
        messages.info(request, _("The video is not linked to a resume"))
    else:
        video = services.unlink_video(video_id=video_id)
        messages.success(
            request,
            _("The video is no longer linked to %(name)s")
            % {"name": video.unlinked_resume.candidate_name},
        )
    return redirect(safe_next(request, reverse("console:video_detail", args=[video_id])))
