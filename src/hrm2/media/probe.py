"""Is this file really a recording? Open it with FFmpeg (PyAV) and look at its streams.

The file name and the client's content type are ignored: only the container FFmpeg recognises
counts, and it must be one of the audio/video containers below (an image or a text file that
FFmpeg happens to open is not an interview recording).
"""

from dataclasses import asdict, dataclass
from typing import Any, BinaryIO

import av
from django.utils.translation import gettext as _

from hrm2.media.errors import NotMediaError

# FFmpeg demuxer names (the comma-separated parts of ``container.format.name``).
CONTAINERS = frozenset(
    {
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "flv", "mpegts",
        "mpeg", "asf", "ogg", "wav", "mp3", "aac", "flac",
    }
)  # fmt: skip


@dataclass(frozen=True)
class MediaInfo:
    format: str
    duration: float  # seconds; the container's, else the longest stream's
    has_video: bool
    has_audio: bool
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    audio_rate: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _stream_seconds(stream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    return 0.0


def probe(source: str | BinaryIO) -> MediaInfo:
    """Describe a recording, or raise ``NotMediaError`` when it is not one."""
    try:
        container = av.open(source, mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError, OSError) as exc:
        raise NotMediaError(_("FFmpeg cannot open the file")) from exc
    try:
        names = set(container.format.name.split(","))
        if not names & CONTAINERS:
            raise NotMediaError(
                _("The file format (%(format)s) is not an audio or video container")
                % {"format": container.format.name}
            )
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        if video is None and audio is None:
            raise NotMediaError(_("The file has no audio or video stream"))
        duration = container.duration / av.time_base if container.duration else 0.0
        duration = max(duration, *(_stream_seconds(s) for s in (video, audio) if s is not None))
        return MediaInfo(
            format=container.format.name,
            duration=round(duration, 3),
            has_video=video is not None,
            has_audio=audio is not None,
            width=video.codec_context.width if video is not None else 0,
            height=video.codec_context.height if video is not None else 0,
            fps=round(float(video.average_rate or 0), 3) if video is not None else 0.0,
            video_codec=video.codec_context.name if video is not None else "",
            audio_codec=audio.codec_context.name if audio is not None else "",
            audio_rate=audio.codec_context.sample_rate or 0 if audio is not None else 0,
        )
    finally:
        container.close()
