"""Video and audio analysis of an interview recording, offline and deterministic.

Ground floor: imports no domain app and no Django model. ``hrm2.media.probe.probe`` checks that
a file really is audio/video; ``analyse`` decodes it once and measures faces, voice activity,
prosody and (optionally) a transcript, then derives a fraud-signal timeline and Big Five
*apparent impressions* from those measurements. Everything it returns is JSON-serialisable.

The names below load on first use: PyAV, OpenCV and numpy cost ~100 MiB, and a web process
that never touches a video must not pay for them.
"""

import importlib

_EXPORTS = {
    "MediaError": "hrm2.media.errors",
    "NotMediaError": "hrm2.media.errors",
    "PIPELINE_VERSION": "hrm2.media.pipeline",
    "Analysis": "hrm2.media.pipeline",
    "Options": "hrm2.media.pipeline",
    "analyse": "hrm2.media.pipeline",
    "MediaInfo": "hrm2.media.probe",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hrm2.media' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
