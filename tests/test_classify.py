"""Specs for parsers.classify: which campaign a message belongs to, if any.

Submissions are built from the blank report form filled in as in the form-reader specs
(``form_texts``) and read with :func:`parsers.role_model_form.read_form`, as the pipeline does.
"""

from __future__ import annotations

import pytest
from form_texts import BLANK_FORM, SAMPLE, dots, fill

from areaplan.core.gazetteer import Gazetteer
from areaplan.parsers.classify import classify
from areaplan.parsers.role_model_form import read_form

GAZ = Gazetteer.load()


def test_classify_filled_form_is_role_model() -> None:
    form = read_form(fill(dots(SAMPLE[0])))
    campaign, confidence, reason = classify("ส่งเอกสาร", "", ["scan.pdf"], form)
    assert campaign == "role_model" and confidence >= 0.9 and reason


@pytest.mark.parametrize(
    "subject",
    [
        "ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดเชียงใหม่",
        "Role Model จ.น่าน",
        "ผลการคัดเลือกอำเภอ ต้นแบบ",
    ],
)
def test_classify_role_model_by_subject(subject: str) -> None:
    campaign, confidence, _ = classify(subject, "ตามเอกสารแนบ", ["แบบฟอร์ม.pdf"], None)
    assert campaign == "role_model" and confidence >= 0.5


@pytest.mark.parametrize(
    "subject",
    [
        "รายงาน Best Practice เดือนมีนาคม 2564",
        "ส่งผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี",
        "BestPractice ปค.จ.ลำพูน",
    ],
)
def test_classify_best_practice_by_subject(subject: str) -> None:
    campaign, confidence, _ = classify(subject, "", ["bp.pdf"], None)
    assert campaign == "best_practice" and confidence >= 0.5


def test_classify_best_practice_by_attachment_name() -> None:
    campaign, _, reason = classify("ส่งเอกสาร", "", ["Best Practices อำเภอแม่ริม.docx"], None)
    assert campaign == "best_practice"
    assert "attachment" in reason


def test_classify_letter_mentioning_both_follows_the_subject() -> None:
    body = "ทั้งนี้ การรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practices) ... อำเภอต้นแบบ"
    assert classify("Best Practice ประจำเดือน", body, ["a.pdf"], None)[0] == "best_practice"
    assert classify("อำเภอต้นแบบ Role Model", body, ["a.pdf"], None)[0] == "role_model"


def test_classify_acknowledgement_reply_is_other() -> None:
    campaign, confidence, _ = classify("Re: ส่งแบบรายงานอำเภอต้นแบบ", "ได้รับแล้ว ขอบคุณครับ", [], None)
    assert campaign == "other" and confidence >= 0.8


def test_classify_reply_with_an_attachment_is_not_an_acknowledgement() -> None:
    campaign, _, _ = classify(
        "Re: ส่งแบบรายงานอำเภอต้นแบบ", "ได้รับแล้ว ขอส่งแบบฟอร์มอีกครั้ง", ["form.pdf"], None
    )
    assert campaign == "role_model"


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        ("Automatic reply: แบบรายงาน", "I am out of the office until Monday."),
        ("ตอบกลับอัตโนมัติ", "ขณะนี้ไม่อยู่ที่สำนักงาน"),
        ("ข่าวสารประจำสัปดาห์", "จดหมายข่าว ... หากไม่ต้องการรับ คลิก unsubscribe"),
        ("สล็อตเว็บตรง เครดิตฟรี", "สมัครวันนี้รับโบนัส"),
        ("You have won a lottery", "Claim your prize now"),
    ],
)
def test_classify_automatic_newsletter_and_spam_are_other(subject: str, body: str) -> None:
    assert classify(subject, body, [], None)[0] == "other"


def test_classify_bounce_carrying_a_submission_is_other() -> None:
    form = read_form(fill(dots(SAMPLE[0])))
    campaign, _, reason = classify(
        "Delivery Status Notification (Failure)", "Address not found", ["form.docx"], form
    )
    assert campaign == "other" and "delivery" in reason


def test_classify_acknowledgement_quoting_the_filled_form_is_other() -> None:
    form_text = fill(dots(SAMPLE[0]))
    body = "ได้รับแล้วครับ\n\nเมื่อ วันจันทร์ที่ 29 มีนาคม 2564 ทปค.จ. <a@b.c> เขียนว่า:\n\n" + "\n".join(
        "> " + line for line in form_text.split("\n")
    )
    campaign, _, _ = classify("RE: ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ", body, [], read_form(body))
    assert campaign == "other"


def test_classify_reply_with_the_form_pasted_unquoted_is_a_submission() -> None:
    body = "ขอบคุณครับ ขอส่งแบบรายงานตามด้านล่าง\n\n" + fill(dots(SAMPLE[0]))
    campaign, _, _ = classify("Re: การคัดเลือกอำเภอต้นแบบ", body, [], read_form(body))
    assert campaign == "role_model"


def test_classify_circular_to_all_provinces_with_the_blank_form_is_other() -> None:
    body = "เรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n\nกรมการปกครองขอส่งหนังสือ เรื่อง การคัดเลือกอำเภอต้นแบบ"
    campaign, _, _ = classify(
        "การคัดเลือกอำเภอต้นแบบ (Role Model)", body, ["แบบฟอร์ม.docx"], read_form(BLANK_FORM)
    )
    assert campaign == "other"


@pytest.mark.parametrize(
    "subject",
    [
        "ขอขยายเวลาส่งแบบรายงาน Role Model จ.นนทบุรี",
        "สอบถามเรื่องแบบฟอร์ม Role Model",
        "เชิญประชุม: คณะทำงานพิจารณาคัดเลือกอำเภอต้นแบบ (Role Model)",
        "แจ้งเตือน การรายงาน Best Practices ภายในวันที่ 25",
    ],
)
def test_classify_other_purposes_that_name_the_campaign(subject: str) -> None:
    assert classify(subject, "ตามเรื่องดังกล่าว", [], None)[0] == "other"


def test_classify_announcement_listing_many_provinces_is_other() -> None:
    lines = []
    for number, zone in sorted(GAZ.zones.items()):
        d = GAZ.districts_of(zone.province_codes[0])[1]
        lines.append(f"เขต {number} อำเภอ{d.name_th} จังหวัด{GAZ.province(d.province_code).name_th}")
    body = "ผลการคัดเลือกอำเภอต้นแบบ (Role Model) ดังนี้\n" + "\n".join(lines)
    assert classify("ผลการคัดเลือกอำเภอต้นแบบ", body, [], read_form(body))[0] == "other"


def test_classify_province_reporting_its_result_is_role_model() -> None:
    campaign, _, _ = classify(
        "แจ้งผลการคัดเลือกอำเภอต้นแบบ (Role Model) จังหวัดน่าน", "รายละเอียดตามไฟล์แนบ", ["scan.pdf"], None
    )
    assert campaign == "role_model"


def test_classify_executable_attachment_is_other() -> None:
    campaign, _, reason = classify("Invoice overdue", "Please pay", ["Invoice.pdf.exe"], None)
    assert campaign == "other" and "executable" in reason


def test_classify_english_only_mail_without_keywords_is_other() -> None:
    campaign, confidence, _ = classify("Hello", "Please see the attached file.", ["a.zip"], None)
    assert campaign == "other" and confidence >= 0.5


def test_classify_without_any_keyword_is_other_with_low_confidence_if_attachments() -> None:
    campaign, confidence, _ = classify("สวัสดีครับ", "ส่งเอกสารครับ", ["doc.pdf"], None)
    assert campaign == "other" and confidence < 0.5
