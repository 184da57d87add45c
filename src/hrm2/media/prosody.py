"""Prosody with Praat (praat-parselmouth): pitch level and variability, intensity, and a
second-voice check from the pitch of successive stretches of speech.

Pitch is tracked every 10 ms between 75 and 500 Hz and expressed in semitones re 100 Hz, so
variability is comparable between low and high voices. The second-voice check splits speech
into chunks of at most ``CHUNK_S`` seconds, takes each chunk's median pitch, and looks for two
well-separated groups (a speaker change); same-pitch voices are not told apart — a limit the
summary states.
"""

import numpy as np
import parselmouth

RATE = 16_000
PITCH_FLOOR, PITCH_CEILING = 75.0, 500.0
CHUNK_S = 3.0
MIN_VOICED_PER_CHUNK = 0.4  # seconds of voiced frames for a chunk to count
SECOND_VOICE_GAP_ST = 4.0  # semitones between the two groups' centres
SECOND_VOICE_MIN_SHARE = 0.1


def _semitones(hz: np.ndarray) -> np.ndarray:
    return 12 * np.log2(hz / 100.0)


def analyse(audio: np.ndarray, spans: list[tuple[float, float]]) -> dict:
    empty = {
        "pitch_median_hz": None,
        "pitch_variability_st": None,
        "intensity_mean_db": None,
        "intensity_variability_db": None,
        "voiced_time": 0.0,
        "chunks": [],
    }
    if not len(audio) or not spans:
        return empty
    sound = parselmouth.Sound(audio.astype(np.float64) / 32768.0, sampling_frequency=RATE)
    pitch = sound.to_pitch(time_step=0.01, pitch_floor=PITCH_FLOOR, pitch_ceiling=PITCH_CEILING)
    f0 = pitch.selected_array["frequency"]
    f0_times = pitch.xs()
    intensity = sound.to_intensity(minimum_pitch=PITCH_FLOOR, time_step=0.01)
    db = intensity.values[0]
    db_times = intensity.xs()

    def within(times: np.ndarray) -> np.ndarray:
        mask = np.zeros(len(times), dtype=bool)
        for a, b in spans:
            mask |= (times >= a) & (times < b)
        return mask

    voiced = within(f0_times) & (f0 > 0)
    speech_db = db[within(db_times)]
    if not voiced.any():
        return {**empty, **_intensity(speech_db)}
    semis = _semitones(f0[voiced])
    chunks = []
    for a, b in spans:
        start = a
        while start < b - 1e-6:
            stop = min(b, start + CHUNK_S)
            mask = (f0_times >= start) & (f0_times < stop) & (f0 > 0)
            if mask.sum() * 0.01 >= MIN_VOICED_PER_CHUNK:
                chunks.append(
                    {
                        "start": round(start, 2),
                        "end": round(stop, 2),
                        "pitch_st": round(float(np.median(_semitones(f0[mask]))), 3),
                        "voiced": round(float(mask.sum() * 0.01), 2),
                    }
                )
            start = stop
    return {
        "pitch_median_hz": round(float(np.median(f0[voiced])), 2),
        "pitch_variability_st": round(float(np.std(semis)), 3),
        **_intensity(speech_db),
        "voiced_time": round(float(voiced.sum() * 0.01), 2),
        "chunks": chunks,
    }


def _intensity(speech_db: np.ndarray) -> dict:
    speech_db = speech_db[np.isfinite(speech_db)]
    if not len(speech_db):
        return {"intensity_mean_db": None, "intensity_variability_db": None}
    return {
        "intensity_mean_db": round(float(np.mean(speech_db)), 2),
        "intensity_variability_db": round(float(np.std(speech_db)), 3),
    }


def second_voice(chunks: list[dict]) -> dict | None:
    """Two groups of chunk pitches far enough apart: the minority group's chunks and the gap."""
    if len(chunks) < 3:
        return None
    ordered = sorted(chunks, key=lambda c: c["pitch_st"])
    values = np.array([c["pitch_st"] for c in ordered])
    weights = np.array([c["voiced"] for c in ordered])
    best = None
    for cut in range(1, len(values)):
        low, high = values[:cut], values[cut:]
        cost = low.var() * len(low) + high.var() * len(high)
        if best is None or cost < best[0]:
            best = (cost, cut)
    cut = best[1]
    low, high = ordered[:cut], ordered[cut:]
    gap = float(np.median(values[cut:]) - np.median(values[:cut]))
    share_low = float(weights[:cut].sum() / weights.sum())
    minority = low if share_low <= 0.5 else high
    share = min(share_low, 1 - share_low)
    if gap < SECOND_VOICE_GAP_ST or share < SECOND_VOICE_MIN_SHARE or len(minority) < 2:
        return None
    return {
        "gap_st": round(gap, 2),
        "share": round(share, 3),
        "chunks": sorted(minority, key=lambda c: c["start"]),
    }
