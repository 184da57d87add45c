"""Errors of the media pipeline; their text is shown to users, so it says what went wrong."""


class MediaError(Exception):
    """The file could not be analysed (corrupted, truncated, nothing decodable)."""


class NotMediaError(MediaError):
    """The file is not an audio/video container at all."""
