"""Thai PDFs made here, the way LibreOffice and iText make them, with their true text.

A generator, so it imports nothing of the product: the expected text of every file
is the text it was made from.

* :func:`libreoffice_pdfs`: DOCX files (python-docx, Thai set in a fonts-thai-tlwg
  font for the complex script, as Word does) exported by ``soffice --headless``.
  LibreOffice draws ำ as NIKHAHIT + SARA AA glyphs inside an ``/ActualText`` span.
* :func:`itext_like_pdf`: reportlab pages where the tone marks and upper vowels of
  some lines are drawn as text objects of their own at the x of their base glyph,
  after the rest of the line (iText's Royal Gazette headers read ``หนา ๒ ่เลม``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

TLWG = Path("/usr/share/fonts/truetype/tlwg")
MARKS = frozenset(
    "\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e38\u0e39\u0e3a\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
)

GAZETTE_HEADER = "หน้า ๒ เล่ม ๑๓๘ ตอนพิเศษ ๒๑๐ ง ราชกิจจานุเบกษา ๒๑ กันยายน ๒๕๖๔"
GAZETTE_LINES = [
    GAZETTE_HEADER,
    "ประกาศกระทรวงมหาดไทย",
    "เรื่อง แต่งตั้งผู้ว่าราชการจังหวัดและนายอำเภอ",
    "ตามที่ได้มีคำสั่งให้ดำเนินการตรวจราชการประจำปีงบประมาณ พ.ศ. ๒๕๖๔",
    "อาศัยอำนาจตามความในมาตรา ๕๒ แห่งพระราชบัญญัติระเบียบบริหารราชการแผ่นดิน",
    "จึงให้ผู้ว่าราชการจังหวัดน่าน พะเยา แพร่ และเชียงราย ปฏิบัติหน้าที่",
    "ประกาศ ณ วันที่ ๒๑ กันยายน พ.ศ. ๒๕๖๔",
]

LIBREOFFICE_LINES = [  # short enough not to wrap at 16 pt
    "คำสั่งสำนักนายกรัฐมนตรี ที่ ๑๒๓/๒๕๖๔",
    "เรื่อง การดำเนินงานอำเภอต้นแบบ",
    "ประจำปีงบประมาณ พ.ศ. ๒๕๖๔",
    "ตามที่กรมการปกครองได้กำหนดให้ทุกจังหวัด",
    "คัดเลือกอำเภอต้นแบบ จำนวน ๑ อำเภอ",
    "ให้จัดทำรายงานผลการดำเนินงาน",
    "และส่งภายในวันที่ ๓๑ มีนาคม ๒๕๖๔",
    "น้ำท่วม ทำนา ตำบล กำนัน ผู้ใหญ่บ้าน คำนำ",
    "สำคัญ ลำดับ จำเป็น ธรรมชาติ ชำนาญการ",
    "นายสมศักดิ์ ศรีสุวรรณ ตำแหน่ง ปลัดอำเภอ",
]
LIBREOFFICE_TABLE = [
    ["ลำดับ", "กิจกรรม", "ผลการดำเนินงาน"],
    ["๑", "ทำความสะอาดลำน้ำ", "ดำเนินการแล้ว"],
    ["๒", "ซ่อมแซมถนนประจำตำบล", "กำลังดำเนินการ"],
]
LIBREOFFICE_FONTS = ["Laksaman", "Garuda", "Loma", "Kinnari", "Norasi"]


def font_path(name: str) -> Path:
    return TLWG / f"{name}.ttf"


# --------------------------------------------------------------------------- LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def thai_docx(lines: Sequence[str], font: str, table: Sequence[Sequence[str]] = ()) -> bytes:
    """A DOCX of ``lines`` (then a ruled ``table``) in 16 pt ``font``, complex script too."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def style(run) -> None:
        run.font.name = font
        run.font.size = Pt(16)
        rpr = run._element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:cs"), font)
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), "32")
        rpr.append(size_cs)

    document = docx.Document()
    for line in lines:
        style(document.add_paragraph().add_run(line))
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        grid.style = "Table Grid"
        for row, cells in zip(grid.rows, table, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                style(cell.paragraphs[0].add_run(text))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def libreoffice_pdfs(docxs: dict[str, bytes], workdir: Path) -> dict[str, bytes]:
    """``{name: DOCX}`` exported to PDF by LibreOffice in one run: ``{name: PDF}``."""
    exe = soffice()
    if exe is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    workdir.mkdir(parents=True, exist_ok=True)
    for name, data in docxs.items():
        (workdir / f"{name}.docx").write_bytes(data)
    subprocess.run(
        [exe, f"-env:UserInstallation=file://{workdir}/profile", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(workdir)]
        + [str(workdir / f"{name}.docx") for name in docxs],
        capture_output=True,
        timeout=300,
        check=True,
        env={**os.environ, "HOME": str(workdir)},
    )
    return {name: (workdir / f"{name}.pdf").read_bytes() for name in docxs}


# --------------------------------------------------------------------------- iText-like


def _register(font: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(font, str(font_path(font))))


def _draw_detached(
    canvas, x: float, y: float, text: str, font: str, size: float, order: str, rise: float = 0.0
):
    """``text`` without its marks, then each mark as text of its own where it is drawn.

    A Thai font draws a zero-advance mark left of its origin, over the glyph before:
    each mark's origin is the end of its base glyph's advance, as a shaper puts it.
    """
    from reportlab.pdfbase import pdfmetrics

    canvas.setFont(font, size)
    canvas.drawString(x, y, "".join(ch for ch in text if ch not in MARKS))
    marks = []
    cursor = x
    for ch in text:
        if ch in MARKS:
            marks.append((cursor, ch))
        else:
            cursor += pdfmetrics.stringWidth(ch, font, size)
    if order == "reverse":
        marks.reverse()
    for mx, ch in marks:
        canvas.drawString(mx, y + rise * size, ch)


def itext_like_pdf(
    lines: Sequence[str],
    detached: Sequence[int] = (0,),
    font: str = "Garuda",
    size: float = 16,
    order: str = "after",
    ruled: bool = False,
    rise: float = 0.0,
) -> bytes:
    """One A4 page of ``lines``; the marks of the lines in ``detached`` drawn on their own.

    ``order`` is ``"after"`` (each mark after the line, left to right) or ``"reverse"``.
    ``ruled`` draws a 3 x 3 grid of cells below the text, numbered ``row.column``.
    ``rise`` (em) draws the detached marks that much above (or below) the baseline.
    """
    from reportlab.pdfgen import canvas as rl_canvas

    _register(font)
    buf = io.BytesIO()
    canvas = rl_canvas.Canvas(buf, pagesize=(595, 842))
    canvas.setProducer("reportlab (iText-like: marks drawn as text objects of their own)")
    y = 780.0
    for k, line in enumerate(lines):
        if k in detached:
            _draw_detached(canvas, 72, y, line, font, size, order, rise)
        else:
            canvas.setFont(font, size)
            canvas.drawString(72, y, line)
        y -= size * 1.6
    if ruled:
        _grid(canvas, font, size, y - 10)
    canvas.save()
    return buf.getvalue()


def _grid(canvas, font: str, size: float, top: float) -> None:
    """A 3 x 3 grid of cells numbered ``row.column``, its top edge at ``top``."""
    for r in range(3):
        for c in range(3):
            canvas.rect(72 + 120 * c, top - 30 * (r + 1), 120, 30)
            canvas.setFont(font, size)
            canvas.drawString(80 + 120 * c, top - 30 * (r + 1) + 9, f"{r + 1}.{c + 1}")


def words_pdf(
    words: Sequence[str],
    font: str = "Garuda",
    size: float = 14,
    per_line: int = 6,
    ruled: bool = False,
):
    """Pages of ``words``, ``per_line`` to a line, every glyph drawn in order (correct text).

    ``ruled`` draws a numbered 3 x 3 grid of cells at the foot of each page (a table).
    Returns (PDF bytes, the lines of words drawn).
    """
    from reportlab.pdfgen import canvas as rl_canvas

    _register(font)
    lines = [" ".join(words[k : k + per_line]) for k in range(0, len(words), per_line)]
    buf = io.BytesIO()
    canvas = rl_canvas.Canvas(buf, pagesize=(595, 842))
    y = 800.0
    bottom = 150 if ruled else 50
    for line in lines:
        if y < bottom:
            if ruled:
                _grid(canvas, font, size, 120)
            canvas.showPage()
            y = 800.0
        canvas.setFont(font, size)
        canvas.drawString(40, y, line)
        y -= size * 1.7
    if ruled:
        _grid(canvas, font, size, 120)
    canvas.save()
    return buf.getvalue(), lines


# --------------------------------------------------------------------------- every glyph mapped


def map_every_glyph(pdf: bytes) -> bytes:
    """``pdf`` (a one-font LibreOffice export) with a ToUnicode entry for every glyph.

    LibreOffice 7 leaves the SARA AA glyph drawn inside ำ clusters out of the ToUnicode
    map and gives each cluster an ``/ActualText``; other producers (and LibreOffice
    versions) map every glyph to the text it stands for alone. Here each glyph that
    some one-glyph ``/ActualText`` span draws is mapped to that span's text, in an
    incremental update (a new ToUnicode stream, a new xref section). An extractor that
    ignores ``/ActualText`` then reads ำ drawn as NIKHAHIT + SARA AA as ``ำา``.
    """
    import re
    import zlib

    spans: dict[str, str] = {}
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            content = zlib.decompressobj().decompress(pdf[m.end() : m.end() + 2_000_000])
        except zlib.error:
            continue
        for span in re.finditer(
            rb"/ActualText<FEFF([0-9A-F]+)>>>\s*BDC\s*[^<]*?<([0-9A-F]{2})>Tj\s*EMC", content
        ):
            spans.setdefault(span.group(2).decode(), span.group(1).decode())
    (ref,) = set(re.findall(rb"/ToUnicode (\d+) 0 R", pdf))
    head = re.search(rb"\n" + ref + rb" 0 obj\s*<<[^>]*>>\s*stream\r?\n", pdf)
    cmap = zlib.decompress(pdf[head.end() : pdf.index(b"endstream", head.end())]).decode("latin-1")
    mapped = set(re.findall(r"<([0-9A-F]{2})> <", cmap))
    extra = {g: u for g, u in spans.items() if g not in mapped}
    entries = "".join(f"<{g}> <{u}>\n" for g, u in sorted(extra.items()))
    cmap = cmap.replace("endbfchar", f"endbfchar\n{len(extra)} beginbfchar\n{entries}endbfchar", 1)
    body = zlib.compress(cmap.encode("latin-1"))
    trailer = pdf[pdf.rindex(b"trailer") :]
    size = re.search(rb"/Size (\d+)", trailer).group(1)
    root = re.search(rb"/Root (\d+ \d+ R)", trailer).group(1)
    info = re.search(rb"/Info (\d+ \d+ R)", trailer)
    prev = re.search(rb"startxref\s+(\d+)", trailer).group(1)
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offset = len(out)
    out += ref + b" 0 obj\n<</Length %d/Filter/FlateDecode>>\nstream\n" % len(body)
    out += body + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n" + ref + b" 1\n%010d 00000 n \n" % offset
    out += b"trailer\n<</Size " + size + b"/Root " + root
    out += (b"/Info " + info.group(1) if info else b"") + b"/Prev " + prev + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)
