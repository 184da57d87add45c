"""Every console page a person reads shows words, never the codes behind them (issue 16).

The data is built through the services the API uses (positions with two criteria versions,
resumes screened in Chinese, a confirmed review, an assignment, a group with a finished
evaluation, an analysed video); then each page is fetched in Chinese and in English and its
visible text (tags, scripts, styles and the resume text itself removed) must contain no code
from the vocabularies, no snake_case identifier and no UTC/ISO 8601 timestamp.
"""

import html as html_lib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrm2.audit.models import Document
from hrm2.positions import services as position_services
from hrm2.positions.schemas import CriteriaPatch
from hrm2.recommend.models import GroupEvaluation
from hrm2.resumes.models import ResumeGroup
from hrm2.screening import services as screening_services
from hrm2.screening.schemas import ScreeningIn
from hrm2.videos.models import VideoAnalysis
from tests.recommend.factory import Spec, make_group
from tests.videos.factory import make_video, voice

pytestmark = pytest.mark.django_db

# The codes of the vocabularies (recommendations, verdicts, review and job states, resume and
# video statuses, engines, weight names): none may be a word of a Chinese page.
CODES_ZH = re.compile(
    r"\b(interview|reserve|reject|pending|screened|running|completed|failed|cancelled|"
    r"processing|analyzed|interviewing|confirmed|embedded|llm|pass|fail|partial|unknown|"
    r"skills|experience|education|certifications|projects|leadership|machine|reviewed)\b",
    re.I,
)
# In English some codes are ordinary words ("Pass", "Completed"); these never are.
CODES_EN = re.compile(r"\b(embedded|llm|analyzed|reserve|reject)\b")
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d|\+00:00|\bUTC\b")
LEVELS = re.compile(r"大专|本科|硕士|博士")

ALICE = (
    "张伟\n高级后端工程师，6 年 Python 与 Django 经验（2018-2024）。\n"
    "本科 计算机科学。带领 5 人团队完成 3 个项目，使用 PostgreSQL 和 Redis。\n"
)
BOB = "李娜\n前端开发，2 年 Vue 和 CSS 经验。\n大专。\n"


def visible(page: str) -> str:
    """What a reader sees: no scripts or styles, no tags (attribute values and URLs go with
    them), no resume text or evidence quotes (the candidate's own words), entities decoded."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    page = re.sub(r'(?is)<pre class="resume".*?</pre>|<q>.*?</q>', " ", page)
    page = re.sub(r"(?s)<[^>]+>", " ", page)
    return re.sub(r"«[^»]*»", " ", html_lib.unescape(page))


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    return request.param


@pytest.fixture
def world(
    hr_console, position, console_for, django_capture_on_commit_callbacks, tmp_path, language
):
    """Everything the console lists, made through the services; screened in ``language``."""
    from hrm2.resumes import services as resume_services

    user = hr_console.user
    position_services.update_criteria(
        position=position,
        patch=CriteriaPatch(
            required_skills=["Python", "Django", "Kafka"],
            min_experience=5,
            education=["本科", "硕士"],
            weights={"skills": 0.5, "experience": 0.3, "education": 0.2},
        ),
        user=user,
    )
    resumes = [
        resume_services.create_resume(position=position, content=text, user=user)
        for text in (ALICE, BOB)
    ]
    unscreened = resume_services.create_resume(
        position=position, content="王五\n测试工程师。\n", user=user
    )
    with django_capture_on_commit_callbacks(execute=True):
        task = screening_services.submit_screening(
            data=ScreeningIn(position_id=position.pk, resume_data_ids=[r.pk for r in resumes]),
            user=user,
            language=language,
        )
    task.job.refresh_from_db()
    assert task.job.status == "completed", task.job.error
    # one review confirmed (a changed verdict), the other assigned to a reviewer
    reviewer = console_for("reviewer")
    documents = list(Document.objects.order_by("pk"))
    first = documents[0]
    result = first.results.order_by("pk").first()
    hr_console.post(
        f"/console/reviews/{first.pk}/results/{result.pk}/",
        {"result": "fail", "message": "项目经历不足", "version": result.version},
    )
    first.refresh_from_db()
    hr_console.post(f"/console/reviews/{first.pk}/confirm/", {"version": first.version})
    hr_console.post(
        "/console/assignments/assign/",
        {
            "scope": "documents",
            "document_ids": str(documents[1].pk),
            "reviewer_ids": [str(reviewer.user.pk)],
        },
    )
    group = ResumeGroup.objects.create(position=position, group_name="第一批", created_by=user)
    for resume in resumes:
        resume.group = group
        resume.save(update_fields=["group"])
    ranked = make_group(user, [Spec("甲", 0.875), Spec("乙", 0.5, interview=False)])
    with django_capture_on_commit_callbacks(execute=True):
        hr_console.post(f"/console/groups/{ranked.pk}/evaluate/", {})
    evaluation = GroupEvaluation.objects.get(group=ranked)
    clip = make_video(
        tmp_path / "clip.mp4", duration=4, faces=1, audio=voice(4, phrases=[(0.5, 3.0)])
    )
    with django_capture_on_commit_callbacks(execute=True):
        hr_console.post(
            "/console/videos/upload/",
            {
                "candidate_name": "张伟",
                "position_applied": position.title,
                "consent": "true",
                "video_file": SimpleUploadedFile("clip.mp4", clip.read_bytes()),
            },
        )
    video = VideoAnalysis.objects.get()
    return {
        "position": position,
        "resumes": resumes,
        "unscreened": unscreened,
        "task": task,
        "documents": documents,
        "group": group,
        "ranked": ranked,
        "evaluation": evaluation,
        "video": video,
        "reviewer": reviewer,
    }


def pages(world) -> list[str]:
    p, r = world["position"], world["resumes"]
    return [
        "/console/positions/",
        f"/console/positions/{p.pk}/",
        f"/console/positions/{p.pk}/history/",
        "/console/resumes/",
        f"/console/resumes/{r[0].pk}/",
        f"/console/resumes/{r[1].pk}/",
        f"/console/resumes/{world['unscreened'].pk}/",
        "/console/groups/",
        f"/console/groups/{world['group'].pk}/",
        f"/console/groups/{world['ranked'].pk}/",
        f"/console/groups/evaluations/{world['evaluation'].pk}/",
        "/console/screening/",
        f"/console/screening/{world['task'].pk}/",
        "/console/reviews/?state=all",
        f"/console/reviews/{world['documents'][0].pk}/",
        f"/console/reviews/{world['documents'][1].pk}/",
        "/console/assignments/",
        "/console/videos/",
        f"/console/videos/{world['video'].pk}/",
    ]


def test_console_pages_show_words_not_codes(hr_console, world, language):
    problems = []
    for url in pages(world):
        response = hr_console.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200:
            problems.append(f"{url} [{language}] HTTP {response.status_code}")
            continue
        text = visible(response.content.decode())
        found = {
            "code": (CODES_ZH if language == "zh-hans" else CODES_EN).findall(text),
            "snake_case": SNAKE.findall(text),
            "timestamp": ISO.findall(text),
        }
        if language == "en":
            found["chinese level"] = LEVELS.findall(text)
        for kind, hits in found.items():
            if hits:
                problems.append(f"{url} [{language}] {kind}: {sorted(set(hits))}")
    assert not problems, "\n".join(problems)


def test_points_of_a_chinese_screening_read_in_english(
    hr_console, position, resumes, django_capture_on_commit_callbacks
):
    """A point's stored name is in the screening's language; English readers still get the
    criterion in English (the reasons stay the engine's words, in the screening's language)."""
    with django_capture_on_commit_callbacks(execute=True):
        screening_services.submit_screening(
            data=ScreeningIn(position_id=position.pk, resume_data_ids=[resumes[0].pk]),
            user=hr_console.user,
            language="zh-hans",
        )
    document = Document.objects.get()
    url = f"/console/reviews/{document.pk}/"
    chinese = hr_console.get(url).content.decode()
    assert re.search(r'class="point-name"[^>]*>学历：本科<', chinese)
    english = hr_console.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    names = re.findall(r'class="point-name"[^>]*>([^<]*)<', english)
    assert "Education: bachelor&#x27;s degree" in names and "Work experience ≥ 3 years" in names
    assert not any(LEVELS.search(name) or "：" in name for name in names), names
