"""Mail that is not a submission although it comes close, one builder per kind the classifier
decides (auto-replies, thanks, spam, questions, requests for more time, meeting notices, lists
of provinces, mail without the campaign's words).

Nothing here imports areaplan: each message is built with the stdlib's ``email`` package, so the
product cannot make its own test input agree with it. Each ``Kind`` names the reason code the
product should record and the words (or header) that should decide it, as a person reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

WHEN = datetime(2021, 3, 29, 10, 0, tzinfo=timezone(timedelta(hours=7)))
DOPA = "dopa.areaplan@gmail.com"
PROVINCE = "ที่ทำการปกครองจังหวัดน่าน <dopa.p55@example.go.th>"


@dataclass(frozen=True)
class Kind:
    name: str
    code: str  # the reason code the message must carry
    words: str  # what decided it: must be named in the Thai text staff read
    raw: bytes


def _mail(subject: str, body: str, *, sender: str = PROVINCE, headers: dict[str, str] | None = None,
          attachments: list[tuple[str, bytes]] = ()) -> bytes:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = DOPA
    m["Subject"] = subject
    m["Date"] = format_datetime(WHEN)
    m["Message-ID"] = make_msgid(domain="other-mail.example")
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    for name, data in attachments:
        m.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    return bytes(m)


def kinds() -> list[Kind]:
    """One message per kind the classifier turns away, with the code and the deciding words."""
    campaign_body = "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) ของจังหวัดน่าน\n"
    return [
        Kind("auto_submitted_header", "other.automatic", "Auto-Submitted: auto-replied",
             _mail("ส่งแบบรายงานอำเภอต้นแบบ จังหวัดน่าน", campaign_body,
                   headers={"Auto-Submitted": "auto-replied"})),
        Kind("bulk_precedence", "other.automatic", "Precedence: bulk",
             _mail("ข่าวสารอำเภอต้นแบบ", campaign_body, headers={"Precedence": "bulk"})),
        Kind("automatic_reply_subject", "other.auto_reply", "Automatic reply",
             _mail("Automatic reply: ส่งแบบรายงานอำเภอต้นแบบ", "ขณะนี้ไม่อยู่ที่สำนักงาน จะกลับวันที่ 5 เมษายน\n")),
        Kind("thank_you_reply", "other.acknowledgement", "ได้รับแล้ว",
             _mail("Re: ส่งแบบรายงานอำเภอต้นแบบ จังหวัดน่าน", "ได้รับแล้ว ขอบคุณครับ\n", sender=f"กองวิชาการ <{DOPA}>")),
        Kind("executable_attachment", "other.risky_attachment", "แบบรายงาน.pdf.exe",
             _mail("ส่งแบบรายงานอำเภอต้นแบบ", campaign_body, attachments=[("แบบรายงาน.pdf.exe", b"MZ\x90\x00" * 64)])),
        Kind("spam", "other.spam", "You have won",
             _mail("You have won 1,000,000 baht", "คลิกเพื่อรับรางวัล อำเภอต้นแบบ\n")),
        Kind("question", "other.question", "สอบถาม",
             _mail("สอบถามกำหนดส่งแบบรายงานอำเภอต้นแบบ", "จะต้องส่งภายในวันที่เท่าไรครับ\n")),
        Kind("request_for_more_time", "other.extension_request", "ขอขยาย",
             _mail("ขอขยายเวลาส่งแบบรายงานอำเภอต้นแบบ จังหวัดน่าน", "เนื่องจากอยู่ระหว่างรวบรวมข้อมูล\n")),
        Kind("meeting_notice", "other.meeting", "เชิญประชุม",
             _mail("ขอเชิญประชุมชี้แจงการคัดเลือกอำเภอต้นแบบ", "วันที่ 2 เมษายน 2564 เวลา 09.00 น. ห้องประชุม 1\n",
                   sender=f"กองวิชาการ <{DOPA}>")),
        Kind("notice_to_every_province", "other.circular", "เรียน ผู้ว่าราชการจังหวัด ทุก",
             _mail("การคัดเลือกอำเภอต้นแบบ", "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\nขอให้ส่งแบบรายงานภายในวันที่ 31 มีนาคม\n",
                   sender=f"กองวิชาการ <{DOPA}>")),
        Kind("mailing_list_footer", "other.newsletter", "unsubscribe",
             _mail("สรุปข่าวอำเภอต้นแบบ", "ข่าวความคืบหน้าอำเภอต้นแบบ\n\nTo unsubscribe click here\n")),
        Kind("summary_of_many_provinces", "other.many_provinces", "ลำปาง",
             _mail("ผลการคัดเลือกอำเภอต้นแบบ", "ผลการคัดเลือกอำเภอต้นแบบ: จังหวัดน่าน จังหวัดแพร่ จังหวัดลำปาง "
                   "จังหวัดพะเยา\n", sender=f"กองวิชาการ <{DOPA}>")),
        Kind("no_campaign_word", "other.no_keyword", "สวัสดีปีใหม่",
             _mail("สวัสดีปีใหม่", "ขอให้มีความสุขตลอดปีครับ\n")),
        Kind("no_thai_at_all", "other.no_keyword", "Lunch on Friday",
             _mail("Lunch on Friday", "See you at noon.\n")),
    ]
