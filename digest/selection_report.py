"""The zone's selection report, in the letter's "แบบฟอร์มการคัดเลือก" format (DOCX, and PDF).

For each zone the form of the DOPA letter (มท ๐๓๐๕.๑/๑๙๐๒๙) is filled from the store:
the province office and the district the zone chose, the outstanding results by the four
criteria (the chosen nomination's own text), the reporter; then the zone's scoring (each
nominee's total per criterion over every inspector's sheet) with who chose and when, and
lines to sign. A zone that has not chosen gets the scoring and a line saying so.

The PDF is LibreOffice's conversion of the DOCX (``soffice --headless --convert-to pdf``).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from areaplan.core.campaigns import CRITERIA_TH, Campaign
from areaplan.digest.atomic import atomic_path
from areaplan.digest.errors import DigestError
from areaplan.digest.thai_dates import arabic_digits_to_thai, thai_date, thai_datetime
from areaplan.store import selection as sel

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

FONT = "TH Sarabun New"  # the government's standard; LibreOffice falls back to a TLWG font
TITLE = ("แบบฟอร์มการคัดเลือก", "อำเภอต้นแบบ (Role Model)",
         "ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)")
INTRO = (
    "ตามที่ กรมการปกครอง ได้กำหนดแผนปฏิบัติการ (Action Plan) ในการขับเคลื่อนโครงการพัฒนาตำบลแบบบูรณาการ "
    "(Tambon Smart Team) เป็น ๓ ระยะ ซึ่งในระยะที่ ๓ การนำข้อมูลไปใช้ประโยชน์ ได้กำหนดเป้าหมายของโครงการฯ "
    "ให้อำเภอสามารถนำข้อมูลไปใช้ประโยชน์ในการพัฒนาพื้นที่ได้อย่างมีประสิทธิภาพและเป็นรูปธรรม "
    "และมอบหมายให้ที่ทำการปกครองจังหวัด พิจารณาคัดเลือกอำเภอต้นแบบ (Role Model) จำนวน ๑ อำเภอ "
    "ตามหลักเกณฑ์การคัดเลือกที่กรมการปกครองกำหนดส่งให้ผู้ตรวจราชการกรมการปกครองประจำเขตตรวจราชการ นั้น"
)
NOT_CHOSEN = "เขตตรวจราชการนี้ยังไม่ได้คัดเลือกอำเภอต้นแบบ"


class ReportError(DigestError):
    """The PDF could not be made (LibreOffice missing or failed): the DOCX is still written."""


@dataclass(frozen=True)
class ZoneReport:
    """What one zone's report says, read from the store (tests check the DOCX against it)."""

    sheet: sel.ZoneSheet
    chosen: sel.Nominee | None
    printed_on: date

    @property
    def zone_th(self) -> str:
        return arabic_digits_to_thai(str(self.sheet.zone))


def zone_report(db: sqlite_utils.Database, campaign: Campaign, zone: int, on: date) -> ZoneReport:
    sheet = sel.zone_sheet(db, campaign, zone, on)
    chosen = sheet.nominee(sheet.choice.province_code) if sheet.choice.province_code else None
    return ZoneReport(sheet=sheet, chosen=chosen, printed_on=on)


def criterion_line(n: int, text: str | None) -> str:
    """``๑. <the letter's criterion>: <what the nomination says>``."""
    return f"{arabic_digits_to_thai(str(n))}. {CRITERIA_TH[n]}: {text or '-'}"


def write_docx(report: ZoneReport, path: Path) -> Path:
    """The filled form and the zone's scoring, one DOCX."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(16)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cs", FONT)
    for line in TITLE:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(line).bold = True
    doc.add_paragraph(f"เรียน ผู้ตรวจราชการกรมการปกครอง เขต {report.zone_th}")
    doc.add_paragraph(INTRO)
    c = report.chosen
    if c is None:
        doc.add_paragraph(NOT_CHOSEN)
    else:
        doc.add_paragraph(
            f"ที่ทำการปกครองจังหวัด{c.province_th} ได้พิจารณาคัดเลือกอำเภอ{c.district_th or '-'} "
            "เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) "
            "โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ"
        )
        for n in sel.CRITERIA:
            doc.add_paragraph(criterion_line(n, c.criteria.get(n)))
        doc.add_paragraph("จึงเรียนมาเพื่อโปรดพิจารณา")
        doc.add_paragraph("ลงชื่อ : ........................................ (ผู้รายงาน)")
        doc.add_paragraph(f"({c.reporter_name or '........................................'})")
        doc.add_paragraph(f"ตำแหน่ง {c.reporter_position or 'ปลัดจังหวัด'}{c.province_th}")
    _scoring(doc, report)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
    return path


def _scoring(doc, report: ZoneReport) -> None:  # noqa: ANN001  (a python-docx Document)
    s = report.sheet
    doc.add_page_break()
    doc.add_paragraph().add_run(f"ผลการพิจารณาคัดเลือก {s.zone_th}").bold = True
    doc.add_paragraph(
        f"หลักเกณฑ์ ๔ ข้อ ในสัดส่วนที่เท่ากัน ข้อละ {arabic_digits_to_thai(str(s.scale))} คะแนน "
        f"ผู้ให้คะแนน {arabic_digits_to_thai(str(len(s.scores)))} คน (คะแนนรวมของทุกคน)"
    )
    table = doc.add_table(rows=1, cols=4 + len(sel.CRITERIA))
    table.style = "Table Grid"
    head = ["จังหวัด", "อำเภอที่เสนอ", *(f"ข้อ {arabic_digits_to_thai(str(n))}" for n in sel.CRITERIA),
            "รวม", "คัดเลือก"]
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for n in s.nominees:
        cells = table.add_row().cells
        values = [n.province_th, n.district_th or "-",
                  *(str(s.criterion_total(n.province_code, k)) for k in sel.CRITERIA),
                  str(s.total(n.province_code)), "✓" if s.choice.province_code == n.province_code else ""]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    if s.choice.chosen_by:
        doc.add_paragraph(f"บันทึกการคัดเลือกโดย {s.choice.chosen_by} เมื่อ "
                          f"{thai_datetime(s.choice.chosen_at or '', thai_digits=True)}")
    doc.add_paragraph(f"พิมพ์เมื่อ {thai_date(report.printed_on, thai_digits=True)}")
    doc.add_paragraph("ลงชื่อ ........................................")
    doc.add_paragraph(f"ผู้ตรวจราชการกรมการปกครอง เขต {report.zone_th}")


def to_pdf(docx_path: Path, out_dir: Path, timeout: float = 180) -> Path:
    """LibreOffice's PDF of ``docx_path`` in ``out_dir`` (its own profile, so runs never collide)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReportError("LibreOffice (soffice) is not installed: run scripts/install-system-deps.sh, "
                          "or use the DOCX")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="areaplan-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out_dir), str(docx_path)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as err:
            raise ReportError(f"LibreOffice took over {timeout:.0f}s converting {docx_path.name}") from err
    pdf = out_dir / (docx_path.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise ReportError(f"LibreOffice could not convert {docx_path.name}: {(done.stderr or done.stdout).strip()}")
    return pdf


def write_reports(
    db: sqlite_utils.Database, campaign: Campaign, out_dir: Path, on: date,
    zones: list[int] | None = None, pdf: bool = True,
) -> list[Path]:
    """One DOCX (and PDF) per zone, ``selection-zone-NN.docx``; returns the files written."""
    paths: list[Path] = []
    for z in zones or sel.zone_numbers(db):
        docx_path = write_docx(zone_report(db, campaign, z, on), out_dir / f"selection-zone-{z:02d}.docx")
        paths.append(docx_path)
        if pdf:
            paths.append(to_pdf(docx_path, out_dir))
    return paths
