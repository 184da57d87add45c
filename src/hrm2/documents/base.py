"""Shared pieces of the extractors: configurable limits, their raw result and error helpers.

Limits come from Django settings so an operator can tune them without a code change; the
defaults are generous for a resume and small for an attacker.
"""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from hrm2.api.errors import ValidationFailed

DEFAULT_LIMITS = {
    "RESUME_MAX_FILE_BYTES": 10 * 1024 * 1024,  # size of the upload itself
    "RESUME_MAX_PAGES": 50,  # PDF pages
    "RESUME_MAX_CHARS_PER_PAGE": 100_000,  # glyphs on one PDF page before we give up
    "RESUME_MAX_PDF_CONTENT_BYTES": 50 * 1024 * 1024,  # decompressed page content streams
    "RESUME_MAX_UNZIPPED_BYTES": 50 * 1024 * 1024,  # all DOCX zip entries, uncompressed
    "RESUME_MAX_ZIP_ENTRIES": 1_000,
    "RESUME_PARSE_SECONDS": 20,  # wall-clock budget, checked between pages
}


def limit(name: str) -> int:
    """The limit ``name`` from settings, else its default."""
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


def warning(code: str, message: Any, detail: Any = "") -> dict[str, str]:
    return {"code": code, "message": str(message), "detail": str(detail)}


def unprocessable(message: Any, type_: str) -> ValidationFailed:
    """A 422 about the uploaded file, with a machine-readable ``type``."""
    text = str(message)
    return ValidationFailed(
        text, detail=text, errors=[{"loc": ["file"], "msg": text, "type": type_}]
    )


@dataclass
class RawText:
    """What one extractor found, before normalisation."""

    text: str
    hidden: list[str] = field(default_factory=list)
    page_count: int = 1
    warnings: list[dict[str, str]] = field(default_factory=list)


def hidden_text_warning(hidden: list[str], reasons: dict[str, int]) -> dict[str, str] | None:
    """One ``hidden_text`` warning listing why and what was removed, or None if nothing was."""
    joined = "\n".join(part for part in hidden if part.strip())
    if not joined.strip():
        return None
    why = ", ".join(f"{name}: {count}" for name, count in sorted(reasons.items()) if count)
    message = _("Invisible text was removed before scoring (%(count)d characters; %(why)s).") % {
        "count": sum(1 for ch in joined if not ch.isspace()),
        "why": why,
    }
    return warning("hidden_text", message, joined[:2000])
