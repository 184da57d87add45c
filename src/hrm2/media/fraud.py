"""Fraud signals as a timeline of events, and the fraud score that combines them.

Each event has a ``type``, ``start``/``end`` in seconds, a ``strength`` in 0–1 and the measured
evidence. The score is a noisy-OR over signal types (version ``fraud-v1``)::

    evidence_t  = 1 − Π_i (1 − strength_i)          over the events i of type t
    fraud_score = 1 − Π_t (1 − weight_t · evidence_t)

so one strong signal of a heavy type is enough to raise the score, independent weak signals add
up without ever passing 1, and no signal at all gives 0. A run-type signal's strength grows with
its length up to a saturation length, so a one-second blip counts less than a long stretch.
The weights say how specific a signal is to fraud (a second person in the frame is far more
telling than looking away for a while); they are set by hand, documented here, and versioned.
"""

import itertools
from collections.abc import Callable

from hrm2.media.faces import FaceSample

VERSION = "fraud-v1"
WEIGHTS = {
    "multiple_faces": 0.7,
    "second_voice": 0.5,
    "no_face_while_speaking": 0.5,
    "reading_cadence": 0.4,
    "duration_mismatch": 0.35,
    "gaze_away": 0.25,
    "silent_face": 0.2,
}
# (minimum run length, length at which the strength reaches 1), seconds
RUNS = {
    "multiple_faces": (1.0, 3.0),
    "no_face_while_speaking": (2.0, 10.0),
    "gaze_away": (3.0, 15.0),
}
SILENT_FACE_MIN_S = 20.0
SILENT_FACE_SATURATION_S = 60.0
DURATION_TOLERANCE_S = 1.0
DURATION_TOLERANCE_SHARE = 0.05
READING_MAX_CV = 0.08  # speech rate this even across ≥ READING_MIN_WINDOWS windows of speech
READING_MIN_WINDOWS = 4
READING_MIN_SHIFTS_PER_MIN = 8.0
SECOND_VOICE_SATURATION_ST = 8.0
FORMULA = (
    "fraud_score = 1 - prod_t(1 - weight_t * evidence_t); "
    "evidence_t = 1 - prod_i(1 - strength_i) over the events of type t"
)


def _speaking(spans: list[tuple[float, float]]) -> Callable[[float], bool]:
    def at(t: float) -> bool:
        return any(a <= t < b for a, b in spans)

    return at


def _runs(samples: list[FaceSample], flag: Callable[[FaceSample], bool], step: float):
    """Maximal runs of consecutive samples where ``flag`` holds: (start, end, samples)."""
    runs, current = [], []
    for sample in samples:
        if flag(sample):
            current.append(sample)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [(run[0].t, round(run[-1].t + step, 3), run) for run in runs]


def _run_events(kind: str, runs, evidence: Callable[[list[FaceSample]], dict]) -> list[dict]:
    minimum, saturation = RUNS[kind]
    events = []
    for start, end, run in runs:
        length = end - start
        if length + 1e-6 < minimum:
            continue
        events.append(
            {
                "type": kind,
                "start": round(start, 2),
                "end": round(end, 2),
                "strength": round(min(1.0, length / saturation), 3),
                "evidence": evidence(run),
            }
        )
    return events


def detect(
    *,
    samples: list[FaceSample],
    step: float,
    spans: list[tuple[float, float]],
    has_video: bool,
    has_audio: bool,
    video_duration: float,
    audio_duration: float,
    voice: dict,
    second_voice: dict | None,
    shifts_per_min: float,
) -> list[dict]:
    speaking = _speaking(spans)
    events: list[dict] = []
    if has_video:
        events += _run_events(
            "multiple_faces",
            _runs(samples, lambda s: s.count >= 2, step),
            lambda run: {"max_faces": max(s.count for s in run), "frames": len(run)},
        )
        if has_audio:
            events += _run_events(
                "no_face_while_speaking",
                _runs(samples, lambda s: s.count == 0 and speaking(s.t), step),
                lambda run: {"frames": len(run)},
            )
        events += _run_events(
            "gaze_away",
            _runs(samples, lambda s: s.count > 0 and not s.looking, step),
            lambda run: {"frames": len(run)},
        )
    if has_video and has_audio:
        for before, after in itertools.pairwise(spans):
            start, end = before[1], after[0]
            inside = [s for s in samples if start <= s.t < end]
            if end - start < SILENT_FACE_MIN_S or not inside:
                continue
            presence = sum(s.count > 0 for s in inside) / len(inside)
            if presence >= 0.8:
                events.append(
                    {
                        "type": "silent_face",
                        "start": round(start, 2),
                        "end": round(end, 2),
                        "strength": round(min(1.0, (end - start) / SILENT_FACE_SATURATION_S), 3),
                        "evidence": {"face_presence": round(presence, 3)},
                    }
                )
    if second_voice:
        for chunk in second_voice["chunks"]:
            events.append(
                {
                    "type": "second_voice",
                    "start": chunk["start"],
                    "end": chunk["end"],
                    "strength": round(
                        min(1.0, second_voice["gap_st"] / SECOND_VOICE_SATURATION_ST), 3
                    ),
                    "evidence": {
                        "pitch_st": chunk["pitch_st"],
                        "gap_st": second_voice["gap_st"],
                        "share": second_voice["share"],
                    },
                }
            )
    if has_video and has_audio and video_duration and audio_duration:
        difference = abs(video_duration - audio_duration)
        tolerance = max(
            DURATION_TOLERANCE_S,
            DURATION_TOLERANCE_SHARE * max(video_duration, audio_duration),
        )
        if difference > tolerance:
            events.append(
                {
                    "type": "duration_mismatch",
                    "start": round(min(video_duration, audio_duration), 2),
                    "end": round(max(video_duration, audio_duration), 2),
                    "strength": round(min(1.0, difference / 10.0), 3),
                    "evidence": {
                        "video_duration": video_duration,
                        "audio_duration": audio_duration,
                    },
                }
            )
    cv = voice.get("speech_rate_cv")
    if (
        cv is not None
        and voice.get("rate_windows", 0) >= READING_MIN_WINDOWS
        and cv < READING_MAX_CV
        and shifts_per_min >= READING_MIN_SHIFTS_PER_MIN
        and spans
    ):
        evenness = 1 - cv / READING_MAX_CV
        events.append(
            {
                "type": "reading_cadence",
                "start": spans[0][0],
                "end": spans[-1][1],
                "strength": round(min(1.0, evenness * min(1.0, shifts_per_min / 15.0)), 3),
                "evidence": {"speech_rate_cv": cv, "horizontal_shifts_per_min": shifts_per_min},
            }
        )
    return sorted(events, key=lambda e: (e["start"], e["type"]))


def score(events: list[dict]) -> dict:
    """The fraud score and, per contributing signal type, its weight, evidence and times."""
    contributions = []
    remaining = 1.0
    for kind, weight in WEIGHTS.items():
        of_kind = [e for e in events if e["type"] == kind]
        if not of_kind:
            continue
        absent = 1.0
        for event in of_kind:
            absent *= 1 - event["strength"]
        evidence = 1 - absent
        remaining *= 1 - weight * evidence
        contributions.append(
            {
                "type": kind,
                "weight": weight,
                "evidence": round(evidence, 4),
                "contribution": round(weight * evidence, 4),
                "times": [[e["start"], e["end"]] for e in of_kind],
            }
        )
    contributions.sort(key=lambda c: -c["contribution"])
    return {
        "version": VERSION,
        "formula": FORMULA,
        "weights": WEIGHTS,
        "fraud_score": round(1 - remaining, 4),
        "contributions": contributions,
    }
