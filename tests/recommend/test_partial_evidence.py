"""Final recommendation on the evidence that exists (issue 15), through HTTP with a real JWT:
a group whose candidates have only a screening is ranked on it (weights renormalised over the
dimensions with evidence, coverage in words, no strong_recommend without an interview); only a
candidate with nothing is insufficient evidence; a confirmed screening uses the human total and
says so; include_video on/off changes the inputs when a corrected video is linked."""

import pytest
from django.contrib.contenttypes.models import ContentType

from hrm2.audit.models import AuditState, Document
from hrm2.screening.models import ScreeningReport
from hrm2.videos import services as video_services
from hrm2.videos.models import VideoAnalysis
from hrm2.videos.schemas import VideoUpdateIn
from tests.conftest import assert_success

from .factory import Spec, make_group

pytestmark = pytest.mark.django_db

URL = "/final-recommend/interview-evaluation/"
DIMS = ("professional_competency", "work_experience", "soft_skills", "cultural_fit")
RAW_LEVELS = ("strong_recommend", "not_recommend", "insufficient_evidence")


@pytest.fixture
def hr_user(make_user):
    return make_user("hr")


@pytest.fixture
def hr_client(client_for, hr_user):
    return client_for(hr_user)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def _run(client, body):
        with django_capture_on_commit_callbacks(execute=True):
            return assert_success(client.post(URL, body), 202)["task_id"]

    return _run


def _detail(client, task_id):
    return assert_success(client.get(f"{URL}?task_id={task_id}"))


def _row(detail, name):
    return next(c for c in detail["candidates"] if c["name"] == name)


def test_screening_only_group_ranks_everyone_on_the_screening(hr_client, hr_user, run):
    group = make_group(
        hr_user,
        [
            Spec("满分", 1.0, interview=False),
            Spec("良好", 0.75, interview=False),
            Spec("一般", 0.5, interview=False),
        ],
    )
    detail = _detail(hr_client, run(hr_client, {"group_id": str(group.pk)}))
    result = detail["result"]
    assert result["recommended_order"] == "满分 > 良好 > 一般"
    assert [(e["name"], e["final_score"], e["level"]) for e in result["ranking"]] == [
        ("满分", 100.0, "recommend"),  # 100 points, but no interview: capped
        ("良好", 75.0, "recommend"),
        ("一般", 50.0, "not_recommend"),
    ]
    assert result["unranked"] == []
    assert all(e["coverage"] == "筛选，无面试" for e in result["ranking"])
    assert result["comparison"]["rows"][0][-1] == "筛选，无面试"
    for candidate in detail["candidates"]:
        assert candidate["final_score"] is not None
        assert candidate["level"] != "strong_recommend"
        assert candidate["coverage"]["text"] == "筛选，无面试"
        assert candidate["coverage"]["missing"] == ["interview"]
        weights = candidate["effective_weights"]
        # interview_performance left out (a set: PostgreSQL's jsonb does not keep key order)
        assert set(weights) == set(DIMS)
        assert weights["professional_competency"] == pytest.approx(0.30 / 0.90, abs=1e-4)
        assert weights["cultural_fit"] == pytest.approx(0.15 / 0.90, abs=1e-4)
        assert sum(weights.values()) == pytest.approx(1, abs=1e-3)
    top = _row(detail, "满分")
    assert top["level_label"] == "推荐录用" and top["coverage"]["capped"] is True
    assert "尚无面试" in top["result"]["weaknesses"][0]
    assert "强烈推荐" in top["result"]["weaknesses"][0]  # what the score alone would give
    # recomputed from the stored dimensions with the renormalised weights
    dims = {d["key"]: d["score"] for d in _row(detail, "良好")["result"]["dimensions"]}
    weights = _row(detail, "良好")["effective_weights"]
    recomputed = sum(w * (dims[k] - 1) / 4 * 100 for k, w in weights.items())
    assert round(recomputed, 1) == 75.0
    assert any("按现有依据排名" in n for n in result["notes"])
    assert not any(code in str(result["ranking"]) for code in ("strong_recommend",))


def test_screening_only_group_in_english(client_for, hr_user, run):
    group = make_group(hr_user, [Spec("A", 1.0, interview=False), Spec("B", 0.5, interview=False)])
    english = client_for(hr_user, headers={"Accept-Language": "en"})
    detail = _detail(english, run(english, {"group_id": str(group.pk)}))
    top = _row(detail, "A")
    assert top["coverage"]["text"] == "screening, no interview"
    assert top["level_label"] == "Recommend"
    assert "No interview yet" in top["result"]["weaknesses"][0]
    assert detail["result"]["recommended_order"] == "A > B"


def test_only_the_candidate_with_nothing_is_insufficient(hr_client, hr_user, run):
    group = make_group(
        hr_user,
        [
            Spec("有筛选", 0.75, interview=False),
            Spec("空白", 0.75, screening=False, interview=False),
        ],
    )
    detail = _detail(hr_client, run(hr_client, {"group_id": str(group.pk)}))
    assert [e["name"] for e in detail["result"]["ranking"]] == ["有筛选"]
    assert [u["name"] for u in detail["result"]["unranked"]] == ["空白"]
    assert _row(detail, "有筛选")["level"] == "recommend"
    assert _row(detail, "空白")["level"] == "insufficient_evidence"
    assert _row(detail, "空白")["final_score"] is None
    # one ranked candidate: the order names it
    assert detail["result"]["recommended_order"] == "有筛选"


def _document(report, user, *, status, final_total):
    return Document.objects.create(
        kind="resume_screening",
        source_type=ContentType.objects.get_for_model(ScreeningReport),
        source_id=str(report.pk),
        uploader=user,
        machine_total=report.overall_score,
        audit_status=status,
        final_total=final_total,
        final_passed=True,
    )


def test_confirmed_screening_uses_the_human_total_and_says_so(hr_client, hr_user, run):
    group = make_group(hr_user, [Spec("复核", 0.5, interview=False)], title="测试工程师")
    report = ScreeningReport.objects.get(resume__group=group)
    document = _document(report, hr_user, status=AuditState.PENDING, final_total=90)
    body = {"group_id": str(group.pk)}
    row = _detail(hr_client, run(hr_client, body))["candidates"][0]
    assert row["inputs"]["screening"]["confirmed"] is False  # not confirmed yet: machine
    assert row["inputs"]["screening"]["overall"] == 50
    assert row["coverage"]["text"] == "筛选，无面试" and row["coverage"]["confirmed"] == []
    machine_score = row["final_score"]

    Document.objects.filter(pk=document.pk).update(audit_status=AuditState.CONFIRMED)
    row = _detail(hr_client, run(hr_client, body))["candidates"][0]
    assert row["inputs"]["screening"]["confirmed"] is True
    assert row["inputs"]["screening"]["overall"] == 90  # the human-confirmed total
    assert row["inputs"]["screening"]["machine_overall"] == 50
    assert row["coverage"]["text"] == "筛选（人工已确认），无面试"
    assert row["coverage"]["confirmed"] == ["screening"]
    assert row["final_score"] > machine_score  # the position-fit sub-score rose with it


@pytest.fixture
def corrected_video(hr_user):
    def _make(resume, *, correct: bool = True):
        video = VideoAnalysis.objects.create(
            candidate_name=resume.candidate_name,
            position_applied=resume.position.title,
            resume=resume,
            status=VideoAnalysis.Status.COMPLETED,
            fraud_score=0.1,
            confidence_score=0.7,
            openness_score=0.6,
            machine_results={"fraud_score": 0.1, "confidence_score": 0.7},
        )
        if correct:
            video_services.correct(
                video_id=video.pk, data=VideoUpdateIn(fraud_score=0.05), reviewer=hr_user
            )
        return video

    return _make


def test_include_video_changes_the_inputs_when_a_corrected_video_is_linked(
    hr_client, hr_user, run, corrected_video
):
    group = make_group(hr_user, [Spec("视频", 0.75, interview=False), Spec("无视频", 0.75)])
    corrected_video(group.resumes.get(candidate_name="视频"))
    off = _detail(hr_client, run(hr_client, {"group_id": str(group.pk), "include_video": False}))
    on = _detail(hr_client, run(hr_client, {"group_id": str(group.pk), "include_video": True}))
    row_off, row_on = _row(off, "视频"), _row(on, "视频")
    assert row_off["inputs"]["video"]["included"] is False
    assert row_off["inputs"]["video"]["reason_code"] == "not_requested"
    assert row_off["coverage"]["text"] == "筛选，无面试"
    assert row_on["inputs"]["video"]["included"] is True
    assert row_on["inputs"]["video"]["reviewed_fields"] == ["fraud_score"]
    assert row_on["inputs"]["video"]["fraud_score"] == 0.05  # the reviewer's value
    assert row_on["coverage"]["text"] == "筛选 + 视频（人工已复核），无面试"
    assert row_on["coverage"]["confirmed"] == ["video"]
    assert row_on["result"]["video"]["included"] is True
    assert row_on["final_score"] == row_off["final_score"]  # advisory: never scored
    assert any("已纳入视频：视频" in n for n in on["result"]["notes"])
    assert not any("尚未进入审核模块" in n or "not recorded" in n for n in on["result"]["notes"])
    assert _row(on, "无视频")["inputs"]["video"] is None


def test_an_uncorrected_video_is_not_a_reviewed_input(hr_client, hr_user, run, corrected_video):
    group = make_group(hr_user, [Spec("未复核", 0.75)])
    corrected_video(group.resumes.get(), correct=False)
    row = _detail(hr_client, run(hr_client, {"group_id": str(group.pk), "include_video": True}))[
        "candidates"
    ][0]
    assert row["inputs"]["video"]["included"] is False
    assert row["inputs"]["video"]["reason_code"] == "not_reviewed"
    assert "复核" in row["result"]["video"]["reason"]
    assert row["coverage"]["text"] == "筛选 + 面试"


def test_downloads_show_the_coverage_and_level_words(hr_client, hr_user, run, corrected_video):
    group = make_group(hr_user, [Spec("甲", 1.0, interview=False), Spec("乙", 0.5)])
    corrected_video(group.resumes.get(candidate_name="甲"))
    task_id = run(hr_client, {"group_id": str(group.pk), "include_video": True})
    md = hr_client.get(f"/final-recommend/reports/{task_id}/download/?format=md").content.decode()
    assert "筛选 + 视频（人工已复核），无面试" in md and "筛选 + 面试" in md
    assert "开放性 0.60" in md and "作弊风险 0.05" in md  # trait in words, the reviewed value
    assert "评估依据" in md and "尚无面试" in md
    for code in (*RAW_LEVELS, "professional_competency", "openness"):
        assert code not in md
