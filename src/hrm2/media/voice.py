"""Voice activity (webrtcvad), speaking time, pauses, and a syllable-rate proxy.

webrtcvad marks each 30 ms frame of 16 kHz audio as speech or not; runs shorter than
``MIN_SPEECH`` are dropped and gaps shorter than ``MERGE_GAP`` are bridged, which gives
speech segments; the gaps between them are the pauses. The syllable rate counts peaks of the
intensity envelope inside speech (after de Jong & Wempe 2009, "Praat script to detect syllable
nuclei and measure speech rate automatically", Behavior Research Methods 41(2):385–390).
"""

import itertools

import numpy as np
import webrtcvad

RATE = 16_000
FRAME_S = 0.03
MIN_SPEECH = 0.25
MERGE_GAP = 0.3
HOP_S = 0.01
PEAK_HALF_WINDOW = 8  # hops (±80 ms): a syllable nucleus is the loudest point around it
PEAK_DIP_DB = 3.0  # the envelope must rise at least this much from the preceding dip
RATE_WINDOW_S = 10.0  # speech seconds per window when measuring how even the speech rate is


def vad_flags(pcm: np.ndarray, *, aggressiveness: int = 2) -> np.ndarray:
    vad = webrtcvad.Vad(aggressiveness)
    step = int(RATE * FRAME_S)
    data = pcm.astype(np.int16).tobytes()
    width = step * 2
    count = len(pcm) // step
    return np.fromiter(
        (vad.is_speech(data[i * width : (i + 1) * width], RATE) for i in range(count)),
        dtype=bool,
        count=count,
    )


def segments(flags: np.ndarray) -> list[tuple[float, float]]:
    runs: list[list[float]] = []
    start = None
    for index, speech in enumerate([*flags.tolist(), False]):
        if speech and start is None:
            start = index
        elif not speech and start is not None:
            runs.append([start * FRAME_S, index * FRAME_S])
            start = None
    merged: list[list[float]] = []
    for run in runs:
        if merged and run[0] - merged[-1][1] < MERGE_GAP:
            merged[-1][1] = run[1]
        else:
            merged.append(run)
    return [(round(a, 2), round(b, 2)) for a, b in merged if b - a >= MIN_SPEECH]


def envelope_db(audio: np.ndarray) -> np.ndarray:
    """Intensity in dB (re full scale) every 10 ms over 25 ms windows."""
    hop, window = int(RATE * HOP_S), int(RATE * 0.025)
    x = audio.astype(np.float64) / 32768.0
    if len(x) < window:
        return np.zeros(0)
    frames = np.lib.stride_tricks.sliding_window_view(x, window)[::hop]
    rms = np.sqrt(np.mean(frames**2, axis=1)) + 1e-9
    return 20 * np.log10(rms)


def syllable_peaks(envelope: np.ndarray, spans: list[tuple[float, float]]) -> list[float]:
    if not len(envelope) or not spans:
        return []
    smooth = np.convolve(envelope, np.ones(5) / 5, mode="same")
    inside = np.zeros(len(smooth), dtype=bool)
    for a, b in spans:
        inside[int(a / HOP_S) : int(b / HOP_S) + 1] = True
    if not inside.any():
        return []
    floor = float(np.median(smooth[inside])) - 10.0
    peaks = []
    for i in np.flatnonzero(inside):
        lo, hi = max(0, i - PEAK_HALF_WINDOW), i + PEAK_HALF_WINDOW + 1
        if smooth[i] < floor or smooth[i] < smooth[lo:hi].max():
            continue
        if smooth[i] - smooth[max(0, i - 15) : i + 1].min() < PEAK_DIP_DB:
            continue
        if peaks and i - peaks[-1] <= PEAK_HALF_WINDOW:
            continue
        peaks.append(int(i))
    return [round(i * HOP_S, 2) for i in peaks]


def rate_windows(
    peaks: list[float], spans: list[tuple[float, float]]
) -> list[tuple[float, float, float]]:
    """Syllables per speech second over consecutive windows of ``RATE_WINDOW_S`` speech
    seconds: (start, end, rate)."""
    windows = []
    start, spoken, count = None, 0.0, 0
    peak_iter = sorted(peaks)
    for a, b in spans:
        if start is None:
            start = a
        spoken += b - a
        count += sum(a <= p < b for p in peak_iter)
        if spoken >= RATE_WINDOW_S:
            windows.append((start, b, round(count / spoken, 3)))
            start, spoken, count = None, 0.0, 0
    return windows


def summarise(spans: list[tuple[float, float]], peaks: list[float], duration: float) -> dict:
    speaking = sum(b - a for a, b in spans)
    pauses = [b[0] - a[1] for a, b in itertools.pairwise(spans)]
    span = (spans[-1][1] - spans[0][0]) if spans else 0.0
    windows = rate_windows(peaks, spans)
    rates = np.array([w[2] for w in windows])
    return {
        "speaking_time": round(speaking, 2),
        "speech_ratio": round(speaking / duration, 4) if duration else 0.0,
        "speech_segments": len(spans),
        "pause_count": len(pauses),
        "mean_pause": round(float(np.mean(pauses)), 3) if pauses else 0.0,
        "longest_pause": round(max(pauses), 2) if pauses else 0.0,
        "pauses_per_min": round(len(pauses) * 60 / span, 3) if span > 0 else 0.0,
        "syllables": len(peaks),
        "speech_rate": round(len(peaks) / speaking, 3) if speaking else 0.0,
        "speech_rate_cv": (
            round(float(rates.std() / rates.mean()), 4)
            if len(rates) >= 2 and rates.mean() > 0
            else None
        ),
        "rate_windows": len(windows),
    }
