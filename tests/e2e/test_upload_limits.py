"""A real ``hrm2 web`` (gunicorn) refuses an oversized upload from its headers alone: the 413
arrives while the client has sent no byte of the body."""

import json
import socket
import time

import pytest

from tests.reliability.test_faults import Web

pytestmark = pytest.mark.e2e
MB = 1024 * 1024


def _answer_to_headers_only(port: int, path: str, length: int, language: str = "") -> tuple:
    """Send the request line and headers (no body) and read the answer within 2 seconds."""
    with socket.create_connection(("127.0.0.1", port), 10) as sock:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: multipart/form-data; boundary=x\r\n"
                f"Content-Length: {length}\r\n"
                + (f"Accept-Language: {language}\r\n" if language else "")
                + "\r\n"
            ).encode()
        )
        sock.settimeout(2)
        started, data = time.monotonic(), b""
        while b"\r\n\r\n" not in data or not _complete(data):
            chunk = sock.recv(65536)  # socket.timeout (a failure) if the server waits for a body
            if not chunk:
                break
            data += chunk
        elapsed = time.monotonic() - started
    head, _, body = data.partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = _unchunk(body)
    return int(head.split()[1]), json.loads(body), elapsed


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return body.endswith(b"0\r\n\r\n")  # the last chunk of a chunked body


def _unchunk(body: bytes) -> bytes:
    out = b""
    while True:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return out
        out, body = out + rest[:size], rest[size + 2 :]


def test_oversized_upload_is_refused_before_the_body_is_sent(e2e):
    web = Web(e2e, env={"HRM2_VIDEO_MAX_MB": "10"})
    try:
        status, body, elapsed = _answer_to_headers_only(web.port, "/video-analysis/", 18 * MB)
        assert status == 413 and body["code"] == 413 and body["success"] is False
        assert body["message"] == "文件过大：上限 10 MB，收到 18 MB" and elapsed < 2
        status, body, _ = _answer_to_headers_only(
            web.port, "/video-analysis", 18 * MB, language="en"
        )
        assert status == 413
        assert body["message"] == "File too large: the limit is 10 MB, received 18 MB"
    finally:
        web.kill()
