"""Spreadsheets and edited Word files: the form's answers read from cells, tracked changes,
content controls and form fields, and hostile office files that stay bounded.

Every file is made by ``tests/office_files.py`` (openpyxl, xlwt, odfpy, python-docx and raw
XML), which imports nothing of areaplan; the expected values are the answers it was given.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import office_files as of
import pytest
from ingest_helpers import run_cli

from areaplan.parsers.pipeline import parse_raw
from areaplan.parsers.readers import read_attachment
from areaplan.parsers.role_model_form import read_form_entries
from areaplan.parsers.types import ParseSettings

RECEIVED = "2021-03-29T03:00:00+00:00"
KHON_KAEN, CHIANG_MAI, KORAT = of.PLACES[0], of.PLACES[1], of.PLACES[2]


def parse(raw: bytes):
    return parse_raw(raw, ParseSettings(), RECEIVED)


def role_model_mail(data: bytes, filename: str, ctype: tuple[str, str], msgid: str, province: str = "") -> bytes:
    subject = f"ส่งแบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model) {province}".strip()
    return of.mail(data, filename, ctype, subject=subject, msgid=msgid)


def codes(pm) -> tuple[str | None, str | None]:
    s = pm.submission
    return (s.province_code, s.district_code) if s else (None, None)


def forms_read(data: bytes, filename: str) -> list[tuple[str | None, str | None]]:
    r = read_attachment(filename, "", data)
    return [(f.province_code, f.district_code) for f in map(read_form_entries, r.cell_forms)]


# --------------------------------------------------------------------------- layouts


@pytest.mark.parametrize("layout", [of.layout_label_left, of.layout_label_above, of.layout_one_cell,
                                    of.layout_sentence])
def test_an_xlsx_form_gives_the_province_and_district_of_its_cells(layout):
    a = CHIANG_MAI
    pm = parse(role_model_mail(of.xlsx({"แบบฟอร์ม": layout(a)}), "แบบฟอร์ม.xlsx", of.XLSX_TYPE, f"x-{layout.__name__}"))
    assert codes(pm) == (a.province_code, a.district_code)
    assert pm.campaign == "role_model" and pm.status == "submission"
    s = pm.submission
    assert s.reporter_name == a.reporter
    assert "บูรณาการร่วมกับภาคเอกชน" in s.narrative


def test_the_answers_of_a_label_left_sheet_come_with_their_cells():
    r = read_attachment("f.xlsx", "", of.xlsx({"แบบฟอร์ม": of.layout_label_left(KORAT)}))
    (form,) = [read_form_entries(f) for f in r.cell_forms]
    assert form.locations["province"] == "แบบฟอร์ม!B4"
    assert form.locations["district"] == "แบบฟอร์ม!B5"
    assert form.locations["reporter_name"] == "แบบฟอร์ม!B10"
    assert form.reporter_position == KORAT.reporter_position
    assert form.phones == [KORAT.phone]
    assert sorted(form.criteria) == [1, 2, 3, 4]


def test_an_xls_workbook_is_read_like_an_xlsx():
    a = KHON_KAEN
    pm = parse(role_model_mail(of.xls({"Sheet1": of.layout_label_left(a)}), "form.xls", of.XLS_TYPE, "xls-1"))
    assert pm.attachments[0].kind == "xls"
    assert codes(pm) == (a.province_code, a.district_code)
    assert pm.submission.reporter_name == a.reporter


def test_an_ods_spreadsheet_with_spans_and_a_million_repeated_rows_is_read():
    a = of.PLACES[3]
    pm = parse(role_model_mail(of.ods({"แบบฟอร์ม": of.layout_label_above(a)}), "form.ods", of.ODS_TYPE, "ods-1"))
    assert pm.attachments[0].kind == "ods"
    assert pm.attachments[0].problems == []
    assert codes(pm) == (a.province_code, a.district_code)


@pytest.mark.parametrize(("encoding", "delimiter", "name"), [
    ("cp874", ",", "form.csv"),  # TIS-620, as Thai Windows saves "CSV"
    ("utf-16", "\t", "form.tsv"),  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    ("utf-8-sig", ",", "form.csv"),  # Excel's "CSV UTF-8"
])
def test_a_csv_or_tsv_form_is_read_whatever_its_charset(encoding, delimiter, name):
    a = of.PLACES[4]
    data = of.csv_bytes(of.layout_label_left(a), encoding, delimiter)
    pm = parse(role_model_mail(data, name, of.CSV_TYPE, f"csv-{encoding}"))
    assert pm.attachments[0].kind == "csv"
    assert codes(pm) == (a.province_code, a.district_code)


def test_an_odt_form_in_a_table_of_labels_and_answers_is_read():
    a = of.PLACES[5]
    pm = parse(role_model_mail(of.odt(of.layout_label_left(a)), "form.odt", of.ODT_TYPE, "odt-1"))
    assert pm.attachments[0].kind == "odt"
    assert codes(pm) == (a.province_code, a.district_code)


def test_an_odt_with_a_tracked_deletion_is_read_as_accepted_and_noted():
    a = of.PLACES[5]
    r = read_attachment("form.odt", "", of.odt_with_tracked_deletion(of.layout_label_left(a), "ภูเวียง"))
    assert "ภูเวียง" not in r.text and a.district in r.text
    assert [x.code for x in r.reasons] == ["attachment.changes_pending"]


# --------------------------------------------------------------------------- several forms, blank forms


def test_a_table_of_provinces_gives_one_form_per_row():
    rows = of.PLACES[:4]
    assert forms_read(of.xlsx({"สรุป": of.layout_table(rows)}), "summary.xlsx") == [
        (a.province_code, a.district_code) for a in rows]


def test_each_sheet_of_a_workbook_is_a_form_of_its_own():
    sheets = {a.province: of.layout_label_left(a) for a in of.PLACES[:3]}
    r = read_attachment("zone.xlsx", "", of.xlsx(sheets))
    assert [(f.province_code, f.district_code) for f in map(read_form_entries, r.cell_forms)] == [
        (a.province_code, a.district_code) for a in of.PLACES[:3]]
    assert len(r.sections) == 3
    assert [f.locations["province"].split("!")[0] for f in map(read_form_entries, r.cell_forms)] == [
        a.province for a in of.PLACES[:3]]


def test_a_table_row_left_blank_is_no_form():
    rows = [of.PLACES[0], of.Answers("", ""), of.PLACES[1]]
    assert forms_read(of.xlsx({"สรุป": of.layout_table(rows)}), "t.xlsx") == [
        (of.PLACES[0].province_code, of.PLACES[0].district_code),
        (of.PLACES[1].province_code, of.PLACES[1].district_code)]


@pytest.mark.parametrize(("write", "name", "ctype"), [
    (of.xlsx, "template.xlsx", of.XLSX_TYPE), (of.xls, "template.xls", of.XLS_TYPE),
    (of.ods, "template.ods", of.ODS_TYPE)])
def test_a_blank_template_is_not_a_submission(write, name, ctype):
    pm = parse(role_model_mail(write({"แบบฟอร์ม": of.layout_blank()}), name, ctype, f"blank-{name}"))
    assert pm.submission is None
    assert pm.status == "other"
    assert "other.blank_template" in [r.code for r in pm.reasons]


def test_labels_without_the_campaign_words_make_no_role_model_form():
    cells = [(0, 0, "ทะเบียนผู้ประสานงานโครงการชลประทาน", None), (1, 0, "จังหวัด", None),
             (1, 1, "อำเภอ", None), (2, 0, "ขอนแก่น", None), (2, 1, "ชุมแพ", None)]
    r = read_attachment("other.xlsx", "", of.xlsx({"Sheet1": cells}))
    assert [read_form_entries(f).is_form for f in r.cell_forms] == [False]


# --------------------------------------------------------------------------- through the store


@pytest.fixture(scope="module")
def office_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("office")
    mails = {
        "label-left": role_model_mail(of.xlsx({"แบบฟอร์ม": of.layout_label_left(KORAT)}), "form.xlsx",
                                      of.XLSX_TYPE, "store-xlsx"),
        "blank": role_model_mail(of.xlsx({"แบบฟอร์ม": of.layout_blank()}), "template.xlsx", of.XLSX_TYPE,
                                 "store-blank"),
        "edited": role_model_mail(of.edited_docx(KHON_KAEN, wrong_district="ภูเวียง"), "form.docx",
                                  of.DOCX_TYPE, "store-docx"),
    }
    for name, raw in mails.items():
        (tmp / f"{name}.eml").write_bytes(raw)
    db = tmp / "office.db"
    result = run_cli("--db", str(db), "import", *(str(tmp / f"{n}.eml") for n in mails))
    assert result.returncode == 0, result.stderr
    return db


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(sql, params).fetchall()


def test_a_spreadsheet_form_is_stored_with_the_cell_of_each_answer(office_db):
    assert query(office_db, "SELECT province_code, district_code, status FROM submissions s "
                 "JOIN parsed_messages p ON p.message = s.message WHERE s.message_id = ?", ("store-xlsx@example.go.th",)
                 ) == [(KORAT.province_code, KORAT.district_code, "submission")]
    methods = dict(query(office_db, "SELECT field, method FROM field_provenance WHERE submission_key = "
                         "(SELECT key FROM submissions WHERE message_id = ?)", ("store-xlsx@example.go.th",)))
    assert methods["district"] == "form cell แบบฟอร์ม!B5"
    assert methods["province"] == "form cell แบบฟอร์ม!B4"
    assert methods["criteria"] == methods["narrative"] == "form cell แบบฟอร์ม!B6"


def test_a_blank_template_is_stored_as_other_mail_without_a_submission(office_db):
    assert query(office_db, "SELECT count(*) FROM submissions WHERE message_id = ?",
                 ("store-blank@example.go.th",)) == [(0,)]
    assert query(office_db, "SELECT p.status FROM parsed_messages p JOIN messages m ON m.id = p.message "
                 "WHERE m.message_id = ?", ("store-blank@example.go.th",)) == [("other",)]


def test_a_word_form_with_tracked_changes_counts_the_accepted_district(office_db):
    assert query(office_db, "SELECT province_code, district_code FROM submissions WHERE message_id = ?",
                 ("store-docx@example.go.th",)) == [(KHON_KAEN.province_code, KHON_KAEN.district_code)]
    assert query(office_db, "SELECT severity FROM reasons WHERE code = 'attachment.changes_pending'") == [("note",)]


def test_staff_read_how_many_changes_were_pending_and_in_which_file(office_db):
    [(text,)] = query(office_db, "SELECT text_th FROM reasons WHERE code = 'attachment.changes_pending'")
    assert re.search(r"\.docx: \d+ แห่ง มีการแก้ไขที่ยังไม่ได้ยอมรับ", text), text


# --------------------------------------------------------------------------- Word as edited


def test_tracked_changes_are_read_as_accepted_and_noted():
    r = read_attachment("form.docx", "", of.edited_docx(KHON_KAEN, wrong_district="ภูเวียง"))
    assert "ได้พิจารณาคัดเลือกอำเภอชุมแพ เป็นอำเภอต้นแบบ" in r.text
    assert "ภูเวียง" not in r.text  # the deleted word, the deleted row and the comment
    assert "ข้อความที่ย้ายออกไปแล้ว" not in r.text
    assert "แถวที่ยังอยู่" in r.text
    assert [x.code for x in r.reasons] == ["attachment.changes_pending"]


def test_content_controls_and_form_fields_are_answers_but_placeholders_are_not():
    pm = parse(role_model_mail(of.edited_docx(CHIANG_MAI, wrong_district="สันทราย"), "f.docx", of.DOCX_TYPE, "d2"))
    assert codes(pm) == (CHIANG_MAI.province_code, CHIANG_MAI.district_code)
    assert pm.submission.reporter_name == CHIANG_MAI.reporter  # the FORMTEXT field's result
    assert CHIANG_MAI.phone in pm.submission.phones  # in a text box
    text = pm.attachments[0].text
    assert "Click" not in text and "enter" not in text
    assert "ระดับผลงาน ดีเด่น" in text  # the drop-down's chosen entry
    assert pm.status == "submission"  # pending changes are a note, not a review


def test_a_utf16_document_part_is_read_and_utf32_or_utf7_parts_are_refused():
    body = ('<?xml version="1.0" encoding="{enc}"?><w:document xmlns:w="' + of.W_NS + '"><w:body><w:p><w:r>'
            "<w:t>จังหวัดขอนแก่น</w:t></w:r></w:p></w:body></w:document>")
    utf16 = of.docx_with_document_xml(body.format(enc="UTF-16").encode("utf-16"))
    assert "จังหวัดขอนแก่น" in read_attachment("a.docx", "", utf16).text
    utf32 = of.docx_with_document_xml(body.format(enc="UTF-32").encode("utf-32"))
    assert "UTF-32" in read_attachment("b.docx", "", utf32).problems[0]
    utf7 = of.docx_with_document_xml(body.format(enc="UTF-7").encode("ascii", "replace"))
    assert "encoding UTF-7" in read_attachment("c.docx", "", utf7).problems[0]
    doctype = body.format(enc="UTF-16").replace("?>", '?><!DOCTYPE w [<!ENTITY a "b">]>', 1)
    hidden = of.docx_with_document_xml(doctype.encode("utf-16"))
    assert "DTD" in read_attachment("d.docx", "", hidden).problems[0]


# --------------------------------------------------------------------------- hostile


def test_a_sheet_of_a_million_rows_is_read_up_to_the_row_limit_with_a_reason():
    from areaplan.parsers.spreadsheets import MAX_ROWS

    data = of.xlsx_rows(1_000_000, first=[of.TITLE, "จังหวัด: ขอนแก่น", "อำเภอที่ได้รับการคัดเลือก: ชุมแพ"])
    r = read_attachment("big.xlsx", "", data)
    assert any(f"more than {MAX_ROWS} rows" in p for p in r.problems)
    assert len(r.text.split("\n")) <= MAX_ROWS + 1
    assert [(f.province_code, f.district_code) for f in map(read_form_entries, r.cell_forms)] == [("40", "4005")]


def test_a_huge_shared_strings_table_is_refused_before_it_is_loaded():
    r = read_attachment("strings.xlsx", "", of.xlsx_shared_strings(24))
    assert r.kind == "xlsx" and "shared strings" in r.problems[0]


def test_a_spreadsheet_zip_bomb_is_refused():
    r = read_attachment("bomb.xlsx", "", of.xlsx_bomb(1.0))
    assert r.kind == "xlsx" and "zip bomb" in r.problems[0]


def test_a_sheet_of_nothing_but_labels_gives_a_bounded_number_of_blank_forms():
    from areaplan.parsers.spreadsheets import MAX_FORMS

    r = read_attachment("labels.xlsx", "", of.xlsx_of_labels())
    assert 0 < len(r.cell_forms) <= MAX_FORMS
    assert all(not e.value for form in r.cell_forms for e in form if e.field != "title")


def test_a_csv_of_a_million_rows_is_bounded_with_a_reason():
    r = read_attachment("rows.csv", "text/csv", of.csv_rows(1_000_000))
    assert any("more than" in p and "rows" in p for p in r.problems)


def test_a_hostile_spreadsheet_sends_its_message_to_review_with_the_file_named():
    pm = parse(role_model_mail(of.xlsx_shared_strings(24), "strings.xlsx", of.XLSX_TYPE, "hostile-1", "ขอนแก่น"))
    assert ("attachment.unreadable", "strings.xlsx") in [(r.code, r.source) for r in pm.all_reasons()]
    assert pm.status == "review"
