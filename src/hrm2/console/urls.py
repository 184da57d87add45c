"""URLs of the console (server-rendered pages; the API keeps JWT, the console uses sessions)."""

from django.shortcuts import redirect
from django.urls import path
from django.views.i18n import set_language

from hrm2.console.views import (
    assignments,
    audit,
    auth,
    evaluations,
    groups,
    interviews,
    positions,
    resumes,
    screening,
    videos,
)
from hrm2.console.views.common import console_view

app_name = "console"


@console_view()
def home(request):
    return redirect("console:resume_list")


urlpatterns = [
    path("", home, name="home"),
    path("login/", auth.login, name="login"),
    path("logout/", auth.logout, name="logout"),
    path("language/", set_language, name="set_language"),
    path("positions/", positions.position_list, name="position_list"),
    path("positions/new/", positions.position_create, name="position_create"),
    path("positions/<uuid:position_id>/", positions.position_detail, name="position_detail"),
    path(
        "positions/<uuid:position_id>/history/",
        positions.position_history,
        name="position_history",
    ),
    path(
        "positions/<uuid:position_id>/archive/",
        positions.position_archive,
        name="position_archive",
    ),
    path("resumes/", resumes.resume_list, name="resume_list"),
    path("resumes/upload/", resumes.resume_upload, name="resume_upload"),
    path("resumes/<uuid:resume_id>/", resumes.resume_detail, name="resume_detail"),
    path(
        "resumes/<uuid:resume_id>/report.<str:fmt>",
        resumes.report_download,
        name="report_download",
    ),
    path("screening/", screening.task_list, name="task_list"),
    path("screening/submit/", screening.task_submit, name="task_submit"),
    path("screening/<uuid:task_id>/", screening.task_detail, name="task_detail"),
    path("screening/<uuid:task_id>/progress/", screening.task_progress, name="task_progress"),
    path("screening/<uuid:task_id>/cancel/", screening.task_cancel, name="task_cancel"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/create/", groups.group_create, name="group_create"),
    path("groups/<uuid:group_id>/", groups.group_detail, name="group_detail"),
    path("videos/", videos.video_list, name="video_list"),
    path("videos/upload/", videos.video_upload, name="video_upload"),
    path("videos/link/", videos.video_link, name="video_link"),
    path("videos/unlink/", videos.video_unlink, name="video_unlink"),
    path("videos/<uuid:video_id>/", videos.video_detail, name="video_detail"),
    path("videos/<uuid:video_id>/media/", videos.video_media, name="video_media"),
    path("videos/<uuid:video_id>/status/", videos.video_status, name="video_status"),
    path("videos/<uuid:video_id>/correct/", videos.video_correct, name="video_correct"),
    path("videos/<uuid:video_id>/reanalyze/", videos.video_reanalyze, name="video_reanalyze"),
    path("groups/<uuid:group_id>/evaluate/", evaluations.evaluation_start, name="evaluation_start"),
    path(
        "groups/evaluations/<uuid:evaluation_id>/",
        evaluations.evaluation_detail,
        name="evaluation_detail",
    ),
    path(
        "groups/evaluations/<uuid:evaluation_id>/progress/",
        evaluations.evaluation_progress,
        name="evaluation_progress",
    ),
    path(
        "groups/evaluations/<uuid:evaluation_id>/report.<str:fmt>",
        evaluations.evaluation_report,
        name="evaluation_report",
    ),
    path("interviews/", interviews.session_list, name="interview_list"),
    path("interviews/start/", interviews.session_start, name="interview_start"),
    path("interviews/<uuid:session_id>/", interviews.session_detail, name="interview_detail"),
    path(
        "interviews/<uuid:session_id>/questions/",
        interviews.generate_questions,
        name="interview_questions",
    ),
    path("interviews/<uuid:session_id>/answer/", interviews.record_answer, name="interview_answer"),
    path("interviews/<uuid:session_id>/end/", interviews.end_session, name="interview_end"),
    path(
        "interviews/<uuid:session_id>/report/",
        interviews.generate_report,
        name="interview_report_generate",
    ),
    path(
        "interviews/<uuid:session_id>/report.<str:fmt>",
        interviews.report_download,
        name="interview_report",
    ),
    path("reviews/", assignments.review_queue, name="review_queue"),
    path("assignments/", assignments.workload, name="assignment_workload"),
    path("assignments/assign/", assignments.assign, name="assignment_assign"),
    path("reviews/<int:document_id>/", audit.review_detail, name="review_detail"),
    path(
        "reviews/<int:document_id>/results/<int:result_id>/",
        audit.review_result,
        name="review_result",
    ),
    path("reviews/<int:document_id>/confirm/", audit.review_confirm, name="review_confirm"),
    path(
        "reviews/<int:document_id>/pass-remaining/",
        audit.review_pass_remaining,
        name="review_pass_remaining",
    ),
]
