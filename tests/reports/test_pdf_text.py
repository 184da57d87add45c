"""What a person reads in each downloaded PDF, in Chinese and in English: every glyph drawn
(no U+FFFD, no "?" the report itself did not have), verdicts in words (never ``pass``/``fail``/
``partial``, nor a recommendation code) and times in the server's zone as ``2026-12-04 17:23``
(never raw ISO 8601).

Screening (with a confirmed review that overturns a verdict), interview and group-recommendation
reports are produced through the API as a user would; the Markdown download of the same report is
the source text the PDF is compared with. Set ``HRM2_REPORT_PDFS=<dir>`` to keep the PDFs (to
look at them with ``pdftoppm``).
"""

import io
import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from hrm2.audit.models import Document, EvaluationResult
from hrm2.interviews.models import InterviewReport
from hrm2.recommend.models import GroupEvaluation
from hrm2.screening.models import ScreeningReport
from tests.audit.test_screening_records import CRITERIA, WEAK
from tests.conftest import assert_success
from tests.interviews.test_api import RESUME, STRONG, VAGUE
from tests.recommend.factory import Spec, make_group

pytestmark = pytest.mark.django_db

LANGUAGES = ("zh-hans", "en")
RAW_CODES = re.compile(r"\b(pass|fail|partial|unknown|reject|reserve)\b")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def keep(name: str, content: bytes) -> None:
    folder = os.environ.get("HRM2_REPORT_PDFS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(content)


def download(client, url: str, fmt: str) -> bytes:
    response = client.get(f"{url}{'&' if '?' in url else '?'}format={fmt}")
    assert response.status_code == 200, response.content[:300]
    return response.content


def screen_weak_resume(client, capture) -> str:
    """A position and a weak resume for it, screened; the resume's id."""
    position = assert_success(client.post("/position-settings/", CRITERIA), 201)
    resume_id = assert_success(
        client.post(
            "/resume-screening/data/", {"position_id": position["id"], "resume_content": WEAK}
        ),
        201,
    )["id"]
    with capture(execute=True):
        client.post(
            "/resume-screening/screening/",
            {"position_id": position["id"], "resume_data_ids": [resume_id]},
        )
    return resume_id


def screening_report(client, capture) -> tuple[str, set[str]]:
    """A weak resume screened; its uploader overturns a failed criterion and confirms."""
    resume_id = screen_weak_resume(client, capture)
    report = ScreeningReport.objects.get(resume_id=resume_id)
    document = Document.objects.get(source_id=str(report.pk))
    result = EvaluationResult.objects.filter(document=document).order_by("id").first()
    audit = "/admin/v2/evaluation"
    reviewed = client.post(
        f"{audit}/results/{result.pk}/review/",
        {"result": "pass", "message": "面试中已核实 / checked in person", "edit_audit_status": 1},
    )
    assert reviewed.status_code in (200, 201), reviewed.content
    confirmed = client.patch(f"{audit}/documents/{document.pk}/confirm", {})
    assert confirmed.status_code == 200, confirmed.content
    document.refresh_from_db()
    report.refresh_from_db()
    times = {local(report.completed_at), local(document.confirmed_at)}
    return f"/resume-screening/reports/{resume_id}/download/", times


def interview_report(client, capture) -> tuple[str, set[str]]:
    position = assert_success(
        client.post(
            "/position-settings/",
            {"position": "后端工程师", "required_skills": ["Python", "Django", "Kafka"]},
        ),
        201,
    )
    resume_id = assert_success(
        client.post(
            "/resume-screening/data/", {"position_id": position["id"], "resume_content": RESUME}
        ),
        201,
    )["id"]
    sid = assert_success(
        client.post("/interview-assist/sessions/", {"resume_data_id": resume_id}), 201
    )["session_id"]
    for content, skills in ((STRONG, ["Redis"]), (VAGUE, ["Django"])):
        body = {
            "question": {"content": "请讲讲缓存设计", "expected_skills": skills},
            "answer": {"content": content},
        }
        assert_success(client.post(f"/interview-assist/sessions/{sid}/record-qa/", body))
    data = assert_success(client.post(f"/interview-assist/sessions/{sid}/generate-report/", {}))
    created = InterviewReport.objects.get(pk=data["report_id"]).created_at
    return f"/interview-assist/reports/{data['report_id']}/download/", {local(created)}


def recommendation_report(client, capture) -> tuple[str, set[str]]:
    group = make_group(client.user, [Spec("甲", 0.875), Spec("乙", 0.5), Spec("丙", 0.25)])
    url = "/final-recommend/interview-evaluation/"
    with capture(execute=True):
        task_id = assert_success(client.post(url, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = assert_success(client.get(f"{url}{task_id}/"))
    assert detail["status"] == "completed", detail
    evaluated = GroupEvaluation.objects.get(pk=task_id).result["evaluated_at"]
    by_format = {r["format"]: r["download_url"] for r in detail["reports"]}
    return by_format, {local(datetime.fromisoformat(evaluated))}


PRODUCERS = {
    "screening": screening_report,
    "interview": interview_report,
    "recommendation": recommendation_report,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", PRODUCERS)
def test_pdf_text_is_what_a_person_should_read(
    kind, language, make_user, client_for, django_capture_on_commit_callbacks
):
    user = make_user("hr")
    client = client_for(user, headers={"Accept-Language": language})
    client.user = user
    where, times = PRODUCERS[kind](client, django_capture_on_commit_callbacks)
    if isinstance(where, dict):
        pdf, md = client.get(where["pdf"]).content, client.get(where["md"]).content.decode()
    else:
        pdf, md = download(client, where, "pdf"), download(client, where, "md").decode()
    keep(f"{kind}-{language}.pdf", pdf)
    text = pdf_text(pdf)

    assert "\ufffd" not in text
    assert text.count("?") <= md.count("?"), [line for line in text.splitlines() if "?" in line]
    assert not RAW_CODES.search(text), RAW_CODES.findall(text)
    assert not ISO_TIME.search(text) and not ISO_TIME.search(md)
    for when in times:
        assert when in text, (when, text[:600])
    title = text.strip().splitlines()[0]
    assert bool(re.search(r"[\u4e00-\u9fff]", title)) is (language != "en"), title
