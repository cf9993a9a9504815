"""Specs for parsers.role_model_form: reading the อำเภอต้นแบบ (Role Model) report form.

The form texts are built from the blank form sent with letter มท ๐๓๐๕.๑/๑๙๐๒๙
(copied verbatim from the project's seed into form_texts.py), filled in the ways people
really fill it, for many provinces and districts drawn from the gazetteer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from bounds import bound
from form_texts import (
    BLANK_FORM,
    NAME_BLANK,
    NARRATIVE,
    POSITION_BLANK,
    SAMPLE,
    SENTENCE_BLANK,
    ZONE_BLANK,
    district_word,
    dots,
    fill,
    written_district,
)

from areaplan.core.gazetteer import District, Gazetteer
from areaplan.parsers.role_model_form import FormFields, read_form

GAZ = Gazetteer.load()

# --------------------------------------------------------------------------- fill styles


def _plain(d: District) -> str:
    p = GAZ.province(d.province_code)
    return (
        f"ที่ทำการปกครองจังหวัด{p.name_th} ได้พิจารณาคัดเลือก{district_word(d)}{written_district(d, False)}"
    )


def _abbreviated(d: District) -> str:
    p = GAZ.province(d.province_code)
    prov = "กทม." if p.code == "10" else f"จ.{p.name_th}"
    dist = f"เขต{d.name_th}" if d.kind == "khet" else f"อ.{written_district(d, True)}"
    return f"ปค.{prov} ได้พิจารณาคัดเลือก {dist}"


def _next_line(d: District) -> str:
    p = GAZ.province(d.province_code)
    return f"{SENTENCE_BLANK}\n          {p.name_th}                         {written_district(d, True)}"


def _line_above(d: District) -> str:
    p = GAZ.province(d.province_code)
    return f"            {p.name_th}                    {d.name_th}\n{SENTENCE_BLANK}"


def _split_lines(d: District) -> str:
    p = GAZ.province(d.province_code)
    return f"ที่ทำการปกครองจังหวัด\n{p.name_th}\nได้พิจารณาคัดเลือก{district_word(d)}\n{d.name_th}"


def _table(d: District) -> str:
    p = GAZ.province(d.province_code)
    return f"จังหวัด | {p.name_th}\nอำเภอที่ได้รับการคัดเลือก | {written_district(d, False)}"


def _spaced(d: District) -> str:
    """PDF extraction: stray spaces inside words and around the answers."""
    p = GAZ.province(d.province_code)
    pn, dn = p.name_th, d.name_th
    pn = pn[:2] + " " + pn[2:] if len(pn) > 4 else pn
    return f"ที่ทำ การปกครอง จังหวัด   {pn}   ได้ พิจารณา คัดเลือก{district_word(d)}   {dn}  "


def _glued(d: District) -> str:
    """Typed over the dots with no space at all."""
    p = GAZ.province(d.province_code)
    return f"ที่ทำการปกครองจังหวัด{p.name_th}ได้พิจารณาคัดเลือก{district_word(d)}{d.name_th}"


def _header_row_table(d: District) -> str:
    """A DOCX table with a header row and the answers in the row below (tab-separated)."""
    p = GAZ.province(d.province_code)
    return f"ลำดับ\tจังหวัด\tอำเภอที่ได้รับการคัดเลือก\n1\t{p.name_th}\t{written_district(d, False)}"


def _english(d: District) -> str:
    p = GAZ.province(d.province_code)
    return f"Province: {p.name_en}\nDistrict: {d.name_en}"


STYLES: dict[str, Callable[[District], str]] = {
    "dots": dots,
    "plain": _plain,
    "abbreviated": _abbreviated,
    "next_line": _next_line,
    "line_above": _line_above,
    "split_lines": _split_lines,
    "table": _table,
    "spaced": _spaced,
    "english": _english,
    "glued": _glued,
    "header_row_table": _header_row_table,
}


def _check_resolves(f: FormFields, d: District) -> None:
    """The answers are confirmed codes, and re-resolving the texts (as the pipeline does) agrees."""
    assert f.province_code == d.province_code
    assert f.district_code == d.code
    assert GAZ.resolve_province(f.province_text).code == d.province_code
    assert GAZ.resolve_district(f.district_text, d.province_code).code == d.code


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("d", SAMPLE, ids=lambda d: d.code)
def test_fill_styles_resolve_province_and_district(style: str, d: District) -> None:
    f = read_form(fill(STYLES[style](d)))
    assert f.is_form
    _check_resolves(f, d)


@pytest.mark.parametrize("d", SAMPLE, ids=lambda d: d.code)
def test_province_only_in_the_signature(d: District) -> None:
    p = GAZ.province(d.province_code)
    sentence = f"ที่ทำการปกครองจังหวัด.....ได้พิจารณาคัดเลือก{district_word(d)}.....{d.name_th}....."
    f = read_form(fill(sentence, position_place=p.name_th))
    _check_resolves(f, d)
    assert f.reporter_position == f"ปลัดจังหวัด{p.name_th}"


@pytest.mark.parametrize("d", SAMPLE, ids=lambda d: d.code)
def test_form_pasted_into_a_quoted_email_body(d: District) -> None:
    form = fill(dots(d))
    body = (
        "เรียน กองวิชาการและแผนงาน\n\nส่งแบบรายงานตามเอกสารด้านล่างครับ\n\n"
        "---------- Forwarded message ---------\nFrom: ปค.จ. <pkj@example.go.th>\n"
        "Subject: แบบรายงาน\n\n" + "\n".join("> " + line for line in form.split("\n"))
    )
    f = read_form(body)
    assert f.is_form
    _check_resolves(f, d)


# --------------------------------------------------------------------------- specific behaviours


def test_blank_form_is_a_form_with_no_answers() -> None:
    f = read_form(BLANK_FORM)
    assert f.is_form
    assert f.province_text is None and f.district_text is None
    assert f.narrative is None and f.zone_number is None
    assert f.reporter_name is None and f.phones == []
    assert any("blank" in n for n in f.confidence_notes)


def test_unrelated_text_is_not_a_form() -> None:
    f = read_form("สวัสดีครับ ขอเชิญประชุมวันจันทร์ที่ ๕ เมษายน ๒๕๖๔ ณ จังหวัดเชียงใหม่")
    assert not f.is_form


def test_empty_text_gives_empty_fields() -> None:
    assert read_form("") == FormFields()


def test_bangkok_written_as_abbreviation_with_khet() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....กทม.....ได้พิจารณาคัดเลือก....เขตจอมทอง...."))
    assert (f.province_code, f.district_code) == ("10", "1035")


def test_chom_thong_in_chiang_mai_is_not_the_bangkok_khet() -> None:
    f = read_form(fill(dots(GAZ.district("5002"))))
    assert f.district_code == "5002"


def test_ayutthaya_capital_written_as_amphoe_mueang() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....พระนครศรีอยุธยา.....ได้พิจารณาคัดเลือกอำเภอ....เมือง...."))
    assert f.district_code == "1401"


def test_non_capital_mueang_district_is_not_the_capital() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....นครราชสีมา.....ได้พิจารณาคัดเลือกอำเภอ....เมืองยาง...."))
    assert f.district_code == "3027"


def test_district_with_hyphen_written_without_it() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....นราธิวาส.....ได้พิจารณาคัดเลือกอำเภอ....สุไหงโกลก...."))
    assert f.district_code == "9610"


def test_chaloem_phra_kiat_needs_and_gets_the_province() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....น่าน.....ได้พิจารณาคัดเลือกอำเภอ....เฉลิมพระเกียรติ...."))
    assert f.district_code == "5515"


def test_ambiguous_district_without_province_gives_no_code() -> None:
    text = fill("ที่ทำการปกครองจังหวัด..........ได้พิจารณาคัดเลือกอำเภอ....เฉลิมพระเกียรติ....")
    f = read_form(text.replace(POSITION_BLANK, "ตำแหน่ง"))
    assert f.province_code is None and f.district_code is None
    assert f.district_text == "เฉลิมพระเกียรติ"


def test_unique_district_without_province_infers_the_province() -> None:
    text = fill("ที่ทำการปกครองจังหวัด..........ได้พิจารณาคัดเลือกอำเภอ....สันทราย....")
    f = read_form(text.replace(POSITION_BLANK, "ตำแหน่ง"))
    assert (f.province_code, f.district_code) == ("50", "5014")
    assert any("inferred from the district" in n for n in f.confidence_notes)


def test_district_typo_is_resolved_with_a_note() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....เชียงใหม่.....ได้พิจารณาคัดเลือกอำเภอ....สันทาย...."))
    assert f.district_code == "5014"
    assert any("fuzzy" in n for n in f.confidence_notes)


def test_province_typo_is_resolved_with_a_note() -> None:
    f = read_form(fill("ที่ทำการปกครองจังหวัด....เชียงใหม.....ได้พิจารณาคัดเลือกอำเภอ....สันทราย...."))
    assert f.province_code == "50"
    assert any("fuzzy" in n for n in f.confidence_notes)


def test_district_written_with_its_province() -> None:
    sentence = "ที่ทำการปกครองจังหวัด....ลำปาง.....ได้พิจารณาคัดเลือกอำเภอ....เกาะคา จังหวัดลำปาง...."
    f = read_form(fill(sentence))
    assert f.district_code == "5203"
    assert GAZ.resolve_district(f.district_text, "52").code == "5203"


def test_several_districts_nominated_are_all_listed() -> None:
    sentence = "ที่ทำการปกครองจังหวัด....เชียงใหม่.....ได้พิจารณาคัดเลือกอำเภอ....สันทราย และอำเภอแม่ริม...."
    f = read_form(fill(sentence))
    assert f.districts_mentioned == ["สันทราย", "แม่ริม"]
    assert f.district_code is None
    assert any("more than one district" in n for n in f.confidence_notes)


def test_signature_province_disagreeing_with_the_blank_is_noted() -> None:
    sentence = "ที่ทำการปกครองจังหวัด....เชียงใหม่.....ได้พิจารณาคัดเลือกอำเภอ....สันทราย...."
    f = read_form(fill(sentence, position_place="ลำพูน"))
    assert f.province_code == "50"
    assert any("signature" in n for n in f.confidence_notes)


def test_answers_on_separate_lines_below_each_label() -> None:
    d = GAZ.district("4005")  # อุบลรัตน์ (contains the alias อุบล of Ubon Ratchathani)
    f = read_form(fill(_split_lines(d)))
    _check_resolves(f, d)


def test_district_named_like_a_province_alias_does_not_change_the_province() -> None:
    f = read_form(fill(_next_line(GAZ.district("4005"))))
    assert f.province_code == "40"


def _pdf_table(d: District, zone: int) -> str:
    """A two-column table read from a PDF: label and answer separated by spaces, long
    cells wrapped onto several lines (even inside words), no dotted blanks."""
    p = GAZ.province(d.province_code)
    return (
        "แบบฟอร์มการคัดเลือก\nอำเภอต้นแบบ (Role Model)\nหัวข้อ รายละเอียด\n"
        f"เรียน ผู้\nตรวจราชการกรมการ\nปกครอง ประจำเขตตรวจ\nราชการที่ {zone}\n"
        f"ที่ทำการปกครองจังหวัด {p.name_th}\n"
        f"อำเภอที่ได้รับการคัดเลือก {written_district(d, True)}\n"
        "ผลการปฏิบัติงานที่โดดเด่น\nตามหลักเกณฑ์การคัดเลือกฯ\n"
        "1. นายอำเภอให้ความสำคัญกับโค\nรงการฯ\n2. ข้อมูลครบถ้วน\n"
        "ผู้\nรายงาน นายสมชาย จันทร์หอมกุล\n"
        f"ตำแหน่ง ปลัดจังหวัด_____\n{p.name_th}\n"
        "ผู้\nประสานงาน นางเบญจมาศ นาคสวัสดิ์กุล\nตำแหน่ง จ่าจังหวัด\n"
        "หมายเลขโทรศัพท์/โทรสาร 0-4413-1970\nจึงเรียนมาเพื่อโปรดพิจารณา"
    )


@pytest.mark.parametrize("d", SAMPLE, ids=lambda d: d.code)
def test_pdf_table_with_wrapped_cells(d: District) -> None:
    zone = GAZ.zone_of(d.province_code) or 1
    f = read_form(_pdf_table(d, zone))
    assert f.is_form
    _check_resolves(f, d)
    assert f.zone_number == zone
    assert f.reporter_name == "นายสมชาย จันทร์หอมกุล"
    assert f.reporter_position == "ปลัดจังหวัด" + GAZ.province(d.province_code).name_th
    assert f.coordinator_name == "นางเบญจมาศ นาคสวัสดิ์กุล"
    assert f.phones == ["0-4413-1970"]
    assert set(f.criteria) == {1, 2}
    assert "จึงเรียนมา" not in (f.narrative or "") and "รายงาน" not in (f.narrative or "")


def test_answers_typed_on_the_line_under_each_blank() -> None:
    text = (
        BLANK_FORM.replace(ZONE_BLANK, "เรียน ผู้ตรวจราชการกรมการปกครอง ประจำเขตตรวจราชการที่………\n๒")
        .replace(SENTENCE_BLANK, "ที่ทำการปกครองจังหวัด………\nลพบุรี\nได้พิจารณาคัดเลือกอำเภอ………\nหนองม่วง\n")
        .replace(POSITION_BLANK, "ตำแหน่ง ปลัดจังหวัด………\nลพบุรี")
        .replace(NAME_BLANK, "(นายสุรเชษฐ์ จันทร์หอมกุล)")
    )
    f = read_form(text)
    assert (f.province_code, f.district_code, f.zone_number) == ("16", "1611", 2)
    assert f.reporter_position == "ปลัดจังหวัดลพบุรี"


def test_list_item_after_an_empty_zone_blank_is_not_the_zone() -> None:
    text = "เรียน ผู้ตรวจราชการกรมการปกครอง ประจำเขตตรวจราชการที่………\n๑. ให้ที่ทำการปกครองจังหวัด"
    assert read_form(text).zone_number is None


def test_coordinator_position_wrapped_onto_the_next_line() -> None:
    coordinator = (
        "ผู้ประสานงาน ว่าที่ร้อยตรีหญิงวรรณา ทิพย์สุวรรณ์ ตำแหน่ง นัก\n"
        "วิเคราะห์นโยบายและแผนชำนาญการ\nหมายเลขโทรศัพท์/โทรสาร 083-245-3795"
    )
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.coordinator_position == "นักวิเคราะห์นโยบายและแผนชำนาญการ"


@pytest.mark.parametrize("d", SAMPLE[::4], ids=lambda d: d.code)
def test_best_practice_report_with_a_misspelt_province(d: District) -> None:
    p = GAZ.province(d.province_code)
    typo = p.name_th[:-2] + p.name_th[-1]  # one letter dropped near the end
    report = (
        "แบบรายงานผลการปฏิบัติงานที่เป็นแบบอย่างที่ดี (Best Practice)\n"
        f"จังหวัด{typo} ประจำเดือนกันยายน พ.ศ. 2564\n1. ชื่อผลงาน “น้ำดีมีทั่วถึง”\n"
        f"2. พื้นที่ดำเนินการ ตำบลหัวฝาย อำเภอ{d.name_th} จังหวัด{typo}\n"
    )
    f = read_form(report)
    assert f.province_code == d.province_code or f.province_code is None
    if f.province_code:
        assert not GAZ.resolve_province(f.province_text).confident
        assert f.district_code == d.code


def test_question_quoting_the_form_title_is_not_a_form() -> None:
    body = (
        "ขอแบบฟอร์มการคัดเลือกอำเภอต้นแบบ (Role Model) เป็นไฟล์ Word ด้วยค่ะ\n\n"
        "นายวีระพงษ์ ศักดิ์ดีวงศ์ษา\nที่ทำการปกครองจังหวัดลำพูน\nโทร. 055-043454"
    )
    assert not read_form(body).is_form


# --------------------------------------------------------------------------- zone


@pytest.mark.parametrize(
    ("written", "number"),
    [("๓", 3), ("3", 3), ("๑๕", 15), ("18", 18), (" ๗ ", 7)],
)
def test_zone_in_the_salutation(written: str, number: int) -> None:
    f = read_form(fill(dots(SAMPLE[0]), zone=written))
    assert f.zone_text == written.strip()
    assert f.zone_number == number


def test_zone_written_as_inspection_zone_number() -> None:
    text = fill(dots(SAMPLE[0])).replace(
        ZONE_BLANK, "เรียน ผู้ตรวจราชการกรมการปกครอง ประจำเขตตรวจราชการที่ ๑๒"
    )
    assert read_form(text).zone_number == 12


def test_zone_left_blank_is_none() -> None:
    f = read_form(fill(dots(SAMPLE[0])))
    assert f.zone_text is None and f.zone_number is None


def test_zone_out_of_range_is_noted() -> None:
    f = read_form(fill(dots(SAMPLE[0]), zone="25"))
    assert f.zone_number == 25
    assert any("not one of the 18" in n for n in f.confidence_notes)


# --------------------------------------------------------------------------- narrative and criteria


def test_narrative_is_the_text_after_khue_up_to_the_closing() -> None:
    f = read_form(fill(dots(SAMPLE[0])))
    assert f.narrative == NARRATIVE
    assert "จึงเรียนมา" not in f.narrative


@pytest.mark.parametrize(
    "marks",
    [
        ("๑.", "๒.", "๓.", "๔."),
        ("1.", "2.", "3.", "4."),
        ("ข้อ ๑", "ข้อ ๒", "ข้อ ๓", "ข้อ ๔"),
        ("(1)", "(2)", "(3)", "(4)"),
        ("1)", "2)", "3)", "4)"),
        ("ข้อที่ 1.", "ข้อที่ 2.", "ข้อที่ 3.", "ข้อที่ 4."),
    ],
)
def test_criteria_split_by_numbering(marks: tuple[str, ...]) -> None:
    bodies = ["บทบาทนายอำเภอโดดเด่น", "จัดเก็บข้อมูล 100%", "ลูกจ้างทำงานดี", "บูรณาการดี"]
    narrative = "\n".join(f"{m} {b}" for m, b in zip(marks, bodies, strict=True))
    f = read_form(fill(dots(SAMPLE[0]), narrative=narrative))
    assert f.criteria == dict(enumerate(bodies, start=1))


def test_criteria_sub_items_stay_inside_their_criterion() -> None:
    narrative = "๑. บทบาทนายอำเภอ\n๑.๑ กำหนดทิศทาง\n๑.๒ แปลงนโยบาย\n๒. การจัดเก็บข้อมูล ครบ ๑๐๐ %"
    f = read_form(fill(dots(SAMPLE[0]), narrative=narrative))
    assert set(f.criteria) == {1, 2}
    assert "๑.๒ แปลงนโยบาย" in f.criteria[1]


def test_criteria_inline_on_one_line() -> None:
    narrative = "(1) นายอำเภอเป็นผู้นำ (2) ข้อมูลครบถ้วน (3) ลูกจ้างขยัน (4) ภาคีเครือข่ายเข้มแข็ง"
    f = read_form(fill(dots(SAMPLE[0]), narrative=narrative))
    assert f.criteria == {
        1: "นายอำเภอเป็นผู้นำ",
        2: "ข้อมูลครบถ้วน",
        3: "ลูกจ้างขยัน",
        4: "ภาคีเครือข่ายเข้มแข็ง",
    }


def test_criteria_split_by_their_headings_when_not_numbered() -> None:
    narrative = (
        "บทบาทของนายอำเภอ นำทีมลงพื้นที่ทุกตำบล\n"
        "การดำเนินการจัดเก็บข้อมูล ครบทุกครัวเรือน\n"
        "ผลการปฏิบัติงานของลูกจ้าง ทำแอปพลิเคชัน\n"
        "การบูรณาการความร่วมมือ ร่วมกับภาคเอกชน"
    )
    f = read_form(fill(dots(SAMPLE[0]), narrative=narrative))
    assert set(f.criteria) == {1, 2, 3, 4}
    assert f.criteria[3].endswith("ทำแอปพลิเคชัน")


def test_unnumbered_narrative_gives_no_criteria() -> None:
    f = read_form(fill(dots(SAMPLE[0]), narrative="อำเภอมีผลงานโดดเด่นทุกด้าน"))
    assert f.narrative == "อำเภอมีผลงานโดดเด่นทุกด้าน"
    assert f.criteria == {}


# --------------------------------------------------------------------------- signature block


@pytest.mark.parametrize(
    "name",
    ["นายสมชาย ใจดี", "นางสาวสมศรี มีสุข", "ว่าที่ร้อยตรี สมหมาย ดีมาก", "นาง วิไล  รักงาน"],
)
def test_reporter_name_inside_parentheses_keeps_the_title(name: str) -> None:
    f = read_form(fill(dots(SAMPLE[0]), name=name))
    assert f.reporter_name == " ".join(name.split())


def test_reporter_position_joins_the_province() -> None:
    f = read_form(fill(dots(GAZ.district("5014")), position_place="เชียงใหม่"))
    assert f.reporter_position == "ปลัดจังหวัดเชียงใหม่"


def test_coordinator_on_one_line_with_labels() -> None:
    coordinator = (
        "ผู้ประสานงาน นางสาวสมศรี มีสุข ตำแหน่ง เจ้าพนักงานปกครองชำนาญงาน\n"
        "หมายเลขโทรศัพท์/โทรสาร ๐๘๑-๒๓๔-๕๖๗๘"
    )
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.coordinator_name == "นางสาวสมศรี มีสุข"
    assert f.coordinator_position == "เจ้าพนักงานปกครองชำนาญงาน"
    assert f.phones == ["081-234-5678"]


def test_coordinator_values_on_the_line_under_the_labels() -> None:
    coordinator = (
        "ผู้ประสานงาน ตำแหน่ง\nนายปกครอง ดีเด่น นักวิเคราะห์นโยบายและแผนปฏิบัติการ\n"
        "หมายเลขโทรศัพท์/โทรสาร 0-5311-2345"
    )
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.coordinator_name == "นายปกครอง ดีเด่น"
    assert f.coordinator_position == "นักวิเคราะห์นโยบายและแผนปฏิบัติการ"


def test_coordinator_with_colon_labels_on_two_lines() -> None:
    coordinator = "ผู้ประสานงาน : นางวิไล รักงาน\nตำแหน่ง : จ่าจังหวัด\nโทร. 053-112345"
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert (f.coordinator_name, f.coordinator_position) == ("นางวิไล รักงาน", "จ่าจังหวัด")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("๐-๒๒๒๕-๔๘๘๖", "0-2225-4886"),
        ("02-225-4886", "02-225-4886"),
        ("081-234-5678", "081-234-5678"),
        ("0812345678", "0812345678"),
        ("0 5311 2345 ต่อ 12", "0 5311 2345 ต่อ 12"),
        ("+66 81 234 5678", "+66 81 234 5678"),
        ("๐๙ ๘๗๖๕ ๔๓๒๑", "09 8765 4321"),
    ],
)
def test_phone_formats(written: str, expected: str) -> None:
    coordinator = f"ผู้ประสานงาน นายก ข ตำแหน่ง ปลัดอำเภอ\nหมายเลขโทรศัพท์/โทรสาร {written}"
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.phones == [expected]


def test_several_phones_in_order_without_duplicates() -> None:
    coordinator = (
        "ผู้ประสานงาน นายก ข ตำแหน่ง ปลัดอำเภอ\nโทร 081-234-5678 โทรสาร 0-5311-2345 มือถือ 081-234-5678"
    )
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.phones == ["081-234-5678", "0-5311-2345"]


def test_letter_numbers_dates_and_postcodes_are_not_phones() -> None:
    coordinator = (
        "ผู้ประสานงาน นายก ข ตำแหน่ง ปลัดอำเภอ\nที่ มท ๐๓๐๕.๑/๑๙๐๒๙ ลงวันที่ 28/03/2564 ถนนอัษฎางค์ 10200"
    )
    f = read_form(fill(dots(SAMPLE[0]), coordinator=coordinator))
    assert f.phones == []


def test_department_phone_in_the_covering_letter_is_not_the_senders() -> None:
    letter = "กองวิชาการและแผนงาน\nโทร./โทรสาร ๐-๒๒๒๕-๔๘๘๖\n\n"
    f = read_form(letter + fill(dots(SAMPLE[0])))
    assert f.phones == []


# --------------------------------------------------------------------------- form detection


def test_table_layout_without_the_sentence_is_a_form() -> None:
    text = (
        "แบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model)\n"
        "จังหวัด\tเชียงใหม่\nอำเภอที่ได้รับการคัดเลือก\tแม่ริม\n"
        "ผลการปฏิบัติงานที่โดดเด่น\t๑. นายอำเภอเป็นผู้นำ ๒. ข้อมูลครบถ้วน\n"
    )
    f = read_form(text)
    assert f.is_form
    assert (f.province_code, f.district_code) == ("50", "5007")
    assert f.criteria == {1: "นายอำเภอเป็นผู้นำ", 2: "ข้อมูลครบถ้วน"}


def test_table_value_on_the_next_line() -> None:
    text = "อำเภอต้นแบบ (Role Model)\nจังหวัด :\nน่าน\nอำเภอที่ได้รับการคัดเลือก :\nปัว\n"
    f = read_form(text)
    assert (f.province_code, f.district_code) == ("55", "5505")


def test_header_row_table_gives_the_zone_too() -> None:
    text = (
        "แบบรายงานการคัดเลือกอำเภอต้นแบบ (Role Model)\n"
        "| จังหวัด | อำเภอที่ได้รับการคัดเลือก | เขตตรวจราชการ |\n| ลำปาง | เกาะคา | ๑๕ |\n"
    )
    f = read_form(text)
    assert (f.province_code, f.district_code, f.zone_number) == ("52", "5203", 15)
    assert f.is_form


def test_bangkok_office_wording() -> None:
    f = read_form("อำเภอต้นแบบ\nที่ทำการปกครองกรุงเทพมหานคร ได้พิจารณาคัดเลือกเขตจอมทอง เป็นเขตต้นแบบ")
    assert (f.province_code, f.district_code) == ("10", "1035")


@pytest.mark.parametrize("verb", ["ได้คัดเลือก", "ขอเสนอ", "ได้ พิจารณา\nคัดเลือก"])
def test_other_verbs_for_the_selection_sentence(verb: str) -> None:
    f = read_form(f"อำเภอต้นแบบ\nที่ทำการปกครองจังหวัดลำพูน {verb}อำเภอป่าซาง เป็นอำเภอต้นแบบ")
    assert (f.province_code, f.district_code) == ("51", "5106")


def test_plain_email_without_the_form_still_gives_the_names() -> None:
    body = (
        "เรียน ผู้ตรวจราชการกรมการปกครอง เขต ๑๕\n"
        "ปค.จ.เชียงใหม่ ขอส่งผลการคัดเลือกอำเภอต้นแบบ (Role Model) ได้แก่ อำเภอสันทราย "
        "รายละเอียดตามไฟล์แนบ"
    )
    f = read_form(body)
    assert (f.province_code, f.district_code, f.zone_number) == ("50", "5014", 15)
    assert any("inferred" in n for n in f.confidence_notes)


def test_words_around_the_sentence_are_not_read_as_districts() -> None:
    # สังคม (a district of Nong Khai) inside ภาคประชาสังคม on the line under the sentence
    text = fill(
        "ที่ทำการปกครองจังหวัด....หนองคาย.....ได้พิจารณาคัดเลือกอำเภอ..........\nร่วมกับภาคประชาสังคมในพื้นที่"
    )
    assert read_form(text).district_code is None


def test_large_text_is_read_in_bounded_time() -> None:
    import time

    text = fill(dots(SAMPLE[0])) + ("การพัฒนาพื้นที่ ข้อมูล ตำบล อำเภอ จังหวัด\n" * 20000)
    start = time.perf_counter()
    f = read_form(text)
    assert f.district_code == SAMPLE[0].code
    assert time.perf_counter() - start < bound(5.0)


def test_the_dopa_letter_itself_is_not_a_filled_form() -> None:
    letter = (
        "เรื่อง การคัดเลือกอำเภอต้นแบบ (Role Model)\nเรียน ผู้ว่าราชการจังหวัด ทุกจังหวัด\n"
        "กรมการปกครองจึงขอความร่วมมือจังหวัดแจ้งที่ทำการปกครองจังหวัด พิจารณาดำเนินการ ดังนี้\n"
        "ถนนอัษฎางค์ กทม. ๑๐๒๐๐\n"
    )
    f = read_form(letter)
    assert not f.is_form
    assert f.province_code is None


def test_english_thai_mix_labels() -> None:
    text = fill("Province: Phang-nga\nDistrict: Takua Pa")
    f = read_form(text)
    assert (f.province_code, f.district_code) == ("82", "8205")


def test_reader_never_raises_on_garbage() -> None:
    for text in ["(((", "ลงชื่อ (", "คือ" * 500, "ที่ทำการปกครองจังหวัด" * 50, "\x00\ufffd" * 10]:
        assert isinstance(read_form(text), FormFields)


def test_form_fields_are_frozen() -> None:
    f = read_form(fill(dots(SAMPLE[0])))
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.province_text = "x"  # type: ignore[misc]
