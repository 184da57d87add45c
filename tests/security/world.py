"""A small world of real objects built through the API, for the authorization and fuzz suites.

``build_world(owner_client, ...)`` creates, as that user: a position, a resume, a finished
screening task (eager Celery) with its report and audit document, an interview session with
questions, one answer and a report, a cross-review task, and a video analysis row. It returns
the ids by the path-parameter names the URL table uses.
"""

from django.test import TestCase

from hrm2.audit.models import Document
from hrm2.screening.models import ScreeningTask
from hrm2.videos.models import VideoAnalysis
from tests.conftest import assert_success

CRITERIA = {
    "position": "后端工程师",
    "required_skills": ["Python", "Django"],
    "optional_skills": ["Redis"],
    "min_experience": 3,
    "education": ["本科"],
}
RESUME = (
    "张伟\n本科 计算机科学 2012-2016\n工作经历\n"
    "2016.07-2025.05 某科技公司 后端工程师，负责订单系统\n"
    "精通 Python、Django、Redis、PostgreSQL，9年工作经验\n"
)
ANSWER = "我负责缓存层的改造：首先我设计了基于 Redis 的二级缓存，最终数据库 QPS 从 2 万降到 3000。"


def build_world(client, user, *, interviewer_client=None) -> dict:
    """Objects owned by ``user`` (whose API client is ``client``; it must be hr or admin).

    The interview session is created by ``interviewer_client`` when given (its owner), else by
    ``client``.
    """
    position = assert_success(client.post("/position-settings/", CRITERIA), 201)
    resume = assert_success(
        client.post(
            "/resume-screening/data/",
            {"position_id": position["id"], "resume_content": RESUME},
        ),
        201,
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        task = assert_success(
            client.post(
                "/resume-screening/screening/",
                {"position_id": position["id"], "resume_data_ids": [resume["id"]]},
            ),
            202,
        )
    screening = ScreeningTask.objects.get(pk=task["task_id"])
    report = screening.reports.get()
    document = Document.objects.filter(uploader=user).order_by("-pk").first()
    assert document is not None, "screening records an audit document for its submitter"
    result = document.results.order_by("pk").first()
    group = assert_success(
        client.post(
            "/resume-screening/groups/create/",
            {"group_name": f"group {resume['id'][:8]}", "resume_data_ids": [resume["id"]]},
        ),
        201,
    )
    interviewer = interviewer_client or client
    session = assert_success(
        interviewer.post("/interview-assist/sessions/", {"resume_data_id": resume["id"]}), 201
    )
    sid = session["session_id"]
    questions = assert_success(
        interviewer.post(f"/interview-assist/sessions/{sid}/generate-questions/", {})
    )["questions"]
    assert_success(
        interviewer.post(
            f"/interview-assist/sessions/{sid}/record-qa/",
            {"question": {"id": questions[0]["id"]}, "answer": {"content": ANSWER}},
        )
    )
    interview_report = assert_success(
        interviewer.post(f"/interview-assist/sessions/{sid}/generate-report/", {})
    )
    audit_task = assert_success(
        client.post(
            "/admin/v2/evaluation/tasks/",
            {"name": "cross review", "participants": [], "document_ids": [document.pk]},
        ),
        201,
    )
    audit_status = assert_success(
        client.post(
            "/admin/v2/evaluation/audit-status/",
            {
                "document_id": document.pk,
                "evaluation_point_id": result.point_id,
                "evaluation_result_id": result.pk,
                "edit_audit_status": 1,
                "message": "ok",
            },
        )
    )
    video = VideoAnalysis.objects.create(
        candidate_name="张伟", position_applied="后端工程师", uploaded_by=user
    )
    return {
        "position_id": position["id"],
        "resume_id": resume["id"],
        "group_id": group["group_id"],
        "screening_task_id": str(screening.pk),
        "job_id": str(screening.job_id),
        "report_id": str(report.pk),
        "interview_report_id": str(interview_report["report_id"]),
        "session_id": sid,
        "video_id": str(video.pk),
        "document_id": document.pk,
        "result_id": result.pk,
        "point_id": result.point_id,
        "audit_task_id": audit_task["id"],
        "audit_status_id": audit_status["id"],
        "user_id": user.pk,
    }


def path_ids(world: dict, path: str) -> dict:
    """The path parameters of ``path`` (a URL-table path with ``{name}``) filled from ``world``."""
    ids = dict(world)
    if path.startswith("/admin/v2/"):
        ids["task_id"] = world["audit_task_id"]
    else:
        ids["task_id"] = world["screening_task_id"]
    if path.startswith("/interview-assist/reports/"):
        ids["report_id"] = world["interview_report_id"]
    return ids
