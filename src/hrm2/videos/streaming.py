"""The stored recording played in the browser: its Content-Type and HTTP byte ranges.

A ``<video>`` element seeks by asking for byte ranges (``Range: bytes=START-END``); without a
206 answer browsers cannot seek at all. One range per request is served (what media players
ask for); a request for several gets the first. The file is read from the storage in chunks,
never whole into memory.
"""

import mimetypes
import re
from collections.abc import Iterator
from pathlib import PurePath

from django.http import HttpResponse, StreamingHttpResponse

from hrm2.videos.models import VideoAnalysis

CHUNK = 256 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*(?:,.*)?$", re.IGNORECASE)
# FFmpeg's container names (``MediaInfo.format``) to a type, when the suffix says nothing.
_FORMATS = (
    ("mp4", "video/mp4"),
    ("mov", "video/quicktime"),
    ("webm", "video/webm"),
    ("ogg", "video/ogg"),
    ("avi", "video/x-msvideo"),
    ("mp3", "audio/mpeg"),
    ("wav", "audio/wav"),
)


def content_type(video: VideoAnalysis) -> str:
    """The stored file's media type: from its suffix, else from the probed container."""
    guessed, _encoding = mimetypes.guess_type(PurePath(video.video_file.name or "").name)
    if guessed and guessed.split("/")[0] in ("video", "audio"):
        return guessed
    info = video.media_info or {}
    names = set(str(info.get("format") or "").split(","))
    for name, kind in _FORMATS:
        if name in names:
            if kind.startswith("video/") and info.get("has_video") is False:
                return "audio/" + kind.split("/")[1]
            return kind
    return "application/octet-stream"


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """``(first, last)`` inclusive for a satisfiable ``Range`` header; ``None`` without one (or
    one this server ignores, as RFC 9110 allows); ``False`` when it cannot be satisfied."""
    match = _RANGE.match(header or "")
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


def _chunks(handle, remaining: int) -> Iterator[bytes]:
    try:
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def media_response(request, video: VideoAnalysis) -> HttpResponse:
    """200 with the whole file, 206 with the asked range, or 416 when it is out of the file."""
    file = video.video_file
    size = file.storage.size(file.name)
    kind = content_type(video)
    wanted = byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = wanted or (0, size - 1)
        handle = file.storage.open(file.name, "rb")
        handle.seek(first)
        length = max(0, last - first + 1)
        response = StreamingHttpResponse(
            _chunks(handle, length), status=206 if wanted else 200, content_type=kind
        )
        response["Content-Length"] = str(length)
        if wanted:
            response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # the candidate's face and voice
    return response
