"""Console video pages: upload with consent, list and filters, live status, the signal timeline,
Big Five impressions with their limits, machine vs reviewed values, the correction form; roles
and CSRF."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrm2.videos.models import VideoAnalysis, VideoCorrection
from tests.videos.factory import make_video, voice

pytestmark = pytest.mark.django_db
FIELDS = {"candidate_name": "张伟", "position_applied": "后端工程师"}


def html(response) -> str:
    return response.content.decode()


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console-videos")
    speech = voice(6, phrases=[(0.5, 2.5), (3.0, 5.5)])
    return {
        "speaking": make_video(folder / "speaking.mp4", duration=6, faces=1, audio=speech),
        "two_faces": make_video(
            folder / "two_faces.mp4",
            duration=6,
            faces=lambda t: 2 if 2.0 <= t < 4.0 else 1,
            audio=speech,
        ),
    }


@pytest.fixture
def upload(hr_console, django_capture_on_commit_callbacks):
    """POST the console's upload form and run the queued analysis as the worker would."""

    def _upload(path, client=None, **fields):
        data = {**FIELDS, **fields}
        if path is not None:
            data["video_file"] = SimpleUploadedFile(path.name, path.read_bytes())
        with django_capture_on_commit_callbacks(execute=True):
            return (client or hr_console).post("/console/videos/upload/", data)

    return _upload


def test_upload_with_consent_then_status_timeline_and_impressions(hr_console, upload, clips):
    form = html(hr_console.get("/console/videos/upload/"))
    assert 'name="consent"' in form and 'id="upload-progress"' in form and "hx-post" in form
    response = upload(clips["two_faces"], consent="true")
    video = VideoAnalysis.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/console/videos/{video.pk}/"
    assert video.consent and video.status == "completed"
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert 'data-status="completed"' in page and "hx-trigger" not in page
    assert 'class="chart timeline"' in page and 'data-lane="multiple_faces"' in page
    assert 'class="signal-span"' in page and 'data-signal="multiple_faces"' in page
    assert 'id="impression-limits"' in page and "data-trait=" in page
    assert "表观印象，仅供参考" in page and "绝不能用于筛选候选人" in page  # Chinese by default
    assert "表观印象（观察者通常如何根据这些线索感知说话者）" in page  # the method, in Chinese
    assert 'id="machine-vs-reviewed"' in page and 'id="correction-form"' in page
    htmx = hr_console.get(f"/console/videos/{video.pk}/status/", HTTP_HX_REQUEST="true")
    assert htmx["HX-Refresh"] == "true" and "<html" not in html(htmx)


def test_upload_errors_are_shown_next_to_fields_and_keep_input(hr_console, upload, clips):
    response = upload(None, candidate_name="  ", position_applied="后端", consent="true")
    assert response.status_code == 422
    page = html(response)
    assert 'id="id_candidate_name-error"' in page and 'value="后端"' in page
    assert 'name="consent" value="true" id="id_consent" checked' in page
    missing_file = upload(None)
    assert 'id="id_video_file-error"' in html(missing_file)
    not_video = hr_console.post(
        "/console/videos/upload/",
        {**FIELDS, "video_file": SimpleUploadedFile("notes.mp4", b"not a video\n" * 100)},
    )
    assert not_video.status_code == 422 and 'class="errors"' in html(not_video)
    assert not VideoAnalysis.objects.exists()


def test_htmx_upload_redirects_with_a_header(hr_console, clips):
    with_header = hr_console.post(
        "/console/videos/upload/",
        {**FIELDS, "video_file": SimpleUploadedFile("a.mp4", clips["speaking"].read_bytes())},
        HTTP_HX_REQUEST="true",
    )
    video = VideoAnalysis.objects.get()
    assert with_header.status_code == 200
    assert with_header["HX-Redirect"] == f"/console/videos/{video.pk}/"


def test_without_consent_nothing_is_analysed_until_recorded(
    hr_console, upload, clips, django_capture_on_commit_callbacks
):
    upload(clips["speaking"])
    video = VideoAnalysis.objects.get()
    assert video.status == "pending" and video.status_reason == "consent_missing"
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert (
        "hx-trigger" not in page and "/reanalyze/" in page and 'id="impression-limits"' not in page
    )
    with django_capture_on_commit_callbacks(execute=True):
        hr_console.post(f"/console/videos/{video.pk}/reanalyze/", {"consent": "true"})
    video.refresh_from_db()
    assert video.consent and video.status == "completed"


def test_queued_video_polls(hr_console, clips):
    response = hr_console.post(  # no on_commit capture: the job stays queued
        "/console/videos/upload/",
        {
            **FIELDS,
            "consent": "true",
            "video_file": SimpleUploadedFile("a.mp4", clips["speaking"].read_bytes()),
        },
    )
    assert response.status_code == 302
    video = VideoAnalysis.objects.get()
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert 'hx-trigger="every 2s"' in page and 'data-status="pending"' in page
    fragment = hr_console.get(f"/console/videos/{video.pk}/status/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in fragment and "hx-trigger" in html(fragment)


def test_list_filters_and_paginates(hr_console, upload, clips):
    upload(clips["speaking"], candidate_name="Alice", consent="true")
    upload(clips["speaking"], candidate_name="Bob")
    page = html(hr_console.get("/console/videos/"))
    assert "Alice" in page and "Bob" in page and "/console/videos/upload/" in page
    only = html(hr_console.get("/console/videos/?candidate_name=ali"))
    assert "Alice" in only and "Bob" not in only
    completed = html(hr_console.get("/console/videos/?status=completed"))
    assert "Alice" in completed and "Bob" not in completed
    bad = hr_console.get("/console/videos/?status=nonsense")
    assert bad.status_code == 422 and 'id="v-status-error"' in html(bad)
    assert hr_console.get("/console/videos/?page=99").status_code == 200


def test_reviewer_corrects_and_machine_values_stay(reviewer_console, upload, clips):
    upload(clips["speaking"], consent="true")
    video = VideoAnalysis.objects.get()
    url = f"/console/videos/{video.pk}/"
    page = html(reviewer_console.get(url))
    assert 'id="correction-form"' in page and "/reanalyze/" not in page
    assert "/console/videos/upload/" not in html(reviewer_console.get("/console/videos/"))
    bad = reviewer_console.post(
        f"{url}correct/", {"fraud_score": "7", "openness_score": "abc", "summary": "kept"}
    )
    assert bad.status_code == 422 and 'id="c-fraud_score-error"' in html(bad)
    assert ">「欺诈风险分」不能大于 1<" in html(bad)  # every error at once, in words
    assert ">「开放性」应为数字<" in html(bad)
    assert (
        ">kept</textarea>" in html(bad) and 'value="7"' in html(bad) and 'value="abc"' in html(bad)
    )
    nothing = reviewer_console.post(f"{url}correct/", {})
    assert nothing.status_code == 422 and 'class="errors"' in html(nothing)
    machine = video.fraud_score
    ok = reviewer_console.post(f"{url}correct/", {"fraud_score": "0.9"})
    assert ok.status_code == 302
    video.refresh_from_db()
    assert video.fraud_score == 0.9 and video.machine_results["fraud_score"] == machine
    assert VideoCorrection.objects.filter(video=video).count() == 1
    after = html(reviewer_console.get(url))
    assert (
        "0.900" in after and f"{machine:.3f}" in after and reviewer_console.user.username in after
    )
    assert reviewer_console.post("/console/videos/upload/", FIELDS).status_code == 403
    assert reviewer_console.post(f"{url}reanalyze/", {"consent": "true"}).status_code == 403


def test_interviewer_reads_but_cannot_correct(console_for, upload, clips):
    upload(clips["speaking"], consent="true")
    video = VideoAnalysis.objects.get()
    interviewer = console_for("interviewer")
    page = html(interviewer.get(f"/console/videos/{video.pk}/"))
    assert 'id="impression-limits"' in page and 'id="correction-form"' not in page
    denied = interviewer.post(f"/console/videos/{video.pk}/correct/", {"fraud_score": "0.9"})
    assert denied.status_code == 403
    video.refresh_from_db()
    assert video.fraud_score != 0.9


def test_anonymous_and_csrf(client, console_for, upload, clips):
    upload(clips["speaking"], consent="true")
    video = VideoAnalysis.objects.get()
    for url in ("/console/videos/", "/console/videos/upload/", f"/console/videos/{video.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/console/login/")
    strict = console_for("reviewer", enforce_csrf_checks=True)
    csrf = strict.post(f"/console/videos/{video.pk}/correct/", {"fraud_score": "0.9"})
    assert csrf.status_code == 403
    video.refresh_from_db()
    assert video.fraud_score != 0.9
    unknown = console_for("hr").get("/console/videos/00000000-0000-0000-0000-000000000000/")
    assert unknown.status_code == 404 and "text/html" in unknown["Content-Type"]


def _streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_player_plays_the_stored_file_and_the_timeline_seeks_it(hr_console, upload, clips):
    upload(clips["two_faces"], consent="true")
    video = VideoAnalysis.objects.get()
    media = f"/console/videos/{video.pk}/media/"
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert f'<video id="video-player" controls preload="metadata" playsinline src="{media}"' in page
    # every flagged span and every start time in the table seeks the player to the span's start
    event = video.signals["events"][0]
    start = f"{event['start']:.2f}"
    span = re.search(r'<g transform="[^"]*" data-lane="multiple_faces">.*?</g>', page, re.S)
    assert span and f'href="{media}#t={start}" data-seek="{start}" class="seek-span"' in span[0]
    row = re.search(r'<tr data-signal="multiple_faces">.*?</tr>', page, re.S)
    assert row and f'class="seek" href="{media}#t={start}" data-seek="{start}"' in row[0]
    assert 'id="timeline-playhead"' in page and "<script>" not in page  # console.js does it
    data = clips["two_faces"].read_bytes()
    whole = hr_console.get(media)
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes" and _streamed(whole) == data
    part = hr_console.get(media, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert part["Content-Length"] == "100" and _streamed(part) == data[100:200]
    tail = hr_console.get(media, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and _streamed(tail) == data[-10:]
    open_ended = hr_console.get(media, HTTP_RANGE=f"bytes={len(data) - 5}-")
    assert open_ended.status_code == 206 and _streamed(open_ended) == data[-5:]
    beyond = hr_console.get(media, HTTP_RANGE=f"bytes={len(data)}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(data)}"


def test_media_needs_the_same_access_as_the_page(client, console_for, upload, clips):
    upload(clips["speaking"])  # no consent: not analysed, still playable
    video = VideoAnalysis.objects.get()
    media = f"/console/videos/{video.pk}/media/"
    page = html(console_for("interviewer").get(f"/console/videos/{video.pk}/"))
    assert 'id="recording-title"' in page and f'src="{media}"' in page
    ranged = console_for("interviewer").get(media, HTTP_RANGE="bytes=0-9")
    assert ranged.status_code == 206 and len(_streamed(ranged)) == 10
    assert client.get(media, HTTP_RANGE="bytes=0-9").status_code == 403  # signed out
    unknown = "/console/videos/00000000-0000-0000-0000-000000000000/media/"
    assert console_for("hr").get(unknown).status_code == 404
    assert console_for("hr").post(media).status_code == 405
    video.video_file.delete(save=True)
    assert console_for("hr").get(media).status_code == 404


def test_big_five_text_reads_in_the_page_language(hr_console, upload, clips):
    upload(clips["speaking"], consent="true")
    video = VideoAnalysis.objects.get()
    kind = video.personality["kind"]
    chinese = html(hr_console.get(f"/console/videos/{video.pk}/"))
    section = re.search(
        r'<section class="card" aria-labelledby="traits-heading">.*?</section>', chinese, re.S
    )
    assert section and "并非人格测量" in section[0] and kind not in chinese
    visible = re.sub(r"<[^>]+>", " ", section[0])
    assert not re.findall(r"[A-Za-z]{4,}", visible), visible
    english = html(hr_console.get(f"/console/videos/{video.pk}/", HTTP_ACCEPT_LANGUAGE="en"))
    assert kind in english and "并非人格测量" not in english
