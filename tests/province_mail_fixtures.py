"""Real mail for the province-side tests: .eml files imported and parsed by areaplan itself.

The messages are built here with the standard library (never with areaplan's code): a
role-model form in the body, from a province office, an autoresponder, a bounce, a stranger.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

THAI = timezone(timedelta(hours=7))
_n = itertools.count(1)

FORM = """เรียน ผู้ตรวจราชการกรมการปกครอง เขต {zone}

แบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model)
ที่ทำการปกครองจังหวัด{province} ได้พิจารณาคัดเลือก{district} เป็นอำเภอต้นแบบ (Role Model)
โดยมีผลการปฏิบัติงานที่โดดเด่น ตามหลักเกณฑ์การคัดเลือกฯ คือ
๑. บทบาทของนายอำเภอ นำประชุมทุกเดือน
๒. การดำเนินการจัดเก็บข้อมูล ครบถ้วนทุกตำบล
๓. ผลการปฏิบัติงานของลูกจ้าง ลงพื้นที่สม่ำเสมอ
๔. การบูรณาการ ร่วมกับภาคเอกชน

ลงชื่อ นายสมชาย ใจดี
ตำแหน่ง ปลัดจังหวัด{province}
"""


def form_mail(folder: Path, sender: str, province: str, district: str, when: datetime, *, zone: int = 1,
              headers: tuple[tuple[str, str], ...] = (), subject: str | None = None,
              references: str | None = None) -> tuple[Path, str]:
    """Write one .eml; returns (path, its Message-ID without brackets)."""
    n = next(_n)
    mid = f"form{n}.{abs(hash(province)) % 10_000}@province.example.go.th"
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "dopa.areaplan@example.org"
    m["Subject"] = subject or f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัด{province}"
    m["Date"] = format_datetime(when)
    m["Message-ID"] = f"<{mid}>"
    if references:
        m["References"] = references
    for k, v in headers:
        m[k] = v
    m.set_content(FORM.format(zone=zone, province=province, district=f"อำเภอ{district}" if district else ""))
    path = folder / f"m{n:03d}.eml"
    path.write_bytes(bytes(m))
    return path, mid


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2021, month, day, hour, minute, tzinfo=THAI)


def unreadable_mail(folder: Path, sender: str, when: datetime) -> tuple[Path, str]:
    """A message with a damaged PDF and no campaign words: it goes to review with no submission."""
    n = next(_n)
    mid = f"unread{n}@province.example.go.th"
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "dopa.areaplan@example.org"
    m["Subject"] = "ส่งเอกสาร"
    m["Date"] = format_datetime(when)
    m["Message-ID"] = f"<{mid}>"
    m.set_content("ตามไฟล์แนบ")
    m.add_attachment(b"%PDF-1.4 damaged " * 20, maintype="application", subtype="pdf", filename="report.pdf")
    path = folder / f"m{n:03d}.eml"
    path.write_bytes(bytes(m))
    return path, mid
