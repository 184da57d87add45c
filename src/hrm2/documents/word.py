"""Text from a DOCX, after refusing zip bombs and XML entity tricks.

Before python-docx sees the file, every zip entry is checked: the declared uncompressed total
must stay under a limit (Python's zipfile never inflates past the declared size, so the check
holds), and no XML part may declare a DOCTYPE/ENTITY or a non-UTF-8 encoding (Word never writes
them; they are how "billion laughs" and external-entity attacks start). python-docx's own lxml
parser also has entity resolution off. Body text is read in document order: paragraphs, table
rows (cells joined by " | "), content controls and text boxes; runs hidden with Word's
"hidden" flag, white colour or a size under 2 pt are removed and reported.
"""

import io
import re
import zipfile
from collections import Counter

from django.utils.translation import gettext as _

from hrm2.api.errors import ApiError
from hrm2.documents.base import RawText, hidden_text_warning, limit, unprocessable

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_FORBIDDEN_XML = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)
_XML_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_CHUNK = 1 << 20


def extract_docx(data: bytes) -> RawText:
    _check_package(data)
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        body_lines: list[str] = []
        hidden: list[str] = []
        reasons: Counter = Counter()
        _walk(document.element.body, body_lines, hidden, reasons)
    except ApiError:
        raise
    except Exception as exc:  # broken package, bad XML, lxml limits: the file's fault
        raise unprocessable(
            _("Could not read the Word document: the file is damaged."), "unreadable_docx"
        ) from exc
    raw = RawText(text="\n".join(body_lines), hidden=hidden)
    found = hidden_text_warning(hidden, reasons)
    if found:
        raw.warnings.append(found)
    return raw


def _bomb() -> ApiError:
    return unprocessable(_("The Word document expands to too much data to read."), "zip_bomb")


def _check_package(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limit("RESUME_MAX_ZIP_ENTRIES"):
                raise _bomb()
            if sum(entry.file_size for entry in entries) > limit("RESUME_MAX_UNZIPPED_BYTES"):
                raise _bomb()
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    _check_xml_part(archive, entry)
    except ApiError:
        raise
    except Exception as exc:  # bad CRC, truncated archive, unsupported compression
        raise unprocessable(
            _("Could not read the Word document: the file is damaged."), "unreadable_docx"
        ) from exc


def _check_xml_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    forbidden = unprocessable(
        _("The Word document contains forbidden XML declarations."), "forbidden_xml"
    )
    with archive.open(entry) as part:
        tail = b""
        first = True
        while chunk := part.read(_CHUNK):
            if first:
                head = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
                if head[:1] != b"<":  # UTF-16/32, UTF-7 or garbage: Word writes UTF-8
                    raise forbidden
                declared = _XML_DECL_ENCODING.match(head)
                if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
                    raise forbidden
                first = False
            if _FORBIDDEN_XML.search(tail + chunk):
                raise forbidden
            tail = chunk[-32:]


def _walk(element, lines: list[str], hidden: list[str], reasons: Counter) -> None:
    """Append the text of block-level children of ``element`` (body, cell, text box)."""
    for child in element.iterchildren():
        if child.tag == f"{W}p":
            lines.append(_paragraph(child, hidden, reasons))
            for box in _text_boxes(child):
                _walk(box, lines, hidden, reasons)
        elif child.tag == f"{W}tbl":
            for row in child.iterchildren(f"{W}tr"):
                cells = []
                for cell in row.iterchildren(f"{W}tc"):
                    cell_lines: list[str] = []
                    _walk(cell, cell_lines, hidden, reasons)
                    text = " ".join(line.strip() for line in cell_lines if line.strip())
                    if text:
                        cells.append(text)
                lines.append(" | ".join(cells))
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
            _walk(child, lines, hidden, reasons)


def _text_boxes(paragraph):
    """Text boxes anchored in a paragraph, without the duplicate mc:Fallback copies."""
    for box in paragraph.iter(f"{W}txbxContent"):
        if not any(a.tag in (MC_FALLBACK, f"{W}txbxContent") for a in box.iterancestors()):
            yield box


def _paragraph(paragraph, hidden: list[str], reasons: Counter) -> str:
    parts: list[str] = []
    for run in paragraph.iter(f"{W}r"):
        if any(a.tag in (MC_FALLBACK, f"{W}txbxContent") for a in run.iterancestors()):
            continue  # belongs to a text box, read separately
        text = "".join(
            {f"{W}t": node.text or "", f"{W}tab": "\t", f"{W}br": "\n", f"{W}cr": "\n"}.get(
                node.tag, ""
            )
            for node in run.iterchildren()
        )
        reason = _why_hidden(run)
        if reason and text.strip():
            hidden.append(text)
            reasons[reason] += sum(1 for ch in text if not ch.isspace())
        else:
            parts.append(text)
    return "".join(parts)


def _why_hidden(run) -> str | None:
    """Direct run formatting that makes text invisible (styles are not resolved)."""
    props = run.find(f"{W}rPr")
    if props is None:
        return None
    vanish = props.find(f"{W}vanish")
    if vanish is not None and vanish.get(f"{W}val", "true") not in ("false", "0", "off"):
        return "hidden_flag"
    size = props.find(f"{W}sz")
    if size is not None and size.get(f"{W}val", "").isdigit() and int(size.get(f"{W}val")) < 4:
        return "tiny_font"  # w:sz is in half-points
    color = props.find(f"{W}color")
    shade = props.find(f"{W}shd")
    has_fill = shade is not None and shade.get(f"{W}fill", "auto").upper() not in ("AUTO", "FFFFFF")
    if color is not None and color.get(f"{W}val", "").upper() == "FFFFFF" and not has_fill:
        return "white_text"
    return None
