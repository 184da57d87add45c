"""One pass over the file: sampled grayscale frames (handed to a callback) and 16 kHz mono audio.

Frames are kept at ``sample_fps`` (the first frame at or after each sampling instant, so the
choice depends only on the file) and scaled to ``detect_width`` for face detection; the audio is
resampled by FFmpeg to 16-bit mono at 16 kHz. Decode errors are counted, and a file whose
decodable part is far shorter than its container claims is reported as corrupted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import av
import numpy as np

from hrm2.media.errors import MediaError

AUDIO_RATE = 16_000
MIN_DECODED_FRACTION = 0.5  # below this share of the declared duration the file is corrupted
MAX_ERROR_RATIO = 0.2


@dataclass
class Decoded:
    sampled_frames: int = 0
    frame_size: tuple[int, int] = (0, 0)  # (width, height) of the kept frames
    audio: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int16))
    video_duration: float = 0.0
    audio_duration: float = 0.0
    video_frames_decoded: int = 0
    decode_errors: int = 0


def _scaled_size(width: int, height: int, target: int) -> tuple[int, int]:
    if width <= target:
        return width - width % 2, height - height % 2
    scaled = round(height * target / width)
    return target, scaled - scaled % 2


def decode(
    path: str,
    *,
    sample_fps: float = 2.0,
    detect_width: int = 480,
    declared_duration: float = 0.0,
    on_frame: Callable[[float, np.ndarray], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Decoded:
    """Decode the file once; ``on_frame(time, gray_image)`` gets each sampled frame (so a long
    video never holds its frames in memory)."""
    out = Decoded()
    try:
        container = av.open(path)
    except av.FFmpegError as exc:
        raise MediaError(f"the file cannot be opened: {exc}") from exc
    with container:
        video = next(iter(container.streams.video), None)
        audio = next(iter(container.streams.audio), None)
        streams = [s for s in (video, audio) if s is not None]
        if not streams:
            raise MediaError("the file has no audio or video stream")
        if video is not None:
            video.thread_type = "AUTO"
            size = _scaled_size(
                video.codec_context.width or detect_width,
                video.codec_context.height or detect_width,
                detect_width,
            )
            out.frame_size = size
        resampler = av.AudioResampler(format="s16", layout="mono", rate=AUDIO_RATE)
        chunks: list[np.ndarray] = []
        step = 1.0 / sample_fps
        next_sample = 0.0
        packets = 0
        last_report = -1.0
        try:
            for packet in container.demux(streams):
                if packet.size == 0:
                    decoded = packet.decode()  # flush
                else:
                    packets += 1
                    try:
                        decoded = packet.decode()
                    except av.FFmpegError:
                        out.decode_errors += 1
                        continue
                for frame in decoded:
                    if isinstance(frame, av.VideoFrame):
                        out.video_frames_decoded += 1
                        t = float(frame.time or 0.0)
                        out.video_duration = max(out.video_duration, t)
                        if t + 1e-6 >= next_sample:
                            image = frame.reformat(
                                width=size[0], height=size[1], format="gray"
                            ).to_ndarray()
                            out.sampled_frames += 1
                            if on_frame is not None:
                                on_frame(round(t, 3), image)
                            while next_sample <= t + 1e-6:
                                next_sample += step
                            if progress and declared_duration and t - last_report > 5:
                                last_report = t
                                progress(min(1.0, t / declared_duration))
                    else:
                        for piece in resampler.resample(frame):
                            chunks.append(piece.to_ndarray().reshape(-1))
        except av.FFmpegError as exc:
            raise MediaError(f"the file is corrupted and cannot be decoded: {exc}") from exc
        if audio is not None:
            try:
                for piece in resampler.resample(None):
                    chunks.append(piece.to_ndarray().reshape(-1))
            except av.FFmpegError:
                out.decode_errors += 1
    if video is not None and out.video_frames_decoded:
        # The last frame lasts one frame interval.
        rate = float(video.average_rate or 0) or 25.0
        out.video_duration = round(out.video_duration + 1.0 / rate, 3)
    out.audio = np.concatenate(chunks).astype(np.int16) if chunks else out.audio
    out.audio_duration = round(len(out.audio) / AUDIO_RATE, 3)
    decoded_seconds = max(out.video_duration, out.audio_duration)
    if not out.video_frames_decoded and not len(out.audio):
        raise MediaError("the file is corrupted: no video frame or audio sample could be decoded")
    if packets and out.decode_errors / packets > MAX_ERROR_RATIO:
        raise MediaError(
            f"the file is corrupted: {out.decode_errors} of {packets} packets failed to decode"
        )
    if declared_duration and decoded_seconds < MIN_DECODED_FRACTION * declared_duration:
        raise MediaError(
            f"the file is truncated or corrupted: only {decoded_seconds:.1f} s of "
            f"{declared_duration:.1f} s could be decoded"
        )
    return out
