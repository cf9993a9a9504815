"""Images, ZIP archives, legacy .doc / RTF / ODT, and the read_attachment registry.

All files are made here: Pillow for pictures, zipfile (patched where a ZIP writer cannot
produce what Thai senders send, e.g. cp874 names without the UTF-8 flag), python-docx,
and LibreOffice (``soffice --convert-to``) for .doc/.odt, skipped when it is missing.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import time
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from bounds import bound
from PIL import Image

from areaplan.parsers import readers
from areaplan.parsers.archive import member_name, read_zip
from areaplan.parsers.errors import MissingTool, UnreadableAttachment
from areaplan.parsers.images import read_image
from areaplan.parsers.legacy_doc import ole_kind, read_doc, read_odt, read_rtf, word97_text
from areaplan.parsers.readers import read_attachment, sniff_kind
from areaplan.parsers.types import ReadLimits, ReadResult

TH = "รายงานผลการดำเนินงาน อำเภอเมือง จังหวัดเชียงใหม่"


def picture(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buf, fmt)
    return buf.getvalue()


def make_docx(*paragraphs: str, table: list[list[str]] | None = None) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


# --------------------------------------------------------------------------- images


@pytest.mark.parametrize(
    "fmt,mime",
    [
        ("JPEG", "image/jpeg"),
        ("PNG", "image/png"),
        ("GIF", "image/gif"),
        ("WEBP", "image/webp"),
        ("TIFF", "image/tiff"),
        ("BMP", "image/bmp"),
    ],
)
def test_image_type_and_dimensions(fmt: str, mime: str) -> None:
    data = picture(fmt, (640, 480))
    r = read_image(data, "photo", ReadLimits())
    assert r.kind == "image" and r.problems == []
    [img] = r.images
    assert (img.mime_type, img.width, img.height) == (mime, 640, 480)
    assert img.data == data and img.filename == "photo" and img.source == "attachment"


def test_damaged_image_is_kept_with_a_problem() -> None:
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
    r = read_image(data, "bad.png")
    assert r.images[0].data == data and r.images[0].width is None
    assert r.problems and "not a readable image" in r.problems[0]


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_image_is_kept_without_dimensions() -> None:
    start = time.perf_counter()
    r = read_image(png_claiming(100_000, 100_000), "bomb.png")
    assert time.perf_counter() - start < bound(1)
    [img] = r.images
    assert img.width is None and img.height is None and img.mime_type == "image/png"
    assert r.problems and ("too large" in r.problems[0] or "bomb" in r.problems[0])
    r = read_image(png_claiming(9_000, 9_000), "big-but-ok.png")
    assert r.images[0].width == 9_000 and not r.problems


def test_a_damaged_heic_is_kept_byte_for_byte_with_a_problem() -> None:
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
    r = read_image(data, "IMG_0001.HEIC")
    [img] = r.images
    assert img.mime_type == "image/heic" and img.width is None and img.data == data
    assert r.problems and "not a readable image" in r.problems[0]


def test_image_over_max_bytes_is_refused() -> None:
    with pytest.raises(UnreadableAttachment):
        read_image(picture("PNG"), "x.png", ReadLimits(max_bytes=10))


# --------------------------------------------------------------------------- zip


def with_raw_names(members: dict[str, bytes], raw_names: dict[str, bytes]) -> bytes:
    """A ZIP whose names are raw bytes (e.g. cp874) without the UTF-8 flag.

    zipfile always flags non-ASCII names as UTF-8, so ASCII placeholders of the same
    byte length are written and then replaced in both headers.
    """
    data = make_zip(members)
    for placeholder, raw in raw_names.items():
        assert len(placeholder.encode()) == len(raw)
        data = data.replace(placeholder.encode(), raw)
    return data


def test_zip_members_with_thai_cp874_names_without_utf8_flag() -> None:
    name = "รายงานอำเภอ.docx"
    raw = name.encode("cp874")
    placeholder = "x" * (len(raw) - 5) + ".docx"
    data = with_raw_names({placeholder: b"content", "readme.txt": b"hi"}, {placeholder: raw})
    r = read_zip(data, ReadLimits(), 0)
    assert r.kind == "zip"
    assert r.members == [(name, b"content"), ("readme.txt", b"hi")]


def test_zip_utf8_flag_and_unicode_path_extra_field() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("แบบฟอร์ม.pdf", b"a")  # zipfile sets the UTF-8 flag
        info = zipfile.ZipInfo("plain.txt")
        thai = "ภาพกิจกรรม.jpg".encode()
        info.extra = struct.pack("<HHBI", 0x7075, 5 + len(thai), 1, zlib.crc32(b"plain.txt")) + thai
        z.writestr(info, b"b")
    r = read_zip(buf.getvalue())
    assert [n for n, _ in r.members] == ["แบบฟอร์ม.pdf", "ภาพกิจกรรม.jpg"]


def test_member_name_keeps_cp437_names_that_are_not_thai() -> None:
    info = zipfile.ZipInfo("caf\u00e9.txt".encode("cp437").decode("cp437"))
    assert member_name(info) == "café.txt"


def test_nested_zip_is_flattened_and_names_sanitized() -> None:
    inner = make_zip({"เอกสาร/รายงาน.txt": b"inner"})
    outer = make_zip(
        {
            "inner.zip": inner,
            "../../etc/passwd": b"p",
            "/abs/x.txt": b"x",
            "..\\..\\win.txt": b"w",
            "dir/": b"",
            "a/report.txt": b"1",
            "b/report.txt": b"2",
            "a_report.txt": b"3",
        }
    )
    r = read_zip(outer)
    names = [n for n, _ in r.members]
    assert names == [
        "inner.zip_เอกสาร_รายงาน.txt",
        "etc_passwd",
        "abs_x.txt",
        "win.txt",
        "a_report.txt",
        "b_report.txt",
        "a_report(2).txt",
    ]
    for n in names:
        assert "/" not in n and "\\" not in n and ".." not in n
    assert r.problems == []


def test_zip_member_count_limit() -> None:
    data = make_zip({f"f{i}.txt": b"x" for i in range(30)})
    r = read_zip(data, ReadLimits(max_members=10))
    assert len(r.members) == 10
    assert any("only the first 10" in p or "more than 10" in p for p in r.problems)


def test_encrypted_member_is_a_problem() -> None:
    data = bytearray(make_zip({"secret.docx": b"x" * 100, "open.txt": b"ok"}, zipfile.ZIP_STORED))
    data[6] |= 0x01  # local header general-purpose flags of the first member
    cd = data.find(b"PK\x01\x02")
    data[cd + 8] |= 0x01
    r = read_zip(bytes(data))
    assert r.members == [("open.txt", b"ok")]
    assert any("secret.docx is password-protected" in p for p in r.problems)
    assert [(x.code, x.evidence) for x in r.reasons] == [("attachment.encrypted", "secret.docx")]


def test_damaged_member_is_a_problem() -> None:
    data = bytearray(make_zip({"a.txt": b"hello world" * 100}, zipfile.ZIP_STORED))
    pos = data.find(b"hello world")
    data[pos : pos + 5] = b"HELLO"  # CRC no longer matches
    r = read_zip(bytes(data))
    assert r.members == []
    assert any("a.txt is damaged" in p for p in r.problems)


def test_not_a_zip_raises() -> None:
    with pytest.raises(UnreadableAttachment):
        read_zip(b"PK\x03\x04 not really")


# --------------------------------------------------------------------------- .doc / RTF / ODT


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """.doc and .odt converted by LibreOffice from a Thai DOCX (skipped without soffice)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) not installed")
    tmp = tmp_path_factory.mktemp("office")
    src = tmp / "report.docx"
    src.write_bytes(
        make_docx(
            TH, "ผู้รายงาน\tนายสมชาย ใจดี", "ย่อหน้าสุดท้าย", table=[["อำเภอ", "จำนวน"], ["เมือง", "๑๒"]]
        )
    )
    out: dict[str, bytes] = {}
    for fmt in ("doc", "odt"):
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp}/profile",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                str(tmp),
                str(src),
            ],
            check=False,
            capture_output=True,
            timeout=180,
        )
        path = tmp / f"report.{fmt}"
        if not path.exists():
            pytest.skip(f"soffice could not convert to .{fmt}")
        out[fmt] = path.read_bytes()
    return out


def test_read_doc_thai(office_files: dict[str, bytes]) -> None:
    if not (shutil.which("catdoc") or shutil.which("antiword")):
        pytest.skip("catdoc/antiword not installed")
    r = read_doc(office_files["doc"], ReadLimits())
    assert r.kind == "doc" and r.method in ("catdoc", "antiword", "word97-pieces")
    assert TH in r.text and "ผู้รายงาน\tนายสมชาย ใจดี" in r.text
    # The table ends the document: catdoc drops it and antiword refuses so short a file;
    # the built-in piece-table reader must notice and keep it.
    assert "เมือง" in r.text and "๑๒" in r.text


def test_word97_reader_matches_catdoc_on_paragraphs(office_files: dict[str, bytes]) -> None:
    text = word97_text(office_files["doc"])
    assert text is not None
    assert text.split("\n")[:3] == [TH, "ผู้รายงาน\tนายสมชาย ใจดี", "ย่อหน้าสุดท้าย"]
    assert "อำเภอ\tจำนวน" in text


def test_word97_reader_gives_up_quietly_on_garbage() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert word97_text(ole + bytes(range(256)) * 20) is None
    assert word97_text(b"not ole") is None


def test_read_odt_thai_with_table(office_files: dict[str, bytes]) -> None:
    r = read_odt(office_files["odt"])
    assert r.kind == "odt"
    assert r.text.split("\n") == [
        TH,
        "ผู้รายงาน\tนายสมชาย ใจดี",
        "ย่อหน้าสุดท้าย",
        "อำเภอ | จำนวน",
        "เมือง | ๑๒",
    ]


def test_registry_reads_doc_and_odt(office_files: dict[str, bytes]) -> None:
    # An old .doc renamed .docx is still read as a .doc: magic bytes win.
    r = read_attachment(
        "renamed.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        office_files["doc"],
    )
    assert r.kind == "doc" and TH in r.text
    assert read_attachment("x.odt", "", office_files["odt"]).kind == "odt"


def test_read_rtf_cp874() -> None:
    if not shutil.which("catdoc"):
        pytest.skip("catdoc not installed")
    body = "".join(f"\\'{b:02x}" for b in TH.encode("cp874"))
    rtf = (
        "{\\rtf1\\ansi\\ansicpg874{\\fonttbl{\\f0\\fcharset222 Tahoma;}}\\f0 " + body + "\\par}"
    ).encode()
    r = read_rtf(rtf)
    assert r.kind == "rtf" and r.text == TH
    assert read_attachment("a.rtf", "application/rtf", rtf).text == TH


def test_doc_without_tools_raises_missing_tool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("areaplan.parsers.legacy_doc.shutil.which", lambda name: None)
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600 + "WordDocument".encode("utf-16-le")
    with pytest.raises(MissingTool) as err:
        read_doc(fake)
    assert "catdoc" in str(err.value) and "apt-get install" in str(err.value)
    r = read_attachment("old.doc", "application/msword", fake)
    assert r.problems and r.problems[0].startswith("ไฟล์ old.doc: ")
    assert "apt-get install catdoc" in r.problems[0]


def test_ole_kinds_and_encrypted_office_file() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert ole_kind(ole + "WordDocument".encode("utf-16-le")) == "doc"
    assert ole_kind(ole + "Workbook".encode("utf-16-le")) == "xls"
    assert ole_kind(ole + "__substg1.0_0037001F".encode("utf-16-le")) == "msg"
    enc = ole + "EncryptedPackage".encode("utf-16-le")
    r = read_attachment("protected.docx", "", enc)
    assert r.problems == [
        "ไฟล์ protected.docx: password-protected Office document; ask for an unprotected copy"
    ]


# --------------------------------------------------------------------------- registry


def real_pdf() -> bytes:
    for base in (Path(__file__).parent / "data" / "real-docs", Path("/work/shared/real-docs")):
        path = base / "spm-order-361-2562_word2019_thsarabunit9.pdf"
        if path.exists():
            return path.read_bytes()
    pytest.skip("real PDF not found")


def test_sniff_by_magic_then_extension_then_content_type() -> None:
    assert sniff_kind(b"%PDF-1.7 ...", "report.doc", "application/msword") == "pdf"
    assert sniff_kind(make_docx("x"), "report.zip", "application/zip") == "docx"
    assert sniff_kind(make_zip({"a.txt": b"x"}), "report.docx", "") == "zip"
    assert sniff_kind(make_zip({"xl/workbook.xml": b"x"}), "a.zip", "") == "xlsx"
    assert sniff_kind(picture("JPEG"), "scan.pdf", "application/pdf") == "image"
    assert sniff_kind(b"hello", "notes.txt", "application/octet-stream") == "text"
    assert sniff_kind(b"hello", "noext", "text/html; charset=utf-8") == "html"
    assert sniff_kind(b"hello", "noext", "application/x-whatever") == "unknown"
    assert sniff_kind(b"x", "winmail.dat", "application/octet-stream") == "tnef"


def test_pdf_named_doc_goes_to_the_pdf_reader() -> None:
    r = read_attachment("order.doc", "application/msword", real_pdf())
    assert r.kind == "pdf" and "คำสั่งสำนักนายกรัฐมนตรี" in r.text


def test_damaged_pdf_becomes_a_problem() -> None:
    r = read_attachment("report.pdf", "application/pdf", b"%PDF-1.4 broken")
    assert r.kind == "pdf"
    assert len(r.problems) == 1 and r.problems[0].startswith("ไฟล์ report.pdf: unreadable PDF (")


def test_docx_and_zip_through_the_registry() -> None:
    r = read_attachment("form.docx", "application/octet-stream", make_docx(TH))
    assert r.kind == "docx" and r.text == TH
    r = read_attachment(
        "photos.zip",
        "application/zip",
        make_zip({"a.jpg": picture("JPEG"), "b.docx": make_docx(TH)}),
    )
    assert r.kind == "zip" and [n for n, _ in r.members] == ["a.jpg", "b.docx"]
    # What the pipeline does next with each member:
    member = read_attachment("b.docx", "", r.members[1][1], ReadLimits(), 1)
    assert member.text == TH


def test_text_and_html_attachments() -> None:
    r = read_attachment("data.txt", "text/plain; charset=windows-874", TH.encode("cp874"))
    assert (r.kind, r.text, r.problems) == ("text", TH, [])
    r = read_attachment("data.csv", "text/csv", TH.encode("cp874"))
    assert r.text == TH and any("TIS-620" in n for n in r.notes)
    html = f"<html><style>x{{}}</style><body><p>{TH}</p><script>bad()</script></body></html>"
    r = read_attachment("page.html", "text/html", html.encode())
    assert (r.kind, r.text) == ("html", TH)


def test_eml_attachment_gives_text_and_members() -> None:
    msg = EmailMessage()
    msg["From"] = "amphoe@chiangmai.go.th"
    msg["Subject"] = "รายงาน"
    msg.set_content(TH)
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="r.pdf")
    r = read_attachment("fwd.eml", "message/rfc822", msg.as_bytes())
    assert r.kind == "email" and TH in r.text and "Subject: รายงาน" in r.text
    assert r.members == [("r.pdf", b"%PDF-1.4")]


def test_unknown_files_note_or_problem() -> None:
    r = read_attachment("slides.pptx", "", make_zip({"ppt/presentation.xml": b"<x/>"}))
    assert r.kind == "unknown" and r.problems == ["ไฟล์ slides.pptx: presentation not read (PowerPoint)"]
    r = read_attachment("budget.xlsx", "", make_zip({"xl/workbook.xml": b"<x/>"}))  # read since issue 9
    assert r.kind == "xlsx" and r.problems[0].startswith("ไฟล์ budget.xlsx: unreadable Excel workbook")
    r = read_attachment("smime.p7s", "application/pkcs7-signature", b"\x30\x82\x01\x00")
    assert r.kind == "unknown" and r.problems == [] and "not a document" in r.notes[0]
    # Read since the archives issue; a damaged one is still a problem (tests/test_archive_kinds.py).
    r = read_attachment("winmail.dat", "application/ms-tnef", b"\x78\x9f\x3e\x22rest")
    assert r.kind == "tnef" and r.problems and "TNEF" in r.problems[0]
    r = read_attachment("archive.rar", "", b"Rar!\x1a\x07\x00rest")
    assert r.kind == "rar" and r.problems and "RAR" in r.problems[0]


def test_empty_and_oversize_attachments() -> None:
    assert read_attachment("a.pdf", "application/pdf", b"").problems == [
        "ไฟล์ a.pdf: empty file (0 bytes)"
    ]
    r = read_attachment(
        "a.pdf", "application/pdf", b"%PDF" + b"\0" * 2000, ReadLimits(max_bytes=1000)
    )
    assert r.kind == "pdf" and "over the" in r.problems[0]


def test_reader_exceptions_become_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object) -> ReadResult:
        raise ValueError("unexpected inside the reader")

    def unreadable(*args: object) -> ReadResult:
        raise UnreadableAttachment("table of contents missing")

    def missing(*args: object) -> ReadResult:
        raise MissingTool("tesseract", "tesseract-ocr", "OCR of a scanned PDF")

    monkeypatch.setitem(readers.READERS, "docx", boom)
    r = read_attachment("form.docx", "", make_docx("x"))
    assert r.problems == [
        "ไฟล์ form.docx: unreadable Word document (ValueError: unexpected inside the reader)"
    ]
    monkeypatch.setitem(readers.READERS, "docx", unreadable)
    assert read_attachment("form.docx", "", make_docx("x")).problems == [
        "ไฟล์ form.docx: unreadable Word document (table of contents missing)"
    ]
    monkeypatch.setitem(readers.READERS, "docx", missing)
    [problem] = read_attachment("form.docx", "", make_docx("x")).problems
    assert problem.startswith("ไฟล์ form.docx: OCR of a scanned PDF needs tesseract")


def test_reader_problems_get_the_file_prefix() -> None:
    r = read_attachment("bad.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 30)
    assert r.kind == "image" and r.problems[0].startswith("ไฟล์ bad.png: not a readable image")


def test_slow_reader_is_abandoned_after_max_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: object) -> ReadResult:
        time.sleep(3)
        return ReadResult(kind="text", text="late")

    monkeypatch.setitem(readers.READERS, "text", slow)
    start = time.perf_counter()
    r = read_attachment("a.txt", "text/plain", b"x", ReadLimits(max_seconds=0.3))
    assert time.perf_counter() - start < bound(1.5)
    assert r.text == "" and "took longer than" in r.problems[0]


def test_no_name_attachment() -> None:
    r = read_attachment("", "application/octet-stream", os.urandom(100))
    assert r.kind == "unknown" and r.notes and "(no name)" in r.notes[0]
