"""The radar chart: drawn as polygons in the PDF (Chinese labels), a table in Markdown and DOCX."""

import io

import orjson
import pytest
from docx import Document
from pypdf import PdfReader

from hrm2.documents.reports import Bar, RadarChart, Report, Section, render
from hrm2.documents.reports.markdown import render_markdown
from hrm2.documents.reports.pdf import ACCENT, render_pdf

from .test_rendering import rasterise

AXES = {
    "技术深度": 3.5,
    "实践经验": 3,
    "回答具体性": 2.5,
    "逻辑清晰度": 3,
    "诚实度": 4,
    "沟通表达": 2,
}


def radar_report() -> Report:
    return Report(
        title="面试评估报告",
        meta=[("候选人", "张伟")],
        charts=[RadarChart("面试维度评分", [Bar(k, v, maximum=4) for k, v in AXES.items()])],
        sections=[Section("总结", ["回答具体，有数据支撑。"])],
    )


def test_radar_needs_three_axes_and_round_trips():
    with pytest.raises(ValueError, match="three axes"):
        RadarChart("x", [Bar("a", 1), Bar("b", 2)])
    body, _, _ = render(radar_report(), "json")
    assert Report.from_dict(orjson.loads(body)) == radar_report()


def test_radar_markdown_and_docx_are_tables():
    md = render_markdown(radar_report())
    assert "### 面试维度评分" in md and "| 技术深度 | " in md and "3.5/4 |" in md
    doc = Document(io.BytesIO(render(radar_report(), "docx")[0]))
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert any(row[0] == "诚实度" and row[1].endswith(" 4/4") for row in cells)


def test_radar_pdf_has_chinese_labels_and_is_drawn(tmp_path):
    pdf = render_pdf(radar_report())
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for label in AXES:
        assert label in text, label
    assert "3.5/4" in text and render_pdf(radar_report()) == pdf  # deterministic
    image = rasterise(pdf, tmp_path)
    pixels = image.load()
    accent = sum(
        1
        for x in range(image.size[0])
        for y in range(image.size[1])
        if all(abs(a - b) < 40 for a, b in zip(pixels[x, y], ACCENT, strict=True))
    )
    assert accent > 100  # the score polygon's outline and vertices are drawn in the accent colour
