"""The analysis of one recording, step by step, as one deterministic function.

``analyse(path, options)`` probes the file, decodes it once (faces are detected on each sampled
frame as it is decoded), runs voice activity, prosody and the optional transcript on the audio,
then derives the fraud signals, the confidence, the Big Five apparent impressions (unless turned
off) and the summary. The same file and options always give the same result; run times are
returned apart (``timings``) because they are not part of the result.
"""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from hrm2.media import asr, faces, fraud, personality, probe, prosody, summary, voice
from hrm2.media.decode import decode

PIPELINE_VERSION = "media-v1"


@dataclass(frozen=True)
class Options:
    sample_fps: float = 2.0
    detect_width: int = 480
    vad_aggressiveness: int = 2
    personality: bool = True
    asr_model_dir: str | None = None
    language: str = "zh-hans"


@dataclass
class Analysis:
    result: dict
    timings: dict


def analyse(
    path: str,
    options: Options | None = None,
    *,
    progress: Callable[[int], None] | None = None,
) -> Analysis:
    """Analyse the recording at ``path``; ``progress(percent)`` is called now and then."""
    options = options or Options()
    report = progress or (lambda _p: None)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    info = probe.probe(path)
    samples: list[faces.FaceSample] = []
    detect_time = 0.0

    def on_frame(t: float, image: np.ndarray) -> None:
        nonlocal detect_time
        started = time.perf_counter()
        samples.append(faces.detect(t, image))
        detect_time += time.perf_counter() - started

    decoded = decode(
        path,
        sample_fps=options.sample_fps,
        detect_width=options.detect_width,
        declared_duration=info.duration,
        on_frame=on_frame,
        progress=lambda share: report(int(5 + 65 * share)),
    )
    lap("decode_and_faces")
    timings["faces"] = round(detect_time, 3)
    report(70)

    has_video = decoded.video_frames_decoded > 0
    has_audio = len(decoded.audio) > 0
    duration = max(decoded.video_duration, decoded.audio_duration)
    spans = voice.segments(
        voice.vad_flags(decoded.audio, aggressiveness=options.vad_aggressiveness)
    )
    peaks = voice.syllable_peaks(voice.envelope_db(decoded.audio), spans)
    voice_features = voice.summarise(spans, peaks, duration)
    lap("voice")
    report(80)
    prosodic = prosody.analyse(decoded.audio, spans)
    lap("prosody")
    report(88)
    transcript = asr.transcribe(decoded.audio, model_dir=options.asr_model_dir)
    lap("asr")
    report(95)

    face_features = faces.summarise(samples)
    features = {
        "duration": round(duration, 3),
        "video_duration": decoded.video_duration,
        "audio_duration": decoded.audio_duration,
        "has_video": has_video,
        "has_audio": has_audio,
        "sample_fps": options.sample_fps,
        "frame_size": list(decoded.frame_size),
        "decode_errors": decoded.decode_errors,
        **face_features,
        **voice_features,
        **{k: v for k, v in prosodic.items() if k != "chunks"},
    }
    second = prosody.second_voice(prosodic["chunks"])
    events = fraud.detect(
        samples=samples,
        step=1.0 / options.sample_fps,
        spans=spans,
        has_video=has_video,
        has_audio=has_audio,
        video_duration=decoded.video_duration,
        audio_duration=decoded.audio_duration,
        voice=voice_features,
        second_voice=second,
        shifts_per_min=face_features["horizontal_shifts_per_min"],
    )
    fraud_block = fraud.score(events)
    confidence = personality.confidence(features)
    if options.personality:
        traits = {
            "enabled": True,
            **personality.impressions(features, confidence["confidence_score"]),
        }
    else:
        traits = {"enabled": False, "reason": "disabled_by_setting", "traits": None}
    result = {
        "pipeline_version": PIPELINE_VERSION,
        "options": asdict(options) | {"asr_model_dir": bool(options.asr_model_dir)},
        "media": info.as_dict(),
        "features": features,
        "timeline": {
            "faces": [[s.t, s.count, int(s.looking)] for s in samples],
            "speech": [list(span) for span in spans],
            "pitch_chunks": prosodic["chunks"],
        },
        "signals": events,
        "fraud": fraud_block,
        "confidence": confidence,
        "personality": traits,
        "transcript": transcript,
    }
    result["summary"] = summary.build(result, language=options.language)
    lap("signals")
    report(100)
    timings["total"] = round(sum(v for k, v in timings.items() if k != "faces"), 3)
    return Analysis(result=result, timings=timings)
