"""Small interview videos made on the fly with PyAV: a real face photo, a synthetic voice.

The face is a crop of scikit-image's ``astronaut`` (Eileen Collins, NASA, public domain) kept in
``tests/fixtures/videos/astronaut_face.jpg`` so the tests need no scikit-image. The voice is a
glottal pulse train at a speaking pitch through three vowel formants, cut into syllables at
about 4 per second with pauses between phrases: webrtcvad hears it as speech, parselmouth
tracks its pitch, and no espeak-ng is needed.
"""

from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

FACE = Path(__file__).resolve().parents[1] / "fixtures" / "videos" / "astronaut_face.jpg"
RATE = 16_000
WIDTH, HEIGHT = 320, 240


def voice(
    duration: float,
    *,
    phrases: Sequence[tuple[float, float]] | None = None,
    f0: float = 120.0,
    syllable_rate: float = 4.0,
    seed: int = 1,
) -> np.ndarray:
    """A mono float32 voice at 16 kHz speaking during ``phrases`` (default: all the time)."""
    n = int(duration * RATE)
    t = np.arange(n) / RATE
    rng = np.random.default_rng(seed)
    # Pitch with intonation (slow drift and a little jitter) so it sounds and measures like speech.
    pitch = f0 * (1 + 0.08 * np.sin(2 * np.pi * 0.3 * t) + 0.03 * np.sin(2 * np.pi * 2.1 * t))
    phase = np.cumsum(pitch / RATE)
    source = (phase % 1.0) * 2 - 1  # sawtooth: every harmonic present
    out = np.zeros(n)
    for formant, gain in ((700, 1.0), (1200, 0.6), (2600, 0.3)):
        # Resonances as a sum of harmonics near each formant, cheap and stable.
        for k in range(1, 40):
            harmonic = k * pitch
            weight = gain * np.exp(-(((harmonic - formant) / 180.0) ** 2))
            out += weight * np.sin(2 * np.pi * k * phase)
    out = 0.6 * out / np.max(np.abs(out)) + 0.05 * source
    # Syllables: raised-cosine bursts with a little variability in their length.
    envelope = np.zeros(n)
    position = 0.0
    while position < duration:
        length = (1.0 / syllable_rate) * rng.uniform(0.8, 1.2)
        start, stop = int(position * RATE), int(min(duration, position + length * 0.8) * RATE)
        if stop > start:
            envelope[start:stop] = np.hanning(stop - start)
        position += length
    gate = np.zeros(n) if phrases is not None else np.ones(n)
    for start, stop in phrases or ():
        gate[int(start * RATE) : int(stop * RATE)] = 1.0
    signal = 0.5 * out * envelope * gate + rng.normal(0, 0.002, n)
    return signal.astype(np.float32)


def silence(duration: float) -> np.ndarray:
    return np.random.default_rng(0).normal(0, 0.001, int(duration * RATE)).astype(np.float32)


def _frame(n_faces: int, face: np.ndarray, size: tuple[int, int], shift: int = 0) -> np.ndarray:
    width, height = size
    canvas = np.full((height, width, 3), (190, 200, 205), dtype=np.uint8)
    if n_faces == 1:
        h = height * 5 // 6
        w = int(face.shape[1] * h / face.shape[0])
        crop = cv2.resize(face, (w, h), interpolation=cv2.INTER_AREA)
        x, y = (width - w) // 2 + shift, (height - h) // 2
        canvas[y : y + h, x : x + w] = crop
    elif n_faces >= 2:
        h = height * 5 // 8
        w = int(face.shape[1] * h / face.shape[0])
        crop = cv2.resize(face, (w, h), interpolation=cv2.INTER_AREA)
        y = (height - h) // 2
        for x in (width // 64, width - w - width // 64):
            canvas[y : y + h, x : x + w] = crop
    return canvas


def make_video(
    path: Path,
    *,
    duration: float,
    faces: int | Callable[[float], int] = 1,
    audio: np.ndarray | None = None,
    fps: int = 10,
    faststart: bool = False,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    moving: bool = False,
    preset: str = "ultrafast",
) -> Path:
    """Encode an H.264 + AAC MP4; ``faces`` is a count or a function of the time in seconds.
    ``moving`` sways the face a little, as a real speaker does (and as a codec must encode)."""
    face = cv2.cvtColor(cv2.imread(str(FACE)), cv2.COLOR_BGR2RGB)
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", format="mp4", options=options) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.options = {"preset": preset} if moving else {"preset": preset, "tune": "stillimage"}
        sound = None
        if audio is not None:
            sound = container.add_stream("aac", rate=RATE)
            sound.layout = "mono"
        cache: dict[tuple[int, int], np.ndarray] = {}
        for index in range(int(duration * fps)):
            count = faces(index / fps) if callable(faces) else faces
            shift = int(size[0] / 40 * np.sin(index / fps * 1.3)) if moving else 0
            if (count, shift) not in cache:
                cache[(count, shift)] = _frame(count, face, size, shift)
            frame = av.VideoFrame.from_ndarray(cache[(count, shift)], format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            samples = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
            chunk = 1024
            for index, start in enumerate(range(0, len(samples), chunk)):
                piece = samples[start : start + chunk]
                frame = av.AudioFrame.from_ndarray(piece[None, :], format="s16", layout="mono")
                frame.sample_rate, frame.pts = RATE, index * chunk
                frame.time_base = Fraction(1, RATE)
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return path
