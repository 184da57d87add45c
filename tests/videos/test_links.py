"""Resume ↔ video links (seed 000 §3.2): one video per resume and one resume per video."""

import pytest

from hrm2.videos.models import VideoAnalysis
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db
LINK, UNLINK = (
    "/resume-screening/link-resume-to-video/",
    "/resume-screening/unlink-resume-from-video/",
)


def _resume(hr, text):
    return assert_success(
        hr.post(
            "/resume-screening/data/", {"position_title": "后端工程师", "resume_content": text}
        ),
        201,
    )["id"]


def _video(name="interview.mp4"):
    return str(
        VideoAnalysis.objects.create(
            candidate_name="张伟", position_applied="后端工程师", video_name=name
        ).pk
    )


def test_link_and_unlink(hr):
    rid, vid = _resume(hr, "张伟\nPython"), _video()
    linked = assert_success(hr.post(LINK, {"resume_data_id": rid, "video_analysis_id": vid}))
    assert linked == {
        "resume_data_id": rid,
        "video_analysis_id": vid,
        "candidate_name": "张伟",
        "video_name": "interview.mp4",
    }
    again = hr.post(LINK, {"resume_data_id": rid, "video_analysis_id": vid})
    assert_success(again)  # idempotent
    unlinked = assert_success(hr.post(UNLINK, {"resume_data_id": rid}))
    assert unlinked["disconnected_video_id"] == vid and unlinked["resume_data_id"] == rid
    assert VideoAnalysis.objects.get(pk=vid).resume_id is None
    assert_error(hr.post(UNLINK, {"resume_data_id": rid}), 404)


def test_links_are_one_to_one(hr):
    r1, r2 = _resume(hr, "张伟\nPython"), _resume(hr, "李雷\nJava")
    v1, v2 = _video("a.mp4"), _video("b.mp4")
    assert_success(hr.post(LINK, {"resume_data_id": r1, "video_analysis_id": v1}))
    assert_error(hr.post(LINK, {"resume_data_id": r2, "video_analysis_id": v1}), 409)
    assert_error(hr.post(LINK, {"resume_data_id": r1, "video_analysis_id": v2}), 409)


def test_link_errors(hr, client_for):
    rid, vid = _resume(hr, "张伟\nPython"), _video()
    missing = "00000000-0000-0000-0000-000000000000"
    assert_error(hr.post(LINK, {"resume_data_id": missing, "video_analysis_id": vid}), 404)
    assert_error(hr.post(LINK, {"resume_data_id": rid, "video_analysis_id": missing}), 404)
    assert_error(hr.post(LINK, {"resume_data_id": rid}), 422)
    assert_error(hr.post(LINK, {"resume_data_id": "nope", "video_analysis_id": vid}), 422)
    assert_error(
        client_for("reviewer").post(LINK, {"resume_data_id": rid, "video_analysis_id": vid}), 403
    )
