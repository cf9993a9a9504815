"""Generated mail shapes: several forms in one message, follow-ups, links, and look-alikes.

Writes ``tests/corpus/shapes/*.eml`` and ``tests/corpus/shapes/labels.json``: the cases of
issue 9 that the original corpus lacks. Like ``samples.generate`` it imports nothing of the
product (its labels are what the generator chose, never parser output) and it is
deterministic (seeded per case; fixed MIME boundaries; DOCX/ZIP timestamps fixed).

    python -m areaplan.samples.shapes [--out tests/corpus/shapes]

Labels (per file)::

    {"kind": "several_forms", "campaign": "role_model",
     "submissions": [{"province_code": "16", "district_code": "1603", "zone": 1,
                      "images": 2, "needs_review": false}, ...],
     "needs_review": false,        # the message (or one of its submissions) needs a person
     "links": 0,                   # file-sharing links it carries
     "followup_of": null,          # a follow-up: the file whose submission it adds to
     "followup_images": 0,         # pictures it adds there
     "notes": "..."}

``submissions`` is ``[]`` for mail that is not a submission (it must make no submissions row).
"""

from __future__ import annotations

import argparse
import io
import json
import random
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from PIL import Image, ImageDraw

from areaplan.samples.forms import (
    DocMeta,
    FormFill,
    build_form_docx,
    build_text_docx,
    form_lines,
    form_text,
    make_photo,
    make_zip,
    normalize_zip,
    thai_font,
)
from areaplan.samples.generate import Gazetteer, load_gazetteer

SEED = 90_2564
BKK = timezone(timedelta(hours=7))
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "corpus" / "shapes"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOPA = "dopa.areaplan@gmail.com"
CRITERIA = [
    "1. นายอำเภอให้ความสำคัญกับการขับเคลื่อนโครงการฯ ประชุมมอบนโยบายแก่ผู้ปฏิบัติงานทุกเดือน",
    "2. นำข้อมูลแหล่งน้ำและพื้นที่การเกษตรไปใช้วางแผนแก้ไขปัญหาภัยแล้งของอำเภอ",
    "3. ผู้ปฏิบัติงานคิดค้นนวัตกรรมเพื่ออำนวยความสะดวกแก่ประชาชนในพื้นที่",
    "4. บูรณาการร่วมกับสำนักงานเกษตรอำเภอและภาคเอกชนจัดตั้งกลุ่มอาชีพ",
]
NAMES = ["นายสมชาย ใจดี", "นางสาววรรณา ศรีสุข", "นายประเสริฐ ทองคำ", "นางพรทิพย์ แสงทอง", "นายอนุชา บุญมา"]


class Case:
    """One generated message and its label."""

    def __init__(self, name: str, kind: str, notes: str):
        self.name, self.kind, self.notes = name, kind, notes
        self.rng = random.Random(f"{SEED}:{name}")
        self.msg = EmailMessage()
        self.label: dict = {"kind": kind, "campaign": "other", "submissions": [], "needs_review": False,
                            "links": 0, "followup_of": None, "followup_images": 0, "notes": notes}

    def headers(self, subject: str, sender: str, when: datetime, to: str = DOPA, **extra: str) -> None:
        self.msg["Subject"] = subject
        self.msg["From"] = sender
        self.msg["To"] = to
        self.msg["Date"] = format_datetime(when)
        self.msg["Message-ID"] = f"<{self.name.removesuffix('.eml')}@shapes.example>"
        for k, v in extra.items():
            self.msg[k.replace("_", "-")] = v

    def expect(self, campaign: str, subs: list[dict], review: bool = False, **kw) -> None:
        self.label.update(campaign=campaign, submissions=subs, needs_review=review, **kw)

    def bytes(self) -> bytes:
        for i, part in enumerate(self.msg.walk()):
            if part.is_multipart():
                part.set_boundary(f"=_{self.name.removesuffix('.eml')}_{i}")
        return bytes(self.msg)


def sub(gz: Gazetteer, district_code: str, images: int = 0, review: bool = False) -> dict:
    p = gz.provinces[district_code[:2]]
    return {"province_code": p.code, "district_code": district_code, "zone": p.zone, "images": images,
            "needs_review": review}


def fill(gz: Gazetteer, district_code: str, rng: random.Random, **kw) -> FormFill:
    d = gz.districts[district_code]
    p = gz.provinces[d.province_code]
    name = rng.choice(NAMES)
    return FormFill(zone=str(p.zone), province=p.name_th, district=d.name_th, criteria=CRITERIA, reporter=name,
                    reporter_position=f"ปลัดจังหวัด{p.name_th}", coordinator=rng.choice(NAMES),
                    coordinator_position="เจ้าพนักงานปกครองชำนาญการ", phone=f"0-{rng.randint(2000, 7999)}-{rng.randint(1000, 9999)}",
                    **kw)


def photo(rng: random.Random, caption: str) -> bytes:
    return make_photo(rng, size=(400, 300), caption=caption, min_bytes=6_000, max_bytes=14_000)


def logo_png() -> bytes:
    """A small signature logo, as Outlook pastes it (image001.png)."""
    img = Image.new("RGB", (220, 60), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle((2, 2, 56, 56), outline="navy", width=3)
    draw.text((66, 18), "ปค. จังหวัด", fill="navy", font=thai_font(16))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def docx_form(f: FormFill, when: datetime, **kw) -> bytes:
    return build_form_docx(f, DocMeta(created=when), **kw)


def province_sender(gz: Gazetteer, code: str) -> str:
    return f"ที่ทำการปกครองจังหวัด{gz.provinces[code].name_th} <dopa.p{code}@shapes.example.go.th>"


T0 = datetime(2021, 3, 29, 9, 0, tzinfo=BKK)


# --------------------------------------------------------------------------- several forms


def several_attachments(gz: Gazetteer) -> Case:
    c = Case("s01-several-attachments.eml", "several_forms",
             "zone 1 inspector's office sends three provinces' forms, one DOCX each, photos named by province")
    codes = ["1603", "1702", "1904"]  # ลพบุรี, สิงห์บุรี, สระบุรี
    c.headers("ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 1 จำนวน 3 จังหวัด",
              "สำนักงานผู้ตรวจราชการกรมการปกครอง เขต 1 <inspector.zone1@shapes.example.go.th>", T0)
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\n\nสำนักงานผู้ตรวจราชการฯ เขต 1 ขอส่งแบบรายงานการคัดเลือก"
                      "อำเภอต้นแบบ ของจังหวัดลพบุรี สิงห์บุรี และสระบุรี รายละเอียดตามไฟล์แนบ\n")
    subs = []
    for i, code in enumerate(codes):
        p = gz.provinces[code[:2]]
        c.msg.add_attachment(docx_form(fill(gz, code, c.rng), T0), maintype="application",
                             subtype=DOCX.split("/")[1], filename=f"แบบรายงาน {p.name_th}.docx")
        for k in range(i + 1):
            c.msg.add_attachment(photo(c.rng, f"{p.name_th} {k}"), maintype="image", subtype="jpeg",
                                 filename=f"ภาพกิจกรรม_{p.name_th}_{k + 1}.jpg")
        subs.append(sub(gz, code, images=i + 1))
    c.expect("role_model", subs)
    return c


def several_in_zip(gz: Gazetteer) -> Case:
    c = Case("s02-several-in-zip.eml", "several_forms",
             "a zip with one folder per province: its form and its photos")
    codes = ["3401", "3503"]  # อุบลราชธานี, ยโสธร
    c.headers("แบบรายงานอำเภอต้นแบบ เขต 14", "ผตร.ปค. เขต 14 <zone14@shapes.example.go.th>", T0 + timedelta(hours=1))
    c.msg.set_content("ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ตามไฟล์ zip ที่แนบ\n")
    files, subs = [], []
    for i, code in enumerate(codes):
        p = gz.provinces[code[:2]]
        files.append((f"{p.name_th}/แบบรายงาน.docx", docx_form(fill(gz, code, c.rng), T0)))
        for k in range(2 + i):
            files.append((f"{p.name_th}/IMG_{k + 1:04d}.jpg", photo(c.rng, f"{p.name_th} {k}")))
        subs.append(sub(gz, code, images=2 + i))
    c.msg.add_attachment(make_zip(files, T0), maintype="application", subtype="zip", filename="เขต14.zip")
    c.expect("role_model", subs)
    return c


def several_in_one_document(gz: Gazetteer) -> Case:
    c = Case("s03-several-in-one-docx.eml", "several_forms", "one DOCX holding two provinces' forms one after the other")
    codes = ["5001", "5804"]  # เชียงใหม่ อ.เมือง, แม่ฮ่องสอน
    c.headers("รวมแบบรายงานการคัดเลือกอำเภอต้นแบบ เขต 15", "เขต 15 <zone15@shapes.example.go.th>", T0 + timedelta(hours=2))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nขอส่งแบบรายงานรวม 2 จังหวัดในไฟล์เดียว\n")
    paras: list[str] = []
    for code in codes:
        paras += form_lines(fill(gz, code, c.rng)) + [""]
    c.msg.add_attachment(build_text_docx(paras, DocMeta(created=T0), title_count=0), maintype="application",
                         subtype=DOCX.split("/")[1], filename="รวมแบบรายงาน เขต 15.docx")
    c.expect("role_model", [sub(gz, codes[0]), sub(gz, codes[1])])
    return c


def several_one_unclear(gz: Gazetteer) -> Case:
    c = Case("s04-several-one-unclear.eml", "several_forms",
             "two forms; the second leaves the province blank and names เฉลิมพระเกียรติ (five provinces have one)")
    c.headers("ส่งแบบรายงานอำเภอต้นแบบ 2 จังหวัด", "เขต 13 <zone13@shapes.example.go.th>", T0 + timedelta(hours=3))
    c.msg.set_content("ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ\n")
    good = fill(gz, "3101", c.rng)
    unclear = fill(gz, "3123", c.rng)
    unclear.province = ""
    unclear.reporter_position = "ปลัดจังหวัด"
    c.msg.add_attachment(docx_form(good, T0), maintype="application", subtype=DOCX.split("/")[1],
                         filename="แบบรายงาน 1.docx")
    c.msg.add_attachment(docx_form(unclear, T0), maintype="application", subtype=DOCX.split("/")[1],
                         filename="แบบรายงาน 2.docx")
    unplaced = {"province_code": None, "district_code": None, "zone": None, "images": 0, "needs_review": True}
    c.expect("role_model", [sub(gz, "3101"), unplaced], review=True)
    return c


def _province_mail(gz: Gazetteer, code: str, rng: random.Random, photos: int, *, form: FormFill | None = None,
                   subject: str | None = None, in_body: bool = False) -> EmailMessage:
    """One province's own mail as a zone office receives it: its form and its photos (IMG_000k.jpg)."""
    p = gz.provinces[code[:2]]
    f = form or fill(gz, code, rng)
    m = EmailMessage()
    m["Subject"] = subject or f"แบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัด{p.name_th}"
    m["From"] = province_sender(gz, code[:2])
    m["To"] = f"inspector.zone{p.zone}@shapes.example.go.th"
    m["Date"] = format_datetime(T0 - timedelta(days=1))
    m["Message-ID"] = f"<fwd-{code}@shapes.example>"
    m.set_content(form_text(f) if in_body else "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ\n")
    if not in_body:
        m.add_attachment(docx_form(f, T0), maintype="application", subtype=DOCX.split("/")[1],
                         filename="แบบรายงาน.docx")
    for k in range(photos):
        m.add_attachment(photo(rng, f"{p.name_th} {k}"), maintype="image", subtype="jpeg", filename=f"IMG_{k + 1:04d}.jpg")
    return m


def forwarded_several(gz: Gazetteer) -> Case:
    c = Case("s29-forwarded-several-mails.eml", "several_forms",
             "zone 17 forwards three provinces' mails as attached messages, each its DOCX and photos named IMG_000k")
    codes = ["6401", "6501", "6702"]  # สุโขทัย, พิษณุโลก, เพชรบูรณ์
    c.headers("Fwd: แบบรายงานการคัดเลือกอำเภอต้นแบบ เขตตรวจราชการที่ 17 (3 จังหวัด)",
              "สำนักงานผู้ตรวจราชการกรมการปกครอง เขต 17 <inspector.zone17@shapes.example.go.th>", T0 + timedelta(hours=4))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nส่งต่อแบบรายงานของจังหวัดในเขต 17 ที่ได้รับ ตามเอกสารแนบ\n")
    subs = []
    for i, code in enumerate(codes):
        c.msg.add_attachment(_province_mail(gz, code, c.rng, photos=i + 1))
        subs.append(sub(gz, code, images=i + 1))
    c.expect("role_model", subs)
    return c


def forwarded_province_blank(gz: Gazetteer) -> Case:
    c = Case("s30-forwarded-province-blank.eml", "several_forms",
             "two forwarded mails whose forms leave the province blank and name เฉลิมพระเกียรติ (five provinces "
             "have one): each forwarded mail's own subject names its province; its photos go with it")
    c.headers("Fwd: แบบรายงานอำเภอต้นแบบ เขต 13", "เขต 13 <zone13@shapes.example.go.th>", T0 + timedelta(hours=4, minutes=20))
    c.msg.set_content("ส่งต่อแบบรายงาน 2 จังหวัดครับ\n")
    subs = []
    for i, code in enumerate(["3032", "3123"]):  # นครราชสีมา, บุรีรัมย์
        f = fill(gz, code, c.rng)
        f.province, f.reporter_position = "", "ปลัดจังหวัด"
        c.msg.add_attachment(_province_mail(gz, code, c.rng, photos=2 - i, form=f, in_body=i == 1))
        subs.append(sub(gz, code, images=2 - i))
    c.expect("role_model", subs)
    return c


def pasted_several(gz: Gazetteer) -> Case:
    c = Case("s31-pasted-forwards.eml", "several_forms",
             "two mails pasted after Gmail's forward marker, forms typed in, province blank; the photos at the "
             "end of the message cannot be told apart: counted on neither (noted)")
    c.headers("Fwd: แบบรายงานอำเภอต้นแบบ 2 จังหวัด", "ฝ่ายบริหารงานปกครอง <admin.fwd@shapes.example.go.th>", T0 + timedelta(hours=4, minutes=40))
    body = ["เรียน กองวิชาการและแผนงาน", "ส่งต่อแบบรายงานของจังหวัดในเขตครับ"]
    subs = []
    for code in ["5515", "8023"]:  # น่าน, นครศรีธรรมราช: both เฉลิมพระเกียรติ
        f = fill(gz, code, c.rng)
        f.province, f.reporter_position = "", "ปลัดจังหวัด"
        body += ["", "---------- Forwarded message ---------", f"From: {province_sender(gz, code[:2])}",
                 "Date: Sun, 28 Mar 2021 09:00:00 +0700", "Subject: แบบรายงานการคัดเลือกอำเภอต้นแบบ",
                 "To: <admin.fwd@shapes.example.go.th>", "", form_text(f)]
        subs.append(sub(gz, code, images=0))
    c.msg.set_content("\n".join(body) + "\n")
    for k in range(2):
        c.msg.add_attachment(photo(c.rng, f"ภาพ {k}"), maintype="image", subtype="jpeg", filename=f"IMG_{k + 1:04d}.jpg")
    c.expect("role_model", subs)
    return c


SUMMARY_HEADER = ["ลำดับ", "จังหวัด", "อำเภอ (ต้นแบบ)", "ผู้รายงาน", "ตำแหน่ง", "เบอร์โทร"]


def _summary_rows(gz: Gazetteer, rows: list[tuple[str, str]], rng: random.Random) -> list[list[str]]:
    return [[str(i + 1), p, d, rng.choice(NAMES), f"ปลัดจังหวัด{p}", f"08{rng.randint(1, 9)}-{rng.randint(100, 999)}-"
             f"{rng.randint(1000, 9999)}"] for i, (p, d) in enumerate(rows)]


def _summary_xlsx(title: str, rows: list[list[str]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "สรุปผล"
    ws.append([title])
    ws.append(SUMMARY_HEADER)
    for r in rows:
        ws.append(r)
    wb.properties.creator = "User"
    wb.properties.created = wb.properties.modified = T0.replace(tzinfo=None)
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_xlsx_times(normalize_zip(buf.getvalue(), T0))


def _fixed_xlsx_times(data: bytes) -> bytes:
    """openpyxl stamps the save time into docProps/core.xml: fix it, so the bytes are reproducible."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2021-03-29T02:00:00Z", body)
            dst.writestr(info, body)
    return out.getvalue()


def _summary_docx(title: str, rows: list[list[str]]) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(title)
    t = d.add_table(rows=1, cols=len(SUMMARY_HEADER))
    for cell, text in zip(t.rows[0].cells, SUMMARY_HEADER, strict=True):
        cell.text = text
    for r in rows:
        for cell, text in zip(t.add_row().cells, r, strict=True):
            cell.text = text
    d.add_paragraph("จึงเรียนมาเพื่อโปรดทราบ")
    cp = d.core_properties
    cp.author = cp.last_modified_by = "User"
    cp.created = cp.modified = cp.last_printed = T0.replace(tzinfo=None)
    buf = io.BytesIO()
    d.save(buf)
    return normalize_zip(buf.getvalue(), T0)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def summary_table_xlsx(gz: Gazetteer) -> Case:
    c = Case("s32-summary-table-xlsx.eml", "several_forms",
             "zone 10's summary workbook: one row per province (ลำดับ | จังหวัด | อำเภอ (ต้นแบบ) | ผู้รายงาน | ...)")
    codes = ["4201", "4302", "3902", "4102"]  # เลย, หนองคาย, หนองบัวลำภู, อุดรธานี (row order)
    rows = [(gz.provinces[k[:2]].name_th, gz.districts[k].name_th) for k in codes]
    c.headers("สรุปผลการคัดเลือกอำเภอต้นแบบ เขตตรวจราชการที่ 10", "เขต 10 <zone10@shapes.example.go.th>",
              T0 + timedelta(hours=5, minutes=10))
    c.msg.set_content("ส่งสรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) ของจังหวัดในเขต ตามไฟล์แนบ\n")
    data = _summary_xlsx("สรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 10", _summary_rows(gz, rows, c.rng))
    c.msg.add_attachment(data, maintype="application", subtype=XLSX.split("/")[1], filename="สรุปผล เขต 10.xlsx")
    c.expect("role_model", [sub(gz, k) for k in codes])
    return c


def summary_table_docx(gz: Gazetteer) -> Case:
    c = Case("s33-summary-table-docx.eml", "several_forms",
             "zone 5's summary table in Word; one row's district is not in its province (review), the others count")
    codes = ["9001", "9303", "8401"]  # สงขลา, พัทลุง, สุราษฎร์ธานี
    rows = [(gz.provinces[k[:2]].name_th, gz.districts[k].name_th) for k in codes]
    rows.append(("ชุมพร", "ชุมแสง"))  # ชุมแสง is in นครสวรรค์
    c.headers("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 5", "เขต 5 <zone5@shapes.example.go.th>", T0 + timedelta(hours=5, minutes=20))
    c.msg.set_content("ส่งสรุปผลการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ\n")
    data = _summary_docx("สรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 5", _summary_rows(gz, rows, c.rng))
    c.msg.add_attachment(data, maintype="application", subtype=DOCX.split("/")[1], filename="สรุปผล เขต 5.docx")
    chumphon = {"province_code": "86", "district_code": None, "zone": gz.provinces["86"].zone, "images": 0,
             "needs_review": True}
    c.expect("role_model", [sub(gz, k) for k in codes] + [chumphon], review=True)
    return c


def blank_summary_table(gz: Gazetteer) -> Case:
    c = Case("s34-blank-summary-table.eml", "blank_template",
             "the zone office circulates its blank summary table (header, numbered rows, no answers)")
    c.headers("แบบสรุปผลการคัดเลือกอำเภอต้นแบบ (ให้จังหวัดกรอก)", "เขต 12 <zone12@shapes.example.go.th>",
              T0 + timedelta(hours=5, minutes=30))
    c.msg.set_content("แบบสรุปสำหรับกรอกข้อมูล ตามไฟล์แนบ\n")
    rows = [[str(i), "", "", "", "", ""] for i in range(1, 6)]
    data = _summary_docx("แบบสรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 12", rows)
    c.msg.add_attachment(data, maintype="application", subtype=DOCX.split("/")[1], filename="แบบสรุป.docx")
    return c


def summary_table_in_body(gz: Gazetteer) -> Case:
    c = Case("s36-summary-table-in-body.eml", "several_forms",
             "zone 3's summary table pasted into an HTML mail (an Excel range pasted in Outlook)")
    codes = ["7001", "7102", "7203"]  # ราชบุรี, กาญจนบุรี, สุพรรณบุรี
    rows = _summary_rows(gz, [(gz.provinces[k[:2]].name_th, gz.districts[k].name_th) for k in codes], c.rng)
    c.headers("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 3", "เขต 3 <zone3@shapes.example.go.th>", T0 + timedelta(hours=5, minutes=35))
    head = "".join(f"<td>{h}</td>" for h in SUMMARY_HEADER)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in rows)
    c.msg.set_content("<html><body><p>เรียน กองวิชาการและแผนงาน</p><p>สรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) "
                      f"เขตตรวจราชการที่ 3</p><table border=\"1\"><tr>{head}</tr>{body}</table>"
                      "<p>จึงเรียนมาเพื่อโปรดทราบ</p></body></html>", subtype="html")
    c.expect("role_model", [sub(gz, k) for k in codes])
    return c


def zone_in_words(gz: Gazetteer) -> Case:
    c = Case("s35-zone-in-words.eml", "zone_words", "the zone written in words: เขตสิบแปด (นครสวรรค์ is in zone 18)")
    f = fill(gz, "6003", c.rng)
    f.zone = "สิบแปด"
    c.headers("แบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดนครสวรรค์", province_sender(gz, "60"), T0 + timedelta(hours=5, minutes=40))
    c.msg.set_content("ส่งแบบรายงานตามไฟล์แนบ\n")
    c.msg.add_attachment(docx_form(f, T0), maintype="application", subtype=DOCX.split("/")[1], filename="แบบรายงาน.docx")
    c.expect("role_model", [sub(gz, "6003")])
    return c


# --------------------------------------------------------------------------- follow-ups


def followup_pair(gz: Gazetteer, n: int, code: str, thread: bool) -> list[Case]:
    p = gz.provinces[code[:2]]
    base = Case(f"s{n:02d}a-followup-base.eml", "followup_base", f"a form with one photo from {p.name_th}")
    when = T0 + timedelta(days=1, hours=n)
    subject = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{p.name_th}"
    base.headers(subject, province_sender(gz, code[:2]), when)
    base.msg.set_content("เรียน กองวิชาการและแผนงาน\nส่งแบบรายงานตามไฟล์แนบ ภาพประกอบจะส่งตามไปครับ\n")
    base.msg.add_attachment(docx_form(fill(gz, code, base.rng), when), maintype="application",
                            subtype=DOCX.split("/")[1], filename=f"แบบรายงาน {p.name_th}.docx")
    base.msg.add_attachment(photo(base.rng, "ภาพ 1"), maintype="image", subtype="jpeg", filename="IMG_0001.jpg")
    later = Case(f"s{n:02d}b-followup-photos.eml", "followup",
                 "photos sent later in the same thread" if thread else "photos sent later by the same sender, new subject")
    if thread:
        later.headers(f"Re: {subject}", province_sender(gz, code[:2]), when + timedelta(minutes=40),
                      In_Reply_To=f"<{base.name.removesuffix('.eml')}@shapes.example>",
                      References=f"<{base.name.removesuffix('.eml')}@shapes.example>")
        later.msg.set_content("ส่งภาพประกอบเพิ่มเติมครับ\n")
    else:
        later.headers(f"ภาพกิจกรรม อำเภอต้นแบบ จ.{p.name_th}", province_sender(gz, code[:2]), when + timedelta(hours=3))
        later.msg.set_content("ส่งภาพเพิ่มเติมประกอบแบบรายงานที่ส่งไปเมื่อเช้าค่ะ\n")
    extra = 3 if thread else 2
    for k in range(extra):
        later.msg.add_attachment(photo(later.rng, f"ภาพ {k + 2}"), maintype="image", subtype="jpeg",
                                 filename=f"S__{later.rng.randint(10**7, 10**8 - 1)}.jpg")
    base.expect("role_model", [sub(gz, code, images=1)])
    later.expect("other", [], followup_of=base.name, followup_images=extra)
    return [base, later]


def followup_orphan(gz: Gazetteer) -> Case:
    c = Case("s07-followup-orphan.eml", "followup", "photos 'ภาพประกอบ' from a sender who sent no form: review")
    c.headers("ภาพประกอบ อำเภอต้นแบบ", "ปค.อำเภอ <amphoe.x@shapes.example.go.th>", T0 + timedelta(days=2))
    c.msg.set_content("ส่งภาพประกอบครับ\n")
    for k in range(2):
        c.msg.add_attachment(photo(c.rng, f"ภาพ {k}"), maintype="image", subtype="jpeg", filename=f"ภาพประกอบ {k + 1}.jpg")
    c.expect("other", [], review=True)
    return c


# --------------------------------------------------------------------------- links


def link_only(gz: Gazetteer) -> Case:
    c = Case("s08-link-only.eml", "links", "only a Google Drive link, no province and district in the body: review")
    c.headers("ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ", "ปค.จังหวัด <somchai.p@shapes.example.com>", T0 + timedelta(hours=5))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nไฟล์มีขนาดใหญ่ จึงขอส่งแบบรายงานและภาพประกอบทางลิงก์\n"
                      "https://drive.google.com/drive/folders/1aB2cD3eF4gH5iJ6kL7mN8oP?usp=sharing\nขอบคุณครับ\n")
    c.expect("other", [], review=True, links=1)
    return c


def link_with_places(gz: Gazetteer) -> Case:
    c = Case("s09-link-with-places.eml", "links", "a OneDrive link and the body states province and district")
    code = "4007"  # ขอนแก่น
    p, d = gz.provinces["40"], gz.districts[code]
    c.headers(f"อำเภอต้นแบบ จังหวัด{p.name_th}", province_sender(gz, "40"), T0 + timedelta(hours=6))
    c.msg.set_content(f"เรียน กองวิชาการและแผนงาน\nที่ทำการปกครองจังหวัด{p.name_th} ได้พิจารณาคัดเลือกอำเภอ{d.name_th} "
                      "เป็นอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)\n"
                      "แบบรายงานและภาพประกอบตามลิงก์ https://1drv.ms/f/s!AkXyZ123abcDEF\n")
    c.expect("role_model", [sub(gz, code)], links=1)
    return c


def link_with_plain_statement(gz: Gazetteer) -> Case:
    c = Case("s24-link-plain-statement.eml", "links",
             "a Dropbox link; the body says province and district in plain words, not the form's sentence")
    c.headers("ผลการคัดเลือกอำเภอต้นแบบ (Role Model)", province_sender(gz, "48"), T0 + timedelta(hours=6, minutes=30))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nจังหวัดนครพนม ขอส่งผลการคัดเลือกอำเภอต้นแบบ ได้แก่ อำเภอท่าอุเทน\n"
                      "แบบรายงานฉบับเต็มและภาพกิจกรรมอยู่ในลิงก์ https://www.dropbox.com/sh/ab12cd34/AAB_x?dl=0\n")
    c.expect("role_model", [sub(gz, "4803")], links=1)
    return c


# --------------------------------------------------------------------------- replies that quote


def reply_quoting_blank_form(gz: Gazetteer) -> Case:
    c = Case("s10-reply-quotes-blank-form.eml", "quoted", "a reply that quotes the circular's blank form (> lines)")
    c.headers("Re: การคัดเลือกอำเภอต้นแบบ (Role Model)", province_sender(gz, "64"), T0 + timedelta(hours=7),
              In_Reply_To="<circular-2564@dopa.example>")
    blank = FormFill(zone="", province="", district="", criteria=[], reporter="", reporter_position="",
                     coordinator="", coordinator_position="", phone="")
    quoted = "\n".join("> " + ln for ln in form_text(blank).splitlines())
    c.msg.set_content("รับทราบครับ จะจัดส่งภายในวันที่ 31 มีนาคม 2564\n\n"
                      f"On Mon, 29 Mar 2021 at 09:00, กองวิชาการและแผนงาน <{DOPA}> wrote:\n{quoted}\n")
    return c


def thanks_quoting_own_outlook(gz: Gazetteer) -> Case:
    c = Case("s11-thanks-quotes-own-outlook.eml", "quoted",
             "a province thanks us, Outlook quoting (From:/Sent:) its own submission, not > marked")
    code = "6501"
    f = fill(gz, code, c.rng)
    c.headers("RE: ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดพิษณุโลก", province_sender(gz, "65"),
              T0 + timedelta(hours=8), In_Reply_To="<ack-6501@dopa.example>")
    c.msg.set_content("ขอบคุณครับ\n\nนายสมชาย ใจดี\n\nFrom: กองวิชาการและแผนงาน <" + DOPA + ">\n"
                      "Sent: Monday, March 29, 2021 10:15 AM\nTo: ที่ทำการปกครองจังหวัดพิษณุโลก\n"
                      "Subject: ได้รับแล้ว: ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ\n\n" + form_text(f))
    return c


def thanks_gmail_quote_html(gz: Gazetteer) -> Case:
    c = Case("s12-thanks-gmail-quote-html.eml", "quoted", "HTML-only thanks; the form sits in a gmail_quote div")
    f = fill(gz, "7101", c.rng)
    c.headers("Re: ส่งแบบรายงาน Role Model จ.กาญจนบุรี", province_sender(gz, "71"), T0 + timedelta(hours=9))
    body = "".join(f"<div>{ln}</div>" for ln in form_lines(f))
    c.msg.set_content(f"<html><body><div dir=\"ltr\">ขอบคุณค่ะ</div><br><div class=\"gmail_quote\">"
                      f"<div dir=\"ltr\" class=\"gmail_attr\">เมื่อ จ. 29 มี.ค. 2564 เวลา 10:00 {DOPA} เขียนว่า:<br></div>"
                      f"<blockquote class=\"gmail_quote\">{body}</blockquote></div></body></html>", subtype="html")
    return c


# --------------------------------------------------------------------------- look-alikes


_ICS = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
METHOD:{method}
BEGIN:VEVENT
DTSTART:20210330T020000Z
DTEND:20210330T040000Z
UID:roledmodel-meeting-2564@google.com
SUMMARY:ประชุมชี้แจงการคัดเลือกอำเภอต้นแบบ (Role Model)
ORGANIZER:mailto:{org}
ATTENDEE;PARTSTAT={stat}:mailto:{att}
END:VEVENT
END:VCALENDAR
"""


def calendar_invite(gz: Gazetteer) -> Case:
    c = Case("s13-calendar-invite.eml", "not_submission", "a calendar invitation (text/calendar REQUEST)")
    c.headers("คำเชิญ: ประชุมชี้แจงการคัดเลือกอำเภอต้นแบบ (Role Model) @ อ. 30 มี.ค. 2564 09:00 - 11:00",
              f"กองวิชาการและแผนงาน <{DOPA}>", T0, to="dopa.p16@shapes.example.go.th")
    c.msg.set_content("ขอเชิญประชุมชี้แจงแนวทางการคัดเลือกอำเภอต้นแบบ (Role Model) และการกรอกแบบรายงาน\n"
                      "ที่ทำการปกครองจังหวัด.............ได้พิจารณาคัดเลือกอำเภอ.............\n")
    c.msg.add_alternative(_ICS.format(method="REQUEST", org=DOPA, stat="NEEDS-ACTION", att="dopa.p16@shapes.example.go.th"),
                          subtype="calendar", params={"method": "REQUEST"})
    return c


def calendar_reply(gz: Gazetteer) -> Case:
    c = Case("s14-calendar-accepted.eml", "not_submission", "an Accepted: answer with text/calendar REPLY")
    c.headers("Accepted: ประชุมชี้แจงการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดลพบุรี", province_sender(gz, "16"),
              T0 + timedelta(hours=1))
    c.msg.set_content("ที่ทำการปกครองจังหวัดลพบุรี has accepted this invitation.\n")
    c.msg.add_alternative(_ICS.format(method="REPLY", org=DOPA, stat="ACCEPTED", att="dopa.p16@shapes.example.go.th"),
                          subtype="calendar", params={"method": "REPLY"})
    return c


def calendar_reply_thai(gz: Gazetteer) -> Case:
    c = Case("s15-calendar-accepted-thai.eml", "not_submission", "ตอบรับ: subject, plain text only")
    c.headers("ตอบรับ: ประชุมชี้แจงการคัดเลือกอำเภอต้นแบบ จังหวัดน่าน อำเภอปัว", province_sender(gz, "55"),
              T0 + timedelta(hours=2))
    c.msg.set_content("ตอบรับคำเชิญแล้ว\n")
    return c


def other_ministry_form(gz: Gazetteer) -> Case:
    c = Case("s16-other-ministry-form.eml", "not_submission",
             "another ministry's 'อำเภอต้นแบบ' form with จังหวัด/อำเภอ blanks filled")
    c.headers("ส่งแบบรายงานอำเภอต้นแบบด้านการจัดการขยะ จังหวัดสระบุรี", "สนง.ทสจ.สระบุรี <tsj.19@shapes.example.go.th>",
              T0 + timedelta(hours=3))
    c.msg.set_content("เรียน ผู้เกี่ยวข้อง\nส่งแบบรายงานผลการดำเนินงานอำเภอต้นแบบด้านการจัดการขยะมูลฝอย ตามไฟล์แนบ\n")
    paras = ["แบบรายงานผลการดำเนินงานอำเภอต้นแบบด้านการจัดการขยะมูลฝอยชุมชน",
             "กระทรวงทรัพยากรธรรมชาติและสิ่งแวดล้อม ประจำปีงบประมาณ พ.ศ. 2564",
             "จังหวัด.....สระบุรี.....", "อำเภอที่ได้รับการคัดเลือก.....แก่งคอย.....",
             "ผลการดำเนินงาน คือ ลดปริมาณขยะได้ร้อยละ 20 ตั้งธนาคารขยะ 12 แห่ง",
             "ลงชื่อ ผู้รายงาน", "(นายวิทยา ศรีสุข)", "ตำแหน่ง ผู้อำนวยการสำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด"]
    c.msg.add_attachment(build_text_docx(paras, DocMeta(created=T0), title_count=2), maintype="application",
                         subtype=DOCX.split("/")[1], filename="แบบรายงานอำเภอต้นแบบขยะ สระบุรี.docx")
    return c


def other_campaign_form(gz: Gazetteer) -> Case:
    c = Case("s26-other-campaign-form.eml", "not_submission",
             "the department's other selection (อำเภอดีเด่น) with จังหวัด/อำเภอ blanks filled")
    c.headers("ส่งผลการคัดเลือกอำเภอดีเด่น จังหวัดนครปฐม", province_sender(gz, "73"), T0 + timedelta(hours=3, minutes=30))
    c.msg.set_content("เรียน ส่วนอำนวยความเป็นธรรม\nส่งแบบรายงานผลการคัดเลือกอำเภอดีเด่นตามไฟล์แนบ\n")
    paras = ["แบบรายงานผลการคัดเลือกอำเภอดีเด่น ด้านการอำนวยความเป็นธรรม",
             "กรมการปกครอง ประจำปีงบประมาณ พ.ศ. 2564",
             "ที่ทำการปกครองจังหวัด.....นครปฐม.....", "อำเภอที่ได้รับการคัดเลือก.....กำแพงแสน.....",
             "ผลงานเด่น คือ ไกล่เกลี่ยข้อพิพาทสำเร็จ 45 เรื่อง",
             "ลงชื่อ ผู้รายงาน", "(นายประเสริฐ ทองคำ)", "ตำแหน่ง ปลัดจังหวัดนครปฐม"]
    c.msg.add_attachment(build_text_docx(paras, DocMeta(created=T0), title_count=2), maintype="application",
                         subtype=DOCX.split("/")[1], filename="แบบรายงานอำเภอดีเด่น นครปฐม.docx")
    return c


def last_years_form(gz: Gazetteer) -> Case:
    c = Case("s17-last-years-form.eml", "not_submission", "last year's filled form (dated 2563) sent as a reference")
    f = fill(gz, "2003", c.rng, date_line="วันที่ ๒๐ มีนาคม ๒๕๖๓")
    c.headers("แบบฟอร์มอำเภอต้นแบบของจังหวัดชลบุรีปีที่แล้ว", province_sender(gz, "20"), T0 + timedelta(hours=4))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nแนบแบบรายงานที่จังหวัดเคยส่งไว้ เพื่อใช้เทียบกับแบบปีนี้ครับ\n")
    c.msg.add_attachment(docx_form(f, T0 - timedelta(days=365)), maintype="application", subtype=DOCX.split("/")[1],
                         filename="แบบรายงาน ชลบุรี 2563.docx")
    return c


def signature_only(gz: Gazetteer) -> Case:
    c = Case("s18-signature-only.eml", "not_submission", "only a signature and its inline logo (image001.png)")
    c.headers("Re: การคัดเลือกอำเภอต้นแบบ", province_sender(gz, "26"), T0 + timedelta(hours=5))
    c.msg.set_content("--\nนายอนุชา บุญมา\nเจ้าพนักงานปกครองชำนาญการ\nที่ทำการปกครองจังหวัดนครนายก\nโทร 0-3731-1234\n")
    c.msg.add_alternative("<html><body><p>--<br>นายอนุชา บุญมา<br>เจ้าพนักงานปกครองชำนาญการ<br>"
                          "ที่ทำการปกครองจังหวัดนครนายก</p><img src=\"cid:image001.png@01D72345\"></body></html>",
                          subtype="html")
    html = c.msg.get_payload()[1]
    html.add_related(logo_png(), maintype="image", subtype="png", cid="<image001.png@01D72345>",
                     filename="image001.png")
    return c


def bounce_quoting_form(gz: Gazetteer) -> Case:
    c = Case("s19-bounce-plain.eml", "not_submission", "a plain-text bounce from postmaster quoting a whole form")
    f = fill(gz, "8401", c.rng)
    c.headers("ส่งไม่สำเร็จ: ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ จังหวัดสุราษฎร์ธานี",
              "postmaster@shapes.example.go.th", T0 + timedelta(hours=6))
    c.msg.set_content("ไม่สามารถส่งข้อความถึงผู้รับต่อไปนี้: dopa.areaplan@gmial.com\n\n----- ข้อความต้นฉบับ -----\n"
                      + form_text(f))
    return c


def newsletter_other_agency(gz: Gazetteer) -> Case:
    c = Case("s20-newsletter-other-agency.eml", "not_submission", "another agency's newsletter about its อำเภอต้นแบบ")
    c.headers("จดหมายข่าวพัฒนาชุมชน ฉบับที่ 3/2564 ประจำเดือนมีนาคม", "ข่าว พช. <news@cdd.shapes.example.go.th>",
              T0 + timedelta(hours=7))
    c.msg.set_content("จดหมายข่าวกรมการพัฒนาชุมชน ฉบับที่ 3/2564 ประจำเดือนมีนาคม\n"
                      "อำเภอต้นแบบเศรษฐกิจพอเพียง: จังหวัดสกลนคร อำเภอพังโคน ได้รับการคัดเลือกเป็นอำเภอต้นแบบ\n"
                      "จังหวัดน่าน อำเภอปัว จัดงานตลาดนัดชุมชน\n")
    return c


def blank_template(gz: Gazetteer) -> Case:
    c = Case("s21-blank-template.eml", "not_submission", "a province passes on the blank form (dotted leaders only)")
    blank = FormFill(zone="", province="", district="", criteria=[], reporter="", reporter_position="",
                     coordinator="", coordinator_position="", phone="")
    c.headers("แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (ไฟล์ Word)", province_sender(gz, "30"), T0 + timedelta(hours=8))
    c.msg.set_content("ส่งไฟล์แบบฟอร์มให้ครับ\n")
    c.msg.add_attachment(docx_form(blank, T0), maintype="application", subtype=DOCX.split("/")[1],
                         filename="แบบฟอร์ม Role Model.docx")
    return c


def circular(gz: Gazetteer) -> Case:
    c = Case("s22-circular-letter.eml", "not_submission", "the department's letter (ที่ มท ...) with the blank form")
    c.headers("ส่งหนังสือ เรื่อง การคัดเลือกอำเภอต้นแบบ (Role Model)", "สารบรรณ ปค. <saraban@shapes.example.go.th>",
              T0 - timedelta(days=1), to="dopa.p30@shapes.example.go.th")
    c.msg.set_content("ส่งหนังสือตามไฟล์แนบ\n")
    blank = FormFill(zone="", province="", district="", criteria=[], reporter="", reporter_position="",
                     coordinator="", coordinator_position="", phone="")
    letter = ["ด่วนที่สุด", "ที่ มท ๐๓๐๕.๑/ว ๑๙๐๒๙", "กรมการปกครอง ถนนอัษฎางค์ กทม. ๑๐๒๐๐", "๒๘ มีนาคม ๒๕๖๔",
              "เรื่อง การคัดเลือกอำเภอต้นแบบ (Role Model) ตามโครงการพัฒนาตำบลแบบบูรณาการ",
              "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด",
              "ขอให้จังหวัดพิจารณาคัดเลือกอำเภอต้นแบบ จำนวน ๑ อำเภอ และรายงานตามแบบที่แนบ"] + form_lines(blank)
    c.msg.add_attachment(build_text_docx(letter, DocMeta(created=T0), title_count=1), maintype="application",
                         subtype=DOCX.split("/")[1], filename="หนังสือ มท 0305.1 ว19029.docx")
    return c


def best_practice_mentions_role_model(gz: Gazetteer) -> Case:
    c = Case("s23-best-practice-mentions-role-model.eml", "best_practice",
             "a best-practice report whose text talks about the role-model selection")
    code = "6302"  # ตาก
    p, d = gz.provinces["63"], gz.districts[code]
    c.headers(f"ส่งรายงานประจำเดือนมีนาคม 2564 จ.{p.name_th}", province_sender(gz, "63"), T0 + timedelta(hours=9))
    c.msg.set_content("เรียน กองวิชาการและแผนงาน\nส่งรายงานประจำเดือน ซึ่งต่อยอดจากการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ\n")
    paras = ["แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)",
             "โครงการพัฒนาตำบลแบบบูรณาการ (Tambon Smart Team)",
             f"จังหวัด{p.name_th} ประจำเดือนมีนาคม พ.ศ. 2564",
             "1. ชื่อผลงาน ตลาดชุมชนออนไลน์",
             f"2. พื้นที่ดำเนินการ {d.name_th if d.name_th.startswith('อำเภอ') else 'อำเภอ' + d.name_th} จังหวัด{p.name_th}",
             f"3. ความเป็นมา ที่ทำการปกครองจังหวัด{p.name_th} ได้พิจารณาคัดเลือกอำเภอ{d.name_th} เป็นอำเภอต้นแบบ "
             "(Role Model) และนำผลงานมาขยายผลเป็นแบบอย่างที่ดี",
             "4. ผลการดำเนินงาน ครัวเรือนเป้าหมายมีรายได้เพิ่มขึ้นร้อยละ 15"]
    c.msg.add_attachment(build_text_docx(paras, DocMeta(created=T0), title_count=3), maintype="application",
                         subtype=DOCX.split("/")[1], filename=f"รายงานประจำเดือน {p.name_th}.docx")
    c.expect("best_practice", [sub(gz, code)])
    return c


def best_practice_in_body(gz: Gazetteer) -> Case:
    c = Case("s25-best-practice-in-body.eml", "best_practice",
             "a best-practice report pasted into the body that mentions the role-model selection")
    p, d = gz.provinces["57"], gz.districts["5703"]  # เชียงราย, เวียงชัย
    c.headers(f"ส่งรายงาน จ.{p.name_th} เดือนมีนาคม", province_sender(gz, "57"), T0 + timedelta(hours=10))
    c.msg.set_content("แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)\n"
                      f"จังหวัด{p.name_th} ประจำเดือนมีนาคม พ.ศ. 2564\n"
                      "1. ชื่อผลงาน ธนาคารน้ำใต้ดิน\n"
                      f"2. พื้นที่ดำเนินการ อำเภอ{d.name_th} จังหวัด{p.name_th}\n"
                      f"3. ความเป็นมา ต่อยอดจากการคัดเลือกอำเภอต้นแบบ (Role Model) ของจังหวัด{p.name_th}\n"
                      "4. ผลการดำเนินงาน ครัวเรือนเป้าหมาย 120 ครัวเรือนมีน้ำใช้ตลอดปี\n")
    c.expect("best_practice", [sub(gz, "5703")])
    return c


def build(gz: Gazetteer) -> list[Case]:
    return [
        several_attachments(gz), several_in_zip(gz), several_in_one_document(gz), several_one_unclear(gz),
        *followup_pair(gz, 5, "5505", thread=True), *followup_pair(gz, 6, "8003", thread=False),
        followup_orphan(gz), link_only(gz), link_with_places(gz), link_with_plain_statement(gz),
        reply_quoting_blank_form(gz), thanks_quoting_own_outlook(gz), thanks_gmail_quote_html(gz),
        calendar_invite(gz), calendar_reply(gz), calendar_reply_thai(gz), other_ministry_form(gz), other_campaign_form(gz),
        last_years_form(gz), signature_only(gz), bounce_quoting_form(gz), newsletter_other_agency(gz),
        blank_template(gz), circular(gz), best_practice_mentions_role_model(gz), best_practice_in_body(gz),
        forwarded_several(gz), forwarded_province_blank(gz), pasted_several(gz), summary_table_xlsx(gz),
        summary_table_docx(gz), blank_summary_table(gz), zone_in_words(gz), summary_table_in_body(gz),
    ]


def write(out: Path = OUT) -> dict[str, dict]:
    out.mkdir(parents=True, exist_ok=True)
    labels: dict[str, dict] = {}
    for case in build(load_gazetteer()):
        (out / case.name).write_bytes(case.bytes())
        labels[case.name] = case.label
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
    return labels


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    labels = write(args.out)
    print(f"wrote {len(labels)} messages to {args.out}")


if __name__ == "__main__":
    main()
