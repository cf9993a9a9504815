"""One message, several provinces: what a zone office really sends.

* several provinces' mails forwarded in one message (attached as message/rfc822, or pasted
  after a forward marker), each with its form and its photos: each form makes its own
  submission with its own photos and, when the form leaves it blank, the province its own
  mail names;
* one summary table with a row per province (Excel or Word): one submission per row;
* zones written in words (เขตสิบแปด, เขตตรวจราชการที่ สาม).

Every message goes through the product's whole parse (``parse_raw``), or through the CLI and a
real SQLite store; the files are made by python-docx, openpyxl and Pillow in
``tests/forwarded_mail.py``, which does not import the product.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import forwarded_mail as fm
import pytest
from ingest_helpers import run_cli

from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.types import ParseSettings


def _parse(raw: bytes):
    return parse_raw(raw, ParseSettings(), fm.RECEIVED)


def _by_province(pm) -> dict[str | None, object]:
    return {s.province_code: s for s in pm.submissions}


def _codes(reasons) -> set[str]:
    return {r.code for r in reasons}


LOPBURI = fm.Form("ลพบุรี", "โคกสำโรง", zone="1")
SINGBURI = fm.Form("สิงห์บุรี", "บางระจัน", zone="1", reporter="นางสาววรรณา ศรีสุข")
SARABURI = fm.Form("สระบุรี", "วิหารแดง", zone="1", reporter="นายประเสริฐ ทองคำ")


def _three_forwarded(outer_photos: list[str] = ()) -> bytes:
    mails = [
        fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค.ลพบุรี <lopburi@example.go.th>", form=LOPBURI,
                         photos=["IMG_0001.jpg"]),
        fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค.สิงห์บุรี <singburi@example.go.th>", form=SINGBURI,
                         photos=["IMG_0001.jpg", "IMG_0002.jpg"]),
        fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค.สระบุรี <saraburi@example.go.th>", form=SARABURI,
                         photos=["IMG_0001.jpg", "IMG_0002.jpg", "IMG_0003.jpg"]),
    ]
    return fm.forwarding("Fwd: แบบรายงานอำเภอต้นแบบ เขต 1 (3 จังหวัด)", mails, outer_photos=outer_photos)


# --------------------------------------------------------------------------- forwarded mails


def test_each_forwarded_mail_s_photos_count_on_the_form_it_came_with():
    pm = _parse(_three_forwarded())
    subs = _by_province(pm)
    assert {code: (s.district_code, s.image_count) for code, s in subs.items()} == {
        "16": ("1603", 1), "17": ("1702", 2), "19": ("1904", 3)}
    assert "images.unassigned" not in _codes(pm.all_reasons())
    assert pm.status == "submission"


def test_every_file_and_photo_records_the_forwarded_mail_it_came_in():
    pm = _parse(_three_forwarded(outer_photos=["แผนที่เขต.jpg"]))
    seen = [(a.filename, a.origin) for a in pm.attachments]
    assert seen == [("แบบรายงาน.docx", "1"), ("IMG_0001.jpg", "1"),
                    ("แบบรายงาน.docx", "2"), ("IMG_0001.jpg", "2"), ("IMG_0002.jpg", "2"),
                    ("แบบรายงาน.docx", "3"), ("IMG_0001.jpg", "3"), ("IMG_0002.jpg", "3"), ("IMG_0003.jpg", "3"),
                    ("แผนที่เขต.jpg", "")]


def test_a_photo_of_the_outer_mail_beside_several_forwarded_forms_is_not_guessed():
    pm = _parse(_three_forwarded(outer_photos=["แผนที่เขต.jpg"]))
    assert sorted(s.image_count for s in pm.submissions) == [1, 2, 3]
    (unassigned,) = [r for r in pm.reasons if r.code == "images.unassigned"]
    assert "แผนที่เขต.jpg" in unassigned.evidence


def test_a_forwarded_form_with_its_province_blank_takes_the_province_its_own_mail_names():
    # เฉลิมพระเกียรติ is a district of five provinces: only the forwarded mail's subject can say which
    korat = fm.Form("", "เฉลิมพระเกียรติ")
    buriram = fm.Form("", "เฉลิมพระเกียรติ", reporter="นางพรทิพย์ แสงทอง")
    mails = [
        fm.province_mail("แบบรายงานอำเภอต้นแบบ จังหวัดนครราชสีมา", "ปค. <a@example.go.th>", form=korat,
                         photos=["a.jpg"]),
        fm.province_mail("แบบรายงานอำเภอต้นแบบ จังหวัดบุรีรัมย์", "ปค. <b@example.go.th>", form=buriram,
                         photos=["b.jpg", "c.jpg"]),
    ]
    pm = _parse(fm.forwarding("Fwd: แบบรายงานอำเภอต้นแบบ เขต 13", mails))
    subs = _by_province(pm)
    assert {code: (s.district_code, s.image_count) for code, s in subs.items()} == {
        "30": ("3032", 1), "31": ("3123", 2)}
    assert subs["31"].provenance["province"].source == "forwarded"
    assert not any(s.review_reasons for s in pm.submissions)


def test_the_same_photo_forwarded_in_two_provinces_mails_counts_on_both():
    mails = [fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค.ลพบุรี <lopburi@example.go.th>", form=LOPBURI,
                              photos=["IMG_0001.jpg"]),
             fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค.สิงห์บุรี <singburi@example.go.th>", form=SINGBURI,
                              photos=["IMG_0002.jpg"])]
    mails[1].add_attachment(mails[0].get_payload()[-1].get_content(), maintype="image", subtype="jpeg",
                            filename="ภาพร่วม.jpg")  # the same bytes the first province sent
    pm = _parse(fm.forwarding("Fwd: แบบรายงาน 2 จังหวัด", mails))
    assert {s.province_code: s.image_count for s in pm.submissions} == {"16": 1, "17": 2}
    assert set(_by_province(pm)["16"].images) < set(_by_province(pm)["17"].images)


def test_forms_of_two_forwarded_mails_that_name_no_province_are_two_submissions_left_to_a_person():
    # the outer subject names one province, but nothing says which of the two forms is its
    mails = [fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค. <a@example.go.th>", form=fm.Form("", "เฉลิมพระเกียรติ")),
             fm.province_mail("แบบรายงานอำเภอต้นแบบ", "ปค. <b@example.go.th>",
                              form=fm.Form("", "เฉลิมพระเกียรติ", reporter="นางพรทิพย์ แสงทอง"))]
    pm = _parse(fm.forwarding("Fwd: แบบรายงานอำเภอต้นแบบ จังหวัดนครราชสีมา", mails))
    assert [(s.province_code, s.district_code) for s in pm.submissions] == [(None, None), (None, None)]
    assert all("province.form_unclear" in _codes(s.reasons) for s in pm.submissions)
    assert pm.status == "review"


def test_forwarded_mails_typed_into_their_bodies_each_make_a_submission_with_their_photos():
    mails = [
        fm.province_mail("แบบรายงานอำเภอต้นแบบ จังหวัดนครราชสีมา", "ปค. <a@example.go.th>",
                         form=fm.Form("", "เฉลิมพระเกียรติ"), form_in_body=True, photos=["a.jpg", "b.jpg"]),
        fm.province_mail("แบบรายงานอำเภอต้นแบบ จังหวัดบุรีรัมย์", "ปค. <b@example.go.th>",
                         form=fm.Form("", "เฉลิมพระเกียรติ"), form_in_body=True, photos=["c.jpg"]),
    ]
    pm = _parse(fm.forwarding("Fwd: แบบรายงาน 2 จังหวัด", mails))
    assert sorted((s.province_code, s.district_code, s.image_count) for s in pm.submissions) == [
        ("30", "3032", 2), ("31", "3123", 1)]
    assert sorted(s.slot for s in pm.submissions) == ["", "f2"]


def test_mails_pasted_after_forward_markers_each_make_a_submission_and_their_shared_photos_are_not_guessed():
    raw = fm.pasted_forwards("Fwd: แบบรายงานอำเภอต้นแบบ 2 จังหวัด", [
        ("ที่ทำการปกครองจังหวัดนครราชสีมา <korat@example.go.th>", "แบบรายงานอำเภอต้นแบบ",
         fm.Form("", "เฉลิมพระเกียรติ")),
        ("ที่ทำการปกครองจังหวัดบุรีรัมย์ <buriram@example.go.th>", "แบบรายงานอำเภอต้นแบบ",
         fm.Form("", "เฉลิมพระเกียรติ")),
    ], photos=["IMG_1.jpg", "IMG_2.jpg"])
    pm = _parse(raw)
    assert sorted((s.province_code, s.district_code, s.image_count) for s in pm.submissions) == [
        ("30", "3032", 0), ("31", "3123", 0)]
    assert "images.unassigned" in _codes(pm.reasons)


# --------------------------------------------------------------------------- summary tables

TITLE = "สรุปผลการคัดเลือกอำเภอต้นแบบ (Role Model) เขตตรวจราชการที่ 1"
ZONE1 = [("ลพบุรี", "โคกสำโรง"), ("สิงห์บุรี", "บางระจัน"), ("สระบุรี", "แก่งคอย"), ("อ่างทอง", "วิเศษชัยชาญ")]


@pytest.mark.parametrize("make, name, ctype", [(fm.summary_xlsx, "สรุป เขต 1.xlsx", fm.XLSX),
                                               (fm.summary_docx, "สรุป เขต 1.docx", fm.DOCX)])
def test_a_summary_table_makes_one_submission_per_row(make, name, ctype):
    data = make(TITLE, fm.SUMMARY_HEADER, fm.summary_rows(ZONE1))
    pm = _parse(fm.with_file("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 1", data, name, ctype, "sum@example.go.th"))
    got = sorted((s.province_code, s.district_code, s.zone, s.reporter_name) for s in pm.submissions)
    assert got == [("15", "1506", 1, "นางพรทิพย์ แสงทอง"), ("16", "1603", 1, "นายสมชาย ใจดี"),
                   ("17", "1702", 1, "นางสาววรรณา ศรีสุข"), ("19", "1902", 1, "นายประเสริฐ ทองคำ")]
    assert pm.status == "submission"
    assert [s.slot for s in pm.submissions] == ["", "0-1", "0-2", "0-3"]


def test_a_summary_table_pasted_into_the_mail_makes_one_submission_per_row():
    raw = fm.html_table_mail("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 1", TITLE, fm.SUMMARY_HEADER, fm.summary_rows(ZONE1[:3]),
                             "html@example.go.th")
    pm = _parse(raw)
    assert sorted((s.province_code, s.district_code, s.zone) for s in pm.submissions) == [
        ("16", "1603", 1), ("17", "1702", 1), ("19", "1902", 1)]
    assert [s.slot for s in pm.submissions] == ["", "b1", "b2"]
    assert pm.status == "submission"


def test_a_summary_row_that_cannot_be_placed_goes_to_review_with_its_reason_and_the_others_count():
    rows = fm.summary_rows([("ลพบุรี", "โคกสำโรง"), ("เมืองลับแล", "ท่าเรือ"), ("สระบุรี", "ชุมแสง")])
    data = fm.summary_docx(TITLE, fm.SUMMARY_HEADER, rows)
    pm = _parse(fm.with_file("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 1", data, "สรุป.docx", fm.DOCX, "bad@example.go.th"))
    assert pm.status == "review"
    subs = _by_province(pm)
    assert (subs["16"].district_code, subs["16"].review_reasons) == ("1603", [])
    assert subs["19"].district_code is None
    assert "district.not_in_province" in _codes(subs["19"].reasons)
    assert {"province.not_in_gazetteer", "province.form_unclear"} <= _codes(subs[None].reasons)


def test_a_summary_row_whose_zone_differs_from_the_gazetteer_is_flagged():
    header = ["ลำดับ", "เขต", "จังหวัด", "อำเภอ (ต้นแบบ)", "ผู้รายงาน"]
    rows = [["1", "1", "ลพบุรี", "โคกสำโรง", "นายสมชาย ใจดี"], ["2", "3", "สิงห์บุรี", "บางระจัน", "นายอนุชา บุญมา"]]
    pm = _parse(fm.with_file("สรุปผลการคัดเลือกอำเภอต้นแบบ", fm.summary_xlsx("สรุปผลการคัดเลือกอำเภอต้นแบบ", header, rows),
                             "สรุป.xlsx", fm.XLSX, "zone@example.go.th"))
    subs = _by_province(pm)
    assert (subs["16"].zone_written, _codes(subs["16"].reasons)) == (1, set())
    assert (subs["17"].zone, subs["17"].zone_written) == (1, 3)
    assert "zone.mismatch" in _codes(subs["17"].reasons)


@pytest.mark.parametrize("make, name, ctype", [(fm.summary_xlsx, "แบบสรุป.xlsx", fm.XLSX),
                                               (fm.summary_docx, "แบบสรุป.docx", fm.DOCX)])
def test_a_blank_summary_table_is_a_template_not_a_submission(make, name, ctype):
    rows = [[str(i), "", "", "", ""] for i in range(1, 6)]
    pm = _parse(fm.with_file("แบบสรุปผลการคัดเลือกอำเภอต้นแบบ", make(TITLE, fm.SUMMARY_HEADER, rows), name, ctype,
                             "blank@example.go.th"))
    assert pm.submissions == []
    assert "other.blank_template" in _codes(pm.reasons)


def test_summary_rows_keep_their_keys_across_a_reparse_and_decisions_apply_by_them(tmp_path: Path):
    data = fm.summary_docx(TITLE, fm.SUMMARY_HEADER, fm.summary_rows(ZONE1))
    eml = tmp_path / "summary.eml"
    eml.write_bytes(fm.with_file("สรุปผลการคัดเลือกอำเภอต้นแบบ เขต 1", data, "สรุป.docx", fm.DOCX, "keys@example.go.th"))
    db = tmp_path / "a.db"
    assert run_cli("--db", str(db), "import", str(eml)).returncode == 0

    def rows():
        with sqlite3.connect(db) as c:
            return c.execute("SELECT key, province_code, district_code FROM submissions ORDER BY key").fetchall()

    before = rows()
    assert sorted(r[1] for r in before) == ["15", "16", "17", "19"]
    (message,) = {r[0].split(".")[0] for r in before}
    assert sorted(r[0] for r in before) == [message, f"{message}.0-1", f"{message}.0-2", f"{message}.0-3"]
    angthong = next(r[0] for r in before if r[1] == "15")
    result = run_cli("--db", str(db), "review", "decide", angthong, "set", "district=ไชโย", "--by", "somchai")
    assert result.returncode == 0, result.stderr
    assert run_cli("--db", str(db), "reparse").returncode == 0
    after = rows()
    assert [r[:2] for r in after] == [r[:2] for r in before]
    assert next(r[2] for r in after if r[1] == "15") == "1502"


# --------------------------------------------------------------------------- zones in words


def _zone_form(zone: str, msgid: str):
    m = fm.outer("แบบรายงานอำเภอต้นแบบ จังหวัดนครสวรรค์", "ส่งแบบรายงานตามไฟล์แนบ", msgid=msgid)
    m.add_attachment(fm.form_docx(fm.Form("นครสวรรค์", "ชุมแสง", zone=zone)), maintype=fm.DOCX[0],
                     subtype=fm.DOCX[1], filename="แบบรายงาน.docx")
    (s,) = _parse(bytes(m)).submissions
    return s


@pytest.mark.parametrize("written, number", [("สิบแปด", 18), (" สิบแปด", 18), ("ตรวจราชการที่ สิบแปด", 18)])
def test_a_zone_written_in_words_reads_as_its_number(written, number):
    s = _zone_form(written, "z18@example.go.th")
    assert (s.province_code, s.district_code, s.zone, s.zone_written) == ("60", "6003", 18, number)
    assert "zone.mismatch" not in _codes(s.reasons)


def test_a_zone_in_words_that_differs_from_the_gazetteer_is_flagged_and_a_word_that_only_starts_like_one_is_none():
    three = _zone_form("ตรวจราชการที่ สาม", "z3@example.go.th")
    assert (three.zone, three.zone_written) == (18, 3)
    assert "zone.mismatch" in _codes(three.reasons)
    # the zone left blank, and the next words start like a number (สามารถ: "can")
    blank = _zone_form("..... สามารถติดต่อได้", "nozone@example.go.th")
    assert (blank.zone, blank.zone_written) == (18, None)


# --------------------------------------------------------------------------- through the store


def test_the_store_keeps_each_file_s_forwarded_mail_and_each_submission_s_own_photos(tmp_path: Path):
    from areaplan.store import selection as sel
    from areaplan.store.db import open_db

    eml = tmp_path / "fwd.eml"
    eml.write_bytes(_three_forwarded(outer_photos=["แผนที่เขต.jpg"]))
    db_path = tmp_path / "a.db"
    assert run_cli("--db", str(db_path), "import", str(eml)).returncode == 0
    with sqlite3.connect(db_path) as c:
        origins = c.execute("SELECT origin, COUNT(*) FROM attachments GROUP BY origin ORDER BY origin").fetchall()
        subs = c.execute("SELECT id, key, province_code, image_count FROM submissions ORDER BY province_code").fetchall()
        counted = dict(c.execute("SELECT s.province_code, COUNT(si.image) FROM submissions s LEFT JOIN"
                                 " submission_images si ON si.submission_key = s.key GROUP BY s.key").fetchall())
        outer_sha = c.execute("SELECT image FROM message_images WHERE filename = 'แผนที่เขต.jpg'").fetchone()[0]
    assert origins == [("", 1), ("1", 2), ("2", 3), ("3", 4)]
    assert counted == {"16": 1, "17": 2, "19": 3} == {code: n for _id, _key, code, n in subs}
    db = open_db(db_path)
    shown = {}
    for sid, key, code, n in subs:
        nominee = sel.Nominee(province_code=code, province_th="", district_code=None, district_th=None,
                              submission_id=sid, submission_key=key, received_at=fm.RECEIVED, reporter_name=None,
                              reporter_position=None, image_count=n, needs_review=False, narrative=None)
        shown[code] = {p["sha256"] for p in sel.nominee_photos(db, nominee)}
    assert [len(shown[c]) for c in ("16", "17", "19")] == [1, 2, 3]
    assert not (shown["16"] & shown["17"]) and not (shown["17"] & shown["19"])
    assert all(outer_sha not in photos for photos in shown.values())
