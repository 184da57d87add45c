"""Multipart resume uploads: per-file outcomes, type by content, limits, hidden text, storage."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from hrm2.resumes.models import Resume
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db
URL = "/resume-screening/data/"


def pdf_bytes(lines, hidden=()) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for i, line in enumerate(lines):
        pdf.text(20, 20 + 10 * i, line)
    pdf.set_text_color(255, 255, 255)
    for i, line in enumerate(hidden):
        pdf.text(20, 150 + 10 * i, line)
    return bytes(pdf.output())


def docx_bytes(paragraphs) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def multipart_post(client, data):
    """Django's client encodes a dict with files as multipart/form-data (ours defaults to JSON)."""
    from django.test import Client

    return Client.post(client, URL, data)


@pytest.fixture
def hr_upload(hr):
    def _upload(files, **fields):
        data = {"position_title": "Backend Engineer", **fields}
        data["files"] = [SimpleUploadedFile(name, content) for name, content in files]
        return multipart_post(hr, data)

    return _upload


def test_upload_pdf_docx_txt_md(hr_upload, settings):
    response = hr_upload(
        [
            ("alice.pdf", pdf_bytes(["Alice Smith", "Python and Django, 5 years"])),
            ("bob.docx", docx_bytes(["姓名：王小明", "熟悉 Java 与 Spring"])),
            ("carol.txt", b"Carol Jones\nGo, Kubernetes"),
            ("dave.md", b"# Dave Brown\n\n- SQL"),
        ]
    )
    data = assert_success(response, 201)
    assert data["accepted"] == 4 and data["rejected"] == 0
    names = {item["filename"]: item["candidate_name"] for item in data["items"]}
    assert names == {
        "alice.pdf": "Alice Smith",
        "bob.docx": "王小明",
        "carol.txt": "Carol Jones",
        "dave.md": "dave",
    }
    stored = Resume.objects.get(original_filename="alice.pdf")
    assert stored.source_kind == "pdf" and "Django" in stored.content
    assert stored.original_file.name.endswith(f"{stored.pk}.pdf")
    assert stored.original_file.read().startswith(b"%PDF-")


def test_type_comes_from_content_not_name(hr_upload):
    data = assert_success(hr_upload([("resume.pdf", b"Eve Adams\nPython")]), 201)
    assert Resume.objects.get(pk=data["items"][0]["resume_id"]).source_kind == "txt"


def test_renamed_exe_is_415(hr_upload):
    body = assert_error(hr_upload([("cv.pdf", b"MZ\x90\x00" + b"\x00" * 200)]), 415)
    assert body["errors"][0]["loc"] == ["form", "files", 0]
    assert Resume.objects.count() == 0


def test_empty_file_is_422(hr_upload):
    assert_error(hr_upload([("empty.txt", b"")]), 422)


def test_too_many_files_is_422(hr_upload):
    files = [(f"r{i}.txt", f"Person {i}\nskill {i}".encode()) for i in range(60)]
    body = assert_error(hr_upload(files), 422)
    assert body["errors"][0]["type"] == "too_many_files"
    assert Resume.objects.count() == 0


def test_one_bad_file_does_not_reject_the_others(hr_upload):
    data = assert_success(
        hr_upload(
            [
                ("good.txt", b"Frank Moore\nRust"),
                ("bad.pdf", b"MZ" + b"\x00" * 100),
                ("empty.txt", b""),
            ]
        ),
        201,
    )
    assert [i["status"] for i in data["items"]] == ["accepted", "rejected", "rejected"]
    assert [i["code"] for i in data["items"]] == [201, 415, 422]
    assert Resume.objects.count() == 1


def test_duplicate_upload_is_409_with_existing_id(hr_upload):
    first = assert_success(hr_upload([("a.txt", b"Grace Hall\nPython")]), 201)
    existing = first["items"][0]["resume_id"]
    body = assert_error(hr_upload([("b.txt", b"Grace  Hall\n\nPython")]), 409)
    assert body["errors"][0]["existing_id"] == existing
    other = assert_success(
        hr_upload([("a.txt", b"Grace Hall\nPython")], position_title="Data Engineer"), 201
    )
    assert other["items"][0]["resume_id"] != existing


def test_hidden_pdf_text_is_flagged_and_not_stored_for_scoring(hr_upload, hr):
    data = assert_success(
        hr_upload(
            [
                (
                    "cv.pdf",
                    pdf_bytes(["Henry King", "Excel"], hidden=["Kubernetes expert 20 years"]),
                )
            ]
        ),
        201,
    )
    item = data["items"][0]
    assert [w["code"] for w in item["warnings"]] == ["hidden_text"]
    resume = Resume.objects.get(pk=item["resume_id"])
    assert "Kubernetes" not in resume.content
    detail = assert_success(hr.get(f"/resume-screening/reports/{resume.pk}/detail/"))
    assert detail["warnings"][0]["code"] == "hidden_text"


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.txt", "a\x00b.txt", "x" * 500 + ".txt", "C:\\Users\\me\\cv.txt"]
)
def test_hostile_file_names_are_neutralised(hr_upload, name):
    data = assert_success(hr_upload([(name, f"Ivy Lee {len(name)}\nSQL".encode())]), 201)
    resume = Resume.objects.get(pk=data["items"][0]["resume_id"])
    assert "/" not in resume.original_filename and "\x00" not in resume.original_filename
    assert "\\" not in resume.original_filename
    assert len(resume.original_filename) <= 255
    assert ".." not in resume.original_file.name


def test_upload_form_validation(hr_upload, hr):
    assert_error(hr_upload([("a.txt", b"Jack\nGo")], position_title=""), 422)
    body = assert_error(hr_upload([("a.txt", b"Jack\nGo")], position_details="{oops"), 422)
    assert body["errors"][0]["loc"] == ["form", "position_details"]
    assert_error(multipart_post(hr, {"position_title": "Backend Engineer"}), 422)


def test_reviewer_cannot_upload(client_for):
    reviewer = client_for("reviewer")
    response = multipart_post(
        reviewer, {"position_title": "X", "files": [SimpleUploadedFile("a.txt", b"Kim\nGo")]}
    )
    assert_error(response, 403)
