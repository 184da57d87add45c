"""Linking an interview video to a candidate from the console (issue 15): from the video page
(candidates of the same position, by name) and through the reusable include
console/videos/_link_form.html of the candidate page; unlinking; access rules (only hr); a
video of another position is a clear Chinese 422 (console and API); and a linked, corrected
video reaching the group evaluation when "include video" is chosen."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from hrm2.recommend.models import GroupEvaluation
from hrm2.videos.models import VideoAnalysis
from tests.conftest import assert_error
from tests.recommend.factory import Spec, make_group

pytestmark = pytest.mark.django_db
LINK, UNLINK = "/console/videos/link/", "/console/videos/unlink/"


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def group(hr_console):
    return make_group(
        hr_console.user, [Spec("张伟", 0.75, interview=False), Spec("李雷", 0.5, interview=False)]
    )


@pytest.fixture
def other_group(hr_console):
    return make_group(hr_console.user, [Spec("王芳", 0.75)], title="测试工程师")


def _video(name="张伟", position="后端工程师", **fields):
    return VideoAnalysis.objects.create(
        candidate_name=name, position_applied=position, video_name=f"{name}.mp4", **fields
    )


def test_link_from_the_video_page_by_name_and_unlink(hr_console, group, other_group):
    video = _video()
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert 'id="video-link-form"' in page and 'name="resume_id"' in page
    zhang = group.resumes.get(candidate_name="张伟")
    assert f'<option value="{zhang.pk}" selected>张伟' in page  # same name preselected
    assert "李雷" in page and "王芳" not in page  # only candidates of the same position
    response = hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": str(zhang.pk)})
    assert response.status_code == 302 and response["Location"] == f"/console/videos/{video.pk}/"
    video.refresh_from_db()
    assert video.resume_id == zhang.pk
    page = html(hr_console.get(f"/console/videos/{video.pk}/"))
    assert "已关联" in page and f"/console/resumes/{zhang.pk}/" in page
    assert 'id="video-link-form"' not in page and "取消关联" in page
    # a taken candidate is no longer offered to another video
    second = _video("李雷")
    assert f'value="{zhang.pk}"' not in html(hr_console.get(f"/console/videos/{second.pk}/"))

    response = hr_console.post(UNLINK, {"video_id": str(video.pk)})
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.resume_id is None
    again = hr_console.post(UNLINK, {"video_id": str(video.pk)}, follow=True)
    assert "未关联" in html(again)


def test_wrong_position_is_a_clear_chinese_422(hr_console, group, other_group, client_for):
    video = _video()
    wang = other_group.resumes.get()
    response = hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": str(wang.pk)})
    assert response.status_code == 422
    page = html(response)
    assert "“后端工程师”" in page and "“测试工程师”" in page and "同一岗位" in page
    assert VideoAnalysis.objects.get(pk=video.pk).resume_id is None
    # the API says the same, as JSON
    api = client_for(hr_console.user).post(
        "/resume-screening/link-resume-to-video/",
        {"resume_data_id": str(wang.pk), "video_analysis_id": str(video.pk)},
    )
    body = assert_error(api, 422)
    assert "同一岗位" in body["message"] and body["errors"][0]["type"] == "position_mismatch"
    english = client_for(hr_console.user, headers={"Accept-Language": "en"}).post(
        "/resume-screening/link-resume-to-video/",
        {"resume_data_id": str(wang.pk), "video_analysis_id": str(video.pk)},
    )
    assert "same position" in assert_error(english, 422)["message"]


def test_only_hr_links_and_unlinks(console_for, group):
    video = _video()
    zhang = group.resumes.get(candidate_name="张伟")
    for role in ("interviewer", "reviewer"):
        client = console_for(role)
        page = html(client.get(f"/console/videos/{video.pk}/"))
        assert 'id="video-link-form"' not in page
        denied = client.post(LINK, {"video_id": str(video.pk), "resume_id": str(zhang.pk)})
        assert denied.status_code == 403
        assert VideoAnalysis.objects.get(pk=video.pk).resume_id is None
    VideoAnalysis.objects.filter(pk=video.pk).update(resume=zhang)
    assert console_for("reviewer").post(UNLINK, {"video_id": str(video.pk)}).status_code == 403
    assert VideoAnalysis.objects.get(pk=video.pk).resume_id == zhang.pk


def test_link_errors(hr_console, group):
    video = _video()
    missing = "00000000-0000-0000-0000-000000000000"
    no_choice = hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": ""})
    assert no_choice.status_code == 422 and "请选择" in html(no_choice)
    unknown = hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": missing})
    assert unknown.status_code == 422 and "简历不存在" in html(unknown)
    assert hr_console.post(LINK, {"video_id": missing, "resume_id": missing}).status_code == 404
    assert hr_console.post(UNLINK, {"video_id": "nope"}).status_code == 404
    # a resume already linked to another video: 409 shown on the page
    zhang = group.resumes.get(candidate_name="张伟")
    _video("张伟", resume=zhang)
    taken = hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": str(zhang.pk)})
    assert taken.status_code == 422 and "已关联" in html(taken)


def _include(client, resume, **extra) -> str:
    request = RequestFactory().get(f"/console/resumes/{resume.pk}/")
    request.user = client.user
    with translation.override("zh-hans"):
        return render_to_string(
            "console/videos/_link_form.html",
            {"resume": resume, "can_write": True, **extra},
            request=request,
        )


def test_the_include_links_one_of_the_positions_videos_and_returns(hr_console, group):
    zhang = group.resumes.get(candidate_name="张伟")
    mine, other = _video(), _video("王芳", position="测试工程师")
    fragment = _include(hr_console, zhang)
    assert 'action="/console/videos/link/"' in fragment
    assert f'value="{mine.pk}"' in fragment and f'value="{other.pk}"' not in fragment
    assert f'name="next" value="/console/resumes/{zhang.pk}/"' in fragment
    back = f"/console/resumes/{zhang.pk}/"
    response = hr_console.post(
        LINK, {"video_id": str(mine.pk), "resume_id": str(zhang.pk), "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    fragment = _include(hr_console, zhang)
    assert 'action="/console/videos/unlink/"' in fragment and "张伟.mp4" in fragment
    assert "尚未经人工复核" in fragment and "取消关联视频" in fragment
    # someone else's site is never a place to return to
    response = hr_console.post(UNLINK, {"video_id": str(mine.pk), "next": "https://evil.example/"})
    assert response["Location"] == f"/console/videos/{mine.pk}/"
    reader = _include(hr_console, zhang, can_write=False)
    assert "<form" not in reader


def test_linked_corrected_video_reaches_the_evaluation_only_with_include_video(
    hr_console, group, django_capture_on_commit_callbacks
):
    zhang = group.resumes.get(candidate_name="张伟")
    video = _video(
        status=VideoAnalysis.Status.COMPLETED,
        fraud_score=0.2,
        confidence_score=0.6,
        machine_results={"fraud_score": 0.2, "confidence_score": 0.6},
    )
    hr_console.post(LINK, {"video_id": str(video.pk), "resume_id": str(zhang.pk)})
    hr_console.post(f"/console/videos/{video.pk}/correct/", {"fraud_score": "0.1"})
    assert VideoAnalysis.objects.get(pk=video.pk).reviewed_fields == ["fraud_score"]

    pages = {}
    for include in (False, True):
        with django_capture_on_commit_callbacks(execute=True):
            hr_console.post(
                f"/console/groups/{group.pk}/evaluate/",
                {"include_video": "true"} if include else {},
            )
        evaluation = GroupEvaluation.objects.filter(include_video=include).get()
        pages[include] = html(hr_console.get(f"/console/groups/evaluations/{evaluation.pk}/"))
    assert "视频（人工已复核）" in pages[True] and "已纳入视频：张伟" in pages[True]
    assert "视频（人工已复核）" not in pages[False]
    for page in pages.values():
        assert "尚未进入审核模块" not in page and "not recorded for audit" not in page


def test_candidate_page_offers_the_video_link(hr_console, resumes):
    """The candidate page carries the link control (the include of the video app)."""
    page = hr_console.get(f"/console/resumes/{resumes[0].pk}/").content.decode()
    assert 'id="resume-video-link"' in page
