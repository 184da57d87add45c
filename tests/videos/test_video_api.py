"""/video-analysis/: upload (probe, limits, consent), the analysis job, status, reviewer
corrections kept beside the machine values, list, re-analysis and deletion."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from hrm2.audit.models import AuditEvent
from hrm2.videos.models import VideoAnalysis, VideoCorrection
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db
URL = "/video-analysis/"
FIELDS = {"candidate_name": "张伟", "position_applied": "后端工程师"}


@pytest.fixture
def upload(hr, django_capture_on_commit_callbacks):
    """POST a multipart upload and run the queued analysis job, as the worker would."""

    def _upload(path=None, client=None, **fields):
        data = {**FIELDS, **fields}
        if path is not None:
            data["video_file"] = SimpleUploadedFile(path.name, path.read_bytes())
        with django_capture_on_commit_callbacks(execute=True):
            return Client.post(client or hr, URL, data)

    return _upload


def _status(client, video_id):
    return assert_success(client.get(f"{URL}{video_id}/status/"))


def test_upload_with_consent_is_analysed(hr, upload, videos):
    response = upload(videos["speaking"], consent="true")
    assert response.json()["message"] == "视频已上传，已排队分析"
    created = assert_success(response, 201)
    assert created["consent"] is True and created["job_id"]
    assert created["duration"] == pytest.approx(6.0, abs=0.1)
    status = _status(hr, created["id"])
    assert status["status"] == "completed" and status["progress"] == 100 and status["error"] is None
    results = status["results"]
    assert (
        results["fraud_score"] < 0.1 and results["machine"]["fraud_score"] == results["fraud_score"]
    )
    assert results["features"]["face_presence"] >= 0.9
    assert results["signals"]["events"] == [] and "formula" in results["signals"]
    assert 0 <= results["extraversion_score"] <= 1
    assert results["model_version"].startswith("media-v1/fraud-v1/big5-apparent-v1")
    assert "欺诈风险分" in results["summary"]  # Chinese by default
    assert results["review"] == {"fields": [], "reviewer": None, "reviewed_at": None}
    stored = VideoAnalysis.objects.get(pk=created["id"]).video_file.name
    assert stored.endswith(f"{created['id']}.mp4")  # our name, never the client's


def test_without_consent_the_video_is_stored_not_analysed(
    hr, upload, videos, django_capture_on_commit_callbacks
):
    created = assert_success(upload(videos["speaking"]), 201)
    status = _status(hr, created["id"])
    assert (status["status"], status["status_reason"], status["job_id"]) == (
        "pending",
        "consent_missing",
        None,
    )
    assert status["results"] is None
    assert_error(hr.post(f"{URL}{created['id']}/reanalyze/"), 409)
    with django_capture_on_commit_callbacks(execute=True):
        queued = assert_success(hr.post(f"{URL}{created['id']}/reanalyze/", {"consent": True}), 202)
    assert queued["consent"] is True
    assert _status(hr, created["id"])["status"] == "completed"


def test_upload_rejections(hr, upload, videos, settings):
    assert_error(upload(videos["text"], consent="true"), 415)  # a text file named .mp4
    body = assert_error(upload(videos["speaking"], candidate_name=""), 422)
    assert body["errors"][0]["loc"] == ["form", "candidate_name"]
    body = assert_error(upload(None), 422)
    assert body["errors"][0]["loc"] == ["form", "video_file"]
    assert_error(hr.post(URL, FIELDS), 415)  # JSON instead of multipart
    settings.VIDEO_MAX_MB = 0.01
    assert_error(upload(videos["speaking"]), 413)
    settings.VIDEO_MAX_MB = 1024
    settings.VIDEO_MAX_MINUTES = 0.05  # 3 s
    body = assert_error(upload(videos["speaking"]), 422)
    assert body["errors"][0]["type"] == "too_long"
    assert VideoAnalysis.objects.count() == 0


def test_roles(client_for, upload, videos):
    assert_error(upload(videos["speaking"], client=client_for("interviewer")), 403)
    assert_error(Client().post(URL, FIELDS), 401)


def test_corrupted_file_fails_with_a_clear_error(hr, upload, videos):
    created = assert_success(upload(videos["truncated"], consent="true"), 201)
    status = _status(hr, created["id"])
    assert status["status"] == "failed" and status["results"] is None
    assert "truncated or corrupted" in status["error"]


def test_same_file_twice_gives_identical_results(hr, upload, videos):
    first = assert_success(upload(videos["two_faces"], consent="true"), 201)["id"]
    second = assert_success(upload(videos["two_faces"], consent="true"), 201)["id"]
    a, b = _status(hr, first)["results"], _status(hr, second)["results"]
    for key in ("features", "signals", "personality", "timeline", "machine", "summary"):
        assert a[key] == b[key], key
    assert [e["type"] for e in a["signals"]["events"]] == ["multiple_faces"]


def test_personality_off(hr, upload, videos, settings):
    settings.VIDEO_PERSONALITY = "off"
    created = assert_success(upload(videos["speaking"], consent="true"), 201)
    results = _status(hr, created["id"])["results"]
    assert results["openness_score"] is None and results["neuroticism_score"] is None
    assert results["personality"]["enabled"] is False
    assert results["fraud_score"] is not None


def test_reviewer_correction_keeps_machine_values(client_for, hr, upload, videos):
    reviewer_user = client_for("reviewer")
    video_id = assert_success(upload(videos["two_faces"], consent="true"), 201)["id"]
    machine = _status(hr, video_id)["results"]["machine"]
    url = f"{URL}{video_id}/update/"
    assert_error(reviewer_user.post(url, {"fraud_score": 1.5}), 422)
    assert_error(reviewer_user.post(url, {"status": "done"}), 422)
    assert_error(reviewer_user.post(url, {}), 422)
    assert_error(reviewer_user.post(url, {"unknown": 1}), 422)
    assert_error(client_for("interviewer").post(url, {"fraud_score": 0.1}), 403)
    updated = assert_success(
        reviewer_user.post(url, {"fraud_score": 0.05, "summary": "复核：第二张脸是海报。"})
    )
    results = updated["results"]
    assert results["fraud_score"] == 0.05 and results["summary"] == "复核：第二张脸是海报。"
    assert results["machine"] == machine
    assert results["review"]["fields"] == ["fraud_score", "summary"]
    assert results["review"]["reviewer"].startswith("reviewer")
    correction = VideoCorrection.objects.get(video_id=video_id)
    assert correction.before == {
        "fraud_score": machine["fraud_score"],
        "summary": machine["summary"],
    }
    assert correction.after == {"fraud_score": 0.05, "summary": "复核：第二张脸是海报。"}
    assert correction.reviewer.role == "reviewer"
    assert_success(reviewer_user.post(url, {"fraud_score": 0.05}))  # no change: no new record
    assert VideoCorrection.objects.filter(video_id=video_id).count() == 1
    (event,) = AuditEvent.objects.filter(action="video.corrected", object_id=video_id)
    assert event.actor_name.startswith("reviewer")
    assert event.after == {"fraud_score": 0.05, "summary": "复核：第二张脸是海报。"}


def test_correction_survives_reanalysis(
    client_for, hr, upload, videos, django_capture_on_commit_callbacks
):
    video_id = assert_success(upload(videos["two_faces"], consent="true"), 201)["id"]
    assert_success(client_for("reviewer").post(f"{URL}{video_id}/update/", {"fraud_score": 0.0}))
    with django_capture_on_commit_callbacks(execute=True):
        assert_success(hr.post(f"{URL}{video_id}/reanalyze/"), 202)
    results = _status(hr, video_id)["results"]
    assert results["fraud_score"] == 0.0 and results["machine"]["fraud_score"] > 0.4


def test_list_filters_and_pagination(hr, upload, videos):
    assert_success(upload(videos["speaking"], candidate_name="李雷", consent="true"), 201)
    assert_success(upload(videos["speaking"], position_applied="产品经理"), 201)
    everything = assert_success(hr.get(f"{URL}list/"))
    assert everything["total"] == 2 and everything["pages"] == 1
    assert [
        v["candidate_name"]
        for v in assert_success(hr.get(f"{URL}list/?candidate_name=李"))["items"]
    ] == ["李雷"]
    assert assert_success(hr.get(f"{URL}list/?position_applied=产品"))["total"] == 1
    assert assert_success(hr.get(f"{URL}list/?status=completed"))["total"] == 1
    assert assert_success(hr.get(f"{URL}list/?status=pending"))["total"] == 1
    assert_error(hr.get(f"{URL}list/?status=done"), 422)
    assert_error(hr.get(f"{URL}list/?page=0"), 422)
    page = assert_success(hr.get(f"{URL}list/?page=2&page_size=1"))
    assert page["page"] == 2 and len(page["items"]) == 1


def test_delete_removes_file_and_derived_data(
    client_for, hr, upload, videos, django_capture_on_commit_callbacks
):
    video_id = assert_success(upload(videos["speaking"], consent="true"), 201)["id"]
    assert_success(client_for("reviewer").post(f"{URL}{video_id}/update/", {"fraud_score": 0.3}))
    name = VideoAnalysis.objects.get(pk=video_id).video_file.name
    assert default_storage.exists(name)
    assert_error(client_for("interviewer").delete(f"{URL}{video_id}/"), 403)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the row has
        deleted = hr.delete(f"{URL}{video_id}/")
    assert assert_success(deleted) == {"id": video_id, "deleted": True}
    assert not default_storage.exists(name)
    assert not VideoCorrection.objects.filter(video_id=video_id).exists()
    assert_error(hr.get(f"{URL}{video_id}/status/"), 404)
    assert_error(hr.delete(f"{URL}{video_id}/"), 404)


def test_upload_links_the_resume(hr, upload, videos):
    resume = assert_success(
        hr.post(
            "/resume-screening/data/",
            {"position_title": "后端工程师", "resume_content": "张伟\nPython"},
        ),
        201,
    )["id"]
    created = assert_success(upload(videos["speaking"], resume_data_id=resume), 201)
    assert created["resume_data_id"] == resume
    assert_error(upload(videos["speaking"], resume_data_id=resume), 409)
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(upload(videos["speaking"], resume_data_id=missing), 404)
