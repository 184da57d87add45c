"""One report model, four output formats, for every report HRM2 produces.

Resume screening, interview and group-recommendation reports all have the same shape: a title,
who/what it is about, a few scores to compare at a glance, and sections of findings with bullets and
tables. Producers build a ``Report`` (plain dataclasses in ``model``) and never touch a rendering
engine; ``render(report, fmt)`` turns it into Markdown, PDF (fpdf2 with an embedded CJK font, so
Chinese renders on a machine without fonts), Word (.docx) or JSON (the dataclasses as stored data;
``Report.from_dict`` reads it back). ``local_time`` writes a time the way every report and console
page shows it. This ground-floor package imports no domain app.
"""

from __future__ import annotations

from dataclasses import asdict

import orjson

from hrm2.documents.reports.model import (
    MARKS,
    Bar,
    BarChart,
    RadarChart,
    Report,
    Section,
    Table,
)
from hrm2.documents.reports.times import local_time

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "MARKS",
    "Bar",
    "BarChart",
    "RadarChart",
    "Report",
    "Section",
    "Table",
    "local_time",
    "render",
    "render_json",
]

CONTENT_TYPES = {
    "md": ("text/markdown; charset=utf-8", "md"),
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "json": ("application/json", "json"),
}
FORMATS = tuple(CONTENT_TYPES)


def render_json(report: Report) -> bytes:
    """UTF-8 JSON, Chinese kept as is (orjson never escapes non-ASCII)."""
    return orjson.dumps(asdict(report), option=orjson.OPT_INDENT_2)


def render(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """Render ``report`` as ``fmt`` (md, pdf, docx or json) → (body, content type, extension)."""
    fmt = fmt.lower().strip()
    if fmt == "md":
        from hrm2.documents.reports.markdown import render_markdown

        body = render_markdown(report).encode("utf-8")
    elif fmt == "pdf":
        from hrm2.documents.reports.pdf import render_pdf

        body = render_pdf(report)
    elif fmt == "docx":
        from hrm2.documents.reports.docx import render_docx

        body = render_docx(report)
    elif fmt == "json":
        body = render_json(report)
    else:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
    content_type, extension = CONTENT_TYPES[fmt]
    return body, content_type, extension
