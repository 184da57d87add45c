"""Report → Word (.docx) with python-docx.

Word picks the font for Chinese characters from ``w:eastAsia`` in a run's ``w:rFonts``;
python-docx's ``font.name`` sets only the Latin slots, and the built-in heading styles point
East-Asian text at a theme font. So every style used here gets an explicit East-Asian font
(Microsoft YaHei, with the theme reference removed), and Chinese shows properly in Word, WPS and
LibreOffice. A bar chart is a two-column table whose score cell holds a coloured text bar and the
value.
"""

from __future__ import annotations

import io
from datetime import UTC

from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from hrm2.documents.reports.model import Chart, Report, Section, Table, labels
from hrm2.documents.reports.pdf import FIXED_DATE

__all__ = ["EAST_ASIAN_FONT", "render_docx"]

EAST_ASIAN_FONT = "Microsoft YaHei"
LATIN_FONT = "Calibri"
BAR_CELLS = 20
ACCENT = RGBColor(0x2F, 0x6E, 0xBA)
TRACK = RGBColor(0xD5, 0xDB, 0xE3)
MUTED = RGBColor(0x6C, 0x75, 0x7D)
STYLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Table Grid")


def _set_fonts(element, latin: str | None = None) -> None:
    """Give an rPr-owning element (a style or a run) an explicit East-Asian font."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    themes = ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme") if latin else ("w:eastAsiaTheme",)
    for theme in themes:  # a theme reference would override the explicit font
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
    if latin:
        fonts.set(qn("w:ascii"), latin)
        fonts.set(qn("w:hAnsi"), latin)


def _prepare_styles(doc: DocumentObject) -> None:
    for name in STYLES:
        style = doc.styles[name]
        _set_fonts(style.element, latin=LATIN_FONT if name == "Normal" else None)
    doc.styles["Normal"].font.size = Pt(10.5)


def _add_page_number(paragraph, template: str) -> None:
    """``template`` like "第 {page} 页 / 共 {pages} 页", with Word fields for the numbers."""
    before, rest = template.split("{page}", 1)
    middle, after = rest.split("{pages}", 1)
    for text, field in ((before, "PAGE"), (middle, "NUMPAGES"), (after, None)):
        if text:
            paragraph.add_run(text)
        if field:
            simple = OxmlElement("w:fldSimple")
            simple.set(qn("w:instr"), field)
            run = OxmlElement("w:r")
            text_el = OxmlElement("w:t")
            text_el.text = "1"
            run.append(text_el)
            simple.append(run)
            paragraph._p.append(simple)


def _table(doc: DocumentObject, columns: list[str], rows: list[list[str]]):
    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = doc.styles["Table Grid"]
    for cell, text in zip(grid.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for values in rows:
        cells = grid.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    return grid


def _chart(doc: DocumentObject, chart: Chart, words: dict[str, str]) -> None:
    doc.add_heading(chart.title, level=2)
    grid = _table(doc, [words["dimension"], words["score"]], [])
    for bar in chart.bars:
        label_cell, score_cell = grid.add_row().cells
        label_cell.text = bar.label
        paragraph = score_cell.paragraphs[0]
        filled = round(bar.ratio * BAR_CELLS)
        for count, color in ((filled, ACCENT), (BAR_CELLS - filled, TRACK)):
            if count:
                run = paragraph.add_run("█" * count)
                run.font.color.rgb = color
                run.font.size = Pt(8)
        paragraph.add_run(" " + bar.display)
    doc.add_paragraph()


def _section(doc: DocumentObject, section: Section) -> None:
    doc.add_heading(section.heading, level=1)
    for text in section.paragraphs:
        if text.strip():
            doc.add_paragraph(text.strip())
    for bullet in section.bullets:
        doc.add_paragraph(bullet, style="List Bullet")
    if section.table is not None:
        table: Table = section.table
        _table(doc, table.columns, table.rows)
        doc.add_paragraph()


def render_docx(report: Report) -> bytes:
    words = labels(report)
    doc = Document()
    _prepare_styles(doc)

    created = report.created or FIXED_DATE
    props = doc.core_properties
    props.title = report.title
    props.subject = report.subtitle
    props.author = "HRM2"
    props.last_modified_by = "HRM2"
    props.language = "en-US" if report.is_english else "zh-CN"
    props.created = props.modified = created if created.tzinfo else created.replace(tzinfo=UTC)
    props.revision = 1

    doc.add_heading(report.title, level=0)
    if report.subtitle:
        doc.add_paragraph(report.subtitle, style="Subtitle")
    for key, value in report.meta:
        paragraph = doc.add_paragraph()
        key_run = paragraph.add_run(f"{key}: ")
        key_run.bold = True
        key_run.font.color.rgb = MUTED
        paragraph.add_run(value)
    for chart in report.charts:
        _chart(doc, chart, words)
    for section in report.sections:
        _section(doc, section)

    footer = doc.sections[0].footer.paragraphs[0]
    if report.footer:
        footer.add_run(report.footer + "    ")
    _add_page_number(footer, words["page"])

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
