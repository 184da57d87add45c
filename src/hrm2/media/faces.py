"""Faces on the sampled frames with OpenCV's Haar cascades (shipped in opencv-python-headless 4).

Per sample: the faces (box as fractions of the frame), the eyes found inside the largest face,
and a coarse *gaze-on-screen* proxy: a frontal face with at least one eye visible. Haar cascades
detect frontal faces only, so a face turned well away counts as "no eyes / no face" — which is
exactly the evidence the gaze and presence signals need, and no more.
"""

from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np

SCALE_FACTOR = 1.1
MIN_NEIGHBOURS = 5
EYE_NEIGHBOURS = 4
SHIFT_THRESHOLD = 0.12  # horizontal jump (fraction of face width) that counts as a gaze shift


@dataclass(frozen=True)
class FaceSample:
    t: float
    faces: tuple[tuple[float, float, float, float], ...]  # x, y, w, h as fractions of the frame
    eyes: int  # eyes detected inside the largest face
    looking: bool  # frontal face with at least one eye visible
    eye_x: float | None  # eye midpoint, relative to the face centre, in face widths

    @property
    def count(self) -> int:
        return len(self.faces)

    def as_dict(self) -> dict:
        return {
            "t": self.t,
            "faces": [[round(v, 4) for v in box] for box in self.faces],
            "eyes": self.eyes,
            "looking": self.looking,
        }


@cache
def _cascade(name: str) -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + name)
    if classifier.empty():  # pragma: no cover - a broken OpenCV install
        raise RuntimeError(f"OpenCV cascade {name} is missing (opencv-python-headless<5 needed)")
    return classifier


def detect(t: float, image: np.ndarray) -> FaceSample:
    height, width = image.shape[:2]
    min_side = max(24, height // 8)
    equalised = cv2.equalizeHist(image)
    boxes = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        equalised, SCALE_FACTOR, MIN_NEIGHBOURS, minSize=(min_side, min_side)
    )
    boxes = sorted((tuple(int(v) for v in box) for box in boxes), key=lambda b: (b[0], b[1]))
    faces = tuple((x / width, y / height, w / width, h / height) for x, y, w, h in boxes)
    eyes_found, eye_x = 0, None
    if boxes:
        x, y, w, h = max(boxes, key=lambda b: b[2] * b[3])
        roi = image[y : y + int(h * 0.6), x : x + w]  # eyes: equalising the frame hides them
        eye_min = max(8, w // 8)
        eyes = _cascade("haarcascade_eye.xml").detectMultiScale(
            roi, SCALE_FACTOR, EYE_NEIGHBOURS, minSize=(eye_min, eye_min), maxSize=(w // 2, w // 2)
        )
        eyes_found = min(2, len(eyes))
        if len(eyes):
            centres = [ex + ew / 2 for ex, _ey, ew, _eh in eyes[:2]]
            eye_x = round((float(np.mean(centres)) - w / 2) / w, 4)
    return FaceSample(t, faces, eyes_found, bool(boxes) and eyes_found > 0, eye_x)


def summarise(samples: list[FaceSample]) -> dict:
    """Features over the whole video (ratios of sampled frames)."""
    n = len(samples)
    if not n:
        return {
            "sampled_frames": 0,
            "face_presence": 0.0,
            "multi_face_ratio": 0.0,
            "gaze_on_screen": 0.0,
            "mean_face_height": 0.0,
            "head_motion": 0.0,
            "horizontal_shifts_per_min": 0.0,
            "max_faces": 0,
        }
    with_face = [s for s in samples if s.count]
    # Motion is measured on one-face frames only: with two faces "the largest" may swap.
    largest = [s.faces[0] for s in with_face if s.count == 1]
    centres_x = np.array([b[0] + b[2] / 2 for b in largest]) if largest else np.zeros(0)
    heights = np.array([b[3] for b in largest]) if largest else np.zeros(0)
    duration = max(samples[-1].t - samples[0].t, 1e-6)
    return {
        "sampled_frames": n,
        "face_presence": round(len(with_face) / n, 4),
        "multi_face_ratio": round(sum(s.count > 1 for s in samples) / n, 4),
        "gaze_on_screen": round(sum(s.looking for s in samples) / n, 4),
        "mean_face_height": round(float(heights.mean()), 4) if len(heights) else 0.0,
        "head_motion": round(float(np.std(centres_x)), 4) if len(centres_x) > 1 else 0.0,
        "horizontal_shifts_per_min": round(len(horizontal_shifts(samples)) * 60 / duration, 3),
        "max_faces": max(s.count for s in samples),
    }


def horizontal_shifts(samples: list[FaceSample]) -> list[float]:
    """Times where the eyes (or the face) jump sideways between two consecutive samples."""
    times = []
    previous = None
    for sample in samples:
        if sample.count != 1:
            previous = None
            continue
        box = sample.faces[0]
        position = box[0] + box[2] / 2 + (sample.eye_x or 0.0) * box[2]
        if previous is not None and abs(position - previous[0]) > SHIFT_THRESHOLD * box[2]:
            times.append(sample.t)
        previous = (position,)
    return times
