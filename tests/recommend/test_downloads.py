"""Report downloads: only registered report files, by their exact stored name, for users with
access to the group. The older implementation joined the path onto the project folder and served
``.env`` and the database; every spelling of that attack here must be a JSON 404 that never
opens a file outside the report store — through Django's test client and through the raw WSGI
handler (the test client normalises some paths, a real server may pass them through)."""

import builtins
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import RequestFactory

from hrm2.api.auth import issue_tokens
from hrm2.recommend.models import ReportFile
from tests import wsgi
from tests.conftest import assert_error, assert_success

from .factory import Spec, make_group

pytestmark = pytest.mark.django_db

URL = "/final-recommend/interview-evaluation/"
DOWNLOAD = "/final-recommend/download-report/"
SECRET = "S3CRET-must-never-leak"


@pytest.fixture
def hr_user(make_user):
    return make_user("hr")


@pytest.fixture
def hr_client(client_for, hr_user):
    return client_for(hr_user)


@pytest.fixture
def finished(hr_user, hr_client, django_capture_on_commit_callbacks):
    group = make_group(hr_user, [Spec("甲", 0.875), Spec("乙", 0.5), Spec("丙", 0.25)])
    with django_capture_on_commit_callbacks(execute=True):
        task_id = assert_success(hr_client.post(URL, {"group_id": str(group.pk)}), 202)["task_id"]
    detail = assert_success(hr_client.get(f"{URL}{task_id}/"))
    assert detail["status"] == "completed"
    reports = {r["format"]: r for r in detail["reports"]}
    return {"group": group, "task_id": task_id, "reports": reports}


@pytest.fixture
def secrets():
    """Secret-looking files where the older implementation would have found them."""
    var = Path(settings.VAR_DIR)
    env = var / ".env"
    env.write_text(f"HRM2_SECRET={SECRET}\n")
    media = Path(settings.MEDIA_ROOT)
    stray = media / "reports" / "stray.md"  # in the report folder, but never registered
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_text(SECRET)
    link = media / "reports" / "recommend" / "link.md"  # a symlink planted in the media dir
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(var / "secret_key")
    yield {"env": env, "stray": stray, "link": link, "var": var}
    for path in (env, stray, link):
        if path.is_symlink() or path.exists():
            path.unlink()


@pytest.fixture
def opened(monkeypatch):
    """Every file path opened (builtins/io/pathlib and the storage) while the fixture is active."""
    paths: list[str] = []
    real_open, real_storage_open = builtins.open, FileSystemStorage._open

    def spy(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)):
            paths.append(os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    def storage_spy(self, name, mode="rb"):
        paths.append(f"storage:{name}")
        return real_storage_open(self, name, mode)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(FileSystemStorage, "_open", storage_spy)
    return paths


def _attacks(finished, secrets) -> list[str]:
    """Paths (as a client would put them in the URL) that must all be 404."""
    name = finished["reports"]["md"]["name"]
    var = str(secrets["var"]).lstrip("/")
    database = str(settings.DATABASES["default"]["NAME"]).lstrip("/")
    return [
        "../.env",
        "../../.env",
        "../../../../../../etc/passwd",
        "..%2f..%2f.env",
        "%2e%2e%2f%2e%2e%2f.env",
        "%2e%2e/%2e%2e/.env",
        "%252e%252e%252f%252e%252e%252f.env",
        "..%252f..%252f.env",
        "%c0%ae%c0%ae%c0%af.env",
        "..\\..\\.env",
        "..%5c..%5c.env",
        ".env",
        "var/.env",
        "var/secret_key",
        "secret_key",
        "hrm2.sqlite3",
        "var/hrm2.sqlite3",
        "db.sqlite3",
        f"/{var}/.env",
        f"/{var}/secret_key",
        f"{var}/secret_key",
        f"/{database}",
        "/etc/passwd",
        "file:///etc/passwd",
        "reports/stray.md",
        "reports/recommend/link.md",
        f"{name}/../../../../.env",
        f"{name}/../../stray.md",
        f"./{name}",
        f"reports/../{name}",
        f"reports/recommend/../recommend/{name.split('/', 2)[2]}",
        f"{name}%00",
        f"{name}%2500",
        f"{name}.",
        f"{name}/",
        name.upper(),
        name.replace("/", "%252f"),  # (a single %2f decodes to the exact name: served)
        name.replace("/", "\\"),
        f"media/{name}",
        f"{str(settings.MEDIA_ROOT).lstrip('/')}/{name}",
        f"/{str(settings.MEDIA_ROOT).lstrip('/')}/{name}",
        "x" * 300,
    ]


def test_registered_report_is_served_by_its_exact_name(hr_client, finished):
    for fmt, report in finished["reports"].items():
        assert report["download_url"] == f"{DOWNLOAD}{report['name']}"
        response = hr_client.get(report["download_url"])
        assert response.status_code == 200, (fmt, response.content[:200])
        stored = ReportFile.objects.get(name=report["name"])
        assert len(response.content) == stored.size
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]


def test_traversal_and_unregistered_paths_are_404_and_open_nothing(
    hr_client, finished, secrets, opened
):
    for attack in _attacks(finished, secrets):
        response = hr_client.get(f"{DOWNLOAD}{attack}")
        assert response.status_code == 404, attack
        body = assert_error(response, 404)
        assert SECRET not in response.content.decode(), attack
        assert body["message"]
    _assert_nothing_sensitive_opened(opened)


def _assert_nothing_sensitive_opened(opened: list[str]) -> None:
    sensitive = (".env", "secret_key", "sqlite3", "passwd", "stray.md", "link.md")
    leaked = [p for p in opened if any(s in p for s in sensitive)]
    assert leaked == []
    assert not [p for p in opened if p.startswith("storage:")]  # no report file was even opened


def _wsgi(path_info: str, token: str | None, query: str = "") -> tuple[int, bytes, dict]:
    """Call Django's WSGI handler with a raw PATH_INFO (no client-side normalisation)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path_info, REQUEST_METHOD="GET", QUERY_STRING=query
    )
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    status, headers, body = wsgi.call(environ)
    return status, body, headers


def test_raw_wsgi_path_variants_are_404(hr_user, finished, secrets, opened):
    token = issue_tokens(hr_user).access
    name = finished["reports"]["pdf"]["name"]
    status, body, _headers = _wsgi(f"{DOWNLOAD}{name}", token)  # the control: served
    assert status == 200 and body.startswith(b"%PDF")
    opened.clear()
    var = str(secrets["var"])
    raw = [
        f"{DOWNLOAD}../../.env",
        f"{DOWNLOAD}../../../../../../etc/passwd",
        "/final-recommend/../.env",
        "/final-recommend/download-report/../../var/secret_key",
        f"{DOWNLOAD}%2e%2e%2f%2e%2e%2f.env",  # left encoded by the server
        f"{DOWNLOAD}%252e%252e%252f.env",
        f"{DOWNLOAD}..%2F..%2Fvar%2Fsecret_key",
        f"{DOWNLOAD}..\\..\\.env",
        f"{DOWNLOAD}/{var}/secret_key",
        f"{DOWNLOAD}{var}/.env",
        f"{DOWNLOAD}/etc/passwd",
        f"{DOWNLOAD}reports/recommend/link.md",
        f"{DOWNLOAD}reports/stray.md",
        f"{DOWNLOAD}{name}/../../../../.env",
        f"{DOWNLOAD}{name.replace('/', '/./')}",
        f"{DOWNLOAD}{name.replace('/', '//')}",
        f"{DOWNLOAD}{name}\x00.env",
        f"{DOWNLOAD}{'ã©'}",  # latin-1 transported UTF-8 bytes
        f"{DOWNLOAD}",
    ]
    for path_info in raw:
        status, body, headers = _wsgi(path_info, token)
        assert status == 404, (path_info, status, body[:200])
        assert headers["Content-Type"].startswith("application/json"), path_info
        assert SECRET.encode() not in body
    _assert_nothing_sensitive_opened(opened)


def test_symlinked_or_tampered_registered_file_is_404(hr_client, finished, secrets):
    """Even a registered name is refused when the stored file is not what was registered."""
    md = finished["reports"]["md"]["name"]
    path = Path(default_storage.path(md))
    path.unlink()
    path.symlink_to(secrets["var"] / "secret_key")
    response = hr_client.get(f"{DOWNLOAD}{md}")
    assert_error(response, 404)
    path.unlink()
    path.write_bytes(b"# tampered")
    assert_error(hr_client.get(f"{DOWNLOAD}{md}"), 404)
    assert_error(
        hr_client.get(f"/final-recommend/reports/{finished['task_id']}/download/?format=md"), 404
    )
    path.unlink()
    assert_error(hr_client.get(f"{DOWNLOAD}{md}"), 404)


def test_download_requires_auth_and_group_access(
    client_for, make_user, anon, finished, django_capture_on_commit_callbacks
):
    from hrm2.audit.models import CrossReviewTask, Document, TaskDocument, TaskParticipant
    from hrm2.interviews.models import InterviewSession
    from hrm2.screening.models import ScreeningReport

    name = finished["reports"]["pdf"]["name"]
    by_id = f"/final-recommend/reports/{finished['task_id']}/download/?format=pdf"
    detail = f"{URL}{finished['task_id']}/"
    group = finished["group"]
    assert_error(anon.get(f"{DOWNLOAD}{name}"), 401)
    assert_error(anon.get(by_id), 401)

    outsider = client_for("interviewer")
    for path in (f"{DOWNLOAD}{name}", by_id, detail, f"{URL}?task_id={finished['task_id']}"):
        assert_error(outsider.get(path), 403)
    assert_error(outsider.get(f"{URL}?group_id={group.pk}"), 403)
    assert assert_success(outsider.get(URL))["total"] == 0
    assert_error(client_for("reviewer").get(f"{DOWNLOAD}{name}"), 403)
    # Unregistered names stay 404 for everyone (no probing of what exists).
    assert_error(outsider.get(f"{DOWNLOAD}../../.env"), 404)

    # An interviewer who interviewed one of the group's candidates may read, not write.
    interviewer = make_user("interviewer")
    resume = group.resumes.first()
    InterviewSession.objects.create(
        resume=resume, position=group.position, interviewer_name="王", created_by=interviewer
    )
    participant = client_for(interviewer)
    assert participant.get(f"{DOWNLOAD}{name}").status_code == 200
    assert participant.get(by_id).status_code == 200
    assert assert_success(participant.get(URL))["total"] == 1
    assert_error(participant.delete(detail), 403)
    assert_error(participant.post(URL, {"group_id": str(group.pk)}), 403)

    # A reviewer in a cross-review task holding one of the group's screening documents.
    reviewer = make_user("reviewer")
    report = ScreeningReport.objects.filter(resume__group=group).first()
    document = Document.objects.create(
        kind="resume_screening",
        source_type=ContentType.objects.get_for_model(ScreeningReport),
        source_id=str(report.pk),
    )
    task = CrossReviewTask.objects.create(name="交叉评查", created_by=reviewer)
    TaskParticipant.objects.create(task=task, user=reviewer)
    TaskDocument.objects.create(task=task, document=document)
    assert client_for(reviewer).get(f"{DOWNLOAD}{name}").status_code == 200

    assert client_for("admin").get(f"{DOWNLOAD}{name}").status_code == 200
    assert client_for("hr").get(f"{DOWNLOAD}{name}").status_code == 200
