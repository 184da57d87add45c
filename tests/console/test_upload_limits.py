"""The console's upload forms show an upload refused for its size (declared, or one file while
it streams) in the page, in the console's language, never as JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrm2.resumes.models import Resume
from tests.resumes.test_upload_limits import small_limits  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def test_console_upload_shows_the_message_in_its_form(hr_console, position):
    url = "/console/resumes/upload/"
    files = [SimpleUploadedFile("大简历.txt", b"z" * 20_000)]
    response = hr_console.post(url, {"position_id": str(position.pk), "files": files})
    assert response.status_code == 413 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "文件 大简历.txt 过大：上限 0.01 MB" in page and 'id="upload-form"' in page
    # Declared too large: nothing is read; the htmx form's header carries the CSRF token.
    response = hr_console.post(
        url, {"position_id": str(position.pk)}, CONTENT_LENGTH=str(2 * MB), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "上传内容过大：每次上限 0.05 MB，收到 2 MB" in page and 'id="upload-form"' in page
    assert Resume.objects.count() == 0


def test_console_refusal_without_a_token_is_the_413_page(console_for):
    client = console_for("hr", enforce_csrf_checks=True)
    response = client.post(
        "/console/videos/upload/", {"candidate_name": "A"}, CONTENT_LENGTH=str(18 * MB)
    )
    assert response.status_code == 413 and response["Content-Type"].startswith("text/html")
    assert "文件过大：上限 10 MB，收到 18 MB" in response.content.decode()
