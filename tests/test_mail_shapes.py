"""Mail shapes provinces really send: several forms in one mail, follow-ups, links, quotes.

Store-level behaviour goes through the real CLI and a real SQLite file; the messages come from
the generator ``samples/shapes.py`` (which does not import the product).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from ingest_helpers import run_cli

from areaplan.core.campaigns import DEFAULT_CAMPAIGNS
from areaplan.parsers.form_split import split_forms
from areaplan.parsers.links import shared_links
from areaplan.parsers.purpose import document_kind, out_of_period
from areaplan.parsers.quoting import is_reply, own_text
from areaplan.samples import shapes
from areaplan.samples.forms import FormFill, form_text
from areaplan.samples.generate import load_gazetteer


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def _db(tmp_path: Path, *cases: shapes.Case, name: str = "a.db") -> Path:
    db = tmp_path / name
    for case in cases:
        path = tmp_path / case.name
        path.write_bytes(case.bytes())
        result = run_cli("--db", str(db), "import", str(path))
        assert result.returncode == 0, result.stderr
    return db


def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql, params).fetchall()


def _message(db: Path, case: shapes.Case) -> int:
    return _rows(db, "SELECT message FROM message_locations WHERE path LIKE ?", (f"%{case.name}",))[0][0]


def _fill(province: str, district: str, **kw) -> FormFill:
    return FormFill(zone="1", province=province, district=district, criteria=["1. ทดสอบ", "2. ทดสอบ"],
                    reporter="นายทดสอบ ระบบ", reporter_position=f"ปลัดจังหวัด{province}", coordinator="นางสาวประสาน งาน",
                    coordinator_position="เจ้าพนักงานปกครอง", phone="0-3641-1234", **kw)


# --------------------------------------------------------------------------- pure pieces


def test_a_document_with_two_forms_splits_into_one_text_per_form():
    text = form_text(_fill("ลพบุรี", "โคกสำโรง")) + "\n" + form_text(_fill("สระบุรี", "วิหารแดง"))
    pieces = split_forms(text)
    assert len(pieces) == 2
    assert "ลพบุรี" in pieces[0] and "สระบุรี" not in pieces[0].split("จึงเรียน")[0]
    assert "วิหารแดง" in pieces[1] and "โคกสำโรง" not in pieces[1]


def test_one_form_whose_introduction_names_the_province_office_stays_one_text():
    assert len(split_forms(form_text(_fill("ลพบุรี", "โคกสำโรง")))) == 1


@pytest.mark.parametrize("quote", [
    "เมื่อ จ. 29 มี.ค. 2564 เวลา 10:00 กองวิชาการและแผนงาน เขียนว่า:\n",
    "On Mon, 29 Mar 2021 at 10:00, DOPA <dopa.areaplan@gmail.com> wrote:\n",
    "From: DOPA <dopa.areaplan@gmail.com>\nSent: Monday, March 29, 2021 10:15 AM\nTo: x\nSubject: y\n\n",
    "จาก: DOPA <dopa.areaplan@gmail.com>\nส่ง: 29 มีนาคม 2564 10:15\n",
    "-----Original Message-----\n",
])
def test_the_own_text_of_a_reply_stops_at_the_quote(quote):
    body = "ขอบคุณครับ\n\n" + quote + form_text(_fill("ลพบุรี", "โคกสำโรง"))
    assert own_text(body) == "ขอบคุณครับ"


def test_quoted_lines_are_dropped_but_a_forward_is_not_a_reply():
    assert own_text("รับทราบ\n> ที่ทำการปกครองจังหวัดลพบุรี\n> ได้พิจารณา") == "รับทราบ"
    assert is_reply("Re: ส่งแบบรายงาน") and is_reply("ตอบกลับ: ส่งแบบ") and is_reply("x", "abc@y")
    assert not is_reply("Fwd: Re: ส่งแบบรายงาน", "abc@y")


def test_file_sharing_links_are_recognised_by_service():
    links = shared_links("ดูที่ https://drive.google.com/drive/folders/1abc?usp=sharing, "
                         "https://1drv.ms/f/s!Ab12 และ https://www.dropbox.com/s/xyz/a.zip?dl=0 "
                         "หรือ https://line.me/R/ti/g/abc ไม่ใช่ https://www.dopa.go.th/news")
    assert [(link.service, link.url) for link in links] == [
        ("google_drive", "https://drive.google.com/drive/folders/1abc?usp=sharing"),
        ("onedrive", "https://1drv.ms/f/s!Ab12"),
        ("dropbox", "https://www.dropbox.com/s/xyz/a.zip?dl=0"),
        ("line", "https://line.me/R/ti/g/abc"),
    ]


def test_a_form_dated_before_the_campaign_is_out_of_period_and_one_of_its_year_is_not():
    last = form_text(_fill("ชลบุรี", "หนองใหญ่", date_line="วันที่ ๒๐ มีนาคม ๒๕๖๓"))
    this = form_text(_fill("ชลบุรี", "หนองใหญ่", date_line="วันที่ ๒๐ มีนาคม ๒๕๖๔"))
    found = out_of_period("role_model", last, "2021-03-29T10:00:00+07:00", DEFAULT_CAMPAIGNS)
    assert found is not None and found.code == "other.out_of_period" and "2563" in found.evidence
    assert out_of_period("role_model", this, "2021-03-29T10:00:00+07:00", DEFAULT_CAMPAIGNS) is None
    assert date(2021, 3, 31) == DEFAULT_CAMPAIGNS[0].deadline  # the period the years are checked against


def test_the_title_decides_what_a_document_is():
    assert document_kind(form_text(_fill("ลพบุรี", "โคกสำโรง")))[0] == "role_model"
    assert document_kind("แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)\nอำเภอต้นแบบ (Role Model)")[0] \
        == "best_practice"
    assert document_kind("แบบรายงานผลการดำเนินงานอำเภอต้นแบบด้านการจัดการขยะ\nจังหวัด....สระบุรี....")[0] == "foreign"


# --------------------------------------------------------------------------- through the store


def test_each_form_of_a_zone_office_mail_gets_its_own_stable_key_and_decisions_apply_by_it(tmp_path, gz):
    case = shapes.several_attachments(gz)
    db = _db(tmp_path, case)
    m = _message(db, case)
    subs = _rows(db, "SELECT key, province_code, district_code, image_count FROM submissions WHERE message = ?"
                 " ORDER BY province_code", (m,))
    assert [s[1:] for s in subs] == [("16", "1603", 1), ("17", "1702", 2), ("19", "1904", 3)]
    assert subs[0][0] == str(m)
    further = subs[2][0]
    assert further.startswith(f"{m}.")
    result = run_cli("--db", str(db), "review", "decide", further, "set", "district=แก่งคอย", "--by", "somchai")
    assert result.returncode == 0, result.stderr
    assert run_cli("--db", str(db), "reparse").returncode == 0
    again = _rows(db, "SELECT key, district_code FROM submissions WHERE message = ? AND province_code = '19'", (m,))
    assert again == [(further, "1902")]


def test_a_form_naming_no_province_of_its_own_goes_to_review_while_the_other_counts(tmp_path, gz):
    case = shapes.several_one_unclear(gz)
    db = _db(tmp_path, case)
    rows = _rows(db, "SELECT province_code, needs_review FROM submissions WHERE message = ? ORDER BY id",
                 (_message(db, case),))
    assert rows == [("31", 0), (None, 1)]
    codes = {r[0] for r in _rows(db, "SELECT code FROM reasons WHERE severity = 'review'")}
    assert "province.form_unclear" in codes


def test_a_follow_up_stored_before_its_submission_is_linked_when_the_submission_arrives(tmp_path, gz):
    base, later = shapes.followup_pair(gz, 5, "5505", thread=True)
    db = _db(tmp_path, later)
    assert _rows(db, "SELECT status FROM parsed_messages") == [("review",)]
    _db(tmp_path, base)
    assert _rows(db, "SELECT method, images FROM followups") == [("thread", 3)]
    assert _rows(db, "SELECT image_count, followup_images FROM submissions") == [(1, 3)]
    assert _rows(db, "SELECT status FROM parsed_messages WHERE message = ?", (_message(db, later),)) == [("other",)]
    assert _rows(db, "SELECT COUNT(*) FROM review_queue WHERE item = 'message'") == [(0,)]


def test_photos_from_the_same_sender_hours_later_attach_to_the_earlier_submission(tmp_path, gz):
    base, later = shapes.followup_pair(gz, 6, "8003", thread=False)
    db = _db(tmp_path, base, later)
    assert _rows(db, "SELECT method, images FROM followups") == [("sender", 2)]
    assert _rows(db, "SELECT COUNT(*) FROM submissions") == [(1,)]


def test_a_follow_up_with_nothing_to_attach_to_waits_in_review_without_a_submission(tmp_path, gz):
    case = shapes.followup_orphan(gz)
    (tmp_path / case.name).write_bytes(case.bytes())
    db = tmp_path / "a.db"
    result = run_cli("--db", str(db), "import", str(tmp_path / case.name))
    assert result.returncode == 0 and "1 to review" in result.stdout + result.stderr
    assert _rows(db, "SELECT COUNT(*) FROM submissions") == [(0,)]
    (queue,) = _rows(db, "SELECT item, reasons FROM review_queue")
    assert queue[0] == "message" and "ไม่พบแบบรายงานที่ส่งก่อนหน้า" in queue[1]


def test_a_link_only_mail_records_the_link_and_goes_to_review(tmp_path, gz):
    db = _db(tmp_path, shapes.link_only(gz))
    assert _rows(db, "SELECT service FROM shared_links") == [("google_drive",)]
    assert _rows(db, "SELECT status FROM parsed_messages") == [("review",)]
    assert _rows(db, "SELECT code FROM reasons WHERE severity = 'review'") == [("links.only",)]
    assert _rows(db, "SELECT COUNT(*) FROM submissions") == [(0,)]


@pytest.mark.parametrize("make", [shapes.calendar_invite, shapes.calendar_reply, shapes.other_ministry_form,
                                  shapes.other_campaign_form,
                                  shapes.last_years_form, shapes.signature_only, shapes.bounce_quoting_form,
                                  shapes.newsletter_other_agency, shapes.blank_template, shapes.circular,
                                  shapes.thanks_quoting_own_outlook, shapes.thanks_gmail_quote_html])
def test_look_alikes_make_no_submission_and_say_why_with_a_code(tmp_path, gz, make):
    db = _db(tmp_path, make(gz))
    assert _rows(db, "SELECT COUNT(*) FROM submissions") == [(0,)]
    assert _rows(db, "SELECT status FROM parsed_messages") == [("other",)]
    codes = [r[0] for r in _rows(db, "SELECT code FROM reasons")]
    assert any(c.startswith("other.") for c in codes), codes


def test_a_file_whose_reader_gives_one_section_per_form_makes_one_submission_per_section():
    """The contract for readers of workbooks (one form per sheet): ``ReadResult.sections``."""
    from email.message import EmailMessage

    from areaplan.core.records import AttachmentRecord, ParsedMessage
    from areaplan.parsers.mime import parse_message
    from areaplan.parsers.submission import extract_submission
    from areaplan.parsers.types import ParseSettings

    m = EmailMessage()
    m["Subject"], m["From"], m["To"] = "แบบรายงานอำเภอต้นแบบ เขต 1", "zone1@example.go.th", "dopa.areaplan@gmail.com"
    m.set_content("ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ ตามไฟล์แนบ\n")
    sheets = [form_text(_fill("ลพบุรี", "โคกสำโรง")), form_text(_fill("สระบุรี", "วิหารแดง"))]
    pm = ParsedMessage(message_id="x@y", subject=m["Subject"], from_addr=m["From"], text_body=m.get_content())
    pm.attachments = [AttachmentRecord(part_index=0, filename="เขต1.xlsx", content_type="application/vnd.ms-excel",
                                       sha256="0" * 64, size=1, kind="xlsx", text="\n".join(sheets), sections=sheets)]
    extract_submission(pm, parse_message(bytes(m)), ParseSettings(), "2021-03-29T10:00:00+07:00")
    assert [(s.province_code, s.district_code, s.slot) for s in pm.submissions] == [
        ("16", "1603", ""), ("19", "1904", "0-1")]
