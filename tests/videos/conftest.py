"""Videos made once per test session (each takes well under a second to encode)."""

import numpy as np
import pytest

from tests.videos.factory import make_video, silence, voice

PHRASES = [(0.5, 2.5), (3.0, 5.5)]


@pytest.fixture(scope="session")
def videos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("videos")
    speech = voice(6, phrases=PHRASES)
    made = {
        "speaking": make_video(folder / "speaking.mp4", duration=6, faces=1, audio=speech),
        "two_faces": make_video(
            folder / "two_faces.mp4",
            duration=6,
            faces=lambda t: 2 if 2.0 <= t < 4.0 else 1,
            audio=speech,
        ),
        "no_face": make_video(folder / "no_face.mp4", duration=6, faces=0, audio=speech),
        "silence": make_video(folder / "silence.mp4", duration=6, faces=1, audio=silence(6)),
        "two_voices": make_video(
            folder / "two_voices.mp4",
            duration=12,
            faces=1,
            audio=np.concatenate([voice(6, f0=100), voice(6, f0=220, seed=2)]),
        ),
        "short_audio": make_video(folder / "short_audio.mp4", duration=6, faces=1, audio=voice(3)),
    }
    # moov first, then cut: the container still says 6 s, the data stops after ~1 s.
    whole = make_video(folder / "whole.mp4", duration=6, faces=1, audio=speech, faststart=True)
    data = whole.read_bytes()
    made["truncated"] = folder / "truncated.mp4"
    made["truncated"].write_bytes(data[: len(data) // 5])
    made["text"] = folder / "notes.mp4"
    made["text"].write_text("These are my interview notes, not a video.\n" * 50)
    return made
