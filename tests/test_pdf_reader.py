"""Specification of parsers.pdf.read_pdf, checked against real Thai government PDFs.

The reference lines come from tests/data/real-docs/SOURCES.md (transcribed from the
pages as a person reads them). ``{...}`` there marks handwriting that is not in the
text layer, so it is removed before comparing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from functools import cache
from pathlib import Path

import pytest
from bounds import bound
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from areaplan.core.thai_text import COMBINING_MARKS, normalize, text_quality
from areaplan.parsers.errors import UnreadableAttachment
from areaplan.parsers.pdf import read_pdf
from areaplan.parsers.thai_pdf_text import generated_breaks_in_words, repair_glyphs
from areaplan.parsers.types import ReadLimits, ReadResult

DOCS = Path(__file__).parent / "data" / "real-docs"
WORD_2019 = "spm-order-361-2562_word2019_thsarabunit9.pdf"
PDFMAKER = "spm-order-302-2555_pdfmaker10_thsarabunpsk_pua.pdf"
SCANNED = "spm-order-215-2560_scanned_no-text.pdf"
PLAN = "inspection-plan-2563_word-pages_tables_48p.pdf"
TEXT_PDFS = [WORD_2019, PDFMAKER, PLAN]


def has_thai_tesseract() -> bool:
    exe = shutil.which("tesseract")
    if not exe:
        return False
    out = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=30)
    return "tha" in (out.stdout + out.stderr).decode().split()


# --------------------------------------------------------------------------- helpers


def reference_lines(filename: str) -> list[str]:
    """The "Reference, first lines" of ``filename`` in SOURCES.md, as comparable text."""
    sources = (DOCS / "SOURCES.md").read_text(encoding="utf-8")
    section = sources.split(f"`{filename}`", 1)[1].split("\n### ", 1)[0]
    block = section.split("Reference", 1)[1].split("```", 2)[1]
    lines = []
    for line in block.strip("\n").splitlines():
        if line.startswith("--- page"):
            continue
        line = re.sub(r"\{[^}]*\}", "", line).replace("[?]", "")
        lines.append(re.sub(r"\s+", " ", normalize(line)).strip())
    return lines


def comparable_lines(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in text.split("\n") if line.strip()]


def best_cer(reference: str, lines: list[str]) -> tuple[float, str]:
    """Lowest character error rate of ``reference`` against any extracted line."""
    return min((Levenshtein.normalized_distance(reference, line), line) for line in lines)


@cache
def read_doc(filename: str) -> ReadResult:
    """Each real document is read once per test session (the plan takes a few seconds)."""
    return read_pdf((DOCS / filename).read_bytes())


def page_texts(result: ReadResult) -> list[str]:
    return result.text.split("\f")


def build_pdf(
    page_count: int = 1, kids: int = 1, extra_trailer: bytes = b"", text: bytes = b"Hello"
) -> bytes:
    """A minimal one-page PDF written by hand; ``/Count`` and ``/Kids`` can lie."""
    stream = b"BT /F1 12 Tf 20 100 Td (%s) Tj ET" % text if text else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b"3 0 R " * kids + b"] /Count %d >>" % page_count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        extra_trailer,
        xref,
    )
    return bytes(out)


# --------------------------------------------------------------------------- real documents


@pytest.mark.parametrize("filename", TEXT_PDFS)
def test_first_lines_match_the_reference_exactly(filename):
    lines = comparable_lines(read_doc(filename).text)
    for reference in reference_lines(filename):
        cer, closest = best_cer(reference, lines)
        assert cer == 0, f"{reference!r}\n closest: {closest!r} (CER {cer:.3f})"


@pytest.mark.parametrize("filename", TEXT_PDFS)
def test_text_has_no_private_use_cid_or_replacement_characters(filename):
    text = read_doc(filename).text
    assert not re.search("[\ue000-\uf8ff\ufffd]|\\(cid:", text)


@pytest.mark.parametrize("filename", TEXT_PDFS)
def test_every_page_scores_as_clean_thai(filename):
    for number, page in enumerate(page_texts(read_doc(filename)), 1):
        if page.strip():
            assert text_quality(page) > 0.95, f"page {number}"


@pytest.mark.parametrize("filename", TEXT_PDFS)
def test_no_space_is_left_before_sara_aa_or_sara_am(filename):
    assert not re.search("[\u0e01-\u0e4e] [\u0e32\u0e33]", read_doc(filename).text)


def test_word_sara_am_bug_page_reads_every_sara_aa_correctly():
    page2 = page_texts(read_doc(PLAN))[1]
    assert "ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยการตรวจราชการ" in page2
    assert "นำยก" not in page2 and "กำร" not in page2


def test_word_export_is_read_with_the_word_repair():
    assert read_doc(WORD_2019).method == "pypdfium2+word-repair"


def test_pdfmaker_export_needs_no_character_repair():
    assert read_doc(PDFMAKER).method == "pypdfium2"


def test_sarabun_it9_ascii_digits_come_out_as_the_thai_digits_shown():
    assert "พ.ศ. ๒๕๔๘" in page_texts(read_doc(PLAN))[1]


def test_pages_are_separated_by_form_feeds():
    result = read_doc(PLAN)
    assert result.pages == 48
    assert len(page_texts(result)) == 48


def test_method_names_the_extractor_of_each_page_when_mixed():
    method = read_doc(PLAN).method
    assert method.startswith("mixed: p1-14 pypdfium2+word-repair, ")
    assert "p15-17 pdfplumber+word-repair+tables" in method


def test_ruled_tables_come_out_as_cells_separated_by_bars():
    page15 = page_texts(read_doc(PLAN))[14]
    assert "ข้อค้นพบ | ปัญหาอุปสรรค | ข้อเสนอแนะ" in page15


def test_merged_cell_empty_columns_are_dropped_from_tables():
    # pdfplumber finds 11 columns under this merged header row; 5 hold text.
    page15 = page_texts(read_doc(PLAN))[14]
    header = next(line for line in page15.split("\n") if line.startswith("ข้อค้นพบ | ปัญหา"))
    cells = header.split(" | ")
    assert len(cells) == 5 and all(cells)


def test_text_pdfs_are_not_marked_as_ocr_and_have_no_problems():
    for filename in TEXT_PDFS:
        result = read_doc(filename)
        assert (result.ocr, result.problems, result.kind) == (False, [], "pdf")


def test_embedded_images_are_extracted_skipping_tiny_ones():
    images = read_doc(PLAN).images
    assert images
    for image in images:
        assert min(image.width, image.height) >= 32
        assert image.mime_type in {"image/jpeg", "image/png", "image/tiff", "image/jp2"}
        assert image.data and image.source.startswith("pdf page ")


def test_images_are_bounded_by_max_images():
    result = read_pdf((DOCS / PLAN).read_bytes(), ReadLimits(max_images=2, max_pages=3))
    assert len(result.images) == 2
    assert any("first 2 images" in note for note in result.notes)


# --------------------------------------------------------------------------- scanned


@pytest.mark.skipif(not has_thai_tesseract(), reason="tesseract-ocr-tha not installed")
def test_scanned_order_is_read_by_ocr():
    result = read_doc(SCANNED)
    assert (result.ocr, result.method) == (True, "tesseract")
    assert "คำสั่งสำนักนายกรัฐมนตรี" in result.text
    reference = reference_lines(SCANNED)
    for line in (reference[0], reference[2], reference[4]):  # not the handwritten number
        assert fuzz.partial_ratio(line, result.text) >= 80, line


def test_scanned_pdf_without_tesseract_is_flagged(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no tesseract on this machine
    result = read_pdf((DOCS / SCANNED).read_bytes())
    assert result.text == "" and not result.ocr
    assert any("OCR needs tesseract-ocr-tha" in p for p in result.problems)


# --------------------------------------------------------------------------- Word repair rules


def repair(texts: list[str], fonts: list[str], kinds: dict[int, str]) -> str:
    rep = repair_glyphs(texts, lambda i: fonts[i], lambda i: kinds.get(i, "real"))
    return "".join(rep.texts)


def test_zero_width_space_before_sara_aa_is_sara_am():
    assert repair(list("ส านัก"), ["F"] * 6, {1: "marker"}) == "สำนัก"


def test_in_a_font_where_the_marker_precedes_sara_am_a_lone_sara_am_is_sara_aa():
    texts = list("ค ำนำยก") + list("นำ")
    fonts = ["Bold"] * 7 + ["Body"] * 2
    assert repair(texts, fonts, {1: "marker"}) == "คำนายก" + "นำ"


def test_a_tone_mark_between_marker_and_sara_aa_stays_before_sara_am():
    assert repair(list("น ้า"), ["F"] * 4, {1: "marker"}) == "น้ำ"


def test_a_space_the_extractor_made_up_before_sara_aa_is_dropped():
    assert repair(list("ก ารตรวจ"), ["F"] * 8, {1: "spurious"}) == "การตรวจ"


def test_a_real_space_before_sara_aa_is_kept():
    assert repair(list("ก า"), ["F"] * 3, {}) == "ก า"


def test_ascii_digits_in_an_it9_font_are_thai_digits():
    assert repair(list("2548"), ["BCDEEE+THSarabunIT๙"] * 4, {}) == "๒๕๔๘"
    assert repair(list("2548"), ["Calibri"] * 4, {}) == "2548"


# --------------------------------------------------------------------------- limits


def test_a_file_over_max_bytes_is_refused():
    with pytest.raises(UnreadableAttachment, match="limit"):
        read_pdf((DOCS / WORD_2019).read_bytes(), ReadLimits(max_bytes=1000))


def test_only_max_pages_pages_are_read_and_the_rest_reported():
    result = read_pdf((DOCS / PLAN).read_bytes(), ReadLimits(max_pages=3))
    assert result.pages == 48
    assert len(page_texts(result)) == 3
    assert result.problems == ["PDF has 48 pages; only the first 3 were read"]


def test_reading_stops_at_the_time_limit():
    started = time.monotonic()
    result = read_pdf((DOCS / PLAN).read_bytes(), ReadLimits(max_seconds=0.0))
    assert time.monotonic() - started < bound(5)
    assert any("time limit" in p for p in result.problems)


def test_a_pdf_without_any_text_is_reported():
    result = read_pdf(build_pdf(text=b""))
    assert result.text == ""
    assert result.problems == ["no text found in the PDF"]


def test_text_is_cut_at_max_text_chars():
    result = read_pdf((DOCS / WORD_2019).read_bytes(), ReadLimits(max_text_chars=100))
    assert len(result.text) == 100
    assert any("text cut" in p for p in result.problems)


# --------------------------------------------------------------------------- hostile files


def test_random_bytes_are_unreadable():
    with pytest.raises(UnreadableAttachment, match="not a PDF"):
        read_pdf(os.urandom(4096))


def test_a_truncated_pdf_is_unreadable_or_reported_quickly():
    data = (DOCS / WORD_2019).read_bytes()
    started = time.monotonic()
    try:
        result = read_pdf(data[: len(data) // 3])
    except UnreadableAttachment as exc:
        assert "damaged" in str(exc)
    else:
        assert result.problems or result.text
    assert time.monotonic() - started < bound(10)  # AREAPLAN_TIME_SLACK x 10 s: bounded, not fast


def test_a_huge_page_count_costs_bounded_time():
    started = time.monotonic()
    result = read_pdf(build_pdf(page_count=2**31 - 1))
    assert time.monotonic() - started < bound(5)
    assert result.text == "Hello" and result.pages == 1


def test_a_page_tree_repeating_one_page_is_read_up_to_max_pages():
    started = time.monotonic()
    result = read_pdf(build_pdf(page_count=20000, kids=20000), ReadLimits(max_pages=5))
    assert time.monotonic() - started < bound(10)
    assert len(page_texts(result)) <= 5


def test_an_encrypted_pdf_is_unreadable_with_a_clear_reason():
    encrypt = (
        b"/Encrypt << /Filter /Standard /V 1 /R 2 /P -44 /O <"
        + b"11" * 32
        + b"> /U <"
        + b"22" * 32
        + b"> >> /ID [<"
        + b"33" * 16
        + b"> <"
        + b"33" * 16
        + b">] "
    )
    with pytest.raises(UnreadableAttachment, match="encrypted"):
        read_pdf(build_pdf(extra_trailer=encrypt))


# --------------------------------------------------------------------------- round trip

ROUND_TRIP = """คำสั่งสำนักนายกรัฐมนตรี
ที่ ๑๒๓/๒๕๖๔
เรื่อง การตรวจราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๔
ผู้ตรวจราชการกระทรวง น้ำท่วม ปั้นจั่น เชียงราย น่าน พะเยา แพร่"""


@pytest.mark.slow
def test_libreoffice_thai_pdf_round_trips(tmp_path):
    soffice = soffice_or_skip()
    source = tmp_path / "thai.txt"
    source.write_text(ROUND_TRIP + "\n", encoding="utf-8")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    result = read_pdf((tmp_path / "thai.pdf").read_bytes())
    assert comparable_lines(result.text) == ROUND_TRIP.splitlines()


# --------------------------------------------------------------------------- breaks inside words

# LibreOffice draws some upper marks (ป็ พื้ ปั ป่ ปิ ปั้ in Kinnari, the font of the
# LibreOffice PDFs in tests/corpus; น้ in Garuda) left of where their base glyph's
# advance ends, and pdfium generates a space after the mark ("เป็ นแบบอย่าง"); it
# takes ู้ drawn far from ผ at a line start for a new line ("ผ\nู้ป่วย"). The
# spaces between phrases are real glyphs and must stay.
SPACED_LINES = [
    "ผลการปฏิบัติงานที่เป็นแบบอย่าง",
    "ลงพื้นที่ แก้ไขปัญหาความยากจน",
    "ผู้ป่วยติดเตียง ปั้นจั่น พี่น้อง",
    "ตามที่ กรมการปกครอง ได้กำหนด",
    "นายสมชาย ใจดี นางปิยะนุช ชัยมงคล",
]
SPACED_FONTS = ["Kinnari", "Garuda"]
CORPUS = Path(__file__).parent / "corpus"


def soffice_or_skip() -> str:
    """The LibreOffice binary; skip without it, fail instead if AREAPLAN_REQUIRE_SOFFICE=1."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe:
        return exe
    message = "LibreOffice (soffice) not installed"
    if os.environ.get("AREAPLAN_REQUIRE_SOFFICE", "").strip() not in ("", "0"):
        pytest.fail(f"{message} (AREAPLAN_REQUIRE_SOFFICE is set)", pytrace=False)
    pytest.skip(message)


def thai_docx(lines: list[str], font: str) -> bytes:
    """A DOCX of ``lines`` in 16 pt ``font`` (set for the complex script, as Word does)."""
    import io

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    for line in lines:
        run = document.add_paragraph().add_run(line)
        run.font.name = font
        run.font.size = Pt(16)
        rpr = run._element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:cs"), font)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), "32")
        rpr.append(size_cs)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def libreoffice_pdfs(tmp_path_factory) -> dict[str, bytes]:
    """SPACED_LINES as a DOCX per font in SPACED_FONTS, exported to PDF by LibreOffice."""
    soffice = soffice_or_skip()
    tmp = tmp_path_factory.mktemp("lo-pdf")
    sources = []
    for font in SPACED_FONTS:
        sources.append(tmp / f"{font}.docx")
        sources[-1].write_bytes(thai_docx(SPACED_LINES, font))
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(tmp)]
        + [str(s) for s in sources],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return {font: (tmp / f"{font}.pdf").read_bytes() for font in SPACED_FONTS}


def pdf_fonts(data: bytes) -> set[str]:
    """Base font names (subset prefix dropped) used by the text of page 1."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        fonts = set()
        for obj in doc[0].get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_TEXT]):
            font = pdfium.raw.FPDFTextObj_GetFont(obj.raw)
            buf = (pdfium.raw.c_char * 256)()
            n = pdfium.raw.FPDFFont_GetBaseFontName(font, buf, 256)
            fonts.add(bytes(buf[: max(n - 1, 0)]).decode("latin-1").split("+")[-1])
        return fonts
    finally:
        doc.close()


@pytest.mark.slow
@pytest.mark.parametrize("font", SPACED_FONTS)
def test_libreoffice_pdf_has_no_space_inside_thai_words(libreoffice_pdfs, font):
    result = read_pdf(libreoffice_pdfs[font])
    assert comparable_lines(result.text) == SPACED_LINES
    assert result.method == "pypdfium2" and result.problems == []


@pytest.mark.slow
def test_only_generated_breaks_between_glyphs_set_solid_are_dropped(libreoffice_pdfs):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    data = libreoffice_pdfs["Kinnari"]
    if "Kinnari" not in pdf_fonts(data):
        pytest.skip("LibreOffice did not use Kinnari (fonts-thai-tlwg not installed)")
    doc = pdfium.PdfDocument(data)
    try:
        textpage = doc[0].get_textpage()
        raw = textpage.get_text_range()
        dropped = generated_breaks_in_words(textpage.raw, raw)
        # the problems this guards against are really in the PDF ...
        assert "เป็ นแบบอย่าง" in raw and "ลงพื้ นที่" in raw and "ผ\r\nู้ป่ วย" in raw
        # ... every dropped character is whitespace pdfium made up, and dropping them
        # gives the text, real spaces and line ends included
        assert all(
            raw[i] in " \r\n" and pdfium_c.FPDFText_IsGenerated(textpage.raw, i) for i in dropped
        )
        kept = "".join(ch for i, ch in enumerate(raw) if i not in dropped)
        assert comparable_lines(normalize(kept)) == SPACED_LINES
    finally:
        doc.close()


def test_word_gaps_without_a_space_glyph_are_kept():
    # Word writes no space glyph: pdfium generates this space over a gap of ~0.13 em.
    assert "เด็ดขาด โดยเฉพาะอย่างยิ่ง" in page_texts(read_doc(PLAN))[25]


@cache
def corpus_attachments() -> list[tuple[str, bytes, bytes | None]]:
    """(message, PDF, DOCX of the same message or None) for the PDFs in tests/corpus."""
    from areaplan.parsers.mime import parse_message

    found = []
    for path in sorted(CORPUS.glob("*.eml")):
        attachments = parse_message(path.read_bytes()).attachments
        docxs = [
            a.data
            for a in attachments
            if a.data.startswith(b"PK") and (a.filename or "").lower().endswith(".docx")
        ]
        for a in attachments:
            if a.data.startswith(b"%PDF"):
                found.append((path.name, a.data, docxs[0] if docxs else None))
    return found


@cache
def read_corpus_pdf(data: bytes) -> str:
    """read_pdf text of a corpus PDF without OCR (the scans are not what is tested here)."""
    which = shutil.which  # the OCR module looks tesseract up through shutil.which
    shutil.which = lambda name: None
    try:
        return read_pdf(data).text
    finally:
        shutil.which = which


def thai_spaces_missing_from(pdf_text: str, docx_text: str) -> list[str]:
    """Spaces between Thai characters in ``pdf_text`` where ``docx_text`` has none.

    The two texts are aligned on their non-blank characters; a space counts when
    the characters either side of it are aligned next to each other in the DOCX.
    """
    import difflib

    def squeeze(text: str) -> tuple[str, set[int]]:
        chars: list[str] = []
        blanks: set[int] = set()
        for ch in text:
            if ch.isspace():
                blanks.add(len(chars))
            else:
                chars.append(ch)
        return "".join(chars), blanks

    pdf_chars, _ = squeeze(pdf_text)
    docx_chars, docx_blanks = squeeze(docx_text)
    aligned: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, pdf_chars, docx_chars, autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        aligned.update((a + k, b + k) for k in range(n))
    extra = []
    for m in re.finditer("(?<=[\u0e01-\u0e4e]) +(?=[\u0e01-\u0e4e])", pdf_text):
        k = len(squeeze(pdf_text[: m.start()])[0])
        if k - 1 in aligned and aligned.get(k) == aligned[k - 1] + 1:
            if aligned[k] not in docx_blanks:
                extra.append(pdf_text[max(m.start() - 10, 0) : m.end() + 10])
    return extra


@pytest.mark.slow
def test_corpus_pdfs_have_no_thai_space_that_their_docx_lacks():
    from areaplan.parsers.docx import read_docx

    pairs = [(name, pdf, docx_data) for name, pdf, docx_data in corpus_attachments() if docx_data]
    assert len(pairs) >= 10
    extra = {
        name: found
        for name, pdf, docx_data in pairs
        if (found := thai_spaces_missing_from(read_corpus_pdf(pdf), read_docx(docx_data).text))
    }
    assert extra == {}


@pytest.mark.slow
def test_no_corpus_pdf_line_starts_with_a_combining_mark():
    starts = re.compile(f"(?m)^[{COMBINING_MARKS}].{{0,10}}")
    found = [
        (name, m.group())
        for name, pdf, _ in corpus_attachments()
        for m in starts.finditer(read_corpus_pdf(pdf))
    ]
    assert found == []
