"""Hostile input through the real HTTP stack: JWT attacks, malicious uploads, abusive bodies.

Requests go through Django's test client (the whole middleware stack) and, where the client would
clean the input up (file names, a streamed body with its Content-Length), through a raw WSGI
environ. Every case must give a clear 4xx in the error envelope, and the process must stay
healthy: the next ordinary request succeeds. Test files are generated here, never downloaded.
"""

import io
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings

from hrm2.documents.base import limit
from hrm2.resumes.models import Resume
from hrm2.videos.models import VideoAnalysis
from tests import wsgi
from tests.conftest import assert_error, assert_success

pytestmark = pytest.mark.django_db
RESUMES = "/resume-screening/data/"
VIDEOS = "/video-analysis/"


@pytest.fixture
def hr_user(make_user):
    return make_user("hr", "hostile-hr")


@pytest.fixture
def hr(client_for, hr_user):
    return client_for(hr_user)


@pytest.fixture
def healthy(hr):
    """``healthy()`` asserts that an ordinary authenticated request still succeeds."""

    def check():
        assert_success(hr.get("/auth/me/"))
        assert_success(hr.get(RESUMES))

    return check


# --- JWT -----------------------------------------------------------------------------------------


def _claims(user, **overrides):
    now = datetime.now(UTC)
    claims = {
        "iss": settings.JWT_ISSUER,
        "sub": str(user.pk),
        "typ": "access",
        "role": "admin",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": uuid.uuid4().hex,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(claims) -> str:
    import json

    header = _b64(b'{"alg":"none","typ":"JWT"}')
    body = _b64(json.dumps(claims, default=lambda d: int(d.timestamp())).encode())
    return f"{header}.{body}."


def _rsa():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return key, public_pem


def _hostile_tokens(user) -> dict[str, str]:
    key = settings.JWT_SIGNING_KEY
    private, public_pem = _rsa()
    past = datetime.now(UTC) - timedelta(hours=2)
    return {
        "alg none": _unsigned(_claims(user)),
        "alg none, no signature dot": _unsigned(_claims(user)).rstrip("."),
        "HS256 signed with an RSA public key": _hs_with_public_key(_claims(user), public_pem),
        "RS256 with an attacker's key": jwt.encode(_claims(user), private, algorithm="RS256"),
        "expired": jwt.encode(_claims(user, exp=past, iat=past, nbf=past), key, "HS256"),
        "nbf in the future": jwt.encode(
            _claims(user, nbf=datetime.now(UTC) + timedelta(hours=1)), key, "HS256"
        ),
        "wrong signature": jwt.encode(_claims(user), "not-the-server-key" * 4, "HS256"),
        "refresh token as access": jwt.encode(_claims(user, typ="refresh"), key, "HS256"),
        "no exp": jwt.encode(_claims(user, exp=None), key, "HS256"),
        "wrong issuer": jwt.encode(_claims(user, iss="evil"), key, "HS256"),
        "sub not a user id": jwt.encode(_claims(user, sub="abc' OR 1=1 --"), key, "HS256"),
        "sub of nobody": jwt.encode(_claims(user, sub="987654321"), key, "HS256"),
        "sub an object": jwt.encode(_claims(user, sub={"$ne": 1}), key, "HS256"),
        "1 MB token": "a" * (1 << 20),
        "garbage": "not.a.jwt",
        "empty segments": "..",
        "non-ascii": "ä.ö.ü",
    }


def _hs_with_public_key(claims, public_pem: bytes) -> str:
    """HS/RS confusion: HMAC-SHA256 keyed with the PEM public key (PyJWT refuses to make it)."""
    import hashlib
    import hmac
    import json

    header = _b64(b'{"alg":"HS256","typ":"JWT"}')
    body = _b64(json.dumps(claims, default=lambda d: int(d.timestamp())).encode())
    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def test_jwt_attacks_get_401(hr_user, anon, healthy):
    from tests.conftest import ApiClient

    for name, token in _hostile_tokens(hr_user).items():
        started = time.monotonic()
        response = ApiClient(token=token).get("/auth/me/")
        body = assert_error(response, 401)
        assert time.monotonic() - started < 2, name
        assert token[:200] not in response.content.decode(), name  # never echoed
        assert body["message"], name
    for header in ("Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer", "Token abc"):
        assert_error(anon.get("/auth/me/", headers={"Authorization": header}), 401)
    healthy()


def test_token_of_a_deactivated_user_is_refused(make_user, client_for):
    user = make_user("hr", "leaver")
    client = client_for(user)
    assert_success(client.get("/auth/me/"))
    user.is_active = False
    user.save()
    assert_error(client.get("/auth/me/"), 401)


def test_raw_wsgi_oversized_authorization_header(healthy):
    token = "x" * (1 << 20)
    status, body = wsgi_call("GET", "/auth/me/", headers={"HTTP_AUTHORIZATION": f"Bearer {token}"})
    assert status == 401 and body["code"] == 401
    healthy()


# --- raw WSGI ------------------------------------------------------------------------------------


class CountingInput:
    """A ``wsgi.input`` that would stream ``size`` bytes and counts what is read from it."""

    def __init__(self, size: int, chunk: bytes = b"0") -> None:
        self.size, self.chunk, self.read_bytes = size, chunk, 0

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        self.read_bytes += n
        return (self.chunk * (n // len(self.chunk) + 1))[:n]

    def readline(self, n: int = -1) -> bytes:
        return self.read(min(n, 1024) if n and n > 0 else 1024)


def wsgi_call(method, path, *, body=b"", stream=None, content_type="", headers=None, query=""):
    import orjson

    stream = stream if stream is not None else io.BytesIO(body)
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": stream,
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(getattr(stream, "size", len(body))),
        **(headers or {}),
    }
    status, response_headers, content = wsgi.call(environ)
    assert response_headers["Content-Type"].startswith("application/json"), content[:200]
    return status, orjson.loads(content)


@pytest.fixture
def hr_auth(hr_user):
    from hrm2.api.auth import issue_tokens

    return {"HTTP_AUTHORIZATION": f"Bearer {issue_tokens(hr_user).access}"}


def test_100mb_json_body_is_refused_before_reading(hr_auth, healthy):
    stream = CountingInput(100 * 1024 * 1024)
    started = time.monotonic()
    status, body = wsgi_call(
        "POST", RESUMES, stream=stream, content_type="application/json", headers=hr_auth
    )
    assert status == 413 and body["code"] == 413 and body["success"] is False
    assert stream.read_bytes == 0
    assert time.monotonic() - started < 1
    healthy()


def test_oversized_multipart_is_refused_before_reading(hr_auth, healthy):
    for path in (RESUMES, VIDEOS):
        stream = CountingInput(settings.MAX_UPLOAD_BODY_BYTES + 1)
        status, body = wsgi_call(
            "POST",
            path,
            stream=stream,
            content_type="multipart/form-data; boundary=x",
            headers=hr_auth,
        )
        assert status == 413 and body["code"] == 413
        assert stream.read_bytes == 0
    healthy()


def test_bad_content_length_and_truncated_bodies(hr_auth, healthy):
    status, body = wsgi_call(
        "POST",
        RESUMES,
        body=b"{}",
        content_type="application/json",
        headers={**hr_auth, "CONTENT_LENGTH": "-1"},
    )
    assert 400 <= status < 500, body
    status, body = wsgi_call(
        "POST",
        RESUMES,
        body=b"{}",
        content_type="application/json",
        headers={**hr_auth, "CONTENT_LENGTH": "12abc"},
    )
    assert status == 400, body
    # multipart that ends in the middle of a part
    truncated = b'--x\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nabc'
    status, body = wsgi_call(
        "POST",
        RESUMES,
        body=truncated,
        content_type="multipart/form-data; boundary=x",
        headers=hr_auth,
    )
    assert 400 <= status < 500, body
    healthy()


# --- JSON bodies ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"[" * 10_000 + b"]" * 10_000, 400),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, 400),
        (b'{"resume_content": "\xff\xfe broken utf-8"}', 400),
        (b'{"resume_content": "x", "position_id": 1e309}', 400),
        (b'{"min_experience": 1e309}', 400),
        (b"\xef\xbb\xbf{}", 400),
        (b"", 422),
        (b"null", 422),
        (b'"a string"', 422),
        (b'{"position_title": "x", "resume_content": "y", "candidate_name": 1e308}', 422),
    ],
)
def test_hostile_json_bodies(hr, raw, status, healthy):
    for path in (RESUMES, "/position-settings/", "/resume-screening/screening/"):
        response = hr.generic("POST", path, raw, content_type="application/json")
        assert 400 <= response.status_code < 500, (path, response.content)
        if path == RESUMES:
            assert_error(response, status)
    healthy()


def test_huge_integers_in_json_fields(hr, healthy):
    big = b"123456789012345678901234567890"
    for path, raw in [
        ("/position-settings/", b'{"position": "Dev", "min_experience": ' + big + b"}"),
        ("/resume-screening/screening/", b'{"position_id": ' + big + b', "resume_data_ids": []}'),
        ("/admin/v2/evaluation/tasks/", b'{"name": "t", "document_ids": [' + big + b"]}"),
        ("/interview-assist/sessions/", b'{"resume_data_id": ' + big + b"}"),
    ]:
        response = hr.generic("POST", path, raw, content_type="application/json")
        assert_error(response, 422)
    healthy()


@pytest.mark.parametrize(
    "query",
    [
        "page=" + "9" * 40,
        "page=1000001",
        "page=-1",
        "page=1e309",
        "page=NaN",
        "page_size=" + "9" * 40,
        "page_size=0",
        "page=abc",
        "min_score=1e309",
        "min_score=NaN",
    ],
)
def test_huge_or_odd_pagination_is_422(hr, query, healthy):
    assert_error(hr.get(f"{RESUMES}?{query}"), 422)
    healthy()


def test_deepest_allowed_page_is_empty_and_fast(hr):
    started = time.monotonic()
    data = assert_success(hr.get(f"{RESUMES}?page=1000000&page_size=100"))
    assert data["items"] == [] and data["page"] == 1_000_000
    assert time.monotonic() - started < 2


def test_invalid_utf8_in_query_and_path(hr_auth, healthy):
    status, body = wsgi_call("GET", RESUMES, query="candidate_name=%ff%fe%fd", headers=hr_auth)
    assert status in (200, 400, 422), body
    status, body = wsgi_call("GET", "/resume-screening/data/\xff\xfe/", headers=hr_auth)
    assert status in (400, 404), body
    status, body = wsgi_call("GET", "/resume-screening/groups/%ff%fe/", headers=hr_auth)
    assert status in (400, 404), body
    healthy()


# --- uploads -------------------------------------------------------------------------------------


def _docx(document_xml: bytes, *, declared_bomb: int = 0) -> bytes:
    """A minimal DOCX package; ``declared_bomb`` bytes of zeros added as one deflated part."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
            'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas'
            '.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document_xml)
        if declared_bomb:
            with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
                chunk = b"\0" * (1 << 20)
                for _ in range(declared_bomb // len(chunk)):
                    part.write(chunk)
    return out.getvalue()


DOC_XML = (
    b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org'
    b'/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body>'
    b"</w:document>"
)
LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct xref table; ``objects[0]`` is object 1 (the catalog)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_pages(count: int) -> bytes:
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * count
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            *pages,
        ]
    )


def pdf_deeply_nested(depth: int) -> bytes:
    """A page tree ``depth`` levels deep, and an array nested ``depth`` levels in the page."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for level in range(depth):
        number = level + 2
        parent = b" /Parent %d 0 R" % (number - 1) if level else b""
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1%s >>" % (number + 1, parent))
    nested = b"[" * depth + b"]" * depth
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Junk %s >>" % (depth + 1, nested)
    )
    return _pdf(objects)


def polyglot_pdf_zip() -> bytes:
    pdf = pdf_with_pages(1)
    return pdf + _docx(DOC_XML % b"Python developer")


HOSTILE_FILES = {
    "docx zip bomb (200 MB of zeros)": (
        "cv.docx",
        lambda: _docx(DOC_XML % b"x", declared_bomb=200 << 20),
        422,
    ),
    "docx billion laughs": ("cv.docx", lambda: _docx(LAUGHS), 422),
    "docx external entity": ("cv.docx", lambda: _docx(XXE), 422),
    "pdf with 10,000 pages": ("cv.pdf", lambda: pdf_with_pages(10_000), 422),
    "pdf nested 10,000 deep": ("cv.pdf", lambda: pdf_deeply_nested(10_000), 422),
    "pdf/zip polyglot": ("cv.pdf", polyglot_pdf_zip, 422),
    "exe named pdf": ("cv.pdf", lambda: b"MZ\x90\x00" + b"\0" * 2000, 415),
    "gif/js polyglot": ("cv.txt", lambda: b"GIF89a/*" + b"\0" * 10 + b"*/=1;alert(1)", 415),
    "html as txt": ("cv.txt", lambda: b"<script>alert(1)</script>\0\0\0\x01\x02" * 200, 415),
}


def multipart(fields: dict, files: list[tuple[str, str, bytes]], boundary=b"hrm2hostile") -> bytes:
    """A multipart body built by hand, so file names reach the server exactly as written."""
    out = bytearray()
    for name, value in fields.items():
        out += b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (
            boundary,
            name.encode(),
            value.encode(),
        )
    for field, filename, content in files:
        out += b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n' % (
            boundary,
            field.encode(),
            filename.encode("utf-8", "surrogateescape"),
        )
        out += b"Content-Type: application/octet-stream\r\n\r\n" + content + b"\r\n"
    out += b"--%s--\r\n" % boundary
    return bytes(out)


def post_multipart(client, path, fields, files):
    return client.generic(
        "POST",
        path,
        multipart(fields, files),
        content_type="multipart/form-data; boundary=hrm2hostile",
    )


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_resume_files(hr, case, healthy):
    filename, make, status = HOSTILE_FILES[case]
    content = make()
    started = time.monotonic()
    response = post_multipart(
        hr, RESUMES, {"position_title": "Dev"}, [("files", filename, content)]
    )
    elapsed = time.monotonic() - started
    body = assert_error(response, status)
    assert body["errors"][0]["loc"] == ["form", "files", 0], body
    assert elapsed < limit("RESUME_PARSE_SECONDS") + 5, elapsed
    assert Resume.objects.count() == 0
    healthy()


@pytest.mark.parametrize("case", sorted(HOSTILE_FILES))
def test_hostile_video_files(hr, case, healthy):
    filename, make, _status = HOSTILE_FILES[case]
    response = post_multipart(
        hr,
        VIDEOS,
        {"candidate_name": "x", "position_applied": "Dev", "consent": "true"},
        [("video_file", filename.rsplit(".", 1)[0] + ".mp4", make())],
    )
    assert_error(response, 415)
    assert VideoAnalysis.objects.count() == 0
    healthy()


HOSTILE_NAMES = [
    "../../../../etc/passwd.txt",
    "..\\..\\windows\\win.ini.txt",
    "/etc/passwd",
    "..",
    ".",
    "",
    "a\x00b.txt",
    "cv.txt\x00.exe",
    "a" * 500 + ".txt",
    "简" * 500 + ".txt",
    "\u202ecod.exe.txt",
    "con.txt",
    "a\r\nContent-Type: text/html.txt",
]


@pytest.mark.parametrize("index", range(len(HOSTILE_NAMES)))
def test_hostile_file_names(hr, index, healthy):
    name = HOSTILE_NAMES[index]
    content = f"Candidate {index}\nPython developer, 5 years of Django.\n".encode()
    response = post_multipart(hr, RESUMES, {"position_title": "Dev"}, [("files", name, content)])
    assert response.status_code in (201, 400, 422), response.content
    media = Path(settings.MEDIA_ROOT).resolve()
    for resume in Resume.objects.all():
        shown = resume.original_filename
        assert "/" not in shown and "\\" not in shown and "\x00" not in shown, shown
        assert len(shown) <= 255 and shown.isprintable(), shown
        if resume.original_file:
            stored = Path(resume.original_file.path).resolve()
            assert stored.is_relative_to(media), stored
            assert stored.read_bytes() == content
    healthy()
