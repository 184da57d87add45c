"""The report renderers: Markdown, JSON, DOCX and PDF, with Chinese text.

The PDF is parsed back (pypdf) to prove the embedded font maps real glyphs to the Chinese text, and
page 1 is rasterised with poppler's pdftoppm (skipped where it is not installed) to prove the title
and the bar chart are actually drawn.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import UTC, datetime

import orjson
import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from hrm2.documents.reports import (
    FORMATS,
    MARKS,
    Bar,
    BarChart,
    Report,
    Section,
    Table,
    render,
)
from hrm2.documents.reports.docx import EAST_ASIAN_FONT, render_docx
from hrm2.documents.reports.fonts import supported_codepoints
from hrm2.documents.reports.markdown import render_markdown, text_bar
from hrm2.documents.reports.pdf import ACCENT, LOOKALIKES, render_pdf

SCORES = {"人事": 72, "技术": 85, "管理": 60}


def chinese_report() -> Report:
    return Report(
        title="简历筛选报告",
        subtitle="高级后端工程师 · 自动初筛结果，需人工复核",
        meta=[("候选人", "张三"), ("岗位", "高级后端工程师")],
        charts=[BarChart("维度得分", [Bar(label, value) for label, value in SCORES.items()])],
        sections=[
            Section(
                heading="筛选结论",
                paragraphs=["候选人熟悉 Python 与 Django，具备分布式系统经验；团队管理经历有限。"],
                bullets=[
                    "五年 Python 开发经验",
                    "主导过日均千万请求的接口网关",
                    "缺少团队管理经历",
                ],
                table=Table(
                    columns=["评估项", "结论", "证据"],
                    rows=[
                        ["学历", "通过", "本科 计算机科学|浙江大学"],
                        ["工作年限", "通过", "2019.07 至今，约五年"],
                    ],
                ),
            ),
            Section(heading="风险提示", bullets=["简历未写明离职原因"]),
        ],
        footer="HRM2 · 机器结果仅供参考",
        created=datetime(2025, 3, 1, 9, 30, tzinfo=UTC),
    )


def english_report() -> Report:
    return Report(
        title="Interview Report",
        subtitle="Backend engineer, second round",
        meta=[("Candidate", "Jane Doe"), ("Position", "Senior Backend Engineer")],
        charts=[
            BarChart(
                "Scores",
                [Bar("Communication", 8, maximum=10), Bar("Depth", 0), Bar("Overflow", 130)],
            )
        ],
        sections=[
            Section(
                heading="Summary",
                paragraphs=[
                    "Strong on system design; answers were concise and backed by examples."
                ],
                bullets=["Designed a sharded job queue", "Explained idempotent retries"],
                table=Table(["Question", "Verdict"], [["Cache invalidation", "good"]]),
            )
        ],
        footer="Advisory only",
        language="en",
    )


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return render_pdf(chinese_report())


def pdf_text(data: bytes) -> list[str]:
    return [
        (page.extract_text() or "").replace("\x00", "")
        for page in PdfReader(io.BytesIO(data)).pages
    ]


# --- model -----------------------------------------------------------------------------------


def test_model_validates_and_clamps():
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        Table(["a", "b"], [["only one"]])
    with pytest.raises(ValueError, match="maximum"):
        Bar("x", 1, maximum=0)
    with pytest.raises(ValueError, match="finite"):
        Bar("x", float("nan"))
    assert Bar("x", 130).ratio == 1.0
    assert Bar("x", -5).ratio == 0.0
    assert Bar("x", 72.0).display == "72"
    assert Bar("x", 7.25, maximum=10).display == "7.2/10"


# --- markdown --------------------------------------------------------------------------------


def test_markdown_chinese():
    md = render_markdown(chinese_report())
    assert md.startswith("# 简历筛选报告\n")
    assert "## 筛选结论" in md and "## 风险提示" in md
    assert "- **候选人**: 张三" in md
    assert "### 维度得分" in md
    assert "| 维度 | 得分 |" in md
    assert "| 技术 | █████████████████░░░ 85 |" in md
    assert "| 评估项 | 结论 | 证据 |" in md
    assert "| 学历 | 通过 | 本科 计算机科学\\|浙江大学 |" in md  # the pipe cannot split the cell
    assert "- 主导过日均千万请求的接口网关" in md
    assert md.rstrip().endswith("HRM2 · 机器结果仅供参考")


def test_markdown_english_and_untrusted_text():
    report = english_report()
    report.sections[0].bullets.append("<script>alert(1)</script> [click](http://x) *bold*")
    report.sections[0].paragraphs.append("# not a heading\n- not a list")
    md = render_markdown(report)
    assert "| Dimension | Score |" in md
    assert "| Communication | " + text_bar(Bar("Communication", 8, maximum=10)) + " |" in md
    assert text_bar(Bar("Communication", 8, maximum=10)).endswith("░░░░ 8/10")
    assert "\\<script\\>" in md and "<script>" not in md
    assert "\\[click\\](http://x) \\*bold\\*" in md
    assert "\n\\# not a heading\n\\- not a list\n" in md


# --- json and the render() entry point ----------------------------------------------------------


def test_json_round_trip_keeps_chinese_unescaped():
    report = chinese_report()
    body, content_type, extension = render(report, "json")
    assert (content_type, extension) == ("application/json", "json")
    assert "简历筛选报告".encode() in body and b"\\u" not in body
    assert Report.from_dict(orjson.loads(body)) == report


def test_render_every_format_and_reject_unknown():
    report = english_report()
    for fmt in FORMATS:
        body, content_type, extension = render(report, fmt)
        assert body and extension == fmt and content_type
    assert render(report, "pdf")[0].startswith(b"%PDF-")
    assert render(report, "docx")[0].startswith(b"PK")
    with pytest.raises(ValueError, match="unknown report format"):
        render(report, "html")


# --- docx ------------------------------------------------------------------------------------


def test_docx_chinese():
    doc = Document(io.BytesIO(render_docx(chinese_report())))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "简历筛选报告"
    assert "筛选结论" in texts and "主导过日均千万请求的接口网关" in texts
    assert "候选人: 张三" in texts
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["维度", "得分"] in cells
    assert any(row[0] == "技术" and row[1].endswith(" 85") for row in cells)
    assert ["学历", "通过", "本科 计算机科学|浙江大学"] in cells
    assert "HRM2 · 机器结果仅供参考" in doc.sections[0].footer.paragraphs[0].text
    for name in ("Normal", "Title", "Heading 1", "List Bullet"):
        fonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == EAST_ASIAN_FONT, name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
    assert doc.core_properties.title == "简历筛选报告"


# --- pdf -------------------------------------------------------------------------------------


def test_pdf_chinese_text_extracts(chinese_pdf):
    assert chinese_pdf.startswith(b"%PDF-")
    (text,) = pdf_text(chinese_pdf)
    for word in (
        "简历筛选报告",
        "候选人",
        "张三",
        "维度得分",
        "技术",
        "管理",
        "筛选结论",
        "浙江大学",
        "缺少团队管理经历",
        "第 1 页 / 共 1 页",
        "HRM2 · 机器结果仅供参考",
    ):
        assert word in text, word
    for value in SCORES.values():
        assert str(value) in text
    reader = PdfReader(io.BytesIO(chinese_pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    (font,) = [f.get_object() for f in fonts.values()]
    assert "WenQuanYi" in font["/BaseFont"]
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "/FontFile2" in descriptor  # embedded, not a reference to a system font
    assert reader.metadata.title == "简历筛选报告"


def test_pdf_is_deterministic_and_small(chinese_pdf):
    assert render_pdf(chinese_report()) == chinese_pdf
    assert len(chinese_pdf) < 200_000  # a subset of the 5 MB collection, not all of it


def test_pdf_english():
    (text,) = pdf_text(render_pdf(english_report()))
    for word in ("Interview Report", "Jane Doe", "Communication", "8/10", "130", "Page 1 of 1"):
        assert word in text, word


def test_pdf_replaces_glyphs_the_font_lacks():
    report = Report(title="表情 \U0001f600 测试\x07", sections=[Section("段落", ["a\tb"])])
    (text,) = pdf_text(render_pdf(report))
    assert "表情 ? 测试" in text
    assert "\x07" not in text


def test_marks_are_drawn_and_missing_marks_use_their_lookalike():
    glyphs = supported_codepoints()
    assert all(ord(mark) in glyphs for mark in MARKS.values())
    assert all(ord(mark) in glyphs for mark in LOOKALIKES.values())
    marks = " ".join(MARKS.values())
    report = Report(title="标记", sections=[Section("判定", [f"✗ 不符合 {marks}"])])
    (text,) = pdf_text(render_pdf(report))
    assert "✘ 不符合" in text and "?" not in text


def test_a_section_with_nothing_to_list_says_so():
    report = Report(title="报告", sections=[Section("优势", bullets=[]), Section("概要", [" "])])
    assert [s.paragraphs for s in report.sections] == [["—"], ["—"]]
    assert "## 优势\n\n—" in render_markdown(report)


def test_table_columns_follow_their_content():
    """Equal widths cut "Python" in two inside the reason column of the screening table; the
    short columns now keep their width and the reason gets the rest."""
    columns = ["标准项", "判定", "得分", "依据", "理由"]
    table = Table(columns, [["Python", "✘ 不符合", "0/20", "", "简历中未找到「Python」"]])
    (text,) = pdf_text(render_pdf(Report(title="表格", sections=[Section("评估", table=table)])))
    assert "简历中未找到「Python」" in text


def test_long_report_paginates():
    bullets = [f"第 {n} 条要点：候选人经历描述，用于分页测试。" for n in range(1, 201)]
    rows = [[f"项目{n}", "通过"] for n in range(1, 81)]
    report = Report(
        title="长报告",
        sections=[
            Section("要点", bullets=bullets),
            Section("明细", table=Table(["项目", "结论"], rows)),
        ],
    )
    pages = pdf_text(render_pdf(report))
    assert len(pages) > 2
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {total} 页" in text
    assert "第 1 条要点" in pages[0] and "第 1 条要点" not in pages[-1]
    joined = "".join(pages)
    assert "第 200 条要点" in joined and "项目80" in joined
    # the table's heading row is repeated on the page where the table continues
    assert pages[-1].startswith("项目 结论\n")


# --- pdf, as a person sees it ------------------------------------------------------------------


def rasterise(pdf: bytes, tmp_path, dpi: int = 72) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    return Image.open(tmp_path / "page.png").convert("RGB")


def test_pdf_page_is_drawn(chinese_pdf, tmp_path):
    image = rasterise(chinese_pdf, tmp_path)
    px_per_mm = 72 / 25.4
    assert abs(image.size[0] - 210 * px_per_mm) < 2 and abs(image.size[1] - 297 * px_per_mm) < 2
    pixels = image.load()

    # The title (20 pt, six CJK characters from x=18 mm, y=18 mm) is real ink, not blanks.
    left, top = int(18 * px_per_mm), int(17 * px_per_mm)
    right, bottom = int(80 * px_per_mm), int(29 * px_per_mm)
    dark = sum(
        1 for x in range(left, right) for y in range(top, bottom) if sum(pixels[x, y]) < 3 * 110
    )
    area = (right - left) * (bottom - top)
    assert 0.08 * area < dark < 0.6 * area, (dark, area)

    # The three bars: accent-coloured bands whose lengths follow the scores 72 : 85 : 60.
    def is_accent(rgb):
        return all(abs(a - b) < 30 for a, b in zip(rgb, ACCENT, strict=True))

    widths = []
    for y in range(image.size[1]):
        widths.append(sum(1 for x in range(image.size[0]) if is_accent(pixels[x, y])))
    bands, current = [], []
    for width in widths:
        if width > 20:
            current.append(width)
        elif current:
            bands.append(current)
            current = []
    bars = [max(band) for band in bands if len(band) >= 8]  # bars are 5 mm tall; rules are thin
    assert len(bars) == 3, bars
    full = bars[1] / 0.85
    for measured, expected in zip(bars, SCORES.values(), strict=True):
        assert abs(measured / full - expected / 100) < 0.02, (bars, expected)


def test_pdf_renders_concurrently(chinese_pdf):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_pdf(chinese_report()), range(4)))
    assert all(result == chinese_pdf for result in results)


def test_english_text_naming_a_chinese_candidate_breaks_between_words():
    """A summary like "李雷: overall 13.1 … Experience: about 0.0 years" must not break inside
    an English word; text that is mostly Chinese breaks at any character."""
    from fpdf.enums import WrapMode

    from hrm2.documents.reports.pdf import _wrap

    english = "李雷: overall 13.1 (HR 43.8, technical 0.0); recommendation: Not a match."
    assert _wrap(english) is WrapMode.WORD
    assert _wrap("李雷：综合得分 13.1（HR 43.8），建议：不匹配。") is WrapMode.CHAR
    assert _wrap("Python only appears in the skills list") is WrapMode.WORD


def test_evidence_is_shown_in_its_sentence_with_the_match_marked():
    """A word found in the resume is read inside its sentence, the match marked; a quote that
    is already the sentence stays as it is; offsets that do not fit give the bare quote."""
    from hrm2.screening.reporting import in_context

    text = (
        "技能：Python、Django\n"
        "2020.03-至今 某公司 后端工程师：使用 Python 开发订单服务，日均百万请求"
    )
    found = text.index("Python", 20)
    shown = in_context(text, {"start": found, "end": found + 6, "quote": "Python"}, "zh-hans")
    assert "使用 【Python】 开发订单服务" in shown
    assert "技能" not in shown  # the sentence, not the line before it
    english = in_context(text, {"start": found, "end": found + 6, "quote": "Python"}, "en")
    assert "[Python]" in english
    line = "技能：Python、Django"
    assert in_context(text, {"start": 0, "end": len(line), "quote": line}, "zh-hans") == line
    assert in_context(text, {"start": 3, "end": 9, "quote": "Java"}, "zh-hans") == "Java"
