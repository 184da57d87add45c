"""extract_resume: type from content, limits, hidden-text removal, decoding, hashing.

PDFs and DOCX files are generated here (fpdf2, python-docx), so every case is visible in code.
No CJK font is installed on the machine, so Chinese is tested through DOCX and TXT; PDFs are
English.
"""

import io
import time
import zipfile
import zlib

import docx
import pytest
from django.utils import translation
from docx.shared import Pt, RGBColor
from fpdf import FPDF

from hrm2.api.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from hrm2.documents import extract_resume
from hrm2.documents.text import content_hash, normalise_text


def make_pdf(draw, pages: int = 1) -> bytes:
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.set_text_color(0, 0, 0)
        draw(pdf)
    return bytes(pdf.output())


def make_docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in entries.items():
            archive.writestr(name, payload)
    return out.getvalue()


def codes(parsed) -> list[str]:
    return [w["code"] for w in parsed.warnings]


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_visible_text_and_metadata():
    def draw(pdf):
        pdf.text(20, 20, "Jane Doe - Python developer")
        pdf.text(20, 30, "Skills: Django, PostgreSQL")

    parsed = extract_resume(make_pdf(draw, pages=2), "cv.pdf")
    assert parsed.kind == "pdf"
    assert parsed.page_count == 2
    assert "Jane Doe - Python developer\nSkills: Django, PostgreSQL" in parsed.text
    assert parsed.warnings == [] and parsed.hidden_text == ""
    assert len(parsed.content_hash) == 64


def test_pdf_hidden_text_is_removed_and_reported():
    def draw(pdf):
        pdf.text(20, 20, "Visible experience in accounting")
        pdf.set_text_color(255, 255, 255)
        pdf.text(20, 40, "WHITEWORD kubernetes")
        pdf.set_text_color(250, 250, 250)  # near-white counts too
        pdf.text(20, 50, "NEARWHITE")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font_size(1)
        pdf.text(20, 60, "TINYWORD tensorflow")
        pdf.set_font_size(12)
        pdf.text(400, 100, "OFFRIGHT golang")  # A4 is 210 mm wide
        pdf.text(20, -20, "OFFTOP rust")

    parsed = extract_resume(make_pdf(draw), "cv.pdf")
    for word in ("WHITEWORD", "kubernetes", "NEARWHITE", "TINYWORD", "OFFRIGHT", "OFFTOP"):
        assert word not in parsed.text
        assert word in parsed.hidden_text
    assert "Visible experience in accounting" in parsed.text
    (found,) = [w for w in parsed.warnings if w["code"] == "hidden_text"]
    assert "TINYWORD" in found["detail"]
    for reason in ("white_text", "tiny_font", "off_page"):
        assert reason in found["message"]


def test_pdf_white_text_on_dark_banner_is_kept():
    def draw(pdf):
        pdf.set_fill_color(0, 0, 80)
        pdf.rect(10, 10, 120, 20, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.text(20, 22, "Senior Engineer")

    parsed = extract_resume(make_pdf(draw), "cv.pdf")
    assert "Senior Engineer" in parsed.text
    assert "hidden_text" not in codes(parsed)


def test_pdf_without_text_layer_warns():
    def draw(pdf):
        pdf.rect(20, 20, 50, 50, style="F")  # a "scan": shapes, no glyphs

    parsed = extract_resume(make_pdf(draw), "scan.pdf")
    assert parsed.text == ""
    assert codes(parsed) == ["no_text_layer"]


def test_pdf_page_limit(settings):
    settings.RESUME_MAX_PAGES = 3
    with pytest.raises(ValidationFailed) as info:
        extract_resume(make_pdf(lambda pdf: pdf.text(20, 20, "page"), pages=4), "cv.pdf")
    assert info.value.status == 422
    assert info.value.errors[0]["type"] == "too_many_pages"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << >>\n%%EOF",
        b"%PDF-1.4\n" + bytes(range(256)) * 50,
        b"%PDF-",
    ],
)
def test_malformed_pdf_is_a_clean_422(data):
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.pdf")
    assert info.value.errors[0]["type"] == "unreadable_pdf"


def test_truncated_pdf_is_a_clean_422():
    data = make_pdf(lambda pdf: pdf.text(20, 20, "Truncated"))
    with pytest.raises(ValidationFailed):
        extract_resume(data[: len(data) // 3], "cv.pdf")


def pdf_with_content_stream(content: bytes) -> bytes:
    """A minimal one-page PDF whose page content is ``content``, Flate-compressed."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF" % (
        len(objects) + 1,
        xref,
    )


def test_hand_built_pdf_reads():
    parsed = extract_resume(
        pdf_with_content_stream(b"BT /F1 12 Tf 72 700 Td (Hand built) Tj ET"), "cv.pdf"
    )
    assert parsed.kind == "pdf" and parsed.page_count == 1


@pytest.mark.parametrize("megabytes", [60, 100])  # over our 50 MB limit; over pypdf's 75 MB cap
def test_pdf_compression_bomb_is_refused_quickly(megabytes):
    data = pdf_with_content_stream(b"BT ET " + b" " * (megabytes << 20))
    assert len(data) < 1 << 20
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.pdf")
    assert time.monotonic() - started < 3
    assert info.value.errors[0]["type"] == "content_too_large"


def test_pdf_parse_deadline(settings):
    settings.RESUME_PARSE_SECONDS = -1  # already past the deadline
    with pytest.raises(ValidationFailed) as info:
        extract_resume(make_pdf(lambda pdf: pdf.text(20, 20, "slow")), "cv.pdf")
    assert info.value.errors[0]["type"] == "parse_timeout"


# --- DOCX ------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_in_order_with_chinese():
    def build(document):
        document.add_paragraph("张伟 — 高级后端工程师")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "技能"
        table.cell(0, 1).text = "Python, Django"
        table.cell(1, 0).text = "学历"
        table.cell(1, 1).text = "北京大学 硕士"
        document.add_paragraph("工作经历：2018-2024 字节跳动")

    parsed = extract_resume(make_docx(build), "简历.docx")
    assert parsed.kind == "docx"
    assert parsed.text == (
        "张伟 — 高级后端工程师\n技能 | Python, Django\n学历 | 北京大学 硕士\n"
        "工作经历：2018-2024 字节跳动"
    )
    assert parsed.warnings == []


def test_docx_hidden_runs_are_removed():
    def build(document):
        paragraph = document.add_paragraph("Visible summary. ")
        paragraph.add_run("VANISHED kubernetes").font.hidden = True
        white = document.add_paragraph().add_run("WHITERUN")
        white.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
        document.add_paragraph().add_run("TINYRUN").font.size = Pt(1)

    parsed = extract_resume(make_docx(build), "cv.docx")
    assert parsed.text == "Visible summary."
    for word in ("VANISHED", "WHITERUN", "TINYRUN"):
        assert word in parsed.hidden_text
    assert codes(parsed) == ["hidden_text"]


def test_docx_zip_bomb_is_refused_quickly():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as part:
            chunk = b" " * (1 << 20)
            for _ in range(60):  # 60 MB of spaces, ~60 KB compressed
                part.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.docx")
    assert time.monotonic() - started < 1
    assert info.value.errors[0]["type"] == "zip_bomb"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""


def _replace_part(data: bytes, name: str, payload: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {item: source.read(item) for item in source.namelist()}
    entries[name] = payload
    return zip_bytes(entries)


def test_docx_entity_expansion_is_rejected():
    data = _replace_part(
        make_docx(lambda d: d.add_paragraph("x")), "word/document.xml", BILLION_LAUGHS
    )
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.docx")
    assert info.value.errors[0]["type"] == "forbidden_xml"


def test_docx_utf16_xml_part_is_rejected():
    # A non-UTF-8 part could hide "<!DOCTYPE" from a byte scan.
    payload = BILLION_LAUGHS.replace(b'version="1.0"', b'version="1.0" encoding="UTF-16"')
    data = _replace_part(
        make_docx(lambda d: d.add_paragraph("x")),
        "word/document.xml",
        b"\xff\xfe" + payload.decode().encode("utf-16-le"),
    )
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.docx")
    assert info.value.errors[0]["type"] == "forbidden_xml"


def test_docx_with_broken_xml_is_a_clean_422():
    data = _replace_part(make_docx(lambda d: d.add_paragraph("x")), "word/document.xml", b"<w:doc")
    with pytest.raises(ValidationFailed) as info:
        extract_resume(data, "cv.docx")
    assert info.value.errors[0]["type"] == "unreadable_docx"


# --- type detection and size -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "cv.pdf"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "cv.docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "cv.doc"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cv.txt"),
        (zip_bytes({"hello.txt": b"hi"}), "cv.docx"),
        (bytes(range(256)) * 4, "cv.txt"),
        (b"\xaa\xa1" * 20, "cv.txt"),  # GB18030 user-defined area: private-use, not text
        (b"\xff\xfe" + b"\x00\xd8" * 20, "cv.txt"),  # UTF-16 BOM, then lone surrogates
    ],
)
def test_binary_content_is_415_whatever_the_name(data, name):
    with translation.override("en"), pytest.raises(UnsupportedMediaType) as info:
        extract_resume(data, name)
    assert info.value.status == 415
    assert "PDF, DOCX, TXT" in info.value.message


def test_executable_containing_pdf_header_is_still_415():
    with pytest.raises(UnsupportedMediaType):
        extract_resume(b"MZ\x90\x00" + b"%PDF-1.4 polyglot" + b"\x00" * 64, "cv.pdf")


def test_type_comes_from_content_not_name():
    pdf = make_pdf(lambda p: p.text(20, 20, "Real PDF"))
    assert extract_resume(pdf, "resume.txt").kind == "pdf"
    assert extract_resume(b"# Title\n\nplain", "resume.pdf").kind == "txt"
    assert extract_resume(b"# Title\n\nplain", "README.MD").kind == "md"


def test_empty_file_is_422():
    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        extract_resume(b"", "cv.pdf")
    assert info.value.errors[0]["type"] == "empty_file"
    assert info.value.message == "The file is empty."


def test_size_limit(settings):
    settings.RESUME_MAX_FILE_BYTES = 100
    extract_resume(b"a" * 100, "cv.txt")
    with pytest.raises(PayloadTooLarge) as info:
        extract_resume(b"a" * 101, "cv.txt")
    assert info.value.status == 413


def test_default_size_limit_is_10_mb():
    with translation.override("en"), pytest.raises(PayloadTooLarge) as info:
        extract_resume(b"a" * (10 * 1024 * 1024 + 1), "cv.txt")
    assert "10 MB" in info.value.message


# --- text decoding, normalisation, hashing ---------------------------------------------------


def test_utf8_bom_txt():
    parsed = extract_resume("\ufeff李娜\r\nJava 工程师\r\n".encode(), "cv.txt")
    assert parsed.text == "李娜\nJava 工程师"
    assert parsed.kind == "txt"


def test_gb18030_txt():
    parsed = extract_resume("王芳，上海交通大学，数据分析师".encode("gb18030"), "cv.txt")
    assert parsed.text == "王芳，上海交通大学，数据分析师"


def test_utf16_txt_with_bom():
    parsed = extract_resume("赵六 resume".encode("utf-16"), "cv.txt")
    assert parsed.text == "赵六 resume"


def test_stray_nuls_are_stripped_and_reported():
    parsed = extract_resume(
        ("Python developer with ten years of experience " * 5).encode() + b"\x00Go\x00", "cv.txt"
    )
    assert "\x00" not in parsed.text
    assert parsed.text.endswith("experience Go")
    assert codes(parsed) == ["control_characters_removed"]


def test_normalise_text_keeps_lines_and_strips_nuls():
    raw = "  Name:\x00 Jane\u3000Doe \t\n\n\n\n Skills:\u00a0Py\u200bthon  \r\n"
    assert normalise_text(raw) == "Name: Jane Doe\n\nSkills: Python"


def test_same_content_same_hash_and_layout_does_not_matter():
    one = extract_resume(b"Jane Doe\nPython developer\n", "a.txt")
    two = extract_resume(b"Jane Doe\nPython developer\n", "b.md")
    relaid = extract_resume(b"  Jane   Doe\r\n\r\n\r\nPython\tdeveloper  ", "c.txt")
    other = extract_resume(b"Jane Doe\nJava developer\n", "d.txt")
    assert one.content_hash == two.content_hash == relaid.content_hash
    assert one.content_hash != other.content_hash
    assert content_hash("张伟 工程师") == content_hash("张伟工程师") == content_hash("张伟\n工程师")


def test_same_resume_as_pdf_and_txt_hashes_equal():
    pdf = make_pdf(lambda p: (p.text(20, 20, "Jane Doe"), p.text(20, 30, "Python developer")))
    assert (
        extract_resume(pdf, "cv.pdf").content_hash
        == extract_resume(b"Jane Doe Python developer", "cv.txt").content_hash
    )
