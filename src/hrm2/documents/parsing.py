"""The one entry point: uploaded bytes → ``ParsedDocument`` (text to score, hash, warnings).

Order matters: size first (cheap, before any parser runs), then the type from content, then the
type's extractor, then the shared normalisation and hash. Every failure is an ``ApiError``
(413, 415 or 422) so the API answers with the envelope, never a 500.
"""

import time
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hrm2.api.errors import PayloadTooLarge
from hrm2.documents.base import RawText, limit, unprocessable
from hrm2.documents.pdf import extract_pdf
from hrm2.documents.sniff import sniff_kind
from hrm2.documents.text import content_hash, decode_text, normalise_text, strip_controls
from hrm2.documents.word import extract_docx


@dataclass
class ParsedDocument:
    text: str  # normalised visible text: what the engines score and cite offsets into
    kind: str  # "pdf" | "docx" | "txt" | "md" — detected from content
    content_hash: str  # sha256 of the layout-free text, for per-position dedup
    warnings: list[dict[str, str]] = field(default_factory=list)  # {code, message, detail}
    hidden_text: str = ""  # invisible text removed from ``text``
    page_count: int = 1


def extract_resume(data: bytes, filename: str = "") -> ParsedDocument:
    """Parse an uploaded resume. Raises PayloadTooLarge, UnsupportedMediaType, ValidationFailed."""
    data = bytes(data)
    if not data:
        raise unprocessable(_("The file is empty."), "empty_file")
    max_bytes = limit("RESUME_MAX_FILE_BYTES")
    if len(data) > max_bytes:
        raise PayloadTooLarge(
            _("The file is larger than the %(limit)s MB limit.")
            % {"limit": f"{max_bytes / (1024 * 1024):g}"}
        )
    kind = sniff_kind(data, filename)
    deadline = time.monotonic() + limit("RESUME_PARSE_SECONDS")
    if kind == "pdf":
        raw = extract_pdf(data, deadline=deadline)
    elif kind == "docx":
        raw = extract_docx(data)
    else:
        raw = decode_text(data)
    return _finish(raw, kind)


def _finish(raw: RawText, kind: str) -> ParsedDocument:
    text = normalise_text(raw.text)
    hidden = "\n".join(normalise_text(part) for part in raw.hidden if normalise_text(part))
    return ParsedDocument(
        text=text,
        kind=kind,
        content_hash=content_hash(text),
        warnings=raw.warnings,
        hidden_text=strip_controls(hidden),
        page_count=raw.page_count,
    )
