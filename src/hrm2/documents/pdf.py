"""Visible text from a PDF, with invisible "keyword stuffing" removed and reported.

pypdf first checks the cheap facts (encryption, page count, decompressed content size — pypdf
caps zlib output, so a compression bomb fails fast); then pdfplumber reads every glyph with its
colour, size and position. Glyphs a reader cannot see are dropped from the scored text:
near-white fill not drawn over a dark shape or image, font size under 2 pt, or centre outside
the visible page box. Any parser failure becomes a clean 422, never a 500.
"""

import io
import time
from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from hrm2.api.errors import ApiError
from hrm2.documents.base import RawText, hidden_text_warning, limit, unprocessable, warning

MIN_VISIBLE_SIZE = 2.0  # points
NEAR_WHITE = 0.9  # luminance 0..1 at or above which fill colour counts as white


def extract_pdf(data: bytes, *, deadline: float) -> RawText:
    from pypdf.errors import LimitReachedError

    try:
        page_count = _precheck(data, deadline)
        return _extract(data, page_count, deadline)
    except ApiError:
        raise
    except LimitReachedError as exc:  # pypdf's own decompression-bomb guard
        raise _too_large() from exc
    except Exception as exc:  # any parser failure (incl. MemoryError, RecursionError) is the file's
        raise unprocessable(
            _("Could not read the PDF: the file is damaged or not a valid PDF."), "unreadable_pdf"
        ) from exc


def _too_large():
    return unprocessable(_("The PDF content is too large to read."), "content_too_large")


def check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise unprocessable(
            _("The document took too long to read; simplify it or upload another format."),
            "parse_timeout",
        )


def _precheck(data: bytes, deadline: float) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise unprocessable(_("The PDF is password-protected; upload it unlocked."), "encrypted")
    pages = len(reader.pages)
    if pages > limit("RESUME_MAX_PAGES"):
        raise unprocessable(
            _("The PDF has %(pages)d pages; at most %(limit)d are allowed.")
            % {"pages": pages, "limit": limit("RESUME_MAX_PAGES")},
            "too_many_pages",
        )
    content_bytes = 0
    for page in reader.pages:
        check_deadline(deadline)
        contents = page.get_contents()
        content_bytes += len(contents.get_data()) if contents is not None else 0
        if content_bytes > limit("RESUME_MAX_PDF_CONTENT_BYTES"):
            raise _too_large()
    return pages


def _extract(data: bytes, page_count: int, deadline: float) -> RawText:
    import pdfplumber
    from pdfplumber.utils import extract_text as chars_to_text

    visible_pages, hidden_pages, reasons = [], [], Counter()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            check_deadline(deadline)
            if len(page.chars) > limit("RESUME_MAX_CHARS_PER_PAGE"):
                raise unprocessable(_("A PDF page holds too much text."), "content_too_large")
            backgrounds = _dark_backgrounds(page)
            hidden_ids = {}
            for char in page.chars:
                reason = _why_hidden(char, page.cropbox, backgrounds)
                if reason:
                    hidden_ids[id(char)] = char
                    reasons[reason] += 0 if char["text"].isspace() else 1
            if hidden_ids:
                kept = page.filter(lambda obj, ids=hidden_ids: id(obj) not in ids)
                hidden_pages.append(chars_to_text(list(hidden_ids.values())))
            else:
                kept = page
            visible_pages.append(kept.extract_text() or "")
            page.flush_cache()
    raw = RawText(text="\n\n".join(visible_pages), hidden=hidden_pages, page_count=page_count)
    found = hidden_text_warning(hidden_pages, reasons)
    if found:
        raw.warnings.append(found)
    if not raw.text.strip() and not found:
        raw.warnings.append(
            warning(
                "no_text_layer",
                _("The PDF has no text layer (a scan?); OCR is not available, so no text."),
            )
        )
    return raw


def _luminance(color: Any) -> float | None:
    """0 (black) .. 1 (white) for gray, RGB or CMYK fill colours; None when unknown."""
    if not isinstance(color, tuple | list) or not all(isinstance(v, int | float) for v in color):
        return None
    if len(color) == 1:
        return float(color[0])
    if len(color) == 3:
        r, g, b = color
    elif len(color) == 4:
        c, m, y, k = color
        r, g, b = (1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)
    else:
        return None
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _dark_backgrounds(page) -> list[tuple[float, float, float, float]]:
    """Boxes white text may legitimately sit on: filled non-white shapes and images."""
    boxes = []
    for rect in page.rects:
        lum = _luminance(rect.get("non_stroking_color"))
        if rect.get("fill") and (lum is None or lum < NEAR_WHITE):
            boxes.append((rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
    boxes.extend((im["x0"], im["top"], im["x1"], im["bottom"]) for im in page.images)
    return boxes


def _why_hidden(char: dict, box, backgrounds) -> str | None:
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    if not (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
        return "off_page"
    if char.get("size", MIN_VISIBLE_SIZE) < MIN_VISIBLE_SIZE:
        return "tiny_font"
    lum = _luminance(char.get("non_stroking_color"))
    if lum is not None and lum >= NEAR_WHITE:
        on_dark = any(x0 <= cx <= x1 and t <= cy <= b for x0, t, x1, b in backgrounds)
        if not on_dark:
            return "white_text"
    return None
