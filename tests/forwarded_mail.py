"""Mail a zone office sends when it passes on several provinces at once, made with real
libraries: forwarded mails (attached as message/rfc822, or pasted after a forward marker),
each with its own Word form and JPEG photos, and summary tables (one row per province) in
Excel and Word files.

Imports nothing of areaplan: what the tests expect is what is written here, not what the
parser reads.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

import docx
import openpyxl
from PIL import Image, ImageDraw

BKK = timezone(timedelta(hours=7))
WHEN = datetime(2021, 3, 29, 9, 30, tzinfo=BKK)
RECEIVED = "2021-03-29T10:00:00+07:00"
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
NARRATIVE = ("๑. นายอำเภอให้ความสำคัญกับการขับเคลื่อนโครงการฯ ประชุมมอบนโยบายทุกเดือน "
             "๒. นำข้อมูลแหล่งน้ำไปวางแผนแก้ไขปัญหาภัยแล้ง ๓. คิดค้นนวัตกรรมบริการประชาชน")


@dataclass(frozen=True)
class Form:
    """One province's answers on the report form; ``province`` "" leaves its blank empty."""

    province: str
    district: str
    zone: str = ""
    reporter: str = "นายสมชาย ใจดี"
    phone: str = "0-3641-1234"


def form_lines(f: Form) -> list[str]:
    """The lines of the report form (แบบฟอร์มการคัดเลือกอำเภอต้นแบบ) filled in with ``f``."""
    zone = f.zone or "....."
    province = f.province or "................"
    return [
        "แบบฟอร์มการคัดเลือก",
        "อำเภอต้นแบบ (Role Model)",
        "ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)",
        f"เรียน ผู้ตรวจราชการกรมการปกครอง เขต{zone}",
        f"ที่ทำการปกครองจังหวัด{province} ได้พิจารณาคัดเลือกอำเภอ{f.district}",
        "เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team) "
        f"โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ {NARRATIVE}",
        "จึงเรียนมาเพื่อโปรดพิจารณา",
        "ลงชื่อ : (ผู้รายงาน)",
        f"({f.reporter})",
        f"ตำแหน่ง ปลัดจังหวัด{f.province}",
        f"หมายเลขโทรศัพท์/โทรสาร {f.phone}",
    ]


def form_docx(f: Form) -> bytes:
    d = docx.Document()
    for line in form_lines(f):
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def photo(seed: str) -> bytes:
    """A real JPEG field photo (a coloured scene, different bytes for every seed)."""
    rng = random.Random(seed)
    img = Image.new("RGB", (320, 240), tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x, y = rng.randrange(0, 300), rng.randrange(0, 220)
        draw.ellipse((x, y, x + rng.randrange(10, 60), y + rng.randrange(10, 60)),
                     fill=tuple(rng.randrange(0, 255) for _ in range(3)))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def outer(subject: str, body: str, sender: str = "สำนักงานผู้ตรวจราชการ เขต 1 <zone1@example.go.th>",
          msgid: str = "several@example.go.th") -> EmailMessage:
    m = EmailMessage()
    m["Subject"], m["From"], m["To"] = subject, sender, "dopa.areaplan@gmail.com"
    m["Date"], m["Message-ID"] = format_datetime(WHEN), f"<{msgid}>"
    m.set_content(body)
    return m


def province_mail(subject: str, sender: str, *, form: Form | None = None, body: str = "ส่งแบบรายงานตามไฟล์แนบ",
                  photos: list[str] = (), form_in_body: bool = False) -> EmailMessage:
    """One province's own mail: its form (a DOCX, or typed into the body) and its photos."""
    m = EmailMessage()
    m["Subject"], m["From"], m["To"] = subject, sender, "zone1@example.go.th"
    m["Date"] = format_datetime(WHEN - timedelta(days=1))
    m.set_content("\n".join(form_lines(form)) if form is not None and form_in_body else body)
    if form is not None and not form_in_body:
        m.add_attachment(form_docx(form), maintype=DOCX[0], subtype=DOCX[1], filename="แบบรายงาน.docx")
    for name in photos:
        m.add_attachment(photo(sender + subject + name), maintype="image", subtype="jpeg", filename=name)
    return m


def forwarding(subject: str, mails: list[EmailMessage], *, outer_photos: list[str] = ()) -> bytes:
    """A zone office's message forwarding ``mails`` as attached messages (message/rfc822)."""
    m = outer(subject, "เรียน กองวิชาการและแผนงาน\nส่งต่อแบบรายงานของจังหวัดในเขต ตามเอกสารแนบ")
    for inner in mails:
        m.add_attachment(inner)
    for name in outer_photos:
        m.add_attachment(photo("outer" + name), maintype="image", subtype="jpeg", filename=name)
    return bytes(m)


def pasted_forwards(subject: str, blocks: list[tuple[str, str, Form]], *, photos: list[str] = ()) -> bytes:
    """A message with several mails pasted into its body after Gmail's forward marker:
    (sender, subject, form) each; ``photos`` attached to the message itself."""
    body = ["เรียน กองวิชาการและแผนงาน", "ส่งต่อแบบรายงานของจังหวัดในเขต"]
    for sender, subj, form in blocks:
        body += ["", "---------- Forwarded message ---------", f"From: {sender}",
                 "Date: Sun, 28 Mar 2021 09:00:00 +0700", f"Subject: {subj}", "To: <zone1@example.go.th>", ""]
        body += form_lines(form)
    m = outer(subject, "\n".join(body) + "\n")
    for name in photos:
        m.add_attachment(photo("pasted" + name), maintype="image", subtype="jpeg", filename=name)
    return bytes(m)


# --------------------------------------------------------------------------- summary tables

SUMMARY_HEADER = ["ลำดับ", "จังหวัด", "อำเภอ (ต้นแบบ)", "ผู้รายงาน", "เบอร์โทร"]


def summary_rows(rows: list[tuple[str, str]]) -> list[list[str]]:
    """(province, district) per row -> the table's rows under SUMMARY_HEADER."""
    names = ["นายสมชาย ใจดี", "นางสาววรรณา ศรีสุข", "นายประเสริฐ ทองคำ", "นางพรทิพย์ แสงทอง"]
    return [[str(i + 1), p, d, names[i % len(names)], f"08{i + 1}-234-56{i:02d}"] for i, (p, d) in enumerate(rows)]


def summary_xlsx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "สรุป"
    ws.append([title])
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def summary_docx(title: str, header: list[str], rows: list[list[str]]) -> bytes:
    d = docx.Document()
    d.add_paragraph(title)
    t = d.add_table(rows=1, cols=len(header))
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = text
    for r in rows:
        for cell, text in zip(t.add_row().cells, r, strict=True):
            cell.text = text
    d.add_paragraph("จึงเรียนมาเพื่อโปรดทราบ")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def with_file(subject: str, data: bytes, filename: str, ctype: tuple[str, str], msgid: str) -> bytes:
    m = outer(subject, "เรียน กองวิชาการและแผนงาน\nส่งสรุปผลการคัดเลือกอำเภอต้นแบบของจังหวัดในเขต ตามไฟล์แนบ",
              msgid=msgid)
    m.add_attachment(data, maintype=ctype[0], subtype=ctype[1], filename=filename)
    return bytes(m)


def html_table_mail(subject: str, title: str, header: list[str], rows: list[list[str]], msgid: str) -> bytes:
    """A summary table pasted into an HTML mail (as Outlook and Gmail send a pasted Excel range)."""
    cells = "".join(f"<td>{h}</td>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    html = (f"<html><body><p>เรียน กองวิชาการและแผนงาน</p><p>{title}</p>"
            f"<table border=\"1\"><tr>{cells}</tr>{body}</table><p>จึงเรียนมาเพื่อโปรดทราบ</p></body></html>")
    m = outer(subject, "", msgid=msgid)
    m.set_content(html, subtype="html")
    return bytes(m)
