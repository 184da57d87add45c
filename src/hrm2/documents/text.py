"""Plain-text decoding, the one text normalisation every extractor shares, and the dedup hash.

Scoring, evidence offsets and per-position dedup all read the normalised text, so it is made
in exactly one place.
"""

import hashlib
import re
import unicodedata

from django.utils.translation import gettext as _

from hrm2.documents.base import RawText, warning
from hrm2.documents.sniff import unsupported

# C0/C1 controls except tab, newline, carriage return and form feed; plus invisible formatting
# characters that only serve to hide or split words (zero-width space, word joiner, BOM).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff]")
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace except newline (incl. NBSP, U+3000)
_BLANK_LINES = re.compile(r"\n{3,}")
_ALL_WHITESPACE = re.compile(r"\s+")
# A text file with more control characters than this share of its characters is binary.
_MAX_CONTROL_SHARE = 0.01


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces, stripped lines, at most one blank line."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_controls(text).replace("\f", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_hash(text: str) -> str:
    """sha256 of the text with layout removed: same words in another layout → same hash.

    NFKC folds full-width letters and digits (common in Chinese resumes) and all whitespace is
    dropped, because PDF and DOCX extraction disagree about spaces between CJK characters.
    """
    folded = _ALL_WHITESPACE.sub("", unicodedata.normalize("NFKC", text))
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def decode_text(data: bytes) -> RawText:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 with a BOM, else GB18030; reject binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise unsupported(_("binary data, not UTF-8 or GB18030 text"))
    controls = len(_CONTROL.findall(text.replace("\ufeff", "")))
    if controls > max(1, len(text) * _MAX_CONTROL_SHARE) or "\x00\x00" in text:
        raise unsupported(_("binary data (control bytes), not text"))
    # GB18030 and UTF-16 decode almost any bytes; binary lands in private-use or unassigned code
    # points, which real text hardly ever contains.
    odd = sum(1 for ch in text if unicodedata.category(ch) in ("Co", "Cn", "Cs"))
    if odd > max(1, len(text) * _MAX_CONTROL_SHARE):
        raise unsupported(_("binary data, not UTF-8 or GB18030 text"))
    warnings = []
    if controls:
        warnings.append(
            warning(
                "control_characters_removed",
                _("%(count)d control characters were removed from the text.") % {"count": controls},
            )
        )
    return RawText(text=text, warnings=warnings)
