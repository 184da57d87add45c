"""Decide what an upload really is from its bytes, never from its name.

A file called ``cv.pdf`` may be an executable; a file called ``cv.txt`` may be a PDF. Only the
content counts; the name merely chooses between ``txt`` and ``md`` for plain text.
"""

import io
import zipfile

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from hrm2.api.errors import UnsupportedMediaType

# Well-known binary signatures, so the message can say what the file was.
_BINARY_MAGIC = {
    b"MZ": N_("Windows executable"),
    b"\x7fELF": N_("Linux executable"),
    b"\xcf\xfa\xed\xfe": N_("macOS executable"),
    b"\xd0\xcf\x11\xe0": N_("legacy Office document (.doc)"),
    b"\x89PNG": N_("PNG image"),
    b"\xff\xd8\xff": N_("JPEG image"),
    b"GIF8": N_("GIF image"),
    b"Rar!": N_("RAR archive"),
    b"7z\xbc\xaf": N_("7-Zip archive"),
    b"\x1f\x8b": N_("gzip archive"),
    b"{\\rtf": N_("RTF document"),
}


def unsupported(what: str | None = None) -> UnsupportedMediaType:
    message = _("Unsupported file type: upload a PDF, DOCX, TXT or Markdown resume.")
    detail = _("The file looks like: %(what)s.") % {"what": what} if what else message
    return UnsupportedMediaType(message, detail=detail)


def sniff_kind(data: bytes, filename: str) -> str:
    """Return ``pdf``, ``docx``, ``txt`` or ``md``; raise 415 for anything else.

    ``txt``/``md`` is only provisional: the text decoder still rejects binary content.
    """
    for magic, what in _BINARY_MAGIC.items():  # first, so a PDF/exe polyglot is refused
        if data.startswith(magic):
            raise unsupported(_(what))
    head = data[:1024]
    if b"%PDF-" in head:  # the spec allows junk before the header
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise unsupported(_("a damaged ZIP archive")) from exc
        if "word/document.xml" in names:
            return "docx"
        raise unsupported(_("a ZIP archive that is not a Word document"))
    return "md" if filename.lower().endswith((".md", ".markdown")) else "txt"
