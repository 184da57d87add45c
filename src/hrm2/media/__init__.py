"""Video and audio analysis of an interview recording, offline and deterministic.

Ground floor: imports no domain app and no Django model. ``probe`` checks that a file really is
audio/video; ``analyse`` decodes it once and measures faces, voice activity, prosody and
(optionally) a transcript, then derives a fraud-signal timeline and Big Five *apparent
impressions* from those measurements. Everything it returns is JSON-serialisable.
"""

from hrm2.media.errors import MediaError, NotMediaError
from hrm2.media.pipeline import PIPELINE_VERSION, Analysis, Options, analyse
from hrm2.media.probe import MediaInfo, probe

__all__ = [
    "PIPELINE_VERSION",
    "Analysis",
    "MediaError",
    "MediaInfo",
    "NotMediaError",
    "Options",
    "analyse",
    "probe",
]
