"""Report → PDF with fpdf2 (pure Python, LGPL), Chinese included, on a machine without fonts.

The text face is WenQuanYi Micro Hei from the ``paperang-p2-fonts-cjk`` package (see ``fonts``);
fpdf2 embeds a subset of it, so the PDF shows real glyphs, and its text can be searched and
extracted. The face has no bold: titles and headings are drawn fill+stroke ("faux bold"). A mark
the face lacks (✗) is drawn as its lookalike (✘), any other missing character as "?", never
dropped. Bar charts are drawn with rectangles, radar charts with polygons; tables size their
columns to their content, start with their heading on one page and repeat their heading row after
a page break; text with Chinese wraps at any character, text without at spaces. Every page carries
the report footer and "page n of N". The creation date comes from the report (or a fixed date), so
the same report renders to the same bytes.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from fpdf import FPDF
from fpdf.enums import (
    Align,
    MethodReturnValue,
    TableCellFillMode,
    TextMode,
    WrapMode,
    XPos,
    YPos,
)
from fpdf.fonts import FontFace

from hrm2.documents.reports.fonts import CJK_FONT_INDEX, cjk_font_path, supported_codepoints
from hrm2.documents.reports.model import BarChart, RadarChart, Report, Section, Table, labels

__all__ = ["render_pdf"]

FONT = "wqy"
FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
TEXT = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (47, 110, 186)
TRACK = (228, 232, 238)
RULE = (206, 212, 218)
HEADING_FILL = (232, 238, 247)
RADAR_FILL = (190, 210, 236)
CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
CELL_PAD_X, CELL_PAD_Y = 1.5, 1.2  # mm inside a table cell
CELL_LINE_H, TABLE_FONT_SIZE = 5.5, 9.5
REPLACEMENT = "?"
# Marks the face lacks (a resume or an answer may hold any), drawn as the nearest it has.
LOOKALIKES = {
    "✗": "✘",  # U+2717 ballot x → U+2718 heavy ballot x
    "❌": "✘",
    "❎": "✘",
    "☒": "✘",
    "✅": "✔",
    "☑": "✔",
    "☐": "□",
    "⭕": "○",
}


def _clean(text: str) -> str:
    """Marks the face lacks become their lookalike; other characters it lacks become "?" (not
    silently dropped); control characters go."""
    glyphs = supported_codepoints()
    out = []
    for char in str(text):
        if char == "\n":
            out.append(char)
        elif char == "\t":
            out.append("    ")
        elif ord(char) < 32 or 0x7F <= ord(char) < 0xA0:
            continue
        elif ord(char) in glyphs:
            out.append(char)
        else:
            out.append(LOOKALIKES.get(char, REPLACEMENT))
    return "".join(out)


def _wrap(*texts: str) -> WrapMode:
    """Break anywhere in text that is mostly Chinese (it has no spaces to break at), between
    words otherwise — so an English sentence that names a Chinese candidate ("李雷: overall
    13.1 …") never breaks inside an English word; a Chinese run longer than a line still breaks."""
    chinese = sum(len(run) for text in texts for run in CJK.findall(text))
    visible = sum(len(text) - text.count(" ") for text in texts)
    return WrapMode.CHAR if visible and chinese * 3 >= visible else WrapMode.WORD


def _table_wrap(table: Table) -> WrapMode:
    return _wrap(*table.columns, *(cell for row in table.rows for cell in row))


class _ReportPDF(FPDF):
    def __init__(self, report: Report):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.report = report
        self.words = labels(report)
        self.add_font(FONT, "", str(cjk_font_path()), collection_font_number=CJK_FONT_INDEX)
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_font(FONT, size=10.5)
        self.set_text_color(*TEXT)

    # -- page furniture -----------------------------------------------------------------------
    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        page = self.words["page"].format(page=self.page_no(), pages=self.str_alias_nb_pages)
        page_w = 40
        if self.report.footer:
            text = _clean(" ".join(self.report.footer.split()))
            self.cell(self.epw - page_w, 5, self._fit(text, self.epw - page_w - 2), align=Align.L)
        self.set_x(self.l_margin + self.epw - page_w)
        self.cell(page_w, 5, page, align=Align.R)
        self.set_text_color(*TEXT)

    # -- helpers ------------------------------------------------------------------------------
    def _fit(self, text: str, width: float) -> str:
        """Cut ``text`` with an ellipsis so it fits ``width`` at the current font size."""
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def _room(self, height: float) -> None:
        """Start a new page unless ``height`` mm still fit above the bottom margin."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def _bold_text(self, size: float, text: str, color=TEXT, line_h: float | None = None) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*color)
        self.set_draw_color(*color)
        self.set_line_width(size * 0.012)
        self.text_mode = TextMode.FILL_STROKE
        self.multi_cell(
            0,
            line_h or size * 0.5,
            _clean(text),
            align=Align.L,
            wrapmode=_wrap(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.text_mode = TextMode.FILL
        self.set_line_width(0.2)
        self.set_text_color(*TEXT)

    def _text(self, text: str, size: float = 10.5, color=TEXT, indent: float = 0) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*color)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent,
            size * 0.55,
            _clean(text),
            align=Align.L,
            wrapmode=_wrap(text),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(*TEXT)

    def _rule(self, color=RULE) -> None:
        self.set_draw_color(*color)
        self.set_line_width(0.3)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.set_line_width(0.2)

    # -- blocks -------------------------------------------------------------------------------
    def head(self) -> None:
        report = self.report
        self._bold_text(20, report.title, line_h=10)
        if report.subtitle:
            self.ln(1)
            self._text(report.subtitle, size=12, color=MUTED)
        if report.meta:
            self.ln(3)
            self.set_font(FONT, size=10)
            keys = [_clean(key) for key, _ in report.meta]
            key_w = min(max(self.get_string_width(k) for k in keys) + 6, 50)
            for key, (_, value) in zip(keys, report.meta, strict=True):
                self._room(6)
                self.set_text_color(*MUTED)
                self.cell(key_w, 6, self._fit(key, key_w - 2))
                self.set_text_color(*TEXT)
                self.multi_cell(
                    self.epw - key_w,
                    6,
                    _clean(value),
                    align=Align.L,
                    wrapmode=_wrap(value),
                    new_x=XPos.LMARGIN,
                    new_y=YPos.NEXT,
                )
        self.ln(3)
        self._rule(ACCENT)
        self.ln(5)

    def chart(self, chart: BarChart) -> None:
        row_h, bar_h, value_w = 8.0, 5.0, 18.0
        self._room(10 + row_h * min(len(chart.bars), 3))
        self._bold_text(13, chart.title, line_h=7)
        self.ln(2)
        self.set_font(FONT, size=10)
        labels_ = [_clean(" ".join(bar.label.split())) for bar in chart.bars]
        label_w = min(max((self.get_string_width(t) for t in labels_), default=0) + 4, 50)
        track_w = self.epw - label_w - value_w
        for text, bar in zip(labels_, chart.bars, strict=True):
            self._room(row_h)
            y = self.get_y()
            x = self.l_margin
            self.set_text_color(*TEXT)
            self.cell(label_w - 2, row_h, self._fit(text, label_w - 3), align=Align.R)
            top = y + (row_h - bar_h) / 2
            self.set_fill_color(*TRACK)
            self.rect(x + label_w, top, track_w, bar_h, style="F")
            if bar.ratio > 0:
                self.set_fill_color(*ACCENT)
                self.rect(x + label_w, top, track_w * bar.ratio, bar_h, style="F")
            self.set_xy(x + label_w + track_w, y)
            self.cell(value_w, row_h, bar.display, align=Align.R)
            self.set_xy(x, y + row_h)
        self.ln(4)

    def radar(self, chart: RadarChart) -> None:
        """Concentric grid polygons, one spoke per axis, the scores as a filled polygon."""
        radius, label_room = 32.0, 14.0
        self._room(10 + 2 * (radius + label_room))
        self._bold_text(13, chart.title, line_h=7)
        self.ln(2)
        cx = self.l_margin + self.epw / 2
        cy = self.get_y() + label_room + radius
        n = len(chart.axes)
        angles = [-math.pi / 2 + 2 * math.pi * i / n for i in range(n)]

        def point(angle: float, r: float) -> tuple[float, float]:
            return cx + r * math.cos(angle), cy + r * math.sin(angle)

        self.set_line_width(0.2)
        self.set_draw_color(*RULE)
        for ring in (0.25, 0.5, 0.75, 1.0):
            self.polygon([point(a, radius * ring) for a in angles], style="D")
        for angle in angles:
            self.line(cx, cy, *point(angle, radius))
        shape = [point(a, radius * axis.ratio) for a, axis in zip(angles, chart.axes, strict=True)]
        self.set_fill_color(*RADAR_FILL)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        with self.local_context(fill_opacity=0.55):
            self.polygon(shape, style="F")
        self.polygon(shape, style="D")
        self.set_fill_color(*ACCENT)
        for x, y in shape:
            self.circle(x, y, 0.9, style="F")
        self.set_line_width(0.2)
        self.set_font(FONT, size=9)
        self.set_text_color(*TEXT)
        for angle, axis in zip(angles, chart.axes, strict=True):
            text = _clean(f"{' '.join(axis.label.split())} {axis.display}")
            width = min(self.get_string_width(text) + 2, 48)
            x, y = point(angle, radius + 3)
            cos = math.cos(angle)
            left = x - width / 2 if abs(cos) < 0.3 else x if cos > 0 else x - width
            top = y - 4.5 if math.sin(angle) < -0.3 else y - 2 if abs(math.sin(angle)) <= 0.3 else y
            self.set_xy(left, top)
            self.cell(width, 4.5, self._fit(text, width), align=Align.C)
        self.set_xy(self.l_margin, cy + radius + label_room)
        self.ln(2)

    def _column_widths(self, table: Table) -> list[float]:
        """Widths that follow the content, as a browser lays out a table: a column whose longest
        line fits an equal share of the room left keeps that width (a score, a verdict); the
        wide ones share the rest in proportion (equal widths broke "Python" over two lines)."""
        self.set_font(FONT, size=TABLE_FONT_SIZE)
        natural = [
            max(
                self.get_string_width(line)
                for cell in [heading, *(row[index] for row in table.rows)]
                for line in (_clean(cell).splitlines() or [""])
            )
            + 2 * CELL_PAD_X
            + 1
            for index, heading in enumerate(table.columns)
        ]
        fixed: dict[int, float] = {}
        while len(fixed) < len(natural):
            rest = [i for i in range(len(natural)) if i not in fixed]
            share = (self.epw - sum(fixed.values())) / len(rest)
            fits = {i: natural[i] for i in rest if natural[i] <= share}
            if not fits:
                room = self.epw - sum(fixed.values())
                wide = sum(natural[i] for i in rest)
                fixed.update({i: room * natural[i] / wide for i in rest})
            fixed.update(fits)
        return [fixed[i] for i in range(len(natural))]

    def _first_rows_height(self, table: Table, widths: list[float]) -> float:
        """Height of the heading row and the first body row (at the table's font size), which
        must start on the same page; at most a page, so a huge row cannot add a blank one."""
        self.set_font(FONT, size=TABLE_FONT_SIZE)
        scale, wrap = self.epw / sum(widths), _table_wrap(table)
        height = 0.0
        for cells in [table.columns, *table.rows[:1]]:
            lines = max(
                len(
                    self.multi_cell(
                        width * scale,
                        CELL_LINE_H,
                        _clean(cell),
                        dry_run=True,
                        output=MethodReturnValue.LINES,
                        wrapmode=wrap,
                        padding=(0, CELL_PAD_X),  # as the table pads it
                    )
                )
                for width, cell in zip(widths, cells, strict=True)
            )
            height += lines * CELL_LINE_H + 2 * CELL_PAD_Y
        return min(height, self.page_break_trigger - self.t_margin - 1)

    def table_block(self, table: Table) -> None:
        widths = self._column_widths(table)
        self._room(self._first_rows_height(table, widths))
        self.set_font(FONT, size=TABLE_FONT_SIZE)
        self.set_fill_color(255, 255, 255)  # body cells must not inherit the chart's bar colour
        self.set_draw_color(*MUTED)
        with self.table(
            text_align="LEFT",
            line_height=CELL_LINE_H,
            padding=(CELL_PAD_Y, CELL_PAD_X),
            col_widths=widths,
            headings_style=FontFace(family=FONT, emphasis="", color=TEXT, fill_color=HEADING_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            wrapmode=_table_wrap(table),
            width=self.epw,
        ) as grid:
            for cells in [table.columns, *table.rows]:
                row = grid.row()
                for cell in cells:
                    row.cell(_clean(cell))
        self.ln(3)

    def section(self, section: Section) -> None:
        # keep a heading with a couple of lines below it, or with its table's first row
        below = 10.0
        if section.table is not None and not section.paragraphs and not section.bullets:
            below = self._first_rows_height(section.table, self._column_widths(section.table))
        self._room(12 + below)
        self._bold_text(14, section.heading, line_h=8)
        self._rule()
        self.ln(3)
        for paragraph in section.paragraphs:
            if paragraph.strip():
                self._text(paragraph.strip())
                self.ln(2)
        for bullet in section.bullets:
            self._room(6)
            self.set_font(FONT, size=10.5)
            self.set_text_color(*ACCENT)
            self.cell(5, 5.8, "•")
            self.set_text_color(*TEXT)
            self._text(" ".join(bullet.split()), indent=5)
            self.ln(0.8)
        if section.bullets:
            self.ln(2)
        if section.table is not None:
            self.table_block(section.table)
        self.ln(2)


def render_pdf(report: Report) -> bytes:
    pdf = _ReportPDF(report)
    created = report.created or FIXED_DATE
    pdf.set_creation_date(created if created.tzinfo else created.replace(tzinfo=UTC))
    pdf.set_title(_clean(report.title))
    if report.subtitle:
        pdf.set_subject(_clean(report.subtitle))
    pdf.set_creator("HRM2")
    pdf.set_lang("en" if report.is_english else "zh-CN")
    pdf.add_page()
    pdf.head()
    for chart in report.charts:
        if isinstance(chart, RadarChart):
            pdf.radar(chart)
        else:
            pdf.chart(chart)
    for section in report.sections:
        pdf.section(section)
    return bytes(pdf.output())
