"""Optional speech-to-text with faster-whisper from a local model directory.

Only ``model_dir`` (``HRM2_ASR_MODEL_DIR``) is ever loaded — never a model name, which would make
faster-whisper try to download. Without a directory, or without the package, the transcript is
reported as unavailable with the reason, and the rest of the pipeline runs unchanged.
"""

import os
from functools import cache

import numpy as np

RATE = 16_000


@cache
def _model(model_dir: str):
    from faster_whisper import WhisperModel

    return WhisperModel(model_dir, device="cpu", compute_type="int8", local_files_only=True)


def transcribe(audio: np.ndarray, *, model_dir: str | None, language: str | None = None) -> dict:
    if not model_dir:
        return {"available": False, "reason": "no_model_configured"}
    if not os.path.isdir(model_dir):
        return {"available": False, "reason": "model_dir_missing"}
    try:
        model = _model(model_dir)
    except ImportError:
        return {"available": False, "reason": "faster_whisper_not_installed"}
    except Exception as exc:  # a broken model directory must not fail the analysis
        return {"available": False, "reason": f"model_load_failed: {type(exc).__name__}"}
    samples = audio.astype(np.float32) / 32768.0
    pieces, info = model.transcribe(
        samples, language=language, beam_size=1, temperature=0.0, vad_filter=False
    )
    segments = [
        {"start": round(s.start, 2), "end": round(s.end, 2), "text": s.text.strip()} for s in pieces
    ]
    return {
        "available": True,
        "language": info.language,
        "text": " ".join(s["text"] for s in segments),
        "segments": segments,
    }
