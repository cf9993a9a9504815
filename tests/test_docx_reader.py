"""read_docx: document order, merged cells, nested tables, text boxes, headers, images.

The documents are made here with python-docx (plus a little raw WordprocessingML for text
boxes and content controls). The real form from tests/data/real-docs is checked against
the reference lines in its SOURCES.md.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from bounds import bound
from docx.oxml import parse_xml
from docx.shared import Inches
from PIL import Image

from areaplan.parsers.docx import read_docx
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.types import ReadLimits

REAL_NAME = "road-safety-inspection-form-2565_thsarabunit9.docx"
REAL_PATHS = [
    Path(__file__).parent / "data" / "real-docs" / REAL_NAME,
    Path("/work/shared/real-docs") / REAL_NAME,
]

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def text_box_run(text: str) -> str:
    """A run holding a Word 2010 text box, with the VML copy Word writes in mc:Fallback."""
    body = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape"><wps:wsp><wps:txbx>{body}</wps:txbx></wps:wsp></a:graphicData>'
        "</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:rect>"
        f"<v:textbox>{body}</v:textbox></v:rect></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def png_bytes(size: tuple[int, int] = (64, 32), fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


def build_docx() -> bytes:
    """A report with every construct read_docx has to handle."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "ด่วนที่สุด"
    d.sections[0].footer.paragraphs[0].text = "หน้า ๑"
    d.add_paragraph("แบบรายงานผลการดำเนินงาน")
    d.add_paragraph("ผู้รายงาน\tนายสมชาย ใจดี")
    p = d.add_paragraph("ก่อนกล่อง ")
    p._p.append(parse_xml(text_box_run("ข้อความในกล่อง")))
    t = d.add_table(rows=4, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "หัวตารางรวมสามช่อง"
    t.cell(1, 0).text = "อำเภอ"
    t.cell(1, 1).text = "จำนวน"
    t.cell(1, 2).text = "หมายเหตุ"
    merged = t.cell(2, 0).merge(t.cell(3, 0))
    merged.text = "เมือง"
    t.cell(2, 1).text = "๑๒"
    t.cell(3, 1).text = "๓๔"
    inner = t.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "ใน"
    inner.cell(0, 1).text = "ตาราง"
    d.add_paragraph("หลังตาราง")
    sdt = parse_xml(
        f"<w:sdt {NS}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>ในช่องกรอก</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    d.element.body.insert(len(d.element.body) - 1, sdt)
    deleted = parse_xml(
        f"<w:p {NS}><w:del><w:r><w:delText>ข้อความที่ลบ</w:delText></w:r></w:del>"
        "<w:r><w:t>ข้อความที่เหลือ</w:t></w:r></w:p>"
    )
    d.element.body.insert(len(d.element.body) - 1, deleted)
    d.add_picture(io.BytesIO(png_bytes((64, 32))), width=Inches(1))
    d.add_picture(io.BytesIO(png_bytes((20, 40), "JPEG")), width=Inches(1))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_docx()


def test_paragraphs_tables_and_text_boxes_in_document_order(built: bytes) -> None:
    r = read_docx(built, ReadLimits())
    assert r.kind == "docx" and r.method == "python-docx" and r.problems == []
    lines = [ln for ln in r.text.split("\n") if ln.strip()]
    assert lines == [
        "แบบรายงานผลการดำเนินงาน",
        "ผู้รายงาน\tนายสมชาย ใจดี",
        "ก่อนกล่อง",
        "ข้อความในกล่อง",
        "หัวตารางรวมสามช่อง",
        "อำเภอ | จำนวน | หมายเหตุ",
        "เมือง | ๑๒ |",
        "ใน | ตาราง",
        " | ๓๔ |".strip(),
        "หลังตาราง",
        "ในช่องกรอก",
        "ข้อความที่เหลือ",
        "ด่วนที่สุด",
        "หน้า ๑",
    ]


def test_text_box_appears_once(built: bytes) -> None:
    assert read_docx(built).text.count("ข้อความในกล่อง") == 1


def test_merged_cells_appear_once(built: bytes) -> None:
    text = read_docx(built).text
    assert text.count("หัวตารางรวมสามช่อง") == 1
    assert text.count("เมือง") == 1


def test_deleted_text_is_not_read(built: bytes) -> None:
    assert "ข้อความที่ลบ" not in read_docx(built).text


def test_images_with_dimensions(built: bytes) -> None:
    images = read_docx(built).images
    assert sorted((i.mime_type, i.width, i.height) for i in images) == [
        ("image/jpeg", 20, 40),
        ("image/png", 64, 32),
    ]
    assert all(i.source == "docx" and i.data for i in images)


def test_max_images_limit(built: bytes) -> None:
    r = read_docx(built, ReadLimits(max_images=1))
    assert len(r.images) == 1
    assert any("only the first 1" in n for n in r.notes)


def test_max_text_chars_limit(built: bytes) -> None:
    r = read_docx(built, ReadLimits(max_text_chars=10))
    assert len(r.text) <= 10 and any("cut" in n for n in r.notes)


def rewrite(data: bytes, changes: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, changes.get(info.filename, src.read(info.filename)))
    return out.getvalue()


def test_docm_content_type_is_read_from_raw_xml(built: bytes) -> None:
    types = zipfile.ZipFile(io.BytesIO(built)).read("[Content_Types].xml")
    types = types.replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    r = read_docx(rewrite(built, {"[Content_Types].xml": types}))
    assert r.method == "docx-xml"
    assert r.text == read_docx(built).text
    assert len(r.images) == 2


def test_tick_boxes_from_symbols_and_form_fields() -> None:
    d = docx.Document()
    p = d.add_paragraph()
    p._p.append(
        parse_xml(
            f'<w:r {NS}><w:sym w:font="Wingdings" w:char="F0FE"/><w:t xml:space="preserve"> มี </w:t>'
            '<w:sym w:font="Wingdings" w:char="F0A8"/><w:t xml:space="preserve"> ไม่มี</w:t></w:r>'
        )
    )
    p = d.add_paragraph()
    for checked in ("1", "0"):
        p._p.append(
            parse_xml(
                f'<w:r {NS}><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox>'
                f'<w:default w:val="0"/><w:checked w:val="{checked}"/></w:checkBox></w:ffData>'
                "</w:fldChar></w:r>"
            )
        )
        p._p.append(parse_xml(f"<w:r {NS}><w:instrText> FORMCHECKBOX </w:instrText></w:r>"))
        p._p.append(parse_xml(f'<w:r {NS}><w:fldChar w:fldCharType="end"/></w:r>'))
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue()).text.split("\n") == ["☑ มี ☐ ไม่มี", "☑☐"]


def test_decomposed_sara_am_is_normalized() -> None:
    d = docx.Document()
    d.add_paragraph("ดําเนินการ")  # NIKHAHIT + SARA AA, as some Thai keyboards produce
    buf = io.BytesIO()
    d.save(buf)
    assert read_docx(buf.getvalue()).text == "ดำเนินการ"


def test_not_a_docx_raises_unreadable() -> None:
    with pytest.raises(UnreadableAttachment):
        read_docx(b"this is not a zip")
    with pytest.raises(UnreadableAttachment):
        read_docx(build_docx()[:5000])  # truncated
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(UnreadableAttachment):
        read_docx(out.getvalue())


# --------------------------------------------------------------------------- the real form


def real_docx() -> bytes:
    for path in REAL_PATHS:
        if path.exists():
            return path.read_bytes()
    pytest.skip(f"{REAL_NAME} not found")


def test_real_form_reference_first_lines() -> None:
    start = time.perf_counter()
    r = read_docx(real_docx())
    elapsed = time.perf_counter() - start
    lines = [ln for ln in r.text.split("\n") if ln.strip()]
    assert lines[0] == "ประเด็นการตรวจติดตามความคืบหน้าการแก้ไขปัญหาสำคัญในเชิงพื้นที่"
    assert lines[1] == "การลดอุบัติเหตุทางถนนประจำปีงบประมาณ พ.ศ. 2565"
    assert lines[2] == "ของผู้ตรวจราชการสำนักนายกรัฐมนตรี"
    assert lines[3] == (
        "ผู้ให้ข้อมูล\tผู้ว่าราชการจังหวัด ในฐานะประธานคณะกรรมการศูนย์อำนวยการความปลอดภัยทางถนนจังหวัด หรือผู้แทน"
    )
    assert lines[4].startswith(
        "คำชี้แจง \tขอให้จัดทำสรุปผลการดำเนินงานตามประเด็นการตรวจติดตาม "
        "เสนอคณะผู้ตรวจราชการในวันที่มา\tตรวจราชการ"
    )
    assert "\ufffd" not in r.text and not any("\ue000" <= c <= "\uf8ff" for c in r.text)
    assert "256๔" in r.text  # real Thai digits mixed with ASCII ones, kept as written
    assert "ช่วงเวลา | อุบัติเหตุ (ครั้ง) | บาดเจ็บ (ราย) | ทุพพลภาพ (ราย) | เสียชีวิต (ราย)" in lines
    assert sum(1 for ln in lines if "|" in ln) >= 15
    assert r.problems == []
    assert elapsed < bound(5)
