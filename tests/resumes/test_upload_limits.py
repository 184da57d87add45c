"""Upload limits per path (``settings.UPLOAD_LIMITS``): refused from the declared Content-Length
before the body is read, and per file while it streams, naming the file; the API answers the
413 envelope, the console shows the message in its upload form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from hrm2.resumes.models import Resume
from tests.conftest import assert_error
from tests.wsgi import call as wsgi_call

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
RESUMES = "/resume-screening/data/"
VIDEOS = "/video-analysis/"


@pytest.fixture(autouse=True)
def small_limits(settings):
    resumes = (10 * 1024, 5)  # 10 KB a file, 5 files
    settings.UPLOAD_LIMITS = {
        RESUMES: resumes,
        "/console/resumes/upload/": resumes,
        VIDEOS: (10 * MB, 1),
        "/console/videos/upload/": (10 * MB, 1),
    }


@pytest.fixture
def auth(make_user):
    from hrm2.api.auth import issue_tokens

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_tokens(make_user('hr')).access}"}


class CountingInput(io.BytesIO):
    """A request body that counts what the server read of it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.size, self.read_bytes = len(data), 0

    def read(self, n=-1):
        chunk = super().read(n)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, n=-1):
        chunk = super().readline(n)
        self.read_bytes += len(chunk)
        return chunk


def _multipart(files, **fields) -> bytes:
    data = {**fields, "files": [SimpleUploadedFile(n, c) for n, c in files]}
    return encode_multipart(BOUNDARY, data)


def _wsgi_post(path, body: CountingInput, declared: int | None = None, headers=None):
    import orjson

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(declared if declared is not None else body.size),
        **(headers or {}),
    }
    status, _headers, content = wsgi_call(environ)
    return status, orjson.loads(content)


def test_declared_size_is_refused_before_reading_in_chinese_and_english(auth):
    body = CountingInput(b"")
    status, payload = _wsgi_post(VIDEOS, body, declared=18 * MB, headers=auth)
    assert status == 413 and payload["success"] is False and payload["code"] == 413
    assert payload["message"] == "文件过大：上限 10 MB，收到 18 MB"
    assert body.read_bytes == 0
    status, payload = _wsgi_post(
        VIDEOS, body, declared=18 * MB, headers={**auth, "HTTP_ACCEPT_LANGUAGE": "en"}
    )
    assert payload["message"] == "File too large: the limit is 10 MB, received 18 MB"
    status, payload = _wsgi_post(RESUMES, body, declared=2 * MB, headers=auth)
    assert status == 413 and payload["message"] == "上传内容过大：每次上限 0.05 MB，收到 2 MB"
    assert body.read_bytes == 0


def test_one_file_past_its_limit_stops_the_upload_and_is_named(auth):
    big = b"Python developer with Django.\n" * 40_000  # 1.2 MB, the limit is 10 KB
    data = _multipart(
        [("ok.txt", b"Alice Smith\nPython, Django"), ("big.txt", big), ("late.txt", b"x")],
        position_title="Backend Engineer",
    )
    # An honest Content-Length under the request's limit (5 files x 10 KB): only streaming sees it.
    body = CountingInput(data)
    status, payload = _wsgi_post(RESUMES, body, declared=40 * 1024, headers=auth)
    assert status == 413 and payload["message"] == "文件 big.txt 过大：上限 0.01 MB"
    assert body.read_bytes <= 200 * 1024  # stopped at the limit, not read to the end
    assert Resume.objects.count() == 0  # the file read before it is not kept either


def test_streaming_limit_through_the_client_in_english(hr):
    response = Client.post(
        hr,
        RESUMES,
        {
            "position_title": "Backend Engineer",
            "files": [SimpleUploadedFile("cv.txt", b"y" * 20_000)],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = assert_error(response, 413)
    assert body["message"] == "File cv.txt is too large: the limit is 0.01 MB"
    assert Resume.objects.count() == 0
