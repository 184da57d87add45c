"""A large upload streams to disk: the web process's memory does not grow with the file.

The request goes through Django's WSGI handler with a body that is generated while it is read
(as a socket delivers it), so the only copy of the bytes is the temporary file on disk.
"""

import tracemalloc

import pytest
from django.core.handlers.wsgi import WSGIHandler

from hrm2.api.auth import issue_tokens
from hrm2.videos.models import VideoAnalysis
from tests.videos.factory import make_video, voice

pytestmark = pytest.mark.django_db(transaction=True)
BOUNDARY = "hrm2boundary"
PADDING_MB = 96


class StreamedBody:
    """A file-like wsgi.input that produces ``head + video + padding + tail`` on demand."""

    def __init__(self, head: bytes, video: bytes, padding: int, tail: bytes) -> None:
        self.parts = [head, video]
        self.padding = padding
        self.tail = tail
        self.length = len(head) + len(video) + padding + len(tail)

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        want = size if size >= 0 else 1 << 62
        while len(out) < want:
            if self.parts:
                part = self.parts[0]
                take = part[: want - len(out)]
                out += take
                self.parts[0] = part[len(take) :]
                if not self.parts[0]:
                    self.parts.pop(0)
            elif self.padding:
                take = min(self.padding, want - len(out), 1 << 16)
                out += bytes(take)
                self.padding -= take
            elif self.tail:
                take = self.tail[: want - len(out)]
                out += take
                self.tail = self.tail[len(take) :]
            else:
                break
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:  # pragma: no cover - not used by multipart
        return self.read(size)


def test_large_upload_does_not_grow_memory(make_user, tmp_path):
    # A valid video (moov first) followed by zero padding: FFmpeg still reads it as a video.
    video = make_video(tmp_path / "v.mp4", duration=2, audio=voice(2), faststart=True).read_bytes()
    fields = "".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in {"candidate_name": "张伟", "position_applied": "后端工程师"}.items()
    )
    head = (
        fields + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="video_file"; '
        f'filename="big.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    body = StreamedBody(head, video, PADDING_MB * 1024 * 1024, tail)
    token = issue_tokens(make_user("hr")).access
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/video-analysis/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
        "HTTP_AUTHORIZATION": f"Bearer {token}",
    }
    handler = WSGIHandler()
    tracemalloc.start()
    try:
        request = handler.request_class(environ)
        response = handler.get_response(request)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        request.close()  # as the WSGI server does: closes (and forgets) the moved temp file
    assert response.status_code == 201, response.content
    video_row = VideoAnalysis.objects.get()
    assert video_row.file_size == len(video) + PADDING_MB * 1024 * 1024
    print(f"peak traced memory {peak / 1e6:.1f} MB for a {PADDING_MB} MB upload")
    assert peak < 16 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB for a {PADDING_MB} MB upload"
    video_row.video_file.delete(save=False)
