"""Video settings (``hrm2.settings``: ``HRM2_VIDEO_*`` and ``HRM2_ASR_MODEL_DIR``), read at use
time so tests and operators can change them without reimporting."""

from django.conf import settings


def max_bytes() -> int:
    return int(float(settings.VIDEO_MAX_MB) * 1024 * 1024)


def max_seconds() -> float:
    return float(settings.VIDEO_MAX_MINUTES) * 60


def sample_fps() -> float:
    return float(settings.VIDEO_SAMPLE_FPS)


def personality_enabled() -> bool:
    value = settings.VIDEO_PERSONALITY
    if isinstance(value, str):
        return value.strip().lower() not in {"off", "0", "false", "no"}
    return bool(value)


def asr_model_dir() -> str | None:
    return settings.ASR_MODEL_DIR or None
