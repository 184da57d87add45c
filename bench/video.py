"""Video analysis speed: a 5-minute 720p 30 fps interview with speech, analysed without ASR.

    .venv/bin/python -m bench.video [--seconds 300] [--keep PATH]

Target (issue 5): analysis at ≥ 10× real time (≤ 30 s for 5 minutes) on the 2-core machine.
Prints the decode-only time (every frame and the audio decoded, nothing analysed) as the floor,
then the full pipeline time and its breakdown. The video is generated with the tests' factory
(a real face photo that sways a little, a synthetic voice in phrases with pauses).
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import av

from bench import summary


def make(path: Path, seconds: float) -> None:
    from tests.videos.factory import make_video, voice

    phrases, t = [], 0.5
    while t < seconds - 1:
        phrases.append((t, min(seconds - 0.5, t + 8.0)))
        t += 9.5
    started = time.perf_counter()
    audio = voice(seconds, phrases=phrases)
    make_video(
        path,
        duration=seconds,
        faces=1,
        audio=audio,
        fps=30,
        size=(1280, 720),
        moving=True,
        preset="veryfast",
    )
    print(
        f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def decode_only(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    frames = 0
    with av.open(str(path)) as container:
        container.streams.video[0].thread_type = "AUTO"
        resampler = av.AudioResampler(format="s16", layout="mono", rate=16_000)
        for frame in container.decode(*container.streams.video, *container.streams.audio):
            if isinstance(frame, av.VideoFrame):
                frames += 1
            else:
                resampler.resample(frame)
    return time.perf_counter() - started, frames


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--keep", type=Path, default=None, help="reuse/keep the video here")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    from hrm2.media import Options, analyse

    path = args.keep or Path(tempfile.mkdtemp(prefix="hrm2-bench-")) / "interview.mp4"
    if not path.exists():
        make(path, args.seconds)
    floor, frames = decode_only(path)
    print(f"decode only: {floor:.2f} s for {frames} frames + audio")
    started = time.perf_counter()
    analysis = analyse(str(path), Options())
    elapsed = time.perf_counter() - started
    features = analysis.result["features"]
    summary.record(
        summary.Figure(
            f"video: {args.seconds / 60:g}-minute 720p 30 fps analysis",
            features["duration"] / elapsed,
            "x real time",
            target="≥ 10x real time",
        )
    )
    print(
        f"analysis:    {elapsed:.2f} s = {features['duration'] / elapsed:.1f}x real time "
        f"(target ≥ 10x); breakdown {analysis.timings}"
    )
    print(
        f"faces {features['face_presence']:.0%}, speech {features['speaking_time']:.0f} s, "
        f"fraud {analysis.result['fraud']['fraud_score']:.2f}, "
        f"confidence {analysis.result['confidence']['confidence_score']:.2f}"
    )
    if args.keep is None:
        path.unlink()


if __name__ == "__main__":
    main()
