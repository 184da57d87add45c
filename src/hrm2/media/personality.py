"""Big Five *apparent impressions* from measured features, and how much to trust them.

The model and its coefficients live in ``data/big_five_v1.json`` with the literature they follow
and an honest note on calibration. An impression is pulled towards the neutral 0.5 by the
confidence and by the trait's reliability, so little evidence gives a neutral, low-confidence
result rather than a confident guess. Each trait lists its largest contributions as evidence.
"""

import json
import math
from functools import cache
from pathlib import Path

TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
MODEL_FILE = Path(__file__).with_name("data") / "big_five_v1.json"
SPEECH_FULL_S = 30.0  # this much speech gives full speech evidence
LENGTH_FULL_S = 60.0  # recordings shorter than this lower the confidence


@cache
def model() -> dict:
    return json.loads(MODEL_FILE.read_text(encoding="utf-8"))


def confidence(features: dict) -> dict:
    """confidence = sqrt(speech_evidence × face_evidence) × sqrt(length_evidence)."""
    speech = min(1.0, (features.get("speaking_time") or 0.0) / SPEECH_FULL_S)
    face = features.get("face_presence") or 0.0
    length = min(1.0, (features.get("duration") or 0.0) / LENGTH_FULL_S)
    value = math.sqrt(speech * face) * math.sqrt(length)
    return {
        "confidence_score": round(value, 4),
        "speech_evidence": round(speech, 4),
        "face_evidence": round(face, 4),
        "length_evidence": round(length, 4),
        "formula": "sqrt(min(1, speaking_time/30) * face_presence) * sqrt(min(1, duration/60))",
    }


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def impressions(features: dict, confidence_score: float) -> dict:
    spec = model()
    references = spec["features"]
    traits = {}
    for trait in TRAITS:
        config = spec["traits"][trait]
        total = config["bias"]
        contributions = []
        for name, weight in config["weights"].items():
            value = features.get(name)
            if value is None:
                continue  # unmeasured cue: no contribution (the confidence already says so)
            ref = references[name]
            z = max(-3.0, min(3.0, (value - ref["mean"]) / ref["sd"]))
            total += weight * z
            contributions.append(
                {"feature": name, "value": value, "z": round(z, 3), "effect": round(weight * z, 4)}
            )
        raw = _sigmoid(total)
        shrink = confidence_score * config["reliability"]
        contributions.sort(key=lambda c: -abs(c["effect"]))
        traits[trait] = {
            "score": round(0.5 + (raw - 0.5) * shrink, 4),
            "raw": round(raw, 4),
            "confidence": round(shrink, 4),
            "evidence": contributions[:4],
            "sources": config["sources"],
        }
    return {"version": spec["version"], "kind": spec["kind"], "traits": traits}
