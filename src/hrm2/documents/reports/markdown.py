"""Report → GitHub-flavoured Markdown.

Report text often quotes resumes and transcripts, which are untrusted: characters that would make
links, HTML, emphasis or code are backslash-escaped, so a quote shows as written and cannot inject
markup into whatever displays the Markdown. Tables are GFM tables; a bar chart is a table whose
score cell carries a text bar such as ``██████████████░░░░░░ 72``.
"""

from __future__ import annotations

import re

from hrm2.documents.reports.model import Bar, Chart, Report, Section, Table, labels

__all__ = ["render_markdown", "text_bar"]

BAR_CELLS = 20
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_BLOCK_START = re.compile(r"^(\s*)(#|[-+=]|\d+[.)])")


def text_bar(bar: Bar, cells: int = BAR_CELLS) -> str:
    filled = round(bar.ratio * cells)
    return "█" * filled + "░" * (cells - filled) + " " + bar.display


def _inline(text: str) -> str:
    """One line of literal text: markup characters escaped, line breaks folded to spaces."""
    return _INLINE_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _paragraph(text: str) -> str:
    """A block of literal text; keeps its line breaks, never starts a heading or a list."""
    lines = []
    for line in str(text).strip().splitlines():
        line = _INLINE_SPECIAL.sub(r"\\\1", line.rstrip())
        lines.append(_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line))
    return "\n".join(lines)


def _table(columns: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    align = align or ["---"] * len(columns)
    out = ["| " + " | ".join(_inline(c) for c in columns) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(_inline(cell) for cell in row) + " |" for row in rows]
    return out


def _chart(chart: Chart, words: dict[str, str]) -> list[str]:
    out = [f"### {_inline(chart.title)}", ""]
    rows = [[bar.label, text_bar(bar)] for bar in chart.bars]
    out += _table([words["dimension"], words["score"]], rows)
    return [*out, ""]


def _section(section: Section) -> list[str]:
    out = [f"## {_inline(section.heading)}", ""]
    for paragraph in section.paragraphs:
        if paragraph.strip():
            out += [_paragraph(paragraph), ""]
    if section.bullets:
        out += [f"- {_inline(bullet)}" for bullet in section.bullets]
        out.append("")
    if section.table is not None:
        table: Table = section.table
        out += [*_table(table.columns, table.rows), ""]
    return out


def render_markdown(report: Report) -> str:
    words = labels(report)
    out = [f"# {_inline(report.title)}", ""]
    if report.subtitle:
        out += [_paragraph(report.subtitle), ""]
    if report.meta:
        out += [f"- **{_inline(key)}**: {_inline(value)}" for key, value in report.meta]
        out.append("")
    for chart in report.charts:
        out += _chart(chart, words)
    for section in report.sections:
        out += _section(section)
    if report.footer:
        out += ["---", "", _paragraph(report.footer), ""]
    return "\n".join(out).rstrip("\n") + "\n"
